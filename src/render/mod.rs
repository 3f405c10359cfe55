//! One printer for every result: a table that fits the terminal, JSON or CSV.

pub(crate) mod grid;
pub(crate) mod html;
pub(crate) mod report;
pub(crate) mod table;

use std::io::Write;

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Aligned columns for people (the default)
    #[default]
    Table,
    /// Plain text (the same as table for most commands)
    Text,
    /// JSON: an array of objects for listings, one object for `show`
    Json,
    /// CSV with a header row
    Csv,
    /// A self-contained HTML page (`report` only)
    Html,
}

/// How a result is shown: the format, the width tables fit, and the zone times are shown in.
#[derive(Debug, Clone, Copy)]
pub struct View {
    pub format: Format,
    pub width: Option<usize>,
    pub tz: chrono_tz::Tz,
}

/// Prints a listing in the chosen format.
pub fn rows<T: Serialize>(out: &mut impl Write, view: &View, rows: &[T]) -> Result<()> {
    let values: Vec<Value> = rows
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()?;
    match view.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &values)?;
            writeln!(out)?;
        }
        Format::Csv => write_csv(out, &values)?,
        Format::Table | Format::Text => {
            if values.is_empty() {
                return Ok(());
            }
            write!(out, "{}", table::render(&values, view))?;
        }
        Format::Html => anyhow::bail!(crate::error::Fail::User(
            "`--format html` is only for `casebook report`; use table, json or csv".into()
        )),
    }
    Ok(())
}

/// Prints one object as JSON; other formats are the caller's.
pub fn json<T: Serialize>(out: &mut impl Write, value: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

fn write_csv(out: &mut impl Write, values: &[Value]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    if let Some(Value::Object(first)) = values.first() {
        w.write_record(first.keys())?;
    }
    for v in values {
        if let Value::Object(map) = v {
            w.write_record(map.values().map(|v| terminal_text(&cell(v)).into_owned()))?;
        }
    }
    w.flush()?;
    Ok(())
}

pub use crate::domain::calendar::short_time;

/// Text from stored data made safe for a terminal: every control character
/// but newline and tab (ESC, BEL, a lone CR, backspace, C1 controls, DEL) is
/// shown as a visible escape (`\x1b`), so that nothing a mail carries can set
/// a window title, clear the screen, overprint a line or write the
/// clipboard. JSON escapes control characters itself; CSV keeps the data.
pub fn terminal_text(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            let n = c as u32;
            if n <= 0xff {
                out.push_str(&format!("\\x{n:02x}"));
            } else {
                out.push_str(&format!("\\u{{{n:x}}}"));
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A JSON value as one table or CSV cell.
pub fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(", "),
        Value::Object(map) => map.values().map(cell).collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    }
}

/// The width tables must fit: `COLUMNS`, else the terminal's, else unlimited.
pub fn terminal_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|v| v.parse().ok()) {
        return Some(n);
    }
    terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| w.0 as usize)
}

/// The next due time as a table cell: the local time, marked when overdue.
pub fn due_cell(
    next_due: Option<chrono::DateTime<chrono::Utc>>,
    late: Option<i64>,
    tz: chrono_tz::Tz,
) -> String {
    match (next_due, late) {
        (None, _) => "-".into(),
        (Some(d), None) => grid::local_minute(d, tz),
        (Some(d), Some(m)) => format!(
            "{} ({} late)",
            grid::local_minute(d, tz),
            crate::domain::sla::format_business_minutes(m)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_from_mail_become_visible_escapes() {
        let table = [
            ("Quote for phones", "Quote for phones"),
            ("line one\nline two\tend", "line one\nline two\tend"),
            ("\u{1b}]0;pwned\u{7}", "\\x1b]0;pwned\\x07"),
            ("\u{1b}]52;c;ZXZpbA==\u{1b}\\", "\\x1b]52;c;ZXZpbA==\\x1b\\"),
            ("\u{1b}[2J\u{1b}[H", "\\x1b[2J\\x1b[H"),
            ("paid\rrefused", "paid\\x0drefused"),
            ("back\u{8}space\u{7f}", "back\\x08space\\x7f"),
            ("C1 \u{9b}31m", "C1 \\x9b31m"),
        ];
        for (stored, shown) in table {
            assert_eq!(terminal_text(stored), shown, "{stored:?}");
        }
    }
}
