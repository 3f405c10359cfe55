//! Raw messages in and out of their BLOB columns. A bound blob is copied
//! twice (SQLite's copy of the parameter, then the row's record) and its
//! pages stay in the page cache until the commit: fine for a small message,
//! which is bound. A large one is written in pieces into a `zeroblob` by
//! SQLite's incremental blob I/O: it costs no copy, and its pages spill to
//! the WAL through a small cache.

use crate::store::Result;
use rusqlite::{Connection, MAIN_DB};

/// The piece written or compared at a time.
const CHUNK: usize = 256 * 1024;

/// Up to this size a blob is bound to the INSERT: the two copies cost less
/// than opening a blob handle (which compiles a statement of its own; in a
/// bulk import of 2 KB mails, 37k instructions a message).
const BOUND_UP_TO: usize = 64 * 1024;

/// From this size a blob is written through a small page cache.
const LARGE: usize = 1 << 20;

/// The desk's page cache, in KiB (`PRAGMA cache_size` takes it negative).
pub(super) const CACHE_KIB: i64 = 64 * 1024;

/// The page cache while a large blob is written: its pages go to the WAL
/// as they fill, instead of holding the whole message in memory again.
const SMALL_CACHE_KIB: i64 = 2 * 1024;

/// Inserts a row whose `table.column` is to hold `bytes` and returns its
/// id. `insert` stores the row: with `Some(bytes)` to bind (a small value),
/// or with `None` and a `zeroblob` of their length, which are then written
/// into it in pieces. For a large value both run through a small page
/// cache, so that its pages spill to the WAL as they fill.
pub(super) fn insert_with(
    conn: &Connection,
    table: &'static str,
    column: &'static str,
    bytes: &[u8],
    insert: impl FnOnce(Option<&[u8]>) -> Result<i64>,
) -> Result<i64> {
    if bytes.len() <= BOUND_UP_TO {
        return insert(Some(bytes));
    }
    let large = bytes.len() >= LARGE;
    if large {
        conn.pragma_update(None, "cache_size", -SMALL_CACHE_KIB)?;
    }
    let written = (|| -> Result<i64> {
        let row = insert(None)?;
        let mut blob = conn.blob_open(MAIN_DB, table, column, row, false)?;
        for (i, piece) in bytes.chunks(CHUNK).enumerate() {
            blob.write_at(piece, i * CHUNK)?;
        }
        blob.close()?;
        Ok(row)
    })();
    if large {
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    }
    written
}

/// Whether `table.column` of row `row` holds exactly `bytes` (its length
/// checked by the caller), compared piece by piece.
pub(super) fn equals(
    conn: &Connection,
    table: &'static str,
    column: &'static str,
    row: i64,
    bytes: &[u8],
) -> Result<bool> {
    let blob = conn.blob_open(MAIN_DB, table, column, row, true)?;
    if blob.len() != bytes.len() {
        return Ok(false);
    }
    let mut buf = vec![0u8; CHUNK.min(bytes.len())];
    for (i, piece) in bytes.chunks(CHUNK).enumerate() {
        let got = &mut buf[..piece.len()];
        blob.read_at_exact(got, i * CHUNK)?;
        if got != piece {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_and_small_blobs_round_trip_and_compare() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, raw BLOB NOT NULL)")
            .unwrap();
        let sizes = [
            0,
            1,
            BOUND_UP_TO,
            BOUND_UP_TO + 1,
            CHUNK - 1,
            CHUNK,
            3 * CHUNK + 7,
            LARGE + 1,
        ];
        for len in sizes {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let mut was_bound = false;
            let id = insert_with(&conn, "t", "raw", &bytes, |bound| {
                was_bound = bound.is_some();
                Ok(conn.query_row(
                    "INSERT INTO t (raw) VALUES (coalesce(?2, zeroblob(?1))) RETURNING id",
                    rusqlite::params![len as i64, bound],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
            assert_eq!(
                was_bound,
                len <= BOUND_UP_TO,
                "{len}: bound only when small"
            );
            let back: Vec<u8> = conn
                .query_row("SELECT raw FROM t WHERE id = ?1", [id], |r| r.get(0))
                .unwrap();
            assert_eq!(back, bytes, "{len}");
            assert!(equals(&conn, "t", "raw", id, &bytes).unwrap());
            if len > 0 {
                let mut other = bytes.clone();
                other[len - 1] ^= 1;
                assert!(!equals(&conn, "t", "raw", id, &other).unwrap(), "{len}");
            }
        }
        let cache: i64 = conn
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            cache, -CACHE_KIB,
            "the desk's cache is back after a large blob"
        );
    }
}
