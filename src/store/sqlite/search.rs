//! Keeping the full-text index (migrations 2 and 5) current.
//!
//! New cases and comments join the index in groups: a writer indexes them
//! only once [`WRITER_BATCH`] are waiting, and a search first indexes
//! whatever is left ([`catch_up`]). Each group becomes one FTS5 segment, so
//! a procmail delivery (one message per process) skips the index entirely
//! most of the time, and a bulk import adds one segment per batch.

use rusqlite::Connection;

use crate::store::Result;

/// How many new rows a writer lets wait before indexing them.
pub const WRITER_BATCH: i64 = 100;

/// Rows above `last_id` in cases and in comments.
fn pending(conn: &Connection) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT coalesce(max(id), 0) FROM cases)
                    - (SELECT last_id FROM search_indexed WHERE name = 'cases'),
                    (SELECT coalesce(max(id), 0) FROM comments)
                    - (SELECT last_id FROM search_indexed WHERE name = 'comments')",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?)
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
