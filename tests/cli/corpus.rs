//! The real-world corpus (../shared/corpus, see its README): every message
//! ingests without a panic, and every one ends up as a case, an appended
//! message, a duplicate, an auto-generated message or in quarantine.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use casebook::config::Config;
use casebook::ctx::Ctx;
use casebook::ingest::pipeline::{Outcome, Pipeline};
use casebook::ingest::{self, Summary};
use casebook::mail::parse::split_mbox;
use casebook::render::Format;
use casebook::store::{messages, quarantine};
use common::Env;

/// `$CASEBOOK_CORPUS`, else `<crate>/../shared/corpus`, else `/work/shared/corpus`.
fn corpus() -> PathBuf {
    let candidates = [
        std::env::var_os("CASEBOOK_CORPUS").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")),
        Some(PathBuf::from("/work/shared/corpus")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("README.md").is_file())
        .unwrap_or_else(|| {
            panic!(
                "the mail corpus is missing: set CASEBOOK_CORPUS to its folder \
                 (one holding README.md, mikel-mail/, sisimai/, dovecot/, maildir-sample/)"
            )
        })
}

fn is_notice(p: &Path) -> bool {
    let name = p.file_name().unwrap().to_string_lossy().to_lowercase();
    name.starts_with("license") || name.starts_with("copying") || name.ends_with(".md")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if !is_notice(&p) {
            out.push(p);
        }
    }
}

/// Every message of the corpus with a label: one per file, and one per
/// message of the mbox files in `sisimai/mailbox/`.
fn messages_of(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    files(root, &mut all);
    let mut out = Vec::new();
    for p in all {
        let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        let data = std::fs::read(&p).unwrap();
        if rel.starts_with("sisimai/mailbox/") {
            for (i, m) in split_mbox(&data).into_iter().enumerate() {
                out.push((format!("{rel}#{}", i + 1), m));
            }
        } else {
            out.push((rel, data));
        }
    }
    out
}

fn count(conn: &rusqlite::Connection, sql: &str) -> usize {
    conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap() as usize
}

