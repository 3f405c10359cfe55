use anyhow::Result;
use serde::Serialize;

use crate::ctx::Ctx;
use crate::desk::triage;
use crate::domain::case::Tier;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the plan without assigning anything
    #[arg(long)]
    pub dry_run: bool,
    /// A case follows up an earlier one of the same contact or account opened within this many days
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub follow_up_days: i64,
    #[command(flatten)]
    pub shape: crate::cmd::args::ShapeArgs,
}

/// One line of the plan. Field names are stable for `--format json`.
#[derive(Debug, Serialize)]
pub struct TriageRow {
    /// The case (tables show it as `#N`, like every listing).
    pub number: crate::domain::case::CaseNumber,
    pub subject: String,
    pub account: Option<String>,
    pub tier: Option<Tier>,
    pub assign_to: Option<String>,
    pub reason: String,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    // Triage runs from cron too: a login name that is nobody on the team acts as the
    // system (an explicit `--as` was already checked).
    let actor: Option<String> = ctx.actor().ok().map(|p| p.handle);
    let store = ctx.store()?;
    // Planned and assigned in one transaction, so two triages never hand out
    // the same case, or count the same load, twice.
    let plan = if args.dry_run {
        store.read(|db| triage::plan(&ctx.desk(db), args.follow_up_days))?
    } else {
        store.write(|tx| -> Result<_> {
            let desk = ctx.desk(tx);
            let plan = triage::plan(&desk, args.follow_up_days)?;
            triage::assign(&desk, &plan, actor.as_deref())?;
            Ok(plan)
        })?
    };
    let rows: Vec<TriageRow> = plan
        .iter()
        .map(|p| TriageRow {
            number: p.case.number,
            subject: p.case.subject.clone(),
            account: p.case.account.clone(),
            tier: p.case.tier,
            assign_to: p.route.handle().map(String::from),
            reason: p.route.reason(),
        })
        .collect();
    crate::cmd::print_rows_shaped(ctx, &args.shape, &rows)?;
    let assigned = plan.iter().filter(|p| p.route.handle().is_some()).count();
    let stay = plan.len() - assigned;
    ctx.note(&if plan.is_empty() {
        "the queue is empty: nothing to triage".to_string()
    } else if args.dry_run {
        format!("dry run: would assign {assigned} case(s); {stay} would stay in the queue")
    } else {
        format!("assigned {assigned} case(s); {stay} stay in the queue")
    });
    Ok(())
}
