//! Accounts with their domains and contacts on PostgreSQL: the same
//! operations as `sqlite::accounts`.

use crate::domain::case::Tier;
use crate::domain::person::{Account, Contact};
use crate::store::rows::AccountManagers;
use crate::store::Result;
use postgres::Row;

use super::Conn;

fn account_from_row(r: &Row) -> Result<Account> {
    let tier: String = r.try_get(2)?;
    Ok(Account {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        tier: tier.parse().unwrap_or(Tier::Standard),
        account_manager: r.try_get(3)?,
        regional_manager: r.try_get(4)?,
        domains: Vec::new(),
        contacts: Vec::new(),
    })
}

const COLUMNS: &str = "id, name, tier, account_manager, regional_manager";

fn fill(conn: &Conn, mut a: Account) -> Result<Account> {
    a.domains = conn
        .query(
            "SELECT domain FROM account_domains WHERE account_id = $1 ORDER BY domain COLLATE \"C\"",
            &[&a.id],
        )?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect::<Result<_>>()?;
    a.contacts = conn
        .query(
            "SELECT name, email FROM contacts WHERE account_id = $1 ORDER BY email COLLATE \"C\"",
            &[&a.id],
        )?
        .iter()
        .map(|r| {
            Ok(Contact {
                name: r.try_get(0)?,
                email: r.try_get(1)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(a)
}

/// Inserts or updates the account by name, replacing its domains and contacts.
pub fn upsert(conn: &Conn, a: &Account, now: i64) -> Result<i64> {
    let id: i64 = conn
        .query_one(
            "INSERT INTO accounts (name, tier, account_manager, regional_manager, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (name) DO UPDATE SET tier = excluded.tier, account_manager = excluded.account_manager,
               regional_manager = excluded.regional_manager
             RETURNING id",
            &[
                &a.name,
                &a.tier.label(),
                &a.account_manager,
                &a.regional_manager,
                &now,
            ],
        )?
        .try_get(0)?;
    conn.execute("DELETE FROM account_domains WHERE account_id = $1", &[&id])?;
    conn.execute("DELETE FROM contacts WHERE account_id = $1", &[&id])?;
    for d in &a.domains {
        conn.execute(
            "INSERT INTO account_domains (domain, account_id) VALUES (lower($1), $2)",
            &[d, &id],
        )?;
    }
    for c in &a.contacts {
        conn.execute(
            "INSERT INTO contacts (email, name, account_id) VALUES (lower($1), $2, $3)",
            &[&c.email, &c.name, &id],
        )?;
    }
    Ok(id)
}

pub fn get_by_name(conn: &Conn, name: &str) -> Result<Option<Account>> {
    // Names are unique as written, so two may differ only in case: the
    // oldest wins, as SQLite's scan in id order finds it first.
    let a = conn
        .query_opt(
            &format!(
                "SELECT {COLUMNS} FROM accounts WHERE lower(name) = lower($1) ORDER BY id LIMIT 1"
            ),
            &[&name],
        )?
        .map(|r| account_from_row(&r))
        .transpose()?;
    a.map(|a| fill(conn, a)).transpose()
}

pub fn managers(conn: &Conn, name: &str) -> Result<Option<AccountManagers>> {
    // The oldest of names that differ only in case, as `get_by_name`.
    conn.query_opt(
        "SELECT account_manager, regional_manager FROM accounts
         WHERE lower(name) = lower($1) ORDER BY id LIMIT 1",
        &[&name],
    )?
    .map(|r| {
        Ok(AccountManagers {
            account_manager: r.try_get(0)?,
            regional_manager: r.try_get(1)?,
        })
    })
    .transpose()
}

pub fn get(conn: &Conn, id: i64) -> Result<Option<Account>> {
    let a = conn
        .query_opt(
            &format!("SELECT {COLUMNS} FROM accounts WHERE id = $1"),
            &[&id],
        )?
        .map(|r| account_from_row(&r))
        .transpose()?;
    a.map(|a| fill(conn, a)).transpose()
}

pub fn list(conn: &Conn) -> Result<Vec<Account>> {
    let accounts: Vec<Account> = conn
        .query(
            &format!(
                "SELECT {COLUMNS} FROM accounts ORDER BY CASE tier WHEN 'Platinum' THEN 0 WHEN 'Gold' THEN 1
                   WHEN 'Silver' THEN 2 WHEN 'Bronze' THEN 3 ELSE 4 END, name COLLATE \"C\""
            ),
            &[],
        )?
        .iter()
        .map(account_from_row)
        .collect::<Result<_>>()?;
    accounts.into_iter().map(|a| fill(conn, a)).collect()
}

/// Which account owns a domain or a contact address, and who else already claims it.
pub fn domain_owner(conn: &Conn, domain: &str) -> Result<Option<String>> {
    conn.query_opt(
        "SELECT a.name FROM account_domains d JOIN accounts a ON a.id = d.account_id WHERE d.domain = lower($1)",
        &[&domain],
    )?
    .map(|r| Ok(r.try_get(0)?))
    .transpose()
}

pub fn contact_owner(conn: &Conn, email: &str) -> Result<Option<String>> {
    conn.query_opt(
        "SELECT a.name FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE c.email = lower($1)",
        &[&email],
    )?
    .map(|r| Ok(r.try_get(0)?))
    .transpose()
}

/// The account a sender belongs to: exact contact address first, then the address's domain.
pub fn match_sender(conn: &Conn, email: &str) -> Result<Option<(i64, &'static str)>> {
    let email = email.to_lowercase();
    if let Some(r) = conn.query_opt(
        "SELECT account_id FROM contacts WHERE email = $1",
        &[&email],
    )? {
        return Ok(Some((r.try_get(0)?, "contact address")));
    }
    let Some((_, domain)) = email.rsplit_once('@') else {
        return Ok(None);
    };
    conn.query_opt(
        "SELECT account_id FROM account_domains WHERE domain = $1",
        &[&domain],
    )?
    .map(|r| Ok((r.try_get(0)?, "email domain")))
    .transpose()
}

#[cfg(test)]
mod tests {
    use crate::domain::case::Tier;
    use crate::domain::person::{Account, Contact, Person};
    use crate::store::accounts::{
        contact_owner, domain_owner, get, get_by_name, list, match_sender, upsert,
    };
    use crate::store::people;
    use crate::store::postgres::testing;

    fn account(
        name: &str,
        tier: Tier,
        domains: &[&str],
        contacts: &[(Option<&str>, &str)],
    ) -> Account {
        Account {
            id: 0,
            name: name.into(),
            tier,
            account_manager: Some("paige".into()),
            regional_manager: None,
            domains: domains.iter().map(|d| d.to_string()).collect(),
            contacts: contacts
                .iter()
                .map(|(name, email)| Contact {
                    name: name.map(String::from),
                    email: email.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn accounts_read_back_in_the_order_sqlite_gives() {
        testing::same_on_both(|db| {
            let paige = Person {
                handle: "paige".into(),
                name: "Paige".into(),
                email: "paige@desk.example".into(),
                roles: vec!["am".into()],
                regional_manager: None,
                pool: false,
                active: true,
                away_from: None,
                away_until: None,
                delegate: None,
            };
            people::insert(db, &paige, 0).unwrap();
            let acme = upsert(
                db,
                &account(
                    "acme",
                    Tier::Silver,
                    &["b.example", "Acme.example", "_x.example"],
                    &[
                        (Some("Ann"), "ANN@acme.example"),
                        (None, "Zed@other.example"),
                        (None, "bea@other.example"),
                    ],
                ),
                1,
            )
            .unwrap();
            for (name, tier) in [
                ("Zeta", Tier::Platinum),
                ("beta", Tier::Gold),
                ("Alpha", Tier::Gold),
                ("émile", Tier::Gold),
                ("_under", Tier::Standard),
                ("Bronze Co", Tier::Bronze),
            ] {
                upsert(db, &account(name, tier, &[], &[]), 1).unwrap();
            }
            // The same name again: updated in place, domains and contacts replaced.
            let again = upsert(
                db,
                &account(
                    "acme",
                    Tier::Gold,
                    &["acme.example", "c.example"],
                    &[(Some("Ann"), "ann@acme.example")],
                ),
                2,
            )
            .unwrap();
            format!(
                "{}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
                acme == again,
                get_by_name(db, "ACME").unwrap(),
                get(db, acme).unwrap().map(|a| a.name),
                get(db, acme + 100).unwrap(),
                list(db).unwrap(),
                domain_owner(db, "C.Example").unwrap(),
                domain_owner(db, "b.example").unwrap(),
                contact_owner(db, "Ann@Acme.example").unwrap(),
                contact_owner(db, "zed@other.example").unwrap(),
                match_sender(db, "ANN@acme.example").unwrap().map(|m| m.1),
                match_sender(db, "x@C.example").unwrap().map(|m| m.1),
                match_sender(db, "x@nowhere.example").unwrap(),
                match_sender(db, "no-at-sign").unwrap(),
            )
        });
    }
}
