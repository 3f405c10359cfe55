//! Keeps a case's SLA due times current: called after every change that can move them
//! (creation, contact, hold, status, priority), and by `casebook due --refresh` for all
//! open cases after a change to `[calendar]` or `[sla]`.

use crate::domain::case::CaseNumber;
use anyhow::{Context, Result};

use crate::desk::Desk;
use crate::domain::case::{Case, NewCase, Status};
use crate::domain::sla::{self, DueTimes, SlaInput};
use crate::domain::sla_explain::{self, Step};
use crate::store::{cases, from_ts, ts};

/// Recomputes and stores the first-contact and next-contact due times of case `number`.
pub fn refresh(desk: &Desk<'_>, number: CaseNumber) -> Result<()> {
    let case = cases::get(desk.db, number)
        .context("reading the case")?
        .ok_or_else(|| anyhow::anyhow!("no case `#{number}` to compute due times for"))?;
    let due = compute(desk, &case)?;
    cases::set_due(desk.db, number, due.first_contact_due, due.next_due)?;
    Ok(())
}

/// The due times of a case about to be opened, so that it is stored with them.
pub fn for_new(desk: &Desk<'_>, case: &NewCase) -> Result<DueTimes> {
    let input = SlaInput {
        priority: case.priority,
        // As stored (whole seconds), so a later refresh gives the same answer
        // even when the SLA ends exactly at closing time.
        opened_at: from_ts(ts(case.opened_at)),
        first_contact_at: None,
        last_contact_at: None,
        hold_until: None,
        open: true,
    };
    Ok(sla::due_times(desk.calendar()?, &desk.config.sla, &input))
}

/// The due times the calendar and `[sla]` give `case` (pure apart from the config).
pub fn compute(desk: &Desk<'_>, case: &Case) -> Result<DueTimes> {
    Ok(sla::due_times(
        desk.calendar()?,
        &desk.config.sla,
        &input_of(case),
    ))
}

/// How `case`'s next due time is computed, step by step (`due N --explain`); the
/// contact that restarted the clock is named from the case's attempts.
pub fn explain(desk: &Desk<'_>, case: &Case) -> Result<Vec<Step>> {
    let mut steps = sla_explain::explain(desk.calendar()?, &desk.config.sla, &input_of(case));
    for step in &mut steps {
        if let Step::Start { at, why, .. } = step {
            if why == "last contact" {
                let attempt = crate::store::activity::attempts(desk.db, case.number)?
                    .into_iter()
                    .find(|a| a.at == *at);
                if let Some(a) = attempt {
                    let by = a.actor.map(|h| format!(" by {h}")).unwrap_or_default();
                    *why = format!("last contact: {} {}{by}", a.method, a.outcome);
                }
            }
        }
    }
    Ok(steps)
}

/// What the SLA reads of a case.
fn input_of(case: &Case) -> SlaInput {
    SlaInput {
        priority: case.priority,
        opened_at: case.opened_at,
        first_contact_at: case.first_contact_at,
        last_contact_at: case.last_contact_at,
        // An agreed date counts only while the case is On Hold.
        hold_until: case.hold_until.filter(|_| case.status == Status::OnHold),
        open: case.closed_at.is_none() && !case.status.is_closed(),
    }
}

/// Recomputes the due times of every open case, inside the desk's
/// transaction; returns how many open cases there are and how many changed.
pub fn refresh_all(desk: &Desk<'_>) -> Result<(usize, usize)> {
    desk.calendar()?;
    let numbers = crate::store::views::open_case_numbers(desk.db)?;
    let mut changed = 0;
    for n in &numbers {
        let before = crate::store::views::due_times(desk.db, *n)?;
        refresh(desk, *n)?;
        if crate::store::views::due_times(desk.db, *n)? != before {
            changed += 1;
        }
    }
    Ok((numbers.len(), changed))
}
