//! Accounts with their domains and contacts.

use crate::domain::case::Tier;
use crate::domain::person::{Account, Contact};
use crate::store::rows::AccountManagers;
use crate::store::Result;
use rusqlite::{params, Connection, OptionalExtension, Row};

fn account_from_row(r: &Row<'_>) -> rusqlite::Result<Account> {
    let tier: String = r.get("tier")?;
    Ok(Account {
        id: r.get("id")?,
        name: r.get("name")?,
        tier: tier.parse().unwrap_or(Tier::Standard),
        account_manager: r.get("account_manager")?,
        regional_manager: r.get("regional_manager")?,
        domains: Vec::new(),
        contacts: Vec::new(),
    })
}

const COLUMNS: &str = "id, name, tier, account_manager, regional_manager";

fn fill(conn: &Connection, mut a: Account) -> Result<Account> {
    let mut stmt = conn.prepare_cached(
        "SELECT domain FROM account_domains WHERE account_id = ?1 ORDER BY domain",
    )?;
    a.domains = stmt
        .query_map([a.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn
        .prepare_cached("SELECT name, email FROM contacts WHERE account_id = ?1 ORDER BY email")?;
    a.contacts = stmt
        .query_map([a.id], |r| {
            Ok(Contact {
                name: r.get(0)?,
                email: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(a)
}

/// Inserts or updates the account by name, replacing its domains and contacts.
pub fn upsert(conn: &Connection, a: &Account, now: i64) -> Result<i64> {
    let id: i64 = conn.query_row(
        "INSERT INTO accounts (name, tier, account_manager, regional_manager, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (name) DO UPDATE SET tier = excluded.tier, account_manager = excluded.account_manager,
           regional_manager = excluded.regional_manager
         RETURNING id",
        params![a.name, a.tier.label(), a.account_manager, a.regional_manager, now],
        |r| r.get(0),
    )?;
    conn.execute("DELETE FROM account_domains WHERE account_id = ?1", [id])?;
    conn.execute("DELETE FROM contacts WHERE account_id = ?1", [id])?;
    for d in &a.domains {
        conn.execute(
            "INSERT INTO account_domains (domain, account_id) VALUES (lower(?1), ?2)",
            params![d, id],
        )?;
    }
    for c in &a.contacts {
        conn.execute(
            "INSERT INTO contacts (email, name, account_id) VALUES (lower(?1), ?2, ?3)",
            params![c.email, c.name, id],
        )?;
    }
    Ok(id)
}

pub fn get_by_name(conn: &Connection, name: &str) -> Result<Option<Account>> {
    // Cached: sweep and escalations ask once per case.
    let a = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM accounts WHERE lower(name) = lower(?1)"
        ))?
        .query_row([name], account_from_row)
        .optional()?;
    a.map(|a| fill(conn, a)).transpose()
}

pub fn managers(conn: &Connection, name: &str) -> Result<Option<AccountManagers>> {
    Ok(conn
        .prepare_cached(
            "SELECT account_manager, regional_manager FROM accounts WHERE lower(name) = lower(?1)",
        )?
        .query_row([name], |r| {
            Ok(AccountManagers {
                account_manager: r.get(0)?,
                regional_manager: r.get(1)?,
            })
        })
        .optional()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Account>> {
    let a = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1"),
            [id],
            account_from_row,
        )
        .optional()?;
    a.map(|a| fill(conn, a)).transpose()
}

pub fn list(conn: &Connection) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM accounts ORDER BY CASE tier WHEN 'Platinum' THEN 0 WHEN 'Gold' THEN 1
           WHEN 'Silver' THEN 2 WHEN 'Bronze' THEN 3 ELSE 4 END, name"
    ))?;
    let accounts: Vec<Account> = stmt
        .query_map([], account_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    accounts.into_iter().map(|a| fill(conn, a)).collect()
}

/// Which account owns a domain or a contact address, and who else already claims it.
pub fn domain_owner(conn: &Connection, domain: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT a.name FROM account_domains d JOIN accounts a ON a.id = d.account_id WHERE d.domain = lower(?1)",
            [domain],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn contact_owner(conn: &Connection, email: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT a.name FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE c.email = lower(?1)",
            [email],
            |r| r.get(0),
        )
        .optional()?)
}

/// The account a sender belongs to: exact contact address first, then the address's domain.
pub fn match_sender(conn: &Connection, email: &str) -> Result<Option<(i64, &'static str)>> {
    let email = email.to_lowercase();
    if let Some(id) = conn
        .prepare_cached("SELECT account_id FROM contacts WHERE email = ?1")?
        .query_row([&email], |r| r.get(0))
        .optional()?
    {
        return Ok(Some((id, "contact address")));
    }
    let Some((_, domain)) = email.rsplit_once('@') else {
        return Ok(None);
    };
    Ok(conn
        .prepare_cached("SELECT account_id FROM account_domains WHERE domain = ?1")?
        .query_row([domain], |r| r.get(0))
        .optional()?
        .map(|id| (id, "email domain")))
}
