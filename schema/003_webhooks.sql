-- 003: webhook endpoints, the lifecycle event outbox and the deliveries.
--
-- Scan events need no outbox rows: the scans table is their outbox, read
-- by each endpoint's scan_cursor.  Only when a code is deleted do its
-- scans not yet past every cursor move here (one 'scan' event, each item
-- with its scan id), since the code's scans go with it.  Lifecycle events (code.created,
-- code.updated, code.deleted) are written to events in the transaction
-- that makes the change.  qre-webhooks turns what lies past an endpoint's
-- cursors into deliveries (one lifecycle event, or a batch of scans) and
-- moves the cursors in the same transaction; a delivery keeps its exact
-- body, so every attempt sends the same bytes under the same webhook-id.

CREATE TABLE webhooks (
  id                    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  public_id             VARCHAR(22) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  account_id            BIGINT UNSIGNED NOT NULL,
  url                   VARCHAR(2048) NOT NULL,
  events                SET('scan','code.created','code.updated','code.deleted') NOT NULL,
  secret                VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  previous_secret       VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NULL,
  previous_secret_until DATETIME(3) NULL,
  is_active             TINYINT(1) NOT NULL DEFAULT 1,
  disabled_reason       VARCHAR(200) NULL,
  failing_since         DATETIME(3) NULL,
  event_cursor          BIGINT UNSIGNED NOT NULL DEFAULT 0,
  scan_cursor           BIGINT UNSIGNED NOT NULL DEFAULT 0,
  created_at            DATETIME(3) NOT NULL,
  updated_at            DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY webhooks_public_id (public_id),
  KEY webhooks_account (account_id, id),
  CONSTRAINT webhooks_account FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE events (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  account_id  BIGINT UNSIGNED NOT NULL,
  type        ENUM('code.created','code.updated','code.deleted','scan') NOT NULL,
  payload     MEDIUMTEXT NOT NULL,
  created_at  DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY events_account (account_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE deliveries (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  public_id        VARCHAR(22) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  webhook_id       BIGINT UNSIGNED NOT NULL,
  event            ENUM('ping','scan','code.created','code.updated','code.deleted') NOT NULL,
  items            INT UNSIGNED NOT NULL DEFAULT 1,
  body             MEDIUMTEXT NOT NULL,
  status           ENUM('pending','delivered','failed') NOT NULL DEFAULT 'pending',
  attempts         INT UNSIGNED NOT NULL DEFAULT 0,
  next_attempt_at  DATETIME(3) NOT NULL,
  last_code        INT NULL,
  last_error       VARCHAR(255) NULL,
  created_at       DATETIME(3) NOT NULL,
  updated_at       DATETIME(3) NOT NULL,
  delivered_at     DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY deliveries_public_id (public_id),
  KEY deliveries_webhook (webhook_id, status, id),
  KEY deliveries_due (status, next_attempt_at),
  CONSTRAINT deliveries_webhook FOREIGN KEY (webhook_id) REFERENCES webhooks (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

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
