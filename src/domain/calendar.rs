//! Business-time calendar: opening hours per weekday in one time zone, minus
//! holidays, and the arithmetic the communication SLA needs.
//!
//! # Model
//!
//! *Business time* is the set of open spans of every local day in the
//! calendar's time zone. A day's spans come from, in order of precedence:
//!
//! 1. a holiday with a fixed date (`2026-12-25`),
//! 2. a holiday that repeats every year (`12-25`),
//! 3. the weekly hours for that weekday.
//!
//! A holiday without `hours` closes the day; a holiday with `hours` replaces
//! the day's spans with the given ones (a partial day).
//!
//! Spans are local wall-clock times, `HH:MM-HH:MM`, end exclusive; the end may
//! be `24:00`. A span turns into the real interval
//! `[resolve(start), resolve(end))`, where `resolve` maps a local time to an
//! instant: the unique instant if there is one; the earliest of the two in a
//! daylight-saving fold; and in a daylight-saving gap the first instant after
//! the gap (the earliest valid instant whose local time is not before the
//! requested one). A day whose hours straddle a switch is therefore an hour
//! shorter or longer in real time, and all arithmetic counts real minutes.
//!
//! A *business day* is a local date with some open time.
//!
//! All functions are pure and total: a calendar that would never open is
//! rejected by [`Calendar::new`], and every search is bounded.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use chrono::{
    DateTime, Datelike, Duration, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Time zone of [`CalendarConfig::default`].
pub const DEFAULT_TIMEZONE: &str = "America/New_York";

const MINUTES_PER_DAY: u32 = 24 * 60;

const WEEKDAYS: [(Weekday, &str); 7] = [
    (Weekday::Mon, "mon"),
    (Weekday::Tue, "tue"),
    (Weekday::Wed, "wed"),
    (Weekday::Thu, "thu"),
    (Weekday::Fri, "fri"),
    (Weekday::Sat, "sat"),
    (Weekday::Sun, "sun"),
];

/// The `[calendar]` section of the configuration, as written by people.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CalendarConfig {
    /// IANA time zone name, e.g. `America/Chicago`. Default `America/New_York`.
    pub timezone: String,
    /// Opening spans per weekday. Default Mon-Fri `09:00-17:00`.
    pub hours: WeeklyHours,
    /// Closed or partially open days.
    pub holidays: Vec<Holiday>,
}

impl CalendarConfig {
    /// The zone times are shown and typed in: the configured one, UTC when
    /// it does not parse (the commands that need the calendar report that).
    pub fn display_tz(&self) -> Tz {
        self.timezone.trim().parse().unwrap_or(Tz::UTC)
    }
}

impl Default for CalendarConfig {
    fn default() -> Self {
        CalendarConfig {
            timezone: DEFAULT_TIMEZONE.to_string(),
            hours: WeeklyHours::default(),
            holidays: Vec::new(),
        }
    }
}

/// Opening spans for each weekday, e.g. `["09:00-12:00", "13:00-17:00"]`.
///
/// A day left out keeps its default (Mon-Fri `09:00-17:00`, Sat/Sun closed);
/// an empty list closes the day.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct WeeklyHours {
    #[serde(alias = "monday")]
    pub mon: Vec<String>,
    #[serde(alias = "tuesday")]
    pub tue: Vec<String>,
    #[serde(alias = "wednesday")]
    pub wed: Vec<String>,
    #[serde(alias = "thursday")]
    pub thu: Vec<String>,
    #[serde(alias = "friday")]
    pub fri: Vec<String>,
    #[serde(alias = "saturday")]
    pub sat: Vec<String>,
    #[serde(alias = "sunday")]
    pub sun: Vec<String>,
}

impl WeeklyHours {
    /// The spans configured for `day`.
    pub fn day(&self, day: Weekday) -> &[String] {
        match day {
            Weekday::Mon => &self.mon,
            Weekday::Tue => &self.tue,
            Weekday::Wed => &self.wed,
            Weekday::Thu => &self.thu,
            Weekday::Fri => &self.fri,
            Weekday::Sat => &self.sat,
            Weekday::Sun => &self.sun,
        }
    }
}

impl Default for WeeklyHours {
    fn default() -> Self {
        let office = || vec!["09:00-17:00".to_string()];
        WeeklyHours {
            mon: office(),
            tue: office(),
            wed: office(),
            thu: office(),
            fri: office(),
            sat: Vec::new(),
            sun: Vec::new(),
        }
    }
}

/// A closed or partially open day.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    /// `YYYY-MM-DD` for one day, `MM-DD` for the same day every year.
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The spans that *are* open that day; absent (or empty) = closed all day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Vec<String>>,
}

/// Why a [`CalendarConfig`] cannot be used.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    #[error(
        "unknown time zone `{0}`: use an IANA name such as `America/New_York`, `Europe/Berlin` or `UTC`"
    )]
    UnknownTimezone(String),
    #[error(
        "bad opening span `{span}` in {place}: {reason}; write spans as `HH:MM-HH:MM`, e.g. `09:00-17:00` (the end may be `24:00`)"
    )]
    BadSpan {
        /// Where the span was found, e.g. `` `hours.mon` `` or `` holiday `12-24` ``.
        place: String,
        span: String,
        reason: String,
    },
    #[error(
        "bad holiday date `{date}`: {reason}; write `YYYY-MM-DD` for one day or `MM-DD` for every year"
    )]
    BadDate { date: String, reason: String },
    #[error(
        "the calendar is never open: give at least one weekday an opening span such as `09:00-17:00`, and do not close every one of its dates with holidays"
    )]
    NoOpenHours,
}

/// An open span of a local day, in minutes since local midnight; `end <= 1440`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

/// One open span of a local date turned into real time; `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Interval {
    date: NaiveDate,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Interval {
    fn len(&self) -> Duration {
        self.end - self.start
    }
}

/// A validated calendar, ready for arithmetic.
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: Tz,
    /// Indexed by `Weekday::num_days_from_monday`.
    weekly: [Vec<Span>; 7],
    fixed: BTreeMap<NaiveDate, Vec<Span>>,
    yearly: BTreeMap<(u32, u32), Vec<Span>>,
    /// Upper bound on a run of consecutive closed days; searches give up
    /// after this many (which only a bug could reach).
    scan_limit: u32,
    /// Each local date's intervals, resolved once: sweep and the views add
    /// business time to thousands of cases waiting from the same few weeks,
    /// and resolving a day through the time zone is most of the cost.
    days: RefCell<HashMap<NaiveDate, Vec<Interval>>>,
}

impl Default for Calendar {
    /// The calendar of [`CalendarConfig::default`].
    fn default() -> Self {
        Calendar::new(&CalendarConfig::default()).expect("the default calendar is valid")
    }
}

fn parse_clock(s: &str, is_end: bool) -> Result<u32, String> {
    let bad = || format!("`{s}` is not a time of day");
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    let digits = |p: &str, max_len: usize| {
        !p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 2) || !digits(m, 2) || m.len() != 2 {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(format!("`{s}` is out of range"));
    }
    if h == 24 && !is_end {
        return Err("a span cannot start at `24:00`".to_string());
    }
    Ok(h * 60 + m)
}

fn parse_span(s: &str) -> Result<Span, String> {
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| "expected a start and an end separated by `-`".to_string())?;
    let start = parse_clock(a.trim(), false)?;
    let end = parse_clock(b.trim(), true)?;
    if end <= start {
        return Err("the end is not after the start".to_string());
    }
    Ok(Span { start, end })
}

/// Parses a day's spans, sorts them and merges spans that touch.
/// `place` names the list in an error (built only then).
fn parse_spans(list: &[String], place: impl Fn() -> String) -> Result<Vec<Span>, CalendarError> {
    let mut spans = Vec::with_capacity(list.len());
    for s in list {
        let span = parse_span(s).map_err(|reason| CalendarError::BadSpan {
            place: place(),
            span: s.clone(),
            reason,
        })?;
        spans.push((span, s));
    }
    spans.sort_by_key(|(span, _)| span.start);
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for (i, (span, text)) in spans.iter().enumerate() {
        match merged.last_mut() {
            Some(last) if span.start < last.end => {
                return Err(CalendarError::BadSpan {
                    place: place(),
                    span: (*text).clone(),
                    reason: format!("it overlaps `{}`", spans[i - 1].1),
                });
            }
            Some(last) if span.start == last.end => last.end = span.end,
            _ => merged.push(*span),
        }
    }
    Ok(merged)
}

enum HolidayDate {
    Fixed(NaiveDate),
    Yearly(u32, u32),
}

