-- casebook schema, version 19: the case remembers who commented last, too.
--
-- With the time of the latest staff comment alone (step 17), sweep still
-- read the comments of every waiting case commented on since its
-- escalation, to see whether the AM was among the authors: a page each,
-- scattered over the comments' index. When the latest comment is the AM's
-- (or the handoff rep's), that answers it. `add_comment` keeps both.
ALTER TABLE cases ADD COLUMN last_comment_by TEXT;
UPDATE cases SET last_comment_by = (
        SELECT author FROM comments
        WHERE case_id = cases.id AND author IS NOT NULL
        ORDER BY at DESC, id DESC LIMIT 1)
    WHERE last_comment_at IS NOT NULL;

DROP INDEX cases_sweep;
CREATE INDEX cases_sweep ON cases(status, case_type, handoff_at, account_id, owner, creator,
    am, rm, support_rep, team, opened_at, status_changed_at, last_inbound_at, escalated_at,
    last_comment_at, last_comment_by, closed_at)
    WHERE closed_at IS NULL
      AND (status = 'Waiting for Account Manager' OR handoff_at IS NOT NULL
           OR case_type <> 'Account Management');
