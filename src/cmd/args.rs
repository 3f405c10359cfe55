//! Arguments several commands share (not a command).

use crate::cmd::{parse_time, TimeArg};
use crate::ctx::Ctx;
use crate::domain::case::{Priority, Status, Tier};
use crate::store::cases::{CaseFilter, CaseOrder};

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
    /// Only cases opened at or after this time: `2d` (ago), `monday`, `yesterday 15:00`, a date
    #[arg(long, value_name = "DATE", value_parser = parse_time)]
    pub since: Option<TimeArg>,
    /// Only cases opened before this time (the forms of --since)
    #[arg(long, value_name = "DATE", value_parser = parse_time)]
    pub before: Option<TimeArg>,
    /// Only cases whose next contact is overdue
    #[arg(long)]
    pub overdue: bool,
    /// Show at most N cases [default: all; search: 50]
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub shape: ShapeArgs,
}

impl FilterArgs {
    /// Warns (stderr) when a filter names nobody and nothing the desk knows:
    /// `list --owner nobody` is then empty because of a typo, not because
    /// nobody has cases. A store that cannot open is the command's to report.
    fn warn_unknown(&self, ctx: &Ctx) {
        let Ok(store) = ctx.store() else { return };
        let db = store.db();
        let people = [("--owner", &self.owner), ("--creator", &self.creator)];
        for (option, handle) in people {
            let Some(h) = handle.as_deref().filter(|h| *h != "queue") else {
                continue;
            };
            if matches!(crate::store::people::get(db, h), Ok(None)) {
                ctx.note(&format!(
                    "casebook: warning: `{option} {h}` names no person of the desk, so no case matches (see `casebook people list`)"
                ));
            }
        }
        if let Some(a) = self.account.as_deref() {
            if matches!(crate::store::accounts::get_by_name(db, a), Ok(None)) {
                ctx.note(&format!(
                    "casebook: warning: `--account {a}` names no account, so no case matches (see `casebook accounts list`)"
                ));
            }
        }
    }
}

// The order and the fields of a listing (a plain comment, as above).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ShapeArgs {
    /// Sort by these fields, in order; `-FIELD` sorts descending (`--sort=-opened_at,number`)
    #[arg(
        long,
        value_name = "FIELD,...",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub sort: Vec<String>,
    /// Show only these fields, in this order (tables, CSV and JSON; the names are under FIELDS in the man page)
    #[arg(
        long,
        visible_alias = "fields",
        value_name = "FIELD,...",
        value_delimiter = ','
    )]
    pub columns: Vec<String>,
}

impl ShapeArgs {
    pub fn shape(&self) -> crate::render::Shape {
        crate::render::Shape {
            sort: self.sort.clone(),
            columns: self.columns.clone(),
        }
    }
}

impl FilterArgs {
    pub fn to_filter(&self, ctx: &Ctx) -> CaseFilter {
        self.warn_unknown(ctx);
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
            opened_since: self.since.map(|t| t.resolve(ctx.display_tz(), ctx.now)),
            opened_before: self.before.map(|t| t.resolve(ctx.display_tz(), ctx.now)),
            due_before: self.overdue.then_some(ctx.now),
            staff_created: false,
            text: None,
            limit: self.limit,
            offset: None,
            order: CaseOrder::Number,
        }
    }
}
