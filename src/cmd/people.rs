use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::NaiveDate;

use crate::cmd::{read_csv, RowErrors};
use crate::ctx::Ctx;
use crate::domain::person::{self, Person};
use crate::error;
use crate::store::{self, people};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: PeopleCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum PeopleCommand {
    /// Add a person
    Add(AddArgs),
    /// List everyone
    List(crate::cmd::args::ShapeArgs),
    /// Import people from CSV: handle,name,email,roles,regional_manager,pool (all or nothing)
    Import {
        /// The CSV file; roles are `;`-separated (am, rm, agent, lead), pool is yes/no
        file: PathBuf,
    },
    /// Mark someone away for a period, optionally covered by a delegate
    Away(AwayArgs),
    /// Mark someone back: no period away, no delegate
    Back {
        /// Their handle
        handle: String,
    },
    /// Mark someone inactive (left the team): never notified, never given cases
    Deactivate {
        /// Their handle
        handle: String,
    },
    /// Mark someone active again
    Activate {
        /// Their handle
        handle: String,
    },
}

#[derive(Debug, clap::Args)]
pub struct AwayArgs {
    /// Their handle
    pub handle: String,
    /// The first day away, in the desk's time zone [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub from: Option<NaiveDate>,
    /// The last day away (included), in the desk's time zone
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub until: NaiveDate,
    /// Who covers: triage, notifications and escalations go to them meanwhile
    #[arg(long, value_name = "HANDLE")]
    pub delegate: Option<String>,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a date: write it as YYYY-MM-DD"))
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Login name, e.g. `pmorgan`
    pub handle: String,
    /// Display name
    #[arg(long)]
    pub name: String,
    /// Email address
    #[arg(long)]
    pub email: String,
    /// A role: am, rm, agent or lead (repeat for several)
    #[arg(long = "role", value_name = "ROLE")]
    pub roles: Vec<String>,
    /// Their regional manager's handle
    #[arg(long = "rm", value_name = "HANDLE")]
    pub regional_manager: Option<String>,
    /// Works the below-Silver pool
    #[arg(long)]
    pub pool: bool,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    match &args.command {
        PeopleCommand::Add(a) => add(a, ctx),
        PeopleCommand::List(shape) => {
            let list = people::list(ctx.store()?.db())?;
            crate::cmd::print_rows_shaped(ctx, shape, &list)
        }
        PeopleCommand::Import { file } => import(file, ctx),
        PeopleCommand::Away(a) => away(a, ctx),
        PeopleCommand::Back { handle } => {
            let p = ctx
                .store()?
                .write(|tx| crate::desk::away::back(&ctx.desk(tx), handle))?;
            writeln!(ctx.out(), "{} ({}) is back", p.handle, p.name)?;
            Ok(())
        }
        PeopleCommand::Deactivate { handle } => set_active(ctx, handle, false),
        PeopleCommand::Activate { handle } => set_active(ctx, handle, true),
    }
}

fn away(a: &AwayArgs, ctx: &Ctx) -> Result<()> {
    let from = match a.from {
        Some(d) => d,
        None => ctx.calendar()?.local_date(ctx.now),
    };
    ctx.store()?.write(|tx| {
        crate::desk::away::set_away(
            &ctx.desk(tx),
            &a.handle,
            from,
            a.until,
            a.delegate.as_deref(),
        )
    })?;
    let cover = match &a.delegate {
        Some(d) => format!(", covered by {d}"),
        None => ", with no delegate (their cases go to the pool)".into(),
    };
    writeln!(
        ctx.out(),
        "{} is away {from} to {}{cover}",
        a.handle,
        a.until
    )?;
    Ok(())
}

fn set_active(ctx: &Ctx, handle: &str, active: bool) -> Result<()> {
    let found = ctx
        .store()?
        .write(|tx| people::set_active(tx, handle, active))?;
    if !found {
        return Err(error::user(format!(
            "unknown handle `{handle}`: see `casebook people list` for the people there are"
        )));
    }
    let state = if active { "active" } else { "inactive" };
    writeln!(ctx.out(), "{handle} is {state}")?;
    Ok(())
}

