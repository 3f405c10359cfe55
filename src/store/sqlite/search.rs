//! Keeping the full-text index (migrations 2, 5 and 15) current.
//!
//! New cases and comments join the index in groups: a writer indexes them
//! only once [`WRITER_BATCH`] are waiting, and a search first indexes
//! whatever is left ([`catch_up`]). Each group becomes one FTS5 segment, so
//! a procmail delivery (one message per process) skips the index entirely
//! most of the time, and a bulk import adds one segment per batch. A case
//! whose subject changes after it joined the index is indexed again
//! ([`reindex_case`]); no trigger does it (migration 15).

use rusqlite::Connection;

use crate::store::Result;

/// How many new rows a writer lets wait before indexing them.
pub const WRITER_BATCH: i64 = 100;

/// Rows above `last_id` in cases and in comments. Every delivery asks, so
/// three plain statements: one with four subqueries cost a delivery 0.12 M
/// instructions to prepare and run, these 0.1 M.
fn pending(conn: &Connection) -> Result<(i64, i64)> {
    let mut indexed = (0, 0);
    let mut stmt = conn.prepare_cached("SELECT name, last_id FROM search_indexed")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        match r.get::<_, String>(0)?.as_str() {
            "cases" => indexed.0 = r.get(1)?,
            "comments" => indexed.1 = r.get(1)?,
            _ => {}
        }
    }
    let newest = |table: &str| -> Result<i64> {
        Ok(conn
            .prepare_cached(&format!("SELECT coalesce(max(id), 0) FROM {table}"))?
            .query_row([], |r| r.get(0))?)
    };
    Ok((
        newest("cases")? - indexed.0,
        newest("comments")? - indexed.1,
    ))
}

/// Runs `change` (an update of case `number`'s indexed text) and keeps the
/// index in step: a case the index holds has its old text taken out before
/// and its new text put in after. (An external-content FTS5 index must be
/// told the exact text it holds to remove it.) A case above `last_id` joins
/// the index with its new text later, as any new row does.
pub fn reindex_case<T>(
    conn: &Connection,
    number: i64,
    change: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let held: bool = conn
        .prepare_cached("SELECT ?1 <= last_id FROM search_indexed WHERE name = 'cases'")?
        .query_row([number], |r| r.get(0))?;
    if held {
        conn.prepare_cached(
            "INSERT INTO cases_fts (cases_fts, rowid, subject, description, quoted)
             SELECT 'delete', id, subject, description, quoted FROM cases WHERE id = ?1",
        )?
        .execute([number])?;
    }
    let done = change()?;
    if held {
        conn.prepare_cached(
            "INSERT INTO cases_fts (rowid, subject, description, quoted)
             SELECT id, subject, description, quoted FROM cases WHERE id = ?1",
        )?
        .execute([number])?;
    }
    Ok(done)
}

/// How many cases and comments wait for the index.
pub fn waiting(conn: &Connection) -> Result<i64> {
    let (cases, comments) = pending(conn)?;
    Ok(cases + comments)
}

/// Indexes the cases and comments stored since the last call, if at least
/// `at_least` are waiting. Runs inside the caller's write transaction.
pub fn index_new_rows(conn: &Connection, at_least: i64) -> Result<()> {
    let (cases, comments) = pending(conn)?;
    if cases + comments < at_least.max(1) {
        return Ok(());
    }
    if cases > 0 {
        conn.prepare_cached(
            "INSERT INTO cases_fts (rowid, subject, description, quoted)
             SELECT id, subject, description, quoted FROM cases
             WHERE id > (SELECT last_id FROM search_indexed WHERE name = 'cases')",
        )?
        .execute([])?;
        conn.prepare_cached(
            "UPDATE search_indexed SET last_id = (SELECT max(id) FROM cases) WHERE name = 'cases'",
        )?
        .execute([])?;
    }
    if comments > 0 {
        conn.prepare_cached(
            "INSERT INTO comments_fts (rowid, body)
             SELECT id, body FROM comments
             WHERE id > (SELECT last_id FROM search_indexed WHERE name = 'comments')",
        )?
        .execute([])?;
        conn.prepare_cached(
            "UPDATE search_indexed SET last_id = (SELECT max(id) FROM comments) WHERE name = 'comments'",
        )?
        .execute([])?;
    }
    Ok(())
}

/// The cases the index finds for `word`, in number order (for the tests).
#[cfg(test)]
pub(crate) fn indexed_cases(conn: &Connection, word: &str) -> Vec<i64> {
    let mut stmt = conn
        .prepare("SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?1 ORDER BY rowid")
        .unwrap();
    let rows = stmt.query_map([word], |r| r.get(0)).unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

#[cfg(test)]
mod tests {
    use crate::domain::case::NewCase;
    use crate::store::cases::{self, set_fields, Column, FieldValue};
    use crate::store::{from_ts, Store};

    /// A subject changed before and after the case joined the index: the
    /// index holds the new words only, and agrees with the table.
    #[test]
    fn a_changed_subject_replaces_the_old_words_in_the_index() {
        let store = Store::open_in_memory().unwrap();
        let db = store.db();
        let conn = store.sqlite_connection();
        let now = from_ts(1_800_000_000);
        let indexed = cases::insert(db, &NewCase::new("Fax receiving", now)).unwrap();
        super::index_new_rows(conn, 1).unwrap();
        let waiting = cases::insert(db, &NewCase::new("Router reboots", now)).unwrap();
        let subject = |s: &str| [(Column::Subject, FieldValue::Text(Some(s.into())))];
        set_fields(db, indexed, &subject("Fax sending")).unwrap();
        set_fields(db, waiting, &subject("Router lights")).unwrap();
        let team = [(Column::Team, FieldValue::Text(Some("NOC".into())))];
        set_fields(db, indexed, &team).unwrap();
        super::index_new_rows(conn, 1).unwrap();
        let found = |word: &str| super::indexed_cases(conn, word);
        assert_eq!(found("sending"), vec![indexed.get()]);
        assert_eq!(found("receiving"), Vec::<i64>::new());
        assert_eq!(found("lights"), vec![waiting.get()]);
        assert_eq!(found("reboots"), Vec::<i64>::new());
        conn.execute(
            "INSERT INTO cases_fts (cases_fts, rank) VALUES ('integrity-check', 1)",
            [],
        )
        .unwrap();
    }
}
