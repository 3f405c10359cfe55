//! The one place a case changes: fields are updated through the store, each changed
//! field writes one event (who, when, field, old, new), the SLA due times are refreshed
//! and the people concerned are notified, all inside the caller's write transaction.

use crate::domain::case::CaseNumber;
use crate::store::Db;
use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, Utc};

use crate::desk::notify::{self, Notice};
use crate::desk::Desk;
use crate::domain::calendar::short_time;
use crate::domain::case::{Case, Priority, Status};
use crate::domain::rules::{check_transition, Via};
use crate::error;
use crate::store::cases;
use crate::store::cases::{set_fields, Column, FieldValue};

/// What to change on a case. `None` leaves a field alone; `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub status: Option<Status>,
    /// How the status change is asked for: when set, [`apply`] checks the transition
    /// again against the case as it is inside the transaction.
    pub via: Option<Via>,
    /// Set by the workflow itself when entering or leaving Waiting for Support.
    pub prior_status: Option<Option<Status>>,
    pub priority: Option<Priority>,
    /// Corrections of what ingest read from the mail (`casebook edit`).
    pub subject: Option<String>,
    /// The account by id and name; `Some(None)` clears it.
    pub account: Option<Option<(i64, String)>>,
    pub contact_name: Option<Option<String>>,
    pub contact_email: Option<Option<String>>,
    pub category: Option<String>,
    pub case_type: Option<String>,
    pub owner: Option<Option<String>>,
    pub am: Option<Option<String>>,
    pub rm: Option<Option<String>>,
    pub support_rep: Option<Option<String>>,
    pub team: Option<Option<String>>,
    pub hold_until: Option<Option<DateTime<Utc>>>,
    pub hold_reason: Option<Option<String>>,
    pub assigned_at: Option<DateTime<Utc>>,
    pub first_contact_at: Option<DateTime<Utc>>,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub last_inbound_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub handoff_at: Option<DateTime<Utc>>,
    /// History lines that are not a field of the case: (what, old, new), e.g. a watcher added.
    pub events: Vec<(String, Option<String>, Option<String>)>,
    /// Update the case's last-modified time even when no field changes (a review).
    pub touch: bool,
    /// Handles to notify besides the owner and creator.
    pub also: Vec<String>,
    /// A note for the notification (a comment's text, an escalation note).
    pub note: Option<String>,
    /// The change in one line for the notification; default: the events joined.
    pub summary: Option<String>,
    /// Handles not to mail about this change (`assign --no-notify`).
    pub quiet: Vec<String>,
}

fn text(v: &Option<String>) -> FieldValue {
    FieldValue::Text(v.clone())
}

