-- 004: what makes stats fast at millions of scans, and unique visitors
-- countable without keeping anyone's address.

-- Per code, per UTC day: counts by dimension, written by the workers'
-- scan batches.  Bots are left out of every dimension but 'all' (every
-- scan stored: the listing's total).  'total' and 'all' have value '';
-- 'unique' counts first-seen visitor hashes of that day.
CREATE TABLE scan_daily (
  code_id  BIGINT UNSIGNED NOT NULL,
  day      DATE NOT NULL,
  dim      ENUM('all','total','unique','country','device','os','browser','referrer') NOT NULL,
  value    VARCHAR(255) NOT NULL DEFAULT '',
  scans    BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (code_id, dim, day, value),
  CONSTRAINT scan_daily_code FOREIGN KEY (code_id) REFERENCES codes (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Visitors seen per code and day, as keyed hashes (see visitor_salts);
-- a row exists only to make the second scan of the day not count.
CREATE TABLE scan_visitors (
  code_id       BIGINT UNSIGNED NOT NULL,
  day           DATE NOT NULL,
  visitor_hash  BINARY(16) NOT NULL,
  PRIMARY KEY (code_id, day, visitor_hash),
  CONSTRAINT scan_visitors_code FOREIGN KEY (code_id) REFERENCES codes (id)
    ON DELETE CASCADE
) ENGINE=InnoDB;

-- The key of the day's visitor hashes.  Yesterday's is deleted when a
-- new day's is made, so no hash can be tested against guessed addresses
-- afterwards.
CREATE TABLE visitor_salts (
  day   DATE NOT NULL,
  salt  BINARY(32) NOT NULL,
  PRIMARY KEY (day)
) ENGINE=InnoDB;
