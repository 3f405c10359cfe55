//! What staff record on a case besides its fields: comments and reviews,
//! and the contact attempts the Closed No Response rule counts.

use crate::domain::case::CaseNumber;
use anyhow::Result;

use crate::desk::change::{self, Change};
use crate::desk::Desk;
use crate::domain::case::Case;
use crate::domain::rules::{self, Attempt, NoResponse};
use crate::domain::states::CommentKind;
use crate::store::activity::{self, Comment};

/// The no-response rule over the case's attempts and last inbound message.
pub fn no_response(desk: &Desk<'_>, case: &Case) -> Result<NoResponse> {
    let attempts: Vec<Attempt> = activity::attempts(desk.db, case.number)?
        .into_iter()
        .map(|a| Attempt {
            at: a.at,
            method: a.method,
            outcome: a.outcome,
        })
        .collect();
    let cal = desk.calendar()?;
    Ok(rules::no_response(&attempts, case.last_inbound_at, &|t| {
        change::clock::business_day(cal, t)
    }))
}

/// Adds a comment or review by `author` mentioning `mentioned`, with any history
/// `events` it carries (an update request, a call-back request), and notifies them.
#[allow(clippy::too_many_arguments)]
pub fn comment(
    desk: &Desk<'_>,
    number: CaseNumber,
    author: &str,
    kind: CommentKind,
    public: bool,
    text: &str,
    mentioned: &[String],
    events: Vec<(String, Option<String>, Option<String>)>,
) -> Result<Case> {
    activity::add_comment(
        desk.db,
        number,
        &Comment {
            id: 0,
            at: desk.now,
            author: Some(author.to_string()),
            kind,
            public,
            body: text.to_string(),
            mentions: mentioned.to_vec(),
        },
    )?;
    change::apply(
        desk,
        number,
        Some(author),
        Change {
            touch: kind == CommentKind::Review,
            events,
            also: mentioned.to_vec(),
            note: Some(text.to_string()),
            summary: Some(format!("{kind} by {author}")),
            ..Change::default()
        },
    )
}
