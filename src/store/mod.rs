//! The store: every read and write of casebook goes through this interface,
//! which speaks only domain types. One module per table family holds the
//! operations; each dispatches to a backend, which alone holds SQL:
//! `sqlite/` today (the embedded default), PostgreSQL beside it later.
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
pub(crate) mod views;

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
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    /// A failure that a later retry can fix (locked, read-only, disk full):
    /// ingest exits 75 so the MTA keeps the message.
    pub fn is_temporary(&self) -> bool {
        match self {
            StoreError::Busy { .. } | StoreError::Unwritable { .. } | StoreError::Full { .. } => {
                true
            }
            StoreError::Sqlite(e) => sqlite::is_temporary(e),
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

enum Inner {
    Sqlite(sqlite::Conn),
}

/// The backend connection an operation dispatches on.
pub(crate) enum Backend<'a> {
    Sqlite(&'a rusqlite::Connection),
}

impl Db {
    pub(crate) fn backend(&self) -> Backend<'_> {
        match &self.inner {
            Inner::Sqlite(c) => Backend::Sqlite(&c.conn),
        }
    }

    /// Starts a savepoint: what is written after it is undone when the
    /// returned guard is dropped, and kept by [`Savepoint::commit`].
    pub fn savepoint(&self) -> Result<Savepoint<'_>> {
        match &self.inner {
            Inner::Sqlite(c) => c.savepoint()?,
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
        }
    }
}

impl Drop for Savepoint<'_> {
    fn drop(&mut self) {
        if !self.done {
            match &self.db.inner {
                Inner::Sqlite(c) => c.rollback_to(),
            }
        }
    }
}

/// The database, opened and migrated.
pub struct Store {
    db: Db,
}

impl Store {
    /// Opens and migrates the SQLite database at `path`, which must exist
    /// (a missing or empty file is [`StoreError::Missing`]).
    pub fn open(path: &Path, busy_timeout: Duration) -> Result<Store> {
        Ok(Store::from(sqlite::Conn::open(path, busy_timeout, false)?))
    }

    /// Creates (mode 0600, its folder too) or opens, and migrates, the
    /// database at `path`: for `init` and `demo` only.
    pub fn create(path: &Path, busy_timeout: Duration) -> Result<Store> {
        Ok(Store::from(sqlite::Conn::open(path, busy_timeout, true)?))
    }

    /// An in-memory, migrated store for tests.
    pub fn open_in_memory() -> Result<Store> {
        Ok(Store::from(sqlite::Conn::open_in_memory()?))
    }

    fn from(conn: sqlite::Conn) -> Store {
        Store {
            db: Db {
                inner: Inner::Sqlite(conn),
            },
        }
    }

    fn sqlite(&self) -> &sqlite::Conn {
        match &self.db.inner {
            Inner::Sqlite(c) => c,
        }
    }

    /// Where the database is, as people read it.
    pub fn path(&self) -> &str {
        &self.sqlite().path
    }

    /// The schema version this casebook writes.
    pub fn latest_version(&self) -> i64 {
        sqlite::latest_version()
    }

    /// The SQLite connection itself, for the backend's own tests.
    #[cfg(test)]
    pub(crate) fn sqlite_connection(&self) -> &rusqlite::Connection {
        &self.sqlite().conn
    }

    /// The connection, for reads outside a transaction.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Runs `f` inside one write transaction: all of it is committed or none.
    /// New rows join the search index in groups before the commit.
    pub fn write<T, E>(
        &self,
        f: impl FnOnce(&Db) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        let conn = self.sqlite();
        conn.begin_immediate()?;
        let mut guard = WriteTx {
            store: self,
            done: false,
        };
        let value = f(&self.db)?;
        conn.index_search(sqlite::search::WRITER_BATCH)?;
        conn.commit()?;
        guard.done = true;
        Ok(value)
    }

    /// Begins a write transaction by hand (ingest: one per message, or one
    /// per batch with each message in a savepoint); dropping the guard rolls
    /// it back (`--dry-run`).
    pub fn begin(&self) -> Result<WriteTx<'_>> {
        self.sqlite().begin_immediate()?;
        Ok(WriteTx {
            store: self,
            done: false,
        })
    }

    /// Indexes every row still waiting for full-text search, so that a
    /// search sees all of them. Returns how many rows are still waiting: 0,
    /// unless the write lock could not be had (a long writer past the busy
    /// timeout, a read-only database); the search then runs on what is
    /// indexed and can say so.
    pub fn search_catch_up(&self) -> Result<i64> {
        let waiting = self.sqlite().search_waiting()?;
        if waiting == 0 {
            return Ok(0);
        }
        match self.write(|_| self.sqlite().index_search(1)) {
            Ok(()) => Ok(0),
            Err(e) if e.is_temporary() => Ok(waiting),
            Err(e) => Err(e),
        }
    }

    /// Writes a consistent copy of the whole database to `dest`, a new file
    /// created 0600 (never through a symlink); returns how many cases it
    /// holds. A failed copy leaves no file behind.
    pub fn backup_to(&self, dest: &Path) -> Result<i64> {
        self.sqlite().backup_to(dest)
    }

    /// Replaces the whole database with the casebook database in `from` (a
    /// `backup`), in one step under the write lock, so other processes see
    /// the old database or the restored one and never a mix; then brings an
    /// older backup's schema up to date. Returns how many cases it holds.
    pub fn restore_from(&mut self, from: &Path) -> Result<i64> {
        match &mut self.db.inner {
            Inner::Sqlite(c) => c.restore_from(from),
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
    /// Commits. Waiting rows join the search index first, in a savepoint: if
    /// the index itself is broken, the mail is still committed (its rows
    /// wait, and `search` reports the failure) rather than every delivery
    /// exiting 75; the returned warning says so.
    pub fn commit(mut self) -> Result<Option<String>> {
        let warning = self.store.sqlite().commit_indexing_leniently()?;
        self.done = true;
        Ok(warning)
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
            self.store.sqlite().rollback();
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
