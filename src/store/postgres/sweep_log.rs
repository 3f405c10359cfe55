//! sweep_log on PostgreSQL: the same operations as `sqlite::sweep_log`.
#![allow(unused)]

use crate::domain::case::CaseNumber;
use crate::store::{ts, Result};
use chrono::{DateTime, Utc};

use super::Conn;
use crate::store::StoreError;

pub fn swept(conn: &Conn, case: CaseNumber, rule: &str, occasion: DateTime<Utc>) -> Result<bool> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn log_sweep(
    conn: &Conn,
    case: CaseNumber,
    rule: &str,
    occasion: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<bool> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}
