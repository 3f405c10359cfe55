//! The PostgreSQL backend: one desk shared by several mail hosts and staff
//! machines. Every function here takes a [`Conn`]; nothing outside
//! `src/store/` sees the driver.
//!
//! - Writers take turns, as on SQLite: every write transaction first takes
//!   the desk's advisory lock (`pg_advisory_xact_lock`), waiting at most
//!   the busy timeout (`lock_timeout`). So triage's pool choice, the
//!   report's once-per-day row, sweep's log and the case numbers behave on
//!   two hosts exactly as on one; reads never wait for it.
//! - Every error that a retry can fix (the server down, refusing, in
//!   recovery or read-only, a network failure, the lock not had in time)
//!   is a temporary store error: `ingest` exits 75 and the MTA retries.
//! - Full-text search uses a `tsvector` of the words casebook's own
//!   tokenizer ([`crate::store::search_words`]) wrote beside the text, with
//!   a GIN index: the same words as SQLite's FTS5 finds.
//! - Migrations are the ordered files in `migrations/`, recorded in
//!   `casebook_schema`.

pub(crate) mod accounts;
pub(crate) mod activity;
pub(crate) mod cases;
pub(crate) mod messages;
pub(crate) mod migrations;
pub(crate) mod outbox;
pub(crate) mod people;
pub(crate) mod quarantine;
pub(crate) mod sweep_log;
#[cfg(test)]
pub(crate) mod test_server;
#[cfg(test)]
pub(crate) mod testing;
pub(crate) mod transfer;
pub(crate) mod views;

use std::cell::RefCell;
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, Row, Statement};

use super::{Result, StoreError};

/// The key of the desk's advisory lock: one writer at a time, like SQLite.
const WRITER_LOCK: i64 = 0x6361_7365_626f_6f6b; // "casebook"

/// Query parameters, as the driver takes them.
pub type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// An open PostgreSQL connection and what its errors are reported with.
pub struct Conn {
    client: RefCell<Client>,
    /// Statements prepared on this connection, by their text: ingest runs
    /// the same few thousands of times in a bulk import.
    statements: RefCell<HashMap<String, Statement>>,
    /// The URL without its password.
    pub shown: String,
    busy_timeout: Duration,
}

pub fn latest_version() -> i64 {
    migrations::latest_version()
}

/// The URL as people may read it: any password replaced by `***`.
pub fn shown_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// Whether an unclassified error is one a retry can fix.
pub fn is_temporary(e: &postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    match e.code() {
        None => e.as_db_error().is_none(),
        Some(code) => is_temporary_code(code),
    }
}

fn is_temporary_code(code: &SqlState) -> bool {
    let class = &code.code()[..2];
    // 08 connection exception, 53 insufficient resources, 57P0x shutdown or
    // starting up, 40 serialization failure or deadlock, 55P03 lock not
    // available, 25006 read-only transaction (a standby), 57014 canceled.
    matches!(class, "08" | "53" | "40")
        || matches!(
            code.code(),
            "57P01" | "57P02" | "57P03" | "55P03" | "25006" | "57014"
        )
}

impl Conn {
    /// Connects to the database at `url` and migrates it. With `create`, an
    /// empty database gets casebook's tables; without it a database without
    /// them is [`StoreError::Missing`], so a typo never starts a new desk.
    pub fn open(url: &str, busy_timeout: Duration, create: bool) -> Result<Conn> {
        let shown = shown_url(url);
        let config = client_config(url, &shown, busy_timeout)?;
        // Setting TLS up reads the system's CA bundle (about 30 ms, most of
        // a delivery's cost): only when the URL asks for TLS.
        let connected = if asks_for_tls(url) {
            config.connect(tls_connector(&shown)?)
        } else {
            config.connect(postgres::NoTls)
        };
        let client = connected.map_err(|e| connect_error(e, &shown))?;
        let c = Conn {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            shown,
            busy_timeout,
        };
        migrations::migrate(&c, create)?;
        Ok(c)
    }

    /// Turns a driver error into the store's temporary errors where it is one.
    pub(crate) fn classify(&self, e: postgres::Error) -> StoreError {
        classify(e, &self.shown, self.busy_timeout)
    }

    /// Runs statements without parameters or results.
    pub(crate) fn exec(&self, sql: &str) -> Result<()> {
        self.client
            .borrow_mut()
            .batch_execute(sql)
            .map_err(|e| self.classify(e))
    }

