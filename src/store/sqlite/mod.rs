//! The SQLite backend: WAL, foreign keys, `BEGIN IMMEDIATE` write
//! transactions under a busy timeout, full-text search by FTS5, the file
//! created 0600, migrations checked against `PRAGMA user_version`. Every
//! function here takes a `rusqlite::Connection`; nothing outside
//! `src/store/` sees one.

pub(crate) mod accounts;
pub(crate) mod activity;
mod blob;
pub(crate) mod cases;
pub(crate) mod messages;
pub(crate) mod migrations;
pub(crate) mod outbox;
pub(crate) mod people;
pub(crate) mod quarantine;
pub(crate) mod search;
pub(crate) mod sweep_log;
pub(crate) mod transfer;
pub(crate) mod views;

use std::path::Path;
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::{Result, StoreError};

/// An open SQLite database and what its errors are reported with.
pub struct Conn {
    pub conn: Connection,
    pub path: String,
    busy_timeout: Duration,
}

pub fn latest_version() -> i64 {
    migrations::latest_version()
}

/// Whether an unclassified SQLite error is one a retry can fix.
pub fn is_temporary(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(
            ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::DiskFull
                | ErrorCode::ReadOnly
        )
    )
}

impl Conn {
    /// Opens and migrates the database at `path`. With `create`, a missing
    /// file (and its folder) is created, mode 0600 also through a symlink;
    /// without it a missing or empty file is [`StoreError::Missing`], so that
    /// a typo in the path never starts a new, empty desk.
    pub fn open(path: &Path, busy_timeout: Duration, create: bool) -> Result<Conn> {
        let display = path.display().to_string();
        if create {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Unwritable {
                    path: display.clone(),
                    detail: e.to_string(),
                })?;
            }
            create_private_file(path).map_err(|e| StoreError::Unwritable {
                path: display.clone(),
                detail: e.to_string(),
            })?;
        } else {
            let missing = |detail: &str| StoreError::Missing {
                path: display.clone(),
                detail: detail.into(),
            };
            match std::fs::metadata(path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(missing("it does not exist"))
                }
                Err(e) => return Err(missing(&e.to_string())),
                Ok(m) if m.len() == 0 => return Err(missing("the file is empty")),
                Ok(_) => {}
            }
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| classify(e, &display, busy_timeout))?;
        let c = Conn {
            conn,
            path: display,
            busy_timeout,
        };
        c.configure().map_err(|e| c.classify(e))?;
        migrations::migrate(&c.conn, &c.path).map_err(|e| c.classify(e))?;
        Ok(c)
    }

    /// An in-memory, migrated database for tests.
    pub fn open_in_memory() -> Result<Conn> {
        let c = Conn {
            conn: Connection::open_in_memory()?,
            path: ":memory:".into(),
            busy_timeout: Duration::from_millis(0),
        };
        c.configure()?;
        migrations::migrate(&c.conn, &c.path)?;
        Ok(c)
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(self.busy_timeout)?;
        // Room for every statement of an ingest (the default keeps 16), so a
        // bulk import prepares each once.
        self.conn.set_prepared_statement_cache_capacity(64);
        self.conn.pragma_update(None, "foreign_keys", true)?;
        if self.path != ":memory:" {
            // journal_mode answers with a row; query it instead of executing.
            let _mode: String = self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        }
        // Every commit reaches the disk before it returns: ingest's exit 0 means
        // stored, and a comment or a 'sent' mark must not vanish with the power.
        // (Closing no longer checkpoints, which used to make NORMAL durable.)
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        if self.path != ":memory:" {
            // Short-lived processes (one ingest per mail) leave the WAL for the
            // next one instead of checkpointing it on close, which cost each of
            // them four fsyncs and an unlink; see `Drop` for who checkpoints.
            self.conn
                .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        }
        // Statement journals stay in memory instead of a temporary file.
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        // 64 MiB of page cache (default 2 MiB): bulk imports touch many index pages.
        self.conn
            .pragma_update(None, "cache_size", -blob::CACHE_KIB)?;
        Ok(())
    }

    /// Turns a raw error into the store's temporary errors where it is one.
    fn classify(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::Sqlite(e) => classify(e, &self.path, self.busy_timeout),
            other => other,
        }
    }

    fn exec(&self, sql: &str) -> Result<()> {
        self.conn
            .execute_batch(sql)
            .map_err(|e| classify(e, &self.path, self.busy_timeout))
    }

    /// `BEGIN`: a read transaction (its snapshot and shared lock are taken
    /// at the first statement and kept until the end).
    pub fn begin_read(&self) -> Result<()> {
        self.exec("BEGIN DEFERRED")
    }

    /// `BEGIN IMMEDIATE`: the write lock now, or `Busy` after the busy timeout.
    pub fn begin_immediate(&self) -> Result<()> {
        self.exec("BEGIN IMMEDIATE")
    }

    pub fn commit(&self) -> Result<()> {
        self.exec("COMMIT")
    }

    /// Rolls the open transaction back, if there is one (a failed COMMIT may
    /// already have ended it).
    pub fn rollback(&self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    pub fn savepoint(&self) -> Result<()> {
        self.exec("SAVEPOINT casebook")
    }

    pub fn release(&self) -> Result<()> {
        self.exec("RELEASE casebook")
    }

    pub fn rollback_to(&self) {
        let _ = self
            .conn
            .execute_batch("ROLLBACK TO casebook; RELEASE casebook");
    }

    pub fn search_waiting(&self) -> Result<i64> {
        search::waiting(&self.conn)
    }

    /// Indexes waiting rows for search when at least `at_least` wait.
    pub fn index_search(&self, at_least: i64) -> Result<()> {
        search::index_new_rows(&self.conn, at_least).map_err(|e| self.classify(e))
    }

    /// Commits; waiting rows join the search index first in a savepoint,
    /// and an index that fails for good is a warning, not a lost commit.
    pub fn commit_indexing_leniently(&self) -> Result<Option<String>> {
        let mut warning = None;
        // Most deliveries leave fewer rows waiting than a group: no savepoint then.
        if self.search_waiting().map_err(|e| self.classify(e))? >= search::WRITER_BATCH {
            self.savepoint()?;
            match search::index_new_rows(&self.conn, search::WRITER_BATCH) {
                Ok(()) => self.release()?,
                Err(e) => {
                    let e = self.classify(e);
                    self.rollback_to();
                    if e.is_temporary() {
                        return Err(e);
                    }
                    warning = Some(format!("the search index could not be updated ({e}); the mail is stored, and `casebook search` will retry"));
                }
            }
        }
        self.commit()?;
        Ok(warning)
    }

    /// Writes a consistent copy of the whole database (WAL included) to
    /// `dest`, a new file created 0600 (never through a symlink); returns how
    /// many cases it holds. A failed copy leaves no file behind.
    pub fn backup_to(&self, dest: &Path) -> Result<i64> {
        use std::os::unix::fs::OpenOptionsExt;
        let shown = dest.display().to_string();
        let unwritable = |detail: String| StoreError::Unwritable {
            path: shown.clone(),
            detail,
        };
        let target = dest
            .to_str()
            .ok_or_else(|| unwritable("the path is not valid UTF-8".into()))?;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(dest)
            .map_err(|e| unwritable(e.to_string()))?;
        let copied = self
            .conn
            .execute("VACUUM INTO ?1", [target])
            .map_err(|e| classify(e, &shown, self.busy_timeout))
            .and_then(|_| {
                case_count(&Connection::open_with_flags(
                    dest,
                    OpenFlags::SQLITE_OPEN_READ_ONLY,
                )?)
            });
        if copied.is_err() {
            let _ = std::fs::remove_file(dest);
        }
        copied
    }

    /// Replaces the whole database with the casebook database in `from`, in
    /// one backup step under the write lock, then migrates it.
    pub fn restore_from(&mut self, from: &Path) -> Result<i64> {
        let not_a_backup = |detail: String| StoreError::NotABackup {
            path: from.display().to_string(),
            detail,
        };
        let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| not_a_backup(e.to_string()))?;
        let version = migrations::current_version(&src).map_err(|e| not_a_backup(e.to_string()))?;
        let has_cases: bool = src
            .query_row(
                "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'cases'",
                [],
                |r| r.get(0),
            )
            .unwrap_or(false);
        if version < 1 || !has_cases {
            return Err(not_a_backup("it holds no casebook database".into()));
        }
        if version > migrations::latest_version() {
            return Err(StoreError::FromTheFuture {
                path: from.display().to_string(),
                found: version,
                known: migrations::latest_version(),
            });
        }
        // All pages in one step: one write transaction on this database. A
        // writer in the way is waited for by the connection's busy handler;
        // anything but Done means it was still there after the busy timeout.
        let step = rusqlite::backup::Backup::new(&src, &mut self.conn)?.step(-1)?;
        if step != rusqlite::backup::StepResult::Done {
            return Err(StoreError::Busy {
                path: self.path.clone(),
                waited_ms: self.busy_timeout.as_millis() as u64,
            });
        }
        migrations::migrate(&self.conn, &self.path)?;
        case_count(&self.conn)
    }
}

