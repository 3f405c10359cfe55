//! cases on PostgreSQL: the same operations as `sqlite::cases`.
//!
//! Full-text search reads `search_words` (the words of subject, description
//! and quoted history, see [`crate::store::search_words`]), which every
//! write of the subject keeps current.

use crate::domain::case::CaseNumber;
use crate::domain::case::{Case, NewCase, Priority, Status, Tier};
use crate::domain::rules::PoolMember;
use crate::store::rows::{CaseFilter, CaseOrder, Event, SweptCase};
use crate::store::rows::{Column, FieldValue};
use crate::store::{from_ts, search_words, ts, Result};
use chrono::{DateTime, Utc};
use postgres::types::ToSql;
use postgres::Row;

use super::Conn;

/// Parameters built at run time.
pub(crate) type Values = Vec<Box<dyn ToSql + Sync>>;

/// The parameters as the driver takes them.
pub(crate) fn refs(values: &Values) -> Vec<&(dyn ToSql + Sync)> {
    values.iter().map(|b| b.as_ref()).collect()
}

/// The columns of a [`Case`], as [`case_from_row`] reads them by position.
macro_rules! case_columns {
    () => {
        "c.id, c.subject, c.description, a.name AS account, a.tier AS tier,
    c.contact_name, c.contact_email, c.origin, c.case_type, c.category, c.priority, c.status, c.prior_status,
    c.owner, c.creator, c.am, c.rm, c.support_rep, c.team, c.linked_case, c.hold_until, c.hold_reason,
    c.opened_at, c.updated_at, c.status_changed_at, c.closed_at, c.assigned_at, c.first_contact_at,
    c.last_contact_at, c.last_inbound_at, c.escalated_at, c.handoff_at, c.first_contact_due, c.next_due"
    };
}

/// How many columns [`case_columns`] names.
const CASE_COLUMNS: usize = 34;

/// The columns every case query selects, joined with its account.
pub(crate) const CASE_SELECT: &str = concat!(
    "SELECT ",
    case_columns!(),
    " FROM cases c LEFT JOIN accounts a ON a.id = c.account_id"
);

/// A sweep candidate's columns: the case's, then when and by whom staff last commented.
const SWEPT_CASE_SELECT: &str = concat!(
    "SELECT ",
    case_columns!(),
    ", c.last_comment_at, c.last_comment_by FROM cases c LEFT JOIN accounts a ON a.id = c.account_id"
);

fn time(r: &Row, col: usize) -> Result<Option<DateTime<Utc>>> {
    Ok(r.try_get::<_, Option<i64>>(col)?.map(from_ts))
}

/// A label read as SQLite's twin reads it: one it cannot parse is none.
fn parsed<T: std::str::FromStr>(r: &Row, col: usize) -> Result<Option<T>> {
    Ok(r.try_get::<_, Option<String>>(col)?
        .and_then(|s| s.parse().ok()))
}

/// A case from a row of [`CASE_SELECT`], read by position (its column order).
pub(crate) fn case_from_row(r: &Row) -> Result<Case> {
    Ok(Case {
        number: r.try_get(0)?,
        subject: r.try_get(1)?,
        description: r.try_get(2)?,
        account: r.try_get(3)?,
        tier: parsed::<Tier>(r, 4)?,
        contact_name: r.try_get(5)?,
        contact_email: r.try_get(6)?,
        origin: r.try_get(7)?,
        case_type: r.try_get(8)?,
        category: r.try_get(9)?,
        priority: parsed(r, 10)?.unwrap_or(Priority::Standard),
        status: parsed(r, 11)?.unwrap_or(Status::New),
        prior_status: parsed(r, 12)?,
        owner: r.try_get(13)?,
        creator: r.try_get(14)?,
        am: r.try_get(15)?,
        rm: r.try_get(16)?,
        support_rep: r.try_get(17)?,
        team: r.try_get(18)?,
        linked_case: r.try_get(19)?,
        hold_until: time(r, 20)?,
        hold_reason: r.try_get(21)?,
        opened_at: from_ts(r.try_get(22)?),
        updated_at: from_ts(r.try_get(23)?),
        status_changed_at: from_ts(r.try_get(24)?),
        closed_at: time(r, 25)?,
        assigned_at: time(r, 26)?,
        first_contact_at: time(r, 27)?,
        last_contact_at: time(r, 28)?,
        last_inbound_at: time(r, 29)?,
        escalated_at: time(r, 30)?,
        handoff_at: time(r, 31)?,
        first_contact_due: time(r, 32)?,
        next_due: time(r, 33)?,
    })
}

