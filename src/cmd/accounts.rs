use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use crate::cmd::{read_csv, RowErrors};
use crate::ctx::Ctx;
use crate::desk::directory;
use crate::domain::case::Tier;
use crate::domain::person::looks_like_email;
use crate::domain::person::{Account, Contact};
use crate::error;
use crate::render::{self, Format};
use crate::store::{self, accounts};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: AccountsCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum AccountsCommand {
    /// Add or update an account
    Add(AddArgs),
    /// List accounts, highest tier first
    List(crate::cmd::args::ShapeArgs),
    /// Show one account with its domains, contacts and open cases
    Show {
        /// The account's name
        name: String,
    },
    /// Import accounts from a CRM export: name,tier,account_manager,regional_manager,domains,contacts (all or nothing)
    Import {
        /// The CSV file; domains and contacts are `;`-separated, contacts as `Name <email>`
        file: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The account's name
    pub name: String,
    /// Platinum, Gold, Silver, Bronze or Standard
    #[arg(long)]
    pub tier: Tier,
    /// Designated account manager (required for Silver and above)
    #[arg(long = "am", value_name = "HANDLE")]
    pub account_manager: Option<String>,
    /// Regional manager [default: the AM's regional manager]
    #[arg(long = "rm", value_name = "HANDLE")]
    pub regional_manager: Option<String>,
    /// An email domain of the account (repeat for several)
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// A contact, `Name <email>` or `email` (repeat for several)
    #[arg(long = "contact", value_name = "CONTACT")]
    pub contacts: Vec<String>,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    match &args.command {
        AccountsCommand::Add(a) => add(a, ctx),
        AccountsCommand::List(shape) => list(ctx, shape),
        AccountsCommand::Show { name } => show(name, ctx),
        AccountsCommand::Import { file } => import(file, ctx),
    }
}

/// Parses `Jane Doe <jane@x.com>` or `jane@x.com`.
pub fn parse_contact(s: &str) -> Option<Contact> {
    let s = s.trim();
    let (name, email) = match (s.rfind('<'), s.rfind('>')) {
        (Some(open), Some(close)) if open < close => {
            let name = s[..open].trim().trim_matches('"').trim();
            (
                Some(name.to_string()).filter(|n| !n.is_empty()),
                s[open + 1..close].trim(),
            )
        }
        _ => (None, s),
    };
    looks_like_email(email).then(|| Contact {
        name,
        email: email.to_lowercase(),
    })
}

fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split(';').map(str::trim).filter(|s| !s.is_empty())
}

fn add(a: &AddArgs, ctx: &Ctx) -> Result<()> {
    let mut contacts = Vec::new();
    for c in &a.contacts {
        contacts.push(parse_contact(c).ok_or_else(|| {
            error::user(format!("contact `{c}` is not `Name <email>` or an address"))
        })?);
    }
    let mut account = Account {
        id: 0,
        name: a.name.trim().to_string(),
        tier: a.tier,
        account_manager: a.account_manager.clone(),
        regional_manager: a.regional_manager.clone(),
        domains: a.domains.iter().map(|d| d.trim().to_lowercase()).collect(),
        contacts,
    };
    let store = ctx.store()?;
    store.write(|tx| -> Result<()> {
        let problems = directory::account_problems(tx, &mut account)?;
        if !problems.is_empty() {
            return Err(error::user(format!(
                "account `{}`: {}",
                account.name,
                problems.join("; ")
            )));
        }
        accounts::upsert(tx, &account, store::ts(ctx.now))?;
        Ok(())
    })?;
    writeln!(
        ctx.out(),
        "saved account {} ({})",
        account.name,
        account.tier
    )?;
    Ok(())
}

fn list(ctx: &Ctx, shape: &crate::cmd::args::ShapeArgs) -> Result<()> {
    #[derive(Serialize)]
    struct Row {
        name: String,
        tier: Tier,
        account_manager: Option<String>,
        regional_manager: Option<String>,
        domains: Vec<String>,
        contacts: usize,
    }
    let rows: Vec<Row> = accounts::list(ctx.store()?.db())?
        .into_iter()
        .map(|a| Row {
            name: a.name,
            tier: a.tier,
            account_manager: a.account_manager,
            regional_manager: a.regional_manager,
            domains: a.domains,
            contacts: a.contacts.len(),
        })
        .collect();
    crate::cmd::print_rows_shaped(ctx, shape, &rows)
}

