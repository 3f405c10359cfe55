//! The clap root: global options and one enum that dispatches to `cmd/`.

use std::path::PathBuf;

use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

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
    /// Database: a file, or a postgres://USER@HOST:PORT/DBNAME URL
    /// [default: `[store] url` in the config, else $XDG_DATA_HOME/casebook/casebook.db]
    #[arg(long, global = true, env = "CASEBOOK_DB", value_name = "PATH|URL")]
    pub db: Option<std::ffi::OsString>,

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

    /// The clock every time-based decision reads: RFC 3339, a date (midnight local) or `yesterday 15:00` [default: now]
    #[arg(long, global = true, env = "CASEBOOK_NOW", value_name = "TIME", value_parser = cmd::parse_time)]
    pub now: Option<cmd::TimeArg>,

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
// them cost every such process about a tenth of its page faults. The
// descriptions live here, on the variants, because clap applies a deferred
// subcommand's own doc comment only once it is built: `casebook --help`
// would list the commands without them.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Create the database (the only command but demo that does: others refuse a missing one)
    Init(cmd::init::Args),
    /// Build a demo desk from the bundled samples and show it at work
    ///
    /// Writes a config, the sample team and accounts and the sample emails into DIR,
    /// then runs the day's job on a fresh database there: import, ingest, triage,
    /// first contact, the views and the owner report. Outgoing mail goes to DIR/outbox/.
    Demo(cmd::demo::Args),
    /// Turn inbound mail into cases: one message on stdin (the procmail path), or an mbox or maildir
    ///
    /// Exit codes: 0 when the message is stored (created, appended, duplicate, auto-generated
    /// or quarantined), 75 when the database is locked, unwritable or full, or the config is
    /// broken (the MTA retries), 65 when the input is empty.
    Ingest(cmd::ingest::Args),
    /// List cases (open ones unless --all or --status), oldest first
    List(cmd::list::Args),
    /// Show one case with its timeline
    Show(cmd::show::Args),
    /// Find cases by words in their subject, description or comments (closed ones too)
    Search(cmd::search::Args),
    /// Assign the cases waiting in the queue: Silver and above to the designated AM, below
    /// Silver to the pool AM with the fewest open cases (follow-ups to the earlier owner)
    Triage(cmd::triage::Args),
    /// Assign a case to a person (its owner, who keeps the communication SLA)
    Assign(cmd::assign::Args),
    /// Set a case's status (In Progress, Waiting for Details, Waiting for Support)
    ///
    /// Other statuses have their own command: `close`, `close --no-response`, `hold`,
    /// `escalate --am`, `escalate --management`, `reopen`, `resume`.
    Status(cmd::status::Args),
    /// Correct a case: its account, contact, category, priority, type or subject
    ///
    /// Each change is a history event with its old and new value; the due times
    /// follow a new priority, and the owner and creator are told. An account set
    /// on a queued case makes it routable by `triage`.
    Edit(cmd::edit::Args),
    /// Put a case On Hold until an agreed date (the next contact is due then)
    Hold(cmd::hold::Args),
    /// Comment on a case (internal unless --public); `@handle` mentions notify that person
    Comment(cmd::comment::Args),
    /// Log the owner's review of a case ("Log Review"); only the owner may
    Review(cmd::review::Args),
    /// Log a contact attempt (the first one starts work: New becomes In Progress)
    Log(cmd::log::Args),
    /// Email the case's contact out of the case
    ///
    /// The message goes from the desk's address with the case tag in its subject, so the
    /// customer's answer threads back onto the case. It is kept on the case, logged as an
    /// email contact attempt (a New case moves to In Progress), and the owner and creator
    /// are told. Without `--body` or `--body-file` it opens $VISUAL or $EDITOR.
    Reply(cmd::reply::Args),
    /// Escalate a case to its account manager (--am) or to management (--management)
    Escalate(cmd::escalate::Args),
    /// Return a Waiting for Support case to the status it had before the customer replied
    Resume(cmd::resume::Args),
    /// Add a watcher to a case, for visibility (a watcher never fills the AM field)
    Watch(cmd::watch::Args),
    /// Hand a case off to another team, recording the team and its support representative
    Handoff(cmd::handoff::Args),
    /// Close a case (the creator or the owner may); --no-response checks the SOP's rule
    Close(cmd::close::Args),
    /// Reopen a closed case (status In Progress)
    Reopen(cmd::reopen::Args),
    /// Show the open cases you created (My Open Created Cases), next due first
    ///
    /// Unlike `owned`, this includes cases you handed to someone else: the creator
    /// closes the case. Takes every filter of `list`.
    Mine(cmd::mine::Args),
    /// Show the open cases you own (My Cases), next due first
    ///
    /// You keep the communication SLA on these. Cases you created but handed on are
    /// in `mine`. Takes every filter of `list`.
    Owned(cmd::owned::Args),
    /// Show open cases whose next contact is due within a business-time window, by owner
    ///
    /// Cases already overdue are included and marked with how late they are in
    /// business time. Owners are sorted by handle, the queue last; each owner's
    /// cases by next due time.
    Due(cmd::due::Args),
    /// Show open cases whose next contact is overdue, by owner, with how late each is
    ///
    /// Lateness is business time (`late`; JSON `late_business_minutes`). Owners are
    /// sorted by handle, the queue last; each owner's cases by next due time.
    Overdue(cmd::overdue::Args),
    /// Print the owner report: every open case created by staff, by owner, next due first
    ///
    /// A team summary comes first, then one section per owner (the queue last) with
    /// open and overdue counts. `--format html` gives the page that `--send` mails.
    /// Meant for cron at 07:00 on Mondays and Thursdays: `casebook report --send`.
    Report(cmd::report::Args),
    /// Apply the time-based rules (for cron): AM response time, handoff replies, integration cases
    ///
    /// Waiting for Account Manager longer than escalation.am_response (business time) goes to
    /// Waiting for Management and the regional manager is told; a handoff without a reply in
    /// the team's reply_hours (default 48) notifies the team's follow-up contact; integration
    /// cases waiting with no inbound mail for integration.no_response_days become Closed No
    /// Response, and those whose last attempt left a detailed message with no reply for
    /// integration.detailed_message_hours are closed. Each rule fires once per occasion.
    Sweep(cmd::sweep::Args),
    /// Manage the people of the desk: account managers, regional managers, agents
    People(cmd::people::Args),
    /// Manage customer accounts: tiers, designated AMs, domains and contacts
    Accounts(cmd::accounts::Args),
    /// See and deliver outgoing mail: every message is stored here first
    Outbox(cmd::outbox::Args),
    /// List, show, retry or drop messages held in quarantine
    Quarantine(cmd::quarantine::Args),
    /// Show the effective configuration
    Config(cmd::config::Args),
    /// Copy the whole database into a new file (mode 0600), safely while others write
    ///
    /// The database file alone is not a backup: recent commits live in its `-wal` file
    /// until a later checkpoint. This copies both, as one consistent snapshot.
    Backup(cmd::backup::Args),
    /// Replace the database with a backup, safely while others use it
    ///
    /// Other processes see the old database or the restored one, never a mix. A backup
    /// from an older casebook is brought up to date. Needs --replace.
    Restore(cmd::restore::Args),
    /// Move this SQLite desk into an empty PostgreSQL database, every row, checked
    MigrateTo(cmd::migrate_to::Args),
    /// Print shell completions for bash, zsh, fish, elvish or powershell
    Completions(cmd::completions::Args),
    /// Write man pages (casebook.1 and one per subcommand) into DIR
    Man(cmd::man::Args),
    /// List the values shell completion offers (statuses, handles, open cases, …), one a line
    #[command(hide = true)]
    Complete(cmd::complete::Args),
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

