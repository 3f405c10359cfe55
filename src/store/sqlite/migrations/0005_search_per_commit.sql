-- casebook schema, version 5: new rows join the search index once per
-- transaction, not by a trigger per row.
--
-- FTS5 flushes its pending terms at every savepoint, and ingest runs each
-- message in one: with a trigger per row, every message wrote a new index
-- segment and set off merges, a fifth of a bulk import's time. Now the store
-- indexes the cases and comments above `last_id` in groups, before a commit
-- and before a search (store::search), so a bulk batch makes one segment.

CREATE TABLE search_indexed (
    name    TEXT PRIMARY KEY,          -- the indexed table: cases or comments
    last_id INTEGER NOT NULL           -- every row up to this id is in the index
) WITHOUT ROWID;
INSERT INTO search_indexed (name, last_id) VALUES
    ('cases', (SELECT coalesce(max(id), 0) FROM cases)),
    ('comments', (SELECT coalesce(max(id), 0) FROM comments));

DROP TRIGGER cases_fts_insert;
DROP TRIGGER comments_fts_insert;

-- Updates and deletes still keep the index current, but only for rows it
-- holds already: removing a row the index never saw would corrupt it.
DROP TRIGGER cases_fts_update;
DROP TRIGGER cases_fts_delete;
DROP TRIGGER comments_fts_update;
DROP TRIGGER comments_fts_delete;

CREATE TRIGGER cases_fts_update AFTER UPDATE OF subject, description ON cases
WHEN old.id <= (SELECT last_id FROM search_indexed WHERE name = 'cases') BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, subject, description) VALUES ('delete', old.id, old.subject, old.description);
    INSERT INTO cases_fts (rowid, subject, description) VALUES (new.id, new.subject, new.description);
END;
CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases
WHEN old.id <= (SELECT last_id FROM search_indexed WHERE name = 'cases') BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, subject, description) VALUES ('delete', old.id, old.subject, old.description);
END;
CREATE TRIGGER comments_fts_update AFTER UPDATE OF body ON comments
WHEN old.id <= (SELECT last_id FROM search_indexed WHERE name = 'comments') BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO comments_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments
WHEN old.id <= (SELECT last_id FROM search_indexed WHERE name = 'comments') BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
