//! Messages that could not become a case, kept with the reason until someone
//! retries or drops them. Nothing is deleted: a dropped message keeps its row.

use crate::domain::case::CaseNumber;
pub use crate::store::rows::Held;
use crate::store::Result;
use crate::store::{postgres, sqlite, Backend, Db};
use chrono::{DateTime, Utc};

/// Holds a message; returns its quarantine number.
pub fn insert(db: &Db, reason: &str, raw: &[u8], at: DateTime<Utc>) -> Result<i64> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::quarantine::insert(conn, reason, raw, at),
        Backend::Postgres(conn) => postgres::quarantine::insert(conn, reason, raw, at),
    }
}

/// A held message with exactly these bytes (a re-delivery).
pub fn find_identical(db: &Db, raw: &[u8]) -> Result<Option<Held>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::quarantine::find_identical(conn, raw),
        Backend::Postgres(conn) => postgres::quarantine::find_identical(conn, raw),
    }
}

pub fn get(db: &Db, id: i64) -> Result<Option<Held>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::quarantine::get(conn, id),
        Backend::Postgres(conn) => postgres::quarantine::get(conn, id),
    }
}

pub fn raw(db: &Db, id: i64) -> Result<Option<Vec<u8>>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::quarantine::raw(conn, id),
        Backend::Postgres(conn) => postgres::quarantine::raw(conn, id),
    }
}

/// Held messages (or all of them, with `all`), oldest first.
pub fn list(db: &Db, all: bool) -> Result<Vec<Held>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::quarantine::list(conn, all),
        Backend::Postgres(conn) => postgres::quarantine::list(conn, all),
    }
}

/// The message became part of case `case` (or was kept as auto-generated mail, `None`).
pub fn release(db: &Db, id: i64, case: Option<CaseNumber>, at: DateTime<Utc>) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::quarantine::release(conn, id, case, at),
        Backend::Postgres(conn) => postgres::quarantine::release(conn, id, case, at),
    }
}

/// A retry failed again: the new reason.
pub fn set_reason(db: &Db, id: i64, reason: &str) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::quarantine::set_reason(conn, id, reason),
        Backend::Postgres(conn) => postgres::quarantine::set_reason(conn, id, reason),
    }
}

/// Marks a held message dropped; the row and its bytes stay.
pub fn drop_held(db: &Db, id: i64, at: DateTime<Utc>) -> Result<bool> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::quarantine::drop_held(conn, id, at),
        Backend::Postgres(conn) => postgres::quarantine::drop_held(conn, id, at),
    }
}

pub fn count(db: &Db) -> Result<i64> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::quarantine::count(conn),
        Backend::Postgres(conn) => postgres::quarantine::count(conn),
    }
}
