//! Raw email kept byte for byte, its attachments, and the case updates that
//! inbound mail causes.

use crate::domain::case::CaseNumber;
use crate::domain::case::Status;
use crate::domain::states::MessageDirection;
use crate::store::rows::{CaseAttachment, Counts, MessageMeta, NewMessage, Stored, ThreadTarget};
use crate::store::{from_ts, ts, Result};
use rusqlite::{params, Connection, OptionalExtension};

/// Stores a message; returns its row id. The raw bytes of a large message
/// are written into the row in pieces (`blob`): it is not copied whole.
pub fn insert(conn: &Connection, m: &NewMessage<'_>) -> Result<i64> {
    super::blob::insert_with(conn, "messages", "raw", m.raw, |bound| {
        Ok(conn
            .prepare_cached(
                "INSERT INTO messages (case_id, direction, message_id, sender, subject, sent_at, received_at,
                    auto_reason, size, raw)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, coalesce(?10, zeroblob(?9)))",
            )?
            // The id from the connection, not RETURNING (see cases::insert).
            .insert(params![
                    m.case_id,
                    m.direction.as_str(),
                    m.message_id,
                    m.sender,
                    m.subject,
                    m.sent_at.map(ts),
                    ts(m.received_at),
                    m.auto_reason,
                m.raw.len() as i64,
                bound,
            ])?)
    })
}

/// Links a stored message (and its attachments) to a case.
pub fn set_case(conn: &Connection, message: i64, case: CaseNumber) -> Result<()> {
    conn.prepare_cached("UPDATE messages SET case_id = ?2 WHERE id = ?1")?
        .execute(params![message, case])?;
    conn.prepare_cached("UPDATE attachments SET case_id = ?2 WHERE message = ?1")?
        .execute(params![message, case])?;
    Ok(())
}

/// The inbound message with this Message-ID from this sender, if stored.
pub fn find_duplicate(conn: &Connection, message_id: &str, sender: &str) -> Result<Option<Stored>> {
    Ok(conn
        .prepare_cached("SELECT id, case_id FROM messages WHERE message_id = ?1 AND sender = ?2")?
        .query_row(params![message_id, sender], |r| {
            Ok(Stored {
                id: r.get(0)?,
                case_id: r.get(1)?,
            })
        })
        .optional()?)
}

/// An inbound message without a Message-ID whose bytes are exactly `raw`,
/// compared in pieces against the stored messages of the same size.
pub fn find_identical(conn: &Connection, raw: &[u8]) -> Result<Option<Stored>> {
    let found: Vec<Stored> = conn
        .prepare_cached(
            "SELECT id, case_id FROM messages WHERE message_id IS NULL AND size = ?1 ORDER BY id",
        )?
        .query_map([raw.len() as i64], |r| {
            Ok(Stored {
                id: r.get(0)?,
                case_id: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    for s in found {
        if super::blob::equals(conn, "messages", "raw", s.id, raw)? {
            return Ok(Some(s));
        }
    }
    Ok(None)
}

/// The case of the first of `ids` that names a stored message (inbound or
/// outbound) or a message in the outbox; with the id that matched.
pub fn case_of_message_ids(
    conn: &Connection,
    ids: &[String],
) -> Result<Option<(CaseNumber, String)>> {
    let mut stored = conn.prepare_cached(
        "SELECT case_id FROM messages WHERE message_id = ?1 AND case_id IS NOT NULL ORDER BY id LIMIT 1",
    )?;
    let mut outbox = conn.prepare_cached(
        "SELECT case_id FROM outbox WHERE message_id IN (?1, ?2) AND case_id IS NOT NULL LIMIT 1",
    )?;
    for id in ids {
        if let Some(case) = stored
            .query_row([id], |r| r.get::<_, CaseNumber>(0))
            .optional()?
        {
            return Ok(Some((case, id.clone())));
        }
        let bracketed = format!("<{id}>");
        if let Some(case) = outbox
            .query_row(params![id, bracketed], |r| r.get::<_, CaseNumber>(0))
            .optional()?
        {
            return Ok(Some((case, id.clone())));
        }
    }
    Ok(None)
}

/// Records one attachment of a stored message.
pub fn add_attachment(
    conn: &Connection,
    message: i64,
    case: Option<CaseNumber>,
    part_index: usize,
    name: &str,
    content_type: &str,
    size: usize,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO attachments (message, case_id, part_index, name, content_type, size)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        message,
        case,
        part_index as i64,
        name,
        content_type,
        size as i64
    ])?;
    Ok(())
}

/// The attachments of a case, in the order they arrived.
pub fn attachments(conn: &Connection, case: CaseNumber) -> Result<Vec<CaseAttachment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, content_type, size, message, part_index FROM attachments WHERE case_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([case], |r| {
        Ok(CaseAttachment {
            number: 0,
            name: r.get(0)?,
            content_type: r.get(1)?,
            size: r.get(2)?,
            message: r.get(3)?,
            part_index: r.get::<_, i64>(4)? as usize,
        })
    })?;
    let mut list: Vec<CaseAttachment> = rows.collect::<rusqlite::Result<_>>()?;
    for (i, a) in list.iter_mut().enumerate() {
        a.number = i + 1;
    }
    Ok(list)
}

/// The raw bytes of a stored message.
pub fn raw(conn: &Connection, message: i64) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT raw FROM messages WHERE id = ?1", [message], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn counts(conn: &Connection) -> Result<Counts> {
    Ok(conn.query_row(
        "SELECT count(*), count(auto_reason), count(case_id) FROM messages WHERE direction = 'in'",
        [],
        |r| {
            Ok(Counts {
                inbound: r.get(0)?,
                auto: r.get(1)?,
                with_case: r.get(2)?,
            })
        },
    )?)
}

// ---------------------------------------------------------------------------
// Case updates caused by inbound mail.

pub fn thread_target(conn: &Connection, case: CaseNumber) -> Result<Option<ThreadTarget>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, status, contact_email, closed_at, owner FROM cases WHERE id = ?1",
        )?
        .query_row([case], |r| {
            Ok(ThreadTarget {
                number: r.get(0)?,
                status: r.get::<_, String>(1)?.parse().unwrap_or(Status::InProgress),
                contact_email: r.get(2)?,
                closed_at: r.get::<_, Option<i64>>(3)?.map(from_ts),
                owner: r.get(4)?,
            })
        })
        .optional()?)
}

pub fn messages(conn: &Connection, case: CaseNumber) -> Result<Vec<MessageMeta>> {
    let mut stmt = conn.prepare(
        "SELECT m.direction, m.message_id, m.sender, o.recipient, m.subject, m.sent_at, m.received_at,
                m.auto_reason, m.size
         FROM messages m LEFT JOIN outbox o ON m.direction = 'out' AND o.message_id = m.message_id
         WHERE m.case_id = ?1 ORDER BY m.received_at, m.id",
    )?;
    let rows = stmt.query_map([case], |r| {
        Ok(MessageMeta {
            direction: super::state(r, 0, MessageDirection::parse_stored)?,
            message_id: r.get(1)?,
            sender: r.get(2)?,
            to: r.get(3)?,
            subject: r.get(4)?,
            sent_at: r.get::<_, Option<i64>>(5)?.map(from_ts),
            received_at: from_ts(r.get(6)?),
            auto_reason: r.get(7)?,
            size: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
