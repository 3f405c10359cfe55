//! End-to-end tests of `casebook ingest` and `casebook quarantine`.

use crate::common;

use std::io::Write;
use std::process::{Output, Stdio};

use casebook::domain::case::Status;
use casebook::store::{activity, cases};
use common::{seed, Env};
use serde_json::Value;

/// Pipes `raw` into `casebook ingest [extra]`.
fn ingest_with(env: &Env, raw: &[u8], extra: &[&str]) -> Output {
    let mut cmd = env.std_cmd();
    cmd.arg("ingest")
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // A run that fails before reading (a broken config) may close stdin first.
    if let Err(e) = child.stdin.take().unwrap().write_all(raw) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

/// Ingests `raw`, asserts exit 0, returns the outcome line.
fn ingest(env: &Env, raw: &[u8]) -> String {
    let out = ingest_with(env, raw, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "ingest failed\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn sample_email(name: &str) -> Vec<u8> {
    let dir = Env::sample("emails");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name))
        .unwrap_or_else(|| panic!("no sample email {name}"));
    std::fs::read(file).unwrap()
}

fn number(line: &str) -> i64 {
    let hash = line
        .find('#')
        .unwrap_or_else(|| panic!("no #N in {line:?}"));
    line[hash + 1..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap()
}

fn case_json(env: &Env, n: i64) -> Value {
    env.json(&["show", &n.to_string()])
}

fn comments(env: &Env, n: i64) -> Vec<activity::Comment> {
    activity::comments(env.store().db(), common::case(n)).unwrap()
}

/// A plain message from `from` with the given extra headers.
fn mail(from: &str, id: &str, subject: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\nTo: cases@desk.example\nSubject: {subject}\nDate: Mon, 23 Nov 2026 08:00:00 -0500\nMessage-ID: <{id}>\n{extra}\n{body}\n"
    )
    .into_bytes()
}

struct Want {
    file: &'static str,
    contact: &'static str,
    account: Option<&'static str>,
    subject: &'static str,
    category: &'static str,
    priority: &'static str,
    creator: Option<&'static str>,
    note: Option<&'static str>,
    /// When the customer wrote (UTC), where the original carries a zone.
    date: Option<&'static str>,
}

#[test]
fn every_sample_email_becomes_the_case_its_readme_promises() {
    let env = Env::new();
    env.with_samples();
    let wants = [
        Want {
            file: "01",
            contact: "mchen@contoso-dental.example",
            account: Some("Contoso Dental Group"),
            subject: "Quote for additional phones - Elm Street office",
            category: "Equipment Quote",
            priority: "Expedited",
            creator: Some("salvarez"),
            note: Some("Can someone pick this up? They want it before Friday"),
            date: None,
        },
        Want {
            file: "02",
            contact: "bcarver@tidewater-pm.example",
            account: Some("Tidewater Property Management"),
            subject: "Cancel lines at Harbor Pointe leasing office",
            category: "Disconnect in contract",
            priority: "Expedited",
            creator: Some("jbrennan"),
            note: None,
            date: None,
        },
        Want {
            file: "03",
            contact: "jbrooks@summit-ortho.example",
            account: Some("Summit Orthopedic Clinic"),
            subject: "Pricing for Lakeview clinic - new lines + fax",
            category: "New Services Quote",
            priority: "Expedited",
            creator: Some("dnguyen"),
            note: None,
            date: None,
        },
        Want {
            file: "04",
            contact: "lruiz@redwood-family-dentistry.example",
            account: Some("Redwood Family Dentistry"),
            subject: "Name change on our account",
            category: "Company Address or Name Change",
            priority: "Standard",
            creator: Some("kwhitfield"),
            note: Some("Standard is fine"),
            date: None,
        },
        Want {
            file: "05",
            contact: "praman@cobaltridge-cu.example",
            account: Some("Cobalt Ridge Credit Union"),
            subject: "Customer service record request",
            category: "CSR Request",
            priority: "Standard",
            creator: Some("zfontaine"),
            note: None,
            date: Some("2026-11-09T15:21:40+00:00"),
        },
        Want {
            file: "06",
            contact: "cbell@kfl-shipping.example",
            account: Some("Keystone Freight Lines"),
            subject: "Savannah terminal closing - cancel service",
            category: "Disconnect with less than 30 days notice",
            priority: "Expedited",
            creator: Some("tbecker"),
            note: None,
            date: None,
        },
        Want {
            file: "07",
            contact: "ewhitcombe@whitcombe-hale.example",
            account: Some("Whitcombe & Hale LLP"),
            subject: "Third outage in two weeks",
            category: "Red/At-Risk",
            priority: "Expedited",
            creator: Some("bortiz"),
            note: Some("@pmorgan can you call her?"),
            date: Some("2026-11-17T15:52:10+00:00"),
        },
        Want {
            file: "08",
            contact: "dwhitaker@pinecrest-usd.example",
            account: Some("Pinecrest Unified School District"),
            subject: "Texting parents + Teams calling next year",
            category: "New Product Discussion",
            priority: "Standard",
            creator: Some("rokafor"),
            note: None,
            date: None,
        },
        Want {
            file: "09",
            contact: "ncole@beaconhill-law.example",
            account: Some("Beacon Hill Law Group"),
            subject: "Voicemail to email for new associate + after-hours forwarding",
            category: "General Question",
            priority: "Standard",
            creator: None,
            note: None,
            date: Some("2026-11-19T16:15:02+00:00"),
        },
        Want {
            file: "10",
            contact: "dsloan@bayside-it.example",
            account: None,
            subject: "Fax line not receiving",
            category: "General Question",
            priority: "Standard",
            creator: None,
            note: None,
            date: Some("2026-11-23T20:02:37+00:00"),
        },
    ];
    for w in &wants {
        let line = ingest(&env, &sample_email(w.file));
        assert!(line.starts_with("created #"), "{}: {line}", w.file);
        let n = number(&line);
        let c = case_json(&env, n);
        let ctx = format!("sample {}: {c:#}", w.file);
        assert_eq!(c["contact_email"], w.contact, "{ctx}");
        assert_eq!(c["account"].as_str(), w.account, "{ctx}");
        assert_eq!(c["subject"], w.subject, "{ctx}");
        assert_eq!(c["category"], w.category, "{ctx}");
        assert_eq!(c["priority"], w.priority, "{ctx}");
        assert_eq!(c["creator"].as_str(), w.creator, "{ctx}");
        assert_eq!(c["status"], "New", "{ctx}");
        assert_eq!(c["owner"], Value::Null, "{ctx}");
        assert_eq!(c["origin"], "email", "{ctx}");
        assert!(
            !c["description"].as_str().unwrap().trim().is_empty(),
            "{ctx}"
        );
        if let Some(date) = w.date {
            let events = cases::events(env.store().db(), common::case(n)).unwrap();
            let original = events.iter().find(|e| e.field == "original date");
            assert_eq!(original.and_then(|e| e.new.as_deref()), Some(date), "{ctx}");
        }
        let notes = comments(&env, n);
        match (w.creator, w.note) {
            (Some(creator), Some(text)) => {
                assert_eq!(notes.len(), 1, "{ctx}");
                assert_eq!(notes[0].author.as_deref(), Some(creator));
                assert!(!notes[0].public, "the note is internal");
                assert!(
                    notes[0].body.contains(text),
                    "{ctx}\nnote: {}",
                    notes[0].body
                );
                assert!(
                    !notes[0].body.contains("Category:") && !notes[0].body.contains("Priority:"),
                    "commands are not part of the note: {}",
                    notes[0].body
                );
            }
            (None, _) => assert!(notes.is_empty(), "{ctx}: no note from strangers"),
            _ => {}
        }
    }
    // Every forwarded sample keeps its note as an internal comment.
    for n in 1..=8 {
        assert_eq!(comments(&env, n).len(), 1, "case #{n} has its note");
    }
    // The forward of 07 mentions @pmorgan.
    assert_eq!(comments(&env, 7)[0].mentions, vec!["pmorgan".to_string()]);
    // The original message rides along as the case's attachment (07 is forwarded as a file).
    assert_eq!(
        env.count("SELECT count(*) FROM attachments WHERE case_id = 7"),
        1
    );
    // Ten messages, byte for byte.
    assert_eq!(
        env.count("SELECT count(*) FROM messages WHERE direction = 'in'"),
        10
    );
    // Each of the eight forwards from staff (01-08) is acknowledged to its forwarder, and
    // the acknowledgement is kept on the case; strangers and direct mail get none.
    assert_eq!(
        env.count("SELECT count(*) FROM messages WHERE direction = 'out'"),
        8
    );
    let raw: Vec<u8> = env.blob("SELECT raw FROM messages WHERE case_id = 5 AND direction = 'in'");
    assert_eq!(raw, sample_email("05"));
}

