-- casebook schema on PostgreSQL, version 6: the case remembers who
-- commented last, too (see the SQLite step 19).
ALTER TABLE cases ADD COLUMN last_comment_by TEXT;
UPDATE cases SET last_comment_by = (
        SELECT author FROM comments
        WHERE case_id = cases.id AND author IS NOT NULL
        ORDER BY at DESC, id DESC LIMIT 1)
    WHERE last_comment_at IS NOT NULL;
