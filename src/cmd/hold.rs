use crate::domain::case::CaseNumber;
use anyhow::Result;

use crate::cmd::{parse_case_number, parse_time, TimeArg};
use crate::ctx::Ctx;
use crate::desk::change::{self, Change};
use crate::domain::case::Status;
use crate::domain::rules::Via;
use crate::error;
use crate::render::short_time;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,
    /// The date agreed with the customer: `friday`, `2d` (ahead), 2026-12-01 or an RFC 3339 time
    #[arg(long, value_name = "DATE", value_parser = parse_time)]
    pub until: TimeArg,
    /// Why the case waits (what was agreed) [default: written in $EDITOR on a terminal]
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    change::check(&case, Status::OnHold, Via::Hold)?;
    let until = args.until.resolve_ahead(ctx.display_tz(), ctx.now);
    if until <= ctx.now {
        return Err(error::user(format!(
            "`--until {}` is not in the future: give the date agreed with the customer",
            short_time(until, ctx.display_tz())
        )));
    }
    let reason = crate::cmd::text_or_editor(
        args.reason.as_deref(),
        "hold reason",
        case.number.get() as u64,
        "`--reason TEXT`",
    )?;
    if reason.trim().is_empty() {
        return Err(error::user("`--reason` is empty: say what was agreed"));
    }
    let after = ctx.store()?.write(|tx| {
        change::apply(
            &ctx.desk(tx),
            case.number,
            Some(&actor.handle),
            Change {
                status: Some(Status::OnHold),
                via: Some(Via::Hold),
                hold_until: Some(Some(until)),
                hold_reason: Some(Some(reason.trim().to_string())),
                ..Change::default()
            },
        )
    })?;
    crate::cmd::print_case(
        ctx,
        &after,
        &format!(
            "#{} on hold until {}",
            after.number,
            short_time(until, ctx.display_tz())
        ),
    )
}
