-- casebook schema on PostgreSQL, version 5: the case remembers when staff
-- last commented, so sweep reads comments only of the cases where someone
-- commented after a rule's clock started (see the SQLite step 17).
ALTER TABLE cases ADD COLUMN last_comment_at BIGINT;
UPDATE cases SET last_comment_at = m.at
    FROM (SELECT case_id, max(at) AS at FROM comments WHERE author IS NOT NULL GROUP BY case_id) m
    WHERE m.case_id = cases.id;
