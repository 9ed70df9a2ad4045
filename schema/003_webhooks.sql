-- 003: webhook endpoints, the event outbox and the delivery log.

CREATE TABLE webhooks (
  id                    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  public_id             VARCHAR(22) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  account_id            BIGINT UNSIGNED NOT NULL,
  url                   VARCHAR(2048) NOT NULL,
  events                SET('scan','code.created','code.updated','code.deleted') NOT NULL,
  secret                VARCHAR(128) CHARACTER SET ascii NOT NULL,
  previous_secret       VARCHAR(128) CHARACTER SET ascii NULL,
  previous_secret_until DATETIME(3) NULL,
  is_active             TINYINT(1) NOT NULL DEFAULT 1,
  failing_since         DATETIME(3) NULL,
  disabled_reason       VARCHAR(200) NULL,
  created_at            DATETIME(3) NOT NULL,
  updated_at            DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY webhooks_public_id (public_id),
  KEY webhooks_account (account_id),
  CONSTRAINT webhooks_account FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The outbox: written in the same transaction as the change it tells of.
CREATE TABLE events (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  account_id  BIGINT UNSIGNED NOT NULL,
  type        VARCHAR(32) CHARACTER SET ascii NOT NULL,
  payload     JSON NOT NULL,
  created_at  DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY events_account (account_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per (endpoint, event) to deliver, and its attempts so far.
CREATE TABLE deliveries (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  public_id        VARCHAR(22) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  webhook_id       BIGINT UNSIGNED NOT NULL,
  event_id         BIGINT UNSIGNED NOT NULL,
  status           ENUM('pending','sending','delivered','failed','dead') NOT NULL DEFAULT 'pending',
  attempts         INT UNSIGNED NOT NULL DEFAULT 0,
  next_attempt_at  DATETIME(3) NOT NULL,
  claimed_until    DATETIME(3) NULL,
  created_at       DATETIME(3) NOT NULL,
  updated_at       DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY deliveries_public_id (public_id),
  UNIQUE KEY deliveries_once (webhook_id, event_id),
  KEY deliveries_due (status, next_attempt_at),
  CONSTRAINT deliveries_webhook FOREIGN KEY (webhook_id) REFERENCES webhooks (id)
    ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE delivery_attempts (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  delivery_id    BIGINT UNSIGNED NOT NULL,
  attempted_at   DATETIME(3) NOT NULL,
  response_code  INT NULL,
  error          VARCHAR(255) NULL,
  duration_ms    INT UNSIGNED NOT NULL,
  PRIMARY KEY (id),
  KEY attempts_delivery (delivery_id, id),
  CONSTRAINT attempts_delivery FOREIGN KEY (delivery_id) REFERENCES deliveries (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
