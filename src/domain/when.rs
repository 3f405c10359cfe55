//! Times as people type them (`--since 2d`, `--until friday`, `--at "yesterday
//! 15:00"`, `--now 2026-11-23`), read in the desk's time zone against an
//! injected clock: a pure function, so every form is table-tested around
//! midnight, DST and the week's end.
//!
//! The forms, any case:
//! - `now`; `today`, `tomorrow`, `yesterday` (midnight local);
//! - a weekday (`friday`, `fri`): today if today is that day, else the coming
//!   one; `next friday` is after today, `last friday` before today;
//! - any of those days with a time: `yesterday 15:00`, `friday 9:30`;
//! - a date `2026-11-23` (midnight local) or a local time `2026-11-23 15:00`;
//! - an offset: `2d`, `36h`, `90m`, `1w`, combined (`1d12h`); a bare offset is
//!   in the past (`--since 2d` is two days ago) except where a time must be in
//!   the future (`hold --until 2d`); `2d ago` / `-2d` are always past, `in 2d`
//!   / `+2d` always ahead. Offsets are clock time, not business time;
//! - RFC 3339 (`2026-11-23T09:00:00-05:00`).

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};

/// What the error says is accepted.
pub const FORMS: &str = "now, today, tomorrow, yesterday, a weekday (friday, next friday, \
last monday), one of those with a time (yesterday 15:00), a date (2026-11-23: midnight in the \
desk's time zone), a local time (2026-11-23 15:00), an offset (2d, 36h, 90m, 1w; `2d ago` or \
`in 2d`) or RFC 3339 (2026-11-23T09:00:00-05:00)";

/// A time as typed, before the clock and the zone give it an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// An instant (RFC 3339).
    At(DateTime<Utc>),
    /// A wall-clock time in the desk's zone.
    Local(NaiveDateTime),
    /// A calendar date: midnight in the desk's zone.
    Date(NaiveDate),
    /// The clock itself.
    Now,
    /// A day counted from today (`yesterday` is -1), at a time (midnight if none).
    Day(i64, Option<NaiveTime>),
    /// A weekday: `Which` one, at a time (midnight if none).
    Weekday(Weekday, Which, Option<NaiveTime>),
    /// A length of clock time; the sign is `None` when the user gave none.
    Offset(Duration, Option<Sign>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Today if today is that day, else the coming one.
    ThisOrComing,
    /// Strictly after today.
    Next,
    /// Strictly before today.
    Last,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    Ahead,
    Ago,
}

impl When {
    /// The instant in `tz` against `now`; a bare offset is in the past.
    pub fn resolve(self, tz: chrono_tz::Tz, now: DateTime<Utc>) -> DateTime<Utc> {
        self.resolve_towards(tz, now, Sign::Ago)
    }

    /// The same, a bare offset ahead (for times that must be in the future).
    pub fn resolve_ahead(self, tz: chrono_tz::Tz, now: DateTime<Utc>) -> DateTime<Utc> {
        self.resolve_towards(tz, now, Sign::Ahead)
    }

    fn resolve_towards(self, tz: chrono_tz::Tz, now: DateTime<Utc>, bare: Sign) -> DateTime<Utc> {
        let today = now.with_timezone(&tz).date_naive();
        let at =
            |d: NaiveDate, t: Option<NaiveTime>| local(tz, d.and_time(t.unwrap_or(NaiveTime::MIN)));
        match self {
            When::At(t) => t,
            When::Local(t) => local(tz, t),
            When::Date(d) => at(d, None),
            When::Now => now,
            When::Day(n, t) => at(today + Duration::days(n), t),
            When::Weekday(wd, which, t) => {
                let ahead = (wd.num_days_from_monday() as i64
                    - today.weekday().num_days_from_monday() as i64)
                    .rem_euclid(7);
                let days = match which {
                    Which::ThisOrComing => ahead,
                    Which::Next if ahead == 0 => 7,
                    Which::Next => ahead,
                    Which::Last => ahead - 7,
                };
                at(today + Duration::days(days), t)
            }
            When::Offset(d, sign) => match sign.unwrap_or(bare) {
                Sign::Ahead => now + d,
                Sign::Ago => now - d,
            },
        }
    }
}

/// A wall-clock time in `tz`: the earlier of two at a fall-back hour; a time
/// that does not exist (spring forward) moves to the first one that does.
fn local(tz: chrono_tz::Tz, t: NaiveDateTime) -> DateTime<Utc> {
    let mut t = t;
    loop {
        if let Some(l) = tz.from_local_datetime(&t).earliest() {
            return l.with_timezone(&Utc);
        }
        t += Duration::minutes(15);
    }
}

