//! Dates as forwarding clients print them, in many languages and with or
//! without a zone.

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use regex::Regex;

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("mrz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mrt", 3),
    ("mei", 5),
    ("augustus", 8),
];

fn month_of(token: &str) -> Option<u32> {
    let t = token.trim_end_matches('.').to_lowercase();
    if t.chars().count() < 3 {
        return None;
    }
    if let Some((_, m)) = MONTHS.iter().find(|(name, _)| *name == t) {
        return Some(*m);
    }
    MONTHS
        .iter()
        .find(|(name, _)| name.starts_with(t.as_str()))
        .map(|(_, m)| *m)
}

fn zone_offset(name: &str) -> Option<i32> {
    let h = match name.to_ascii_uppercase().as_str() {
        "UT" | "UTC" | "GMT" | "Z" | "WET" => 0,
        "BST" | "CET" | "MEZ" | "WEST" => 1,
        "CEST" | "MESZ" | "EET" => 2,
        "EEST" => 3,
        "EST" => -5,
        "EDT" | "AST" => -4,
        "CST" => -6,
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        _ => return None,
    };
    Some(h * 3600)
}

/// Read a date as mail clients print it in forwarded header blocks, best
/// effort: RFC 2822, RFC 3339, `2026-03-02 10:15`, `Monday, March 2, 2026
/// 10:15 AM`, `Mon, 2 Mar 2026 at 10:15`, `2 mars 2026 à 10:15`, `Mo., 2.
/// März 2026 um 10:15 Uhr`, `02.03.2026 10:15`, `3/2/2026 10:15 AM`…
/// A time printed without a zone stays local ([`SentAt::Local`]). `None`
/// when unreadable.
pub fn parse_loose_date(value: &str) -> Option<SentAt> {
    let v = value.trim().trim_matches('*').trim();
    if v.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(v) {
        return Some(SentAt::Zoned(d.with_timezone(&Utc)));
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(v) {
        return Some(SentAt::Zoned(d.with_timezone(&Utc)));
    }
    static TIME: OnceLock<Regex> = OnceLock::new();
    static ISO: OnceLock<Regex> = OnceLock::new();
    static NUMERIC: OnceLock<Regex> = OnceLock::new();
    static TZ: OnceLock<Regex> = OnceLock::new();
    let time_re = TIME.get_or_init(|| {
        Regex::new(r"(?i)\b(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*(?:([ap])\.?\s?m\.?)?(?:\W|$)")
            .expect("valid regex")
    });
    let iso_re = ISO.get_or_init(|| {
        Regex::new(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]|\b)").expect("valid regex")
    });
    let numeric_re = NUMERIC.get_or_init(|| {
        Regex::new(r"\b(\d{1,2})([./\-])(\d{1,2})([./\-])(\d{4})\b").expect("valid regex")
    });
    let tz_re = TZ.get_or_init(|| {
        Regex::new(r"(?i)(?:\b(?:gmt|utc)\s*)?([+\-])(\d{1,2})(?::?(\d{2}))?\b|\b([A-Z]{1,5})\b")
            .expect("valid regex")
    });

    // Time of day and what follows it (the zone).
    let (time, rest, after_time) = match time_re.captures(v) {
        Some(c) => {
            let mut h: u32 = c[1].parse().ok()?;
            let m: u32 = c[2].parse().ok()?;
            let s: u32 = c.get(3).map_or(Some(0), |s| s.as_str().parse().ok())?;
            if let Some(ap) = c.get(4) {
                let pm = ap.as_str().eq_ignore_ascii_case("p");
                if h == 12 {
                    h = 0;
                }
                if pm {
                    h += 12;
                }
            }
            let whole = c.get(0)?;
            let rest = format!("{} {}", &v[..whole.start()], &v[whole.end()..]);
            (
                NaiveTime::from_hms_opt(h, m, s)?,
                rest,
                v[whole.end()..].to_string(),
            )
        }
        None => (NaiveTime::MIN, v.to_string(), String::new()),
    };

    let date = if let Some(c) = iso_re.captures(&rest) {
        NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?
    } else if let Some(c) = numeric_re.captures(&rest) {
        let a: u32 = c[1].parse().ok()?;
        let b: u32 = c[3].parse().ok()?;
        let y: i32 = c[5].parse().ok()?;
        // Dots are day-first (German and friends); slashes are month-first
        // unless that cannot be.
        let (d, m) = if &c[2] == "." || a > 12 {
            (a, b)
        } else {
            (b, a)
        };
        NaiveDate::from_ymd_opt(y, m, d)?
    } else {
        let mut year = None;
        let mut month = None;
        let mut day = None;
        for token in rest
            .split(|c: char| !(c.is_alphanumeric()))
            .filter(|t| !t.is_empty())
        {
            if token.chars().all(|c| c.is_ascii_digit()) {
                if token.len() == 4 {
                    year = year.or(token.parse::<i32>().ok());
                } else if token.len() <= 2 && day.is_none() {
                    day = token.parse::<u32>().ok();
                }
            } else if let Some(m) = month_of(token) {
                month = Some(m);
            }
        }
        NaiveDate::from_ymd_opt(year?, month?, day?)?
    };

    let local = date.and_time(time);
    let Some(offset) = tz_re.captures_iter(&after_time).find_map(|c| {
        if let Some(sign) = c.get(1) {
            let h: i32 = c[2].parse().ok()?;
            let m: i32 = c.get(3).map_or(Some(0), |m| m.as_str().parse().ok())?;
            if h > 14 || m > 59 {
                return None;
            }
            let secs = h * 3600 + m * 60;
            Some(if sign.as_str() == "-" { -secs } else { secs })
        } else {
            zone_offset(c.get(4)?.as_str())
        }
    }) else {
        return Some(SentAt::Local(local));
    };
    let tz = FixedOffset::east_opt(offset)?;
    tz.from_local_datetime(&local)
        .single()
        .map(|d| SentAt::Zoned(d.with_timezone(&Utc)))
}

