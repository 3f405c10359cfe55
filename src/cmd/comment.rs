use anyhow::Result;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::desk::change::{self, Change};
use crate::domain::rules::mentions;
use crate::error;
use crate::store::activity::{self, Comment};
use crate::store::people;
use crate::store::Db;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: i64,
    /// The comment
    pub text: String,
    /// Make the comment visible to the customer [default: internal]
    #[arg(long)]
    pub public: bool,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    if args.text.trim().is_empty() {
        return Err(error::user("the comment is empty: say something"));
    }
    let store = ctx.store()?;
    let (known, unknown): (Vec<String>, Vec<String>) = mentions(&args.text)
        .into_iter()
        .partition(|h| matches!(people::get(store.db(), h), Ok(Some(_))));
    for h in &unknown {
        ctx.note(&format!(
            "warning: `@{h}` is not a known handle, so nobody was notified for it (see `casebook people list`)"
        ));
    }
    let after = store.write(|tx| -> Result<_> {
        add(
            tx,
            ctx,
            case.number,
            &actor.handle,
            "comment",
            args.public,
            &args.text,
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

/// Adds a comment or review by `author` mentioning `mentioned`, and notifies them.
#[allow(clippy::too_many_arguments)]
pub fn add(
    conn: &Db,
    ctx: &Ctx,
    number: i64,
    author: &str,
    kind: &str,
    public: bool,
    text: &str,
    mentioned: &[String],
) -> Result<crate::domain::case::Case> {
    activity::add_comment(
        conn,
        number,
        &Comment {
            id: 0,
            at: ctx.now,
            author: Some(author.to_string()),
            kind: kind.into(),
            public,
            body: text.to_string(),
            mentions: mentioned.to_vec(),
        },
    )?;
    change::apply(
        &ctx.desk(conn),
        number,
        Some(author),
        Change {
            touch: kind == "review",
            also: mentioned.to_vec(),
            note: Some(text.to_string()),
            summary: Some(format!("{kind} by {author}")),
            ..Change::default()
        },
    )
}
