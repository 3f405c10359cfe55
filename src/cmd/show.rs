use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::domain::case::Case;
use crate::render::{self, short_time, Format};
use crate::store::cases::{self, Event};

/// Show one case with its timeline
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: i64,

    /// Write the case's K-th attachment (1 = first received) to stdout; its name goes to stderr
    #[arg(long, value_name = "K")]
    pub attachment: Option<usize>,
}

/// `show --format json`: the case's fields and its timeline.
#[derive(Debug, Serialize)]
pub struct Shown {
    #[serde(flatten)]
    pub case: Case,
    pub events: Vec<Event>,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    if let Some(k) = args.attachment {
        return crate::ingest::write_attachment(ctx, args.case, k);
    }
    let case = ctx.case(args.case)?;
    let events = cases::events(ctx.store()?.conn(), case.number)?;
    let shown = Shown { case, events };
    let mut out = ctx.out();
    match ctx.format {
        Format::Json => render::json(&mut out, &shown),
        Format::Csv => render::rows(&mut out, &ctx.view(), std::slice::from_ref(&shown.case)),
        _ => {
            let tz = ctx.display_tz();
            let c = &shown.case;
            let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
                t.map(|t| short_time(t, tz)).unwrap_or_default()
            };
            let opt = |s: &Option<String>| s.clone().unwrap_or_default();
            let contact = match (&c.contact_name, &c.contact_email) {
                (Some(n), Some(e)) => format!("{n} <{e}>"),
                (None, Some(e)) => e.clone(),
                (Some(n), None) => n.clone(),
                (None, None) => String::new(),
            };
            let pairs = vec![
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
            write!(
                out,
                "{}",
                render::table::pairs(&pairs, render::terminal_width())
            )?;
            if !c.description.is_empty() {
                writeln!(out, "\n{}", c.description.trim_end())?;
            }
            writeln!(out, "\nTimeline")?;
            for e in &shown.events {
                let who = e.actor.as_deref().unwrap_or("system");
                let change = match (&e.old, &e.new) {
                    (Some(o), Some(n)) => format!("{}: {o} → {n}", e.field),
                    (None, Some(n)) => format!("{}: {n}", e.field),
                    (Some(o), None) => format!("{}: {o} → (none)", e.field),
                    (None, None) => e.field.clone(),
                };
                writeln!(out, "  {}  {who:<10} {change}", short_time(e.at, tz))?;
            }
            Ok(())
        }
    }
}
