//! The Integration-type rules of `sop/003_2950473912b781c7.txt`, applied: the
//! facts each rule needs gathered from the case's comments, attempts and
//! history, for `sweep` (the clocks) and `comment` (the refusal while waiting,
//! the update-request wait). The rules themselves are `domain::integration`.

use anyhow::Result;
use chrono::{DateTime, Utc};

use crate::desk::Desk;
use crate::domain::case::{Case, Status};
use crate::domain::integration;
use crate::domain::sla::BusinessDuration;
use crate::error;
use crate::store::cases;

/// History field: the contact was reached and nothing is left to do (`log --resolved`).
pub const SPOKE_EVENT: &str = "nothing left to do";
/// History field: the contact asked to be called back (`comment --call-back`).
pub const CALL_BACK_EVENT: &str = "call-back requested";
/// History field: someone asked Integrations for an update (`comment --update-request`).
pub const UPDATE_EVENT: &str = "update request";

/// Whether `c` is of the Integration case type these rules apply to.
pub fn applies(desk: &Desk<'_>, c: &Case) -> bool {
    c.case_type
        .eq_ignore_ascii_case(&desk.config.integration.case_type)
}

/// The times of history events named `field` on the case.
pub fn event_times(desk: &Desk<'_>, c: &Case, field: &str) -> Result<Vec<DateTime<Utc>>> {
    Ok(cases::events(desk.db, c.number)?
        .into_iter()
        .filter(|e| e.field == field)
        .map(|e| e.at)
        .collect())
}

/// Refuses a comment by `author` on an Integration case that is waiting, unless
/// `force` (the exceptional case; the caller records it).
pub fn check_comment(desk: &Desk<'_>, c: &Case, author: &str, force: bool) -> Result<()> {
    if !applies(desk, c) || force {
        return Ok(());
    }
    let awaited = match c.status {
        Status::WaitingForAccountManager => c.am.as_deref() == Some(author),
        Status::WaitingForManagement => c.rm.as_deref() == Some(author),
        _ => false,
    };
    match integration::comment_refusal(c.status, awaited) {
        Some(why) => Err(error::user(format!(
            "case `#{}`: {why}; add `--force` for an exception (it is recorded)",
            c.number
        ))),
        None => Ok(()),
    }
}

/// When an update may first be asked for: the business wait after the case was
/// opened, or after the last update request.
pub fn update_allowed_from(desk: &Desk<'_>, c: &Case) -> Result<DateTime<Utc>> {
    let wait: BusinessDuration = desk.config.integration.update_wait.parse().map_err(|e| {
        error::user(format!(
            "{e} (in the config: `integration.update_wait` in {})",
            desk.config_path.display()
        ))
    })?;
    let last = event_times(desk, c, UPDATE_EVENT)?.into_iter().max();
    let since = last.map_or(c.opened_at, |l| l.max(c.opened_at));
    Ok(wait.add_to(desk.calendar()?, since))
}
