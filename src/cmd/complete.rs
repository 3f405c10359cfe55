//! `casebook complete KIND` (hidden): the values the shell completion offers
//! from the user's own desk, one per line, called by the script that
//! `casebook completions bash` prints. It never fails loudly: with no
//! database or a broken config it prints what it can (the fixed names).

use std::io::Write;

use anyhow::Result;

use crate::ctx::Ctx;
use crate::domain::case::Status;
use crate::domain::states::{ContactMethod, ContactOutcome};
use crate::store::cases::{CaseFilter, CaseOrder};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to list
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    /// Status names
    Statuses,
    /// Contact methods
    Methods,
    /// Contact outcomes
    Outcomes,
    /// Handles of the desk's people, and `queue`
    Handles,
    /// Team names under `[teams]`
    Teams,
    /// Account names
    Accounts,
    /// Numbers of open cases
    Cases,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let values = candidates(args.kind, ctx).unwrap_or_default();
    let mut out = ctx.out();
    for v in values {
        writeln!(out, "{v}")?;
    }
    Ok(())
}

fn candidates(kind: Kind, ctx: &Ctx) -> Result<Vec<String>> {
    let labels = |all: &[&str]| all.iter().map(|s| s.to_string()).collect();
    Ok(match kind {
        Kind::Statuses => labels(&Status::ALL.iter().map(|s| s.label()).collect::<Vec<_>>()),
        Kind::Methods => labels(
            &ContactMethod::ALL
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>(),
        ),
        Kind::Outcomes => labels(
            &ContactOutcome::ALL
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>(),
        ),
        Kind::Teams => ctx.config.teams.keys().cloned().collect(),
        Kind::Handles => {
            let db = ctx.store()?.db();
            let mut h: Vec<String> = crate::store::people::list(db)?
                .into_iter()
                .map(|p| p.handle)
                .collect();
            h.push("queue".into());
            h
        }
        Kind::Accounts => crate::store::accounts::list(ctx.store()?.db())?
            .into_iter()
            .map(|a| a.name)
            .collect(),
        Kind::Cases => {
            let filter = CaseFilter {
                open_only: true,
                order: CaseOrder::Number,
                ..CaseFilter::default()
            };
            crate::store::cases::list(ctx.store()?.db(), &filter)?
                .into_iter()
                .map(|c| c.number.get().to_string())
                .collect()
        }
    })
}
