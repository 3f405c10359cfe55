//! Communication SLA: when a case must next be contacted, by priority.
//!
//! From the SOP: Standard cases get a first contact within 1 business day,
//! then at least every 2 business days; Expedited within 4 business hours,
//! then every business day; P1-P4 have their own table. An agreed On Hold
//! date replaces the SLA. Business time comes from a [`Calendar`].

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::calendar::Calendar;
use super::case::Priority;

/// The priority whose rule applies when a case's priority has none.
pub const FALLBACK_PRIORITY: &str = "standard";

/// A span of business time: `30m`, `4h`, `1d`, `4 business hours`, `2 business days`.
///
/// Hours are kept as minutes. Serialized as its [`Display`](fmt::Display)
/// form (`30m`, `4h`, `2d`), which parses back to the same value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BusinessDuration {
    /// Business minutes; see [`Calendar::add_business_minutes`].
    Minutes(u32),
    /// Business days; see [`Calendar::add_business_days`].
    Days(u32),
}

/// A string that is not a [`BusinessDuration`].
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
#[error(
    "invalid business duration `{0}`: write a whole number and a unit, e.g. `30m`, `4h`, `1d`, `4 business hours` or `2 business days`"
)]
pub struct ParseDurationError(pub String);

impl FromStr for BusinessDuration {
    type Err = ParseDurationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseDurationError(s.to_string());
        let text = s.trim().to_ascii_lowercase();
        let digits = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let n: u32 = text[..digits].parse().map_err(|_| err())?;
        let unit = match text[digits..].split_whitespace().collect::<Vec<_>>()[..] {
            [unit] | ["business", unit] => unit,
            _ => return Err(err()),
        };
        match unit {
            "m" | "min" | "mins" | "minute" | "minutes" => Ok(Self::Minutes(n)),
            "h" | "hr" | "hrs" | "hour" | "hours" => {
                n.checked_mul(60).map(Self::Minutes).ok_or_else(err)
            }
            "d" | "day" | "days" => Ok(Self::Days(n)),
            _ => Err(err()),
        }
    }
}

impl fmt::Display for BusinessDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Days(d) => write!(f, "{d}d"),
            Self::Minutes(m) if m > 0 && m % 60 == 0 => write!(f, "{}h", m / 60),
            Self::Minutes(m) => write!(f, "{m}m"),
        }
    }
}

impl Serialize for BusinessDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for BusinessDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl BusinessDuration {
    /// `t` plus this much business time in `cal`.
    pub fn add_to(&self, cal: &Calendar, t: DateTime<Utc>) -> DateTime<Utc> {
        match *self {
            Self::Minutes(m) => cal.add_business_minutes(t, i64::from(m)),
            Self::Days(d) => cal.add_business_days(t, d),
        }
    }

    /// The latest whole second a clock of this length can have started at
    /// and have run out by `now` (its deadline, [`add_to`](Self::add_to), at
    /// or before `now`); none within ten years. A later start never ends
    /// earlier, so a clock started at a whole second `t` has run out by
    /// `now` exactly when `t` is at or before this: one search instead of a
    /// deadline per case (sweep asks for thousands).
    pub fn latest_start_run_out_by(
        &self,
        cal: &Calendar,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let second = |s: i64| DateTime::<Utc>::from_timestamp(s, 0);
        let run_out = |s: i64| second(s).is_some_and(|t| self.add_to(cal, t) <= now);
        let hi = now.timestamp();
        if run_out(hi) {
            return second(hi);
        }
        // Back in doubling steps to a start that has run out, then halve the gap.
        let mut step = 3600;
        let mut lo = hi - step;
        while !run_out(lo) {
            step *= 2;
            if step > 10 * 366 * 86_400 {
                return None;
            }
            lo = hi - step;
        }
        let mut hi = hi;
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if run_out(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        second(lo)
    }
}

/// The SLA of one priority.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SlaRule {
    /// From opening the case to the first contact.
    pub first_contact: BusinessDuration,
    /// From one contact to the next.
    pub follow_up: BusinessDuration,
}

