//! Pure workflow rules: which status changes a command may make, when a case may be
//! closed for no response, and where triage sends a case. Plain functions over domain
//! values, tested with tables.

use std::collections::BTreeSet;

use crate::domain::states::{ContactMethod, ContactOutcome};
use chrono::{DateTime, NaiveDate, Utc};

use super::case::{Status, Tier};

/// How a status change is asked for: the plain `status` command, or a command that
/// carries its own rules (and so may set statuses `status` refuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// `casebook status N STATUS`.
    Status,
    /// `casebook close` (creator or owner; `--no-response` checks its rule first).
    Close,
    /// `casebook reopen`.
    Reopen,
    /// `casebook resume`: Waiting for Support back to the prior status.
    Resume,
    /// `casebook escalate --am` / `--management`, and sweep's escalation.
    Escalate,
    /// `casebook hold`.
    Hold,
    /// Work starting: the first contact attempt moves New to In Progress.
    Work,
    /// A reply from the customer (ingest).
    CustomerReply,
    /// The integration rules of `sweep`.
    Sweep,
}

/// Whether `from → to` may happen the way it is asked for; the error says why not and
/// what to do instead (without the case number, which the caller adds).
pub fn check_transition(from: Status, to: Status, via: Via) -> Result<(), String> {
    use Status::*;
    if via == Via::Reopen && !from.is_closed() {
        return Err(format!(
            "the case is `{from}`, not closed: nothing to reopen"
        ));
    }
    if from == to && via != Via::Hold {
        return Err(format!("the case is already `{to}`"));
    }
    if from.is_closed() && !matches!(via, Via::Reopen | Via::CustomerReply) {
        return Err(format!(
            "the case is `{from}`: closed cases only change by `casebook reopen` (or a customer reply)"
        ));
    }
    match via {
        Via::Status => match to {
            New => Err(
                "a case cannot go back to `New` once work has started; use `In Progress` or a waiting status"
                    .into(),
            ),
            ClosedNoResponse => Err(
                "`Closed No Response` needs the no-response rule checked: use `casebook close --no-response`"
                    .into(),
            ),
            Closed => Err("close a case with `casebook close` (the creator or the owner may)".into()),
            WaitingForAccountManager => Err(
                "`Waiting for Account Manager` fills the AM and RM fields and tags the AM: use `casebook escalate --am --note TEXT`"
                    .into(),
            ),
            WaitingForManagement => Err(
                "`Waiting for Management` notifies the regional manager: use `casebook escalate --management`"
                    .into(),
            ),
            OnHold => Err(
                "`On Hold` needs the agreed date: use `casebook hold --until DATE --reason TEXT`"
                    .into(),
            ),
            InProgress | WaitingForDetails | WaitingForSupport => Ok(()),
        },
        Via::Close => match to {
            Closed | ClosedNoResponse => Ok(()),
            _ => Err(format!("`close` cannot set `{to}`")),
        },
        Via::Reopen => {
            if !from.is_closed() {
                Err(format!("the case is `{from}`, not closed: nothing to reopen"))
            } else if to.is_closed() || to == New {
                Err(format!("a reopened case cannot be `{to}`"))
            } else {
                Ok(())
            }
        }
        Via::Resume => {
            if from != WaitingForSupport {
                Err(format!(
                    "the case is `{from}`: only a `Waiting for Support` case returns to its prior status"
                ))
            } else if to.is_closed() || to == New || to == WaitingForSupport {
                Err(format!("a resumed case cannot be `{to}`"))
            } else {
                Ok(())
            }
        }
        Via::Escalate => match to {
            WaitingForAccountManager | WaitingForManagement => Ok(()),
            _ => Err(format!("escalation cannot set `{to}`")),
        },
        Via::Hold => match to {
            OnHold => Ok(()),
            _ => Err(format!("`hold` cannot set `{to}`")),
        },
        Via::Work => match (from, to) {
            (New, InProgress) => Ok(()),
            _ => Err(format!("starting work does not move `{from}` to `{to}`")),
        },
        Via::CustomerReply => match to {
            WaitingForSupport if from.waits_on_others() => Ok(()),
            InProgress if from.is_closed() => Ok(()),
            _ => Err(format!("a customer reply does not move `{from}` to `{to}`")),
        },
        Via::Sweep => match (from, to) {
            (WaitingForAccountManager, WaitingForManagement) => Ok(()),
            (_, Closed) => Ok(()),
            (f, ClosedNoResponse) if f.waits_open_ended() => Ok(()),
            _ => Err(format!("sweep does not move `{from}` to `{to}`")),
        },
    }
}

