use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to write into (created if needed)
    pub dir: PathBuf,
}

/// `cli` is the whole command line's definition (`Cli::command()`), handed
/// down by the dispatcher so that no command imports the root.
pub fn run(args: &Args, cli: &clap::Command) -> Result<()> {
    write_pages(cli, &args.dir)?;
    Ok(())
}

/// Generates every page of `cli`; returns the files written.
pub fn write_pages(cli: &clap::Command, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let mut written = Vec::new();
    write_page(cli, "casebook", dir, &mut written)?;
    Ok(written)
}

/// The sections clap does not write: FIELDS (listings), EXIT STATUS,
/// ENVIRONMENT, FILES, EXAMPLES and SEE ALSO, as roff.
pub fn extra_sections(page: &str) -> String {
    use crate::desk::views::{CaseRow, DueRow, Fields, MyCaseRow};
    let command = page.strip_prefix("casebook-").unwrap_or("");
    let mut s = String::new();
    let fields: Option<&[&str]> = match command {
        "list" | "search" => Some(CaseRow::FIELDS),
        "mine" | "owned" => Some(MyCaseRow::FIELDS),
        "due" | "overdue" => Some(DueRow::FIELDS),
        _ => None,
    };
    if let Some(fields) = fields {
        section(&mut s, "FIELDS");
        para(
            &mut s,
            &format!(
                "Each case has these fields, in this order: {}. They are the keys of \
                 --format json, the CSV header (printed even when no case matches) and \
                 the names --sort and --columns take (case for number, opened for \
                 opened_at). Times are RFC 3339 in UTC in JSON and CSV, local to the \
                 desk's time zone in tables. The names are stable: scripts may rely on them.",
                fields.join(", ")
            ),
        );
    }
    section(&mut s, "EXIT STATUS");
    for (code, meaning) in EXIT_CODES {
        item(&mut s, code, meaning);
    }
    section(&mut s, "ENVIRONMENT");
    for (name, meaning) in ENVIRONMENT {
        item(&mut s, name, meaning);
    }
    section(&mut s, "FILES");
    for (name, meaning) in FILES {
        item(&mut s, name, meaning);
    }
    let examples: Vec<&(&str, &str, &str)> = EXAMPLES
        .iter()
        .filter(|(c, _, _)| *c == command || (command.is_empty() && c.is_empty()))
        .collect();
    if !examples.is_empty() {
        section(&mut s, "EXAMPLES");
        for (_, line, what) in examples {
            s.push_str(".TP\n");
            s.push_str(&format!("\\fB{}\\fR\n", escape(line)));
            s.push_str(&format!("{}\n", escape(what)));
        }
    }
    section(&mut s, "SEE ALSO");
    let mut see: Vec<String> = Vec::new();
    if !command.is_empty() {
        see.push("casebook(1)".into());
    }
    for (c, related) in SEE_ALSO {
        if c == command {
            see.extend(related.iter().map(|r| format!("casebook\\-{r}(1)")));
        }
    }
    see.extend(["procmail(1)", "crontab(5)", "sqlite3(1)"].map(String::from));
    s.push_str(&format!("{}\n", see.join(", ")));
    s
}

const EXIT_CODES: [(&str, &str); 6] = [
    ("0", "Success (for ingest: the message is stored, whatever became of it). A closed pipe (`| head`) also exits 0."),
    ("1", "A user error: an unknown case, handle or account, a refused status change; the message says what to do instead."),
    ("2", "Usage: an unknown option or a value that does not parse (a time, a status)."),
    ("65", "Bad input where nothing was stored and a retry cannot help (an empty message on stdin)."),
    ("75", "A temporary failure: the database is locked, unwritable, full or missing, or the config is broken; the MTA retries the delivery."),
    ("other", "Killed by a signal."),
];

const ENVIRONMENT: [(&str, &str); 15] = [
    ("CASEBOOK_DB", "The database file, as --db (default $XDG_DATA_HOME/casebook/casebook.db)."),
    ("CASEBOOK_CONFIG", "The config file, as --config (default $XDG_CONFIG_HOME/casebook/config.toml)."),
    ("CASEBOOK_USER", "The handle to act as, as --as (default $USER, then $LOGNAME)."),
    ("CASEBOOK_NOW", "The clock every time-based rule reads, as --now: RFC 3339, a date (midnight in the desk's zone) or a relative time (yesterday 15:00)."),
    ("CASEBOOK_BUSY_TIMEOUT_MS", "How long to wait for a locked database before giving up (exit 75), over store.busy_timeout_ms."),
    ("CASEBOOK_SMTP_PASSWORD", "The SMTP password, over mail.smtp_password_file."),
    ("NO_COLOR", "When set and not empty, no colour unless --color always."),
    ("COLUMNS", "The width tables fit, over the terminal's (80 on a terminal that does not say; unlimited in a pipe)."),
    ("LINES", "The terminal's height, over what it says: longer output of show goes through the pager."),
    ("PAGER", "The pager for show on a terminal (default less \\-FRX; cat turns it off)."),
    ("VISUAL, EDITOR", "The editor for reply, comment, review, hold \\-\\-reason and handoff \\-\\-note when no text is given on a terminal (default vi)."),
    ("XDG_DATA_HOME", "Where the default database lives (default ~/.local/share)."),
    ("XDG_CONFIG_HOME", "Where the default config lives (default ~/.config)."),
    ("USER, LOGNAME", "The default handle."),
    ("HOME", "The base of the defaults above."),
];

