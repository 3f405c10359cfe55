//! Staff mail is staff's only when the desk's MTA vouches for it
//! (design.md "Trust", `mail::trust`): spoofed staff forwards and replies
//! act as nobody; a genuine one works; the opt-out is flagged as unsafe.

use crate::common;

use std::io::Write;
use std::process::{Output, Stdio};

use common::Env;

const MTA: &str = "mx.northwind-voice.example";

/// The desk's MTA's header for mail that passed DKIM and DMARC for the staff domain.
const GENUINE: &str = "Authentication-Results: mx.northwind-voice.example;\n\tdkim=pass (2048-bit key) header.d=northwind-voice.example header.s=sel1;\n\tdmarc=pass (p=reject) header.from=northwind-voice.example\n";

/// What the desk's MTA writes for mail from outside that claims a staff From.
const FAILING: &str = "Authentication-Results: mx.northwind-voice.example;\n\tspf=fail smtp.mailfrom=jlee@northwind-voice.example;\n\tdkim=none;\n\tdmarc=fail (p=reject) header.from=northwind-voice.example\n";

const OUTSIDE: &str = "Received: from mail.evil.example (mail.evil.example [203.0.113.66])\n\tby mail.northwind-voice.example (Postfix) with ESMTPS id 4QzZ\n\tfor <cases@northwind-voice.example>; Mon, 23 Nov 2026 08:00:02 -0600 (CST)\n";

fn env() -> Env {
    let env = Env::new();
    env.write(
        "config.toml",
        &format!("[trust]\nauthserv_id = \"{MTA}\"\n"),
    );
    env.with_samples();
    env
}

/// A forward from jlee of a customer's mail, with every note command and a
/// mention; `trace` is what the MTA put on top.
fn staff_forward(id: &str, trace: &str) -> Vec<u8> {
    format!(
        "Return-Path: <jlee@northwind-voice.example>\n{trace}\
From: James Lee <jlee@northwind-voice.example>\n\
To: cases@northwind-voice.example\n\
Subject: Fwd: Need pricing\n\
Date: Mon, 23 Nov 2026 08:00:00 -0600\n\
Message-ID: <{id}@northwind-voice.example>\n\
\n\
Priority: P1\n\
Account: Contoso Dental Group\n\
Category: Equipment Quote\n\
Type: Integration\n\
\n\
@pmorgan please call them today.\n\
\n\
---------- Forwarded message ---------\n\
From: Maria Chen <mchen@contoso-dental.example>\n\
Date: Mon, Nov 23, 2026 at 7:30 AM\n\
Subject: Need pricing\n\
To: <jlee@northwind-voice.example>\n\
\n\
Hello, we would like to talk about our lines.\n"
    )
    .into_bytes()
}

fn ingest_with(env: &Env, raw: &[u8], extra: &[&str]) -> Output {
    let mut child = env
        .std_cmd()
        .arg("ingest")
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(raw).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    out
}

fn ingest(env: &Env, raw: &[u8]) -> String {
    String::from_utf8(ingest_with(env, raw, &[]).stdout).unwrap()
}

fn explain(env: &Env, raw: &[u8]) -> String {
    String::from_utf8(ingest_with(env, raw, &["--dry-run", "--explain"]).stdout).unwrap()
}

/// The last case's fields that only staff can set.
fn last_case(env: &Env) -> (String, Option<String>, String, String, Option<i64>) {
    let rows = env.rows(
        "SELECT contact_email, creator, priority, case_type, account_id FROM cases ORDER BY id DESC LIMIT 1",
    );
    let r = &rows[0];
    (
        r[0].clone().unwrap(),
        r[1].clone(),
        r[2].clone().unwrap(),
        r[3].clone().unwrap(),
        r[4].as_deref().map(|a| a.parse().unwrap()),
    )
}