/// Applies `change` to case `number` as `actor` (`None`: the system) at `desk.now`;
/// returns the case after the change. Status changes must already have been checked
/// with [`check_transition`] by the caller; this keeps the bookkeeping consistent
/// (status_changed_at, closed_at, prior_status, hold fields).
pub fn apply(
    desk: &Desk<'_>,
    number: CaseNumber,
    actor: Option<&str>,
    change: Change,
) -> Result<Case> {
    let now = desk.now;
    let before =
        cases::get(desk.db, number)?.ok_or_else(|| error::user(format!("no case `#{number}`")))?;
    if let (Some(to), Some(via)) = (change.status, change.via) {
        check(&before, to, via)?;
    }
    let mut cols: Vec<(Column, FieldValue)> = Vec::new();
    let mut events: Vec<(String, Option<String>, Option<String>)> = Vec::new();

    let mut hold_until = change.hold_until;
    let mut hold_reason = change.hold_reason.clone();
    let mut prior_status = change.prior_status;
    if let Some(s) = change.status.filter(|s| *s != before.status) {
        cols.push((Column::Status, FieldValue::Text(Some(s.label().into()))));
        cols.push((Column::StatusChangedAt, FieldValue::Time(Some(now))));
        events.push((
            "status".into(),
            Some(before.status.label().into()),
            Some(s.label().into()),
        ));
        if s.is_closed() {
            cols.push((Column::ClosedAt, FieldValue::Time(Some(now))));
        } else if before.status.is_closed() {
            cols.push((Column::ClosedAt, FieldValue::Time(None)));
        }
        if prior_status.is_none() {
            if s == Status::WaitingForSupport {
                prior_status = Some(Some(before.status));
            } else if before.prior_status.is_some() {
                prior_status = Some(None);
            }
        }
        // The agreed date only matters while the case is on hold (or waiting on support
        // from there, so that resuming returns to it).
        if !matches!(s, Status::OnHold | Status::WaitingForSupport) {
            if hold_until.is_none() && before.hold_until.is_some() {
                hold_until = Some(None);
            }
            if hold_reason.is_none() && before.hold_reason.is_some() {
                hold_reason = Some(None);
            }
        }
    }
    if let Some(p) = prior_status {
        if p != before.prior_status {
            cols.push((
                Column::PriorStatus,
                FieldValue::Text(p.map(|s| s.label().to_string())),
            ));
        }
    }
    if let Some(p) = change.priority.filter(|p| *p != before.priority) {
        cols.push((Column::Priority, FieldValue::Text(Some(p.label().into()))));
        events.push((
            "priority".into(),
            Some(before.priority.label().into()),
            Some(p.label().into()),
        ));
    }
    // Corrections: each an event with its old and new value.
    let texts = [
        (Column::Subject, "subject", &change.subject, &before.subject),
        (
            Column::Category,
            "category",
            &change.category,
            &before.category,
        ),
        (
            Column::CaseType,
            "type",
            &change.case_type,
            &before.case_type,
        ),
    ];
    for (col, field, new, old) in texts {
        if let Some(new) = new.as_ref().filter(|n| *n != old) {
            cols.push((col, FieldValue::Text(Some(new.clone()))));
            events.push((field.into(), Some(old.clone()), Some(new.clone())));
        }
    }
    if let Some(account) = change.account.as_ref() {
        let name = account.as_ref().map(|(_, n)| n.clone());
        if name != before.account {
            cols.push((
                Column::AccountId,
                FieldValue::Id(account.as_ref().map(|(id, _)| *id)),
            ));
            events.push(("account".into(), before.account.clone(), name));
        }
    }
    let people = [
        (Column::Owner, "owner", &change.owner, &before.owner),
        (Column::Am, "account manager", &change.am, &before.am),
        (Column::Rm, "regional manager", &change.rm, &before.rm),
        (
            Column::SupportRep,
            "support representative",
            &change.support_rep,
            &before.support_rep,
        ),
        (Column::Team, "team", &change.team, &before.team),
        (
            Column::ContactName,
            "contact name",
            &change.contact_name,
            &before.contact_name,
        ),
        (
            Column::ContactEmail,
            "contact",
            &change.contact_email,
            &before.contact_email,
        ),
        (
            Column::HoldReason,
            "hold reason",
            &hold_reason,
            &before.hold_reason,
        ),
    ];
    for (col, field, new, old) in people {
        if let Some(new) = new.as_ref().filter(|n| *n != old) {
            cols.push((col, text(new)));
            events.push((field.into(), old.clone(), new.clone()));
        }
    }
    if let Some(h) = hold_until.filter(|h| *h != before.hold_until) {
        cols.push((Column::HoldUntil, FieldValue::Time(h)));
        let show = |t: Option<DateTime<Utc>>| t.map(|t| short_time(t, desk.display_tz()));
        events.push(("hold until".into(), show(before.hold_until), show(h)));
    }
    // Bookkeeping times: no event of their own (the change that sets them has one).
    let times = [
        (Column::AssignedAt, change.assigned_at),
        (Column::FirstContactAt, change.first_contact_at),
        (Column::LastContactAt, change.last_contact_at),
        (Column::LastInboundAt, change.last_inbound_at),
        (Column::EscalatedAt, change.escalated_at),
        (Column::HandoffAt, change.handoff_at),
    ];
    let bookkeeping = times.iter().any(|(_, t)| t.is_some());
    for (col, t) in times {
        if let Some(t) = t {
            cols.push((col, FieldValue::Time(Some(t))));
        }
    }
    events.extend(change.events.iter().cloned());

    // A comment alone (a note, nothing changed) notifies but leaves last-modified alone.
    let changed = !events.is_empty() || bookkeeping || change.touch;
    if !changed && change.note.is_none() {
        return Ok(before);
    }
    if changed {
        cols.push((Column::UpdatedAt, FieldValue::Time(Some(now))));
        set_fields(desk.db, number, &cols).context("updating the case")?;
        for (field, old, new) in &events {
            cases::add_event(
                desk.db,
                number,
                now,
                actor,
                field,
                old.as_deref(),
                new.as_deref(),
            )?;
        }
        crate::desk::due::refresh(desk, number)?;
    }
    let after = cases::get(desk.db, number)?.context("the case vanished")?;
    if !events.is_empty() || change.note.is_some() {
        let summary = change.summary.clone().unwrap_or_else(|| {
            events
                .iter()
                .map(|(f, o, n)| describe(f, o.as_deref(), n.as_deref()))
                .collect::<Vec<_>>()
                .join("; ")
        });
        let mut also = change.also.clone();
        // A reassigned case's previous owner hears that it left them.
        if let (Some(previous), true) = (&before.owner, after.owner != before.owner) {
            also.push(previous.clone());
        }
        notify::case_changed(
            desk,
            &Notice {
                case: &after,
                actor,
                change: summary,
                also,
                note: change.note.clone(),
                quiet: change.quiet.clone(),
            },
        )?;
    }
    Ok(after)
}

