//! The sweep log on PostgreSQL: the same operations as `sqlite::sweep_log`.
//! The primary key (case, rule, occasion) makes a rule fire once per
//! occasion even when two hosts sweep at the same time.

use crate::domain::case::CaseNumber;
use crate::store::{ts, Result};
use chrono::{DateTime, Utc};

use super::Conn;

/// Whether sweep already fired `rule` on `case` for `occasion`.
pub fn swept(conn: &Conn, case: CaseNumber, rule: &str, occasion: DateTime<Utc>) -> Result<bool> {
    Ok(conn
        .query_opt(
            "SELECT 1 FROM sweep_log WHERE case_id = $1 AND rule = $2 AND occasion = $3",
            &[&case, &rule, &ts(occasion)],
        )?
        .is_some())
}

/// Records that sweep fired `rule` on `case` for `occasion`; false if it already had.
pub fn log_sweep(
    conn: &Conn,
    case: CaseNumber,
    rule: &str,
    occasion: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<bool> {
    Ok(conn.execute(
        "INSERT INTO sweep_log (case_id, rule, occasion, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
        &[&case, &rule, &ts(occasion), &ts(at)],
    )? == 1)
}
