//! The owner report as one self-contained HTML page: inline styles only (mail
//! clients drop style sheets and scripts), every value escaped.

use std::fmt::Write;

use chrono_tz::Tz;
use html_escape::encode_text as esc;

use super::short_time;
use crate::desk::report::{OwnerGroup, Report};
use crate::domain::sla::format_business_minutes as business_minutes_text;

const FONT: &str = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif";
const RED: &str = "#b42318";
const MUTED: &str = "#667085";
const LINE: &str = "#e4e7ec";

/// The whole page.
pub fn report(r: &Report, tz: Tz) -> String {
    let mut h = String::new();
    let when = r.generated_at.with_timezone(&tz);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n</head>\n\
         <body style=\"margin:0;padding:16px;background:#f5f6f8;color:#101828;{FONT};font-size:14px;line-height:1.45\">\n\
         <div style=\"max-width:1040px;margin:0 auto;background:#ffffff;border:1px solid {LINE};border-radius:8px;padding:20px 22px\">\n\
         <h1 style=\"margin:0 0 4px;font-size:22px;font-weight:600\">{title}</h1>\n\
         <p style=\"margin:0 0 20px;color:{MUTED}\">{date} ({zone})</p>\n",
        title = esc(&r.title),
        date = esc(&when.format("%A %-d %B %Y, %H:%M").to_string()),
        zone = esc(&r.timezone),
    );
    summary(&mut h, r);
    if r.owners.is_empty() {
        h.push_str("<p style=\"color:#667085\">No open cases created by staff.</p>\n");
    } else {
        totals(&mut h, r);
        for g in &r.owners {
            owner_section(&mut h, g, tz);
        }
    }
    let _ = write!(
        h,
        "<p style=\"margin:24px 0 0;color:{MUTED};font-size:12px\">Times are local to {zone}. \
         Lateness counts business hours only. Sent by casebook.</p>\n</div>\n</body>\n</html>\n",
        zone = esc(&r.timezone)
    );
    h
}

fn summary(h: &mut String, r: &Report) {
    let s = &r.summary;
    let tile = |h: &mut String, label: &str, n: usize, alert: bool| {
        let color = if alert && n > 0 { RED } else { "#101828" };
        let _ = writeln!(
            h,
            "<td style=\"padding:12px 16px;border:1px solid {LINE};border-radius:6px;background:#fafbfc\">\
             <div style=\"font-size:24px;font-weight:600;color:{color}\">{n}</div>\
             <div style=\"color:{MUTED};font-size:12px;text-transform:uppercase;letter-spacing:.04em\">{label}</div></td>"
        );
    };
    h.push_str(
        "<table role=\"presentation\" cellspacing=\"8\" cellpadding=\"0\" style=\"border-collapse:separate;margin:0 -8px 16px\"><tr>\n",
    );
    tile(h, "open", s.open, false);
    tile(h, "overdue", s.overdue, true);
    tile(h, "due later today", s.due_today, false);
    tile(h, "owners", s.owners, false);
    tile(h, "in the queue", s.in_queue, false);
    h.push_str("</tr></table>\n");
}

fn th(h: &mut String, label: &str, right: bool) {
    let align = if right { "right" } else { "left" };
    let _ = write!(
        h,
        "<th style=\"text-align:{align};padding:6px 8px;border-bottom:2px solid {LINE};color:{MUTED};font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;white-space:nowrap\">{label}</th>"
    );
}

fn td_style(right: bool) -> String {
    let align = if right { "right" } else { "left" };
    format!("text-align:{align};padding:6px 8px;border-bottom:1px solid {LINE};vertical-align:top;font-size:13px")
}

fn totals(h: &mut String, r: &Report) {
    h.push_str("<h2 style=\"margin:8px 0 8px;font-size:16px;font-weight:600\">By owner</h2>\n");
    h.push_str("<table cellspacing=\"0\" cellpadding=\"0\" style=\"border-collapse:collapse;margin-bottom:8px;min-width:360px\">\n<tr>");
    th(h, "owner", false);
    th(h, "open", true);
    th(h, "overdue", true);
    h.push_str("</tr>\n");
    for g in &r.owners {
        let over = if g.overdue > 0 {
            format!(
                "<span style=\"color:{RED};font-weight:600\">{}</span>",
                g.overdue
            )
        } else {
            "0".to_string()
        };
        let _ = writeln!(
            h,
            "<tr><td style=\"{l}\"><a href=\"#{anchor}\" style=\"color:#175cd3;text-decoration:none\">{label}</a></td>\
             <td style=\"{r}\">{open}</td><td style=\"{r}\">{over}</td></tr>",
            l = td_style(false),
            r = td_style(true),
            anchor = anchor(g),
            label = esc(&g.label()),
            open = g.open,
        );
    }
    h.push_str("</table>\n");
}

fn anchor(g: &OwnerGroup) -> String {
    match &g.owner {
        Some(o) => format!(
            "owner-{}",
            o.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect::<String>()
        ),
        None => "queue".into(),
    }
}

fn owner_section(h: &mut String, g: &OwnerGroup, tz: Tz) {
    let over = if g.overdue > 0 {
        format!("<span style=\"color:{RED}\">{} overdue</span>", g.overdue)
    } else {
        "0 overdue".into()
    };
    let _ = writeln!(
        h,
        "<h2 id=\"{anchor}\" style=\"margin:28px 0 8px;font-size:16px;font-weight:600\">{label} \
         <span style=\"font-weight:400;color:{MUTED};font-size:14px\">{open} open, {over}</span></h2>",
        anchor = anchor(g),
        label = esc(&g.label()),
        open = g.open,
    );
    h.push_str("<table cellspacing=\"0\" cellpadding=\"0\" style=\"border-collapse:collapse;width:100%\">\n<tr>");
    for (label, right) in [
        ("case", false),
        ("subject", false),
        ("account", false),
        ("creator", false),
        ("status", false),
        ("priority", false),
        ("opened", false),
        ("next due", false),
    ] {
        th(h, label, right);
    }
    h.push_str("</tr>\n");
    for c in &g.cases {
        let l = td_style(false);
        let nowrap = format!("{l};white-space:nowrap");
        let due = match (c.next_due, c.late_business_minutes) {
            (None, _) => "&ndash;".to_string(),
            (Some(d), None) => esc(&short_time(d, tz)).into_owned(),
            (Some(d), Some(m)) => format!(
                "<span style=\"color:{RED};font-weight:600\">{}</span><br><span style=\"color:{RED};font-size:12px\">{} late</span>",
                esc(&short_time(d, tz)),
                esc(&business_minutes_text(m))
            ),
        };
        let row_bg = if c.overdue { "background:#fef3f2;" } else { "" };
        let _ = writeln!(
            h,
            "<tr style=\"{row_bg}\"><td style=\"{nowrap};font-weight:600\">#{n}</td><td style=\"{l}\">{subject}</td>\
             <td style=\"{l}\">{account}</td><td style=\"{l}\">{creator}</td><td style=\"{l}\">{status}</td>\
             <td style=\"{nowrap}\">{priority}</td><td style=\"{nowrap}\">{opened}</td><td style=\"{nowrap}\">{due}</td></tr>",
            n = c.number,
            subject = esc(&c.subject),
            account = esc(c.account.as_deref().unwrap_or("–")),
            creator = esc(c.creator.as_deref().unwrap_or("–")),
            status = esc(c.status.label()),
            priority = esc(c.priority.label()),
            opened = c.opened_at.with_timezone(&tz).format("%Y-%m-%d"),
        );
    }
    h.push_str("</table>\n");
}
