//! The case and its enumerations.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Folds a user's spelling ("in-progress", "In Progress", "in_progress") to one key.
pub(crate) fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// An enum of named values: `ALL`, `label()`, `Display` as the label, a forgiving
/// `FromStr` (any case, spaces, `-` or `_`: see [`fold`]) whose error names the valid
/// labels, and serde as the label. Usable from sibling modules
/// (`use super::case::named_enum;`): every path in it is absolute.
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

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::string::String;
            fn from_str(s: &str) -> ::std::result::Result<Self, ::std::string::String> {
                // Stored values are the labels themselves: no folding needed.
                if let Some(v) = $name::ALL.iter().copied().find(|v| v.label() == s) {
                    return Ok(v);
                }
                let key = $crate::domain::case::fold(s);
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| $crate::domain::case::fold(v.label()) == key)
                    .ok_or_else(|| {
                        let names: ::std::vec::Vec<&str> =
                            $name::ALL.iter().map(|v| v.label()).collect();
                        format!("unknown {} `{}`: use one of {}", $what, s, names.join(", "))
                    })
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.label())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::string::String as ::serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    };
}
pub(crate) use named_enum;

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

    /// The case waits on someone other than support: the customer (Waiting for
    /// Details, On Hold until the agreed date), the account manager or management.
    /// A reply from the customer wakes such a case: it moves to Waiting for Support,
    /// remembering this status as the prior one (`desk::change::customer_replied`, and
    /// the `CustomerReply` rule of [`check_transition`](super::rules::check_transition)).
    /// New, In Progress, Waiting for Support and the closed statuses are not.
    pub fn waits_on_others(self) -> bool {
        matches!(
            self,
            Status::WaitingForDetails
                | Status::OnHold
                | Status::WaitingForAccountManager
                | Status::WaitingForManagement
        )
    }

    /// The case waits on someone other than support with no agreed date: the
    /// "Waiting for ..." statuses except Waiting for Support, that is
    /// [`waits_on_others`](Status::waits_on_others) without On Hold (whose
    /// `hold_until` says when to act). Only these may be closed by sweep's
    /// integration no-response rule (`Closed No Response` after days without
    /// inbound mail).
    pub fn waits_open_ended(self) -> bool {
        self.waits_on_others() && self != Status::OnHold
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

impl Priority {
    /// The key of this priority's rule in the `[sla]` config table and in
    /// [`SlaConfig`](super::sla::SlaConfig): the label in lowercase
    /// (`standard`, `expedited`, `p1` … `p4`), where people read `Standard`,
    /// `Expedited`, `P1`. The database stores the label.
    pub fn sla_key(self) -> &'static str {
        match self {
            Priority::P1 => "p1",
            Priority::P2 => "p2",
            Priority::Expedited => "expedited",
            Priority::P3 => "p3",
            Priority::Standard => "standard",
            Priority::P4 => "p4",
        }
    }

    /// The priority an `[sla]` key names, the way [`SlaConfig::rule`](super::sla::SlaConfig::rule)
    /// matches keys: surrounding space and letter case ignored, nothing else.
    pub fn parse_sla_key(key: &str) -> Result<Priority, String> {
        let k = key.trim();
        Priority::ALL
            .iter()
            .copied()
            .find(|p| p.sla_key().eq_ignore_ascii_case(k))
            .ok_or_else(|| {
                let keys: Vec<&str> = Priority::ALL.iter().map(|p| p.sla_key()).collect();
                format!(
                    "unknown SLA priority key `{key}`: use one of {}",
                    keys.join(", ")
                )
            })
    }
}

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

/// A case's number: the `cases.id` the store hands out (SQLite's `INTEGER PRIMARY
/// KEY`, an `i64`), always 1 or more.
///
/// It prints the way case numbers print today: serde gives the bare integer
/// (`"number": 42` in JSON, `42` in CSV; tables turn a `number` column into `#42`),
/// and [`Display`](fmt::Display) is the bare integer too, so an `i64` can be swapped
/// for it without changing any `format!` (most of which write `#{}`). [`tag`](CaseNumber::tag)
/// gives `#42`. It parses from `42` or `#42` like the command line's case arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseNumber(i64);

impl CaseNumber {
    /// `None` unless `n >= 1`.
    pub fn new(n: i64) -> Option<CaseNumber> {
        (n >= 1).then_some(CaseNumber(n))
    }

    /// The number as the store keeps it.
    pub fn get(self) -> i64 {
        self.0
    }

