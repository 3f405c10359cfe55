//! Tables for people: plain aligned columns (no box-drawing, so they read the
//! same in a pipe, a pager or a proportional font) fitted to a width. Free-text
//! columns (subject, names) give way first, shortened with `…`; numbers, times,
//! handles and statuses stay whole. When even that cannot fit, each row is
//! shown as a block of `field value` lines. On a colour terminal, marked cells
//! (overdue, due today, urgent priorities) are coloured.

use std::borrow::Cow;

use chrono::{DateTime, Datelike, Timelike, Utc};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `2026-11-23 09:00` in `tz`, like [`super::short_time`] but without a format parser.
pub fn local_minute(t: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    let l = t.with_timezone(&tz);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        l.year(),
        l.month(),
        l.day(),
        l.hour(),
        l.minute()
    )
}

/// `2026-11-23` in `tz`.
pub fn local_date(t: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    let l = t.with_timezone(&tz);
    format!("{:04}-{:02}-{:02}", l.year(), l.month(), l.day())
}

/// Free text as one table line.
pub fn one_line(s: &str) -> String {
    if s.contains(['\r', '\n', '\t']) {
        s.replace(['\r', '\n', '\t'], " ")
    } else {
        s.to_string()
    }
}

/// What a cell says beyond its text, shown as colour on a colour terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mark {
    #[default]
    Plain,
    /// Past its next due time: red.
    Overdue,
    /// Due later today: yellow.
    DueToday,
    /// Expedited, P1 or P2: bold magenta.
    Urgent,
}

impl Mark {
    fn ansi(self) -> Option<&'static str> {
        match self {
            Mark::Plain => None,
            Mark::Overdue => Some("\x1b[31m"),
            Mark::DueToday => Some("\x1b[33m"),
            Mark::Urgent => Some("\x1b[1;35m"),
        }
    }
}

/// One cell: its text (one line) and its mark.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub mark: Mark,
}

impl Cell {
    pub fn marked(text: impl Into<String>, mark: Mark) -> Cell {
        Cell {
            text: text.into(),
            mark,
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell {
            text,
            mark: Mark::Plain,
        }
    }
}

/// A column: its header, whether it is free text that may be shortened, and
/// whether it may be left out of a narrow table (lowest rank first).
#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    pub free_text: bool,
    pub drop_rank: Option<u8>,
}

impl Column {
    pub fn new(header: impl Into<String>, free_text: bool) -> Column {
        Column {
            header: header.into(),
            free_text,
            drop_rank: None,
        }
    }

    /// A column that a table too narrow for it leaves out, `rank` 0 first
    /// (`--columns` names what to show instead).
    pub fn optional(mut self, rank: u8) -> Column {
        self.drop_rank = Some(rank);
        self
    }
}

/// Where a table goes: the width it must fit (none: any) and whether to colour it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fit {
    pub width: Option<usize>,
    pub color: bool,
}

/// Between two columns.
const GAP: usize = 2;
/// A free-text column is not shortened below this (or its header) before the
/// table turns into blocks.
const MIN_FREE: usize = 16;

/// Renders `rows` under `columns` to fit `fit.width`.
pub fn render(columns: &[Column], rows: &[Vec<Cell>], fit: Fit) -> String {
    render_all(columns, &[rows], fit).pop().unwrap_or_default()
}

/// Renders several tables of the same columns (the report's owners) with one
/// layout, so that their columns line up from one table to the next.
pub fn render_groups(columns: &[Column], groups: &[Vec<Vec<Cell>>], fit: Fit) -> Vec<String> {
    let groups: Vec<&[Vec<Cell>]> = groups.iter().map(Vec::as_slice).collect();
    render_all(columns, &groups, fit)
}

/// A cell as a table prints it: one line, control characters escaped, and
/// its display width, each worked out once (a sweep prints a thousand rows).
struct Shown<'a> {
    text: Cow<'a, str>,
    width: usize,
    mark: Mark,
}

impl<'a> Shown<'a> {
    fn of(cell: &'a Cell) -> Shown<'a> {
        // Printable ASCII, most cells: shown as it is, a column a byte (the
        // general path scans the text three times).
        if cell.text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            return Shown {
                width: cell.text.len(),
                text: Cow::Borrowed(&cell.text),
                mark: cell.mark,
            };
        }
        Shown::cleaned(cell)
    }