/// Parses a time as typed (see the module's forms).
pub fn parse(s: &str) -> Result<When, String> {
    let err = || format!("`{s}` is not a time casebook reads: use {FORMS}");
    let text = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(When::At(t.with_timezone(&Utc)));
    }
    let lower = text.to_lowercase();
    for f in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(&lower, f) {
            return Ok(When::Local(t));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(&lower, "%Y-%m-%d") {
        return Ok(When::Date(d));
    }
    if lower == "now" {
        return Ok(When::Now);
    }
    if let Some(w) = offset(&lower) {
        return Ok(w);
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    // An optional time of day at the end.
    let (words, time) = match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => match time_of_day(last) {
            Some(t) => (rest.to_vec(), Some(t)),
            None => (words.clone(), None),
        },
        _ => (words.clone(), None),
    };
    match words.as_slice() {
        ["today"] => Ok(When::Day(0, time)),
        ["tomorrow"] => Ok(When::Day(1, time)),
        ["yesterday"] => Ok(When::Day(-1, time)),
        [day] => weekday(day)
            .map(|d| When::Weekday(d, Which::ThisOrComing, time))
            .ok_or_else(err),
        ["next", day] => weekday(day)
            .map(|d| When::Weekday(d, Which::Next, time))
            .ok_or_else(err),
        ["last", day] => weekday(day)
            .map(|d| When::Weekday(d, Which::Last, time))
            .ok_or_else(err),
        _ => Err(err()),
    }
}

fn time_of_day(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
        .ok()
}

fn weekday(s: &str) -> Option<Weekday> {
    const DAYS: [(&str, Weekday); 7] = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    DAYS.iter()
        .find(|(name, _)| s.len() >= 3 && name.starts_with(s))
        .map(|(_, d)| *d)
}

