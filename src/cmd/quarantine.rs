//! `casebook quarantine`: messages that could not become a case.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::ctx::Ctx;
use crate::error;
use crate::ingest;
use crate::ingest::pipeline::Pipeline;
use crate::render::{short_time, Format};
use crate::store::quarantine::{self, Held};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: QuarantineCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum QuarantineCommand {
    /// List held messages (with --all also released and dropped ones)
    List {
        /// Include released and dropped messages
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        shape: crate::cmd::args::ShapeArgs,
    },
    /// Print a held message: its reason, then its raw bytes (--raw: only the bytes)
    Show {
        /// The quarantine number, e.g. 7 or Q7
        #[arg(value_parser = parse_q)]
        id: i64,
        /// Only the raw bytes, exactly as received
        #[arg(long)]
        raw: bool,
    },
    /// Run a held message through ingest again (after a config change, say)
    Retry {
        /// The quarantine number, e.g. 7 or Q7
        #[arg(value_parser = parse_q)]
        id: i64,
        /// Decide but store nothing
        #[arg(long)]
        dry_run: bool,
        /// Print each decision and the rule that made it
        #[arg(long)]
        explain: bool,
    },
    /// Mark a held message dropped; its row and bytes are kept
    Drop {
        /// The quarantine number, e.g. 7 or Q7
        #[arg(value_parser = parse_q)]
        id: i64,
    },
}

/// A quarantine number: `7` or `Q7`.
pub fn parse_q(s: &str) -> Result<i64, String> {
    s.trim()
        .trim_start_matches(['Q', 'q'])
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("`{s}` is not a quarantine number like 7 or Q7"))
}

#[derive(Serialize)]
struct Row {
    id: String,
    status: String,
    received: String,
    size: i64,
    case: String,
    reason: String,
}

fn row(h: &Held, ctx: &Ctx) -> Row {
    Row {
        id: format!("Q{}", h.id),
        status: h.status.to_string(),
        received: short_time(h.received_at, ctx.display_tz()),
        size: h.size,
        case: h.case_id.map(|c| format!("#{c}")).unwrap_or_default(),
        reason: h.reason.clone(),
    }
}

fn get(ctx: &Ctx, id: i64) -> Result<Held> {
    quarantine::get(ctx.store()?.db(), id)?.ok_or_else(|| {
        error::user(format!(
            "no quarantined message `Q{id}`: see `casebook quarantine list --all`"
        ))
    })
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    match &args.command {
        QuarantineCommand::List { all, shape } => {
            let held = quarantine::list(ctx.store()?.db(), *all)?;
            if held.is_empty() && ctx.format == Format::Table {
                ctx.note("nothing in quarantine");
                return Ok(());
            }
            let rows: Vec<Row> = held.iter().map(|h| row(h, ctx)).collect();
            crate::cmd::print_rows_shaped(ctx, shape, &rows)
        }
        QuarantineCommand::Show { id, raw } => {
            let h = get(ctx, *id)?;
            let bytes = quarantine::raw(ctx.store()?.db(), *id)?.unwrap_or_default();
            let mut out = ctx.out();
            if *raw {
                out.write_all(&bytes)?;
                return Ok(());
            }
            if ctx.format == Format::Json {
                crate::render::json(&mut out, &h)?;
                return Ok(());
            }
            writeln!(
                out,
                "Q{}  {}  {} bytes  received {}",
                h.id,
                h.status,
                h.size,
                short_time(h.received_at, ctx.display_tz())
            )?;
            if let Some(c) = h.case_id {
                writeln!(out, "case: #{c}")?;
            }
            writeln!(out, "reason: {}\n", h.reason)?;
            out.write_all(&bytes)?;
            if !bytes.ends_with(b"\n") {
                writeln!(out)?;
            }
            Ok(())
        }
        QuarantineCommand::Retry {
            id,
            dry_run,
            explain,
        } => {
            get(ctx, *id)?;
            let store = ctx.store()?;
            let mut p = Pipeline::new(&ctx.settings, &ctx.announcer);
            p.explain = *explain;
            let d = ingest::retry_held(store, &p, *id, *dry_run)?;
            let mut out = ctx.out();
            if ctx.format == Format::Json {
                serde_json::to_writer(&mut out, &d)?;
                writeln!(out)?;
                return Ok(());
            }
            if *explain {
                for s in &d.steps {
                    writeln!(out, "  {:<14} {}", format!("{}:", s.step), s.decision)?;
                }
            }
            let suffix = if *dry_run {
                " (dry run: nothing stored)"
            } else {
                ""
            };
            writeln!(out, "Q{id}: {}{suffix}", d.outcome.line())?;
            Ok(())
        }
        QuarantineCommand::Drop { id } => {
            let h = get(ctx, *id)?;
            let store = ctx.store()?;
            let dropped = store
                .write(|tx| -> Result<bool> { Ok(quarantine::drop_held(tx, *id, ctx.now)?) })?;
            if !dropped {
                return Err(error::user(format!(
                    "`Q{id}` is {} already: only held messages can be dropped",
                    h.status
                )));
            }
            writeln!(
                ctx.out(),
                "dropped Q{id} (kept in the database: `casebook quarantine show Q{id}`)"
            )?;
            Ok(())
        }
    }
}
