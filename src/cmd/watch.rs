use anyhow::Result;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::desk::change::{self, Change};
use crate::domain::case::CaseNumber;
use crate::error;
use crate::store::activity;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,
    /// Who watches
    pub handle: String,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    let store = ctx.store()?;
    let who = change::known_person(store.db(), &args.handle)?;
    let after = store.write(|tx| -> Result<_> {
        if !activity::add_watcher(tx, case.number, &who.handle)? {
            return Err(error::user(format!(
                "`{}` already watches case `#{}`",
                who.handle, case.number
            )));
        }
        change::apply(
            &ctx.desk(tx),
            case.number,
            Some(&actor.handle),
            Change {
                events: vec![("watcher".into(), None, Some(who.handle.clone()))],
                also: vec![who.handle.clone()],
                ..Change::default()
            },
        )
    })?;
    crate::cmd::print_case(
        ctx,
        &after,
        &format!("{} now watches #{}", who.handle, after.number),
    )
}
