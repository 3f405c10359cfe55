//! The inbound mail layer against fixtures and the shared real-world corpus.
//!
//! - forwards: every client format and language under tests/data/forwards/;
//! - corpus: every file under the shared corpus parses without panicking;
//! - auto-replies: the sisimai `rfc3834-*` messages are all flagged;
//! - mbox: sisimai's `mbox-0` splits into its 37 messages.

use std::path::{Path, PathBuf};

use casebook::mail::autoreply::auto_generated;
use casebook::mail::date::SentAt;
use casebook::mail::forward::{note_commands, strip_subject_prefixes};
use casebook::mail::parse::{parse, split_mbox, Inbound, ParseError};

const LOOP: &str = "cases@ourco.example";

fn fixture(name: &str) -> Inbound {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/forwards")
        .join(name);
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse(&raw).unwrap_or_else(|e| panic!("{name}: {e}"))
}

const NOTE: &str = "Please handle this one, they are upset.\n\nAlex";

/// (file, format, subject of the original)
const FORWARDS: &[(&str, &str, &str)] = &[
    ("outlook_en.eml", "outlook", "Router keeps rebooting"),
    ("outlook_en_nosep.eml", "outlook", "Router keeps rebooting"),
    (
        "outlook_original_message.eml",
        "original-message",
        "Router keeps rebooting",
    ),
    (
        "outlook_mac_from_date.eml",
        "outlook",
        "Router keeps rebooting",
    ),
    ("outlook_bold_text.eml", "outlook", "Router keeps rebooting"),
    (
        "outlook_mailto_angle.eml",
        "outlook",
        "Router keeps rebooting",
    ),
    ("gmail_en.eml", "gmail", "Router keeps rebooting"),
    ("apple_en.eml", "apple", "Router keeps rebooting"),
    ("apple_quoted.eml", "apple", "Router keeps rebooting"),
    (
        "thunderbird_en.eml",
        "thunderbird",
        "Router keeps rebooting",
    ),
    ("yahoo_en.eml", "yahoo", "Router keeps rebooting"),
    ("yahoo_lower.eml", "yahoo", "Router keeps rebooting"),
    ("outlook_de.eml", "outlook", "Router startet ständig neu"),
    ("gmail_de.eml", "gmail", "Router startet ständig neu"),
    ("apple_de.eml", "apple", "Router startet ständig neu"),
    (
        "thunderbird_de.eml",
        "thunderbird",
        "Router startet ständig neu",
    ),
    (
        "original_de.eml",
        "original-message",
        "Router startet ständig neu",
    ),
    (
        "outlook_fr.eml",
        "outlook",
        "Le routeur redémarre sans cesse",
    ),
    ("gmail_fr.eml", "gmail", "Le routeur redémarre sans cesse"),
    ("apple_fr.eml", "apple", "Le routeur redémarre sans cesse"),
    (
        "original_fr.eml",
        "original-message",
        "Le routeur redémarre sans cesse",
    ),
    ("outlook_es.eml", "outlook", "El router se reinicia"),
    ("gmail_es.eml", "gmail", "El router se reinicia"),
    (
        "original_es.eml",
        "original-message",
        "El router se reinicia",
    ),
    ("outlook_it.eml", "outlook", "Il router si riavvia"),
    ("gmail_it.eml", "gmail", "Il router si riavvia"),
    (
        "original_it.eml",
        "original-message",
        "Il router si riavvia",
    ),
    ("outlook_pt.eml", "outlook", "O roteador reinicia"),
    ("gmail_pt.eml", "gmail", "O roteador reinicia"),
    ("original_pt.eml", "original-message", "O roteador reinicia"),
    ("outlook_nl.eml", "outlook", "Router herstart steeds"),
    ("gmail_nl.eml", "gmail", "Router herstart steeds"),
    (
        "original_nl.eml",
        "original-message",
        "Router herstart steeds",
    ),
    ("outlook_html_only.eml", "outlook", "Router keeps rebooting"),
    ("outlook_web_html.eml", "outlook", "Router keeps rebooting"),
    ("rfc822_attached.eml", "rfc822", "Router keeps rebooting"),
];

const BODY_START: &str = "Hello,";
const BODY_END: &str = "Thanks,\nJane";

/// The zone the fixtures' forwarders wrote in (10:15 local = 09:15 UTC in March).
fn berlin() -> chrono_tz::Tz {
    "Europe/Berlin".parse().unwrap()
}