#[test]
fn a_message_delivered_twice_makes_one_case() {
    let env = Env::new();
    env.with_samples();
    let raw = sample_email("09");
    assert_eq!(ingest(&env, &raw), "created #1");
    assert_eq!(ingest(&env, &raw), "duplicate of #1");
    // The same Message-ID from another sender is another message.
    let other = String::from_utf8(raw.clone()).unwrap().replace(
        "From: Nathan Cole <ncole@beaconhill-law.example>",
        "From: Someone Else <someone@elsewhere.example>",
    );
    assert_eq!(ingest(&env, other.as_bytes()), "created #2");
    assert_eq!(env.count("SELECT count(*) FROM cases"), 2);
    assert_eq!(env.count("SELECT count(*) FROM messages"), 2);
    // Without a Message-ID, identical bytes are the duplicate.
    let no_id = b"From: x@nowhere.example\nSubject: no id\n\nhello\n";
    assert_eq!(ingest(&env, no_id), "created #3");
    assert_eq!(ingest(&env, no_id), "duplicate of #3");
}

#[test]
fn empty_stdin_exits_65_and_stores_nothing() {
    let env = Env::new();
    for input in [&b""[..], b"\n\n  \r\n"] {
        let out = ingest_with(&env, input, &[]);
        assert_eq!(out.status.code(), Some(65));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("no message on stdin"), "{err}");
    }
    env.ok(&["init"]);
    assert_eq!(env.count("SELECT count(*) FROM messages"), 0);
    assert_eq!(env.count("SELECT count(*) FROM quarantine"), 0);
}

#[test]
fn a_locked_database_exits_75_and_the_retry_creates_the_case_once() {
    let env = Env::new();
    env.with_samples();
    let raw = sample_email("01");
    let lock = rusqlite::Connection::open(&env.db).unwrap();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut cmd = env.std_cmd();
    cmd.env("CASEBOOK_BUSY_TIMEOUT_MS", "100")
        .arg("ingest")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(&raw).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{err}");
    assert!(err.contains("locked"), "{err}");
    lock.execute_batch("ROLLBACK").unwrap();
    drop(lock);
    assert_eq!(env.count("SELECT count(*) FROM messages"), 0);
    assert_eq!(env.count("SELECT count(*) FROM cases"), 0);
    assert_eq!(ingest(&env, &raw), "created #1");
    assert_eq!(ingest(&env, &raw), "duplicate of #1");
    assert_eq!(env.count("SELECT count(*) FROM cases"), 1);
}

