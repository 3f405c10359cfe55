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
