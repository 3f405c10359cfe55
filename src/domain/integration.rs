//! The Integration-type rules of `sop/003_2950473912b781c7.txt` (Key Points on
//! Case Updates and Responses, ECP Follow Ups), as pure functions over a case's
//! facts. `desk::sweep` and the commands gather the facts and apply them; the
//! limits come from `[integration]` in the config.

use chrono::{DateTime, Duration, Utc};

use super::case::Status;

/// Something owed within `hours` clock hours of `since` and not done by any of
/// `done` (times at or after `since`): due once the limit has passed.
fn owed_past(since: DateTime<Utc>, hours: u32, done: &[DateTime<Utc>], now: DateTime<Utc>) -> bool {
    now >= since + Duration::hours(i64::from(hours)) && !done.iter().any(|t| *t >= since)
}

/// "All Integrations cases should be opened and commented on within 48 hours":
/// no comment or review by staff within `hours` of the case being opened.
pub fn first_comment_overdue(
    opened_at: DateTime<Utc>,
    hours: u32,
    comments: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> bool {
    owed_past(opened_at, hours, comments, now)
}

/// "If you speak with the ECP, and the issue is resolved or no action is necessary
/// ... Close the Case within 24 hours": the contact was reached with nothing left to
/// do at `spoke_at`, the case is still open `hours` later, and the contact has not
/// written since (which would reopen the question).
pub fn close_after_speaking_due(
    spoke_at: DateTime<Utc>,
    hours: u32,
    inbound_since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    owed_past(
        spoke_at,
        hours,
        &inbound_since.into_iter().collect::<Vec<_>>(),
        now,
    )
}

/// "For Call Back Requests, the timeframe for Integrations to respond is 48 hours":
/// no phone call (answered or not) within `hours` of the request.
pub fn call_back_overdue(
    requested_at: DateTime<Utc>,
    hours: u32,
    calls: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> bool {
    owed_past(requested_at, hours, calls, now)
}

/// "Allow 7 business days before asking for updates on Integration cases unless an
/// ECP is requesting one": an update request before `allowed_from` (the case's
/// opening, or the last update request, plus the business wait) is early unless the
/// contact asked for it.
pub fn update_request_early(
    allowed_from: DateTime<Utc>,
    contact_asked: bool,
    now: DateTime<Utc>,
) -> bool {
    now < allowed_from && !contact_asked
}

/// "No comments will be made during the 'Waiting' status": the reason a comment on
/// an Integration case is refused, if it is. The one the case waits on (the AM in
/// Waiting for Account Manager, the RM in Waiting for Management) may still answer.
pub fn comment_refusal(status: Status, author_is_awaited: bool) -> Option<String> {
    let waiting = matches!(
        status,
        Status::WaitingForDetails | Status::WaitingForAccountManager | Status::WaitingForManagement
    );
    (waiting && !author_is_awaited).then(|| {
        format!(
            "the case is `{status}`: no comments are made on an Integration case while it waits (sop/003); Integrations update it when the information arrives"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    const OPENED: &str = "2026-11-23T14:00:00Z";

    #[test]
    fn clock_hour_limits_fire_on_the_limit_and_not_before() {
        // (rule, since, hours, done, now, due)
        type Rule = fn(DateTime<Utc>, u32, &[DateTime<Utc>], DateTime<Utc>) -> bool;
        let rules: [(&str, Rule, u32); 2] = [
            ("first comment", first_comment_overdue, 48),
            ("call back", call_back_overdue, 48),
        ];
        for (name, rule, hours) in rules {
            let cases: &[(&[&str], &str, bool)] = &[
                (&[], "2026-11-25T13:59:00Z", false),
                (&[], "2026-11-25T14:00:00Z", true),
                (&["2026-11-24T10:00:00Z"], "2026-11-25T14:00:00Z", false),
                (&["2026-11-23T13:00:00Z"], "2026-11-25T14:00:00Z", true),
            ];
            for (done, now, due) in cases {
                let done: Vec<_> = done.iter().map(|d| t(d)).collect();
                assert_eq!(
                    rule(t(OPENED), hours, &done, t(now)),
                    *due,
                    "{name} {now} {done:?}"
                );
            }
        }
    }

    #[test]
    fn close_after_speaking_table() {
        let spoke = t(OPENED);
        let cases = [
            (None, "2026-11-24T13:59:00Z", false),
            (None, "2026-11-24T14:00:00Z", true),
            (Some("2026-11-24T09:00:00Z"), "2026-11-24T14:00:00Z", false),
            (Some("2026-11-23T09:00:00Z"), "2026-11-24T14:00:00Z", true),
        ];
        for (inbound, now, due) in cases {
            assert_eq!(
                close_after_speaking_due(spoke, 24, inbound.map(t), t(now)),
                due,
                "{inbound:?} {now}"
            );
        }
    }

    #[test]
    fn update_requests_wait_unless_the_contact_asked() {
        let allowed = t("2026-12-02T14:00:00Z");
        assert!(update_request_early(
            allowed,
            false,
            t("2026-12-02T13:59:00Z")
        ));
        assert!(!update_request_early(
            allowed,
            false,
            t("2026-12-02T14:00:00Z")
        ));
        assert!(!update_request_early(
            allowed,
            true,
            t("2026-11-24T14:00:00Z")
        ));
    }

    #[test]
    fn comments_wait_while_the_case_waits() {
        use Status::*;
        let table = [
            (WaitingForDetails, false, true),
            (WaitingForAccountManager, false, true),
            (WaitingForAccountManager, true, false),
            (WaitingForManagement, false, true),
            (WaitingForSupport, false, false),
            (InProgress, false, false),
            (OnHold, false, false),
            (New, false, false),
        ];
        for (status, awaited, refused) in table {
            assert_eq!(
                comment_refusal(status, awaited).is_some(),
                refused,
                "{status}"
            );
        }
    }
}
