//! The end-to-end test environment: the real binary, a cleared environment, a
//! temporary HOME and database, a fixed clock and a fixed terminal width.
#![allow(dead_code)]

#[path = "../../../src/store/postgres/test_server.rs"]
pub mod pg_server;
pub mod seed;
pub mod smtp_sink;

/// Makes casebook's tables in the database at `url` (the test server's template).
fn create_desk(url: &str) -> Result<(), String> {
    casebook::store::Store::create(
        &casebook::store::Location::Postgres(url.into()),
        std::time::Duration::from_secs(10),
    )
    .map(drop)
    .map_err(|e| e.to_string())
}

/// Whether this run of the suite is on PostgreSQL (`CASEBOOK_TEST_BACKEND=postgres`,
/// set by `postgres::every_test_passes_on_postgres`).
pub fn on_postgres() -> bool {
    std::env::var("CASEBOOK_TEST_BACKEND").as_deref() == Ok("postgres")
}

/// Runs `deliver` until it exits 0, as an MTA delivers a message again after
/// a 75 (temporary failure); returns how many 75s came first. Any other exit
/// fails the test with `what` and the output.
pub fn deliver_until_stored(what: &str, mut deliver: impl FnMut() -> Output) -> usize {
    let mut retried = 0;
    loop {
        let out = deliver();
        match out.status.code() {
            Some(0) => return retried,
            Some(75) => retried += 1,
            other => panic!("{what} exited {other:?}: {out:?}"),
        }
    }
}

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// Monday 23 November 2026, 09:00 in New York.
pub const NOW: &str = "2026-11-23T14:00:00Z";

/// The files of a database `casebook init` made (its WAL included, which
/// holds the schema until a checkpoint), made once per test run.
fn initialized_database() -> Vec<(PathBuf, &'static str)> {
    static DIR: std::sync::OnceLock<TempDir> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("none.toml"), "").unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("casebook"))
            .env_clear()
            .env("CASEBOOK_DB", dir.path().join("casebook.db"))
            .env("CASEBOOK_CONFIG", dir.path().join("none.toml"))
            .arg("init")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        dir
    });
    ["casebook.db", "casebook.db-wal"]
        .into_iter()
        .map(|name| (dir.path().join(name), name))
        .filter(|(p, _)| p.exists())
        .collect()
}

/// Case `n`, for tests that name cases by number.
pub fn case(n: i64) -> casebook::domain::case::CaseNumber {
    casebook::domain::case::CaseNumber::new(n).unwrap()
}

