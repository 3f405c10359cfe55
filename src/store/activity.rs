//! What people do on a case besides changing fields: comments, reviews,
//! contact attempts, watching.

use crate::domain::case::CaseNumber;
pub use crate::store::rows::{Comment, ContactAttempt};
use crate::store::Result;
use crate::store::{postgres, sqlite, Backend, Db};

/// Adds a comment (or a review) with its mentions; returns its id. `id` is ignored.
pub fn add_comment(db: &Db, case: CaseNumber, c: &Comment) -> Result<i64> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::activity::add_comment(conn, case, c),
        Backend::Postgres(conn) => postgres::activity::add_comment(conn, case, c),
    }
}

pub fn comments(db: &Db, case: CaseNumber) -> Result<Vec<Comment>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::activity::comments(conn, case),
        Backend::Postgres(conn) => postgres::activity::comments(conn, case),
    }
}

pub fn add_attempt(db: &Db, case: CaseNumber, a: &ContactAttempt) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::activity::add_attempt(conn, case, a),
        Backend::Postgres(conn) => postgres::activity::add_attempt(conn, case, a),
    }
}

pub fn attempts(db: &Db, case: CaseNumber) -> Result<Vec<ContactAttempt>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::activity::attempts(conn, case),
        Backend::Postgres(conn) => postgres::activity::attempts(conn, case),
    }
}

/// Adds a watcher; returns false when they already watch.
pub fn add_watcher(db: &Db, case: CaseNumber, handle: &str) -> Result<bool> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::activity::add_watcher(conn, case, handle),
        Backend::Postgres(conn) => postgres::activity::add_watcher(conn, case, handle),
    }
}

pub fn watchers(db: &Db, case: CaseNumber) -> Result<Vec<String>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::activity::watchers(conn, case),
        Backend::Postgres(conn) => postgres::activity::watchers(conn, case),
    }
}
