//! Delivering the outbox: claim due messages in a short write transaction, hand each
//! to the configured transport with no lock held, and record each result in another
//! short transaction.
//!
//! A claim marks the message `sending` (the hand-off recorded before it happens),
//! moves its `next_attempt_at` a lease ahead and counts the attempt, so a second
//! flush (cron, or a command delivering what it queued) never picks the same message
//! while it is on the wire; the result is recorded after. A message still `sending`
//! when its lease ends was cut off by a crash: where the transport can tell
//! (`file:`: the file exists) it is not sent twice; SMTP and sendmail cannot be
//! asked, so it is re-sent with the same Message-ID and the receiver can drop the copy. A failure that may pass (a server that is
//! down, a missing sendmail) keeps the message queued, due again after a back-off
//! that grows with its attempts; a refusal (a bad address, a 5xx answer) or three
//! days of failures end it as `failed`.

use std::time::Duration as StdDuration;

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::desk::{Announcer, Settings};
use crate::domain::states::{DeliveryResult, OutboxStatus};
use crate::error;
use crate::mail::transport::{self, Delivery, Secret, Transport};
use crate::store::outbox as box_store;
use crate::store::Db;
use crate::store::Store;

/// How long a claimed message is reserved for the process delivering it.
pub const LEASE: Duration = Duration::minutes(10);

/// After failing for this long since it was queued, a message is given up.
pub const GIVE_UP_AFTER: Duration = Duration::days(3);

/// How long one delivery may take (SMTP connect and each command, or the sendmail run).
pub const SEND_TIMEOUT: StdDuration = StdDuration::from_secs(30);

/// The wait before the next try after `attempts` failed tries: 1m, 5m, 30m, 2h, then 6h.
pub fn backoff(attempts: i64) -> Duration {
    match attempts {
        i64::MIN..=1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(30),
        4 => Duration::hours(2),
        _ => Duration::hours(6),
    }
}

/// What one delivery attempt did.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Outcome {
    pub id: i64,
    pub recipient: String,
    /// `sent`, `retry`, `failed` or `dropped`.
    pub result: DeliveryResult,
    pub detail: String,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// The configured transport, parsed.
pub fn transport(config: &crate::config::Config) -> Result<Transport> {
    config
        .mail
        .transport
        .parse::<Transport>()
        .map_err(|e| error::user(format!("{e}; fix `mail.transport` in the config")))
}