#[test]
fn a_broken_config_exits_75_so_the_mta_retries_after_the_fix() {
    let env = Env::new();
    let raw = sample_email("09");
    std::fs::write(&env.config, "[desk\nreopen_window_days = 14\n").unwrap();
    let out = ingest_with(&env, &raw, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{err}");
    assert!(
        err.contains("MTA retries it") && err.contains("line 1"),
        "{err}"
    );
    // Bulk import and the other commands are run by hand: a plain error.
    env.fails(&["list"], 1);
    // Fixed, the retried delivery makes its case.
    std::fs::write(&env.config, "[mail]\ntransport = \"none\"\n").unwrap();
    assert!(ingest(&env, &raw).starts_with("created #1"));
}

#[test]
fn an_unwritable_database_directory_exits_75() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let raw = sample_email("09");
    // A database whose folder cannot be created (its parent is a file).
    let blocker = env.write("blocker", "not a folder");
    let out = {
        let mut cmd = env.std_cmd();
        cmd.env("CASEBOOK_DB", blocker.join("sub/casebook.db"))
            .arg("ingest")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child.stdin.take().unwrap().write_all(&raw).unwrap();
        child.wait_with_output().unwrap()
    };
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{err}");
    // A read-only folder (only meaningful when not running as root).
    let ro = env.path("ro");
    std::fs::create_dir_all(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
    let probe = std::fs::write(ro.join("probe"), "x").is_ok();
    if !probe {
        let mut cmd = env.std_cmd();
        cmd.env("CASEBOOK_DB", ro.join("casebook.db"))
            .arg("ingest")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child.stdin.take().unwrap().write_all(&raw).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(75),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700)).unwrap();
}

#[test]
fn replies_thread_by_tag_reference_and_our_own_ids() {
    let env = Env::new();
    env.with_team();
    let first = mail(
        "Ann Acme <ann@acme-dental.example>",
        "first@acme-dental.example",
        "Our fax is down",
        "",
        "The fax line stopped working.",
    );
    assert_eq!(ingest(&env, &first), "created #1");
    // A subject tag, under reply noise in any case and spacing.
    let tagged = mail(
        "ann@acme-dental.example",
        "r1@acme-dental.example",
        "AW: RE: [case # 1] Our fax is down",
        "",
        "Still down.",
    );
    let explained = ingest_with(&env, &tagged, &["--dry-run", "--explain"]);
    let text = String::from_utf8_lossy(&explained.stdout);
    assert!(
        text.contains("thread:        by subject tag [Case #1] → #1 (New)"),
        "{text}"
    );
    assert_eq!(ingest(&env, &tagged), "appended to #1");
    // In-Reply-To an inbound message we keep.
    let reply = mail(
        "ann@acme-dental.example",
        "r2@acme-dental.example",
        "Re: Our fax is down",
        "In-Reply-To: <r1@acme-dental.example>\n",
        "Any news?",
    );
    let explained = ingest_with(&env, &reply, &["--dry-run", "--explain"]);
    let text = String::from_utf8_lossy(&explained.stdout);
    assert!(
        text.contains(
            "by In-Reply-To/References: <r1@acme-dental.example> is a stored message of #1"
        ),
        "{text}"
    );
    assert_eq!(ingest(&env, &reply), "appended to #1");
    // Our own <case-N@domain> in References (no stored message needed).
    let ours = mail(
        "ann@acme-dental.example",
        "r3@acme-dental.example",
        "Re: something else",
        "References: <unknown@x.example> <case-1@localhost>\n",
        "Answering your mail.",
    );
    let explained = ingest_with(&env, &ours, &["--dry-run", "--explain"]);
    let text = String::from_utf8_lossy(&explained.stdout);
    assert!(
        text.contains("thread:        by our reference <case-1@localhost> → #1"),
        "{text}"
    );
    assert!(
        text.contains("status:        customer reply: stays New"),
        "{text}"
    );
    assert_eq!(ingest(&env, &ours), "appended to #1");
    // An outbound message stored by the outbox threads too.
    env.seed().message(
        common::case(1),
        casebook::domain::states::MessageDirection::Out,
        "sent-1@localhost",
        "cases@localhost",
        "",
        seed::at(0),
    );
    let to_sent = mail(
        "ann@acme-dental.example",
        "r4@acme-dental.example",
        "Re: your question",
        "In-Reply-To: <sent-1@localhost>\n",
        "Yes.",
    );
    assert_eq!(ingest(&env, &to_sent), "appended to #1");
    // A tag for a case that does not exist is ignored.
    let bogus = mail(
        "ann@acme-dental.example",
        "r5@acme-dental.example",
        "[Case #99] hello",
        "",
        "New question.",
    );
    assert_eq!(ingest(&env, &bogus), "created #2");
    assert_eq!(
        env.count("SELECT count(*) FROM messages WHERE case_id = 1"),
        6
    );
    let events = cases::events(env.store().db(), common::case(1)).unwrap();
    assert_eq!(
        events.iter().filter(|e| e.field == "inbound mail").count(),
        4,
        "{events:?}"
    );
}

fn set_status(env: &Env, n: i64, status: &str, closed_days_ago: Option<i64>) {
    let now = chrono::DateTime::parse_from_rfc3339(common::NOW)
        .unwrap()
        .to_utc();
    let status: Status = status.parse().unwrap();
    let closed_at = closed_days_ago.map(|d| now - chrono::Duration::days(d));
    env.seed().status(common::case(n), status, closed_at);
}