pub struct Env {
    pub dir: TempDir,
    /// The SQLite file (unused on a PostgreSQL run, see `pg`).
    pub db: PathBuf,
    /// On a PostgreSQL run: this test's own database on the test server.
    pub pg: Option<String>,
    pub config: PathBuf,
    pub now: String,
    pub user: Option<String>,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("data/casebook.db");
        let config = dir.path().join("config.toml");
        let pg = on_postgres().then(|| {
            pg_server::server()
                .unwrap_or_else(|e| panic!("{e}"))
                .desk_database()
        });
        let env = Env {
            dir,
            db,
            pg,
            config,
            now: NOW.into(),
            user: None,
        };
        env.write("config.toml", "");
        // Every command but init and demo needs an existing database: each
        // test starts from a copy of one made by `casebook init`.
        std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
        for (from, to) in initialized_database() {
            std::fs::copy(from, env.db.with_file_name(to)).unwrap();
        }
        env
    }

    /// The project's own folder (for samples/ and tests/data/).
    pub fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    pub fn sample(name: &str) -> PathBuf {
        Self::root().join("samples").join(name)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file. A `config.toml` that names no mail transport gets `none`,
    /// so no test can reach a real MTA on a machine that has one; one without
    /// `[trust]` gets the sample desk's MTA ([`SAMPLE_MTA`]), whose
    /// `Authentication-Results` headers the sample emails (and [`vouched`]
    /// mail) carry.
    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let content = if name == "config.toml" {
            with_sample_mta(&without_real_mail(content))
        } else {
            content.to_string()
        };
        std::fs::write(&p, content).unwrap();
        p
    }

    /// The binary with a cleared environment, pointed at this environment's files.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same, as a plain `std::process::Command` (for spawning with pipes).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("casebook"));
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("CASEBOOK_DB", self.location().to_string())
            .env("CASEBOOK_CONFIG", &self.config)
            .env("CASEBOOK_NOW", &self.now)
            .env("COLUMNS", "160")
            .env("NO_COLOR", "1")
            .current_dir(self.dir.path());
        if let Some(u) = &self.user {
            c.env("CASEBOOK_USER", u);
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "`casebook {}` failed with {:?}\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs as `who` and asserts success.
    pub fn ok_as(&self, who: &str, args: &[&str]) -> String {
        let mut all = vec!["--as", who];
        all.extend_from_slice(args);
        self.ok(&all)
    }

    /// Runs and asserts the exit code; returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "`casebook {}`\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--format", "json"]);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// Imports the sample team and accounts.
    pub fn with_samples(&self) -> &Self {
        self.ok(&[
            "people",
            "import",
            Self::sample("people.csv").to_str().unwrap(),
        ]);
        self.ok(&[
            "accounts",
            "import",
            Self::sample("accounts.csv").to_str().unwrap(),
        ]);
        self
    }

    /// A small team of its own: an RM, an AM who is their own RM, two pool AMs.
    pub fn with_team(&self) -> &Self {
        let people = self.write(
            "team.csv",
            "handle,name,email,roles,regional_manager,pool\n\
             jlee,James Lee,jlee@desk.example,rm;lead,,no\n\
             rmora,Rita Mora,rmora@desk.example,rm;am,jlee,no\n\
             paige,Paige Davies,paige@desk.example,am;rm,paige,no\n\
             amy,Amy Chen,amy@desk.example,am,rmora,yes\n\
             bob,Bob Ortiz,bob@desk.example,am,rmora,yes\n\
             sam,Sam Agent,sam@desk.example,agent,rmora,no\n",
        );
        self.ok(&["people", "import", people.to_str().unwrap()]);
        let accounts = self.write(
            "accounts.csv",
            "name,tier,account_manager,regional_manager,domains,contacts\n\
             Acme Dental,Gold,paige,,acme-dental.example,\"Ann Acme <ann@acme-dental.example>\"\n\
             Birch Law,Silver,rmora,,birch-law.example;birchlaw.example,\"Ben Birch <ben@birch-law.example>\"\n\
             Cedar Clinic,Bronze,,,cedar-clinic.example,\"Cora Cedar <cora@cedar-clinic.example>\"\n\
             Dune Freight,Standard,,,dune-freight.example,\"Dan Dune <dan@dune-freight.example>\"\n",
        );
        self.ok(&["accounts", "import", accounts.to_str().unwrap()]);
        self
    }

    /// Opens the test database through the store's interface.
    pub fn store(&self) -> casebook::store::Store {
        casebook::store::Store::open(&self.location(), std::time::Duration::from_secs(5)).unwrap()
    }

    /// Puts the desk into a state the commands cannot reach quickly (see `seed.rs`).
    pub fn seed(&self) -> seed::Seed {
        seed::Seed::new(self.store())
    }

    /// The database file as an outside observer reads it (read-only), for
    /// assertions about what was stored.
    pub fn inspect(&self) -> rusqlite::Connection {
        rusqlite::Connection::open_with_flags(&self.db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap()
    }

    /// One integer from the database, read as an outside observer.
    pub fn count(&self, sql: &str) -> i64 {
        match &self.pg {
            Some(url) => {
                let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
                let row = client.query_one(sql, &[]).unwrap();
                row.try_get::<_, i64>(0)
                    .or_else(|_| row.try_get::<_, i32>(0).map(i64::from))
                    .or_else(|_| row.try_get::<_, bool>(0).map(i64::from))
                    .unwrap()
            }
            None => self.inspect().query_row(sql, [], |r| r.get(0)).unwrap(),
        }
    }

    /// Every row of `sql`, each value as text (NULL as `None`), read as an
    /// outside observer on either backend.
    pub fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        match &self.pg {
            Some(url) => {
                let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
                client
                    .simple_query(sql)
                    .unwrap()
                    .into_iter()
                    .filter_map(|m| match m {
                        postgres::SimpleQueryMessage::Row(r) => {
                            Some((0..r.len()).map(|i| r.get(i).map(String::from)).collect())
                        }
                        _ => None,
                    })
                    .collect()
            }
            None => {
                use rusqlite::types::ValueRef;
                let conn = self.inspect();
                let mut stmt = conn.prepare(sql).unwrap();
                let n = stmt.column_count();
                stmt.query_map([], |r| {
                    Ok((0..n)
                        .map(|i| match r.get_ref(i).unwrap() {
                            ValueRef::Null => None,
                            ValueRef::Integer(v) => Some(v.to_string()),
                            ValueRef::Real(v) => Some(v.to_string()),
                            ValueRef::Text(t) | ValueRef::Blob(t) => {
                                Some(String::from_utf8_lossy(t).into_owned())
                            }
                        })
                        .collect())
                })
                .unwrap()
                .map(Result::unwrap)
                .collect()
            }
        }
    }

    /// The bytes of the one value `sql` selects (raw mail), on either backend.
    pub fn blob(&self, sql: &str) -> Vec<u8> {
        match &self.pg {
            Some(url) => {
                let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
                client.query_one(sql, &[]).unwrap().get(0)
            }
            None => self.inspect().query_row(sql, [], |r| r.get(0)).unwrap(),
        }
    }

    /// Where this test's database is, on the backend of this run.
    pub fn location(&self) -> casebook::store::Location {
        match &self.pg {
            Some(url) => casebook::store::Location::Postgres(url.clone()),
            None => casebook::store::Location::Sqlite(self.db.clone()),
        }
    }

    /// Points this environment at `other`'s database (a second process or host).
    pub fn share_database_of(&mut self, other: &Env) {
        self.db = other.db.clone();
        self.pg = other.pg.clone();
    }
}

