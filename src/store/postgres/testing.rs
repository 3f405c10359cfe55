//! What the PostgreSQL families' own tests share: desks on the test
//! server, and a SQLite store to compare results with.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::test_server;
use crate::domain::case::{CaseNumber, NewCase};
use crate::store::{cases, ts, Backend, Db, Inner, Location, Store};

/// The URL of a fresh desk database on the test server; `None` (the test
/// then passes without running) only when there is no server and
/// CASEBOOK_SKIP_REAL is set.
pub fn desk_url() -> Option<String> {
    match test_server::server() {
        Ok(server) => Some(server.desk_database()),
        Err(e) => {
            assert!(
                std::env::var_os("CASEBOOK_SKIP_REAL").is_some(),
                "{e}\n(set CASEBOOK_SKIP_REAL=1 to skip)"
            );
            None
        }
    }
}

/// Another connection to the desk at `url`, as a second host opens it.
pub fn open(url: &str) -> Store {
    Store::open(&Location::Postgres(url.into()), Duration::from_secs(10))
        .expect("open the test desk")
}

/// A fresh desk on the test server (see [`desk_url`]).
pub fn desk() -> Option<Store> {
    desk_url().map(|url| open(&url))
}

/// An in-memory SQLite store, whatever CASEBOOK_TEST_BACKEND says: the
/// results PostgreSQL must give too.
pub fn sqlite() -> Store {
    Store {
        db: Db {
            inner: Inner::Sqlite(
                crate::store::sqlite::Conn::open_in_memory().expect("open SQLite in memory"),
            ),
        },
    }
}

/// The PostgreSQL connection of `store`.
pub fn conn(store: &Store) -> &super::Conn {
    match store.db().backend() {
        Backend::Postgres(c) => c,
        Backend::Sqlite(_) => panic!("not a PostgreSQL store"),
    }
}

/// A new case with only a subject, opened at `at`. On PostgreSQL written
/// here directly, so these tests do not depend on the cases family.
pub fn new_case(db: &Db, subject: &str, at: DateTime<Utc>) -> CaseNumber {
    match db.backend() {
        Backend::Sqlite(_) => cases::insert(db, &NewCase::new(subject, at)).expect("a case"),
        Backend::Postgres(c) => c
            .query_one(
                "INSERT INTO cases (subject, opened_at, updated_at, status_changed_at, search_words)
                 VALUES ($1, $2, $2, $2, $3) RETURNING id",
                &[&subject, &ts(at), &crate::store::search_words(&[subject])],
            )
            .expect("a case")
            .try_get(0)
            .expect("its number"),
    }
}

/// Runs `scenario` on SQLite and on a fresh PostgreSQL desk and checks that
/// both give the same account of it; returns the PostgreSQL store for more
/// checks (`None`: no server, skipped).
pub fn same_on_both(scenario: impl Fn(&Db) -> String) -> Option<Store> {
    let on_sqlite = scenario(sqlite().db());
    let store = desk()?;
    let on_postgres = scenario(store.db());
    assert_eq!(
        on_postgres, on_sqlite,
        "PostgreSQL (left) and SQLite (right) differ"
    );
    Some(store)
}
