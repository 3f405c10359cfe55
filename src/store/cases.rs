//! Cases and their history.

use crate::domain::case::{Case, NewCase, Priority, Status, Tier};
use crate::store::Result;
use crate::store::{sqlite, Backend, Db};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Which cases a listing shows. Every filter is optional; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// `Some(None)` selects the queue (no owner).
    pub owner: Option<Option<String>>,
    pub creator: Option<String>,
    pub statuses: Vec<Status>,
    pub open_only: bool,
    pub priority: Option<Priority>,
    pub account: Option<String>,
    pub tier: Option<Tier>,
    pub opened_since: Option<DateTime<Utc>>,
    pub opened_before: Option<DateTime<Utc>>,
    /// Only cases whose next due time is before this instant.
    pub due_before: Option<DateTime<Utc>>,
    /// Only cases created by a member of staff (not by the system).
    pub staff_created: bool,
    /// Only cases whose subject, description or a comment holds every word (prefixes match).
    pub text: Option<String>,
    pub limit: Option<usize>,
    pub order: CaseOrder,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CaseOrder {
    #[default]
    Number,
    NextDue,
    OwnerThenDue,
}

/// One line of a case's history.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Opens a case in status New, owned by the queue; returns its number.
pub fn insert(db: &Db, c: &NewCase) -> Result<i64> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::insert(conn, c),
    }
}

/// One case. The statement is cached: ingest reads a case several times per
/// message, thousands of times in a bulk import.
pub fn get(db: &Db, number: i64) -> Result<Option<Case>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::get(conn, number),
    }
}

pub fn list(db: &Db, f: &CaseFilter) -> Result<Vec<Case>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::list(conn, f),
    }
}

pub fn add_event(
    db: &Db,
    case: i64,
    at: DateTime<Utc>,
    actor: Option<&str>,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::add_event(conn, case, at, actor, field, old, new),
    }
}

pub fn events(db: &Db, case: i64) -> Result<Vec<Event>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::events(conn, case),
    }
}

/// Sets the SLA due times the rules computed.
pub fn set_due(
    db: &Db,
    case: i64,
    first: Option<DateTime<Utc>>,
    next: Option<DateTime<Utc>>,
) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::set_due(conn, case, first, next),
    }
}