const FILES: [(&str, &str); 5] = [
    ("~/.config/casebook/config.toml", "The config (every key is documented in samples/config.toml); casebook config show prints the effective one."),
    ("~/.local/share/casebook/casebook.db", "The database (mode 0600), made by casebook init."),
    ("~/.local/share/casebook/casebook.db\\-wal, casebook.db\\-shm", "SQLite's write-ahead log and its index: recent commits live in the \\-wal file, so copy the database with casebook backup, never cp."),
    ("BACKUP.db", "A consistent copy made by casebook backup FILE, read back by casebook restore FILE \\-\\-replace."),
    ("man/, completions", "Pages written by casebook man DIR; completions printed by casebook completions SHELL."),
];

/// (command, command line, what it does); the root page's have an empty command.
const EXAMPLES: [(&str, &str, &str); 22] = [
    ("", "casebook owned", "The cases you own, next due first."),
    ("", "casebook list \\-\\-owner queue \\-\\-since 2d", "Unassigned cases opened in the last two days."),
    ("", "casebook \\-\\-format json overdue | jq \\-r '.[].number'", "The numbers of the overdue cases, for a script."),
    ("", "casebook report \\-\\-send", "Mail the owner report (cron: 0 7 * * 1,4)."),
    ("list", "casebook list \\-\\-status 'Waiting for Details' \\-\\-sort=\\-opened_at", "Cases waiting on the customer, newest first."),
    ("list", "casebook list \\-\\-since monday \\-\\-columns case,subject,owner", "This week's cases, three columns."),
    ("list", "casebook list \\-\\-format csv \\-\\-all > cases.csv", "Every case as CSV, header included."),
    ("search", "casebook search fax \\-\\-since 30d", "Cases of the last 30 days that mention fax."),
    ("mine", "casebook mine \\-\\-overdue", "Cases you created whose next contact is overdue."),
    ("owned", "casebook owned \\-\\-sort priority,next_due", "Your cases, most urgent priority first."),
    ("due", "casebook due \\-\\-within 4h", "What needs contact in the next four business hours."),
    ("due", "casebook due \\-\\-refresh", "Recompute every due time after a change to [calendar] or [sla]."),
    ("overdue", "casebook overdue \\-\\-owner queue", "Overdue cases nobody owns yet."),
    ("report", "casebook report \\-\\-format html > report.html", "The page the report mail carries."),
    ("report", "casebook report \\-\\-send", "Mail it once per business day (cron: 0 7 * * 1,4)."),
    ("hold", "casebook hold 42 \\-\\-until friday \\-\\-reason 'budget approval'", "On hold until Friday (the opening of that business day)."),
    ("log", "casebook log 42 \\-\\-method phone \\-\\-outcome left\\-message \\-\\-at 'yesterday 15:00'", "A back-dated voicemail."),
    ("comment", "casebook comment 42 '@jlee heads up: renewal in February'", "An internal comment that notifies jlee."),
    ("status", "casebook status 42 'in progress'", "Work has started."),
    ("ingest", "casebook ingest < message.eml", "What procmail runs for each message."),
    ("ingest", "casebook ingest \\-\\-dry\\-run \\-\\-explain < message.eml", "What would happen, and which rule decided it."),
    ("completions", "source <(casebook completions bash)", "Completion in bash, with statuses, handles and case numbers."),
];

const SEE_ALSO: [(&str, &[&str]); 8] = [
    (
        "",
        &["list", "show", "owned", "mine", "due", "report", "ingest"],
    ),
    ("list", &["search", "mine", "owned", "due"]),
    ("search", &["list", "show"]),
    ("mine", &["owned", "list"]),
    ("owned", &["mine", "list", "due"]),
    ("due", &["overdue", "owned"]),
    ("overdue", &["due", "report"]),
    ("report", &["overdue", "due"]),
];

fn section(s: &mut String, title: &str) {
    s.push_str(&format!(".SH \"{title}\"\n"));
}

fn para(s: &mut String, text: &str) {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    s.push_str(&format!("{}\n", escape(&text)));
}

fn item(s: &mut String, name: &str, meaning: &str) {
    s.push_str(&format!(
        ".TP\n\\fB{}\\fR\n{}\n",
        escape(name),
        escape(meaning)
    ));
}

/// Text for roff: dashes and backslashes escaped (already escaped `\\-` kept),
/// no line starting with a control character.
fn escape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'-') => {
                chars.next();
                out.push_str("\\-");
            }
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            _ => out.push(c),
        }
    }
    if out.starts_with(['.', '\'']) {
        out.insert_str(0, "\\&");
    }
    out
}

fn write_page(
    cmd: &clap::Command,
    name: &str,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> Result<()> {
    let cmd = cmd
        .clone()
        .name(name.to_string())
        .display_name(name.to_string())
        .bin_name(name.replace('-', " "));
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    buf.extend_from_slice(extra_sections(name).as_bytes());
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, buf).with_context(|| format!("cannot write `{}`", path.display()))?;
    written.push(path);
    for sub in cmd
        .get_subcommands()
        .filter(|s| s.get_name() != "help" && !s.is_hide_set())
    {
        // Subcommands are deferred (cli.rs): building one on its own fills in
        // its arguments and subcommands without copying the root's globals in.
        let mut sub = sub.clone();
        sub.build();
        write_page(&sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}
