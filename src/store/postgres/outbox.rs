//! The outbox and the outbound side of `messages` on PostgreSQL: the same
//! operations as `sqlite::outbox`.
//!
//! Delivery is claimed by moving `next_attempt_at` past the lease, as on
//! SQLite. Several hosts may flush one desk: the claim locks the rows it
//! picks (`FOR UPDATE SKIP LOCKED`), so a flush never waits for another
//! one's rows nor claims them, and a row another flush claimed and
//! committed meanwhile is checked again and no longer due.

use crate::domain::case::CaseNumber;
use crate::domain::states::{OutboxKind, OutboxStatus};
use crate::store::rows::{Claimed, NewOutgoing, OutboundMessage, OutboxEntry, OutboxFilter};
use crate::store::{from_ts, ts, Result};
use chrono::{DateTime, Utc};
use postgres::types::ToSql;
use postgres::Row;

use super::Conn;

const COLUMNS: &str = "id, status, kind, case_id, recipient, subject, attempts, next_attempt_at,
    last_error, created_at, sent_at, message_id";

fn entry_from_row(r: &Row) -> Result<OutboxEntry> {
    let status = super::state(r, 1, OutboxStatus::parse_stored)?;
    let next: i64 = r.try_get(7)?;
    Ok(OutboxEntry {
        // A due time only means something while the message waits.
        // A message being sent is due again when its lease ends.
        next_attempt_at: matches!(status, OutboxStatus::Queued | OutboxStatus::Sending)
            .then(|| from_ts(next)),
        id: r.try_get(0)?,
        status,
        kind: super::state(r, 2, OutboxKind::parse_stored)?,
        case: r.try_get(3)?,
        recipient: r.try_get(4)?,
        subject: r.try_get(5)?,
        attempts: r.try_get(6)?,
        last_error: r.try_get(8)?,
        created_at: from_ts(r.try_get(9)?),
        sent_at: r.try_get::<_, Option<i64>>(10)?.map(from_ts),
        message_id: r.try_get(11)?,
    })
}

/// Stores one outgoing message; returns its outbox id.
pub fn insert(conn: &Conn, m: &NewOutgoing<'_>) -> Result<i64> {
    Ok(conn
        .query_one(
            "INSERT INTO outbox (case_id, kind, recipient, subject, message_id, raw, status, last_error,
                next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
            &[
                &m.case,
                &m.kind.as_str(),
                &m.recipient,
                &m.subject,
                &m.message_id,
                &m.raw,
                &m.status.as_str(),
                &m.last_error,
                &ts(m.at),
            ],
        )?
        .try_get(0)?)
}

/// How many messages to `recipient` were queued or sent since `since` (dropped ones do not count).
pub fn count_to_since(conn: &Conn, recipient: &str, since: DateTime<Utc>) -> Result<i64> {
    Ok(conn
        .query_one(
            "SELECT count(*) FROM outbox
             WHERE lower(recipient) = lower($1) AND created_at > $2 AND status <> 'dropped'",
            &[&recipient, &ts(since)],
        )?
        .try_get(0)?)
}

pub fn list(conn: &Conn, f: &OutboxFilter) -> Result<Vec<OutboxEntry>> {
    let mut sql = format!("SELECT {COLUMNS} FROM outbox WHERE 1 = 1");
    let mut values: Vec<Box<dyn ToSql + Sync>> = Vec::new();
    if !f.statuses.is_empty() {
        let statuses: Vec<String> = f.statuses.iter().map(|s| s.as_str().to_string()).collect();
        values.push(Box::new(statuses));
        sql.push_str(&format!(" AND status = ANY(${})", values.len()));
    }
    if let Some(c) = f.case {
        values.push(Box::new(c));
        sql.push_str(&format!(" AND case_id = ${}", values.len()));
    }
    sql.push_str(" ORDER BY id");
    let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|b| b.as_ref()).collect();
    conn.query(&sql, &refs)?
        .iter()
        .map(entry_from_row)
        .collect()
}

pub fn get(conn: &Conn, id: i64) -> Result<Option<OutboxEntry>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM outbox WHERE id = $1"),
        &[&id],
    )?
    .map(|r| entry_from_row(&r))
    .transpose()
}

