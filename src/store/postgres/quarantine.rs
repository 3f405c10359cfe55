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

/// Holds a message; returns its quarantine number. The bytes are streamed
/// to the server (`COPY`, in pieces) rather than bound: a bound bytea is
/// copied whole into the request, and held messages are the largest.
pub fn insert(conn: &Conn, reason: &str, raw: &[u8], at: DateTime<Utc>) -> Result<i64> {
    let id: i64 = conn
        .query_one(
            "SELECT nextval(pg_get_serial_sequence('quarantine', 'id'))",
            &[],
        )?
        .try_get(0)?;
    conn.copy_in(
        "COPY quarantine (id, reason, size, received_at, raw) FROM STDIN",
        |w| {
            let head = format!(
                "{id}\t{}\t{}\t{}\t\\\\x",
                copy_text(reason),
                raw.len(),
                ts(at)
            );
            w.write_all(head.as_bytes())?;
            let mut hex = Vec::with_capacity(2 * COPY_CHUNK);
            for piece in raw.chunks(COPY_CHUNK) {
                hex.clear();
                for b in piece {
                    hex.push(HEX[usize::from(b >> 4)]);
                    hex.push(HEX[usize::from(b & 15)]);
                }
                w.write_all(&hex)?;
            }
            w.write_all(b"\n")
        },
    )?;
    Ok(id)
}

/// The piece of a held message sent at a time.
const COPY_CHUNK: usize = 64 * 1024;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// `s` as a field of COPY's text format.
fn copy_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// A held message with exactly these bytes (a re-delivery). The server
/// compares digests: the bytes are sent once, by the insert, not twice.
pub fn find_identical(conn: &Conn, raw: &[u8]) -> Result<Option<Held>> {
    let digest = openssl::sha::sha256(raw);
    conn.query_opt(
        &format!(
            "SELECT {COLUMNS} FROM quarantine WHERE status = 'held' AND size = $1 AND sha256(raw) = $2 ORDER BY id LIMIT 1"
        ),
        &[&(raw.len() as i64), &digest.as_slice()],
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