fn cases_from_rows(rows: Vec<Row>) -> Result<Vec<Case>> {
    rows.iter().map(case_from_row).collect()
}

/// Opens a case in status New, owned by the queue; returns its number.
///
/// The number is the next after the highest, read under the desk's writer
/// lock (every write transaction holds it), rather than drawn from a
/// sequence: a delivery that rolls back (exit 75, a dry run) leaves no gap,
/// as on SQLite.
pub fn insert(conn: &Conn, c: &NewCase) -> Result<CaseNumber> {
    let at = ts(c.opened_at);
    let words = search_words(&[&c.subject, &c.description, &c.quoted]);
    let row = conn.query_one(
        "INSERT INTO cases (id, subject, description, account_id, contact_name, contact_email, origin, case_type,
            category, priority, status, creator, linked_case, opened_at, updated_at, status_changed_at,
            first_contact_due, next_due, search_words, quoted)
         VALUES ((SELECT coalesce(max(id), 0) + 1 FROM cases),
            $1, $2, $3, $4, $5, $6, $7, $8, $9, 'New', $10, $11, $12, $12, $12, $13, $14, $15, $16)
         RETURNING id",
        &[
            &c.subject,
            &c.description,
            &c.account_id,
            &c.contact_name,
            &c.contact_email,
            &c.origin,
            &c.case_type,
            &c.category,
            &c.priority.label(),
            &c.creator,
            &c.linked_case,
            &at,
            &c.first_contact_due.map(ts),
            &c.next_due.map(ts),
            &words,
            &c.quoted,
        ],
    )?;
    let id: CaseNumber = row.try_get(0)?;
    add_event(
        conn,
        id,
        c.opened_at,
        c.creator.as_deref(),
        "created",
        None,
        Some("New"),
    )?;
    Ok(id)
}

/// One case.
pub fn get(conn: &Conn, number: CaseNumber) -> Result<Option<Case>> {
    conn.query_opt(&format!("{CASE_SELECT} WHERE c.id = $1"), &[&number])?
        .as_ref()
        .map(case_from_row)
        .transpose()
}

pub fn quoted(conn: &Conn, number: CaseNumber) -> Result<String> {
    match conn.query_opt("SELECT quoted FROM cases WHERE id = $1", &[&number])? {
        Some(r) => Ok(r.try_get(0)?),
        None => Ok(String::new()),
    }
}

pub fn list(conn: &Conn, f: &CaseFilter) -> Result<Vec<Case>> {
    let (sql, values) = filter_sql(CASE_SELECT, f);
    cases_from_rows(conn.query(&sql, &refs(&values))?)
}

