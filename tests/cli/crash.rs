//! SIGKILL at random moments of the real binary: a single delivery
//! (`ingest < msg`), a bulk import (`ingest --mbox`) and `outbox flush` to a
//! `file:` transport. After every kill the database is intact, no case is
//! half made, and delivering the killed mail again stores each message
//! exactly once; the outbox never hands a message over twice (a second
//! hand-over would replace the delivered file).
//!
//! `outbox_crash.rs` stops a flush at the two exact points that matter;
//! this one kills wherever the clock lands. `cargo test` runs 40 kills;
//! the full run is `CASEBOOK_CRASH_KILLS=200 cargo test --test cli crash`
//! (`CASEBOOK_CRASH_SEED=N` repeats one; the seed is printed on failure).

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use casebook::domain::states::{OutboxKind, OutboxStatus};
use casebook::store::outbox::{self, NewOutgoing};

use crate::common::{self, Env};

const DESK: &str = "[desk]\ningest_address = \"cases@desk.example\"\ndomain = \"desk.example\"\n";

/// splitmix64: a few random numbers, the same for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A moment in `0..=max`.
    fn moment(&mut self, max: Duration) -> Duration {
        let us = max.as_micros().max(1) as u64;
        Duration::from_micros(self.next() % (us + 1))
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn message(tag: &str) -> String {
    format!(
        "From: Customer {tag} <c-{tag}@acme-dental.example>\nTo: cases@desk.example\n\
         Subject: Line {tag} is down\nMessage-ID: <{tag}@acme-dental.example>\n\
         Date: Mon, 23 Nov 2026 08:00:00 -0500\n\nThe phone on line {tag} stopped working.\n"
    )
}

fn mbox(tags: &[String]) -> String {
    tags.iter()
        .map(|t| {
            format!(
                "From c-{t}@acme-dental.example Mon Nov 23 08:00:00 2026\n{}\n",
                message(t)
            )
        })
        .collect()
}

/// Starts `args` with `stdin` written to it.
fn spawn(env: &Env, args: &[&str], stdin: Option<&str>) -> Child {
    let mut c = env.std_cmd();
    c.args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = c.spawn().unwrap();
    if let Some(text) = stdin {
        // A kill before the message is read all breaks the pipe: that is fine.
        let _ = child.stdin.take().unwrap().write_all(text.as_bytes());
    }
    child
}

/// How long `args` takes when nobody kills it.
fn duration_of(env: &Env, args: &[&str], stdin: Option<&str>) -> Duration {
    let started = Instant::now();
    let status = spawn(env, args, stdin).wait().unwrap();
    assert!(status.success(), "{args:?} exited {status:?}");
    started.elapsed()
}

/// Runs `args` and SIGKILLs it after `after` (unless it is done by then);
/// whether it was killed.
fn kill_after(env: &Env, args: &[&str], stdin: Option<&str>, after: Duration) -> bool {
    let mut child = spawn(env, args, stdin);
    std::thread::sleep(after);
    let killed = matches!(child.try_wait(), Ok(None));
    let _ = child.kill();
    let status = child.wait().unwrap();
    assert!(
        killed || status.success(),
        "{args:?} ended by itself with {status:?}"
    );
    killed
}

/// What must hold after any kill: an intact database, no case without its
/// message and its history.
fn check_intact(env: &Env) -> Result<(), String> {
    if !common::on_postgres() {
        let ok: String = env
            .inspect()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| e.to_string())?;
        if ok != "ok" {
            return Err(format!("integrity_check: {ok}"));
        }
    }
    let bare = env.count(
        "SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.case_id = c.id)
            OR NOT EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id)",
    );
    if bare != 0 {
        return Err(format!("{bare} case(s) without their message or events"));
    }
    Ok(())
}

/// Each of `tags` stored exactly once, as one case.
fn check_once(env: &Env, tags: &[String]) -> Result<(), String> {
    for t in tags {
        let n = env.count(&format!(
            "SELECT count(*) FROM messages WHERE message_id = '{t}@acme-dental.example'"
        ));
        let cases = env.count(&format!(
            "SELECT count(*) FROM cases WHERE contact_email = 'c-{t}@acme-dental.example'"
        ));
        if (n, cases) != (1, 1) {
            return Err(format!("`{t}`: {n} message(s), {cases} case(s)"));
        }
    }
    Ok(())
}

