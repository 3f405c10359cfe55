//! How a case's next due time was computed, interval by interval (`casebook due N
//! --explain`): where the clock started (opened, or the contact that restarted
//! it), each span of business time counted, the nights, weekends and holidays
//! skipped, and an agreed hold date. The same arithmetic as [`sla::due_times`],
//! told step by step so a manager who doubts an overdue mark can see why.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::calendar::Calendar;
use super::sla::{self, BusinessDuration, SlaConfig, SlaInput};

/// One step of the explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// The case is closed: nothing is due.
    Closed,
    /// The SLA rule the priority uses.
    Rule {
        priority: String,
        first_contact: String,
        follow_up: String,
    },
    /// The clock starts at `at`: `why` is "opened" or "last contact".
    Start {
        at: DateTime<Utc>,
        why: String,
        allows: String,
    },
    /// Business time counted from `from` to `to`.
    Counted {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        minutes: i64,
    },
    /// Closed time skipped: a night, a weekend, holidays.
    Skipped {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        why: String,
    },
    /// On Hold with an agreed date: the next contact is due then, whatever the SLA says.
    Hold { until: DateTime<Utc> },
    /// The result.
    Due { at: DateTime<Utc> },
}

/// The steps that give `input`'s next due time in `cal` under `sla`.
pub fn explain(cal: &Calendar, sla: &SlaConfig, input: &SlaInput) -> Vec<Step> {
    let due = sla::due_times(cal, sla, input);
    let Some(next) = due.next_due else {
        return vec![Step::Closed];
    };
    let key = input.priority.sla_key();
    let rule = sla.rule_or_fallback(key);
    let mut steps = vec![Step::Rule {
        priority: input.priority.label().to_string(),
        first_contact: rule.first_contact.to_string(),
        follow_up: rule.follow_up.to_string(),
    }];
    if let Some(until) = input.hold_until {
        steps.push(Step::Hold { until });
        steps.push(Step::Due { at: next });
        return steps;
    }
    let last_contact = input.first_contact_at.max(input.last_contact_at);
    let (start, why, allows): (DateTime<Utc>, &str, BusinessDuration) = match last_contact {
        Some(c) => (c, "last contact", rule.follow_up),
        None => (input.opened_at, "opened", rule.first_contact),
    };
    steps.push(Step::Start {
        at: start,
        why: why.into(),
        allows: allows.to_string(),
    });
    let mut last_end = start;
    let mut day = cal.local_date(start);
    let end_day = cal.local_date(next);
    while day <= end_day {
        for (open, close) in cal.open_intervals(day) {
            let from = open.max(start);
            let to = close.min(next);
            if from >= to {
                continue;
            }
            if from > last_end {
                steps.push(Step::Skipped {
                    from: last_end,
                    to: from,
                    why: closed_reason(cal, last_end, from),
                });
            }
            steps.push(Step::Counted {
                from,
                to,
                minutes: (to - from).num_minutes(),
            });
            last_end = to;
        }
        match day.succ_opt() {
            Some(d) => day = d,
            None => break,
        }
    }
    steps.push(Step::Due { at: next });
    steps
}

/// Why the desk was closed between `from` and `to`: the night, and the whole
/// local days in between that were closed (weekend, holiday).
fn closed_reason(cal: &Calendar, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let (first, last) = (cal.local_date(from), cal.local_date(to));
    let mut parts: Vec<String> = Vec::new();
    if first == last {
        parts.push("closed".into());
    } else {
        parts.push("night".into());
    }
    let mut d = first.succ_opt();
    let mut weekend = 0;
    while let Some(day) = d.filter(|d| *d < last) {
        if cal.is_holiday(day) {
            parts.push(format!("holiday {day}"));
        } else if !cal.is_business_day(day) {
            weekend += 1;
        }
        d = day.succ_opt();
    }
    if weekend > 0 {
        parts.push(format!("{weekend} closed day(s)"));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::CalendarConfig;
    use crate::domain::case::Priority;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn input(priority: Priority, opened: &str, contact: Option<&str>) -> SlaInput {
        SlaInput {
            priority,
            opened_at: t(opened),
            first_contact_at: contact.map(t),
            last_contact_at: contact.map(t),
            hold_until: None,
            open: true,
        }
    }

    #[test]
    fn each_interval_is_counted_or_skipped_and_ends_at_the_due_time() {
        // New York, Mon-Fri 09:00-17:00; Thanksgiving (Thursday 26 November) closed.
        let cfg: CalendarConfig =
            toml::from_str("[[holidays]]\ndate = \"2026-11-26\"\nname = \"Thanksgiving\"\n")
                .unwrap();
        let cal = Calendar::new(&cfg).unwrap();
        let sla = SlaConfig::default();
        // Expedited, opened Wednesday 25 November 15:00 local: 4 business hours
        // = 2h Wednesday, Thanksgiving skipped, 2h Friday → Friday 11:00 local.
        let steps = explain(
            &cal,
            &sla,
            &input(Priority::Expedited, "2026-11-25T20:00:00Z", None),
        );
        let table = vec![
            Step::Rule {
                priority: "Expedited".into(),
                first_contact: "4h".into(),
                follow_up: "1d".into(),
            },
            Step::Start {
                at: t("2026-11-25T20:00:00Z"),
                why: "opened".into(),
                allows: "4h".into(),
            },
            Step::Counted {
                from: t("2026-11-25T20:00:00Z"),
                to: t("2026-11-25T22:00:00Z"),
                minutes: 120,
            },
            Step::Skipped {
                from: t("2026-11-25T22:00:00Z"),
                to: t("2026-11-27T14:00:00Z"),
                why: "night, holiday 2026-11-26".into(),
            },
            Step::Counted {
                from: t("2026-11-27T14:00:00Z"),
                to: t("2026-11-27T16:00:00Z"),
                minutes: 120,
            },
            Step::Due {
                at: t("2026-11-27T16:00:00Z"),
            },
        ];
        assert_eq!(steps, table);

        // Standard, last contact Friday 16:00 local: 2 business days over the weekend.
        let steps = explain(
            &cal,
            &sla,
            &input(
                Priority::Standard,
                "2026-11-27T14:00:00Z",
                Some("2026-11-27T21:00:00Z"),
            ),
        );
        assert!(
            matches!(&steps[1], Step::Start { why, allows, .. } if why == "last contact" && allows == "2d")
        );
        assert!(steps.contains(&Step::Skipped {
            from: t("2026-11-27T22:00:00Z"),
            to: t("2026-11-30T14:00:00Z"),
            why: "night, 2 closed day(s)".into(),
        }));
        let counted: i64 = steps
            .iter()
            .map(|s| match s {
                Step::Counted { minutes, .. } => *minutes,
                _ => 0,
            })
            .sum();
        assert_eq!(counted, 2 * 8 * 60);
        assert_eq!(
            steps.last(),
            Some(&Step::Due {
                at: t("2026-12-01T21:00:00Z")
            })
        );

        // On hold, and closed.
        let mut held = input(Priority::Standard, "2026-11-23T14:00:00Z", None);
        held.hold_until = Some(t("2026-12-03T05:00:00Z"));
        let steps = explain(&cal, &sla, &held);
        assert_eq!(
            steps[1],
            Step::Hold {
                until: t("2026-12-03T05:00:00Z")
            }
        );
        held.open = false;
        assert_eq!(explain(&cal, &sla, &held), vec![Step::Closed]);
    }
}