/// A contact attempt as the no-response rule sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    pub method: ContactMethod,
    pub outcome: ContactOutcome,
}

impl Attempt {
    /// no-answer, left-message and sent are unanswered; reached is the customer answering.
    pub fn unanswered(&self) -> bool {
        self.outcome.unanswered()
    }
}

/// What the no-response rule found: unanswered attempts, business days and methods
/// since the customer last answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoResponse {
    pub attempts: usize,
    pub days: usize,
    pub methods: usize,
    /// The instant the customer last answered (inbound message or a `reached` attempt).
    pub since: Option<DateTime<Utc>>,
}

pub const NO_RESPONSE_ATTEMPTS: usize = 3;
pub const NO_RESPONSE_DAYS: usize = 2;
pub const NO_RESPONSE_METHODS: usize = 2;

impl NoResponse {
    pub fn holds(&self) -> bool {
        self.attempts >= NO_RESPONSE_ATTEMPTS
            && self.days >= NO_RESPONSE_DAYS
            && self.methods >= NO_RESPONSE_METHODS
    }

    /// "2 of 3 attempts, 1 of 2 business days, 1 of 2 methods".
    pub fn tally(&self) -> String {
        format!(
            "{} of {NO_RESPONSE_ATTEMPTS} attempts, {} of {NO_RESPONSE_DAYS} business days, {} of {NO_RESPONSE_METHODS} methods",
            self.attempts.min(NO_RESPONSE_ATTEMPTS),
            self.days.min(NO_RESPONSE_DAYS),
            self.methods.min(NO_RESPONSE_METHODS)
        )
    }
}

/// The no-response rule: at least three unanswered attempts across at least two
/// business days using at least two methods, all after the customer last answered (the
/// later of `last_inbound` and the last `reached` attempt). `business_day` gives the
/// local date of an instant when that date is a business day, else `None`.
pub fn no_response(
    attempts: &[Attempt],
    last_inbound: Option<DateTime<Utc>>,
    business_day: &dyn Fn(DateTime<Utc>) -> Option<NaiveDate>,
) -> NoResponse {
    let last_reached = attempts
        .iter()
        .filter(|a| a.outcome == ContactOutcome::Reached)
        .map(|a| a.at)
        .max();
    let since = last_inbound.max(last_reached);
    let counted: Vec<&Attempt> = attempts
        .iter()
        .filter(|a| a.unanswered() && since.is_none_or(|s| a.at > s))
        .collect();
    let days: BTreeSet<NaiveDate> = counted.iter().filter_map(|a| business_day(a.at)).collect();
    let methods: BTreeSet<ContactMethod> = counted.iter().map(|a| a.method.channel()).collect();
    NoResponse {
        attempts: counted.len(),
        days: days.len(),
        methods: methods.len(),
        since,
    }
}

/// The handoff follow-up rule (`sop/002_b72e65e39d0ee901.txt`): once `reply_hours`
/// clock hours have passed since the handoff and the team has not replied since it,
/// the team's follow-up contact is prompted. `team_replies` are the times the team
/// answered (the representative's comment or mail, the team's mail, a reply recorded
/// with `handoff --replied`); a customer's mail is never one of them.
pub fn handoff_needs_follow_up(
    handoff_at: DateTime<Utc>,
    reply_hours: u32,
    team_replies: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> bool {
    let waited = now >= handoff_at + chrono::Duration::hours(i64::from(reply_hours));
    waited && !team_replies.iter().any(|t| *t >= handoff_at)
}

/// A pool AM as triage weighs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolMember {
    pub handle: String,
    pub open_cases: usize,
    pub last_assigned: Option<DateTime<Utc>>,
}

/// The pool AM with the fewest open cases; ties go to the one assigned least recently
/// (never assigned first), then by handle so the choice is stable.
pub fn pick_pool(pool: &[PoolMember]) -> Option<&PoolMember> {
    pool.iter().min_by(|a, b| {
        (a.open_cases, a.last_assigned, &a.handle).cmp(&(b.open_cases, b.last_assigned, &b.handle))
    })
}

