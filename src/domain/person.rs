//! Staff members and customer accounts.

use serde::Serialize;

use super::case::Tier;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Person {
    pub handle: String,
    pub name: String,
    pub email: String,
    pub roles: Vec<String>,
    pub regional_manager: Option<String>,
    pub pool: bool,
}

impl Person {
    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }
}

/// The roles a person may hold.
pub const ROLES: &[&str] = &["am", "rm", "agent", "lead"];

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Contact {
    pub name: Option<String>,
    pub email: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Account {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub tier: Tier,
    pub account_manager: Option<String>,
    pub regional_manager: Option<String>,
    pub domains: Vec<String>,
    pub contacts: Vec<Contact>,
}

/// Whether `s` looks like one email address (`local@domain.tld`).
pub fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !s.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// Whether `d` is a domain name (labels of letters, digits and `-`, with a dot).
pub fn valid_domain(d: &str) -> bool {
    d.contains('.')
        && d.split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// Checks one person's own fields; references to other people are checked by the caller.
pub fn problems(p: &Person) -> Vec<String> {
    let mut problems = Vec::new();
    if p.handle.is_empty()
        || !p
            .handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        problems.push(format!(
            "handle `{}` must be a login name (letters, digits, `.`, `_`, `-`)",
            p.handle
        ));
    }
    if p.name.trim().is_empty() {
        problems.push("name is empty".into());
    }
    if !looks_like_email(&p.email) {
        problems.push(format!("email `{}` is not an address", p.email));
    }
    for r in &p.roles {
        if !ROLES.contains(&r.as_str()) {
            problems.push(format!("role `{r}` is unknown: use {}", ROLES.join(", ")));
        }
    }
    problems
}