/// The stored bytes of outbox message `id`.
pub fn raw(conn: &Conn, id: i64) -> Result<Option<Vec<u8>>> {
    conn.query_opt("SELECT raw FROM outbox WHERE id = $1", &[&id])?
        .map(|r| Ok(r.try_get(0)?))
        .transpose()
}

/// Claims queued messages due at `now` (only those with the given Message-IDs when
/// `only` is set): counts the attempt and moves `next_attempt_at` to `lease_until`, so
/// nobody else claims them while they are being delivered. Rows another
/// transaction holds are skipped, not waited for.
pub fn claim_due(
    conn: &Conn,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    only: Option<&[String]>,
    limit: usize,
) -> Result<Vec<Claimed>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    // One statement: the due rows are locked (skipping those another host
    // is claiming), marked `sending` and returned, with whether an earlier
    // run had claimed them and never recorded a result.
    let mut sql = String::from(
        "WITH due AS (
             SELECT id, status = 'sending' AS interrupted FROM outbox
             WHERE status IN ('queued', 'sending') AND next_attempt_at <= $1",
    );
    let mut values: Vec<Box<dyn ToSql + Sync>> = vec![
        Box::new(ts(now)),
        Box::new(ts(lease_until)),
        Box::new(limit),
    ];
    if let Some(ids) = only {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        values.push(Box::new(ids.to_vec()));
        sql.push_str(&format!(" AND message_id = ANY(${})", values.len()));
    }
    sql.push_str(
        " ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
         UPDATE outbox o SET status = 'sending', attempts = o.attempts + 1, handed_off_at = $1,
             next_attempt_at = $2
         FROM due WHERE o.id = due.id
         RETURNING o.id, o.recipient, o.message_id, o.raw, o.attempts, o.created_at, due.interrupted",
    );
    let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|b| b.as_ref()).collect();
    let mut claimed: Vec<Claimed> = conn
        .query(&sql, &refs)?
        .iter()
        .map(|r| {
            Ok(Claimed {
                id: r.try_get(0)?,
                recipient: r.try_get(1)?,
                message_id: r.try_get(2)?,
                raw: r.try_get(3)?,
                attempts: r.try_get(4)?,
                created_at: from_ts(r.try_get(5)?),
                interrupted: r.try_get(6)?,
            })
        })
        .collect::<Result<_>>()?;
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

/// Records a delivery.
pub fn mark_sent(conn: &Conn, id: i64, at: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'sent', sent_at = $2, last_error = NULL WHERE id = $1",
        &[&id, &ts(at)],
    )?;
    Ok(())
}

/// Records a failed attempt that a later flush retries at `next`.
pub fn mark_retry(conn: &Conn, id: i64, error: &str, next: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET status = 'queued', last_error = $2, next_attempt_at = $3
         WHERE id = $1 AND status IN ('queued', 'sending')",
        &[&id, &error, &ts(next)],
    )?;
    Ok(())
}

/// Ends a message with `status` (`failed` or `dropped`) and why.
pub fn mark_final(conn: &Conn, id: i64, status: OutboxStatus, reason: &str) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET status = $2, last_error = $3 WHERE id = $1",
        &[&id, &status.as_str(), &reason],
    )?;
    Ok(())
}

/// Puts a failed or dropped message back in the queue, due at `now`; false when it was not failed or dropped.
pub fn requeue(conn: &Conn, id: i64, now: DateTime<Utc>) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE outbox SET status = 'queued', next_attempt_at = $2
         WHERE id = $1 AND status IN ('failed', 'dropped')",
        &[&id, &ts(now)],
    )? == 1)
}

pub fn add_outbound_message(conn: &Conn, m: &OutboundMessage<'_>) -> Result<i64> {
    Ok(conn
        .query_one(
            "INSERT INTO messages (case_id, direction, message_id, sender, subject, sent_at, received_at, size, raw)
             VALUES ($1, 'out', $2, lower($3), $4, $5, $5, $6, $7) RETURNING id",
            &[
                &m.case,
                &m.message_id,
                &m.sender,
                &m.subject,
                &ts(m.at),
                &(m.raw.len() as i64),
                &m.raw,
            ],
        )?
        .try_get(0)?)
}

