//! Cases: opening, reading and listing them, their fields (set by the desk,
//! never by caller text: see `Column`), their history, and the queries of
//! triage and sweep.

use crate::domain::case::CaseNumber;
use crate::domain::case::{Case, NewCase};
use crate::domain::rules::PoolMember;
pub use crate::store::rows::{CaseFilter, CaseOrder, Column, Event, FieldValue};
use crate::store::Result;
use crate::store::{postgres, sqlite, Backend, Db};
use chrono::{DateTime, Utc};

/// Opens a case in status New, owned by the queue; returns its number.
pub fn insert(db: &Db, c: &NewCase) -> Result<CaseNumber> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::insert(conn, c),
        Backend::Postgres(conn) => postgres::cases::insert(conn, c),
    }
}

/// One case. The statement is cached: ingest reads a case several times per
/// message, thousands of times in a bulk import.
pub fn get(db: &Db, number: CaseNumber) -> Result<Option<Case>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::get(conn, number),
        Backend::Postgres(conn) => postgres::cases::get(conn, number),
    }
}

/// The quoted history kept below case `number`'s description (empty when
/// there is none or the case does not exist).
pub fn quoted(db: &Db, number: CaseNumber) -> Result<String> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::quoted(conn, number),
        Backend::Postgres(conn) => postgres::cases::quoted(conn, number),
    }
}

pub fn list(db: &Db, f: &CaseFilter) -> Result<Vec<Case>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::list(conn, f),
        Backend::Postgres(conn) => postgres::cases::list(conn, f),
    }
}

pub fn add_event(
    db: &Db,
    case: CaseNumber,
    at: DateTime<Utc>,
    actor: Option<&str>,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::add_event(conn, case, at, actor, field, old, new),
        Backend::Postgres(conn) => {
            postgres::cases::add_event(conn, case, at, actor, field, old, new)
        }
    }
}

pub fn events(db: &Db, case: CaseNumber) -> Result<Vec<Event>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::events(conn, case),
        Backend::Postgres(conn) => postgres::cases::events(conn, case),
    }
}

/// Sets the SLA due times the rules computed.
pub fn set_due(
    db: &Db,
    case: CaseNumber,
    first: Option<DateTime<Utc>>,
    next: Option<DateTime<Utc>>,
) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::set_due(conn, case, first, next),
        Backend::Postgres(conn) => postgres::cases::set_due(conn, case, first, next),
    }
}

/// Sets the given columns of case `number` in one statement.
pub fn set_fields(db: &Db, number: CaseNumber, fields: &[(Column, FieldValue)]) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::set_fields(conn, number, fields),
        Backend::Postgres(conn) => postgres::cases::set_fields(conn, number, fields),
    }
}

/// Cases in the Account Management Queue (no owner), open.
pub fn queued(db: &Db) -> Result<Vec<Case>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::queued(conn),
        Backend::Postgres(conn) => postgres::cases::queued(conn),
    }
}

/// Active pool AMs with their open-case counts and when they were last assigned a case.
pub fn pool_load(db: &Db) -> Result<Vec<PoolMember>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::pool_load(conn),
        Backend::Postgres(conn) => postgres::cases::pool_load(conn),
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
        Backend::Sqlite(conn) => sqlite::cases::previous_owner(conn, case, since),
        Backend::Postgres(conn) => postgres::cases::previous_owner(conn, case, since),
    }
}
