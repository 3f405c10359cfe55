//! The sweep's time-based rules (cron runs `casebook sweep`): an AM who
//! did not act in time, a team that did not answer a handoff, and the
//! Integration no-response rules. Each action is recorded once per occasion
//! in the sweep log, so a second run does nothing twice (see docs/rules.md,
//! Sweep).

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};

use crate::desk::change::{self, Change};
use crate::desk::integration::{CALL_BACK_EVENT, SPOKE_EVENT};
use crate::desk::{escalation, handoff, Desk};
use crate::domain::case::{Case, CaseNumber, Status};
use crate::domain::rules::{handoff_needs_follow_up, Via};
use crate::domain::states::{ContactMethod, ContactOutcome};
use crate::store::sweep_log::{SweepAsked, SweepFacts, SweptAttempt, SweptCase};
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
struct History<'c> {
    /// When staff last commented, and who (borrowed from the candidate).
    last_comment_at: Option<DateTime<Utc>>,
    last_comment_by: Option<&'c str>,
    attempts: Vec<SweptAttempt>,
    /// Staff comments (when, and by whom), read only where [`reads_comments`]
    /// says a rule needs to know who commented.
    comments: Vec<(DateTime<Utc>, String)>,
    /// History events: when, and the field.
    events: Vec<(DateTime<Utc>, String)>,
}

