//! people on PostgreSQL: the same operations as `sqlite::people`.
#![allow(unused)]

use crate::domain::person::Person;
use crate::store::Result;

use super::Conn;
use crate::store::StoreError;

pub fn insert(conn: &Conn, p: &Person, now: i64) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn upsert(conn: &Conn, p: &Person, now: i64) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn get(conn: &Conn, handle: &str) -> Result<Option<Person>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn list(conn: &Conn) -> Result<Vec<Person>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn email_taken_by_other(conn: &Conn, email: &str, handle: &str) -> Result<Option<String>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

/// Marks a person active or inactive; false when there is no such person.
pub fn set_active(conn: &Conn, handle: &str, active: bool) -> Result<bool> {
    let n = conn.execute(
        "UPDATE people SET active = $2 WHERE handle = $1",
        &[&handle, &i64::from(active)],
    )?;
    Ok(n > 0)
}

/// Sets (or with `None`, clears) a person's period away and delegate.
pub fn set_away(
    conn: &Conn,
    handle: &str,
    away: Option<(chrono::NaiveDate, chrono::NaiveDate, Option<&str>)>,
) -> Result<bool> {
    let (from, until, delegate) = match away {
        Some((from, until, delegate)) => (
            Some(from.format("%Y-%m-%d").to_string()),
            Some(until.format("%Y-%m-%d").to_string()),
            delegate,
        ),
        None => (None, None, None),
    };
    let n = conn.execute(
        "UPDATE people SET away_from = $2, away_until = $3, delegate = $4 WHERE handle = $1",
        &[&handle, &from, &until, &delegate],
    )?;
    Ok(n > 0)
}
