use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::cmd::print_rows;
use crate::ctx::Ctx;
use crate::desk::change::{self, Change};
use crate::domain::case::{Case, Status};
use crate::domain::rules::Via;
use crate::store::Db;
use crate::store::{activity, workflow as wstore};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print what would be done without doing it
    #[arg(long)]
    pub dry_run: bool,
}

/// One thing sweep does (or would do). Field names are stable for `--format json`.
#[derive(Debug, Clone, Serialize)]
pub struct SweepRow {
    pub case: String,
    pub rule: String,
    pub action: String,
}

#[derive(Debug, Clone)]
enum Act {
    ToManagement { rm: String },
    FollowUp { who: String, team: String },
    Close(Status),
}

#[derive(Debug, Clone)]
struct Action {
    case: i64,
    rule: &'static str,
    occasion: DateTime<Utc>,
    act: Act,
    why: String,
}

pub const RULE_AM: &str = "am-response";
pub const RULE_HANDOFF: &str = "handoff-no-reply";
pub const RULE_NO_RESPONSE: &str = "integration-no-response";
pub const RULE_DETAILED: &str = "detailed-message";

/// The status-changing rule that fires for `case`, if any.
fn status_rule(conn: &Db, ctx: &Ctx, c: &Case) -> Result<Option<Action>> {
    let cfg = &ctx.config;
    let now = ctx.now;
    let integration = c.case_type.eq_ignore_ascii_case(&cfg.integration.case_type);
    if integration {
        let last = activity::attempts(conn, c.number)?
            .into_iter()
            .max_by_key(|a| a.at);
        if let Some(a) = last.filter(|a| a.outcome == "left-message") {
            let deadline = a.at + Duration::hours(cfg.integration.detailed_message_hours as i64);
            if c.last_inbound_at.is_none_or(|t| t <= a.at) && now >= deadline {
                return Ok(Some(Action {
                    case: c.number,
                    rule: RULE_DETAILED,
                    occasion: a.at,
                    act: Act::Close(Status::Closed),
                    why: format!(
                        "a detailed message was left and no reply came in {} hours",
                        cfg.integration.detailed_message_hours
                    ),
                }));
            }
        }
        if c.status.waits_open_ended() {
            let since = c
                .last_inbound_at
                .map_or(c.status_changed_at, |t| t.max(c.status_changed_at));
            if now >= since + Duration::days(cfg.integration.no_response_days as i64) {
                return Ok(Some(Action {
                    case: c.number,
                    rule: RULE_NO_RESPONSE,
                    occasion: since,
                    act: Act::Close(Status::ClosedNoResponse),
                    why: format!(
                        "waiting with no inbound mail for {} days",
                        cfg.integration.no_response_days
                    ),
                }));
            }
        }
    }
    if c.status == Status::WaitingForAccountManager {
        let since = c.escalated_at.unwrap_or(c.status_changed_at);
        let deadline = change::clock::add(&ctx.desk(conn), since, &cfg.escalation.am_response)?;
        // The AM answering on the case (a comment or review) is acting on it.
        let acted = match &c.am {
            Some(am) => wstore::commented_since(conn, c.number, am, since)?,
            None => false,
        };
        if now >= deadline && !acted {
            let rm = match &c.rm {
                Some(rm) => Some(rm.clone()),
                None => match &c.am {
                    Some(am) => crate::cmd::escalate::regional_manager_for(conn, ctx, am).ok(),
                    None => None,
                },
            }
            .or_else(|| cfg.escalation.fallback.clone());
            let Some(rm) = rm else {
                ctx.note(&format!(
                    "warning: case `#{}` waits past the AM response time but has no regional manager and no `escalation.fallback` is configured",
                    c.number
                ));
                return Ok(None);
            };
            return Ok(Some(Action {
                case: c.number,
                rule: RULE_AM,
                occasion: since,
                act: Act::ToManagement { rm },
                why: format!(
                    "the account manager did not act within {} (business time)",
                    cfg.escalation.am_response
                ),
            }));
        }
    }
    Ok(None)
}

