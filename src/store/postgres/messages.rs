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
    // Digests compared on the server: the bytes are sent once, by the insert.
    let digest = openssl::sha::sha256(raw);
    conn.query_opt(
        "SELECT id, case_id FROM messages WHERE message_id IS NULL AND size = $1 AND sha256(raw) = $2
         ORDER BY id LIMIT 1",
        &[&(raw.len() as i64), &digest.as_slice()],
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::postgres::test_server;
    use crate::store::StoreError;
    use std::sync::{Arc, Barrier};
    use std::time::Duration;

    /// A fresh desk database's URL on the test server, or `None` when there
    /// is no server and CASEBOOK_SKIP_REAL says to skip.
    fn desk_url() -> Option<String> {
        match test_server::server() {
            Ok(s) => Some(s.desk_database()),
            Err(e) => {
                assert!(
                    std::env::var_os("CASEBOOK_SKIP_REAL").is_some(),
                    "{e}\n(set CASEBOOK_SKIP_REAL=1 to skip)"
                );
                None
            }
        }
    }

    fn connect(url: &str) -> Conn {
        Conn::open(url, Duration::from_secs(10), false).unwrap()
    }

    fn inbound<'a>(message_id: Option<&'a str>, raw: &'a [u8]) -> NewMessage<'a> {
        NewMessage {
            case_id: None,
            direction: MessageDirection::In,
            message_id,
            sender: "pat@customer.example",
            subject: "Fax line",
            sent_at: Some(from_ts(90)),
            received_at: from_ts(100),
            auto_reason: None,
            raw,
        }
    }

    fn message_rows(conn: &Conn) -> i64 {
        conn.query_one("SELECT count(*) FROM messages", &[])
            .unwrap()
            .try_get(0)
            .unwrap()
    }

    /// Two hosts deliver the same message at once: each checks for it and
    /// stores it inside its write transaction, as ingest does; the writer
    /// lock makes the second see the first's row, so it is stored once.
    #[test]
    fn the_same_message_on_two_connections_at_once_is_stored_once() {
        let Some(url) = desk_url() else { return };
        let barrier = Arc::new(Barrier::new(2));
        let hosts: Vec<_> = (0..2)
            .map(|_| {
                let (url, barrier) = (url.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let conn = connect(&url);
                    barrier.wait();
                    conn.begin().unwrap();
                    let m = inbound(Some("abc@mail.example"), b"raw");
                    let stored = match find_duplicate(&conn, "abc@mail.example", m.sender).unwrap()
                    {
                        Some(_) => false,
                        None => {
                            insert(&conn, &m).unwrap();
                            true
                        }
                    };
                    conn.commit().unwrap();
                    stored
                })
            })
            .collect();
        let stored: Vec<bool> = hosts.into_iter().map(|h| h.join().unwrap()).collect();
        assert_eq!(stored.iter().filter(|s| **s).count(), 1, "{stored:?}");
        assert_eq!(message_rows(&connect(&url)), 1);
    }

    /// Even a writer that skips the check cannot store a Message-ID from a
    /// sender twice: `messages_dedup` refuses it, as a permanent error.
    /// Other senders, and messages without an id, are not duplicates.
    #[test]
    fn messages_dedup_refuses_a_second_row_from_another_connection() {
        let Some(url) = desk_url() else { return };
        let (a, b) = (connect(&url), connect(&url));
        insert(&a, &inbound(Some("abc@mail.example"), b"one")).unwrap();
        let err = insert(&b, &inbound(Some("abc@mail.example"), b"two")).unwrap_err();
        match &err {
            StoreError::Postgres(e) => {
                let db = e.as_db_error().expect("a server error");
                assert_eq!(db.constraint(), Some("messages_dedup"), "{e}");
            }
            other => panic!("not a constraint error: {other:?}"),
        }
        assert!(!err.is_temporary(), "a retry cannot fix a duplicate");
        let mut other_sender = inbound(Some("abc@mail.example"), b"three");
        other_sender.sender = "someone@else.example";
        insert(&b, &other_sender).unwrap();
        insert(&b, &inbound(None, b"four")).unwrap();
        insert(&b, &inbound(None, b"four")).unwrap();
        assert_eq!(message_rows(&a), 4);
    }

    #[test]
    fn messages_attachments_and_threading_read_back_as_on_sqlite() {
        let Some(url) = desk_url() else { return };
        let conn = connect(&url);
        let case = super::super::cases::insert(
            &conn,
            &crate::domain::case::NewCase::new("Fax", from_ts(50)),
        )
        .unwrap();
        // Raw bytes come back byte for byte, NUL and invalid UTF-8 too.
        let bytes: &[u8] = b"Subject: x\r\n\r\n\0\xff\xfe";
        let with_id = insert(&conn, &inbound(Some("abc@mail.example"), b"raw")).unwrap();
        let without_id = insert(&conn, &inbound(None, bytes)).unwrap();
        assert_eq!(raw(&conn, without_id).unwrap().as_deref(), Some(bytes));
        assert_eq!(raw(&conn, 999).unwrap(), None);
        assert_eq!(
            find_identical(&conn, bytes).unwrap(),
            Some(Stored {
                id: without_id,
                case_id: None
            })
        );
        assert_eq!(find_identical(&conn, b"raw").unwrap(), None);
        add_attachment(&conn, with_id, None, 2, "a.pdf", "application/pdf", 10).unwrap();
        add_attachment(&conn, with_id, None, 3, "b.png", "image/png", 20).unwrap();
        set_case(&conn, with_id, case).unwrap();
        assert_eq!(
            find_duplicate(&conn, "abc@mail.example", "pat@customer.example").unwrap(),
            Some(Stored {
                id: with_id,
                case_id: Some(case)
            })
        );
        let listed = attachments(&conn, case).unwrap();
        let listed: Vec<_> = listed
            .iter()
            .map(|a| (a.number, a.name.as_str(), a.part_index, a.size))
            .collect();
        assert_eq!(listed, [(1, "a.pdf", 2, 10), (2, "b.png", 3, 20)]);
        let c = counts(&conn).unwrap();
        assert_eq!((c.inbound, c.auto, c.with_case), (2, 0, 1));

        // An outbound reply, kept and in the outbox (bracketed there).
        conn.execute(
            "INSERT INTO outbox (case_id, kind, recipient, subject, message_id, raw, next_attempt_at, created_at)
             VALUES ($1, 'reply', 'pat@customer.example', 'Re: Fax', '<out1@desk.example>', '\\x00', 0, 0)",
            &[&case],
        )
        .unwrap();
        let mut out = inbound(Some("<out1@desk.example>"), b"out");
        out.direction = MessageDirection::Out;
        out.case_id = Some(case);
        out.received_at = from_ts(40);
        insert(&conn, &out).unwrap();
        let metas = messages(&conn, case).unwrap();
        let metas: Vec<_> = metas
            .iter()
            .map(|m| (m.direction, m.to.as_deref(), m.received_at))
            .collect();
        assert_eq!(
            metas,
            [
                (
                    MessageDirection::Out,
                    Some("pat@customer.example"),
                    from_ts(40)
                ),
                (MessageDirection::In, None, from_ts(100)),
            ]
        );
        let ids = ["nope@x".to_string(), "out1@desk.example".to_string()];
        assert_eq!(
            case_of_message_ids(&conn, &ids).unwrap(),
            Some((case, "out1@desk.example".to_string()))
        );
        assert_eq!(
            case_of_message_ids(&conn, &["abc@mail.example".to_string()]).unwrap(),
            Some((case, "abc@mail.example".to_string()))
        );
        let t = thread_target(&conn, case).unwrap().unwrap();
        assert_eq!((t.number, t.status, t.closed_at), (case, Status::New, None));
    }
}
