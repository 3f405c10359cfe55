//! The sweep log on PostgreSQL: the same operations as `sqlite::sweep_log`.
//! The primary key (case, rule, occasion) makes a rule fire once per
//! occasion even when two hosts sweep at the same time.

use crate::domain::case::CaseNumber;
use crate::domain::states::{ContactMethod, ContactOutcome};
use crate::store::rows::{
    SweepAsked, SweepDone, SweepFacts, SweptAttempt, SweptComment, SweptEvent,
};
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};

use super::{state, Conn};

/// What sweep's rules read of the cases `asked` names: a query (one round
/// trip) per table, not per case.
pub fn facts(conn: &Conn, asked: &SweepAsked, event_fields: &[&str]) -> Result<SweepFacts> {
    let attempts = conn
        .query(
            "SELECT case_id, at, method, outcome FROM contact_attempts
             WHERE case_id = ANY($1) ORDER BY case_id, at, id",
            &[&asked.attempts],
        )?
        .iter()
        .map(|r| {
            Ok(SweptAttempt {
                case: r.try_get(0)?,
                at: from_ts(r.try_get(1)?),
                method: state(r, 2, ContactMethod::parse_stored)?,
                outcome: state(r, 3, ContactOutcome::parse_stored)?,
            })
        })
        .collect::<Result<_>>()?;
    let comments = conn
        .query(
            "SELECT case_id, at, author FROM comments
             WHERE author IS NOT NULL AND case_id = ANY($1) ORDER BY case_id, at, id",
            &[&asked.comments],
        )?
        .iter()
        .map(|r| {
            Ok(SweptComment {
                case: r.try_get(0)?,
                at: from_ts(r.try_get(1)?),
                author: r.try_get(2)?,
            })
        })
        .collect::<Result<_>>()?;
    let events = conn
        .query(
            "SELECT case_id, at, field FROM events
             WHERE field = ANY($2) AND case_id = ANY($1) ORDER BY case_id, at, id",
            &[&asked.events, &event_fields],
        )?
        .iter()
        .map(|r| {
            Ok(SweptEvent {
                case: r.try_get(0)?,
                at: from_ts(r.try_get(1)?),
                field: r.try_get(2)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(SweepFacts {
        attempts,
        comments,
        events,
    })
}

/// The sweep log's rows of `cases`.
pub fn done(conn: &Conn, cases: &[CaseNumber]) -> Result<Vec<SweepDone>> {
    conn.query(
        "SELECT case_id, rule, occasion FROM sweep_log
         WHERE case_id = ANY($1) ORDER BY case_id, occasion",
        &[&cases],
    )?
    .iter()
    .map(|r| {
        Ok(SweepDone {
            case: r.try_get(0)?,
            rule: r.try_get(1)?,
            occasion: from_ts(r.try_get(2)?),
        })
    })
    .collect()
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
