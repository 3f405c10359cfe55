//! `casebook owned`: My Cases (the cases I own and must keep the SLA on).

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cmd::due::{business_minutes_text, LateClock};
use crate::cmd::list::FilterArgs;
use crate::ctx::Ctx;
use crate::domain::case::{Priority, Status};
use crate::render::grid;
use crate::store::cases::{CaseFilter, CaseOrder};
use crate::store::views::ViewCase;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    if args.filter.owner.is_some() {
        return Err(crate::error::user(
            "`owned` lists the cases you own: for someone else's, use `casebook list --owner HANDLE`",
        ));
    }
    let me = ctx.actor()?;
    let mut filter = args.filter.to_filter(ctx);
    filter.owner = Some(Some(me.handle.clone()));
    print_my_cases(ctx, filter, "you own no open cases")
}

/// One case of `mine` or `owned`. Field names are stable: scripts read them from `--format json`.
#[derive(Debug, Serialize)]
pub struct MyCaseRow {
    pub number: i64,
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

/// The next due time as a table cell: the local time, marked when overdue.
pub fn due_cell(next_due: Option<DateTime<Utc>>, late: Option<i64>, tz: chrono_tz::Tz) -> String {
    match (next_due, late) {
        (None, _) => "-".into(),
        (Some(d), None) => grid::local_minute(d, tz),
        (Some(d), Some(m)) => format!(
            "{} ({} late)",
            grid::local_minute(d, tz),
            business_minutes_text(m)
        ),
    }
}

/// Prints `mine`/`owned`: open cases, next due first, in the global format.
pub fn print_my_cases(ctx: &Ctx, mut filter: CaseFilter, empty: &str) -> Result<()> {
    let cal = ctx.calendar()?;
    filter.order = CaseOrder::NextDue;
    let found = crate::store::views::list(ctx.store()?.db(), &filter)?;
    let clock = LateClock::new(cal, ctx.now);
    let rows: Vec<MyCaseRow> = found
        .iter()
        .map(|c| MyCaseRow::new(c, &clock, ctx.now))
        .collect();
    crate::cmd::print_view(ctx, &rows, &TABLE_HEADERS, table_row, &[1, 2, 4], empty)
}

const TABLE_HEADERS: [&str; 8] = [
    "case", "subject", "account", "owner", "status", "priority", "opened", "next due",
];

/// The design's columns: case, subject, account, owner, status, priority, opened, next due.
fn table_row(r: &MyCaseRow, tz: chrono_tz::Tz) -> Vec<String> {
    vec![
        format!("#{}", r.number),
        grid::one_line(&r.subject),
        r.account
            .as_deref()
            .map_or_else(|| "-".into(), grid::one_line),
        r.owner.clone().unwrap_or_else(|| "queue".into()),
        r.status.label().to_string(),
        r.priority.label().to_string(),
        grid::local_date(r.opened_at, tz),
        due_cell(r.next_due, r.late_business_minutes, tz),
    ]
}
