-- 006: the keys that keyset pagination (cursors) and deep pages read.
--
-- A listing is read newest first from an index that ends in its sort
-- key: a page by cursor seeks to the key of the last row it was given,
-- a page by number counts the rows it skips in the index alone.  The
-- scans and codes listings have such keys already: scans_code_time
-- (code_id, scanned_at), to which InnoDB appends the primary key id,
-- and codes_account_created / codes_account_kind, which name id.
--
-- A webhook's deliveries log lists its attempts newest first, but an
-- attempt knew its endpoint only through its delivery, so every page
-- sorted all the endpoint's attempts (0.8 s at 190,000).  The endpoint
-- is now kept on each attempt, written with it, and (webhook_id, id)
-- is the log's key.  No foreign key of its own: the attempt goes with
-- its delivery, which goes with its endpoint.
--
-- Each statement leaves the table as it is after this migration, so
-- running one again changes nothing.
ALTER TABLE delivery_attempts
  ADD COLUMN IF NOT EXISTS webhook_id BIGINT UNSIGNED NULL AFTER delivery_id;

UPDATE delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
  SET a.webhook_id = d.webhook_id
  WHERE a.webhook_id IS NULL;

ALTER TABLE delivery_attempts
  MODIFY webhook_id BIGINT UNSIGNED NOT NULL,
  ADD KEY IF NOT EXISTS attempts_webhook (webhook_id, id);
