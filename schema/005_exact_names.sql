-- 005: every column a request's value is looked up by compares exactly.
--
-- The _bin collations of 001-003 (ascii_bin, utf8mb4_bin) are PAD SPACE:
-- trailing spaces are ignored when comparing, so 'victim' = 'victim '.
-- DELETE /api/tokens/victim%20 revoked the token named 'victim', and
-- GET .../deliveries/{id}%20 found the delivery {id}.  The _nopad_bin
-- collations compare every byte.  Each statement sets a column to what
-- it is after this migration, so running one again changes nothing.

-- Token names: the name a revoke looks up, and active_name, whose unique
-- key keeps live names apart ('a' and 'a ' are now two names, as they
-- are two strings to the API).
ALTER TABLE tokens
  MODIFY name VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
  MODIFY active_name VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin
    AS (IF(revoked_at IS NULL, name, NULL)) PERSISTENT;

-- Public ids and short codes: base62 from a CSPRNG, looked up by what
-- the path says.
ALTER TABLE codes
  MODIFY public_id VARCHAR(22) CHARACTER SET ascii COLLATE ascii_nopad_bin NOT NULL,
  MODIFY short_code CHAR(7) CHARACTER SET ascii COLLATE ascii_nopad_bin NULL;

ALTER TABLE webhooks
  MODIFY public_id VARCHAR(22) CHARACTER SET ascii COLLATE ascii_nopad_bin NOT NULL;

ALTER TABLE deliveries
  MODIFY public_id VARCHAR(22) CHARACTER SET ascii COLLATE ascii_nopad_bin NOT NULL;
