//! Bounded memory (no timing): one delivery of a large message runs under
//! an address-space limit of a fixed base plus 2.5 times the message, and
//! must still store it whole. The figures are `benches/memory.sh`'s.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::Env;

/// What a debug build of `casebook ingest` maps before any message: the
/// binary, its libraries, stack and heap (about 30 MiB); generous.
const BASE: u64 = 64 << 20;

/// Runs `casebook ingest < msg` under `prlimit --as=BASE + 2.5 x size`; its
/// stdout, or `None` when this machine has no prlimit.
fn ingest_bounded(env: &Env, msg: &Path) -> Option<String> {
    if Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("memory: no prlimit (util-linux) here: the bound is not checked");
        return None;
    }
    let size = std::fs::metadata(msg).unwrap().len();
    let limit = BASE + size * 5 / 2;
    let cmd = env.std_cmd();
    let mut c = Command::new("prlimit");
    c.env_clear().current_dir(env.dir.path());
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            c.env(k, v);
        }
    }
    let out = c
        .arg(format!("--as={limit}"))
        .arg(cmd.get_program())
        .arg("ingest")
        .stdin(std::fs::File::open(msg).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "ingest of {size} bytes under {limit} bytes of address space: {:?}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    Some(stdout)
}

fn head(id: &str, extra: &str) -> String {
    format!(
        "From: Ann Acme <ann@acme.example>\r\nTo: cases@desk.example\r\nSubject: memory {id}\r\n\
         Date: Mon, 23 Nov 2026 08:00:00 -0500\r\nMessage-ID: <{id}@acme.example>\r\n{extra}"
    )
}

fn write_message(env: &Env, name: &str, head: &str, body: impl Fn(&mut dyn Write)) -> Vec<u8> {
    let path = env.path(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    f.write_all(head.as_bytes()).unwrap();
    body(&mut f);
    drop(f);
    std::fs::read(&path).unwrap()
}

const LINE: &[u8] =
    b"The quick brown fox jumps over the lazy dog, and the phones are down again.\r\n";

#[test]
fn large_messages_are_stored_whole_within_base_plus_two_and_a_half_times_their_size() {
    let env = Env::new();
    // A 20 MB text body: a case, its description cut with a note, the raw kept whole.
    let body = write_message(
        &env,
        "body.eml",
        &head(
            "mem-body",
            "Content-Type: text/plain; charset=utf-8\r\n\r\n",
        ),
        |f| {
            for _ in 0..20_000_000 / LINE.len() {
                f.write_all(LINE).unwrap();
            }
        },
    );
    let Some(out) = ingest_bounded(&env, &env.path("body.eml")) else {
        return;
    };
    assert!(out.starts_with("created #1"), "{out}");
    assert_eq!(
        env.blob("SELECT raw FROM messages WHERE message_id = 'mem-body@acme.example'"),
        body
    );
    let description = env.rows("SELECT description FROM cases")[0][0]
        .clone()
        .unwrap();
    assert!(description.len() < 2 << 20, "{}", description.len());
    assert!(description.ends_with("The whole message is stored with the case.]"));

    // A 15 MB attachment (20 MB of base64): listed at its decoded size.
    let attachment = write_message(
        &env,
        "attachment.eml",
        &head(
            "mem-att",
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
             Content-Type: text/plain\r\n\r\nThe contract is attached.\r\n--b\r\n\
             Content-Type: application/pdf; name=\"contract.pdf\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n",
        ),
        |f| {
            // 57 bytes of 0xA5 a line, as base64 writes them.
            let line = format!("{}\r\n", "paWl".repeat(19));
            for _ in 0..15_000_000 / 57 {
                f.write_all(line.as_bytes()).unwrap();
            }
            f.write_all(b"--b--\r\n").unwrap();
        },
    );
    let out = ingest_bounded(&env, &env.path("attachment.eml")).unwrap();
    assert!(out.starts_with("created #2"), "{out}");
    assert_eq!(
        env.blob("SELECT raw FROM messages WHERE message_id = 'mem-att@acme.example'"),
        attachment
    );
    assert_eq!(
        env.count("SELECT size FROM attachments WHERE name = 'contract.pdf'"),
        (15_000_000 / 57 * 57) as i64
    );

    // 30 MB, over the 25 MiB limit: quarantined whole, never parsed.
    let over = write_message(
        &env,
        "over.eml",
        &head("mem-over", "Content-Type: text/plain\r\n\r\n"),
        |f| {
            for _ in 0..30_000_000 / LINE.len() {
                f.write_all(LINE).unwrap();
            }
        },
    );
    let out = ingest_bounded(&env, &env.path("over.eml")).unwrap();
    assert!(out.contains("over the size limit"), "{out}");
    assert_eq!(env.blob("SELECT raw FROM quarantine"), over);
}
