//! What people do on a case besides changing fields: comments, reviews,
//! contact attempts, watching.

use crate::domain::case::CaseNumber;
use crate::domain::states::{CommentKind, ContactMethod, ContactOutcome};
use crate::store::rows::{Comment, ContactAttempt};
use crate::store::{from_ts, ts, Result};
use rusqlite::{params, Connection};

/// Adds a comment (or a review) with its mentions; returns its id. `id` is ignored.
pub fn add_comment(conn: &Connection, case: CaseNumber, c: &Comment) -> Result<i64> {
    // The id from the connection, not RETURNING (see cases::insert).
    let id = conn
        .prepare_cached(
            "INSERT INTO comments (case_id, at, author, kind, public, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .insert(params![case, ts(c.at), c.author, c.kind.as_str(), c.public, c.body])?;
    if let Some(author) = &c.author {
        // The case's latest staff comment and its author, which sweep reads
        // (migrations 17 and 19); of two at the same second, the later written.
        conn.prepare_cached(
            "UPDATE cases SET last_comment_at = ?2, last_comment_by = ?3
             WHERE id = ?1 AND (last_comment_at IS NULL OR last_comment_at <= ?2)",
        )?
        .execute(params![case, ts(c.at), author])?;
    }
    for m in &c.mentions {
        conn.execute(
            "INSERT OR IGNORE INTO mentions (comment_id, handle) VALUES (?1, ?2)",
            params![id, m],
        )?;
    }
    Ok(id)
}

pub fn comments(conn: &Connection, case: CaseNumber) -> Result<Vec<Comment>> {
    let mut stmt =
        conn.prepare("SELECT id, at, author, kind, public, body FROM comments WHERE case_id = ?1 ORDER BY at, id")?;
    let mut found: Vec<Comment> = stmt
        .query_map([case], |r| {
            Ok(Comment {
                id: r.get(0)?,
                at: from_ts(r.get(1)?),
                author: r.get(2)?,
                kind: super::state(r, 3, CommentKind::parse_stored)?,
                public: r.get(4)?,
                body: r.get(5)?,
                mentions: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt =
        conn.prepare("SELECT handle FROM mentions WHERE comment_id = ?1 ORDER BY handle")?;
    for c in &mut found {
        c.mentions = stmt
            .query_map([c.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(found)
}

pub fn add_attempt(conn: &Connection, case: CaseNumber, a: &ContactAttempt) -> Result<()> {
    conn.execute(
        "INSERT INTO contact_attempts (case_id, at, actor, method, outcome, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![case, ts(a.at), a.actor, a.method.as_str(), a.outcome.as_str(), a.note],
    )?;
    Ok(())
}

pub fn attempts(conn: &Connection, case: CaseNumber) -> Result<Vec<ContactAttempt>> {
    let mut stmt = conn.prepare(
        "SELECT at, actor, method, outcome, note FROM contact_attempts WHERE case_id = ?1 ORDER BY at, id",
    )?;
    let rows = stmt.query_map([case], |r| {
        Ok(ContactAttempt {
            at: from_ts(r.get(0)?),
            actor: r.get(1)?,
            method: super::state(r, 2, ContactMethod::parse_stored)?,
            outcome: super::state(r, 3, ContactOutcome::parse_stored)?,
            note: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds a watcher; returns false when they already watch.
pub fn add_watcher(conn: &Connection, case: CaseNumber, handle: &str) -> Result<bool> {
    Ok(conn.execute(
        "INSERT OR IGNORE INTO watchers (case_id, handle) VALUES (?1, ?2)",
        params![case, handle],
    )? == 1)
}

pub fn watchers(conn: &Connection, case: CaseNumber) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT handle FROM watchers WHERE case_id = ?1 ORDER BY handle")?;
    let rows = stmt.query_map([case], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
