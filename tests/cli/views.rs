//! End-to-end tests of the communication SLA and the daily views: due, overdue,
//! mine, owned, report (and report --send), with a fixed clock.

use crate::common;

use casebook::domain::case::{NewCase, Priority, Status};
use chrono::{DateTime, Utc};
use common::Env;
use serde_json::Value;

/// New York business hours with Thanksgiving closed and the day after a half day.
const CONFIG: &str = r#"
[desk]
name = "Test Desk"

[calendar]
timezone = "America/New_York"
holidays = [
    { date = "2026-11-26", name = "Thanksgiving" },
    { date = "11-27", name = "Day after Thanksgiving", hours = ["09:00-13:00"] },
]

[report]
recipients = ["am-team@desk.example", "jlee@desk.example"]
"#;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

/// A case to put straight into the store.
struct Seed {
    subject: &'static str,
    creator: Option<&'static str>,
    owner: Option<&'static str>,
    account: Option<&'static str>,
    priority: Priority,
    opened: &'static str,
    status: Status,
    hold_until: Option<&'static str>,
    last_contact: Option<&'static str>,
}

const SEED: Seed = Seed {
    subject: "a case",
    creator: Some("amy"),
    owner: Some("amy"),
    account: None,
    priority: Priority::Standard,
    opened: "2026-11-19T15:00:00Z",
    status: Status::InProgress,
    hold_until: None,
    last_contact: None,
};

fn seed(env: &Env, s: Seed) -> i64 {
    use casebook::store::cases::{Column, FieldValue};
    let seed = env.seed();
    let mut c = NewCase::new(s.subject, t(s.opened));
    c.priority = s.priority;
    c.creator = s.creator.map(String::from);
    c.account_id = s.account.map(|a| seed.account_id(a));
    let n = seed.case(&c);
    let closed = s
        .status
        .is_closed()
        .then(|| t(s.opened) + chrono::Duration::hours(1));
    let last_contact = s.last_contact.map(t);
    seed.set(
        n,
        &[
            (Column::Owner, FieldValue::Text(s.owner.map(String::from))),
            (
                Column::Status,
                FieldValue::Text(Some(s.status.label().into())),
            ),
            (Column::HoldUntil, FieldValue::Time(s.hold_until.map(t))),
            (Column::FirstContactAt, FieldValue::Time(last_contact)),
            (Column::LastContactAt, FieldValue::Time(last_contact)),
            (Column::ClosedAt, FieldValue::Time(closed)),
        ],
    );
    n.get()
}

/// The team, the config, and seven cases at Monday 23 November 2026, 09:00 New York.
///
/// #1 standard, amy's, opened Thu 10:00: due Fri 10:00, 7h late.
/// #2 expedited, created by amy, owned by bob, opened Mon 08:00: due Mon 13:00.
/// #3 standard, created by bob, owned by amy, opened Mon 08:30: due Tue 09:00.
/// #4 standard, created by amy, in the queue, opened Fri 16:00: due Mon 16:00.
/// #5 bob's, On Hold until 1 December, last contact 10 November: due at the agreed date.
/// #6 from a stranger (no creator), owned by amy, opened Thu 10:00: 7h late.
/// #7 created by amy, closed.
fn desk() -> Env {
    let mut env = Env::new();
    env.write("config.toml", CONFIG);
    env.with_team();
    env.user = Some("amy".into());
    seed(
        &env,
        Seed {
            subject: "Phones drop calls",
            account: Some("Acme Dental"),
            ..SEED
        },
    );
    seed(
        &env,
        Seed {
            subject: "Quote for 20 handsets",
            owner: Some("bob"),
            priority: Priority::Expedited,
            opened: "2026-11-23T13:00:00Z",
            status: Status::New,
            account: Some("Birch Law"),
            ..SEED
        },
    );
    seed(
        &env,
        Seed {
            subject: "Change of address",
            creator: Some("bob"),
            opened: "2026-11-23T13:30:00Z",
            ..SEED
        },
    );
    seed(
        &env,
        Seed {
            subject: "New fax line",
            owner: None,
            opened: "2026-11-20T21:00:00Z",
            status: Status::New,
            account: Some("Dune Freight"),
            ..SEED
        },
    );
    seed(
        &env,
        Seed {
            subject: "Waiting on budget <Q1>",
            creator: Some("bob"),
            owner: Some("bob"),
            opened: "2026-11-02T15:00:00Z",
            status: Status::OnHold,
            hold_until: Some("2026-12-01T15:00:00Z"),
            last_contact: Some("2026-11-10T15:00:00Z"),
            ..SEED
        },
    );
    seed(
        &env,
        Seed {
            subject: "Stranger asks",
            creator: None,
            ..SEED
        },
    );
    seed(
        &env,
        Seed {
            subject: "Done already",
            status: Status::Closed,
            ..SEED
        },
    );
    let out = env.ok(&["due", "--refresh"]);
    assert_eq!(out, "refreshed 6 open cases: 6 due times changed\n");
    env
}

