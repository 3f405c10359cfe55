//! Listings of serialised rows (objects) as tables: one column per field, fitted
//! to the view's width by [`super::grid`].

use serde_json::Value;

use super::grid::{self, Cell, Column, Fit, Mark};
use super::{cell, short_time, View};

/// Fields that stay whole when a table must shrink: numbers, times, handles,
/// statuses and other short words. Any other text field may be shortened.
const WHOLE: &[&str] = &[
    "number",
    "id",
    "status",
    "priority",
    "tier",
    "owner",
    "creator",
    "handle",
    "assign_to",
    "method",
    "outcome",
    "kind",
    "state",
    "overdue",
    "late",
    "roles",
    "pool",
    "attempts",
    "open",
    "case",
    "prior_status",
    "direction",
    "away",
];

/// Fields a narrow table leaves out, first to last (the rest stay, or the
/// rows become blocks).
const OPTIONAL: &[&str] = &[
    "overdue",
    "opened_at",
    "late_business_minutes",
    "creator",
    "tier",
    "account",
    "email",
    "status",
];

/// The table header of field `key`: `number` is the `case`, underscores are spaces.
pub fn header(key: &str) -> String {
    match key {
        "number" => "case".into(),
        "opened_at" => "opened".into(),
        _ => key.replace('_', " "),
    }
}

/// Renders objects as a table whose columns are the objects' keys. A `number`
/// column is shown as the case tag `#N`; RFC 3339 times are shortened to the view's zone.
/// With `may_leave_out`, a narrow table leaves out the [`OPTIONAL`] fields.
pub fn render(values: &[Value], view: &View, may_leave_out: bool) -> String {
    let Some(Value::Object(first)) = values.first() else {
        return String::new();
    };
    let keys: Vec<&String> = first.keys().collect();
    let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(values.len());
    let mut is_time = vec![true; keys.len()];
    for v in values {
        let Value::Object(map) = v else { continue };
        let overdue = map.get("overdue") == Some(&Value::Bool(true));
        let row = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let v = map.get(*k).unwrap_or(&Value::Null);
                let time = v
                    .as_str()
                    .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                    .map(|t| t.to_utc());
                if time.is_none() && !v.is_null() {
                    is_time[i] = false;
                }
                let text = match (k.as_str(), v, time) {
                    ("number", Value::Number(n), _) => format!("#{n}"),
                    // A case without an owner waits in the queue.
                    ("owner", Value::Null, _) if map.contains_key("number") => "queue".into(),
                    (_, _, Some(t)) => short_time(t, view.tz),
                    _ => cell(v),
                };
                let mark = match k.as_str() {
                    "next_due" if overdue => Mark::Overdue,
                    "next_due" => super::due_mark(time, view.now, view.tz),
                    "priority" => super::priority_mark(&text),
                    _ => Mark::Plain,
                };
                Cell::marked(text, mark)
            })
            .collect();
        rows.push(row);
    }
    let columns: Vec<Column> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let whole = WHOLE.contains(&k.as_str())
                || is_time[i]
                || values.iter().all(|v| {
                    matches!(
                        v.get(k.as_str()),
                        None | Some(Value::Null | Value::Number(_) | Value::Bool(_))
                    )
                });
            let c = Column::new(header(k), !whole);
            match OPTIONAL.iter().position(|o| o == k) {
                Some(rank) if may_leave_out => c.optional(rank as u8),
                _ => c,
            }
        })
        .collect();
    grid::render(
        &columns,
        &rows,
        Fit {
            width: view.width,
            color: view.color,
        },
    )
}

/// Key/value pairs (for `show`): keys aligned, values wrapped at word
/// boundaries to the width with continuation lines under the value.
pub fn pairs(pairs: &[(String, String)], width: Option<usize>) -> String {
    let label = pairs
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let room = width.map_or(usize::MAX, |w| w.saturating_sub(label + 2).max(20));
    let mut s = String::new();
    for (k, v) in pairs {
        let v = super::terminal_text(v);
        for (n, line) in grid::wrap(&v, room).iter().enumerate() {
            let head = if n == 0 { k.as_str() } else { "" };
            let line = format!("{head:<label$}  {line}");
            s.push_str(line.trim_end());
            s.push('\n');
        }
    }
    s
}
