//! Schema migrations on PostgreSQL: an ordered list recorded in
//! `casebook_schema`, one transaction per step under the writer lock (DDL
//! is transactional here: a step applies whole or not at all). Never edit
//! a step that has shipped; add one.

use super::Conn;
use crate::store::{Result, StoreError};

/// The steps, in order; step `i` brings the schema to version `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_open_work_indexes.sql"),
    include_str!("migrations/0003_quoted_history.sql"),
    include_str!("migrations/0004_owner_number.sql"),
    include_str!("migrations/0005_last_comment_on_the_case.sql"),
    include_str!("migrations/0006_last_commenter_on_the_case.sql"),
];

pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// The version recorded in the database; `None` when casebook's tables are
/// not there at all.
pub fn current_version(conn: &Conn) -> Result<Option<i64>> {
    let exists = conn
        .query_one("SELECT to_regclass('casebook_schema') IS NOT NULL", &[])?
        .get::<_, bool>(0);
    if !exists {
        return Ok(None);
    }
    let row = conn.query_one("SELECT coalesce(max(version), 0) FROM casebook_schema", &[])?;
    Ok(Some(row.get(0)))
}

/// Applies every step the database has not seen. Without `create`, a
/// database without casebook's tables is missing; a database from a newer
/// casebook is refused.
pub fn migrate(conn: &Conn, create: bool) -> Result<()> {
    let known = latest_version();
    match current_version(conn)? {
        None if !create => {
            return Err(StoreError::Missing {
                path: conn.shown.clone(),
                detail: "the database has no casebook tables".into(),
            })
        }
        Some(found) if found > known => {
            return Err(StoreError::FromTheFuture {
                path: conn.shown.clone(),
                found,
                known,
            })
        }
        Some(found) if found == known => return Ok(()),
        _ => {}
    }
    conn.begin()?;
    let applied = apply_missing_steps(conn, known);
    match applied {
        Ok(()) => conn.commit(),
        Err(e) => {
            conn.rollback();
            Err(e)
        }
    }
}

fn apply_missing_steps(conn: &Conn, known: i64) -> Result<()> {
    conn.exec("CREATE TABLE IF NOT EXISTS casebook_schema (version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")?;
    // Re-read under the writer lock: another host may have migrated meanwhile.
    let found = current_version(conn)?.unwrap_or(0);
    if found > known {
        return Err(StoreError::FromTheFuture {
            path: conn.shown.clone(),
            found,
            known,
        });
    }
    for (i, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        conn.exec(step)?;
        let version = i as i64 + 1;
        conn.execute(
            "INSERT INTO casebook_schema (version) VALUES ($1)",
            &[&version],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::store::postgres::test_server;
    use crate::store::{Location, Store, StoreError};

    fn empty_database() -> Option<String> {
        match test_server::server() {
            Ok(server) => Some(server.url(&server.empty_database())),
            Err(e) => {
                assert!(std::env::var_os("CASEBOOK_SKIP_REAL").is_some(), "{e}");
                None
            }
        }
    }

    #[test]
    fn every_step_applies_once_on_an_empty_database_even_from_two_hosts_at_once() {
        let Some(url) = empty_database() else { return };
        let at = Location::Postgres(url);
        // Opening without create refuses a database with no casebook tables.
        assert!(matches!(
            Store::open(&at, Duration::from_secs(10)),
            Err(StoreError::Missing { .. })
        ));
        // Two hosts running `init` at once: one migrates, the other waits
        // for the writer lock and finds the work done.
        let stores: Vec<Store> = std::thread::scope(|s| {
            let a = s.spawn(|| Store::create(&at, Duration::from_secs(30)));
            let b = s.spawn(|| Store::create(&at, Duration::from_secs(30)));
            [a.join().unwrap(), b.join().unwrap()]
                .into_iter()
                .map(|r| r.expect("both hosts open the desk"))
                .collect()
        });
        let Some(crate::store::Backend::Postgres(conn)) = stores.first().map(|s| s.db().backend())
        else {
            panic!("a PostgreSQL store");
        };
        assert_eq!(
            super::current_version(conn).unwrap(),
            Some(super::latest_version())
        );
        let steps = conn
            .query_one("SELECT count(*) FROM casebook_schema", &[])
            .unwrap()
            .get::<_, i64>(0);
        assert_eq!(steps, super::latest_version(), "each step recorded once");
        // Opened again, nothing changes; a newer schema is refused.
        drop(stores);
        Store::open(&at, Duration::from_secs(10)).unwrap();
        let newer = Store::open(&at, Duration::from_secs(10)).unwrap();
        let crate::store::Backend::Postgres(conn) = newer.db().backend() else {
            panic!("a PostgreSQL store");
        };
        conn.execute("INSERT INTO casebook_schema (version) VALUES (1000)", &[])
            .unwrap();
        assert!(matches!(
            Store::open(&at, Duration::from_secs(10)),
            Err(StoreError::FromTheFuture { found: 1000, .. })
        ));
    }
}
