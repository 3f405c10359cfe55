//! The sweep log: which time-based rule fired on which case for which
//! occasion, so that sweep does nothing twice.

use crate::domain::case::CaseNumber;
pub use crate::store::rows::{
    SweepAsked, SweepDone, SweepFacts, SweptAttempt, SweptCase, SweptComment, SweptEvent,
};
use crate::store::Result;
use crate::store::{postgres, sqlite, Backend, Db};
use chrono::{DateTime, Utc};

/// The open cases sweep looks at: waiting for an AM, handed off, or of
/// `integration_type`, in the store's order.
pub fn candidates(db: &Db, integration_type: &str) -> Result<Vec<SweptCase>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::cases::sweep_candidates(conn, integration_type),
        Backend::Postgres(conn) => postgres::cases::sweep_candidates(conn, integration_type),
    }
}

/// What sweep's rules read of the cases `asked` names: their contact
/// attempts, staff comments, and history events named one of `event_fields`.
pub fn facts(db: &Db, asked: &SweepAsked, event_fields: &[&str]) -> Result<SweepFacts> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::sweep_log::facts(conn, asked, event_fields),
        Backend::Postgres(conn) => postgres::sweep_log::facts(conn, asked, event_fields),
    }
}

/// The sweep log's rows of `cases`: what sweep already did to them.
pub fn done(db: &Db, cases: &[CaseNumber]) -> Result<Vec<SweepDone>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::sweep_log::done(conn, cases),
        Backend::Postgres(conn) => postgres::sweep_log::done(conn, cases),
    }
}

/// Whether sweep already fired `rule` on `case` for `occasion`, as sweep
/// reads it ([`done`]), for the tests.
#[cfg(test)]
pub(crate) fn swept(
    db: &Db,
    case: CaseNumber,
    rule: &str,
    occasion: DateTime<Utc>,
) -> Result<bool> {
    Ok(done(db, &[case])?
        .iter()
        .any(|d| d.case == case && d.rule == rule && d.occasion == occasion))
}

/// Records that sweep fired `rule` on `case` for `occasion`; false if it already had.
pub fn log_sweep(
    db: &Db,
    case: CaseNumber,
    rule: &str,
    occasion: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<bool> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::sweep_log::log_sweep(conn, case, rule, occasion, at),
        Backend::Postgres(conn) => postgres::sweep_log::log_sweep(conn, case, rule, occasion, at),
    }
}
