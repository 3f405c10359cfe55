-- casebook schema, version 8: away and delegates (design.md, Away and delegates).
--
-- A person can be away for a period of local dates (both inclusive, in the
-- desk's time zone) with a delegate who covers them: triage routes their
-- cases to the delegate, their notifications go to the delegate too, and an
-- escalation to them reaches the delegate. NULL when not away.
ALTER TABLE people ADD COLUMN away_from  TEXT;       -- YYYY-MM-DD, local
ALTER TABLE people ADD COLUMN away_until TEXT;       -- YYYY-MM-DD, local, inclusive
ALTER TABLE people ADD COLUMN delegate   TEXT REFERENCES people(handle) DEFERRABLE INITIALLY DEFERRED;
