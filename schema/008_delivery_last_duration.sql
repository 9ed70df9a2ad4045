-- 008: a delivery's last attempt's duration beside its last status code,
-- so that the one statement that records an acknowledgement (qre-webhooks
-- writes it first, before the attempt's log row) leaves the delivery
-- complete for a client polling it.
ALTER TABLE deliveries ADD COLUMN last_duration_ms INT UNSIGNED NULL AFTER last_code;
