-- 002: codes (both API surfaces share this table) and their scans.

-- public_id is the opaque id the API shows; short_code is set for dynamic
-- codes only.  Both are base62, compared case-sensitively (ascii_bin).
-- For a dynamic code, target holds the destination (URL or text) and
-- data the encoded short URL; for a static code, data is what is encoded
-- and target is NULL.  target_type says whether the destination (or a
-- static QR code's data) is a URL or text.  The image is not stored: it
-- is rendered again from data and the style columns (margin NULL: the
-- symbology's default).  Only saved codes are rows here.
CREATE TABLE codes (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  public_id       VARCHAR(22) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  account_id      BIGINT UNSIGNED NOT NULL,
  name            VARCHAR(200) NULL,
  kind            ENUM('qr','barcode') NOT NULL,
  barcode_format  VARCHAR(32) CHARACTER SET ascii NULL,
  image_format    ENUM('png','svg') NOT NULL DEFAULT 'png',
  data            TEXT NOT NULL,
  is_dynamic      TINYINT(1) NOT NULL DEFAULT 0,
  short_code      CHAR(7) CHARACTER SET ascii COLLATE ascii_bin NULL,
  target_type     ENUM('url','text') NULL,
  target          TEXT NULL,
  is_active       TINYINT(1) NOT NULL DEFAULT 1,
  color           CHAR(7) CHARACTER SET ascii NOT NULL DEFAULT '#000000',
  background      VARCHAR(11) CHARACTER SET ascii NOT NULL DEFAULT '#FFFFFF',
  size            SMALLINT UNSIGNED NOT NULL DEFAULT 300,
  ecc             CHAR(1) CHARACTER SET ascii NOT NULL DEFAULT 'M',
  margin          TINYINT NULL,
  scans           BIGINT UNSIGNED NOT NULL DEFAULT 0,
  created_at      DATETIME(3) NOT NULL,
  updated_at      DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY codes_public_id (public_id),
  UNIQUE KEY codes_short_code (short_code),
  KEY codes_account_created (account_id, created_at, id),
  KEY codes_account_kind (account_id, kind, created_at, id),
  CONSTRAINT codes_account FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per scan of a dynamic code.  No IP address: visitor_hash is a
-- keyed hash whose key rotates daily, good for counting unique visitors
-- of one day and nothing else.
CREATE TABLE scans (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  code_id       BIGINT UNSIGNED NOT NULL,
  scanned_at    DATETIME(3) NOT NULL,
  country       CHAR(2) CHARACTER SET ascii NULL,
  city          VARCHAR(100) NULL,
  device        ENUM('mobile','tablet','desktop','bot') NOT NULL,
  os            VARCHAR(32) NULL,
  browser       VARCHAR(32) NULL,
  referrer      VARCHAR(2048) NULL,
  is_bot        TINYINT(1) NOT NULL DEFAULT 0,
  visitor_hash  BINARY(16) NULL,
  PRIMARY KEY (id),
  KEY scans_code_time (code_id, scanned_at),
  CONSTRAINT scans_code FOREIGN KEY (code_id) REFERENCES codes (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
