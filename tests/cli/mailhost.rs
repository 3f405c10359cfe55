//! The shipped files on a real mail host: the README's install into the HOME
//! of a real local user, a real procmail running `samples/procmailrc`, a real
//! MTA (msmtp-mta's `/usr/sbin/sendmail`, relaying to the loopback SMTP sink)
//! behind the shipped `sendmail` transport, and the lines of `samples/crontab`
//! run as cron runs them. Only HOME (the user's) and the sink's port (in the
//! user's `~/.msmtprc`, which is not a shipped file) differ from a real host.
//!
//! It needs procmail, formail, msmtp-mta and useradd, and root to create the
//! throwaway user (procmail takes HOME from the passwd entry). `.ci/run`
//! installs the packages; without them the test fails and says so, unless
//! `CASEBOOK_SKIP_REAL=1` is set.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use mail_parser::MessageParser;

use crate::common::smtp_sink::{Received, SmtpSink, Stage};
use crate::common::Env;

/// What the host must have, and where.
const TOOLS: [(&str, &str); 5] = [
    ("/usr/bin/procmail", "procmail"),
    ("/usr/bin/formail", "procmail"),
    ("/usr/bin/msmtp", "msmtp-mta"),
    ("/usr/sbin/sendmail", "msmtp-mta"),
    ("/usr/sbin/useradd", "passwd"),
];

/// The business calendar of `samples/config.toml`, which cron's CRON_TZ names too.
const ZONE: chrono_tz::Tz = chrono_tz::America::Chicago;

/// Tuesday 24 November 2026, 09:00 in Chicago: when the mail arrives.
const MAIL_ARRIVES: &str = "2026-11-24T15:00:00Z";

/// Whether this host can run the test; a missing piece fails the test with
/// what to do, unless `CASEBOOK_SKIP_REAL=1` asks to skip.
fn real_host_available() -> bool {
    let mut missing: Vec<String> = TOOLS
        .iter()
        .filter(|(path, _)| !Path::new(path).exists())
        .map(|(path, package)| format!("{path} (Debian package {package})"))
        .collect();
    // The effective uid of this process: the owner of /proc/self.
    let uid = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata("/proc/self").unwrap());
    if uid != 0 {
        missing.push("root, to create a throwaway user with useradd".into());
    }
    if missing.is_empty() {
        return true;
    }
    if std::env::var("CASEBOOK_SKIP_REAL").as_deref() == Ok("1") {
        eprintln!(
            "mailhost: skipped (CASEBOOK_SKIP_REAL=1); missing: {}",
            missing.join(", ")
        );
        return false;
    }
    panic!(
        "the real mail host test needs {}: run `.ci/run` as root (it installs procmail and msmtp-mta), \
         or `apt-get install procmail msmtp-mta`; set CASEBOOK_SKIP_REAL=1 to skip it knowingly",
        missing.join(", ")
    );
}

/// A throwaway local user whose HOME is a temporary folder; removed on drop.
struct MailHost {
    user: String,
    uid: u32,
    gid: u32,
    home: tempfile::TempDir,
}

