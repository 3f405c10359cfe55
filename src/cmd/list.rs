use anyhow::Result;

use crate::cmd::args::FilterArgs;
use crate::cmd::print_shaped;
use crate::ctx::Ctx;
use crate::desk::views::CaseRow;
use crate::store::views;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    // The view's columns only: open cases come from their covering index.
    let found = views::list(ctx.store()?.db(), &args.filter.to_filter(ctx))?;
    let rows: Vec<CaseRow> = found
        .iter()
        .map(|c| CaseRow::from_view(c, ctx.now))
        .collect();
    print_shaped(ctx, &args.filter.shape, &rows)
}
