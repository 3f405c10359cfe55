//! The sweep's time-based rules (cron runs `casebook sweep`): an AM who
//! did not act in time, a team that did not answer a handoff, and the
//! Integration no-response rules. Each action is recorded once per occasion
//! in the sweep log, so a second run does nothing twice (see docs/rules.md,
//! Sweep).

use crate::domain::case::CaseNumber;
use anyhow::Result;
use chrono::{DateTime, Duration, Utc};

use crate::desk::change::{self, Change};
use crate::desk::{escalation, handoff, Desk};
use crate::domain::case::{Case, Status};
use crate::domain::rules::{handoff_needs_follow_up, Via};
use crate::domain::states::ContactOutcome;
use crate::store::{activity, cases, sweep_log};

pub const RULE_AM: &str = "am-response";
pub const RULE_HANDOFF: &str = "handoff-no-reply";
pub const RULE_NO_RESPONSE: &str = "integration-no-response";
pub const RULE_DETAILED: &str = "detailed-message";
pub const RULE_SPOKE: &str = "spoke-close";
pub const RULE_CALL_BACK: &str = "call-back";
pub const RULE_FIRST_COMMENT: &str = "integration-first-comment";

/// What sweep does to a case.
#[derive(Debug, Clone)]
pub enum Act {
    ToManagement {
        rm: String,
    },
    FollowUp {
        who: String,
        team: String,
    },
    Close(Status),
    /// Mail a reminder to `who` (an Integration clock ran out).
    Remind {
        who: String,
    },
}

#[derive(Debug, Clone)]
pub struct Action {
    pub case: CaseNumber,
    pub rule: &'static str,
    pub occasion: DateTime<Utc>,
    pub act: Act,
    pub why: String,
}

