//! The outbox and the outbound side of `messages` on PostgreSQL: the same
//! operations as `sqlite::outbox`.
//!
//! Delivery is claimed by moving `next_attempt_at` past the lease, as on
//! SQLite. Several hosts may flush one desk: the claim locks the rows it
//! picks (`FOR UPDATE SKIP LOCKED`), so a flush never waits for another
//! one's rows nor claims them, and a row another flush claimed and
//! committed meanwhile is checked again and no longer due.

use crate::domain::case::CaseNumber;
use crate::domain::states::{OutboxKind, OutboxStatus};
use crate::store::rows::{Claimed, NewOutgoing, OutboundMessage, OutboxEntry, OutboxFilter};
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};
use postgres::types::ToSql;
use postgres::Row;

use super::Conn;

const COLUMNS: &str = "id, status, kind, case_id, recipient, subject, attempts, next_attempt_at,
    last_error, created_at, sent_at, message_id";

fn entry_from_row(r: &Row) -> Result<OutboxEntry> {
    let status = super::state(r, 1, OutboxStatus::parse_stored)?;
    let next: i64 = r.try_get(7)?;
    Ok(OutboxEntry {
        // A due time only means something while the message waits.
        next_attempt_at: (status == OutboxStatus::Queued).then(|| from_ts(next)),
        id: r.try_get(0)?,
        status,
        kind: super::state(r, 2, OutboxKind::parse_stored)?,
        case: r.try_get(3)?,
        recipient: r.try_get(4)?,
        subject: r.try_get(5)?,
        attempts: r.try_get(6)?,
        last_error: r.try_get(8)?,
        created_at: from_ts(r.try_get(9)?),
        sent_at: r.try_get::<_, Option<i64>>(10)?.map(from_ts),
        message_id: r.try_get(11)?,
    })
}

/// Stores one outgoing message; returns its outbox id.
pub fn insert(conn: &Conn, m: &NewOutgoing<'_>) -> Result<i64> {
    Ok(conn
        .query_one(
            "INSERT INTO outbox (case_id, kind, recipient, subject, message_id, raw, status, last_error,
                next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
            &[
                &m.case,
                &m.kind.as_str(),
                &m.recipient,
                &m.subject,
                &m.message_id,
                &m.raw,
                &m.status.as_str(),
                &m.last_error,
                &ts(m.at),
            ],
        )?
        .try_get(0)?)
}

/// How many messages to `recipient` were queued or sent since `since` (dropped ones do not count).
pub fn count_to_since(conn: &Conn, recipient: &str, since: DateTime<Utc>) -> Result<i64> {
    Ok(conn
        .query_one(
            "SELECT count(*) FROM outbox
             WHERE lower(recipient) = lower($1) AND created_at > $2 AND status <> 'dropped'",
            &[&recipient, &ts(since)],
        )?
        .try_get(0)?)
}

pub fn list(conn: &Conn, f: &OutboxFilter) -> Result<Vec<OutboxEntry>> {
    let mut sql = format!("SELECT {COLUMNS} FROM outbox WHERE 1 = 1");
    let mut values: Vec<Box<dyn ToSql + Sync>> = Vec::new();
    if !f.statuses.is_empty() {
        let statuses: Vec<String> = f.statuses.iter().map(|s| s.as_str().to_string()).collect();
        values.push(Box::new(statuses));
        sql.push_str(&format!(" AND status = ANY(${})", values.len()));
    }
    if let Some(c) = f.case {
        values.push(Box::new(c));
        sql.push_str(&format!(" AND case_id = ${}", values.len()));
    }
    sql.push_str(" ORDER BY id");
    let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|b| b.as_ref()).collect();
    conn.query(&sql, &refs)?
        .iter()
        .map(entry_from_row)
        .collect()
}

pub fn get(conn: &Conn, id: i64) -> Result<Option<OutboxEntry>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM outbox WHERE id = $1"),
        &[&id],
    )?
    .map(|r| entry_from_row(&r))
    .transpose()
}

/// The stored bytes of outbox message `id`.
pub fn raw(conn: &Conn, id: i64) -> Result<Option<Vec<u8>>> {
    conn.query_opt("SELECT raw FROM outbox WHERE id = $1", &[&id])?
        .map(|r| Ok(r.try_get(0)?))
        .transpose()
}