    /// The case tag people read: `#42`.
    pub fn tag(self) -> String {
        format!("#{}", self.0)
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for CaseNumber {
    type Err = String;
    /// `42`, `#42` or ` #42 `; 0, negatives and anything else are refused (the same
    /// inputs and message as `cmd::parse_case_number`).
    fn from_str(s: &str) -> Result<Self, String> {
        s.trim()
            .trim_start_matches('#')
            .parse::<i64>()
            .ok()
            .and_then(CaseNumber::new)
            .ok_or_else(|| format!("`{s}` is not a case number like 42 or #42"))
    }
}

impl TryFrom<i64> for CaseNumber {
    type Error = String;
    fn try_from(n: i64) -> Result<Self, String> {
        CaseNumber::new(n).ok_or_else(|| format!("`{n}` is not a case number: they start at 1"))
    }
}

impl From<CaseNumber> for i64 {
    fn from(n: CaseNumber) -> i64 {
        n.0
    }
}

impl Serialize for CaseNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for CaseNumber {
    /// The bare integer, as serialized.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = <i64 as serde::Deserialize>::deserialize(d)?;
        CaseNumber::try_from(n).map_err(serde::de::Error::custom)
    }
}

/// A case as stored: every field a case has (docs/rules.md).
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub number: CaseNumber,
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
    pub linked_case: Option<CaseNumber>,
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
    /// The quoted history below the customer's own text (`mail::quoted`),
    /// empty when there is none.
    pub quoted: String,
    pub account_id: Option<i64>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub origin: String,
    pub case_type: String,
    pub category: String,
    pub priority: Priority,
    pub creator: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub linked_case: Option<CaseNumber>,
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
            quoted: String::new(),
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
    fn waiting_predicates_table() {
        use Status::*;
        // status, waits_on_others, waits_open_ended
        let table = [
            (New, false, false),
            (InProgress, false, false),
            (OnHold, true, false),
            (WaitingForDetails, true, true),
            (WaitingForAccountManager, true, true),
            (WaitingForManagement, true, true),
            (WaitingForSupport, false, false),
            (Closed, false, false),
            (ClosedNoResponse, false, false),
        ];
        assert_eq!(table.map(|(s, _, _)| s), Status::ALL);
        for (s, others, open_ended) in table {
            assert_eq!(s.waits_on_others(), others, "{s}");
            assert_eq!(s.waits_open_ended(), open_ended, "{s}");
            assert!(others || !open_ended, "{s}: open-ended waits are waits");
        }
    }

    #[test]
    fn case_numbers_parse_print_and_serialize_as_today() {
        for (input, want) in [
            ("42", 42),
            ("#42", 42),
            (" #7 ", 7),
            ("1", 1),
            ("##3", 3),
            ("9223372036854775807", i64::MAX),
        ] {
            let n: CaseNumber = input.parse().unwrap();
            assert_eq!(n.get(), want, "{input}");
            assert_eq!(i64::from(n), want);
        }
        for input in [
            "",
            "#",
            "x",
            "0",
            "#0",
            "-1",
            "4.2",
            "42x",
            "# 42",
            "99999999999999999999",
        ] {
            assert_eq!(
                input.parse::<CaseNumber>().unwrap_err(),
                format!("`{input}` is not a case number like 42 or #42"),
                "{input:?}"
            );
        }
        let n = CaseNumber::new(42).unwrap();
        assert_eq!(n.to_string(), "42");
        assert_eq!(format!("#{n}"), "#42");
        assert_eq!(n.tag(), "#42");
        assert_eq!(serde_json::to_string(&n).unwrap(), "42");
        assert_eq!(
            serde_json::to_value(n).unwrap(),
            serde_json::json!(42),
            "a number, so tables show the `number` column as #42"
        );
        assert_eq!(serde_json::from_str::<CaseNumber>("42").unwrap(), n);
        assert!(serde_json::from_str::<CaseNumber>("0").is_err());
        assert!(serde_json::from_str::<CaseNumber>("\"#42\"").is_err());
        assert_eq!(CaseNumber::new(0), None);
        assert_eq!(CaseNumber::new(-5), None);
        assert_eq!(CaseNumber::try_from(7).map(CaseNumber::get), Ok(7));
        assert_eq!(
            CaseNumber::try_from(0).unwrap_err(),
            "`0` is not a case number: they start at 1"
        );
        assert!(CaseNumber::new(2) < CaseNumber::new(10));
    }

    #[test]
    fn sla_keys_are_the_config_keys() {
        use super::super::sla::{SlaConfig, FALLBACK_PRIORITY};
        let table = [
            (Priority::P1, "P1", "p1"),
            (Priority::P2, "P2", "p2"),
            (Priority::Expedited, "Expedited", "expedited"),
            (Priority::P3, "P3", "p3"),
            (Priority::Standard, "Standard", "standard"),
            (Priority::P4, "P4", "p4"),
        ];
        assert_eq!(table.map(|(p, _, _)| p), Priority::ALL);
        for (p, label, key) in table {
            assert_eq!(p.label(), label);
            assert_eq!(p.sla_key(), key);
            assert_eq!(Priority::parse_sla_key(key), Ok(p));
            assert_eq!(Priority::parse_sla_key(label), Ok(p));
            assert_eq!(Priority::parse_sla_key(&format!(" {label} ")), Ok(p));
            assert_eq!(key.parse::<Priority>(), Ok(p));
        }
        // The built-in [sla] table has exactly one rule per priority, under its key.
        let defaults = SlaConfig::default();
        let keys: Vec<&str> = defaults.0.keys().map(String::as_str).collect();
        let mut want: Vec<&str> = Priority::ALL.iter().map(|p| p.sla_key()).collect();
        want.sort();
        assert_eq!(keys, want);
        assert_eq!(Priority::Standard.sla_key(), FALLBACK_PRIORITY);
        assert_eq!(
            Priority::parse_sla_key("urgent").unwrap_err(),
            "unknown SLA priority key `urgent`: use one of p1, p2, expedited, p3, standard, p4"
        );
        assert!(Priority::parse_sla_key("p-1").is_err());
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