impl SlaRule {
    const fn new(first_contact: BusinessDuration, follow_up: BusinessDuration) -> Self {
        SlaRule {
            first_contact,
            follow_up,
        }
    }

    /// The SOP's Standard rule: first contact within 1 business day, then every 2.
    pub const STANDARD: SlaRule =
        SlaRule::new(BusinessDuration::Days(1), BusinessDuration::Days(2));
}

/// SLA rules by priority name (lowercase: `standard`, `expedited`, `p1` …).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(transparent)]
pub struct SlaConfig(pub BTreeMap<String, SlaRule>);

impl Default for SlaConfig {
    /// standard 1d/2d, expedited 4h/1d, p1 1h/4h, p2 4h/1d, p3 1d/2d, p4 2d/5d.
    fn default() -> Self {
        use BusinessDuration::{Days, Minutes};
        let rules = [
            ("standard", SlaRule::STANDARD),
            ("expedited", SlaRule::new(Minutes(4 * 60), Days(1))),
            ("p1", SlaRule::new(Minutes(60), Minutes(4 * 60))),
            ("p2", SlaRule::new(Minutes(4 * 60), Days(1))),
            ("p3", SlaRule::new(Days(1), Days(2))),
            ("p4", SlaRule::new(Days(2), Days(5))),
        ];
        SlaConfig(
            rules
                .into_iter()
                .map(|(name, rule)| (name.to_string(), rule))
                .collect(),
        )
    }
}

impl SlaConfig {
    /// The rule for `priority`, ignoring case and surrounding space.
    pub fn rule(&self, priority: &str) -> Option<&SlaRule> {
        let key = priority.trim().to_lowercase();
        self.0.get(&key).or_else(|| {
            self.0
                .iter()
                .find(|(name, _)| name.trim().to_lowercase() == key)
                .map(|(_, rule)| rule)
        })
    }

    /// The rule that applies to `priority`: its own, else `standard`'s, else
    /// the SOP's Standard rule.
    pub fn rule_or_fallback(&self, priority: &str) -> SlaRule {
        self.rule(priority)
            .or_else(|| self.rule(FALLBACK_PRIORITY))
            .copied()
            .unwrap_or(SlaRule::STANDARD)
    }

    /// These rules, plus the defaults for priorities they do not name.
    pub fn or_defaults(mut self) -> Self {
        for (name, rule) in SlaConfig::default().0 {
            if self.rule(&name).is_none() {
                self.0.insert(name, rule);
            }
        }
        self
    }
}

/// Inputs of the due-time computation for one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaInput {
    pub priority: Priority,
    pub opened_at: DateTime<Utc>,
    /// The first outbound contact attempt or reply, if any.
    pub first_contact_at: Option<DateTime<Utc>>,
    /// The latest outbound contact attempt or reply, if any.
    pub last_contact_at: Option<DateTime<Utc>>,
    /// The agreed date of an On Hold case.
    pub hold_until: Option<DateTime<Utc>>,
    /// False once the case is closed.
    pub open: bool,
}

/// When a case is due for contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DueTimes {
    /// Opening plus the first-contact SLA, kept for reporting even after contact.
    pub first_contact_due: Option<DateTime<Utc>>,
    /// When the next contact is due.
    pub next_due: Option<DateTime<Utc>>,
}

/// The due times of one case.
///
/// - A closed case is never due: both are `None`.
/// - `first_contact_due` = `opened_at` + the rule's `first_contact`.
/// - `next_due` = `hold_until` if the case is on hold with an agreed date;
///   else the latest contact + the rule's `follow_up`; else (no contact yet)
///   `first_contact_due`.
/// - A priority `[sla]` has no rule for uses the `standard` rule.
pub fn due_times(cal: &Calendar, sla: &SlaConfig, input: &SlaInput) -> DueTimes {
    if !input.open {
        return DueTimes {
            first_contact_due: None,
            next_due: None,
        };
    }
    let rule = sla.rule_or_fallback(input.priority.sla_key());
    let first_contact_due = rule.first_contact.add_to(cal, input.opened_at);
    let last_contact = match (input.first_contact_at, input.last_contact_at) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let next_due = match (input.hold_until, last_contact) {
        (Some(hold), _) => hold,
        (None, Some(contact)) => rule.follow_up.add_to(cal, contact),
        (None, None) => first_contact_due,
    };
    DueTimes {
        first_contact_due: Some(first_contact_due),
        next_due: Some(next_due),
    }
}

