//! `casebook owned`: My Cases (the cases I own and must keep the SLA on).

use anyhow::Result;

use crate::cmd::args::FilterArgs;
use crate::ctx::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    if args.filter.owner.is_some() {
        return Err(crate::error::user(
            "`owned` lists the cases you own: for someone else's, use `casebook list --owner HANDLE`",
        ));
    }
    let me = ctx.actor()?;
    let mut filter = args.filter.to_filter(ctx);
    filter.owner = Some(Some(me.handle.clone()));
    crate::cmd::listing::print_my_cases(ctx, &args.filter.shape, filter, "you own no open cases")
}
