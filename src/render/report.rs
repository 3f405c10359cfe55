//! The owner report as plain text (the terminal, and the mail's text part)
//! and as CSV rows.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};

use super::grid::{self, Cell, Column, Fit};
use super::{table, View};
use crate::desk::report::{Report, ReportCase};
use crate::domain::case::{Priority, Status};
use crate::domain::sla::lateness_text;

/// The report as plain text: summary, owner totals, then each owner's cases.
pub fn text(r: &Report, view: &View) -> String {
    let mut s = String::new();
    let when = r.generated_at.with_timezone(&view.tz);
    let fitted = |line: String| -> String {
        match view.width {
            Some(w) => grid::wrap(&line, w).join("\n"),
            None => line,
        }
    };
    s.push_str(&format!("{}\n", fitted(r.title.clone())));
    s.push_str(&format!(
        "{}\n\n",
        fitted(format!(
            "{} ({})",
            when.format("%A %-d %B %Y %H:%M"),
            r.timezone
        ))
    ));
    let sm = &r.summary;
    s.push_str(&format!(
        "{}\n\n",
        fitted(format!(
            "Team: {} open, {} overdue, {} due later today; {} owners, {} in the queue",
            sm.open, sm.overdue, sm.due_today, sm.owners, sm.in_queue
        ))
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
    s.push_str(&table::render(&totals, view, false));
    let columns: Vec<Column> = CASE_COLUMNS
        .iter()
        .map(|(h, free, rank)| match rank {
            Some(r) => Column::new(*h, *free).optional(*r),
            None => Column::new(*h, *free),
        })
        .collect();
    let fit = Fit {
        width: view.width,
        color: view.color,
    };
    let groups: Vec<Vec<Vec<Cell>>> = r
        .owners
        .iter()
        .map(|g| g.cases.iter().map(|c| case_cells(c, view)).collect())
        .collect();
    // One layout for every owner, so the columns line up down the report.
    let tables = grid::render_groups(&columns, &groups, fit);
    for (g, table) in r.owners.iter().zip(tables) {
        s.push_str(&format!(
            "\n{}\n",
            fitted(format!(
                "{}: {} open, {} overdue",
                g.label(),
                g.open,
                g.overdue
            ))
        ));
        s.push_str(&table);
    }
    s
}

/// Each owner's columns; subject and account give way first.
/// The report as the mail's plain-text part: no columns to line up (mail
/// apps show it in a proportional font), one short paragraph per case,
/// every case listed (the HTML part caps each owner).
pub fn mail_text(r: &Report, tz: chrono_tz::Tz) -> String {
    let mut s = String::new();
    let when = r.generated_at.with_timezone(&tz);
    s.push_str(&format!(
        "{}\n{} ({})\n\n",
        r.title,
        when.format("%A %-d %B %Y %H:%M"),
        r.timezone
    ));
    let sm = &r.summary;
    s.push_str(&format!(
        "Team: {} open, {} overdue, {} due later today; {} owners, {} in the queue\n",
        sm.open, sm.overdue, sm.due_today, sm.owners, sm.in_queue
    ));
    if r.owners.is_empty() {
        s.push_str("\nNo open cases created by staff.\n");
        return s;
    }
    for g in &r.owners {
        s.push_str(&format!(
            "\n{}: {} open, {} overdue\n",
            g.label(),
            g.open,
            g.overdue
        ));
        for c in &g.cases {
            let due = match (c.next_due, c.late_business_minutes) {
                (None, _) => "no contact due".to_string(),
                (Some(d), None) => format!("next due {}", grid::local_minute(d, tz)),
                (Some(d), Some(m)) => format!(
                    "OVERDUE since {} ({} late)",
                    grid::local_minute(d, tz),
                    lateness_text(m)
                ),
            };
            let days = if c.age_business_days == 1 {
                "day"
            } else {
                "days"
            };
            s.push_str(&format!(
                "- #{} {}\n  {} / {} / {} / {} business {days} open / {} / created by {}\n",
                c.number,
                super::terminal_text(&grid::one_line(&c.subject)),
                due,
                c.priority.label(),
                c.status.label(),
                c.age_business_days,
                c.account
                    .as_deref()
                    .map_or_else(|| "no account".into(), grid::one_line),
                c.creator.as_deref().unwrap_or("-"),
            ));
        }
    }
    s
}

const CASE_COLUMNS: [(&str, bool, Option<u8>); 8] = [
    ("case", false, None),
    ("subject", true, None),
    ("account", true, Some(2)),
    ("creator", false, Some(1)),
    ("status", false, Some(3)),
    ("priority", false, None),
    ("opened", false, Some(0)),
    ("next due", false, None),
];

fn case_cells(c: &ReportCase, view: &View) -> Vec<Cell> {
    vec![
        format!("#{}", c.number).into(),
        grid::one_line(&c.subject).into(),
        c.account
            .as_deref()
            .map_or_else(|| "-".into(), grid::one_line)
            .into(),
        c.creator.clone().unwrap_or_else(|| "-".into()).into(),
        c.status.label().to_string().into(),
        Cell::marked(c.priority.label(), super::priority_mark(c.priority.label())),
        grid::local_date(c.opened_at, view.tz).into(),
        Cell::marked(
            super::due_cell(c.next_due, c.late_business_minutes, view.tz),
            super::due_mark(c.next_due, view.now, view.tz),
        ),
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
                    .map(lateness_text)
                    .unwrap_or_default(),
            })
        })
        .collect()
}
