//! `casebook owned`: My Cases (the cases I own and must keep the SLA on).

use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::cmd::due::{business_minutes_text, LateClock};
use crate::cmd::list::FilterArgs;
use crate::ctx::Ctx;
use crate::domain::case::{Priority, Status};
use crate::render::{self, Format};
use crate::store::cases::{CaseFilter, CaseOrder};
use crate::store::views::ViewCase;

/// Show the open cases you own (My Cases), next due first
///
/// You keep the communication SLA on these. Cases you created but handed on are
/// in `mine`. Takes every filter of `list`.
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
        (Some(d), None) => render::short_time(d, tz),
        (Some(d), Some(m)) => format!(
            "{} ({} late)",
            render::short_time(d, tz),
            business_minutes_text(m)
        ),
    }
}

/// Prints `mine`/`owned`: open cases, next due first, in the global format.
pub fn print_my_cases(ctx: &Ctx, mut filter: CaseFilter, empty: &str) -> Result<()> {
    let cal = ctx.calendar()?;
    filter.order = CaseOrder::NextDue;
    let found = crate::store::views::list(ctx.store()?.conn(), &filter)?;
    let clock = LateClock::new(cal, ctx.now);
    let rows: Vec<MyCaseRow> = found
        .iter()
        .map(|c| MyCaseRow::new(c, &clock, ctx.now))
        .collect();
    let view = ctx.view();
    match ctx.format {
        Format::Table | Format::Text => {
            if rows.is_empty() {
                ctx.note(empty);
                return Ok(());
            }
            let mut cells: Vec<Value> = rows.iter().map(|r| table_row(r, view.tz)).collect();
            fit(&mut cells, &["subject", "account"], view.width);
            write!(ctx.out(), "{}", render::table::render(&cells, &view))?;
            Ok(())
        }
        _ => render::rows(&mut ctx.out(), &view, &rows),
    }
}

/// The design's columns: case, subject, account, owner, status, priority, opened, next due.
fn table_row(r: &MyCaseRow, tz: chrono_tz::Tz) -> Value {
    let mut m = Map::new();
    m.insert("number".into(), json!(r.number));
    m.insert("subject".into(), json!(r.subject));
    m.insert("account".into(), json!(r.account.as_deref().unwrap_or("-")));
    m.insert("owner".into(), json!(r.owner.as_deref().unwrap_or("queue")));
    m.insert("status".into(), json!(r.status));
    m.insert("priority".into(), json!(r.priority));
    m.insert(
        "opened".into(),
        json!(r
            .opened_at
            .with_timezone(&tz)
            .format("%Y-%m-%d")
            .to_string()),
    );
    m.insert(
        "next_due".into(),
        json!(due_cell(r.next_due, r.late_business_minutes, tz)),
    );
    Value::Object(m)
}

/// Shortens the `flexible` columns (subject, account) of table rows so the table
/// fits `width`, leaving times, statuses and the overdue mark whole.
pub fn fit(rows: &mut [Value], flexible: &[&str], width: Option<usize>) {
    let Some(width) = width else { return };
    let Some(Value::Object(first)) = rows.first() else {
        return;
    };
    let keys: Vec<String> = first.keys().cloned().collect();
    let is_flex: Vec<bool> = keys
        .iter()
        .map(|k| flexible.contains(&k.as_str()))
        .collect();
    let mut natural: Vec<usize> = keys
        .iter()
        .map(|k| if k == "number" { 4 } else { k.chars().count() })
        .collect();
    for r in rows.iter() {
        if let Value::Object(m) = r {
            for (i, v) in m.values().enumerate().take(natural.len()) {
                let w = match v {
                    Value::String(s) => s.chars().count(),
                    // `#` and the digits of a case number.
                    Value::Number(n) => n.to_string().len() + 1,
                    other => render::cell(other).chars().count(),
                };
                natural[i] = natural[i].max(w);
            }
        }
    }
    // Each column has a space either side and a border.
    let total: usize = natural.iter().map(|w| w + 3).sum::<usize>() + 1;
    if total <= width {
        return;
    }
    let fixed: usize = natural
        .iter()
        .zip(&is_flex)
        .filter(|(_, f)| !**f)
        .map(|(w, _)| w + 3)
        .sum::<usize>()
        + 1
        + 3 * flexible.len();
    let flex_natural: usize = natural
        .iter()
        .zip(&is_flex)
        .filter(|(_, f)| **f)
        .map(|(w, _)| *w)
        .sum();
    if flex_natural == 0 {
        return;
    }
    let budget = width.saturating_sub(fixed).max(8 * flexible.len());
    let max: Vec<usize> = natural
        .iter()
        .map(|w| (budget * w / flex_natural).max(8))
        .collect();
    for r in rows.iter_mut() {
        if let Value::Object(m) = r {
            for (i, v) in m.values_mut().enumerate().take(max.len()) {
                if !is_flex[i] {
                    continue;
                }
                if let Value::String(s) = v {
                    if s.chars().count() > max[i] {
                        *s = s.chars().take(max[i] - 1).collect::<String>() + "…";
                    }
                }
            }
        }
    }
}
