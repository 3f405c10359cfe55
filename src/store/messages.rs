//! Raw email kept byte for byte, its attachments, and the case updates that
//! inbound mail causes.

use crate::domain::case::Status;
use crate::store::Result;
use crate::store::{sqlite, Backend, Db};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One message to store.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub case_id: Option<i64>,
    /// `in` or `out`.
    pub direction: &'a str,
    /// Without angle brackets.
    pub message_id: Option<&'a str>,
    /// Lowercased address; empty when unknown.
    pub sender: &'a str,
    pub subject: &'a str,
    pub sent_at: Option<DateTime<Utc>>,
    pub received_at: DateTime<Utc>,
    pub auto_reason: Option<&'a str>,
    pub raw: &'a [u8],
}

/// A message stored before: its row and the case it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub id: i64,
    pub case_id: Option<i64>,
}

/// An attachment as listed on a case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseAttachment {
    /// 1-based position among the case's attachments.
    pub number: usize,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    #[serde(skip)]
    pub message: i64,
    #[serde(skip)]
    pub part_index: usize,
}

/// How many inbound messages are stored: all, auto-generated, with a case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub inbound: i64,
    pub auto: i64,
    pub with_case: i64,
}

/// What inbound mail needs to know about a case to thread into it.
#[derive(Debug, Clone)]
pub struct ThreadTarget {
    pub number: i64,
    pub status: Status,
    pub contact_email: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub owner: Option<String>,
}

/// Stores a message; returns its row id.
pub fn insert(db: &Db, m: &NewMessage<'_>) -> Result<i64> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::insert(conn, m),
    }
}

/// Links a stored message (and its attachments) to a case.
pub fn set_case(db: &Db, message: i64, case: i64) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::set_case(conn, message, case),
    }
}

/// The inbound message with this Message-ID from this sender, if stored.
pub fn find_duplicate(db: &Db, message_id: &str, sender: &str) -> Result<Option<Stored>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::find_duplicate(conn, message_id, sender),
    }
}

/// An inbound message without a Message-ID whose bytes are exactly `raw`.
pub fn find_identical(db: &Db, raw: &[u8]) -> Result<Option<Stored>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::find_identical(conn, raw),
    }
}

/// The case of the first of `ids` that names a stored message (inbound or
/// outbound) or a message in the outbox; with the id that matched.
pub fn case_of_message_ids(db: &Db, ids: &[String]) -> Result<Option<(i64, String)>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::case_of_message_ids(conn, ids),
    }
}

/// Records one attachment of a stored message.
pub fn add_attachment(
    db: &Db,
    message: i64,
    case: Option<i64>,
    part_index: usize,
    name: &str,
    content_type: &str,
    size: usize,
) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::add_attachment(
            conn,
            message,
            case,
            part_index,
            name,
            content_type,
            size,
        ),
    }
}

/// The attachments of a case, in the order they arrived.
pub fn attachments(db: &Db, case: i64) -> Result<Vec<CaseAttachment>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::attachments(conn, case),
    }
}

/// The raw bytes of a stored message.
pub fn raw(db: &Db, message: i64) -> Result<Option<Vec<u8>>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::raw(conn, message),
    }
}

pub fn counts(db: &Db) -> Result<Counts> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::counts(conn),
    }
}

pub fn thread_target(db: &Db, case: i64) -> Result<Option<ThreadTarget>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::thread_target(conn, case),
    }
}

/// A message of a case, without its raw bytes.
#[derive(Debug, Clone, Serialize)]
pub struct MessageMeta {
    pub direction: String,
    pub message_id: Option<String>,
    pub sender: String,
    /// For outbound mail: who it went to (from the outbox).
    pub to: Option<String>,
    pub subject: String,
    pub sent_at: Option<DateTime<Utc>>,
    pub received_at: DateTime<Utc>,
    pub auto_reason: Option<String>,
    pub size: i64,
}

pub fn messages(db: &Db, case: i64) -> Result<Vec<MessageMeta>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::messages(conn, case),
    }
}
