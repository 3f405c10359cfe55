use anyhow::Result;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::desk::activity;
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
        activity::comment(
            &ctx.desk(tx),
            case.number,
            &actor.handle,
            CommentKind::Comment,
            args.public,
            &text,
            &known,
        )
    })?;
    let kind = if args.public { "public" } else { "internal" };
    crate::cmd::print_case(
        ctx,
        &after,
        &format!("commented on #{} ({kind})", after.number),
    )
}
