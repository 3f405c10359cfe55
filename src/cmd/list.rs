use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cmd::{parse_time, print_rows};
use crate::ctx::Ctx;
use crate::domain::case::{Case, Priority, Status, Tier};
use crate::store::cases::{self, CaseFilter, CaseOrder};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
}

// The filters every case listing takes. A plain comment: a doc comment here
// would become the about text of every command that flattens it.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Only cases owned by HANDLE (`queue` for unassigned cases)
    #[arg(long, value_name = "HANDLE")]
    pub owner: Option<String>,
    /// Only cases created by HANDLE
    #[arg(long, value_name = "HANDLE")]
    pub creator: Option<String>,
    /// Only cases in this status (repeat for several; includes closed statuses when named)
    #[arg(long, value_name = "STATUS")]
    pub status: Vec<Status>,
    /// Include closed cases
    #[arg(long)]
    pub all: bool,
    /// Only cases of this priority
    #[arg(long)]
    pub priority: Option<Priority>,
    /// Only cases of this account
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// Only cases of accounts of this tier
    #[arg(long)]
    pub tier: Option<Tier>,
    /// Only cases opened at or after this date or time
    #[arg(long, value_name = "DATE", value_parser = parse_time)]
    pub since: Option<DateTime<Utc>>,
    /// Only cases opened before this date or time
    #[arg(long, value_name = "DATE", value_parser = parse_time)]
    pub before: Option<DateTime<Utc>>,
    /// Only cases whose next contact is overdue
    #[arg(long)]
    pub overdue: bool,
    /// Show at most N cases [default: all]
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

impl FilterArgs {
    pub fn to_filter(&self, ctx: &Ctx) -> CaseFilter {
        CaseFilter {
            owner: self
                .owner
                .as_ref()
                .map(|o| if o == "queue" { None } else { Some(o.clone()) }),
            creator: self.creator.clone(),
            statuses: self.status.clone(),
            open_only: !self.all && self.status.is_empty(),
            priority: self.priority,
            account: self.account.clone(),
            tier: self.tier,
            opened_since: self.since,
            opened_before: self.before,
            due_before: self.overdue.then_some(ctx.now),
            staff_created: false,
            text: None,
            limit: self.limit,
            order: CaseOrder::Number,
        }
    }
}

/// One case in a listing. Field names are stable: scripts read them from `--format json`.
#[derive(Debug, Serialize)]
pub struct CaseRow {
    pub number: i64,
    pub subject: String,
    pub account: Option<String>,
    pub owner: Option<String>,
    pub status: Status,
    pub priority: Priority,
    pub opened_at: DateTime<Utc>,
    pub next_due: Option<DateTime<Utc>>,
    pub overdue: bool,
}

impl CaseRow {
    pub fn new(c: &Case, now: DateTime<Utc>) -> CaseRow {
        CaseRow {
            number: c.number,
            subject: c.subject.clone(),
            account: c.account.clone(),
            owner: c.owner.clone(),
            status: c.status,
            priority: c.priority,
            opened_at: c.opened_at,
            next_due: c.next_due,
            overdue: c.next_due.is_some_and(|d| d < now),
        }
    }
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let found = cases::list(ctx.store()?.db(), &args.filter.to_filter(ctx))?;
    let rows: Vec<CaseRow> = found.iter().map(|c| CaseRow::new(c, ctx.now)).collect();
    print_rows(ctx, &rows)
}
