//! Cases: opening, reading and listing them, their fields (set by the desk,
//! never by caller text: see `Column`), their history, and the queries of
//! triage and sweep.

use crate::domain::case::CaseNumber;
use crate::domain::case::{Case, NewCase, Priority, Status, Tier};
use crate::domain::rules::PoolMember;
use crate::store::rows::{CaseFilter, CaseOrder, Event, SweptCase};
use crate::store::rows::{Column, FieldValue};
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use std::collections::HashMap;

/// The columns every case query selects, joined with its account.
pub(crate) const CASE_SELECT: &str = "SELECT c.id, c.subject, c.description, a.name AS account, a.tier AS tier,
    c.contact_name, c.contact_email, c.origin, c.case_type, c.category, c.priority, c.status, c.prior_status,
    c.owner, c.creator, c.am, c.rm, c.support_rep, c.team, c.linked_case, c.hold_until, c.hold_reason,
    c.opened_at, c.updated_at, c.status_changed_at, c.closed_at, c.assigned_at, c.first_contact_at,
    c.last_contact_at, c.last_inbound_at, c.escalated_at, c.handoff_at, c.first_contact_due, c.next_due
    FROM cases c LEFT JOIN accounts a ON a.id = c.account_id";

fn time(r: &Row<'_>, col: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    Ok(r.get::<_, Option<i64>>(col)?.map(from_ts))
}

/// A stored label parsed in place (no copy of the text first).
fn parsed<T: std::str::FromStr>(r: &Row<'_>, col: usize) -> rusqlite::Result<Option<T>> {
    Ok(r.get_ref(col)?
        .as_str_or_null()?
        .and_then(|s| s.parse().ok()))
}

