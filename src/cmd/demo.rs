use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::ctx::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder for the demo database, config and outbox (its old demo database is replaced)
    #[arg(long, default_value = "casebook-demo")]
    pub dir: PathBuf,
}

const CONFIG: &str = include_str!("../../samples/config.toml");
const PEOPLE: &str = include_str!("../../samples/people.csv");
const ACCOUNTS: &str = include_str!("../../samples/accounts.csv");
const EMAILS: &[&str] = &[
    include_str!("../../samples/emails/01-outlook-equipment-quote.eml"),
    include_str!("../../samples/emails/02-outlook-original-message-disconnect-in-contract.eml"),
    include_str!("../../samples/emails/03-gmail-new-services-quote.eml"),
    include_str!("../../samples/emails/04-apple-mail-company-name-change.eml"),
    include_str!("../../samples/emails/05-thunderbird-csr-request.eml"),
    include_str!("../../samples/emails/06-outlook-german-disconnect-short-notice.eml"),
    include_str!("../../samples/emails/07-rfc822-attachment-at-risk-complaint.eml"),
    include_str!("../../samples/emails/08-outlook-html-only-new-product.eml"),
    include_str!("../../samples/emails/09-direct-customer-general-question.eml"),
    include_str!("../../samples/emails/10-unknown-domain-stranger.eml"),
];

/// The demo's clock: Tuesday 24 November 2026, 10:00 in New York, after the sample mail arrived.
const DEMO_NOW: &str = "2026-11-24T15:00:00Z";

/// The steps of the demo, as a user would type them (after the global options).
fn steps(dir: &Path) -> Vec<Vec<String>> {
    let file = |name: &str| dir.join(name).display().to_string();
    let step = |args: &[&str]| args.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        step(&["people", "import", &file("people.csv")]),
        step(&["accounts", "import", &file("accounts.csv")]),
        step(&["ingest", "--send-mail", "--mbox", &file("sample-mail.mbox")]),
        step(&["list"]),
        step(&["triage"]),
        step(&[
            "--as",
            "salvarez",
            "log",
            "1",
            "--method",
            "phone",
            "--outcome",
            "reached",
            "--note",
            "Quote in progress",
        ]),
        step(&["--as", "salvarez", "owned"]),
        step(&["overdue"]),
        step(&["show", "1"]),
        step(&["report"]),
    ]
}

/// The sample emails as one mbox, `From ` lines in bodies escaped.
fn mbox() -> String {
    let mut out = String::new();
    for mail in EMAILS {
        out.push_str("From demo@casebook Tue Nov 24 15:00:00 2026\n");
        for line in mail.lines() {
            if line.trim_start_matches('>').starts_with("From ") {
                out.push('>');
            }
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// `run_step` runs one command line as `casebook` would (the dispatcher's
/// own entry point), so that no command imports the root.
pub fn run(args: &Args, ctx: &Ctx, run_step: &dyn Fn(&[String]) -> Result<()>) -> Result<()> {
    let dir = &args.dir;
    std::fs::create_dir_all(dir.join("outbox"))
        .with_context(|| format!("cannot create `{}`", dir.display()))?;
    for stale in ["casebook.db", "casebook.db-wal", "casebook.db-shm"] {
        let _ = std::fs::remove_file(dir.join(stale));
    }
    let outbox = dir.join("outbox").canonicalize()?;
    let config = CONFIG.replace(
        "transport = \"sendmail\"",
        &format!("transport = \"file:{}\"", outbox.display()),
    );
    for (name, text) in [
        ("config.toml", config.as_str()),
        ("people.csv", PEOPLE),
        ("accounts.csv", ACCOUNTS),
    ] {
        std::fs::write(dir.join(name), text)?;
    }
    std::fs::write(dir.join("sample-mail.mbox"), mbox())?;

    let db = dir.join("casebook.db").display().to_string();
    // The demo's fresh database; the steps then open it like any command.
    crate::store::Store::create(
        &crate::store::Location::Sqlite(dir.join("casebook.db")),
        ctx.busy_timeout(),
    )?;
    let cfg = dir.join("config.toml").display().to_string();
    let mut out = ctx.out();
    writeln!(
        out,
        "casebook demo in {} (clock fixed at {DEMO_NOW})\n",
        dir.display()
    )?;
    drop(out);
    for step in steps(dir) {
        writeln!(ctx.out(), "$ casebook {}", step.join(" "))?;
        let mut argv = vec![
            "casebook".to_string(),
            "--db".into(),
            db.clone(),
            "--config".into(),
            cfg.clone(),
        ];
        argv.extend([
            "--now".into(),
            DEMO_NOW.into(),
            "--format".into(),
            "table".into(),
        ]);
        argv.extend(step.iter().cloned());
        run_step(&argv)
            .with_context(|| format!("demo step `casebook {}` failed", step.join(" ")))?;
        writeln!(ctx.out())?;
    }
    writeln!(
        ctx.out(),
        "Done. Explore it: casebook --db {db} --config {cfg} --now {DEMO_NOW} list --all\nOutgoing mail is in {}",
        outbox.display()
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn mbox_holds_every_sample_and_escapes_from_lines() {
        let mbox = super::mbox();
        assert_eq!(
            mbox.matches("From demo@casebook").count(),
            super::EMAILS.len()
        );
        assert!(!mbox
            .lines()
            .any(|l| l.starts_with("From ") && !l.starts_with("From demo@casebook")));
    }
}
