-- casebook schema (PostgreSQL), version 2: the indexes of SQLite's version 10.
--
-- Triage's follow-up routing by account reads the latest case of an account
-- opened since a date: (account_id, opened_at) answers it from the index,
-- where (account_id) alone read every case the account ever had.
DROP INDEX cases_account;
CREATE INDEX cases_account_opened ON cases(account_id, opened_at);

-- Sweep's candidates are open cases picked by status, case_type and
-- handoff_at: the open-case index carries them, so an index-only scan of the
-- open cases says which rows to read.
DROP INDEX cases_open_due;
CREATE INDEX cases_open_due ON cases(next_due) INCLUDE (id, owner, creator, status, priority, opened_at, account_id,
    case_type, handoff_at)
    WHERE closed_at IS NULL;

-- Escalations and sweep find an account by its name in any case.
CREATE INDEX accounts_name_lower ON accounts(lower(name));
