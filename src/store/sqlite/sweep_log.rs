//! The sweep log: which time-based rule fired on which case for which
//! occasion, so that sweep does nothing twice.

use crate::domain::case::CaseNumber;
use crate::domain::states::{ContactMethod, ContactOutcome};
use crate::store::rows::{SweepDone, SweepFacts, SweptAttempt, SweptComment, SweptEvent};
use crate::store::{from_ts, ts, Result, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

use super::cases::sweep_candidates;
use super::state;

/// The events sweep reads: `events_sweep` (migration 13) holds these, and
/// [`EVENTS_SQL`] names them as the same text, so that SQLite sees the
/// index serves the query.
const SWEEP_EVENTS: [&str; 3] = ["call-back requested", "nothing left to do", "handoff reply"];

// Each reads the candidates' rows (`?1`: their numbers as a JSON array)
// through the table's per-case index.
pub(crate) const ATTEMPTS_SQL: &str = "SELECT case_id, at, method, outcome FROM contact_attempts
    WHERE case_id IN (SELECT value FROM json_each(?1)) ORDER BY case_id, at, id";
pub(crate) const COMMENTS_SQL: &str = "SELECT case_id, at, author FROM comments
    WHERE author IS NOT NULL AND case_id IN (SELECT value FROM json_each(?1)) ORDER BY case_id, at, id";
pub(crate) const EVENTS_SQL: &str = "SELECT case_id, at, field FROM events
    WHERE field IN ('call-back requested', 'nothing left to do', 'handoff reply')
      AND case_id IN (SELECT value FROM json_each(?1)) ORDER BY case_id, at, id";
pub(crate) const DONE_SQL: &str = "SELECT case_id, rule, occasion FROM sweep_log
    WHERE case_id IN (SELECT value FROM json_each(?1)) ORDER BY case_id, occasion";

/// Sweep's candidates and what its rules read of them, a query per table:
/// the candidates are found once, and each table is read by their numbers
/// through its per-case index. `event_fields` are the events of
/// [`SWEEP_EVENTS`]; another field is an error, as no index holds it.
pub fn facts(
    conn: &Connection,
    integration_type: &str,
    event_fields: &[&str],
) -> Result<SweepFacts> {
    if let Some(f) = event_fields.iter().find(|f| !SWEEP_EVENTS.contains(f)) {
        return Err(StoreError::Unsupported(format!(
            "sweep reads the events {SWEEP_EVENTS:?}, not `{f}`: add it to events_sweep"
        )));
    }
    let cases = sweep_candidates(conn, integration_type)?;
    // The numbers as a JSON array, read back by json_each: one parameter.
    let numbers = format!(
        "[{}]",
        cases
            .iter()
            .map(|c| c.number.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let attempts = conn
        .prepare(ATTEMPTS_SQL)?
        .query_map([&numbers], |r| {
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
        .query_map([&numbers], |r| {
            Ok(SweptComment {
                case: r.get(0)?,
                at: from_ts(r.get(1)?),
                author: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let events = conn
        .prepare(EVENTS_SQL)?
        .query_map([&numbers], |r| {
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
    let done = conn
        .prepare(DONE_SQL)?
        .query_map([&numbers], |r| {
            Ok(SweepDone {
                case: r.get(0)?,
                rule: r.get(1)?,
                occasion: from_ts(r.get(2)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(SweepFacts {
        cases,
        attempts,
        comments,
        events,
        done,
    })
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
