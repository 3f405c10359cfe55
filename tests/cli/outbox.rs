//! End-to-end tests of outgoing mail: the outbox, its transports (`file:` and SMTP
//! on loopback), `reply`, acknowledgements, notifications and reports.

use crate::common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::smtp_sink::SmtpSink;
use casebook::config::Config;
use casebook::ctx::Ctx;
use casebook::desk::notify::{self, Notice};
use casebook::domain::case::{NewCase, Status};
use casebook::render::Format;
use casebook::store::cases;
use common::{seed, Env, NOW};
use mail_parser::{MessageParser, MimeHeaders};

const DESK: &str = "[desk]\ningest_address = \"cases@desk.example\"\ndomain = \"desk.example\"\n";

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(NOW).unwrap().to_utc()
}

/// An environment with the small team, mail written to `mail/` as .eml files.
fn file_env() -> (Env, PathBuf) {
    let env = Env::new();
    let mail = env.path("mail");
    std::fs::create_dir_all(&mail).unwrap();
    set_transport(&env, &format!("file:{}", mail.display()));
    env.with_team();
    (env, mail)
}

fn set_transport(env: &Env, transport: &str) {
    env.write(
        "config.toml",
        &format!("{DESK}\n[mail]\ntransport = \"{transport}\"\n"),
    );
}

/// Case #N for Acme Dental, contact Ann, created by amy, owned by paige.
fn seed_case(env: &Env, contact: Option<&str>) -> i64 {
    let seed = env.seed();
    let account = seed.account_id("Acme Dental");
    let mut c = NewCase::new("Printer on fire", now() - chrono::Duration::hours(3));
    c.account_id = Some(account);
    c.contact_name = Some("Ann Acme".into());
    c.contact_email = contact.map(String::from);
    c.creator = Some("amy".into());
    c.origin = "email".into();
    let n = seed.case(&c);
    seed.owner(n, "paige");
    seed.message(
        n,
        casebook::domain::states::MessageDirection::In,
        &format!("orig-{n}@acme-dental.example"),
        "ann@acme-dental.example",
        "Printer on fire",
        seed::at(0),
    );
    n.get()
}

