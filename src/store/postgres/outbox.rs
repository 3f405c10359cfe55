//! outbox on PostgreSQL: the same operations as `sqlite::outbox`.
#![allow(unused)]

use crate::domain::case::CaseNumber;
use crate::domain::states::{OutboxKind, OutboxStatus};
use crate::store::rows::{Claimed, NewOutgoing, OutboundMessage, OutboxEntry, OutboxFilter};
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};

use super::Conn;
use crate::store::StoreError;

pub fn insert(conn: &Conn, m: &NewOutgoing<'_>) -> Result<i64> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn count_to_since(conn: &Conn, recipient: &str, since: DateTime<Utc>) -> Result<i64> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn list(conn: &Conn, f: &OutboxFilter) -> Result<Vec<OutboxEntry>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn get(conn: &Conn, id: i64) -> Result<Option<OutboxEntry>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn raw(conn: &Conn, id: i64) -> Result<Option<Vec<u8>>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn claim_due(
    conn: &Conn,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    only: Option<&[String]>,
    limit: usize,
) -> Result<Vec<Claimed>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn mark_sent(conn: &Conn, id: i64, at: DateTime<Utc>) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn mark_retry(conn: &Conn, id: i64, error: &str, next: DateTime<Utc>) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn mark_final(conn: &Conn, id: i64, status: OutboxStatus, reason: &str) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn requeue(conn: &Conn, id: i64, now: DateTime<Utc>) -> Result<bool> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn add_outbound_message(conn: &Conn, m: &OutboundMessage<'_>) -> Result<i64> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn last_inbound_message_id(
    conn: &Conn,
    case: CaseNumber,
    sender: Option<&str>,
) -> Result<Option<String>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn first_inbound(
    conn: &Conn,
    case: CaseNumber,
) -> Result<Option<(Option<String>, Option<String>)>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}