/// `--db` (or `CASEBOOK_DB`), else the config's `[store] url`, else the
/// default SQLite file.
fn database_location(db: Option<&std::ffi::OsStr>, config: &Config) -> store::Location {
    match (db, &config.store.url) {
        (Some(given), _) => store::Location::parse(given),
        (None, Some(url)) => store::Location::parse(url.as_ref()),
        (None, None) => store::Location::Sqlite(store::default_path()),
    }
}

/// The command line, read as `Cli::parse` reads it (errors and `--help`
/// exit the same way), except that clap's command tree is left for the
/// process's exit to free: freeing it cost every delivery 0.3 M instructions.
pub fn parse_args() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(cli) = procmail_invocation(&args, |name| std::env::var_os(name)) {
        return cli;
    }
    let mut command = Cli::command();
    let cli = command
        .try_get_matches_from_mut(args)
        .and_then(|m| Cli::from_arg_matches(&m))
        .unwrap_or_else(|e| e.format(&mut command).exit());
    std::mem::forget(command);
    cli
}

/// `casebook ingest` and nothing else, as procmail runs it once per mail,
/// read without clap: building clap's command cost every delivery 0.7 M
/// instructions (an eighth of it). The global options then come from their
/// environment variables only. Anything clap could read otherwise or refuse
/// (another argument, an empty or non-UTF-8 value, a `CASEBOOK_NOW` that does
/// not parse) gets `None`, and clap reads the command line as always.
fn procmail_invocation(
    args: &[std::ffi::OsString],
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Option<Cli> {
    if args.len() != 2 || args[1] != "ingest" {
        return None;
    }
    // Absent is fine; present must be non-empty (and text where clap wants text).
    let os = |name: &str| match env(name) {
        None => Some(None),
        Some(v) if v.is_empty() => None,
        Some(v) => Some(Some(v)),
    };
    let text = |name: &str| match os(name)? {
        None => Some(None),
        Some(v) => v.into_string().ok().map(Some),
    };
    let now = match text("CASEBOOK_NOW")? {
        None => None,
        Some(t) => Some(cmd::parse_time(&t).ok()?),
    };
    Some(Cli {
        db: os("CASEBOOK_DB")?,
        config: os("CASEBOOK_CONFIG")?.map(PathBuf::from),
        as_user: text("CASEBOOK_USER")?,
        now,
        format: Format::Table,
        color: ColorChoice::Auto,
        command: Command::Ingest(cmd::ingest::Args {
            mbox: None,
            maildir: None,
            dry_run: false,
            explain: false,
            verbose: false,
            send_mail: false,
        }),
    })
}

/// Runs the process's one command (main.rs): what is left open when it is
/// done ends with the process (see `Ctx::leave`).
pub fn run_to_exit(cli: Cli) -> Result<()> {
    run_command(cli, true)
}

/// Runs one command and closes what it opened: the demo runs several in
/// one process.
pub fn run(cli: Cli) -> Result<()> {
    run_command(cli, false)
}

fn run_command(cli: Cli, process_ends: bool) -> Result<()> {
    let config_path = cli.config.clone().unwrap_or_else(config::default_path);
    let named = cli.config.is_some();
    // Commands that need no config still work when the config is broken.
    let config = match &cli.command {
        Command::Completions(_) | Command::Man(_) | Command::Demo(_) => Config::default(),
        // Completion offers what it can even with a broken config.
        Command::Complete(_) => Config::load(&config_path, named).unwrap_or_default(),
        // A delivery that meets a broken config is kept by the MTA (exit 75)
        // and retried once the config is fixed.
        Command::Ingest(a) if a.mbox.is_none() && a.maildir.is_none() => {
            Config::load(&config_path, named).map_err(|e| {
                e.context(crate::error::Fail::Temporary(
                    "nothing of this message was kept: the MTA retries it once the config is fixed"
                        .into(),
                ))
            })?
        }
        _ => Config::load(&config_path, named)?,
    };
    // The one reading of the wall clock: every rule reads this clock. A
    // relative `--now` (`yesterday 15:00`) is read against it in the desk's zone.
    #[allow(clippy::disallowed_methods)]
    let wall = Utc::now();
    let now: DateTime<Utc> = cli
        .now
        .map_or(wall, |t| t.resolve(config.calendar.display_tz(), wall));
    let db = database_location(cli.db.as_deref(), &config);
    let ctx = Ctx::new(
        config,
        config_path,
        db,
        cli.as_user.clone().or_else(login_name),
        now,
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
        if let Some(store) = ctx.opened_store() {
            crate::desk::delivery::deliver_queued(store, &ctx.settings, &ctx.announcer);
        }
    }));
    if delivered.is_err() {
        ctx.note("casebook: warning: delivering mail failed; `casebook outbox flush` retries it");
    }
    if process_ends {
        ctx.leave();
    }
    result
}

