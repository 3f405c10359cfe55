-- casebook schema, version 13: the history events sweep's rules read.
--
-- Sweep reads three kinds of event of its candidate cases: a call back
-- asked for, the contact reached with nothing left to do, a team's reply
-- to a handoff. Through events_case it read every event of every
-- candidate to find them; this index holds only those three, so it
-- grows with them, and a delivery (which writes none of them) never
-- touches it. The list must stay the same text as the query's
-- (`sqlite::sweep_log::facts`) for SQLite to use the index.
CREATE INDEX events_sweep ON events(case_id, at)
    WHERE field IN ('call-back requested', 'nothing left to do', 'handoff reply');
