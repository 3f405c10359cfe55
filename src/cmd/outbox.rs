use std::io::Write;

use crate::domain::case::CaseNumber;
use anyhow::Result;
use clap::Subcommand;

use crate::cmd::{parse_case_number, print_rows};
use crate::ctx::Ctx;
use crate::domain::states::{DeliveryResult, OutboxStatus};
use crate::error;
use crate::render::{self, short_time, Format};
use crate::store::outbox::{self as box_store, OutboxEntry, OutboxFilter};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: OutboxCommand,
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// List outgoing messages [default: queued and failed ones]
    List {
        /// Only messages with this status: queued, sent, failed, dropped (repeatable)
        #[arg(long, value_parser = parse_status)]
        status: Vec<OutboxStatus>,
        /// Every message, sent and dropped ones too
        #[arg(long, conflicts_with = "status")]
        all: bool,
        /// Only messages about this case
        #[arg(long, value_parser = parse_case_number)]
        case: Option<CaseNumber>,
    },
    /// Show one message: its state and the message as stored
    Show {
        /// The outbox id (see `casebook outbox list`)
        id: i64,
        /// Print only the raw message, byte for byte
        #[arg(long)]
        raw: bool,
    },
    /// Deliver queued messages that are due (for cron; safe next to ingest)
    Flush {
        /// Deliver at most this many messages
        #[arg(long, default_value_t = 500)]
        limit: usize,
        /// Print nothing unless a message failed or stays queued (for cron, which mails any output)
        #[arg(long, short)]
        quiet: bool,
    },
    /// Never send a queued or failed message
    Drop {
        /// The outbox id
        id: i64,
    },
    /// Queue a failed or dropped message again, due now
    Retry {
        /// The outbox id
        id: i64,
    },
}

fn parse_status(s: &str) -> Result<OutboxStatus, String> {
    let s = s.trim().to_ascii_lowercase();
    OutboxStatus::parse_stored(&s).map_err(|_| {
        let names: Vec<&str> = OutboxStatus::ALL.iter().map(|s| s.as_str()).collect();
        format!("unknown status `{s}`: use one of {}", names.join(", "))
    })
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    match &args.command {
        OutboxCommand::List { status, all, case } => list(ctx, status, *all, *case),
        OutboxCommand::Show { id, raw } => show(ctx, *id, *raw),
        OutboxCommand::Flush { limit, quiet } => flush(ctx, *limit, *quiet),
        OutboxCommand::Drop { id } => drop_message(ctx, *id),
        OutboxCommand::Retry { id } => retry(ctx, *id),
    }
}

fn entry(ctx: &Ctx, id: i64) -> Result<OutboxEntry> {
    box_store::get(ctx.store()?.db(), id)?.ok_or_else(|| {
        error::user(format!(
            "no outgoing message `{id}`: see `casebook outbox list --all`"
        ))
    })
}

fn list(ctx: &Ctx, status: &[OutboxStatus], all: bool, case: Option<CaseNumber>) -> Result<()> {
    let statuses = if all {
        Vec::new()
    } else if status.is_empty() {
        vec![
            OutboxStatus::Queued,
            OutboxStatus::Sending,
            OutboxStatus::Failed,
        ]
    } else {
        status.to_vec()
    };
    let rows = box_store::list(ctx.store()?.db(), &OutboxFilter { statuses, case })?;
    if rows.is_empty() && matches!(ctx.format, Format::Table | Format::Text) {
        ctx.note("no outgoing messages (`--all` shows sent and dropped ones too)");
        return Ok(());
    }
    match ctx.format {
        Format::Table | Format::Text => {
            let short: Vec<ListRow> = rows.iter().map(ListRow::from).collect();
            print_rows(ctx, &short)
        }
        _ => print_rows(ctx, &rows),
    }
}

/// A listing row for people: the columns that fit a terminal.
#[derive(serde::Serialize)]
struct ListRow {
    id: i64,
    status: String,
    kind: String,
    case: String,
    to: String,
    subject: String,
    tries: i64,
    next_try: Option<chrono::DateTime<chrono::Utc>>,
    error: String,
}

impl From<&OutboxEntry> for ListRow {
    fn from(e: &OutboxEntry) -> Self {
        ListRow {
            id: e.id,
            status: e.status.to_string(),
            kind: e.kind.to_string(),
            case: e.case.map(|c| format!("#{c}")).unwrap_or_default(),
            to: e.recipient.clone(),
            subject: e.subject.clone(),
            tries: e.attempts,
            next_try: e.next_attempt_at,
            error: e.last_error.clone().unwrap_or_default(),
        }
    }
}

