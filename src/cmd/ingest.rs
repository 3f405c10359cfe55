//! `casebook ingest`: inbound mail becomes cases (ARCHITECTURE.md, "The life of one message").

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::ctx::Ctx;
use crate::error::{self, Fail};
use crate::ingest::pipeline::{Decision, Pipeline};
use crate::ingest::{self, Summary};
use crate::mail::parse::MboxMessages;
use crate::render::Format;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Import every message of this mbox file
    #[arg(long, value_name = "FILE", conflicts_with = "maildir")]
    pub mbox: Option<PathBuf>,

    /// Import every message of this maildir (cur/, new/ and Maildir++ subfolders)
    #[arg(long, value_name = "DIR")]
    pub maildir: Option<PathBuf>,

    /// Decide but store nothing: everything is rolled back
    #[arg(long)]
    pub dry_run: bool,

    /// Print each decision and the rule that made it
    #[arg(long)]
    pub explain: bool,

    /// With --mbox/--maildir: print one outcome line per message, not only the summary
    #[arg(long, short)]
    pub verbose: bool,

    /// With --mbox/--maildir: acknowledge and notify as for live mail [default: off, an
    /// import is usually old mail]
    #[arg(long)]
    pub send_mail: bool,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    if args.mbox.is_some() || args.maildir.is_some() {
        return bulk(args, ctx);
    }
    // On the procmail path every failure except bad input is temporary for
    // the MTA: exit 75 keeps the message queued for another try.
    run_inner(args, ctx).map_err(|e| {
        if error::exit_code(&e) == error::EX_DATAERR || error::is_broken_pipe(&e) {
            e
        } else {
            e.context(Fail::Temporary(
                "ingest failed; nothing of this message was kept, so let the MTA retry".into(),
            ))
        }
    })
}

fn run_inner(args: &Args, ctx: &Ctx) -> Result<()> {
    let raw = read_message(ctx.settings.config.desk.max_message_bytes)
        .context("reading the message from stdin")?;
    if raw.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Fail::Data(
            "no message on stdin: nothing was stored (pipe one RFC 5322 message in, or use --mbox/--maildir)".into(),
        )
        .into());
    }
    // A missing database (a typo in CASEBOOK_DB, an unmounted volume) is
    // the MTA's to retry (`run` makes it temporary): nothing is stored where
    // nobody looks.
    let store = ctx.store()?;
    let mut p = Pipeline::new(&ctx.settings, &ctx.announcer);
    p.explain = args.explain;
    // Say what happened only once it is committed.
    let mut decided = Vec::new();
    ingest::run_messages(store, &p, [raw], 1, args.dry_run, |d| {
        decided.push(d.clone());
        Ok(())
    })?;
    for d in &decided {
        print_decision(ctx, args, d, true)?;
    }
    Ok(())
}

/// The message on stdin, held once: a file's length sizes the buffer
/// exactly (a pipe's grows, and the room left over is given back). Past the
/// limit the rest is read too: such a message goes to quarantine whole.
fn read_message(limit: usize) -> std::io::Result<Vec<u8>> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let file_len = std::fs::metadata("/dev/stdin")
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len() as usize);
    let mut raw = Vec::with_capacity(file_len.unwrap_or(64 * 1024).saturating_add(1));
    // Read up to limit + 1 bytes: enough to know the message is over the limit.
    (&mut input).take(limit as u64 + 1).read_to_end(&mut raw)?;
    if raw.len() > limit {
        input.read_to_end(&mut raw)?;
    }
    // Growth may have left room for as much again: give it back.
    raw.shrink_to_fit();
    Ok(raw)
}

fn print_decision(ctx: &Ctx, args: &Args, d: &Decision, line: bool) -> Result<()> {
    let mut out = ctx.out();
    if ctx.format == Format::Json && (args.explain || line) {
        serde_json::to_writer(&mut out, d)?;
        writeln!(out)?;
        return Ok(());
    }
    if args.explain {
        for s in &d.steps {
            // Explanations quote the mail (names, header values): no control characters reach the terminal.
            let decision = crate::render::terminal_text(&s.decision);
            writeln!(out, "  {:<14} {decision}", format!("{}:", s.step))?;
        }
    }
    if line || args.explain {
        let suffix = if args.dry_run {
            " (dry run: nothing stored)"
        } else {
            ""
        };
        writeln!(out, "{}{suffix}", d.outcome.line())?;
    }
    Ok(())
}

fn bulk(args: &Args, ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let mut p = Pipeline::for_a_batch(&ctx.settings, &ctx.announcer);
    p.explain = args.explain;
    // Old mail is history: nobody is acknowledged or notified unless asked.
    ctx.announcer.set_on(args.send_mail);
    let bar = |n: usize| {
        if std::io::stderr().is_terminal() {
            let b = indicatif::ProgressBar::new(n as u64);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} messages {per_sec} eta {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b
        } else {
            indicatif::ProgressBar::hidden()
        }
    };
    let line = args.verbose;
    let summary: Summary = if let Some(mbox) = &args.mbox {
        let data = std::fs::read(mbox)
            .map_err(|e| error::user(format!("cannot read the mbox `{}`: {e}", mbox.display())))?;
        // Split as they are read; counted first only for a progress bar.
        let pb = bar(if std::io::stderr().is_terminal() {
            MboxMessages::new(&data).count()
        } else {
            0
        });
        let s = ingest::import(
            store,
            &p,
            MboxMessages::new(&data),
            ingest::BATCH,
            args.dry_run,
            |d| {
                pb.inc(1);
                print_decision(ctx, args, d, line)
            },
        )?;
        pb.finish_and_clear();
        s
    } else {
        let dir = args.maildir.as_ref().expect("mbox or maildir");
        let files = ingest::maildir_files(dir)?;
        let pb = bar(files.len());
        // An unreadable file stops the import (what came before is kept; a
        // re-run skips it as duplicates) rather than being passed over.
        let unreadable: std::sync::Mutex<Option<anyhow::Error>> = Default::default();
        let msgs = files.into_iter().map_while(|f| match std::fs::read(&f) {
            Ok(raw) => Some(raw),
            Err(e) => {
                let mut first = unreadable.lock().unwrap_or_else(|e| e.into_inner());
                *first = Some(error::user(format!(
                    "cannot read `{}` ({e}): messages before it were imported; fix it and run again (duplicates are skipped)",
                    f.display()
                )));
                None
            }
        });
        let s = ingest::import(store, &p, msgs, ingest::BATCH, args.dry_run, |d| {
            pb.inc(1);
            print_decision(ctx, args, d, line)
        })?;
        pb.finish_and_clear();
        if let Some(e) = unreadable.into_inner().unwrap_or_else(|e| e.into_inner()) {
            writeln!(ctx.out(), "{}", s.line())?;
            return Err(e);
        }
        s
    };
    let mut out = ctx.out();
    if ctx.format == Format::Json {
        serde_json::to_writer(&mut out, &summary)?;
        writeln!(out)?;
    } else {
        let suffix = if args.dry_run {
            " (dry run: nothing stored)"
        } else {
            ""
        };
        writeln!(out, "{}{suffix}", summary.line())?;
    }
    Ok(())
}
