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

/// How a result is shown: the format, the width tables fit, the zone times are
/// shown in, whether to colour, and the clock (what is due today).
#[derive(Debug, Clone, Copy)]
pub struct View {
    pub format: Format,
    pub width: Option<usize>,
    pub tz: chrono_tz::Tz,
    pub color: bool,
    pub now: chrono::DateTime<chrono::Utc>,
}

/// How a listing is cut: its order (`--sort`) and its fields (`--columns`).
/// Empty means as the command gives them.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// Field names, each optionally prefixed `-` for descending.
    pub sort: Vec<String>,
    /// Field names, in the order to show them.
    pub columns: Vec<String>,
}

/// A field name as typed: `case` for `number`, `opened` for `opened_at`, spaces
/// and dashes as underscores, any case.
pub fn field_name(typed: &str) -> String {
    let f = typed.trim().to_lowercase().replace([' ', '-'], "_");
    match f.as_str() {
        "case" | "#" => "number".into(),
        "opened" => "opened_at".into(),
        "due" => "next_due".into(),
        _ => f,
    }
}

/// Checks that every name of `shape` is one of `fields`, with an error that lists them.
pub fn check_fields(shape: &Shape, fields: &[&str]) -> Result<()> {
    for (option, name) in shape
        .sort
        .iter()
        .map(|s| ("--sort", s.trim_start_matches('-')))
        .chain(shape.columns.iter().map(|s| ("--columns", s.as_str())))
    {
        if !fields.contains(&field_name(name).as_str()) {
            anyhow::bail!(crate::error::Fail::User(format!(
                "`{name}` is not a field here: {option} takes {} (the FIELDS section of the command's man page names them)",
                fields.join(", ")
            )));
        }
    }
    Ok(())
}

/// The order `--sort` gives `values` (a stable sort: ties keep the command's order).
pub fn sorted_order(values: &[Value], sort: &[String]) -> Vec<usize> {
    let keys: Vec<(String, bool)> = sort
        .iter()
        .map(|s| (field_name(s.trim_start_matches('-')), s.starts_with('-')))
        .collect();
    let mut order: Vec<usize> = (0..values.len()).collect();
    if keys.is_empty() {
        return order;
    }
    order.sort_by(|&a, &b| {
        for (k, desc) in &keys {
            let o = compare(k, values[a].get(k), values[b].get(k));
            let o = if *desc { o.reverse() } else { o };
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        std::cmp::Ordering::Equal
    });
    order
}

/// Numbers by value, priorities by urgency and statuses in their order, other
/// text by its words (times in RFC 3339 UTC sort by time), missing values last.
fn compare(field: &str, a: Option<&Value>, b: Option<&Value>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let missing = |v: Option<&Value>| v.is_none_or(Value::is_null);
    match (missing(a), missing(b)) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let (a, b) = (a.unwrap_or(&Value::Null), b.unwrap_or(&Value::Null));
    let rank = |v: &Value| -> Option<usize> {
        use crate::domain::case::{Priority, Status};
        let label = v.as_str()?;
        match field {
            "priority" => Priority::ALL.iter().position(|p| p.label() == label),
            "status" | "prior_status" => Status::ALL.iter().position(|s| s.label() == label),
            _ => None,
        }
    };
    if let (Some(x), Some(y)) = (rank(a), rank(b)) {
        return x.cmp(&y);
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => cell(a).to_lowercase().cmp(&cell(b).to_lowercase()),
    }
}

/// `values` in `--sort` order with only the `--columns` fields, in that order.
pub fn shaped(values: Vec<Value>, shape: &Shape) -> Result<Vec<Value>> {
    if let Some(Value::Object(first)) = values.first() {
        let fields: Vec<&str> = first.keys().map(String::as_str).collect();
        check_fields(shape, &fields)?;
    }
    let order = sorted_order(&values, &shape.sort);
    let mut slots: Vec<Option<Value>> = values.into_iter().map(Some).collect();
    let columns: Vec<String> = shape.columns.iter().map(|c| field_name(c)).collect();
    Ok(order
        .into_iter()
        .filter_map(|i| slots[i].take())
        .map(|v| match v {
            Value::Object(mut map) if !columns.is_empty() => Value::Object(
                columns
                    .iter()
                    .map(|c| (c.clone(), map.remove(c).unwrap_or(Value::Null)))
                    .collect(),
            ),
            v => v,
        })
        .collect())
}

/// Prints a listing in the chosen format.
pub fn rows<T: Serialize>(out: &mut impl Write, view: &View, rows: &[T]) -> Result<()> {
    shaped_rows(out, view, &Shape::default(), rows, &[])
}

/// Prints a listing in the chosen format, sorted and cut to `shape`. `fields`
/// (when known) are checked against `shape` and head an empty CSV.
pub fn shaped_rows<T: Serialize>(
    out: &mut impl Write,
    view: &View,
    shape: &Shape,
    rows: &[T],
    fields: &[&str],
) -> Result<()> {
    if !fields.is_empty() {
        check_fields(shape, fields)?;
    }
    let values: Vec<Value> = rows
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()?;
    let values = shaped(values, shape)?;
    if values.is_empty() && view.format == Format::Csv && !fields.is_empty() {
        let header: Vec<String> = if shape.columns.is_empty() {
            fields.iter().map(|f| f.to_string()).collect()
        } else {
            shape.columns.iter().map(|c| field_name(c)).collect()
        };
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&header)?;
        w.flush()?;
        return Ok(());
    }
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
            write!(
                out,
                "{}",
                table::render(&values, view, shape.columns.is_empty())
            )?;
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

/// The width tables must fit: `COLUMNS`, else the terminal's, else 80 on a
/// terminal that does not say, else (a pipe, a file) unlimited.
pub fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|n| *n > 0)
    {
        return Some(n);
    }
    if let Some((w, _)) = terminal_size::terminal_size_of(std::io::stdout()) {
        return Some(w.0 as usize);
    }
    std::io::stdout().is_terminal().then_some(80)
}

/// The terminal's height in lines, when stdout is one.
pub fn terminal_height() -> Option<usize> {
    if let Some(n) = std::env::var("LINES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return Some(n);
    }
    terminal_size::terminal_size_of(std::io::stdout()).map(|(_, h)| h.0 as usize)
}

/// How a next due time is marked: overdue, due later today (in `tz`), or plain.
pub fn due_mark(
    next_due: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
) -> grid::Mark {
    match next_due {
        Some(d) if d < now => grid::Mark::Overdue,
        Some(d) if d.with_timezone(&tz).date_naive() == now.with_timezone(&tz).date_naive() => {
            grid::Mark::DueToday
        }
        _ => grid::Mark::Plain,
    }
}

/// Expedited, P1 and P2 are marked.
pub fn priority_mark(label: &str) -> grid::Mark {
    match label {
        "Expedited" | "P1" | "P2" => grid::Mark::Urgent,
        _ => grid::Mark::Plain,
    }
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
            crate::domain::sla::lateness_text(m)
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
