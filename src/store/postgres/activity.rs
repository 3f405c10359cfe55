//! What people do on a case besides changing fields, on PostgreSQL: the
//! same operations as `sqlite::activity`.

use crate::domain::case::CaseNumber;
use crate::domain::states::{CommentKind, ContactMethod, ContactOutcome};
use crate::store::rows::{Comment, ContactAttempt};
use crate::store::{from_ts, search_words, ts, Result};

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
    if let Some(author) = &c.author {
        // The case's latest staff comment and its author, which sweep reads
        // (migrations 5 and 6); of two at the same second, the later written.
        conn.execute(
            "UPDATE cases SET last_comment_at = $2, last_comment_by = $3
             WHERE id = $1 AND (last_comment_at IS NULL OR last_comment_at <= $2)",
            &[&case, &ts(c.at), author],
        )?;
    }
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono::{DateTime, Utc};

    use crate::domain::person::Person;
    use crate::domain::states::{CommentKind, ContactMethod, ContactOutcome};
    use crate::store::activity::{
        add_attempt, add_comment, add_watcher, attempts, comments, watchers, Comment,
        ContactAttempt,
    };
    use crate::store::postgres::testing;
    use crate::store::{people, search_words};

    fn at(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap() + chrono::Duration::minutes(min)
    }

    fn comment(min: i64, author: Option<&str>, body: &str, mentions: &[&str]) -> Comment {
        Comment {
            id: 0,
            at: at(min),
            author: author.map(String::from),
            kind: CommentKind::Comment,
            public: false,
            body: body.into(),
            mentions: mentions.iter().map(|m| m.to_string()).collect(),
        }
    }

    const BODY: &str = "Émile's printer—on FIRE! Café-au-lait @bob, see #12 (ticket_7).";

    #[test]
    fn comments_attempts_and_watchers_read_back_as_on_sqlite() {
        let store = testing::same_on_both(|db| {
            for handle in ["amy", "bob", "Zed", "_ops"] {
                let p = Person {
                    handle: handle.into(),
                    name: handle.into(),
                    email: format!("{handle}@desk.example"),
                    roles: vec![],
                    regional_manager: None,
                    pool: false,
                    active: true,
                    away_from: None,
                    away_until: None,
                    delegate: None,
                };
                people::insert(db, &p, 0).unwrap();
            }
            let n = testing::new_case(db, "Printer on fire", at(0));
            let other = testing::new_case(db, "Another", at(0));
            add_comment(
                db,
                n,
                &comment(5, Some("amy"), BODY, &["bob", "Zed", "_ops", "bob"]),
            )
            .unwrap();
            let mut review = comment(2, Some("bob"), "Looked at it.", &[]);
            (review.kind, review.public) = (CommentKind::Review, true);
            add_comment(db, n, &review).unwrap();
            add_comment(db, n, &comment(5, None, "Same minute, later row.", &[])).unwrap();
            add_comment(db, other, &comment(1, Some("amy"), "elsewhere", &[])).unwrap();
            for (min, method, outcome, note) in [
                (9, ContactMethod::Email, ContactOutcome::Sent, None),
                (
                    3,
                    ContactMethod::Phone,
                    ContactOutcome::NoAnswer,
                    Some("twice"),
                ),
                (
                    9,
                    ContactMethod::Voicemail,
                    ContactOutcome::LeftMessage,
                    None,
                ),
            ] {
                let a = ContactAttempt {
                    at: at(min),
                    actor: Some("amy".into()),
                    method,
                    outcome,
                    note: note.map(String::from),
                };
                add_attempt(db, n, &a).unwrap();
            }
            let added: Vec<bool> = ["amy", "Zed", "amy", "_ops"]
                .iter()
                .map(|h| add_watcher(db, n, h).unwrap())
                .collect();
            format!(
                "{:?}\n{:?}\n{:?}\n{added:?}\n{:?}\n{:?}",
                comments(db, n).unwrap(),
                comments(db, other).unwrap(),
                attempts(db, n).unwrap(),
                watchers(db, n).unwrap(),
                watchers(db, other).unwrap(),
            )
        });
        let Some(store) = store else { return };
        // The body's words are stored beside it, and full-text search finds them.
        let pg = testing::conn(&store);
        let stored: String = pg
            .query_one(
                "SELECT search_words FROM comments WHERE body = $1",
                &[&BODY],
            )
            .unwrap()
            .try_get(0)
            .unwrap();
        assert_eq!(stored, search_words(&[BODY]));
        for word in ["café", "émile", "fire", "ticket_7"] {
            let found = pg
                .query(
                    "SELECT body FROM comments
                     WHERE to_tsvector('simple', search_words) @@ plainto_tsquery('simple', $1)",
                    &[&search_words(&[word])],
                )
                .unwrap();
            assert_eq!(found.len(), 1, "{word}");
        }
    }
}
