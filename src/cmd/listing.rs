//! The printers the daily views share (not a command): `due` and `overdue`
//! print due rows, `mine` and `owned` print my-case rows.

use anyhow::Result;
use chrono::{DateTime, Utc};

use crate::cmd::args::ShapeArgs;
use crate::cmd::ViewColumn;
use crate::ctx::Ctx;
use crate::desk::views::{self, DueRow, MyCaseRow};
use crate::render::grid::{self, Cell, Mark};
use crate::render::{self, View};
use crate::store::cases::CaseFilter;

/// Lists the cases of `filter` due before `before`, by owner (queue last), then due time.
pub fn print_due(
    ctx: &Ctx,
    shape: &ShapeArgs,
    filter: CaseFilter,
    before: DateTime<Utc>,
    empty: &str,
) -> Result<()> {
    let rows = views::due(&ctx.desk(ctx.store()?.db()), filter, before)?;
    crate::cmd::print_view(ctx, shape, &rows, &DUE_COLUMNS, due_row, empty)
}

/// The columns of `due` and `overdue`: subject and account give way first.
const DUE_COLUMNS: [ViewColumn; 8] = [
    ("number", false, None),
    ("owner", false, None),
    ("subject", true, None),
    ("account", true, Some(0)),
    ("status", false, Some(1)),
    ("priority", false, None),
    ("next_due", false, None),
    ("late", false, None),
];

/// A table row, times already local: case, owner, subject, account, status, priority, next due, late.
fn due_row(r: &DueRow, view: &View) -> Vec<Cell> {
    let due = render::due_mark(r.next_due, view.now, view.tz);
    vec![
        format!("#{}", r.number).into(),
        r.owner.clone().unwrap_or_else(|| "queue".into()).into(),
        grid::one_line(&r.subject).into(),
        r.account
            .as_deref()
            .map_or_else(|| "-".into(), grid::one_line)
            .into(),
        r.status.label().to_string().into(),
        Cell::marked(
            r.priority.label(),
            render::priority_mark(r.priority.label()),
        ),
        Cell::marked(
            r.next_due
                .map(|d| grid::local_minute(d, view.tz))
                .unwrap_or_default(),
            due,
        ),
        Cell::marked(
            r.late.clone(),
            if r.overdue {
                Mark::Overdue
            } else {
                Mark::Plain
            },
        ),
    ]
}

/// Prints `mine`/`owned`: open cases, next due first, in the global format.
pub fn print_my_cases(ctx: &Ctx, shape: &ShapeArgs, filter: CaseFilter, empty: &str) -> Result<()> {
    let rows = views::my_cases(&ctx.desk(ctx.store()?.db()), filter)?;
    crate::cmd::print_view(ctx, shape, &rows, &MY_COLUMNS, my_row, empty)
}

/// The design's columns: case, subject, account, owner, status, priority, opened, next due.
const MY_COLUMNS: [ViewColumn; 8] = [
    ("number", false, None),
    ("subject", true, None),
    ("account", true, Some(1)),
    ("owner", false, Some(2)),
    ("status", false, Some(3)),
    ("priority", false, None),
    ("opened_at", false, Some(0)),
    ("next_due", false, None),
];

fn my_row(r: &MyCaseRow, view: &View) -> Vec<Cell> {
    vec![
        format!("#{}", r.number).into(),
        grid::one_line(&r.subject).into(),
        r.account
            .as_deref()
            .map_or_else(|| "-".into(), grid::one_line)
            .into(),
        r.owner.clone().unwrap_or_else(|| "queue".into()).into(),
        r.status.label().to_string().into(),
        Cell::marked(
            r.priority.label(),
            render::priority_mark(r.priority.label()),
        ),
        grid::local_date(r.opened_at, view.tz).into(),
        Cell::marked(
            render::due_cell(r.next_due, r.late_business_minutes, view.tz),
            render::due_mark(r.next_due, view.now, view.tz),
        ),
    ]
}
