//! The clap root: global options and one enum that dispatches to `cmd/`.

use std::path::PathBuf;

use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};

use crate::cmd;
use crate::config::{self, Config};
use crate::ctx::Ctx;
use crate::render::Format;
use crate::store;

/// A customer-case desk for the shell: forwarded mail becomes cases, worked to the SOP
#[derive(Debug, Parser)]
#[command(
    name = "casebook",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Database file [default: $XDG_DATA_HOME/casebook/casebook.db]
    #[arg(long, global = true, env = "CASEBOOK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Config file [default: $XDG_CONFIG_HOME/casebook/config.toml]
    #[arg(long, global = true, env = "CASEBOOK_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Act as this person [default: the login name]
    #[arg(
        long = "as",
        global = true,
        env = "CASEBOOK_USER",
        value_name = "HANDLE"
    )]
    pub as_user: Option<String>,

    /// The clock every time-based decision reads, RFC 3339 [default: now]
    #[arg(long, global = true, env = "CASEBOOK_NOW", value_name = "TIME", value_parser = parse_now)]
    pub now: Option<DateTime<Utc>>,

    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// When to use colour (NO_COLOR is honoured)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

// Each subcommand's arguments are built only when it runs (or for help, man
// pages and completions): ingest starts once per mail, and building all of
// them cost every such process about a tenth of its page faults.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    Init(cmd::init::Args),
    Demo(cmd::demo::Args),
    Ingest(cmd::ingest::Args),
    List(cmd::list::Args),
    Show(cmd::show::Args),
    Search(cmd::search::Args),
    Triage(cmd::triage::Args),
    Assign(cmd::assign::Args),
    Status(cmd::status::Args),
    Hold(cmd::hold::Args),
    Comment(cmd::comment::Args),
    Review(cmd::review::Args),
    Log(cmd::log::Args),
    Reply(cmd::reply::Args),
    Escalate(cmd::escalate::Args),
    Resume(cmd::resume::Args),
    Watch(cmd::watch::Args),
    Handoff(cmd::handoff::Args),
    Close(cmd::close::Args),
    Reopen(cmd::reopen::Args),
    Mine(cmd::mine::Args),
    Owned(cmd::owned::Args),
    Due(cmd::due::Args),
    Overdue(cmd::overdue::Args),
    Report(cmd::report::Args),
    Sweep(cmd::sweep::Args),
    People(cmd::people::Args),
    Accounts(cmd::accounts::Args),
    Outbox(cmd::outbox::Args),
    Quarantine(cmd::quarantine::Args),
    Config(cmd::config::Args),
    Backup(cmd::backup::Args),
    Completions(cmd::completions::Args),
    Man(cmd::man::Args),
}

fn parse_now(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("`{s}` is not an RFC 3339 time like 2026-11-23T09:00:00-05:00 ({e})"))
}

/// The login name: `$USER`, else `$LOGNAME`.
fn login_name() -> Option<String> {
    ["USER", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
}

fn use_color(choice: ColorChoice) -> bool {
    use std::io::IsTerminal;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

pub fn run(cli: Cli) -> Result<()> {
    let config_path = cli.config.clone().unwrap_or_else(config::default_path);
    // Commands that need no config still work when the config is broken.
    let config = match &cli.command {
        Command::Completions(_) | Command::Man(_) | Command::Demo(_) => Config::default(),
        // A delivery that meets a broken config is kept by the MTA (exit 75)
        // and retried once the config is fixed.
        Command::Ingest(a) if a.mbox.is_none() && a.maildir.is_none() => Config::load(&config_path)
            .map_err(|e| {
                e.context(crate::error::Fail::Temporary(
                    "nothing of this message was kept: the MTA retries it once the config is fixed"
                        .into(),
                ))
            })?,
        _ => Config::load(&config_path)?,
    };
    let ctx = Ctx::new(
        config,
        config_path,
        cli.db.clone().unwrap_or_else(store::default_path),
        cli.as_user.clone().or_else(login_name),
        cli.now.unwrap_or_else(Utc::now),
        cli.format,
        use_color(cli.color),
    );
    // A handle named explicitly must exist; bootstrapping commands and ingest (whose
    // actor comes from the mail) are exempt so the first person can be added.
    if cli.as_user.is_some() && checks_user(&cli.command) {
        ctx.actor()?;
    }
    let result = dispatch(cli.command, &ctx);
    // Mail the command queued goes out now that its transaction is over; a failure
    // only warns (the message stays queued for `outbox flush`) and never changes
    // the command's outcome or exit code.
    let delivered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::outbox::deliver_queued(&ctx);
    }));
    if delivered.is_err() {
        ctx.note("casebook: warning: delivering mail failed; `casebook outbox flush` retries it");
    }
    result
}

fn checks_user(command: &Command) -> bool {
    use cmd::people::PeopleCommand;
    !matches!(
        command,
        Command::Init(_)
            | Command::Backup(_)
            | Command::Demo(_)
            | Command::Ingest(_)
            | Command::Config(_)
            | Command::Completions(_)
            | Command::Man(_)
            | Command::People(cmd::people::Args {
                command: PeopleCommand::Add(_) | PeopleCommand::Import { .. }
            })
    )
}

fn dispatch(command: Command, ctx: &Ctx) -> Result<()> {
    match command {
        Command::Init(a) => cmd::init::run(&a, ctx),
        Command::Backup(a) => cmd::backup::run(&a, ctx),
        Command::Demo(a) => cmd::demo::run(&a, ctx),
        Command::Ingest(a) => cmd::ingest::run(&a, ctx),
        Command::List(a) => cmd::list::run(&a, ctx),
        Command::Show(a) => cmd::show::run(&a, ctx),
        Command::Search(a) => cmd::search::run(&a, ctx),
        Command::Triage(a) => cmd::triage::run(&a, ctx),
        Command::Assign(a) => cmd::assign::run(&a, ctx),
        Command::Status(a) => cmd::status::run(&a, ctx),
        Command::Hold(a) => cmd::hold::run(&a, ctx),
        Command::Comment(a) => cmd::comment::run(&a, ctx),
        Command::Review(a) => cmd::review::run(&a, ctx),
        Command::Log(a) => cmd::log::run(&a, ctx),
        Command::Reply(a) => cmd::reply::run(&a, ctx),
        Command::Escalate(a) => cmd::escalate::run(&a, ctx),
        Command::Resume(a) => cmd::resume::run(&a, ctx),
        Command::Watch(a) => cmd::watch::run(&a, ctx),
        Command::Handoff(a) => cmd::handoff::run(&a, ctx),
        Command::Close(a) => cmd::close::run(&a, ctx),
        Command::Reopen(a) => cmd::reopen::run(&a, ctx),
        Command::Mine(a) => cmd::mine::run(&a, ctx),
        Command::Owned(a) => cmd::owned::run(&a, ctx),
        Command::Due(a) => cmd::due::run(&a, ctx),
        Command::Overdue(a) => cmd::overdue::run(&a, ctx),
        Command::Report(a) => cmd::report::run(&a, ctx),
        Command::Sweep(a) => cmd::sweep::run(&a, ctx),
        Command::People(a) => cmd::people::run(&a, ctx),
        Command::Accounts(a) => cmd::accounts::run(&a, ctx),
        Command::Outbox(a) => cmd::outbox::run(&a, ctx),
        Command::Quarantine(a) => cmd::quarantine::run(&a, ctx),
        Command::Config(a) => cmd::config::run(&a, ctx),
        Command::Completions(a) => cmd::completions::run(&a),
        Command::Man(a) => cmd::man::run(&a),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
