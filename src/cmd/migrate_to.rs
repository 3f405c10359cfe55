//! `casebook migrate-to URL`: moves this SQLite desk into an empty
//! PostgreSQL database, every row of every table (raw mail byte for byte),
//! in one transaction, and checks both sides hold the same rows.

use std::io::Write;

use anyhow::Result;

use crate::ctx::Ctx;
use crate::error;
use crate::render::Format;
use crate::store::{transfer, Location, Store};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The PostgreSQL database to move into: postgres://USER@HOST:PORT/DBNAME
    /// (created with createdb, empty; the password from ~/.pgpass or PGPASSWORD)
    pub url: String,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let target_at = Location::parse(args.url.as_ref());
    if !matches!(target_at, Location::Postgres(_)) {
        return Err(error::user(format!(
            "`{}` is not a PostgreSQL URL: write postgres://USER@HOST:PORT/DBNAME",
            args.url
        )));
    }
    if !matches!(ctx.db, Location::Sqlite(_)) {
        return Err(error::user(
            "migrate-to moves a SQLite desk: point --db at the SQLite file to move",
        ));
    }
    let source = ctx.store()?;
    let target = Store::create(&target_at, ctx.busy_timeout())?;
    let moved = transfer::sqlite_to_postgres(source, &target)?;
    let mut out = ctx.out();
    match ctx.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&moved)?)?,
        _ => {
            for m in &moved {
                writeln!(
                    out,
                    "{:<18} {:>9} rows  checksum {}",
                    m.table, m.rows, m.checksum
                )?;
            }
            drop(out);
            ctx.note(&format!(
                "moved {} into {target_at}; both sides hold the same rows. Point CASEBOOK_DB (or [store] url) at it; the SQLite file is left as it was",
                source.path()
            ));
        }
    }
    Ok(())
}
