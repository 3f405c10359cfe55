//! The outbox (every outgoing message, stored before it is delivered) and the
//! outbound side of `messages`.
//!
//! Delivery is claimed by marking the row `sending` and moving
//! `next_attempt_at` past the lease in a short write transaction: a second
//! `outbox flush` running at the same time cannot claim the same row, the write
//! lock is never held while a message is on the wire, and a row still `sending`
//! after its lease tells a later flush that a run died mid-delivery.

use crate::domain::case::CaseNumber;
use crate::domain::states::{OutboxKind, OutboxStatus};
use crate::store::rows::{Claimed, NewOutgoing, OutboundMessage, OutboxEntry, OutboxFilter};
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

const COLUMNS: &str = "id, status, kind, case_id, recipient, subject, attempts, next_attempt_at,
    last_error, created_at, sent_at, message_id";

fn entry_from_row(r: &Row<'_>) -> rusqlite::Result<OutboxEntry> {
    let status = super::state(r, 1, OutboxStatus::parse_stored)?;
    let next: i64 = r.get("next_attempt_at")?;
    Ok(OutboxEntry {
        // A due time only means something while the message waits.
        // A message being sent is due again when its lease ends.
        next_attempt_at: matches!(status, OutboxStatus::Queued | OutboxStatus::Sending)
            .then(|| from_ts(next)),
        id: r.get("id")?,
        status,
        kind: super::state(r, 2, OutboxKind::parse_stored)?,
        case: r.get("case_id")?,
        recipient: r.get("recipient")?,
        subject: r.get("subject")?,
        attempts: r.get("attempts")?,
        last_error: r.get("last_error")?,
        created_at: from_ts(r.get("created_at")?),
        sent_at: r.get::<_, Option<i64>>("sent_at")?.map(from_ts),
        message_id: r.get("message_id")?,
    })
}

/// Stores one outgoing message; returns its outbox id.
pub fn insert(conn: &Connection, m: &NewOutgoing<'_>) -> Result<i64> {
    // The id from the connection, not RETURNING (see cases::insert).
    Ok(conn
        .prepare_cached(
            "INSERT INTO outbox (case_id, kind, recipient, subject, message_id, raw, status, last_error,
            next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        )?
        .insert(params![
            m.case,
            m.kind.as_str(),
            m.recipient,
            m.subject,
            m.message_id,
            m.raw,
            m.status.as_str(),
            m.last_error,
            ts(m.at)
        ])?)
}

/// How many messages to `recipient` were queued or sent since `since` (dropped ones do not count).
pub fn count_to_since(conn: &Connection, recipient: &str, since: DateTime<Utc>) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM outbox
         WHERE lower(recipient) = lower(?1) AND created_at > ?2 AND status <> 'dropped'",
        params![recipient, ts(since)],
        |r| r.get(0),
    )?)
}

pub fn list(conn: &Connection, f: &OutboxFilter) -> Result<Vec<OutboxEntry>> {
    let mut sql = format!("SELECT {COLUMNS} FROM outbox WHERE 1 = 1");
    let mut values: Vec<rusqlite::types::Value> = Vec::new();
    if !f.statuses.is_empty() {
        let marks: Vec<String> = f
            .statuses
            .iter()
            .map(|s| {
                values.push(s.as_str().to_string().into());
                format!("?{}", values.len())
            })
            .collect();
        sql.push_str(&format!(" AND status IN ({})", marks.join(", ")));
    }
    if let Some(c) = f.case {
        values.push(c.get().into());
        sql.push_str(&format!(" AND case_id = ?{}", values.len()));
    }
    sql.push_str(" ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), entry_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<OutboxEntry>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
            [id],
            entry_from_row,
        )
        .optional()?)
}

/// The stored bytes of outbox message `id`.
pub fn raw(conn: &Connection, id: i64) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT raw FROM outbox WHERE id = ?1", [id], |r| r.get(0))
        .optional()?)
}

/// Claims queued messages due at `now` (only those with the given Message-IDs when
/// `only` is set): marks them `sending`, counts the attempt, records when it began
/// (`handed_off_at`) and moves `next_attempt_at` to `lease_until`, so nobody else
/// claims them while they are being delivered. A `sending` message whose lease ran
/// out is claimed again as `interrupted`. Run it inside a write transaction.
pub fn claim_due(
    conn: &Connection,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    only: Option<&[String]>,
    limit: usize,
) -> Result<Vec<Claimed>> {
    let mut sql = String::from(
        "SELECT id, status = 'sending' FROM outbox
         WHERE status IN ('queued', 'sending') AND next_attempt_at <= ?1",
    );
    let mut values: Vec<rusqlite::types::Value> = vec![ts(now).into()];
    if let Some(ids) = only {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = ids
            .iter()
            .map(|id| {
                values.push(id.clone().into());
                format!("?{}", values.len())
            })
            .collect();
        sql.push_str(&format!(" AND message_id IN ({})", marks.join(", ")));
    }
    sql.push_str(&format!(" ORDER BY next_attempt_at, id LIMIT {limit}"));
    let due: Vec<(i64, bool)> = conn
        .prepare(&sql)?
        .query_map(rusqlite::params_from_iter(values), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut claim = conn.prepare(
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, handed_off_at = ?2,
             next_attempt_at = ?3
         WHERE id = ?1
         RETURNING id, recipient, message_id, raw, attempts, created_at",
    )?;
    let mut claimed = Vec::with_capacity(due.len());
    for (id, interrupted) in due {
        claimed.push(claim.query_row(params![id, ts(now), ts(lease_until)], |r| {
            Ok(Claimed {
                id: r.get(0)?,
                recipient: r.get(1)?,
                message_id: r.get(2)?,
                raw: r.get(3)?,
                attempts: r.get(4)?,
                created_at: from_ts(r.get(5)?),
                interrupted,
            })
        })?);
    }
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

/// Records a delivery.
pub fn mark_sent(conn: &Connection, id: i64, at: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'sent', sent_at = ?2, last_error = NULL WHERE id = ?1",
        params![id, ts(at)],
    )?;
    Ok(())
}

/// Records a failed attempt that a later flush retries at `next`.
pub fn mark_retry(conn: &Connection, id: i64, error: &str, next: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'queued', last_error = ?2, next_attempt_at = ?3
         WHERE id = ?1 AND status IN ('queued', 'sending')",
        params![id, error, ts(next)],
    )?;
    Ok(())
}

