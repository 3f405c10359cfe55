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

#[cfg(test)]
mod tests {
    use crate::store::from_ts;
    use crate::store::postgres::testing;
    use crate::store::sweep_log::{log_sweep, swept};

    /// Two hosts sweeping one desk: the second sees what the first logged,
    /// and logging the same occasion again is refused by the primary key.
    #[test]
    fn a_rule_fires_once_per_occasion_across_hosts() {
        let Some(url) = testing::desk_url() else {
            return;
        };
        let (one, two) = (testing::open(&url), testing::open(&url));
        let now = from_ts(1_800_000_000);
        let later = from_ts(1_800_000_600);
        let n = testing::new_case(one.db(), "x", now);
        assert!(!swept(two.db(), n, "am-response", now).unwrap());
        assert!(log_sweep(one.db(), n, "am-response", now, now).unwrap());
        assert!(swept(two.db(), n, "am-response", now).unwrap());
        assert!(!log_sweep(two.db(), n, "am-response", now, later).unwrap());
        assert!(!log_sweep(one.db(), n, "am-response", now, later).unwrap());
        // Another occasion or another rule is another row.
        assert!(!swept(one.db(), n, "am-response", later).unwrap());
        assert!(log_sweep(two.db(), n, "am-response", later, later).unwrap());
        assert!(log_sweep(two.db(), n, "first-contact", now, later).unwrap());
    }
}
