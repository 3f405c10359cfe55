-- casebook schema, version 14: a person's cases in number order.
--
-- `list --all --owner X --limit N` (and the JSON and CSV exports of one
-- person's cases) reads the owner's cases in number order. cases_owner_assigned
-- finds them but in assignment order, so every case the person ever owned
-- was read and sorted before the first N were printed: at a million cases,
-- 20,000 rows for 50. An index on the owner (SQLite keeps the case number
-- beside it) hands them over in order. Partial: a case waiting in the queue
-- (no owner, as most deliveries leave it) adds nothing to it.
CREATE INDEX cases_owner_number ON cases(owner) WHERE owner IS NOT NULL;
