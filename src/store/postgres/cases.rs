//! cases on PostgreSQL: the same operations as `sqlite::cases`.
#![allow(unused)]

use crate::domain::case::CaseNumber;
use crate::domain::case::{Case, NewCase, Priority, Status, Tier};
use crate::domain::rules::PoolMember;
use crate::store::rows::{CaseFilter, CaseOrder, Event};
use crate::store::rows::{Column, FieldValue};
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};

use super::Conn;
use crate::store::StoreError;

pub fn insert(conn: &Conn, c: &NewCase) -> Result<CaseNumber> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn get(conn: &Conn, number: CaseNumber) -> Result<Option<Case>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn list(conn: &Conn, f: &CaseFilter) -> Result<Vec<Case>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn add_event(
    conn: &Conn,
    case: CaseNumber,
    at: DateTime<Utc>,
    actor: Option<&str>,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn events(conn: &Conn, case: CaseNumber) -> Result<Vec<Event>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn set_due(
    conn: &Conn,
    case: CaseNumber,
    first: Option<DateTime<Utc>>,
    next: Option<DateTime<Utc>>,
) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn set_fields(conn: &Conn, number: CaseNumber, fields: &[(Column, FieldValue)]) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn queued(conn: &Conn) -> Result<Vec<Case>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn account_manager_of(conn: &Conn, number: CaseNumber) -> Result<Option<String>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn pool_load(conn: &Conn) -> Result<Vec<PoolMember>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn previous_owner(
    conn: &Conn,
    case: &Case,
    since: DateTime<Utc>,
) -> Result<Option<(String, String)>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn sweep_candidates(conn: &Conn, integration_type: &str) -> Result<Vec<Case>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}