/// What triage knows about one queued case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedCase {
    pub number: crate::domain::case::CaseNumber,
    pub tier: Option<Tier>,
    pub account_manager: Option<String>,
    /// The owner of an earlier case this one follows up (linked case, same contact or
    /// same account recently), with why.
    pub follow_up_owner: Option<(String, String)>,
}

/// Where triage sends a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Silver and above: the designated AM.
    Designated(String),
    /// A follow-up goes to whoever owned the earlier case.
    FollowUp(String, String),
    /// Below Silver: the pool AM with the fewest open cases.
    Pool(String),
    /// The delegate of the away AM (or follow-up owner) named second.
    Delegate(String, String),
    /// The pool AM with the fewest open cases, for the away AM named second (no delegate).
    AwayToPool(String, String),
    /// The pool AM with the fewest open cases, for the inactive AM named second.
    InactiveToPool(String, String),
    /// Stays in the queue, with why.
    Stay(String),
}

impl Route {
    pub fn handle(&self) -> Option<&str> {
        match self {
            Route::Designated(h)
            | Route::FollowUp(h, _)
            | Route::Pool(h)
            | Route::Delegate(h, _)
            | Route::AwayToPool(h, _)
            | Route::InactiveToPool(h, _) => Some(h),
            Route::Stay(_) => None,
        }
    }

    pub fn reason(&self) -> String {
        match self {
            Route::Designated(_) => "designated account manager".into(),
            Route::FollowUp(_, why) => format!("follow-up: {why}"),
            Route::Pool(_) => "pool: fewest open cases".into(),
            Route::Delegate(_, away) => format!("delegate of `{away}`, who is away"),
            Route::AwayToPool(_, away) => {
                format!("pool: `{away}` is away with no delegate")
            }
            Route::InactiveToPool(_, gone) => {
                format!("pool: the designated account manager `{gone}` is inactive")
            }
            Route::Stay(why) => why.clone(),
        }
    }
}

/// Queue order: Silver and above first, then Bronze ahead of Standard, unmatched last;
/// oldest case first within a tier.
pub fn queue_order(cases: &mut [QueuedCase]) {
    cases.sort_by_key(|c| (c.tier.map_or(99, |t| t as u8), c.number));
}

/// Whether a person is there to take a case today (design.md, Away and delegates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    Here,
    /// Away, covered by this delegate.
    Delegated(String),
    /// Away with no delegate.
    Away,
    /// Left the team (`people deactivate`): never given cases.
    Inactive,
}

/// Plans triage of `cases` (in queue order) over the pool; the pool's counts grow as
/// cases are handed out, so the plan is exactly what assigning would do. `presence`
/// says who is away: an away designated AM's case goes to their delegate, or to the
/// pool without one; an away follow-up owner's likewise; away pool members get none.
pub fn plan_triage(
    cases: &[QueuedCase],
    pool: &[PoolMember],
    now: DateTime<Utc>,
    presence: &dyn Fn(&str) -> Presence,
) -> Vec<Route> {
    let mut pool: Vec<PoolMember> = pool
        .iter()
        .filter(|m| presence(&m.handle) == Presence::Here)
        .cloned()
        .collect();
    let bump = |pool: &mut Vec<PoolMember>, h: &str| {
        if let Some(m) = pool.iter_mut().find(|m| m.handle == h) {
            m.open_cases += 1;
            m.last_assigned = Some(now);
        }
    };
    let from_pool = |pool: &[PoolMember]| match pick_pool(pool) {
        Some(m) => Route::Pool(m.handle.clone()),
        None => Route::Stay(
            "no pool account managers: mark some with pool=yes (`casebook people add`)".into(),
        ),
    };
    cases
        .iter()
        .map(|c| {
            let route = match c.tier {
                None => Route::Stay(
                    "no account matched: set the account, then assign by hand (`casebook assign`)"
                        .into(),
                ),
                Some(t) if t.needs_account_manager() => match &c.account_manager {
                    Some(am) => match presence(am) {
                        Presence::Here => Route::Designated(am.clone()),
                        Presence::Delegated(d) => Route::Delegate(d, am.clone()),
                        Presence::Away => match from_pool(&pool) {
                            Route::Pool(h) => Route::AwayToPool(h, am.clone()),
                            stay => stay,
                        },
                        Presence::Inactive => match from_pool(&pool) {
                            Route::Pool(h) => Route::InactiveToPool(h, am.clone()),
                            stay => stay,
                        },
                    },
                    None => Route::Stay(format!(
                        "{t} account without a designated account manager: set one (`casebook accounts add`)"
                    )),
                },
                Some(_) => match &c.follow_up_owner {
                    Some((h, why)) => match presence(h) {
                        Presence::Here => Route::FollowUp(h.clone(), why.clone()),
                        Presence::Delegated(d) => Route::Delegate(d, h.clone()),
                        Presence::Away | Presence::Inactive => from_pool(&pool),
                    },
                    None => from_pool(&pool),
                },
            };
            if let Some(h) = route.handle() {
                bump(&mut pool, h);
            }
            route
        })
        .collect()
}