fn show(ctx: &Ctx, id: i64, raw_only: bool) -> Result<()> {
    let e = entry(ctx, id)?;
    let raw = box_store::raw(ctx.store()?.db(), id)?.unwrap_or_default();
    let mut out = ctx.out();
    if raw_only {
        out.write_all(&raw)?;
        return Ok(());
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    match ctx.format {
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Shown<'a> {
                #[serde(flatten)]
                entry: &'a OutboxEntry,
                raw: &'a str,
            }
            render::json(
                &mut out,
                &Shown {
                    entry: &e,
                    raw: &text,
                },
            )
        }
        Format::Csv => render::rows(&mut out, &ctx.view(), std::slice::from_ref(&e)),
        _ => {
            let tz = ctx.display_tz();
            let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
                t.map(|t| short_time(t, tz)).unwrap_or_default()
            };
            let pairs = vec![
                ("id".to_string(), e.id.to_string()),
                ("status".into(), e.status.to_string()),
                ("kind".into(), e.kind.to_string()),
                (
                    "case".into(),
                    e.case.map(|c| format!("#{c}")).unwrap_or_default(),
                ),
                ("recipient".into(), e.recipient.clone()),
                ("subject".into(), e.subject.clone()),
                ("message id".into(), format!("<{}>", e.message_id)),
                ("attempts".into(), e.attempts.to_string()),
                ("next attempt".into(), time(e.next_attempt_at)),
                (
                    "last error".into(),
                    e.last_error.clone().unwrap_or_default(),
                ),
                ("created".into(), time(Some(e.created_at))),
                ("sent".into(), time(e.sent_at)),
            ];
            write!(
                out,
                "{}",
                render::table::pairs(&pairs, render::terminal_width())
            )?;
            if !text.is_empty() {
                writeln!(out, "\n{}", text.replace("\r\n", "\n").trim_end())?;
            }
            Ok(())
        }
    }
}

fn flush(ctx: &Ctx, limit: usize, quiet: bool) -> Result<()> {
    let outcomes = crate::desk::delivery::flush(ctx.store()?, &ctx.settings, None, limit)?;
    let count = |r: DeliveryResult| outcomes.iter().filter(|o| o.result == r).count();
    if quiet {
        for o in outcomes
            .iter()
            .filter(|o| matches!(o.result, DeliveryResult::Retry | DeliveryResult::Failed))
        {
            let what = if o.result == DeliveryResult::Retry {
                "stays queued"
            } else {
                "failed"
            };
            ctx.note(&format!(
                "casebook: mail {} to {} {what}: {}",
                o.id, o.recipient, o.detail
            ));
        }
        return Ok(());
    }
    if outcomes.is_empty() && matches!(ctx.format, Format::Table | Format::Text) {
        ctx.note("nothing due in the outbox");
        return Ok(());
    }
    print_rows(ctx, &outcomes)?;
    if !outcomes.is_empty() {
        ctx.note(&format!(
            "sent {}, retrying {}, failed {}, dropped {}",
            count(DeliveryResult::Sent),
            count(DeliveryResult::Retry),
            count(DeliveryResult::Failed),
            count(DeliveryResult::Dropped)
        ));
    }
    Ok(())
}

fn drop_message(ctx: &Ctx, id: i64) -> Result<()> {
    let e = entry(ctx, id)?;
    if !matches!(e.status, OutboxStatus::Queued | OutboxStatus::Failed) {
        return Err(error::user(format!(
            "outgoing message `{id}` is {}: only queued or failed messages can be dropped",
            e.status
        )));
    }
    let who = ctx.user.clone().unwrap_or_else(|| "someone".into());
    let why = format!(
        "dropped by {who} at {}",
        short_time(ctx.now, ctx.display_tz())
    );
    ctx.store()?
        .write(|tx| box_store::mark_final(tx, id, OutboxStatus::Dropped, &why))?;
    writeln!(ctx.out(), "dropped message {id} to {}", e.recipient)?;
    Ok(())
}

fn retry(ctx: &Ctx, id: i64) -> Result<()> {
    let e = entry(ctx, id)?;
    let now = ctx.now;
    let raw_empty = box_store::raw(ctx.store()?.db(), id)?.is_none_or(|r| r.is_empty());
    if raw_empty {
        return Err(error::user(format!(
            "outgoing message `{id}` was never built ({}): it cannot be sent",
            e.last_error.unwrap_or_default()
        )));
    }
    let requeued = ctx.store()?.write(|tx| box_store::requeue(tx, id, now))?;
    if !requeued {
        return Err(error::user(format!(
            "outgoing message `{id}` is {}: only failed or dropped messages can be retried",
            e.status
        )));
    }
    ctx.announcer.queued(&e.message_id);
    writeln!(ctx.out(), "queued message {id} to {} again", e.recipient)?;
    Ok(())
}
