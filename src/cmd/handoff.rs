use anyhow::Result;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::desk::change::{self, Change};
use crate::domain::case::CaseNumber;
use crate::error;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,
    /// The team, as configured under `[teams.NAME]` (Provisioning and Support are not handoffs)
    #[arg(long)]
    pub team: String,
    /// The support representative there: a handle or a name
    #[arg(long, value_name = "HANDLE_OR_NAME")]
    pub rep: String,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    let key = args.team.trim().to_lowercase();
    if matches!(key.as_str(), "provisioning" | "support") {
        return Err(error::user(format!(
            "`{}` is not a handoff: cases going to Provisioning or Support are not tracked with the Support Representative field; assign or comment instead",
            args.team
        )));
    }
    let teams = &ctx.config.teams;
    let Some((team, _)) = teams.iter().find(|(name, _)| name.to_lowercase() == key) else {
        let known: Vec<String> = teams.keys().map(|k| format!("`{k}`")).collect();
        let known = if known.is_empty() {
            "none are configured".to_string()
        } else {
            format!("configured teams: {}", known.join(", "))
        };
        return Err(error::user(format!(
            "unknown team `{}` ({known}); add it as `[teams.{key}]` in {}",
            args.team,
            ctx.config_path.display()
        )));
    };
    if case.status.is_closed() {
        return Err(error::user(format!(
            "case `#{}` is `{}`: reopen it first (`casebook reopen {}`)",
            case.number, case.status, case.number
        )));
    }
    let rep = args.rep.trim().to_string();
    if rep.is_empty() {
        return Err(error::user(
            "`--rep` is empty: name the support representative",
        ));
    }
    let after = ctx.store()?.write(|tx| {
        change::apply(
            &ctx.desk(tx),
            case.number,
            Some(&actor.handle),
            Change {
                team: Some(Some(team.clone())),
                support_rep: Some(Some(rep.clone())),
                handoff_at: Some(ctx.now),
                ..Change::default()
            },
        )
    })?;
    crate::cmd::print_case(
        ctx,
        &after,
        &format!("#{} handed off to {team} ({rep})", after.number),
    )
}