impl<'c> History<'c> {
    /// Every candidate's history, in the candidates' order.
    fn of(candidates: &'c [SweptCase], facts: SweepFacts) -> Vec<History<'c>> {
        let mut found: Vec<History<'c>> = candidates
            .iter()
            .map(|s| History {
                last_comment_at: s.last_comment_at,
                last_comment_by: s.last_comment_by.as_deref(),
                ..History::default()
            })
            .collect();
        // Which candidate a row of the facts belongs to, by number.
        let mut by_number: Vec<(CaseNumber, usize)> = candidates
            .iter()
            .enumerate()
            .map(|(i, s)| (s.case.number, i))
            .collect();
        by_number.sort_unstable();
        let slot = |case: CaseNumber| {
            let k = by_number.binary_search_by_key(&case, |(n, _)| *n).ok()?;
            Some(by_number[k].1)
        };
        for a in facts.attempts {
            if let Some(i) = slot(a.case) {
                found[i].attempts.push(a);
            }
        }
        for m in facts.comments {
            if let Some(i) = slot(m.case) {
                found[i].comments.push((m.at, m.author));
            }
        }
        for e in facts.events {
            if let Some(i) = slot(e.case) {
                found[i].events.push((e.at, e.field));
            }
        }
        found
    }

    fn event_times<'a>(&'a self, field: &'a str) -> impl Iterator<Item = DateTime<Utc>> + 'a {
        self.events
            .iter()
            .filter(move |(_, f)| f == field)
            .map(|(at, _)| *at)
    }

    /// When `who` wrote the latest staff comment, if they did.
    fn latest_comment_by(&self, who: &str) -> Option<DateTime<Utc>> {
        self.last_comment_at
            .filter(|_| self.last_comment_by == Some(who))
    }

    fn commented_since(&self, who: &str, since: DateTime<Utc>) -> bool {
        self.latest_comment_by(who).is_some_and(|at| at > since)
            || self.comments.iter().any(|(at, a)| a == who && *at > since)
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
            .filter(|(_, author)| Some(author.as_str()) == rep)
            .map(|(at, _)| *at)
            .chain(rep.and_then(|rep| self.latest_comment_by(rep)))
            .filter(|at| *at >= since);
        let recorded = self
            .event_times(handoff::REPLY_EVENT)
            .filter(|at| *at >= since);
        comments.chain(recorded).collect()
    }
}

/// When the AM's clock on a case waiting for them started: the escalation,
/// else the status change.
fn am_clock_start(c: &Case) -> DateTime<Utc> {
    c.escalated_at.unwrap_or(c.status_changed_at)
}

/// Whether a rule's outcome on a candidate turns on who commented since its
/// clock started, someone did, and the latest comment (which the case
/// holds) does not answer it: the AM acting after the escalation (the
/// escalation's own note, written at that instant, is not acting on it), the
/// support rep answering a handoff. Only then are its comments read; the
/// first-comment rule needs only the latest one.
fn reads_comments(s: &SweptCase) -> bool {
    let c = &s.case;
    let latest = s.last_comment_at;
    let by = s.last_comment_by.as_deref();
    // As `History::commented_since` and `History::team_replies` compare.
    let am_waiting = c.status == Status::WaitingForAccountManager
        && c.am.is_some()
        && by != c.am.as_deref()
        && latest.is_some_and(|t| t > am_clock_start(c));
    let rep = c.support_rep.as_deref().map(str::trim);
    let handed_off = c.team.is_some()
        && rep.is_some()
        && by != rep
        && c.handoff_at
            .is_some_and(|at| latest.is_some_and(|t| t >= at));
    am_waiting || handed_off
}

/// The candidates whose rows of each table the rules read: comments where
/// [`reads_comments`], contact attempts of Integration cases (compared as
/// the rules compare the type), events of those and of handed-off cases.
fn asked(desk: &Desk<'_>, candidates: &[SweptCase]) -> SweepAsked {
    let numbers = |which: &dyn Fn(&SweptCase) -> bool| -> Vec<CaseNumber> {
        candidates
            .iter()
            .filter(|s| which(s))
            .map(|s| s.case.number)
            .collect()
    };
    let integration = |s: &SweptCase| crate::desk::integration::applies(desk, &s.case);
    SweepAsked {
        attempts: numbers(&integration),
        comments: numbers(&reads_comments),
        events: numbers(&|s| integration(s) || s.case.handoff_at.is_some()),
    }
}

/// The status-changing rule that fires for `case`, if any. `am_run_out`:
/// the latest start of an AM's clock that has run out by now.
fn status_rule<'c>(
    desk: &Desk<'_>,
    c: &'c Case,
    h: &History,
    am_run_out: Option<DateTime<Utc>>,
    targets: &mut Targets<'_, 'c>,
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
        // A whole second, as the store keeps times.
        let since = am_clock_start(c);
        let ran_out = am_run_out.is_some_and(|latest| since <= latest);
        // The AM answering on the case (a comment or review) is acting on it.
        let acted = c.am.as_ref().is_some_and(|am| h.commented_since(am, since));
        if ran_out && !acted {
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
    // Any comment since the opening counts, so the latest one decides.
    let latest = h.last_comment_at.as_slice();
    if rule::first_comment_overdue(c.opened_at, cfg.first_comment_hours, latest, now) {
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

/// What decides a case's management target: its RM, account and AM (borrowed
/// from the candidates: a copy of each for every waiting case cost more than
/// the lookups it saved).
type TargetKey<'c> = (Option<&'c str>, Option<&'c str>, Option<&'c str>);

/// Who each case waiting past the AM response time goes to, asked once per
/// (case RM, account, AM) however many cases share them (each account and
/// person read once among them all), and the cases that have nobody to go
/// to (one warning lists them all).
struct Targets<'a, 'c> {
    found: HashMap<TargetKey<'c>, Option<String>>,
    known: escalation::Lookups<'a>,
    missing: Vec<CaseNumber>,
}

impl<'a, 'c> Targets<'a, 'c> {
    fn new(desk: &Desk<'a>) -> Targets<'a, 'c> {
        Targets {
            found: HashMap::new(),
            known: escalation::Lookups::new(desk.db),
            missing: Vec::new(),
        }
    }

    fn management(&mut self, desk: &Desk<'_>, c: &'c Case) -> Option<String> {
        let key = (c.rm.as_deref(), c.account.as_deref(), c.am.as_deref());
        let known = &mut self.known;
        self.found
            .entry(key)
            // An error here only says nobody is set; the warning says what to set.
            .or_insert_with(|| escalation::management_target_among(desk, c, known).ok())
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
    let candidates = sweep_log::candidates(desk.db, &desk.config.integration.case_type)?;
    let facts = sweep_log::facts(desk.db, &asked(desk, &candidates), &fields)?;
    let histories = History::of(&candidates, facts);
    // When the AM response time started for a case decides whether it has
    // run out: the latest start that has is found once.
    let am_run_out =
        change::clock::am_response(desk)?.latest_start_run_out_by(desk.calendar()?, desk.now);
    let mut targets = Targets::new(desk);
    let mut actions = Vec::new();
    for (SweptCase { case: c, .. }, h) in candidates.iter().zip(&histories) {
        let status = status_rule(desk, c, h, am_run_out, &mut targets)?;
        let closes = matches!(
            &status,
            Some(Action {
                act: Act::Close(_),
                ..
            })
        );
        actions.extend(status);
        if !closes {
            actions.extend(handoff_rule(desk, c, h)?);
            actions.extend(integration_rules(desk, c, h)?);
        }
    }
    // In case order, each case's actions in rule order (the candidates come
    // in the store's order; the sort is stable).
    actions.sort_by_key(|a| a.case);
    targets.missing.sort_unstable();
    targets.warn_missing(desk);
    // What was done before, read only for the cases the rules act on.
    let mut acted: Vec<CaseNumber> = actions.iter().map(|a| a.case).collect();
    acted.dedup();
    let done: HashSet<(CaseNumber, String, DateTime<Utc>)> = sweep_log::done(desk.db, &acted)?
        .into_iter()
        .map(|d| (d.case, d.rule, d.occasion))
        .collect();
    actions.retain(|a| !done.contains(&(a.case, a.rule.to_string(), a.occasion)));
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

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, Utc};

    use super::reads_comments;
    use crate::domain::case::{CaseNumber, NewCase};
    use crate::domain::person::Person;
    use crate::domain::states::CommentKind;
    use crate::store::activity::{add_comment, Comment};
    use crate::store::cases::{self, Column, FieldValue};
    use crate::store::{from_ts, people, sweep_log, Db, Store};

    /// A case `spec` describes: its status, AM and escalation, its handoff
    /// (team and rep), and comments (author or none, minutes after `t0`).
    struct Spec {
        status: &'static str,
        am: Option<&'static str>,
        handoff: Option<(&'static str, Option<&'static str>)>,
        comments: &'static [(Option<&'static str>, i64)],
    }

