use anyhow::Result;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::desk::change::{self, Change};
use crate::domain::case::CaseNumber;
use crate::domain::states::CommentKind;
use crate::store::activity::{self, Comment};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,
    /// The new owner's handle
    pub handle: String,
    /// A note for the new owner, kept as an internal comment
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Mail the new owner about the assignment, with the note (the default; kept for scripts)
    #[arg(long, overrides_with = "no_notify")]
    pub notify: bool,
    /// Do not mail the new owner (the previous owner, the creator and watchers still hear of it)
    #[arg(long, overrides_with = "notify")]
    pub no_notify: bool,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    let store = ctx.store()?;
    let owner = change::assignable_person(store.db(), &args.handle)?;
    if case.status.is_closed() {
        return Err(crate::error::user(format!(
            "case `#{}` is `{}`: reopen it first (`casebook reopen {}`)",
            case.number, case.status, case.number
        )));
    }
    if case.owner.as_deref() == Some(owner.handle.as_str()) {
        return Err(crate::error::user(format!(
            "case `#{}` is already owned by `{}`",
            case.number, owner.handle
        )));
    }
    let after = store.write(|tx| -> Result<_> {
        if let Some(note) = &args.note {
            activity::add_comment(
                tx,
                case.number,
                &Comment {
                    id: 0,
                    at: ctx.now,
                    author: Some(actor.handle.clone()),
                    kind: CommentKind::Comment,
                    public: false,
                    body: note.clone(),
                    mentions: Vec::new(),
                },
            )?;
        }
        change::apply(
            &ctx.desk(tx),
            case.number,
            Some(&actor.handle),
            Change {
                owner: Some(Some(owner.handle.clone())),
                assigned_at: Some(ctx.now),
                // The new owner is mailed as owner unless told not to.
                quiet: if args.no_notify && !args.notify {
                    vec![owner.handle.clone()]
                } else {
                    Vec::new()
                },
                note: args.note.clone(),
                ..Change::default()
            },
        )
    })?;
    crate::cmd::print_case(
        ctx,
        &after,
        &format!("assigned #{} to {}", after.number, owner.handle),
    )
}
