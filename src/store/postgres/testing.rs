//! What the PostgreSQL families' own tests share: desks on the test
//! server, and a SQLite store to compare results with.

use std::sync::atomic::{AtomicUsize, Ordering};
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

/// A fresh desk in a database whose text sorts by English rules (ICU
/// `en-US`: `amy` before `Zed`), unlike the test server's C.UTF-8: what the
/// store reads must not depend on the server's locale.
pub fn english_desk() -> Option<Store> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let server = match test_server::server() {
        Ok(server) => server,
        Err(_) => return desk(), // says why, or skips
    };
    let name = format!(
        "en{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    server
        .psql(
            "postgres",
            &format!(
                "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' \
                 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
            ),
        )
        .expect("create an en-US database");
    Some(
        Store::create(
            &Location::Postgres(server.url(&name)),
            Duration::from_secs(10),
        )
        .expect("casebook's tables in the en-US database"),
    )
}

/// Runs `scenario` on SQLite, on a fresh PostgreSQL desk and on one that
/// sorts text by English rules, and checks that all give the same account
/// of it; returns the (C.UTF-8) PostgreSQL store for more checks (`None`:
/// no server, skipped).
pub fn same_on_both(scenario: impl Fn(&Db) -> String) -> Option<Store> {
    let on_sqlite = scenario(sqlite().db());
    let store = desk()?;
    let on_postgres = scenario(store.db());
    assert_eq!(
        on_postgres, on_sqlite,
        "PostgreSQL (left) and SQLite (right) differ"
    );
    if let Some(english) = english_desk() {
        let on_english = scenario(english.db());
        assert_eq!(
            on_english, on_sqlite,
            "PostgreSQL sorting by en-US (left) and SQLite (right) differ"
        );
    }
    Some(store)
}
