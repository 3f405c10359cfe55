//! The outbox (every outgoing message, stored before it is delivered) and the
//! outbound side of `messages`.
//!
//! Delivery is claimed by moving `next_attempt_at` past the lease in a short
//! write transaction: a second `outbox flush` running at the same time cannot
//! claim the same row, and the write lock is never held while a message is on
//! the wire.

use crate::domain::case::CaseNumber;
use crate::domain::states::OutboxStatus;
pub use crate::store::rows::{Claimed, NewOutgoing, OutboundMessage, OutboxEntry, OutboxFilter};
use crate::store::Result;
use crate::store::{postgres, sqlite, Backend, Db};
use chrono::{DateTime, Utc};

/// Stores one outgoing message; returns its outbox id.
pub fn insert(db: &Db, m: &NewOutgoing<'_>) -> Result<i64> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::outbox::insert(conn, m),
        Backend::Postgres(conn) => postgres::outbox::insert(conn, m),
    }
}

/// How many messages to `recipient` were queued or sent since `since` (dropped ones do not count).
pub fn count_to_since(db: &Db, recipient: &str, since: DateTime<Utc>) -> Result<i64> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::outbox::count_to_since(conn, recipient, since),
        Backend::Postgres(conn) => postgres::outbox::count_to_since(conn, recipient, since),
    }
}

pub fn list(db: &Db, f: &OutboxFilter) -> Result<Vec<OutboxEntry>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::outbox::list(conn, f),
        Backend::Postgres(conn) => postgres::outbox::list(conn, f),
    }
}

pub fn get(db: &Db, id: i64) -> Result<Option<OutboxEntry>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::outbox::get(conn, id),
        Backend::Postgres(conn) => postgres::outbox::get(conn, id),
    }
}

/// The stored bytes of outbox message `id`.
pub fn raw(db: &Db, id: i64) -> Result<Option<Vec<u8>>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::outbox::raw(conn, id),
        Backend::Postgres(conn) => postgres::outbox::raw(conn, id),
    }
}

/// Claims queued messages due at `now` (only those with the given Message-IDs when
/// `only` is set): counts the attempt and moves `next_attempt_at` to `lease_until`, so
/// nobody else claims them while they are being delivered. Run it inside a write
/// transaction.
pub fn claim_due(
    db: &Db,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    only: Option<&[String]>,
    limit: usize,
) -> Result<Vec<Claimed>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::outbox::claim_due(conn, now, lease_until, only, limit),
        Backend::Postgres(conn) => postgres::outbox::claim_due(conn, now, lease_until, only, limit),
    }
}

/// Records a delivery.
pub fn mark_sent(db: &Db, id: i64, at: DateTime<Utc>) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::outbox::mark_sent(conn, id, at),
        Backend::Postgres(conn) => postgres::outbox::mark_sent(conn, id, at),
    }
}

/// Records a failed attempt that a later flush retries at `next`.
pub fn mark_retry(db: &Db, id: i64, error: &str, next: DateTime<Utc>) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::outbox::mark_retry(conn, id, error, next),
        Backend::Postgres(conn) => postgres::outbox::mark_retry(conn, id, error, next),
    }
}

/// Ends a message with `status` (`failed` or `dropped`) and why.
pub fn mark_final(db: &Db, id: i64, status: OutboxStatus, reason: &str) -> Result<()> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::outbox::mark_final(conn, id, status, reason),
        Backend::Postgres(conn) => postgres::outbox::mark_final(conn, id, status, reason),
    }
}

/// Puts a failed or dropped message back in the queue, due at `now`; false when it was not failed or dropped.
pub fn requeue(db: &Db, id: i64, now: DateTime<Utc>) -> Result<bool> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::outbox::requeue(conn, id, now),
        Backend::Postgres(conn) => postgres::outbox::requeue(conn, id, now),
    }
}

pub fn add_outbound_message(db: &Db, m: &OutboundMessage<'_>) -> Result<i64> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::outbox::add_outbound_message(conn, m),
        Backend::Postgres(conn) => postgres::outbox::add_outbound_message(conn, m),
    }
}

/// The Message-ID of the newest inbound message on `case` (from `sender` when given).
pub fn last_inbound_message_id(
    db: &Db,
    case: CaseNumber,
    sender: Option<&str>,
) -> Result<Option<String>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::outbox::last_inbound_message_id(conn, case, sender),
        Backend::Postgres(conn) => postgres::outbox::last_inbound_message_id(conn, case, sender),
    }
}

/// The first inbound message of `case`: its Message-ID and why it was judged auto-generated, if it was.
pub fn first_inbound(
    db: &Db,
    case: CaseNumber,
) -> Result<Option<(Option<String>, Option<String>)>> {
    match db.backend() {
        Backend::Sqlite(conn) => sqlite::outbox::first_inbound(conn, case),
        Backend::Postgres(conn) => postgres::outbox::first_inbound(conn, case),
    }
}
