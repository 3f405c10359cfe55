//! Tables with tabled, fitted to a width.

use serde_json::Value;
use tabled::builder::Builder;
use tabled::settings::peaker::Priority;
use tabled::settings::{Style, Width};

use super::{cell, short_time, terminal_text, View};

/// Renders objects as a table whose columns are the objects' keys. A `number`
/// column is shown as the case tag `#N`; RFC 3339 times are shortened to the view's zone.
pub fn render(values: &[Value], view: &View) -> String {
    let mut builder = Builder::default();
    if let Some(Value::Object(first)) = values.first() {
        builder.push_record(first.keys().map(|k| {
            if k == "number" {
                "case".into()
            } else {
                k.replace('_', " ")
            }
        }));
    }
    for v in values {
        if let Value::Object(map) = v {
            builder.push_record(map.iter().map(|(k, v)| match v {
                Value::Number(n) if k == "number" => format!("#{n}"),
                Value::String(s) => match chrono::DateTime::parse_from_rfc3339(s) {
                    Ok(t) => short_time(t.to_utc(), view.tz),
                    Err(_) => one_line(s),
                },
                _ => one_line(&cell(v)),
            }));
        }
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    if let Some(w) = view.width {
        table.with(Width::truncate(w).suffix("…").priority(Priority::max(true)));
    }
    format!("{table}\n")
}

/// Key/value pairs as a two-column table (for `show`).
pub fn pairs(pairs: &[(String, String)], width: Option<usize>) -> String {
    let mut builder = Builder::default();
    for (k, v) in pairs {
        builder.push_record([k.clone(), terminal_text(v).into_owned()]);
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    if let Some(w) = width {
        table.with(Width::wrap(w).priority(Priority::max(true)));
    }
    format!("{table}\n")
}

fn one_line(s: &str) -> String {
    terminal_text(&s.replace(['\r', '\n', '\t'], " ")).into_owned()
}
