//! Triage of the Account Management Queue: each unowned open case goes to
//! its account's designated AM (Silver and above), to the owner of the case
//! it follows up, or to the pool member with the fewest open cases (see
//! docs/rules.md, Triage). The choice itself is `domain::rules::plan_triage`;
//! this file gathers its inputs and applies it.

use anyhow::Result;
use chrono::Duration;

use crate::desk::change::{self, Change};
use crate::desk::{escalation, Desk};
use crate::domain::case::Case;
use crate::domain::rules::{self, PoolMember, QueuedCase, Route};
use crate::store::cases;

/// One queued case and where triage sends it.
pub struct Planned {
    pub case: Case,
    pub route: Route,
}

/// The plan for the whole queue, in the order triage works it. A case
/// follows up an earlier one opened within `follow_up_days`.
pub fn plan(desk: &Desk<'_>, follow_up_days: i64) -> Result<Vec<Planned>> {
    let since = desk.now - Duration::days(follow_up_days);
    let queued = cases::queued(desk.db)?;
    let mut info: Vec<QueuedCase> = Vec::new();
    // Each account read once, however many of its cases wait in the queue.
    let mut known = escalation::Lookups::new(desk.db);
    for c in &queued {
        info.push(QueuedCase {
            number: c.number,
            tier: c.tier,
            account_manager: known.account_manager(c)?,
            follow_up_owner: cases::previous_owner(desk.db, c, since)?,
        });
    }
    rules::queue_order(&mut info);
    let pool: Vec<PoolMember> = cases::pool_load(desk.db)?;
    let presence = crate::desk::away::presence_table(desk)?;
    let routes = rules::plan_triage(&info, &pool, desk.now, &presence);
    Ok(info
        .iter()
        .zip(routes)
        .filter_map(|(q, route)| {
            let case = queued.iter().find(|c| c.number == q.number)?.clone();
            Some(Planned { case, route })
        })
        .collect())
}

/// Assigns every planned case that has somewhere to go, as `actor` (`None`:
/// the system).
pub fn assign(desk: &Desk<'_>, plan: &[Planned], actor: Option<&str>) -> Result<()> {
    for p in plan {
        let Some(h) = p.route.handle() else { continue };
        change::apply(
            desk,
            p.case.number,
            actor,
            Change {
                owner: Some(Some(h.to_string())),
                assigned_at: Some(desk.now),
                note: Some(format!("triage: {}", p.route.reason())),
                ..Change::default()
            },
        )?;
    }
    Ok(())
}