/// `2d`, `1d12h`, `90m`, `1w`, with `-`/`+`, `in …` or `… ago`.
fn offset(s: &str) -> Option<When> {
    let (body, sign) = if let Some(rest) = s.strip_suffix("ago") {
        (rest.trim(), Some(Sign::Ago))
    } else if let Some(rest) = s.strip_prefix("in ") {
        (rest.trim(), Some(Sign::Ahead))
    } else if let Some(rest) = s.strip_prefix('-') {
        (rest, Some(Sign::Ago))
    } else if let Some(rest) = s.strip_prefix('+') {
        (rest, Some(Sign::Ahead))
    } else {
        (s, None)
    };
    let body: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    if body.is_empty() {
        return None;
    }
    let mut total = Duration::zero();
    let mut digits = String::new();
    for c in body.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: i64 = std::mem::take(&mut digits).parse().ok()?;
        total += match c {
            'w' => Duration::weeks(n),
            'd' => Duration::days(n),
            'h' => Duration::hours(n),
            'm' => Duration::minutes(n),
            _ => return None,
        };
    }
    digits.is_empty().then_some(When::Offset(total, sign))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chicago() -> chrono_tz::Tz {
        "America/Chicago".parse().unwrap()
    }

    /// `typed` at `now` (UTC) in Chicago, as RFC 3339 UTC.
    fn at(typed: &str, now: &str) -> String {
        let now: DateTime<Utc> = now.parse().unwrap();
        parse(typed)
            .unwrap_or_else(|e| panic!("{e}"))
            .resolve(chicago(), now)
            .to_rfc3339()
    }

    #[test]
    fn days_and_weekdays_are_local_days() {
        // (typed, now in UTC, instant in UTC)
        let table = [
            // Monday 23 November 2026, 09:00 in Chicago.
            ("now", "2026-11-23T15:00:00Z", "2026-11-23T15:00:00+00:00"),
            ("today", "2026-11-23T15:00:00Z", "2026-11-23T06:00:00+00:00"),
            (
                "tomorrow",
                "2026-11-23T15:00:00Z",
                "2026-11-24T06:00:00+00:00",
            ),
            (
                "yesterday 15:00",
                "2026-11-23T15:00:00Z",
                "2026-11-22T21:00:00+00:00",
            ),
            (
                "Friday",
                "2026-11-23T15:00:00Z",
                "2026-11-27T06:00:00+00:00",
            ),
            (
                "fri 9:30",
                "2026-11-23T15:00:00Z",
                "2026-11-27T15:30:00+00:00",
            ),
            (
                "monday",
                "2026-11-23T15:00:00Z",
                "2026-11-23T06:00:00+00:00",
            ),
            (
                "next monday",
                "2026-11-23T15:00:00Z",
                "2026-11-30T06:00:00+00:00",
            ),
            (
                "last monday",
                "2026-11-23T15:00:00Z",
                "2026-11-16T06:00:00+00:00",
            ),
            (
                "last friday",
                "2026-11-23T15:00:00Z",
                "2026-11-20T06:00:00+00:00",
            ),
            // Just before midnight in Chicago (05:59 UTC) it is still Sunday
            // there, though Monday in UTC: today is the Sunday.
            ("today", "2026-11-23T05:59:00Z", "2026-11-22T06:00:00+00:00"),
            (
                "tomorrow",
                "2026-11-23T05:59:00Z",
                "2026-11-23T06:00:00+00:00",
            ),
            // Week boundary: on Sunday, `monday` is the next day, `last monday` six days back.
            (
                "monday",
                "2026-11-23T05:59:00Z",
                "2026-11-23T06:00:00+00:00",
            ),
            (
                "last monday",
                "2026-11-23T05:59:00Z",
                "2026-11-16T06:00:00+00:00",
            ),
            (
                "sunday",
                "2026-11-23T05:59:00Z",
                "2026-11-22T06:00:00+00:00",
            ),
            // One minute later it is Monday in Chicago.
            ("today", "2026-11-23T06:00:00Z", "2026-11-23T06:00:00+00:00"),
            (
                "yesterday",
                "2026-11-23T06:00:00Z",
                "2026-11-22T06:00:00+00:00",
            ),
            // A date is midnight local, whatever the clock.
            (
                "2026-11-23",
                "2026-01-01T00:00:00Z",
                "2026-11-23T06:00:00+00:00",
            ),
            (
                "2026-11-23 15:00",
                "2026-01-01T00:00:00Z",
                "2026-11-23T21:00:00+00:00",
            ),
            (
                "2026-11-23T09:00:00-05:00",
                "2026-01-01T00:00:00Z",
                "2026-11-23T14:00:00+00:00",
            ),
        ];
        for (typed, now, want) in table {
            assert_eq!(at(typed, now), want, "{typed:?} at {now}");
        }
    }

    #[test]
    fn days_across_daylight_saving_changes() {
        let table = [
            // Sunday 8 March 2026: Chicago springs forward at 02:00 (CST -6 to CDT -5).
            ("today", "2026-03-08T18:00:00Z", "2026-03-08T06:00:00+00:00"),
            (
                "tomorrow",
                "2026-03-08T18:00:00Z",
                "2026-03-09T05:00:00+00:00",
            ),
            // 02:30 does not exist that night: the first time that does, 03:00 CDT.
            (
                "today 02:30",
                "2026-03-08T18:00:00Z",
                "2026-03-08T08:00:00+00:00",
            ),
            // A day offset is clock time: 24 hours, not "the same time yesterday".
            ("1d", "2026-03-09T14:00:00Z", "2026-03-08T14:00:00+00:00"),
            (
                "yesterday 09:00",
                "2026-03-09T14:00:00Z",
                "2026-03-08T14:00:00+00:00",
            ),
            // Sunday 1 November 2026: falls back at 02:00; 01:30 happens twice, the first is taken.
            (
                "today 01:30",
                "2026-11-01T18:00:00Z",
                "2026-11-01T06:30:00+00:00",
            ),
            (
                "tomorrow",
                "2026-11-01T18:00:00Z",
                "2026-11-02T06:00:00+00:00",
            ),
        ];
        for (typed, now, want) in table {
            assert_eq!(at(typed, now), want, "{typed:?} at {now}");
        }
    }

    #[test]
    fn offsets_are_past_unless_asked_ahead() {
        let now: DateTime<Utc> = "2026-11-23T15:00:00Z".parse().unwrap();
        let tz = chicago();
        let table = [
            (
                "2d",
                "2026-11-21T15:00:00+00:00",
                "2026-11-25T15:00:00+00:00",
            ),
            (
                "2d ago",
                "2026-11-21T15:00:00+00:00",
                "2026-11-21T15:00:00+00:00",
            ),
            (
                "-2d",
                "2026-11-21T15:00:00+00:00",
                "2026-11-21T15:00:00+00:00",
            ),
            (
                "in 2d",
                "2026-11-25T15:00:00+00:00",
                "2026-11-25T15:00:00+00:00",
            ),
            (
                "+36h",
                "2026-11-25T03:00:00+00:00",
                "2026-11-25T03:00:00+00:00",
            ),
            (
                "1d12h",
                "2026-11-22T03:00:00+00:00",
                "2026-11-25T03:00:00+00:00",
            ),
            (
                "90m",
                "2026-11-23T13:30:00+00:00",
                "2026-11-23T16:30:00+00:00",
            ),
            (
                "1w",
                "2026-11-16T15:00:00+00:00",
                "2026-11-30T15:00:00+00:00",
            ),
        ];
        for (typed, past, ahead) in table {
            let w = parse(typed).unwrap();
            assert_eq!(w.resolve(tz, now).to_rfc3339(), past, "{typed}");
            assert_eq!(w.resolve_ahead(tz, now).to_rfc3339(), ahead, "{typed}");
        }
    }

    #[test]
    fn anything_else_is_refused_naming_the_forms() {
        for typed in [
            "",
            "soon",
            "2x",
            "next",
            "fr",
            "tomorrow 25:00",
            "2026-13-01",
            "d",
        ] {
            let e = parse(typed).unwrap_err();
            assert!(
                e.contains("yesterday 15:00") && e.contains("RFC 3339"),
                "{typed}: {e}"
            );
        }
    }
}
