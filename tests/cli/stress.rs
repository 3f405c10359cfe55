//! Many deliveries at once while the daily commands run beside them, as on
//! a busy mail host: every message stored exactly once, every delivery
//! exit 0 (or 75, then a retry that succeeds), the database intact.
//!
//! CI runs a bounded form (8 processes x 40 messages); the full
//! size is `CASEBOOK_STRESS_MESSAGES=250 cargo test --test cli stress`.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::{self, Env};

fn per_process() -> usize {
    std::env::var("CASEBOOK_STRESS_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

fn message(process: usize, i: usize) -> String {
    let domain = if i.is_multiple_of(2) {
        "acme-dental.example"
    } else {
        "dune-freight.example"
    };
    format!(
        "From: Customer {process}-{i} <c{process}x{i}@{domain}>\nTo: cases@desk.example\n\
         Subject: Line {process}-{i} 555-01{i:02} is down\nMessage-ID: <s{process}-{i}@{domain}>\n\
         Date: Mon, 23 Nov 2026 08:00:00 -0500\n\nPhone 555-01{i:02} stopped working.\n"
    )
}

#[test]
fn eight_delivering_processes_beside_the_daily_commands_store_each_message_once() {
    let env = Env::new();
    env.write(
        "config.toml",
        "[desk]\ningest_address = \"cases@desk.example\"\ndomain = \"desk.example\"\n\
         [mail]\ntransport = \"file:mail\"\n[store]\nbusy_timeout_ms = 2000\n",
    );
    env.with_team();
    let n = per_process();
    let done = AtomicBool::new(false);
    let retried = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        let deliveries: Vec<_> = (0..8)
            .map(|p| {
                let (env, retried) = (&env, &retried);
                s.spawn(move || {
                    for i in 0..n {
                        let mail = message(p, i);
                        let again = common::deliver_until_stored("ingest", || {
                            env.cmd()
                                .arg("ingest")
                                .write_stdin(mail.clone())
                                .output()
                                .unwrap()
                        });
                        retried.fetch_add(again, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        // The daily commands in a loop beside the deliveries.
        let daily = s.spawn(|| {
            let backup = env.path("backup.db");
            let mut rounds = 0;
            while !done.load(Ordering::SeqCst) {
                for args in [
                    &["--as", "jlee", "triage"][..],
                    &["list", "--all"],
                    &["sweep", "-q"],
                    &["search", "555-0101"],
                    &["outbox", "flush", "-q"],
                ] {
                    let out = env.run(args);
                    assert!(
                        matches!(out.status.code(), Some(0) | Some(75)),
                        "{args:?}: {out:?}"
                    );
                }
                let _ = std::fs::remove_file(&backup);
                if !common::on_postgres() {
                    let out = env.run(&["backup", backup.to_str().unwrap()]);
                    assert!(
                        matches!(out.status.code(), Some(0) | Some(75)),
                        "backup: {out:?}"
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
        assert!(daily.join().unwrap() > 0, "the daily commands ran");
    });
    let total = (8 * n) as i64;
    assert_eq!(
        env.count("SELECT count(*) FROM messages WHERE direction = 'in'"),
        total
    );
    assert_eq!(
        env.count("SELECT count(DISTINCT message_id) FROM messages WHERE direction = 'in'"),
        total
    );
    assert_eq!(env.count("SELECT count(*) FROM cases"), total);
    if !common::on_postgres() {
        let ok: String = env
            .inspect()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
    }
    // Everything is findable once the writers are done.
    let found = env.json(&["search", "stopped", "--limit", "1000"]);
    assert_eq!(found.as_array().unwrap().len() as i64, total);
    eprintln!(
        "{} deliveries were retried after 75",
        retried.load(Ordering::SeqCst)
    );
}