impl MailHost {
    fn new() -> MailHost {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let user = format!(
            "cbmail{}x{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let home = tempfile::Builder::new()
            .prefix("casebook-mailhost.")
            .tempdir()
            .unwrap();
        let added = Command::new("/usr/sbin/useradd")
            .args(["--no-create-home", "--user-group", "--shell", "/bin/sh"])
            .arg("--home-dir")
            .arg(home.path())
            .arg(&user)
            .output()
            .unwrap();
        assert!(added.status.success(), "useradd {user}: {added:?}");
        let id = |flag: &str| -> u32 {
            let out = Command::new("id").args([flag, &user]).output().unwrap();
            String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
        };
        let host = MailHost {
            uid: id("-u"),
            gid: id("-g"),
            user,
            home,
        };
        host.give(host.home.path());
        host
    }

    fn home(&self) -> &Path {
        self.home.path()
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.home().join(relative)
    }

    /// Hands a file or folder (recursively) to the user.
    fn give(&self, path: &Path) {
        std::os::unix::fs::chown(path, Some(self.uid), Some(self.gid)).unwrap();
        if path.is_dir() {
            for entry in std::fs::read_dir(path).unwrap() {
                self.give(&entry.unwrap().path());
            }
        }
    }

    /// Writes a file of the user's, with `mode`.
    fn write(&self, relative: &str, content: &[u8], mode: u32) -> PathBuf {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        self.give(&path);
        path
    }

    /// A command run as the user, in HOME, with only `env` in its environment.
    fn command(&self, program: &str, env: &[(&str, String)]) -> Command {
        let mut c = Command::new(program);
        c.env_clear()
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .current_dir(self.home())
            .uid(self.uid)
            .gid(self.gid);
        c
    }

    /// What every process of the user gets from a login: HOME, LOGNAME, USER.
    fn login_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("HOME", self.home().display().to_string()),
            ("LOGNAME", self.user.clone()),
            ("USER", self.user.clone()),
        ]
    }

    /// The environment an MTA gives procmail (which keeps only what it sets
    /// itself, so the shipped procmailrc names the database and config).
    fn mta_env(&self) -> Vec<(&'static str, String)> {
        let mut env = self.login_env();
        env.push(("PATH", "/usr/bin:/bin".into()));
        env
    }

    /// procmail's arguments: variable assignments, as an MTA's mailbox
    /// command can pass them, for the test's clock (CASEBOOK_NOW) and any
    /// `extra`. The shipped procmailrc sets neither, so they reach casebook.
    fn procmail_args(extra: &[&str]) -> Vec<String> {
        let mut args = vec![format!("CASEBOOK_NOW={MAIL_ARRIVES}")];
        args.extend(extra.iter().map(|a| a.to_string()));
        args
    }

    /// One delivery through procmail and the user's ~/.procmailrc.
    fn procmail(&self, message: &[u8], extra: &[&str]) -> Output {
        let mut c = self.command("/usr/bin/procmail", &self.mta_env());
        c.args(Self::procmail_args(extra));
        run_with_input(c, message)
    }

    /// casebook as a person at the shell would run it after the install.
    fn casebook(&self, args: &[&str]) -> Output {
        let mut env = self.login_env();
        env.push(("PATH", self.shell_path()));
        env.push(("CASEBOOK_NOW", MAIL_ARRIVES.into()));
        let mut c = self.command(self.path(".cargo/bin/casebook").to_str().unwrap(), &env);
        c.args(args).stdin(Stdio::null());
        c.output().unwrap()
    }

    /// A login PATH with cargo's bin folder, as rustup's installer sets it up.
    fn shell_path(&self) -> String {
        format!("{}:/usr/bin:/bin", self.path(".cargo/bin").display())
    }

    fn database(&self) -> PathBuf {
        self.path(".local/share/casebook/casebook.db")
    }

    /// One integer from the user's database, read as an outside observer.
    fn count(&self, sql: &str) -> i64 {
        let db = rusqlite::Connection::open_with_flags(
            self.database(),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        db.query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

impl Drop for MailHost {
    fn drop(&mut self) {
        // Processes of the user are over (every run above waited for its
        // child); the group made by --user-group goes with the user.
        let _ = Command::new("/usr/sbin/userdel").arg(&self.user).output();
    }
}

fn run_with_input(mut command: Command, input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // procmail reads the whole message before it exits; a closed pipe would
    // only mean it stopped early, which its exit code tells.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The command lines of the README's Install section: its ```sh blocks,
/// up to the next heading.
fn readme_install_lines() -> Vec<String> {
    let readme = std::fs::read_to_string(Env::root().join("README.md")).unwrap();
    let section = &readme[readme.find("\n## Install").expect("README has ## Install") + 1..];
    let section = &section[..section.find("\n#").unwrap_or(section.len())];
    let mut lines = Vec::new();
    let mut in_sh = false;
    for line in section.lines() {
        match line.trim() {
            "```sh" => in_sh = true,
            "```" => in_sh = false,
            l if in_sh && !l.is_empty() && !l.starts_with('#') => lines.push(l.to_string()),
            _ => {}
        }
    }
    lines
}

/// The README's install, as the user, in a copy of the project's samples.
fn install(host: &MailHost) {
    let checkout = host.path("src/casebook");
    copy_tree(&Env::root().join("samples"), &checkout.join("samples"));
    host.give(&host.path("src"));
    let lines = readme_install_lines();
    assert!(
        lines.iter().any(|l| l.starts_with("casebook init")),
        "{lines:?}"
    );
    for line in &lines {
        if line.starts_with("cargo install") {
            // Stands in for `cargo install --path .`, which puts the binary in
            // ~/.cargo/bin: the binary under test is copied there.
            let bin = host.path(".cargo/bin/casebook");
            std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
            crate::common::copy_of_the_binary(&bin);
            host.give(&host.path(".cargo"));
            continue;
        }
        let mut env = host.login_env();
        env.push(("PATH", host.shell_path()));
        env.push(("SHELL", "/bin/sh".into()));
        let mut sh = host.command("/bin/sh", &env);
        sh.args(["-c", line])
            .current_dir(&checkout)
            .stdin(Stdio::null());
        let out = sh.output().unwrap();
        assert!(
            out.status.success(),
            "README install line `{line}`: {}",
            describe(&out)
        );
    }
    // The man pages where the README put them, which man-db finds through
    // PATH (beside ~/.cargo/bin); without man-db, at least the file.
    let page = host.path(".cargo/share/man/man1/casebook-report.1");
    assert!(page.exists(), "{}", page.display());
    if Path::new("/usr/bin/man").exists() {
        let mut env = host.login_env();
        env.push(("PATH", host.shell_path()));
        let mut man = host.command("/usr/bin/man", &env);
        man.args(["-w", "casebook-report"]).stdin(Stdio::null());
        let out = man.output().unwrap();
        assert!(
            out.status.success() && out.stdout.starts_with(page.to_str().unwrap().as_bytes()),
            "man -w casebook-report: {}",
            describe(&out)
        );
    }
    assert!(host
        .path(".local/share/bash-completion/completions/casebook")
        .exists());
    // The README's procmail section: samples/procmailrc is the ~/.procmailrc.
    let procmailrc = std::fs::read(Env::sample("procmailrc")).unwrap();
    host.write(".procmailrc", &procmailrc, 0o644);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The user's msmtp: the host's MTA, relaying everything to the sink.
fn configure_mta(host: &MailHost, sink: &SmtpSink) {
    let rc = format!(
        "# msmtp-mta's /usr/sbin/sendmail relays to the test's loopback sink.\n\
         defaults\nauth off\ntls off\n\
         account sink\nhost 127.0.0.1\nport {}\n\
         account default : sink\n",
        sink.port()
    );
    host.write(".msmtprc", rc.as_bytes(), 0o600);
}

/// The sample messages, in name order.
fn sample_emails() -> Vec<(String, Vec<u8>)> {
    let mut emails: Vec<(String, Vec<u8>)> = std::fs::read_dir(Env::root().join("samples/emails"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    emails.sort();
    assert_eq!(emails.len(), 10, "samples/emails has ten messages");
    emails
}

/// A message as the desk's MTA delivers it: the envelope sender, then its
/// own Authentication-Results (the shipped config's authserv-id) on top.
/// (formail only splits an mbox where a known header follows the `From `
/// line, as Return-Path does in a real mailbox.)
fn forward(from: &str, id: &str, subject: &str, body: &str) -> Vec<u8> {
    let envelope = from
        .rsplit('<')
        .next()
        .unwrap_or(from)
        .trim_end_matches('>');
    let domain = envelope.rsplit('@').next().unwrap_or_default();
    format!(
        "Return-Path: <{envelope}>\n\
         Authentication-Results: mx.northwind-voice.example; dmarc=pass header.from={domain}\n\
         From: {from}\nTo: cases@northwind-voice.example\nSubject: {subject}\n\
         Date: Tue, 24 Nov 2026 08:55:00 -0600\nMessage-ID: <{id}>\n\
         MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}"
    )
    .into_bytes()
}

/// An mbox of `messages`, `From ` lines quoted, as formail splits it.
fn mbox(messages: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in messages {
        out.extend_from_slice(b"From MAILER-DAEMON Tue Nov 24 09:00:00 2026\n");
        for line in String::from_utf8_lossy(m).lines() {
            if line.starts_with("From ") {
                out.push(b'>');
            }
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
        out.push(b'\n');
    }
    out
}

/// One parsed message of the sink: subject, whether it has an HTML part.
struct Arrived {
    to: Vec<String>,
    subject: String,
    has_html: bool,
}

fn arrived(messages: &[Received]) -> Vec<Arrived> {
    messages
        .iter()
        .map(|m| {
            let parsed = MessageParser::default().parse(&m.data).unwrap();
            Arrived {
                to: m.rcpt_to.clone(),
                subject: parsed.subject().unwrap_or_default().to_string(),
                has_html: parsed.html_body_count() > 0
                    && String::from_utf8_lossy(&m.data).contains("text/html"),
            }
        })
        .collect()
}

/// The crontab, read as cron reads it: variable lines and jobs.
struct Crontab {
    variables: Vec<(String, String)>,
    jobs: Vec<Job>,
}

struct Job {
    fields: [String; 5],
    command: String,
}

fn crontab() -> Crontab {
    let text = std::fs::read_to_string(Env::sample("crontab")).unwrap();
    let variable = regex::Regex::new(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$").unwrap();
    let mut tab = Crontab {
        variables: Vec::new(),
        jobs: Vec::new(),
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(c) = variable.captures(line) {
            tab.variables.push((c[1].to_string(), c[2].to_string()));
            continue;
        }
        // Five time fields, then the command to the end of the line.
        let mut rest = line;
        let mut fields: Vec<String> = Vec::new();
        for _ in 0..5 {
            let end = rest.find(char::is_whitespace).expect("five time fields");
            fields.push(rest[..end].to_string());
            rest = rest[end..].trim_start();
        }
        tab.jobs.push(Job {
            fields: fields.try_into().unwrap(),
            command: rest.to_string(),
        });
    }
    tab
}

/// Whether one cron time field (`*`, `*/5`, `8-17`, `1,4`) matches `value`.
fn field_matches(field: &str, value: u32) -> bool {
    field.split(',').any(|part| {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().unwrap()),
            None => (part, 1),
        };
        let (low, high) = match range {
            "*" => (0, u32::MAX),
            r => match r.split_once('-') {
                Some((a, b)) => (a.parse().unwrap(), b.parse().unwrap()),
                None => {
                    let v = r.parse().unwrap();
                    (v, v)
                }
            },
        };
        value >= low && value <= high && (value - low.min(value)).is_multiple_of(step)
    })
}

impl Job {
    /// Whether cron starts this job at local time `at` (day of week 0-6 from
    /// Sunday; 7 is Sunday too). Both day fields restricted at once, where
    /// cron ORs them, does not occur in the sample.
    fn due(&self, at: chrono::NaiveDateTime) -> bool {
        use chrono::{Datelike, Timelike};
        let dow = at.weekday().num_days_from_sunday();
        field_matches(&self.fields[0], at.minute())
            && field_matches(&self.fields[1], at.hour())
            && field_matches(&self.fields[2], at.day())
            && field_matches(&self.fields[3], at.month())
            && (field_matches(&self.fields[4], dow)
                || (dow == 0 && field_matches(&self.fields[4], 7)))
    }

    /// The command cron hands to the shell and its stdin: `\%` is a `%`, an
    /// unescaped `%` ends the command and starts its input.
    fn shell_command(&self) -> (String, String) {
        let mut command = String::new();
        let mut chars = self.command.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek() == Some(&'%') => command.push(chars.next().unwrap()),
                '%' => return (command, chars.collect::<String>().replace('%', "\n")),
                c => command.push(c),
            }
        }
        (command, String::new())
    }
}

/// Runs the jobs cron starts at local time `at` in cron's environment
/// (SHELL=/bin/sh, PATH=/usr/bin:/bin, HOME and LOGNAME from passwd, then the
/// crontab's variable lines), no terminal, in HOME. Returns the commands
/// run; any output is what cron would have mailed to MAILTO, and fails.
fn cron_at(host: &MailHost, tab: &Crontab, at: chrono::NaiveDateTime) -> Vec<String> {
    let mut env = vec![
        ("SHELL", "/bin/sh".to_string()),
        ("PATH", "/usr/bin:/bin".to_string()),
        ("HOME", host.home().display().to_string()),
        ("LOGNAME", host.user.clone()),
    ];
    let mut mailto = host.user.clone();
    for (name, value) in &tab.variables {
        if name == "MAILTO" {
            mailto = value.clone();
        }
        env.retain(|(k, _)| k != name);
        env.push((leak(name), value.clone()));
    }
    // The clock: the crontab's lines are unchanged; cron's environment
    // carries CASEBOOK_NOW as it would carry any variable line.
    let utc = ZONE
        .from_local_datetime(&at)
        .single()
        .unwrap()
        .with_timezone(&Utc);
    env.push(("CASEBOOK_NOW", utc.to_rfc3339()));
    let mut ran = Vec::new();
    for job in tab.jobs.iter().filter(|j| j.due(at)) {
        let (command, input) = job.shell_command();
        let mut sh = host.command("/bin/sh", &env);
        sh.args(["-c", &command]);
        let out = run_with_input(sh, input.as_bytes());
        assert!(
            out.status.success() && out.stdout.is_empty() && out.stderr.is_empty(),
            "at {at} (America/Chicago), `{command}`: cron would have mailed {mailto}:\n{}",
            describe(&out)
        );
        ran.push(command);
    }
    ran
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

#[test]
fn cron_fields_match_as_cron_reads_them() {
    for (field, value, expected) in [
        ("*", 13, true),
        ("*/5", 0, true),
        ("*/5", 35, true),
        ("*/5", 7, false),
        ("8-17", 8, true),
        ("8-17", 17, true),
        ("8-17", 7, false),
        ("1,4", 4, true),
        ("1,4", 2, false),
        ("1-5", 6, false),
        ("30", 30, true),
        ("0-30/10", 20, true),
        ("0-30/10", 25, false),
    ] {
        assert_eq!(field_matches(field, value), expected, "{field} at {value}");
    }
    let job = Job {
        fields: ["30", "2", "*", "*", "*"].map(String::from),
        command: r"backup x-$(date +\%F).db%line one%two".into(),
    };
    assert_eq!(
        job.shell_command(),
        ("backup x-$(date +%F).db".into(), "line one\ntwo".into())
    );
}

#[test]
fn shipped_samples_work_unchanged_on_a_real_mail_host() {
    if !real_host_available() {
        return;
    }
    let host = MailHost::new();
    let sink = SmtpSink::start();
    install(&host);
    configure_mta(&host, &sink);
    let wait = Duration::from_secs(10);

    // Every sample message through procmail: stored, exit 0, each forward
    // acknowledged through /usr/sbin/sendmail (found off procmail's PATH).
    for (name, message) in sample_emails() {
        let out = host.procmail(&message, &[]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", describe(&out));
    }
    assert_eq!(host.count("SELECT count(*) FROM cases"), 10);
    let after_samples = sink.wait_for(9, wait);
    let mail = arrived(&after_samples);
    // An acknowledgement to each staff forwarder (09 and 10 are not forwards
    // by staff), and pmorgan's notification.
    let mut to: Vec<String> = mail
        .iter()
        .filter(|m| m.subject.starts_with("[Case #"))
        .flat_map(|m| m.to.clone())
        .collect();
    to.sort();
    let expected: Vec<String> = [
        "bortiz",
        "dnguyen",
        "jbrennan",
        "kwhitfield",
        "pmorgan",
        "rokafor",
        "salvarez",
        "tbecker",
        "zfontaine",
    ]
    .iter()
    .map(|h| format!("{h}@northwind-voice.example"))
    .collect();
    assert_eq!(to, expected, "{:?}", subjects(&mail));
    // 07's note @mentions pmorgan, who is notified.
    assert!(
        mail.iter()
            .any(|m| m.to.iter().any(|t| t == "pmorgan@northwind-voice.example")),
        "pmorgan's notification: {:?}",
        subjects(&mail)
    );
    assert!(after_samples
        .iter()
        .all(|m| m.mail_from == "cases@northwind-voice.example"));
    assert_eq!(queued(&host), 0, "nothing left in the outbox");

    // The database locked by another writer: 75, nothing stored; the MTA's
    // retry after the lock is gone is stored. The busy timeout is shortened
    // by the MTA's procmail arguments, not the shipped config.
    let late = forward(
        "Daniel Nguyen <dnguyen@northwind-voice.example>",
        "late-1@northwind-voice.example",
        "FW: Two more handsets for Lakeview",
        "Can we add two handsets to the Lakeview quote?\n",
    );
    let short_wait = ["CASEBOOK_BUSY_TIMEOUT_MS=200"];
    {
        let lock = rusqlite::Connection::open(host.database()).unwrap();
        lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let out = host.procmail(&late, &short_wait);
        assert_eq!(out.status.code(), Some(75), "locked: {}", describe(&out));
        let cases: i64 = lock
            .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
            .unwrap();
        assert_eq!(cases, 10, "nothing stored while locked");
        lock.execute_batch("ROLLBACK").unwrap();
    }
    let out = host.procmail(&late, &short_wait);
    assert_eq!(out.status.code(), Some(0), "the retry: {}", describe(&out));
    assert_eq!(host.count("SELECT count(*) FROM cases"), 11);

    // Empty input can never be stored: procmail passes casebook's 65 on.
    let out = host.procmail(b"", &[]);
    assert_eq!(out.status.code(), Some(65), "empty: {}", describe(&out));

    // The MTA refusing for a while: the message is stored (exit 0) and its
    // acknowledgement stays queued for cron's `outbox flush`.
    let before = sink.messages().len();
    sink.fail_at(Some((Stage::RcptTo, 451)));
    let deferred = forward(
        "Ava Price <aprice@northwind-voice.example>",
        "deferred-1@northwind-voice.example",
        "FW: Port request for the Fairhaven front desk",
        "They want to port their main number next month.\n",
    );
    let out = host.procmail(&deferred, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    sink.fail_at(None);
    assert_eq!(queued(&host), 1, "the acknowledgement waits in the outbox");
    assert_eq!(sink.messages().len(), before);

    // A mailbox split by formail, one procmail per message: a customer's
    // reply threads into case 1, a new forward opens case 13.
    let reply = forward(
        "Maria Chen <mchen@contoso-dental.example>",
        "reply-1@contoso-dental.example",
        "Re: Quote for additional phones [Case #1]",
        "From now on please send quotes to me directly.\n",
    );
    let new = forward(
        "Tessa Becker <tbecker@northwind-voice.example>",
        "mbox-2@northwind-voice.example",
        "FW: Savannah office wants a second fax line",
        "Customer asks about a second fax line.\n",
    );
    let mut split = host.command("/usr/bin/formail", &host.mta_env());
    split
        .args(["-s", "/usr/bin/procmail"])
        .args(MailHost::procmail_args(&[]));
    let out = run_with_input(split, &mbox(&[reply, new]));
    assert_eq!(
        out.status.code(),
        Some(0),
        "formail -s procmail: {}",
        describe(&out)
    );
    assert_eq!(host.count("SELECT count(*) FROM cases"), 13);
    assert_eq!(
        host.count("SELECT count(*) FROM messages WHERE case_id = 1 AND direction = 'in'"),
        2,
        "the reply is on case 1"
    );

    // Cron. Thanksgiving (a Thursday, closed in the calendar) at 07:00: the
    // flush sends the deferred acknowledgement, the report sends nothing.
    let tab = crontab();
    let before = sink.messages().len();
    let ran = cron_at(&host, &tab, local(2026, 11, 26, 7, 0));
    assert_eq!(ran.len(), 2, "flush and report: {ran:?}");
    assert!(ran.iter().any(|c| c.contains("report --send")), "{ran:?}");
    let now = sink.wait_for(before + 1, wait);
    let new_mail = arrived(&now[before..]);
    assert!(
        new_mail
            .iter()
            .all(|m| !m.subject.starts_with("Open cases by owner"))
            && new_mail
                .iter()
                .any(|m| m.to == ["aprice@northwind-voice.example"]),
        "only the deferred acknowledgement: {:?}\n{}",
        subjects(&new_mail),
        describe(&host.casebook(&["outbox", "list", "--all"]))
    );
    assert_eq!(queued(&host), 0);

    // The nightly backup, quiet, where the crontab says.
    let ran = cron_at(&host, &tab, local(2026, 11, 30, 2, 30));
    assert!(ran.iter().any(|c| c.contains("backup")), "{ran:?}");
    let backups: Vec<_> = std::fs::read_dir(host.path("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        backups.len() == 1 && backups[0].starts_with("casebook-") && backups[0].ends_with(".db"),
        "{backups:?}"
    );

    // Monday 07:00: the owner report, text with an HTML part, to each
    // [report] recipient; a rerun (or a second cron host) sends nothing.
    let before = sink.messages().len();
    let ran = cron_at(&host, &tab, local(2026, 11, 30, 7, 0));
    assert!(ran.iter().any(|c| c.contains("report --send")), "{ran:?}");
    let now = sink.wait_for(before + 2, wait);
    let reports: Vec<Arrived> = arrived(&now[before..])
        .into_iter()
        .filter(|m| m.subject == "Open cases by owner (2026-11-30)")
        .collect();
    let mut to: Vec<String> = reports.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(
        to,
        [
            "am-team@northwind-voice.example",
            "jlee@northwind-voice.example"
        ]
    );
    assert!(reports.iter().all(|m| m.has_html), "the HTML part");
    let count = sink.messages().len();
    cron_at(&host, &tab, local(2026, 11, 30, 7, 0));
    assert_eq!(sink.messages().len(), count, "one report per day");

    // Monday 08:00: the sweep and the flush, quiet.
    let ran = cron_at(&host, &tab, local(2026, 11, 30, 8, 0));
    assert!(ran.iter().any(|c| c.contains("sweep")), "{ran:?}");
    assert_eq!(queued(&host), 0);

    // The procmailrc's optional recipe, switched on as its comment says
    // (two `#` removed): a message casebook could not take is kept in
    // ~/casebook-not-taken, and the MTA still gets 75.
    let shipped = std::fs::read_to_string(Env::sample("procmailrc")).unwrap();
    let with_copy = shipped.replace("  #:0 c:\n", "  :0 c:\n").replace(
        "  #$HOME/casebook-not-taken\n",
        "  $HOME/casebook-not-taken\n",
    );
    assert_eq!(
        with_copy
            .lines()
            .filter(|l| !shipped.contains(&format!("{l}\n")))
            .count(),
        2,
        "the optional recipe is two commented lines"
    );
    host.write(".procmailrc", with_copy.as_bytes(), 0o644);
    let refused = forward(
        "Hannah Kim <hkim@northwind-voice.example>",
        "refused-1@northwind-voice.example",
        "FW: Billing question while the desk is busy",
        "Kept aside while the database was locked.\n",
    );
    let lock = rusqlite::Connection::open(host.database()).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let out = host.procmail(&refused, &short_wait);
    lock.execute_batch("ROLLBACK").unwrap();
    assert_eq!(out.status.code(), Some(75), "{}", describe(&out));
    let kept = std::fs::read_to_string(host.path("casebook-not-taken")).unwrap();
    assert!(
        kept.contains("Billing question while the desk is busy"),
        "{kept}"
    );
    let db = rusqlite::Connection::open(host.database()).unwrap();
    let mut st = db
        .prepare("SELECT id, subject, coalesce(creator,'-') FROM cases")
        .unwrap();
    let rows: Vec<(i64, String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut st = db
        .prepare("SELECT coalesce(case_id,0), subject FROM messages WHERE direction='in'")
        .unwrap();
    let msgs: Vec<(i64, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    eprintln!("DEBUG cases {rows:#?} msgs {msgs:#?}");
    assert_eq!(host.count("SELECT count(*) FROM cases"), 13);
}

fn subjects(mail: &[Arrived]) -> Vec<String> {
    mail.iter()
        .map(|m| format!("{} -> {}", m.subject, m.to.join(",")))
        .collect()
}

/// How many messages wait in the outbox, as `casebook outbox list` tells the user.
fn queued(host: &MailHost) -> usize {
    let out = host.casebook(&["outbox", "list", "--format", "json"]);
    assert!(out.status.success(), "{}", describe(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "queued")
        .count()
}

/// How many messages each of the stress test's eight delivering processes
/// sends: 25 in `cargo test`, `CASEBOOK_STRESS_MESSAGES=250` for the full run.
fn stress_messages() -> usize {
    std::env::var("CASEBOOK_STRESS_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(25)
}

/// A customer's own mail to the desk, as the MTA delivers it.
fn customer_mail(process: usize, i: usize) -> Vec<u8> {
    format!(
        "Return-Path: <c{process}x{i}@contoso-dental.example>\n\
         From: Customer {process}-{i} <c{process}x{i}@contoso-dental.example>\n\
         To: cases@northwind-voice.example\nSubject: Line {process}-{i} 555-01{i:02} is down\n\
         Date: Tue, 24 Nov 2026 08:55:00 -0600\nMessage-ID: <stress-{process}-{i}@contoso-dental.example>\n\
         MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n\
         Phone 555-01{i:02} stopped working this morning.\n"
    )
    .into_bytes()
}

/// Eight procmail processes deliver at once through the shipped
/// procmailrc while the daily commands (triage, list, sweep, search,
/// outbox flush through the real MTA, backup) run in a loop as the same
/// user: every message is stored exactly once, every delivery exits 0 (or
/// 75, and the MTA's retry is stored), and the database is intact.
#[test]
fn eight_procmail_deliveries_at_once_beside_the_daily_commands() {
    use std::sync::atomic::AtomicBool;
    if !real_host_available() {
        return;
    }
    let host = MailHost::new();
    let sink = SmtpSink::start();
    install(&host);
    configure_mta(&host, &sink);
    let per_process = stress_messages();
    let done = AtomicBool::new(false);
    let retried = AtomicUsize::new(0);
    let rounds = std::thread::scope(|s| {
        let deliveries: Vec<_> = (0..8)
            .map(|p| {
                let (host, retried) = (&host, &retried);
                s.spawn(move || {
                    for i in 0..per_process {
                        let message = customer_mail(p, i);
                        let again = crate::common::deliver_until_stored("procmail", || {
                            host.procmail(&message, &[])
                        });
                        retried.fetch_add(again, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        let daily = s.spawn(|| {
            let backup = host.path("backup.db");
            let mut rounds = 0;
            while !done.load(Ordering::SeqCst) {
                let backup_arg = backup.to_str().unwrap();
                for args in [
                    &["--as", "jlee", "triage"][..],
                    &["list", "--all"],
                    &["sweep", "-q"],
                    &["search", "555-0101"],
                    &["outbox", "flush", "-q"],
                    &["backup", backup_arg],
                ] {
                    let _ = std::fs::remove_file(&backup);
                    let out = host.casebook(args);
                    assert!(
                        matches!(out.status.code(), Some(0) | Some(75)),
                        "{args:?}: {}",
                        describe(&out)
                    );
                }
                rounds += 1;
            }
            rounds
        });
        for d in deliveries {
            d.join().unwrap();
        }
        done.store(true, Ordering::SeqCst);
        daily.join().unwrap()
    });
    assert!(rounds > 0, "the daily commands ran");
    let total = (8 * per_process) as i64;
    let inbound = "FROM messages WHERE direction = 'in' AND message_id LIKE '%stress-%'";
    assert_eq!(host.count(&format!("SELECT count(*) {inbound}")), total);
    assert_eq!(
        host.count(&format!("SELECT count(DISTINCT message_id) {inbound}")),
        total
    );
    assert_eq!(
        host.count("SELECT count(*) FROM cases WHERE subject LIKE 'Line %'"),
        total
    );
    let db = rusqlite::Connection::open(host.database()).unwrap();
    let integrity: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    eprintln!(
        "procmail stress: {total} messages, {} retried after 75, {rounds} rounds of the daily commands",
        retried.load(Ordering::SeqCst)
    );
}