/// How late a contact due at `next_due` is at `now`, in business minutes: the
/// plain definition [`LateClock`] is checked against.
///
/// `None` while `now <= next_due`. Past the due instant it is `Some`, even
/// when no business time has passed since (`Some(0)`: due at Friday's close,
/// still missed on Saturday).
#[cfg(test)]
pub fn overdue_by(cal: &Calendar, next_due: DateTime<Utc>, now: DateTime<Utc>) -> Option<i64> {
    (now > next_due).then(|| cal.business_minutes_between(next_due, now))
}

/// Business minutes as hours and minutes: `45m`, `3h`, `11h 20m`, `-1h 30m`.
pub fn format_business_minutes(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.unsigned_abs();
    match (m / 60, m % 60) {
        (0, m) => format!("{sign}{m}m"),
        (h, 0) => format!("{sign}{h}h"),
        (h, m) => format!("{sign}{h}h {m}m"),
    }
}

/// How late an overdue case is, as the views print it. A case that fell due
/// at the close of business is overdue all evening with no business minute
/// gone by yet: "<1m", not a "0m late" that reads as not late at all.
pub fn lateness_text(minutes: i64) -> String {
    if minutes < 1 {
        "<1m".into()
    } else {
        format_business_minutes(minutes)
    }
}

/// How late a case's next contact is, in business minutes (`None` if it is not overdue).
#[cfg(test)]
pub fn late_minutes(
    cal: &Calendar,
    next_due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<i64> {
    overdue_by(cal, next_due?, now).map(|m| m.max(0))
}

/// [`late_minutes`] for many cases at one `now`: the same answer as
/// [`overdue_by`], but each whole business day between a due time and now
/// is measured once, not once per case (thousands of overdue cases, each days late).
pub struct LateClock<'a> {
    cal: &'a Calendar,
    now: DateTime<Utc>,
    today: NaiveDate,
    today_open: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// `back[k]`: the business time of the `k + 1` whole days before today.
    back: RefCell<Vec<Duration>>,
}

