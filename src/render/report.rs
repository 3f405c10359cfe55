//! The owner report as plain text (the terminal, and the mail's text part)
//! and as CSV rows.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};

use super::{grid, table, View};
use crate::desk::report::{Report, ReportCase};
use crate::domain::case::{Priority, Status};
use crate::domain::sla::format_business_minutes;

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
    for a in &r.away {
        let cover = match &a.delegate {
            Some(d) => format!("covered by {d}"),
            None => "no delegate".to_string(),
        };
        s.push_str(&format!(
            "Away: {} ({}) until {}, {cover}\n",
            a.name, a.handle, a.until
        ));
    }
    if !r.away.is_empty() {
        s.push('\n');
    }
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
        super::due_cell(c.next_due, c.late_business_minutes, tz),
    ]
}

/// One CSV row per case, with its owner.
#[derive(Debug, Serialize)]
pub struct FlatRow<'a> {
    owner: Option<&'a str>,
    owner_name: &'a str,
    number: crate::domain::case::CaseNumber,
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

pub fn flat_rows(r: &Report) -> Vec<FlatRow<'_>> {
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
                    .map(format_business_minutes)
                    .unwrap_or_default(),
            })
        })
        .collect()
}