#[test]
fn forwards_in_every_format_and_language() {
    for (file, format, subject) in FORWARDS {
        let m = fixture(file);
        let f = m
            .forwarded
            .as_ref()
            .unwrap_or_else(|| panic!("{file}: no forward found in {:?}", m.body_text));
        assert_eq!(f.format, *format, "{file}: format");
        let from = f.from.as_ref().unwrap_or_else(|| panic!("{file}: no from"));
        assert_eq!(from.email, "jane.doe@customer.example", "{file}: from");
        assert_eq!(
            from.name.as_deref(),
            Some(if file.contains("mac") {
                "Doe, Jane"
            } else {
                "Jane Doe"
            }),
            "{file}: name"
        );
        assert_eq!(f.subject.as_deref(), Some(*subject), "{file}: subject");
        // Thunderbird prints +0100, Apple (German) MEZ, Apple (English) GMT;
        // the rest no zone, which is read in the zone given.
        let sent = f.date.unwrap_or_else(|| panic!("{file}: no date"));
        let want = if file.starts_with("thunderbird") || *file == "apple_de.eml" {
            "2026-03-02T09:15:00+00:00"
        } else {
            "2026-03-02T10:15:00+00:00"
        };
        assert_eq!(
            sent.in_zone(chrono_tz::UTC).to_rfc3339(),
            want,
            "{file}: date"
        );
        if let SentAt::Local(_) = sent {
            let local = sent.in_zone(berlin()).to_rfc3339();
            assert_eq!(local, "2026-03-02T09:15:00+00:00", "{file}: date in Berlin");
        }
        assert!(f.body.starts_with(BODY_START), "{file}: body {:?}", f.body);
        assert!(f.body.ends_with(BODY_END), "{file}: body {:?}", f.body);
        assert!(
            f.body.contains("reboots every hour since Friday."),
            "{file}"
        );
        assert_eq!(f.note, NOTE, "{file}: note");
        assert_eq!(f.depth, 1, "{file}: depth");
        // The outer message is the forwarder's.
        assert_eq!(m.from.as_ref().unwrap().email, "alex@ourco.example");
        assert!(!strip_subject_prefixes(&m.subject).is_empty());
    }
}

#[test]
fn quoted_forward_body_is_unquoted() {
    let f = fixture("apple_quoted.eml").forwarded.unwrap();
    assert!(!f.body.contains('>'), "{:?}", f.body);
}

#[test]
fn forward_of_forward_innermost_wins() {
    for file in [
        "outlook_fwd_of_fwd.eml",
        "gmail_fwd_of_fwd.eml",
        "rfc822_nested.eml",
        "rfc822_inline_inside.eml",
    ] {
        let found = fixture(file).forwarded.unwrap();
        // One level only, unless that level's sender is staff (Bob is).
        assert_eq!(
            found.from.as_ref().unwrap().email,
            "bob@ourco.example",
            "{file}"
        );
        let (f, _) = found.through_staff(|e| e.ends_with("@ourco.example"));
        assert_eq!(f.from.unwrap().email, "jane.doe@customer.example", "{file}");
        assert_eq!(
            f.subject.as_deref(),
            Some("Router keeps rebooting"),
            "{file}"
        );
        assert_eq!(
            f.date.unwrap().in_zone(chrono_tz::UTC).to_rfc3339(),
            "2026-03-02T10:15:00+00:00",
            "{file}"
        );
        assert!(f.body.starts_with(BODY_START), "{file}: {:?}", f.body);
        assert!(f.body.ends_with(BODY_END), "{file}: {:?}", f.body);
        assert_eq!(f.note, NOTE, "{file}: the outermost forwarder's note");
        assert_eq!(f.depth, 2, "{file}");
    }
}

#[test]
fn forwarded_reply_chain_keeps_the_latest_message() {
    let f = fixture("outlook_reply_chain.eml").forwarded.unwrap();
    assert_eq!(f.from.unwrap().email, "jane.doe@customer.example");
    assert_eq!(f.subject.as_deref(), Some("RE: Router keeps rebooting"));
    assert!(f.body.contains("We have reset the line."));
    assert_eq!(f.depth, 1);
}

#[test]
fn forward_with_empty_body() {
    let f = fixture("gmail_empty_body.eml").forwarded.unwrap();
    assert_eq!(f.from.unwrap().email, "jane.doe@customer.example");
    assert_eq!(f.subject.as_deref(), Some("Router keeps rebooting"));
    assert_eq!(f.body, "");
    assert_eq!(f.note, NOTE);
}