/// Figures of one kind of run.
#[derive(Default)]
struct Tally {
    runs: usize,
    killed: usize,
}

#[test]
fn sigkill_at_random_moments_loses_nothing_and_stores_nothing_twice() {
    let kills = env_number("CASEBOOK_CRASH_KILLS", 40);
    let seed = env_number("CASEBOOK_CRASH_SEED", 0x5EED_CA5E);
    let result = std::panic::catch_unwind(|| run(kills, seed));
    match result {
        Ok(Ok(line)) => eprintln!("crash: seed {seed}: {line}"),
        Ok(Err(e)) => {
            panic!("crash test failed (seed {seed}; CASEBOOK_CRASH_SEED={seed} repeats it): {e}")
        }
        Err(p) => {
            eprintln!("crash test panicked (seed {seed}; CASEBOOK_CRASH_SEED={seed} repeats it)");
            std::panic::resume_unwind(p)
        }
    }
}

fn run(kills: u64, seed: u64) -> Result<String, String> {
    let mut rng = Rng(seed);
    let ingest = Env::new();
    ingest.write(
        "config.toml",
        &format!("{DESK}[mail]\ntransport = \"none\"\n"),
    );
    let (flush, mail) = outbox_desk();

    // How long each kind runs unkilled: the kill moments span that and a little more.
    let single_time = duration_of(&ingest, &["ingest"], Some(&message("calibrate-1")));
    let calibrate: Vec<String> = (0..100).map(|i| format!("calibrate-m{i}")).collect();
    let mbox_path = ingest.path("calibrate.mbox");
    std::fs::write(&mbox_path, mbox(&calibrate)).unwrap();
    let bulk_time = duration_of(
        &ingest,
        &["ingest", "--mbox", mbox_path.to_str().unwrap()],
        None,
    );
    queue(&flush, "calibrate", 30);
    let flush_time = duration_of(&flush, &["--now", &flush_at(0), "outbox", "flush"], None);

    let (mut single, mut bulk, mut flushes) =
        (Tally::default(), Tally::default(), Tally::default());
    // A delivered file's inode: a second hand-over would rename a new file over it.
    let mut delivered: HashMap<String, u64> = HashMap::new();
    let mut round = 0u64;
    while (single.killed + bulk.killed + flushes.killed) < kills as usize {
        round += 1;
        if round > 20 * kills + 100 {
            return Err("the processes keep ending before their kill".into());
        }
        match round % 3 {
            0 => {
                let tag = format!("single-{round}");
                let mail = message(&tag);
                let at = rng.moment(single_time.mul_f64(1.3));
                single.runs += 1;
                single.killed += usize::from(kill_after(&ingest, &["ingest"], Some(&mail), at));
                check_intact(&ingest)
                    .map_err(|e| format!("single ingest killed at {at:?}: {e}"))?;
                // The MTA delivers it again (the kill was a failed delivery).
                let again = ingest
                    .cmd()
                    .arg("ingest")
                    .write_stdin(mail)
                    .output()
                    .unwrap();
                if !again.status.success() {
                    return Err(format!("redelivery of `{tag}`: {again:?}"));
                }
                check_once(&ingest, &[tag])
                    .map_err(|e| format!("single ingest killed at {at:?}: {e}"))?;
            }
            1 => {
                let tags: Vec<String> = (0..100).map(|i| format!("bulk-{round}-{i}")).collect();
                let path = ingest.path(&format!("bulk-{round}.mbox"));
                std::fs::write(&path, mbox(&tags)).unwrap();
                let args = ["ingest", "--mbox", path.to_str().unwrap()];
                let at = rng.moment(bulk_time.mul_f64(1.3));
                bulk.runs += 1;
                bulk.killed += usize::from(kill_after(&ingest, &args, None, at));
                check_intact(&ingest).map_err(|e| format!("bulk ingest killed at {at:?}: {e}"))?;
                // Importing the whole mbox again stores what was missing and skips the rest.
                let again = ingest.run(&args);
                if !again.status.success() {
                    return Err(format!("re-import of round {round}: {again:?}"));
                }
                check_once(&ingest, &tags)
                    .map_err(|e| format!("bulk ingest killed at {at:?}: {e}"))?;
            }
            _ => {
                queue(&flush, &format!("flush-{round}"), 30);
                let now = flush_at(2 * round);
                let args = ["--now", now.as_str(), "outbox", "flush"];
                let at = rng.moment(flush_time.mul_f64(1.3));
                flushes.runs += 1;
                flushes.killed += usize::from(kill_after(&flush, &args, None, at));
                if !common::on_postgres() {
                    check_store_ok(&flush).map_err(|e| format!("flush killed at {at:?}: {e}"))?;
                }
                // The next flush runs once the killed one's claims have lapsed.
                let later = flush_at(2 * round + 1);
                let again = flush.run(&["--now", &later, "outbox", "flush"]);
                if !again.status.success() {
                    return Err(format!("the flush after round {round}: {again:?}"));
                }
                check_flushed(&flush, &mail, &mut delivered)
                    .map_err(|e| format!("flush killed at {at:?}: {e}"))?;
            }
        }
    }
    Ok(format!(
        "{} kills in {round} rounds: single ingest {}/{} killed (runs {:?} unkilled), \
         bulk ingest of 100 {}/{} ({:?}), outbox flush of 30 {}/{} ({:?}); \
         nothing lost, nothing stored or handed over twice",
        single.killed + bulk.killed + flushes.killed,
        single.killed,
        single.runs,
        single_time,
        bulk.killed,
        bulk.runs,
        bulk_time,
        flushes.killed,
        flushes.runs,
        flush_time
    ))
}

