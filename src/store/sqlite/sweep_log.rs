//! The sweep log: which time-based rule fired on which case for which
//! occasion, so that sweep does nothing twice.

use crate::domain::case::CaseNumber;
use crate::domain::states::{ContactMethod, ContactOutcome};
use crate::store::rows::{
    SweepAsked, SweepDone, SweepFacts, SweptAttempt, SweptComment, SweptEvent,
};
use crate::store::{from_ts, ts, Result, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

use super::state;

/// The events sweep reads: `events_sweep` (migrations 13 and 21) holds these, and
/// [`EVENTS_SQL`] names them as the same text, so that SQLite sees the
/// index serves the query.
const SWEEP_EVENTS: [&str; 3] = ["call-back requested", "nothing left to do", "handoff reply"];

// Each walks the cases' numbers (`?1`: a JSON array) and reads each
// one's rows through the table's per-case index. (`x IN (SELECT value FROM
// json_each(?1))` first copied the numbers into a temporary index, once per
// table: 5,600 inserts each at a million cases.)
pub(crate) const ATTEMPTS_SQL: &str = "SELECT t.case_id, t.at, t.method, t.outcome
    FROM json_each(?1) j CROSS JOIN contact_attempts t ON t.case_id = j.value
    ORDER BY t.case_id, t.at, t.id";
pub(crate) const COMMENTS_SQL: &str = "SELECT t.case_id, t.at, t.author
    FROM json_each(?1) j CROSS JOIN comments t ON t.case_id = j.value
    WHERE t.author IS NOT NULL ORDER BY t.case_id, t.at, t.id";
pub(crate) const EVENTS_SQL: &str = "SELECT t.case_id, t.at, t.field
    FROM json_each(?1) j CROSS JOIN events t ON t.case_id = j.value
    WHERE t.field = 'call-back requested' OR t.field = 'nothing left to do' OR t.field = 'handoff reply'
    ORDER BY t.case_id, t.at, t.id";
pub(crate) const DONE_SQL: &str = "SELECT t.case_id, t.rule, t.occasion
    FROM json_each(?1) j CROSS JOIN sweep_log t ON t.case_id = j.value
    ORDER BY t.case_id, t.occasion";

/// What sweep's rules read of the cases `asked` names, a query per table,
/// each through its per-case index. `event_fields` are the events of
/// [`SWEEP_EVENTS`]; another field is an error, as no index holds it.
pub fn facts(conn: &Connection, asked: &SweepAsked, event_fields: &[&str]) -> Result<SweepFacts> {
    if let Some(f) = event_fields.iter().find(|f| !SWEEP_EVENTS.contains(f)) {
        return Err(StoreError::Unsupported(format!(
            "sweep reads the events {SWEEP_EVENTS:?}, not `{f}`: add it to events_sweep"
        )));
    }
    let attempts = conn
        .prepare(ATTEMPTS_SQL)?
        .query_map([json_numbers(&asked.attempts)], |r| {
            Ok(SweptAttempt {
                case: r.get(0)?,
                at: from_ts(r.get(1)?),
                method: state(r, 2, ContactMethod::parse_stored)?,
                outcome: state(r, 3, ContactOutcome::parse_stored)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let comments = conn
        .prepare(COMMENTS_SQL)?
        .query_map([json_numbers(&asked.comments)], |r| {
            Ok(SweptComment {
                case: r.get(0)?,
                at: from_ts(r.get(1)?),
                author: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let events = conn
        .prepare(EVENTS_SQL)?
        .query_map([json_numbers(&asked.events)], |r| {
            Ok(SweptEvent {
                case: r.get(0)?,
                at: from_ts(r.get(1)?),
                field: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|e| event_fields.contains(&e.field.as_str()))
        .collect();
    Ok(SweepFacts {
        attempts,
        comments,
        events,
    })
}

/// The sweep log's rows of `cases`.
pub fn done(conn: &Connection, cases: &[CaseNumber]) -> Result<Vec<SweepDone>> {
    Ok(conn
        .prepare(DONE_SQL)?
        .query_map([json_numbers(cases)], |r| {
            Ok(SweepDone {
                case: r.get(0)?,
                rule: r.get(1)?,
                occasion: from_ts(r.get(2)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Case numbers as a JSON array, read back by `json_each`: one parameter
/// however many there are.
fn json_numbers(cases: &[CaseNumber]) -> String {
    use std::fmt::Write;
    // Written into one string: a string per number and a join cost sweep
    // 4 M instructions at a million cases.
    let mut json = String::with_capacity(2 + cases.len() * 8);
    json.push('[');
    for (i, n) in cases.iter().enumerate() {
        let comma = if i == 0 { "" } else { "," };
        let _ = write!(json, "{comma}{n}");
    }
    json.push(']');
    json
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
    fn case_numbers_are_a_json_array() {
        let n = |v: &[i64]| -> Vec<crate::domain::case::CaseNumber> {
            v.iter().map(|&i| i.try_into().unwrap()).collect()
        };
        assert_eq!(super::json_numbers(&n(&[])), "[]");
        assert_eq!(super::json_numbers(&n(&[7])), "[7]");
        assert_eq!(super::json_numbers(&n(&[1, 22, 333])), "[1,22,333]");
    }

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
