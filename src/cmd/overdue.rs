//! `casebook overdue`: open cases past their next contact time, by owner.

use anyhow::Result;

use crate::cmd::args::FilterArgs;
use crate::cmd::listing::print_due;
use crate::ctx::Ctx;

// `--overdue` and `--all` of the shared filters mean nothing here (every
// case shown is overdue, and only open cases have a next contact): hidden
// from help, man pages and completion, and refused if given.
#[derive(Debug, clap::Args)]
#[command(mut_arg("overdue", |a| a.hide(true)), mut_arg("all", |a| a.hide(true)))]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    if args.filter.overdue || args.filter.all {
        return Err(crate::error::user(
            "`overdue` lists open overdue cases only: drop `--overdue`/`--all` (for closed cases, `casebook list --all`)",
        ));
    }
    print_due(
        ctx,
        &args.filter.shape,
        args.filter.to_filter(ctx),
        ctx.now,
        "no case is overdue",
    )
}
