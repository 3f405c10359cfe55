use anyhow::Result;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::domain::case::CaseNumber;
use crate::error;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,
    /// The review [default: written in $EDITOR on a terminal]
    pub text: Option<String>,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    if case.owner.as_deref() != Some(actor.handle.as_str()) {
        let owner = match &case.owner {
            Some(o) => format!("is owned by `{o}`"),
            None => "is in the queue (no owner)".into(),
        };
        return Err(error::user(format!(
            "case `#{}` {owner}: only the owner can log a review; use `casebook comment` instead",
            case.number
        )));
    }
    let text = crate::cmd::text_or_editor(
        args.text.as_deref(),
        "review",
        case.number.get() as u64,
        "the argument after the case number",
    )?;
    if text.trim().is_empty() {
        return Err(error::user("the review is empty: say what you did"));
    }
    let after = ctx.store()?.write(|tx| {
        crate::desk::activity::comment(
            &ctx.desk(tx),
            case.number,
            &actor.handle,
            crate::domain::states::CommentKind::Review,
            false,
            &text,
            &[],
            Vec::new(),
        )
    })?;
    crate::cmd::print_case(
        ctx,
        &after,
        &format!("logged a review on #{}", after.number),
    )
}
