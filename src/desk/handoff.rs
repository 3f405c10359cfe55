//! Handoffs to other teams (`sop/002_b72e65e39d0ee901.txt`): who the team is by
//! mail, and when it replied. The team's reply is a comment by the representative,
//! mail from the representative's or the team's address, or a reply recorded by
//! hand (`handoff N --replied`); a customer's mail is not the team's reply (the
//! follow-up rule itself is `domain::rules::handoff_needs_follow_up`).

use anyhow::Result;

use crate::desk::change::{self, Change};
use crate::desk::Desk;
use crate::domain::case::{Case, CaseNumber};
use crate::mail::address::parse_address_loose;
use crate::store::people;

/// The history field of a team's reply to a handoff.
pub const REPLY_EVENT: &str = "handoff reply";

/// The addresses the handed-off team writes from: the representative's (a handle's
/// email, or an address given with `--rep`) and the team's `address` in the config.
pub fn team_addresses(desk: &Desk<'_>, c: &Case) -> Result<Vec<String>> {
    let mut found = Vec::new();
    if c.handoff_at.is_none() {
        return Ok(found);
    }
    if let Some(rep) = c.support_rep.as_deref() {
        match people::get(desk.db, rep.trim())? {
            Some(p) => found.push(p.email.to_lowercase()),
            None => found.extend(parse_address_loose(rep).map(|a| a.email)),
        }
    }
    let team = c.team.as_deref().and_then(|t| desk.config.teams.get(t));
    if let Some(address) = team.and_then(|t| t.address.as_deref()) {
        found.extend(parse_address_loose(address).map(|a| a.email));
    }
    Ok(found)
}

/// Whether mail from `sender` on a handed-off case is the team's reply.
pub fn is_team_mail(desk: &Desk<'_>, c: &Case, sender: &str) -> Result<bool> {
    let sender = sender.trim().to_lowercase();
    Ok(!sender.is_empty() && team_addresses(desk, c)?.contains(&sender))
}

/// Records the team's reply to the handoff, `how` it came ("by phone", "mail from …").
pub fn record_reply(
    desk: &Desk<'_>,
    number: CaseNumber,
    actor: Option<&str>,
    how: &str,
) -> Result<Case> {
    change::apply(
        desk,
        number,
        actor,
        Change {
            events: vec![(REPLY_EVENT.into(), None, Some(how.to_string()))],
            ..Change::default()
        },
    )
}
