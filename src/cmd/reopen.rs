use anyhow::Result;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::desk::change;
use crate::domain::case::CaseNumber;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    let after = ctx
        .store()?
        .write(|tx| change::reopen(&ctx.desk(tx), case.number, Some(&actor.handle)))?;
    crate::cmd::print_case(
        ctx,
        &after,
        &format!(
            "reopened #{}: {} → {}",
            after.number, case.status, after.status
        ),
    )
}
