//! `casebook due`: what needs contact next, by owner; `--refresh` recomputes every
//! open case's due times after a change to `[calendar]` or `[sla]`.

use std::cell::RefCell;
use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::cmd::list::FilterArgs;
use crate::ctx::Ctx;
use crate::domain::calendar::Calendar;
use crate::domain::case::{Priority, Status};
use crate::domain::sla::{self, BusinessDuration};
use crate::render::{self, grid};
use crate::store::cases::{CaseFilter, CaseOrder};
use crate::store::views::ViewCase;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Business time from now, like `30m`, `4h`, `2d` or `1d4h`
    #[arg(long, value_name = "DURATION", default_value = "1d")]
    pub within: BusinessDuration,
    /// Recompute the due times of every open case (after a change to `[calendar]` or `[sla]`) and say how many changed
    #[arg(long, conflicts_with = "within")]
    pub refresh: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Business minutes as people read them: `45m`, `3h`, `3h 20m`, `27h 5m`.
pub fn business_minutes_text(minutes: i64) -> String {
    sla::format_business_minutes(minutes)
}

/// How late a case's next contact is, in business minutes (`None` if it is not overdue).
pub fn late_minutes(
    cal: &Calendar,
    next_due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<i64> {
    sla::overdue_by(cal, next_due?, now).map(|m| m.max(0))
}

/// [`late_minutes`] for many cases at one `now`: the same answer as
/// [`sla::overdue_by`], but each whole business day between a due time and now
/// is measured once, not once per case (thousands of overdue cases, each days late).
pub struct LateClock<'a> {
    cal: &'a Calendar,
    now: DateTime<Utc>,
    today: NaiveDate,
    today_open: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// `back[k]`: the business time of the `k + 1` whole days before today.
    back: RefCell<Vec<Duration>>,
}

impl<'a> LateClock<'a> {
    pub fn new(cal: &'a Calendar, now: DateTime<Utc>) -> LateClock<'a> {
        let today = cal.local_date(now);
        LateClock {
            cal,
            now,
            today,
            today_open: cal.open_intervals(today),
            back: RefCell::new(Vec::new()),
        }
    }

    /// Business minutes `next_due` is past, or `None` if it is not overdue.
    pub fn late(&self, next_due: Option<DateTime<Utc>>) -> Option<i64> {
        let due = next_due?;
        if due >= self.now {
            return None;
        }
        let overlap = |ivs: &[(DateTime<Utc>, DateTime<Utc>)]| -> Duration {
            ivs.iter()
                .map(|&(a, b)| (b.min(self.now) - a.max(due)).max(Duration::zero()))
                .sum()
        };
        let day = self.cal.local_date(due);
        let total = if day >= self.today {
            overlap(&self.today_open)
        } else {
            let whole_days = (self.today - day).num_days() - 1;
            overlap(&self.cal.open_intervals(day))
                + self.whole_days_back(whole_days)
                + overlap(&self.today_open)
        };
        Some(total.num_minutes().max(0))
    }

    /// The business time of the `n` whole days before today.
    fn whole_days_back(&self, n: i64) -> Duration {
        let Ok(n) = usize::try_from(n) else {
            return Duration::zero();
        };
        if n == 0 {
            return Duration::zero();
        }
        let mut back = self.back.borrow_mut();
        while back.len() < n {
            let k = back.len();
            let date = self.today - chrono::Days::new(k as u64 + 1);
            let len: Duration = self
                .cal
                .open_intervals(date)
                .iter()
                .map(|&(a, b)| b - a)
                .sum();
            let prev = back.last().copied().unwrap_or_else(Duration::zero);
            back.push(prev + len);
        }
        back[n - 1]
    }
}

/// One case that needs contact. Field names are stable: scripts read them from `--format json`.
#[derive(Debug, Serialize)]
pub struct DueRow {
    pub number: i64,
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
            late: late.map(business_minutes_text).unwrap_or_default(),
        }
    }
}

/// Lists the cases of `filter` due before `before`, by owner (queue last), then due time.
pub fn print_due(
    ctx: &Ctx,
    mut filter: CaseFilter,
    before: DateTime<Utc>,
    empty: &str,
) -> Result<()> {
    let cal = ctx.calendar()?;
    filter.due_before = Some(filter.due_before.map_or(before, |b| b.min(before)));
    filter.order = CaseOrder::OwnerThenDue;
    let found = crate::store::views::list(ctx.store()?.db(), &filter)?;
    let clock = LateClock::new(cal, ctx.now);
    let rows: Vec<DueRow> = found
        .iter()
        .map(|c| DueRow::new(c, &clock, ctx.now))
        .collect();
    crate::cmd::print_view(ctx, &rows, &TABLE_HEADERS, table_row, &[2, 3, 4], empty)
}

