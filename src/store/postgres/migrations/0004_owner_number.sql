-- casebook schema on PostgreSQL, version 4: a person's cases in number
-- order, for `list --all --owner X --limit N` (see the SQLite step 14).
-- Partial: a case waiting in the queue adds nothing to it.
CREATE INDEX cases_owner_number ON cases(owner, id) WHERE owner IS NOT NULL;