/// The authserv-id of the sample desk's MTA (samples/config.toml, samples/emails/).
pub const SAMPLE_MTA: &str = "mx.northwind-voice.example";

fn with_sample_mta(config: &str) -> String {
    if config.lines().any(|l| l.trim() == "[trust]") {
        return config.to_string();
    }
    format!("{config}\n[trust]\nauthserv_id = \"{SAMPLE_MTA}\"\n")
}

/// `raw` as the sample desk's MTA delivers mail that passed DMARC: its
/// `Authentication-Results` on top, so a staff From counts as staff.
pub fn vouched(raw: &[u8]) -> Vec<u8> {
    let mut out = format!("Authentication-Results: {SAMPLE_MTA}; dmarc=pass\n").into_bytes();
    out.extend_from_slice(raw);
    out
}

fn without_real_mail(config: &str) -> String {
    if config
        .lines()
        .any(|l| l.trim_start().starts_with("transport"))
    {
        return config.to_string();
    }
    match config.find("[mail]\n") {
        Some(i) => format!(
            "{}[mail]\ntransport = \"none\"\n{}",
            &config[..i],
            &config[i + 7..]
        ),
        None => format!("{config}\n[mail]\ntransport = \"none\"\n"),
    }
}

/// A copy of the binary under test at `to`, for a test that runs it from
/// elsewhere. Copied by `cp`, not `std::fs::copy`: a file this process has
/// open for writing is inherited by every child another test forks
/// meanwhile, until that child execs, and running the copy in that moment
/// fails with "Text file busy" (ETXTBSY). A `cp` process's descriptor is
/// never ours to pass on.
pub fn copy_of_the_binary(to: &Path) {
    let status = std::process::Command::new("cp")
        .arg(assert_cmd::cargo::cargo_bin("casebook"))
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success(), "cp of the binary to {}", to.display());
}

pub fn stdout_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn exists(p: &Path) -> bool {
    p.exists()
}
