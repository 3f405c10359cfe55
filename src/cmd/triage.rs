use anyhow::Result;
use serde::Serialize;

use crate::cmd::print_rows;
use crate::ctx::Ctx;
use crate::desk::change::{self, Change};
use crate::domain::case::Tier;
use crate::domain::rules::{self, PoolMember, QueuedCase, Route};
use crate::store::workflow as wstore;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the plan without assigning anything
    #[arg(long)]
    pub dry_run: bool,
    /// A case follows up an earlier one of the same contact or account opened within this many days
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub follow_up_days: i64,
}

/// One line of the plan. Field names are stable for `--format json`.
#[derive(Debug, Serialize)]
pub struct TriageRow {
    pub case: String,
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
    let conn = store.db();
    let since = ctx.now - chrono::Duration::days(args.follow_up_days);
    let queued = wstore::queued(conn)?;
    let mut info: Vec<QueuedCase> = Vec::new();
    for c in &queued {
        info.push(QueuedCase {
            number: c.number,
            tier: c.tier,
            account_manager: wstore::account_manager_of(conn, c.number)?,
            follow_up_owner: wstore::previous_owner(conn, c, since)?,
        });
    }
    rules::queue_order(&mut info);
    let pool: Vec<PoolMember> = wstore::pool_load(conn)?;
    let plan: Vec<Route> = rules::plan_triage(&info, &pool, ctx.now);
    let by_number = |n: i64| queued.iter().find(|c| c.number == n);
    let rows: Vec<TriageRow> = info
        .iter()
        .zip(&plan)
        .filter_map(|(q, route)| {
            let c = by_number(q.number)?;
            Some(TriageRow {
                case: format!("#{}", c.number),
                subject: c.subject.clone(),
                account: c.account.clone(),
                tier: c.tier,
                assign_to: route.handle().map(String::from),
                reason: route.reason(),
            })
        })
        .collect();
    if !args.dry_run {
        store.write(|tx| -> Result<()> {
            for (q, route) in info.iter().zip(&plan) {
                let Some(h) = route.handle() else { continue };
                change::apply(
                    &ctx.desk(tx),
                    q.number,
                    actor.as_deref(),
                    Change {
                        owner: Some(Some(h.to_string())),
                        assigned_at: Some(ctx.now),
                        note: Some(format!("triage: {}", route.reason())),
                        ..Change::default()
                    },
                )?;
            }
            Ok(())
        })?;
    }
    print_rows(ctx, &rows)?;
    let assigned = plan.iter().filter(|r| r.handle().is_some()).count();
    let stay = plan.len() - assigned;
    ctx.note(&if queued.is_empty() {
        "the queue is empty: nothing to triage".to_string()
    } else if args.dry_run {
        format!("dry run: would assign {assigned} case(s); {stay} would stay in the queue")
    } else {
        format!("assigned {assigned} case(s); {stay} stay in the queue")
    });
    Ok(())
}
