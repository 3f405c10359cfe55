//! Queries of the daily views and the owner report: open-case numbers for a
//! refresh, and the once-a-day bookkeeping of `report --send`.

use crate::domain::case::CaseNumber;
use crate::domain::case::{Priority, Status};
use crate::store::rows::{CaseFilter, CaseOrder, StoredDue, ViewCase};
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

use super::cases::{filter_sql_matching, match_expression, Matching};

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
    let words = match &f.text {
        Some(text) => Some(match_expression(conn, text)?),
        None => None,
    };
    if let (Some(words), CaseOrder::NewestFirst, Some(limit)) = (&words, f.order, f.limit) {
        if !words.is_empty() {
            return search_page(conn, f, words, limit);
        }
    }
    let (sql, values) = filter_sql_matching(VIEW_SELECT, f, words.map(Matching::Words));
    select_views(conn, &sql, values)
}

fn select_views(conn: &Connection, sql: &str, values: Vec<Value>) -> Result<Vec<ViewCase>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params_from_iter(values), view_case)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The cases' matches, newest first, as FTS5 hands them over: one at a time.
const CASE_MATCHES_SQL: &str =
    "SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?1 ORDER BY rowid DESC";
/// The cases whose comments match, newest first (comments are few beside
/// the cases, and their numbers are gathered to merge them in order).
const COMMENT_MATCHES_SQL: &str = "SELECT DISTINCT cm.case_id FROM comments_fts
    JOIN comments cm ON cm.id = comments_fts.rowid WHERE comments_fts MATCH ?1
    ORDER BY cm.case_id DESC";

