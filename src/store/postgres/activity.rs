//! What people do on a case besides changing fields, on PostgreSQL: the
//! same operations as `sqlite::activity`.

use crate::domain::case::CaseNumber;
use crate::domain::states::{CommentKind, ContactMethod, ContactOutcome};
use crate::store::rows::{Comment, ContactAttempt};
use crate::store::{from_ts, search_words, ts, Result};
use chrono::{DateTime, Utc};

use super::Conn;

/// Adds a comment (or a review) with its mentions; returns its id. `id` is
/// ignored. The body's words go beside it for full-text search.
pub fn add_comment(conn: &Conn, case: CaseNumber, c: &Comment) -> Result<i64> {
    let id: i64 = conn
        .query_one(
            "INSERT INTO comments (case_id, at, author, kind, public, body, search_words)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[
                &case,
                &ts(c.at),
                &c.author,
                &c.kind.as_str(),
                &i64::from(c.public),
                &c.body,
                &search_words(&[c.body.as_str()]),
            ],
        )?
        .try_get(0)?;
    for m in &c.mentions {
        conn.execute(
            "INSERT INTO mentions (comment_id, handle) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&id, m],
        )?;
    }
    Ok(id)
}

pub fn comments(conn: &Conn, case: CaseNumber) -> Result<Vec<Comment>> {
    let mut found: Vec<Comment> = conn
        .query(
            "SELECT id, at, author, kind, public, body FROM comments WHERE case_id = $1 ORDER BY at, id",
            &[&case],
        )?
        .iter()
        .map(|r| {
            Ok(Comment {
                id: r.try_get(0)?,
                at: from_ts(r.try_get(1)?),
                author: r.try_get(2)?,
                kind: super::state(r, 3, CommentKind::parse_stored)?,
                public: r.try_get::<_, i64>(4)? != 0,
                body: r.try_get(5)?,
                mentions: Vec::new(),
            })
        })
        .collect::<Result<_>>()?;
    for c in &mut found {
        c.mentions = conn
            .query(
                "SELECT handle FROM mentions WHERE comment_id = $1 ORDER BY handle COLLATE \"C\"",
                &[&c.id],
            )?
            .iter()
            .map(|r| Ok(r.try_get(0)?))
            .collect::<Result<_>>()?;
    }
    Ok(found)
}

pub fn add_attempt(conn: &Conn, case: CaseNumber, a: &ContactAttempt) -> Result<()> {
    conn.execute(
        "INSERT INTO contact_attempts (case_id, at, actor, method, outcome, note)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &case,
            &ts(a.at),
            &a.actor,
            &a.method.as_str(),
            &a.outcome.as_str(),
            &a.note,
        ],
    )?;
    Ok(())
}

pub fn attempts(conn: &Conn, case: CaseNumber) -> Result<Vec<ContactAttempt>> {
    conn.query(
        "SELECT at, actor, method, outcome, note FROM contact_attempts WHERE case_id = $1 ORDER BY at, id",
        &[&case],
    )?
    .iter()
    .map(|r| {
        Ok(ContactAttempt {
            at: from_ts(r.try_get(0)?),
            actor: r.try_get(1)?,
            method: super::state(r, 2, ContactMethod::parse_stored)?,
            outcome: super::state(r, 3, ContactOutcome::parse_stored)?,
            note: r.try_get(4)?,
        })
    })
    .collect()
}

/// Adds a watcher; returns false when they already watch.
pub fn add_watcher(conn: &Conn, case: CaseNumber, handle: &str) -> Result<bool> {
    Ok(conn.execute(
        "INSERT INTO watchers (case_id, handle) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        &[&case, &handle],
    )? == 1)
}

pub fn watchers(conn: &Conn, case: CaseNumber) -> Result<Vec<String>> {
    conn.query(
        "SELECT handle FROM watchers WHERE case_id = $1 ORDER BY handle COLLATE \"C\"",
        &[&case],
    )?
    .iter()
    .map(|r| Ok(r.try_get(0)?))
    .collect()
}

/// Whether `author` commented on case `case` after `after`.
pub fn commented_since(
    conn: &Conn,
    case: CaseNumber,
    author: &str,
    after: DateTime<Utc>,
) -> Result<bool> {
    Ok(conn
        .query_opt(
            "SELECT 1 FROM comments WHERE case_id = $1 AND author = $2 AND at > $3 LIMIT 1",
            &[&case, &author, &ts(after)],
        )?
        .is_some())
}
