//! Staff members and customer accounts.

use chrono::NaiveDate;
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
    /// An inactive person (left the team) is never notified and never given cases.
    pub active: bool,
    /// Away for the local dates `away_from..=away_until` (`people away`), covered by
    /// `delegate`: their cases and notifications go to the delegate.
    pub away_from: Option<NaiveDate>,
    pub away_until: Option<NaiveDate>,
    pub delegate: Option<String>,
}

impl Person {
    /// A person as `people add` and `people import` make them: active, not away.
    pub fn new(handle: &str, name: &str, email: &str) -> Person {
        Person {
            handle: handle.into(),
            name: name.into(),
            email: email.into(),
            roles: Vec::new(),
            regional_manager: None,
            pool: false,
            active: true,
            away_from: None,
            away_until: None,
            delegate: None,
        }
    }

    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    /// Whether the person is away on `day` (a local date of the desk).
    pub fn away_on(&self, day: NaiveDate) -> bool {
        match (self.away_from, self.away_until) {
            (Some(from), Some(until)) => from <= day && day <= until,
            _ => false,
        }
    }

    /// Who covers this person on `day`: the delegate while they are away, if any.
    pub fn covered_by(&self, day: NaiveDate) -> Option<&str> {
        self.delegate.as_deref().filter(|_| self.away_on(day))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn away_covers_both_ends_of_the_period() {
        let mut p = Person::new("amy", "Amy", "amy@x.example");
        p.away_from = Some(d("2026-11-23"));
        p.away_until = Some(d("2026-11-27"));
        p.delegate = Some("bob".into());
        let table = [
            ("2026-11-22", false, None),
            ("2026-11-23", true, Some("bob")),
            ("2026-11-27", true, Some("bob")),
            ("2026-11-28", false, None),
        ];
        for (day, away, cover) in table {
            assert_eq!(p.away_on(d(day)), away, "{day}");
            assert_eq!(p.covered_by(d(day)), cover, "{day}");
        }
        p.delegate = None;
        assert!(p.away_on(d("2026-11-24")) && p.covered_by(d("2026-11-24")).is_none());
        assert!(!Person::new("x", "X", "x@x.example").away_on(d("2026-11-24")));
    }
}