fn parse_holiday_date(s: &str) -> Result<HolidayDate, CalendarError> {
    let bad = |reason: &str| CalendarError::BadDate {
        date: s.to_string(),
        reason: reason.to_string(),
    };
    let parts: Vec<&str> = s.trim().split('-').collect();
    let num = |p: &str, len: usize| {
        if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse::<i32>().ok()
        } else {
            None
        }
    };
    match parts.as_slice() {
        [y, m, d] => {
            let (y, m, d) = match (num(y, 4), num(m, 2), num(d, 2)) {
                (Some(y), Some(m), Some(d)) => (y, m as u32, d as u32),
                _ => return Err(bad("not a date")),
            };
            NaiveDate::from_ymd_opt(y, m, d)
                .map(HolidayDate::Fixed)
                .ok_or_else(|| bad("no such day"))
        }
        [m, d] => {
            let (m, d) = match (num(m, 2), num(d, 2)) {
                (Some(m), Some(d)) => (m as u32, d as u32),
                _ => return Err(bad("not a date")),
            };
            // 2000 is a leap year, so `02-29` is accepted (it applies in leap years).
            NaiveDate::from_ymd_opt(2000, m, d)
                .map(|_| HolidayDate::Yearly(m, d))
                .ok_or_else(|| bad("no such day"))
        }
        _ => Err(bad("not a date")),
    }
}

/// Length of the longest run of `false` in a cyclic sequence that has a `true`.
fn longest_cyclic_gap(open: &[bool]) -> Option<u32> {
    let first = open.iter().position(|&o| o)?;
    let (mut best, mut run) = (0u32, 0u32);
    for i in 1..=open.len() {
        if open[(first + i) % open.len()] {
            run = 0;
        } else {
            run += 1;
            best = best.max(run);
        }
    }
    Some(best)
}

impl Calendar {
    /// Validates `cfg`.
    pub fn new(cfg: &CalendarConfig) -> Result<Calendar, CalendarError> {
        let tz: Tz = cfg
            .timezone
            .trim()
            .parse()
            .map_err(|_| CalendarError::UnknownTimezone(cfg.timezone.clone()))?;

        let mut weekly: [Vec<Span>; 7] = Default::default();
        for (i, (day, name)) in WEEKDAYS.iter().enumerate() {
            weekly[i] = parse_spans(cfg.hours.day(*day), || format!("`hours.{name}`"))?;
        }

        let mut fixed = BTreeMap::new();
        let mut yearly = BTreeMap::new();
        for h in &cfg.holidays {
            let spans = match &h.hours {
                Some(list) => parse_spans(list, || format!("holiday `{}`", h.date))?,
                None => Vec::new(),
            };
            let duplicate = match parse_holiday_date(&h.date)? {
                HolidayDate::Fixed(d) => fixed.insert(d, spans).is_some(),
                HolidayDate::Yearly(m, d) => yearly.insert((m, d), spans).is_some(),
            };
            if duplicate {
                return Err(CalendarError::BadDate {
                    date: h.date.clone(),
                    reason: "it is listed twice; keep one entry".to_string(),
                });
            }
        }

        let mut cal = Calendar {
            tz,
            weekly,
            fixed,
            yearly,
            scan_limit: 0,
            days: RefCell::default(),
        };
        // Weekly hours and yearly holidays repeat every 400 years (146097 days,
        // a whole number of weeks). Bound their longest closed run; fixed
        // holidays can join runs, each bridging at most one open day, and a
        // daylight-saving gap can swallow a day's only span now and then.
        let open_weekdays: Vec<bool> = cal.weekly.iter().map(|s| !s.is_empty()).collect();
        let weekly_gap = longest_cyclic_gap(&open_weekdays);
        // Any `weekly_gap + 1` days in a row hold an open weekday, so a closed
        // run shorter than a year holds a yearly holiday per such stretch:
        // with H of them it is shorter than (weekly_gap + 1) * (H + 1). Only
        // when that could reach a year are the 400 years walked day by day.
        let holidays = u32::try_from(cal.yearly.len()).unwrap_or(u32::MAX);
        let bound = weekly_gap.map(|g| (g + 1).saturating_mul(holidays.saturating_add(1)) - 1);
        let periodic_gap = if cal.yearly.is_empty() {
            weekly_gap
        } else if let Some(bound) = bound.filter(|b| *b < 365) {
            Some(bound)
        } else {
            let start = NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date");
            let open: Vec<bool> = start
                .iter_days()
                .take(146_097)
                .map(|d| !cal.periodic_spans(d).is_empty())
                .collect();
            longest_cyclic_gap(&open)
        };
        let gap = periodic_gap.ok_or(CalendarError::NoOpenHours)?;
        let fixed_count = u32::try_from(cal.fixed.len()).unwrap_or(u32::MAX);
        cal.scan_limit = (gap + 1)
            .saturating_mul(fixed_count.saturating_add(2))
            .saturating_mul(2)
            .saturating_add(400);
        Ok(cal)
    }

    /// The calendar's time zone.
    pub fn timezone(&self) -> Tz {
        self.tz
    }

