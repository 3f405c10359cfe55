//! The store: every read and write of casebook goes through this interface,
//! which speaks only domain types. One module per table family holds the
//! operations; each dispatches to a backend, which alone holds SQL:
//! `sqlite/` (the embedded default, a file path) and `postgres/` (a
//! `postgres://` URL: one desk shared by several hosts).
//!
//! - [`Store`] owns one backend connection: it opens and migrates the
//!   database, starts transactions, backs up and restores.
//! - [`Db`] is what the operations run on: the connection, inside or
//!   outside a transaction (`Store::write`, `Store::begin`, `Db::savepoint`).

pub mod accounts;
pub mod activity;
pub mod cases;
pub mod messages;
pub mod outbox;
pub(crate) mod people;
pub mod quarantine;
pub mod rows;
pub mod sweep_log;
pub mod transfer;
pub(crate) mod views;

mod postgres;
mod sqlite;

use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the database `{path}` is locked by another casebook (waited {waited_ms} ms); try again"
    )]
    Busy { path: String, waited_ms: u64 },
    #[error("cannot write the database `{path}`: {detail}; check the permissions of its folder")]
    Unwritable { path: String, detail: String },
    #[error("the disk holding `{path}` is full; free some space and try again")]
    Full { path: String },
    #[error("the database `{path}` has schema version {found}, newer than this casebook understands ({known}); upgrade casebook")]
    FromTheFuture {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("no casebook database at `{path}` ({detail}): create one with `casebook init`, or point --db / CASEBOOK_DB at the right file")]
    Missing { path: String, detail: String },
    #[error("`{path}` is not a casebook backup ({detail}); name a file `casebook backup` wrote")]
    NotABackup { path: String, detail: String },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot reach the PostgreSQL server at `{url}` ({detail}); try again once it is back (ingest exits 75, so the MTA keeps the mail)")]
    Unreachable { url: String, detail: String },
    #[error("PostgreSQL error: {0}")]
    Postgres(#[from] ::postgres::Error),
    #[error("{0}")]
    Unsupported(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    /// A failure that a later retry can fix (locked, read-only, disk full):
    /// ingest exits 75 so the MTA keeps the message.
    pub fn is_temporary(&self) -> bool {
        match self {
            StoreError::Busy { .. }
            | StoreError::Unwritable { .. }
            | StoreError::Full { .. }
            | StoreError::Unreachable { .. } => true,
            StoreError::Sqlite(e) => sqlite::is_temporary(e),
            StoreError::Postgres(e) => postgres::is_temporary(e),
            _ => false,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One connection to the database, in or out of a transaction: the handle
/// every store operation takes.
pub struct Db {
    inner: Inner,
}

// One per process: boxing the larger connection would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Inner {
    Sqlite(sqlite::Conn),
    Postgres(postgres::Conn),
}

/// The backend connection an operation dispatches on.
pub(crate) enum Backend<'a> {
    Sqlite(&'a rusqlite::Connection),
    Postgres(&'a postgres::Conn),
}

impl Db {
    pub(crate) fn backend(&self) -> Backend<'_> {
        match &self.inner {
            Inner::Sqlite(c) => Backend::Sqlite(&c.conn),
            Inner::Postgres(c) => Backend::Postgres(c),
        }
    }

    /// Starts a savepoint: what is written after it is undone when the
    /// returned guard is dropped, and kept by [`Savepoint::commit`].
    pub fn savepoint(&self) -> Result<Savepoint<'_>> {
        match &self.inner {
            Inner::Sqlite(c) => c.savepoint()?,
            Inner::Postgres(c) => c.savepoint()?,
        }
        Ok(Savepoint {
            db: self,
            done: false,
        })
    }
}

/// A savepoint inside the current transaction (see [`Db::savepoint`]).
pub struct Savepoint<'a> {
    db: &'a Db,
    done: bool,
}

impl Savepoint<'_> {
    /// Keeps what was written since the savepoint.
    pub fn commit(mut self) -> Result<()> {
        self.done = true;
        match &self.db.inner {
            Inner::Sqlite(c) => c.release(),
            Inner::Postgres(c) => c.release(),
        }
    }
}

impl Drop for Savepoint<'_> {
    fn drop(&mut self) {
        if !self.done {
            match &self.db.inner {
                Inner::Sqlite(c) => c.rollback_to(),
                Inner::Postgres(c) => c.rollback_to(),
            }
        }
    }
}

/// Where the desk's database is: a SQLite file, or a PostgreSQL database
/// named by a `postgres://` URL (`--db`, `CASEBOOK_DB`, `[store] url`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL selects PostgreSQL; anything
    /// else is a path.
    pub fn parse(s: &std::ffi::OsStr) -> Location {
        match s.to_str() {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Location::Postgres(url.to_string())
            }
            _ => Location::Sqlite(PathBuf::from(s)),
        }
    }
}

impl std::fmt::Display for Location {
    /// As people read it: a path, or the URL without any password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(p) => write!(f, "{}", p.display()),
            Location::Postgres(url) => f.write_str(&postgres::shown_url(url)),
        }
    }
}