/// `select` (which names the cases table `c` and its account `a`) narrowed and
/// ordered by `f`, with its parameters: the one place a filter becomes SQL.
pub(crate) fn filter_sql(select: &str, f: &CaseFilter) -> (String, Values) {
    let mut clauses: Vec<String> = Vec::new();
    let mut values: Values = Vec::new();
    let mut bind = |clause: &str, v: Box<dyn ToSql + Sync>, clauses: &mut Vec<String>| {
        values.push(v);
        clauses.push(clause.replace('?', &format!("${}", values.len())));
    };
    match &f.owner {
        Some(Some(o)) => bind("c.owner = ?", Box::new(o.clone()), &mut clauses),
        Some(None) => clauses.push("c.owner IS NULL".into()),
        None => {}
    }
    if let Some(c) = &f.creator {
        bind("c.creator = ?", Box::new(c.clone()), &mut clauses);
    }
    if f.open_only {
        clauses.push("c.closed_at IS NULL".into());
    }
    if !f.statuses.is_empty() {
        // The labels are the program's own constants, never caller text.
        let list: Vec<String> = f
            .statuses
            .iter()
            .map(|s| format!("'{}'", s.label()))
            .collect();
        clauses.push(format!("c.status IN ({})", list.join(", ")));
    }
    if let Some(p) = f.priority {
        bind("c.priority = ?", Box::new(p.label()), &mut clauses);
    }
    if let Some(a) = &f.account {
        bind(
            "lower(a.name) = lower(?)",
            Box::new(a.clone()),
            &mut clauses,
        );
    }
    if let Some(t) = f.tier {
        bind("a.tier = ?", Box::new(t.label()), &mut clauses);
    }
    if let Some(t) = f.opened_since {
        bind("c.opened_at >= ?", Box::new(ts(t)), &mut clauses);
    }
    if let Some(t) = f.opened_before {
        bind("c.opened_at < ?", Box::new(ts(t)), &mut clauses);
    }
    if let Some(t) = f.due_before {
        bind("c.next_due < ?", Box::new(ts(t)), &mut clauses);
    }
    if f.staff_created {
        clauses.push("c.creator IS NOT NULL".into());
    }
    if let Some(q) = f.text.as_deref().map(tsquery).filter(|q| !q.is_empty()) {
        values.push(Box::new(q));
        let n = values.len();
        // Written as the GIN indexes are (`to_tsvector('simple', search_words)`).
        clauses.push(format!(
            "c.id IN (SELECT id FROM cases
                      WHERE to_tsvector('simple', search_words) @@ to_tsquery('simple', ${n})
               UNION SELECT case_id FROM comments
                      WHERE to_tsvector('simple', search_words) @@ to_tsquery('simple', ${n}))"
        ));
    }
    let mut sql = select.to_string();
    if !clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&clauses.join(" AND "));
    }
    // Handles in SQLite's BINARY order on any server locale.
    sql.push_str(match f.order {
        CaseOrder::Number => " ORDER BY c.id",
        CaseOrder::NewestFirst => " ORDER BY c.id DESC",
        CaseOrder::NextDue => " ORDER BY c.next_due IS NULL, c.next_due, c.id",
        CaseOrder::OwnerThenDue => {
            " ORDER BY c.owner IS NULL, c.owner COLLATE \"C\", c.next_due IS NULL, c.next_due, c.id"
        }
    });
    if let Some(n) = f.limit {
        sql.push_str(&format!(" LIMIT {n}"));
    }
    if let Some(skip) = f.offset {
        sql.push_str(&format!(" OFFSET {skip}"));
    }
    (sql, values)
}

/// Turns what a person typed into a tsquery: every word must match, as a
/// prefix, and tsquery's own syntax is never read from the text.
///
/// The words are [`search_words`]'s, as the stored text's are: split at
/// every character that is not a letter or digit (`555-0101` is `555` and
/// `0101`, `O'Brien` is `o` and `brien`), lowercased, without accents
/// (`Müller` is `muller`, as on SQLite). A word holds only letters and
/// digits, so no operator (`&`, `|`, `!`, `<->`, `:`, `*`, parentheses) can
/// reach the query; each is still quoted, with tsquery's escapes, so that
/// stays true whatever the tokenizer becomes.
pub(crate) fn tsquery(text: &str) -> String {
    search_words(&[text])
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| format!("'{}':*", w.replace('\\', "\\\\").replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(" & ")
}

pub fn add_event(
    conn: &Conn,
    case: CaseNumber,
    at: DateTime<Utc>,
    actor: Option<&str>,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO events (case_id, at, actor, field, old, new) VALUES ($1, $2, $3, $4, $5, $6)",
        &[&case, &ts(at), &actor, &field, &old, &new],
    )?;
    Ok(())
}

pub fn events(conn: &Conn, case: CaseNumber) -> Result<Vec<Event>> {
    let rows = conn.query(
        "SELECT at, actor, field, old, new FROM events WHERE case_id = $1 ORDER BY at, id",
        &[&case],
    )?;
    rows.iter()
        .map(|r| {
            Ok(Event {
                at: from_ts(r.try_get(0)?),
                actor: r.try_get(1)?,
                field: r.try_get(2)?,
                old: r.try_get(3)?,
                new: r.try_get(4)?,
            })
        })
        .collect()
}

