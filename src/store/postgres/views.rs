//! views on PostgreSQL: the same operations as `sqlite::views`.

use crate::domain::case::CaseNumber;
use crate::domain::case::{Priority, Status};
use crate::store::rows::CaseFilter;
use crate::store::rows::{StoredDue, ViewCase};
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};
use postgres::Row;

use super::cases::{filter_sql, refs};
use super::Conn;

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

fn view_case(r: &Row) -> Result<ViewCase> {
    let text =
        |i: usize| -> Result<String> { Ok(r.try_get::<_, Option<String>>(i)?.unwrap_or_default()) };
    Ok(ViewCase {
        number: r.try_get(0)?,
        subject: r.try_get(1)?,
        account: r.try_get(2)?,
        owner: r.try_get(3)?,
        creator: r.try_get(4)?,
        status: label(Status::ALL, Status::label, &text(5)?).unwrap_or(Status::New),
        priority: label(Priority::ALL, Priority::label, &text(6)?).unwrap_or(Priority::Standard),
        opened_at: from_ts(r.try_get(7)?),
        next_due: r.try_get::<_, Option<i64>>(8)?.map(from_ts),
    })
}

/// The cases of `f` as the views show them, in `f.order`.
pub fn list(conn: &Conn, f: &CaseFilter) -> Result<Vec<ViewCase>> {
    let (sql, values) = filter_sql(VIEW_SELECT, f);
    conn.query(&sql, &refs(&values))?
        .iter()
        .map(view_case)
        .collect()
}

/// The numbers of every open case, lowest first (for `due --refresh`).
pub fn open_case_numbers(conn: &Conn) -> Result<Vec<CaseNumber>> {
    conn.query(
        "SELECT id FROM cases WHERE closed_at IS NULL ORDER BY id",
        &[],
    )?
    .iter()
    .map(|r| Ok(r.try_get(0)?))
    .collect()
}

/// The first-contact and next-contact due times stored for a case.
pub fn due_times(conn: &Conn, case: CaseNumber) -> Result<Option<StoredDue>> {
    match conn.query_opt(
        "SELECT first_contact_due, next_due FROM cases WHERE id = $1",
        &[&case],
    )? {
        Some(r) => Ok(Some((
            r.try_get::<_, Option<i64>>(0)?.map(from_ts),
            r.try_get::<_, Option<i64>>(1)?.map(from_ts),
        ))),
        None => Ok(None),
    }
}

/// When the owner report was mailed on `day` (`YYYY-MM-DD` in the business time zone), if it was.
pub fn report_sent_on(conn: &Conn, day: &str) -> Result<Option<DateTime<Utc>>> {
    match conn.query_opt("SELECT sent_at FROM report_sends WHERE day = $1", &[&day])? {
        Some(r) => Ok(Some(from_ts(r.try_get(0)?))),
        None => Ok(None),
    }
}

/// Records that the owner report was mailed on `day` (a forced resend moves the time).
pub fn record_report_send(conn: &Conn, day: &str, at: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "INSERT INTO report_sends (day, sent_at) VALUES ($1, $2)
         ON CONFLICT (day) DO UPDATE SET sent_at = excluded.sent_at",
        &[&day, &ts(at)],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::NewCase;
    use crate::store::postgres::{cases, test_server};
    use crate::store::rows::{CaseOrder, Column, FieldValue};
    use std::time::Duration;

    fn desk() -> Option<Conn> {
        match test_server::server() {
            Ok(s) => Some(Conn::open(&s.desk_database(), Duration::from_secs(10), false).unwrap()),
            Err(e) => {
                assert!(
                    std::env::var_os("CASEBOOK_SKIP_REAL").is_some(),
                    "{e}\n(set CASEBOOK_SKIP_REAL=1 to skip)"
                );
                None
            }
        }
    }

    #[test]
    fn the_views_list_open_cases_by_due_time_and_search_them() {
        let Some(conn) = desk() else { return };
        let mut numbers = Vec::new();
        for (subject, due) in [
            ("Fax line", Some(300)),
            ("Printer", None),
            ("Fax toner", Some(200)),
        ] {
            let mut c = NewCase::new(subject, from_ts(100));
            c.next_due = due.map(from_ts);
            numbers.push(cases::insert(&conn, &c).unwrap());
        }
        let closed = cases::insert(&conn, &NewCase::new("Fax closed", from_ts(100))).unwrap();
        cases::set_fields(
            &conn,
            closed,
            &[(Column::ClosedAt, FieldValue::Time(Some(from_ts(150))))],
        )
        .unwrap();
        let open = CaseFilter {
            open_only: true,
            order: CaseOrder::NextDue,
            ..CaseFilter::default()
        };
        let listed = |f: &CaseFilter| -> Vec<CaseNumber> {
            list(&conn, f).unwrap().iter().map(|v| v.number).collect()
        };
        assert_eq!(listed(&open), [numbers[2], numbers[0], numbers[1]]);
        let fax = CaseFilter {
            text: Some("fax".into()),
            ..open.clone()
        };
        assert_eq!(listed(&fax), [numbers[2], numbers[0]]);
        let first = CaseFilter {
            limit: Some(1),
            ..open.clone()
        };
        assert_eq!(listed(&first), [numbers[2]]);
        assert_eq!(open_case_numbers(&conn).unwrap(), numbers);
        assert_eq!(
            due_times(&conn, numbers[0]).unwrap(),
            Some((None, Some(from_ts(300))))
        );
        let v = &list(&conn, &open).unwrap()[0];
        assert_eq!((v.status, v.priority), (Status::New, Priority::Standard));
    }

    #[test]
    fn a_report_send_is_recorded_once_per_day_and_a_resend_moves_it() {
        let Some(conn) = desk() else { return };
        assert_eq!(report_sent_on(&conn, "2026-12-02").unwrap(), None);
        record_report_send(&conn, "2026-12-02", from_ts(100)).unwrap();
        record_report_send(&conn, "2026-12-02", from_ts(200)).unwrap();
        assert_eq!(
            report_sent_on(&conn, "2026-12-02").unwrap(),
            Some(from_ts(200))
        );
        assert_eq!(report_sent_on(&conn, "2026-12-01").unwrap(), None);
    }
}
