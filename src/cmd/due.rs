//! `casebook due`: what needs contact next, by owner; `--refresh` recomputes every
//! open case's due times after a change to `[calendar]` or `[sla]`.

use std::io::Write;

use anyhow::Result;
use chrono::Duration;

use crate::cmd::args::FilterArgs;
use crate::ctx::Ctx;
use crate::domain::sla::BusinessDuration;
use crate::render::{self};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// One case whose next due time to explain (with `--explain`)
    #[arg(value_parser = crate::cmd::parse_case_number, requires = "explain")]
    pub case: Option<crate::domain::case::CaseNumber>,
    /// Show how the case's next due time was computed, interval by interval
    #[arg(long, requires = "case", conflicts_with_all = ["refresh", "within"])]
    pub explain: bool,
    /// Business time from now, like `30m`, `4h`, `2d` or `1d4h`
    #[arg(long, value_name = "DURATION", default_value = "1d")]
    pub within: BusinessDuration,
    /// Recompute the due times of every open case (after a change to `[calendar]` or `[sla]`) and say how many changed
    #[arg(long, conflicts_with = "within")]
    pub refresh: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    if args.refresh {
        return refresh_all(ctx);
    }
    if let Some(n) = args.case {
        return explain(ctx, n);
    }
    let cal = ctx.calendar()?;
    let until = args.within.add_to(cal, ctx.now);
    let empty = format!(
        "nothing is due by {}",
        render::short_time(until, ctx.display_tz())
    );
    // Due *within* the window includes a case due exactly at its end (times are whole seconds).
    crate::cmd::listing::print_due(
        ctx,
        &args.filter.shape,
        args.filter.to_filter(ctx),
        until + Duration::seconds(1),
        &empty,
    )
}

/// Recomputes the due times of every open case in one transaction.
fn refresh_all(ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let (total, changed) = store.write(|tx| crate::desk::due::refresh_all(&ctx.desk(tx)))?;
    writeln!(
        ctx.out(),
        "refreshed {total} open cases: {changed} due times changed"
    )?;
    Ok(())
}

/// `due N --explain`: the steps, in the desk's time zone.
fn explain(ctx: &Ctx, number: crate::domain::case::CaseNumber) -> Result<()> {
    use crate::domain::sla::format_business_minutes;
    use crate::domain::sla_explain::Step;
    let case = ctx.case(number)?;
    let steps = crate::desk::due::explain(&ctx.desk(ctx.store()?.db()), &case)?;
    if ctx.format == render::Format::Json {
        return render::json(&mut ctx.out(), &steps);
    }
    let tz = ctx.display_tz();
    let at = |t| render::short_time(t, tz);
    let mut out = ctx.out();
    writeln!(out, "#{} {} ({}):", case.number, case.subject, tz.name())?;
    let mut total = 0;
    for step in &steps {
        let line = match step {
            Step::Closed => "closed: nothing is due".to_string(),
            Step::Rule { priority, first_contact, follow_up } => format!(
                "priority {priority}: first contact within {first_contact}, then every {follow_up} (business time)"
            ),
            Step::Start { at: t, why, allows } => {
                format!("{}  clock starts: {why}; allows {allows}", at(*t))
            }
            Step::Counted { from, to, minutes } => {
                total += minutes;
                format!(
                    "{} → {}  counted {} (total {})",
                    at(*from),
                    at(*to),
                    format_business_minutes(*minutes),
                    format_business_minutes(total)
                )
            }
            Step::Skipped { from, to, why } => {
                format!("{} → {}  skipped: {why}", at(*from), at(*to))
            }
            Step::Hold { until } => {
                format!("on hold until {}: the agreed date replaces the SLA", at(*until))
            }
            Step::Due { at: t } => {
                let late = if *t < ctx.now { " (overdue)" } else { "" };
                format!("{}  next contact due{late}", at(*t))
            }
        };
        writeln!(out, "  {line}")?;
    }
    let computed = steps.iter().find_map(|s| match s {
        Step::Due { at } => Some(*at),
        _ => None,
    });
    if computed != case.next_due {
        writeln!(
            out,
            "  the stored due time ({}) differs: the calendar or [sla] changed since; run `casebook due --refresh`",
            case.next_due.map_or("none".to_string(), at)
        )?;
    }
    Ok(())
}