    /// `t`'s date in the calendar's time zone.
    pub fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        // Not `with_timezone(..).date_naive()`: that panics at the ends of time.
        let offset = self.tz.offset_from_utc_datetime(&t.naive_utc()).fix();
        t.naive_utc()
            .checked_add_offset(offset)
            .map_or_else(|| t.date_naive(), |local| local.date())
    }

    /// Whether the local `date` has any open time.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        !self.day_intervals(date).is_empty()
    }

    /// Whether the local `date` is one of the configured holidays (closed or short).
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.fixed.contains_key(&date) || self.yearly.contains_key(&(date.month(), date.day()))
    }

    /// The open intervals of the local `date`, in real time, in order.
    pub fn open_intervals(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        self.day_intervals(date)
            .into_iter()
            .map(|iv| (iv.start, iv.end))
            .collect()
    }

    /// Whether `t` is in business time (spans are closed at the start, open at the end).
    pub fn is_open(&self, t: DateTime<Utc>) -> bool {
        let d = self.local_date(t);
        [d.pred_opt(), Some(d), d.succ_opt()]
            .into_iter()
            .flatten()
            .flat_map(|d| self.day_intervals(d))
            .any(|iv| iv.start <= t && t < iv.end)
    }

    /// The first instant at or after `t` that is open: `t` itself if open.
    pub fn next_opening(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        self.forward(t)
            .next()
            .map_or(DateTime::<Utc>::MAX_UTC, |iv| iv.start.max(t))
    }

    /// Adds `minutes` of business time to `t`.
    ///
    /// An instant outside hours first moves to the next opening (so adding 0
    /// gives [`next_opening`](Self::next_opening)); then `minutes` open minutes
    /// are consumed. The result is the earliest instant at which they have
    /// been: landing exactly on the close of a span gives that close, not the
    /// next opening. Negative `minutes` go back in time the same way (an
    /// instant outside hours first moves back to the previous close; landing
    /// exactly on an opening gives that opening).
    pub fn add_business_minutes(&self, t: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
        let Some(mut remaining) = Duration::try_minutes(minutes.saturating_abs()) else {
            return if minutes < 0 {
                DateTime::<Utc>::MIN_UTC
            } else {
                DateTime::<Utc>::MAX_UTC
            };
        };
        if minutes >= 0 {
            for iv in self.forward(t) {
                let from = iv.start.max(t);
                let available = iv.end - from;
                if remaining <= available {
                    return from + remaining;
                }
                remaining -= available;
            }
            DateTime::<Utc>::MAX_UTC
        } else {
            for iv in self.backward(t) {
                let to = iv.end.min(t);
                let available = to - iv.start;
                if remaining <= available {
                    return to - remaining;
                }
                remaining -= available;
            }
            DateTime::<Utc>::MIN_UTC
        }
    }

    /// Adds `hours` business hours: [`add_business_minutes`](Self::add_business_minutes) with `hours * 60`.
    pub fn add_business_hours(&self, t: DateTime<Utc>, hours: i64) -> DateTime<Utc> {
        self.add_business_minutes(t, hours.saturating_mul(60))
    }

    /// Adds `days` business days to `t`, keeping the business-clock offset.
    ///
    /// First `t` moves to [`next_opening`](Self::next_opening)`(t)` if it is
    /// closed; call that day (the local date of the span it falls in) the
    /// start day. The *offset* is the business time elapsed on the start day
    /// before that instant (0 at its first opening). The result is the
    /// earliest instant at which the same offset has elapsed on the `days`-th
    /// following business day (a local date with open time); if that day has
    /// less open time than the offset (a partial holiday), the result is its
    /// last close. Adding 0 days gives `next_opening(t)`.
    ///
    /// On ordinary days this is the same wall-clock time `days` business days
    /// later; when a daylight-saving switch falls inside open hours the offset
    /// is real time, so the wall-clock time may differ by the switch.
    pub fn add_business_days(&self, t: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        let Some(first) = self.forward(t).next() else {
            return DateTime::<Utc>::MAX_UTC;
        };
        let t0 = first.start.max(t);
        if days == 0 {
            return t0;
        }
        let offset: Duration = self
            .day_intervals(first.date)
            .iter()
            .filter(|iv| iv.start < t0)
            .map(|iv| iv.end.min(t0) - iv.start)
            .sum();

        let mut date = first.date;
        let mut left = days;
        let mut closed_run = 0u32;
        let target = loop {
            let Some(next) = date.succ_opt() else {
                return DateTime::<Utc>::MAX_UTC;
            };
            date = next;
            let ivs = self.day_intervals(date);
            if ivs.is_empty() {
                closed_run += 1;
                if closed_run > self.scan_limit {
                    return DateTime::<Utc>::MAX_UTC;
                }
                continue;
            }
            closed_run = 0;
            left -= 1;
            if left == 0 {
                break ivs;
            }
        };

        let mut remaining = offset;
        for iv in &target {
            if remaining <= iv.len() {
                return iv.start + remaining;
            }
            remaining -= iv.len();
        }
        target.last().expect("a business day has an interval").end
    }

    /// Business minutes from `a` to `b` (whole minutes, truncated); negative if `b < a`.
    pub fn business_minutes_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        if b < a {
            return -self.business_minutes_between(b, a);
        }
        let mut total = Duration::zero();
        for iv in self.forward(a) {
            if iv.start >= b {
                break;
            }
            total += iv.end.min(b) - iv.start.max(a);
        }
        total.num_minutes()
    }

    // ----- internals -------------------------------------------------------

    /// The spans of `date` from yearly holidays and weekly hours only.
    fn periodic_spans(&self, date: NaiveDate) -> &[Span] {
        match self.yearly.get(&(date.month(), date.day())) {
            Some(spans) => spans,
            None => &self.weekly[date.weekday().num_days_from_monday() as usize],
        }
    }

    /// The spans of the local `date`, holidays applied.
    fn spans(&self, date: NaiveDate) -> &[Span] {
        match self.fixed.get(&date) {
            Some(spans) => spans,
            None => self.periodic_spans(date),
        }
    }

    /// The non-empty real intervals of the local `date`, in order.
    fn day_intervals(&self, date: NaiveDate) -> Vec<Interval> {
        if let Some(known) = self.days.borrow().get(&date) {
            return known.clone();
        }
        let found = self.resolve_day(date);
        self.days.borrow_mut().insert(date, found.clone());
        found
    }

    fn resolve_day(&self, date: NaiveDate) -> Vec<Interval> {
        self.spans(date)
            .iter()
            .filter_map(|span| {
                let start = self.resolve(date, span.start)?;
                let end = self.resolve(date, span.end)?;
                (start < end).then_some(Interval { date, start, end })
            })
            .collect()
    }

    /// The instant of local `date` + `minute` (see the module docs).
    fn resolve(&self, date: NaiveDate, minute: u32) -> Option<DateTime<Utc>> {
        debug_assert!(minute <= MINUTES_PER_DAY);
        let naive = date
            .and_time(NaiveTime::MIN)
            .checked_add_signed(Duration::minutes(i64::from(minute)))?;
        match self.tz.from_local_datetime(&naive) {
            MappedLocalTime::Single(t) => Some(t.with_timezone(&Utc)),
            MappedLocalTime::Ambiguous(a, b) => Some(a.min(b).with_timezone(&Utc)),
            MappedLocalTime::None => self.gap_end(naive),
        }
    }

    /// For a local time that does not exist: the first instant whose local
    /// time is not before it (the end of the gap).
    fn gap_end(&self, naive: NaiveDateTime) -> Option<DateTime<Utc>> {
        let target = naive.and_utc().timestamp();
        let local = |secs: i64| -> Option<i64> {
            let u = DateTime::from_timestamp(secs, 0)?;
            let offset = self.tz.offset_from_utc_datetime(&u.naive_utc()).fix();
            Some(secs + i64::from(offset.local_minus_utc()))
        };
        // UTC offsets lie within ±26 hours, so local(lo) < target <= local(hi).
        let (mut lo, mut hi) = (target - 26 * 3600, target + 26 * 3600);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if local(mid)? >= target {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        DateTime::from_timestamp(hi, 0)
    }

    /// Open intervals that end after `t`, in order.
    fn forward(&self, t: DateTime<Utc>) -> Scan<'_> {
        Scan {
            cal: self,
            date: self.local_date(t).pred_opt(),
            pivot: t,
            forward: true,
            buf: Vec::new(),
        }
    }

    /// Open intervals that start before `t`, latest first.
    fn backward(&self, t: DateTime<Utc>) -> Scan<'_> {
        Scan {
            cal: self,
            date: self.local_date(t).succ_opt(),
            pivot: t,
            forward: false,
            buf: Vec::new(),
        }
    }
}

/// A bounded walk over open intervals, day by day, from a pivot instant.
struct Scan<'a> {
    cal: &'a Calendar,
    date: Option<NaiveDate>,
    pivot: DateTime<Utc>,
    forward: bool,
    /// The current day's remaining intervals, next one last.
    buf: Vec<Interval>,
}

impl Iterator for Scan<'_> {
    type Item = Interval;

    fn next(&mut self) -> Option<Interval> {
        let mut closed_days = 0u32;
        loop {
            if let Some(iv) = self.buf.pop() {
                return Some(iv);
            }
            if closed_days > self.cal.scan_limit {
                return None;
            }
            let date = self.date?;
            let mut ivs = self.cal.day_intervals(date);
            if self.forward {
                self.date = date.succ_opt();
                ivs.retain(|iv| iv.end > self.pivot);
                ivs.reverse();
            } else {
                self.date = date.pred_opt();
                ivs.retain(|iv| iv.start < self.pivot);
            }
            if ivs.is_empty() {
                closed_days += 1;
            }
            self.buf = ivs;
        }
    }
}

