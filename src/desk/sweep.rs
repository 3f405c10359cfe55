//! The sweep's time-based rules (cron runs `casebook sweep`): an AM who
//! did not act in time, a team that did not answer a handoff, and the
//! Integration no-response rules. Each action is recorded once per occasion
//! in the sweep log, so a second run does nothing twice (see docs/rules.md,
//! Sweep).

use std::collections::HashMap;

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};

use crate::desk::change::{self, Change};
use crate::desk::integration::{CALL_BACK_EVENT, SPOKE_EVENT};
use crate::desk::{escalation, handoff, Desk};
use crate::domain::case::{Case, CaseNumber, Status};
use crate::domain::rules::{handoff_needs_follow_up, Via};
use crate::domain::sla::BusinessDuration;
use crate::domain::states::{ContactMethod, ContactOutcome};
use crate::store::sweep_log::{SweepFacts, SweptAttempt};
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

/// What the rules read of one case besides the case itself, each list in time order.
#[derive(Debug, Default)]
struct History {
    attempts: Vec<SweptAttempt>,
    /// Staff comments: when, and by whom.
    comments: Vec<(DateTime<Utc>, String)>,
    /// History events: when, and the field.
    events: Vec<(DateTime<Utc>, String)>,
    /// What sweep already did: the rule and its occasion.
    done: Vec<(String, DateTime<Utc>)>,
}

impl History {
    /// The facts read for every candidate, by case.
    fn by_case(facts: &mut SweepFacts) -> HashMap<CaseNumber, History> {
        let mut found: HashMap<CaseNumber, History> = HashMap::new();
        for a in facts.attempts.drain(..) {
            found.entry(a.case).or_default().attempts.push(a);
        }
        for m in facts.comments.drain(..) {
            found
                .entry(m.case)
                .or_default()
                .comments
                .push((m.at, m.author));
        }
        for e in facts.events.drain(..) {
            found
                .entry(e.case)
                .or_default()
                .events
                .push((e.at, e.field));
        }
        for d in facts.done.drain(..) {
            found
                .entry(d.case)
                .or_default()
                .done
                .push((d.rule, d.occasion));
        }
        found
    }

    fn event_times<'a>(&'a self, field: &'a str) -> impl Iterator<Item = DateTime<Utc>> + 'a {
        self.events
            .iter()
            .filter(move |(_, f)| f == field)
            .map(|(at, _)| *at)
    }

    /// When staff commented on (or reviewed) the case.
    fn comment_times(&self) -> Vec<DateTime<Utc>> {
        self.comments.iter().map(|(at, _)| *at).collect()
    }

    fn commented_since(&self, who: &str, since: DateTime<Utc>) -> bool {
        self.comments.iter().any(|(at, a)| a == who && *at > since)
    }

    /// When the contact was phoned (a voicemail is a phone call), whatever came of it.
    fn call_times(&self) -> Vec<DateTime<Utc>> {
        self.attempts
            .iter()
            .filter(|a| a.method.channel() == ContactMethod::Phone)
            .map(|a| a.at)
            .collect()
    }

    /// When the team answered the current handoff: the representative's
    /// comments and the replies recorded on the case (by mail or
    /// `--replied`), since the handoff. The customer writing is not the team
    /// replying (design.md, Handoff).
    fn team_replies(&self, c: &Case) -> Vec<DateTime<Utc>> {
        let Some(since) = c.handoff_at else {
            return Vec::new();
        };
        let rep = c.support_rep.as_deref().map(str::trim);
        let comments = self
            .comments
            .iter()
            .filter(|(at, author)| *at >= since && Some(author.as_str()) == rep)
            .map(|(at, _)| *at);
        let recorded = self
            .event_times(handoff::REPLY_EVENT)
            .filter(|at| *at >= since);
        comments.chain(recorded).collect()
    }

    fn done(&self, a: &Action) -> bool {
        self.done
            .iter()
            .any(|(rule, occasion)| rule == a.rule && *occasion == a.occasion)
    }
}

