-- casebook schema, version 18: sweep's candidates have an index of their own.
--
-- Sweep's candidates (open cases waiting for their AM, handed off, or of
-- the Integration type) were a scan of the whole open-case index, a fifth
-- of them kept: every open case's entry read and tested, 630 pages at
-- 20,000 open cases, and that index carried ten columns only sweep reads,
-- written by every delivery. Now a partial index holds exactly the open
-- cases sweep can look at, with the columns its rules read, and the
-- open-case index holds the views' columns only, as in step 3.
--
-- The Integration type is a setting, so the index holds the open cases of
-- every type other than the schema's default ('Account Management'):
-- whatever the setting names (unless it names the default type itself),
-- its cases are among them. A delivery of the default type adds nothing.
CREATE INDEX cases_sweep ON cases(status, case_type, handoff_at, account_id, owner, creator,
    am, rm, support_rep, team, opened_at, status_changed_at, last_inbound_at, escalated_at,
    last_comment_at, closed_at)
    WHERE closed_at IS NULL
      AND (status = 'Waiting for Account Manager' OR handoff_at IS NOT NULL
           OR case_type <> 'Account Management');

DROP INDEX cases_open_due;
CREATE INDEX cases_open_due ON cases(next_due, owner, creator, status, priority, opened_at, account_id, subject,
    closed_at)
    WHERE closed_at IS NULL;
