//! Queries of the daily views and the owner report: open-case numbers for a
//! refresh, and the once-a-day bookkeeping of `report --send`.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{from_ts, ts, Result};

/// The numbers of every open case, lowest first (for `due --refresh`).
pub fn open_case_numbers(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM cases WHERE closed_at IS NULL ORDER BY id")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The first-contact and next-contact due times stored for a case.
pub fn due_times(
    conn: &Connection,
    case: i64,
) -> Result<Option<(Option<DateTime<Utc>>, Option<DateTime<Utc>>)>> {
    Ok(conn
        .query_row(
            "SELECT first_contact_due, next_due FROM cases WHERE id = ?1",
            [case],
            |r| {
                Ok((
                    r.get::<_, Option<i64>>(0)?.map(from_ts),
                    r.get::<_, Option<i64>>(1)?.map(from_ts),
                ))
            },
        )
        .optional()?)
}

/// When the owner report was mailed on `day` (`YYYY-MM-DD` in the business time zone), if it was.
pub fn report_sent_on(conn: &Connection, day: &str) -> Result<Option<DateTime<Utc>>> {
    Ok(conn
        .query_row(
            "SELECT sent_at FROM report_sends WHERE day = ?1",
            [day],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .map(from_ts))
}

/// Records that the owner report was mailed on `day` (a forced resend moves the time).
pub fn record_report_send(conn: &Connection, day: &str, at: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "INSERT INTO report_sends (day, sent_at) VALUES (?1, ?2)
         ON CONFLICT (day) DO UPDATE SET sent_at = excluded.sent_at",
        params![day, ts(at)],
    )?;
    Ok(())
}

/// Every day the report was mailed, newest first.
pub fn report_sends(conn: &Connection) -> Result<Vec<(String, DateTime<Utc>)>> {
    let mut stmt = conn.prepare("SELECT day, sent_at FROM report_sends ORDER BY day DESC")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, from_ts(r.get(1)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