    fn stored(db: &Db, subject: &str, t0: DateTime<Utc>, s: &Spec) -> CaseNumber {
        let opened = t0 - Duration::days(2);
        let n = cases::insert(db, &NewCase::new(subject, opened)).unwrap();
        let text = |v: Option<&str>| FieldValue::Text(v.map(String::from));
        let mut fields = vec![
            (Column::Status, text(Some(s.status))),
            (Column::Am, text(s.am)),
            (Column::EscalatedAt, FieldValue::Time(s.am.map(|_| t0))),
        ];
        if let Some((team, rep)) = s.handoff {
            fields.push((Column::Team, text(Some(team))));
            fields.push((Column::SupportRep, text(rep)));
            fields.push((Column::HandoffAt, FieldValue::Time(Some(t0))));
        }
        cases::set_fields(db, n, &fields).unwrap();
        for (author, minutes) in s.comments {
            let c = Comment {
                id: 0,
                at: t0 + Duration::minutes(*minutes),
                author: author.map(String::from),
                kind: CommentKind::Comment,
                public: false,
                body: "noted".into(),
                mentions: Vec::new(),
            };
            add_comment(db, n, &c).unwrap();
        }
        n
    }

    /// Sweep reads a candidate's comments only when a rule asks who
    /// commented since its clock started and someone did; the case's latest
    /// staff comment, kept by every comment, tells which.
    #[test]
    fn comments_are_read_only_where_someone_commented_since_a_clock_started() {
        let waiting = "Waiting for Account Manager";
        let table: &[(&str, Spec, bool)] = &[
            (
                "escalated, nobody commented since",
                Spec {
                    status: waiting,
                    am: Some("paige"),
                    handoff: None,
                    comments: &[(Some("sam"), -60)],
                },
                false,
            ),
            (
                "escalated, a comment since (whose, the comments tell)",
                Spec {
                    status: waiting,
                    am: Some("paige"),
                    handoff: None,
                    comments: &[(Some("sam"), 60)],
                },
                true,
            ),
            (
                "escalated, the AM's comment is the latest: it answers",
                Spec {
                    status: waiting,
                    am: Some("paige"),
                    handoff: None,
                    comments: &[(Some("sam"), 0), (Some("paige"), 60)],
                },
                false,
            ),
            (
                "escalated, the AM commented and someone else after",
                Spec {
                    status: waiting,
                    am: Some("paige"),
                    handoff: None,
                    comments: &[(Some("paige"), 30), (Some("sam"), 60)],
                },
                true,
            ),
            (
                "of two at the same second, the later written is the latest",
                Spec {
                    status: waiting,
                    am: Some("paige"),
                    handoff: None,
                    comments: &[(Some("paige"), 60), (Some("sam"), 60)],
                },
                true,
            ),
            (
                "escalated, only the escalation's own note (at that instant)",
                Spec {
                    status: waiting,
                    am: Some("paige"),
                    handoff: None,
                    comments: &[(Some("sam"), 0)],
                },
                false,
            ),
            (
                "escalated, only a system comment since",
                Spec {
                    status: waiting,
                    am: Some("paige"),
                    handoff: None,
                    comments: &[(Some("sam"), -60), (None, 60)],
                },
                false,
            ),
            (
                "waiting with no AM on the case: no comment is the AM's",
                Spec {
                    status: waiting,
                    am: None,
                    handoff: None,
                    comments: &[(Some("sam"), 60)],
                },
                false,
            ),
            (
                "an older comment written later does not move the latest back",
                Spec {
                    status: waiting,
                    am: Some("paige"),
                    handoff: None,
                    comments: &[(Some("sam"), 60), (Some("bob"), -60)],
                },
                true,
            ),
            (
                "handed off, the rep's comment is the latest: it answers",
                Spec {
                    status: "In Progress",
                    am: None,
                    handoff: Some(("billing", Some("bob"))),
                    comments: &[(Some("bob"), 60)],
                },
                false,
            ),
            (
                "handed off, someone else commented last: the rep may have answered",
                Spec {
                    status: "In Progress",
                    am: None,
                    handoff: Some(("billing", Some("bob"))),
                    comments: &[(Some("sam"), 60)],
                },
                true,
            ),
            (
                "handed off, nobody commented since",
                Spec {
                    status: "In Progress",
                    am: None,
                    handoff: Some(("billing", Some("bob"))),
                    comments: &[(Some("bob"), -60)],
                },
                false,
            ),
            (
                "handed off without a rep: no comment is the team's",
                Spec {
                    status: "In Progress",
                    am: None,
                    handoff: Some(("billing", None)),
                    comments: &[(Some("bob"), 60)],
                },
                false,
            ),
        ];
        let store = Store::open_in_memory().unwrap();
        let t0 = from_ts(1_800_000_000);
        let numbers: Vec<_> = store
            .write(|tx| -> crate::store::Result<_> {
                for h in ["paige", "sam", "bob"] {
                    let email = format!("{h}@desk.example");
                    people::insert(tx, &Person::new(h, h, &email), 0)?;
                }
                Ok(table
                    .iter()
                    .map(|(what, spec, _)| stored(tx, what, t0, spec))
                    .collect())
            })
            .unwrap();
        let candidates = sweep_log::candidates(store.db(), "Integration").unwrap();
        for ((what, spec, reads), n) in table.iter().zip(&numbers) {
            let c = candidates
                .iter()
                .find(|s| s.case.number == *n)
                .unwrap_or_else(|| panic!("{what}: not a candidate"));
            // The latest staff comment; of two at once, the later written.
            let latest = spec
                .comments
                .iter()
                .filter_map(|(author, m)| Some((t0 + Duration::minutes(*m), (*author)?)))
                .reduce(|a, b| if b.0 >= a.0 { b } else { a });
            assert_eq!(c.last_comment_at, latest.map(|(at, _)| at), "{what}");
            assert_eq!(
                c.last_comment_by.as_deref(),
                latest.map(|(_, by)| by),
                "{what}"
            );
            assert_eq!(reads_comments(c), *reads, "{what}");
            assert_eq!(c.case.status.label(), spec.status, "{what}");
        }
    }
}
