//! The owner report as one self-contained HTML page: one style sheet in the
//! head (mail clients keep it; no scripts, no remote content), every value
//! escaped, readable from a phone (420 px) to a desktop.

use std::fmt::Write;

use chrono_tz::Tz;
use html_escape::encode_text as esc;

use super::short_time;
use crate::desk::report::{OwnerGroup, Report, ReportCase};
use crate::domain::case::Priority;
use crate::domain::sla::lateness_text;

/// What the page links and how much it lists (from `[report]`).
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// `{number}` is replaced by the case number.
    pub case_url: Option<&'a str>,
    /// Most cases per owner; the rest are counted ("and N more").
    pub per_owner: usize,
}

/// The page's style sheet: classes keep each row small (a mail is clipped
/// above about 100 KB), and on a narrow screen (a phone's mail app) each
/// case stacks into lines, next due and priority among the first.
const STYLE: &str = "body{margin:0;padding:12px;background:#f5f6f8;color:#101828;\
font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:14px;line-height:1.45}\
.w{max-width:1040px;margin:0 auto;background:#fff;border:1px solid #e4e7ec;border-radius:8px;padding:16px 18px}\
h1{margin:0 0 4px;font-size:20px;font-weight:600}h2{margin:20px 0 8px;font-size:16px;font-weight:600}\
.m{color:#667085}.t{display:inline-block;margin:0 8px 8px 0;padding:8px 12px;border:1px solid #e4e7ec;border-radius:6px;background:#fafbfc}\
.t b{display:block;font-size:22px}.t span{color:#667085;font-size:12px;text-transform:uppercase}\
table{border-collapse:collapse}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e4e7ec;vertical-align:top;font-size:13px}\
th{color:#667085;font-size:12px;font-weight:600;text-transform:uppercase}.r{text-align:right}\
.c{width:100%;table-layout:fixed}.c td:first-child{font-weight:600;white-space:nowrap}\
.c td:nth-child(2),.c td:nth-child(7){overflow-wrap:anywhere}\
.g th{padding-top:18px;color:#101828;font-size:15px;text-transform:none;border-bottom:2px solid #e4e7ec}\
.o td{background:#fef3f2}.l{color:#b42318;font-weight:600}.u{color:#6941c6;font-weight:600}a{color:#175cd3;text-decoration:none}\
@media (max-width:600px){.c,.c tbody,.c tr,.c td,.c th{display:block;width:auto}.c thead,.c col{display:none}\
.c tr{border-bottom:1px solid #e4e7ec;padding:6px 0}.c td{border:0;padding:1px 4px}\
.c td:nth-child(1),.c td:nth-child(2){display:inline}.c td:nth-child(2){font-weight:600}\
.c td:nth-child(n+3):before{color:#667085}.c td:nth-child(3):before{content:'Next due: '}\
.c td:nth-child(4):before{content:'Priority: '}.c td:nth-child(5):before{content:'Status: '}\
.c td:nth-child(6):before{content:'Age: '}.c td:nth-child(7):before{content:'Account: '}\
.c td:nth-child(8):before{content:'Creator: '}.c .g th{padding:14px 4px 4px}.c .x td:before{content:none}}";

/// The columns of the case table, with their widths on a wide screen.
const COLUMNS: [(&str, &str); 8] = [
    ("case", "64px"),
    ("subject", "auto"),
    ("next due", "150px"),
    ("priority", "100px"),
    ("status", "120px"),
    ("age", "52px"),
    ("account", "20%"),
    ("creator", "88px"),
];

/// The whole page.
pub fn report(r: &Report, tz: Tz, opts: &Options<'_>) -> String {
    let mut h = String::new();
    let when = r.generated_at.with_timezone(&tz);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<div class=\"w\">\n\
         <h1>{title}</h1>\n<p class=\"m\">{date} ({zone})</p>\n",
        title = esc(&r.title),
        date = esc(&when.format("%A %-d %B %Y, %H:%M").to_string()),
        zone = esc(&r.timezone),
    );
    summary(&mut h, r);
    if r.owners.is_empty() {
        h.push_str("<p class=\"m\">No open cases created by staff.</p>\n");
    } else {
        totals(&mut h, r);
        cases(&mut h, r, tz, opts);
    }
    let _ = write!(
        h,
        "<p class=\"m\" style=\"font-size:12px\">Times are local to {zone}. \
         Lateness and age count business time only. Sent by casebook.</p>\n</div>\n</body>\n</html>\n",
        zone = esc(&r.timezone)
    );
    h
}

