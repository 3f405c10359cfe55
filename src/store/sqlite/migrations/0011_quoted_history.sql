-- The quoted history under a case's description: what the customer's mail
-- client quoted below their own text (an earlier message, a reply they answer,
-- a mail they forward). The description holds their own text only; `show`
-- prints this collapsed. Search finds words in both, so the search index gets
-- the new column: FTS5 cannot add one, the index is rebuilt with the rows it
-- held (newer rows join it at the next commit, as before).
ALTER TABLE cases ADD COLUMN quoted TEXT NOT NULL DEFAULT '';

DROP TRIGGER cases_fts_update;
DROP TRIGGER cases_fts_delete;
DROP TABLE cases_fts;

CREATE VIRTUAL TABLE cases_fts USING fts5(
    subject, description, quoted, content = 'cases', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', detail = none
);
INSERT INTO cases_fts (rowid, subject, description, quoted)
    SELECT id, subject, description, quoted FROM cases
    WHERE id <= (SELECT last_id FROM search_indexed WHERE name = 'cases');

CREATE TRIGGER cases_fts_update AFTER UPDATE OF subject, description, quoted ON cases
WHEN old.id <= (SELECT last_id FROM search_indexed WHERE name = 'cases') BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, subject, description, quoted) VALUES ('delete', old.id, old.subject, old.description, old.quoted);
    INSERT INTO cases_fts (rowid, subject, description, quoted) VALUES (new.id, new.subject, new.description, new.quoted);
END;
CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases
WHEN old.id <= (SELECT last_id FROM search_indexed WHERE name = 'cases') BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, subject, description, quoted) VALUES ('delete', old.id, old.subject, old.description, old.quoted);
END;