/// Ends a message with `status` (`failed` or `dropped`) and why.
pub fn mark_final(conn: &Connection, id: i64, status: OutboxStatus, reason: &str) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET status = ?2, last_error = ?3 WHERE id = ?1",
        params![id, status.as_str(), reason],
    )?;
    Ok(())
}

/// Puts a failed or dropped message back in the queue, due at `now`; false when it was not failed or dropped.
pub fn requeue(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE outbox SET status = 'queued', next_attempt_at = ?2
         WHERE id = ?1 AND status IN ('failed', 'dropped')",
        params![id, ts(now)],
    )? == 1)
}

pub fn add_outbound_message(conn: &Connection, m: &OutboundMessage<'_>) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO messages (case_id, direction, message_id, sender, subject, sent_at, received_at, size, raw)
         VALUES (?1, 'out', ?2, lower(?3), ?4, ?5, ?5, ?6, ?7)",
        )?
        .insert(params![
            m.case,
            m.message_id,
            m.sender,
            m.subject,
            ts(m.at),
            m.raw.len() as i64,
            m.raw
        ])?)
}

/// The Message-ID of the newest inbound message on `case` (from `sender` when given).
pub fn last_inbound_message_id(
    conn: &Connection,
    case: CaseNumber,
    sender: Option<&str>,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT message_id FROM messages
             WHERE case_id = ?1 AND direction = 'in' AND message_id IS NOT NULL
               AND (?2 IS NULL OR lower(sender) = lower(?2))
             ORDER BY received_at DESC, id DESC LIMIT 1",
            params![case, sender],
            |r| r.get(0),
        )
        .optional()?)
}

/// The first inbound message of `case`: its Message-ID and why it was judged auto-generated, if it was.
pub fn first_inbound(
    conn: &Connection,
    case: CaseNumber,
) -> Result<Option<(Option<String>, Option<String>)>> {
    Ok(conn
        .query_row(
            "SELECT message_id, auto_reason FROM messages
             WHERE case_id = ?1 AND direction = 'in' ORDER BY received_at, id LIMIT 1",
            [case],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::store::Store;

    fn at(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap() + chrono::Duration::minutes(min)
    }

    fn queue(conn: &Connection, id: &str) -> i64 {
        insert(
            conn,
            &NewOutgoing {
                case: None,
                kind: OutboxKind::Report,
                recipient: "a@b.example",
                subject: "s",
                message_id: id,
                raw: b"raw",
                status: OutboxStatus::Queued,
                last_error: None,
                at: at(0),
            },
        )
        .unwrap()
    }

    #[test]
    fn a_claimed_message_cannot_be_claimed_again_until_its_lease_ends() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.sqlite_connection();
        let first = queue(conn, "m1@x");
        queue(conn, "m2@x");
        let claimed = claim_due(conn, at(0), at(10), Some(&["m1@x".to_string()]), 10).unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!((claimed[0].id, claimed[0].attempts), (first, 1));
        // A concurrent flush sees only the other one.
        let other = claim_due(conn, at(0), at(10), None, 10).unwrap();
        assert_eq!(other.len(), 1);
        assert_eq!(other[0].message_id, "m2@x");
        assert!(claim_due(conn, at(5), at(15), None, 10).unwrap().is_empty());
        // While on the wire the row says so.
        let e = get(conn, first).unwrap().unwrap();
        assert_eq!(
            (e.status, e.next_attempt_at),
            (OutboxStatus::Sending, Some(at(10)))
        );
        assert!(!claimed[0].interrupted);
        // A crashed delivery is claimed again once the lease is over, marked as interrupted.
        let again = claim_due(conn, at(10), at(20), None, 10).unwrap();
        assert_eq!(again.len(), 2);
        assert!(again.iter().all(|c| c.interrupted && c.attempts == 2));
    }

    #[test]
    fn results_are_recorded() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.sqlite_connection();
        let id = queue(conn, "m1@x");
        claim_due(conn, at(0), at(10), None, 10).unwrap();
        mark_retry(conn, id, "refused", at(1)).unwrap();
        let e = get(conn, id).unwrap().unwrap();
        assert_eq!(e.status, OutboxStatus::Queued);
        assert_eq!(e.last_error.as_deref(), Some("refused"));
        assert_eq!(e.next_attempt_at, Some(at(1)));
        mark_sent(conn, id, at(2)).unwrap();
        let e = get(conn, id).unwrap().unwrap();
        assert_eq!(
            (e.status.as_str(), e.sent_at, e.next_attempt_at),
            ("sent", Some(at(2)), None)
        );
        assert!(!requeue(conn, id, at(3)).unwrap());
        assert_eq!(count_to_since(conn, "A@B.example", at(-1)).unwrap(), 1);
    }
}