/// One page of a search, newest first: the matches are read from the
/// indexes in order and checked against the rest of the filter a chunk at
/// a time, until the page is full. The cost follows the page (and how many
/// matches the other filters turn away), not how many cases match in all.
fn search_page(
    conn: &Connection,
    f: &CaseFilter,
    words: &str,
    limit: usize,
) -> Result<Vec<ViewCase>> {
    let skip = f.offset.unwrap_or(0);
    let wanted = skip + limit;
    let mut case_matches = conn.prepare(CASE_MATCHES_SQL)?;
    let mut from_cases = case_matches
        .query_map([words], |r| r.get::<_, CaseNumber>(0))?
        .peekable();
    let from_comments: Vec<CaseNumber> = conn
        .prepare(COMMENT_MATCHES_SQL)?
        .query_map([words], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut from_comments = from_comments.into_iter().peekable();
    let rest = CaseFilter {
        text: None,
        limit: None,
        offset: None,
        ..f.clone()
    };
    let mut found = Vec::new();
    let mut chunk_size = wanted + 1;
    while found.len() < wanted {
        let mut chunk = Vec::with_capacity(chunk_size);
        while chunk.len() < chunk_size {
            let from_case = match from_cases.peek() {
                Some(Ok(n)) => Some(*n),
                Some(Err(_)) => return Err(from_cases.next().unwrap().unwrap_err().into()),
                None => None,
            };
            // The larger number first; one that matches both once.
            let next = match (from_case, from_comments.peek().copied()) {
                (None, None) => break,
                (Some(a), Some(b)) if a == b => {
                    from_comments.next();
                    from_cases.next();
                    a
                }
                (Some(a), b) if b.is_none_or(|b| a > b) => {
                    from_cases.next();
                    a
                }
                _ => from_comments.next().expect("peeked"),
            };
            chunk.push(next.to_string());
        }
        if chunk.is_empty() {
            break;
        }
        let numbers = Matching::Numbers(format!("[{}]", chunk.join(",")));
        let (sql, values) = filter_sql_matching(VIEW_SELECT, &rest, Some(numbers));
        found.extend(select_views(conn, &sql, values)?);
        // The other filters turned some away: read further ahead next time.
        chunk_size *= 2;
    }
    Ok(found.into_iter().skip(skip).take(limit).collect())
}

/// `+id`: from the open-case index, not from a walk of every case.
const OPEN_NUMBERS_SQL: &str = "SELECT id FROM cases WHERE closed_at IS NULL ORDER BY +id";

/// The numbers of every open case, lowest first (for `due --refresh`).
pub fn open_case_numbers(conn: &Connection) -> Result<Vec<CaseNumber>> {
    let mut stmt = conn.prepare(OPEN_NUMBERS_SQL)?;
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

    /// SQLite's plan of `sql` with `params`: each step's parent (0 for the
    /// top level) and what it does.
    fn plan_of(store: &Store, sql: &str, params: &[Value]) -> Vec<(i64, String)> {
        let mut stmt = store
            .sqlite_connection()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        stmt.query_map(params_from_iter(params), |r| Ok((r.get(1)?, r.get(3)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    /// Every query of the open-work commands reads its cases through an
    /// index (`SEARCH`, or a `SCAN` of a partial index over open cases),
    /// never by a walk of every case ever stored (`SCAN c` or `SCAN cases`
    /// alone), so its cost follows the open work and not the history.
    #[test]
    fn open_work_queries_never_walk_the_whole_history() {
        use super::super::cases::{
            filter_sql, CASE_SELECT, POOL_SQL, QUEUED_WHERE, SAME_ACCOUNT_SQL, SAME_CONTACT_SQL,
            SWEEP_SQL,
        };
        use super::super::sweep_log::{ATTEMPTS_SQL, COMMENTS_SQL, DONE_SQL, EVENTS_SQL};
        let store = Store::open_in_memory().unwrap();
        let text = |s: &str| Value::Text(s.into());
        let int = Value::Integer;
        let filtered = |f: CaseFilter| filter_sql(VIEW_SELECT, &f);
        let open = CaseFilter {
            open_only: true,
            ..CaseFilter::default()
        };
        // (what asks, its SQL and parameters, the indexes it must use)
        type Query = (String, Vec<Value>);
        let table: Vec<(&str, Query, &[&str])> = vec![
            (
                "triage: the queue",
                (format!("{CASE_SELECT} {QUEUED_WHERE}"), vec![]),
                &["cases_open_owner"],
            ),
            (
                "triage: the pool's load and last assignment",
                (POOL_SQL.into(), vec![]),
                &["cases_open_owner", "cases_owner_assigned"],
            ),
            (
                "triage: follow-up by contact",
                (
                    SAME_CONTACT_SQL.into(),
                    vec![text("a@b.example"), int(1), int(0)],
                ),
                &["cases_contact_lower"],
            ),
            (
                "triage: follow-up by account",
                (SAME_ACCOUNT_SQL.into(), vec![int(1), int(0)]),
                &["cases_account_opened"],
            ),
            (
                "sweep: candidates",
                (SWEEP_SQL.into(), vec![text("Integration")]),
                &["COVERING INDEX cases_sweep"],
            ),
            (
                "sweep: contact attempts",
                (ATTEMPTS_SQL.into(), vec![text("[1,2]")]),
                &["contact_attempts_case"],
            ),
            (
                "sweep: comments",
                (COMMENTS_SQL.into(), vec![text("[1,2]")]),
                &["COVERING INDEX comments_case"],
            ),
            (
                "sweep: the events its rules read, from their own index",
                (EVENTS_SQL.into(), vec![text("[1,2]")]),
                &["events_sweep"],
            ),
            (
                "sweep: the sweep log",
                (DONE_SQL.into(), vec![text("[1,2]")]),
                &["sqlite_autoindex_sweep_log_1"],
            ),
            (
                "due --refresh: open case numbers",
                (OPEN_NUMBERS_SQL.into(), vec![]),
                &["cases_open_"],
            ),
            ("list", filtered(open.clone()), &["cases_open_"]),
            (
                "list --limit 20",
                filtered(CaseFilter {
                    limit: Some(20),
                    ..open.clone()
                }),
                &["cases_open_"],
            ),
            (
                "list --all --owner amy",
                filtered(CaseFilter {
                    owner: Some(Some("amy".into())),
                    ..CaseFilter::default()
                }),
                &["cases_owner_number"],
            ),
            (
                "accounts by name (sweep, escalations)",
                (
                    "SELECT id FROM accounts WHERE lower(name) = lower(?1)".into(),
                    vec![text("Acme")],
                ),
                &["accounts_name_lower"],
            ),
        ];
        for (name, (sql, params), indexes) in table {
            let plan = plan_of(&store, &sql, &params);
            for (_, step) in &plan {
                let walk = [
                    "SCAN c",
                    "SCAN cases",
                    "SCAN accounts",
                    "SCAN contact_attempts",
                    "SCAN comments",
                    "SCAN events",
                    "SCAN sweep_log",
                ]
                .contains(&step.as_str());
                assert!(!walk, "{name} walks a whole table: {plan:?}");
            }
            for index in indexes {
                assert!(
                    plan.iter().any(|(_, l)| l.contains(index)),
                    "{name} does not use {index}: {plan:?}"
                );
            }
        }
        // A page of one person's cases comes from the index in number order:
        // nothing of theirs is read and sorted first.
        let (sql, params) = filtered(CaseFilter {
            owner: Some(Some("amy".into())),
            limit: Some(50),
            ..CaseFilter::default()
        });
        let plan = plan_of(&store, &sql, &params);
        assert!(
            !plan.iter().any(|(_, l)| l.contains("TEMP B-TREE")),
            "list --all --owner amy --limit 50 sorts: {plan:?}"
        );
    }

    /// A page of search results comes in the order the cases are read (the
    /// case index gives its matches newest first): no sort of the matched
    /// cases at the top level, no walk of the cases. (The comments' matches
    /// are sorted by case number to merge them, as numbers only.)
    #[test]
    fn a_search_page_is_read_in_order_without_sorting_the_matches() {
        let store = Store::open_in_memory().unwrap();
        let (sql, values) = super::super::cases::filter_sql(
            VIEW_SELECT,
            &CaseFilter {
                text: Some("fax".into()),
                order: CaseOrder::NewestFirst,
                limit: Some(51),
                offset: Some(50),
                ..CaseFilter::default()
            },
        );
        let plan = plan_of(&store, &sql, &values);
        let top = |what: &str| plan.iter().any(|(p, l)| *p == 0 && l.contains(what));
        assert!(!top("TEMP B-TREE FOR ORDER BY"), "{plan:?}");
        assert!(!top("SCAN c"), "{plan:?}");
        assert!(
            plan.iter().any(|(_, l)| l.contains("SCAN cases_fts")),
            "{plan:?}"
        );
    }

    /// A search page read as the matches stream (cases' and comments'
    /// matches merged, the other filters applied a chunk at a time) is the
    /// same page as the whole list of matches cut to it, for every page and
    /// filter, whether a case matches by itself, by a comment, or both.
    #[test]
    fn a_streamed_search_page_is_the_page_of_all_matches() {
        use crate::domain::case::NewCase;
        use crate::domain::states::CommentKind;
        use crate::store::activity::{add_comment, Comment};
        use crate::store::cases::{insert, set_fields, Column, FieldValue};
        let store = Store::open_in_memory().unwrap();
        let now = from_ts(1_800_000_000);
        store
            .write(|tx| -> Result<()> {
                for i in 0..60 {
                    // Every third case says fax, every fifth has a comment
                    // that does, every seventh is closed.
                    let subject = if i % 3 == 0 {
                        "Fax line down"
                    } else {
                        "Phones"
                    };
                    let n = insert(tx, &NewCase::new(subject, now))?;
                    if i % 5 == 0 {
                        let body = "the fax arrived";
                        add_comment(
                            tx,
                            n,
                            &Comment {
                                id: 0,
                                at: now,
                                author: Some("amy".into()),
                                kind: CommentKind::Comment,
                                public: false,
                                body: body.into(),
                                mentions: vec![],
                            },
                        )?;
                    }
                    if i % 7 == 0 {
                        set_fields(
                            tx,
                            n,
                            &[
                                (Column::Status, FieldValue::Text(Some("Closed".into()))),
                                (Column::ClosedAt, FieldValue::Time(Some(now))),
                            ],
                        )?;
                    }
                }
                Ok(())
            })
            .unwrap();
        store.search_catch_up().unwrap();
        let conn = store.sqlite_connection();
        let numbers =
            |rows: Vec<ViewCase>| -> Vec<i64> { rows.iter().map(|r| r.number.get()).collect() };
        for open_only in [false, true] {
            let all = CaseFilter {
                text: Some("fax".into()),
                order: CaseOrder::NewestFirst,
                open_only,
                ..CaseFilter::default()
            };
            let every = numbers(list(conn, &all).unwrap());
            assert!(every.len() > 20, "{every:?}");
            for limit in [1, 3, 7, 50] {
                for offset in [0, 1, 5, 19, 40] {
                    let page = CaseFilter {
                        limit: Some(limit),
                        offset: Some(offset),
                        ..all.clone()
                    };
                    let expected: Vec<i64> =
                        every.iter().copied().skip(offset).take(limit).collect();
                    assert_eq!(
                        numbers(list(conn, &page).unwrap()),
                        expected,
                        "open_only {open_only}, limit {limit}, offset {offset}"
                    );
                }
            }
        }
    }

    /// FTS5 hands the cases' matches over newest first itself: nothing sorts them.
    #[test]
    fn the_cases_matches_stream_in_order() {
        let store = Store::open_in_memory().unwrap();
        let plan = plan_of(&store, CASE_MATCHES_SQL, &[Value::Text("fax".into())]);
        assert!(
            !plan.iter().any(|(_, l)| l.contains("TEMP B-TREE")),
            "{plan:?}"
        );
    }
}
