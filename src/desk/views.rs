//! The rows of the daily views (`list`, `mine`, `owned`, `due`, `overdue`,
//! `search`): what each shows of a case, lateness in business time
//! included. Field names are stable: scripts read them from `--format json`.

use crate::domain::case::CaseNumber;
use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::desk::Desk;
use crate::domain::case::{Priority, Status};
use crate::domain::sla::{lateness_text, LateClock};
use crate::store::cases::{CaseFilter, CaseOrder};
use crate::store::views::{self, ViewCase};

/// The field names of a listing's rows, in order: what `--columns` and
/// `--sort` name, the CSV header (printed even when there are no rows), and
/// the FIELDS section of the man pages. A test keeps them equal to the
/// serialised rows.
pub trait Fields {
    const FIELDS: &'static [&'static str];
}

impl Fields for CaseRow {
    const FIELDS: &'static [&'static str] = &[
        "number",
        "subject",
        "account",
        "owner",
        "status",
        "priority",
        "opened_at",
        "next_due",
        "overdue",
    ];
}

impl Fields for DueRow {
    const FIELDS: &'static [&'static str] = &[
        "number",
        "owner",
        "subject",
        "account",
        "status",
        "priority",
        "next_due",
        "overdue",
        "late_business_minutes",
        "late",
    ];
}

impl Fields for MyCaseRow {
    const FIELDS: &'static [&'static str] = &[
        "number",
        "subject",
        "account",
        "owner",
        "status",
        "priority",
        "opened_at",
        "next_due",
        "overdue",
        "late_business_minutes",
    ];
}

/// One case in a listing. Field names are stable: scripts read them from `--format json`.
#[derive(Debug, Serialize)]
pub struct CaseRow {
    pub number: CaseNumber,
    pub subject: String,
    pub account: Option<String>,
    pub owner: Option<String>,
    pub status: Status,
    pub priority: Priority,
    pub opened_at: DateTime<Utc>,
    pub next_due: Option<DateTime<Utc>>,
    pub overdue: bool,
}

impl CaseRow {
    /// A case as a listing shows it, from a view's row (which the open-case indexes hold whole).
    pub fn from_view(c: &ViewCase, now: DateTime<Utc>) -> CaseRow {
        CaseRow {
            number: c.number,
            subject: c.subject.clone(),
            account: c.account.clone(),
            owner: c.owner.clone(),
            status: c.status,
            priority: c.priority,
            opened_at: c.opened_at,
            next_due: c.next_due,
            overdue: c.next_due.is_some_and(|d| d < now),
        }
    }
}

/// One case that needs contact. Field names are stable: scripts read them from `--format json`.
#[derive(Debug, Serialize)]
pub struct DueRow {
    pub number: CaseNumber,
    pub owner: Option<String>,
    pub subject: String,
    pub account: Option<String>,
    pub status: Status,
    pub priority: Priority,
    pub next_due: Option<DateTime<Utc>>,
    pub overdue: bool,
    /// Business minutes past the next due time; null when not overdue.
    pub late_business_minutes: Option<i64>,
    /// The same, as people read it (`3h 20m`); empty when not overdue.
    pub late: String,
}

impl DueRow {
    pub fn new(c: &ViewCase, clock: &LateClock<'_>, now: DateTime<Utc>) -> DueRow {
        let late = clock.late(c.next_due);
        DueRow {
            number: c.number,
            owner: c.owner.clone(),
            subject: c.subject.clone(),
            account: c.account.clone(),
            status: c.status,
            priority: c.priority,
            next_due: c.next_due,
            overdue: c.next_due.is_some_and(|d| d < now),
            late_business_minutes: late,
            late: late.map(lateness_text).unwrap_or_default(),
        }
    }
}

