//! The SQL behind the case workflow: field updates, triage queries, the messages of a
//! case, and sweep's candidates and log.

use crate::domain::case::Case;
use crate::domain::rules::PoolMember;
use crate::store::Result;
use crate::store::{sqlite, Backend, Db};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A column of `cases` the workflow may change. The column names are fixed here, so
/// no caller text ever reaches the SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Subject,
    Status,
    PriorStatus,
    Priority,
    Owner,
    Am,
    Rm,
    SupportRep,
    Team,
    HoldUntil,
    HoldReason,
    UpdatedAt,
    StatusChangedAt,
    ClosedAt,
    AssignedAt,
    FirstContactAt,
    LastContactAt,
    LastInboundAt,
    EscalatedAt,
    HandoffAt,
}

/// A new value for a column: text, a time, or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text(Option<String>),
    Time(Option<DateTime<Utc>>),
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

/// Sets the given columns of case `number` in one statement.
pub fn set_fields(db: &Db, number: i64, fields: &[(Column, FieldValue)]) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::workflow::set_fields(conn, number, fields),
    }
}

/// Cases in the Account Management Queue (no owner), open.
pub fn queued(db: &Db) -> Result<Vec<Case>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::workflow::queued(conn),
    }
}

/// The account manager designated on the account of case `number`, if any.
pub fn account_manager_of(db: &Db, number: i64) -> Result<Option<String>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::workflow::account_manager_of(conn, number),
    }
}

/// Active pool AMs with their open-case counts and when they were last assigned a case.
pub fn pool_load(db: &Db) -> Result<Vec<PoolMember>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::workflow::pool_load(conn),
    }
}

/// Who owned the earlier case that `case` follows up, and why it counts: the linked
/// case; else the latest other case of the same contact, else of the same account,
/// opened since `since`, whose owner is an active person.
pub fn previous_owner(
    db: &Db,
    case: &Case,
    since: DateTime<Utc>,
) -> Result<Option<(String, String)>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::workflow::previous_owner(conn, case, since),
    }
}

pub fn messages(db: &Db, case: i64) -> Result<Vec<MessageMeta>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::workflow::messages(conn, case),
    }
}

/// Open cases sweep looks at: waiting for an AM, handed off, or of `integration_type`.
pub fn sweep_candidates(db: &Db, integration_type: &str) -> Result<Vec<Case>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::workflow::sweep_candidates(conn, integration_type),
    }
}

/// Whether `author` commented on case `case` after `after`.
pub fn commented_since(db: &Db, case: i64, author: &str, after: DateTime<Utc>) -> Result<bool> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::workflow::commented_since(conn, case, author, after),
    }
}

/// Whether sweep already fired `rule` on `case` for `occasion`.
pub fn swept(db: &Db, case: i64, rule: &str, occasion: DateTime<Utc>) -> Result<bool> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::workflow::swept(conn, case, rule, occasion),
    }
}

/// Records that sweep fired `rule` on `case` for `occasion`; false if it already had.
pub fn log_sweep(
    db: &Db,
    case: i64,
    rule: &str,
    occasion: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<bool> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::workflow::log_sweep(conn, case, rule, occasion, at),
    }
}
