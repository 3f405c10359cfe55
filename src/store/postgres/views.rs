//! views on PostgreSQL: the same operations as `sqlite::views`.
#![allow(unused)]

use crate::domain::case::CaseNumber;
use crate::domain::case::{Priority, Status};
use crate::store::rows::CaseFilter;
use crate::store::rows::{StoredDue, ViewCase};
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};

use super::Conn;
use crate::store::StoreError;

pub fn list(conn: &Conn, f: &CaseFilter) -> Result<Vec<ViewCase>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn open_case_numbers(conn: &Conn) -> Result<Vec<CaseNumber>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn due_times(conn: &Conn, case: CaseNumber) -> Result<Option<StoredDue>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn report_sent_on(conn: &Conn, day: &str) -> Result<Option<DateTime<Utc>>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn record_report_send(conn: &Conn, day: &str, at: DateTime<Utc>) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}
