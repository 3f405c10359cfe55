//! `casebook mine`: My Open Created Cases (the SOP's view of what I created).

use anyhow::Result;

use crate::cmd::args::FilterArgs;
use crate::ctx::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    if args.filter.creator.is_some() {
        return Err(crate::error::user(
            "`mine` lists the cases you created: for someone else's, use `casebook list --creator HANDLE`",
        ));
    }
    let me = ctx.actor()?;
    let mut filter = args.filter.to_filter(ctx);
    filter.creator = Some(me.handle.clone());
    crate::cmd::listing::print_my_cases(
        ctx,
        &args.filter.shape,
        filter,
        "you have no open created cases",
    )
}
