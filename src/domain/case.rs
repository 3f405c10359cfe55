//! The case and its enumerations.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Folds a user's spelling ("in-progress", "In Progress", "in_progress") to one key.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let key = fold(s);
                $name::ALL.iter().copied().find(|v| fold(v.label()) == key).ok_or_else(|| {
                    let names: Vec<&str> = $name::ALL.iter().map(|v| v.label()).collect();
                    format!("unknown {} `{}`: use one of {}", $what, s, names.join(", "))
                })
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.label())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

named_enum!(
    /// Where a case stands. Closed statuses are terminal except by `reopen` or a customer reply.
    Status, "status", {
        New => "New",
        InProgress => "In Progress",
        OnHold => "On Hold",
        WaitingForDetails => "Waiting for Details",
        WaitingForAccountManager => "Waiting for Account Manager",
        WaitingForManagement => "Waiting for Management",
        WaitingForSupport => "Waiting for Support",
        Closed => "Closed",
        ClosedNoResponse => "Closed No Response",
    }
);

impl Status {
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Closed | Status::ClosedNoResponse)
    }

    /// Statuses in which the case waits on someone other than support; a reply from
    /// the contact then moves the case to Waiting for Support.
    pub fn is_waiting(self) -> bool {
        matches!(
            self,
            Status::WaitingForDetails
                | Status::OnHold
                | Status::WaitingForAccountManager
                | Status::WaitingForManagement
        )
    }
}

named_enum!(
    /// Priority: Standard and Expedited per the SOP, P1-P4 for record types that use them.
    Priority, "priority", {
        P1 => "P1",
        P2 => "P2",
        Expedited => "Expedited",
        P3 => "P3",
        Standard => "Standard",
        P4 => "P4",
    }
);

named_enum!(
    /// Account tier, highest first. Silver and above have a designated AM.
    Tier, "tier", {
        Platinum => "Platinum",
        Gold => "Gold",
        Silver => "Silver",
        Bronze => "Bronze",
        Standard => "Standard",
    }
);

impl Tier {
    /// Silver and above must have a designated account manager.
    pub fn needs_account_manager(self) -> bool {
        self <= Tier::Silver
    }
}

/// A case as stored: every field of design.md's vocabulary.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub number: i64,
    pub subject: String,
    pub description: String,
    pub account: Option<String>,
    pub tier: Option<Tier>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub origin: String,
    #[serde(rename = "type")]
    pub case_type: String,
    pub category: String,
    pub priority: Priority,
    pub status: Status,
    pub prior_status: Option<Status>,
    pub owner: Option<String>,
    pub creator: Option<String>,
    pub am: Option<String>,
    pub rm: Option<String>,
    pub support_rep: Option<String>,
    pub team: Option<String>,
    pub linked_case: Option<i64>,
    pub hold_until: Option<DateTime<Utc>>,
    pub hold_reason: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub status_changed_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub assigned_at: Option<DateTime<Utc>>,
    pub first_contact_at: Option<DateTime<Utc>>,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub last_inbound_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub handoff_at: Option<DateTime<Utc>>,
    pub first_contact_due: Option<DateTime<Utc>>,
    pub next_due: Option<DateTime<Utc>>,
}

/// What it takes to open a case; the store fills in number and timestamps.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub subject: String,
    pub description: String,
    pub account_id: Option<i64>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub origin: String,
    pub case_type: String,
    pub category: String,
    pub priority: Priority,
    pub creator: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub linked_case: Option<i64>,
    /// The SLA's due times, when known before the case is stored (ingest
    /// computes them so the case is written once, not written and updated).
    pub first_contact_due: Option<DateTime<Utc>>,
    pub next_due: Option<DateTime<Utc>>,
}

impl NewCase {
    pub fn new(subject: &str, opened_at: DateTime<Utc>) -> NewCase {
        NewCase {
            subject: subject.into(),
            description: String::new(),
            account_id: None,
            contact_name: None,
            contact_email: None,
            origin: "shell".into(),
            case_type: "Account Management".into(),
            category: "General Question".into(),
            priority: Priority::Standard,
            creator: None,
            opened_at,
            linked_case: None,
            first_contact_due: None,
            next_due: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_from_any_spelling() {
        for (input, want) in [
            ("new", Status::New),
            ("in-progress", Status::InProgress),
            ("In Progress", Status::InProgress),
            ("waiting_for_details", Status::WaitingForDetails),
            (
                "WAITING FOR ACCOUNT MANAGER",
                Status::WaitingForAccountManager,
            ),
            ("closed-no-response", Status::ClosedNoResponse),
        ] {
            assert_eq!(input.parse::<Status>().unwrap(), want, "{input}");
        }
        let err = "pending".parse::<Status>().unwrap_err();
        assert!(
            err.contains("`pending`") && err.contains("In Progress"),
            "{err}"
        );
    }

    #[test]
    fn tiers_order_and_account_manager_rule() {
        assert!(Tier::Platinum < Tier::Bronze);
        let needs: Vec<bool> = Tier::ALL
            .iter()
            .map(|t| t.needs_account_manager())
            .collect();
        assert_eq!(needs, [true, true, true, false, false]);
    }

    #[test]
    fn priorities_parse() {
        assert_eq!(
            "expedited".parse::<Priority>().unwrap(),
            Priority::Expedited
        );
        assert_eq!("p1".parse::<Priority>().unwrap(), Priority::P1);
        assert!("urgent".parse::<Priority>().is_err());
    }
}