/// The status-changing rule that fires for `case`, if any.
fn status_rule(desk: &Desk<'_>, c: &Case) -> Result<Option<Action>> {
    let cfg = &desk.config;
    let now = desk.now;
    let integration = c.case_type.eq_ignore_ascii_case(&cfg.integration.case_type);
    if integration {
        let last = activity::attempts(desk.db, c.number)?
            .into_iter()
            .max_by_key(|a| a.at);
        if let Some(a) = last.filter(|a| a.outcome == ContactOutcome::LeftMessage) {
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
        let deadline = change::clock::add(desk, since, &cfg.escalation.am_response)?;
        // The AM answering on the case (a comment or review) is acting on it.
        let acted = match &c.am {
            Some(am) => activity::commented_since(desk.db, c.number, am, since)?,
            None => false,
        };
        if now >= deadline && !acted {
            let rm = escalation::management_target(desk, c).ok();
            let Some(rm) = rm else {
                desk.announcer.warn(&format!(
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
fn handoff_rule(desk: &Desk<'_>, c: &Case) -> Result<Option<Action>> {
    let (Some(at), Some(team)) = (c.handoff_at, &c.team) else {
        return Ok(None);
    };
    let cfg = desk.config.teams.get(team);
    let hours = cfg.and_then(|t| t.reply_hours).unwrap_or(48);
    // The customer writing is not the team replying (design.md, Handoff).
    let replies = handoff::team_replies(desk, c)?;
    if !handoff_needs_follow_up(at, hours, &replies, desk.now) {
        return Ok(None);
    }
    let Some(who) = cfg.and_then(|t| t.follow_up.clone()) else {
        desk.announcer.warn(&format!(
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

/// The Integration clocks of sop/003 (see `domain::integration`): a case never
/// commented on in its first hours, a call-back request not answered by phone in
/// time, and a case still open a day after speaking with the contact.
fn integration_rules(desk: &Desk<'_>, c: &Case) -> Result<Vec<Action>> {
    use crate::desk::integration as facts;
    use crate::domain::integration as rule;
    if !facts::applies(desk, c) {
        return Ok(Vec::new());
    }
    let cfg = &desk.config.integration;
    let now = desk.now;
    // Reminders go to the owner, else the creator (the one who should close).
    let owner = c.owner.clone().or_else(|| c.creator.clone());
    let creator = c.creator.clone().or_else(|| c.owner.clone());
    let mut found = Vec::new();
    let remind = |who: &Option<String>, rule: &'static str, occasion, why: String| {
        who.clone().map(|who| Action {
            case: c.number,
            rule,
            occasion,
            act: Act::Remind { who },
            why,
        })
    };
    let comments = facts::comment_times(desk, c)?;
    if rule::first_comment_overdue(c.opened_at, cfg.first_comment_hours, &comments, now) {
        found.extend(remind(
            &owner,
            RULE_FIRST_COMMENT,
            c.opened_at,
            format!(
                "an Integration case is opened and commented on within {} hours, and this one has no comment",
                cfg.first_comment_hours
            ),
        ));
    }
    let calls = facts::call_times(desk, c)?;
    for asked in facts::event_times(desk, c, facts::CALL_BACK_EVENT)? {
        if rule::call_back_overdue(asked, cfg.call_back_hours, &calls, now) {
            found.extend(remind(
                &owner,
                RULE_CALL_BACK,
                asked,
                format!(
                    "the contact asked for a call back and nobody phoned within {} hours",
                    cfg.call_back_hours
                ),
            ));
        }
    }
    if let Some(spoke) = facts::event_times(desk, c, facts::SPOKE_EVENT)?
        .into_iter()
        .max()
    {
        let inbound = c.last_inbound_at.filter(|t| *t >= spoke);
        if rule::close_after_speaking_due(spoke, cfg.spoke_close_hours, inbound, now) {
            let why = format!(
                "the contact was reached with nothing left to do; close within {} hours",
                cfg.spoke_close_hours
            );
            match cfg.after_speaking.trim() {
                "close" => found.push(Action {
                    case: c.number,
                    rule: RULE_SPOKE,
                    occasion: spoke,
                    act: Act::Close(Status::Closed),
                    why,
                }),
                "remind" => found.extend(remind(&creator, RULE_SPOKE, spoke, why)),
                other => {
                    return Err(crate::error::user(format!(
                    "`integration.after_speaking = \"{other}\"` in {}: write `remind` or `close`",
                    desk.config_path.display()
                )))
                }
            }
        }
    }
    Ok(found)
}

/// What the rules ask for now, leaving out what was done on the same
/// occasion before.
pub fn plan(desk: &Desk<'_>) -> Result<Vec<Action>> {
    let mut actions = Vec::new();
    for c in cases::sweep_candidates(desk.db, &desk.config.integration.case_type)? {
        let status = status_rule(desk, &c)?;
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
            handoff_rule(desk, &c)?
        };
        let integration = if closes {
            Vec::new()
        } else {
            integration_rules(desk, &c)?
        };
        for a in status.into_iter().chain(handoff).chain(integration) {
            if !sweep_log::swept(desk.db, a.case, a.rule, a.occasion)? {
                actions.push(a);
            }
        }
    }
    Ok(actions)
}

/// The action in one line, as `sweep` prints it.
pub fn describe(a: &Action) -> String {
    match &a.act {
        Act::ToManagement { rm } => {
            format!("status → Waiting for Management, notify {rm}: {}", a.why)
        }
        Act::FollowUp { who, team } => format!("notify {who} ({team} follow-up): {}", a.why),
        Act::Close(s) => format!("status → {s}: {}", a.why),
        Act::Remind { who } => format!("remind {who}: {}", a.why),
    }
}

/// Does `a` and records it in the sweep log, inside the desk's transaction.
pub fn perform(desk: &Desk<'_>, a: &Action) -> Result<()> {
    let case = cases::get(desk.db, a.case)?
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
        Act::FollowUp { who, .. } => {
            // The SOP's "tag": an internal comment with an @mention, by the system.
            let body = format!("@{who} {}: please follow up with the team", a.why);
            activity::add_comment(
                desk.db,
                a.case,
                &activity::Comment {
                    id: 0,
                    at: desk.now,
                    author: None,
                    kind: crate::domain::states::CommentKind::Comment,
                    public: false,
                    body: body.clone(),
                    mentions: vec![who.clone()],
                },
            )?;
            Change {
                events: vec![("handoff follow-up".into(), None, Some(who.clone()))],
                also: vec![who.clone()],
                note: Some(body),
                ..Change::default()
            }
        }
        Act::Remind { who } => Change {
            events: vec![(
                "sweep reminder".into(),
                None,
                Some(format!("{who}: {}", a.rule)),
            )],
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
    change::apply(desk, a.case, None, change)?;
    sweep_log::log_sweep(desk.db, a.case, a.rule, a.occasion, desk.now)?;
    Ok(())
}
