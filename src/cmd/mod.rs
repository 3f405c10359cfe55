//! One file per subcommand: an `Args` struct whose doc comment is the help, and `run`.

pub(crate) mod accounts;
pub(crate) mod args;
pub(crate) mod assign;
pub(crate) mod backup;
pub(crate) mod close;
pub(crate) mod comment;
pub(crate) mod complete;
pub(crate) mod completions;
pub(crate) mod config;
pub(crate) mod demo;
pub(crate) mod due;
pub(crate) mod edit;
pub(crate) mod escalate;
pub(crate) mod handoff;
pub(crate) mod hold;
pub(crate) mod ingest;
pub(crate) mod init;
pub(crate) mod list;
pub(crate) mod listing;
pub(crate) mod log;
pub mod man;
pub(crate) mod migrate_to;
pub(crate) mod mine;
pub(crate) mod outbox;
pub(crate) mod overdue;
pub(crate) mod owned;
pub(crate) mod people;
pub(crate) mod quarantine;
pub(crate) mod reopen;
pub(crate) mod reply;
pub(crate) mod report;
pub(crate) mod restore;
pub(crate) mod resume;
pub(crate) mod review;
pub(crate) mod search;
pub(crate) mod show;
pub(crate) mod status;
pub(crate) mod sweep;
pub(crate) mod triage;
pub(crate) mod watch;

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
#[cfg(test)]
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::ctx::Ctx;
use crate::error::{self, Fail};
use crate::render;

/// Prints a listing in the global format, fitted to the terminal.
pub fn print_rows<T: Serialize>(ctx: &Ctx, rows: &[T]) -> Result<()> {
    render::rows(&mut ctx.out(), &ctx.view(), rows)
}

/// Prints a listing in the global format, sorted and cut by `--sort` and `--columns`.
pub fn print_shaped<T: Serialize + crate::desk::views::Fields>(
    ctx: &Ctx,
    shape: &args::ShapeArgs,
    rows: &[T],
) -> Result<()> {
    render::shaped_rows(&mut ctx.out(), &ctx.view(), &shape.shape(), rows, T::FIELDS)
}

/// Prints a listing in the global format, sorted and cut by `--sort` and
/// `--columns` (rows whose fields are not listed: the names are checked
/// against the rows themselves).
pub fn print_rows_shaped<T: Serialize>(
    ctx: &Ctx,
    shape: &args::ShapeArgs,
    rows: &[T],
) -> Result<()> {
    render::shaped_rows(&mut ctx.out(), &ctx.view(), &shape.shape(), rows, &[])
}

