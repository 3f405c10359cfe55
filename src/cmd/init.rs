use anyhow::Result;
use std::io::Write;

use crate::ctx::Ctx;

/// Create the database (other commands create it on first use too)
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args, ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    writeln!(
        ctx.out(),
        "database ready at {} (schema version {})",
        store.path(),
        crate::store::migrations::latest_version()
    )?;
    Ok(())
}