fn summary(h: &mut String, r: &Report) {
    let s = &r.summary;
    let mut tile = |label: &str, n: usize, alert: bool| {
        let class = if alert && n > 0 { " class=\"l\"" } else { "" };
        let _ = writeln!(
            h,
            "<div class=\"t\"><b{class}>{n}</b><span>{label}</span></div>"
        );
    };
    tile("open", s.open, false);
    tile("overdue", s.overdue, true);
    tile("due later today", s.due_today, false);
    tile("owners", s.owners, false);
    tile("in the queue", s.in_queue, false);
}

fn totals(h: &mut String, r: &Report) {
    h.push_str("<h2>By owner</h2>\n<table>\n<tr><th>owner</th><th class=\"r\">open</th><th class=\"r\">overdue</th></tr>\n");
    for g in &r.owners {
        let over = if g.overdue > 0 {
            format!("<span class=\"l\">{}</span>", g.overdue)
        } else {
            "0".to_string()
        };
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#{anchor}\">{label}</a></td><td class=\"r\">{open}</td><td class=\"r\">{over}</td></tr>",
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

/// One table for every owner, so that the columns line up down the page;
/// each owner's cases under a heading row, at most `opts.per_owner` of them.
fn cases(h: &mut String, r: &Report, tz: Tz, opts: &Options<'_>) {
    h.push_str("<h2>Cases</h2>\n<table class=\"c\">\n<colgroup>");
    for (_, width) in COLUMNS {
        let _ = write!(h, "<col style=\"width:{width}\">");
    }
    h.push_str("</colgroup>\n<thead><tr>");
    for (label, _) in COLUMNS {
        let _ = write!(h, "<th>{label}</th>");
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for g in &r.owners {
        let over = if g.overdue > 0 {
            format!("<span class=\"l\">{} overdue</span>", g.overdue)
        } else {
            "0 overdue".into()
        };
        let _ = writeln!(
            h,
            "<tr class=\"g\"><th colspan=\"8\" id=\"{anchor}\">{label} <span class=\"m\">{open} open, {over}</span></th></tr>",
            anchor = anchor(g),
            label = esc(&g.label()),
            open = g.open,
        );
        for c in g.cases.iter().take(opts.per_owner) {
            case_row(h, c, tz, opts);
        }
        let more = g.cases.len().saturating_sub(opts.per_owner);
        if more > 0 {
            let _ = writeln!(
                h,
                "<tr class=\"x\"><td colspan=\"8\" class=\"m\">and {more} more (the plain-text part lists every case)</td></tr>"
            );
        }
    }
    h.push_str("</tbody></table>\n");
}

fn case_row(h: &mut String, c: &ReportCase, tz: Tz, opts: &Options<'_>) {
    let number = match opts.case_url {
        Some(url) => format!(
            "<a href=\"{}\">#{}</a>",
            html_escape::encode_double_quoted_attribute(
                &url.replace("{number}", &c.number.to_string())
            ),
            c.number
        ),
        None => format!("#{}", c.number),
    };
    let due = match (c.next_due, c.late_business_minutes) {
        (None, _) => "&ndash;".to_string(),
        (Some(d), None) => esc(&short_time(d, tz)).into_owned(),
        (Some(d), Some(m)) => format!(
            "<span class=\"l\">{} ({} late)</span>",
            esc(&short_time(d, tz)),
            esc(&lateness_text(m))
        ),
    };
    let urgent = matches!(
        c.priority,
        Priority::Expedited | Priority::P1 | Priority::P2
    );
    let _ = writeln!(
        h,
        "<tr{row}><td>{number}</td><td>{subject}</td><td>{due}</td><td{pclass}>{priority}</td><td>{status}</td><td>{age}d</td><td>{account}</td><td>{creator}</td></tr>",
        row = if c.overdue { " class=\"o\"" } else { "" },
        subject = esc(&c.subject),
        pclass = if urgent { " class=\"u\"" } else { "" },
        priority = esc(c.priority.label()),
        status = esc(c.status.label()),
        age = c.age_business_days,
        account = esc(c.account.as_deref().unwrap_or("–")),
        creator = esc(c.creator.as_deref().unwrap_or("–")),
    );
}
