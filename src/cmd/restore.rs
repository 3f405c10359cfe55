//! `casebook restore FILE --replace`: put a backup back, safely while others run.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::ctx::Ctx;
use crate::error;
use crate::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A file `casebook backup` wrote
    pub file: PathBuf,

    /// Yes, replace every case, person, account and message in the database
    #[arg(long)]
    pub replace: bool,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    if !args.file.is_file() {
        return Err(error::user(format!(
            "no backup file `{}`",
            args.file.display()
        )));
    }
    if !args.replace {
        return Err(error::user(format!(
            "restoring replaces everything in `{}` with `{}`: run `casebook backup NEW-FILE` \
             first to keep the current state, then add --replace",
            ctx.db,
            args.file.display()
        )));
    }
    let mut store = Store::open(&ctx.db, ctx.busy_timeout())?;
    let cases = store.restore_from(&args.file)?;
    writeln!(
        ctx.out(),
        "restored {} from {} ({cases} cases)",
        store.path(),
        args.file.display()
    )?;
    Ok(())
}