fn parse_roles(s: &str) -> Vec<String> {
    s.split([';', ',', ' '])
        .map(|r| r.trim().to_lowercase())
        .filter(|r| !r.is_empty())
        .collect()
}

fn add(a: &AddArgs, ctx: &Ctx) -> Result<()> {
    let person = Person {
        handle: a.handle.clone(),
        name: a.name.clone(),
        email: a.email.trim().to_lowercase(),
        roles: a.roles.iter().flat_map(|r| parse_roles(r)).collect(),
        regional_manager: a.regional_manager.clone(),
        pool: a.pool,
        ..Person::new(&a.handle, &a.name, "")
    };
    let problems = person::problems(&person);
    if !problems.is_empty() {
        return Err(error::user(problems.join("; ")));
    }
    let store = ctx.store()?;
    store.write(|tx| -> Result<()> {
        if people::get(tx, &person.handle)?.is_some() {
            return Err(error::user(format!(
                "`{}` is already a person; see `casebook people list`",
                person.handle
            )));
        }
        if let Some(other) = people::email_taken_by_other(tx, &person.email, &person.handle)? {
            return Err(error::user(format!(
                "email `{}` already belongs to `{other}`",
                person.email
            )));
        }
        if let Some(rm) = &person.regional_manager {
            if rm != &person.handle && people::get(tx, rm)?.is_none() {
                return Err(error::user(format!(
                    "regional manager `{rm}` is not a person: add them first"
                )));
            }
        }
        people::insert(tx, &person, store::ts(ctx.now))?;
        Ok(())
    })?;
    writeln!(ctx.out(), "added {} ({})", person.handle, person.name)?;
    Ok(())
}

fn import(file: &std::path::Path, ctx: &Ctx) -> Result<()> {
    const HEADER: &[&str] = &[
        "handle",
        "name",
        "email",
        "roles",
        "regional_manager",
        "pool",
    ];
    let rows = read_csv(file, HEADER)?;
    let store = ctx.store()?;
    let mut errors = RowErrors::default();
    let mut parsed = Vec::new();
    let mut seen_handles = HashSet::new();
    let mut seen_emails = HashSet::new();
    for (line, rec) in &rows {
        let pool = match rec["pool"].to_lowercase().as_str() {
            "" | "no" | "n" | "false" | "0" => false,
            "yes" | "y" | "true" | "1" => true,
            other => {
                errors.add(*line, format!("pool `{other}` must be yes or no"));
                false
            }
        };
        let p = Person {
            handle: rec["handle"].clone(),
            name: rec["name"].clone(),
            email: rec["email"].to_lowercase(),
            roles: parse_roles(&rec["roles"]),
            regional_manager: Some(rec["regional_manager"].clone()).filter(|s| !s.is_empty()),
            pool,
            ..Person::new("", "", "")
        };
        for problem in person::problems(&p) {
            errors.add(*line, problem);
        }
        if !seen_handles.insert(p.handle.clone()) {
            errors.add(
                *line,
                format!("handle `{}` appears twice in the file", p.handle),
            );
        }
        if !seen_emails.insert(p.email.clone()) {
            errors.add(
                *line,
                format!("email `{}` appears twice in the file", p.email),
            );
        }
        parsed.push((*line, p));
    }
    let conn = store.db();
    for (line, p) in &parsed {
        if let Some(rm) = &p.regional_manager {
            if !seen_handles.contains(rm) && people::get(conn, rm)?.is_none() {
                errors.add(
                    *line,
                    format!("regional manager `{rm}` is neither in the file nor a known person"),
                );
            }
        }
        if let Some(other) = people::email_taken_by_other(conn, &p.email, &p.handle)? {
            errors.add(
                *line,
                format!("email `{}` already belongs to `{other}`", p.email),
            );
        }
    }
    errors.check(file, "people")?;
    store
        .write(|tx| -> Result<()> {
            for (_, p) in &parsed {
                people::upsert(tx, p, store::ts(ctx.now))?;
            }
            Ok(())
        })
        .context("importing people")?;
    writeln!(
        ctx.out(),
        "imported {} people from {}",
        parsed.len(),
        file.display()
    )?;
    Ok(())
}