/// One history line as people read it: "status: New → In Progress".
pub fn describe(field: &str, old: Option<&str>, new: Option<&str>) -> String {
    match (old, new) {
        (Some(o), Some(n)) => format!("{field}: {o} → {n}"),
        (None, Some(n)) => format!("{field}: {n}"),
        (Some(o), None) => format!("{field}: {o} → (none)"),
        (None, None) => field.to_string(),
    }
}

/// Checks a status change for case `case` the way it is asked for; a refusal is a user
/// error naming the case.
pub fn check(case: &Case, to: Status, via: Via) -> Result<()> {
    check_transition(case.status, to, via)
        .map_err(|why| error::user(format!("case `#{}`: {why}", case.number)))
}

/// A reply from the customer arrived at `at` (ingest calls this after storing the
/// message): records the inbound time and, when the case waits on someone (Waiting
/// for Details, On Hold, Waiting for Account Manager, Waiting for Management), moves
/// it to Waiting for Support remembering the prior status. A closed case is reopened
/// (In Progress) in the same change: whether it may be (the reopen window) is ingest's
/// decision, taken before calling this.
pub fn customer_replied(desk: &Desk<'_>, number: CaseNumber, at: DateTime<Utc>) -> Result<Case> {
    let case =
        cases::get(desk.db, number)?.ok_or_else(|| error::user(format!("no case `#{number}`")))?;
    let mut change = Change {
        last_inbound_at: Some(case.last_inbound_at.map_or(at, |l| l.max(at))),
        summary: Some("the customer replied".into()),
        note: Some("the customer replied".into()),
        ..Change::default()
    };
    // A closed case reopens (In Progress); a waiting one waits on support. Either way
    // one change, so the owner gets one message, not one per step.
    let to = if case.status.is_closed() {
        Some(Status::InProgress)
    } else if case.status.waits_on_others() {
        Some(Status::WaitingForSupport)
    } else {
        None
    };
    if let Some(to) = to {
        change.status = Some(to);
        change.via = Some(Via::CustomerReply);
        change.summary = Some(format!(
            "the customer replied: status {} → {to}",
            case.status
        ));
    }
    apply(desk, number, None, change)
}

/// Reopens a closed case (In Progress) as `actor`; `None` when a customer reply does it.
pub fn reopen(desk: &Desk<'_>, number: CaseNumber, actor: Option<&str>) -> Result<Case> {
    let case =
        cases::get(desk.db, number)?.ok_or_else(|| error::user(format!("no case `#{number}`")))?;
    let via = if actor.is_some() {
        Via::Reopen
    } else {
        Via::CustomerReply
    };
    check(&case, Status::InProgress, via)?;
    apply(
        desk,
        number,
        actor,
        Change {
            status: Some(Status::InProgress),
            via: Some(via),
            ..Change::default()
        },
    )
}

/// Business time as the workflow's rules read it, from the business calendar.
pub mod clock {
    use super::*;
    use crate::domain::calendar::Calendar;
    use crate::domain::sla::BusinessDuration;

    /// The local date of `t` when it is a business day, else `None`.
    pub fn business_day(cal: &Calendar, t: DateTime<Utc>) -> Option<NaiveDate> {
        let d = cal.local_date(t);
        cal.is_business_day(d).then_some(d)
    }

    /// `escalation.am_response` (`4h`, `30m`, `1d`), read once per sweep.
    pub fn am_response(desk: &Desk<'_>) -> Result<BusinessDuration> {
        desk.config.escalation.am_response.parse().map_err(|e| {
            error::user(format!(
                "{e} (in the config: `escalation.am_response` in {})",
                desk.config_path.display()
            ))
        })
    }
}

/// A known person by handle, or an error that says how to find one.
pub fn known_person(conn: &Db, handle: &str) -> Result<crate::domain::person::Person> {
    crate::store::people::get(conn, handle)?.ok_or_else(|| unknown_handle(handle))
}

/// The error for a handle that names nobody: how to find the people there are.
pub fn unknown_handle(handle: &str) -> anyhow::Error {
    error::user(format!(
        "unknown handle `{handle}`: see `casebook people list` for the people there are"
    ))
}

/// A known person who can be given a case: inactive people (who left the team) cannot.
pub fn assignable_person(conn: &Db, handle: &str) -> Result<crate::domain::person::Person> {
    let p = known_person(conn, handle)?;
    if !p.active {
        return Err(error::user(format!(
            "`{handle}` is inactive and cannot be given cases: assign someone else, or mark them active again (`casebook people activate {handle}`)"
        )));
    }
    Ok(p)
}
