use anyhow::Result;

use crate::cmd::args::FilterArgs;
use crate::cmd::print_shaped;
use crate::ctx::Ctx;
use crate::desk::views::CaseRow;
use crate::error;
use crate::store::cases::CaseOrder;
use crate::store::views;

/// How many cases a search shows when `--limit` is not given.
pub const DEFAULT_LIMIT: usize = 50;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words that must all appear; each matches as a prefix (`phon` finds `phones`)
    #[arg(required = true)]
    pub words: Vec<String>,
    /// Skip the first N matches (the next page: `--offset 50` after the first 50)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Shows one page of the matches, newest case first (the highest number):
/// the search index gives matches in that order, so a page costs its size,
/// not the number of matches.
pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let text = args.words.join(" ");
    if !text.chars().any(char::is_alphanumeric) {
        return Err(error::user(format!("`{text}` has no words to search for")));
    }
    let mut filter = args.filter.to_filter(ctx);
    // History matters when searching: closed cases are found unless a status is named.
    filter.open_only = false;
    filter.text = Some(text);
    filter.order = CaseOrder::NewestFirst;
    let limit = args.filter.limit.unwrap_or(DEFAULT_LIMIT);
    // One more than the page, to tell whether another page follows.
    filter.limit = Some(limit + 1);
    filter.offset = (args.offset > 0).then_some(args.offset);
    let store = ctx.store()?;
    // Recent cases and comments wait to be indexed in groups: add them first.
    let waiting = store.search_catch_up()?;
    if waiting > 0 {
        ctx.note(&format!(
            "casebook: note: the {waiting} newest case(s) and comment(s) are not searched: the database \
             is busy or read-only, so they could not be indexed; search again in a moment"
        ));
    }
    let mut found = views::list(store.db(), &filter)?;
    let more = found.len() > limit;
    found.truncate(limit);
    let rows: Vec<CaseRow> = found
        .iter()
        .map(|c| CaseRow::from_view(c, ctx.now))
        .collect();
    print_shaped(ctx, &args.filter.shape, &rows)?;
    if more {
        ctx.note(&format!(
            "casebook: note: more cases match; see the next {limit} with `--offset {}`",
            args.offset + limit
        ));
    }
    Ok(())
}