/// The Message-ID of the newest inbound message on `case` (from `sender` when given).
pub fn last_inbound_message_id(
    conn: &Conn,
    case: CaseNumber,
    sender: Option<&str>,
) -> Result<Option<String>> {
    conn.query_opt(
        "SELECT message_id FROM messages
         WHERE case_id = $1 AND direction = 'in' AND message_id IS NOT NULL
           AND ($2::text IS NULL OR lower(sender) = lower($2::text))
         ORDER BY received_at DESC, id DESC LIMIT 1",
        &[&case, &sender],
    )?
    .map(|r| Ok(r.try_get(0)?))
    .transpose()
}

/// The first inbound message of `case`: its Message-ID and why it was judged auto-generated, if it was.
pub fn first_inbound(
    conn: &Conn,
    case: CaseNumber,
) -> Result<Option<(Option<String>, Option<String>)>> {
    conn.query_opt(
        "SELECT message_id, auto_reason FROM messages
         WHERE case_id = $1 AND direction = 'in' ORDER BY received_at, id LIMIT 1",
        &[&case],
    )?
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .transpose()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::{Arc, Barrier};

    use chrono::TimeZone;

    use crate::domain::states::{OutboxKind, OutboxStatus};
    use crate::store::outbox::{
        add_outbound_message, claim_due, count_to_since, first_inbound, get, insert,
        last_inbound_message_id, list, mark_final, mark_retry, mark_sent, raw, requeue,
        NewOutgoing, OutboundMessage, OutboxFilter,
    };
    use crate::store::postgres::testing;
    use crate::store::{ts, Db};
    use chrono::{DateTime, Utc};

    fn at(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap() + chrono::Duration::minutes(min)
    }

    fn queue(db: &Db, id: &str) -> i64 {
        insert(
            db,
            &NewOutgoing {
                case: None,
                kind: OutboxKind::Report,
                recipient: "a@b.example",
                subject: "s",
                message_id: id,
                raw: b"raw",
                status: OutboxStatus::Queued,
                last_error: None,
                at: at(0),
            },
        )
        .unwrap()
    }

    fn ids(claimed: &[crate::store::outbox::Claimed]) -> Vec<String> {
        claimed.iter().map(|c| c.message_id.clone()).collect()
    }

    #[test]
    fn a_claimed_message_cannot_be_claimed_again_until_its_lease_ends() {
        let Some(store) = testing::desk() else { return };
        let db = store.db();
        let first = queue(db, "m1@x");
        queue(db, "m2@x");
        let claimed = claim_due(db, at(0), at(10), Some(&["m1@x".to_string()]), 10).unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!((claimed[0].id, claimed[0].attempts), (first, 1));
        assert_eq!(claimed[0].raw, b"raw");
        assert_eq!(claimed[0].created_at, at(0));
        // A concurrent flush sees only the other one.
        let other = claim_due(db, at(0), at(10), None, 10).unwrap();
        assert_eq!(ids(&other), ["m2@x"]);
        assert!(claim_due(db, at(5), at(15), None, 10).unwrap().is_empty());
        assert!(claim_due(db, at(20), at(30), Some(&[]), 10)
            .unwrap()
            .is_empty());
        // A crashed delivery is retried once the lease is over.
        let again = claim_due(db, at(10), at(20), None, 10).unwrap();
        assert_eq!(ids(&again), ["m1@x", "m2@x"]);
        assert_eq!(again[0].attempts, 2);
    }

    #[test]
    fn results_are_recorded() {
        let Some(store) = testing::desk() else { return };
        let db = store.db();
        let id = queue(db, "m1@x");
        claim_due(db, at(0), at(10), None, 10).unwrap();
        mark_retry(db, id, "refused", at(1)).unwrap();
        let e = get(db, id).unwrap().unwrap();
        assert_eq!(e.status, OutboxStatus::Queued);
        assert_eq!(e.last_error.as_deref(), Some("refused"));
        assert_eq!(e.next_attempt_at, Some(at(1)));
        mark_sent(db, id, at(2)).unwrap();
        let e = get(db, id).unwrap().unwrap();
        assert_eq!(
            (
                e.status.as_str(),
                e.sent_at,
                e.next_attempt_at,
                e.last_error
            ),
            ("sent", Some(at(2)), None, None)
        );
        assert!(!requeue(db, id, at(3)).unwrap());
        assert_eq!(count_to_since(db, "A@B.example", at(-1)).unwrap(), 1);

        let failed = queue(db, "m2@x");
        mark_final(db, failed, OutboxStatus::Failed, "550 no such user").unwrap();
        let dropped = queue(db, "m3@x");
        mark_final(db, dropped, OutboxStatus::Dropped, "over the limit").unwrap();
        assert_eq!(count_to_since(db, "a@b.EXAMPLE", at(-1)).unwrap(), 2);
        assert_eq!(count_to_since(db, "a@b.example", at(0)).unwrap(), 0);
        let shown = |statuses: Vec<OutboxStatus>| -> Vec<i64> {
            let f = OutboxFilter {
                statuses,
                case: None,
            };
            list(db, &f).unwrap().iter().map(|e| e.id).collect()
        };
        assert_eq!(shown(vec![]), [id, failed, dropped]);
        assert_eq!(
            shown(vec![OutboxStatus::Dropped, OutboxStatus::Sent]),
            [id, dropped]
        );
        assert!(requeue(db, dropped, at(4)).unwrap());
        let e = get(db, dropped).unwrap().unwrap();
        assert_eq!(
            (e.status, e.next_attempt_at),
            (OutboxStatus::Queued, Some(at(4)))
        );
        assert!(get(db, dropped + 100).unwrap().is_none());
    }

    #[test]
    fn replies_thread_on_the_newest_inbound_message() {
        let Some(store) = testing::desk() else { return };
        let db = store.db();
        let n = testing::new_case(db, "x", at(0));
        assert_eq!(first_inbound(db, n).unwrap(), None);
        let pg = testing::conn(&store);
        for (message_id, sender, minute, auto) in [
            (Some("a@x"), "ann@acme.example", 1, Some("Auto-Submitted")),
            (None, "ann@acme.example", 2, None),
            (Some("b@x"), "bob@acme.example", 3, None),
            (Some("c@x"), "ann@acme.example", 3, None),
        ] {
            pg.execute(
                "INSERT INTO messages (case_id, direction, message_id, sender, received_at, auto_reason, size, raw)
                 VALUES ($1, 'in', $2, $3, $4, $5, 1, 'x')",
                &[&n, &message_id, &sender, &ts(at(minute)), &auto],
            )
            .unwrap();
        }
        assert_eq!(
            first_inbound(db, n).unwrap(),
            Some((Some("a@x".into()), Some("Auto-Submitted".into())))
        );
        // Same minute: the later row wins, as on SQLite.
        assert_eq!(
            last_inbound_message_id(db, n, None).unwrap().as_deref(),
            Some("c@x")
        );
        assert_eq!(
            last_inbound_message_id(db, n, Some("BOB@acme.example"))
                .unwrap()
                .as_deref(),
            Some("b@x")
        );
        assert_eq!(last_inbound_message_id(db, n, Some("eve@x")).unwrap(), None);

        // Our reply is kept on the case, and is not an inbound message.
        let reply = add_outbound_message(
            db,
            &OutboundMessage {
                case: Some(n),
                message_id: "r@desk",
                sender: "Desk@Example.org",
                subject: "Re: x",
                at: at(9),
                raw: b"reply",
            },
        )
        .unwrap();
        let kept = pg
            .query_one(
                "SELECT direction, sender, size, raw, case_id FROM messages WHERE id = $1",
                &[&reply],
            )
            .unwrap();
        assert_eq!(kept.try_get::<_, String>(0).unwrap(), "out");
        assert_eq!(kept.try_get::<_, String>(1).unwrap(), "desk@example.org");
        assert_eq!(kept.try_get::<_, i64>(2).unwrap(), 5);
        assert_eq!(kept.try_get::<_, Vec<u8>>(3).unwrap(), b"reply");
        assert_eq!(kept.try_get::<_, Option<i64>>(4).unwrap(), Some(n.get()));
        assert_eq!(
            last_inbound_message_id(db, n, None).unwrap().as_deref(),
            Some("c@x")
        );

        // The outbox by case.
        queue(db, "unrelated@x");
        let on_case = insert(
            db,
            &NewOutgoing {
                case: Some(n),
                kind: OutboxKind::Reply,
                recipient: "ann@acme.example",
                subject: "Re: x",
                message_id: "r@desk",
                raw: b"reply",
                status: OutboxStatus::Queued,
                last_error: None,
                at: at(9),
            },
        )
        .unwrap();
        let f = OutboxFilter {
            statuses: vec![OutboxStatus::Queued],
            case: Some(n),
        };
        let listed = list(db, &f).unwrap();
        assert_eq!(listed.iter().map(|e| e.id).collect::<Vec<_>>(), [on_case]);
        assert_eq!(listed[0].case, Some(n));
        assert_eq!(raw(db, on_case).unwrap().as_deref(), Some(&b"reply"[..]));
        assert_eq!(raw(db, on_case + 100).unwrap(), None);
    }

    /// Two hosts flushing at once, each in its own transaction: the row
    /// locks alone keep them apart (the desk's writer lock is not taken
    /// here), and the second never waits for the first.
    #[test]
    fn two_connections_claiming_at_the_same_time_never_get_the_same_message() {
        let Some(url) = testing::desk_url() else {
            return;
        };
        let (one, two) = (testing::open(&url), testing::open(&url));
        for id in ["m1@x", "m2@x", "m3@x", "m4@x"] {
            queue(one.db(), id);
        }
        let first = testing::conn(&one);
        first.exec("BEGIN").unwrap();
        let by_one = claim_due(one.db(), at(0), at(10), None, 2).unwrap();
        assert_eq!(ids(&by_one), ["m1@x", "m2@x"]);
        // While the first has not committed, its rows are locked: skipped.
        let by_two = claim_due(two.db(), at(0), at(10), None, 10).unwrap();
        assert_eq!(ids(&by_two), ["m3@x", "m4@x"]);
        first.exec("COMMIT").unwrap();
        // Once committed, every message is leased.
        assert!(claim_due(two.db(), at(0), at(10), None, 10)
            .unwrap()
            .is_empty());
        assert!(claim_due(one.db(), at(9), at(19), None, 10)
            .unwrap()
            .is_empty());
        let again = claim_due(two.db(), at(10), at(20), None, 10).unwrap();
        assert_eq!(again.len(), 4);
        assert!(again.iter().all(|c| c.attempts == 2));
    }

    /// Two connections claiming in a race, statement against statement:
    /// every message is claimed exactly once.
    #[test]
    fn racing_claims_share_the_queue_without_overlap() {
        let Some(url) = testing::desk_url() else {
            return;
        };
        let setup = testing::open(&url);
        let queued: BTreeSet<i64> = (0..200)
            .map(|i| queue(setup.db(), &format!("m{i}@x")))
            .collect();
        let start = Arc::new(Barrier::new(2));
        let flushers: Vec<_> = (0..2)
            .map(|_| {
                let (url, start) = (url.clone(), Arc::clone(&start));
                std::thread::spawn(move || {
                    let store = testing::open(&url);
                    start.wait();
                    let mut got = Vec::new();
                    loop {
                        let claimed = claim_due(store.db(), at(0), at(10), None, 3).unwrap();
                        if claimed.is_empty() {
                            return got;
                        }
                        assert!(claimed.iter().all(|c| c.attempts == 1), "claimed twice");
                        got.extend(claimed.iter().map(|c| c.id));
                    }
                })
            })
            .collect();
        let got: Vec<Vec<i64>> = flushers.into_iter().map(|t| t.join().unwrap()).collect();
        let (a, b): (BTreeSet<i64>, BTreeSet<i64>) = (
            got[0].iter().copied().collect(),
            got[1].iter().copied().collect(),
        );
        assert_eq!(a.len() + b.len(), got[0].len() + got[1].len());
        assert!(a.is_disjoint(&b), "both claimed {:?}", a.intersection(&b));
        assert_eq!(a.union(&b).copied().collect::<BTreeSet<_>>(), queued);
    }
}
