use crate::domain::case::CaseNumber;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::desk::change::{self, Change};
use crate::desk::notify::{self, Outgoing};
use crate::domain::case::{Case, Status};
use crate::domain::rules::Via;
use crate::domain::states::{ContactMethod, ContactOutcome, DeliveryResult, OutboxKind};
use crate::error;
use crate::mail::outbound::{Attachment, Mailbox};
use crate::store::{activity, outbox as box_store};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,
    /// The message text
    #[arg(long, conflicts_with = "body_file")]
    pub body: Option<String>,
    /// Read the message text from FILE (`-` reads standard input)
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
    /// Attach FILE (repeat for more)
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// The subject [default: Re: <the case's subject>]
    #[arg(long)]
    pub subject: Option<String>,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    let Some(contact) = case.contact_email.clone().filter(|e| !e.trim().is_empty()) else {
        return Err(error::user(format!(
            "case `#{}` has no contact email to reply to; call the contact and record it with `casebook log {} --method phone`",
            case.number, case.number
        )));
    };
    if case.status.is_closed() {
        return Err(error::user(format!(
            "case `#{}` is `{}`: reopen it first (`casebook reopen {}`), then reply",
            case.number, case.status, case.number
        )));
    }
    let conn = ctx.store()?.db();
    if let Some(why) = notify::refusal(&ctx.desk(conn), &contact)? {
        return Err(error::user(format!(
            "not mailing the contact of `#{}`: {why}",
            case.number
        )));
    }
    let attachments = args
        .attach
        .iter()
        .map(|p| read_attachment(p))
        .collect::<Result<Vec<_>>>()?;
    let subject = args
        .subject
        .clone()
        .unwrap_or_else(|| format!("Re: {}", case.subject));
    let body = match (&args.body, &args.body_file) {
        (Some(b), _) => b.clone(),
        (None, Some(f)) => read_body_file(f)?,
        (None, None) => from_editor(&case, &contact, &subject)?,
    };
    if body.trim().is_empty() {
        return Err(error::user(format!(
            "the reply to `#{}` is empty: nothing was sent; write the message with `--body`, `--body-file` or in your editor",
            case.number
        )));
    }
    let body = format!("{}\n", body.trim_end());

    let desk = &ctx.config.mail.from_name;
    let mut out = Outgoing::new(
        OutboxKind::Reply,
        Some(case.number),
        match &case.contact_name {
            Some(n) if !n.trim().is_empty() => Mailbox::named(n.clone(), contact.clone()),
            _ => Mailbox::new(contact.clone()),
        },
        &subject,
        body.clone(),
    );
    out.attachments = attachments;
    // A person wrote this: it is not marked as machine mail (design.md, Outgoing mail).
    out.auto_submitted = crate::mail::outbound::AutoSubmitted::PersonWritten;
    out.from_name = Some(format!("{} via {desk}", actor.name));
    let now = ctx.now;
    let number = case.number;
    // The same bookkeeping as `log --method email --outcome sent`, through the one change path.
    let mut change = Change {
        first_contact_at: Some(case.first_contact_at.map_or(now, |f| f.min(now))),
        last_contact_at: Some(case.last_contact_at.map_or(now, |l| l.max(now))),
        events: vec![("email".into(), None, Some(format!("to {contact}")))],
        summary: Some(format!("emailed the contact {contact}")),
        note: Some(body.clone()),
        ..Change::default()
    };
    if case.status == Status::New {
        change::check(&case, Status::InProgress, Via::Work)?;
        change.status = Some(Status::InProgress);
        change.via = Some(Via::Work);
        change.summary = Some(format!(
            "emailed the contact {contact}; status: New → In Progress"
        ));
    }
    let (queued, after) = ctx.store()?.write(|tx| -> Result<_> {
        out.in_reply_to = match box_store::last_inbound_message_id(tx, number, Some(&contact))? {
            Some(id) => Some(id),
            None => box_store::last_inbound_message_id(tx, number, None)?,
        };
        let queued = notify::queue(&ctx.desk(tx), &out)?;
        if let Some(why) = &queued.dropped {
            return Err(error::user(format!("not mailing `{contact}`: {why}")));
        }
        activity::add_attempt(
            tx,
            number,
            &activity::ContactAttempt {
                at: now,
                actor: Some(actor.handle.clone()),
                method: ContactMethod::Email,
                outcome: ContactOutcome::Sent,
                note: Some(format!("reply <{}>", queued.message_id)),
            },
        )?;
        let after = change::apply(&ctx.desk(tx), number, Some(&actor.handle), change)?;
        Ok((queued, after))
    })?;

    let outcomes =
        crate::desk::delivery::deliver_queued(ctx.store()?, &ctx.settings, &ctx.announcer);
    let line = match outcomes
        .iter()
        .find(|o| o.id == queued.id)
        .map(|o| (o.result, o.detail.as_str()))
    {
        Some((DeliveryResult::Sent, _)) => {
            format!("emailed {contact} on #{number} <{}>", queued.message_id)
        }
        Some((DeliveryResult::Dropped, why)) => format!(
            "kept the reply to {contact} on #{number} as outbox message {}, not sent: {why}",
            queued.id
        ),
        _ => format!(
            "queued the reply to {contact} on #{number} as outbox message {} <{}>",
            queued.id, queued.message_id
        ),
    };
    crate::cmd::print_case(ctx, &after, &line)
}