/// A spoofed forward opens a case for its From and does nothing a member of staff could.
fn assert_acts_as_nobody(env: &Env, what: &str) {
    let (contact, creator, priority, case_type, account) = last_case(env);
    assert_eq!(contact, "jlee@northwind-voice.example", "{what}");
    assert_eq!(creator, None, "{what}: no staff creator");
    assert_ne!(priority, "P1", "{what}: `Priority: P1` ignored");
    assert_eq!(case_type, "Account Management", "{what}: `Type:` ignored");
    assert_eq!(account, None, "{what}: `Account:` ignored");
    assert_eq!(
        env.count("SELECT count(*) FROM comments WHERE author IS NOT NULL"),
        0,
        "{what}: no comment under a staff handle"
    );
    assert_eq!(env.count("SELECT count(*) FROM mentions"), 0, "{what}");
    assert_eq!(
        env.count("SELECT count(*) FROM events WHERE actor IS NOT NULL"),
        0,
        "{what}: no event under a staff handle"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM outbox"),
        0,
        "{what}: no notification quoting the @mention, no acknowledgement"
    );
}

#[test]
fn spoofed_staff_forward_without_authentication_results_creates_no_staff_action() {
    let env = env();
    let raw = staff_forward("no-ar", OUTSIDE);
    let explained = explain(&env, &raw);
    assert!(
        explained.contains("is staff `jlee`'s address but unverified (no Authentication-Results header from `mx.northwind-voice.example`"),
        "{explained}"
    );
    assert!(
        explained.contains("note commands are ignored"),
        "{explained}"
    );
    assert!(ingest(&env, &raw).starts_with("created #1"));
    assert_acts_as_nobody(&env, "without A-R");
}

#[test]
fn spoofed_staff_forward_with_a_failing_authentication_results_creates_no_staff_action() {
    let env = env();
    let raw = staff_forward("failing-ar", &format!("{OUTSIDE}{FAILING}"));
    let explained = explain(&env, &raw);
    assert!(
        explained.contains("unverified (`mx.northwind-voice.example` says dmarc=fail"),
        "{explained}"
    );
    ingest(&env, &raw);
    assert_acts_as_nobody(&env, "failing A-R");
}

#[test]
fn spoofed_staff_forward_with_a_forged_authentication_results_below_the_mtas_own_creates_no_staff_action(
) {
    let env = env();
    // The MTA's own verdict on top; the attacker's "pass" came in the message, below a Received.
    let forged = format!("{OUTSIDE}{FAILING}Received: from laptop by mail.evil.example\n{GENUINE}");
    let raw = staff_forward("forged-ar", &forged);
    let explained = explain(&env, &raw);
    assert!(explained.contains("says dmarc=fail"), "{explained}");
    ingest(&env, &raw);
    assert_acts_as_nobody(&env, "forged A-R below the MTA's");

    // Or forged alone, under the message's own fields.
    let env = self::env();
    let raw = String::from_utf8(staff_forward("forged-low", OUTSIDE)).unwrap();
    let raw = raw.replacen("To: cases@", &format!("{GENUINE}To: cases@"), 1);
    ingest(&env, raw.as_bytes());
    assert_acts_as_nobody(&env, "forged A-R among the message's fields");
}

#[test]
fn staff_forward_with_another_hosts_authentication_results_creates_no_staff_action() {
    let env = env();
    let other = GENUINE.replace(MTA, "mx.evil.example");
    ingest(
        &env,
        &staff_forward("other-id", &format!("{OUTSIDE}{other}")),
    );
    assert_acts_as_nobody(&env, "another authserv-id");
}

#[test]
fn staff_mail_is_unverified_when_no_authserv_id_is_configured() {
    let env = Env::new();
    env.write("config.toml", "[trust]\n");
    env.with_samples();
    let raw = staff_forward("unconfigured", &format!("{OUTSIDE}{GENUINE}"));
    let explained = explain(&env, &raw);
    assert!(
        explained.contains("no trust.authserv_id is configured"),
        "{explained}"
    );
    ingest(&env, &raw);
    assert_acts_as_nobody(&env, "nothing configured");
    let out = env.run(&["config", "show"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("trust.authserv_id is not set"),
        "{out:?}"
    );
}

#[test]
fn genuine_staff_forward_acts_as_staff() {
    let env = env();
    let raw = staff_forward("genuine", &format!("{OUTSIDE}{GENUINE}"));
    let explained = explain(&env, &raw);
    assert!(
        explained.contains("staff `jlee`, verified: `mx.northwind-voice.example` says dkim=pass header.d=northwind-voice.example, aligned with `northwind-voice.example`"),
        "{explained}"
    );
    assert!(!explained.contains("UNSAFE"), "{explained}");
    ingest(&env, &raw);
    let (contact, creator, priority, case_type, account) = last_case(&env);
    assert_eq!(contact, "mchen@contoso-dental.example");
    assert_eq!(creator.as_deref(), Some("jlee"));
    assert_eq!(priority, "P1");
    assert_eq!(case_type, "Integration");
    assert!(account.is_some());
    assert_eq!(
        env.count("SELECT count(*) FROM mentions WHERE handle = 'pmorgan'"),
        1
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM outbox WHERE recipient = 'pmorgan@northwind-voice.example'"
        ),
        1,
        "the mentioned colleague is notified"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM outbox WHERE recipient = 'jlee@northwind-voice.example'"),
        1,
        "the forwarder is acknowledged"
    );
}

