//! What every command gets: config, the store (opened once, on first use), the
//! acting person, the clock, and the output format.

use std::cell::{Cell, OnceCell, RefCell};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::domain::calendar::Calendar;
use crate::domain::person::Person;
use crate::error;
use crate::render::Format;
use crate::store::{self, Store};

pub struct Ctx {
    pub config: Config,
    pub config_path: PathBuf,
    pub db_path: PathBuf,
    /// The handle given by `--as`, `CASEBOOK_USER` or the login name.
    pub user: Option<String>,
    /// The clock every time-based decision reads.
    pub now: DateTime<Utc>,
    pub format: Format,
    pub color: bool,
    store: OnceCell<Store>,
    calendar: OnceCell<Calendar>,
    /// Message-IDs this command queued in the outbox, delivered after it ends.
    queued_mail: RefCell<Vec<String>>,
    /// Whether changes are announced by mail (acknowledgements, notifications);
    /// off while importing old mail in bulk.
    announce: Cell<bool>,
}

impl Ctx {
    pub fn new(
        config: Config,
        config_path: PathBuf,
        db_path: PathBuf,
        user: Option<String>,
        now: DateTime<Utc>,
        format: Format,
        color: bool,
    ) -> Ctx {
        Ctx {
            config,
            config_path,
            db_path,
            user,
            now,
            format,
            color,
            store: OnceCell::new(),
            calendar: OnceCell::new(),
            queued_mail: RefCell::new(Vec::new()),
            announce: Cell::new(true),
        }
    }

    /// The store, opened and migrated on first use.
    pub fn store(&self) -> Result<&Store> {
        if let Some(s) = self.store.get() {
            return Ok(s);
        }
        let store = Store::open(&self.db_path, self.busy_timeout())?;
        Ok(self.store.get_or_init(|| store))
    }

    pub fn busy_timeout(&self) -> Duration {
        let ms = std::env::var("CASEBOOK_BUSY_TIMEOUT_MS")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(self.config.store.busy_timeout_ms);
        Duration::from_millis(ms)
    }

    /// Whether changes are announced by mail (see `set_announce`).
    pub fn announce(&self) -> bool {
        self.announce.get()
    }

    /// Turns acknowledgements and notifications on or off for the rest of the command.
    pub fn set_announce(&self, on: bool) {
        self.announce.set(on);
    }

    /// Remembers a message this command queued, for delivery once it has committed.
    pub fn mail_queued(&self, message_id: &str) {
        self.queued_mail.borrow_mut().push(message_id.to_string());
    }

    /// The messages queued so far, forgotten here (see [`crate::outbox::deliver_queued`]).
    pub fn take_queued_mail(&self) -> Vec<String> {
        std::mem::take(&mut *self.queued_mail.borrow_mut())
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
        }
    }

    /// The business calendar of `[calendar]`, built once on first use; a bad
    /// calendar is an error that names the section to fix.
    pub fn calendar(&self) -> Result<&Calendar> {
        if let Some(c) = self.calendar.get() {
            return Ok(c);
        }
        let cal = Calendar::new(&self.config.calendar).map_err(|e| {
            error::user(format!(
                "the `[calendar]` section of `{}` is not valid: {e}",
                self.config_path.display()
            ))
        })?;
        Ok(self.calendar.get_or_init(|| cal))
    }

    /// The zone people read times in: the business calendar's (UTC if it does not parse;
    /// the commands that need the calendar report that error).
    pub fn display_tz(&self) -> chrono_tz::Tz {
        self.config
            .calendar
            .timezone
            .trim()
            .parse()
            .unwrap_or(chrono_tz::UTC)
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
    pub fn case(&self, number: i64) -> Result<crate::domain::case::Case> {
        store::cases::get(self.store()?.db(), number)
            .context("reading the case")?
            .ok_or_else(|| {
                error::user(format!(
                    "no case `#{number}`: see `casebook list` for the cases there are"
                ))
            })
    }
}