#[test]
fn customer_replies_wake_waiting_cases_and_reopen_or_follow_up_closed_ones() {
    let env = Env::new();
    env.with_team();
    let open = |id: &str| {
        mail(
            "Ann Acme <ann@acme-dental.example>",
            id,
            "Question",
            "",
            "Hello",
        )
    };
    let reply = |id: &str, n: i64| {
        mail(
            "ann@acme-dental.example",
            id,
            &format!("Re: [Case #{n}] Question"),
            "",
            "Here are the details.",
        )
    };
    assert_eq!(ingest(&env, &open("a@x")), "created #1");
    set_status(&env, 1, "Waiting for Details", None);
    assert_eq!(ingest(&env, &reply("a2@x", 1)), "appended to #1");
    let c = case_json(&env, 1);
    assert_eq!(c["status"], "Waiting for Support");
    assert_eq!(c["prior_status"], "Waiting for Details");
    assert!(c["last_inbound_at"].is_string());
    let events = cases::events(env.store().db(), common::case(1)).unwrap();
    assert!(events.iter().any(|e| e.field == "status"
        && e.old.as_deref() == Some("Waiting for Details")
        && e.new.as_deref() == Some("Waiting for Support")));

    // Staff mail into a waiting case does not wake it.
    set_status(&env, 1, "On Hold", None);
    let staff = common::vouched(&mail(
        "amy@desk.example",
        "s1@x",
        "[Case #1] note",
        "",
        "internal",
    ));
    assert_eq!(ingest(&env, &staff), "appended to #1");
    assert_eq!(case_json(&env, 1)["status"], "On Hold");

    // Closed within the window: reopened.
    assert_eq!(ingest(&env, &open("b@x")), "created #2");
    set_status(&env, 2, "Closed", Some(3));
    assert_eq!(ingest(&env, &reply("b2@x", 2)), "appended to #2 (reopened)");
    let c = case_json(&env, 2);
    assert_eq!(c["status"], "In Progress");
    assert_eq!(c["closed_at"], Value::Null);
    assert!(c["last_inbound_at"].is_string());

    // Closed beyond the window: a new case linked to the old one.
    assert_eq!(ingest(&env, &open("c@x")), "created #3");
    set_status(&env, 3, "Closed No Response", Some(30));
    assert_eq!(
        ingest(&env, &reply("c2@x", 3)),
        "created #4 (follows up closed #3)"
    );
    let c = case_json(&env, 4);
    assert_eq!(c["linked_case"], 3);
    assert_eq!(c["subject"], "Question");
    assert_eq!(case_json(&env, 3)["status"], "Closed No Response");
}

#[test]
fn auto_generated_mail_never_opens_a_case() {
    let env = Env::new();
    env.with_team();
    assert_eq!(
        ingest(
            &env,
            &mail("ann@acme-dental.example", "o@x", "Fax", "", "hi")
        ),
        "created #1"
    );
    let signals: &[(&str, &str)] = &[
        ("[Case #1] Fax", "Auto-Submitted: auto-replied\n"),
        ("Re: [Case #1] Fax", "Precedence: bulk\n"),
        ("Automatic reply: [Case #1] Fax", ""),
        ("Out of Office: Fax", "X-Autoreply: yes\n"),
        ("hello", "X-Auto-Response-Suppress: All\n"),
        ("hello", "X-Loop: cases@localhost\n"),
        ("hello", "Return-Path: <>\n"),
        (
            "Delivery report",
            "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n",
        ),
    ];
    for (i, (subject, header)) in signals.iter().enumerate() {
        let raw = mail(
            "ann@acme-dental.example",
            &format!("auto{i}@x"),
            subject,
            header,
            "--b\nContent-Type: text/plain\n\nI am away.\n--b--",
        );
        let line = ingest(&env, &raw);
        let want = if subject.contains("[Case #1]") {
            "kept auto-reply on #1"
        } else {
            "kept auto-reply (no case)"
        };
        assert_eq!(line, want, "{subject} / {header}");
    }
    let daemon = mail(
        "MAILER-DAEMON@mx.example",
        "bounce@x",
        "failure notice",
        "",
        "x",
    );
    assert_eq!(ingest(&env, &daemon), "kept auto-reply (no case)");
    assert_eq!(env.count("SELECT count(*) FROM cases"), 1);
    assert_eq!(
        env.count("SELECT count(*) FROM messages WHERE auto_reason IS NOT NULL"),
        9
    );
    // Nothing changed on the case but its history.
    assert_eq!(case_json(&env, 1)["status"], "New");
    // --explain says which signal decided.
    let out = ingest_with(
        &env,
        &mail("a@b.example", "z@x", "hello", "Precedence: junk\n", "x"),
        &["--dry-run", "--explain"],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("auto-generated: yes: Precedence: junk"),
        "{text}"
    );
}

#[test]
fn strangers_commands_are_ignored_and_bad_values_are_said_in_the_note() {
    let env = Env::new();
    env.with_team();
    let stranger = mail(
        "Zed <zed@unknown.example>",
        "st@x",
        "Help",
        "",
        "Priority: expedited\nAccount: Acme Dental\n\nOur phones are odd.",
    );
    let n = number(&ingest(&env, &stranger));
    let c = case_json(&env, n);
    assert_eq!(c["priority"], "Standard");
    assert_eq!(c["category"], "General Question");
    assert_eq!(c["account"], Value::Null);
    assert_eq!(c["creator"], Value::Null);

    let forward = common::vouched(&mail(
        "Amy Chen <amy@desk.example>",
        "fw@x",
        "Fwd: Lines",
        "",
        "Priority: urgent\nCategory: Whatever\nAccount: Nobody Inc\nType: Integration\n\nPlease look.\n\n---------- Forwarded message ---------\nFrom: Dan Dune <dan@dune-freight.example>\nDate: Mon, 16 Nov 2026 at 10:00\nSubject: Lines\nTo: Amy <amy@desk.example>\n\nWe need two more lines, pricing please.\n",
    ));
    let n = number(&ingest(&env, &forward));
    let c = case_json(&env, n);
    assert_eq!(c["contact_email"], "dan@dune-freight.example");
    assert_eq!(c["account"], "Dune Freight");
    assert_eq!(c["creator"], "amy");
    assert_eq!(c["type"], "Integration");
    assert_eq!(c["category"], "New Services Quote", "by keyword rule");
    assert_eq!(c["priority"], "Expedited");
    let note = &comments(&env, n)[0].body;
    assert!(note.starts_with("Please look."), "{note}");
    for bad in [
        "Priority: urgent",
        "Category: Whatever",
        "Account: Nobody Inc",
    ] {
        assert!(note.contains(bad), "{bad} is reported: {note}");
    }
}