fn read_body_file(path: &Path) -> Result<String> {
    if path == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read the message from standard input")?;
        return Ok(s);
    }
    std::fs::read_to_string(path).with_context(|| {
        format!(
            "cannot read the message file `{}`: check the path",
            path.display()
        )
    })
}

fn read_attachment(path: &Path) -> Result<Attachment> {
    let bytes = std::fs::read(path).map_err(|e| {
        error::user(format!(
            "cannot attach `{}`: {e}; check the path",
            path.display()
        ))
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "attachment".into());
    Ok(Attachment {
        content_type: content_type(&name).into(),
        name,
        bytes,
    })
}

/// A MIME type from a file name's extension.
fn content_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "htm" | "html" => "text/html",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "zip" => "application/zip",
        "json" => "application/json",
        "eml" => "message/rfc822",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// Lines at the top of the editor file that are dropped when it is read back.
fn template(case: &Case, contact: &str, subject: &str) -> String {
    format!(
        "# Reply to case #{} for {contact}\n\
         # Subject: {}\n\
         # Write the message below. Lines starting with '#' up here are ignored;\n\
         # an empty message aborts the reply.\n\n",
        case.number,
        subject.replace(['\r', '\n'], " ")
    )
}

/// The message without the leading `#` lines of the template.
fn strip_template(text: &str) -> String {
    let mut lines = text.lines().peekable();
    while lines.peek().is_some_and(|l| l.starts_with('#')) {
        lines.next();
    }
    lines.collect::<Vec<_>>().join("\n").trim().to_string()
}

/// The reply as written in the editor below the template.
fn from_editor(case: &Case, contact: &str, subject: &str) -> Result<String> {
    let text = super::edit_in_editor(
        &format!("reply-{}", case.number),
        &template(case, contact, subject),
        "nothing was sent",
    )?;
    let body = strip_template(&text);
    if body.is_empty() {
        return Err(error::user(
            "the reply is empty: nothing was sent (write the message below the `#` lines)",
        ));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_header_is_stripped_and_hashes_below_are_kept() {
        let text = "# a\n# b\n\nHello,\n#42 is fixed.\n";
        assert_eq!(strip_template(text), "Hello,\n#42 is fixed.");
        assert_eq!(strip_template("# only\n# header\n\n"), "");
    }

    #[test]
    fn content_types_come_from_extensions() {
        assert_eq!(content_type("quote.PDF"), "application/pdf");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
