//! People on PostgreSQL: the same operations as `sqlite::people`.

use crate::domain::person::Person;
use crate::store::Result;
use postgres::Row;

use super::Conn;

fn person_from_row(r: &Row) -> Result<Person> {
    let roles: String = r.try_get(3)?;
    Ok(Person {
        handle: r.try_get(0)?,
        name: r.try_get(1)?,
        email: r.try_get(2)?,
        roles: roles
            .split(',')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        regional_manager: r.try_get(4)?,
        pool: r.try_get::<_, i64>(5)? != 0,
    })
}

const COLUMNS: &str = "handle, name, email, roles, regional_manager, pool";

pub fn insert(conn: &Conn, p: &Person, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO people (handle, name, email, roles, regional_manager, pool, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &p.handle,
            &p.name,
            &p.email,
            &p.roles.join(","),
            &p.regional_manager,
            &i64::from(p.pool),
            &now,
        ],
    )?;
    Ok(())
}

/// Inserts or replaces a person (import updates a team member in place).
pub fn upsert(conn: &Conn, p: &Person, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO people (handle, name, email, roles, regional_manager, pool, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (handle) DO UPDATE SET name = excluded.name, email = excluded.email,
           roles = excluded.roles, regional_manager = excluded.regional_manager, pool = excluded.pool",
        &[
            &p.handle,
            &p.name,
            &p.email,
            &p.roles.join(","),
            &p.regional_manager,
            &i64::from(p.pool),
            &now,
        ],
    )?;
    Ok(())
}

pub fn get(conn: &Conn, handle: &str) -> Result<Option<Person>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM people WHERE handle = $1"),
        &[&handle],
    )?
    .map(|r| person_from_row(&r))
    .transpose()
}

pub fn list(conn: &Conn) -> Result<Vec<Person>> {
    conn.query(
        &format!("SELECT {COLUMNS} FROM people ORDER BY handle COLLATE \"C\""),
        &[],
    )?
    .iter()
    .map(person_from_row)
    .collect()
}

pub fn email_taken_by_other(conn: &Conn, email: &str, handle: &str) -> Result<Option<String>> {
    // `LIMIT 1`: on SQLite the first of several matches is taken too.
    conn.query_opt(
        "SELECT handle FROM people WHERE lower(email) = lower($1) AND handle <> $2
         ORDER BY handle COLLATE \"C\" LIMIT 1",
        &[&email, &handle],
    )?
    .map(|r| Ok(r.try_get(0)?))
    .transpose()
}
