//! Messages that could not become a case, on PostgreSQL: the same
//! operations as `sqlite::quarantine`. Nothing is deleted: a dropped message
//! keeps its row.

use crate::domain::case::CaseNumber;
use crate::domain::states::QuarantineStatus;
use crate::store::rows::Held;
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};
use postgres::Row;

use super::Conn;

fn held_from_row(r: &Row) -> Result<Held> {
    Ok(Held {
        id: r.try_get(0)?,
        reason: r.try_get(1)?,
        size: r.try_get(2)?,
        received_at: from_ts(r.try_get(3)?),
        status: super::state(r, 4, QuarantineStatus::parse_stored)?,
        case_id: r.try_get(5)?,
        resolved_at: r.try_get::<_, Option<i64>>(6)?.map(from_ts),
    })
}

const COLUMNS: &str = "id, reason, size, received_at, status, case_id, resolved_at";

/// Holds a message; returns its quarantine number.
pub fn insert(conn: &Conn, reason: &str, raw: &[u8], at: DateTime<Utc>) -> Result<i64> {
    Ok(conn
        .query_one(
            "INSERT INTO quarantine (reason, size, raw, received_at) VALUES ($1, $2, $3, $4) RETURNING id",
            &[&reason, &(raw.len() as i64), &raw, &ts(at)],
        )?
        .try_get(0)?)
}

/// A held message with exactly these bytes (a re-delivery).
pub fn find_identical(conn: &Conn, raw: &[u8]) -> Result<Option<Held>> {
    conn.query_opt(
        &format!(
            "SELECT {COLUMNS} FROM quarantine WHERE status = 'held' AND size = $1 AND raw = $2 ORDER BY id LIMIT 1"
        ),
        &[&(raw.len() as i64), &raw],
    )?
    .map(|r| held_from_row(&r))
    .transpose()
}

pub fn get(conn: &Conn, id: i64) -> Result<Option<Held>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM quarantine WHERE id = $1"),
        &[&id],
    )?
    .map(|r| held_from_row(&r))
    .transpose()
}

pub fn raw(conn: &Conn, id: i64) -> Result<Option<Vec<u8>>> {
    conn.query_opt("SELECT raw FROM quarantine WHERE id = $1", &[&id])?
        .map(|r| Ok(r.try_get(0)?))
        .transpose()
}

/// Held messages (or all of them, with `all`), oldest first.
pub fn list(conn: &Conn, all: bool) -> Result<Vec<Held>> {
    let filter = if all { "" } else { "WHERE status = 'held'" };
    conn.query(
        &format!("SELECT {COLUMNS} FROM quarantine {filter} ORDER BY id"),
        &[],
    )?
    .iter()
    .map(held_from_row)
    .collect()
}

/// The message became part of case `case` (or was kept as auto-generated mail, `None`).
pub fn release(conn: &Conn, id: i64, case: Option<CaseNumber>, at: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE quarantine SET status = 'released', case_id = $2, resolved_at = $3 WHERE id = $1",
        &[&id, &case, &ts(at)],
    )?;
    Ok(())
}

/// A retry failed again: the new reason.
pub fn set_reason(conn: &Conn, id: i64, reason: &str) -> Result<()> {
    conn.execute(
        "UPDATE quarantine SET reason = $2 WHERE id = $1",
        &[&id, &reason],
    )?;
    Ok(())
}

/// Marks a held message dropped; the row and its bytes stay.
pub fn drop_held(conn: &Conn, id: i64, at: DateTime<Utc>) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE quarantine SET status = 'dropped', resolved_at = $2 WHERE id = $1 AND status = 'held'",
        &[&id, &ts(at)],
    )? == 1)
}

pub fn count(conn: &Conn) -> Result<i64> {
    Ok(conn
        .query_one("SELECT count(*) FROM quarantine", &[])?
        .try_get(0)?)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono::{DateTime, Utc};

    use crate::store::postgres::testing;
    use crate::store::quarantine::{
        count, drop_held, find_identical, get, insert, list, raw, release, set_reason,
    };

    fn at(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap() + chrono::Duration::minutes(min)
    }

    #[test]
    fn held_messages_read_back_as_on_sqlite() {
        testing::same_on_both(|db| {
            let bytes: &[u8] = b"From: a@x\r\n\r\n\xff\x00binary";
            let first = insert(db, "no sender", bytes, at(0)).unwrap();
            let second = insert(db, "too big", b"other", at(1)).unwrap();
            let third = insert(db, "no sender again", bytes, at(2)).unwrap();
            let before = find_identical(db, bytes).unwrap().map(|h| h.id);
            let n = testing::new_case(db, "x", at(0));
            release(db, first, Some(n), at(3)).unwrap();
            release(db, third, None, at(4)).unwrap();
            let after = find_identical(db, bytes).unwrap();
            set_reason(db, second, "still too big").unwrap();
            let dropped = [
                drop_held(db, second, at(5)).unwrap(),
                drop_held(db, second, at(6)).unwrap(),
            ];
            let fourth = insert(db, "later", b"x", at(7)).unwrap();
            format!(
                "{first} {second} {third} {fourth} {before:?} {after:?} {dropped:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{}",
                get(db, first).unwrap(),
                get(db, 99).unwrap(),
                raw(db, first).unwrap().as_deref() == Some(bytes),
                raw(db, 99).unwrap(),
                list(db, false).unwrap(),
                list(db, true).unwrap(),
                count(db).unwrap(),
            )
        });
    }
}