    pub(crate) fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let s = self
            .client
            .borrow_mut()
            .prepare(sql)
            .map_err(|e| self.classify(e))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), s.clone());
        Ok(s)
    }

    /// Every row of `sql`.
    pub(crate) fn query(&self, sql: &str, params: Params<'_>) -> Result<Vec<Row>> {
        let statement = self.statement(sql)?;
        self.client
            .borrow_mut()
            .query(&statement, params)
            .map_err(|e| self.classify(e))
    }

    /// The one row of `sql`, if any (more than one is an error).
    pub(crate) fn query_opt(&self, sql: &str, params: Params<'_>) -> Result<Option<Row>> {
        let statement = self.statement(sql)?;
        self.client
            .borrow_mut()
            .query_opt(&statement, params)
            .map_err(|e| self.classify(e))
    }

    /// The one row of `sql` (none is an error).
    pub(crate) fn query_one(&self, sql: &str, params: Params<'_>) -> Result<Row> {
        let statement = self.statement(sql)?;
        self.client
            .borrow_mut()
            .query_one(&statement, params)
            .map_err(|e| self.classify(e))
    }

    /// Runs a `COPY ... FROM STDIN` statement, `write` sending its data in
    /// pieces (nothing of it is gathered into one buffer).
    pub(crate) fn copy_in(
        &self,
        sql: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<u64> {
        let mut client = self.client.borrow_mut();
        let mut writer = client.copy_in(sql).map_err(|e| self.classify(e))?;
        let written = write(&mut writer);
        // The driver's own error (a lost connection is temporary) says more
        // than the failed write.
        let finished = writer.finish().map_err(|e| self.classify(e))?;
        written?;
        Ok(finished)
    }

    /// Runs `sql`; returns how many rows it changed.
    pub(crate) fn execute(&self, sql: &str, params: Params<'_>) -> Result<u64> {
        let statement = self.statement(sql)?;
        self.client
            .borrow_mut()
            .execute(&statement, params)
            .map_err(|e| self.classify(e))
    }

    /// A write transaction: the desk's writer lock, or `Busy` after the
    /// busy timeout.
    /// Both in one round trip: every delivery begins one.
    pub fn begin(&self) -> Result<()> {
        if let Err(e) = self.exec(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({WRITER_LOCK})"
        )) {
            self.rollback();
            return Err(e);
        }
        Ok(())
    }

    /// A read-only transaction on one snapshot.
    pub fn begin_read(&self) -> Result<()> {
        self.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    }

    pub fn commit(&self) -> Result<()> {
        self.exec("COMMIT")
    }

    /// Rolls the open transaction back, if there is one.
    pub fn rollback(&self) {
        let _ = self.client.borrow_mut().batch_execute("ROLLBACK");
    }

    pub fn savepoint(&self) -> Result<()> {
        self.exec("SAVEPOINT casebook")
    }

    pub fn release(&self) -> Result<()> {
        self.exec("RELEASE SAVEPOINT casebook")
    }

    pub fn rollback_to(&self) {
        let _ = self
            .client
            .borrow_mut()
            .batch_execute("ROLLBACK TO SAVEPOINT casebook; RELEASE SAVEPOINT casebook");
    }
}

/// The driver's configuration for `url`. The password comes from
/// `PGPASSWORD` or the password file (`PGPASSFILE`, else `~/.pgpass`),
/// never from the command line: a URL that carries one is refused.
fn client_config(url: &str, shown: &str, busy_timeout: Duration) -> Result<postgres::Config> {
    let mut config = postgres::Config::from_str(url).map_err(|e| {
        StoreError::Unsupported(format!(
            "`{shown}` is not a PostgreSQL URL ({e}); write postgres://USER@HOST:PORT/DBNAME"
        ))
    })?;
    if config.get_password().is_some() {
        return Err(StoreError::Unsupported(format!(
            "`{shown}` carries a password, which other local users can read on the command line; \
             remove it from the URL and put it in ~/.pgpass (or PGPASSFILE, or PGPASSWORD)"
        )));
    }
    if config.get_user().is_none() {
        if let Ok(user) = std::env::var("PGUSER").or_else(|_| std::env::var("USER")) {
            config.user(&user);
        }
    }
    if let Some(password) = password_for(&config) {
        config.password(password);
    }
    config.application_name("casebook");
    // Set at connection start-up (no round trip of its own): the busy
    // timeout bounds every wait for a lock, the writer lock too.
    // The URL's own `options` are kept, ours last.
    let ours = format!(
        "-c lock_timeout={} -c TimeZone=UTC",
        busy_timeout.as_millis().max(1)
    );
    let options = match config.get_options() {
        Some(theirs) => format!("{theirs} {ours}"),
        None => ours,
    };
    config.options(&options);
    config.connect_timeout(busy_timeout.max(Duration::from_secs(1)));
    config.keepalives_idle(Duration::from_secs(30));
    Ok(config)
}