/// One case of `mine` or `owned`. Field names are stable: scripts read them from `--format json`.
#[derive(Debug, Serialize)]
pub struct MyCaseRow {
    pub number: CaseNumber,
    pub subject: String,
    pub account: Option<String>,
    pub owner: Option<String>,
    pub status: Status,
    pub priority: Priority,
    pub opened_at: DateTime<Utc>,
    pub next_due: Option<DateTime<Utc>>,
    pub overdue: bool,
    /// Business minutes past the next due time; null when not overdue.
    pub late_business_minutes: Option<i64>,
}

impl MyCaseRow {
    pub fn new(c: &ViewCase, clock: &LateClock<'_>, now: DateTime<Utc>) -> MyCaseRow {
        MyCaseRow {
            number: c.number,
            subject: c.subject.clone(),
            account: c.account.clone(),
            owner: c.owner.clone(),
            status: c.status,
            priority: c.priority,
            opened_at: c.opened_at,
            next_due: c.next_due,
            overdue: c.next_due.is_some_and(|d| d < now),
            late_business_minutes: clock.late(c.next_due),
        }
    }
}

/// The open cases of `filter` due before `before`, by owner (queue last), then due time.
pub fn due(desk: &Desk<'_>, mut filter: CaseFilter, before: DateTime<Utc>) -> Result<Vec<DueRow>> {
    let cal = desk.calendar()?;
    filter.due_before = Some(filter.due_before.map_or(before, |b| b.min(before)));
    filter.order = CaseOrder::OwnerThenDue;
    let found = views::list(desk.db, &filter)?;
    let clock = LateClock::new(cal, desk.now);
    Ok(found
        .iter()
        .map(|c| DueRow::new(c, &clock, desk.now))
        .collect())
}

/// The cases of `filter` for `mine`/`owned`: next due first.
pub fn my_cases(desk: &Desk<'_>, mut filter: CaseFilter) -> Result<Vec<MyCaseRow>> {
    let cal = desk.calendar()?;
    filter.order = CaseOrder::NextDue;
    let found = views::list(desk.db, &filter)?;
    let clock = LateClock::new(cal, desk.now);
    Ok(found
        .iter()
        .map(|c| MyCaseRow::new(c, &clock, desk.now))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys<T: Serialize>(row: &T) -> Vec<String> {
        match serde_json::to_value(row).unwrap() {
            serde_json::Value::Object(m) => m.keys().cloned().collect(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn field_names_are_the_serialised_rows_and_stay_stable() {
        let n = CaseNumber::new(1).unwrap();
        let t = DateTime::<Utc>::UNIX_EPOCH;
        let case = CaseRow {
            number: n,
            subject: String::new(),
            account: None,
            owner: None,
            status: Status::New,
            priority: Priority::Standard,
            opened_at: t,
            next_due: None,
            overdue: false,
        };
        let due = DueRow {
            number: n,
            owner: None,
            subject: String::new(),
            account: None,
            status: Status::New,
            priority: Priority::Standard,
            next_due: None,
            overdue: false,
            late_business_minutes: None,
            late: String::new(),
        };
        let mine = MyCaseRow {
            number: n,
            subject: String::new(),
            account: None,
            owner: None,
            status: Status::New,
            priority: Priority::Standard,
            opened_at: t,
            next_due: None,
            overdue: false,
            late_business_minutes: None,
        };
        assert_eq!(keys(&case), CaseRow::FIELDS);
        assert_eq!(keys(&due), DueRow::FIELDS);
        assert_eq!(keys(&mine), MyCaseRow::FIELDS);
        // Scripts read these names: renaming one breaks them. Change this
        // list only with a note in the release.
        assert_eq!(
            CaseRow::FIELDS.join(","),
            "number,subject,account,owner,status,priority,opened_at,next_due,overdue"
        );
        assert_eq!(
            DueRow::FIELDS.join(","),
            "number,owner,subject,account,status,priority,next_due,overdue,late_business_minutes,late"
        );
        assert_eq!(
            MyCaseRow::FIELDS.join(","),
            "number,subject,account,owner,status,priority,opened_at,next_due,overdue,late_business_minutes"
        );
    }
}