/// The .eml files written so far, parsed-ready, by recipient.
fn emls(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

fn to_of(raw: &[u8]) -> String {
    let m = MessageParser::default().parse(raw).unwrap();
    m.to()
        .unwrap()
        .first()
        .unwrap()
        .address()
        .unwrap()
        .to_string()
}

/// The one message to `address`.
fn mail_to(all: &[Vec<u8>], address: &str) -> Vec<u8> {
    let found: Vec<&Vec<u8>> = all.iter().filter(|r| to_of(r) == address).collect();
    assert_eq!(found.len(), 1, "messages to {address}: {}", found.len());
    found[0].clone()
}

fn header(raw: &[u8], name: &str) -> Option<String> {
    MessageParser::default()
        .parse(raw)
        .unwrap()
        .header_raw(name)
        .map(|v| v.trim().to_string())
}

fn body(raw: &[u8]) -> String {
    MessageParser::default()
        .parse(raw)
        .unwrap()
        .body_text(0)
        .unwrap()
        .replace("\r\n", "\n")
}

fn assert_loop_safe(raw: &[u8], auto: &str) {
    assert_eq!(header(raw, "Auto-Submitted").as_deref(), Some(auto));
    assert_eq!(header(raw, "Precedence").as_deref(), Some("bulk"));
    assert_eq!(header(raw, "X-Loop").as_deref(), Some("cases@desk.example"));
    assert_eq!(
        header(raw, "X-Auto-Response-Suppress").as_deref(),
        Some("All")
    );
    let refs = header(raw, "References").unwrap();
    assert!(refs.contains("<case-1@desk.example>"), "{refs}");
    let id = header(raw, "Message-ID").unwrap();
    assert!(id.ends_with("@desk.example>"), "{id}");
}

/// A context in this test process on the environment's files, for the seams other
/// commands call (acknowledge, case_changed, queue_mail).
fn lib_ctx(env: &Env) -> Ctx {
    Ctx::new(
        Config::load(&env.config, true).unwrap(),
        env.config.clone(),
        env.location(),
        Some("amy".into()),
        now(),
        Format::Table,
        false,
    )
}

fn outbox_json(env: &Env) -> Vec<serde_json::Value> {
    env.json(&["outbox", "list", "--all"])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn reply_mails_the_contact_with_an_attachment_and_records_the_contact() {
    let (env, mail) = file_env();
    let n = seed_case(&env, Some("ann@acme-dental.example"));
    let pdf = env.write("quote.pdf", "%PDF-1.4 not really\n");
    let out = env.ok_as(
        "amy",
        &[
            "reply",
            &n.to_string(),
            "--body",
            "Hello Ann,\n\nthe quote is attached.\n",
            "--attach",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(
        out.starts_with("emailed ann@acme-dental.example on #1 <"),
        "{out}"
    );

    let all = emls(&mail);
    assert_eq!(all.len(), 2, "the reply and the owner's notification");
    let reply = mail_to(&all, "ann@acme-dental.example");
    // A person's mail: no machine markers (see sop_rules::a_reply_is_a_persons_mail_*).
    assert_eq!(header(&reply, "Auto-Submitted"), None);
    assert_eq!(
        header(&reply, "X-Loop").as_deref(),
        Some("cases@desk.example")
    );
    let parsed = MessageParser::default().parse(&reply[..]).unwrap();
    assert_eq!(parsed.subject(), Some("[Case #1] Re: Printer on fire"));
    let from = parsed.from().unwrap().first().unwrap();
    assert_eq!(from.address(), Some("cases@desk.example"));
    assert_eq!(from.name(), Some("Amy Chen via Case Desk"));
    assert_eq!(
        header(&reply, "In-Reply-To").as_deref(),
        Some("<orig-1@acme-dental.example>")
    );
    assert!(body(&reply).starts_with("Hello Ann,\n\nthe quote is attached."));
    let attachment = parsed.attachment(0).expect("an attachment");
    assert_eq!(attachment.attachment_name(), Some("quote.pdf"));
    assert_eq!(attachment.contents(), b"%PDF-1.4 not really\n");

    // The owner hears about it; the actor (amy, the creator) does not.
    let note = mail_to(&all, "paige@desk.example");
    assert_loop_safe(&note, "auto-generated");
    let text = body(&note);
    assert!(
        text.starts_with("emailed the contact ann@acme-dental.example; status: New → In Progress\n  by Amy Chen (amy)"),
        "{text}"
    );
    assert!(text.contains("the quote is attached"), "{text}");

    // Kept on the case, logged as contact, and the case moved on.
    let row = env.rows(
        "SELECT direction, message_id FROM messages WHERE case_id = 1 AND subject LIKE '%Re:%'",
    );
    let (direction, kept_id) = (row[0][0].clone().unwrap(), row[0][1].clone().unwrap());
    assert_eq!(direction, "out");
    let store = env.store();
    let conn = store.db();
    assert_eq!(
        header(&reply, "Message-ID").unwrap(),
        format!("<{kept_id}>")
    );
    let attempts = casebook::store::activity::attempts(conn, common::case(1)).unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(
        (attempts[0].method.as_str(), attempts[0].outcome.as_str()),
        ("email", "sent")
    );
    let case = cases::get(conn, common::case(1)).unwrap().unwrap();
    assert_eq!(case.status.label(), "In Progress");
    assert_eq!(case.first_contact_at, Some(now()));
    assert_eq!(case.last_contact_at, Some(now()));
    let events = cases::events(conn, common::case(1)).unwrap();
    assert!(events
        .iter()
        .any(|e| e.field == "status" && e.new.as_deref() == Some("In Progress")));

    let rows = outbox_json(&env);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["status"] == "sent"), "{rows:?}");
}

#[test]
fn reply_refuses_a_case_without_contact_email_and_an_empty_body() {
    let (env, mail) = file_env();
    let n = seed_case(&env, None).to_string();
    let err = env.fails(&["--as", "amy", "reply", &n, "--body", "hi"], 1);
    assert!(err.contains("has no contact email"), "{err}");

    let m = seed_case(&env, Some("ann@acme-dental.example")).to_string();
    let err = env.fails(&["--as", "amy", "reply", &m, "--body", "  \n "], 1);
    assert!(err.contains("is empty: nothing was sent"), "{err}");
    let empty = env.write("empty.txt", "\n");
    env.fails(
        &[
            "--as",
            "amy",
            "reply",
            &m,
            "--body-file",
            empty.to_str().unwrap(),
        ],
        1,
    );

    env.seed().status(m.parse().unwrap(), Status::Closed, None);
    let err = env.fails(&["--as", "amy", "reply", &m, "--body", "hi"], 1);
    assert!(err.contains("is `Closed`: reopen it first"), "{err}");
    let own = seed_case(&env, Some("cases@desk.example")).to_string();
    let err = env.fails(&["--as", "amy", "reply", &own, "--body", "hi"], 1);
    assert!(err.contains("our own address"), "{err}");

    assert!(emls(&mail).is_empty());
    assert!(outbox_json(&env).is_empty());
}

#[test]
fn reply_from_the_editor_and_an_untouched_editor_aborts() {
    let (env, mail) = file_env();
    let n = seed_case(&env, Some("ann@acme-dental.example")).to_string();
    let writes = env.write(
        "editor.sh",
        "#!/bin/sh\nprintf 'Dear Ann,\\n#1 is fixed.\\n' >> \"$1\"\n",
    );
    let keeps = env.write("keep.sh", "#!/bin/sh\nexit 0\n");
    for script in [&writes, &keeps] {
        std::process::Command::new("chmod")
            .arg("+x")
            .arg(script)
            .status()
            .unwrap();
    }
    let out = env
        .cmd()
        .env("EDITOR", &keeps)
        .args(["--as", "amy", "reply", &n])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the reply is empty"));
    assert!(emls(&mail).is_empty());

    env.cmd()
        .env("EDITOR", &writes)
        .args(["--as", "amy", "reply", &n])
        .assert()
        .success();
    let reply = mail_to(&emls(&mail), "ann@acme-dental.example");
    assert_eq!(body(&reply), "Dear Ann,\n#1 is fixed.\n");
}

#[test]
fn acknowledgement_notifications_and_report_go_out_through_flush() {
    let (env, mail) = file_env();
    let n = seed_case(&env, Some("ann@acme-dental.example"));
    let ctx = lib_ctx(&env);
    let store = ctx.store().unwrap();
    let case = cases::get(store.db(), common::case(n)).unwrap().unwrap();
    store
        .write(|tx| -> anyhow::Result<()> {
            notify::acknowledge(&ctx.desk(tx), &case, "amy@desk.example")?;
            // A comment by bob mentioning sam: owner, creator and the mentioned.
            notify::case_changed(
                &ctx.desk(tx),
                &Notice {
                    case: &case,
                    actor: Some("bob"),
                    change: "comment added".into(),
                    also: vec!["sam".into()],
                    note: Some("@sam can you check the toner?".into()),
                    quiet: Vec::new(),
                },
            )?;
            // An escalation-style notice by the system naming the RM.
            notify::case_changed(
                &ctx.desk(tx),
                &Notice {
                    case: &case,
                    actor: None,
                    change: "status: Waiting for Account Manager → Waiting for Management".into(),
                    also: vec!["jlee".into()],
                    note: None,
                    quiet: Vec::new(),
                },
            )?;
            notify::queue_mail(
                &ctx.desk(tx),
                casebook::domain::states::OutboxKind::Report,
                None,
                &["jlee@desk.example".into()],
                "Open cases by owner",
                "1 open case",
                Some("<p>1 open case</p>"),
            )?;
            Ok(())
        })
        .unwrap();
    // Nothing was delivered in this process: cron's flush sends it all.
    assert!(emls(&mail).is_empty());
    let out = env.ok(&["outbox", "flush"]);
    assert_eq!(out.matches("sent").count(), 8, "{out}");
    let all = emls(&mail);
    assert_eq!(all.len(), 8);

    let acks: Vec<&Vec<u8>> = all
        .iter()
        .filter(|r| header(r, "Auto-Submitted").as_deref() == Some("auto-replied"))
        .collect();
    assert_eq!(acks.len(), 1);
    let ack = acks[0];
    assert_eq!(to_of(ack), "amy@desk.example");
    assert_loop_safe(ack, "auto-replied");
    assert_eq!(
        header(ack, "Subject").as_deref(),
        Some("[Case #1] Printer on fire")
    );
    let text = body(ack);
    assert!(text.contains("Owner:     Paige Davies (paige)"), "{text}");
    assert!(text.contains("keep \"[Case #1]\""), "{text}");

    let to_sam = mail_to(&all, "sam@desk.example");
    assert!(body(&to_sam).contains("@sam can you check the toner?"));
    assert!(body(&to_sam).starts_with("comment added\n  by Bob Ortiz (bob)"));
    // The escalation went to the RM, the owner and the creator.
    let to_jlee: Vec<&Vec<u8>> = all
        .iter()
        .filter(|r| to_of(r) == "jlee@desk.example")
        .collect();
    assert_eq!(to_jlee.len(), 2, "the escalation and the report");
    let report = to_jlee
        .iter()
        .find(|r| header(r, "Subject").as_deref() == Some("Open cases by owner"))
        .unwrap();
    let parsed = MessageParser::default().parse(&report[..]).unwrap();
    assert_eq!(parsed.body_html(0).as_deref(), Some("<p>1 open case</p>"));
    assert_eq!(header(report, "References"), None);
    // Owner paige: the comment and the escalation; creator amy: the ack, the comment and the escalation.
    assert_eq!(
        all.iter()
            .filter(|r| to_of(r) == "paige@desk.example")
            .count(),
        2
    );
    assert_eq!(
        all.iter()
            .filter(|r| to_of(r) == "amy@desk.example")
            .count(),
        3
    );

    // A second flush has nothing to do.
    let again = env.run(&["outbox", "flush"]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing due"));
    assert_eq!(emls(&mail).len(), 8);
}

#[test]
fn reply_over_smtp_arrives_at_a_loopback_server() {
    let sink = SmtpSink::start();
    let env = Env::new();
    set_transport(&env, &sink.transport_url());
    env.with_team();
    let n = seed_case(&env, Some("ann@acme-dental.example")).to_string();
    env.ok_as("bob", &["reply", &n, "--body", "Calling you at 3."]);
    let got = sink.wait_for(3, Duration::from_secs(10));
    assert_eq!(got.len(), 3, "reply, owner, creator");
    let mut rcpts: Vec<String> = got.iter().map(|m| m.rcpt_to.join(",")).collect();
    rcpts.sort();
    assert_eq!(
        rcpts,
        [
            "amy@desk.example",
            "ann@acme-dental.example",
            "paige@desk.example"
        ]
    );
    assert!(got.iter().all(|m| m.mail_from == "cases@desk.example"));
    let reply = got
        .iter()
        .find(|m| m.rcpt_to == ["ann@acme-dental.example"])
        .unwrap();
    assert_eq!(
        header(&reply.data, "Auto-Submitted"),
        None,
        "a person's mail"
    );
    assert_eq!(body(&reply.data), "Calling you at 3.\n");
}

#[test]
fn the_smtp_password_comes_from_the_environment_or_the_password_file() {
    let sink = SmtpSink::start();
    let env = Env::new();
    let url = format!("smtp://desk@desk.example@{}?tls=none", sink.addr);
    env.with_team();
    let n = seed_case(&env, Some("ann@acme-dental.example")).to_string();

    // From the file named in the config.
    let secret = env.write("smtp-password", "from file\n");
    env.write(
        "config.toml",
        &format!(
            "{DESK}\n[mail]\ntransport = \"{url}\"\nsmtp_password_file = \"{}\"\n",
            secret.display()
        ),
    );
    env.ok_as("sam", &["reply", &n, "--body", "one"]);
    let got = sink.wait_for(3, Duration::from_secs(10));
    assert!(got
        .iter()
        .all(|m| m.auth == Some(("desk@desk.example".into(), "from file".into()))));

    // The environment wins over the file.
    env.cmd()
        .env("CASEBOOK_SMTP_PASSWORD", "from env")
        .args(["--as", "sam", "reply", &n, "--body", "two"])
        .assert()
        .success();
    let got = sink.wait_for(6, Duration::from_secs(10));
    assert_eq!(got.len(), 6);
    assert!(got[3..]
        .iter()
        .all(|m| m.auth == Some(("desk@desk.example".into(), "from env".into()))));
}

#[test]
fn two_flushes_at_once_deliver_each_message_exactly_once() {
    let sink = SmtpSink::start();
    let env = Env::new();
    set_transport(&env, &sink.transport_url());
    env.with_team();
    let ctx = lib_ctx(&env);
    let to: Vec<String> = (0..24).map(|i| format!("r{i}@desk.example")).collect();
    ctx.store()
        .unwrap()
        .write(|tx| {
            notify::queue_mail(
                &ctx.desk(tx),
                casebook::domain::states::OutboxKind::Report,
                None,
                &to,
                "Report",
                "text",
                None,
            )
        })
        .unwrap();
    let flushes: Vec<std::process::Child> = (0..3)
        .map(|_| {
            env.std_cmd()
                .args(["outbox", "flush"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut f in flushes {
        assert!(f.wait().unwrap().success());
    }
    let got = sink.wait_for(24, Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(sink.messages().len(), 24);
    let mut rcpts: Vec<String> = got.iter().map(|m| m.rcpt_to.join(",")).collect();
    rcpts.sort();
    rcpts.dedup();
    assert_eq!(rcpts.len(), 24, "each recipient exactly once");
    let sent = env.json(&["outbox", "list", "--status", "sent"]);
    assert_eq!(sent.as_array().unwrap().len(), 24);
    assert!(sent.as_array().unwrap().iter().all(|r| r["attempts"] == 1));
}

#[test]
fn a_failing_transport_keeps_mail_queued_and_a_later_flush_sends_it_once() {
    let sink = SmtpSink::start();
    let refused = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let env = Env::new();
    set_transport(&env, &format!("smtp://127.0.0.1:{refused}?tls=none"));
    env.with_team();
    let n = seed_case(&env, Some("ann@acme-dental.example")).to_string();
    let out = env
        .cmd()
        .args(["--as", "amy", "reply", &n, "--body", "Hello"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("queued the reply to ann@acme-dental.example on #1"),
        "{stdout}"
    );
    assert!(stderr.contains("stays queued"), "{stderr}");

    let rows = env.json(&["outbox", "list"]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2, "the reply and paige's notification");
    for r in rows {
        assert_eq!(r["status"], "queued");
        assert_eq!(r["attempts"], 1);
        assert!(r["last_error"].as_str().unwrap().contains("SMTP"), "{r}");
        assert_eq!(r["next_attempt_at"], "2026-11-23T14:01:00Z");
    }
    // Still inside the back-off: nothing is due.
    set_transport(&env, &sink.transport_url());
    env.ok(&["outbox", "flush"]);
    assert!(sink.messages().is_empty());

    let mut later = Env::new();
    later.share_database_of(&env);
    later.config = env.config.clone();
    later.now = "2026-11-23T14:02:00Z".into();
    let out = later.ok(&["outbox", "flush"]);
    assert_eq!(out.matches("sent").count(), 2, "{out}");
    let quiet = later.run(&["outbox", "flush", "--quiet"]);
    assert!(quiet.status.success() && quiet.stdout.is_empty() && quiet.stderr.is_empty());
    assert_eq!(sink.wait_for(2, Duration::from_secs(10)).len(), 2);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(sink.messages().len(), 2, "each message exactly once");
    let rows = later.json(&["outbox", "list", "--status", "sent"]);
    assert_eq!(rows.as_array().unwrap().len(), 2);
}

#[test]
fn a_permanent_refusal_ends_the_message_as_failed() {
    let sink = SmtpSink::start_failing(common::smtp_sink::Stage::RcptTo, 550);
    let env = Env::new();
    set_transport(&env, &sink.transport_url());
    env.with_team();
    let n = seed_case(&env, Some("ann@acme-dental.example")).to_string();
    let out = env
        .cmd()
        .args(["--as", "amy", "reply", &n, "--body", "Hello"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("failed for good"));
    let rows = env.json(&["outbox", "list", "--status", "failed"]);
    assert_eq!(rows.as_array().unwrap().len(), 2);
    // `retry` queues it again; the server now accepts.
    sink.fail_at(None);
    let out = env.ok(&["outbox", "retry", "1"]);
    assert!(out.contains("queued message 1"), "{out}");
    assert_eq!(sink.wait_for(1, Duration::from_secs(10)).len(), 1);
    assert_eq!(env.json(&["outbox", "show", "1"])["status"], "sent");
}

#[test]
fn transport_none_records_what_was_not_sent() {
    let env = Env::new();
    set_transport(&env, "none");
    env.with_team();
    let n = seed_case(&env, Some("ann@acme-dental.example")).to_string();
    let out = env.ok_as("amy", &["reply", &n, "--body", "Hello"]);
    assert_eq!(
        out,
        "kept the reply to ann@acme-dental.example on #1 as outbox message 1, not sent: mail.transport is `none`: not delivered\n"
    );
    let rows = outbox_json(&env);
    assert!(rows
        .iter()
        .all(|r| r["status"] == "dropped" && r["last_error"].as_str().unwrap().contains("`none`")));
}

#[test]
fn outbox_list_show_and_drop() {
    let env = Env::new();
    set_transport(&env, "smtp://127.0.0.1:1?tls=none");
    env.with_team();
    let n = seed_case(&env, Some("ann@acme-dental.example")).to_string();
    env.cmd()
        .args(["--as", "amy", "reply", &n, "--body", "Hello"])
        .assert()
        .success();

    let table = env.ok(&["outbox", "list"]);
    let header_line = table.lines().next().unwrap();
    for col in [
        "id", "status", "kind", "case", "to", "subject", "tries", "next try", "error",
    ] {
        assert!(header_line.contains(col), "{col} in {header_line}");
    }
    assert!(table.contains("ann@acme-dental.example"), "{table}");
    assert!(table.contains(" #1 "), "{table}");
    // Times show in the business calendar's zone: 14:01 UTC is 09:01 in New York.
    assert!(table.contains("2026-11-23 09:01"), "{table}");

    let json = env.json(&["outbox", "list"]);
    let first = &json[0];
    assert_eq!(first["id"], 1);
    assert_eq!(first["kind"], "reply");
    assert_eq!(first["case"], 1);
    assert_eq!(first["subject"], "[Case #1] Re: Printer on fire");
    assert_eq!(first["created_at"], "2026-11-23T14:00:00Z");

    let csv = env.ok(&["outbox", "list", "--format", "csv"]);
    assert!(csv.starts_with("id,status,kind,case,recipient,subject,attempts,next_attempt_at,last_error,created_at,sent_at,message_id\n"), "{csv}");

    let shown = env.ok(&["outbox", "show", "1"]);
    assert!(
        shown.contains("recipient     ann@acme-dental.example"),
        "{shown}"
    );
    assert!(shown.contains("X-Loop: cases@desk.example"), "{shown}");
    let shown = env.json(&["outbox", "show", "1"]);
    assert_eq!(shown["status"], "queued");
    assert!(shown["raw"].as_str().unwrap().contains("Hello"));
    let raw = env.ok(&["outbox", "show", "1", "--raw"]);
    assert!(raw.contains("\r\nX-Loop: cases@desk.example\r\n"), "{raw}");
    assert!(
        !raw.contains("Auto-Submitted"),
        "a reply is a person's mail: {raw}"
    );

    let out = env.ok_as("amy", &["outbox", "drop", "1"]);
    assert_eq!(out, "dropped message 1 to ann@acme-dental.example\n");
    let shown = env.json(&["outbox", "show", "1"]);
    assert_eq!(shown["status"], "dropped");
    assert!(shown["last_error"]
        .as_str()
        .unwrap()
        .starts_with("dropped by amy"));
    let err = env.fails(&["outbox", "drop", "1"], 1);
    assert!(
        err.contains("only queued or failed messages can be dropped"),
        "{err}"
    );
    let err = env.fails(&["outbox", "show", "99"], 1);
    assert!(err.contains("no outgoing message `99`"), "{err}");
    assert_eq!(
        env.json(&["outbox", "list", "--all", "--case", "1"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(env
        .json(&["outbox", "list", "--all", "--case", "2"])
        .as_array()
        .unwrap()
        .is_empty());
    // The default listing hides dropped mail; --all shows it.
    assert_eq!(env.json(&["outbox", "list"]).as_array().unwrap().len(), 1);
    assert_eq!(outbox_json(&env).len(), 2);
}

/// What makes the loop safe without ingest: the inbound layer judges every message we
/// send automatic (our X-Loop, Auto-Submitted), and both it and an answer to it
/// thread back to the case by tag, References and the Message-ID kept on the case.
#[test]
fn our_mail_is_recognised_as_ours_and_answers_thread_back() {
    use casebook::mail::{autoreply, parse, thread};
    let (env, mail) = file_env();
    let n = seed_case(&env, Some("ann@acme-dental.example"));
    let ctx = lib_ctx(&env);
    let store = ctx.store().unwrap();
    let case = cases::get(store.db(), common::case(n)).unwrap().unwrap();
    store
        .write(|tx| notify::acknowledge(&ctx.desk(tx), &case, "amy@desk.example"))
        .unwrap();
    env.ok(&["outbox", "flush"]);
    env.ok_as("bob", &["reply", "1", "--body", "Hello"]);
    let all = emls(&mail);
    assert_eq!(all.len(), 4, "ack, reply, notifications to paige and amy");
    for raw in &all {
        let inbound = parse::parse(raw).unwrap();
        let why = autoreply::auto_generated(&inbound, "cases@desk.example");
        assert!(why.is_some(), "not judged automatic: {}", inbound.subject);
        assert_eq!(
            thread::case_tag(&inbound.subject, "Case"),
            Some(common::case(1))
        );
        assert_eq!(
            thread::case_reference(&inbound.references, "desk.example"),
            Some(common::case(1))
        );
    }

    // The customer answers our reply: no robot headers, threads by In-Reply-To.
    let reply = mail_to(&all, "ann@acme-dental.example");
    let reply_id = header(&reply, "Message-ID").unwrap();
    let refs = header(&reply, "References").unwrap();
    let answer = format!(
        "From: Ann Acme <ann@acme-dental.example>\r\nTo: cases@desk.example\r\nSubject: Re: Printer on fire\r\nMessage-ID: <answer-1@acme-dental.example>\r\nIn-Reply-To: {reply_id}\r\nReferences: {refs} {reply_id}\r\nDate: Mon, 23 Nov 2026 15:00:00 +0000\r\n\r\nThanks!\r\n"
    );
    let inbound = parse::parse(answer.as_bytes()).unwrap();
    assert_eq!(
        autoreply::auto_generated(&inbound, "cases@desk.example"),
        None
    );
    assert_eq!(
        thread::case_reference(&inbound.references, "desk.example"),
        Some(common::case(1))
    );
    let kept = env.count(&format!(
        "SELECT case_id FROM messages WHERE direction = 'out' AND message_id = '{}'",
        inbound.in_reply_to[0].replace('\'', "''")
    ));
    assert_eq!(kept, 1);
}

/// Our own acknowledgement fed back into ingest creates nothing and sends nothing;
/// nor does an out-of-office answer to it.
#[test]
fn our_own_mail_fed_back_to_ingest_creates_nothing() {
    let (env, mail) = file_env();
    let n = seed_case(&env, Some("ann@acme-dental.example"));
    let ctx = lib_ctx(&env);
    let store = ctx.store().unwrap();
    let case = cases::get(store.db(), common::case(n)).unwrap().unwrap();
    store
        .write(|tx| notify::acknowledge(&ctx.desk(tx), &case, "amy@desk.example"))
        .unwrap();
    env.ok(&["outbox", "flush"]);
    let ack = emls(&mail).pop().unwrap();
    let before = outbox_json(&env).len();

    let ingest = |raw: &[u8]| {
        let out = env
            .cmd()
            .arg("ingest")
            .write_stdin(raw.to_vec())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    ingest(&ack);
    let ack_id = header(&ack, "Message-ID").unwrap();
    let ooo = format!(
        "From: Amy Chen <amy@desk.example>\r\nTo: cases@desk.example\r\nSubject: Automatic reply: [Case #1] Printer on fire\r\nMessage-ID: <ooo-1@desk.example>\r\nIn-Reply-To: {ack_id}\r\nAuto-Submitted: auto-replied\r\nDate: Mon, 23 Nov 2026 14:05:00 +0000\r\n\r\nI am out of the office.\r\n"
    );
    ingest(ooo.as_bytes());
    let count = env.count("SELECT count(*) FROM cases");
    assert_eq!(count, 1, "no new case");
    assert_eq!(outbox_json(&env).len(), before, "nothing new to send");
}

#[test]
fn a_message_that_keeps_failing_is_given_up_after_three_days() {
    let env = Env::new();
    let missing = env.path("no/such/dir");
    set_transport(&env, &format!("file:{}", missing.display()));
    env.with_team();
    let n = seed_case(&env, Some("ann@acme-dental.example")).to_string();
    env.cmd()
        .args(["--as", "paige", "reply", &n, "--body", "Hello"])
        .assert()
        .success();
    let row = env.json(&["outbox", "show", "1"]);
    assert_eq!(row["status"], "queued");
    assert!(row["last_error"]
        .as_str()
        .unwrap()
        .contains("cannot write message file"));

    let mut later = Env::new();
    later.share_database_of(&env);
    later.config = env.config.clone();
    later.now = "2026-11-23T15:00:00Z".into();
    let quiet = later.run(&["outbox", "flush", "-q"]);
    assert!(quiet.status.success() && quiet.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&quiet.stderr);
    assert!(
        stderr
            .starts_with("casebook: mail 1 to ann@acme-dental.example stays queued: cannot write"),
        "{stderr}"
    );
    let row = later.json(&["outbox", "show", "1"]);
    assert_eq!(
        (row["status"].as_str(), row["attempts"].as_i64()),
        (Some("queued"), Some(2))
    );
    assert_eq!(row["next_attempt_at"], "2026-11-23T15:05:00Z");

    later.now = "2026-11-27T15:00:00Z".into();
    later.ok(&["outbox", "flush"]);
    let row = later.json(&["outbox", "show", "1"]);
    assert_eq!(row["status"], "failed");
    let why = row["last_error"].as_str().unwrap();
    assert!(
        why.starts_with("gave up after 3 attempts over 3 days"),
        "{why}"
    );
}

#[test]
fn a_broken_transport_setting_fails_flush_but_not_the_command() {
    let env = Env::new();
    set_transport(&env, "carrier-pigeon");
    env.with_team();
    let n = seed_case(&env, Some("ann@acme-dental.example")).to_string();
    let out = env
        .cmd()
        .args(["--as", "amy", "reply", &n, "--body", "Hello"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("stay queued")
            && stderr.contains("invalid mail transport `carrier-pigeon`"),
        "{stderr}"
    );
    let err = env.fails(&["outbox", "flush"], 1);
    assert!(err.contains("fix `mail.transport` in the config"), "{err}");
    let rows = env.json(&["outbox", "list"]);
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "queued" && r["attempts"] == 0));
}

/// The contact's answer to `reply` threads back onto the case through ingest, by
/// In-Reply-To our Message-ID, even with the subject tag gone.
#[test]
fn a_customer_answer_to_a_reply_threads_back_through_ingest() {
    let (env, mail) = file_env();
    let n = seed_case(&env, Some("ann@acme-dental.example"));
    env.ok_as(
        "paige",
        &["reply", &n.to_string(), "--body", "Which printer?"],
    );
    let reply = mail_to(&emls(&mail), "ann@acme-dental.example");
    let reply_id = header(&reply, "Message-ID").unwrap();
    let answer = format!(
        "From: Ann Acme <ann@acme-dental.example>\r\nTo: cases@desk.example\r\nSubject: Re: the printer\r\nMessage-ID: <answer-1@acme-dental.example>\r\nIn-Reply-To: {reply_id}\r\nDate: Mon, 23 Nov 2026 15:00:00 +0000\r\n\r\nThe one in reception.\r\n"
    );
    let out = env
        .cmd()
        .arg("ingest")
        .write_stdin(answer.into_bytes())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("appended to #{n}")), "{stdout}");
    let count = env.count(&format!(
        "SELECT count(*) FROM messages WHERE case_id = {n} AND direction = 'in'"
    ));
    assert_eq!(count, 2);
}

#[test]
fn workflow_commands_mail_the_owner_creator_and_mentioned_once_they_commit() {
    let (env, mail) = file_env();
    let n = seed_case(&env, Some("ann@acme-dental.example")).to_string();
    env.ok_as("amy", &["comment", &n, "@sam can you check the toner?"]);
    let all = emls(&mail);
    let mut to: Vec<String> = all.iter().map(|r| to_of(r)).collect();
    to.sort();
    assert_eq!(
        to,
        ["paige@desk.example", "sam@desk.example"],
        "never the actor amy"
    );
    let to_sam = mail_to(&all, "sam@desk.example");
    assert_loop_safe(&to_sam, "auto-generated");
    assert_eq!(
        header(&to_sam, "Subject").as_deref(),
        Some("[Case #1] Printer on fire")
    );
    let text = body(&to_sam);
    assert!(text.contains("@sam can you check the toner?"), "{text}");
    assert!(text.contains("by Amy Chen (amy)"), "{text}");

    env.ok_as("paige", &["assign", &n, "bob"]);
    let all = emls(&mail);
    let to_bob = mail_to(&all, "bob@desk.example");
    let text = body(&to_bob);
    assert!(
        text.lines().next().unwrap().contains("owner: paige → bob"),
        "{text}"
    );
    assert!(text.contains("because you own the case"), "{text}");
    // Everything went out at once: nothing is left in the queue.
    assert!(env.json(&["outbox", "list"]).as_array().unwrap().is_empty());
}

#[test]
fn a_subject_given_on_the_command_line_cannot_inject_headers() {
    let (env, mail) = file_env();
    let n = seed_case(&env, Some("ann@acme-dental.example")).to_string();
    env.ok_as(
        "amy",
        &[
            "reply",
            &n,
            "--subject",
            "Quote\r\nBcc: evil@attacker.example\nX-Evil: yes",
            "--body",
            "Hello",
        ],
    );
    let reply = mail_to(&emls(&mail), "ann@acme-dental.example");
    assert_eq!(header(&reply, "Bcc"), None);
    assert_eq!(header(&reply, "X-Evil"), None);
    assert_eq!(
        header(&reply, "Subject").as_deref(),
        Some("[Case #1] Quote Bcc: evil@attacker.example X-Evil: yes")
    );
}

#[test]
fn file_transport_writes_each_message_0600_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let (env, mail) = file_env();
    env.write(
        "config.toml",
        &format!(
            "{DESK}\n[mail]\ntransport = \"file:{}\"\n[report]\nrecipients = [\"jlee@desk.example\"]\n",
            mail.display()
        ),
    );
    // umask 000 would leave a plain create at 0666: readable by every local user.
    let out = std::process::Command::new("/bin/sh")
        .args(["-c", "umask 000 && exec \"$0\" report --send"])
        .arg(assert_cmd::cargo::cargo_bin("casebook"))
        .env_clear()
        .env("HOME", env.dir.path())
        .env("CASEBOOK_DB", env.location().to_string())
        .env("CASEBOOK_CONFIG", &env.config)
        .env("CASEBOOK_NOW", NOW)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let files: Vec<_> = std::fs::read_dir(&mail)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        files.len(),
        1,
        "one message, no temporary file left: {files:?}"
    );
    assert!(files[0].extension().is_some_and(|x| x == "eml"));
    let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{:o}", mode);
}

#[test]
fn report_on_a_closed_day_goes_out_at_the_next_opening_once_when_configured() {
    let (env, mail) = file_env();
    let calendar = "[calendar]\ntimezone = \"America/Chicago\"\n\
        [calendar.hours]\nmon = [\"08:00-17:00\"]\ntue = [\"08:00-17:00\"]\nwed = [\"08:00-17:00\"]\n\
        thu = [\"08:00-17:00\"]\nfri = [\"08:00-17:00\"]\n\
        [[calendar.holidays]]\ndate = \"2026-11-26\"\nname = \"Thanksgiving\"\n\
        [[calendar.holidays]]\ndate = \"2026-11-27\"\nname = \"Day after\"\nhours = [\"08:00-12:00\"]\n";
    let config = |when_closed: &str| {
        format!(
            "{DESK}\n[mail]\ntransport = \"file:{}\"\n\
             [report]\nrecipients = [\"jlee@desk.example\"]\nwhen_closed = \"{when_closed}\"\n{calendar}",
            mail.display()
        )
    };
    let thanksgiving = "2026-11-26T13:00:00Z"; // Thursday 07:00 in Chicago
                                               // skip (the default): nothing queued, and it says why.
    env.write("config.toml", &config("skip"));
    let out = env.run(&["--now", thanksgiving, "report", "--send"]);
    assert!(out.status.success() && out.stdout.is_empty(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a business day"));
    assert_eq!(outbox_json(&env).len(), 0);

    // next-business-day: queued for Friday's 08:00 opening, not sent before.
    env.write("config.toml", &config("next-business-day"));
    let out = env.ok(&["--now", thanksgiving, "report", "--send"]);
    assert!(
        out.starts_with("queued the owner report for 2026-11-27 to jlee@desk.example")
            && out.contains("to go out at"),
        "{out}"
    );
    assert!(emls(&mail).is_empty(), "not on the closed day");
    // A rerun on the closed day, and the next day's own run, add nothing.
    env.ok(&["--now", "2026-11-26T15:00:00Z", "report", "--send"]);
    env.ok(&["--now", "2026-11-26T20:00:00Z", "outbox", "flush", "-q"]);
    assert!(emls(&mail).is_empty(), "Thursday's flushes send nothing");
    env.ok(&["--now", "2026-11-27T14:05:00Z", "outbox", "flush", "-q"]);
    env.ok(&["--now", "2026-11-27T14:10:00Z", "report", "--send", "-q"]);
    let sent = emls(&mail);
    assert_eq!(sent.len(), 1, "one report for the period");
    assert_eq!(
        header(&sent[0], "Subject").as_deref(),
        Some("Open cases by owner (2026-11-27)")
    );
    assert!(
        header(&sent[0], "Date").is_some_and(|d| d.contains("27 Nov 2026")),
        "dated when it goes out"
    );
}