/// Whether the URL asks for TLS: `sslmode=prefer` (TLS when the server
/// offers it) or `sslmode=require`, or a CA file in `PGSSLROOTCERT` to
/// check the server's certificate with. Without any, the connection is
/// plain, as on a loopback or private network.
fn asks_for_tls(url: &str) -> bool {
    let mode = url
        .split(['?', '&'])
        .find_map(|kv| kv.strip_prefix("sslmode="));
    matches!(mode, Some(m) if m != "disable") || std::env::var_os("PGSSLROOTCERT").is_some()
}

/// TLS as libpq does it: used when the server offers it (`sslmode=prefer`)
/// or demanded (`sslmode=require`); the certificate is checked against
/// `PGSSLROOTCERT` when that names a CA file.
fn tls_connector(shown: &str) -> Result<postgres_openssl::MakeTlsConnector> {
    use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
    let failed = |e: openssl::error::ErrorStack| {
        StoreError::Unsupported(format!("cannot set up TLS for `{shown}`: {e}"))
    };
    let mut builder = SslConnector::builder(SslMethod::tls()).map_err(failed)?;
    match std::env::var_os("PGSSLROOTCERT") {
        Some(ca) => builder.set_ca_file(ca).map_err(failed)?,
        None => builder.set_verify(SslVerifyMode::NONE),
    }
    Ok(postgres_openssl::MakeTlsConnector::new(builder.build()))
}

/// The password for `config`'s server, database and user.
fn password_for(config: &postgres::Config) -> Option<String> {
    if let Ok(p) = std::env::var("PGPASSWORD") {
        return Some(p);
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".pgpass")))?;
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let dbname = config.get_dbname().unwrap_or("");
    let user = config.get_user().unwrap_or("");
    pgpass_lookup(&text, [&host, &port, dbname, user])
}

/// The password of the first line of a `.pgpass` file that matches
/// host, port, database and user (`*` matches anything; `\:` and `\\` are
/// escapes), as libpq reads it.
pub(crate) fn pgpass_lookup(text: &str, wanted: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => field.extend(chars.next()),
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut field)),
                c => field.push(c),
            }
        }
        fields.push(field);
        if fields.len() != 5 {
            continue;
        }
        let matches = fields[..4]
            .iter()
            .zip(wanted)
            .all(|(f, w)| f == "*" || f == w);
        if matches {
            return fields.pop();
        }
    }
    None
}

/// A failure to connect: a database that does not exist is missing (run
/// `casebook init` after creating it); anything else means the server
/// cannot be reached now.
fn connect_error(e: postgres::Error, shown: &str) -> StoreError {
    if e.code() == Some(&SqlState::INVALID_CATALOG_NAME) {
        return StoreError::Missing {
            path: shown.into(),
            detail: "the database does not exist: create it with createdb".into(),
        };
    }
    if e.code().is_some_and(|c| !is_temporary_code(c)) {
        // A refused login, a bad option: not something a retry fixes.
        return StoreError::Postgres(e);
    }
    StoreError::Unreachable {
        url: shown.into(),
        detail: e.to_string(),
    }
}

fn classify(e: postgres::Error, shown: &str, busy_timeout: Duration) -> StoreError {
    match e.code() {
        Some(&SqlState::LOCK_NOT_AVAILABLE) => StoreError::Busy {
            path: shown.into(),
            waited_ms: busy_timeout.as_millis() as u64,
        },
        Some(&SqlState::READ_ONLY_SQL_TRANSACTION) => StoreError::Unwritable {
            path: shown.into(),
            detail: "the server is read-only (a standby, or in recovery)".into(),
        },
        Some(&SqlState::DISK_FULL) => StoreError::Full { path: shown.into() },
        _ if e.is_closed() || (e.code().is_none() && e.as_db_error().is_none()) => {
            StoreError::Unreachable {
                url: shown.into(),
                detail: e.to_string(),
            }
        }
        _ => StoreError::Postgres(e),
    }
}

/// Reads a stored state back (`parse` is the domain type's `parse_stored`):
/// a spelling the schema does not allow is a row this casebook cannot read.
pub(crate) fn state<T>(
    r: &Row,
    col: usize,
    parse: fn(&str) -> std::result::Result<T, String>,
) -> Result<T> {
    let s: String = r.try_get(col)?;
    parse(&s).map_err(|e| StoreError::Unsupported(format!("unreadable stored value: {e}")))
}

/// Case numbers are `cases.id`: bound and read as the BIGINT they are.
impl ToSql for crate::domain::case::CaseNumber {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>>
    {
        self.get().to_sql(ty, out)
    }

    fn accepts(ty: &postgres::types::Type) -> bool {
        <i64 as ToSql>::accepts(ty)
    }