/// A case from a row of [`CASE_SELECT`], read by position (its column order).
pub(crate) fn case_from_row(r: &Row<'_>) -> rusqlite::Result<Case> {
    Ok(Case {
        number: r.get(0)?,
        subject: r.get(1)?,
        description: r.get(2)?,
        account: r.get(3)?,
        tier: parsed::<Tier>(r, 4)?,
        contact_name: r.get(5)?,
        contact_email: r.get(6)?,
        origin: r.get(7)?,
        case_type: r.get(8)?,
        category: r.get(9)?,
        priority: parsed(r, 10)?.unwrap_or(Priority::Standard),
        status: parsed(r, 11)?.unwrap_or(Status::New),
        prior_status: parsed(r, 12)?,
        owner: r.get(13)?,
        creator: r.get(14)?,
        am: r.get(15)?,
        rm: r.get(16)?,
        support_rep: r.get(17)?,
        team: r.get(18)?,
        linked_case: r.get(19)?,
        hold_until: time(r, 20)?,
        hold_reason: r.get(21)?,
        opened_at: from_ts(r.get(22)?),
        updated_at: from_ts(r.get(23)?),
        status_changed_at: from_ts(r.get(24)?),
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

/// A case from a row of [`SWEEP_SQL`]: the columns sweep's rules read, the
/// account named from `accounts` (ids to names). What they never read is
/// left empty: the tier, subject, description, contact, origin, category,
/// priority (Standard), prior status, link, hold, closing, assignment and
/// contact times and both due times (`updated_at` is the opening time).
/// Sweep's `perform` reads the case it changes whole.
fn sweep_case_from_row(r: &Row<'_>, accounts: &HashMap<i64, String>) -> rusqlite::Result<Case> {
    let opened_at = from_ts(r.get(10)?);
    Ok(Case {
        number: r.get(0)?,
        account: r
            .get::<_, Option<i64>>(1)?
            .and_then(|id| accounts.get(&id).cloned()),
        case_type: r.get(2)?,
        status: parsed(r, 3)?.unwrap_or(Status::New),
        owner: r.get(4)?,
        creator: r.get(5)?,
        am: r.get(6)?,
        rm: r.get(7)?,
        support_rep: r.get(8)?,
        team: r.get(9)?,
        opened_at,
        status_changed_at: from_ts(r.get(11)?),
        last_inbound_at: time(r, 12)?,
        escalated_at: time(r, 13)?,
        handoff_at: time(r, 14)?,
        priority: Priority::Standard,
        next_due: None,
        tier: None,
        subject: String::new(),
        description: String::new(),
        contact_name: None,
        contact_email: None,
        origin: String::new(),
        category: String::new(),
        prior_status: None,
        linked_case: None,
        hold_until: None,
        hold_reason: None,
        updated_at: opened_at,
        closed_at: None,
        assigned_at: None,
        first_contact_at: None,
        last_contact_at: None,
        first_contact_due: None,
    })
}

/// Opens a case in status New, owned by the queue; returns its number.
pub fn insert(conn: &Connection, c: &NewCase) -> Result<CaseNumber> {
    let at = ts(c.opened_at);
    let id = conn.prepare_cached(
        "INSERT INTO cases (subject, description, account_id, contact_name, contact_email, origin, case_type,
            category, priority, status, creator, linked_case, opened_at, updated_at, status_changed_at,
            first_contact_due, next_due, quoted)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'New', ?10, ?11, ?12, ?12, ?12, ?13, ?14, ?15)",
    )?
    // The new row's id from the connection, not `RETURNING`: SQLite runs a
    // RETURNING clause as a trigger, and preparing it (with the foreign-key
    // checks of every table that refers to cases) cost a delivery 0.1 M.
    .insert(params![
            c.subject,
            c.description,
            c.account_id,
            c.contact_name,
            c.contact_email,
            c.origin,
            c.case_type,
            c.category,
            c.priority.label(),
            c.creator,
            c.linked_case,
            at,
            c.first_contact_due.map(ts),
            c.next_due.map(ts),
            c.quoted
        ])?;
    let id = CaseNumber::new(id).expect("SQLite's row ids start at 1");
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

/// One case. The statement is cached: ingest reads a case several times per
/// message, thousands of times in a bulk import.
pub fn get(conn: &Connection, number: CaseNumber) -> Result<Option<Case>> {
    Ok(conn
        .prepare_cached(&format!("{CASE_SELECT} WHERE c.id = ?1"))?
        .query_row([number], case_from_row)
        .optional()?)
}

pub fn quoted(conn: &Connection, number: CaseNumber) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT quoted FROM cases WHERE id = ?1")?
        .query_row([number], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

pub fn list(conn: &Connection, f: &CaseFilter) -> Result<Vec<Case>> {
    let (sql, values) = filter_sql_for(conn, CASE_SELECT, f)?;
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(values), case_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `select` narrowed and ordered by `f` (the one place a filter becomes
/// SQL), with the search words spelled out against the index's
/// own terms (see [`match_expression`]).
pub(crate) fn filter_sql_for(
    conn: &Connection,
    select: &str,
    f: &CaseFilter,
) -> Result<(String, Vec<Value>)> {
    let matching = match f.text.as_deref() {
        Some(text) => Some(Matching::Words(match_expression(conn, text)?)),
        None => None,
    };
    Ok(filter_sql_matching(select, f, matching))
}

/// How a filter's search narrows the cases.
pub(crate) enum Matching {
    /// An FTS5 query over the cases' and the comments' indexes.
    Words(String),
    /// These case numbers, as a JSON array (a page's worth of matches
    /// already read from the indexes).
    Numbers(String),
}

/// `select` (which names the cases table `c` and its account `a`) narrowed and
/// ordered by `f`, with its parameters, every word a prefix term (the plan
/// tests read it; commands go through [`filter_sql_for`]).
#[cfg(test)]
pub(crate) fn filter_sql(select: &str, f: &CaseFilter) -> (String, Vec<Value>) {
    filter_sql_matching(
        select,
        f,
        f.text.as_deref().map(|t| Matching::Words(fts_query(t))),
    )
}

/// `select` narrowed and ordered by `f`, with `matching` for `f.text`.
pub(crate) fn filter_sql_matching(
    select: &str,
    f: &CaseFilter,
    matching: Option<Matching>,
) -> (String, Vec<Value>) {
    let mut clauses: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut bind = |clause: &str, v: Value, clauses: &mut Vec<String>| {
        values.push(v);
        clauses.push(clause.replace('?', &format!("?{}", values.len())));
    };
    match &f.owner {
        Some(Some(o)) => bind("c.owner = ?", Value::Text(o.clone()), &mut clauses),
        Some(None) => clauses.push("c.owner IS NULL".into()),
        None => {}
    }
    if let Some(c) = &f.creator {
        bind("c.creator = ?", Value::Text(c.clone()), &mut clauses);
    }
    if f.open_only {
        clauses.push("c.closed_at IS NULL".into());
    }
    if !f.statuses.is_empty() {
        let list: Vec<String> = f
            .statuses
            .iter()
            .map(|s| format!("'{}'", s.label()))
            .collect();
        clauses.push(format!("c.status IN ({})", list.join(", ")));
    }
    if let Some(p) = f.priority {
        bind(
            "c.priority = ?",
            Value::Text(p.label().into()),
            &mut clauses,
        );
    }
    if let Some(a) = &f.account {
        bind(
            "lower(a.name) = lower(?)",
            Value::Text(a.clone()),
            &mut clauses,
        );
    }
    if let Some(t) = f.tier {
        bind("a.tier = ?", Value::Text(t.label().into()), &mut clauses);
    }
    if let Some(t) = f.opened_since {
        bind("c.opened_at >= ?", Value::Integer(ts(t)), &mut clauses);
    }
    if let Some(t) = f.opened_before {
        bind("c.opened_at < ?", Value::Integer(ts(t)), &mut clauses);
    }
    if let Some(t) = f.due_before {
        bind("c.next_due < ?", Value::Integer(ts(t)), &mut clauses);
    }
    if f.staff_created {
        clauses.push("c.creator IS NOT NULL".into());
    }
    match matching {
        Some(Matching::Words(q)) if !q.is_empty() => {
            values.push(Value::Text(q));
            let n = values.len();
            clauses.push(format!(
                "c.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?{n}
                   UNION SELECT cm.case_id FROM comments_fts JOIN comments cm ON cm.id = comments_fts.rowid
                   WHERE comments_fts MATCH ?{n})"
            ));
        }
        Some(Matching::Numbers(json)) => {
            values.push(Value::Text(json));
            let n = values.len();
            clauses.push(format!("c.id IN (SELECT value FROM json_each(?{n}))"));
        }
        _ => {}
    }
    let mut sql = select.to_string();
    if !clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&clauses.join(" AND "));
    }
    sql.push_str(match f.order {
        // `+c.id`: not the table's own order, so that the open cases are
        // read from their partial index (and sorted) rather than by a walk
        // of every case ever opened.
        CaseOrder::Number if f.open_only => " ORDER BY +c.id",
        CaseOrder::Number => " ORDER BY c.id",
        CaseOrder::NewestFirst => " ORDER BY c.id DESC",
        CaseOrder::NextDue => " ORDER BY c.next_due IS NULL, c.next_due, c.id",
        CaseOrder::OwnerThenDue => {
            " ORDER BY c.owner IS NULL, c.owner, c.next_due IS NULL, c.next_due, c.id"
        }
    });
    match (f.limit, f.offset) {
        (Some(n), Some(skip)) => sql.push_str(&format!(" LIMIT {n} OFFSET {skip}")),
        (Some(n), None) => sql.push_str(&format!(" LIMIT {n}")),
        (None, Some(skip)) => sql.push_str(&format!(" LIMIT -1 OFFSET {skip}")),
        (None, None) => {}
    }
    (sql, values)
}

/// Turns what a person typed into an FTS5 query: every word must match, as a
/// prefix, and FTS5's own syntax is never read from the text.
///
/// A word is split where the index's tokenizer (unicode61) splits it, at
/// every character that is not a letter or digit: `555-0101` is the tokens
/// `555` and `0101`, `O'Brien` is `O` and `Brien`. Each token is its own
/// quoted term, because a quoted term of several tokens is a phrase, which
/// the index (`detail=none`, no positions) cannot answer.
#[cfg(test)]
fn fts_query(text: &str) -> String {
    crate::store::search_tokens(text)
        .map(|t| format!("\"{t}\"*"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The most indexed terms one typed word's prefix is spelled out as.
const PREFIX_TERMS: usize = 16;

/// The FTS5 query of what a person typed: every word must match, as a
/// prefix (see `fts_query` for how words split), with each word's prefix spelled out as the few indexed
/// terms it covers (`fax` as `("fax" OR "faxes")`). FTS5 answers a prefix
/// term by merging the lists of every term it covers before the first row
/// comes out (a cost of every match), where an OR of exact terms is read
/// lazily in case-number order, so a page of results costs its size. The
/// terms are looked up in the indexes' vocabularies (fts5vocab tables in
/// `temp`, so the schema is unchanged), one term at a time: the `instance`
/// vocabulary seeks to a term without counting its rows, where `row` counts
/// every row of every term it passes (a cost of every match again). A word
/// that covers no term, or too many, stays a prefix term.
pub(crate) fn match_expression(conn: &Connection, text: &str) -> Result<String> {
    conn.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.cases_words USING fts5vocab(main, cases_fts, instance);
         CREATE VIRTUAL TABLE IF NOT EXISTS temp.comments_words USING fts5vocab(main, comments_fts, instance);",
    )?;
    // `>=` and `<=` are the bounds fts5vocab itself applies (a `>` would
    // be checked by SQLite on every instance of the term before it).
    let mut next_terms = [
        conn.prepare_cached(
            "SELECT term FROM temp.cases_words WHERE term >= ?1 AND term <= ?2 LIMIT 1",
        )?,
        conn.prepare_cached(
            "SELECT term FROM temp.comments_words WHERE term >= ?1 AND term <= ?2 LIMIT 1",
        )?,
    ];
    let mut parts = Vec::new();
    for token in crate::store::search_tokens(text) {
        // As the tokenizer folds what it indexes (unicode61, remove_diacritics 2).
        let folded = crate::store::without_diacritics(token).to_lowercase();
        let end = format!("{folded}\u{10FFFF}");
        let mut terms = std::collections::BTreeSet::new();
        for next_term in &mut next_terms {
            let mut from = folded.clone();
            while terms.len() <= PREFIX_TERMS {
                let Some(term) = next_term
                    .query_row(params![from, end], |r| r.get::<_, String>(0))
                    .optional()?
                else {
                    break;
                };
                // The least string after `term`: no term holds a U+0001.
                from = format!("{term}\u{1}");
                terms.insert(term);
            }
        }
        if terms.is_empty() || terms.len() > PREFIX_TERMS {
            parts.push(format!("\"{token}\"*"));
        } else {
            let quoted: Vec<String> = terms
                .iter()
                .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                .collect();
            parts.push(format!("({})", quoted.join(" OR ")));
        }
    }
    // Explicit: FTS5 reads no implicit AND next to a bracket.
    Ok(parts.join(" AND "))
}

pub fn add_event(
    conn: &Connection,
    case: CaseNumber,
    at: DateTime<Utc>,
    actor: Option<&str>,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO events (case_id, at, actor, field, old, new) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![case, ts(at), actor, field, old, new])?;
    Ok(())
}

pub fn events(conn: &Connection, case: CaseNumber) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(
        "SELECT at, actor, field, old, new FROM events WHERE case_id = ?1 ORDER BY at, id",
    )?;
    let rows = stmt.query_map([case], |r| {
        Ok(Event {
            at: from_ts(r.get(0)?),
            actor: r.get(1)?,
            field: r.get(2)?,
            old: r.get(3)?,
            new: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets the SLA due times the rules computed.
pub fn set_due(
    conn: &Connection,
    case: CaseNumber,
    first: Option<DateTime<Utc>>,
    next: Option<DateTime<Utc>>,
) -> Result<()> {
    conn.prepare_cached("UPDATE cases SET first_contact_due = ?2, next_due = ?3 WHERE id = ?1")?
        .execute(params![case, first.map(ts), next.map(ts)])?;
    Ok(())
}

impl Column {
    /// Whether the search index holds this column's text (cases_fts).
    fn is_searched(self) -> bool {
        matches!(self, Column::Subject)
    }

    fn name(self) -> &'static str {
        match self {
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
}

/// Sets the given columns of case `number` in one statement.
pub fn set_fields(
    conn: &Connection,
    number: CaseNumber,
    fields: &[(Column, FieldValue)],
) -> Result<()> {
    if fields.is_empty() {
        return Ok(());
    }
    let mut sets = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    for (i, (col, v)) in fields.iter().enumerate() {
        sets.push(format!("{} = ?{}", col.name(), i + 2));
        values.push(match v {
            FieldValue::Text(Some(s)) => Value::Text(s.clone()),
            FieldValue::Time(Some(t)) => Value::Integer(ts(*t)),
            FieldValue::Id(Some(id)) => Value::Integer(*id),
            _ => Value::Null,
        });
    }
    let sql = format!("UPDATE cases SET {} WHERE id = ?1", sets.join(", "));
    let mut all = vec![Value::Integer(number.get())];
    all.extend(values);
    // Cached by its text: ingest sets the same few columns thousands of times.
    let update = || -> Result<()> {
        conn.prepare_cached(&sql)?.execute(params_from_iter(all))?;
        Ok(())
    };
    if fields.iter().any(|(col, _)| col.is_searched()) {
        super::search::reindex_case(conn, number.get(), update)
    } else {
        update()
    }
}

/// The queue's cases, from the open cases' owner index: left to itself the
/// planner takes `cases_owner_assigned`, which also holds every case ever
/// closed without an owner.
pub(crate) const QUEUED_WHERE: &str =
    "WHERE c.id IN (SELECT id FROM cases INDEXED BY cases_open_owner
    WHERE owner IS NULL AND closed_at IS NULL) ORDER BY c.id";

/// Cases in the Account Management Queue (no owner), open.
pub fn queued(conn: &Connection) -> Result<Vec<Case>> {
    let mut stmt = conn.prepare(&format!("{CASE_SELECT} {QUEUED_WHERE}"))?;
    let rows = stmt.query_map([], case_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Each pool member's open cases (`cases_open_owner`) and latest
/// assignment (`cases_owner_assigned`): index lookups, not a count of history.
pub(crate) const POOL_SQL: &str = "SELECT p.handle,
        (SELECT count(*) FROM cases c WHERE c.owner = p.handle AND c.closed_at IS NULL),
        (SELECT max(c.assigned_at) FROM cases c WHERE c.owner = p.handle)
     FROM people p WHERE p.pool = 1 AND p.active = 1 ORDER BY p.handle";

/// Active pool AMs with their open-case counts and when they were last assigned a case.
pub fn pool_load(conn: &Connection) -> Result<Vec<PoolMember>> {
    let mut stmt = conn.prepare(POOL_SQL)?;
    let rows = stmt.query_map([], |r| {
        Ok(PoolMember {
            handle: r.get(0)?,
            open_cases: r.get::<_, i64>(1)? as usize,
            last_assigned: r.get::<_, Option<i64>>(2)?.map(from_ts),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The latest other case of the same contact opened since ?3 with an active
/// owner (served by `cases_contact_lower`, migration 7).
pub(crate) const SAME_CONTACT_SQL: &str =
    "SELECT c.id, c.owner FROM cases c JOIN people p ON p.handle = c.owner
    WHERE lower(c.contact_email) = lower(?1) AND c.id <> ?2 AND c.opened_at >= ?3 AND p.active = 1
    ORDER BY c.opened_at DESC, c.id DESC LIMIT 1";

/// The same for the account of case ?1 (served by `cases_account_opened`, migration 10).
pub(crate) const SAME_ACCOUNT_SQL: &str =
    "SELECT c.id, c.owner FROM cases c JOIN people p ON p.handle = c.owner
    WHERE c.account_id = (SELECT account_id FROM cases WHERE id = ?1)
      AND c.id <> ?1 AND c.opened_at >= ?2 AND p.active = 1
    ORDER BY c.opened_at DESC, c.id DESC LIMIT 1";

/// Who owned the earlier case that `case` follows up, and why it counts: the linked
/// case; else the latest other case of the same contact, else of the same account,
/// opened since `since`, whose owner is an active person.
pub fn previous_owner(
    conn: &Connection,
    case: &Case,
    since: DateTime<Utc>,
) -> Result<Option<(String, String)>> {
    // Cached: triage asks once per queued case.
    let active_owner =
        |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<Option<(CaseNumber, String)>> {
            Ok(conn
                .prepare_cached(sql)?
                .query_row(p, |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?)
        };
    if let Some(linked) = case.linked_case {
        if let Some((n, h)) = active_owner(
            "SELECT c.id, c.owner FROM cases c JOIN people p ON p.handle = c.owner
             WHERE c.id = ?1 AND p.active = 1",
            &[&linked],
        )? {
            return Ok(Some((h, format!("linked case #{n}"))));
        }
    }
    if let Some(email) = &case.contact_email {
        if let Some((n, h)) = active_owner(SAME_CONTACT_SQL, &[email, &case.number, &ts(since)])? {
            return Ok(Some((h, format!("same contact as #{n}"))));
        }
    }
    if case.account.is_some() {
        if let Some((n, h)) = active_owner(SAME_ACCOUNT_SQL, &[&case.number, &ts(since)])? {
            return Ok(Some((h, format!("same account as #{n}"))));
        }
    }
    Ok(None)
}

/// The columns of a sweep candidate, read by [`sweep_case_from_row`], and
/// the latest comment's time and author after them.
macro_rules! sweep_columns {
    () => {
        "SELECT c.id, c.account_id, c.case_type,
    c.status, c.owner, c.creator, c.am, c.rm, c.support_rep, c.team,
    c.opened_at, c.status_changed_at, c.last_inbound_at, c.escalated_at, c.handoff_at,
    c.last_comment_at, c.last_comment_by
    FROM cases c "
    };
}

/// The case type `cases_sweep` leaves out (migration 18): the schema's
/// default, which no desk names as its Integration type.
const NOT_IN_SWEEP_INDEX: &str = "Account Management";

/// Sweep's candidates from their own index alone: the index's condition,
/// then the sweep's (`?1`: the Integration type).
pub(crate) const SWEEP_SQL: &str = concat!(
    sweep_columns!(),
    "INDEXED BY cases_sweep
    WHERE c.closed_at IS NULL
      AND (c.status = 'Waiting for Account Manager' OR c.handoff_at IS NOT NULL
           OR c.case_type <> 'Account Management')
      AND (c.status = 'Waiting for Account Manager' OR c.handoff_at IS NOT NULL OR c.case_type = ?1)"
);

/// The same candidates when the Integration type is the one the index
/// leaves out: read from the table.
const SWEEP_ANY_TYPE_SQL: &str = concat!(
    sweep_columns!(),
    "WHERE c.closed_at IS NULL
      AND (c.status = 'Waiting for Account Manager' OR c.handoff_at IS NOT NULL OR c.case_type = ?1)"
);

/// Open cases sweep looks at: waiting for an AM, handed off, or of
/// `integration_type`, with the columns its rules read (see [`SWEEP_SQL`]),
/// in index order (sweep sorts what it does by case; sorting the rows here
/// cost a fifth of reading them).
pub fn sweep_candidates(conn: &Connection, integration_type: &str) -> Result<Vec<SweptCase>> {
    // The accounts by id, once (a few hundred rows), instead of a seek into
    // accounts per candidate.
    let accounts: HashMap<i64, String> = conn
        .prepare("SELECT id, name FROM accounts")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let sql = if integration_type == NOT_IN_SWEEP_INDEX {
        SWEEP_ANY_TYPE_SQL
    } else {
        SWEEP_SQL
    };
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([integration_type], |r| {
        Ok(SweptCase {
            case: sweep_case_from_row(r, &accounts)?,
            last_comment_at: time(r, 15)?,
            last_comment_by: r.get(16)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use crate::domain::case::NewCase;
    use crate::store::cases::{self, set_fields, Column, FieldValue};
    use crate::store::{from_ts, Store};

    #[test]
    fn search_terms_are_the_tokenizers_tokens_each_a_prefix() {
        let table = [
            ("fax line", r#""fax"* "line"*"#),
            ("555-0101", r#""555"* "0101"*"#),
            ("O'Brien e-mail", r#""O"* "Brien"* "e"* "mail"*"#),
            ("INC-4412", r#""INC"* "4412"*"#),
            // FTS5 syntax is text like any other: no operator, column or quote survives.
            (
                r#""phones" (elm*) OR NEAR(a b) col:x ^y"#,
                r#""phones"* "elm"* "OR"* "NEAR"* "a"* "b"* "col"* "x"* "y"*"#,
            ),
            ("Müller", r#""Müller"*"#),
            ("--- ", ""),
        ];
        for (typed, query) in table {
            assert_eq!(super::fts_query(typed), query, "{typed}");
        }
    }

    /// A word's prefix becomes the exact terms the indexes hold when they are
    /// few (read in order, page by page), else it stays a prefix term.
    #[test]
    fn search_words_are_spelled_out_as_the_indexed_terms_they_cover() {
        let store = Store::open_in_memory().unwrap();
        let now = from_ts(1_800_000_000);
        store
            .write(|tx| -> crate::store::Result<()> {
                for subject in ["Fax line", "Faxes lost", "Müller contract", "Phone"] {
                    cases::insert(tx, &NewCase::new(subject, now))?;
                }
                for i in 0..20 {
                    cases::insert(tx, &NewCase::new(&format!("zz{i:02}"), now))?;
                }
                Ok(())
            })
            .unwrap();
        // Fewer rows than a group: a search indexes them first, as here.
        assert_eq!(store.search_catch_up().unwrap(), 0);
        let conn = store.sqlite_connection();
        let table = [
            ("fax", r#"("fax" OR "faxes")"#),
            ("FAXE", r#"("faxes")"#),
            ("müll", r#"("muller")"#),
            ("fax phone", r#"("fax" OR "faxes") AND ("phone")"#),
            ("walrus", r#""walrus"*"#),
            // 20 terms start with `zz`: more than are spelled out.
            ("zz", r#""zz"*"#),
        ];
        for (typed, expression) in table {
            assert_eq!(
                super::match_expression(conn, typed).unwrap(),
                expression,
                "{typed}"
            );
        }
    }

    /// Sweep's candidates come from their own index whatever the desk calls
    /// its Integration type, and from the table when it is the type the
    /// index leaves out.
    #[test]
    fn sweep_candidates_follow_the_configured_integration_type() {
        let store = Store::open_in_memory().unwrap();
        let now = from_ts(1_800_000_000);
        let text = |v: &str| FieldValue::Text(Some(v.into()));
        let numbers = store
            .write(|tx| -> crate::store::Result<_> {
                let mut made = Vec::new();
                for (case_type, status) in [
                    ("Account Management", "In Progress"),
                    ("Integrations", "In Progress"),
                    ("Account Management", "Waiting for Account Manager"),
                    ("Integrations", "Closed"),
                ] {
                    let n = cases::insert(tx, &NewCase::new(case_type, now))?;
                    let mut fields = vec![
                        (Column::CaseType, text(case_type)),
                        (Column::Status, text(status)),
                    ];
                    if status == "Closed" {
                        fields.push((Column::ClosedAt, FieldValue::Time(Some(now))));
                    }
                    set_fields(tx, n, &fields)?;
                    made.push(n);
                }
                Ok(made)
            })
            .unwrap();
        let conn = store.sqlite_connection();
        let found = |integration_type: &str| {
            let mut n: Vec<_> = super::sweep_candidates(conn, integration_type)
                .unwrap()
                .into_iter()
                .map(|s| s.case.number)
                .collect();
            n.sort();
            n
        };
        assert_eq!(found("Integrations"), vec![numbers[1], numbers[2]]);
        assert_eq!(found("Account Management"), vec![numbers[0], numbers[2]]);
        assert_eq!(found("Billing"), vec![numbers[2]]);
    }

    #[test]
    fn set_fields_writes_text_times_and_nulls() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.db();
        let now = from_ts(1_800_000_000);
        let n = cases::insert(conn, &NewCase::new("x", now)).unwrap();
        set_fields(
            conn,
            n,
            &[
                (Column::Status, FieldValue::Text(Some("In Progress".into()))),
                (Column::HoldUntil, FieldValue::Time(Some(now))),
                (Column::Owner, FieldValue::Text(None)),
            ],
        )
        .unwrap();
        let c = cases::get(conn, n).unwrap().unwrap();
        assert_eq!(c.status.label(), "In Progress");
        assert_eq!(c.hold_until, Some(now));
        assert_eq!(c.owner, None);
    }
}
