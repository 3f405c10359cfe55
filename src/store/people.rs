//! People: staff members.

use crate::domain::person::Person;
use crate::store::Result;
use crate::store::{postgres, sqlite, Backend, Db};

pub fn insert(db: &Db, p: &Person, now: i64) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::people::insert(conn, p, now),
        Backend::Postgres(conn) => postgres::people::insert(conn, p, now),
    }
}

/// Inserts or replaces a person (import updates a team member in place).
pub fn upsert(db: &Db, p: &Person, now: i64) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::people::upsert(conn, p, now),
        Backend::Postgres(conn) => postgres::people::upsert(conn, p, now),
    }
}

pub fn get(db: &Db, handle: &str) -> Result<Option<Person>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::people::get(conn, handle),
        Backend::Postgres(conn) => postgres::people::get(conn, handle),
    }
}

pub fn list(db: &Db) -> Result<Vec<Person>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::people::list(conn),
        Backend::Postgres(conn) => postgres::people::list(conn),
    }
}

/// The person with this address, compared as `email_taken_by_other` compares
/// them (lowercased), if any.
pub fn by_email(db: &Db, email: &str) -> Result<Option<Person>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::people::by_email(conn, email),
        Backend::Postgres(conn) => postgres::people::by_email(conn, email),
    }
}

pub fn email_taken_by_other(db: &Db, email: &str, handle: &str) -> Result<Option<String>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::people::email_taken_by_other(conn, email, handle),
        Backend::Postgres(conn) => postgres::people::email_taken_by_other(conn, email, handle),
    }
}

/// Marks a person active or inactive; false when there is no such person.
pub fn set_active(db: &Db, handle: &str, active: bool) -> Result<bool> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::people::set_active(conn, handle, active),
        Backend::Postgres(conn) => postgres::people::set_active(conn, handle, active),
    }
}

/// Sets a person's period away (local dates, both inclusive) and delegate; `None` clears it.
pub fn set_away(
    db: &Db,
    handle: &str,
    away: Option<(chrono::NaiveDate, chrono::NaiveDate, Option<&str>)>,
) -> Result<bool> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::people::set_away(conn, handle, away),
        Backend::Postgres(conn) => postgres::people::set_away(conn, handle, away),
    }
}
