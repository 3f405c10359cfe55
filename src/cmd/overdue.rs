//! `casebook overdue`: open cases past their next contact time, by owner.

use anyhow::Result;

use crate::cmd::args::FilterArgs;
use crate::cmd::listing::print_due;
use crate::ctx::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    print_due(
        ctx,
        &args.filter.shape,
        args.filter.to_filter(ctx),
        ctx.now,
        "no case is overdue",
    )
}
