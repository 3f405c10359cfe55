//! People: staff members.

use crate::domain::person::Person;
use crate::store::Result;
use rusqlite::{params, Connection, OptionalExtension, Row};

/// A row of `SELECT {COLUMNS}`, read by position: by name, each column was
/// found by comparing the names of those before it, 0.1 M instructions of a
/// delivery that reads the people.
fn person_from_row(r: &Row<'_>) -> rusqlite::Result<Person> {
    let roles: String = r.get(3)?;
    Ok(Person {
        handle: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        roles: roles
            .split(',')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        regional_manager: r.get(4)?,
        pool: r.get(5)?,
        active: r.get(6)?,
        away_from: date(r.get(7)?),
        away_until: date(r.get(8)?),
        delegate: r.get(9)?,
    })
}

/// A stored local date (`YYYY-MM-DD`); anything else reads as none.
fn date(s: Option<String>) -> Option<chrono::NaiveDate> {
    s.and_then(|s| s.parse().ok())
}

/// The columns `person_from_row` reads, in its order.
const COLUMNS: &str =
    "handle, name, email, roles, regional_manager, pool, active, away_from, away_until, delegate";

pub fn insert(conn: &Connection, p: &Person, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO people (handle, name, email, roles, regional_manager, pool, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            p.handle,
            p.name,
            p.email,
            p.roles.join(","),
            p.regional_manager,
            p.pool,
            now
        ],
    )?;
    Ok(())
}

/// Inserts or replaces a person (import updates a team member in place).
pub fn upsert(conn: &Connection, p: &Person, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO people (handle, name, email, roles, regional_manager, pool, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (handle) DO UPDATE SET name = excluded.name, email = excluded.email,
           roles = excluded.roles, regional_manager = excluded.regional_manager, pool = excluded.pool",
        params![p.handle, p.name, p.email, p.roles.join(","), p.regional_manager, p.pool, now],
    )?;
    Ok(())
}

/// One person. Cached: sweep and the views ask once per case.
pub fn get(conn: &Connection, handle: &str) -> Result<Option<Person>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM people WHERE handle = ?1"))?
        .query_row([handle], person_from_row)
        .optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<Person>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM people ORDER BY handle"))?;
    let rows = stmt.query_map([], person_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Cached: ingest asks once per address it meets.
pub fn by_email(conn: &Connection, email: &str) -> Result<Option<Person>> {
    Ok(conn
        .prepare_cached(&format!(
            // No ORDER BY (it cost a delivery 25k instructions to prepare):
            // `people add` and `import` refuse an address another person
            // has in any case (email_taken_by_other), so one row matches.
            "SELECT {COLUMNS} FROM people WHERE lower(email) = lower(?1)"
        ))?
        .query_row([email], person_from_row)
        .optional()?)
}

pub fn email_taken_by_other(
    conn: &Connection,
    email: &str,
    handle: &str,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT handle FROM people WHERE lower(email) = lower(?1) AND handle <> ?2",
            [email, handle],
            |r| r.get(0),
        )
        .optional()?)
}

/// Marks a person active or inactive; false when there is no such person.
pub fn set_active(conn: &Connection, handle: &str, active: bool) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE people SET active = ?2 WHERE handle = ?1",
        params![handle, active],
    )? == 1)
}

/// Sets (or with `None`, clears) a person's period away and delegate.
pub fn set_away(
    conn: &Connection,
    handle: &str,
    away: Option<(chrono::NaiveDate, chrono::NaiveDate, Option<&str>)>,
) -> Result<bool> {
    let (from, until, delegate) = match away {
        Some((f, u, d)) => (Some(f.to_string()), Some(u.to_string()), d),
        None => (None, None, None),
    };
    Ok(conn.execute(
        "UPDATE people SET away_from = ?2, away_until = ?3, delegate = ?4 WHERE handle = ?1",
        params![handle, from, until, delegate],
    )? == 1)
}