/// Above this size the WAL is checkpointed into the database and truncated
/// when a connection closes: about five single deliveries' worth. Measured
/// with benches/ingest.sh, 1 MiB gave the lowest median (4 MiB: 5.1 ms,
/// 1 MiB: 4.5 ms, 512 KiB: 4.5 ms with more checkpoints); the next process
/// reads the whole WAL again, though, and with 256 KiB a delivery's median
/// fell from 5.17 to 4.94 M instructions (benches/one_delivery.sh: 3.33 ms
/// and 3.27 ms, the same within the noise).
const WAL_TRUNCATE_BYTES: u64 = 256 << 10;

impl Drop for Conn {
    /// Keeps the WAL short. Every process that opens the database first
    /// rebuilds the WAL index by reading the whole WAL (and forgets what was
    /// already checkpointed, so the WAL never restarts by itself): a long WAL
    /// would slow every start. A checkpoint that cannot finish now (another
    /// process is reading or writing) is simply left to a later close.
    fn drop(&mut self) {
        self.keep_wal_short();
    }
}

impl Conn {
    /// What closing does first (see `Drop`): the WAL checkpointed when long.
    fn keep_wal_short(&self) {
        if self.path == ":memory:" {
            return;
        }
        let wal = std::fs::metadata(format!("{}-wal", self.path)).map_or(0, |m| m.len());
        if wal > WAL_TRUNCATE_BYTES {
            let _ = self.conn.busy_timeout(Duration::from_millis(100));
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
    }

    /// Closes the connection as the process ends: the WAL kept short as on
    /// any close, but SQLite's memory (the parsed schema, the prepared
    /// statements) left for the exit to free, and its files and locks for the
    /// exit to release. Every transaction has ended by then (committed with
    /// synchronous=FULL, or rolled back), and with no checkpoint on close
    /// `sqlite3_close` would write nothing: it cost a delivery 0.25 M
    /// instructions of freeing.
    pub fn leave(self) {
        self.keep_wal_short();
        std::mem::forget(self);
    }
}

/// A stored state read back (`parse` is the domain type's `parse_stored`):
/// a spelling the schema does not allow is a row this casebook cannot read.
pub(crate) fn state<T>(
    r: &rusqlite::Row<'_>,
    col: usize,
    parse: fn(&str) -> std::result::Result<T, String>,
) -> rusqlite::Result<T> {
    let s: String = r.get(col)?;
    parse(&s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, e.into())
    })
}

