//! The printers the daily views share (not a command): `due` and `overdue`
//! print due rows, `mine` and `owned` print my-case rows.

use anyhow::Result;
use chrono::{DateTime, Utc};

use crate::ctx::Ctx;
use crate::desk::views::{self, DueRow, MyCaseRow};
use crate::render::{self, grid};
use crate::store::cases::CaseFilter;

/// Lists the cases of `filter` due before `before`, by owner (queue last), then due time.
pub fn print_due(ctx: &Ctx, filter: CaseFilter, before: DateTime<Utc>, empty: &str) -> Result<()> {
    let rows = views::due(&ctx.desk(ctx.store()?.db()), filter, before)?;
    crate::cmd::print_view(ctx, &rows, &DUE_HEADERS, due_row, &[2, 3, 4], empty)
}

const DUE_HEADERS: [&str; 8] = [
    "case", "owner", "subject", "account", "status", "priority", "next due", "late",
];

/// A table row, times already local: case, owner, subject, account, status, priority, next due, late.
fn due_row(r: &DueRow, tz: chrono_tz::Tz) -> Vec<String> {
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

/// Prints `mine`/`owned`: open cases, next due first, in the global format.
pub fn print_my_cases(ctx: &Ctx, filter: CaseFilter, empty: &str) -> Result<()> {
    let rows = views::my_cases(&ctx.desk(ctx.store()?.db()), filter)?;
    crate::cmd::print_view(ctx, &rows, &MY_HEADERS, my_row, &[1, 2, 4], empty)
}

const MY_HEADERS: [&str; 8] = [
    "case", "subject", "account", "owner", "status", "priority", "opened", "next due",
];

/// The design's columns: case, subject, account, owner, status, priority, opened, next due.
fn my_row(r: &MyCaseRow, tz: chrono_tz::Tz) -> Vec<String> {
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
        render::due_cell(r.next_due, r.late_business_minutes, tz),
    ]
}