/// Delivers the queued messages due at `settings.now` (only those with these
/// Message-IDs when `only` is set), at most `limit` of them.
pub fn flush(
    store: &Store,
    settings: &Settings,
    only: Option<&[String]>,
    limit: usize,
) -> Result<Vec<Outcome>> {
    let transport = transport(&settings.config)?;
    let password = match &transport {
        Transport::Smtp { user: Some(_), .. } => {
            Secret::load(settings.config.mail.smtp_password_file.as_deref())
                .map_err(|e| error::user(format!("{e}; messages stay queued")))?
        }
        _ => None,
    };
    let now = settings.now;
    // What a `file:` delivery killed mid-write left behind (its message is still
    // due). Best effort: a folder that cannot be read fails each delivery below,
    // which records why.
    let _ = transport::clean_leftovers(&transport);
    let claimed = store
        .write(|tx| box_store::claim_due(tx, now, now + LEASE, only, limit))
        .context("claiming queued mail")?;
    let envelope_from = settings.config.desk.ingest_address.trim().to_string();
    let mut outcomes = Vec::with_capacity(claimed.len());
    for m in claimed {
        // An earlier run died between handing this message over and recording it.
        let mut resent = String::new();
        if m.interrupted {
            match transport::delivered_before(&transport, &m.raw) {
                Some(true) => {
                    record(store, |tx| box_store::mark_sent(tx, m.id, now))?;
                    let why = "an interrupted run had delivered it already: not sent again";
                    outcomes.push(outcome(&m, DeliveryResult::Sent, why.into(), None));
                    continue;
                }
                Some(false) => {
                    resent = "an interrupted run had not delivered it: sent now".into();
                }
                None => {
                    resent = format!(
                        "re-sent after an interrupted run, with the same Message-ID <{}>, so the receiver can drop a copy",
                        m.message_id
                    );
                }
            }
        }
        let result = transport::deliver(
            &transport,
            password.as_ref().map(Secret::expose),
            &envelope_from,
            std::slice::from_ref(&m.recipient),
            &m.raw,
            SEND_TIMEOUT,
        );
        let outcome = match result {
            Ok(Delivery::Sent) => {
                record(store, |tx| box_store::mark_sent(tx, m.id, now))?;
                outcome(&m, DeliveryResult::Sent, resent, None)
            }
            Ok(Delivery::Skipped) => {
                let why = "mail.transport is `none`: not delivered";
                record(store, |tx| {
                    box_store::mark_final(tx, m.id, OutboxStatus::Dropped, why)
                })?;
                outcome(&m, DeliveryResult::Dropped, why.into(), None)
            }
            Err(e) if e.is_permanent() => {
                let why = e.to_string();
                record(store, |tx| {
                    box_store::mark_final(tx, m.id, OutboxStatus::Failed, &why)
                })?;
                outcome(&m, DeliveryResult::Failed, why, None)
            }
            Err(e) if now - m.created_at >= GIVE_UP_AFTER => {
                let why = format!(
                    "gave up after {} attempts over {} days: {e}",
                    m.attempts,
                    GIVE_UP_AFTER.num_days()
                );
                record(store, |tx| {
                    box_store::mark_final(tx, m.id, OutboxStatus::Failed, &why)
                })?;
                outcome(&m, DeliveryResult::Failed, why, None)
            }
            Err(e) => {
                let why = e.to_string();
                let next = now + backoff(m.attempts);
                record(store, |tx| box_store::mark_retry(tx, m.id, &why, next))?;
                outcome(&m, DeliveryResult::Retry, why, Some(next))
            }
        };
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// Records a delivery's result, trying again while another casebook holds the write
/// lock: a sent message whose result is lost would be sent again after its lease.
fn record(store: &Store, f: impl Fn(&Db) -> crate::store::Result<()>) -> Result<()> {
    let mut tries = 0;
    loop {
        match store.write(&f) {
            Ok(()) => return Ok(()),
            Err(e) if e.is_temporary() && tries < 3 => tries += 1,
            Err(e) => return Err(e).context("recording a delivery"),
        }
    }
}

fn outcome(
    m: &box_store::Claimed,
    result: DeliveryResult,
    detail: String,
    next: Option<DateTime<Utc>>,
) -> Outcome {
    Outcome {
        id: m.id,
        recipient: m.recipient.clone(),
        result,
        detail,
        next_attempt_at: next,
    }
}

/// Delivers what this command queued, after its transaction. Never fails: a
/// problem is a warning to the announcer, and the messages stay queued for
/// `casebook outbox flush`.
pub fn deliver_queued(store: &Store, settings: &Settings, announcer: &Announcer) -> Vec<Outcome> {
    let ids = announcer.take_queued();
    if ids.is_empty() {
        return Vec::new();
    }
    // In slices, so a bulk import's thousands of messages stay within SQLite's bound parameters.
    let delivered: Result<Vec<Outcome>> = ids.chunks(500).try_fold(Vec::new(), |mut all, chunk| {
        all.extend(flush(store, settings, Some(chunk), chunk.len())?);
        Ok(all)
    });
    match delivered {
        Ok(outcomes) => {
            // One warning per distinct error, naming everyone it held back.
            let mut retrying: Vec<(&str, Vec<&str>)> = Vec::new();
            for o in outcomes
                .iter()
                .filter(|o| o.result == DeliveryResult::Retry)
            {
                match retrying.iter_mut().find(|(d, _)| *d == o.detail) {
                    Some((_, to)) => to.push(&o.recipient),
                    None => retrying.push((&o.detail, vec![&o.recipient])),
                }
            }
            for (detail, to) in retrying {
                announcer.warn(&format!(
                    "casebook: warning: mail to {} stays queued ({detail}); `casebook outbox flush` retries it",
                    to.join(", ")
                ));
            }
            for o in outcomes
                .iter()
                .filter(|o| o.result == DeliveryResult::Failed)
            {
                announcer.warn(&format!(
                    "casebook: warning: mail to {} failed for good ({}); see `casebook outbox show {}`",
                    o.recipient, o.detail, o.id
                ));
            }
            outcomes
        }
        Err(e) => {
            announcer.warn(&format!(
                "casebook: warning: {} message(s) stay queued: {e:#}; `casebook outbox flush` sends them",
                ids.len()
            ));
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let waits: Vec<i64> = (1..=7).map(|a| backoff(a).num_minutes()).collect();
        assert_eq!(waits, [1, 5, 30, 120, 360, 360, 360]);
    }
}
