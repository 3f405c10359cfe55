//! The Monday/Thursday owner report of the SOP: open cases created by staff,
//! grouped by owner (the queue last), with team totals and lateness in
//! business time. Rendered by `render::report` (text, CSV) and
//! `render::html` (the mail).

use crate::domain::case::CaseNumber;
use std::collections::HashMap;

use anyhow::Result;
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;

use crate::desk::Desk;
use crate::domain::calendar::Calendar;
use crate::domain::case::{Priority, Status};
use crate::domain::sla::LateClock;
use crate::store::cases::{CaseFilter, CaseOrder};
use crate::store::people;
use crate::store::views::ViewCase;

/// The name the report gives cases nobody owns yet.
pub const QUEUE_NAME: &str = "Account Management Queue";

/// The whole report. Field names are stable: scripts read them from `--format json`.
#[derive(Debug, Serialize)]
pub struct Report {
    pub title: String,
    pub generated_at: DateTime<Utc>,
    /// The business time zone the report's local times are shown in.
    pub timezone: String,
    pub summary: Summary,
    /// Every open case (`--all-creators`), not only those created by staff.
    pub all_creators: bool,
    pub owners: Vec<OwnerGroup>,
    /// Who is away today and who covers them (design.md, Away and delegates).
    pub away: Vec<AwayLine>,
}

/// One person away today, with their last day away and their delegate.
#[derive(Debug, Serialize)]
pub struct AwayLine {
    pub handle: String,
    pub name: String,
    pub until: NaiveDate,
    pub delegate: Option<String>,
}

/// Team totals.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub open: usize,
    pub overdue: usize,
    /// Not overdue, but due before the end of today (business time zone).
    pub due_today: usize,
    /// Owners with open cases, the queue not counted.
    pub owners: usize,
    /// Open cases nobody owns yet.
    pub in_queue: usize,
}

/// One owner's cases; `owner` is null for the queue.
#[derive(Debug, Serialize)]
pub struct OwnerGroup {
    pub owner: Option<String>,
    pub name: String,
    pub open: usize,
    pub overdue: usize,
    pub cases: Vec<ReportCase>,
}

#[derive(Debug, Serialize)]
pub struct ReportCase {
    pub number: CaseNumber,
    pub subject: String,
    pub account: Option<String>,
    pub creator: Option<String>,
    pub status: Status,
    pub priority: Priority,
    pub opened_at: DateTime<Utc>,
    pub next_due: Option<DateTime<Utc>>,
    pub overdue: bool,
    /// Business minutes past the next due time; null when not overdue.
    pub late_business_minutes: Option<i64>,
    /// Business days the case has been open: business days after the day it
    /// was opened, up to and including today (0 on its first day).
    pub age_business_days: i64,
}

/// Business days after `opened`'s local day up to and including `now`'s,
/// day by day: the definition [`DaysOpen`] is checked against.
#[cfg(test)]
fn business_days_open(cal: &Calendar, opened: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let mut day = cal.local_date(opened);
    let today = cal.local_date(now);
    let mut n = 0;
    while day < today {
        day = day.succ_opt().unwrap_or(today);
        n += i64::from(cal.is_business_day(day));
    }
    n
}

/// `business_days_open` for many cases at one `now`: the count for each
/// local day back from today is worked out once, so a report of thousands of
/// open cases asks the calendar about each day once, not once per case and day.
struct DaysOpen<'a> {
    cal: &'a Calendar,
    today: NaiveDate,
    /// `back[k]`: business days open for a case opened `k` days before today.
    back: Vec<i64>,
}

