-- casebook schema, version 4: what ingest needs to find things fast.

-- A re-delivered message without a Message-ID is recognised by its bytes:
-- look candidates up by size, then compare.
CREATE INDEX messages_no_id ON messages(size) WHERE message_id IS NULL;

-- The same for a re-delivered message that is already held in quarantine.
CREATE INDEX quarantine_size ON quarantine(size);
CREATE INDEX quarantine_status ON quarantine(status, id);

-- Attachments of a message (show --attachment reads them by case).
CREATE INDEX attachments_message ON attachments(message);
