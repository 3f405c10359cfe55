use anyhow::Result;
use serde::Serialize;

use crate::cmd::print_rows;
use crate::ctx::Ctx;
use crate::desk::sweep;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print what would be done without doing it
    #[arg(long)]
    pub dry_run: bool,
    /// Print nothing but warnings that need a person (for cron, which mails any output)
    #[arg(long, short)]
    pub quiet: bool,
}

/// One thing sweep does (or would do). Field names are stable for `--format json`.
#[derive(Debug, Clone, Serialize)]
pub struct SweepRow {
    /// The case (tables show it as `#N`, like every listing).
    pub number: crate::domain::case::CaseNumber,
    pub rule: String,
    pub action: String,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let actions = if args.dry_run {
        store.read(|db| sweep::plan(&ctx.desk(db)))?
    } else {
        store.write(|tx| -> Result<_> {
            let desk = ctx.desk(tx);
            let actions = sweep::plan(&desk)?;
            for a in &actions {
                sweep::perform(&desk, a)?;
            }
            Ok(actions)
        })?
    };
    if args.quiet {
        return Ok(());
    }
    let rows: Vec<SweepRow> = actions
        .iter()
        .map(|a| SweepRow {
            number: a.case,
            rule: a.rule.to_string(),
            action: sweep::describe(a),
        })
        .collect();
    print_rows(ctx, &rows)?;
    ctx.note(&match (actions.len(), args.dry_run) {
        (0, _) => "sweep: nothing to do".to_string(),
        (n, true) => format!("dry run: sweep would take {n} action(s)"),
        (n, false) => format!("sweep: took {n} action(s)"),
    });
    Ok(())
}