/// Handles mentioned in a comment: `@handle`, letters, digits, `.`, `_` and `-`, without a
/// trailing dot; each once, in order of appearance. An address like `ann@x.com` is not a mention.
pub fn mentions(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        // Not inside an address or a word: `ann@acme.example`, `x_@y`, `a.@b` are not mentions.
        let after_word =
            i > 0 && (chars[i - 1].is_alphanumeric() || matches!(chars[i - 1], '_' | '.' | '@'));
        if chars[i] == '@' && !after_word {
            let mut j = i + 1;
            while j < chars.len()
                && (chars[j].is_alphanumeric() || matches!(chars[j], '.' | '_' | '-'))
            {
                j += 1;
            }
            let handle: String = chars[i + 1..j].iter().collect();
            let handle = handle.trim_end_matches(['.', '-']).to_string();
            if !handle.is_empty() && !found.contains(&handle) {
                found.push(handle);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    found
}

/// Who may close `case`: its creator and its owner.
pub fn may_close(case: &crate::domain::case::Case, handle: &str) -> bool {
    case.creator.as_deref() == Some(handle) || case.owner.as_deref() == Some(handle)
}

/// What `report --send` does when run on a day the business calendar has
/// closed (a weekend, a holiday): `[report] when_closed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WhenClosed {
    /// Send nothing: the next scheduled run sends the next report.
    #[default]
    Skip,
    /// Send what this run would have sent at the opening of the next business day.
    NextBusinessDay,
}

/// When the owner report of a `report --send` run at `now` goes out: at
/// once on a business day (whatever the hour), else never (`Skip`) or at
/// the next opening of the calendar (`NextBusinessDay`).
pub fn report_send_at(
    calendar: &crate::domain::calendar::Calendar,
    now: DateTime<Utc>,
    when_closed: WhenClosed,
) -> Option<DateTime<Utc>> {
    if calendar.is_business_day(calendar.local_date(now)) {
        return Some(now);
    }
    match when_closed {
        WhenClosed::Skip => None,
        WhenClosed::NextBusinessDay => Some(calendar.next_opening(now)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, TimeZone, Weekday};

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    /// Business days in UTC, Monday to Friday (enough for the rule's tests).
    fn weekday(t: DateTime<Utc>) -> Option<NaiveDate> {
        let d = t.date_naive();
        (!matches!(d.weekday(), Weekday::Sat | Weekday::Sun)).then_some(d)
    }

    fn a(at: &str, method: &str, outcome: &str) -> Attempt {
        Attempt {
            at: t(at),
            method: method.parse().unwrap(),
            outcome: outcome.parse().unwrap(),
        }
    }

    #[test]
    fn status_command_transition_table() {
        use Status::*;
        let cases: &[(Status, Status, bool, &str)] = &[
            (New, InProgress, true, ""),
            (New, WaitingForDetails, true, ""),
            (InProgress, WaitingForDetails, true, ""),
            (WaitingForDetails, InProgress, true, ""),
            (InProgress, WaitingForSupport, true, ""),
            (InProgress, New, false, "once work has started"),
            (InProgress, InProgress, false, "already"),
            (InProgress, ClosedNoResponse, false, "close --no-response"),
            (InProgress, Closed, false, "casebook close"),
            (InProgress, WaitingForAccountManager, false, "escalate --am"),
            (
                InProgress,
                WaitingForManagement,
                false,
                "escalate --management",
            ),
            (InProgress, OnHold, false, "casebook hold"),
            (Closed, InProgress, false, "casebook reopen"),
            (
                ClosedNoResponse,
                WaitingForDetails,
                false,
                "casebook reopen",
            ),
        ];
        for (from, to, ok, says) in cases {
            let got = check_transition(*from, *to, Via::Status);
            assert_eq!(got.is_ok(), *ok, "{from} → {to}: {got:?}");
            if let Err(e) = got {
                assert!(e.contains(says), "{from} → {to}: {e}");
            }
        }
    }

    #[test]
    fn other_ways_in_and_out_of_statuses() {
        use Status::*;
        let cases: &[(Status, Status, Via, bool)] = &[
            (Closed, InProgress, Via::Reopen, true),
            (InProgress, InProgress, Via::Reopen, false),
            (Closed, Closed, Via::Reopen, false),
            (WaitingForSupport, WaitingForManagement, Via::Resume, true),
            (InProgress, WaitingForDetails, Via::Resume, false),
            (InProgress, Closed, Via::Close, true),
            (New, ClosedNoResponse, Via::Close, true),
            (Closed, Closed, Via::Close, false),
            (ClosedNoResponse, Closed, Via::Close, false),
            (InProgress, WaitingForAccountManager, Via::Escalate, true),
            (Closed, WaitingForAccountManager, Via::Escalate, false),
            (OnHold, OnHold, Via::Hold, true),
            (New, InProgress, Via::Work, true),
            (
                WaitingForDetails,
                WaitingForSupport,
                Via::CustomerReply,
                true,
            ),
            (InProgress, WaitingForSupport, Via::CustomerReply, false),
            (Closed, InProgress, Via::CustomerReply, true),
            (
                WaitingForAccountManager,
                WaitingForManagement,
                Via::Sweep,
                true,
            ),
            (WaitingForDetails, ClosedNoResponse, Via::Sweep, true),
            (InProgress, ClosedNoResponse, Via::Sweep, false),
            (OnHold, ClosedNoResponse, Via::Sweep, false),
            (WaitingForSupport, ClosedNoResponse, Via::Sweep, false),
            (Closed, Closed, Via::Sweep, false),
        ];
        for (from, to, via, ok) in cases {
            let got = check_transition(*from, *to, *via);
            assert_eq!(got.is_ok(), *ok, "{from} → {to} via {via:?}: {got:?}");
        }
    }

    #[test]
    fn handoff_follow_up_table() {
        let handoff = t("2026-11-23T14:00:00Z");
        let cases: &[(&str, &[&str], &str, bool)] = &[
            ("before 48 hours", &[], "2026-11-25T13:59:00Z", false),
            ("at 48 hours, no reply", &[], "2026-11-25T14:00:00Z", true),
            (
                "a reply after the handoff",
                &["2026-11-24T09:00:00Z"],
                "2026-11-25T14:00:00Z",
                false,
            ),
            (
                "a reply before the handoff is not to it",
                &["2026-11-23T13:00:00Z"],
                "2026-11-25T14:00:00Z",
                true,
            ),
        ];
        for (name, replies, now, due) in cases {
            let replies: Vec<DateTime<Utc>> = replies.iter().map(|r| t(r)).collect();
            assert_eq!(
                handoff_needs_follow_up(handoff, 48, &replies, t(now)),
                *due,
                "{name}"
            );
        }
    }

    /// name, attempts, last inbound, (attempts, days, methods) counted, holds
    type RuleCase = (
        &'static str,
        Vec<Attempt>,
        Option<&'static str>,
        (usize, usize, usize),
        bool,
    );

    #[test]
    fn no_response_rule_table() {
        // Monday 23 and Tuesday 24 November 2026; Saturday 28.
        let cases: Vec<RuleCase> = vec![
            (
                "three attempts, two days, two methods",
                vec![
                    a("2026-11-23T15:00:00Z", "phone", "no-answer"),
                    a("2026-11-23T16:00:00Z", "email", "sent"),
                    a("2026-11-24T15:00:00Z", "phone", "left-message"),
                ],
                None,
                (3, 2, 2),
                true,
            ),
            (
                "three attempts on one day",
                vec![
                    a("2026-11-23T15:00:00Z", "phone", "no-answer"),
                    a("2026-11-23T16:00:00Z", "email", "sent"),
                    a("2026-11-23T17:00:00Z", "phone", "left-message"),
                ],
                None,
                (3, 1, 2),
                false,
            ),
            (
                "three by phone only",
                vec![
                    a("2026-11-23T15:00:00Z", "phone", "no-answer"),
                    a("2026-11-24T15:00:00Z", "phone", "no-answer"),
                    a("2026-11-25T15:00:00Z", "phone", "left-message"),
                ],
                None,
                (3, 3, 1),
                false,
            ),
            (
                "attempts before the customer's last reply do not count",
                vec![
                    a("2026-11-23T15:00:00Z", "phone", "no-answer"),
                    a("2026-11-23T16:00:00Z", "email", "sent"),
                    a("2026-11-24T15:00:00Z", "phone", "left-message"),
                    a("2026-11-25T15:00:00Z", "email", "sent"),
                ],
                Some("2026-11-24T16:00:00Z"),
                (1, 1, 1),
                false,
            ),
            (
                "a reached attempt resets the count",
                vec![
                    a("2026-11-23T15:00:00Z", "phone", "no-answer"),
                    a("2026-11-23T16:00:00Z", "email", "sent"),
                    a("2026-11-24T15:00:00Z", "phone", "reached"),
                    a("2026-11-24T16:00:00Z", "sms", "sent"),
                    a("2026-11-25T15:00:00Z", "phone", "no-answer"),
                ],
                None,
                (2, 2, 2),
                false,
            ),
            (
                "a weekend attempt counts as an attempt but not a business day",
                vec![
                    a("2026-11-27T15:00:00Z", "phone", "no-answer"),
                    a("2026-11-28T15:00:00Z", "email", "sent"),
                    a("2026-11-29T15:00:00Z", "phone", "left-message"),
                ],
                None,
                (3, 1, 2),
                false,
            ),
            (
                "phone, voicemail and phone are one method",
                vec![
                    a("2026-11-23T15:00:00Z", "phone", "no-answer"),
                    a("2026-11-23T16:00:00Z", "voicemail", "left-message"),
                    a("2026-11-24T15:00:00Z", "phone", "no-answer"),
                ],
                None,
                (3, 2, 1),
                false,
            ),
            (
                "voicemail and email are two methods",
                vec![
                    a("2026-11-23T15:00:00Z", "voicemail", "left-message"),
                    a("2026-11-23T16:00:00Z", "email", "sent"),
                    a("2026-11-24T15:00:00Z", "phone", "no-answer"),
                ],
                None,
                (3, 2, 2),
                true,
            ),
            (
                "reached outcomes are not unanswered attempts",
                vec![a("2026-11-23T15:00:00Z", "phone", "reached")],
                None,
                (0, 0, 0),
                false,
            ),
        ];
        for (name, attempts, inbound, (n, d, m), holds) in cases {
            let got = no_response(&attempts, inbound.map(t), &weekday);
            assert_eq!((got.attempts, got.days, got.methods), (n, d, m), "{name}");
            assert_eq!(got.holds(), holds, "{name}");
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        const METHODS: &[&str] = &["phone", "email", "voicemail", "sms"];
        const OUTCOMES: &[&str] = &["reached", "no-answer", "left-message", "sent"];

        fn attempts() -> impl Strategy<Value = Vec<Attempt>> {
            prop::collection::vec((0i64..14 * 24, 0..METHODS.len(), 0..OUTCOMES.len()), 0..9)
                .prop_map(|v| {
                    let base = t("2026-11-23T00:00:00Z");
                    v.into_iter()
                        .map(|(h, m, o)| Attempt {
                            at: base + chrono::Duration::hours(h),
                            method: METHODS[m].parse().unwrap(),
                            outcome: OUTCOMES[o].parse().unwrap(),
                        })
                        .collect()
                })
        }

        /// The rule read literally: is there a set of three unanswered attempts after the
        /// last answer, on two business days, by two methods? (Brute force over triples.)
        fn oracle(all: &[Attempt], inbound: Option<DateTime<Utc>>) -> bool {
            let answered = all
                .iter()
                .filter(|a| a.outcome == ContactOutcome::Reached)
                .map(|a| a.at)
                .chain(inbound)
                .max();
            let c: Vec<&Attempt> = all
                .iter()
                .filter(|a| a.unanswered() && answered.is_none_or(|s| a.at > s))
                .collect();
            for i in 0..c.len() {
                for j in i + 1..c.len() {
                    for k in j + 1..c.len() {
                        let three = [c[i], c[j], c[k]];
                        let days: BTreeSet<_> =
                            three.iter().filter_map(|a| weekday(a.at)).collect();
                        let methods: BTreeSet<_> =
                            three.iter().map(|a| a.method.channel()).collect();
                        if days.len() >= 2 && methods.len() >= 2 {
                            return true;
                        }
                    }
                }
            }
            false
        }

        proptest! {
            #[test]
            fn the_rule_agrees_with_a_brute_force_oracle(all in attempts(), inbound in prop::option::of(0i64..14 * 24)) {
                let inbound = inbound.map(|h| t("2026-11-23T00:00:00Z") + chrono::Duration::hours(h));
                prop_assert_eq!(no_response(&all, inbound, &weekday).holds(), oracle(&all, inbound));
            }

            #[test]
            fn the_order_of_attempts_does_not_matter(mut all in attempts()) {
                let before = no_response(&all, None, &weekday);
                all.reverse();
                prop_assert_eq!(no_response(&all, None, &weekday), before);
            }
        }
    }

    #[test]
    fn no_response_tally_says_what_is_missing() {
        let r = NoResponse {
            attempts: 2,
            days: 1,
            methods: 1,
            since: None,
        };
        assert_eq!(
            r.tally(),
            "2 of 3 attempts, 1 of 2 business days, 1 of 2 methods"
        );
    }

    fn member(h: &str, open: usize, last: Option<&str>) -> PoolMember {
        PoolMember {
            handle: h.into(),
            open_cases: open,
            last_assigned: last.map(t),
        }
    }

    #[test]
    fn pool_pick_fewest_then_least_recently_assigned() {
        let cases: Vec<(Vec<PoolMember>, Option<&str>)> = vec![
            (vec![], None),
            (
                vec![member("amy", 3, None), member("bob", 1, None)],
                Some("bob"),
            ),
            (
                vec![
                    member("amy", 1, Some("2026-11-20T10:00:00Z")),
                    member("bob", 1, Some("2026-11-19T10:00:00Z")),
                ],
                Some("bob"),
            ),
            (
                vec![
                    member("amy", 1, Some("2026-11-20T10:00:00Z")),
                    member("bob", 1, None),
                ],
                Some("bob"),
            ),
            (
                vec![member("bob", 0, None), member("amy", 0, None)],
                Some("amy"),
            ),
        ];
        for (pool, want) in cases {
            assert_eq!(
                pick_pool(&pool).map(|m| m.handle.as_str()),
                want,
                "{pool:?}"
            );
        }
    }

    #[test]
    fn triage_plan_routes_by_tier_follow_up_and_load() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap();
        let q = |n: i64, tier, am: Option<&str>, fu: Option<&str>| QueuedCase {
            number: crate::domain::case::CaseNumber::new(n).unwrap(),
            tier,
            account_manager: am.map(String::from),
            follow_up_owner: fu.map(|h| (h.to_string(), "same contact".to_string())),
        };
        let mut cases = vec![
            q(1, Some(Tier::Standard), None, None),
            q(2, None, None, None),
            q(3, Some(Tier::Gold), Some("paige"), Some("amy")),
            q(4, Some(Tier::Bronze), None, None),
            q(5, Some(Tier::Bronze), None, Some("rmora")),
            q(6, Some(Tier::Silver), None, None),
        ];
        queue_order(&mut cases);
        let order: Vec<i64> = cases.iter().map(|c| c.number.get()).collect();
        assert_eq!(order, [3, 6, 4, 5, 1, 2]);
        let pool = vec![member("amy", 1, None), member("bob", 1, None)];
        let plan = plan_triage(&cases, &pool, now, &|_| Presence::Here);
        assert_eq!(plan[0], Route::Designated("paige".into()));
        assert!(matches!(&plan[1], Route::Stay(w) if w.contains("designated")));
        assert_eq!(plan[2], Route::Pool("amy".into()));
        assert_eq!(
            plan[3],
            Route::FollowUp("rmora".into(), "same contact".into())
        );
        assert_eq!(plan[4], Route::Pool("bob".into()));
        assert!(matches!(&plan[5], Route::Stay(w) if w.contains("no account")));
    }

    #[test]
    fn triage_plan_routes_around_people_who_are_away() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap();
        let q = |n: i64, tier, am: Option<&str>, fu: Option<&str>| QueuedCase {
            number: crate::domain::case::CaseNumber::new(n).unwrap(),
            tier,
            account_manager: am.map(String::from),
            follow_up_owner: fu.map(|h| (h.to_string(), "same contact".to_string())),
        };
        let cases = vec![
            q(1, Some(Tier::Gold), Some("paige"), None),
            q(2, Some(Tier::Gold), Some("rmora"), None),
            q(3, Some(Tier::Bronze), None, Some("paige")),
            q(4, Some(Tier::Bronze), None, None),
        ];
        // paige is away covered by jlee, rmora and amy are away without a delegate.
        let presence = |h: &str| match h {
            "paige" => Presence::Delegated("jlee".into()),
            "rmora" | "amy" => Presence::Away,
            "gone" => Presence::Inactive,
            _ => Presence::Here,
        };
        let pool = vec![member("amy", 0, None), member("bob", 3, None)];
        let plan = plan_triage(&cases, &pool, now, &presence);
        assert_eq!(plan[0], Route::Delegate("jlee".into(), "paige".into()));
        assert_eq!(plan[1], Route::AwayToPool("bob".into(), "rmora".into()));
        assert_eq!(plan[2], Route::Delegate("jlee".into(), "paige".into()));
        assert_eq!(
            plan[3],
            Route::Pool("bob".into()),
            "amy is away: not in the pool"
        );
        let gone = plan_triage(
            &[q(5, Some(Tier::Gold), Some("gone"), None)],
            &pool,
            now,
            &presence,
        );
        assert_eq!(gone[0], Route::InactiveToPool("bob".into(), "gone".into()));
        let nobody = plan_triage(&cases[1..2], &pool[..1], now, &presence);
        assert!(matches!(&nobody[0], Route::Stay(w) if w.contains("no pool")));
    }

    #[test]
    fn mentions_are_handles_after_at() {
        assert_eq!(mentions("@amy please call, cc @bob."), ["amy", "bob"]);
        assert_eq!(mentions("mail ann@acme.example"), Vec::<String>::new());
        assert_eq!(mentions("@amy @amy (@j.lee)"), ["amy", "j.lee"]);
        assert_eq!(mentions("x_@bob a.@amy b@@amy"), Vec::<String>::new());
    }

    #[test]
    fn report_goes_out_on_business_days_or_at_the_next_opening() {
        let config: crate::domain::calendar::CalendarConfig = toml::from_str(
            r#"
            timezone = "America/Chicago"
            [hours]
            mon = ["08:00-17:00"]
            tue = ["08:00-17:00"]
            wed = ["08:00-17:00"]
            thu = ["08:00-17:00"]
            fri = ["08:00-17:00"]
            [[holidays]]
            date = "2026-11-26"
            name = "Thanksgiving"
            [[holidays]]
            date = "2026-11-27"
            name = "Day after Thanksgiving"
            hours = ["08:00-12:00"]
            [[holidays]]
            date = "2026-12-07"
            name = "A closed Monday"
            "#,
        )
        .unwrap();
        let cal = crate::domain::calendar::Calendar::new(&config).unwrap();
        use WhenClosed::{NextBusinessDay, Skip};
        for (now, when_closed, expected, why) in [
            (
                "2026-11-30T13:00:00Z",
                Skip,
                Some("2026-11-30T13:00:00Z"),
                "a Monday, 07:00 before opening: at once",
            ),
            (
                "2026-11-30T13:00:00Z",
                NextBusinessDay,
                Some("2026-11-30T13:00:00Z"),
                "a business day either way",
            ),
            (
                "2026-12-01T03:00:00Z",
                Skip,
                Some("2026-12-01T03:00:00Z"),
                "Monday 21:00 local is still Monday",
            ),
            ("2026-11-26T13:00:00Z", Skip, None, "Thanksgiving: nothing"),
            (
                "2026-11-26T13:00:00Z",
                NextBusinessDay,
                Some("2026-11-27T14:00:00Z"),
                "Thanksgiving: the partial Friday's 08:00",
            ),
            ("2026-11-28T13:00:00Z", Skip, None, "a Saturday"),
            (
                "2026-11-28T13:00:00Z",
                NextBusinessDay,
                Some("2026-11-30T14:00:00Z"),
                "a Saturday: Monday 08:00",
            ),
            (
                "2026-12-07T13:00:00Z",
                NextBusinessDay,
                Some("2026-12-08T14:00:00Z"),
                "a closed Monday: Tuesday 08:00",
            ),
        ] {
            assert_eq!(
                report_send_at(&cal, t(now), when_closed),
                expected.map(t),
                "{why}"
            );
        }
    }
}