fn show(name: &str, ctx: &Ctx) -> Result<()> {
    let conn = ctx.store()?.db();
    let account = accounts::get_by_name(conn, name)?
        .ok_or_else(|| error::user(format!("no account `{name}`: see `casebook accounts list`")))?;
    let open = store::cases::list(
        conn,
        &store::cases::CaseFilter {
            account: Some(account.name.clone()),
            open_only: true,
            ..Default::default()
        },
    )?;
    #[derive(Serialize)]
    struct Shown<'a> {
        #[serde(flatten)]
        account: &'a Account,
        open_cases: Vec<crate::domain::case::CaseNumber>,
    }
    let shown = Shown {
        account: &account,
        open_cases: open.iter().map(|c| c.number).collect(),
    };
    let mut out = ctx.out();
    match ctx.format {
        Format::Json => render::json(&mut out, &shown)?,
        Format::Csv => render::rows(&mut out, &ctx.view(), std::slice::from_ref(&shown))?,
        _ => {
            let contacts: Vec<String> = account
                .contacts
                .iter()
                .map(|c| match &c.name {
                    Some(n) => format!("{n} <{}>", c.email),
                    None => c.email.clone(),
                })
                .collect();
            let pairs = vec![
                ("name".to_string(), account.name.clone()),
                ("tier".into(), account.tier.to_string()),
                (
                    "account manager".into(),
                    account
                        .account_manager
                        .clone()
                        .unwrap_or_else(|| "(pool)".into()),
                ),
                (
                    "regional manager".into(),
                    account.regional_manager.clone().unwrap_or_default(),
                ),
                ("domains".into(), account.domains.join(", ")),
                ("contacts".into(), contacts.join("\n")),
                (
                    "open cases".into(),
                    open.iter()
                        .map(|c| format!("#{} {}", c.number, c.subject))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            ];
            write!(
                out,
                "{}",
                render::table::pairs(&pairs, render::terminal_width())
            )?;
        }
    }
    Ok(())
}

fn import(file: &Path, ctx: &Ctx) -> Result<()> {
    const HEADER: &[&str] = &[
        "name",
        "tier",
        "account_manager",
        "regional_manager",
        "domains",
        "contacts",
    ];
    let rows = read_csv(file, HEADER)?;
    let store = ctx.store()?;
    let conn = store.db();
    let mut errors = RowErrors::default();
    let mut parsed = Vec::new();
    let mut names: HashMap<String, u64> = HashMap::new();
    let mut domains: HashMap<String, u64> = HashMap::new();
    let mut emails: HashMap<String, u64> = HashMap::new();
    for (line, rec) in &rows {
        let line = *line;
        let tier = match rec["tier"].parse::<Tier>() {
            Ok(t) => t,
            Err(e) => {
                errors.add(line, e);
                continue;
            }
        };
        let mut contacts = Vec::new();
        for c in split_list(&rec["contacts"]) {
            match parse_contact(c) {
                Some(c) => contacts.push(c),
                None => errors.add(
                    line,
                    format!("contact `{c}` is not `Name <email>` or an address"),
                ),
            }
        }
        let mut account = Account {
            id: 0,
            name: rec["name"].clone(),
            tier,
            account_manager: Some(rec["account_manager"].clone()).filter(|s| !s.is_empty()),
            regional_manager: Some(rec["regional_manager"].clone()).filter(|s| !s.is_empty()),
            domains: split_list(&rec["domains"]).map(str::to_lowercase).collect(),
            contacts,
        };
        for problem in directory::account_problems(conn, &mut account)? {
            errors.add(line, problem);
        }
        if let Some(first) = names.insert(account.name.to_lowercase(), line) {
            errors.add(
                line,
                format!("account `{}` is also on line {first}", account.name),
            );
        }
        for d in &account.domains {
            if let Some(first) = domains.insert(d.clone(), line) {
                errors.add(line, format!("domain `{d}` is also on line {first}"));
            }
        }
        for c in &account.contacts {
            if let Some(first) = emails.insert(c.email.clone(), line) {
                errors.add(
                    line,
                    format!("contact `{}` is also on line {first}", c.email),
                );
            }
        }
        parsed.push(account);
    }
    errors.check(file, "accounts")?;
    store.write(|tx| -> Result<()> {
        for a in &parsed {
            accounts::upsert(tx, a, store::ts(ctx.now))?;
        }
        Ok(())
    })?;
    writeln!(
        ctx.out(),
        "imported {} accounts from {}",
        parsed.len(),
        file.display()
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_parse() {
        let c = parse_contact("\"Doe, Jane\" <Jane@X.example>").unwrap();
        assert_eq!(
            (c.name.as_deref(), c.email.as_str()),
            (Some("Doe, Jane"), "jane@x.example")
        );
        assert_eq!(parse_contact("bob@y.example").unwrap().name, None);
        assert!(parse_contact("Bob <not an address>").is_none());
    }
}
