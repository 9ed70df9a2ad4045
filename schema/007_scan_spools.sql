-- 007: how much of each worker's scan spool file is stored.
--
-- A worker appends every scan to its spool file before it answers the
-- redirect; its writer thread stores the file's records in batches and,
-- in each batch's transaction, the number of bytes of the file stored so
-- far.  A file left by a worker that died is replayed from exactly there,
-- so every scan is stored once.  name is "<host>/<file name>".
CREATE TABLE scan_spools (
  name        VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  stored      BIGINT UNSIGNED NOT NULL,
  updated_at  DATETIME(3) NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB;
