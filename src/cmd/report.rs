//! `casebook report`: the Monday/Thursday owner report of the SOP, printed or mailed.

use std::io::Write;

use anyhow::Result;

use crate::ctx::Ctx;
use crate::error;
use crate::render::{self, Format};
use crate::store::views;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Mail the report (plain text with an HTML alternative) to `[report] recipients`; once per business day
    #[arg(long)]
    pub send: bool,
    /// With --send: mail it even if it was already sent today, or today is not a business day
    #[arg(long, requires = "send")]
    pub force: bool,
    /// With --send: print nothing unless it fails (for cron, which mails any output)
    #[arg(long, short, requires = "send")]
    pub quiet: bool,
    /// Every open case, not only those created by staff (the queue's in their own
    /// section) [default: `report.all_creators` in the config]
    #[arg(long)]
    pub all_creators: bool,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    if args.send {
        return send(args, ctx);
    }
    let report = crate::desk::report::build(
        &ctx.desk(ctx.store()?.db()),
        args.all_creators || ctx.config.report.all_creators,
    )?;
    let view = ctx.view();
    let mut out = ctx.out();
    match ctx.format {
        Format::Table | Format::Text => write!(out, "{}", render::report::text(&report, &view))?,
        Format::Json => render::json(&mut out, &report)?,
        Format::Csv => render::rows(&mut out, &view, &render::report::flat_rows(&report))?,
        Format::Html => write!(
            out,
            "{}",
            render::html::report(&report, view.tz, &html_options(ctx))
        )?,
    }
    Ok(())
}

/// How the HTML page links and caps its cases (`[report]`).
fn html_options(ctx: &Ctx) -> render::html::Options<'_> {
    render::html::Options {
        case_url: ctx.config.report.case_url.as_deref(),
        per_owner: ctx.config.report.html_cases_per_owner.max(1),
    }
}

/// Mails the report once per business day (unless `--force`), recording the send.
fn send(args: &Args, ctx: &Ctx) -> Result<()> {
    let recipients = ctx.config.report.recipients.clone();
    if recipients.is_empty() {
        return Err(error::user(format!(
            "nobody to send the report to: list addresses under `[report] recipients` in `{}`",
            ctx.config_path.display()
        )));
    }
    let cal = ctx.calendar()?;
    let today = cal.local_date(ctx.now);
    let day = today.format("%Y-%m-%d").to_string();
    // The SOP's report goes out on business days: cron's Monday may be a
    // holiday of [calendar], and a Saturday run is a mistake. `[report]
    // when_closed` says whether such a run sends nothing or defers.
    let send_at = if args.force {
        Some(ctx.now)
    } else {
        crate::domain::rules::report_send_at(cal, ctx.now, ctx.config.report.when_closed)
    };
    let Some(send_at) = send_at else {
        say(args, ctx, &format!(
            "{day} is not a business day of the calendar: nothing sent (pass `--force` to send anyway, or set `[report] when_closed = \"next-business-day\"`)"
        ));
        return Ok(());
    };
    // A deferred report is queued as if sent at `send_at`: its Date and its
    // first attempt are then, and `outbox flush` delivers it.
    // The day it goes out names the report and keys the once-a-day check, so
    // a closed weekend's runs and Monday's own make one Monday report.
    let day = cal.local_date(send_at).format("%Y-%m-%d").to_string();
    let later = crate::desk::Settings::new(ctx.config.clone(), ctx.config_path.clone(), send_at);
    let store = ctx.store()?;
    let tz = ctx.display_tz();
    if let Some(at) = views::report_sent_on(store.db(), &day)? {
        if !args.force {
            say(args, ctx, &format!(
                "the owner report for {day} was already sent at {}; nothing sent (pass `--force` to send it again)",
                render::short_time(at, tz)
            ));
            return Ok(());
        }
    }
    let report = crate::desk::report::build(
        &ctx.desk(ctx.store()?.db()),
        args.all_creators || ctx.config.report.all_creators,
    )?;
    let subject = format!("{} ({day})", ctx.config.report.subject);
    let body = render::report::mail_text(&report, tz);
    let html = render::html::report(&report, tz, &html_options(ctx));
    let queued = store.write(|tx| -> Result<Option<String>> {
        // Checked again under the write lock: two crons must not both send.
        if !args.force && views::report_sent_on(tx, &day)?.is_some() {
            return Ok(None);
        }
        let id = crate::desk::notify::queue_mail(
            &crate::desk::Desk::new(tx, &later, &ctx.announcer),
            crate::domain::states::OutboxKind::Report,
            None,
            &recipients,
            &subject,
            &body,
            Some(&html),
        )?;
        views::record_report_send(tx, &day, ctx.now)?;
        Ok(Some(id))
    })?;
    if queued.is_none() {
        say(
            args,
            ctx,
            &format!("the owner report for {day} was just sent by another casebook; nothing sent"),
        );
        return Ok(());
    }
    if args.quiet {
        return Ok(());
    }
    let when = if send_at > ctx.now {
        format!(
            ", to go out at {} (the next business day's opening)",
            render::short_time(send_at, tz)
        )
    } else {
        String::new()
    };
    writeln!(
        ctx.out(),
        "queued the owner report for {day} to {} ({} open cases, {} overdue){when}",
        recipients.join(", "),
        report.summary.open,
        report.summary.overdue
    )?;
    Ok(())
}

/// Why nothing was sent, on stderr, unless `--quiet` (an expected outcome of a
/// cron run: nothing for the admin to do).
fn say(args: &Args, ctx: &Ctx, msg: &str) {
    if !args.quiet {
        ctx.note(msg);
    }
}