    /// Any text: on one line, control characters made visible, measured in
    /// terminal columns.
    fn cleaned(cell: &'a Cell) -> Shown<'a> {
        let text = if cell.text.contains(['\r', '\n', '\t']) {
            Cow::Owned(super::terminal_text(&one_line(&cell.text)).into_owned())
        } else {
            super::terminal_text(&cell.text)
        };
        Shown {
            width: text.width(),
            text,
            mark: cell.mark,
        }
    }
}

fn render_all(columns: &[Column], groups: &[&[Vec<Cell>]], fit: Fit) -> Vec<String> {
    let clean: Vec<Vec<Vec<Shown<'_>>>> = groups
        .iter()
        .map(|rows| {
            rows.iter()
                .map(|r| r.iter().map(Shown::of).collect())
                .collect()
        })
        .collect();
    // Leave out optional columns, lowest rank first, until the rest fit.
    let mut shown: Vec<usize> = (0..columns.len()).collect();
    loop {
        let cols: Vec<Column> = shown.iter().map(|&i| columns[i].clone()).collect();
        let mut natural: Vec<usize> = cols.iter().map(|c| c.header.width()).collect();
        for r in clean.iter().flatten() {
            for (n, &i) in natural.iter_mut().zip(&shown) {
                if let Some(cell) = r.get(i) {
                    *n = (*n).max(cell.width);
                }
            }
        }
        if let Some(w) = fitted(&cols, natural, fit.width) {
            return clean
                .iter()
                .map(|rows| aligned(&cols, rows, &shown, &w, fit.color))
                .collect();
        }
        let next = shown
            .iter()
            .enumerate()
            .filter_map(|(k, &i)| columns[i].drop_rank.map(|r| (r, k)))
            .min();
        match next {
            Some((_, k)) => {
                shown.remove(k);
            }
            None => {
                return clean
                    .iter()
                    .map(|rows| {
                        let rows: Vec<Vec<Cell>> = rows
                            .iter()
                            .map(|r| {
                                r.iter()
                                    .map(|c| Cell::marked(c.text.as_ref(), c.mark))
                                    .collect()
                            })
                            .collect();
                        blocks(columns, &rows, fit)
                    })
                    .collect()
            }
        }
    }
}

/// The column widths that fit `width`, given each column's natural width
/// (its widest cell or header), or `None` when only blocks fit.
fn fitted(columns: &[Column], natural: Vec<usize>, width: Option<usize>) -> Option<Vec<usize>> {
    let gaps = GAP * columns.len().saturating_sub(1);
    let total: usize = natural.iter().sum::<usize>() + gaps;
    let Some(width) = width else {
        return Some(natural);
    };
    if total <= width {
        return Some(natural);
    }
    let fixed: usize = columns
        .iter()
        .zip(&natural)
        .filter(|(c, _)| !c.free_text)
        .map(|(_, w)| w)
        .sum::<usize>()
        + gaps;
    let free: Vec<usize> = (0..columns.len())
        .filter(|&i| columns[i].free_text)
        .collect();
    let floor = |i: usize| natural[i].min(MIN_FREE.max(columns[i].header.width()));
    let budget = width.checked_sub(fixed)?;
    if free.is_empty() || budget < free.iter().map(|&i| floor(i)).sum::<usize>() {
        return None;
    }
    // Share the budget out, narrowest first, so a short column keeps its
    // natural width and a long one takes what is left.
    let mut order = free.clone();
    order.sort_by_key(|&i| natural[i]);
    let mut left = budget;
    let mut out = natural.clone();
    for (k, &i) in order.iter().enumerate() {
        let share = left / (order.len() - k);
        out[i] = natural[i].min(share.max(floor(i)));
        left -= out[i];
    }
    Some(out)
}

/// `s` cut to `width` display columns, ending in `…` when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

fn painted(text: &str, mark: Mark, color: bool) -> String {
    match mark.ansi().filter(|_| color) {
        Some(code) => format!("{code}{text}\x1b[0m"),
        None => text.to_string(),
    }
}

/// The header and `rows` (their `shown` columns) in columns of `widths`.
fn aligned(
    columns: &[Column],
    rows: &[Vec<Shown<'_>>],
    shown: &[usize],
    widths: &[usize],
    color: bool,
) -> String {
    let mut s = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = (&str, usize, Mark)>| {
        let start = s.len();
        let mut cells = cells.zip(widths).peekable();
        while let Some(((text, width, mark), &w)) = cells.next() {
            let used = if width <= w {
                match mark.ansi().filter(|_| color) {
                    Some(code) => s.push_str(&format!("{code}{text}\x1b[0m")),
                    None => s.push_str(text),
                }
                width
            } else {
                let cut = truncate(text, w);
                s.push_str(&painted(&cut, mark, color));
                cut.width()
            };
            if cells.peek().is_some() {
                s.extend(std::iter::repeat_n(' ', w - used + GAP));
            }
        }
        s.truncate(start + s[start..].trim_end().len());
        s.push('\n');
    };
    line(
        &mut columns
            .iter()
            .map(|c| (c.header.as_str(), c.header.width(), Mark::Plain)),
    );
    for r in rows {
        line(
            &mut shown
                .iter()
                .filter_map(|&i| r.get(i))
                .map(|c| (c.text.as_ref(), c.width, c.mark)),
        );
    }
    s
}

/// One block per row: the first cell as a title, then `header  value` lines,
/// values wrapped at word boundaries to the width.
fn blocks(columns: &[Column], rows: &[Vec<Cell>], fit: Fit) -> String {
    let width = fit.width.unwrap_or(usize::MAX).max(20);
    let label = columns
        .iter()
        .skip(1)
        .map(|c| c.header.width())
        .max()
        .unwrap_or(0);
    let indent = 2 + label + GAP;
    let mut s = String::new();
    for (n, r) in rows.iter().enumerate() {
        if n > 0 {
            s.push('\n');
        }
        if let Some(first) = r.first() {
            s.push_str(&painted(
                &truncate(&first.text, width),
                first.mark,
                fit.color,
            ));
            s.push('\n');
        }
        for (c, cell) in columns.iter().zip(r).skip(1) {
            let lines = wrap(&cell.text, width.saturating_sub(indent).max(8));
            for (k, l) in lines.iter().enumerate() {
                let head = if k == 0 { c.header.as_str() } else { "" };
                let pad = label - head.width();
                s.push_str(&format!(
                    "  {head}{}{}\n",
                    " ".repeat(pad + GAP),
                    painted(l, cell.mark, fit.color)
                ));
            }
        }
    }
    s
}

/// `text` wrapped at word boundaries into lines of at most `width` display
/// columns (a word longer than that is cut); line breaks in `text` are kept.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        // A paragraph's indent (a list item's) is kept on its every line.
        let body = para.trim_start_matches(' ');
        let indent = &para[..para.len() - body.len()];
        let indent = if indent.len() * 2 < width { indent } else { "" };
        let width = width - indent.len();
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in body.split(' ').filter(|w| !w.is_empty()) {
            let mut word = word.to_string();
            while word.width() > width {
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                let mut head = String::new();
                let mut rest = String::new();
                for c in word.chars() {
                    if rest.is_empty() && head.width() + c.width().unwrap_or(0) <= width {
                        head.push(c);
                    } else {
                        rest.push(c);
                    }
                }
                lines.push(head);
                word = rest;
            }
            if line.is_empty() {
                line = word;
            } else if line.width() + 1 + word.width() <= width {
                line.push(' ');
                line.push_str(&word);
            } else {
                lines.push(std::mem::replace(&mut line, word));
            }
        }
        lines.push(line);
        out.extend(lines.into_iter().map(|l| {
            if l.is_empty() {
                l
            } else {
                format!("{indent}{l}")
            }
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The printable-ASCII path shows and measures a cell as the general one does.
    #[test]
    fn a_plain_cell_is_shown_as_the_general_path_shows_it() {
        let texts = [
            "",
            "case #12",
            "remind am11: no comment ~ {x}",
            "a\tb",
            "esc \x1b[2J",
            "del \x7f",
            "Müller",
            "漢字",
            "two\nlines",
        ];
        for t in texts {
            let cell = Cell::marked(t.to_string(), Mark::Plain);
            let (fast, general) = (Shown::of(&cell), Shown::cleaned(&cell));
            assert_eq!(
                (fast.text, fast.width),
                (general.text, general.width),
                "{t:?}"
            );
        }
    }

    fn cols() -> Vec<Column> {
        vec![
            Column::new("case", false),
            Column::new("subject", true),
            Column::new("next due", false),
        ]
    }

    fn row(subject: &str) -> Vec<Cell> {
        vec![
            "#1".to_string().into(),
            subject.to_string().into(),
            Cell::marked("2026-11-23 09:00 (7h late)", Mark::Overdue),
        ]
    }

    #[test]
    fn free_text_shrinks_to_fit_and_others_stay_whole() {
        let rows = vec![row(
            "A very long subject that will not fit in a narrow terminal",
        )];
        let fit = Fit {
            width: Some(60),
            color: false,
        };
        let out = render(&cols(), &rows, fit);
        assert!(out.lines().all(|l| l.width() <= 60), "{out}");
        assert!(out.contains("2026-11-23 09:00 (7h late)"), "{out}");
        assert!(out.contains("A very long"), "{out}");
        assert!(out.contains('…'), "{out}");
        assert!(!out.contains('│') && !out.contains('─'), "{out}");
    }

    #[test]
    fn a_table_that_fits_is_left_alone_and_aligned() {
        let rows = vec![row("Short"), row("A little longer")];
        let out = render(&cols(), &rows, Fit::default());
        assert_eq!(
            out,
            "case  subject          next due\n\
             #1    Short            2026-11-23 09:00 (7h late)\n\
             #1    A little longer  2026-11-23 09:00 (7h late)\n"
        );
    }

    #[test]
    fn optional_columns_are_left_out_before_rows_become_blocks() {
        let mut columns = cols();
        columns.push(Column::new("opened", false).optional(0));
        let mut r = row("Quote for additional phones");
        r.push("2026-11-20".to_string().into());
        let fit = Fit {
            width: Some(50),
            color: false,
        };
        let out = render(&columns, &[r], fit);
        assert!(out.starts_with("case  subject"), "{out}");
        assert!(!out.contains("opened"), "{out}");
        assert!(out.lines().all(|l| l.width() <= 50), "{out}");
    }

    #[test]
    fn too_narrow_for_columns_gives_one_block_per_row() {
        let rows = vec![row("Quote for additional phones at the Elm Street office")];
        let fit = Fit {
            width: Some(30),
            color: false,
        };
        let out = render(&cols(), &rows, fit);
        assert!(out.lines().all(|l| l.width() <= 30), "{out}");
        assert!(out.starts_with("#1\n  subject   Quote for"), "{out}");
        assert!(out.contains("  next due  2026-11-23 09:00"), "{out}");
        // Nothing of the subject is lost: it wraps.
        assert!(out.contains("Street"), "{out}");
    }

    #[test]
    fn marks_are_coloured_only_when_asked() {
        let rows = vec![row("Short")];
        let plain = render(&cols(), &rows, Fit::default());
        assert!(!plain.contains('\x1b'), "{plain}");
        let color = render(
            &cols(),
            &rows,
            Fit {
                width: None,
                color: true,
            },
        );
        assert!(
            color.contains("\x1b[31m2026-11-23 09:00 (7h late)\x1b[0m"),
            "{color:?}"
        );
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_only_long_words() {
        let table: [(&str, usize, &[&str]); 5] = [
            ("one two three", 7, &["one two", "three"]),
            ("one two three", 20, &["one two three"]),
            ("abcdefghij", 4, &["abcd", "efgh", "ij"]),
            ("a\n\nb", 10, &["a", "", "b"]),
            ("  * one two three", 9, &["  * one", "  two", "  three"]),
        ];
        for (text, width, lines) in table {
            assert_eq!(wrap(text, width), lines, "{text:?} at {width}");
        }
    }

    #[test]
    fn local_times_match_short_time() {
        let t: DateTime<Utc> = "2026-03-08T07:30:00Z".parse().unwrap();
        let tz = chrono_tz::America::New_York;
        assert_eq!(local_minute(t, tz), super::super::short_time(t, tz));
        assert_eq!(local_date(t, tz), "2026-03-08");
    }
}
