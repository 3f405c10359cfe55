-- casebook schema, version 2: covering indexes for the daily views.
--
-- mine, owned, due, overdue and the owner report read only open cases, which
-- are a few percent of all cases and scattered over the whole table. These
-- partial indexes hold every column those views show, so the views never
-- touch the table itself (one index page holds many open cases; the table
-- would cost a page per case). They replace the narrower indexes of version 1,
-- whose leading columns they keep. closed_at (always NULL here) is included
-- because SQLite only counts an index as covering when it holds every column
-- the query names, including the partial index's own condition.
DROP INDEX cases_open_owner;
DROP INDEX cases_open_creator;
DROP INDEX cases_open_due;
CREATE INDEX cases_open_owner ON cases(owner, next_due, creator, status, priority, opened_at, account_id, subject, closed_at)
    WHERE closed_at IS NULL;
CREATE INDEX cases_open_creator ON cases(creator, next_due, owner, status, priority, opened_at, account_id, subject, closed_at)
    WHERE closed_at IS NULL;
CREATE INDEX cases_open_due ON cases(next_due, owner, creator, status, priority, opened_at, account_id, subject, closed_at)
    WHERE closed_at IS NULL;
