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
        active: r.try_get::<_, i64>(6)? != 0,
        away_from: date(r.try_get(7)?),
        away_until: date(r.try_get(8)?),
        delegate: r.try_get(9)?,
    })
}

/// A stored local date (`YYYY-MM-DD`); anything else reads as none.
fn date(s: Option<String>) -> Option<chrono::NaiveDate> {
    s.and_then(|s| s.parse().ok())
}

const COLUMNS: &str =
    "handle, name, email, roles, regional_manager, pool, active, away_from, away_until, delegate";

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

pub fn by_email(conn: &Conn, email: &str) -> Result<Option<Person>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM people WHERE lower(email) = lower($1) LIMIT 1"),
        &[&email],
    )?
    .map(|r| person_from_row(&r))
    .transpose()
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

#[cfg(test)]
mod tests {
    use crate::domain::person::Person;
    use crate::store::people::{email_taken_by_other, get, insert, list, upsert};
    use crate::store::postgres::testing;

    fn person(handle: &str, email: &str, roles: &[&str], pool: bool) -> Person {
        Person {
            handle: handle.into(),
            name: format!("{handle} Name"),
            email: email.into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            regional_manager: None,
            pool,
            active: true,
            away_from: None,
            away_until: None,
            delegate: None,
        }
    }

    #[test]
    fn people_read_back_in_the_order_sqlite_gives() {
        testing::same_on_both(|db| {
            let mut zoe = person("zoe", "zoe@x.example", &["am", "lead"], true);
            zoe.regional_manager = Some("Amy".into());
            for p in [
                person("Amy", "amy@x.example", &["rm"], false),
                zoe,
                person("_ops", "ops@x.example", &[], true),
                person("émile", "emile@x.example", &["agent"], false),
                person("bob", "bob@x.example", &["agent"], true),
            ] {
                insert(db, &p, 100).unwrap();
            }
            let taken = insert(db, &person("bob", "other@x.example", &[], false), 1).is_err();
            upsert(db, &person("bob", "Bob@X.example", &["lead"], false), 200).unwrap();
            upsert(db, &person("new", "new@x.example", &[], true), 200).unwrap();
            format!(
                "{taken}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
                get(db, "bob").unwrap(),
                get(db, "BOB").unwrap(),
                list(db).unwrap(),
                email_taken_by_other(db, "bob@x.EXAMPLE", "amy").unwrap(),
                email_taken_by_other(db, "bob@x.example", "bob").unwrap(),
            )
        });
    }
}