/// The flush's desk: mail goes to a folder.
fn outbox_desk() -> (Env, std::path::PathBuf) {
    let env = Env::new();
    let mail = env.path("mail");
    std::fs::create_dir_all(&mail).unwrap();
    env.write(
        "config.toml",
        &format!("{DESK}[mail]\ntransport = \"file:{}\"\n", mail.display()),
    );
    (env, mail)
}

/// The flushes' clock: an hour apart, well past a claim's ten-minute lease.
fn flush_at(step: u64) -> String {
    let t: chrono::DateTime<chrono::Utc> = common::NOW.parse().unwrap();
    (t + chrono::Duration::hours(step as i64 + 1)).to_rfc3339()
}

/// Queues `n` messages named `tag-i`.
fn queue(env: &Env, tag: &str, n: usize) {
    let now = common::NOW.parse().unwrap();
    env.store()
        .write(|tx| -> casebook::store::Result<()> {
            for i in 0..n {
                let id = format!("{tag}-{i}@desk.example");
                let raw = format!(
                    "From: cases@desk.example\r\nTo: ann@acme-dental.example\r\nSubject: {tag} {i}\r\n\
                     Message-ID: <{id}>\r\n\r\nHello.\r\n"
                );
                outbox::insert(
                    tx,
                    &NewOutgoing {
                        case: None,
                        kind: OutboxKind::Notify,
                        recipient: "ann@acme-dental.example",
                        subject: "hello",
                        message_id: &id,
                        raw: raw.as_bytes(),
                        status: OutboxStatus::Queued,
                        last_error: None,
                        at: now,
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
}

fn check_store_ok(env: &Env) -> Result<(), String> {
    let ok: String = env
        .inspect()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    (ok == "ok")
        .then_some(())
        .ok_or(format!("integrity_check: {ok}"))
}

/// Everything queued is sent, each file delivered once (its inode never
/// replaced), and no temporary file is left.
fn check_flushed(
    env: &Env,
    mail: &Path,
    delivered: &mut HashMap<String, u64>,
) -> Result<(), String> {
    let unsent = env.count("SELECT count(*) FROM outbox WHERE status <> 'sent'");
    if unsent != 0 {
        return Err(format!("{unsent} outbox message(s) not sent"));
    }
    let mut files = 0;
    for entry in std::fs::read_dir(mail).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".tmp") {
            return Err(format!("`{name}` left behind"));
        }
        files += 1;
        let inode = entry.metadata().unwrap().ino();
        if let Some(was) = delivered.insert(name.clone(), inode) {
            if was != inode {
                return Err(format!("`{name}` was handed over twice"));
            }
        }
    }
    let queued = env.count("SELECT count(*) FROM outbox");
    if files != queued {
        return Err(format!("{files} file(s) for {queued} outbox message(s)"));
    }
    Ok(())
}
