//! One file per subcommand: an `Args` struct whose doc comment is the help, and `run`.

pub(crate) mod accounts;
pub(crate) mod args;
pub(crate) mod assign;
pub(crate) mod backup;
pub(crate) mod close;
pub(crate) mod comment;
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
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Serialize;

use crate::ctx::Ctx;
use crate::error::{self, Fail};
use crate::render;

/// Prints a listing in the global format, fitted to the terminal.
pub fn print_rows<T: Serialize>(ctx: &Ctx, rows: &[T]) -> Result<()> {
    render::rows(&mut ctx.out(), &ctx.view(), rows)
}

/// Prints the rows of a daily view: in table or text format a grid of `cells(row, zone)`
/// under `headers` (the `flexible` columns give way to fit the width), or `empty` on
/// stderr when there is nothing; in the other formats the rows themselves.
pub fn print_view<R: Serialize>(
    ctx: &Ctx,
    rows: &[R],
    headers: &[&str],
    cells: impl Fn(&R, chrono_tz::Tz) -> Vec<String>,
    flexible: &[usize],
    empty: &str,
) -> Result<()> {
    use std::io::Write;
    let view = ctx.view();
    match ctx.format {
        render::Format::Table | render::Format::Text => {
            if rows.is_empty() {
                ctx.note(empty);
                return Ok(());
            }
            let cells: Vec<Vec<String>> = rows.iter().map(|r| cells(r, view.tz)).collect();
            write!(
                ctx.out(),
                "{}",
                render::grid::render(headers, cells, flexible, view.width)
            )?;
            Ok(())
        }
        _ => render::rows(&mut ctx.out(), &view, rows),
    }
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

/// A time argument as typed: an instant, or a calendar date that means the
/// start of that day in the desk's time zone (so `--until 2026-11-20` is
/// midnight in Chicago for a Chicago desk, not the evening before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeArg {
    At(DateTime<Utc>),
    Date(NaiveDate),
}

impl TimeArg {
    /// The instant, a date read in `tz` (a midnight that does not exist
    /// there, at a DST switch, is the first instant of the day that does).
    pub fn resolve(self, tz: chrono_tz::Tz) -> DateTime<Utc> {
        use chrono::TimeZone;
        match self {
            TimeArg::At(t) => t,
            TimeArg::Date(d) => {
                let mut t = d.and_time(NaiveTime::MIN);
                loop {
                    if let Some(local) = tz.from_local_datetime(&t).earliest() {
                        return local.with_timezone(&Utc);
                    }
                    t += chrono::Duration::minutes(30);
                }
            }
        }
    }
}

/// Parses a time argument: RFC 3339, or a date `YYYY-MM-DD` (see [`TimeArg`]).
pub fn parse_time(s: &str) -> Result<TimeArg, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(TimeArg::At(t.with_timezone(&Utc)));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(TimeArg::Date)
        .map_err(|_| {
            format!(
                "`{s}` is not a date (2026-11-23) or an RFC 3339 time (2026-11-23T09:00:00-05:00)"
            )
        })
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
        let resolved = |s: &str, tz| parse_time(s).unwrap().resolve(tz).to_rfc3339();
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
        assert!(parse_time("tomorrow").is_err());
    }
}
