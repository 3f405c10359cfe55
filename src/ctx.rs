//! What every command gets: the desk's settings (config, calendar, clock) and
//! announcer, the store (opened once, on first use), the acting person, and
//! the output format.

use std::cell::OnceCell;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::desk::{Announcer, Desk, Settings};
use crate::domain::person::Person;
use crate::error;
use crate::render::Format;
use crate::store::{self, Db, Store};

pub struct Ctx {
    /// Config, calendar and clock: what the desk's rules read (`ctx.config`,
    /// `ctx.now` and `ctx.calendar()` reach them through `Deref`).
    pub settings: Settings,
    /// Mail queued and warnings raised by this command's changes.
    pub announcer: Announcer,
    /// Where the database is: a SQLite file or a PostgreSQL URL.
    pub db: store::Location,
    /// The handle given by `--as`, `CASEBOOK_USER` or the login name.
    pub user: Option<String>,
    pub format: Format,
    pub color: bool,
    store: OnceCell<Store>,
}

impl std::ops::Deref for Ctx {
    type Target = Settings;
    fn deref(&self) -> &Settings {
        &self.settings
    }
}

impl Ctx {
    pub fn new(
        config: Config,
        config_path: PathBuf,
        db: store::Location,
        user: Option<String>,
        now: DateTime<Utc>,
        format: Format,
        color: bool,
    ) -> Ctx {
        Ctx {
            settings: Settings::new(config, config_path, now),
            // The desk's warnings go to stderr as they happen.
            announcer: Announcer::new(|msg| {
                let _ = writeln!(std::io::stderr(), "{msg}");
            }),
            db,
            user,
            format,
            color,
            store: OnceCell::new(),
        }
    }

    /// The store, opened and migrated on first use; it must exist (see
    /// [`Ctx::create_store`]).
    pub fn store(&self) -> Result<&Store> {
        self.store_by(Store::open)
    }

    /// The store, created if it does not exist yet: `init` only.
    pub fn create_store(&self) -> Result<&Store> {
        self.store_by(Store::create)
    }

    fn store_by(
        &self,
        open: fn(&store::Location, Duration) -> store::Result<Store>,
    ) -> Result<&Store> {
        if let Some(s) = self.store.get() {
            return Ok(s);
        }
        let store = open(&self.db, self.busy_timeout())?;
        Ok(self.store.get_or_init(|| store))
    }

    /// Ends the command as the process ends: the store closed by
    /// `Store::leave`, the settings (plain data: the config and calendar) left
    /// for the exit to free, the rest dropped.
    pub fn leave(self) {
        let Ctx {
            settings, store, ..
        } = self;
        if let Some(store) = store.into_inner() {
            store.leave();
        }
        std::mem::forget(settings);
    }

    /// The store if this command opened it.
    pub fn opened_store(&self) -> Option<&Store> {
        self.store.get()
    }

    /// The desk on `db` (a transaction from `store().write`, or the store's
    /// connection for reads), with this command's settings and announcer.
    pub fn desk<'a>(&'a self, db: &'a Db) -> Desk<'a> {
        Desk::new(db, &self.settings, &self.announcer)
    }

    pub fn busy_timeout(&self) -> Duration {
        let ms = std::env::var("CASEBOOK_BUSY_TIMEOUT_MS")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(self.config.store.busy_timeout_ms);
        Duration::from_millis(ms)
    }

    /// The person acting; an unknown handle is an error that says how to fix it.
    pub fn actor(&self) -> Result<Person> {
        let Some(handle) = self.user.as_deref() else {
            return Err(error::user(
                "cannot tell who you are: pass `--as HANDLE` or set `CASEBOOK_USER`",
            ));
        };
        let conn = self.store()?.db();
        store::people::get(conn, handle)?.ok_or_else(|| {
            error::user(format!(
                "unknown handle `{handle}`: add them with `casebook people add {handle} --name NAME --email EMAIL`, or pass `--as` with a known handle (`casebook people list`)"
            ))
        })
    }

    /// How results are shown: the global format, the terminal's width, the business time zone.
    pub fn view(&self) -> crate::render::View {
        crate::render::View {
            format: self.format,
            width: crate::render::terminal_width(),
            tz: self.display_tz(),
            color: self.color,
            now: self.now,
        }
    }

    /// Standard output, for data. Progress and hints go to stderr.
    pub fn out(&self) -> std::io::StdoutLock<'static> {
        std::io::stdout().lock()
    }

    /// A hint or warning on stderr.
    pub fn note(&self, msg: &str) {
        let _ = writeln!(std::io::stderr(), "{msg}");
    }

    /// A case number that exists, or an error that says how to find one.
    pub fn case(
        &self,
        number: crate::domain::case::CaseNumber,
    ) -> Result<crate::domain::case::Case> {
        self.desk(self.store()?.db()).case(number)
    }
}