#[test]
fn forward_with_bad_date_and_no_note() {
    let f = fixture("gmail_bad_date.eml").forwarded.unwrap();
    assert_eq!(f.date, None);
    assert_eq!(f.note, "");
    let from = f.from.unwrap();
    assert_eq!(from.email, "jane.doe@customer.example");
    assert_eq!(from.name, None);
}

#[test]
fn note_commands_in_a_forward() {
    let f = fixture("note_commands.eml").forwarded.unwrap();
    let (commands, rest) = note_commands(&f.note);
    let keys: Vec<(&str, &str)> = commands
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("priority", "Expedited"),
            ("category", "Red/At-Risk"),
            ("account", "Customer Example Ltd"),
            ("type", "P2"),
        ]
    );
    assert_eq!(rest, "Please call Jane today.\n\nAlex");
}

#[test]
fn plain_mail_is_not_a_forward() {
    assert!(fixture("not_a_forward.eml").forwarded.is_none());
}

#[test]
fn rfc822_attachment_lists_the_part() {
    let m = fixture("rfc822_attached.eml");
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].content_type, "message/rfc822");
    assert_eq!(m.attachments[0].name, "original.eml");
}

// ---------------------------------------------------------------------------
// The shared corpus

fn corpus_dir() -> PathBuf {
    let mut candidates = Vec::new();
    if let Some(dir) = std::env::var_os("CASEBOOK_CORPUS") {
        candidates.push(PathBuf::from(dir));
    }
    candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    candidates.push(PathBuf::from("/work/shared/corpus"));
    for c in &candidates {
        if c.is_dir() {
            return c.clone();
        }
    }
    panic!(
        "the mail corpus was not found (tried {}): set CASEBOOK_CORPUS to its directory",
        candidates
            .iter()
            .map(|c| format!("`{}`", c.display()))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

fn corpus_file(rel: &str) -> Vec<u8> {
    let path = corpus_dir().join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
        } else {
            let name = path.file_name().unwrap().to_string_lossy().to_uppercase();
            if name.starts_with("LICENSE")
                || name.starts_with("COPYING")
                || name.starts_with("README")
            {
                continue;
            }
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_message_parses_without_panicking() {
    let root = corpus_dir();
    let mut files = Vec::new();
    walk(&root, &mut files);
    assert!(files.len() > 900, "only {} corpus files", files.len());
    let (mut ok, mut empty, mut no_headers, mut panics) = (0, 0, 0, 0);
    let mut forwards = 0;
    let mut automatic = 0;
    let mut problems = Vec::new();
    for path in &files {
        let raw = std::fs::read(path).unwrap();
        let rel = path.strip_prefix(&root).unwrap().display().to_string();
        let result = std::panic::catch_unwind(|| parse(&raw));
        match result {
            Err(_) => panic!("{rel}: parse panicked through catch_unwind"),
            Ok(Ok(m)) => {
                ok += 1;
                forwards += usize::from(m.forwarded.is_some());
                automatic += usize::from(auto_generated(&m, LOOP).is_some());
            }
            Ok(Err(ParseError::Empty)) => {
                empty += 1;
                problems.push(format!("Empty: {rel}"));
            }
            Ok(Err(ParseError::NoHeaders)) => {
                no_headers += 1;
                problems.push(format!("NoHeaders: {rel}"));
            }
            Ok(Err(ParseError::Panic(msg))) => {
                panics += 1;
                problems.push(format!("Panic: {rel}: {msg}"));
            }
            Ok(Err(ParseError::TooComplex(why))) => {
                problems.push(format!("TooComplex: {rel}: {why}"))
            }
        }
    }
    println!(
        "corpus: {} files: {ok} ok ({forwards} forwards, {automatic} auto-generated), {empty} empty, {no_headers} without headers, {panics} panics",
        files.len()
    );
    for p in &problems {
        println!("  {p}");
    }
    assert_eq!(ok + empty + no_headers + panics, files.len());
}

#[test]
fn bare_cr_messages_parse_like_their_lf_twins() {
    let root = corpus_dir();
    let mut checked = 0;
    for entry in std::fs::read_dir(root.join("sisimai/maildir/mac")).unwrap() {
        let path = entry.unwrap().path();
        let twin = root
            .join("sisimai/maildir/bsd")
            .join(path.file_name().unwrap());
        let (Ok(mac), Ok(bsd)) = (std::fs::read(&path), std::fs::read(&twin)) else {
            continue;
        };
        let (Ok(a), Ok(b)) = (parse(&mac), parse(&bsd)) else {
            continue;
        };
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        assert_eq!(squash(&a.subject), squash(&b.subject), "{}", path.display());
        assert_eq!(a.message_id, b.message_id, "{}", path.display());
        checked += 1;
    }
    println!("bare-CR twins checked: {checked}");
    assert!(checked > 0);
}

#[test]
fn sisimai_auto_replies_are_flagged() {
    for n in 1..=6 {
        let rel = format!("sisimai/maildir/bsd/rfc3834-{n:02}.eml");
        let m = parse(&corpus_file(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let reason = auto_generated(&m, LOOP);
        println!("{rel}: {reason:?}");
        assert!(reason.is_some(), "{rel} was not flagged");
    }
}

#[test]
fn corpus_bounces_are_flagged() {
    for rel in [
        "mikel-mail/multipart_report_emails/report_422.eml",
        "mikel-mail/multipart_report_emails/multi_address_bounce1.eml",
    ] {
        let m = parse(&corpus_file(rel)).unwrap();
        assert!(auto_generated(&m, LOOP).is_some(), "{rel}");
    }
}

#[test]
fn human_corpus_message_is_not_flagged() {
    let m = parse(&corpus_file("mikel-mail/plain_emails/basic_email.eml")).unwrap();
    assert_eq!(auto_generated(&m, LOOP), None);
}

#[test]
fn corpus_gmail_inline_forwards() {
    for (rel, snippet) in [
        (
            "mikel-mail/mime_emails/raw_email2.eml",
            "Just started to use my",
        ),
        (
            "mikel-mail/plain_emails/raw_email8.eml",
            "Test attachments oddly encoded",
        ),
    ] {
        let m = parse(&corpus_file(rel)).unwrap();
        assert_eq!(m.subject, "Fwd: Signed email causes file attachments");
        let f = m
            .forwarded
            .unwrap_or_else(|| panic!("{rel}: no forward in {:?}", m.body_text));
        assert_eq!(f.format, "gmail", "{rel}");
        assert_eq!(f.from.unwrap().email, "xxxxxxxx@xxx.com", "{rel}");
        assert_eq!(
            f.subject.as_deref(),
            Some("Signed email causes file attachments")
        );
        // "May 8, 2005 1:17 PM", no zone.
        assert_eq!(
            f.date.unwrap().in_zone(chrono_tz::UTC).to_rfc3339(),
            "2005-05-08T13:17:00+00:00"
        );
        assert!(f.body.starts_with("Hi,"), "{rel}: {:?}", f.body);
        assert!(f.body.contains(snippet), "{rel}");
        assert_eq!(
            f.note,
            "We should not include these files or vcards as attachments."
        );
    }
}

#[test]
fn corpus_rfc822_attachment_forwards() {
    for rel in [
        "mikel-mail/attachment_emails/attachment_message_rfc822.eml",
        "mikel-mail/attachment_emails/attachment_message_rfc822_inline_image.eml",
    ] {
        let m = parse(&corpus_file(rel)).unwrap();
        let f = m.forwarded.unwrap_or_else(|| panic!("{rel}: no forward"));
        assert_eq!(f.format, "rfc822", "{rel}");
        let from = f.from.unwrap();
        assert_eq!(from.email, "xxxx@xxxx.com", "{rel}");
        assert_eq!(from.name.as_deref(), Some("Test Tester"));
        assert_eq!(f.subject.as_deref(), Some("Another PDF"), "{rel}");
        assert_eq!(
            f.date.unwrap().in_zone(chrono_tz::UTC).to_rfc3339(),
            "2005-05-10T17:26:39+00:00"
        );
    }
}

#[test]
fn sisimai_mbox_splits_into_37_messages() {
    let data = corpus_file("sisimai/mailbox/mbox-0");
    let messages = split_mbox(&data);
    assert_eq!(messages.len(), 37);
    for (i, m) in messages.iter().enumerate() {
        let parsed = parse(m).unwrap_or_else(|e| panic!("message {}: {e}", i + 1));
        assert!(
            parsed.from.is_some() || !parsed.subject.is_empty(),
            "message {}",
            i + 1
        );
    }
    // A BOM in front does not hide the first message.
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(&data);
    assert_eq!(split_mbox(&with_bom).len(), 37);
    let single = corpus_file("sisimai/mailbox/mbox-1");
    assert_eq!(split_mbox(&single).len(), 1);
    for empty in ["size-0", "size-1"] {
        assert!(split_mbox(&corpus_file(&format!("sisimai/mailbox/{empty}"))).is_empty());
    }
}

/// Corpus messages outside the bounce sets that carry a machine marker the
/// design names (a mailing-list copy, bulk spam, a mail server's warning):
/// not a person's own mail to the desk, so not counted as human.
const NOT_HUMAN: &[(&str, &str)] = &[
    (
        "dovecot/thirdparty/014.eml",
        "a mailing-list copy (Precedence: list)",
    ),
    (
        "mikel-mail/error_emails/bad_date_header.eml",
        "bulk spam (Precedence: junk)",
    ),
    (
        "mikel-mail/error_emails/empty_in_reply_to.eml",
        "a mailing-list copy (List-Id)",
    ),
    (
        "mikel-mail/mime_emails/raw_email_with_mimepart_without_content_type.eml",
        "a mailer-daemon warning (Auto-Submitted)",
    ),
];

/// Every parseable message under `dir`, labelled by its path below the
/// corpus (mbox files split into their messages).
fn corpus_messages(root: &Path, dir: &str) -> Vec<(String, Inbound)> {
    let mut files = Vec::new();
    walk(&root.join(dir), &mut files);
    let mut out = Vec::new();
    for path in files {
        let rel = path.strip_prefix(root).unwrap().display().to_string();
        let raw = std::fs::read(&path).unwrap();
        let messages = if rel.starts_with("sisimai/mailbox/") {
            split_mbox(&raw)
        } else {
            vec![raw]
        };
        for (i, m) in messages.iter().enumerate() {
            if let Ok(parsed) = parse(m) {
                out.push((format!("{rel}#{}", i + 1), parsed));
            }
        }
    }
    out
}

#[test]
fn no_human_message_is_automatic_and_sisimai_is_recognised() {
    let root = corpus_dir();
    // People's mail: the corpus outside the bounce sets, sisimai's
    // is-not-bounce messages, and the whole forward matrix.
    let mut human: Vec<(String, Inbound)> = Vec::new();
    for dir in [
        "mikel-mail",
        "dovecot",
        "maildir-sample",
        "sisimai/maildir/not",
    ] {
        for (label, m) in corpus_messages(&root, dir) {
            let file = label.split('#').next().unwrap();
            let machine = label.starts_with("mikel-mail/multipart_report_emails/")
                || label.starts_with("sisimai/maildir/not/rb-issue")
                || NOT_HUMAN.iter().any(|(f, _)| *f == file);
            if !machine {
                human.push((label, m));
            }
        }
    }
    let matrix = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/forwards/matrix");
    let mut fixtures = Vec::new();
    walk(&matrix, &mut fixtures);
    for path in fixtures
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
    {
        let m = parse(&std::fs::read(path).unwrap()).unwrap();
        human.push((path.display().to_string(), m));
    }
    let flagged: Vec<String> = human
        .iter()
        .filter_map(|(l, m)| auto_generated(m, LOOP).map(|r| format!("{l}: {r}")))
        .collect();
    println!(
        "human messages taken for automatic: {} of {}",
        flagged.len(),
        human.len()
    );
    assert!(human.len() > 500, "only {} human messages", human.len());
    assert!(flagged.is_empty(), "{}", flagged.join("\n"));

    // Bounces, reports and auto-replies: everything sisimai holds but its
    // is-not-bounce messages.
    let machine: Vec<(String, Inbound)> = corpus_messages(&root, "sisimai")
        .into_iter()
        .filter(|(l, _)| !l.starts_with("sisimai/maildir/not/is-not-bounce"))
        .collect();
    let missed: Vec<&String> = machine
        .iter()
        .filter(|(_, m)| auto_generated(m, LOOP).is_none())
        .map(|(l, _)| l)
        .collect();
    let found = machine.len() - missed.len();
    let rate = found as f64 * 100.0 / machine.len() as f64;
    println!(
        "sisimai auto-generated recognised: {found} of {} ({rate:.2}%)",
        machine.len()
    );
    assert!(rate >= 99.5, "{rate:.2}%, missed: {missed:?}");
}