/// Claims queued messages due at `now` (only those with the given Message-IDs when
/// `only` is set): counts the attempt and moves `next_attempt_at` to `lease_until`, so
/// nobody else claims them while they are being delivered. Rows another
/// transaction holds are skipped, not waited for.
pub fn claim_due(
    conn: &Conn,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    only: Option<&[String]>,
    limit: usize,
) -> Result<Vec<Claimed>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut sql = String::from(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2
         WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $1",
    );
    let mut values: Vec<Box<dyn ToSql + Sync>> = vec![
        Box::new(ts(now)),
        Box::new(ts(lease_until)),
        Box::new(limit),
    ];
    if let Some(ids) = only {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        values.push(Box::new(ids.to_vec()));
        sql.push_str(&format!(" AND message_id = ANY(${})", values.len()));
    }
    sql.push_str(
        " ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING id, recipient, message_id, raw, attempts, created_at",
    );
    let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|b| b.as_ref()).collect();
    let mut claimed: Vec<Claimed> = conn
        .query(&sql, &refs)?
        .iter()
        .map(|r| {
            Ok(Claimed {
                id: r.try_get(0)?,
                recipient: r.try_get(1)?,
                message_id: r.try_get(2)?,
                raw: r.try_get(3)?,
                attempts: r.try_get(4)?,
                created_at: from_ts(r.try_get(5)?),
            })
        })
        .collect::<Result<_>>()?;
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

/// Records a delivery.
pub fn mark_sent(conn: &Conn, id: i64, at: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'sent', sent_at = $2, last_error = NULL WHERE id = $1",
        &[&id, &ts(at)],
    )?;
    Ok(())
}

/// Records a failed attempt that a later flush retries at `next`.
pub fn mark_retry(conn: &Conn, id: i64, error: &str, next: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET last_error = $2, next_attempt_at = $3 WHERE id = $1 AND status = 'queued'",
        &[&id, &error, &ts(next)],
    )?;
    Ok(())
}

/// Ends a message with `status` (`failed` or `dropped`) and why.
pub fn mark_final(conn: &Conn, id: i64, status: OutboxStatus, reason: &str) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET status = $2, last_error = $3 WHERE id = $1",
        &[&id, &status.as_str(), &reason],
    )?;
    Ok(())
}

/// Puts a failed or dropped message back in the queue, due at `now`; false when it was not failed or dropped.
pub fn requeue(conn: &Conn, id: i64, now: DateTime<Utc>) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE outbox SET status = 'queued', next_attempt_at = $2
         WHERE id = $1 AND status IN ('failed', 'dropped')",
        &[&id, &ts(now)],
    )? == 1)
}

pub fn add_outbound_message(conn: &Conn, m: &OutboundMessage<'_>) -> Result<i64> {
    Ok(conn
        .query_one(
            "INSERT INTO messages (case_id, direction, message_id, sender, subject, sent_at, received_at, size, raw)
             VALUES ($1, 'out', $2, lower($3), $4, $5, $5, $6, $7) RETURNING id",
            &[
                &m.case,
                &m.message_id,
                &m.sender,
                &m.subject,
                &ts(m.at),
                &(m.raw.len() as i64),
                &m.raw,
            ],
        )?
        .try_get(0)?)
}

/// The Message-ID of the newest inbound message on `case` (from `sender` when given).
pub fn last_inbound_message_id(
    conn: &Conn,
    case: CaseNumber,
    sender: Option<&str>,
) -> Result<Option<String>> {
    conn.query_opt(
        "SELECT message_id FROM messages
         WHERE case_id = $1 AND direction = 'in' AND message_id IS NOT NULL
           AND ($2::text IS NULL OR lower(sender) = lower($2::text))
         ORDER BY received_at DESC, id DESC LIMIT 1",
        &[&case, &sender],
    )?
    .map(|r| Ok(r.try_get(0)?))
    .transpose()
}

/// The first inbound message of `case`: its Message-ID and why it was judged auto-generated, if it was.
pub fn first_inbound(
    conn: &Conn,
    case: CaseNumber,
) -> Result<Option<(Option<String>, Option<String>)>> {
    conn.query_opt(
        "SELECT message_id, auto_reason FROM messages
         WHERE case_id = $1 AND direction = 'in' ORDER BY received_at, id LIMIT 1",
        &[&case],
    )?
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .transpose()
}
