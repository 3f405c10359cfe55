use anyhow::Result;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::desk::activity;
use crate::desk::change::{self, Change};
use crate::domain::case::CaseNumber;
use crate::domain::case::Status;
use crate::domain::rules::{self, NoResponse, Via};
use crate::error;
use crate::render::short_time;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,
    /// Why, or what resolved it
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Close No Response: needs three unanswered attempts over two business days by two methods since the customer last answered
    #[arg(long)]
    pub no_response: bool,
}

/// What the rule still lacks, e.g. "1 more attempt, 1 more business day".
fn missing(r: &NoResponse) -> String {
    let mut m = Vec::new();
    let more = |have: usize, need: usize, one: &str, many: &str| -> Option<String> {
        (have < need).then(|| {
            let n = need - have;
            format!("{n} more {}", if n == 1 { one } else { many })
        })
    };
    m.extend(more(
        r.attempts,
        rules::NO_RESPONSE_ATTEMPTS,
        "unanswered attempt",
        "unanswered attempts",
    ));
    m.extend(more(
        r.days,
        rules::NO_RESPONSE_DAYS,
        "business day",
        "business days",
    ));
    m.extend(more(
        r.methods,
        rules::NO_RESPONSE_METHODS,
        "method",
        "methods",
    ));
    m.join(", ")
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    let to = if args.no_response {
        Status::ClosedNoResponse
    } else {
        Status::Closed
    };
    change::check(&case, to, Via::Close)?;
    if !rules::may_close(&case, &actor.handle) {
        let who: Vec<String> = [&case.creator, &case.owner]
            .into_iter()
            .flatten()
            .map(|h| format!("`{h}`"))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let who = if who.is_empty() {
            "nobody yet: assign it first (`casebook assign`)".to_string()
        } else {
            format!("only {}", who.join(" or "))
        };
        return Err(error::user(format!(
            "case `#{}` can be closed by its creator or owner: {who}; add a comment (`casebook comment`) to ask them",
            case.number
        )));
    }
    let store = ctx.store()?;
    let mut events = Vec::new();
    if args.no_response {
        let r = activity::no_response(&ctx.desk(store.db()), &case)?;
        if !r.holds() {
            let since = r
                .since
                .map(|t| {
                    format!(
                        " since the customer last answered ({})",
                        short_time(t, ctx.display_tz())
                    )
                })
                .unwrap_or_default();
            return Err(error::user(format!(
                "case `#{}` cannot be closed no response yet: {}{since}; missing {}. Log attempts with `casebook log {} --method ... --outcome ...`",
                case.number,
                r.tally(),
                missing(&r),
                case.number
            )));
        }
        events.push(("no-response rule".into(), None, Some(r.tally())));
    }
    if let Some(reason) = args.reason.as_ref().filter(|r| !r.trim().is_empty()) {
        events.push(("close reason".into(), None, Some(reason.trim().to_string())));
    }
    let after = store.write(|tx| {
        change::apply(
            &ctx.desk(tx),
            case.number,
            Some(&actor.handle),
            Change {
                status: Some(to),
                via: Some(Via::Close),
                events,
                note: args.reason.clone(),
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
