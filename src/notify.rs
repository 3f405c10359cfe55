//! Who hears about what: notifications and acknowledgements, queued in the outbox
//! inside the caller's transaction so they are sent exactly when the change commits.

use anyhow::Result;
use rusqlite::Connection;

use crate::ctx::Ctx;
use crate::domain::case::Case;

/// One change to a case, as people are told about it.
pub struct Notice<'a> {
    /// The case after the change.
    pub case: &'a Case,
    /// Who made the change (never notified of their own change); `None` for the system.
    pub actor: Option<&'a str>,
    /// The change in one line, e.g. "status: New → In Progress".
    pub change: String,
    /// Handles to notify besides the owner and creator: mentions, escalation targets, follow-up contacts.
    pub also: Vec<String>,
    /// A longer note to include (a comment's text, an escalation note).
    pub note: Option<String>,
}

/// Queues a notification of a change to the owner, the creator and `also`.
pub fn case_changed(_conn: &Connection, _ctx: &Ctx, _notice: &Notice<'_>) -> Result<()> {
    Ok(())
}

/// Queues the acknowledgement of a new case to the person who forwarded it.
pub fn acknowledge(
    _conn: &Connection,
    _ctx: &Ctx,
    _case: &Case,
    _forwarder_email: &str,
) -> Result<()> {
    Ok(())
}

/// Stores one outgoing message in the outbox (delivered by `outbox flush` or right
/// after the command); returns its Message-ID. `kind` names it: ack, notify, reply, report.
#[allow(clippy::too_many_arguments)]
pub fn queue_mail(
    _conn: &Connection,
    _ctx: &Ctx,
    _kind: &str,
    _case: Option<i64>,
    _to: &[String],
    _subject: &str,
    _text: &str,
    _html: Option<&str>,
) -> Result<String> {
    Ok(String::new())
}