/// Case numbers are `cases.id`: bound and read as the integer they are.
impl rusqlite::ToSql for crate::domain::case::CaseNumber {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.get().into())
    }
}

impl rusqlite::types::FromSql for crate::domain::case::CaseNumber {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let n = i64::column_result(v)?;
        crate::domain::case::CaseNumber::new(n).ok_or(rusqlite::types::FromSqlError::OutOfRange(n))
    }
}

fn case_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?)
}

/// Turns SQLite's lock, permission and disk errors into the store's temporary errors.
fn classify(e: rusqlite::Error, path: &str, busy_timeout: Duration) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy {
            path: path.into(),
            waited_ms: busy_timeout.as_millis() as u64,
        },
        Some(ErrorCode::ReadOnly)
        | Some(ErrorCode::CannotOpen)
        | Some(ErrorCode::PermissionDenied) => StoreError::Unwritable {
            path: path.into(),
            detail: e.to_string(),
        },
        Some(ErrorCode::DiskFull) => StoreError::Full { path: path.into() },
        _ => StoreError::Sqlite(e),
    }
}

/// Creates the database file with mode 0600 before SQLite opens it, so it
/// is never world-readable: through a symlink too (the link's target is
/// created 0600; SQLite gives the WAL and shared-memory files the database
/// file's mode). An existing file is left as it is.
fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wal_len(path: &Path) -> u64 {
        std::fs::metadata(format!("{}-wal", path.display())).map_or(0, |m| m.len())
    }

    /// Leaving (the process's exit closes) checks the WAL as closing does.
    #[test]
    fn leaving_truncates_a_long_wal_and_keeps_every_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.db");
        let c = Conn::open(&path, Duration::from_millis(100), true).unwrap();
        c.conn.execute_batch("CREATE TABLE blobs (b BLOB)").unwrap();
        for _ in 0..4 {
            c.begin_immediate().unwrap();
            c.conn
                .execute("INSERT INTO blobs VALUES (zeroblob(100000))", [])
                .unwrap();
            c.commit().unwrap();
        }
        assert!(wal_len(&path) > WAL_TRUNCATE_BYTES);
        c.leave();
        assert_eq!(wal_len(&path), 0, "a long WAL is checkpointed on leaving");
        let c = Conn::open(&path, Duration::from_millis(100), false).unwrap();
        let n: i64 = c
            .conn
            .query_row("SELECT count(*) FROM blobs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 4);
    }

    #[test]
    fn closing_keeps_a_short_wal_and_truncates_a_long_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let c = Conn::open(&path, Duration::from_millis(100), true).unwrap();
        let synchronous: i64 = c
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(synchronous, 2, "FULL: the WAL is synced at every commit");
        c.conn.execute_batch("CREATE TABLE blobs (b BLOB)").unwrap();
        let one = |c: &Conn| {
            c.begin_immediate().unwrap();
            c.conn
                .execute("INSERT INTO blobs VALUES (zeroblob(100000))", [])
                .unwrap();
            c.commit().unwrap();
        };
        // The migrations alone may make a long WAL, truncated on this close.
        drop(c);
        let c = Conn::open(&path, Duration::from_millis(100), false).unwrap();
        one(&c);
        drop(c);
        // A short WAL stays for the next process: closing did not checkpoint it.
        let short = wal_len(&path);
        assert!(short > 0 && short <= WAL_TRUNCATE_BYTES, "{short}");

        let c = Conn::open(&path, Duration::from_millis(100), false).unwrap();
        for _ in 0..15 {
            one(&c);
        }
        assert!(wal_len(&path) > WAL_TRUNCATE_BYTES);
        drop(c);
        assert_eq!(
            wal_len(&path),
            0,
            "a long WAL is checkpointed and truncated on close"
        );

        let c = Conn::open(&path, Duration::from_millis(100), false).unwrap();
        let n: i64 = c
            .conn
            .query_row("SELECT count(*) FROM blobs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 16, "every committed row survives both kinds of close");
    }
}
