//! messages on PostgreSQL: the same operations as `sqlite::messages`.
//!
//! A Message-ID from a sender is stored once: ingest checks for it inside
//! its write transaction, which the desk's writer lock serializes across
//! hosts, and the unique index `messages_dedup` refuses a second row even
//! to a writer that skipped the check.

use crate::domain::case::CaseNumber;
use crate::domain::case::Status;
use crate::domain::states::MessageDirection;
use crate::store::rows::{CaseAttachment, Counts, MessageMeta, NewMessage, Stored, ThreadTarget};
use crate::store::{from_ts, ts, Result};
use postgres::Row;

use super::Conn;

/// Stores a message; returns its row id.
pub fn insert(conn: &Conn, m: &NewMessage<'_>) -> Result<i64> {
    let row = conn.query_one(
        "INSERT INTO messages (case_id, direction, message_id, sender, subject, sent_at, received_at,
            auto_reason, size, raw)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        &[
            &m.case_id,
            &m.direction.as_str(),
            &m.message_id,
            &m.sender,
            &m.subject,
            &m.sent_at.map(ts),
            &ts(m.received_at),
            &m.auto_reason,
            &(m.raw.len() as i64),
            &m.raw,
        ],
    )?;
    Ok(row.try_get(0)?)
}

/// Links a stored message (and its attachments) to a case.
pub fn set_case(conn: &Conn, message: i64, case: CaseNumber) -> Result<()> {
    conn.execute(
        "UPDATE messages SET case_id = $2 WHERE id = $1",
        &[&message, &case],
    )?;
    conn.execute(
        "UPDATE attachments SET case_id = $2 WHERE message = $1",
        &[&message, &case],
    )?;
    Ok(())
}

fn stored(r: &Row) -> Result<Stored> {
    Ok(Stored {
        id: r.try_get(0)?,
        case_id: r.try_get(1)?,
    })
}

/// The inbound message with this Message-ID from this sender, if stored.
pub fn find_duplicate(conn: &Conn, message_id: &str, sender: &str) -> Result<Option<Stored>> {
    conn.query_opt(
        "SELECT id, case_id FROM messages WHERE message_id = $1 AND sender = $2",
        &[&message_id, &sender],
    )?
    .as_ref()
    .map(stored)
    .transpose()
}

/// An inbound message without a Message-ID whose bytes are exactly `raw`.
pub fn find_identical(conn: &Conn, raw: &[u8]) -> Result<Option<Stored>> {
    conn.query_opt(
        "SELECT id, case_id FROM messages WHERE message_id IS NULL AND size = $1 AND raw = $2
         ORDER BY id LIMIT 1",
        &[&(raw.len() as i64), &raw],
    )?
    .as_ref()
    .map(stored)
    .transpose()
}

/// The case of the first of `ids` that names a stored message (inbound or
/// outbound) or a message in the outbox; with the id that matched.
pub fn case_of_message_ids(conn: &Conn, ids: &[String]) -> Result<Option<(CaseNumber, String)>> {
    for id in ids {
        if let Some(r) = conn.query_opt(
            "SELECT case_id FROM messages WHERE message_id = $1 AND case_id IS NOT NULL
             ORDER BY id LIMIT 1",
            &[id],
        )? {
            return Ok(Some((r.try_get(0)?, id.clone())));
        }
        let bracketed = format!("<{id}>");
        if let Some(r) = conn.query_opt(
            "SELECT case_id FROM outbox WHERE message_id IN ($1, $2) AND case_id IS NOT NULL LIMIT 1",
            &[id, &bracketed],
        )? {
            return Ok(Some((r.try_get(0)?, id.clone())));
        }
    }
    Ok(None)
}

/// Records one attachment of a stored message.
pub fn add_attachment(
    conn: &Conn,
    message: i64,
    case: Option<CaseNumber>,
    part_index: usize,
    name: &str,
    content_type: &str,
    size: usize,
) -> Result<()> {
    conn.execute(
        "INSERT INTO attachments (message, case_id, part_index, name, content_type, size)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &message,
            &case,
            &(part_index as i64),
            &name,
            &content_type,
            &(size as i64),
        ],
    )?;
    Ok(())
}

/// The attachments of a case, in the order they arrived.
pub fn attachments(conn: &Conn, case: CaseNumber) -> Result<Vec<CaseAttachment>> {
    let rows = conn.query(
        "SELECT name, content_type, size, message, part_index FROM attachments WHERE case_id = $1 ORDER BY id",
        &[&case],
    )?;
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(CaseAttachment {
                number: i + 1,
                name: r.try_get(0)?,
                content_type: r.try_get(1)?,
                size: r.try_get(2)?,
                message: r.try_get(3)?,
                part_index: r.try_get::<_, i64>(4)? as usize,
            })
        })
        .collect()
}

/// The raw bytes of a stored message.
pub fn raw(conn: &Conn, message: i64) -> Result<Option<Vec<u8>>> {
    match conn.query_opt("SELECT raw FROM messages WHERE id = $1", &[&message])? {
        Some(r) => Ok(Some(r.try_get(0)?)),
        None => Ok(None),
    }
}

pub fn counts(conn: &Conn) -> Result<Counts> {
    let r = conn.query_one(
        "SELECT count(*), count(auto_reason), count(case_id) FROM messages WHERE direction = 'in'",
        &[],
    )?;
    Ok(Counts {
        inbound: r.try_get(0)?,
        auto: r.try_get(1)?,
        with_case: r.try_get(2)?,
    })
}

// ---------------------------------------------------------------------------
// Case updates caused by inbound mail.

pub fn thread_target(conn: &Conn, case: CaseNumber) -> Result<Option<ThreadTarget>> {
    let Some(r) = conn.query_opt(
        "SELECT id, status, contact_email, closed_at, owner FROM cases WHERE id = $1",
        &[&case],
    )?
    else {
        return Ok(None);
    };
    Ok(Some(ThreadTarget {
        number: r.try_get(0)?,
        // As SQLite's twin reads it: an unknown status threads as In Progress.
        status: r
            .try_get::<_, String>(1)?
            .parse()
            .unwrap_or(Status::InProgress),
        contact_email: r.try_get(2)?,
        closed_at: r.try_get::<_, Option<i64>>(3)?.map(from_ts),
        owner: r.try_get(4)?,
    }))
}

pub fn messages(conn: &Conn, case: CaseNumber) -> Result<Vec<MessageMeta>> {
    let rows = conn.query(
        "SELECT m.direction, m.message_id, m.sender, o.recipient, m.subject, m.sent_at, m.received_at,
                m.auto_reason, m.size
         FROM messages m LEFT JOIN outbox o ON m.direction = 'out' AND o.message_id = m.message_id
         WHERE m.case_id = $1 ORDER BY m.received_at, m.id",
        &[&case],
    )?;
    rows.iter()
        .map(|r| {
            Ok(MessageMeta {
                direction: super::state(r, 0, MessageDirection::parse_stored)?,
                message_id: r.try_get(1)?,
                sender: r.try_get(2)?,
                to: r.try_get(3)?,
                subject: r.try_get(4)?,
                sent_at: r.try_get::<_, Option<i64>>(5)?.map(from_ts),
                received_at: from_ts(r.try_get(6)?),
                auto_reason: r.try_get(7)?,
                size: r.try_get(8)?,
            })
        })
        .collect()
}
