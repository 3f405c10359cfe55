//! Raw email kept byte for byte, its attachments, and the case updates that
//! inbound mail causes.

use crate::domain::case::CaseNumber;
pub use crate::store::rows::{
    CaseAttachment, Counts, MessageMeta, NewMessage, Stored, ThreadTarget,
};
use crate::store::Result;
use crate::store::{postgres, sqlite, Backend, Db};

/// Stores a message; returns its row id.
pub fn insert(db: &Db, m: &NewMessage<'_>) -> Result<i64> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::insert(conn, m),
        Backend::Postgres(conn) => postgres::messages::insert(conn, m),
    }
}

/// Links a stored message (and its attachments) to a case.
pub fn set_case(db: &Db, message: i64, case: CaseNumber) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::set_case(conn, message, case),
        Backend::Postgres(conn) => postgres::messages::set_case(conn, message, case),
    }
}

/// The inbound message with this Message-ID from this sender, if stored.
pub fn find_duplicate(db: &Db, message_id: &str, sender: &str) -> Result<Option<Stored>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::find_duplicate(conn, message_id, sender),
        Backend::Postgres(conn) => postgres::messages::find_duplicate(conn, message_id, sender),
    }
}

/// An inbound message without a Message-ID whose bytes are exactly `raw`.
pub fn find_identical(db: &Db, raw: &[u8]) -> Result<Option<Stored>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::find_identical(conn, raw),
        Backend::Postgres(conn) => postgres::messages::find_identical(conn, raw),
    }
}

/// The case of the first of `ids` that names a stored message (inbound or
/// outbound) or a message in the outbox; with the id that matched.
pub fn case_of_message_ids(db: &Db, ids: &[String]) -> Result<Option<(CaseNumber, String)>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::case_of_message_ids(conn, ids),
        Backend::Postgres(conn) => postgres::messages::case_of_message_ids(conn, ids),
    }
}

/// Records one attachment of a stored message.
pub fn add_attachment(
    db: &Db,
    message: i64,
    case: Option<CaseNumber>,
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
        Backend::Postgres(conn) => postgres::messages::add_attachment(
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
pub fn attachments(db: &Db, case: CaseNumber) -> Result<Vec<CaseAttachment>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::attachments(conn, case),
        Backend::Postgres(conn) => postgres::messages::attachments(conn, case),
    }
}

/// The raw bytes of a stored message.
pub fn raw(db: &Db, message: i64) -> Result<Option<Vec<u8>>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::raw(conn, message),
        Backend::Postgres(conn) => postgres::messages::raw(conn, message),
    }
}

pub fn counts(db: &Db) -> Result<Counts> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::counts(conn),
        Backend::Postgres(conn) => postgres::messages::counts(conn),
    }
}

pub fn thread_target(db: &Db, case: CaseNumber) -> Result<Option<ThreadTarget>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::thread_target(conn, case),
        Backend::Postgres(conn) => postgres::messages::thread_target(conn, case),
    }
}

pub fn messages(db: &Db, case: CaseNumber) -> Result<Vec<MessageMeta>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::messages::messages(conn, case),
        Backend::Postgres(conn) => postgres::messages::messages(conn, case),
    }
}