fn numbers(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_i64().unwrap())
        .collect()
}

fn by_number(v: &Value, n: i64) -> &Value {
    v.as_array()
        .unwrap()
        .iter()
        .find(|r| r["number"] == n)
        .unwrap_or_else(|| panic!("no #{n} in {v}"))
}

#[test]
fn due_refresh_computes_the_sla_of_every_open_case() {
    let env = desk();
    let all = env.json(&["list"]);
    let due = |n| by_number(&all, n)["next_due"].as_str().unwrap().to_string();
    assert_eq!(due(1), "2026-11-20T15:00:00Z", "standard: 1 business day");
    assert_eq!(
        due(2),
        "2026-11-23T18:00:00Z",
        "expedited: 4 business hours from the opening"
    );
    assert_eq!(
        due(3),
        "2026-11-24T14:00:00Z",
        "standard, opened before hours"
    );
    assert_eq!(due(4), "2026-11-23T21:00:00Z", "over the weekend");
    assert_eq!(due(5), "2026-12-01T15:00:00Z", "on hold: the agreed date");
    // Nothing changed since: a second refresh changes nothing.
    assert_eq!(
        env.ok(&["due", "--refresh"]),
        "refreshed 6 open cases: 0 due times changed\n"
    );
}

#[test]
fn hold_moves_next_due_and_resuming_moves_it_back() {
    let env = desk();
    use casebook::store::cases::Column;
    use common::seed::{text, time};
    let seed = env.seed();
    // #1 put on hold until Friday noon.
    seed.set(
        common::case(1),
        &[
            (Column::Status, text("On Hold")),
            (Column::HoldUntil, time(t("2026-11-27T17:00:00Z"))),
        ],
    );
    env.ok(&["due", "--refresh"]);
    let mine = env.json(&["owned"]);
    assert_eq!(by_number(&mine, 1)["next_due"], "2026-11-27T17:00:00Z");
    assert_eq!(by_number(&mine, 1)["overdue"], false);
    // Back in progress after a contact on Monday 10:00: two business days later.
    seed.set(
        common::case(1),
        &[
            (Column::Status, text("In Progress")),
            (Column::LastContactAt, time(t("2026-11-23T15:00:00Z"))),
        ],
    );
    env.ok(&["due", "--refresh"]);
    let mine = env.json(&["owned"]);
    assert_eq!(by_number(&mine, 1)["next_due"], "2026-11-25T15:00:00Z");
}