const TABLE_HEADERS: [&str; 8] = [
    "case", "owner", "subject", "account", "status", "priority", "next due", "late",
];

/// A table row, times already local: case, owner, subject, account, status, priority, next due, late.
fn table_row(r: &DueRow, tz: chrono_tz::Tz) -> Vec<String> {
    vec![
        format!("#{}", r.number),
        r.owner.clone().unwrap_or_else(|| "queue".into()),
        grid::one_line(&r.subject),
        r.account
            .as_deref()
            .map_or_else(|| "-".into(), grid::one_line),
        r.status.label().to_string(),
        r.priority.label().to_string(),
        r.next_due
            .map(|d| grid::local_minute(d, tz))
            .unwrap_or_default(),
        r.late.clone(),
    ]
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    if args.refresh {
        return refresh_all(ctx);
    }
    let cal = ctx.calendar()?;
    let until = args.within.add_to(cal, ctx.now);
    let empty = format!(
        "nothing is due by {}",
        render::short_time(until, ctx.display_tz())
    );
    // Due *within* the window includes a case due exactly at its end (times are whole seconds).
    print_due(
        ctx,
        args.filter.to_filter(ctx),
        until + Duration::seconds(1),
        &empty,
    )
}

/// Recomputes the due times of every open case in one transaction.
fn refresh_all(ctx: &Ctx) -> Result<()> {
    ctx.calendar()?;
    let store = ctx.store()?;
    let (total, changed) = store.write(|tx| -> Result<(usize, usize)> {
        let numbers = crate::store::views::open_case_numbers(tx)?;
        let mut changed = 0;
        for n in &numbers {
            let before = crate::store::views::due_times(tx, *n)?;
            crate::desk::due::refresh(&ctx.desk(tx), *n)?;
            if crate::store::views::due_times(tx, *n)? != before {
                changed += 1;
            }
        }
        Ok((numbers.len(), changed))
    })?;
    writeln!(
        ctx.out(),
        "refreshed {total} open cases: {changed} due times changed"
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_clock_agrees_with_overdue_by() {
        use crate::domain::calendar::{CalendarConfig, Holiday};
        let mut cfg = CalendarConfig {
            timezone: "America/Chicago".into(),
            ..CalendarConfig::default()
        };
        cfg.hours.mon = vec!["08:00-12:00".into(), "13:00-17:00".into()];
        cfg.holidays = vec![
            Holiday {
                date: "2026-11-26".into(),
                name: None,
                hours: None,
            },
            Holiday {
                date: "12-24".into(),
                name: None,
                hours: Some(vec!["08:00-12:00".into()]),
            },
        ];
        let cal = Calendar::new(&cfg).unwrap();
        // Nows around a DST switch, a holiday, a partial day, a weekend and an evening.
        let nows = [
            "2026-11-03T15:20:00Z",
            "2026-11-27T16:00:00Z",
            "2026-12-24T19:30:00Z",
            "2026-12-28T14:59:30Z",
            "2026-11-23T23:00:00Z",
        ];
        let mut seed: i64 = 7;
        for now in nows {
            let now: DateTime<Utc> = now.parse().unwrap();
            let clock = LateClock::new(&cal, now);
            for _ in 0..400 {
                seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
                let due = now - Duration::seconds(seed % (40 * 86_400)) + Duration::seconds(600);
                assert_eq!(
                    clock.late(Some(due)),
                    late_minutes(&cal, Some(due), now),
                    "due {due} now {now}"
                );
            }
        }
    }

    #[test]
    fn business_minutes_read_well() {
        assert_eq!(business_minutes_text(0), "0m");
        assert_eq!(business_minutes_text(45), "45m");
        assert_eq!(business_minutes_text(180), "3h");
        assert_eq!(business_minutes_text(200), "3h 20m");
        assert_eq!(business_minutes_text(27 * 60 + 5), "27h 5m");
        assert_eq!(business_minutes_text(200), "3h 20m");
    }
}
