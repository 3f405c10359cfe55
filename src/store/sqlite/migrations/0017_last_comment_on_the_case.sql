-- casebook schema, version 17: the case remembers when staff last commented.
--
-- Sweep's rules ask of a candidate whether anyone commented since its clock
-- started (the first comment on an Integration case, the AM acting on an
-- escalation, the team answering a handoff), and sweep read every
-- candidate's comments to find out: a seek each into the comments' index,
-- which grows with every case ever stored (2,600 page reads at a million
-- cases, half of sweep's time). With the latest staff comment on the case,
-- and in the open-case index, sweep reads comments only of the cases where
-- someone commented after the clock started, to see who. `add_comment`
-- keeps it; system comments (no author) leave it alone.
ALTER TABLE cases ADD COLUMN last_comment_at INTEGER;
UPDATE cases SET last_comment_at = m.at
    FROM (SELECT case_id, max(at) AS at FROM comments WHERE author IS NOT NULL GROUP BY case_id) m
    WHERE m.case_id = cases.id;

DROP INDEX cases_open_due;
CREATE INDEX cases_open_due ON cases(next_due, owner, creator, status, priority, opened_at, account_id, subject,
    closed_at, case_type, handoff_at, am, rm, team, support_rep, status_changed_at, last_inbound_at, escalated_at,
    last_comment_at)
    WHERE closed_at IS NULL;
