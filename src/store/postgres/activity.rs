//! activity on PostgreSQL: the same operations as `sqlite::activity`.
#![allow(unused)]

use crate::domain::case::CaseNumber;
use crate::domain::states::{CommentKind, ContactMethod, ContactOutcome};
use crate::store::rows::{Comment, ContactAttempt};
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};

use super::Conn;
use crate::store::StoreError;

pub fn add_comment(conn: &Conn, case: CaseNumber, c: &Comment) -> Result<i64> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn comments(conn: &Conn, case: CaseNumber) -> Result<Vec<Comment>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn add_attempt(conn: &Conn, case: CaseNumber, a: &ContactAttempt) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn attempts(conn: &Conn, case: CaseNumber) -> Result<Vec<ContactAttempt>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn add_watcher(conn: &Conn, case: CaseNumber, handle: &str) -> Result<bool> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn watchers(conn: &Conn, case: CaseNumber) -> Result<Vec<String>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn commented_since(
    conn: &Conn,
    case: CaseNumber,
    author: &str,
    after: DateTime<Utc>,
) -> Result<bool> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}
