use anyhow::Result;

use crate::ctx::Ctx;

/// (not built yet)
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args, _ctx: &Ctx) -> Result<()> {
    Err(crate::error::user("`casebook hold` is not built yet"))
}
