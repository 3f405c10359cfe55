-- casebook schema, version 20: a new case from outside the team, or from a
-- sender of no known account, enters fewer indexes.
--
-- Each index a delivery's new case enters costs that delivery (one process
-- per mail) its pages read, changed and written to the WAL: about 55 us of
-- a 3 to 4 ms delivery (benches/RESULTS-delivery.md). Mail a customer sends
-- to the desk has no creator (no one of the team opened the case), and mail
-- from an unknown sender no account. The creator's and the account's cases
-- are only ever looked up for a given creator or account (`mine`, the
-- report's staff-created cases, triage's follow-up by account), which an
-- index without the NULLs serves as well.
DROP INDEX cases_open_creator;
CREATE INDEX cases_open_creator ON cases(creator, next_due, owner, status, priority, opened_at, account_id, subject, closed_at)
    WHERE closed_at IS NULL AND creator IS NOT NULL;

DROP INDEX cases_account_opened;
CREATE INDEX cases_account_opened ON cases(account_id, opened_at) WHERE account_id IS NOT NULL;
