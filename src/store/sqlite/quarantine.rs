//! Messages that could not become a case, kept with the reason until someone
//! retries or drops them. Nothing is deleted: a dropped message keeps its row.

use crate::domain::case::CaseNumber;
use crate::domain::states::QuarantineStatus;
use crate::store::rows::Held;
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

fn held_from_row(r: &Row<'_>) -> rusqlite::Result<Held> {
    Ok(Held {
        id: r.get(0)?,
        reason: r.get(1)?,
        size: r.get(2)?,
        received_at: from_ts(r.get(3)?),
        status: super::state(r, 4, QuarantineStatus::parse_stored)?,
        case_id: r.get(5)?,
        resolved_at: r.get::<_, Option<i64>>(6)?.map(from_ts),
    })
}

const COLUMNS: &str = "id, reason, size, received_at, status, case_id, resolved_at";

/// Holds a message; returns its quarantine number. The bytes of a large
/// message are written into the row in pieces (`blob`): it is not copied whole.
pub fn insert(conn: &Connection, reason: &str, raw: &[u8], at: DateTime<Utc>) -> Result<i64> {
    // `raw` is the table's last column (migration 0012): the zeroblob costs
    // no buffer of its size.
    super::blob::insert_with(conn, "quarantine", "raw", raw, |bound| {
        Ok(conn
            .prepare_cached(
                "INSERT INTO quarantine (reason, size, raw, received_at)
                 VALUES (?1, ?2, coalesce(?4, zeroblob(?2)), ?3)",
            )?
            // The id from the connection, not RETURNING (see cases::insert).
            .insert(params![reason, raw.len() as i64, ts(at), bound])?)
    })
}

/// A held message with exactly these bytes (a re-delivery), compared in
/// pieces against the held messages of the same size.
pub fn find_identical(conn: &Connection, raw: &[u8]) -> Result<Option<Held>> {
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM quarantine WHERE status = 'held' AND size = ?1 ORDER BY id",
        )?
        .query_map([raw.len() as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        if super::blob::equals(conn, "quarantine", "raw", id, raw)? {
            return get(conn, id);
        }
    }
    Ok(None)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Held>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM quarantine WHERE id = ?1"),
            [id],
            held_from_row,
        )
        .optional()?)
}

pub fn raw(conn: &Connection, id: i64) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT raw FROM quarantine WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Held messages (or all of them, with `all`), oldest first.
pub fn list(conn: &Connection, all: bool) -> Result<Vec<Held>> {
    let filter = if all { "" } else { "WHERE status = 'held'" };
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM quarantine {filter} ORDER BY id"
    ))?;
    let rows = stmt.query_map([], held_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The message became part of case `case` (or was kept as auto-generated mail, `None`).
pub fn release(
    conn: &Connection,
    id: i64,
    case: Option<CaseNumber>,
    at: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE quarantine SET status = 'released', case_id = ?2, resolved_at = ?3 WHERE id = ?1",
        params![id, case, ts(at)],
    )?;
    Ok(())
}

/// A retry failed again: the new reason.
pub fn set_reason(conn: &Connection, id: i64, reason: &str) -> Result<()> {
    conn.execute(
        "UPDATE quarantine SET reason = ?2 WHERE id = ?1",
        params![id, reason],
    )?;
    Ok(())
}

/// Marks a held message dropped; the row and its bytes stay.
pub fn drop_held(conn: &Connection, id: i64, at: DateTime<Utc>) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE quarantine SET status = 'dropped', resolved_at = ?2 WHERE id = ?1 AND status = 'held'",
        params![id, ts(at)],
    )? == 1)
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM quarantine", [], |r| r.get(0))?)
}
