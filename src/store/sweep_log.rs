//! The sweep log: which time-based rule fired on which case for which
//! occasion, so that sweep does nothing twice.

use crate::domain::case::CaseNumber;
pub use crate::store::rows::{SweepDone, SweepFacts, SweptAttempt, SweptComment, SweptEvent};
use crate::store::Result;
use crate::store::{postgres, sqlite, Backend, Db};
use chrono::{DateTime, Utc};

/// The open cases sweep looks at (waiting for an AM, handed off, or of
/// `integration_type`) and what its rules read of them: their contact
/// attempts, staff comments, history events named one of `event_fields`,
/// and the sweep log.
pub fn facts(db: &Db, integration_type: &str, event_fields: &[&str]) -> Result<SweepFacts> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::sweep_log::facts(conn, integration_type, event_fields),
        Backend::Postgres(conn) => postgres::sweep_log::facts(conn, integration_type, event_fields),
    }
}

/// Whether sweep already fired `rule` on `case` for `occasion`, as sweep
/// reads it (the sweep log's rows in [`facts`]), for the tests. The case's
/// own type is named as the Integration type, so it is a candidate.
#[cfg(test)]
pub(crate) fn swept(
    db: &Db,
    case: CaseNumber,
    rule: &str,
    occasion: DateTime<Utc>,
) -> Result<bool> {
    let case_type = crate::store::cases::get(db, case)?
        .map(|c| c.case_type)
        .unwrap_or_default();
    Ok(facts(db, &case_type, &[])?
        .done
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
