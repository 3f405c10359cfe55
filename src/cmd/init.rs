use anyhow::Result;
use std::io::Write;

use crate::ctx::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args, ctx: &Ctx) -> Result<()> {
    let store = ctx.create_store()?;
    writeln!(
        ctx.out(),
        "database ready at {} (schema version {})",
        store.path(),
        store.latest_version()
    )?;
    Ok(())
}
