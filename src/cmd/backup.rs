//! `casebook backup FILE`: a consistent copy of the database, safe while mail arrives.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::ctx::Ctx;
use crate::error;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new file to write (it must not exist yet)
    pub file: PathBuf,
    /// Print nothing unless it fails (for cron, which mails any output)
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    if std::fs::symlink_metadata(&args.file).is_ok() {
        return Err(error::user(format!(
            "`{}` exists already: name a new file, so that no backup is overwritten",
            args.file.display()
        )));
    }
    let store = ctx.store()?;
    let cases = store.backup_to(&args.file)?;
    if args.quiet {
        return Ok(());
    }
    writeln!(
        ctx.out(),
        "backed up {} ({cases} cases) to {}",
        store.path(),
        args.file.display()
    )?;
    Ok(())
}
