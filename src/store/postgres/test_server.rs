//! A real PostgreSQL server on loopback for the tests, started once per
//! test process (`initdb` into a temporary folder, the server as a child
//! that stops when the test process ends), and a fresh database per test.
//!
//! Shared by the library's tests and the end-to-end suite (which includes
//! this file by path). The server binaries are found in `CASEBOOK_PG_BIN`,
//! else `/usr/lib/postgresql/*/bin`. As root (CI), the server runs as the
//! `postgres` user, as initdb requires.

// Each suite uses only part of it (the fault tests stop and restart it).
#![allow(dead_code)]

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

pub struct Server {
    pub port: u16,
    dir: PathBuf,
    bin: PathBuf,
    children: Mutex<Vec<Child>>,
}

/// The template every test database is copied from: migrated by
/// `casebook init` semantics (the store's own `create`) once.
pub const TEMPLATE: &str = "casebook_template";

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// The server, started on first use; an error says what is missing.
pub fn server() -> Result<&'static Server, String> {
    SERVER.get_or_init(start).as_ref().map_err(Clone::clone)
}

impl Server {
    /// The URL of database `name` on this server.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Runs one statement through `psql` as the superuser.
    pub fn psql(&self, db: &str, sql: &str) -> Result<String, String> {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                db,
            ])
            .args(["-c", sql])
            .env_remove("PGPASSWORD")
            .output()
            .map_err(|e| format!("psql: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// A new, empty database; returns its name.
    pub fn empty_database(&self) -> String {
        let name = format!(
            "t{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::SeqCst)
        );
        self.psql("postgres", &format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        name
    }

    /// A new database with casebook's tables (a copy of the template);
    /// returns its URL.
    pub fn desk_database(&self) -> String {
        let name = format!(
            "t{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::SeqCst)
        );
        self.psql(
            "postgres",
            &format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE}"),
        )
        .expect("copy the template database");
        self.url(&name)
    }

    /// Stops the server (a fault test), keeping its data.
    pub fn stop(&self) {
        let _ = self.pg_ctl(&["stop", "-m", "fast", "-w"]);
    }

    /// Starts the stopped server again on the same port.
    pub fn restart(&self) -> Result<(), String> {
        self.pg_ctl(&[
            "start",
            "-w",
            "-l",
            &self.dir.join("log2").display().to_string(),
            "-o",
            &self.options(),
        ])
    }

    fn options(&self) -> String {
        format!(
            "-k {} -p {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            self.dir.display(),
            self.port
        )
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<(), String> {
        let out = as_server_user(
            Command::new(self.bin.join("pg_ctl"))
                .arg("-D")
                .arg(self.dir.join("data"))
                .args(args),
        )
        .output()
        .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }
}

fn bin_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CASEBOOK_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| Some(e.ok()?.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort();
    found.pop()
}

/// The user the server runs as: `postgres` when we are root (read from
/// /etc/passwd: the uid and gid of the `postgres` entry).
fn server_user() -> Option<(u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    if std::fs::metadata("/proc/self").ok()?.uid() != 0 {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.first() == Some(&"postgres") && fields.len() > 3)
            .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
            .flatten()
    })
}

fn as_server_user(cmd: &mut Command) -> &mut Command {
    if let Some((uid, gid)) = server_user() {
        cmd.uid(uid).gid(gid);
    }
    cmd
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn start() -> Result<Server, String> {
    let bin = bin_dir().ok_or(
        "no PostgreSQL server binaries (initdb) in /usr/lib/postgresql/*/bin or CASEBOOK_PG_BIN: \
         run .ci/run, or install Debian's postgresql package",
    )?;
    let dir = std::env::temp_dir().join(format!("casebook-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data")).map_err(|e| e.to_string())?;
    if let Some((uid, gid)) = server_user() {
        for p in [dir.as_path(), &dir.join("data")] {
            std::os::unix::fs::chown(p, Some(uid), Some(gid)).map_err(|e| e.to_string())?;
        }
    }
    let out = as_server_user(
        Command::new(bin.join("initdb"))
            .arg("-D")
            .arg(dir.join("data"))
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]),
    )
    .output()
    .map_err(|e| format!("initdb: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let port = free_port();
    let child = spawn_watched(&bin, &dir, port)?;
    let server = Server {
        port,
        dir: dir.clone(),
        bin,
        children: Mutex::new(vec![child]),
    };
    wait_until_ready(&server, &dir)?;
    server.psql("postgres", &format!("CREATE DATABASE {TEMPLATE}"))?;
    super::create_desk(&server.url(TEMPLATE))?;
    Ok(server)
}

/// Starts the server under a watchdog shell that stops it (fast shutdown)
/// when its stdin closes, which happens when the test process ends,
/// however it ends.
fn spawn_watched(bin: &Path, dir: &Path, port: u16) -> Result<Child, String> {
    let script = format!(
        "{postgres} -D {data} -k {dir} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off \\
           -c max_connections=200 </dev/null >>{dir}/log 2>&1 &
         pid=$!
         read _
         kill -INT $pid
         wait $pid
         rm -rf {dir}",
        postgres = bin.join("postgres").display(),
        data = dir.join("data").display(),
        dir = dir.display(),
    );
    as_server_user(Command::new("/bin/sh").args(["-c", &script]))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("postgres: {e}"))
}

fn wait_until_ready(server: &Server, dir: &Path) -> Result<(), String> {
    for _ in 0..300 {
        if server.psql("postgres", "SELECT 1").is_ok() {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Err(format!(
        "the test PostgreSQL server did not start: {}",
        std::fs::read_to_string(dir.join("log")).unwrap_or_default()
    ))
}
