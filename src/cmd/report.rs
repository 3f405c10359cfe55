//! `casebook report`: the Monday/Thursday owner report of the SOP, printed or mailed.

use std::collections::HashMap;
use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};

use crate::cmd::due::{business_minutes_text, LateClock};
use crate::ctx::Ctx;
use crate::domain::calendar::Calendar;
use crate::domain::case::{Priority, Status};
use crate::error;
use crate::render::{self, grid, table, Format, View};
use crate::store::cases::{CaseFilter, CaseOrder};
use crate::store::views::ViewCase;
use crate::store::{people, views};

/// The name the report gives cases nobody owns yet.
pub const QUEUE_NAME: &str = "Account Management Queue";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Mail the report (plain text with an HTML alternative) to `[report] recipients`; once per business day
    #[arg(long)]
    pub send: bool,
    /// With --send: mail it even if it was already sent today
    #[arg(long, requires = "send")]
    pub force: bool,
}

/// The whole report. Field names are stable: scripts read them from `--format json`.
#[derive(Debug, Serialize)]
pub struct Report {
    pub title: String,
    pub generated_at: DateTime<Utc>,
    /// The business time zone the report's local times are shown in.
    pub timezone: String,
    pub summary: Summary,
    pub owners: Vec<OwnerGroup>,
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
    pub number: i64,
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

/// Builds the report from the store at `ctx.now`.
pub fn build(ctx: &Ctx) -> Result<Report> {
    let cal = ctx.calendar()?;
    let conn = ctx.store()?.db();
    let filter = CaseFilter {
        open_only: true,
        staff_created: true,
        order: CaseOrder::OwnerThenDue,
        ..CaseFilter::default()
    };
    let found = crate::store::views::list(conn, &filter)?;
    let names: HashMap<String, String> = people::list(conn)?
        .into_iter()
        .map(|p| (p.handle, p.name))
        .collect();
    Ok(assemble(ctx, cal, &names, &found))
}

fn assemble(
    ctx: &Ctx,
    cal: &Calendar,
    names: &HashMap<String, String>,
    found: &[ViewCase],
) -> Report {
    let now = ctx.now;
    let today = cal.local_date(now);
    let mut owners: Vec<OwnerGroup> = Vec::new();
    let mut due_today = 0;
    let clock = LateClock::new(cal, now);
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
        title: format!("{}: open cases by owner", ctx.config.desk.name),
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
        owners,
    }
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    if args.send {
        return send(args, ctx);
    }
    let report = build(ctx)?;
    let view = ctx.view();
    let mut out = ctx.out();
    match ctx.format {
        Format::Table | Format::Text => write!(out, "{}", text(&report, &view))?,
        Format::Json => render::json(&mut out, &report)?,
        Format::Csv => render::rows(&mut out, &view, &flat_rows(&report))?,
        Format::Html => write!(out, "{}", render::html::report(&report, view.tz))?,
    }
    Ok(())
}

/// Mails the report once per business day (unless `--force`), recording the send.
fn send(args: &Args, ctx: &Ctx) -> Result<()> {
    let recipients = ctx.config.report.recipients.clone();
    if recipients.is_empty() {
        return Err(error::user(format!(
            "nobody to send the report to: list addresses under `[report] recipients` in `{}`",
            ctx.config_path.display()
        )));
    }
    let cal = ctx.calendar()?;
    let day = cal.local_date(ctx.now).format("%Y-%m-%d").to_string();
    let store = ctx.store()?;
    let tz = ctx.display_tz();
    if let Some(at) = views::report_sent_on(store.db(), &day)? {
        if !args.force {
            ctx.note(&format!(
                "the owner report for {day} was already sent at {}; nothing sent (pass `--force` to send it again)",
                render::short_time(at, tz)
            ));
            return Ok(());
        }
    }
    let report = build(ctx)?;
    let subject = format!("{} ({day})", ctx.config.report.subject);
    let view = View {
        format: Format::Text,
        width: None,
        tz,
    };
    let body = text(&report, &view);
    let html = render::html::report(&report, tz);
    let queued = store.write(|tx| -> Result<Option<String>> {
        // Checked again under the write lock: two crons must not both send.
        if !args.force && views::report_sent_on(tx, &day)?.is_some() {
            return Ok(None);
        }
        let id = crate::desk::notify::queue_mail(
            &ctx.desk(tx),
            "report",
            None,
            &recipients,
            &subject,
            &body,
            Some(&html),
        )?;
        views::record_report_send(tx, &day, ctx.now)?;
        Ok(Some(id))
    })?;
    if queued.is_none() {
        ctx.note(&format!(
            "the owner report for {day} was just sent by another casebook; nothing sent"
        ));
        return Ok(());
    }
    writeln!(
        ctx.out(),
        "queued the owner report for {day} to {} ({} open cases, {} overdue)",
        recipients.join(", "),
        report.summary.open,
        report.summary.overdue
    )?;
    Ok(())
}