/// A customer's case #1, then mail from jlee tagged for it.
fn reply_on_case(env: &Env, id: &str, trace: &str) {
    ingest(
        env,
        b"From: Maria Chen <mchen@contoso-dental.example>\nTo: cases@northwind-voice.example\nSubject: Need pricing\nDate: Mon, 23 Nov 2026 07:30:00 -0600\nMessage-ID: <ask@contoso-dental.example>\n\nHello.\n",
    );
    let reply = format!(
        "{trace}From: James Lee <jlee@northwind-voice.example>\nTo: cases@northwind-voice.example\nSubject: Re: [Case #1] Need pricing\nDate: Mon, 23 Nov 2026 08:10:00 -0600\nMessage-ID: <{id}@northwind-voice.example>\n\nI called them, all done. @pmorgan\n"
    );
    assert!(ingest(env, reply.as_bytes()).starts_with("appended to #1"));
}

#[test]
fn spoofed_staff_reply_on_an_existing_case_is_not_logged_as_staff() {
    for (what, trace) in [
        ("no A-R", OUTSIDE.to_string()),
        ("failing A-R", format!("{OUTSIDE}{FAILING}")),
    ] {
        let env = env();
        reply_on_case(&env, "spoofed-reply", &trace);
        assert_eq!(
            env.count("SELECT count(*) FROM events WHERE actor = 'jlee'"),
            0,
            "{what}"
        );
        assert_eq!(
            env.count(
                "SELECT count(*) FROM events WHERE field = 'inbound mail' AND new = 'staff mail'"
            ),
            0,
            "{what}"
        );
        assert_eq!(
            env.count("SELECT count(*) FROM outbox WHERE recipient LIKE 'pmorgan@%'"),
            0,
            "{what}"
        );
    }
    // The same reply, vouched for, is jlee's.
    let env = env();
    reply_on_case(&env, "genuine-reply", &format!("{OUTSIDE}{GENUINE}"));
    assert_eq!(
        env.count("SELECT count(*) FROM events WHERE actor = 'jlee' AND field = 'inbound mail' AND new = 'staff mail'"),
        1
    );
}

#[test]
fn the_opt_out_believes_from_headers_and_is_flagged_as_unsafe() {
    let env = Env::new();
    env.write("config.toml", "[trust]\nverify = \"none\"\n");
    env.with_samples();
    let out = env.run(&["config", "show"]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("# UNSAFE: trust.verify = \"none\""),
        "{stdout}"
    );
    assert!(stdout.contains("verify = \"none\""), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: UNSAFE"));
    let json = env.run(&["config", "show", "--format", "json"]);
    assert!(String::from_utf8_lossy(&json.stderr).contains("warning: UNSAFE"));

    // Every explanation says so, a stranger's and a customer's included.
    let raw = staff_forward("opt-out", OUTSIDE);
    let explained = explain(&env, &raw);
    assert!(
        explained.contains("trust:") && explained.contains("UNSAFE: trust.verify"),
        "{explained}"
    );
    assert!(
        explained.contains("believes the From header (unsafe)"),
        "{explained}"
    );
    let customer = explain(
        &env,
        b"From: c@customer.example\nSubject: hi\nMessage-ID: <c@customer.example>\n\nhello\n",
    );
    assert!(customer.contains("UNSAFE"), "{customer}");
    // And the From header is believed, as configured.
    ingest(&env, &raw);
    assert_eq!(last_case(&env).1.as_deref(), Some("jlee"));
}

#[test]
fn a_configured_desk_shows_no_trust_warning() {
    let env = env();
    let out = env.run(&["config", "show"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("authserv_id = \"mx.northwind-voice.example\""));
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("warning"),
        "{out:?}"
    );
}