/// One column of a daily view's table: the row's field it shows (what
/// `--columns` and `--sort` name), whether it is free text that may be
/// shortened to fit, and whether a narrow table leaves it out (lowest first).
pub type ViewColumn = (&'static str, bool, Option<u8>);

/// Prints the rows of a daily view: in table or text format a grid of
/// `cells(row, view)` (one per column of `columns`; the free-text ones give
/// way to fit the width), or `empty` on stderr when there is nothing; in the
/// other formats the rows themselves. `--sort` and `--columns` apply to all.
pub fn print_view<R: Serialize + crate::desk::views::Fields>(
    ctx: &Ctx,
    shape: &args::ShapeArgs,
    rows: &[R],
    columns: &[ViewColumn],
    cells: impl Fn(&R, &render::View) -> Vec<render::grid::Cell>,
    empty: &str,
) -> Result<()> {
    use std::io::Write;
    let view = ctx.view();
    let shape = shape.shape();
    match ctx.format {
        render::Format::Table | render::Format::Text => {
            let names: Vec<&str> = columns.iter().map(|(f, _, _)| *f).collect();
            // Sorting may name any field of the row, not only the shown ones.
            let values: Vec<serde_json::Value> = if shape.sort.is_empty() {
                Vec::new()
            } else {
                rows.iter()
                    .map(serde_json::to_value)
                    .collect::<Result<_, _>>()?
            };
            let mut known = names.clone();
            if let Some(serde_json::Value::Object(first)) = values.first() {
                known.extend(
                    first
                        .keys()
                        .map(String::as_str)
                        .filter(|k| !names.contains(k)),
                );
            }
            render::check_fields(
                &render::Shape {
                    sort: shape.sort.clone(),
                    columns: Vec::new(),
                },
                &known,
            )?;
            render::check_fields(
                &render::Shape {
                    sort: Vec::new(),
                    columns: shape.columns.clone(),
                },
                &names,
            )?;
            if rows.is_empty() {
                ctx.note(empty);
                return Ok(());
            }
            let chosen: Vec<usize> = if shape.columns.is_empty() {
                (0..columns.len()).collect()
            } else {
                shape
                    .columns
                    .iter()
                    .filter_map(|c| names.iter().position(|n| *n == render::field_name(c)))
                    .collect()
            };
            let order: Vec<usize> = if values.is_empty() {
                (0..rows.len()).collect()
            } else {
                render::sorted_order(&values, &shape.sort)
            };
            let cols: Vec<render::grid::Column> = chosen
                .iter()
                .map(|&i| {
                    let (field, free, rank) = columns[i];
                    let c = render::grid::Column::new(render::table::header(field), free);
                    // Columns asked for by name are never left out.
                    match rank {
                        Some(r) if shape.columns.is_empty() => c.optional(r),
                        _ => c,
                    }
                })
                .collect();
            let grid: Vec<Vec<render::grid::Cell>> = order
                .iter()
                .map(|&r| {
                    let mut all = cells(&rows[r], &view);
                    chosen
                        .iter()
                        .map(|&i| std::mem::take(&mut all[i]))
                        .collect()
                })
                .collect();
            let fit = render::grid::Fit {
                width: view.width,
                color: view.color,
            };
            write!(ctx.out(), "{}", render::grid::render(&cols, &grid, fit))?;
            Ok(())
        }
        _ => render::shaped_rows(&mut ctx.out(), &view, &shape, rows, R::FIELDS),
    }
}

/// Writes `text` to stdout, through `$PAGER` (default `less -FRX`) when stdout
/// is a terminal and `text` is taller than it. A pager that cannot start
/// leaves the text printed as it is.
pub fn page(out: &mut impl std::io::Write, text: &str) -> Result<()> {
    use std::io::{IsTerminal, Write};
    let tall = render::terminal_height().is_some_and(|h| text.lines().count() + 1 > h);
    let pager = std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less -FRX".into());
    if tall && std::io::stdout().is_terminal() && pager.trim() != "cat" {
        let child = std::process::Command::new("sh")
            .arg("-c")
            .arg(&pager)
            .stdin(std::process::Stdio::piped())
            .spawn();
        if let Ok(mut child) = child {
            if let Some(mut stdin) = child.stdin.take() {
                // The reader may quit before the end: that is not an error.
                let _ = stdin.write_all(text.as_bytes());
            }
            child.wait()?;
            return Ok(());
        }
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// The text of a comment, review or reason: `given`, else (on a terminal)
/// what the person writes in `$VISUAL` or `$EDITOR` below a `#` header that
/// says what it is for. Without a terminal (cron, a script) a missing text is
/// an error naming `how` to give it.
pub fn text_or_editor(given: Option<&str>, what: &str, case: u64, how: &str) -> Result<String> {
    use std::io::IsTerminal;
    if let Some(t) = given {
        return Ok(t.to_string());
    }
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(error::user(format!(
            "no {what} given: pass it as {how}, or run on a terminal to write it in $EDITOR"
        )));
    }
    let text = edit_in_editor(
        &format!("{}-{case}", what.replace(' ', "-")),
        &format!(
            "# The {what} for case #{case}. Lines starting with # at the top are dropped;\n# an empty {what} changes nothing.\n\n"
        ),
        "nothing was changed",
    )?;
    let mut lines = text.lines().peekable();
    while lines.peek().is_some_and(|l| l.starts_with('#')) {
        lines.next();
    }
    Ok(lines.collect::<Vec<_>>().join("\n").trim().to_string())
}

/// Writes `template` to a private (0600) temporary file named for `name`,
/// runs `$VISUAL` or `$EDITOR` (else vi) on it and returns what it holds
/// afterwards. A failing editor is an error ending with `nothing_done`.
pub fn edit_in_editor(name: &str, template: &str, nothing_done: &str) -> Result<String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "vi".into());
    let path = std::env::temp_dir().join(format!("casebook-{name}-{}.txt", std::process::id()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("cannot create `{}` for the editor", path.display()))?;
    file.write_all(template.as_bytes())?;
    drop(file);
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("casebook-editor")
        .arg(&path)
        .status();
    let text = std::fs::read_to_string(&path);
    let _ = std::fs::remove_file(&path);
    let status =
        status.with_context(|| format!("cannot run the editor `{editor}`: set $EDITOR"))?;
    if !status.success() {
        return Err(error::user(format!(
            "the editor `{editor}` failed ({status}): {nothing_done}"
        )));
    }
    text.context("cannot read back the editor's file")
}

/// Prints what a command did to a case: one line on stdout, or the case as JSON.
pub fn print_case(ctx: &Ctx, case: &crate::domain::case::Case, line: &str) -> Result<()> {
    use std::io::Write;
    let mut out = ctx.out();
    match ctx.format {
        render::Format::Json => render::json(&mut out, case),
        _ => {
            writeln!(out, "{line}")?;
            Ok(())
        }
    }
}

/// A time argument as typed (`2d`, `friday`, `yesterday 15:00`, a date, RFC
/// 3339): resolved in the desk's time zone against the clock; see
/// [`crate::domain::when`] for the forms.
pub use crate::domain::when::When as TimeArg;

/// Parses a time argument (see [`TimeArg`]); the error names the accepted forms.
pub fn parse_time(s: &str) -> Result<TimeArg, String> {
    crate::domain::when::parse(s)
}

/// Reads a CSV file whose header must hold `columns`; returns each record with its line number.
pub fn read_csv(file: &Path, columns: &[&str]) -> Result<Vec<(u64, HashMap<String, String>)>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_path(file)
        .with_context(|| format!("cannot read `{}`", file.display()))?;
    let header: Vec<String> = reader
        .headers()
        .with_context(|| format!("`{}` has no header row", file.display()))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let missing: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(error::user(format!(
            "`{}` lacks the column(s) {}: the header must be `{}`",
            file.display(),
            missing.join(", "),
            columns.join(",")
        )));
    }
    let mut rows = Vec::new();
    let mut errors = RowErrors::default();
    for rec in reader.records() {
        match rec {
            Ok(rec) => {
                let line = rec.position().map(|p| p.line()).unwrap_or(0);
                let map = header
                    .iter()
                    .cloned()
                    .zip(rec.iter().map(String::from))
                    .collect();
                rows.push((line, map));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.add(line, e.to_string());
            }
        }
    }
    errors.check(file, "rows")?;
    Ok(rows)
}