#[test]
fn every_corpus_message_is_accounted_for() {
    let root = corpus();
    let msgs = messages_of(&root);
    assert!(msgs.len() > 900, "only {} corpus messages", msgs.len());
    let dir = tempfile::tempdir().unwrap();
    let ctx = corpus_ctx(dir.path());
    let store = ctx.create_store().unwrap();
    let p = Pipeline::new(&ctx.settings, &ctx.announcer);
    let labels: Vec<String> = msgs.iter().map(|(l, _)| l.clone()).collect();
    let again: Vec<Vec<u8>> = msgs.iter().map(|(_, m)| m.clone()).collect();
    let mut outcomes: Vec<Outcome> = Vec::new();
    let summary: Summary = ingest::run_messages(
        store,
        &p,
        msgs.into_iter().map(|(_, m)| m),
        200,
        false,
        |d| {
            outcomes.push(d.outcome.clone());
            Ok(())
        },
    )
    .unwrap();
    let conn = store.db();
    // Raw counts as an outside observer of the file reads them.
    let look = rusqlite::Connection::open(dir.path().join("casebook.db")).unwrap();
    let n = labels.len();
    // Messages in = created + appended + duplicates + auto + quarantined.
    assert_eq!(summary.messages, n);
    assert_eq!(
        summary.created
            + summary.appended
            + summary.duplicates
            + summary.auto
            + summary.quarantined,
        n,
        "{summary:?}"
    );
    // ... and the database agrees.
    let stored = messages::counts(conn).unwrap();
    assert_eq!(count(&look, "SELECT count(*) FROM cases"), summary.created);
    assert_eq!(
        stored.inbound as usize,
        summary.created + summary.appended + summary.auto,
        "{summary:?} {stored:?}"
    );
    assert_eq!(stored.auto as usize, summary.auto);
    assert_eq!(
        quarantine::count(conn).unwrap() as usize,
        summary.quarantined
    );
    assert_eq!(
        count(
            &look,
            "SELECT count(*) FROM messages WHERE auto_reason IS NULL AND case_id IS NULL"
        ),
        0,
        "every human message is on a case"
    );
    // Every quarantined message is held with its bytes and a reason.
    assert_eq!(
        count(&look,
            "SELECT count(*) FROM quarantine WHERE status = 'held' AND reason <> '' AND length(raw) = size"
        ),
        summary.quarantined
    );
    // No panic was needed to get here, and none got lost: the outcomes say so too.
    let panicked: Vec<&String> = labels
        .iter()
        .zip(&outcomes)
        .filter(
            |(_, o)| matches!(o, Outcome::Quarantined { reason, .. } if reason.contains("panic")),
        )
        .map(|(l, _)| l)
        .collect();
    eprintln!("{}", summary.line());
    assert!(
        panicked.is_empty(),
        "panics (caught and quarantined): {panicked:?}"
    );

    // It classifies what it sees: real auto-replies and DSN reports are auto-generated.
    let by_label = |prefix: &str| -> Vec<(&String, &Outcome)> {
        labels
            .iter()
            .zip(&outcomes)
            .filter(|(l, _)| l.starts_with(prefix))
            .collect()
    };
    for prefix in [
        "sisimai/maildir/bsd/rfc3834-",
        "mikel-mail/multipart_report_emails/",
        "sisimai/maildir/bsd/rfc3464-",
    ] {
        let found = by_label(prefix);
        assert!(!found.is_empty(), "{prefix}");
        for (label, o) in found {
            assert!(
                matches!(o, Outcome::Auto { .. } | Outcome::Duplicate { .. }),
                "{label}: {o:?}"
            );
        }
    }
    // The sisimai bounces are overwhelmingly recognised as machine-made.
    let bounces = by_label("sisimai/maildir/bsd/lhost-");
    let missed: Vec<String> = bounces
        .iter()
        .filter(|(_, o)| !matches!(o, Outcome::Auto { .. } | Outcome::Duplicate { .. }))
        .map(|(l, o)| format!("{l}: {}", o.line()))
        .collect();
    eprintln!("bounces not recognised:\n{}", missed.join("\n"));
    let auto = bounces.len() - missed.len();
    assert!(
        auto * 100 >= bounces.len() * 95,
        "only {auto} of {} bounces recognised",
        bounces.len()
    );
    // Bare-CR and CRLF copies parse like their LF originals: never quarantined.
    for prefix in ["sisimai/maildir/mac/", "sisimai/maildir/dos/"] {
        for (label, o) in by_label(prefix) {
            assert!(!matches!(o, Outcome::Quarantined { .. }), "{label}: {o:?}");
        }
    }
    assert!(summary.created > 50 && summary.auto > 500, "{summary:?}");

    // Delivering the whole corpus again stores nothing new.
    let second = ingest::run_messages(store, &p, again, 200, false, |_| Ok(())).unwrap();
    assert_eq!(second.duplicates, n, "{second:?}");
    assert_eq!(messages::counts(conn).unwrap(), stored);
    assert_eq!(
        quarantine::count(conn).unwrap() as usize,
        summary.quarantined
    );
}

/// A desk of its own in `dir`, with every default but the ingest address.
fn corpus_ctx(dir: &Path) -> Ctx {
    let mut config = Config::default();
    config.desk.ingest_address = "cases@desk.example".into();
    Ctx::new(
        config,
        dir.join("config.toml"),
        casebook::store::Location::Sqlite(dir.join("casebook.db")),
        None,
        common::NOW.parse().unwrap(),
        Format::Table,
        false,
    )
}

