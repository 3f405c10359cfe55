-- The held message's bytes become the last column of quarantine: SQLite can
-- then store a zeroblob there without building the row at full size, and
-- the bytes are written into it in pieces (src/store/sqlite/blob.rs). With
-- `raw` before other columns a 50 MB message cost two more 50 MB buffers.
-- (Numbered 0012: 0010 and 0011 are other branches' steps.)
CREATE TABLE quarantine_raw_last (
    id          INTEGER PRIMARY KEY,
    reason      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'released', 'dropped')),
    case_id     INTEGER REFERENCES cases(id),
    resolved_at INTEGER,
    raw         BLOB NOT NULL
);
INSERT INTO quarantine_raw_last (id, reason, size, received_at, status, case_id, resolved_at, raw)
    SELECT id, reason, size, received_at, status, case_id, resolved_at, raw FROM quarantine;
DROP TABLE quarantine;
ALTER TABLE quarantine_raw_last RENAME TO quarantine;
CREATE INDEX quarantine_size ON quarantine(size);
CREATE INDEX quarantine_status ON quarantine(status, id);