/// The problems of an import, by line; any problem refuses the whole file.
#[derive(Default)]
pub struct RowErrors(Vec<(u64, String)>);

impl RowErrors {
    pub fn add(&mut self, line: u64, problem: impl Into<String>) {
        self.0.push((line, problem.into()));
    }

    pub fn check(mut self, file: &Path, what: &str) -> Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        self.0.sort_by_key(|(l, _)| *l);
        let lines: Vec<String> = self
            .0
            .iter()
            .map(|(l, p)| format!("  line {l}: {p}"))
            .collect();
        Err(Fail::User(format!(
            "nothing imported: `{}` has {} problem(s) in its {what}; fix them and import again:\n{}",
            file.display(),
            self.0.len(),
            lines.join("\n")
        ))
        .into())
    }
}

/// A case number argument: `42` or `#42`.
pub fn parse_case_number(s: &str) -> Result<crate::domain::case::CaseNumber, String> {
    s.parse()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_parse() {
        assert_eq!(parse_case_number("#42").map(|n| n.get()), Ok(42));
        assert_eq!(parse_case_number("7").map(|n| n.get()), Ok(7));
        assert!(parse_case_number("x").is_err());
        assert!(parse_case_number("0").is_err());
    }

    #[test]
    fn times_parse() {
        let chicago: chrono_tz::Tz = "America/Chicago".parse().unwrap();
        let now: DateTime<Utc> = "2026-11-23T15:00:00Z".parse().unwrap();
        let resolved = |s: &str, tz| parse_time(s).unwrap().resolve(tz, now).to_rfc3339();
        // A date is the start of that day in the desk's zone.
        assert_eq!(resolved("2026-11-23", chicago), "2026-11-23T06:00:00+00:00");
        assert_eq!(resolved("2026-07-01", chicago), "2026-07-01T05:00:00+00:00");
        assert_eq!(
            resolved("2026-11-23", chrono_tz::UTC),
            "2026-11-23T00:00:00+00:00"
        );
        // Where midnight does not exist (Santiago springs forward at 00:00), the day's first instant.
        let santiago: chrono_tz::Tz = "America/Santiago".parse().unwrap();
        assert_eq!(
            resolved("2026-09-06", santiago),
            "2026-09-06T04:00:00+00:00"
        );
        // An instant is itself, whatever the zone.
        assert_eq!(
            resolved("2026-11-23T09:00:00-05:00", chicago),
            "2026-11-23T14:00:00+00:00"
        );
        assert_eq!(resolved("tomorrow", chicago), "2026-11-24T06:00:00+00:00");
        assert!(parse_time("someday").is_err());
    }
}