#[test]
fn dry_run_explains_and_stores_nothing() {
    let env = Env::new();
    env.with_samples();
    let out = ingest_with(&env, &sample_email("07"), &["--dry-run", "--explain"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "duplicate:     no",
        "auto-generated: no",
        "thread:        none",
        "forward:       rfc822 forward from the known person `bortiz`",
        "contact:       Eleanor Whitcombe <ewhitcombe@whitcombe-hale.example>",
        "account:       Whitcombe & Hale LLP by the `Account:` note command",
        "category:      Red/At-Risk by the `Category:` note command",
        "priority:      Expedited by the `Priority:` note command",
        "owner:         the queue; triage gives it to `pmorgan`",
        "created #1 (dry run: nothing stored)",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    assert_eq!(env.count("SELECT count(*) FROM cases"), 0);
    assert_eq!(env.count("SELECT count(*) FROM messages"), 0);
    let out = ingest_with(&env, &sample_email("02"), &["--dry-run", "--explain"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("by keyword rule") && text.contains("\"early termination\""),
        "{text}"
    );
}

#[test]
fn oversized_and_headerless_mail_is_quarantined_then_retried_or_dropped() {
    let env = Env::new();
    env.with_samples();
    env.write("config.toml", "[desk]\nmax_message_bytes = 1000\n");
    let big = sample_email("01");
    let line = ingest(&env, &big);
    assert!(
        line.starts_with("quarantined Q1: over the size limit"),
        "{line}"
    );
    // Re-delivery does not hold it twice.
    assert!(ingest(&env, &big).starts_with("quarantined Q1:"));
    let junk = b"this is not an email at all\n";
    assert_eq!(
        ingest(&env, junk),
        "quarantined Q2: no usable headers (From, Subject, Message-ID, Date)"
    );
    assert_eq!(env.count("SELECT count(*) FROM quarantine"), 2);
    let list = env.ok(&["quarantine", "list"]);
    assert!(list.contains("Q1") && list.contains("Q2"), "{list}");
    let shown = env.run(&["quarantine", "show", "Q1", "--raw"]);
    assert_eq!(shown.stdout, big);
    // Retry after the limit is raised: the message becomes a case.
    env.write("config.toml", "[desk]\nmax_message_bytes = 100000\n");
    // (A re-delivery after the change would have done the same and released Q3.)
    let other = String::from_utf8(big.clone())
        .unwrap()
        .replace("Message-ID: <", "Message-ID: <other-");
    env.write("config.toml", "[desk]\nmax_message_bytes = 1000\n");
    assert!(ingest(&env, other.as_bytes()).starts_with("quarantined Q3:"));
    env.write("config.toml", "[desk]\nmax_message_bytes = 100000\n");
    assert_eq!(ingest(&env, other.as_bytes()), "created #1");
    let q3 = env.json(&["quarantine", "list", "--all"]);
    assert_eq!(q3[2]["status"], "released", "{q3}");
    assert_eq!(q3[2]["case"], "#1");
    let out = env.ok(&["quarantine", "retry", "Q1"]);
    assert_eq!(out.trim(), "Q1: created #2");
    assert_eq!(case_json(&env, 2)["category"], "Equipment Quote");
    let all = env.json(&["quarantine", "list", "--all"]);
    assert_eq!(all[0]["status"], "released");
    assert_eq!(all[0]["case"], "#2");
    env.fails(&["quarantine", "retry", "Q1"], 1);
    // A retry that fails again keeps it held.
    let out = env.ok(&["quarantine", "retry", "2"]);
    assert!(out.contains("quarantined Q2"), "{out}");
    env.ok(&["quarantine", "drop", "Q2"]);
    let err = env.fails(&["quarantine", "drop", "Q2"], 1);
    assert!(err.contains("dropped already"), "{err}");
    // Dropped is marked, never deleted.
    assert_eq!(env.count("SELECT count(*) FROM quarantine"), 3);
    assert_eq!(env.ok(&["quarantine", "list"]).trim(), "");
}

#[test]
fn attachments_are_listed_and_written_out() {
    let env = Env::new();
    let raw = b"From: Zed <zed@unknown.example>\nSubject: see attached\nMessage-ID: <att@x>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain\n\nPlease see the files.\n--XX\nContent-Type: application/pdf; name=\"../../inv.pdf\"\nContent-Disposition: attachment; filename=\"../../inv.pdf\"\nContent-Transfer-Encoding: base64\n\naGVsbG8gcGRm\n--XX\nContent-Type: text/csv; name=\"lines.csv\"\nContent-Disposition: attachment; filename=\"lines.csv\"\n\na,b\n1,2\n--XX--\n";
    assert_eq!(ingest(&env, raw), "created #1");
    let rows: Vec<(String, String, i64)> = env
        .rows("SELECT name, content_type, size FROM attachments WHERE case_id = 1 ORDER BY id")
        .into_iter()
        .map(|r| {
            let text = |i: usize| r[i].clone().unwrap();
            (text(0), text(1), text(2).parse().unwrap())
        })
        .collect();
    assert_eq!(rows[0], ("inv.pdf".into(), "application/pdf".into(), 9));
    assert_eq!(rows[1].0, "lines.csv");
    let out = env.run(&["show", "1", "--attachment", "1"]);
    assert!(out.status.success());
    assert_eq!(out.stdout, b"hello pdf");
    assert!(String::from_utf8_lossy(&out.stderr).contains("inv.pdf"));
    let out = env.run(&["show", "#1", "--attachment", "2"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "a,b\n1,2");
    let err = env.fails(&["show", "1", "--attachment", "3"], 1);
    assert!(err.contains("has 2 attachment(s)"), "{err}");
}

#[test]
fn html_only_and_foreign_charset_mail_gets_readable_text() {
    let env = Env::new();
    let html = b"From: a@b.example\nSubject: html\nMessage-ID: <h@x>\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>Hello <b>desk</b></p><p>Line&nbsp;two</p></body></html>\n";
    ingest(&env, html);
    let d = case_json(&env, 1)["description"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(d.contains("Hello desk") && !d.contains("<p>"), "{d}");
    let latin = b"From: a@b.example\nSubject: =?ISO-8859-1?Q?Gr=FC=DFe?=\nMessage-ID: <l@x>\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nSch=F6ne Gr=FC=DFe\n";
    ingest(&env, latin);
    let c = case_json(&env, 2);
    assert_eq!(c["subject"], "Grüße");
    assert!(c["description"].as_str().unwrap().contains("Schöne Grüße"));
}

fn generated(i: usize, who: &str) -> String {
    format!(
        "From: Customer {i} <c{i}@{who}.example>\nTo: cases@desk.example\nSubject: Question {i} from {who}\nDate: Mon, 23 Nov 2026 08:00:00 -0500\nMessage-ID: <{who}-{i}@gen.example>\n\nHello, this is message {i}.\n"
    )
}

#[test]
fn two_procmail_deliveries_at_once_store_every_message_exactly_once() {
    let env = Env::new();
    env.ok(&["init"]);
    // A private copy of the binary: the shared target folder may be rebuilt meanwhile.
    let bin = env.path("casebook-under-test");
    common::copy_of_the_binary(&bin);
    let per_process = 300;
    let handles: Vec<_> = ["left", "right"]
        .into_iter()
        .map(|who| {
            let cmd_env: Vec<(String, String)> = env
                .std_cmd()
                .get_envs()
                .filter_map(|(k, v)| {
                    Some((
                        k.to_string_lossy().into_owned(),
                        v?.to_string_lossy().into_owned(),
                    ))
                })
                .collect();
            let dir = env.dir.path().to_path_buf();
            let bin = bin.clone();
            std::thread::spawn(move || {
                let mut codes = Vec::new();
                for i in 0..per_process {
                    let mut c = std::process::Command::new(&bin);
                    c.env_clear()
                        .envs(cmd_env.iter().cloned())
                        .current_dir(&dir)
                        .arg("ingest")
                        .stdin(Stdio::piped())
                        .stdout(Stdio::piped())
                        .stderr(Stdio::piped());
                    let mut child = c.spawn().unwrap();
                    let _ = child
                        .stdin
                        .take()
                        .unwrap()
                        .write_all(generated(i, who).as_bytes());
                    let out = child.wait_with_output().unwrap();
                    // Every tenth message is delivered twice (an MTA retry).
                    if i % 10 == 0 {
                        let mut c2 = std::process::Command::new(&bin);
                        c2.env_clear()
                            .envs(cmd_env.iter().cloned())
                            .current_dir(&dir)
                            .arg("ingest")
                            .stdin(Stdio::piped())
                            .stdout(Stdio::null())
                            .stderr(Stdio::piped());
                        let mut child = c2.spawn().unwrap();
                        let _ = child
                            .stdin
                            .take()
                            .unwrap()
                            .write_all(generated(i, who).as_bytes());
                        let again = child.wait_with_output().unwrap();
                        codes.push((
                            again.status.code(),
                            String::from_utf8_lossy(&again.stderr).into_owned(),
                        ));
                    }
                    codes.push((
                        out.status.code(),
                        String::from_utf8_lossy(&out.stderr).into_owned(),
                    ));
                }
                codes
            })
        })
        .collect();
    for h in handles {
        for (code, err) in h.join().unwrap() {
            assert_eq!(code, Some(0), "{err}");
        }
    }
    assert_eq!(env.count("SELECT count(*) FROM cases"), 600);
    assert_eq!(env.count("SELECT count(*) FROM messages"), 600);
    assert_eq!(
        env.count("SELECT count(DISTINCT message_id) FROM messages"),
        600
    );
}

#[test]
fn two_mbox_imports_at_once_store_every_message_exactly_once() {
    let env = Env::new();
    env.ok(&["init"]);
    let mut paths = Vec::new();
    for who in ["north", "south"] {
        let mut mbox = String::new();
        for i in 0..400 {
            mbox.push_str(&format!(
                "From c{i}@{who}.example Mon Nov 23 08:00:00 2026\n{}\n",
                generated(i, who)
            ));
        }
        // Both files also carry the same 50 shared messages.
        for i in 0..50 {
            mbox.push_str(&format!(
                "From c{i}@shared.example Mon Nov 23 08:00:00 2026\n{}\n",
                generated(i, "shared")
            ));
        }
        paths.push(env.write(&format!("{who}.mbox"), &mbox));
    }
    let children: Vec<_> = paths
        .iter()
        .map(|p| {
            env.std_cmd()
                .args(["ingest", "--mbox", p.to_str().unwrap()])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut created = 0;
    let mut duplicates = 0;
    for c in children {
        let out = c.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let num = |label: &str| -> usize {
            let i = text
                .find(label)
                .unwrap_or_else(|| panic!("{label} in {text}"));
            text[..i]
                .trim_end()
                .rsplit(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        assert_eq!(num("message(s)"), 450, "{text}");
        created += num("created");
        duplicates += num("duplicate(s)");
    }
    assert_eq!(created, 850);
    assert_eq!(duplicates, 50);
    assert_eq!(env.count("SELECT count(*) FROM cases"), 850);
    assert_eq!(env.count("SELECT count(*) FROM messages"), 850);
}

#[test]
fn a_maildir_imports_with_a_summary() {
    let env = Env::new();
    for (i, sub) in ["cur", "new", ".Sub/cur", "tmp"].iter().enumerate() {
        env.write(&format!("md/{sub}/{i}.msg"), &generated(i, "maildir"));
    }
    let out = env.ok(&[
        "ingest",
        "--maildir",
        env.path("md").to_str().unwrap(),
        "--verbose",
    ]);
    assert!(
        out.ends_with("3 message(s): 3 created, 0 appended, 0 duplicate(s), 0 auto-generated, 0 quarantined\n"),
        "{out}"
    );
    assert_eq!(
        out.lines().filter(|l| l.starts_with("created #")).count(),
        3
    );
}

#[test]
fn keyword_rules_come_from_the_config() {
    let env = Env::new();
    env.write(
        "config.toml",
        "[desk]\ntag_prefix = \"Ticket\"\n\n[[rules]]\ncategory = \"Red/At-Risk\"\nkeywords = [\"fax line\"]\n\n[[rules]]\ncategory = \"Billing\"\nkeywords = [\"invoice\"]\npriority = \"P3\"\n",
    );
    let out = env.ok(&["config", "show"]);
    assert!(
        out.contains("[[rules]]") && out.contains("fax line"),
        "{out}"
    );
    let fax = mail("a@b.example", "f@x", "Fax line broken", "", "help");
    assert_eq!(ingest(&env, &fax), "created #1");
    let c = case_json(&env, 1);
    assert_eq!(c["category"], "Red/At-Risk");
    assert_eq!(c["priority"], "Expedited");
    let inv = mail("a@b.example", "i@x", "Question", "", "About the invoice.");
    ingest(&env, &inv);
    let c = case_json(&env, 2);
    assert_eq!(
        (c["category"].as_str(), c["priority"].as_str()),
        (Some("Billing"), Some("P3"))
    );
    // The built-in rules are replaced: "quote" no longer means New Services Quote.
    ingest(&env, &mail("a@b.example", "q@x", "A quote please", "", "x"));
    assert_eq!(case_json(&env, 3)["category"], "General Question");
    // The configured tag prefix threads.
    let reply = mail(
        "a@b.example",
        "r@x",
        "Re: [Ticket #1] Fax line broken",
        "",
        "still",
    );
    assert_eq!(ingest(&env, &reply), "appended to #1");
}

#[test]
fn bulk_import_sends_mail_only_when_asked() {
    let samples = Env::root().join("samples/emails/01-outlook-equipment-quote.eml");
    let mail = std::fs::read_to_string(samples).unwrap();
    let mbox = format!("From x@y Mon Nov 23 10:00:00 2026\n{mail}\n");
    for (flag, acks) in [(None, 0), (Some("--send-mail"), 1)] {
        let env = Env::new();
        env.with_samples();
        let path = env.write("in.mbox", &mbox);
        let mut args = vec!["ingest", "--mbox", path.to_str().unwrap()];
        args.extend(flag);
        env.ok(&args);
        assert_eq!(
            env.count("SELECT count(*) FROM outbox WHERE kind = 'ack'"),
            acks,
            "{flag:?}"
        );
    }
}

#[test]
fn a_broken_search_index_never_stops_mail_from_being_stored() {
    let env = Env::new();
    env.with_samples();
    // Break the full-text index the way a damaged file could (a fault from
    // outside, so raw SQL on the file).
    rusqlite::Connection::open(&env.db)
        .unwrap()
        .execute_batch("DROP TABLE cases_fts_data")
        .unwrap();
    let mbox: String = (0..120)
        .map(|i| {
            format!(
                "From x@y Mon Nov 23 09:00:00 2026\nFrom: Maria Chen <mchen@contoso-dental.example>\n\
                 Subject: Request {i}\nMessage-ID: <broken-fts-{i}@contoso-dental.example>\n\nHello.\n\n"
            )
        })
        .collect();
    let path = env.write("many.mbox", &mbox);
    let out = env.run(&["ingest", "--mbox", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("search index could not be updated"),
        "{stderr}"
    );
    let one = ingest(
        &env,
        b"From: Maria Chen <mchen@contoso-dental.example>\nSubject: One more\nMessage-ID: <broken-fts-x@contoso-dental.example>\n\nHi\n",
    );
    assert!(one.starts_with("created #121"), "{one}");
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), 121);
    // The failure is not hidden: search says so.
    let err = env.fails(&["search", "request"], 1);
    assert!(err.contains("cases_fts"), "{err}");
}

#[test]
fn escape_sequences_from_mail_never_reach_a_terminal() {
    let env = Env::new();
    env.with_samples();
    // OSC 0 (window title) and OSC 52 (clipboard) in an encoded subject, a
    // clear-screen and a lone CR in the sender's name, BEL in the body.
    let raw = "From: =?utf-8?q?Evil=1B[2J=1B[HCorp=0Doverprint?= <evil@unknown.example>\n\
               To: cases@desk.example\n\
               Subject: =?utf-8?q?Hello=1B]0;pwned=07_and_=1B]52;c;ZXZpbA=3D=3D=1B=5C?=\n\
               Message-ID: <esc-1@unknown.example>\n\n\
               Ring\u{7} the bell\u{1b}[31m red\n";
    assert_eq!(ingest(&env, raw.as_bytes()), "created #1");
    let terminal_safe = |what: &str, out: &str| {
        for bad in ['\u{1b}', '\u{7}', '\u{9b}'] {
            assert!(!out.contains(bad), "{what} printed {bad:?}: {out:?}");
        }
        assert!(
            !out.replace("\r\n", "\n").contains('\r'),
            "{what} printed a lone CR: {out:?}"
        );
    };
    for args in [
        vec!["list"],
        vec!["show", "1"],
        vec!["list", "--format", "csv"],
        vec!["search", "hello"],
    ] {
        let out = env.ok(&args);
        terminal_safe(&args.join(" "), &out);
    }
    let shown = env.ok(&["show", "1"]);
    assert!(shown.contains("\\x1b]0;pwned\\x07"), "{shown}");
    // JSON escapes them its own way, and keeps the data.
    let json = env.json(&["show", "1"]);
    assert!(json["subject"]
        .as_str()
        .unwrap()
        .contains("\u{1b}]0;pwned\u{7}"));
}

#[test]
fn a_disconnect_asked_for_within_30_days_is_short_notice() {
    let env = Env::new();
    env.with_samples();
    let disconnect = |id: &str, when: &str| {
        format!(
            "From: Dan Dune <dan@dune-freight.example>\nTo: cases@desk.example\n\
             Subject: Lines\nMessage-ID: <{id}@dune-freight.example>\n\
             Date: Mon, 2 Nov 2026 10:00:00 -0600\n\n\
             Please disconnect all lines {when}. We are out of contract.\n"
        )
    };
    let cases = [
        (
            "d1",
            "by November 15th",
            "Disconnect with less than 30 days notice",
            "Expedited",
        ),
        (
            "d2",
            "effective Dec 1",
            "Disconnect with less than 30 days notice",
            "Expedited",
        ),
        (
            "d3",
            "on December 3",
            "Disconnect out of contract",
            "Standard",
        ),
        ("d4", "soon", "Disconnect out of contract", "Standard"),
    ];
    for (i, (id, when, category, priority)) in cases.iter().enumerate() {
        assert_eq!(
            ingest(&env, disconnect(id, when).as_bytes()),
            format!("created #{}", i + 1)
        );
        let c = case_json(&env, i as i64 + 1);
        assert_eq!(
            (c["category"].as_str(), c["priority"].as_str()),
            (Some(*category), Some(*priority)),
            "{when}"
        );
    }
}

/// `mails` as one mbox: a postmark before each, `From ` body lines escaped.
fn mbox_of(mails: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for mail in mails {
        out.extend_from_slice(b"From x@y Mon Nov 23 10:00:00 2026\n");
        for line in mail.split_inclusive(|&b| b == b'\n') {
            if line.starts_with(b"From ") {
                out.push(b'>');
            }
            out.extend_from_slice(line);
        }
        out.extend_from_slice(b"\n");
    }
    out
}

#[test]
fn an_import_decides_each_message_as_a_delivery_of_it_would() {
    // The import reads each message on a second thread (and works out a
    // stranger's new case there): every step it explains must be the one a
    // delivery of the same message explains, for staff forwards, direct
    // staff mail, strangers and a reply.
    let mut mails: Vec<Vec<u8>> = std::fs::read_dir(Env::root().join("samples/emails"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    mails.sort();
    mails.push(b"From: Maria Chen <mchen@contoso-dental.example>\nSubject: Re: [Case #1] thanks\nMessage-ID: <reply-1@contoso-dental.example>\n\nThanks.\n".to_vec());
    let delivered = Env::new();
    delivered.with_samples();
    let one_by_one: Vec<Value> = mails
        .iter()
        .map(|m| {
            let out = ingest_with(&delivered, m, &["--explain", "--format", "json"]);
            assert_eq!(out.status.code(), Some(0), "{out:?}");
            serde_json::from_slice(&out.stdout).unwrap()
        })
        .collect();
    let imported = Env::new();
    imported.with_samples();
    let path = imported.path("all.mbox");
    std::fs::write(&path, mbox_of(&mails)).unwrap();
    let out = imported.ok(&[
        "ingest",
        "--mbox",
        path.to_str().unwrap(),
        "--send-mail",
        "--explain",
        "--format",
        "json",
    ]);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        mails.len() + 1,
        "each decision, then the summary"
    );
    for (i, (alone, in_import)) in one_by_one.iter().zip(&lines).enumerate() {
        assert_eq!(alone, in_import, "message {i}");
    }
    let kinds: Vec<&str> = one_by_one
        .iter()
        .map(|d| d["outcome"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"created") && kinds.contains(&"appended"),
        "{kinds:?}"
    );
}

#[test]
fn a_message_that_fails_in_the_middle_of_an_import_is_held_and_the_rest_kept_whole() {
    // An import writes a batch without a savepoint per message; when one
    // fails halfway (here its raw copy cannot be stored, after its case
    // was), the batch is rolled back and done again message by message.
    let env = Env::new();
    let boom = "CREATE TRIGGER boom BEFORE INSERT ON messages WHEN NEW.subject = 'boom' \
                BEGIN SELECT RAISE(ABORT, 'no room for boom'); END";
    match &env.pg {
        Some(url) => {
            let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
            client
                .batch_execute(
                    "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN \
                       IF NEW.subject = 'boom' THEN RAISE EXCEPTION 'no room for boom'; END IF; \
                       RETURN NEW; END $$ LANGUAGE plpgsql; \
                     CREATE TRIGGER boom BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION boom();",
                )
                .unwrap();
        }
        None => rusqlite::Connection::open(&env.db)
            .unwrap()
            .execute_batch(boom)
            .unwrap(),
    }
    let mail = |subject: &str| {
        format!("From: Ann <ann@acme.example>\nSubject: {subject}\nMessage-ID: <{subject}@acme.example>\n\nHello.\n").into_bytes()
    };
    let mails = [mail("first"), mail("second"), mail("boom"), mail("last")];
    let path = env.path("in.mbox");
    std::fs::write(&path, mbox_of(&mails)).unwrap();
    let out = env.ok(&["ingest", "--mbox", path.to_str().unwrap(), "--verbose"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[..2], ["created #1", "created #2"], "{out}");
    assert!(
        lines[2].starts_with("quarantined Q1: error while classifying")
            && lines[2].contains("no room for boom"),
        "{out}"
    );
    assert_eq!(lines[3], "created #3", "{out}");
    assert!(lines[4].contains("4 message(s): 3 created"), "{out}");
    assert_eq!(env.count("SELECT count(*) FROM cases"), 3);
    assert_eq!(env.count("SELECT count(*) FROM messages"), 3);
    assert_eq!(
        env.count("SELECT count(*) FROM cases WHERE subject = 'boom'"),
        0
    );
    assert_eq!(env.count("SELECT count(*) FROM quarantine"), 1);
    // A second run changes nothing: each is a duplicate or held already.
    let again = env.ok(&["ingest", "--mbox", path.to_str().unwrap()]);
    assert!(again.contains("4 message(s): 0 created"), "{again}");
}
