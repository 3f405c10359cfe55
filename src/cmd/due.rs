//! `casebook due`: what needs contact next, by owner; `--refresh` recomputes every
//! open case's due times after a change to `[calendar]` or `[sla]`.

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cmd::list::FilterArgs;
use crate::ctx::Ctx;
use crate::domain::calendar::Calendar;
use crate::domain::case::{Priority, Status};
use crate::store::views::ViewCase;
use crate::domain::sla::{self, BusinessDuration};
use crate::render::{self, Format};
use crate::store::cases::{CaseFilter, CaseOrder};

/// Show open cases whose next contact is due within a business-time window, by owner
///
/// Cases already overdue are included and marked with how late they are in
/// business time. Owners are sorted by handle, the queue last; each owner's
/// cases by next due time.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Business time from now, like `30m`, `4h`, `2d` or `1d4h`
    #[arg(long, value_name = "DURATION", default_value = "1d")]
    pub within: BusinessDuration,
    /// Recompute the due times of every open case (after a change to `[calendar]` or `[sla]`) and say how many changed
    #[arg(long)]
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
    pub fn new(c: &ViewCase, cal: &Calendar, now: DateTime<Utc>) -> DueRow {
        let late = late_minutes(cal, c.next_due, now);
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
pub fn print_due(ctx: &Ctx, mut filter: CaseFilter, before: DateTime<Utc>, empty: &str) -> Result<()> {
    let cal = ctx.calendar()?;
    filter.due_before = Some(filter.due_before.map_or(before, |b| b.min(before)));
    filter.order = CaseOrder::OwnerThenDue;
    let found = crate::store::views::list(ctx.store()?.conn(), &filter)?;
    let rows: Vec<DueRow> = found.iter().map(|c| DueRow::new(c, cal, ctx.now)).collect();
    if rows.is_empty() && matches!(ctx.format, Format::Table | Format::Text) {
        ctx.note(empty);
    }
    render::rows(&mut ctx.out(), &ctx.view(), &rows)
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    if args.refresh {
        return refresh_all(ctx);
    }
    let cal = ctx.calendar()?;
    let until = args.within.add_to(cal, ctx.now);
    let empty = format!(
        "nothing is due before {}",
        render::short_time(until, ctx.display_tz())
    );
    print_due(ctx, args.filter.to_filter(ctx), until, &empty)
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
            crate::due::refresh(tx, ctx, *n)?;
            if crate::store::views::due_times(tx, *n)? != before {
                changed += 1;
            }
        }
        Ok((numbers.len(), changed))
    })?;
    writeln_out(ctx, &format!("refreshed {total} open cases: {changed} due times changed"))
}

fn writeln_out(ctx: &Ctx, line: &str) -> Result<()> {
    use std::io::Write;
    writeln!(ctx.out(), "{line}")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