/// The status-changing rule that fires for `case`, if any.
fn status_rule(
    desk: &Desk<'_>,
    c: &Case,
    h: &History,
    am_response: BusinessDuration,
    targets: &mut Targets,
) -> Result<Option<Action>> {
    let cfg = &desk.config;
    let now = desk.now;
    let integration = c.case_type.eq_ignore_ascii_case(&cfg.integration.case_type);
    if integration {
        let last = h.attempts.iter().max_by_key(|a| a.at);
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
        let deadline = am_response.add_to(desk.calendar()?, since);
        // The AM answering on the case (a comment or review) is acting on it.
        let acted = c.am.as_ref().is_some_and(|am| h.commented_since(am, since));
        if now >= deadline && !acted {
            let Some(rm) = targets.management(desk, c) else {
                targets.missing.push(c.number);
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
fn handoff_rule(desk: &Desk<'_>, c: &Case, h: &History) -> Result<Option<Action>> {
    let (Some(at), Some(team)) = (c.handoff_at, &c.team) else {
        return Ok(None);
    };
    let cfg = desk.config.teams.get(team);
    let hours = cfg.and_then(|t| t.reply_hours).unwrap_or(48);
    let replies = h.team_replies(c);
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
fn integration_rules(desk: &Desk<'_>, c: &Case, h: &History) -> Result<Vec<Action>> {
    use crate::domain::integration as rule;
    if !crate::desk::integration::applies(desk, c) {
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
    let comments = h.comment_times();
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
    let calls = h.call_times();
    for asked in h.event_times(CALL_BACK_EVENT) {
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
    if let Some(spoke) = h.event_times(SPOKE_EVENT).max() {
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

/// What decides a case's management target: its RM, account and AM.
type TargetKey = (Option<String>, Option<String>, Option<String>);

/// Who each case waiting past the AM response time goes to, asked once per
/// (case RM, account, AM) however many cases share them, and the cases that
/// have nobody to go to (one warning lists them all).
#[derive(Default)]
struct Targets {
    known: HashMap<TargetKey, Option<String>>,
    missing: Vec<CaseNumber>,
}

impl Targets {
    fn management(&mut self, desk: &Desk<'_>, c: &Case) -> Option<String> {
        let key = (c.rm.clone(), c.account.clone(), c.am.clone());
        self.known
            .entry(key)
            // An error here only says nobody is set; the warning says what to set.
            .or_insert_with(|| escalation::management_target(desk, c).ok())
            .clone()
    }

    fn warn_missing(&self, desk: &Desk<'_>) {
        const SHOWN: usize = 20;
        if self.missing.is_empty() {
            return;
        }
        let mut numbers: Vec<String> = self
            .missing
            .iter()
            .take(SHOWN)
            .map(|n| format!("#{n}"))
            .collect();
        if self.missing.len() > SHOWN {
            numbers.push(format!("and {} more", self.missing.len() - SHOWN));
        }
        let (count, verb) = match self.missing.len() {
            1 => ("case".to_string(), "waits"),
            n => (format!("{n} cases"), "wait"),
        };
        let fallback = match &desk.config.escalation.fallback {
            // Configured, yet nobody: the handle is not a known person.
            Some(f) => format!(
                "make the AMs and `{f}` (`escalation.fallback`) known people (`casebook people list`)"
            ),
            None => format!("set `escalation.fallback` in {}", desk.config_path.display()),
        };
        desk.announcer.warn(&format!(
            "warning: {count} {verb} past the AM response time with no regional manager to go to ({}): set the accounts' or the AMs' regional manager, or {fallback}",
            numbers.join(", "),
        ));
    }
}

/// What the rules ask for now, leaving out what was done on the same
/// occasion before.
pub fn plan(desk: &Desk<'_>) -> Result<Vec<Action>> {
    let fields = [CALL_BACK_EVENT, SPOKE_EVENT, handoff::REPLY_EVENT];
    let mut facts = sweep_log::facts(desk.db, &desk.config.integration.case_type, &fields)?;
    let histories = History::by_case(&mut facts);
    let none = History::default();
    let am_response = change::clock::am_response(desk)?;
    let mut targets = Targets::default();
    let mut actions = Vec::new();
    for c in &facts.cases {
        let h = histories.get(&c.number).unwrap_or(&none);
        let status = status_rule(desk, c, h, am_response, &mut targets)?;
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
            handoff_rule(desk, c, h)?
        };
        let integration = if closes {
            Vec::new()
        } else {
            integration_rules(desk, c, h)?
        };
        for a in status.into_iter().chain(handoff).chain(integration) {
            if !h.done(&a) {
                actions.push(a);
            }
        }
    }
    // In case order, each case's actions in rule order (the candidates come
    // in the store's order).
    actions.sort_by_key(|a| a.case);
    targets.missing.sort_unstable();
    targets.warn_missing(desk);
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