/// The database, opened and migrated.
pub struct Store {
    db: Db,
}

impl Store {
    /// Opens and migrates the database at `at`, which must exist (a missing
    /// or empty SQLite file, or a PostgreSQL database without casebook's
    /// tables, is [`StoreError::Missing`]).
    pub fn open(at: &Location, busy_timeout: Duration) -> Result<Store> {
        Store::connect(at, busy_timeout, false)
    }

    /// Creates (a SQLite file mode 0600, its folder too; casebook's tables
    /// in an empty PostgreSQL database) or opens, and migrates, the
    /// database at `at`: for `init` and `demo` only.
    pub fn create(at: &Location, busy_timeout: Duration) -> Result<Store> {
        Store::connect(at, busy_timeout, true)
    }

    fn connect(at: &Location, busy_timeout: Duration, create: bool) -> Result<Store> {
        let inner = match at {
            Location::Sqlite(path) => {
                Inner::Sqlite(sqlite::Conn::open(path, busy_timeout, create)?)
            }
            Location::Postgres(url) => {
                Inner::Postgres(postgres::Conn::open(url, busy_timeout, create)?)
            }
        };
        Ok(Store { db: Db { inner } })
    }

    /// An in-memory, migrated store for tests. With
    /// `CASEBOOK_TEST_BACKEND=postgres` (the library's tests run once more
    /// so, see `postgres::tests`), a fresh database on the test server.
    pub fn open_in_memory() -> Result<Store> {
        #[cfg(test)]
        if std::env::var("CASEBOOK_TEST_BACKEND").as_deref() == Ok("postgres") {
            let server = postgres::test_server::server().map_err(StoreError::Unsupported)?;
            return Store::open(
                &Location::Postgres(server.desk_database()),
                Duration::from_secs(10),
            );
        }
        Ok(Store {
            db: Db {
                inner: Inner::Sqlite(sqlite::Conn::open_in_memory()?),
            },
        })
    }

    /// Where the database is, as people read it (no password).
    pub fn path(&self) -> &str {
        match &self.db.inner {
            Inner::Sqlite(c) => &c.path,
            Inner::Postgres(c) => &c.shown,
        }
    }

    /// The schema version this casebook writes.
    pub fn latest_version(&self) -> i64 {
        match &self.db.inner {
            Inner::Sqlite(_) => sqlite::latest_version(),
            Inner::Postgres(_) => postgres::latest_version(),
        }
    }

    /// The SQLite connection itself, for the backend's own tests.
    #[cfg(test)]
    pub(crate) fn sqlite_connection(&self) -> &rusqlite::Connection {
        match &self.db.inner {
            Inner::Sqlite(c) => &c.conn,
            Inner::Postgres(_) => panic!("not a SQLite store"),
        }
    }

    /// Closes the store as the process ends (see `sqlite::Conn::leave`;
    /// a PostgreSQL connection closes as usual).
    pub fn leave(self) {
        match self.db.inner {
            Inner::Sqlite(c) => c.leave(),
            Inner::Postgres(c) => drop(c),
        }
    }

    /// The connection, for reads outside a transaction.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Runs `f` inside one write transaction: all of it is committed or none.
    /// On SQLite, new rows join the search index in groups before the commit.
    pub fn write<T, E>(
        &self,
        f: impl FnOnce(&Db) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        let guard = self.begin()?;
        let value = f(&self.db)?;
        if let Inner::Sqlite(conn) = &self.db.inner {
            conn.index_search(sqlite::search::WRITER_BATCH)?;
        }
        guard.commit_strictly()?;
        Ok(value)
    }

    /// Runs `f`, which only reads, inside one read transaction: it sees one
    /// snapshot of the desk, and SQLite takes its shared lock (two `fcntl`
    /// calls and a `stat`) once instead of once per statement, which a
    /// dry-run sweep at a million cases did 1,800 times.
    pub fn read<T, E>(
        &self,
        f: impl FnOnce(&Db) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        match &self.db.inner {
            Inner::Sqlite(c) => c.begin_read()?,
            Inner::Postgres(c) => c.begin_read()?,
        }
        // Ended as a write transaction is: committed, or rolled back when
        // dropped (an error or a panic in `f`).
        let guard = WriteTx {
            store: self,
            done: false,
        };
        let value = f(&self.db)?;
        guard.commit_strictly()?;
        Ok(value)
    }

