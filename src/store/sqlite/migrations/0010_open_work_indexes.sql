-- casebook schema, version 10: what the open-work commands read, from indexes
-- that follow the open cases or the one account, not the whole history.
--
-- Triage's follow-up routing by account reads the latest case of an account
-- opened since a date: (account_id, opened_at) answers it from the index,
-- where (account_id) alone read every case the account ever had. It
-- replaces that index, so a delivery pays for no more index than before.
DROP INDEX cases_account;
CREATE INDEX cases_account_opened ON cases(account_id, opened_at);

-- Sweep's candidates (waiting for the AM, handed off, or of the Integration
-- type) are open cases picked by case_type and handoff_at: with those two
-- columns the open-case index alone says which open cases are candidates,
-- and only those rows are read. Same index, two more columns.
DROP INDEX cases_open_due;
CREATE INDEX cases_open_due ON cases(next_due, owner, creator, status, priority, opened_at, account_id, subject,
    closed_at, case_type, handoff_at)
    WHERE closed_at IS NULL;

-- Escalations and sweep find an account by its name in any case (a few
-- hundred rows, written by people, never by ingest).
CREATE INDEX accounts_name_lower ON accounts(lower(name));
