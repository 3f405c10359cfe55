//! The PostgreSQL backend end to end, on a real server on loopback (see
//! `common::pg_server`): the whole suite once more on it, `init` and
//! `migrate-to`, two hosts sharing one desk, and a server that stops in
//! the middle of a delivery run.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::common::smtp_sink::SmtpSink;
use crate::common::{self, pg_server, Env};

/// The test server, or a failure that says what to install (or a skip
/// when CASEBOOK_SKIP_REAL is set): `None` means skip.
fn server() -> Option<&'static pg_server::Server> {
    match pg_server::server() {
        Ok(s) => Some(s),
        Err(e) if std::env::var_os("CASEBOOK_SKIP_REAL").is_some() => {
            eprintln!("skipped: {e}");
            None
        }
        Err(e) => panic!("{e}\n(set CASEBOOK_SKIP_REAL=1 to skip the real-server tests)"),
    }
}

/// Tests of what only a SQLite file has (its mode, WAL, symlinks, the
/// backup file, SQLite's own locks and inspection of the file), which
/// the PostgreSQL run leaves out.
const SQLITE_ONLY: &[&str] = &[
    "postgres::",
    "foundation::",
    "corpus::",
    "search::search_waits_for_nothing",
    "ingest::a_locked_database",
    "ingest::locked",
    "ingest::unwritable",
    "ingest::read_only",
    "ingest::missing_database",
    "ingest::a_broken_search_index",
    "search::a_search_while_another_process_writes",
    "mailhost::",
    "readme::",
];

#[test]
fn every_test_passes_on_postgres() {
    if common::on_postgres() || server().is_none() {
        return;
    }
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.env("CASEBOOK_TEST_BACKEND", "postgres");
    for skip in SQLITE_ONLY {
        cmd.args(["--skip", skip]);
    }
    let out = cmd.output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the suite on PostgreSQL:\n{}\n{}",
        report
            .lines()
            .filter(|l| l.contains("FAILED")
                || l.starts_with("test result")
                || l.starts_with("    "))
            .collect::<Vec<_>>()
            .join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("test result: ok"), "{report}");
}

/// An environment on a fresh, empty PostgreSQL database (no tables yet).
fn empty_pg_env(server: &pg_server::Server) -> Env {
    let mut env = Env::new();
    env.pg = Some(server.url(&server.empty_database()));
    env
}

