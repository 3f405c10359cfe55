//! `outbox flush` killed between handing a message over and recording it:
//! the next flush does not send it twice where the transport can tell
//! (`file:`), re-sends it with the same Message-ID where it cannot (SMTP),
//! and removes what a killed `file:` write left behind.
//!
//! The crash is simulated exactly where it happens: the store's own claim
//! (the row left `sending`) and, for "after the hand-off", the transport's own
//! delivery, with no result recorded.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use casebook::domain::case::NewCase;
use casebook::mail::transport::{self, Transport};
use casebook::store::outbox;
use common::smtp_sink::SmtpSink;
use common::Env;

const DESK: &str = "[desk]\ningest_address = \"cases@desk.example\"\ndomain = \"desk.example\"\n";

/// When the crashed flush ran (after the first attempt's one-minute back-off)...
const CRASH: &str = "2026-11-23T14:02:00Z";
/// ...and when the next one runs: after the claim's ten-minute lease.
const NEXT: &str = "2026-11-23T14:13:00Z";

/// `desk::delivery::LEASE`: how long a claim reserves a message.
const LEASE: chrono::Duration = chrono::Duration::minutes(10);

fn at(t: &str) -> chrono::DateTime<chrono::Utc> {
    t.parse().unwrap()
}

fn set_transport(env: &Env, transport: &str) {
    env.write(
        "config.toml",
        &format!("{DESK}\n[mail]\ntransport = \"{transport}\"\n"),
    );
}

/// A desk with two messages queued (a reply to Ann and paige's notification):
/// the first attempt failed because `mail/` did not exist yet.
fn two_queued() -> (Env, PathBuf) {
    let env = Env::new();
    let mail = env.path("mail");
    set_transport(&env, &format!("file:{}", mail.display()));
    env.with_team();
    let seed = env.seed();
    let mut c = NewCase::new(
        "Printer on fire",
        at(common::NOW) - chrono::Duration::hours(3),
    );
    c.account_id = Some(seed.account_id("Acme Dental"));
    c.contact_email = Some("ann@acme-dental.example".into());
    c.creator = Some("amy".into());
    let n = seed.case(&c);
    seed.owner(n, "paige");
    env.ok_as("amy", &["reply", "1", "--body", "Hello"]);
    let rows = env.json(&["outbox", "list"]);
    assert_eq!(rows.as_array().unwrap().len(), 2, "{rows}");
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "queued"));
    std::fs::create_dir_all(&mail).unwrap();
    (env, mail)
}

/// The same desk at another time.
fn at_time(env: &Env, now: &str) -> Env {
    let mut later = Env::new();
    later.share_database_of(env);
    later.config = env.config.clone();
    later.now = now.into();
    later
}

/// A flush that claims what is due at CRASH, hands it to `handed_to` (if any), and dies.
fn crashed_flush(env: &Env, handed_to: Option<&Transport>) -> Vec<outbox::Claimed> {
    let store = env.store();
    let now = at(CRASH);
    let claimed = store
        .write(|tx| outbox::claim_due(tx, now, now + LEASE, None, 10))
        .unwrap();
    assert_eq!(claimed.len(), 2);
    if let Some(t) = handed_to {
        for m in &claimed {
            let sent = transport::deliver(
                t,
                None,
                "cases@desk.example",
                std::slice::from_ref(&m.recipient),
                &m.raw,
                Duration::from_secs(10),
            )
            .unwrap();
            assert_eq!(sent, transport::Delivery::Sent);
        }
    }
    let rows = env.json(&["outbox", "list"]);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "sending"),
        "the crash left them `sending`: {rows}"
    );
    claimed
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .collect();
    found.sort();
    found
}

fn statuses(env: &Env) -> Vec<String> {
    env.json(&["outbox", "list", "--all"])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_flush_killed_after_handing_mail_to_a_file_transport_is_not_delivered_twice() {
    let (env, mail) = two_queued();
    let dir = Transport::File { dir: mail.clone() };
    crashed_flush(&env, Some(&dir));
    assert_eq!(files(&mail, ".eml").len(), 2);

    // Within the lease another flush leaves them alone: the crashed run might still be at it.
    let soon = at_time(&env, "2026-11-23T14:05:00Z");
    let out = soon.run(&["outbox", "flush"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nothing due"),
        "{out:?}"
    );

    let next = at_time(&env, NEXT);
    let out = next.ok(&["outbox", "flush"]);
    assert_eq!(
        out.matches("an interrupted run had delivered it already: not sent again")
            .count(),
        2,
        "{out}"
    );
    assert_eq!(
        files(&mail, ".eml").len(),
        2,
        "exactly one file per message"
    );
    assert_eq!(statuses(&next), ["sent", "sent"]);
    assert!(
        next.ok(&["outbox", "flush"]).is_empty(),
        "nothing left to do"
    );
}

#[test]
fn a_flush_killed_mid_write_leaves_no_temporary_file_and_the_next_sends_once() {
    let (env, mail) = two_queued();
    let claimed = crashed_flush(&env, None);
    // The killed writer's half-written temporary file (a pid no process has).
    let stem = claimed[0].message_id.clone();
    let leftover = mail.join(format!(".{stem}.4294967294.0.tmp"));
    std::fs::write(&leftover, &claimed[0].raw[..claimed[0].raw.len() / 2]).unwrap();

    let next = at_time(&env, NEXT);
    let out = next.ok(&["outbox", "flush"]);
    assert_eq!(
        out.matches("an interrupted run had not delivered it: sent now")
            .count(),
        2,
        "{out}"
    );
    assert!(files(&mail, ".tmp").is_empty(), "leftovers removed");
    let written = files(&mail, ".eml");
    assert_eq!(written.len(), 2, "exactly one file per message");
    for (file, m) in written.iter().zip(&claimed) {
        assert_eq!(std::fs::read(file).unwrap(), m.raw, "whole, as stored");
    }
    assert_eq!(statuses(&next), ["sent", "sent"]);
}

#[test]
fn a_flush_killed_after_an_smtp_hand_off_resends_with_the_same_message_id() {
    let (env, _mail) = two_queued();
    let sink = SmtpSink::start();
    set_transport(&env, &sink.transport_url());
    let smtp: Transport = sink.transport_url().parse().unwrap();
    let claimed = crashed_flush(&env, Some(&smtp));
    assert_eq!(sink.wait_for(2, Duration::from_secs(10)).len(), 2);

    let next = at_time(&env, NEXT);
    let out = next.json(&["outbox", "flush"]).to_string();
    assert_eq!(
        out.matches("re-sent after an interrupted run").count(),
        2,
        "{out}"
    );
    let got = sink.wait_for(4, Duration::from_secs(10));
    assert_eq!(got.len(), 4, "SMTP cannot be asked, so each went twice");
    for m in &claimed {
        let id = format!("Message-ID: <{}>", m.message_id);
        let copies = got
            .iter()
            .filter(|r| String::from_utf8_lossy(&r.data).contains(&id))
            .count();
        assert_eq!(
            copies, 2,
            "both copies carry {id}, so a receiver can drop one"
        );
        assert!(out.contains(&m.message_id), "{out}");
    }
    assert_eq!(statuses(&next), ["sent", "sent"]);
}