/// The handoff rule: no reply from the team within its reply_hours.
fn handoff_rule(conn: &Db, ctx: &Ctx, c: &Case) -> Result<Option<Action>> {
    let (Some(at), Some(team)) = (c.handoff_at, &c.team) else {
        return Ok(None);
    };
    let cfg = ctx.config.teams.get(team);
    let hours = cfg.and_then(|t| t.reply_hours).unwrap_or(48);
    if ctx.now < at + Duration::hours(hours as i64) {
        return Ok(None);
    }
    let inbound = c.last_inbound_at.is_some_and(|t| t > at);
    let commented = match &c.support_rep {
        Some(rep) => wstore::commented_since(conn, c.number, rep, at)?,
        None => false,
    };
    if inbound || commented {
        return Ok(None);
    }
    let Some(who) = cfg.and_then(|t| t.follow_up.clone()) else {
        ctx.note(&format!(
            "warning: case `#{}` got no reply from `{team}` in {hours} hours but the team has no follow_up contact: set `teams.{team}.follow_up`",
            c.number
        ));
        return Ok(None);
    };
    Ok(Some(Action {
        case: c.number,
        rule: RULE_HANDOFF,
        occasion: at,
        act: Act::FollowUp {
            who,
            team: team.clone(),
        },
        why: format!("no reply from {team} in {hours} hours"),
    }))
}

fn plan(conn: &Db, ctx: &Ctx) -> Result<Vec<Action>> {
    let mut actions = Vec::new();
    for c in wstore::sweep_candidates(conn, &ctx.config.integration.case_type)? {
        let status = status_rule(conn, ctx, &c)?;
        let closes = matches!(
            &status,
            Some(Action {
                act: Act::Close(_),
                ..
            })
        );
        let handoff = if closes {
            None
        } else {
            handoff_rule(conn, ctx, &c)?
        };
        for a in status.into_iter().chain(handoff) {
            if !wstore::swept(conn, a.case, a.rule, a.occasion)? {
                actions.push(a);
            }
        }
    }
    Ok(actions)
}

fn describe(a: &Action) -> String {
    match &a.act {
        Act::ToManagement { rm } => {
            format!("status → Waiting for Management, notify {rm}: {}", a.why)
        }
        Act::FollowUp { who, team } => format!("notify {who} ({team} follow-up): {}", a.why),
        Act::Close(s) => format!("status → {s}: {}", a.why),
    }
}

fn perform(tx: &Db, ctx: &Ctx, a: &Action) -> Result<()> {
    let case = crate::store::cases::get(tx, a.case)?
        .ok_or_else(|| crate::error::user(format!("no case `#{}`", a.case)))?;
    let change = match &a.act {
        Act::ToManagement { rm } => {
            change::check(&case, Status::WaitingForManagement, Via::Sweep)?;
            Change {
                status: Some(Status::WaitingForManagement),
                via: Some(Via::Sweep),
                rm: Some(Some(rm.clone())),
                events: vec![("sweep".into(), None, Some(a.why.clone()))],
                also: vec![rm.clone()],
                note: Some(a.why.clone()),
                ..Change::default()
            }
        }
        Act::FollowUp { who, .. } => Change {
            events: vec![("handoff follow-up".into(), None, Some(who.clone()))],
            also: vec![who.clone()],
            note: Some(a.why.clone()),
            ..Change::default()
        },
        Act::Close(s) => {
            change::check(&case, *s, Via::Sweep)?;
            Change {
                status: Some(*s),
                via: Some(Via::Sweep),
                events: vec![("sweep".into(), None, Some(a.why.clone()))],
                note: Some(a.why.clone()),
                ..Change::default()
            }
        }
    };
    change::apply(&ctx.desk(tx), a.case, None, change)?;
    wstore::log_sweep(tx, a.case, a.rule, a.occasion, ctx.now)?;
    Ok(())
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let actions = if args.dry_run {
        plan(store.db(), ctx)?
    } else {
        store.write(|tx| -> Result<_> {
            let actions = plan(tx, ctx)?;
            for a in &actions {
                perform(tx, ctx, a)?;
            }
            Ok(actions)
        })?
    };
    let rows: Vec<SweepRow> = actions
        .iter()
        .map(|a| SweepRow {
            case: format!("#{}", a.case),
            rule: a.rule.to_string(),
            action: describe(a),
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
