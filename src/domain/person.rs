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
