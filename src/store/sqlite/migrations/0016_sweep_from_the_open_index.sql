-- casebook schema, version 16: sweep reads its candidates and their comments
-- from indexes alone.
--
-- Sweep's rules read a few columns of each candidate (its status, type,
-- people and times), and each candidate was read from the table: one seek
-- per case, scattered over a file that grows with every case ever stored
-- (5,600 seeks and 60 % of sweep's time at a million cases). With those
-- columns in the open-case index, the candidates are one scan of an index
-- as large as the open work. Same index, seven more columns; a delivery
-- writes the same index entry, a little longer.
DROP INDEX cases_open_due;
CREATE INDEX cases_open_due ON cases(next_due, owner, creator, status, priority, opened_at, account_id, subject,
    closed_at, case_type, handoff_at, am, rm, team, support_rep, status_changed_at, last_inbound_at, escalated_at)
    WHERE closed_at IS NULL;

-- Sweep reads who commented on each candidate and when: with the author in
-- the per-case index of comments, from the index alone, not a seek into the
-- table per comment. Same index, one more column.
DROP INDEX comments_case;
CREATE INDEX comments_case ON comments(case_id, at, author);
