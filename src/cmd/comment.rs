use anyhow::Result;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::desk::{activity, integration, Desk};
use crate::domain::case::Case;
use crate::domain::case::CaseNumber;
use crate::domain::rules::mentions;
use crate::domain::states::CommentKind;
use crate::error;

use crate::store::people;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,
    /// The comment [default: written in $EDITOR on a terminal]
    pub text: Option<String>,
    /// Make the comment visible to the customer [default: internal]
    #[arg(long)]
    pub public: bool,
    /// Comment although an Integration case is waiting (refused otherwise; recorded)
    #[arg(long)]
    pub force: bool,
    /// The comment asks Integrations for an update (warned before `integration.update_wait`)
    #[arg(long)]
    pub update_request: bool,
    /// With `--update-request`: the contact asked for the update, so no wait applies
    #[arg(long, requires = "update_request")]
    pub contact_asked: bool,
    /// The comment notes that the contact asked to be called back (answered by phone
    /// within `integration.call_back_hours`)
    #[arg(long)]
    pub call_back: bool,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    let text = crate::cmd::text_or_editor(
        args.text.as_deref(),
        "comment",
        case.number.get() as u64,
        "the argument after the case number",
    )?;
    if text.trim().is_empty() {
        return Err(error::user("the comment is empty: say something"));
    }
    let store = ctx.store()?;
    let (known, unknown): (Vec<String>, Vec<String>) = mentions(&text)
        .into_iter()
        .partition(|h| matches!(people::get(store.db(), h), Ok(Some(_))));
    for h in &unknown {
        ctx.note(&format!(
            "warning: `@{h}` is not a known handle, so nobody was notified for it (see `casebook people list`)"
        ));
    }
    let after = store.write(|tx| -> Result<_> {
        let desk = ctx.desk(tx);
        let events = integration_events(args, &desk, &case, &actor.handle)?;
        activity::comment(
            &desk,
            case.number,
            &actor.handle,
            CommentKind::Comment,
            args.public,
            &text,
            &known,
            events,
        )
    })?;
    let kind = if args.public { "public" } else { "internal" };
    crate::cmd::print_case(
        ctx,
        &after,
        &format!("commented on #{} ({kind})", after.number),
    )
}

type Event = (String, Option<String>, Option<String>);

/// The Integration rules a comment meets (sop/003): refused while the case waits
/// (a call-back note records the contact's own request, so it is not refused);
/// an update request before the wait is warned about; each recorded as an event.
fn integration_events(
    args: &Args,
    desk: &Desk<'_>,
    case: &Case,
    author: &str,
) -> Result<Vec<Event>> {
    let mut events: Vec<Event> = Vec::new();
    if !integration::applies(desk, case) {
        if args.update_request || args.call_back {
            desk.announcer.warn(&format!(
                "warning: case `#{}` is not an Integration case: `--update-request` and `--call-back` are recorded but no Integration clock applies",
                case.number
            ));
        }
    } else if integration::check_comment(desk, case, author, args.call_back).is_err() {
        integration::check_comment(desk, case, author, args.force)?;
        events.push(("comment while waiting".into(), None, Some("forced".into())));
    }
    if args.update_request {
        let allowed = integration::update_allowed_from(desk, case)?;
        let early =
            crate::domain::integration::update_request_early(allowed, args.contact_asked, desk.now);
        let when = crate::domain::calendar::short_time(allowed, desk.display_tz());
        let why = if args.contact_asked {
            "the contact asked for it".to_string()
        } else if early {
            desk.announcer.warn(&format!(
                "warning: case `#{}`: allow {} (business time) before asking for an update, until {when}, unless the contact asked (`--contact-asked`)",
                case.number, desk.config.integration.update_wait
            ));
            format!("early: before {when}")
        } else {
            "after the wait".to_string()
        };
        events.push((integration::UPDATE_EVENT.into(), None, Some(why)));
    }
    if args.call_back {
        events.push((
            integration::CALL_BACK_EVENT.into(),
            None,
            Some(author.to_string()),
        ));
    }
    Ok(events)
}
