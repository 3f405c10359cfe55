//! `casebook mine`: My Open Created Cases (the SOP's view of what I created).

use anyhow::Result;

use crate::cmd::list::FilterArgs;
use crate::ctx::Ctx;

/// Show the open cases you created (My Open Created Cases), next due first
///
/// Unlike `owned`, this includes cases you handed to someone else: the creator
/// closes the case. Takes every filter of `list`.
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
    crate::cmd::owned::print_my_cases(ctx, filter, "you have no open created cases")
}
