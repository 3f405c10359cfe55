//! messages on PostgreSQL: the same operations as `sqlite::messages`.
#![allow(unused)]

use crate::domain::case::CaseNumber;
use crate::domain::case::Status;
use crate::domain::states::MessageDirection;
use crate::store::rows::{CaseAttachment, Counts, MessageMeta, NewMessage, Stored, ThreadTarget};
use crate::store::{from_ts, ts, Result};

use super::Conn;
use crate::store::StoreError;

pub fn insert(conn: &Conn, m: &NewMessage<'_>) -> Result<i64> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn set_case(conn: &Conn, message: i64, case: CaseNumber) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn find_duplicate(conn: &Conn, message_id: &str, sender: &str) -> Result<Option<Stored>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn find_identical(conn: &Conn, raw: &[u8]) -> Result<Option<Stored>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn case_of_message_ids(conn: &Conn, ids: &[String]) -> Result<Option<(CaseNumber, String)>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn add_attachment(
    conn: &Conn,
    message: i64,
    case: Option<CaseNumber>,
    part_index: usize,
    name: &str,
    content_type: &str,
    size: usize,
) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn attachments(conn: &Conn, case: CaseNumber) -> Result<Vec<CaseAttachment>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn raw(conn: &Conn, message: i64) -> Result<Option<Vec<u8>>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn counts(conn: &Conn) -> Result<Counts> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn thread_target(conn: &Conn, case: CaseNumber) -> Result<Option<ThreadTarget>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn messages(conn: &Conn, case: CaseNumber) -> Result<Vec<MessageMeta>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}