/// When a forwarded message was sent, as its header block printed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentAt {
    /// The block named a zone (or the message was attached whole).
    Zoned(DateTime<Utc>),
    /// Mail clients print the forwarder's own local time without a zone.
    Local(NaiveDateTime),
}

impl SentAt {
    /// The instant, reading a local time in `tz` (the forwarder's zone is
    /// unknown; the desk's is the best guess). In a DST gap, as UTC.
    pub fn in_zone(self, tz: Tz) -> DateTime<Utc> {
        match self {
            SentAt::Zoned(t) => t,
            SentAt::Local(t) => tz
                .from_local_datetime(&t)
                .earliest()
                .map_or_else(|| t.and_utc(), |d| d.with_timezone(&Utc)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<DateTime<Utc>> {
        Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
    }

    #[test]
    fn a_date_without_a_zone_is_read_in_the_zone_given() {
        let chicago: Tz = "America/Chicago".parse().unwrap();
        let table = [
            // Printed without a zone: the desk's local time (CST, then CDT).
            ("Tuesday, November 3, 2026 9:14 AM", "2026-11-03T15:14:00Z"),
            (
                "Donnerstag, 12. November 2026 14:37",
                "2026-11-12T20:37:00Z",
            ),
            ("Monday, June 1, 2026 9:00 AM", "2026-06-01T14:00:00Z"),
            // 02:30 does not exist on 8 March 2026 in Chicago: read as UTC.
            ("Sunday, March 8, 2026 2:30 AM", "2026-03-08T02:30:00Z"),
            // A zone in the text wins over the one given.
            ("Mon, 9 Nov 2026 15:21:40 +0000", "2026-11-09T15:21:40Z"),
            (
                "Tuesday, November 3, 2026 9:14 AM CET",
                "2026-11-03T08:14:00Z",
            ),
        ];
        for (input, want) in table {
            let got = parse_loose_date(input).unwrap().in_zone(chicago);
            assert_eq!(got, utc(want).unwrap(), "{input}");
        }
        assert!(matches!(
            parse_loose_date("3/2/2026 10:15"),
            Some(SentAt::Local(_))
        ));
    }

    #[test]
    fn dates() {
        let cases: &[(&str, Option<DateTime<Utc>>)] = &[
            (
                "Monday, March 2, 2026 10:15 AM",
                utc("2026-03-02T10:15:00Z"),
            ),
            (
                "Monday, March 2, 2026 10:15 PM",
                utc("2026-03-02T22:15:00Z"),
            ),
            (
                "Monday, March 2, 2026 12:05 AM",
                utc("2026-03-02T00:05:00Z"),
            ),
            ("Mon, 2 Mar 2026 at 10:15", utc("2026-03-02T10:15:00Z")),
            ("Mon, Mar 2, 2026 at 10:15 AM", utc("2026-03-02T10:15:00Z")),
            ("2 mars 2026 à 10:15", utc("2026-03-02T10:15:00Z")),
            ("lundi 2 mars 2026 10:15", utc("2026-03-02T10:15:00Z")),
            (
                "Mo., 2. März 2026 um 10:15 Uhr",
                utc("2026-03-02T10:15:00Z"),
            ),
            ("Montag, 2. März 2026 10:15", utc("2026-03-02T10:15:00Z")),
            (
                "lunes, 2 de marzo de 2026 10:15",
                utc("2026-03-02T10:15:00Z"),
            ),
            (
                "mar., 3 de marzo de 2026 a las 9:03",
                utc("2026-03-03T09:03:00Z"),
            ),
            ("lunedì 2 marzo 2026 10:15", utc("2026-03-02T10:15:00Z")),
            (
                "segunda-feira, 2 de março de 2026 10:15",
                utc("2026-03-02T10:15:00Z"),
            ),
            ("maandag 2 maart 2026 10:15", utc("2026-03-02T10:15:00Z")),
            (
                "Mon, 2 Mar 2026 10:15:30 +0100",
                utc("2026-03-02T09:15:30Z"),
            ),
            (
                "Mon, 2 Mar 2026 10:15:30 -0500 (EST)",
                utc("2026-03-02T15:15:30Z"),
            ),
            ("2026-03-02 10:15", utc("2026-03-02T10:15:00Z")),
            ("2026-03-02T10:15:00+02:00", utc("2026-03-02T08:15:00Z")),
            ("02.03.2026 10:15", utc("2026-03-02T10:15:00Z")),
            ("3/2/2026 10:15 AM", utc("2026-03-02T10:15:00Z")),
            ("20/3/2026 10:15", utc("2026-03-20T10:15:00Z")),
            ("May 8, 2005 1:17 PM", utc("2005-05-08T13:17:00Z")),
            (
                "Monday, March 2, 2026 10:15 AM EST",
                utc("2026-03-02T15:15:00Z"),
            ),
            (
                "Monday, March 2, 2026 10:15 GMT+1",
                utc("2026-03-02T09:15:00Z"),
            ),
            ("2 March 2026", utc("2026-03-02T00:00:00Z")),
            ("sometime last week", None),
            ("February 30, 2026 10:15", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(
                parse_loose_date(input).map(|d| d.in_zone(chrono_tz::UTC)),
                *want,
                "input {input:?}"
            );
        }
    }
}
