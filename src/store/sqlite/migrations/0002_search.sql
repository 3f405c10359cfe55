-- Full-text search over cases (subject, description) and their comments, kept
-- current by triggers. External-content tables: the text lives only in cases/comments.

CREATE VIRTUAL TABLE cases_fts USING fts5(
    subject, description, content = 'cases', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', detail = none
);
INSERT INTO cases_fts (rowid, subject, description) SELECT id, subject, description FROM cases;

CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts (rowid, subject, description) VALUES (new.id, new.subject, new.description);
END;
CREATE TRIGGER cases_fts_update AFTER UPDATE OF subject, description ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, subject, description) VALUES ('delete', old.id, old.subject, old.description);
    INSERT INTO cases_fts (rowid, subject, description) VALUES (new.id, new.subject, new.description);
END;
CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, subject, description) VALUES ('delete', old.id, old.subject, old.description);
END;

CREATE VIRTUAL TABLE comments_fts USING fts5(
    body, content = 'comments', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', detail = none
);
INSERT INTO comments_fts (rowid, body) SELECT id, body FROM comments;

CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN
    INSERT INTO comments_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER comments_fts_update AFTER UPDATE OF body ON comments BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO comments_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
