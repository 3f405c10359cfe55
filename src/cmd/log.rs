use crate::domain::case::CaseNumber;
use anyhow::Result;

use crate::cmd::{parse_case_number, parse_time, TimeArg};
use crate::ctx::Ctx;
use crate::desk::change::{self, Change};
use crate::domain::case::Status;
use crate::domain::rules::Via;
use crate::error;
use crate::render::short_time;
use crate::store::activity::{self, ContactAttempt};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,
    /// How the customer was contacted
    #[arg(long, value_enum)]
    pub method: Method,
    /// What came of it: `reached` means the customer answered
    #[arg(long, value_enum)]
    pub outcome: Outcome,
    /// What was said or left
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// With `--outcome reached`: the issue is resolved or nothing is left to do; an
    /// Integration case is then closed within `integration.spoke_close_hours`
    #[arg(long)]
    pub resolved: bool,
    /// When it happened, to back-date an entry (not later than now) [default: now]
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub at: Option<TimeArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    Phone,
    Email,
    Voicemail,
    Sms,
    Chat,
    Meeting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Outcome {
    /// The customer answered
    Reached,
    NoAnswer,
    LeftMessage,
    Sent,
}

fn name(v: impl clap::ValueEnum) -> String {
    v.to_possible_value()
        .map(|p| p.get_name().to_string())
        .unwrap_or_default()
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    let at = args
        .at
        .map_or(ctx.now, |t| t.resolve(ctx.display_tz(), ctx.now));
    let tz = ctx.display_tz();
    if at > ctx.now {
        return Err(error::user(format!(
            "`--at {}` is in the future (now is {}): log attempts once they happened",
            short_time(at, tz),
            short_time(ctx.now, tz)
        )));
    }
    if at < case.opened_at {
        return Err(error::user(format!(
            "`--at {}` is before case `#{}` was opened ({})",
            short_time(at, tz),
            case.number,
            short_time(case.opened_at, tz)
        )));
    }
    if case.status.is_closed() {
        return Err(error::user(format!(
            "case `#{}` is `{}`: reopen it first (`casebook reopen {}`)",
            case.number, case.status, case.number
        )));
    }
    let attempt = ContactAttempt {
        at,
        actor: Some(actor.handle.clone()),
        // The clap names are the stored spellings (a test keeps them so).
        method: name(args.method).parse().map_err(error::user)?,
        outcome: name(args.outcome).parse().map_err(error::user)?,
        note: args.note.clone(),
    };
    let mut change = Change {
        first_contact_at: Some(case.first_contact_at.map_or(at, |f| f.min(at))),
        last_contact_at: Some(case.last_contact_at.map_or(at, |l| l.max(at))),
        summary: Some(format!(
            "contact attempt: {} ({})",
            attempt.method, attempt.outcome
        )),
        note: Some(args.note.clone().unwrap_or_default()),
        ..Change::default()
    };
    if args.resolved {
        if args.outcome != Outcome::Reached {
            return Err(error::user(
                "`--resolved` means you spoke with the contact: use it with `--outcome reached`",
            ));
        }
        change.events.push((
            crate::desk::integration::SPOKE_EVENT.into(),
            None,
            Some(format!("{} {}", attempt.method, short_time(at, tz))),
        ));
    }
    if case.status == Status::New {
        change::check(&case, Status::InProgress, Via::Work)?;
        change.status = Some(Status::InProgress);
        change.via = Some(Via::Work);
    }
    let after = ctx.store()?.write(|tx| -> Result<_> {
        activity::add_attempt(tx, case.number, &attempt)?;
        change::apply(&ctx.desk(tx), case.number, Some(&actor.handle), change)
    })?;
    crate::cmd::print_case(
        ctx,
        &after,
        &format!(
            "logged {} {} on #{} at {}",
            attempt.method,
            attempt.outcome,
            after.number,
            short_time(at, tz)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::states::{ContactMethod, ContactOutcome};
    use clap::ValueEnum;

    #[test]
    fn every_option_value_is_a_stored_spelling() {
        for m in Method::value_variants() {
            let stored = ContactMethod::parse_stored(&name(*m)).unwrap();
            assert_eq!(stored.as_str(), name(*m));
        }
        for o in Outcome::value_variants() {
            let stored = ContactOutcome::parse_stored(&name(*o)).unwrap();
            assert_eq!(stored.as_str(), name(*o));
        }
        assert_eq!(Method::value_variants().len(), ContactMethod::ALL.len());
        assert_eq!(Outcome::value_variants().len(), ContactOutcome::ALL.len());
    }
}
