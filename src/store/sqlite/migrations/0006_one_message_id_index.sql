-- casebook schema, version 6: one index on messages.message_id, not two.
--
-- messages_dedup (message_id, sender) already answers every lookup by
-- message id (a `message_id = ?` term implies the partial index's NOT NULL),
-- so the plain index only cost every stored message a second random insert
-- (a tenth of a bulk import).
DROP INDEX messages_message_id;
