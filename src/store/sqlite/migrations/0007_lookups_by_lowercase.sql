-- casebook schema, version 7: indexes for three lookups that read every row.
--
-- The per-address daily limit of outgoing mail compares lower(recipient),
-- and triage's follow-up routing lower(contact_email): plain indexes on the
-- columns cannot serve those, so every outgoing message scanned the outbox
-- and every queued case the cases. Expression indexes on the same lower()
-- serve them. The pool's "least recently assigned" reads
-- max(assigned_at) per owner: (owner, assigned_at) answers it from the index.
CREATE INDEX outbox_recipient_lower ON outbox(lower(recipient), created_at);
DROP INDEX outbox_recipient_day;
CREATE INDEX cases_contact_lower ON cases(lower(contact_email), opened_at);
DROP INDEX cases_contact;
CREATE INDEX cases_owner_assigned ON cases(owner, assigned_at);