fn checks_user(command: &Command) -> bool {
    use cmd::people::PeopleCommand;
    !matches!(
        command,
        Command::Init(_)
            | Command::Backup(_)
            | Command::Restore(_)
            | Command::MigrateTo(_)
            | Command::Demo(_)
            | Command::Ingest(_)
            | Command::Config(_)
            | Command::Completions(_)
            | Command::Man(_)
            | Command::Complete(_)
            | Command::People(cmd::people::Args {
                command: PeopleCommand::Add(_) | PeopleCommand::Import { .. }
            })
    )
}

fn dispatch(command: Command, ctx: &Ctx) -> Result<()> {
    match command {
        Command::Init(a) => cmd::init::run(&a, ctx),
        Command::Backup(a) => cmd::backup::run(&a, ctx),
        Command::Restore(a) => cmd::restore::run(&a, ctx),
        Command::MigrateTo(a) => cmd::migrate_to::run(&a, ctx),
        Command::Demo(a) => cmd::demo::run(&a, ctx, &|argv| run(Cli::try_parse_from(argv)?)),
        Command::Ingest(a) => cmd::ingest::run(&a, ctx),
        Command::List(a) => cmd::list::run(&a, ctx),
        Command::Show(a) => cmd::show::run(&a, ctx),
        Command::Search(a) => cmd::search::run(&a, ctx),
        Command::Triage(a) => cmd::triage::run(&a, ctx),
        Command::Assign(a) => cmd::assign::run(&a, ctx),
        Command::Status(a) => cmd::status::run(&a, ctx),
        Command::Edit(a) => cmd::edit::run(&a, ctx),
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
        Command::Completions(a) => cmd::completions::run(&a, Cli::command()),
        Command::Man(a) => cmd::man::run(&a, &Cli::command()),
        Command::Complete(a) => cmd::complete::run(&a, ctx),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }

    /// The procmail path read without clap gives what clap gives for the
    /// same values as options, and leaves everything else to clap.
    #[test]
    fn procmail_invocation_reads_as_clap_does() {
        use std::ffi::OsString;

        use clap::Parser;

        let os = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        let ingest = os(&["casebook", "ingest"]);
        // (CASEBOOK_DB, CASEBOOK_CONFIG, CASEBOOK_USER, CASEBOOK_NOW), unset as None.
        let read = [
            (None, None, None, None),
            (Some("/srv/desk.db"), None, None, None),
            (
                Some("postgres://desk@db:5432/casebook"),
                Some("/etc/casebook.toml"),
                Some("mchen"),
                Some("2026-11-23T14:00:00Z"),
            ),
            (None, None, None, Some("2026-11-23")),
            (None, Some("c.toml"), None, Some("yesterday 15:00")),
        ];
        for (db, config, user, now) in read {
            let env = |name: &str| {
                match name {
                    "CASEBOOK_DB" => db,
                    "CASEBOOK_CONFIG" => config,
                    "CASEBOOK_USER" => user,
                    "CASEBOOK_NOW" => now,
                    _ => None,
                }
                .map(OsString::from)
            };
            let fast = super::procmail_invocation(&ingest, env).expect("read without clap");
            let mut line = vec!["casebook"];
            for (flag, value) in [
                ("--db", db),
                ("--config", config),
                ("--as", user),
                ("--now", now),
            ] {
                if let Some(v) = value {
                    line.extend([flag, v]);
                }
            }
            line.push("ingest");
            let clap = super::Cli::try_parse_from(&line).unwrap();
            assert_eq!(format!("{fast:?}"), format!("{clap:?}"), "{line:?}");
        }
        let unset = |_: &str| None;
        for args in [
            os(&["casebook"]),
            os(&["casebook", "ingest", "--explain"]),
            os(&["casebook", "ingest", "--mbox", "x"]),
            os(&["casebook", "--db", "x", "ingest"]),
            os(&["casebook", "list"]),
            os(&["casebook", "ingest", "ingest"]),
        ] {
            assert!(
                super::procmail_invocation(&args, unset).is_none(),
                "{args:?}"
            );
        }
        for (name, value) in [
            ("CASEBOOK_DB", ""),
            ("CASEBOOK_CONFIG", ""),
            ("CASEBOOK_USER", ""),
            ("CASEBOOK_NOW", ""),
            ("CASEBOOK_NOW", "not a time"),
        ] {
            let env = |n: &str| (n == name).then(|| OsString::from(value));
            assert!(
                super::procmail_invocation(&ingest, env).is_none(),
                "{name}={value:?}"
            );
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStringExt;
            let env = |n: &str| (n == "CASEBOOK_USER").then(|| OsString::from_vec(vec![0xff]));
            assert!(super::procmail_invocation(&ingest, env).is_none());
        }
    }
}