/// A timestamp as people read it in tables, history lines and mail: `2026-11-23
/// 09:00` in the zone `tz`.
pub fn short_time(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;
    use proptest::prelude::*;

    // ----- helpers ---------------------------------------------------------

    fn cal(toml_src: &str) -> Calendar {
        let cfg: CalendarConfig = toml::from_str(toml_src).expect("test config parses");
        Calendar::new(&cfg).expect("test config is valid")
    }

    /// Default calendar: America/New_York, Mon-Fri 09:00-17:00.
    fn office() -> Calendar {
        Calendar::default()
    }

    /// Office hours plus holidays: Christmas 2026 (fixed), New Year (yearly),
    /// Christmas Eve (yearly, open 09:00-12:00 only).
    fn holidays() -> Calendar {
        cal(r#"
            [[holidays]]
            date = "2026-12-25"
            name = "Christmas"
            [[holidays]]
            date = "01-01"
            name = "New Year"
            [[holidays]]
            date = "12-24"
            name = "Christmas Eve"
            hours = ["09:00-12:00"]
        "#)
    }

    /// Mon-Fri with a lunch break.
    fn lunch() -> Calendar {
        cal(r#"
            [hours]
            mon = ["09:00-12:00", "13:00-17:00"]
            tue = ["13:00-17:00", "09:00-12:00"]
            wed = ["09:00-12:00", "13:00-17:00"]
            thu = ["09:00-12:00", "13:00-17:00"]
            fri = ["09:00-12:00", "13:00-17:00"]
        "#)
    }

    /// Local wall-clock `YYYY-MM-DD HH:MM` in `c`'s zone (earliest if ambiguous).
    fn at(c: &Calendar, s: &str) -> DateTime<Utc> {
        let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test time");
        c.timezone()
            .from_local_datetime(&naive)
            .earliest()
            .expect("test time exists")
            .with_timezone(&Utc)
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("test RFC 3339 time")
    }

    /// `t` as local wall-clock time with weekday.
    fn show(c: &Calendar, t: DateTime<Utc>) -> String {
        t.with_timezone(&c.timezone())
            .format("%a %Y-%m-%d %H:%M")
            .to_string()
    }

    /// `t` as local wall-clock time with weekday and zone abbreviation.
    fn show_z(c: &Calendar, t: DateTime<Utc>) -> String {
        t.with_timezone(&c.timezone())
            .format("%a %Y-%m-%d %H:%M %Z")
            .to_string()
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn minutes_open(c: &Calendar, d: &str) -> i64 {
        c.open_intervals(date(d))
            .iter()
            .map(|(a, b)| (*b - *a).num_minutes())
            .sum()
    }

    // ----- configuration ---------------------------------------------------

    #[test]
    fn default_config_is_new_york_office_hours() {
        let cfg = CalendarConfig::default();
        assert_eq!(cfg.timezone, "America/New_York");
        assert_eq!(cfg.hours.mon, vec!["09:00-17:00"]);
        assert_eq!(cfg.hours.fri, vec!["09:00-17:00"]);
        assert!(cfg.hours.sat.is_empty() && cfg.hours.sun.is_empty());
        assert!(cfg.holidays.is_empty());
        let from_empty: CalendarConfig = toml::from_str("").unwrap();
        assert_eq!(from_empty, cfg);
        assert_eq!(office().timezone(), chrono_tz::America::New_York);
    }

    #[test]
    fn config_may_give_only_some_days() {
        let cfg: CalendarConfig = toml::from_str(
            r#"
            timezone = "Europe/Berlin"
            [hours]
            sat = ["10:00-14:00"]
            friday = []
            "#,
        )
        .unwrap();
        assert_eq!(cfg.timezone, "Europe/Berlin");
        assert_eq!(cfg.hours.mon, vec!["09:00-17:00"]);
        assert!(cfg.hours.fri.is_empty());
        assert_eq!(cfg.hours.sat, vec!["10:00-14:00"]);
        assert!(cfg.hours.sun.is_empty());
    }

    #[test]
    fn config_rejects_unknown_fields() {
        for src in [
            "timezon = \"UTC\"",
            "[hours]\nmonnday = [\"09:00-17:00\"]",
            "[[holidays]]\ndate = \"12-25\"\nhour = [\"09:00-12:00\"]",
        ] {
            assert!(toml::from_str::<CalendarConfig>(src).is_err(), "{src}");
        }
    }

    #[test]
    fn config_round_trips_through_toml_and_json() {
        let cfg: CalendarConfig = toml::from_str(
            r#"
            timezone = "America/Chicago"
            [hours]
            mon = ["08:00-12:00", "13:00-17:30"]
            [[holidays]]
            date = "2026-11-26"
            name = "Thanksgiving"
            [[holidays]]
            date = "12-24"
            hours = ["08:00-12:00"]
            "#,
        )
        .unwrap();
        let again: CalendarConfig = toml::from_str(&toml::to_string(&cfg).unwrap()).unwrap();
        assert_eq!(again, cfg);
        let json: CalendarConfig =
            serde_json::from_str(&serde_json::to_string(&cfg).unwrap()).unwrap();
        assert_eq!(json, cfg);
        Calendar::new(&cfg).unwrap();
    }

    fn error_of(toml_src: &str) -> CalendarError {
        let cfg: CalendarConfig = toml::from_str(toml_src).unwrap();
        Calendar::new(&cfg).expect_err("config should be rejected")
    }

    #[test]
    fn unknown_timezone_is_named_in_the_error() {
        let err = error_of("timezone = \"Mars/Olympus\"");
        assert_eq!(err, CalendarError::UnknownTimezone("Mars/Olympus".into()));
        let msg = err.to_string();
        assert!(msg.contains("`Mars/Olympus`"), "{msg}");
        assert!(msg.contains("IANA"), "{msg}");
    }

    #[test]
    fn bad_spans_are_rejected_with_the_span_and_day() {
        let cases = [
            ("9-17", "`9` is not a time of day"),
            ("09:00", "expected a start and an end separated by `-`"),
            ("17:00-09:00", "the end is not after the start"),
            ("09:00-09:00", "the end is not after the start"),
            ("09:00-25:00", "`25:00` is out of range"),
            ("09:60-10:00", "`09:60` is out of range"),
            ("24:00-24:00", "a span cannot start at `24:00`"),
            ("09:00-24:30", "`24:30` is out of range"),
            ("9:0-10:00", "`9:0` is not a time of day"),
            ("+9:00-10:00", "`+9:00` is not a time of day"),
            ("", "expected a start and an end separated by `-`"),
        ];
        for (span, reason) in cases {
            let err = error_of(&format!("[hours]\ntue = [{span:?}]"));
            assert_eq!(
                err,
                CalendarError::BadSpan {
                    place: "`hours.tue`".into(),
                    span: span.into(),
                    reason: reason.into()
                },
                "{span}"
            );
            let msg = err.to_string();
            assert!(msg.contains(&format!("`{span}`")), "{msg}");
            assert!(msg.contains("HH:MM-HH:MM"), "{msg}");
        }
    }

    #[test]
    fn overlapping_spans_are_rejected_touching_spans_merge() {
        let err = error_of("[hours]\nmon = [\"09:00-12:00\", \"11:00-17:00\"]");
        assert_eq!(
            err.to_string(),
            "bad opening span `11:00-17:00` in `hours.mon`: it overlaps `09:00-12:00`; \
             write spans as `HH:MM-HH:MM`, e.g. `09:00-17:00` (the end may be `24:00`)"
        );
        let c = cal("[hours]\nmon = [\"12:00-17:00\", \"09:00-12:00\"]");
        let iv = c.open_intervals(date("2026-03-02"));
        assert_eq!(
            iv,
            vec![(utc("2026-03-02T14:00:00Z"), utc("2026-03-02T22:00:00Z"))]
        );
        // Spaces around the dash and one-digit hours are fine.
        let c = cal("[hours]\nmon = [\" 9:00 - 17:00 \"]");
        assert_eq!(minutes_open(&c, "2026-03-02"), 480);
    }

    #[test]
    fn bad_holiday_spans_name_the_holiday() {
        let err = error_of("[[holidays]]\ndate = \"12-24\"\nhours = [\"12:00-09:00\"]");
        assert!(
            matches!(&err, CalendarError::BadSpan { place, .. } if place == "holiday `12-24`"),
            "{err:?}"
        );
    }

    #[test]
    fn bad_holiday_dates_are_rejected() {
        let cases = [
            ("2026-02-30", "no such day"),
            ("2026-13-01", "no such day"),
            ("13-01", "no such day"),
            ("02-30", "no such day"),
            ("2026/12/25", "not a date"),
            ("2026-12-5", "not a date"),
            ("Dec 25", "not a date"),
            ("", "not a date"),
            ("26-12-25", "not a date"),
        ];
        for (d, reason) in cases {
            let err = error_of(&format!("[[holidays]]\ndate = {d:?}"));
            assert_eq!(
                err,
                CalendarError::BadDate {
                    date: d.into(),
                    reason: reason.into()
                },
                "{d}"
            );
            let msg = err.to_string();
            assert!(
                msg.contains(&format!("`{d}`")) && msg.contains("MM-DD"),
                "{msg}"
            );
        }
        // 02-29 is a valid yearly date.
        cal("[[holidays]]\ndate = \"02-29\"");
    }

    #[test]
    fn a_date_listed_twice_is_rejected() {
        let err = error_of("[[holidays]]\ndate = \"12-25\"\n[[holidays]]\ndate = \"12-25\"");
        assert!(err.to_string().contains("listed twice"), "{err}");
        // The same day once fixed and once yearly is fine: fixed wins.
        let c = cal(r#"
            [[holidays]]
            date = "12-24"
            [[holidays]]
            date = "2026-12-24"
            hours = ["09:00-10:00"]
        "#);
        assert_eq!(minutes_open(&c, "2026-12-24"), 60);
        assert_eq!(minutes_open(&c, "2027-12-24"), 0);
    }

    #[test]
    fn a_calendar_that_never_opens_is_rejected() {
        let closed = r#"
            [hours]
            mon = []
            tue = []
            wed = []
            thu = []
            fri = []
        "#;
        assert_eq!(error_of(closed), CalendarError::NoOpenHours);
        assert!(error_of(closed).to_string().contains("`09:00-17:00`"));
        // Fixed holidays with hours are finite, so they do not count.
        let err = error_of(&format!(
            "{closed}\n[[holidays]]\ndate = \"2026-07-01\"\nhours = [\"09:00-17:00\"]"
        ));
        assert_eq!(err, CalendarError::NoOpenHours);
        // Yearly holidays closing every date of the year.
        let mut src = String::new();
        for d in NaiveDate::from_ymd_opt(2000, 1, 1)
            .unwrap()
            .iter_days()
            .take(366)
        {
            src.push_str(&format!("[[holidays]]\ndate = \"{}\"\n", d.format("%m-%d")));
        }
        assert_eq!(error_of(&src), CalendarError::NoOpenHours);
    }

    /// The closed run of weekends and a yearly holiday week is found past
    /// its end, whichever weekday the week starts on (the bound on closed
    /// runs is never shorter than the run).
    #[test]
    fn a_yearly_closed_week_is_crossed() {
        let mut src = String::from("[hours]\nmon = [\"09:00-17:00\"]\ntue = [\"09:00-17:00\"]\nwed = [\"09:00-17:00\"]\nthu = [\"09:00-17:00\"]\nfri = [\"09:00-17:00\"]\n");
        for d in [
            "12-24", "12-25", "12-26", "12-27", "12-28", "12-29", "12-30", "12-31", "01-01",
        ] {
            src.push_str(&format!("[[holidays]]\ndate = \"{d}\"\n"));
        }
        let c = cal(&src);
        let table = [
            ("2027-12-23 17:00", "Mon 2028-01-03 09:00"),
            ("2028-12-22 17:00", "Tue 2029-01-02 09:00"),
            ("2032-12-23 17:00", "Mon 2033-01-03 09:00"),
        ];
        for (from, next) in table {
            assert_eq!(show(&c, c.next_opening(at(&c, from))), next, "{from}");
        }
    }

    #[test]
    fn a_calendar_open_one_day_a_year_still_works() {
        let c = cal(r#"
            [hours]
            mon = []
            tue = []
            wed = []
            thu = []
            fri = []
            [[holidays]]
            date = "07-04"
            hours = ["10:00-11:00"]
        "#);
        let t = at(&c, "2026-07-05 00:00");
        assert_eq!(show(&c, c.next_opening(t)), "Sun 2027-07-04 10:00");
        assert_eq!(
            show(&c, c.add_business_minutes(t, 90)),
            "Tue 2028-07-04 10:30"
        );
        assert_eq!(show(&c, c.add_business_days(t, 2)), "Wed 2029-07-04 10:00");
        assert_eq!(
            show(&c, c.add_business_minutes(t, -30)),
            "Sat 2026-07-04 10:30"
        );
        assert_eq!(
            c.business_minutes_between(t, at(&c, "2030-01-01 00:00")),
            180
        );
    }

    // ----- is_open / next_opening ------------------------------------------

    #[test]
    fn is_open_table() {
        let (o, h, l) = (office(), holidays(), lunch());
        let cases: &[(&Calendar, &str, bool)] = &[
            (&o, "2026-03-02 09:00", true), // Monday opening
            (&o, "2026-03-02 08:59", false),
            (&o, "2026-03-02 16:59", true),
            (&o, "2026-03-02 17:00", false), // the close itself is closed
            (&o, "2026-03-02 23:00", false),
            (&o, "2026-03-07 12:00", false), // Saturday
            (&o, "2026-03-08 12:00", false), // Sunday
            (&h, "2026-12-24 09:00", true),  // Christmas Eve, partial
            (&h, "2026-12-24 11:59", true),
            (&h, "2026-12-24 12:00", false),
            (&h, "2026-12-25 10:00", false), // Christmas 2026, fixed
            (&h, "2030-12-25 10:00", true),  // a fixed holiday is one year only
            (&h, "2027-01-01 10:00", false), // New Year, yearly
            (&h, "2031-01-01 10:00", false),
            (&h, "2027-12-24 10:00", true), // Christmas Eve is yearly
            (&h, "2027-12-24 13:00", false),
            (&l, "2026-03-02 11:59", true),
            (&l, "2026-03-02 12:00", false),
            (&l, "2026-03-02 12:59", false),
            (&l, "2026-03-02 13:00", true),
        ];
        for (c, t, open) in cases {
            assert_eq!(c.is_open(at(c, t)), *open, "{t}");
        }
    }

    #[test]
    fn next_opening_table() {
        let (o, h, l) = (office(), holidays(), lunch());
        let cases: &[(&Calendar, &str, &str)] = &[
            (&o, "2026-03-04 12:34", "Wed 2026-03-04 12:34"), // open: itself
            (&o, "2026-03-02 08:00", "Mon 2026-03-02 09:00"),
            (&o, "2026-03-02 00:00", "Mon 2026-03-02 09:00"),
            (&o, "2026-03-02 17:00", "Tue 2026-03-03 09:00"),
            (&o, "2026-03-06 17:00", "Mon 2026-03-09 09:00"), // weekend (and DST)
            (&o, "2026-03-07 11:00", "Mon 2026-03-09 09:00"),
            (&h, "2026-12-24 12:00", "Mon 2026-12-28 09:00"),
            (&h, "2026-12-24 08:00", "Thu 2026-12-24 09:00"),
            (&h, "2026-12-31 17:30", "Mon 2027-01-04 09:00"),
            (&l, "2026-03-02 12:00", "Mon 2026-03-02 13:00"),
            (&l, "2026-03-02 12:30", "Mon 2026-03-02 13:00"),
        ];
        for (c, t, want) in cases {
            let got = c.next_opening(at(c, t));
            assert_eq!(show(c, got), *want, "{t}");
            assert!(c.is_open(got), "{t}");
        }
        // Seconds are kept when already open.
        let t = utc("2026-03-04T15:00:30.5Z");
        assert_eq!(o.next_opening(t), t);
    }

    #[test]
    fn business_days_and_local_dates() {
        let h = holidays();
        assert!(h.is_business_day(date("2026-12-24")));
        assert!(!h.is_business_day(date("2026-12-25")));
        assert!(!h.is_business_day(date("2026-12-26")));
        assert!(h.is_business_day(date("2026-12-28")));
        assert!(!h.is_business_day(date("2027-01-01")));
        // 2026-03-03 02:00 UTC is still March 2nd in New York.
        assert_eq!(
            h.local_date(utc("2026-03-03T02:00:00Z")),
            date("2026-03-02")
        );
        assert_eq!(
            h.local_date(utc("2026-03-03T05:00:00Z")),
            date("2026-03-03")
        );
    }

    // ----- add_business_minutes --------------------------------------------

    #[test]
    fn add_business_minutes_table() {
        let (o, h, l) = (office(), holidays(), lunch());
        let cases: &[(&Calendar, &str, i64, &str)] = &[
            (&o, "2026-03-02 09:00", 60, "Mon 2026-03-02 10:00"),
            (&o, "2026-03-02 16:00", 60, "Mon 2026-03-02 17:00"), // lands on the close
            (&o, "2026-03-02 16:00", 61, "Tue 2026-03-03 09:01"),
            (&o, "2026-03-02 09:00", 480, "Mon 2026-03-02 17:00"),
            (&o, "2026-03-02 09:00", 481, "Tue 2026-03-03 09:01"),
            (&o, "2026-03-02 09:00", 2400, "Fri 2026-03-06 17:00"),
            (&o, "2026-03-06 16:30", 60, "Mon 2026-03-09 09:30"), // over the weekend
            (&o, "2026-03-07 10:00", 30, "Mon 2026-03-09 09:30"), // from Saturday
            (&o, "2026-03-02 20:00", 0, "Tue 2026-03-03 09:00"),  // evening, zero
            (&o, "2026-03-02 06:00", 15, "Mon 2026-03-02 09:15"), // early morning
            (&o, "2026-03-04 12:00", 0, "Wed 2026-03-04 12:00"),
            (&o, "2026-03-03 09:30", -60, "Mon 2026-03-02 16:30"),
            (&o, "2026-03-02 09:00", -60, "Fri 2026-02-27 16:00"),
            (&o, "2026-03-07 10:00", -30, "Fri 2026-03-06 16:30"), // from Saturday
            (&o, "2026-03-03 09:00", -480, "Mon 2026-03-02 09:00"), // lands on the opening
            (&o, "2026-03-02 17:00", -1, "Mon 2026-03-02 16:59"),
            (&l, "2026-03-02 11:30", 60, "Mon 2026-03-02 13:30"),
            (&l, "2026-03-02 11:00", 60, "Mon 2026-03-02 12:00"),
            (&l, "2026-03-02 12:30", 0, "Mon 2026-03-02 13:00"),
            (&l, "2026-03-02 12:30", 60, "Mon 2026-03-02 14:00"),
            (&l, "2026-03-02 13:30", -60, "Mon 2026-03-02 11:30"),
            (&h, "2026-12-23 16:00", 120, "Thu 2026-12-24 10:00"),
            (&h, "2026-12-24 11:00", 120, "Mon 2026-12-28 10:00"),
            (&h, "2026-12-31 16:00", 120, "Mon 2027-01-04 10:00"),
            (&h, "2026-12-28 10:00", -120, "Thu 2026-12-24 11:00"),
        ];
        for (c, t, n, want) in cases {
            assert_eq!(
                show(c, c.add_business_minutes(at(c, t), *n)),
                *want,
                "{t} {n:+}"
            );
        }
    }

    #[test]
    fn add_business_hours_is_sixty_minutes_each() {
        let o = office();
        let t = at(&o, "2026-03-06 15:00");
        assert_eq!(o.add_business_hours(t, 4), o.add_business_minutes(t, 240));
        assert_eq!(show(&o, o.add_business_hours(t, 4)), "Mon 2026-03-09 11:00");
        assert_eq!(
            show(&o, o.add_business_hours(t, -8)),
            "Thu 2026-03-05 15:00"
        );
    }

    // ----- add_business_days -----------------------------------------------

    #[test]
    fn add_business_days_table() {
        let (o, h, l) = (office(), holidays(), lunch());
        let cases: &[(&Calendar, &str, u32, &str)] = &[
            (&o, "2026-03-02 10:30", 1, "Tue 2026-03-03 10:30"),
            (&o, "2026-03-02 10:30", 5, "Mon 2026-03-09 10:30"),
            (&o, "2026-03-02 16:59", 1, "Tue 2026-03-03 16:59"),
            (&o, "2026-02-27 10:30", 1, "Mon 2026-03-02 10:30"), // Friday
            (&o, "2026-02-28 10:00", 1, "Tue 2026-03-03 09:00"), // Saturday: Monday's opening + 1
            (&o, "2026-02-27 17:00", 2, "Wed 2026-03-04 09:00"), // Friday close
            (&o, "2026-03-02 07:00", 1, "Tue 2026-03-03 09:00"),
            (&o, "2026-02-28 10:00", 0, "Mon 2026-03-02 09:00"),
            (&o, "2026-03-04 12:34", 0, "Wed 2026-03-04 12:34"),
            (&h, "2026-12-23 15:00", 1, "Thu 2026-12-24 12:00"), // clamped to the partial day's close
            (&h, "2026-12-23 15:00", 2, "Mon 2026-12-28 15:00"),
            (&h, "2026-12-23 11:00", 1, "Thu 2026-12-24 11:00"),
            (&h, "2026-12-24 10:00", 1, "Mon 2026-12-28 10:00"),
            (&h, "2026-12-30 10:00", 1, "Thu 2026-12-31 10:00"),
            (&h, "2026-12-30 10:00", 2, "Mon 2027-01-04 10:00"),
            (&l, "2026-03-02 14:00", 1, "Tue 2026-03-03 14:00"),
            (&l, "2026-03-02 09:30", 1, "Tue 2026-03-03 09:30"),
            // At lunch: Monday 13:00 is offset 3h, which is reached at Tuesday's 12:00 close.
            (&l, "2026-03-02 12:30", 1, "Tue 2026-03-03 12:00"),
        ];
        for (c, t, n, want) in cases {
            assert_eq!(
                show(c, c.add_business_days(at(c, t), *n)),
                *want,
                "{t} +{n}d"
            );
        }
    }

    #[test]
    fn add_business_days_keeps_seconds() {
        let o = office();
        let t = utc("2026-03-04T15:00:30Z");
        assert_eq!(o.add_business_days(t, 1), utc("2026-03-05T15:00:30Z"));
    }

    // ----- business_minutes_between ----------------------------------------

    #[test]
    fn business_minutes_between_table() {
        let (o, h, l) = (office(), holidays(), lunch());
        let cases: &[(&Calendar, &str, &str, i64)] = &[
            (&o, "2026-02-27 16:00", "2026-03-02 10:00", 120),
            (&o, "2026-03-02 10:00", "2026-02-27 16:00", -120),
            (&o, "2026-03-02 10:00", "2026-03-02 10:00", 0),
            (&o, "2026-03-07 08:00", "2026-03-08 20:00", 0), // weekend
            (&o, "2026-03-02 09:00", "2026-03-09 09:00", 2400),
            (&o, "2026-03-02 18:00", "2026-03-03 08:00", 0),
            (&o, "2026-03-02 08:00", "2026-03-02 18:00", 480),
            (&h, "2026-12-23 09:00", "2026-12-28 09:00", 660),
            (&h, "2026-12-31 09:00", "2027-01-04 10:00", 540),
            (&l, "2026-03-02 08:00", "2026-03-02 18:00", 420),
            (&l, "2026-03-02 11:30", "2026-03-02 13:30", 60),
        ];
        for (c, a, b, want) in cases {
            assert_eq!(
                c.business_minutes_between(at(c, a), at(c, b)),
                *want,
                "{a} → {b}"
            );
        }
        // Whole minutes, truncated toward zero.
        let a = utc("2026-03-02T14:00:00Z");
        assert_eq!(
            o.business_minutes_between(a, utc("2026-03-02T14:00:59Z")),
            0
        );
        assert_eq!(
            o.business_minutes_between(utc("2026-03-02T14:00:59Z"), a),
            0
        );
        assert_eq!(
            o.business_minutes_between(utc("2026-03-02T14:00:30Z"), utc("2026-03-02T14:02:00Z")),
            1
        );
    }

    // ----- daylight saving -------------------------------------------------

    #[test]
    fn office_hours_across_new_york_switches() {
        let o = office();
        // Spring forward, Sunday 2026-03-08: Friday EST, Monday EDT.
        let fri = at(&o, "2026-03-06 10:00");
        assert_eq!(fri, utc("2026-03-06T15:00:00Z"));
        let mon = o.add_business_days(fri, 1);
        assert_eq!(show_z(&o, mon), "Mon 2026-03-09 10:00 EDT");
        assert_eq!(mon, utc("2026-03-09T14:00:00Z"));
        assert_eq!(o.business_minutes_between(fri, mon), 480);
        assert_eq!(
            show_z(&o, o.add_business_minutes(at(&o, "2026-03-06 16:00"), 120)),
            "Mon 2026-03-09 10:00 EDT"
        );
        assert_eq!(
            o.business_minutes_between(at(&o, "2026-03-06 09:00"), at(&o, "2026-03-09 17:00")),
            960
        );
        // Fall back, Sunday 2026-11-01: Friday EDT, Monday EST.
        let fri = at(&o, "2026-10-30 10:00");
        assert_eq!(fri, utc("2026-10-30T14:00:00Z"));
        let mon = o.add_business_days(fri, 1);
        assert_eq!(show_z(&o, mon), "Mon 2026-11-02 10:00 EST");
        assert_eq!(mon, utc("2026-11-02T15:00:00Z"));
        assert_eq!(o.business_minutes_between(fri, mon), 480);
        assert_eq!(
            show_z(&o, o.add_business_minutes(mon, -120)),
            "Fri 2026-10-30 16:00 EDT"
        );
    }

    #[test]
    fn office_hours_across_berlin_switches() {
        let b = cal("timezone = \"Europe/Berlin\"");
        let fri = at(&b, "2026-03-27 10:00");
        assert_eq!(fri, utc("2026-03-27T09:00:00Z"));
        assert_eq!(
            show_z(&b, b.add_business_days(fri, 1)),
            "Mon 2026-03-30 10:00 CEST"
        );
        assert_eq!(b.add_business_days(fri, 1), utc("2026-03-30T08:00:00Z"));
        let fri = at(&b, "2026-10-23 16:30");
        assert_eq!(
            show_z(&b, b.add_business_minutes(fri, 60)),
            "Mon 2026-10-26 09:30 CET"
        );
        assert_eq!(
            show_z(&b, b.add_business_days(fri, 1)),
            "Mon 2026-10-26 16:30 CET"
        );
    }

    /// New York, open every day 00:00-06:00: the switch happens inside hours.
    fn night_shift() -> Calendar {
        let day = "[\"00:00-06:00\"]";
        cal(&format!(
            "[hours]\nmon = {day}\ntue = {day}\nwed = {day}\nthu = {day}\nfri = {day}\nsat = {day}\nsun = {day}"
        ))
    }

    #[test]
    fn spring_forward_inside_open_hours_makes_a_shorter_day() {
        let c = night_shift();
        assert_eq!(
            c.open_intervals(date("2026-03-08")),
            vec![(utc("2026-03-08T05:00:00Z"), utc("2026-03-08T10:00:00Z"))]
        );
        assert_eq!(minutes_open(&c, "2026-03-07"), 360);
        assert_eq!(minutes_open(&c, "2026-03-08"), 300);
        let sun = at(&c, "2026-03-08 00:00");
        assert_eq!(
            c.business_minutes_between(sun, at(&c, "2026-03-08 06:00")),
            300
        );
        assert!(c.is_open(utc("2026-03-08T07:30:00Z"))); // 03:30 EDT
                                                         // Three business hours after midnight is 04:00 on the clock: 02:00-03:00 never happened.
        assert_eq!(
            show_z(&c, c.add_business_minutes(sun, 180)),
            "Sun 2026-03-08 04:00 EDT"
        );
        assert_eq!(
            show_z(&c, c.add_business_minutes(sun, 300)),
            "Sun 2026-03-08 06:00 EDT"
        );
        assert_eq!(
            show_z(&c, c.add_business_minutes(sun, 301)),
            "Mon 2026-03-09 00:01 EDT"
        );
        // Offsets are real business time: Saturday 05:30 (offset 5h30) is past
        // Sunday's 5h, so it clamps to Sunday's close.
        let sat = at(&c, "2026-03-07 05:30");
        assert_eq!(
            show_z(&c, c.add_business_days(sat, 1)),
            "Sun 2026-03-08 06:00 EDT"
        );
        // Sunday 05:50 EDT is offset 4h50; Monday has no switch.
        let late = at(&c, "2026-03-08 05:50");
        assert_eq!(
            show_z(&c, c.add_business_days(late, 1)),
            "Mon 2026-03-09 04:50 EDT"
        );
    }

    #[test]
    fn fall_back_inside_open_hours_makes_a_longer_day() {
        let c = night_shift();
        assert_eq!(
            c.open_intervals(date("2026-11-01")),
            vec![(utc("2026-11-01T04:00:00Z"), utc("2026-11-01T11:00:00Z"))]
        );
        assert_eq!(minutes_open(&c, "2026-11-01"), 420);
        // Both 01:30s are open.
        assert!(c.is_open(utc("2026-11-01T05:30:00Z")));
        assert!(c.is_open(utc("2026-11-01T06:30:00Z")));
        let sat = at(&c, "2026-10-31 05:00");
        assert_eq!(
            show_z(&c, c.add_business_days(sat, 1)),
            "Sun 2026-11-01 04:00 EST"
        );
        let sun = at(&c, "2026-11-01 00:00");
        assert_eq!(
            show_z(&c, c.add_business_minutes(sun, 120)),
            "Sun 2026-11-01 01:00 EST"
        );
        assert_eq!(
            c.add_business_minutes(sun, 420),
            utc("2026-11-01T11:00:00Z")
        );
        // Sunday 05:30 EST is offset 6h30; Monday is only 6h long.
        let late = utc("2026-11-01T10:30:00Z");
        assert_eq!(
            show_z(&c, c.add_business_days(late, 1)),
            "Mon 2026-11-02 06:00 EST"
        );
        assert_eq!(c.business_minutes_between(sat, late), 60 + 390);
    }

    #[test]
    fn berlin_switches_inside_open_hours() {
        let day = "[\"01:00-05:00\"]";
        let c = cal(&format!(
            "timezone = \"Europe/Berlin\"\n[hours]\nsat = {day}\nsun = {day}"
        ));
        assert_eq!(
            c.open_intervals(date("2026-03-29")),
            vec![(utc("2026-03-29T00:00:00Z"), utc("2026-03-29T03:00:00Z"))]
        );
        assert_eq!(
            c.open_intervals(date("2026-10-25")),
            vec![(utc("2026-10-24T23:00:00Z"), utc("2026-10-25T04:00:00Z"))]
        );
        let sat = at(&c, "2026-03-28 04:00"); // offset 3h
        assert_eq!(
            show_z(&c, c.add_business_days(sat, 1)),
            "Sun 2026-03-29 05:00 CEST"
        );
        let sat = at(&c, "2026-10-24 04:00");
        assert_eq!(
            show_z(&c, c.add_business_days(sat, 1)),
            "Sun 2026-10-25 03:00 CET"
        );
    }

    #[test]
    fn span_ends_in_a_gap_or_fold_take_the_earliest_valid_instant() {
        // Start in the spring gap: 02:30 does not exist, the span opens at 03:00 EDT.
        let c = cal("[hours]\nsun = [\"02:30-04:00\"]");
        assert_eq!(
            c.open_intervals(date("2026-03-08")),
            vec![(utc("2026-03-08T07:00:00Z"), utc("2026-03-08T08:00:00Z"))]
        );
        assert_eq!(
            show_z(&c, c.next_opening(at(&c, "2026-03-07 20:00"))),
            "Sun 2026-03-08 03:00 EDT"
        );
        // Start in the autumn fold: the first 01:30 (EDT).
        let c = cal("[hours]\nsun = [\"01:30-03:00\"]");
        assert_eq!(
            c.open_intervals(date("2026-11-01")),
            vec![(utc("2026-11-01T05:30:00Z"), utc("2026-11-01T08:00:00Z"))]
        );
        // End in the fold: the first 01:30 too.
        let c = cal("[hours]\nsun = [\"00:00-01:30\"]");
        assert_eq!(
            c.open_intervals(date("2026-11-01")),
            vec![(utc("2026-11-01T04:00:00Z"), utc("2026-11-01T05:30:00Z"))]
        );
        // A span wholly inside the gap is empty: that Sunday is no business day.
        let c = cal("[hours]\nsun = [\"02:00-02:45\"]");
        assert!(c.open_intervals(date("2026-03-08")).is_empty());
        assert!(!c.is_business_day(date("2026-03-08")));
        assert!(c.is_business_day(date("2026-03-15")));
        let fri = at(&c, "2026-03-06 10:00");
        assert_eq!(
            show(&c, c.add_business_days(fri, 1)),
            "Mon 2026-03-09 10:00"
        );
        assert_eq!(
            show(&c, c.add_business_days(fri, 6)),
            "Sun 2026-03-15 02:45"
        );
    }

    #[test]
    fn santiago_switches_at_midnight() {
        // Chile springs forward at 24:00 Saturday 2026-09-05: Sunday starts at 01:00.
        let c = cal(r#"
            timezone = "America/Santiago"
            [hours]
            sat = ["18:00-24:00"]
            sun = ["00:00-06:00"]
        "#);
        assert_eq!(
            c.open_intervals(date("2026-09-05")),
            vec![(utc("2026-09-05T22:00:00Z"), utc("2026-09-06T04:00:00Z"))]
        );
        assert_eq!(
            c.open_intervals(date("2026-09-06")),
            vec![(utc("2026-09-06T04:00:00Z"), utc("2026-09-06T09:00:00Z"))]
        );
        let sat = at(&c, "2026-09-05 18:00");
        assert_eq!(
            c.business_minutes_between(sat, sat + Duration::hours(11)),
            660
        );
        assert_eq!(
            show_z(&c, c.add_business_minutes(sat, 360)),
            "Sun 2026-09-06 01:00 -03"
        );
        // And falls back at 24:00 Saturday 2026-04-04: 23:00-24:00 happens twice.
        assert_eq!(minutes_open(&c, "2026-04-04"), 7 * 60);
        assert!(c.is_open(utc("2026-04-05T03:30:00Z"))); // the second 23:30
        assert_eq!(minutes_open(&c, "2026-04-05"), 6 * 60);
    }

    // ----- robustness ------------------------------------------------------

    #[test]
    fn no_panics_at_the_edges_of_time() {
        let cals = [
            office(),
            holidays(),
            cal("timezone = \"UTC\""),
            cal("timezone = \"Pacific/Kiritimati\""),
            cal("timezone = \"Pacific/Niue\"\n[hours]\nsun = [\"00:00-24:00\"]"),
        ];
        let times = [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            utc("1970-01-01T00:00:00Z"),
            utc("1900-06-01T12:00:00Z"),
            utc("2200-12-31T23:59:59Z"),
        ];
        for c in &cals {
            for &t in &times {
                let _ = c.is_open(t);
                let _ = c.next_opening(t);
                let _ = c.local_date(t);
                for n in [0, 1, 600, -600, i64::MAX, i64::MIN] {
                    let _ = c.add_business_minutes(t, n);
                }
                let _ = c.add_business_hours(t, i64::MAX);
                let _ = c.add_business_days(t, 3);
            }
            // Cost is linear in the days spanned, so only within sane years.
            let (a, b) = (utc("1970-01-01T00:00:00Z"), utc("2200-12-31T23:59:59Z"));
            assert!(c.business_minutes_between(a, b) > 0);
            assert!(c.business_minutes_between(b, a) < 0);
        }
        let o = office();
        let end = utc("2200-12-31T12:00:00Z");
        assert_eq!(
            show(&o, o.add_business_days(end, 1)),
            "Thu 2201-01-01 09:00"
        );
        let start = utc("1970-01-01T00:00:00Z");
        assert_eq!(show(&o, o.next_opening(start)), "Thu 1970-01-01 09:00");
    }

    // ----- property tests against brute-force oracles -----------------------

    const ZONES: [&str; 5] = [
        "UTC",
        "America/New_York",
        "Europe/Berlin",
        "Asia/Kolkata",
        "Australia/Lord_Howe",
    ];

    /// A calendar as plain data, with a minute-by-minute reading of it that
    /// shares no code with [`Calendar`].
    ///
    /// Span ends avoid 01:00-03:00, where these zones switch, so the local
    /// wall-clock reading below and the calendar's resolution rule agree;
    /// spans that straddle the switches are generated.
    #[derive(Debug, Clone)]
    struct Model {
        zone: &'static str,
        tz: Tz,
        weekly: [Vec<(u32, u32)>; 7],
        fixed: BTreeMap<NaiveDate, Vec<(u32, u32)>>,
        yearly: BTreeMap<(u32, u32), Vec<(u32, u32)>>,
    }

    impl Model {
        fn spans(&self, d: NaiveDate) -> &[(u32, u32)] {
            if let Some(s) = self.fixed.get(&d) {
                return s;
            }
            if let Some(s) = self.yearly.get(&(d.month(), d.day())) {
                return s;
            }
            &self.weekly[d.weekday().num_days_from_monday() as usize]
        }

        fn is_open(&self, u: DateTime<Utc>) -> bool {
            let local = u.with_timezone(&self.tz);
            let m = local.hour() * 60 + local.minute();
            self.spans(local.date_naive())
                .iter()
                .any(|&(s, e)| s <= m && m < e)
        }

        fn config(&self) -> CalendarConfig {
            let fmt = |spans: &[(u32, u32)]| -> Vec<String> {
                spans
                    .iter()
                    .map(|(s, e)| {
                        format!("{:02}:{:02}-{:02}:{:02}", s / 60, s % 60, e / 60, e % 60)
                    })
                    .collect()
            };
            let w = &self.weekly;
            let mut holidays = Vec::new();
            for (d, s) in &self.fixed {
                holidays.push(Holiday {
                    date: d.format("%Y-%m-%d").to_string(),
                    name: None,
                    hours: Some(fmt(s)),
                });
            }
            for ((m, d), s) in &self.yearly {
                holidays.push(Holiday {
                    date: format!("{m:02}-{d:02}"),
                    name: Some("yearly".into()),
                    hours: if s.is_empty() { None } else { Some(fmt(s)) },
                });
            }
            CalendarConfig {
                timezone: self.zone.to_string(),
                hours: WeeklyHours {
                    mon: fmt(&w[0]),
                    tue: fmt(&w[1]),
                    wed: fmt(&w[2]),
                    thu: fmt(&w[3]),
                    fri: fmt(&w[4]),
                    sat: fmt(&w[5]),
                    sun: fmt(&w[6]),
                },
                holidays,
            }
        }

        fn calendar(&self) -> Calendar {
            Calendar::new(&self.config()).expect("generated calendar is valid")
        }

        fn weekly_minutes(&self) -> i64 {
            self.weekly
                .iter()
                .flatten()
                .map(|(s, e)| i64::from(e - s))
                .sum()
        }
    }

    const MINUTE: Duration = Duration::minutes(1);

    /// Walks minute by minute (`t` must be on a whole minute).
    fn oracle_add(m: &Model, t: DateTime<Utc>, n: i64) -> DateTime<Utc> {
        let mut u = t;
        if n == 0 {
            while !m.is_open(u) {
                u += MINUTE;
            }
            return u;
        }
        let mut left = n.abs();
        loop {
            if n > 0 {
                if m.is_open(u) {
                    left -= 1;
                    if left == 0 {
                        return u + MINUTE;
                    }
                }
                u += MINUTE;
            } else {
                u -= MINUTE;
                if m.is_open(u) {
                    left -= 1;
                    if left == 0 {
                        return u;
                    }
                }
            }
        }
    }

    fn oracle_between(m: &Model, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        if b < a {
            return -oracle_between(m, b, a);
        }
        let mut n = 0;
        let mut u = a;
        while u < b {
            n += i64::from(m.is_open(u));
            u += MINUTE;
        }
        n
    }

    /// The open minutes whose local date is `d`, in order.
    fn oracle_day_minutes(m: &Model, d: NaiveDate) -> Vec<DateTime<Utc>> {
        let midnight = d.and_time(NaiveTime::MIN).and_utc();
        let mut u = midnight - Duration::hours(15);
        let mut out = Vec::new();
        while u < midnight + Duration::hours(37) {
            if u.with_timezone(&m.tz).date_naive() == d && m.is_open(u) {
                out.push(u);
            }
            u += MINUTE;
        }
        out
    }

    /// Walks day by day, with minute walks for the offsets.
    fn oracle_add_days(m: &Model, t: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        let t0 = oracle_add(m, t, 0);
        if n == 0 {
            return t0;
        }
        let start_day = t0.with_timezone(&m.tz).date_naive();
        let offset = oracle_day_minutes(m, start_day)
            .iter()
            .filter(|&&u| u < t0)
            .count();
        let mut d = start_day;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().unwrap();
            if !m.spans(d).is_empty() {
                left -= 1;
            }
        }
        let minutes = oracle_day_minutes(m, d);
        match offset {
            0 => minutes[0],
            k if k <= minutes.len() => minutes[k - 1] + MINUTE,
            _ => *minutes.last().unwrap() + MINUTE,
        }
    }

    fn boundaries() -> Vec<u32> {
        (0..=96)
            .map(|i| i * 15)
            .filter(|m| !(60..=180).contains(m))
            .collect()
    }

    /// 0-2 disjoint, non-touching spans.
    fn day_spans() -> impl Strategy<Value = Vec<(u32, u32)>> {
        let b = boundaries();
        prop::collection::btree_set(0..b.len(), 0..=4).prop_map(move |set| {
            let v: Vec<u32> = set.into_iter().map(|i| b[i]).collect();
            v.chunks_exact(2).map(|c| (c[0], c[1])).collect()
        })
    }

    fn week() -> impl Strategy<Value = [Vec<(u32, u32)>; 7]> {
        let office = {
            let d = vec![(540, 1020)];
            [
                d.clone(),
                d.clone(),
                d.clone(),
                d.clone(),
                d,
                vec![],
                vec![],
            ]
        };
        prop_oneof![Just(office), prop::array::uniform7(day_spans()),].prop_map(|mut w| {
            if w.iter().all(|d| d.is_empty()) {
                w[0] = vec![(540, 1020)];
            }
            w
        })
    }

    fn model() -> impl Strategy<Value = Model> {
        let fixed = prop::collection::btree_map(
            (0i64..730).prop_map(|i| date("2026-01-01") + Duration::days(i)),
            day_spans(),
            0..4,
        );
        let yearly = prop::collection::btree_map((1u32..=12, 1u32..=28), day_spans(), 0..3);
        (prop::sample::select(&ZONES[..]), week(), fixed, yearly).prop_map(
            |(zone, weekly, fixed, yearly)| Model {
                zone,
                tz: zone.parse().unwrap(),
                weekly,
                fixed,
                yearly,
            },
        )
    }

    /// Whole-minute instants in 2026-2027, half of them near a switch.
    fn instant() -> impl Strategy<Value = DateTime<Utc>> {
        let base = utc("2026-01-01T00:00:00Z");
        let switches: Vec<DateTime<Utc>> = [
            "2026-03-08T07:00:00Z",
            "2026-11-01T06:00:00Z",
            "2026-03-29T01:00:00Z",
            "2026-10-25T01:00:00Z",
            "2026-04-04T15:00:00Z",
            "2026-10-03T15:30:00Z",
        ]
        .iter()
        .map(|s| utc(s))
        .collect();
        prop_oneof![
            (0i64..2 * 365 * 1440).prop_map(move |m| base + Duration::minutes(m)),
            (prop::sample::select(switches), -4 * 1440i64..4 * 1440)
                .prop_map(|(s, m)| s + Duration::minutes(m)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn is_open_and_next_opening_match_the_oracle(m in model(), t in instant()) {
            let c = m.calendar();
            prop_assert_eq!(c.is_open(t), m.is_open(t));
            let next = c.next_opening(t);
            prop_assert_eq!(next, oracle_add(&m, t, 0));
            prop_assert!(c.is_open(next));
        }

        #[test]
        fn add_business_minutes_matches_the_oracle(
            m in model(), t in instant(), raw in 0i64..3000, back in any::<bool>()
        ) {
            let c = m.calendar();
            // Keep the oracle's walk to a few weeks even for sparse calendars.
            let n = raw % (2 * m.weekly_minutes() + 1);
            let n = if back { -n } else { n };
            let got = c.add_business_minutes(t, n);
            prop_assert_eq!(got, oracle_add(&m, t, n), "{} {:+}", t, n);
            prop_assert_eq!(c.business_minutes_between(t, got), n);
        }

        #[test]
        fn business_minutes_between_matches_the_oracle(
            m in model(), a in instant(), len in -14 * 1440i64..14 * 1440
        ) {
            let c = m.calendar();
            let b = a + Duration::minutes(len);
            let got = c.business_minutes_between(a, b);
            prop_assert_eq!(got, oracle_between(&m, a, b));
            prop_assert_eq!(c.business_minutes_between(b, a), -got);
        }

        #[test]
        fn adding_up_to_a_close_lands_on_the_close(m in model(), t in instant(), k in 1usize..=3) {
            let c = m.calendar();
            // The k-th instant after t at which the oracle goes from open to closed.
            let mut u = t;
            let mut seen = 0;
            while seen < k {
                if m.is_open(u) && !m.is_open(u + MINUTE) {
                    seen += 1;
                }
                u += MINUTE;
            }
            let n = oracle_between(&m, t, u);
            prop_assert_eq!(c.add_business_minutes(t, n), u, "{} {:+}", t, n);
            // And back again: to t, or onto the opening after t if t is closed.
            let back = c.add_business_minutes(u, -n);
            prop_assert_eq!(back, oracle_add(&m, u, -n));
            prop_assert_eq!(back, c.next_opening(t));
        }

        #[test]
        fn add_business_days_matches_the_oracle(m in model(), t in instant(), n in 0u32..=10) {
            let c = m.calendar();
            prop_assert_eq!(c.add_business_days(t, n), oracle_add_days(&m, t, n), "{} +{}d", t, n);
        }
    }
}