/// Sets the SLA due times the rules computed.
pub fn set_due(
    conn: &Conn,
    case: CaseNumber,
    first: Option<DateTime<Utc>>,
    next: Option<DateTime<Utc>>,
) -> Result<()> {
    conn.execute(
        "UPDATE cases SET first_contact_due = $2, next_due = $3 WHERE id = $1",
        &[&case, &first.map(ts), &next.map(ts)],
    )?;
    Ok(())
}

fn column_name(col: Column) -> &'static str {
    match col {
        Column::Subject => "subject",
        Column::AccountId => "account_id",
        Column::ContactName => "contact_name",
        Column::ContactEmail => "contact_email",
        Column::Category => "category",
        Column::CaseType => "case_type",
        Column::Status => "status",
        Column::PriorStatus => "prior_status",
        Column::Priority => "priority",
        Column::Owner => "owner",
        Column::Am => "am",
        Column::Rm => "rm",
        Column::SupportRep => "support_rep",
        Column::Team => "team",
        Column::HoldUntil => "hold_until",
        Column::HoldReason => "hold_reason",
        Column::UpdatedAt => "updated_at",
        Column::StatusChangedAt => "status_changed_at",
        Column::ClosedAt => "closed_at",
        Column::AssignedAt => "assigned_at",
        Column::FirstContactAt => "first_contact_at",
        Column::LastContactAt => "last_contact_at",
        Column::LastInboundAt => "last_inbound_at",
        Column::EscalatedAt => "escalated_at",
        Column::HandoffAt => "handoff_at",
    }
}

/// Whether `col` holds an id (BIGINT) rather than text, for a NULL's type.
fn is_id_column(col: Column) -> bool {
    matches!(col, Column::AccountId)
}

/// Whether `col` holds a time (BIGINT seconds).
fn is_time_column(col: Column) -> bool {
    matches!(
        col,
        Column::HoldUntil
            | Column::UpdatedAt
            | Column::StatusChangedAt
            | Column::ClosedAt
            | Column::AssignedAt
            | Column::FirstContactAt
            | Column::LastContactAt
            | Column::LastInboundAt
            | Column::EscalatedAt
            | Column::HandoffAt
    )
}

/// Sets the given columns of case `number` in one statement; a new subject
/// rewrites the case's search words too.
pub fn set_fields(conn: &Conn, number: CaseNumber, fields: &[(Column, FieldValue)]) -> Result<()> {
    if fields.is_empty() {
        return Ok(());
    }
    let mut sets = Vec::new();
    let mut values: Values = vec![Box::new(number)];
    for (col, v) in fields {
        // A NULL is bound with the column's own type, which the driver checks.
        let value: Box<dyn ToSql + Sync> = match v {
            FieldValue::Text(Some(s)) => Box::new(s.clone()),
            FieldValue::Time(Some(t)) => Box::new(ts(*t)),
            FieldValue::Id(Some(id)) => Box::new(*id),
            _ if is_id_column(*col) || is_time_column(*col) => Box::new(None::<i64>),
            _ => Box::new(None::<String>),
        };
        values.push(value);
        sets.push(format!("{} = ${}", column_name(*col), values.len()));
    }
    let new_subject = fields.iter().rev().find_map(|(col, v)| match (col, v) {
        (Column::Subject, FieldValue::Text(s)) => Some(s.clone().unwrap_or_default()),
        _ => None,
    });
    if let Some(subject) = new_subject {
        let (description, quoted): (String, String) = match conn.query_opt(
            "SELECT description, quoted FROM cases WHERE id = $1",
            &[&number],
        )? {
            Some(r) => (r.try_get(0)?, r.try_get(1)?),
            None => return Ok(()), // no such case: the update would change nothing
        };
        values.push(Box::new(search_words(&[&subject, &description, &quoted])));
        sets.push(format!("search_words = ${}", values.len()));
    }
    let sql = format!("UPDATE cases SET {} WHERE id = $1", sets.join(", "));
    conn.execute(&sql, &refs(&values))?;
    Ok(())
}

/// Cases in the Account Management Queue (no owner), open.
pub fn queued(conn: &Conn) -> Result<Vec<Case>> {
    cases_from_rows(conn.query(
        &format!("{CASE_SELECT} WHERE c.owner IS NULL AND c.closed_at IS NULL ORDER BY c.id"),
        &[],
    )?)
}

