use std::io::Write;

use crate::domain::case::CaseNumber;
use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::desk::change::describe;
use crate::domain::case::Case;
use crate::domain::states::{CommentKind, MessageDirection};
use crate::render::{self, short_time, Format};
use crate::store::activity::{self, Comment, ContactAttempt};
use crate::store::cases::{self, Event};
use crate::store::messages::MessageMeta;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,

    /// Print the quoted history below the description in full (without it, one line says how long it is)
    #[arg(long)]
    pub quoted: bool,

    /// Write the case's K-th attachment (1 = first received) to stdout; its name goes to stderr
    #[arg(long, value_name = "K")]
    pub attachment: Option<usize>,
}

/// `show --format json`: the case's fields, what happened on it, and the merged timeline.
#[derive(Debug, Serialize)]
pub struct Shown {
    #[serde(flatten)]
    pub case: Case,
    /// The quoted history below the customer's own text in the mail that
    /// opened the case ("" when there is none).
    pub quoted: String,
    pub watchers: Vec<String>,
    pub events: Vec<Event>,
    pub comments: Vec<Comment>,
    pub contact_attempts: Vec<ContactAttempt>,
    /// Metadata of the case's mail (the raw bytes stay in the store).
    pub messages: Vec<MessageMeta>,
    pub timeline: Vec<Entry>,
}

/// One line of the timeline: events, comments, contact attempts and messages in time order.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub at: DateTime<Utc>,
    /// event, comment, review, attempt or message
    pub kind: &'static str,
    pub actor: Option<String>,
    pub text: String,
}

/// Merges what happened on a case into one list in time order; at the same instant,
/// events come before comments, attempts and messages.
pub fn timeline(
    events: &[Event],
    comments: &[Comment],
    attempts: &[ContactAttempt],
    messages: &[MessageMeta],
) -> Vec<Entry> {
    let mut all: Vec<Entry> = Vec::new();
    for e in events {
        all.push(Entry {
            at: e.at,
            kind: "event",
            actor: e.actor.clone(),
            text: describe(&e.field, e.old.as_deref(), e.new.as_deref()),
        });
    }
    for c in comments {
        let label = match (c.kind, c.public) {
            (CommentKind::Review, _) => "review".to_string(),
            (_, true) => "comment (public)".to_string(),
            _ => "comment".to_string(),
        };
        all.push(Entry {
            at: c.at,
            kind: if c.kind == CommentKind::Review {
                "review"
            } else {
                "comment"
            },
            actor: c.author.clone(),
            text: format!("{label}: {}", c.body.trim()),
        });
    }
    for a in attempts {
        let note = a
            .note
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .map(|n| format!(": {}", n.trim()))
            .unwrap_or_default();
        all.push(Entry {
            at: a.at,
            kind: "attempt",
            actor: a.actor.clone(),
            text: format!("contact {} {}{note}", a.method, a.outcome),
        });
    }
    for m in messages {
        let (dir, party) = if m.direction == MessageDirection::In {
            ("from", &m.sender)
        } else {
            ("to", m.to.as_ref().unwrap_or(&m.sender))
        };
        let auto = m
            .auto_reason
            .as_deref()
            .map(|r| format!(" (auto: {r})"))
            .unwrap_or_default();
        all.push(Entry {
            at: m.received_at,
            kind: "message",
            actor: None,
            text: format!(
                "mail {} {dir} {}: {}{auto}",
                if m.direction == MessageDirection::In {
                    "in"
                } else {
                    "out"
                },
                party,
                m.subject
            ),
        });
    }
    all.sort_by_key(|e| e.at);
    all
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    if let Some(k) = args.attachment {
        return write_attachment(ctx, args.case, k);
    }
    let case = ctx.case(args.case)?;
    let conn = ctx.store()?.db();
    let events = cases::events(conn, case.number)?;
    let comments = activity::comments(conn, case.number)?;
    let contact_attempts = activity::attempts(conn, case.number)?;
    let messages = crate::store::messages::messages(conn, case.number)?;
    let watchers = activity::watchers(conn, case.number)?;
    let quoted = cases::quoted(conn, case.number)?;
    let timeline = timeline(&events, &comments, &contact_attempts, &messages);
    let shown = Shown {
        case,
        quoted,
        watchers,
        events,
        comments,
        contact_attempts,
        messages,
        timeline,
    };
    let mut out = ctx.out();
    match ctx.format {
        Format::Json => render::json(&mut out, &shown),
        Format::Csv => render::rows(&mut out, &ctx.view(), std::slice::from_ref(&shown.case)),
        _ => {
            let tz = ctx.display_tz();
            let c = &shown.case;
            let time = |t: Option<DateTime<Utc>>| t.map(|t| short_time(t, tz)).unwrap_or_default();
            let opt = |s: &Option<String>| s.clone().unwrap_or_default();
            let contact = match (&c.contact_name, &c.contact_email) {
                (Some(n), Some(e)) => format!("{n} <{e}>"),
                (None, Some(e)) => e.clone(),
                (Some(n), None) => n.clone(),
                (None, None) => String::new(),
            };
            let mut pairs = vec![
                ("case".to_string(), format!("#{} {}", c.number, c.subject)),
                ("status".into(), c.status.to_string()),
                ("priority".into(), c.priority.to_string()),
                ("category".into(), c.category.clone()),
                ("type".into(), c.case_type.clone()),
                ("account".into(), opt(&c.account)),
                ("contact".into(), contact),
                (
                    "owner".into(),
                    c.owner.clone().unwrap_or_else(|| "(queue)".into()),
                ),
                (
                    "creator".into(),
                    c.creator.clone().unwrap_or_else(|| "(system)".into()),
                ),
                ("opened".into(), time(Some(c.opened_at))),
                ("next due".into(), time(c.next_due)),
            ];
            let mut extra = |k: &str, v: Option<String>| {
                if let Some(v) = v.filter(|v| !v.is_empty()) {
                    pairs.push((k.to_string(), v));
                }
            };
            extra("prior status", c.prior_status.map(|s| s.to_string()));
            extra(
                "on hold until",
                c.hold_until
                    .map(|t| format!("{} ({})", short_time(t, tz), opt(&c.hold_reason))),
            );
            extra("account manager", c.am.clone());
            extra("regional manager", c.rm.clone());
            extra(
                "handed off to",
                c.team
                    .as_ref()
                    .map(|t| format!("{t} ({})", opt(&c.support_rep))),
            );
            extra("watchers", Some(shown.watchers.join(", ")));
            extra("closed", c.closed_at.map(|t| short_time(t, tz)));
            let width = render::terminal_width();
            let mut page = render::table::pairs(&pairs, width);
            if !c.description.is_empty() {
                let text = render::terminal_text(c.description.trim_end());
                page.push('\n');
                for line in wrapped(&text, width) {
                    page.push_str(&line);
                    page.push('\n');
                }
            }
            if !shown.quoted.is_empty() {
                page.push('\n');
                page.push_str(&quoted_part(&shown.quoted, c.number, args.quoted, width));
            }
            page.push_str("\nTimeline\n");
            for e in &shown.timeline {
                let who = e.actor.as_deref().unwrap_or("system");
                // Continuation lines of a multi-line comment line up under its text.
                let text = render::terminal_text(e.text.trim_end());
                let lines = wrapped(&text, width.map(|w| w.saturating_sub(31).max(20)));
                let mut first = true;
                for l in lines {
                    if first {
                        page.push_str(&format!("  {}  {who:<10} {l}", short_time(e.at, tz)));
                        first = false;
                    } else if !l.trim().is_empty() {
                        page.push_str(&format!("{:31}{l}", ""));
                    }
                    page.push('\n');
                }
            }
            crate::cmd::page(&mut out, &page)?;
            Ok(())
        }
    }
}

