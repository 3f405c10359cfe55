//! The sweep log: which time-based rule fired on which case for which
//! occasion, so that sweep does nothing twice.

use crate::domain::case::CaseNumber;
use crate::store::{ts, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

/// Whether sweep already fired `rule` on `case` for `occasion`.
pub fn swept(
    conn: &Connection,
    case: CaseNumber,
    rule: &str,
    occasion: DateTime<Utc>,
) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sweep_log WHERE case_id = ?1 AND rule = ?2 AND occasion = ?3",
            params![case, rule, ts(occasion)],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Records that sweep fired `rule` on `case` for `occasion`; false if it already had.
pub fn log_sweep(
    conn: &Connection,
    case: CaseNumber,
    rule: &str,
    occasion: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<bool> {
    Ok(conn.execute(
        "INSERT OR IGNORE INTO sweep_log (case_id, rule, occasion, at) VALUES (?1, ?2, ?3, ?4)",
        params![case, rule, ts(occasion), ts(at)],
    )? == 1)
}

#[cfg(test)]
mod tests {
    use crate::domain::case::NewCase;
    use crate::store::sweep_log::{log_sweep, swept};
    use crate::store::{cases, from_ts, Store};

    #[test]
    fn sweep_log_records_once() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.db();
        let now = from_ts(1_800_000_000);
        let n = cases::insert(conn, &NewCase::new("x", now)).unwrap();
        assert!(!swept(conn, n, "am-response", now).unwrap());
        assert!(log_sweep(conn, n, "am-response", now, now).unwrap());
        assert!(!log_sweep(conn, n, "am-response", now, now).unwrap());
        assert!(swept(conn, n, "am-response", now).unwrap());
    }
}