/// The report as plain text: summary, owner totals, then each owner's cases.
pub fn text(r: &Report, view: &View) -> String {
    let mut s = String::new();
    let when = r.generated_at.with_timezone(&view.tz);
    s.push_str(&format!("{}\n", r.title));
    s.push_str(&format!(
        "{} ({})\n\n",
        when.format("%A %-d %B %Y %H:%M"),
        r.timezone
    ));
    let sm = &r.summary;
    s.push_str(&format!(
        "Team: {} open, {} overdue, {} due later today; {} owners, {} in the queue\n\n",
        sm.open, sm.overdue, sm.due_today, sm.owners, sm.in_queue
    ));
    if r.owners.is_empty() {
        s.push_str("No open cases created by staff.\n");
        return s;
    }
    let totals: Vec<Value> = r
        .owners
        .iter()
        .map(|g| json!({"owner": g.label(), "open": g.open, "overdue": g.overdue}))
        .collect();
    s.push_str(&table::render(&totals, view));
    for g in &r.owners {
        s.push_str(&format!(
            "\n{}: {} open, {} overdue\n",
            g.label(),
            g.open,
            g.overdue
        ));
        let rows: Vec<Vec<String>> = g.cases.iter().map(|c| case_cells(c, view.tz)).collect();
        s.push_str(&grid::render(&CASE_HEADERS, rows, &[1, 2, 4], view.width));
    }
    s
}

const CASE_HEADERS: [&str; 8] = [
    "case", "subject", "account", "creator", "status", "priority", "opened", "next due",
];

fn case_cells(c: &ReportCase, tz: chrono_tz::Tz) -> Vec<String> {
    vec![
        format!("#{}", c.number),
        grid::one_line(&c.subject),
        c.account
            .as_deref()
            .map_or_else(|| "-".into(), grid::one_line),
        c.creator.clone().unwrap_or_else(|| "-".into()),
        c.status.label().to_string(),
        c.priority.label().to_string(),
        grid::local_date(c.opened_at, tz),
        crate::cmd::owned::due_cell(c.next_due, c.late_business_minutes, tz),
    ]
}

/// One CSV row per case, with its owner.
#[derive(Debug, Serialize)]
struct FlatRow<'a> {
    owner: Option<&'a str>,
    owner_name: &'a str,
    number: i64,
    subject: &'a str,
    account: Option<&'a str>,
    creator: Option<&'a str>,
    status: Status,
    priority: Priority,
    opened_at: DateTime<Utc>,
    next_due: Option<DateTime<Utc>>,
    overdue: bool,
    late_business_minutes: Option<i64>,
    late: String,
}

fn flat_rows(r: &Report) -> Vec<FlatRow<'_>> {
    r.owners
        .iter()
        .flat_map(|g| {
            g.cases.iter().map(move |c| FlatRow {
                owner: g.owner.as_deref(),
                owner_name: &g.name,
                number: c.number,
                subject: &c.subject,
                account: c.account.as_deref(),
                creator: c.creator.as_deref(),
                status: c.status,
                priority: c.priority,
                opened_at: c.opened_at,
                next_due: c.next_due,
                overdue: c.overdue,
                late_business_minutes: c.late_business_minutes,
                late: c
                    .late_business_minutes
                    .map(business_minutes_text)
                    .unwrap_or_default(),
            })
        })
        .collect()
}