impl<'a> LateClock<'a> {
    pub fn new(cal: &'a Calendar, now: DateTime<Utc>) -> LateClock<'a> {
        let today = cal.local_date(now);
        LateClock {
            cal,
            now,
            today,
            today_open: cal.open_intervals(today),
            back: RefCell::new(Vec::new()),
        }
    }

    /// Business minutes `next_due` is past, or `None` if it is not overdue.
    pub fn late(&self, next_due: Option<DateTime<Utc>>) -> Option<i64> {
        let due = next_due?;
        if due >= self.now {
            return None;
        }
        let overlap = |ivs: &[(DateTime<Utc>, DateTime<Utc>)]| -> Duration {
            ivs.iter()
                .map(|&(a, b)| (b.min(self.now) - a.max(due)).max(Duration::zero()))
                .sum()
        };
        let day = self.cal.local_date(due);
        let total = if day >= self.today {
            overlap(&self.today_open)
        } else {
            let whole_days = (self.today - day).num_days() - 1;
            overlap(&self.cal.open_intervals(day))
                + self.whole_days_back(whole_days)
                + overlap(&self.today_open)
        };
        Some(total.num_minutes().max(0))
    }

    /// The business time of the `n` whole days before today.
    fn whole_days_back(&self, n: i64) -> Duration {
        let Ok(n) = usize::try_from(n) else {
            return Duration::zero();
        };
        if n == 0 {
            return Duration::zero();
        }
        let mut back = self.back.borrow_mut();
        while back.len() < n {
            let k = back.len();
            let date = self.today - chrono::Days::new(k as u64 + 1);
            let len: Duration = self
                .cal
                .open_intervals(date)
                .iter()
                .map(|&(a, b)| b - a)
                .sum();
            let prev = back.last().copied().unwrap_or_else(Duration::zero);
            back.push(prev + len);
        }
        back[n - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDateTime, TimeZone};
    use proptest::prelude::*;
    use BusinessDuration::{Days, Minutes};

    fn at(cal: &Calendar, s: &str) -> DateTime<Utc> {
        let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test time");
        cal.timezone()
            .from_local_datetime(&naive)
            .earliest()
            .expect("test time exists")
            .with_timezone(&Utc)
    }

    fn show(cal: &Calendar, t: Option<DateTime<Utc>>) -> Option<String> {
        t.map(|t| {
            t.with_timezone(&cal.timezone())
                .format("%a %Y-%m-%d %H:%M")
                .to_string()
        })
    }

    // ----- BusinessDuration --------------------------------------------------

    #[test]
    fn parse_accepted_forms() {
        let cases = [
            ("4h", Minutes(240)),
            ("30m", Minutes(30)),
            ("1d", Days(1)),
            ("2d", Days(2)),
            ("4 business hours", Minutes(240)),
            ("2 business days", Days(2)),
            ("1 business day", Days(1)),
            ("1 day", Days(1)),
            ("1 hour", Minutes(60)),
            ("3 hrs", Minutes(180)),
            ("45 minutes", Minutes(45)),
            (" 90 MIN ", Minutes(90)),
            ("2 Business  Days", Days(2)),
            ("0m", Minutes(0)),
            ("0d", Days(0)),
        ];
        for (s, want) in cases {
            assert_eq!(s.parse::<BusinessDuration>(), Ok(want), "{s:?}");
        }
    }

    #[test]
    fn parse_rejects_other_forms_and_says_what_is_accepted() {
        for s in [
            "",
            "h",
            "4",
            "4 weeks",
            "-1d",
            "+1d",
            "1.5h",
            "four hours",
            "4 business",
            "business 4 hours",
            "4 business business hours",
            "4h30m",
            "4 h m",
            "99999999h",
            "99999999999m",
        ] {
            let err = s.parse::<BusinessDuration>().expect_err(s);
            assert_eq!(err, ParseDurationError(s.to_string()));
            let msg = err.to_string();
            assert!(msg.contains(&format!("`{s}`")), "{msg}");
            assert!(
                msg.contains("`4h`") && msg.contains("`2 business days`"),
                "{msg}"
            );
        }
    }

    #[test]
    fn display_is_short_and_parses_back() {
        let cases = [
            (Minutes(240), "4h"),
            (Minutes(60), "1h"),
            (Minutes(90), "90m"),
            (Minutes(30), "30m"),
            (Minutes(0), "0m"),
            (Days(1), "1d"),
            (Days(0), "0d"),
        ];
        for (d, s) in cases {
            assert_eq!(d.to_string(), s);
            assert_eq!(s.parse::<BusinessDuration>(), Ok(d));
        }
    }

    #[test]
    fn serde_as_a_string() {
        assert_eq!(serde_json::to_string(&Minutes(240)).unwrap(), "\"4h\"");
        assert_eq!(serde_json::to_string(&Days(2)).unwrap(), "\"2d\"");
        assert_eq!(
            serde_json::from_str::<BusinessDuration>("\"4 business hours\"").unwrap(),
            Minutes(240)
        );
        let err = serde_json::from_str::<BusinessDuration>("\"soon\"").unwrap_err();
        assert!(
            err.to_string().contains("invalid business duration `soon`"),
            "{err}"
        );
        assert!(serde_json::from_str::<BusinessDuration>("4").is_err());
    }

    /// A whole-second start is at or before the latest start that has run
    /// out exactly when its own deadline is at or before now, across
    /// weekends, holidays, lunch breaks and a daylight-saving switch.
    #[test]
    fn the_latest_start_run_out_agrees_with_each_deadline() {
        let lunch: crate::config::CalendarConfig = toml::from_str(
            "[hours]\nmon = [\"09:00-12:00\", \"13:00-17:00\"]\ntue = [\"09:00-12:00\", \"13:00-17:00\"]\n\
             wed = [\"09:00-12:00\", \"13:00-17:00\"]\nthu = [\"09:00-12:00\", \"13:00-17:00\"]\n\
             fri = [\"09:00-12:00\", \"13:00-17:00\"]\n[[holidays]]\ndate = \"2026-11-26\"\nname = \"Thanksgiving\"\n",
        )
        .unwrap();
        let calendars = [Calendar::default(), Calendar::new(&lunch).unwrap()];
        let durations = [Minutes(0), Minutes(90), Minutes(240), Days(1), Days(3)];
        let nows = [
            "2026-11-23T14:00:00Z",
            "2026-11-27T16:30:00Z",
            "2026-03-09T13:05:00Z",
        ];
        for cal in &calendars {
            for d in durations {
                for now in nows {
                    let now: DateTime<Utc> = now.parse().unwrap();
                    let cut = d.latest_start_run_out_by(cal, now).unwrap();
                    // Every 7 minutes and 13 seconds over the three weeks before.
                    let mut t = now - Duration::days(21);
                    while t <= now {
                        assert_eq!(d.add_to(cal, t) <= now, t <= cut, "{d} from {t} by {now}");
                        t += Duration::seconds(433);
                    }
                    for t in [cut, cut + Duration::seconds(1)] {
                        assert_eq!(d.add_to(cal, t) <= now, t <= cut, "{d} from {t} by {now}");
                    }
                }
            }
        }
    }

    #[test]
    fn add_to_uses_minutes_or_days() {
        let cal = Calendar::default();
        let fri = at(&cal, "2026-02-27 15:00");
        assert_eq!(
            show(&cal, Some(Minutes(240).add_to(&cal, fri))).unwrap(),
            "Mon 2026-03-02 11:00"
        );
        assert_eq!(
            show(&cal, Some(Days(1).add_to(&cal, fri))).unwrap(),
            "Mon 2026-03-02 15:00"
        );
        assert_eq!(Minutes(0).add_to(&cal, fri), fri);
        assert_eq!(Days(0).add_to(&cal, fri), fri);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn display_round_trips(minutes in any::<u32>(), days in any::<u32>(), hours in 0u32..=u32::MAX / 60) {
            for d in [Minutes(minutes), Days(days), Minutes(hours * 60)] {
                prop_assert_eq!(d.to_string().parse::<BusinessDuration>(), Ok(d));
                let json = serde_json::to_string(&d).unwrap();
                prop_assert_eq!(serde_json::from_str::<BusinessDuration>(&json).unwrap(), d);
            }
        }
    }

    // ----- SlaConfig -------------------------------------------------------

    #[test]
    fn default_rules_follow_the_sop() {
        let sla = SlaConfig::default();
        let rule = |p: &str| *sla.rule(p).unwrap();
        assert_eq!(rule("standard"), SlaRule::new(Days(1), Days(2)));
        assert_eq!(rule("expedited"), SlaRule::new(Minutes(240), Days(1)));
        assert_eq!(rule("p1"), SlaRule::new(Minutes(60), Minutes(240)));
        assert_eq!(rule("p2"), SlaRule::new(Minutes(240), Days(1)));
        assert_eq!(rule("p3"), SlaRule::new(Days(1), Days(2)));
        assert_eq!(rule("p4"), SlaRule::new(Days(2), Days(5)));
        assert_eq!(sla.0.len(), 6);
    }

    #[test]
    fn rule_lookup_ignores_case() {
        let sla = SlaConfig::default();
        assert_eq!(sla.rule("P1"), sla.rule("p1"));
        assert_eq!(sla.rule(" Expedited "), sla.rule("expedited"));
        assert!(sla.rule("urgent").is_none());
        // Keys written with capitals in a config file are found too.
        let sla: SlaConfig =
            toml::from_str("[P1]\nfirst_contact = \"30m\"\nfollow_up = \"2h\"").unwrap();
        assert_eq!(
            sla.rule("p1"),
            Some(&SlaRule::new(Minutes(30), Minutes(120)))
        );
        assert_eq!(
            sla.rule("P1"),
            Some(&SlaRule::new(Minutes(30), Minutes(120)))
        );
    }

    #[test]
    fn fallback_is_standard_then_the_sop() {
        let sla = SlaConfig::default();
        assert_eq!(
            sla.rule_or_fallback("urgent"),
            *sla.rule("standard").unwrap()
        );
        let custom: SlaConfig =
            toml::from_str("[standard]\nfirst_contact = \"2h\"\nfollow_up = \"1d\"").unwrap();
        assert_eq!(
            custom.rule_or_fallback("p9"),
            SlaRule::new(Minutes(120), Days(1))
        );
        let empty = SlaConfig(BTreeMap::new());
        assert_eq!(empty.rule_or_fallback("p1"), SlaRule::STANDARD);
    }

    #[test]
    fn config_parses_from_toml_and_round_trips() {
        let sla: SlaConfig = toml::from_str(
            r#"
            [standard]
            first_contact = "1 business day"
            follow_up = "2 business days"
            [expedited]
            first_contact = "4 business hours"
            follow_up = "1d"
            "#,
        )
        .unwrap();
        assert_eq!(sla.rule("standard"), Some(&SlaRule::new(Days(1), Days(2))));
        assert_eq!(
            sla.rule("expedited"),
            Some(&SlaRule::new(Minutes(240), Days(1)))
        );
        let default = SlaConfig::default();
        let text = toml::to_string(&default).unwrap();
        assert!(text.contains("first_contact = \"4h\""), "{text}");
        assert_eq!(toml::from_str::<SlaConfig>(&text).unwrap(), default);
        let json = serde_json::to_string(&default).unwrap();
        assert_eq!(serde_json::from_str::<SlaConfig>(&json).unwrap(), default);
    }

    #[test]
    fn config_rejects_bad_rules() {
        for src in [
            "[p1]\nfirst_contact = \"1h\"",
            "[p1]\nfirst_contact = \"1h\"\nfollow_up = \"4h\"\nescalate = \"1d\"",
            "[p1]\nfirst_contact = \"soon\"\nfollow_up = \"4h\"",
        ] {
            assert!(toml::from_str::<SlaConfig>(src).is_err(), "{src}");
        }
    }

    #[test]
    fn or_defaults_fills_missing_priorities_only() {
        let sla = toml::from_str::<SlaConfig>("[P1]\nfirst_contact = \"30m\"\nfollow_up = \"2h\"")
            .unwrap()
            .or_defaults();
        assert_eq!(
            sla.rule("p1"),
            Some(&SlaRule::new(Minutes(30), Minutes(120)))
        );
        assert_eq!(sla.rule("p4"), SlaConfig::default().rule("p4"));
        assert_eq!(sla.0.len(), 6);
    }

    // ----- due_times ---------------------------------------------------------

    struct Case {
        name: &'static str,
        priority: &'static str,
        opened: &'static str,
        first_contact: Option<&'static str>,
        last_contact: Option<&'static str>,
        hold: Option<&'static str>,
        open: bool,
        first_due: Option<&'static str>,
        next_due: Option<&'static str>,
    }

    const CASE: Case = Case {
        name: "",
        priority: "standard",
        opened: "2026-03-02 10:00", // Monday
        first_contact: None,
        last_contact: None,
        hold: None,
        open: true,
        first_due: None,
        next_due: None,
    };

    #[test]
    fn due_times_table() {
        let cases = [
            Case {
                name: "standard, no contact: 1 business day",
                first_due: Some("Tue 2026-03-03 10:00"),
                next_due: Some("Tue 2026-03-03 10:00"),
                ..CASE
            },
            Case {
                name: "standard, contacted: 2 business days after the last contact",
                first_contact: Some("2026-03-02 11:00"),
                last_contact: Some("2026-03-03 15:00"),
                first_due: Some("Tue 2026-03-03 10:00"),
                next_due: Some("Thu 2026-03-05 15:00"),
                ..CASE
            },
            Case {
                name: "standard, only the first contact recorded",
                first_contact: Some("2026-03-02 11:00"),
                first_due: Some("Tue 2026-03-03 10:00"),
                next_due: Some("Wed 2026-03-04 11:00"),
                ..CASE
            },
            Case {
                name: "standard, follow-up over a weekend",
                last_contact: Some("2026-03-05 16:00"),
                first_due: Some("Tue 2026-03-03 10:00"),
                next_due: Some("Mon 2026-03-09 16:00"),
                ..CASE
            },
            Case {
                name: "standard, opened Friday evening: from Monday's opening",
                opened: "2026-02-27 18:30",
                first_due: Some("Tue 2026-03-03 09:00"),
                next_due: Some("Tue 2026-03-03 09:00"),
                ..CASE
            },
            Case {
                name: "standard, opened on Saturday",
                opened: "2026-02-28 11:00",
                first_due: Some("Tue 2026-03-03 09:00"),
                next_due: Some("Tue 2026-03-03 09:00"),
                ..CASE
            },
            Case {
                name: "expedited, no contact: 4 business hours, overnight",
                priority: "expedited",
                opened: "2026-03-02 15:00",
                first_due: Some("Tue 2026-03-03 11:00"),
                next_due: Some("Tue 2026-03-03 11:00"),
                ..CASE
            },
            Case {
                name: "expedited, contacted: every business day",
                priority: "Expedited",
                opened: "2026-03-02 15:00",
                first_contact: Some("2026-03-02 16:00"),
                last_contact: Some("2026-03-02 16:00"),
                first_due: Some("Tue 2026-03-03 11:00"),
                next_due: Some("Tue 2026-03-03 16:00"),
                ..CASE
            },
            Case {
                name: "P1 opened Friday afternoon: 1 business hour",
                priority: "P1",
                opened: "2026-02-27 16:30",
                first_due: Some("Mon 2026-03-02 09:30"),
                next_due: Some("Mon 2026-03-02 09:30"),
                ..CASE
            },
            Case {
                name: "p1 contacted: every 4 business hours",
                priority: "p1",
                opened: "2026-02-27 16:30",
                first_contact: Some("2026-03-02 09:10"),
                last_contact: Some("2026-03-02 15:00"),
                first_due: Some("Mon 2026-03-02 09:30"),
                next_due: Some("Tue 2026-03-03 11:00"),
                ..CASE
            },
            Case {
                name: "p4: 2 days, then 5",
                priority: "p4",
                last_contact: Some("2026-03-04 09:00"),
                first_due: Some("Wed 2026-03-04 10:00"),
                next_due: Some("Wed 2026-03-11 09:00"),
                ..CASE
            },
            Case {
                name: "on hold: the agreed date replaces the SLA",
                last_contact: Some("2026-03-03 15:00"),
                hold: Some("2026-03-16 12:00"),
                first_due: Some("Tue 2026-03-03 10:00"),
                next_due: Some("Mon 2026-03-16 12:00"),
                ..CASE
            },
            Case {
                name: "on hold before any contact, to a Saturday: kept as agreed",
                hold: Some("2026-03-14 10:00"),
                first_due: Some("Tue 2026-03-03 10:00"),
                next_due: Some("Sat 2026-03-14 10:00"),
                ..CASE
            },
            Case {
                name: "closed: never due",
                last_contact: Some("2026-03-03 15:00"),
                hold: Some("2026-03-16 12:00"),
                open: false,
                ..CASE
            },
        ];
        let cal = Calendar::default();
        let sla = SlaConfig::default();
        let t = |s: Option<&str>| s.map(|s| at(&cal, s));
        for c in cases {
            let input = SlaInput {
                priority: c.priority.parse().unwrap(),
                opened_at: at(&cal, c.opened),
                first_contact_at: t(c.first_contact),
                last_contact_at: t(c.last_contact),
                hold_until: t(c.hold),
                open: c.open,
            };
            let due = due_times(&cal, &sla, &input);
            assert_eq!(
                show(&cal, due.first_contact_due).as_deref(),
                c.first_due,
                "{}",
                c.name
            );
            assert_eq!(
                show(&cal, due.next_due).as_deref(),
                c.next_due,
                "{}",
                c.name
            );
        }
    }

    #[test]
    fn due_times_serialize_as_rfc3339() {
        let due = DueTimes {
            first_contact_due: Some("2026-03-03T15:00:00Z".parse().unwrap()),
            next_due: None,
        };
        assert_eq!(
            serde_json::to_string(&due).unwrap(),
            r#"{"first_contact_due":"2026-03-03T15:00:00Z","next_due":null}"#
        );
    }

    // ----- overdue_by / format ---------------------------------------------------

    #[test]
    fn overdue_by_counts_business_minutes_past_due() {
        let cal = Calendar::default();
        let due = at(&cal, "2026-03-02 10:00");
        let cases = [
            ("2026-03-02 09:00", None),
            ("2026-03-02 10:00", None),
            ("2026-03-02 11:30", Some(90)),
            ("2026-03-03 10:00", Some(480)),
        ];
        for (now, want) in cases {
            assert_eq!(overdue_by(&cal, due, at(&cal, now)), want, "{now}");
        }
        // Due at Friday's close and still not done on Saturday: late, by no business time.
        let fri_close = at(&cal, "2026-03-06 17:00");
        assert_eq!(
            overdue_by(&cal, fri_close, at(&cal, "2026-03-07 12:00")),
            Some(0)
        );
        let fri = at(&cal, "2026-03-06 16:00");
        assert_eq!(
            overdue_by(&cal, fri, at(&cal, "2026-03-09 09:30")),
            Some(90)
        );
    }

    #[test]
    fn format_business_minutes_table() {
        let cases = [
            (0, "0m"),
            (1, "1m"),
            (45, "45m"),
            (60, "1h"),
            (200, "3h 20m"),
            (680, "11h 20m"),
            (2400, "40h"),
            (-90, "-1h 30m"),
            (-5, "-5m"),
        ];
        for (m, want) in cases {
            assert_eq!(format_business_minutes(m), want, "{m}");
        }
        for (m, want) in [
            (0, "0m"),
            (45, "45m"),
            (180, "3h"),
            (200, "3h 20m"),
            (27 * 60 + 5, "27h 5m"),
        ] {
            assert_eq!(format_business_minutes(m), want, "{m}");
        }
        assert_eq!(format_business_minutes(i64::MIN), "-153722867280912930h 8m");
    }

    #[test]
    fn lateness_text_never_says_zero() {
        for (m, want) in [(0, "<1m"), (1, "1m"), (200, "3h 20m")] {
            assert_eq!(lateness_text(m), want, "{m}");
        }
    }

    #[test]
    fn late_clock_agrees_with_overdue_by() {
        use crate::domain::calendar::{CalendarConfig, Holiday};
        let mut cfg = CalendarConfig {
            timezone: "America/Chicago".into(),
            ..CalendarConfig::default()
        };
        cfg.hours.mon = vec!["08:00-12:00".into(), "13:00-17:00".into()];
        cfg.holidays = vec![
            Holiday {
                date: "2026-11-26".into(),
                name: None,
                hours: None,
            },
            Holiday {
                date: "12-24".into(),
                name: None,
                hours: Some(vec!["08:00-12:00".into()]),
            },
        ];
        let cal = Calendar::new(&cfg).unwrap();
        // Nows around a DST switch, a holiday, a partial day, a weekend and an evening.
        let nows = [
            "2026-11-03T15:20:00Z",
            "2026-11-27T16:00:00Z",
            "2026-12-24T19:30:00Z",
            "2026-12-28T14:59:30Z",
            "2026-11-23T23:00:00Z",
        ];
        let mut seed: i64 = 7;
        for now in nows {
            let now: DateTime<Utc> = now.parse().unwrap();
            let clock = LateClock::new(&cal, now);
            for _ in 0..400 {
                seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
                let due = now - Duration::seconds(seed % (40 * 86_400)) + Duration::seconds(600);
                assert_eq!(
                    clock.late(Some(due)),
                    late_minutes(&cal, Some(due), now),
                    "due {due} now {now}"
                );
            }
        }
    }
}
