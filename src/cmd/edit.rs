//! `casebook edit`: correct what ingest read from the mail (account,
//! contact, category, priority, type, subject), each change an event, the
//! SLA recomputed and the owner and creator told.

use anyhow::Result;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::desk::change::{self, Change};
use crate::desk::vocabulary::{known_category, known_type, type_choices};
use crate::domain::case::{CaseNumber, Priority};
use crate::domain::category::SOP_CATEGORIES;
use crate::error;
use crate::mail::address::parse_address_loose;
use crate::store::accounts;

#[derive(Debug, clap::Args)]
#[command(group(
    clap::ArgGroup::new("what")
        .required(true)
        .multiple(true)
        .args(["account", "contact", "category", "priority", "case_type", "subject"])
))]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,
    /// The customer's account, by name (`none` to clear it); tier routing and escalation follow it
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// The customer contact: `Name <address>` or an address
    #[arg(long, value_name = "ADDR")]
    pub contact: Option<String>,
    /// The category, one of the SOP's or the config's rules
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// The priority; the due times follow it
    #[arg(long)]
    pub priority: Option<Priority>,
    /// The case type, one of `[desk] case_types` or the integration type
    #[arg(long = "type", value_name = "TYPE")]
    pub case_type: Option<String>,
    /// The subject
    #[arg(long, value_name = "TEXT")]
    pub subject: Option<String>,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    let store = ctx.store()?;
    let mut edit = Change {
        priority: args.priority,
        ..Change::default()
    };
    if let Some(name) = &args.account {
        edit.account = Some(if name.trim().eq_ignore_ascii_case("none") {
            None
        } else {
            let a = accounts::get_by_name(store.db(), name.trim())?.ok_or_else(|| {
                error::user(format!(
                    "no account `{name}`: see `casebook accounts list`, or add it with `casebook accounts add`"
                ))
            })?;
            Some((a.id, a.name))
        });
    }
    if let Some(contact) = &args.contact {
        let a = parse_address_loose(contact).ok_or_else(|| {
            error::user(format!(
                "`{contact}` is not a contact: give `Name <address>` or an address"
            ))
        })?;
        edit.contact_email = Some(Some(a.email));
        if a.name.is_some() {
            edit.contact_name = Some(a.name);
        }
    }
    if let Some(c) = &args.category {
        edit.category = Some(known_category(&ctx.config, c).ok_or_else(|| {
            let sop: Vec<&str> = SOP_CATEGORIES.iter().map(|(c, _)| *c).collect();
            error::user(format!(
                "unknown category `{c}`: use one of {} (or a category of the config's [[rules]])",
                sop.join(", ")
            ))
        })?);
    }
    if let Some(t) = &args.case_type {
        edit.case_type = Some(known_type(&ctx.config, t).ok_or_else(|| {
            error::user(format!(
                "unknown type `{t}`: use one of {}",
                type_choices(&ctx.config).join(", ")
            ))
        })?);
    }
    edit.subject = args
        .subject
        .as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if args.subject.is_some() && edit.subject.is_none() {
        return Err(error::user("`--subject` is empty: give the case's subject"));
    }
    let after =
        store.write(|tx| change::apply(&ctx.desk(tx), case.number, Some(&actor.handle), edit))?;
    let same = (
        &after.subject,
        &after.account,
        &after.contact_name,
        &after.contact_email,
        &after.category,
        &after.case_type,
        after.priority,
    ) == (
        &case.subject,
        &case.account,
        &case.contact_name,
        &case.contact_email,
        &case.category,
        &case.case_type,
        case.priority,
    );
    let line = if same {
        format!("#{}: nothing to change", after.number)
    } else {
        format!("edited #{}", after.number)
    };
    crate::cmd::print_case(ctx, &after, &line)
}