    /// Begins a write transaction by hand (ingest: one per message, or one
    /// per batch with each message in a savepoint); dropping the guard rolls
    /// it back (`--dry-run`). One writer at a time: SQLite's write lock, or
    /// PostgreSQL's advisory lock for the desk, both under the busy timeout.
    pub fn begin(&self) -> Result<WriteTx<'_>> {
        match &self.db.inner {
            Inner::Sqlite(c) => c.begin_immediate()?,
            Inner::Postgres(c) => c.begin()?,
        }
        Ok(WriteTx {
            store: self,
            done: false,
        })
    }

    /// Indexes every row still waiting for full-text search, so that a
    /// search sees all of them. Returns how many rows are still waiting: 0,
    /// unless the write lock could not be had (a long writer past the busy
    /// timeout, a read-only database); the search then runs on what is
    /// indexed and can say so. PostgreSQL indexes every row as it is written.
    pub fn search_catch_up(&self) -> Result<i64> {
        let Inner::Sqlite(conn) = &self.db.inner else {
            return Ok(0);
        };
        let waiting = conn.search_waiting()?;
        if waiting == 0 {
            return Ok(0);
        }
        match self.write(|_| conn.index_search(1)) {
            Ok(()) => Ok(0),
            Err(e) if e.is_temporary() => Ok(waiting),
            Err(e) => Err(e),
        }
    }

    /// Writes a consistent copy of the whole database to `dest`, a new file
    /// created 0600 (never through a symlink); returns how many cases it
    /// holds. A failed copy leaves no file behind.
    pub fn backup_to(&self, dest: &Path) -> Result<i64> {
        match &self.db.inner {
            Inner::Sqlite(c) => c.backup_to(dest),
            Inner::Postgres(_) => Err(StoreError::Unsupported(
                "`casebook backup` writes SQLite files; back a PostgreSQL desk up with pg_dump"
                    .into(),
            )),
        }
    }

    /// Replaces the whole database with the casebook database in `from` (a
    /// `backup`), in one step under the write lock, so other processes see
    /// the old database or the restored one and never a mix; then brings an
    /// older backup's schema up to date. Returns how many cases it holds.
    pub fn restore_from(&mut self, from: &Path) -> Result<i64> {
        match &mut self.db.inner {
            Inner::Sqlite(c) => c.restore_from(from),
            Inner::Postgres(_) => Err(StoreError::Unsupported(
                "`casebook restore` replaces SQLite files; move a SQLite desk into PostgreSQL with `casebook migrate-to`".into(),
            )),
        }
    }
}

/// A write transaction begun with [`Store::begin`]: committed by
/// [`WriteTx::commit`], rolled back when dropped.
pub struct WriteTx<'a> {
    store: &'a Store,
    done: bool,
}

impl WriteTx<'_> {
    /// Commits. On SQLite, waiting rows join the search index first, in a
    /// savepoint: if the index itself is broken, the mail is still committed
    /// (its rows wait, and `search` reports the failure) rather than every
    /// delivery exiting 75; the returned warning says so.
    pub fn commit(mut self) -> Result<Option<String>> {
        let warning = match &self.store.db.inner {
            Inner::Sqlite(c) => c.commit_indexing_leniently()?,
            Inner::Postgres(c) => {
                c.commit()?;
                None
            }
        };
        self.done = true;
        Ok(warning)
    }

    /// Commits without indexing (the caller indexed already).
    fn commit_strictly(mut self) -> Result<()> {
        match &self.store.db.inner {
            Inner::Sqlite(c) => c.commit()?,
            Inner::Postgres(c) => c.commit()?,
        }
        self.done = true;
        Ok(())
    }
}

impl std::ops::Deref for WriteTx<'_> {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.store.db
    }
}

impl Drop for WriteTx<'_> {
    fn drop(&mut self) {
        if !self.done {
            match &self.store.db.inner {
                Inner::Sqlite(c) => c.rollback(),
                Inner::Postgres(c) => c.rollback(),
            }
        }
    }
}

/// The default database path: `$XDG_DATA_HOME/casebook/casebook.db`, else `~/.local/share/casebook/casebook.db`.
pub fn default_path() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("casebook").join("casebook.db")
}

/// Seconds since the epoch, the store's time representation.
pub fn ts(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp()
}

pub fn from_ts(s: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(s, 0).unwrap_or_default()
}

/// The words full-text search sees in `text`: split at every character that
/// is not a letter or digit, as SQLite's unicode61 tokenizer splits
/// (`555-0101` is `555` and `0101`). Both backends read queries with it, and
/// PostgreSQL indexes the words it gives.
pub(crate) fn search_tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
}

/// The most text of one row that PostgreSQL indexes for search (its
/// `tsvector` holds at most 1 MB): the start of a very long description.
const SEARCH_TEXT_LIMIT: usize = 256 * 1024;

/// `text` without the accents of its letters (`Müller` is `Muller`), as
/// SQLite's index (unicode61, `remove_diacritics 2`) reads text and queries.
pub(crate) fn without_diacritics(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .nfc()
        .collect()
}

/// The words of `parts`, without accents, lowercased and joined by spaces:
/// what PostgreSQL stores in `search_words` beside the text.
pub(crate) fn search_words(parts: &[&str]) -> String {
    let mut words = String::new();
    for part in parts {
        let part = without_diacritics(part);
        for token in search_tokens(&part) {
            if words.len() + token.len() > SEARCH_TEXT_LIMIT {
                return words;
            }
            if !words.is_empty() {
                words.push(' ');
            }
            words.extend(token.chars().flat_map(char::to_lowercase));
        }
    }
    words
}
