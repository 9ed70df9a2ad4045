-- 001: accounts, API tokens and the daily usage counter.
-- Times are UTC (written with UTC_TIMESTAMP()), DATETIME(3) so that
-- ordering within one second is kept.

CREATE TABLE accounts (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  email       VARCHAR(254) NOT NULL,
  plan        ENUM('free','pro','enterprise') NOT NULL DEFAULT 'free',
  created_at  DATETIME(3) NOT NULL,
  updated_at  DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY accounts_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Only the SHA-256 of a token is kept.  A revoked token stays for the
-- record; active_name makes names unique among the live tokens only, so
-- a name can be used again after a revoke.
CREATE TABLE tokens (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  account_id    BIGINT UNSIGNED NOT NULL,
  name          VARCHAR(200) NOT NULL,
  token_hash    BINARY(32) NOT NULL,
  created_at    DATETIME(3) NOT NULL,
  last_used_at  DATETIME(3) NULL,
  revoked_at    DATETIME(3) NULL,
  active_name   VARCHAR(200) AS (IF(revoked_at IS NULL, name, NULL)) PERSISTENT,
  PRIMARY KEY (id),
  UNIQUE KEY tokens_hash (token_hash),
  UNIQUE KEY tokens_active_name (account_id, active_name),
  CONSTRAINT tokens_account FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- API calls per account per UTC day, for the plans' daily quota.
CREATE TABLE daily_usage (
  account_id  BIGINT UNSIGNED NOT NULL,
  day         DATE NOT NULL,
  calls       INT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, day),
  CONSTRAINT daily_usage_account FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE
) ENGINE=InnoDB;
