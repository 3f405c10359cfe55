//! Away and delegates (design.md, Away and delegates): who is there today, and
//! who covers whom. A person is away for a period of local dates; while away,
//! triage routes their cases to the delegate (or the pool without one), their
//! notifications go to the delegate too, and an escalation to them reaches the
//! delegate. Inactive people are never notified and never given cases.

use anyhow::Result;
use chrono::NaiveDate;

use crate::desk::Desk;
use crate::domain::person::Person;
use crate::domain::rules::Presence;
use crate::error;
use crate::store::people;

/// Today in the desk's time zone.
pub fn today(desk: &Desk<'_>) -> Result<NaiveDate> {
    Ok(desk.calendar()?.local_date(desk.now))
}

/// Whether `p` is there today, away with a delegate who can take over (known,
/// active, not away themself), or away with nobody.
pub fn presence_of(p: &Person, everyone: &[Person], today: NaiveDate) -> Presence {
    if !p.active {
        return Presence::Inactive;
    }
    if !p.away_on(today) {
        return Presence::Here;
    }
    let usable = |h: &str| {
        everyone
            .iter()
            .find(|q| q.handle == h)
            .is_some_and(|q| q.active && !q.away_on(today))
    };
    match p.delegate.as_deref().filter(|d| usable(d)) {
        Some(d) => Presence::Delegated(d.to_string()),
        None => Presence::Away,
    }
}

/// Everyone's presence today, for rules that ask about many people (triage).
pub fn presence_table(desk: &Desk<'_>) -> Result<impl Fn(&str) -> Presence> {
    let everyone = people::list(desk.db)?;
    let today = today(desk)?;
    Ok(
        move |h: &str| match everyone.iter().find(|p| p.handle == h) {
            Some(p) => presence_of(p, &everyone, today),
            None => Presence::Here,
        },
    )
}

/// The delegate covering `handle` today, if they are away and have a usable one.
pub fn cover(desk: &Desk<'_>, handle: &str) -> Result<Option<String>> {
    Ok(match presence_table(desk)?(handle) {
        Presence::Delegated(d) => Some(d),
        _ => None,
    })
}

/// Marks `handle` away from `from` to `until` (local dates, both inclusive),
/// covered by `delegate`.
pub fn set_away(
    desk: &Desk<'_>,
    handle: &str,
    from: NaiveDate,
    until: NaiveDate,
    delegate: Option<&str>,
) -> Result<()> {
    if until < from {
        return Err(error::user(format!(
            "`--until {until}` is before `--from {from}`: the period away ends on or after it starts"
        )));
    }
    if until < today(desk)? {
        return Err(error::user(format!(
            "`--until {until}` is in the past: give the last day away, today or later"
        )));
    }
    known(desk, handle)?;
    if let Some(d) = delegate {
        if d == handle {
            return Err(error::user(format!(
                "`{handle}` cannot be their own delegate: name someone who covers them"
            )));
        }
        let p = known(desk, d)?;
        if !p.active {
            return Err(error::user(format!(
                "`{d}` is inactive and cannot cover `{handle}`: name an active delegate"
            )));
        }
    }
    people::set_away(desk.db, handle, Some((from, until, delegate)))?;
    Ok(())
}

/// `handle` is back: no period away, no delegate.
pub fn back(desk: &Desk<'_>, handle: &str) -> Result<Person> {
    let p = known(desk, handle)?;
    people::set_away(desk.db, handle, None)?;
    Ok(p)
}

fn known(desk: &Desk<'_>, handle: &str) -> Result<Person> {
    people::get(desk.db, handle)?.ok_or_else(|| {
        error::user(format!(
            "unknown handle `{handle}`: see `casebook people list` for the people there are"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn person(h: &str, away: Option<(&str, &str, Option<&str>)>, active: bool) -> Person {
        let mut p = Person::new(h, h, &format!("{h}@x.example"));
        p.active = active;
        if let Some((f, u, del)) = away {
            p.away_from = Some(d(f));
            p.away_until = Some(d(u));
            p.delegate = del.map(String::from);
        }
        p
    }

    #[test]
    fn presence_table_of_away_delegates_and_inactive_people() {
        let week = ("2026-11-23", "2026-11-27");
        let everyone = vec![
            person("here", None, true),
            person("covered", Some((week.0, week.1, Some("here"))), true),
            person("alone", Some((week.0, week.1, None)), true),
            person("gone", None, false),
            person("to-gone", Some((week.0, week.1, Some("gone"))), true),
            person("to-alone", Some((week.0, week.1, Some("alone"))), true),
        ];
        let table = [
            ("here", "2026-11-24", Presence::Here),
            ("covered", "2026-11-24", Presence::Delegated("here".into())),
            ("covered", "2026-11-28", Presence::Here),
            ("alone", "2026-11-23", Presence::Away),
            ("gone", "2026-11-24", Presence::Inactive),
            ("to-gone", "2026-11-24", Presence::Away),
            ("to-alone", "2026-11-24", Presence::Away),
        ];
        for (h, day, want) in table {
            let p = everyone.iter().find(|p| p.handle == h).unwrap();
            assert_eq!(presence_of(p, &everyone, d(day)), want, "{h} on {day}");
        }
    }
}
