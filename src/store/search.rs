//! Keeping the full-text index (migrations 2 and 5) current.

use rusqlite::Connection;

use super::Result;

/// Adds every case and comment stored since the last call to the search
/// index. The store calls it in each write transaction just before commit,
/// so a whole transaction (a bulk batch of thousands of messages) becomes
/// one index segment.
pub fn index_new_rows(conn: &Connection) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO cases_fts (rowid, subject, description)
         SELECT id, subject, description FROM cases
         WHERE id > (SELECT last_id FROM search_indexed WHERE name = 'cases')",
    )?
    .execute([])?;
    conn.prepare_cached(
        "INSERT INTO comments_fts (rowid, body)
         SELECT id, body FROM comments
         WHERE id > (SELECT last_id FROM search_indexed WHERE name = 'comments')",
    )?
    .execute([])?;
    conn.prepare_cached(
        "UPDATE search_indexed SET last_id = CASE name
             WHEN 'cases' THEN (SELECT coalesce(max(id), 0) FROM cases)
             ELSE (SELECT coalesce(max(id), 0) FROM comments) END
         WHERE last_id < CASE name
             WHEN 'cases' THEN (SELECT coalesce(max(id), 0) FROM cases)
             ELSE (SELECT coalesce(max(id), 0) FROM comments) END",
    )?
    .execute([])?;
    Ok(())
}
