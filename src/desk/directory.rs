//! The desk's directory: staff and accounts checked against each other
//! before an import or an edit is stored.

use anyhow::Result;

use crate::domain::person::{self, Account};
use crate::store::{accounts, people, Db};

/// Checks an account against the people and the other accounts; returns every problem.
pub fn account_problems(conn: &Db, a: &mut Account) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    if a.name.trim().is_empty() {
        problems.push("name is empty".into());
    }
    match &a.account_manager {
        None if a.tier.needs_account_manager() => problems.push(format!(
            "{} accounts need a designated account manager (`account_manager` is empty)",
            a.tier
        )),
        Some(am) => match people::get(conn, am)? {
            None => problems.push(format!(
                "account manager `{am}` is not a person: add them first"
            )),
            Some(p) => {
                if a.regional_manager.is_none() {
                    a.regional_manager = p.regional_manager.clone();
                }
            }
        },
        None => {}
    }
    if let Some(rm) = &a.regional_manager {
        if people::get(conn, rm)?.is_none() {
            problems.push(format!(
                "regional manager `{rm}` is not a person: add them first"
            ));
        }
    }
    for d in &a.domains {
        if !person::valid_domain(d) {
            problems.push(format!("domain `{d}` is not a domain name"));
        } else if let Some(owner) = accounts::domain_owner(conn, d)?.filter(|o| o != &a.name) {
            problems.push(format!("domain `{d}` already belongs to `{owner}`"));
        }
    }
    for c in &a.contacts {
        if let Some(owner) = accounts::contact_owner(conn, &c.email)?.filter(|o| o != &a.name) {
            problems.push(format!(
                "contact `{}` already belongs to `{owner}`",
                c.email
            ));
        }
    }
    Ok(problems)
}
