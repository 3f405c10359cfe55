use anyhow::Result;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::desk::change::{self, Change};
use crate::desk::handoff;
use crate::domain::case::Case;
use crate::domain::case::CaseNumber;
use crate::error;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,
    /// The team, as configured under `[teams.NAME]` (Provisioning and Support are not handoffs)
    #[arg(long, required_unless_present = "replied")]
    pub team: Option<String>,
    /// The support representative there: a handle, a name, or `Name <address>` (their
    /// mail on the case then counts as the team's reply)
    #[arg(
        long,
        value_name = "HANDLE_OR_NAME",
        required_unless_present = "replied"
    )]
    pub rep: Option<String>,
    /// Record that the team replied another way (a phone call): sweep then does not
    /// prompt its follow-up contact for this handoff
    #[arg(long, conflicts_with_all = ["team", "rep"])]
    pub replied: bool,
    /// With `--replied`: how the reply came or what it said [default: by phone]
    #[arg(long, requires = "replied")]
    pub note: Option<String>,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    if args.replied {
        return replied(args, ctx, &case, &actor.handle);
    }
    let (Some(team_arg), Some(rep_arg)) = (&args.team, &args.rep) else {
        return Err(error::user(
            "name the handoff with `--team NAME --rep WHO`, or record a reply with `--replied`",
        ));
    };
    let key = team_arg.trim().to_lowercase();
    if matches!(key.as_str(), "provisioning" | "support") {
        return Err(error::user(format!(
            "`{team_arg}` is not a handoff: cases going to Provisioning or Support are not tracked with the Support Representative field; assign or comment instead"
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
            "unknown team `{team_arg}` ({known}); add it as `[teams.{key}]` in {}",
            ctx.config_path.display()
        )));
    };
    if case.status.is_closed() {
        return Err(error::user(format!(
            "case `#{}` is `{}`: reopen it first (`casebook reopen {}`)",
            case.number, case.status, case.number
        )));
    }
    let rep = rep_arg.trim().to_string();
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

/// `--replied`: the team answered by phone or another way; recorded on the case.
fn replied(args: &Args, ctx: &Ctx, case: &Case, actor: &str) -> Result<()> {
    let Some(team) = case.team.as_deref().filter(|_| case.handoff_at.is_some()) else {
        return Err(error::user(format!(
            "case `#{}` is not handed off: record the handoff first (`casebook handoff {} --team NAME --rep WHO`)",
            case.number, case.number
        )));
    };
    let how = args
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let how = how.unwrap_or("by phone").to_string();
    let after = ctx
        .store()?
        .write(|tx| handoff::record_reply(&ctx.desk(tx), case.number, Some(actor), &how))?;
    crate::cmd::print_case(
        ctx,
        &after,
        &format!("#{}: {team} replied ({how})", after.number),
    )
}
