-- casebook schema, version 21: the events sweep reads, named by ORs.
--
-- SQLite tests a list of three or more constants (`field IN ('a', 'b',
-- 'c')`) against a temporary index it builds from the list, once per
-- statement run. In a partial index's WHERE that meant one such index for
-- every event written: a new case's two events cost 40k instructions more
-- than their rows, a tenth of what a bulk import's storing thread does per
-- message. Each OR is a plain comparison. The text must stay the same as
-- the query's (`sqlite::sweep_log::EVENTS_SQL`) for SQLite to use the index.
DROP INDEX events_sweep;
CREATE INDEX events_sweep ON events(case_id, at)
    WHERE field = 'call-back requested' OR field = 'nothing left to do' OR field = 'handoff reply';
