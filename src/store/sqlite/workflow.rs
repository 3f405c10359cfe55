//! The SQL behind the case workflow: field updates, triage queries, the messages of a
//! case, and sweep's candidates and log.

use super::cases::{case_from_row, CASE_SELECT};
use crate::domain::case::Case;
use crate::domain::rules::PoolMember;
use crate::store::workflow::{Column, FieldValue, MessageMeta};
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

impl Column {
    fn name(self) -> &'static str {
        match self {
            Column::Subject => "subject",
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
pub fn set_fields(conn: &Connection, number: i64, fields: &[(Column, FieldValue)]) -> Result<()> {
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
            _ => Value::Null,
        });
    }
    let sql = format!("UPDATE cases SET {} WHERE id = ?1", sets.join(", "));
    let mut all = vec![Value::Integer(number)];
    all.extend(values);
    // Cached by its text: ingest sets the same few columns thousands of times.
    conn.prepare_cached(&sql)?.execute(params_from_iter(all))?;
    Ok(())
}

/// Cases in the Account Management Queue (no owner), open.
pub fn queued(conn: &Connection) -> Result<Vec<Case>> {
    let mut stmt = conn.prepare(&format!(
        "{CASE_SELECT} WHERE c.owner IS NULL AND c.closed_at IS NULL ORDER BY c.id"
    ))?;
    let rows = stmt.query_map([], case_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The account manager designated on the account of case `number`, if any.
pub fn account_manager_of(conn: &Connection, number: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT a.account_manager FROM cases c JOIN accounts a ON a.id = c.account_id WHERE c.id = ?1",
            [number],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

/// Active pool AMs with their open-case counts and when they were last assigned a case.
pub fn pool_load(conn: &Connection) -> Result<Vec<PoolMember>> {
    let mut stmt = conn.prepare(
        "SELECT p.handle,
            (SELECT count(*) FROM cases c WHERE c.owner = p.handle AND c.closed_at IS NULL),
            (SELECT max(c.assigned_at) FROM cases c WHERE c.owner = p.handle)
         FROM people p WHERE p.pool = 1 AND p.active = 1 ORDER BY p.handle",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(PoolMember {
            handle: r.get(0)?,
            open_cases: r.get::<_, i64>(1)? as usize,
            last_assigned: r.get::<_, Option<i64>>(2)?.map(from_ts),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Who owned the earlier case that `case` follows up, and why it counts: the linked
/// case; else the latest other case of the same contact, else of the same account,
/// opened since `since`, whose owner is an active person.
pub fn previous_owner(
    conn: &Connection,
    case: &Case,
    since: DateTime<Utc>,
) -> Result<Option<(String, String)>> {
    let active_owner = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<Option<(i64, String)>> {
        Ok(conn
            .query_row(sql, p, |r| Ok((r.get(0)?, r.get(1)?)))
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
        if let Some((n, h)) = active_owner(
            "SELECT c.id, c.owner FROM cases c JOIN people p ON p.handle = c.owner
             WHERE lower(c.contact_email) = lower(?1) AND c.id <> ?2 AND c.opened_at >= ?3 AND p.active = 1
             ORDER BY c.opened_at DESC, c.id DESC LIMIT 1",
            &[email, &case.number, &ts(since)],
        )? {
            return Ok(Some((h, format!("same contact as #{n}"))));
        }
    }
    if case.account.is_some() {
        if let Some((n, h)) = active_owner(
            "SELECT c.id, c.owner FROM cases c JOIN people p ON p.handle = c.owner
             WHERE c.account_id = (SELECT account_id FROM cases WHERE id = ?1)
               AND c.id <> ?1 AND c.opened_at >= ?2 AND p.active = 1
             ORDER BY c.opened_at DESC, c.id DESC LIMIT 1",
            &[&case.number, &ts(since)],
        )? {
            return Ok(Some((h, format!("same account as #{n}"))));
        }
    }
    Ok(None)
}

pub fn messages(conn: &Connection, case: i64) -> Result<Vec<MessageMeta>> {
    let mut stmt = conn.prepare(
        "SELECT m.direction, m.message_id, m.sender, o.recipient, m.subject, m.sent_at, m.received_at,
                m.auto_reason, m.size
         FROM messages m LEFT JOIN outbox o ON m.direction = 'out' AND o.message_id = m.message_id
         WHERE m.case_id = ?1 ORDER BY m.received_at, m.id",
    )?;
    let rows = stmt.query_map([case], |r| {
        Ok(MessageMeta {
            direction: r.get(0)?,
            message_id: r.get(1)?,
            sender: r.get(2)?,
            to: r.get(3)?,
            subject: r.get(4)?,
            sent_at: r.get::<_, Option<i64>>(5)?.map(from_ts),
            received_at: from_ts(r.get(6)?),
            auto_reason: r.get(7)?,
            size: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Open cases sweep looks at: waiting for an AM, handed off, or of `integration_type`.
pub fn sweep_candidates(conn: &Connection, integration_type: &str) -> Result<Vec<Case>> {
    let mut stmt = conn.prepare(&format!(
        "{CASE_SELECT} WHERE c.closed_at IS NULL
           AND (c.status = 'Waiting for Account Manager' OR c.handoff_at IS NOT NULL OR c.case_type = ?1)
         ORDER BY c.id"
    ))?;
    let rows = stmt.query_map([integration_type], case_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether `author` commented on case `case` after `after`.
pub fn commented_since(
    conn: &Connection,
    case: i64,
    author: &str,
    after: DateTime<Utc>,
) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM comments WHERE case_id = ?1 AND author = ?2 AND at > ?3 LIMIT 1",
            params![case, author, ts(after)],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Whether sweep already fired `rule` on `case` for `occasion`.
pub fn swept(conn: &Connection, case: i64, rule: &str, occasion: DateTime<Utc>) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sweep_log WHERE case_id = ?1 AND rule = ?2 AND occasion = ?3",
            params![case, rule, ts(occasion)],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Records that sweep fired `rule` on `case` for `occasion`; false if it already had.
pub fn log_sweep(
    conn: &Connection,
    case: i64,
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
    use crate::store::workflow::{log_sweep, set_fields, swept, Column, FieldValue};
    use crate::store::{cases, from_ts, Store};

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