#[test]
fn the_corpus_imports_as_it_delivers() {
    // A bulk import reads each message on a second thread, and writes a
    // batch without a savepoint per message: every decision, and every
    // step it explains, must be the one the corpus gets message by message.
    let msgs: Vec<Vec<u8>> = messages_of(&corpus()).into_iter().map(|(_, m)| m).collect();
    let decide_all = |bulk: bool| {
        let dir = tempfile::tempdir().unwrap();
        let ctx = corpus_ctx(dir.path());
        let store = ctx.create_store().unwrap();
        let mut decided = Vec::new();
        let each = |d: &ingest::pipeline::Decision| {
            decided.push(serde_json::to_value(d).unwrap());
            Ok(())
        };
        if bulk {
            let p = Pipeline::for_a_batch(&ctx.settings, &ctx.announcer);
            ingest::import(store, &p, msgs.clone(), 200, false, each).unwrap();
        } else {
            let p = Pipeline::new(&ctx.settings, &ctx.announcer);
            ingest::run_messages(store, &p, msgs.clone(), 1, false, each).unwrap();
        }
        decided
    };
    let one_by_one = decide_all(false);
    let imported = decide_all(true);
    assert_eq!(one_by_one.len(), msgs.len());
    assert_eq!(imported.len(), msgs.len());
    for (i, (alone, in_import)) in one_by_one.iter().zip(&imported).enumerate() {
        assert_eq!(alone, in_import, "message {i}");
    }
}

/// About thirty diverse files through the real binary on stdin.
#[test]
fn a_diverse_sample_goes_through_the_binary_on_stdin() {
    let root = corpus();
    let env = Env::new();
    // A private copy of the binary: the shared target folder may be rebuilt meanwhile.
    let bin = env.path("casebook-under-test");
    common::copy_of_the_binary(&bin);
    let mut picked: Vec<PathBuf> = Vec::new();
    for (dir, take) in [
        ("sisimai/maildir/mac", 6),
        ("sisimai/maildir/dos", 5),
        ("sisimai/maildir/err", 3),
        ("sisimai/maildir/not", 2),
        ("mikel-mail/error_emails", 6),
        ("dovecot/malformed", 5),
        ("dovecot/thirdparty", 2),
        ("mikel-mail/attachment_emails", 2),
        ("mikel-mail/multi_charset", 2),
    ] {
        let mut found = Vec::new();
        files(&root.join(dir), &mut found);
        assert!(!found.is_empty(), "{dir} is empty");
        let step = (found.len() / take).max(1);
        picked.extend(found.into_iter().step_by(step).take(take));
    }
    picked.push(root.join("sisimai/maildir/bsd/rfc3834-01.eml"));
    assert!(picked.len() >= 30, "{}", picked.len());
    let mut lines = Vec::new();
    for file in picked.iter().filter(|p| p.is_file()) {
        let raw = std::fs::read(file).unwrap();
        let cmd = env.std_cmd();
        let mut c = std::process::Command::new(&bin);
        c.env_clear()
            .envs(
                cmd.get_envs()
                    .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned()))),
            )
            .current_dir(env.dir.path())
            .arg("ingest")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        let _ = child.stdin.take().unwrap().write_all(&raw);
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let rel = file.strip_prefix(&root).unwrap().display().to_string();
        if raw.iter().all(|b| b.is_ascii_whitespace()) {
            assert_eq!(out.status.code(), Some(65), "{rel}: empty input");
            continue;
        }
        assert_eq!(out.status.code(), Some(0), "{rel}\n{stdout}\n{stderr}");
        assert!(!stderr.contains("panicked"), "{rel}: {stderr}");
        let known = [
            "created #",
            "appended to #",
            "duplicate of",
            "kept auto-reply",
            "quarantined Q",
        ];
        assert!(
            known.iter().any(|k| stdout.starts_with(k)),
            "{rel}: {stdout}"
        );
        lines.push(format!("{rel}: {stdout}"));
    }
    eprintln!("{}", lines.join("\n"));
    // The database holds each of them once.
    let look = env.inspect();
    let stored = count(&look, "SELECT count(*) FROM messages")
        + count(&look, "SELECT count(*) FROM quarantine");
    let dups = lines.iter().filter(|l| l.contains("duplicate of")).count();
    assert_eq!(stored + dups, lines.len());
}