#[test]
fn init_makes_an_empty_postgres_database_a_desk_and_nothing_else_does() {
    let Some(server) = server() else { return };
    let env = empty_pg_env(server);
    // Before init: every command refuses, ingest keeps the mail with the MTA.
    let err = env.fails(&["list"], 1);
    assert!(err.contains("casebook init"), "{err}");
    let out = env
        .cmd()
        .arg("ingest")
        .write_stdin("From: a@b.example\nSubject: x\nMessage-ID: <x@b>\n\nhello\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(75), "{out:?}");
    env.ok(&["init"]);
    env.ok(&["init"]); // again: nothing changes
    env.with_team();
    assert!(env.ok(&["people", "list"]).contains("amy"));
    // Every step applied: one per file in the migrations folder.
    let steps = std::fs::read_dir(Env::root().join("src/store/postgres/migrations"))
        .unwrap()
        .count() as i64;
    assert_eq!(env.count("SELECT max(version) FROM casebook_schema"), steps);
}

#[test]
fn a_password_in_the_url_is_refused_and_never_shown() {
    let Some(server) = server() else { return };
    let env = Env::new();
    let url = format!(
        "postgres://postgres:hunter2@127.0.0.1:{}/postgres",
        server.port
    );
    let err = env.fails(&["--db", &url, "list"], 1);
    assert!(err.contains("~/.pgpass"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn a_database_from_a_newer_casebook_is_refused() {
    let Some(server) = server() else { return };
    let env = empty_pg_env(server);
    env.ok(&["init"]);
    env.count("SELECT count(*) FROM (SELECT 1) x");
    let url = env.pg.clone().unwrap();
    let name = url.rsplit('/').next().unwrap();
    server
        .psql(name, "INSERT INTO casebook_schema (version) VALUES (99)")
        .unwrap();
    let err = env.fails(&["list"], 1);
    assert!(err.contains("newer"), "{err}");
}

#[test]
fn migrate_to_moves_the_demo_desk_and_both_read_the_same() {
    let Some(server) = server() else { return };
    let env = Env::new();
    let demo = env.path("demo");
    env.ok(&["demo", "--dir", demo.to_str().unwrap()]);
    let sqlite = demo.join("casebook.db");
    let config = demo.join("config.toml");
    let url = server.url(&server.empty_database());
    let run = |db: &str, args: &[&str]| -> String {
        let out = env
            .cmd()
            .env("CASEBOOK_DB", db)
            .env("CASEBOOK_CONFIG", &config)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?} on {db}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let moved = run(sqlite.to_str().unwrap(), &["migrate-to", &url]);
    for table in [
        "cases",
        "messages",
        "outbox",
        "events",
        "comments",
        "attachments",
    ] {
        assert!(moved.contains(table), "{moved}");
    }
    // Moving twice is refused: the target holds a desk now.
    let again = env
        .cmd()
        .env("CASEBOOK_DB", &sqlite)
        .env("CASEBOOK_CONFIG", &config)
        .args(["migrate-to", &url])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    // Raw mail is byte for byte the same, message by message.
    let look = rusqlite::Connection::open(&sqlite).unwrap();
    let mut stmt = look
        .prepare("SELECT id, raw FROM messages ORDER BY id")
        .unwrap();
    let in_sqlite: Vec<(i64, Vec<u8>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let in_postgres: Vec<(i64, Vec<u8>)> = client
        .query("SELECT id, raw FROM messages ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert!(!in_sqlite.is_empty());
    assert_eq!(in_sqlite, in_postgres);
    // Every view reads the same on both.
    for args in [
        &["list", "--all", "--format", "json"][..],
        &["show", "1"],
        &["search", "fax"],
        &["report"],
        &["owned", "--as", "jlee"],
        &["quarantine", "list"],
        &["outbox", "list"],
    ] {
        assert_eq!(
            run(sqlite.to_str().unwrap(), args),
            run(&url, args),
            "{args:?}"
        );
    }
    // The next case continues the numbering.
    let out = env
        .cmd()
        .env("CASEBOOK_DB", &url)
        .env("CASEBOOK_CONFIG", &config)
        .args(["ingest"])
        .write_stdin(customer_mail(7))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let cases = run(&url, &["list", "--all", "--format", "json"]);
    let numbers: Vec<i64> = serde_json::from_str::<Vec<serde_json::Value>>(&cases)
        .unwrap()
        .iter()
        .map(|c| c["number"].as_i64().unwrap())
        .collect();
    let max_before = numbers[..numbers.len() - 1].iter().max().copied();
    assert_eq!(
        numbers.iter().max().copied(),
        max_before.map(|m| m + 1),
        "{numbers:?}"
    );
}

fn customer_mail(i: usize) -> String {
    let domain = if i.is_multiple_of(3) {
        "acme-dental.example"
    } else {
        "dune-freight.example"
    };
    format!(
        "From: Customer {i} <c{i}@{domain}>\r\nTo: cases@desk.example\r\n\
         Subject: Line {i} is down\r\nMessage-ID: <m{i}@{domain}>\r\n\
         Date: Mon, 23 Nov 2026 08:00:00 -0500\r\n\r\nLine {i} stopped working this morning.\r\n"
    )
}

/// Pipes each message into `casebook ingest` on `env`, `jobs` at a time;
/// returns the exit codes.
fn deliver(env: &Env, mails: Vec<String>, jobs: usize) -> Vec<i32> {
    let mails = Arc::new(mails);
    let next = Arc::new(AtomicUsize::new(0));
    let codes = Arc::new(std::sync::Mutex::new(Vec::new()));
    std::thread::scope(|s| {
        for _ in 0..jobs {
            let (mails, next, codes) = (mails.clone(), next.clone(), codes.clone());
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(mail) = mails.get(i) else { break };
                let out = env
                    .cmd()
                    .arg("ingest")
                    .write_stdin(mail.as_bytes())
                    .output()
                    .unwrap();
                codes.lock().unwrap().push(out.status.code().unwrap_or(-1));
            });
        }
    });
    Arc::try_unwrap(codes).unwrap().into_inner().unwrap()
}

fn host_config(sink: &SmtpSink, name: &str) -> String {
    format!(
        "[desk]\nname = \"{name}\"\ningest_address = \"cases@desk.example\"\ndomain = \"desk.example\"\n\
         [mail]\ntransport = \"{}\"\n\
         [report]\nrecipients = [\"boss@desk.example\"]\n",
        sink.transport_url()
    )
}

#[test]
fn two_hosts_share_one_desk_and_nothing_happens_twice() {
    let Some(server) = server() else { return };
    let sink = SmtpSink::start();
    let mut a = Env::new();
    a.pg = Some(server.desk_database());
    a.write("config.toml", &host_config(&sink, "Desk (mx1)"));
    a.with_team();
    let mut b = Env::new();
    b.share_database_of(&a);
    b.write("config.toml", &host_config(&sink, "Desk (mx2)"));

    // 500 different messages on each host at once, and 100 of host a's
    // delivered again on host b.
    let for_a: Vec<String> = (0..500).map(customer_mail).collect();
    let mut for_b: Vec<String> = (500..1000).map(customer_mail).collect();
    for_b.extend((0..100).map(customer_mail));
    let (codes_a, codes_b) = std::thread::scope(|s| {
        let ha = s.spawn(|| deliver(&a, for_a, 4));
        let hb = s.spawn(|| deliver(&b, for_b, 4));
        (ha.join().unwrap(), hb.join().unwrap())
    });
    assert!(
        codes_a.iter().chain(&codes_b).all(|c| *c == 0),
        "exit codes other than 0"
    );
    assert_eq!(
        a.count("SELECT count(*) FROM messages WHERE direction = 'in'"),
        1000
    );
    assert_eq!(
        a.count("SELECT count(DISTINCT message_id) FROM messages WHERE direction = 'in'"),
        1000
    );
    assert_eq!(a.count("SELECT count(*) FROM cases"), 1000);

    // Triage, outbox flush and the report on both hosts at once.
    let both = |args: &[&str]| {
        std::thread::scope(|s| {
            let ha = s.spawn(|| a.run(args));
            let hb = s.spawn(|| b.run(args));
            for out in [ha.join().unwrap(), hb.join().unwrap()] {
                assert!(out.status.success(), "{args:?}: {out:?}");
            }
        })
    };
    both(&["--as", "jlee", "triage"]);
    both(&["outbox", "flush"]);
    both(&["report", "--send"]);
    both(&["outbox", "flush"]);

    assert_eq!(
        a.count("SELECT count(*) FROM cases WHERE owner IS NULL AND closed_at IS NULL"),
        0,
        "triage left cases in the queue"
    );
    assert_eq!(
        a.count(
            "SELECT count(*) FROM (SELECT case_id FROM events WHERE field = 'owner'
               GROUP BY case_id HAVING count(*) > 1) twice"
        ),
        0,
        "a case was given away twice"
    );
    assert_eq!(a.count("SELECT count(*) FROM report_sends"), 1);
    let received = sink.messages();
    let mut ids: Vec<String> = received
        .iter()
        .map(|m| {
            let text = String::from_utf8_lossy(&m.data).into_owned();
            text.lines()
                .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let all = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all, "a message was sent twice");
    assert_eq!(
        a.count("SELECT count(*) FROM outbox WHERE status = 'sent'") as usize,
        all
    );
    let reports = received
        .iter()
        .filter(|m| String::from_utf8_lossy(&m.data).contains("Subject: Open cases"))
        .count();
    assert_eq!(reports, 1, "the report went out once");
}

#[test]
fn a_server_stopped_during_deliveries_loses_nothing_and_stores_nothing_twice() {
    if common::on_postgres() {
        return;
    }
    let Some(_) = server() else { return };
    // A server of its own: stopping the shared one would fail other tests.
    let own = pg_server::private().unwrap();
    let mut env = Env::new();
    env.pg = Some(own.desk_database());
    env.write("config.toml", "[store]\nbusy_timeout_ms = 2000\n");
    let mails: Vec<String> = (0..120).map(customer_mail).collect();
    let codes = std::thread::scope(|s| {
        let run = s.spawn(|| deliver(&env, mails.clone(), 3));
        // Stop the server while the deliveries run.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while env.count("SELECT count(*) FROM messages") < 30
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        own.stop();
        run.join().unwrap()
    });
    assert!(codes.iter().all(|c| *c == 0 || *c == 75), "{codes:?}");
    assert!(
        codes.contains(&75),
        "the server stopped, yet every delivery succeeded"
    );
    own.restart().unwrap();
    // Nothing half-written: every stored message has its case.
    assert_eq!(
        env.count("SELECT count(*) FROM messages WHERE case_id IS NULL"),
        0
    );
    // The MTA delivers everything again (what got 75, and, to be sure, the rest).
    let again = deliver(&env, mails, 3);
    assert!(again.iter().all(|c| *c == 0), "{again:?}");
    assert_eq!(env.count("SELECT count(*) FROM messages"), 120);
    assert_eq!(env.count("SELECT count(*) FROM cases"), 120);
}
