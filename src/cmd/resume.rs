use anyhow::Result;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::desk::change::{self, Change};
use crate::domain::case::CaseNumber;
use crate::domain::case::Status;
use crate::domain::rules::Via;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    let to = case.prior_status.unwrap_or(Status::InProgress);
    change::check(&case, to, Via::Resume)?;
    let after = ctx.store()?.write(|tx| {
        change::apply(
            &ctx.desk(tx),
            case.number,
            Some(&actor.handle),
            Change {
                status: Some(to),
                via: Some(Via::Resume),
                prior_status: Some(None),
                ..Change::default()
            },
        )
    })?;
    crate::cmd::print_case(
        ctx,
        &after,
        &format!("#{}: {} → {}", after.number, case.status, after.status),
    )
}
