//! Queries of the daily views and the owner report: open-case numbers for a
//! refresh, and the once-a-day bookkeeping of `report --send`.

use crate::domain::case::CaseNumber;
use crate::store::cases::CaseFilter;
pub use crate::store::rows::{StoredDue, ViewCase};
use crate::store::Result;
use crate::store::{postgres, sqlite, Backend, Db};
use chrono::{DateTime, Utc};

/// The cases of `f` as the views show them, in `f.order`.
pub fn list(db: &Db, f: &CaseFilter) -> Result<Vec<ViewCase>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::views::list(conn, f),
        Backend::Postgres(conn) => postgres::views::list(conn, f),
    }
}

/// The numbers of every open case, lowest first (for `due --refresh`).
pub fn open_case_numbers(db: &Db) -> Result<Vec<CaseNumber>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::views::open_case_numbers(conn),
        Backend::Postgres(conn) => postgres::views::open_case_numbers(conn),
    }
}

/// The first-contact and next-contact due times stored for a case.
pub fn due_times(db: &Db, case: CaseNumber) -> Result<Option<StoredDue>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::views::due_times(conn, case),
        Backend::Postgres(conn) => postgres::views::due_times(conn, case),
    }
}

/// When the owner report was mailed on `day` (`YYYY-MM-DD` in the business time zone), if it was.
pub fn report_sent_on(db: &Db, day: &str) -> Result<Option<DateTime<Utc>>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::views::report_sent_on(conn, day),
        Backend::Postgres(conn) => postgres::views::report_sent_on(conn, day),
    }
}

/// Records that the owner report was mailed on `day` (a forced resend moves the time).
pub fn record_report_send(db: &Db, day: &str, at: DateTime<Utc>) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::views::record_report_send(conn, day, at),
        Backend::Postgres(conn) => postgres::views::record_report_send(conn, day, at),
    }
}
