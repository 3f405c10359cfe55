//! Queries of the daily views and the owner report: open-case numbers for a
//! refresh, and the once-a-day bookkeeping of `report --send`.

use crate::domain::case::CaseNumber;
use crate::domain::case::{Priority, Status};
use crate::store::rows::CaseFilter;
use crate::store::rows::{StoredDue, ViewCase};
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

const VIEW_SELECT: &str =
    "SELECT c.id, c.subject, a.name, c.owner, c.creator, c.status, c.priority,
    c.opened_at, c.next_due FROM cases c LEFT JOIN accounts a ON a.id = c.account_id";

/// The stored label as a value: the exact label first (what the store writes), else any spelling.
fn label<T: Copy + std::str::FromStr>(
    all: &[T],
    name: fn(T) -> &'static str,
    text: &str,
) -> Option<T> {
    all.iter()
        .copied()
        .find(|v| name(*v) == text)
        .or_else(|| text.parse().ok())
}

fn view_case(r: &Row<'_>) -> rusqlite::Result<ViewCase> {
    let text = |i: usize| -> rusqlite::Result<String> {
        Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
    };
    Ok(ViewCase {
        number: r.get(0)?,
        subject: r.get(1)?,
        account: r.get(2)?,
        owner: r.get(3)?,
        creator: r.get(4)?,
        status: label(Status::ALL, Status::label, &text(5)?).unwrap_or(Status::New),
        priority: label(Priority::ALL, Priority::label, &text(6)?).unwrap_or(Priority::Standard),
        opened_at: from_ts(r.get(7)?),
        next_due: r.get::<_, Option<i64>>(8)?.map(from_ts),
    })
}

/// The cases of `f` as the views show them, in `f.order`.
pub fn list(conn: &Connection, f: &CaseFilter) -> Result<Vec<ViewCase>> {
    let (sql, values) = super::cases::filter_sql(VIEW_SELECT, f);
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(values), view_case)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The numbers of every open case, lowest first (for `due --refresh`).
pub fn open_case_numbers(conn: &Connection) -> Result<Vec<CaseNumber>> {
    let mut stmt = conn.prepare("SELECT id FROM cases WHERE closed_at IS NULL ORDER BY id")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The first-contact and next-contact due times stored for a case.
pub fn due_times(conn: &Connection, case: CaseNumber) -> Result<Option<StoredDue>> {
    Ok(conn
        .query_row(
            "SELECT first_contact_due, next_due FROM cases WHERE id = ?1",
            [case],
            |r| {
                Ok((
                    r.get::<_, Option<i64>>(0)?.map(from_ts),
                    r.get::<_, Option<i64>>(1)?.map(from_ts),
                ))
            },
        )
        .optional()?)
}

/// When the owner report was mailed on `day` (`YYYY-MM-DD` in the business time zone), if it was.
pub fn report_sent_on(conn: &Connection, day: &str) -> Result<Option<DateTime<Utc>>> {
    Ok(conn
        .query_row(
            "SELECT sent_at FROM report_sends WHERE day = ?1",
            [day],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .map(from_ts))
}

/// Records that the owner report was mailed on `day` (a forced resend moves the time).
pub fn record_report_send(conn: &Connection, day: &str, at: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "INSERT INTO report_sends (day, sent_at) VALUES (?1, ?2)
         ON CONFLICT (day) DO UPDATE SET sent_at = excluded.sent_at",
        params![day, ts(at)],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::rows::CaseOrder;
    use crate::store::Store;

    /// The daily views must read open cases from the covering indexes of
    /// migration 3 alone: a plan without `COVERING` reads the table, a page per case.
    #[test]
    fn the_views_read_only_covering_indexes() {
        let store = Store::open_in_memory().unwrap();
        let now = DateTime::from_timestamp(1_795_442_400, 0).unwrap();
        let open = CaseFilter {
            open_only: true,
            ..CaseFilter::default()
        };
        let views = [
            (
                "mine",
                CaseFilter {
                    creator: Some("amy".into()),
                    order: CaseOrder::NextDue,
                    ..open.clone()
                },
                "cases_open_creator",
            ),
            (
                "owned",
                CaseFilter {
                    owner: Some(Some("amy".into())),
                    order: CaseOrder::NextDue,
                    ..open.clone()
                },
                "cases_open_owner",
            ),
            (
                "overdue",
                CaseFilter {
                    due_before: Some(now),
                    order: CaseOrder::OwnerThenDue,
                    ..open.clone()
                },
                "cases_open_",
            ),
            (
                "report",
                CaseFilter {
                    staff_created: true,
                    order: CaseOrder::OwnerThenDue,
                    ..open.clone()
                },
                "cases_open_",
            ),
        ];
        for (name, filter, index) in views {
            let (sql, values) = super::super::cases::filter_sql(VIEW_SELECT, &filter);
            let mut stmt = store
                .sqlite_connection()
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let plan: Vec<String> = stmt
                .query_map(params_from_iter(values), |r| r.get::<_, String>(3))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            let cases = plan.iter().find(|l| l.contains(" c ")).unwrap();
            assert!(
                cases.contains("USING COVERING INDEX") && cases.contains(index),
                "{name}: {plan:?}"
            );
        }
    }
}