/// Active pool AMs with their open-case counts and when they were last assigned a case.
pub fn pool_load(conn: &Conn) -> Result<Vec<PoolMember>> {
    let rows = conn.query(
        "SELECT p.handle,
            (SELECT count(*) FROM cases c WHERE c.owner = p.handle AND c.closed_at IS NULL),
            (SELECT max(c.assigned_at) FROM cases c WHERE c.owner = p.handle)
         FROM people p WHERE p.pool = 1 AND p.active = 1 ORDER BY p.handle COLLATE \"C\"",
        &[],
    )?;
    rows.iter()
        .map(|r| {
            Ok(PoolMember {
                handle: r.try_get(0)?,
                open_cases: r.try_get::<_, i64>(1)? as usize,
                last_assigned: r.try_get::<_, Option<i64>>(2)?.map(from_ts),
            })
        })
        .collect()
}

/// Who owned the earlier case that `case` follows up, and why it counts: the linked
/// case; else the latest other case of the same contact, else of the same account,
/// opened since `since`, whose owner is an active person.
pub fn previous_owner(
    conn: &Conn,
    case: &Case,
    since: DateTime<Utc>,
) -> Result<Option<(String, String)>> {
    let active_owner =
        |sql: &str, p: &[&(dyn ToSql + Sync)]| -> Result<Option<(CaseNumber, String)>> {
            match conn.query_opt(sql, p)? {
                Some(r) => Ok(Some((r.try_get(0)?, r.try_get(1)?))),
                None => Ok(None),
            }
        };
    if let Some(linked) = case.linked_case {
        if let Some((n, h)) = active_owner(
            "SELECT c.id, c.owner FROM cases c JOIN people p ON p.handle = c.owner
             WHERE c.id = $1 AND p.active = 1",
            &[&linked],
        )? {
            return Ok(Some((h, format!("linked case #{n}"))));
        }
    }
    if let Some(email) = &case.contact_email {
        if let Some((n, h)) = active_owner(
            "SELECT c.id, c.owner FROM cases c JOIN people p ON p.handle = c.owner
             WHERE lower(c.contact_email) = lower($1) AND c.id <> $2 AND c.opened_at >= $3 AND p.active = 1
             ORDER BY c.opened_at DESC, c.id DESC LIMIT 1",
            &[email, &case.number, &ts(since)],
        )? {
            return Ok(Some((h, format!("same contact as #{n}"))));
        }
    }
    if case.account.is_some() {
        if let Some((n, h)) = active_owner(
            "SELECT c.id, c.owner FROM cases c JOIN people p ON p.handle = c.owner
             WHERE c.account_id = (SELECT account_id FROM cases WHERE id = $1)
               AND c.id <> $1 AND c.opened_at >= $2 AND p.active = 1
             ORDER BY c.opened_at DESC, c.id DESC LIMIT 1",
            &[&case.number, &ts(since)],
        )? {
            return Ok(Some((h, format!("same account as #{n}"))));
        }
    }
    Ok(None)
}

/// The open cases sweep looks at (`$1`: the Integration case type).
pub(crate) const SWEEP_IDS: &str = "SELECT id FROM cases WHERE closed_at IS NULL
    AND (status = 'Waiting for Account Manager' OR handoff_at IS NOT NULL OR case_type = $1)";

