//! The desk: the service layer every command and ingest go through. A
//! [`Desk`] is one open transaction (or read connection) with what the
//! rules need beside it: the settings (config, business calendar, clock)
//! and the announcer that collects outgoing mail and warnings. Changes,
//! notifications, due times, escalation targets and the sweep rules live
//! here, one file each; the domain rules they apply are plain functions in
//! `domain/`, and every read and write goes through `store/`.
//!
//! Nothing here prints or knows the output format: warnings go to the
//! announcer, and the command decides how to show them.

pub mod activity;
pub(crate) mod away;
pub mod change;
pub(crate) mod delivery;
pub(crate) mod directory;
pub(crate) mod due;
pub(crate) mod escalation;
pub(crate) mod handoff;
pub(crate) mod integration;
pub mod notify;
pub(crate) mod report;
pub(crate) mod sweep;
pub(crate) mod triage;
pub(crate) mod views;
pub(crate) mod vocabulary;

use crate::domain::case::CaseNumber;
use std::cell::{Cell, OnceCell, RefCell};
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::domain::calendar::Calendar;
use crate::domain::case::Case;
use crate::error;
use crate::store::{cases, Db};

/// What every rule reads besides the database: the config, the business
/// calendar built from it, and the clock.
pub struct Settings {
    pub config: Config,
    /// Where the config came from, for error messages that say what to fix.
    pub config_path: PathBuf,
    /// The clock every time-based decision reads (`--now`).
    pub now: DateTime<Utc>,
    calendar: OnceCell<Calendar>,
}

impl Settings {
    pub fn new(mut config: Config, config_path: PathBuf, now: DateTime<Utc>) -> Settings {
        let calendar = match config.checked_calendar.take() {
            Some(built) => OnceCell::from(built),
            None => OnceCell::new(),
        };
        Settings {
            config,
            config_path,
            now,
            calendar,
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
        self.config.calendar.display_tz()
    }
}

/// Collects what a command's changes announce: the outgoing messages queued
/// (delivered once the transaction has committed) and warnings for the
/// person at the terminal, handed to the `warn` the command gave.
pub struct Announcer {
    /// Whether changes are announced by mail (acknowledgements,
    /// notifications); off while importing old mail in bulk.
    on: Cell<bool>,
    queued: RefCell<Vec<String>>,
    warn: Box<dyn Fn(&str)>,
}

impl Announcer {
    pub fn new(warn: impl Fn(&str) + 'static) -> Announcer {
        Announcer {
            on: Cell::new(true),
            queued: RefCell::new(Vec::new()),
            warn: Box::new(warn),
        }
    }

    /// Whether changes are announced by mail (see [`Announcer::set_on`]).
    pub fn is_on(&self) -> bool {
        self.on.get()
    }

    /// Turns acknowledgements and notifications on or off for the rest of the command.
    pub fn set_on(&self, on: bool) {
        self.on.set(on);
    }

    /// Remembers a message queued in the outbox, for delivery once committed.
    pub fn queued(&self, message_id: &str) {
        self.queued.borrow_mut().push(message_id.to_string());
    }

    /// The messages queued so far, forgotten here (see [`delivery::deliver_queued`]).
    pub fn take_queued(&self) -> Vec<String> {
        std::mem::take(&mut *self.queued.borrow_mut())
    }

    /// A warning for the person running the command.
    pub fn warn(&self, msg: &str) {
        (self.warn)(msg)
    }
}

/// The settings are reached through `Deref`: `desk.now`, `desk.config`,
/// `desk.calendar()`.
impl std::ops::Deref for Desk<'_> {
    type Target = Settings;
    fn deref(&self) -> &Settings {
        self.settings
    }
}

/// One transaction on the desk, with the settings and announcer its rules use.
#[derive(Clone, Copy)]
pub struct Desk<'a> {
    pub db: &'a Db,
    pub settings: &'a Settings,
    pub announcer: &'a Announcer,
}

impl<'a> Desk<'a> {
    pub fn new(db: &'a Db, settings: &'a Settings, announcer: &'a Announcer) -> Desk<'a> {
        Desk {
            db,
            settings,
            announcer,
        }
    }

    /// A case that exists, or an error that says how to find one.
    pub fn case(&self, number: CaseNumber) -> Result<Case> {
        cases::get(self.db, number)
            .context("reading the case")?
            .ok_or_else(|| {
                error::user(format!(
                    "no case `#{number}`: see `casebook list` for the cases there are"
                ))
            })
    }
}

/// Settings and an announcer that keeps its warnings, for the desk's own tests.
#[cfg(test)]
pub(crate) struct Fixture {
    pub settings: Settings,
    pub announcer: Announcer,
    pub warnings: std::rc::Rc<RefCell<Vec<String>>>,
}

#[cfg(test)]
impl Fixture {
    pub fn new(config: Config, now: DateTime<Utc>) -> Fixture {
        let warnings = std::rc::Rc::new(RefCell::new(Vec::new()));
        let sink = warnings.clone();
        Fixture {
            settings: Settings::new(config, "config.toml".into(), now),
            announcer: Announcer::new(move |m| sink.borrow_mut().push(m.to_string())),
            warnings,
        }
    }

    pub fn desk<'a>(&'a self, db: &'a Db) -> Desk<'a> {
        Desk::new(db, &self.settings, &self.announcer)
    }
}