    postgres::types::to_sql_checked!();
}

impl<'a> postgres::types::FromSql<'a> for crate::domain::case::CaseNumber {
    fn from_sql(
        ty: &postgres::types::Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let n = i64::from_sql(ty, raw)?;
        crate::domain::case::CaseNumber::new(n).ok_or_else(|| format!("case number {n}").into())
    }

    fn accepts(ty: &postgres::types::Type) -> bool {
        <i64 as postgres::types::FromSql>::accepts(ty)
    }
}

/// Makes casebook's tables in the database at `url` (the test server's template).
#[cfg(test)]
fn create_desk(url: &str) -> std::result::Result<(), String> {
    crate::store::Store::create(
        &crate::store::Location::Postgres(url.into()),
        Duration::from_secs(10),
    )
    .map(drop)
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_only_when_the_url_asks_for_it() {
        for (url, tls) in [
            ("postgres://db/desk", false),
            ("postgres://db/desk?sslmode=disable", false),
            ("postgres://db/desk?sslmode=require", true),
            ("postgres://db/desk?application_name=x&sslmode=prefer", true),
        ] {
            if std::env::var_os("PGSSLROOTCERT").is_none() {
                assert_eq!(asks_for_tls(url), tls, "{url}");
            }
        }
    }

    #[test]
    fn a_writer_waits_at_most_the_busy_timeout_for_another_hosts_transaction() {
        use crate::store::{Location, Store, StoreError};
        let Some(url) = testing::desk_url() else {
            return;
        };
        let first = testing::open(&url);
        let held = first.begin().unwrap();
        let second =
            Store::open(&Location::Postgres(url.clone()), Duration::from_millis(300)).unwrap();
        let started = std::time::Instant::now();
        let refused = second.begin().err().expect("the writer lock is held");
        assert!(
            matches!(refused, StoreError::Busy { waited_ms: 300, .. }),
            "{refused}"
        );
        assert!(refused.is_temporary(), "ingest exits 75 for it");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        // Reads do not wait for the writer lock.
        crate::store::people::list(second.db()).unwrap();
        drop(held);
        second
            .begin()
            .expect("free again once the first transaction ends");
    }

    #[test]
    fn passwords_never_show() {
        let table = [
            (
                "postgres://desk@db:5432/casebook",
                "postgres://desk@db:5432/casebook",
            ),
            (
                "postgres://desk:s3cret@db/casebook",
                "postgres://desk:***@db/casebook",
            ),
            (
                "postgresql://db/casebook?sslmode=require",
                "postgresql://db/casebook?sslmode=require",
            ),
        ];
        for (url, shown) in table {
            assert_eq!(shown_url(url), shown, "{url}");
        }
    }

    #[test]
    fn pgpass_lines_match_like_libpq() {
        let text = "# comment\n\
                    db:5432:other:desk:nope\n\
                    db:*:casebook:desk:pa\\:ss\n\
                    *:*:*:*:fallback\n";
        let table = [
            (["db", "5432", "casebook", "desk"], Some("pa:ss")),
            (["db", "5432", "other", "desk"], Some("nope")),
            (["elsewhere", "1", "x", "y"], Some("fallback")),
        ];
        for (wanted, password) in table {
            assert_eq!(
                pgpass_lookup(text, wanted).as_deref(),
                password,
                "{wanted:?}"
            );
        }
        assert_eq!(pgpass_lookup("db:1:x:y\n", ["db", "1", "x", "y"]), None);
    }
}

/// The library's store and desk tests, once more on a real PostgreSQL
/// server: this test runs the test binary itself with
/// `CASEBOOK_TEST_BACKEND=postgres`, under which every
/// `Store::open_in_memory` is a fresh database on the test server.
#[cfg(test)]
mod on_a_real_server {
    #[test]
    fn the_store_and_desk_tests_pass_on_postgres() {
        if std::env::var_os("CASEBOOK_TEST_BACKEND").is_some() {
            return; // the inner run
        }
        if let Err(e) = super::test_server::server() {
            assert!(
                std::env::var_os("CASEBOOK_SKIP_REAL").is_some(),
                "{e}\n(set CASEBOOK_SKIP_REAL=1 to skip)"
            );
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .env("CASEBOOK_TEST_BACKEND", "postgres")
            .args([
                "store::",
                "desk::",
                "ingest::",
                "--skip",
                "store::sqlite::",
                "--skip",
                "on_a_real_server",
            ])
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "on PostgreSQL:\n{}{}",
            report
                .lines()
                .filter(|l| l.contains("FAILED")
                    || l.contains("panicked")
                    || l.starts_with("test result"))
                .collect::<Vec<_>>()
                .join("\n"),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
