//! The rows of the daily views (`list`, `mine`, `owned`, `due`, `overdue`,
//! `search`): what each shows of a case, lateness in business time
//! included. Field names are stable: scripts read them from `--format json`.

use crate::domain::case::CaseNumber;
use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::desk::Desk;
use crate::domain::case::{Case, Priority, Status};
use crate::domain::sla::{format_business_minutes, LateClock};
use crate::store::cases::{CaseFilter, CaseOrder};
use crate::store::views::{self, ViewCase};

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
    pub fn new(c: &Case, now: DateTime<Utc>) -> CaseRow {
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
            late: late.map(format_business_minutes).unwrap_or_default(),
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
