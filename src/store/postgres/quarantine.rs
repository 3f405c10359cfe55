//! quarantine on PostgreSQL: the same operations as `sqlite::quarantine`.
#![allow(unused)]

use crate::domain::case::CaseNumber;
use crate::domain::states::QuarantineStatus;
use crate::store::rows::Held;
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};

use super::Conn;
use crate::store::StoreError;

pub fn insert(conn: &Conn, reason: &str, raw: &[u8], at: DateTime<Utc>) -> Result<i64> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn find_identical(conn: &Conn, raw: &[u8]) -> Result<Option<Held>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn get(conn: &Conn, id: i64) -> Result<Option<Held>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn raw(conn: &Conn, id: i64) -> Result<Option<Vec<u8>>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn list(conn: &Conn, all: bool) -> Result<Vec<Held>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn release(conn: &Conn, id: i64, case: Option<CaseNumber>, at: DateTime<Utc>) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn set_reason(conn: &Conn, id: i64, reason: &str) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn drop_held(conn: &Conn, id: i64, at: DateTime<Utc>) -> Result<bool> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn count(conn: &Conn) -> Result<i64> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}
