//! The sweep log: which time-based rule fired on which case for which
//! occasion, so that sweep does nothing twice.

use crate::domain::case::CaseNumber;
use crate::store::Result;
use crate::store::{postgres, sqlite, Backend, Db};
use chrono::{DateTime, Utc};

/// Whether sweep already fired `rule` on `case` for `occasion`.
pub fn swept(db: &Db, case: CaseNumber, rule: &str, occasion: DateTime<Utc>) -> Result<bool> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::sweep_log::swept(conn, case, rule, occasion),
        Backend::Postgres(conn) => postgres::sweep_log::swept(conn, case, rule, occasion),
    }
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