impl<'a> DaysOpen<'a> {
    fn new(cal: &'a Calendar, now: DateTime<Utc>) -> DaysOpen<'a> {
        DaysOpen {
            cal,
            today: cal.local_date(now),
            back: vec![0],
        }
    }

    fn of(&mut self, opened: DateTime<Utc>) -> i64 {
        let day = self.cal.local_date(opened);
        let Ok(k) = usize::try_from((self.today - day).num_days()) else {
            return 0;
        };
        while self.back.len() <= k {
            let j = self.back.len() as u64;
            let newest = self
                .today
                .checked_sub_days(Days::new(j - 1))
                .is_some_and(|d| self.cal.is_business_day(d));
            let before = self.back[self.back.len() - 1];
            self.back.push(before + i64::from(newest));
        }
        self.back[k]
    }
}

impl OwnerGroup {
    /// "Amy Chen (amy)", or the queue's name.
    pub fn label(&self) -> String {
        match &self.owner {
            Some(h) if *h != self.name => format!("{} ({h})", self.name),
            _ => self.name.clone(),
        }
    }
}

/// Builds the report from the store at `desk.now`: the open cases created by
/// staff, or with `all_creators` every open case (the queue's in their own group).
pub fn build(desk: &Desk<'_>, all_creators: bool) -> Result<Report> {
    let cal = desk.calendar()?;
    let conn = desk.db;
    let filter = CaseFilter {
        open_only: true,
        staff_created: !all_creators,
        order: CaseOrder::OwnerThenDue,
        ..CaseFilter::default()
    };
    let found = crate::store::views::list(conn, &filter)?;
    let everyone = people::list(conn)?;
    let today = cal.local_date(desk.now);
    let away = everyone
        .iter()
        .filter(|p| p.active && p.away_on(today))
        .map(|p| AwayLine {
            handle: p.handle.clone(),
            name: p.name.clone(),
            until: p.away_until.unwrap_or(today),
            delegate: p.delegate.clone(),
        })
        .collect();
    let names: HashMap<String, String> = everyone.into_iter().map(|p| (p.handle, p.name)).collect();
    let mut report = assemble(desk, cal, &names, &found);
    report.all_creators = all_creators;
    report.away = away;
    Ok(report)
}

fn assemble(
    desk: &Desk<'_>,
    cal: &Calendar,
    names: &HashMap<String, String>,
    found: &[ViewCase],
) -> Report {
    let now = desk.now;
    let today = cal.local_date(now);
    let mut owners: Vec<OwnerGroup> = Vec::new();
    let mut due_today = 0;
    let clock = LateClock::new(cal, now);
    let mut days_open = DaysOpen::new(cal, now);
    for c in found {
        let late = clock.late(c.next_due);
        if late.is_none() && c.next_due.is_some_and(|d| cal.local_date(d) == today) {
            due_today += 1;
        }
        let row = ReportCase {
            number: c.number,
            subject: c.subject.clone(),
            account: c.account.clone(),
            creator: c.creator.clone(),
            status: c.status,
            priority: c.priority,
            opened_at: c.opened_at,
            next_due: c.next_due,
            overdue: late.is_some(),
            late_business_minutes: late,
            age_business_days: days_open.of(c.opened_at),
        };
        if owners.last().is_none_or(|g| g.owner != c.owner) {
            let name = match &c.owner {
                Some(h) => names.get(h).cloned().unwrap_or_else(|| h.clone()),
                None => QUEUE_NAME.to_string(),
            };
            owners.push(OwnerGroup {
                owner: c.owner.clone(),
                name,
                open: 0,
                overdue: 0,
                cases: Vec::new(),
            });
        }
        let g = owners.last_mut().expect("a group was just pushed");
        g.open += 1;
        g.overdue += usize::from(row.overdue);
        g.cases.push(row);
    }
    Report {
        title: format!("{}: open cases by owner", desk.config.desk.name),
        generated_at: now,
        timezone: cal.timezone().name().to_string(),
        summary: Summary {
            open: found.len(),
            overdue: owners.iter().map(|g| g.overdue).sum(),
            due_today,
            owners: owners.iter().filter(|g| g.owner.is_some()).count(),
            in_queue: owners
                .iter()
                .filter(|g| g.owner.is_none())
                .map(|g| g.open)
                .sum(),
        },
        all_creators: false,
        owners,
        away: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_counts_business_days_after_the_day_opened() {
        // The default calendar: New York, Monday to Friday.
        let cal = Calendar::default();
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let table = [
            // (opened, now, business days open)
            ("2026-11-23T14:00:00Z", "2026-11-23T20:00:00Z", 0), // the same Monday
            ("2026-11-20T15:00:00Z", "2026-11-23T14:00:00Z", 1), // Friday to Monday
            ("2026-11-21T15:00:00Z", "2026-11-22T15:00:00Z", 0), // a weekend
            ("2026-11-20T15:00:00Z", "2026-11-27T15:00:00Z", 5), // a week
            // 23:30 in New York on Monday is Tuesday in UTC: still opened Monday.
            ("2026-11-24T04:30:00Z", "2026-11-24T15:00:00Z", 1),
        ];
        for (opened, now, days) in table {
            assert_eq!(
                business_days_open(&cal, t(opened), t(now)),
                days,
                "{opened} → {now}"
            );
            assert_eq!(
                DaysOpen::new(&cal, t(now)).of(t(opened)),
                days,
                "{opened} → {now}"
            );
        }
    }

    /// The report's per-day memo agrees with the day-by-day count, asked in
    /// any order (older, newer, the future, the same day again).
    #[test]
    fn days_open_memo_agrees_with_counting_day_by_day() {
        let cal = Calendar::default();
        let now = "2026-11-23T14:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let mut memo = DaysOpen::new(&cal, now);
        for hours in [5, 400, 3, 0, 9000, 72, 400, -30, 26_000, 1] {
            let opened = now - chrono::Duration::hours(hours);
            assert_eq!(
                memo.of(opened),
                business_days_open(&cal, opened, now),
                "{hours} hours before"
            );
        }
    }
}
