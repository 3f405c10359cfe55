-- casebook schema, version 15: the store keeps the search index current
-- when a case's subject changes, instead of triggers.
--
-- Every process parses every trigger when it opens the desk, and a delivery
-- (one process per mail) never fires them: the four cost each delivery
-- about 0.23 M instructions. The store never deletes a case or a comment
-- and never changes a comment's body or a case's description or quoted
-- history; the one column it changes that the index holds, the subject,
-- goes through store::cases::set_fields, which takes the old text out of
-- the index and puts the new in (store::sqlite::search). A new way to
-- change or delete indexed rows must do the same.
DROP TRIGGER cases_fts_update;
DROP TRIGGER cases_fts_delete;
DROP TRIGGER comments_fts_update;
DROP TRIGGER comments_fts_delete;
