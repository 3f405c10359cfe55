use anyhow::Result;

use crate::cmd::args::FilterArgs;
use crate::cmd::print_shaped;
use crate::ctx::Ctx;
use crate::desk::views::CaseRow;
use crate::error;
use crate::store::cases;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words that must all appear; each matches as a prefix (`phon` finds `phones`)
    #[arg(required = true)]
    pub words: Vec<String>,
    #[command(flatten)]
    pub filter: FilterArgs,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let text = args.words.join(" ");
    if !text.chars().any(char::is_alphanumeric) {
        return Err(error::user(format!("`{text}` has no words to search for")));
    }
    let mut filter = args.filter.to_filter(ctx);
    // History matters when searching: closed cases are found unless a status is named.
    filter.open_only = false;
    filter.text = Some(text);
    let store = ctx.store()?;
    // Recent cases and comments wait to be indexed in groups: add them first.
    let waiting = store.search_catch_up()?;
    if waiting > 0 {
        ctx.note(&format!(
            "casebook: note: the {waiting} newest case(s) and comment(s) are not searched: the database \
             is busy or read-only, so they could not be indexed; search again in a moment"
        ));
    }
    let found = cases::list(store.db(), &filter)?;
    let rows: Vec<CaseRow> = found.iter().map(|c| CaseRow::new(c, ctx.now)).collect();
    print_shaped(ctx, &args.filter.shape, &rows)
}