#[test]
fn expedited_is_due_in_hours_and_standard_in_days() {
    let mut env = Env::new();
    env.write("config.toml", CONFIG);
    env.with_team();
    env.user = Some("amy".into());
    // Friday 30 October 2026, 16:00 New York; the clocks go back on Sunday 1 November.
    let opened = "2026-10-30T20:00:00Z";
    for p in [
        Priority::Standard,
        Priority::Expedited,
        Priority::P1,
        Priority::P4,
    ] {
        seed(
            &env,
            Seed {
                priority: p,
                opened,
                status: Status::New,
                ..SEED
            },
        );
    }
    env.now = "2026-10-30T20:30:00Z".into();
    env.ok(&["due", "--refresh"]);
    let mine = env.json(&["mine"]);
    let due = |n| {
        by_number(&mine, n)["next_due"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Monday 16:00 EST (UTC-5 after the switch).
    assert_eq!(due(1), "2026-11-02T21:00:00Z");
    // One hour on Friday, three on Monday: 12:00 EST.
    assert_eq!(due(2), "2026-11-02T17:00:00Z");
    // P1: one business hour: Friday 17:00 EDT.
    assert_eq!(due(3), "2026-10-30T21:00:00Z");
    // P4: two business days: Tuesday 16:00 EST.
    assert_eq!(due(4), "2026-11-03T21:00:00Z");
}

#[test]
fn due_times_cross_the_spring_switch_too() {
    let mut env = Env::new();
    env.write("config.toml", CONFIG);
    env.with_team();
    env.user = Some("amy".into());
    // Friday 6 March 2026, 16:00 EST; the clocks go forward on Sunday 8 March.
    for p in [Priority::Expedited, Priority::Standard] {
        seed(
            &env,
            Seed {
                priority: p,
                opened: "2026-03-06T21:00:00Z",
                status: Status::New,
                ..SEED
            },
        );
    }
    env.now = "2026-03-06T21:30:00Z".into();
    env.ok(&["due", "--refresh"]);
    let mine = env.json(&["mine"]);
    // One hour on Friday, three on Monday: 12:00 EDT (UTC-4).
    assert_eq!(by_number(&mine, 1)["next_due"], "2026-03-09T16:00:00Z");
    // The same business-clock offset one business day later: Monday 16:00 EDT.
    assert_eq!(by_number(&mine, 2)["next_due"], "2026-03-09T20:00:00Z");
    // On Monday at 13:00 EDT the expedited case is an hour late, in business time.
    env.now = "2026-03-09T17:00:00Z".into();
    let late = env.json(&["overdue"]);
    assert_eq!(numbers(&late), [1]);
    assert_eq!(late[0]["late_business_minutes"], 60);
}

#[test]
fn holidays_in_the_config_change_due_times_end_to_end() {
    let mut env = Env::new();
    env.write(
        "config.toml",
        "[calendar]\ntimezone = \"America/New_York\"\n",
    );
    env.with_team();
    env.user = Some("amy".into());
    // Wednesday 25 November, 10:00 New York.
    seed(
        &env,
        Seed {
            opened: "2026-11-25T15:00:00Z",
            status: Status::New,
            ..SEED
        },
    );
    seed(
        &env,
        Seed {
            opened: "2026-11-25T15:00:00Z",
            priority: Priority::Expedited,
            status: Status::New,
            ..SEED
        },
    );
    env.now = "2026-11-25T15:05:00Z".into();
    env.ok(&["due", "--refresh"]);
    let before = env.json(&["mine"]);
    assert_eq!(by_number(&before, 1)["next_due"], "2026-11-26T15:00:00Z");
    // Thanksgiving closed, the day after open 09:00-13:00: the standard case moves
    // to Friday 10:00; the expedited one stays at Wednesday 14:00.
    env.write("config.toml", CONFIG);
    assert_eq!(
        env.ok(&["due", "--refresh"]),
        "refreshed 2 open cases: 1 due times changed\n"
    );
    let after = env.json(&["mine"]);
    assert_eq!(by_number(&after, 1)["next_due"], "2026-11-27T15:00:00Z");
    assert_eq!(by_number(&after, 2)["next_due"], "2026-11-25T19:00:00Z");
    // A 15:00 start on Wednesday with 4h: 2h Wednesday, Thanksgiving closed, 2h Friday → 11:00.
    seed(
        &env,
        Seed {
            opened: "2026-11-25T20:00:00Z",
            priority: Priority::Expedited,
            status: Status::New,
            ..SEED
        },
    );
    // Standard from Wednesday 15:00 (6h into the day): the next business day is the
    // half day, which closes at 13:00 before 6h have passed: due at its close.
    seed(
        &env,
        Seed {
            opened: "2026-11-25T20:00:00Z",
            status: Status::New,
            ..SEED
        },
    );
    env.ok(&["due", "--refresh"]);
    let after = env.json(&["mine"]);
    assert_eq!(by_number(&after, 3)["next_due"], "2026-11-27T16:00:00Z");
    assert_eq!(by_number(&after, 4)["next_due"], "2026-11-27T18:00:00Z");
}

#[test]
fn a_bad_calendar_is_a_clear_error() {
    let env = Env::new();
    env.with_team();
    env.write("config.toml", "[calendar]\ntimezone = \"Mars/Olympus\"\n");
    // Every command fails closed, not only those that read the calendar.
    for args in [
        vec!["--as", "amy", "overdue"],
        vec!["list"],
        vec!["people", "list"],
    ] {
        let err = env.fails(&args, 1);
        assert!(
            err.contains("config.toml")
                && err.contains("[calendar]")
                && err.contains("Mars/Olympus"),
            "{args:?}: {err}"
        );
    }
    // A delivery is kept by the MTA (75), and nothing of it is stored.
    let out = env
        .cmd()
        .arg("ingest")
        .write_stdin("From: c@customer.example\nSubject: hi\nMessage-ID: <tz@x>\n\nbody\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(75), "{out:?}");
    env.write("config.toml", "");
    assert_eq!(env.json(&["list", "--all"]), serde_json::json!([]));
    assert_eq!(
        env.json(&["quarantine", "list", "--all"]),
        serde_json::json!([])
    );
}

#[test]
fn overdue_lists_late_cases_by_owner_with_business_lateness() {
    let env = desk();
    let rows = env.json(&["overdue"]);
    assert_eq!(numbers(&rows), [1, 6]);
    assert_eq!(rows[0]["late_business_minutes"], 420);
    assert_eq!(rows[0]["late"], "7h");
    assert_eq!(rows[0]["owner"], "amy");
    assert_eq!(rows[0]["overdue"], true);
    // Two hours later: nine business hours late.
    let out = env
        .cmd()
        .args(["overdue", "--format", "json"])
        .env("CASEBOOK_NOW", "2026-11-23T16:00:00Z")
        .output()
        .unwrap();
    let later: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(later[0]["late_business_minutes"], 540);
    // Half a minute past due: overdue, and not "0m late", which reads as on time.
    let out = env
        .cmd()
        .args(["overdue", "--format", "json"])
        .env("CASEBOOK_NOW", "2026-11-20T15:00:30Z")
        .output()
        .unwrap();
    let just: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(by_number(&just, 1)["late_business_minutes"], 0);
    assert_eq!(by_number(&just, 1)["late"], "<1m");

    let table = env.ok(&["overdue"]);
    assert!(table.contains("late"), "{table}");
    assert!(table.contains("#1") && table.contains("7h"), "{table}");
    assert!(!table.contains("#2"), "{table}");

    let csv = env.ok(&["overdue", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "number,owner,subject,account,status,priority,next_due,overdue,late_business_minutes,late"
    );
    assert_eq!(
        lines.next().unwrap(),
        "1,amy,Phones drop calls,Acme Dental,In Progress,Standard,2026-11-20T15:00:00Z,yes,420,7h"
    );
    // Filters of `list` work: only the queue, nothing overdue there.
    let out = env.run(&["overdue", "--owner", "queue"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no case is overdue"));
}

#[test]
fn due_lists_what_needs_contact_within_a_window_queue_last() {
    let env = desk();
    // Default: one business day, i.e. by Tuesday 09:00, when #3 is due.
    assert_eq!(numbers(&env.json(&["due"])), [1, 6, 3, 2, 4]);
    // Four business hours: by 13:00, when #2 is due; three hours is not enough.
    assert_eq!(numbers(&env.json(&["due", "--within", "4h"])), [1, 6, 2]);
    assert_eq!(numbers(&env.json(&["due", "--within", "3h"])), [1, 6]);
    // Two business days reach Wednesday 09:00; by owner, queue last. #5 is held to December.
    assert_eq!(
        numbers(&env.json(&["due", "--within", "2d"])),
        [1, 6, 3, 2, 4]
    );
    assert_eq!(
        numbers(&env.json(&["due", "--within", "7d"])),
        [1, 6, 3, 2, 5, 4]
    );
    let rows = env.json(&["due", "--within", "2d"]);
    assert_eq!(by_number(&rows, 2)["late_business_minutes"], Value::Null);
    assert_eq!(by_number(&rows, 2)["overdue"], false);
    let table = env.ok(&["due"]);
    assert!(table.contains("Quote for 20 handsets"), "{table}");
    let csv = env.ok(&["due", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 6, "{csv}");
    let err = env.fails(&["due", "--within", "soon"], 2);
    assert!(err.contains("`soon`"), "{err}");
}

#[test]
fn mine_shows_open_cases_i_created_and_owned_those_i_own() {
    let env = desk();
    // amy created #1 #2 #4 (#6 is a stranger's, #7 closed).
    let mine = env.json(&["mine"]);
    assert_eq!(numbers(&mine), [1, 2, 4]);
    assert_eq!(by_number(&mine, 1)["late_business_minutes"], 420);
    assert_eq!(by_number(&mine, 2)["owner"], "bob");
    // amy owns #1 #3 #6.
    assert_eq!(numbers(&env.json(&["owned"])), [1, 6, 3]);
    let owned = env.ok(&["owned"]);
    // A header line and one line per case, no box-drawing.
    assert_eq!(owned.lines().count(), 4, "{owned}");
    assert!(
        owned.contains("Stranger asks") && owned.contains("(7h late)"),
        "{owned}"
    );
    let owned_csv = env.ok(&["owned", "--format", "csv"]);
    let lines: Vec<&str> = owned_csv.lines().collect();
    assert_eq!(lines.len(), 4, "{owned_csv}");
    assert!(lines[3].starts_with("3,Change of address,,amy,In Progress,Standard,2026-11-23T13:30:00Z,2026-11-24T14:00:00Z,no,"), "{owned_csv}");
    assert_eq!(numbers(&env.json(&["--as", "bob", "owned"])), [2, 5]);
    assert_eq!(numbers(&env.json(&["--as", "bob", "mine"])), [3, 5]);

    let table = env.ok(&["mine"]);
    let header = table.lines().next().unwrap();
    for col in [
        "case", "subject", "account", "owner", "status", "priority", "opened", "next due",
    ] {
        assert!(header.contains(col), "{col} missing in {header}");
    }
    assert!(table.contains("2026-11-20 10:00 (7h late)"), "{table}");
    assert!(table.contains("2026-11-23 13:00"), "{table}");
    assert!(table.contains("queue"), "{table}");

    let csv = env.ok(&["mine", "--format", "csv"]);
    assert_eq!(
        csv.lines().next().unwrap(),
        "number,subject,account,owner,status,priority,opened_at,next_due,overdue,late_business_minutes"
    );
    assert_eq!(csv.lines().count(), 4);

    // The filters of `list`.
    assert_eq!(numbers(&env.json(&["mine", "--overdue"])), [1]);
    assert_eq!(
        numbers(&env.json(&["mine", "--priority", "expedited"])),
        [2]
    );
    assert_eq!(numbers(&env.json(&["mine", "--all"])), [1, 2, 4, 7]);
    assert_eq!(
        numbers(&env.json(&["owned", "--account", "Acme Dental"])),
        [1]
    );

    // Someone else's cases are `list`'s job.
    let err = env.fails(&["mine", "--creator", "bob"], 1);
    assert!(err.contains("list --creator"), "{err}");
    let err = env.fails(&["owned", "--owner", "bob"], 1);
    assert!(err.contains("list --owner"), "{err}");

    // Nobody to be: a clear error.
    let out = env
        .cmd()
        .env_remove("CASEBOOK_USER")
        .arg("mine")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--as"));
}

#[test]
fn report_groups_staff_cases_by_owner_with_counts() {
    let env = desk();
    let r = env.json(&["report"]);
    assert_eq!(r["title"], "Test Desk: open cases by owner");
    assert_eq!(r["timezone"], "America/New_York");
    assert_eq!(r["summary"]["open"], 5, "{r}");
    assert_eq!(r["summary"]["overdue"], 1);
    assert_eq!(r["summary"]["due_today"], 2);
    assert_eq!(r["summary"]["owners"], 2);
    assert_eq!(r["summary"]["in_queue"], 1);
    let owners: Vec<&Value> = r["owners"].as_array().unwrap().iter().collect();
    let names: Vec<&str> = owners.iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Amy Chen", "Bob Ortiz", "Account Management Queue"]);
    assert_eq!(owners[0]["open"], 2);
    assert_eq!(owners[0]["overdue"], 1);
    assert_eq!(numbers(&owners[0]["cases"]), [1, 3]);
    assert_eq!(numbers(&owners[1]["cases"]), [2, 5]);
    assert_eq!(owners[2]["owner"], Value::Null);

    for format in ["table", "text"] {
        let text = env.ok(&["report", "--format", format]);
        assert!(text.starts_with("Test Desk: open cases by owner\nMonday 23 November 2026 09:00 (America/New_York)\n"), "{text}");
        assert!(
            text.contains("Team: 5 open, 1 overdue, 2 due later today; 2 owners, 1 in the queue"),
            "{text}"
        );
        let amy = text.find("Amy Chen (amy): 2 open, 1 overdue").expect(&text);
        let bob = text
            .find("Bob Ortiz (bob): 2 open, 0 overdue")
            .expect(&text);
        let queue = text
            .find("Account Management Queue: 1 open, 0 overdue")
            .expect(&text);
        assert!(amy < bob && bob < queue);
        assert!(!text.contains("Stranger asks"));
    }

    let csv = env.ok(&["report", "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "owner,owner_name,number,subject,account,creator,status,priority,opened_at,next_due,overdue,late_business_minutes,late");
    assert_eq!(lines.len(), 6);
    assert!(lines[1].starts_with("amy,Amy Chen,1,"), "{csv}");
    assert!(
        lines[5].starts_with(",Account Management Queue,4,"),
        "{csv}"
    );
}

#[test]
fn report_html_is_a_self_contained_escaped_page() {
    let env = desk();
    let html = env.ok(&["report", "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert!(
        html.contains("Waiting on budget &lt;Q1&gt;"),
        "subjects are escaped"
    );
    assert!(!html.contains("<Q1>"));
    for banned in ["<script", "<link", "src=\"http", "@import"] {
        assert!(!html.contains(banned), "{banned}");
    }
    assert!(html.contains("Amy Chen (amy)") && html.contains("7h late"));
    // Other listings refuse html.
    let err = env.fails(&["mine", "--format", "html"], 1);
    assert!(err.contains("report"), "{err}");
}

#[test]
fn report_send_mails_once_a_day_unless_forced() {
    let mut env = desk();
    let out = env.ok(&["report", "--send"]);
    assert_eq!(
        out,
        "queued the owner report for 2026-11-23 to am-team@desk.example, jlee@desk.example (5 open cases, 1 overdue)\n"
    );
    let sends = |env: &Env| -> Vec<(String, i64)> {
        env.rows("SELECT day, sent_at FROM report_sends ORDER BY day")
            .into_iter()
            .map(|r| {
                (
                    r[0].clone().unwrap(),
                    r[1].as_deref().unwrap().parse().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        sends(&env),
        [("2026-11-23".to_string(), t(common::NOW).timestamp())]
    );
    // In the outbox: one message per recipient, plain text with an HTML alternative.
    let reports = |env: &Env| -> Vec<(String, String)> {
        env.rows("SELECT id, recipient FROM outbox WHERE kind = 'report' ORDER BY id")
            .into_iter()
            .map(|r| {
                let raw = env.blob(&format!(
                    "SELECT raw FROM outbox WHERE id = {}",
                    r[0].as_deref().unwrap()
                ));
                (r[1].clone().unwrap(), String::from_utf8(raw).unwrap())
            })
            .collect()
    };
    let queued = reports(&env);
    let to: Vec<&str> = queued.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(to, ["am-team@desk.example", "jlee@desk.example"]);
    for (_, raw) in &queued {
        assert!(
            raw.contains("multipart/alternative") && raw.contains("text/html"),
            "{raw}"
        );
        assert!(raw.contains("Auto-Submitted: auto-generated"), "{raw}");
    }

    // Later the same day in New York (already Tuesday in UTC): nothing sent, said on stderr.
    env.now = "2026-11-24T03:30:00Z".into();
    let out = env.run(&["report", "--send"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already sent at 2026-11-23 09:00") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(sends(&env).len(), 1);
    assert_eq!(reports(&env).len(), 2, "the refused send queued nothing");

    // --force sends again and moves the time.
    let out = env.ok(&["report", "--send", "--force"]);
    assert!(
        out.starts_with("queued the owner report for 2026-11-23"),
        "{out}"
    );
    assert_eq!(
        sends(&env),
        [(
            "2026-11-23".to_string(),
            t("2026-11-24T03:30:00Z").timestamp()
        )]
    );

    // Thursday is Thanksgiving, a holiday of the calendar: nothing goes out.
    env.now = "2026-11-26T12:00:00Z".into();
    let out = env.run(&["report", "--send"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not a business day") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(sends(&env).len(), 1);
    // Nor on a Saturday.
    env.now = "2026-11-28T15:00:00Z".into();
    env.ok(&["report", "--send"]);
    assert_eq!(sends(&env).len(), 1);
    // The next Monday is another business day.
    env.now = "2026-11-30T12:00:00Z".into();
    env.ok(&["report", "--send"]);
    assert_eq!(sends(&env).len(), 2);
    assert_eq!(
        reports(&env).len(),
        6,
        "two recipients on each of three sends"
    );

    // --force alone is a usage error.
    env.fails(&["report", "--force"], 2);
}

#[test]
fn report_send_without_recipients_names_the_setting() {
    let env = Env::new();
    env.write("config.toml", "[report]\nrecipients = []\n");
    env.with_team();
    let err = env.fails(&["report", "--send"], 1);
    assert!(err.contains("[report] recipients"), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM report_sends"), 0);
}

#[test]
fn the_sample_config_parses_and_builds_its_calendar() {
    let env = Env::new();
    let out = env
        .cmd()
        .env("CASEBOOK_CONFIG", Env::sample("config.toml"))
        .args(["due", "--within", "1d"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