/// Open cases sweep looks at: waiting for an AM, handed off, or of
/// `integration_type`, with when and by whom staff last commented.
pub fn sweep_candidates(conn: &Conn, integration_type: &str) -> Result<Vec<SweptCase>> {
    conn.query(
        &format!(
            // The OR is decided inside the open-case index (migration 2 put
            // case_type and handoff_at in it); only the candidates' rows are read.
            "{SWEPT_CASE_SELECT} WHERE c.id IN ({SWEEP_IDS}) ORDER BY c.id"
        ),
        &[&integration_type],
    )?
    .iter()
    .map(|r| {
        Ok(SweptCase {
            case: case_from_row(r)?,
            last_comment_at: time(r, CASE_COLUMNS)?,
            last_comment_by: r.try_get(CASE_COLUMNS + 1)?,
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::postgres::test_server;
    use crate::store::rows::CaseFilter;
    use std::time::Duration;

    /// A fresh desk database on the test server, or `None` when there is
    /// no server and CASEBOOK_SKIP_REAL says to skip.
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

    fn open(conn: &Conn, subject: &str, description: &str, at: i64) -> CaseNumber {
        let mut c = NewCase::new(subject, from_ts(at));
        c.description = description.into();
        insert(conn, &c).unwrap()
    }

    fn found(conn: &Conn, typed: &str) -> Vec<i64> {
        let f = CaseFilter {
            text: Some(typed.into()),
            ..CaseFilter::default()
        };
        list(conn, &f)
            .unwrap()
            .iter()
            .map(|c| c.number.get())
            .collect()
    }

    #[test]
    fn search_terms_are_the_tokenizers_tokens_lowercased_each_a_prefix() {
        let table = [
            ("fax line", "'fax':* & 'line':*"),
            ("555-0101", "'555':* & '0101':*"),
            ("O'Brien e-mail", "'o':* & 'brien':* & 'e':* & 'mail':*"),
            ("Müller", "'muller':*"),
            ("Ærøskøbing café", "'ærøskøbing':* & 'cafe':*"),
            // tsquery syntax is text like any other: no operator, weight,
            // prefix mark, quote or backslash survives.
            (
                r"fax & !line | (a <-> b) <2> c:*A 'd' \e",
                "'fax':* & 'line':* & 'a':* & 'b':* & '2':* & 'c':* & 'a':* & 'd':* & 'e':*",
            ),
            ("--- ", ""),
        ];
        for (typed, query) in table {
            assert_eq!(tsquery(typed), query, "{typed}");
        }
    }

    #[test]
    fn search_finds_every_word_as_a_prefix_in_cases_and_their_comments() {
        let Some(conn) = desk() else { return };
        let fax = open(&conn, "Fax line down", "Call back on 555-0101 please", 100);
        let obrien = open(&conn, "Invoice for O'Brien", "", 200);
        let muller = open(&conn, "Müller GmbH", "Rechnung überfällig", 300);
        let printer = open(&conn, "Printer jam", "", 400);
        // Decomposed accents (e + U+0301) fold as the composed ones do.
        let cafe = open(&conn, "Cafe\u{301} order", "", 450);
        // A comment's words, as its insert writes them.
        let body = "Spoke to Kowalski about the toner";
        conn.execute(
            "INSERT INTO comments (case_id, at, body, search_words) VALUES ($1, 500, $2, $3)",
            &[&printer, &body, &search_words(&[body])],
        )
        .unwrap();
        let (fax, obrien, muller, printer, cafe) = (
            fax.get(),
            obrien.get(),
            muller.get(),
            printer.get(),
            cafe.get(),
        );
        let table: [(&str, Vec<i64>); 21] = [
            ("555-0101", vec![fax]),
            ("0101", vec![fax]),
            ("555", vec![fax]),
            ("fax li", vec![fax]),
            ("FAX", vec![fax]),
            ("call back", vec![fax]),
            ("fax printer", vec![]),
            ("O'Brien", vec![obrien]),
            ("brien", vec![obrien]),
            ("Müller", vec![muller]),
            ("MÜLL", vec![muller]),
            // Accents fold away, as in SQLite's index (remove_diacritics).
            ("muller", vec![muller]),
            ("uberf", vec![muller]),
            ("überf", vec![muller]),
            ("cafe", vec![cafe]),
            ("café", vec![cafe]),
            ("kowal", vec![printer]),
            // Every word in one text, the case's or one comment's, as on SQLite.
            ("kowalski toner", vec![printer]),
            ("jam toner", vec![]),
            // Operators are words: never negation, alternation or a syntax error.
            ("!fax", vec![fax]),
            (r"fax & | ! <-> ( ) :* ' \ line", vec![fax]),
        ];
        for (typed, cases) in table {
            assert_eq!(found(&conn, typed), cases, "{typed}");
        }
        // Words the server's parser cannot index are no error.
        for typed in ["x\u{b2} \u{bd}", &"a".repeat(3000), "fax \u{b2}"] {
            let f = CaseFilter {
                text: Some(typed.to_string()),
                ..CaseFilter::default()
            };
            list(&conn, &f).unwrap();
        }
        // Text without a word narrows nothing, as on SQLite.
        assert_eq!(
            found(&conn, "' & !"),
            vec![fax, obrien, muller, printer, cafe]
        );
    }

    #[test]
    fn a_new_subject_rewrites_the_search_words() {
        let Some(conn) = desk() else { return };
        let n = open(&conn, "Fax line down", "modem replaced", 100);
        set_fields(
            &conn,
            n,
            &[(
                Column::Subject,
                FieldValue::Text(Some("Phone outage".into())),
            )],
        )
        .unwrap();
        assert_eq!(found(&conn, "fax"), Vec::<i64>::new());
        assert_eq!(found(&conn, "phone"), vec![n.get()]);
        assert_eq!(found(&conn, "modem phone"), vec![n.get()]);
        // Other columns leave the words alone.
        set_fields(
            &conn,
            n,
            &[(Column::Team, FieldValue::Text(Some("fax team".into())))],
        )
        .unwrap();
        assert_eq!(found(&conn, "fax"), Vec::<i64>::new());
        assert_eq!(found(&conn, "outage"), vec![n.get()]);
    }

    /// The quoted history is searched as SQLite's index searches it, also
    /// after the subject changes.
    #[test]
    fn words_of_the_quoted_history_are_found() {
        let Some(conn) = desk() else { return };
        let mut c = NewCase::new("Router", from_ts(100));
        c.description = "still broken".into();
        c.quoted = "From: Max\nticket TKT-5511".into();
        let n = insert(&conn, &c).unwrap();
        assert_eq!(quoted(&conn, n).unwrap(), c.quoted);
        assert_eq!(found(&conn, "tkt-5511"), vec![n.get()]);
        set_fields(
            &conn,
            n,
            &[(Column::Subject, FieldValue::Text(Some("Modem".into())))],
        )
        .unwrap();
        assert_eq!(found(&conn, "tkt-5511 modem"), vec![n.get()]);
    }

    #[test]
    fn set_fields_writes_text_times_ids_and_nulls() {
        let Some(conn) = desk() else { return };
        let now = from_ts(1_800_000_000);
        let n = insert(&conn, &NewCase::new("x", now)).unwrap();
        set_fields(
            &conn,
            n,
            &[
                (Column::Status, FieldValue::Text(Some("In Progress".into()))),
                (Column::HoldUntil, FieldValue::Time(Some(now))),
                (Column::Owner, FieldValue::Text(None)),
                (Column::AccountId, FieldValue::Id(None)),
                (Column::ClosedAt, FieldValue::Time(None)),
            ],
        )
        .unwrap();
        let c = get(&conn, n).unwrap().unwrap();
        assert_eq!(c.status.label(), "In Progress");
        assert_eq!(c.hold_until, Some(now));
        assert_eq!(c.owner, None);
        assert_eq!(c.closed_at, None);
        let events = events(&conn, n).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].field, "created");
    }

    #[test]
    fn owners_sort_as_on_sqlite_whatever_the_servers_locale() {
        let Some(conn) = desk() else { return };
        for h in ["amy", "Zed", "bob", "Bob"] {
            conn.execute(
                "INSERT INTO people (handle, name, email, pool, created_at) VALUES ($1, $1, $1 || '@x', 1, 0)",
                &[&h],
            )
            .unwrap();
        }
        for (i, owner) in ["amy", "Zed", "bob", "Bob"].iter().enumerate() {
            let n = open(&conn, "x", "", i as i64);
            set_fields(
                &conn,
                n,
                &[(Column::Owner, FieldValue::Text(Some(owner.to_string())))],
            )
            .unwrap();
        }
        open(&conn, "queued", "", 9);
        let f = CaseFilter {
            order: CaseOrder::OwnerThenDue,
            ..CaseFilter::default()
        };
        let owners: Vec<Option<String>> = list(&conn, &f)
            .unwrap()
            .into_iter()
            .map(|c| c.owner)
            .collect();
        let expected = [Some("Bob"), Some("Zed"), Some("amy"), Some("bob"), None];
        assert_eq!(owners, expected.map(|o| o.map(String::from)));
        let pool: Vec<String> = pool_load(&conn)
            .unwrap()
            .into_iter()
            .map(|m| m.handle)
            .collect();
        assert_eq!(pool, ["Bob", "Zed", "amy", "bob"]);
        assert_eq!(queued(&conn).unwrap().len(), 1);
    }
}
