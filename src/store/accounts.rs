//! Accounts with their domains and contacts.

use crate::domain::person::Account;
pub use crate::store::rows::AccountManagers;
use crate::store::Result;
use crate::store::{postgres, sqlite, Backend, Db};

/// Inserts or updates the account by name, replacing its domains and contacts.
pub fn upsert(db: &Db, a: &Account, now: i64) -> Result<i64> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::accounts::upsert(conn, a, now),
        Backend::Postgres(conn) => postgres::accounts::upsert(conn, a, now),
    }
}

pub fn get_by_name(db: &Db, name: &str) -> Result<Option<Account>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::accounts::get_by_name(conn, name),
        Backend::Postgres(conn) => postgres::accounts::get_by_name(conn, name),
    }
}

/// The managers of the account named `name` (any case), if there is one.
pub fn managers(db: &Db, name: &str) -> Result<Option<AccountManagers>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::accounts::managers(conn, name),
        Backend::Postgres(conn) => postgres::accounts::managers(conn, name),
    }
}

pub fn get(db: &Db, id: i64) -> Result<Option<Account>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::accounts::get(conn, id),
        Backend::Postgres(conn) => postgres::accounts::get(conn, id),
    }
}

pub fn list(db: &Db) -> Result<Vec<Account>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::accounts::list(conn),
        Backend::Postgres(conn) => postgres::accounts::list(conn),
    }
}

/// Which account owns a domain or a contact address, and who else already claims it.
pub fn domain_owner(db: &Db, domain: &str) -> Result<Option<String>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::accounts::domain_owner(conn, domain),
        Backend::Postgres(conn) => postgres::accounts::domain_owner(conn, domain),
    }
}

pub fn contact_owner(db: &Db, email: &str) -> Result<Option<String>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::accounts::contact_owner(conn, email),
        Backend::Postgres(conn) => postgres::accounts::contact_owner(conn, email),
    }
}

/// The account a sender belongs to: exact contact address first, then the address's domain.
pub fn match_sender(db: &Db, email: &str) -> Result<Option<(i64, &'static str)>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::accounts::match_sender(conn, email),
        Backend::Postgres(conn) => postgres::accounts::match_sender(conn, email),
    }
}