/// The quoted history under the description: one line that says how long it
/// is and how to see it, or (`--quoted`) the text under a rule.
fn quoted_part(quoted: &str, number: CaseNumber, full: bool, width: Option<usize>) -> String {
    let n = quoted.lines().count();
    let lines = if n == 1 { "line" } else { "lines" };
    if !full {
        return format!(
            "[quoted history: {n} {lines}; `casebook show {number} --quoted` prints it]\n"
        );
    }
    let mut out = format!("--- quoted history ({n} {lines}) ---\n");
    for line in wrapped(&render::terminal_text(quoted.trim_end()), width) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `text` wrapped at word boundaries to `width` (none: as it is).
fn wrapped(text: &str, width: Option<usize>) -> Vec<String> {
    match width {
        Some(w) => render::grid::wrap(text, w),
        None => text.lines().map(String::from).collect(),
    }
}

/// Writes attachment `k` (1-based, in the order the case received them) of
/// case `case` to stdout and names it on stderr (`show N --attachment K`).
pub fn write_attachment(ctx: &Ctx, case: CaseNumber, k: usize) -> Result<()> {
    ctx.case(case)?;
    let conn = ctx.store()?.db();
    let list = crate::store::messages::attachments(conn, case)?;
    let Some(a) = k.checked_sub(1).and_then(|i| list.get(i)) else {
        return Err(crate::error::user(if list.is_empty() {
            format!("case `#{case}` has no attachments")
        } else {
            let names: Vec<String> = list
                .iter()
                .map(|a| {
                    format!(
                        "  {}  {} ({}, {} bytes)",
                        a.number, a.name, a.content_type, a.size
                    )
                })
                .collect();
            format!(
                "case `#{case}` has {} attachment(s): pick `--attachment` 1 to {}:\n{}",
                list.len(),
                list.len(),
                names.join("\n")
            )
        }));
    };
    let raw = crate::store::messages::raw(conn, a.message)?.unwrap_or_default();
    let (info, bytes) = crate::mail::parse::attachment(&raw, a.part_index).ok_or_else(|| {
        crate::error::user(format!(
            "attachment {k} of `#{case}` (`{}`) cannot be decoded from the stored message",
            a.name
        ))
    })?;
    ctx.note(&format!(
        "attachment {k} of #{case}: {} ({}, {} bytes)",
        info.name,
        info.content_type,
        bytes.len()
    ));
    let mut out = ctx.out();
    out.write_all(&bytes)?;
    out.flush()?;
    Ok(())
}
