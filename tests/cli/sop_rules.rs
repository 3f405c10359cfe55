//! End-to-end tests of issue 17's SOP rules and day-one corrections: handoff
//! follow-up, the Integration clocks of sop/003, phone and voicemail as one
//! method, a person's reply as a person's mail, notifications of assignment and
//! of a reopening reply, away and delegates, `due --explain` and
//! `report --all-creators`. Every time-based rule is tested with `--now` on both
//! sides of its limit.

use crate::common;

use std::path::{Path, PathBuf};

use casebook::domain::states::MessageDirection;
use chrono::{DateTime, Duration, Utc};
use common::seed::CaseSpec;
use common::Env;
use mail_parser::MessageParser;
use serde_json::Value;

const CONFIG: &str =
    "[desk]\ningest_address = \"cases@desk.example\"\ndomain = \"desk.example\"\n\n\
[escalation]\nfallback = \"jlee\"\nam_response = \"1d\"\n\n\
[teams.billing]\nfollow_up = \"jlee\"\nreply_hours = 48\n";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(common::NOW).unwrap().to_utc()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

/// The small team and its accounts, the workflow config, and mail written to `mail/`.
fn env() -> (Env, PathBuf) {
    env_with("")
}

fn env_with(extra: &str) -> (Env, PathBuf) {
    let env = Env::new();
    env.with_team();
    let mail = env.path("mail");
    std::fs::create_dir_all(&mail).unwrap();
    env.write(
        "config.toml",
        &format!(
            "{CONFIG}{extra}\n[mail]\ntransport = \"file:{}\"\n",
            mail.display()
        ),
    );
    (env, mail)
}

/// Creates a case through the store; returns its number.
fn seed(env: &Env, subject: &str, s: CaseSpec<'_>) -> i64 {
    env.seed().case_as(subject, s)
}

fn case(env: &Env, n: i64) -> Value {
    env.json(&["show", &n.to_string()])
}

/// Runs as `who` at `when` and asserts success.
fn ok_at(env: &Env, who: &str, when: &str, args: &[&str]) -> String {
    let mut all = vec!["--as", who, "--now", when];
    all.extend_from_slice(args);
    env.ok(&all)
}

/// Runs as `who` at `when` and asserts the exit code; returns stderr.
fn fails_at(env: &Env, who: &str, when: &str, args: &[&str], code: i32) -> String {
    let mut all = vec!["--as", who, "--now", when];
    all.extend_from_slice(args);
    env.fails(&all, code)
}

/// `sweep` at `when` (as cron runs it): the actions as JSON, and stderr.
fn sweep(env: &Env, when: &str) -> (Value, String) {
    let out = env.run(&["--now", when, "--format", "json", "sweep"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The rules sweep applies at `when` to case `n`, without doing them.
fn planned(env: &Env, n: i64, when: &str) -> Vec<String> {
    let out = env.run(&["--now", when, "--format", "json", "sweep", "--dry-run"]);
    assert!(out.status.success(), "{out:?}");
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    plan.as_array()
        .unwrap()
        .iter()
        .filter(|a| a["number"] == n)
        .map(|a| a["rule"].as_str().unwrap().to_string())
        .collect()
}

/// Feeds one message to `casebook ingest` at `when`; returns stdout.
fn ingest(env: &Env, when: &str, raw: &str) -> String {
    let out = env
        .cmd()
        .args(["--now", when, "ingest"])
        .write_stdin(raw.replace('\n', "\r\n").into_bytes())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A message from `from` tagged for case `n`.
fn mail_on(n: i64, from: &str, id: &str, body: &str) -> String {
    format!(
        "From: {from}\nTo: cases@desk.example\nSubject: Re: [Case #{n}] billing\nMessage-ID: <{id}>\nDate: Mon, 23 Nov 2026 15:00:00 +0000\n\n{body}\n"
    )
}

/// The .eml files written so far.
fn emls(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

fn to_of(raw: &[u8]) -> String {
    let m = MessageParser::default().parse(raw).unwrap();
    m.to()
        .unwrap()
        .first()
        .unwrap()
        .address()
        .unwrap()
        .to_string()
}

/// The messages mailed to `address` so far.
fn mails_to(dir: &Path, address: &str) -> Vec<Vec<u8>> {
    emls(dir)
        .into_iter()
        .filter(|r| to_of(r) == address)
        .collect()
}

fn body(raw: &[u8]) -> String {
    let m = MessageParser::default().parse(raw).unwrap();
    m.body_text(0).unwrap().replace("\r\n", "\n")
}

fn header(raw: &[u8], name: &str) -> Option<String> {
    MessageParser::default()
        .parse(raw)
        .unwrap()
        .header_raw(name)
        .map(|v| v.trim().to_string())
}

// ------------------------------------------------------ contact methods (item 7)

#[test]
fn phone_voicemail_and_phone_are_one_method_for_closed_no_response() {
    let (env, _) = env();
    let new = || {
        seed(
            &env,
            "x",
            CaseSpec {
                owner: Some("amy"),
                creator: Some("amy"),
                opened: Some(at("2026-11-20T14:00:00Z")),
                ..CaseSpec::default()
            },
        )
    };
    let log = |n: i64, method: &str, outcome: &str, when: &str| {
        ok_at(
            &env,
            "amy",
            when,
            &[
                "log",
                &n.to_string(),
                "--method",
                method,
                "--outcome",
                outcome,
            ],
        );
    };
    let phone_only = new();
    log(phone_only, "phone", "no-answer", "2026-11-23T15:00:00Z");
    log(
        phone_only,
        "voicemail",
        "left-message",
        "2026-11-23T16:00:00Z",
    );
    log(phone_only, "phone", "no-answer", "2026-11-24T15:00:00Z");
    let err = fails_at(
        &env,
        "amy",
        "2026-11-24T16:00:00Z",
        &["close", &phone_only.to_string(), "--no-response"],
        1,
    );
    assert!(err.contains("1 of 2 methods"), "{err}");

    // Voicemail and email are two.
    let two = new();
    log(two, "voicemail", "left-message", "2026-11-23T15:00:00Z");
    log(two, "email", "sent", "2026-11-23T16:00:00Z");
    log(two, "phone", "no-answer", "2026-11-24T15:00:00Z");
    ok_at(
        &env,
        "amy",
        "2026-11-24T16:00:00Z",
        &["close", &two.to_string(), "--no-response"],
    );
    assert_eq!(case(&env, two)["status"], "Closed No Response");
}

// ------------------------------------------------------ outgoing mail (item 8)

#[test]
fn a_reply_is_a_persons_mail_beside_a_notification_and_threads_to_the_latest_message() {
    let (env, mail) = env();
    let n = seed(
        &env,
        "Printer on fire",
        CaseSpec {
            account: Some("Acme Dental"),
            contact: Some("ann@acme-dental.example"),
            owner: Some("paige"),
            creator: Some("amy"),
            ..CaseSpec::default()
        },
    );
    let s = env.seed();
    let c = common::case(n);
    s.message(
        c,
        MessageDirection::In,
        "first@acme-dental.example",
        "ann@acme-dental.example",
        "Printer",
        at("2026-11-23T10:00:00Z"),
    );
    s.message(
        c,
        MessageDirection::In,
        "latest@acme-dental.example",
        "ann@acme-dental.example",
        "Re: Printer",
        at("2026-11-23T12:00:00Z"),
    );
    drop(s);
    env.ok_as("amy", &["reply", &n.to_string(), "--body", "On my way."]);
    let reply = mails_to(&mail, "ann@acme-dental.example").remove(0);
    let notice = mails_to(&mail, "paige@desk.example").remove(0);
    let side_by_side = |name: &str| (header(&reply, name), header(&notice, name));
    assert_eq!(
        side_by_side("Auto-Submitted"),
        (None, Some("auto-generated".into()))
    );
    assert_eq!(side_by_side("Precedence"), (None, Some("bulk".into())));
    assert_eq!(
        side_by_side("X-Auto-Response-Suppress"),
        (None, Some("All".into()))
    );
    assert_eq!(
        side_by_side("X-Loop"),
        (
            Some("cases@desk.example".into()),
            Some("cases@desk.example".into())
        )
    );
    assert_eq!(
        header(&reply, "In-Reply-To").as_deref(),
        Some("<latest@acme-dental.example>")
    );
    let refs = header(&reply, "References").unwrap();
    assert!(refs.contains(&format!("<case-{n}@desk.example>")), "{refs}");
}

// ------------------------------------------------------ handoff follow-up (item 2)

/// A case of Acme Dental owned by amy, handed off to billing at NOW with `rep`.
fn handed_off(env: &Env, rep: &str) -> i64 {
    let n = seed(
        env,
        "billing question",
        CaseSpec {
            account: Some("Acme Dental"),
            contact: Some("ann@acme-dental.example"),
            owner: Some("amy"),
            creator: Some("amy"),
            ..CaseSpec::default()
        },
    );
    env.ok_as(
        "amy",
        &["handoff", &n.to_string(), "--team", "billing", "--rep", rep],
    );
    n
}

#[test]
fn handoff_follow_up_counts_the_teams_reply_not_the_customers() {
    let (env, _) = env();
    // Only the customer writes: still prompted at 48 hours.
    let customer_only = handed_off(&env, "bob");
    let out = ingest(
        &env,
        "2026-11-24T15:00:00Z",
        &mail_on(
            customer_only,
            "Ann Acme <ann@acme-dental.example>",
            "ann-1@acme-dental.example",
            "Any news?",
        ),
    );
    assert!(
        out.contains(&format!("appended to #{customer_only}")),
        "{out}"
    );
    // The representative (a person with an address) replies by mail.
    let rep_mailed = handed_off(&env, "bob");
    ingest(
        &env,
        "2026-11-24T15:00:00Z",
        &mail_on(
            rep_mailed,
            "Bob Ortiz <bob@desk.example>",
            "bob-1@desk.example",
            "Refund sent.",
        ),
    );
    // A representative outside the desk, with the address given at the handoff.
    let outside = handed_off(&env, "Pat Biller <pat@billing.example>");
    ingest(
        &env,
        "2026-11-24T15:00:00Z",
        &mail_on(
            outside,
            "Pat Biller <PAT@billing.example>",
            "pat-1@billing.example",
            "Credit applied.",
        ),
    );
    let shown = case(&env, outside);
    assert_eq!(
        shown["last_inbound_at"],
        Value::Null,
        "not the customer's mail"
    );
    // A reply that came by phone, recorded by hand.
    let by_phone = handed_off(&env, "Pat Biller");
    let out = ok_at(
        &env,
        "amy",
        "2026-11-24T16:00:00Z",
        &["handoff", &by_phone.to_string(), "--replied"],
    );
    assert!(out.contains("billing replied (by phone)"), "{out}");

    for n in [customer_only, rep_mailed, outside, by_phone] {
        assert_eq!(
            planned(&env, n, "2026-11-25T13:59:00Z"),
            Vec::<String>::new(),
            "#{n} before 48 hours"
        );
    }
    assert_eq!(
        planned(&env, customer_only, "2026-11-25T14:00:00Z"),
        ["handoff-no-reply"]
    );
    for n in [rep_mailed, outside, by_phone] {
        assert_eq!(
            planned(&env, n, "2026-11-25T14:00:00Z"),
            Vec::<String>::new(),
            "#{n} was answered"
        );
    }
    let (done, _) = sweep(&env, "2026-11-25T14:00:00Z");
    assert_eq!(done.as_array().unwrap().len(), 1, "{done:#}");
    // The follow-up contact is tagged in an internal comment, as the SOP says.
    let comments = case(&env, customer_only)["comments"].clone();
    assert!(
        comments.as_array().unwrap().iter().any(|c| c["body"]
            .as_str()
            .unwrap()
            .starts_with("@jlee no reply from billing in 48 hours")),
        "{comments:#}"
    );
    let events = case(&env, rep_mailed)["events"].clone();
    assert!(
        events
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "handoff reply" && e["new"] == "mail from bob@desk.example"),
        "{events:#}"
    );

    // `--replied` needs a handoff, and neither team nor rep.
    let plain = seed(
        &env,
        "plain",
        CaseSpec {
            owner: Some("amy"),
            ..CaseSpec::default()
        },
    );
    let err = env.fails(
        &["--as", "amy", "handoff", &plain.to_string(), "--replied"],
        1,
    );
    assert!(err.contains("is not handed off"), "{err}");
    env.fails(
        &[
            "--as",
            "amy",
            "handoff",
            &by_phone.to_string(),
            "--replied",
            "--team",
            "billing",
        ],
        2,
    );
}

// ------------------------------------------------------ notifications (items 9, 10)

#[test]
fn a_reply_that_reopens_a_closed_case_mails_the_owner_once() {
    let (env, mail) = env();
    let n = seed(
        &env,
        "printer",
        CaseSpec {
            account: Some("Acme Dental"),
            contact: Some("ann@acme-dental.example"),
            owner: Some("paige"),
            creator: Some("amy"),
            ..CaseSpec::default()
        },
    );
    env.seed().status(
        common::case(n),
        casebook::domain::case::Status::Closed,
        Some(now() - Duration::hours(2)),
    );
    let out = ingest(
        &env,
        common::NOW,
        &mail_on(
            n,
            "Ann Acme <ann@acme-dental.example>",
            "ann-2@acme-dental.example",
            "It broke again.",
        ),
    );
    assert!(out.contains(&format!("appended to #{n}")), "{out}");
    assert_eq!(case(&env, n)["status"], "In Progress");
    for who in ["paige@desk.example", "amy@desk.example"] {
        let got = mails_to(&mail, who);
        assert_eq!(got.len(), 1, "one message to {who}");
        let text = body(&got[0]);
        assert!(
            text.contains("the customer replied: status Closed → In Progress"),
            "{text}"
        );
    }
}

#[test]
fn assign_mails_the_new_owner_unless_no_notify_and_never_an_inactive_person() {
    let (env, mail) = env();
    let n = seed(
        &env,
        "fax",
        CaseSpec {
            owner: Some("amy"),
            creator: Some("sam"),
            ..CaseSpec::default()
        },
    );
    let s = n.to_string();
    env.ok_as("sam", &["assign", &s, "bob", "--note", "please call"]);
    assert_eq!(
        mails_to(&mail, "bob@desk.example").len(),
        1,
        "the new owner, by default"
    );
    assert_eq!(
        mails_to(&mail, "amy@desk.example").len(),
        1,
        "the previous owner"
    );
    env.ok_as("sam", &["assign", &s, "amy", "--no-notify"]);
    assert_eq!(
        mails_to(&mail, "amy@desk.example").len(),
        1,
        "--no-notify: not the new owner"
    );
    assert_eq!(
        mails_to(&mail, "bob@desk.example").len(),
        2,
        "the previous owner still is"
    );

    // An inactive person cannot be given the case, and is not mailed about it.
    assert_eq!(
        env.ok(&["people", "deactivate", "bob"]),
        "bob is inactive\n"
    );
    let err = env.fails(&["--as", "sam", "assign", &s, "bob"], 1);
    assert!(
        err.contains("`bob` is inactive and cannot be given cases"),
        "{err}"
    );
    env.ok_as("sam", &["watch", &s, "bob"]);
    env.ok_as("sam", &["comment", &s, "@bob still there?"]);
    assert_eq!(
        mails_to(&mail, "bob@desk.example").len(),
        2,
        "inactive: no more mail"
    );
    let list = env.json(&["people", "list"]);
    let bob = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["handle"] == "bob")
        .unwrap();
    assert_eq!(bob["active"], false);
    env.ok(&["people", "activate", "bob"]);
    env.ok_as("sam", &["assign", &s, "bob"]);

    // An escalation to an inactive AM is refused; triage sends their accounts' cases to the pool.
    env.ok(&["people", "deactivate", "rmora"]);
    let birch = seed(
        &env,
        "birch",
        CaseSpec {
            account: Some("Birch Law"),
            creator: Some("sam"),
            ..CaseSpec::default()
        },
    );
    let plan = env.json(&["triage", "--dry-run"]);
    let row = plan
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["number"] == birch)
        .unwrap()
        .clone();
    assert!(
        ["amy", "bob"].contains(&row["assign_to"].as_str().unwrap()),
        "{row}"
    );
    assert_eq!(
        row["reason"],
        "pool: the designated account manager `rmora` is inactive"
    );
    let err = env.fails(
        &[
            "--as",
            "sam",
            "escalate",
            &birch.to_string(),
            "--am",
            "--note",
            "x",
        ],
        1,
    );
    assert!(err.contains("`rmora` is inactive"), "{err}");
}

#[test]
fn an_am_cannot_escalate_their_own_case_to_themselves() {
    let (env, _) = env();
    // paige is Acme Dental's AM (and her own RM).
    let n = seed(
        &env,
        "router",
        CaseSpec {
            account: Some("Acme Dental"),
            owner: Some("paige"),
            creator: Some("paige"),
            ..CaseSpec::default()
        },
    );
    let err = env.fails(
        &[
            "--as",
            "paige",
            "escalate",
            &n.to_string(),
            "--am",
            "--note",
            "call",
        ],
        1,
    );
    assert!(
        err.contains("act on it yourself") && err.contains("--management"),
        "{err}"
    );
    assert_eq!(case(&env, n)["status"], "New");
    // A day later sweep has nothing to escalate past the AM.
    assert_eq!(
        planned(&env, n, "2026-11-24T15:00:00Z"),
        Vec::<String>::new()
    );
    // Someone else may escalate to her.
    env.ok_as(
        "sam",
        &["escalate", &n.to_string(), "--am", "--note", "call"],
    );
    assert_eq!(case(&env, n)["status"], "Waiting for Account Manager");
}

// ------------------------------------------------------ away and delegates

/// triage at `when` as JSON rows, without assigning.
fn triage_plan(env: &Env, when: &str) -> Vec<Value> {
    env.json(&["--now", when, "triage", "--dry-run"])
        .as_array()
        .unwrap()
        .clone()
}

fn route_of(plan: &[Value], n: i64) -> (String, String) {
    let row = plan.iter().find(|r| r["number"] == n).unwrap();
    (
        row["assign_to"].as_str().unwrap_or("").to_string(),
        row["reason"].as_str().unwrap().to_string(),
    )
}

#[test]
fn an_away_am_is_covered_by_the_delegate_or_the_pool() {
    let (env, mail) = env();
    let queued = |account: &'static str| {
        seed(
            &env,
            "queued",
            CaseSpec {
                account: Some(account),
                creator: Some("sam"),
                ..CaseSpec::default()
            },
        )
    };
    let acme = queued("Acme Dental"); // Gold, AM paige
    let birch = queued("Birch Law"); // Silver, AM rmora
    let out = env.ok(&[
        "people",
        "away",
        "paige",
        "--from",
        "2026-11-23",
        "--until",
        "2026-11-27",
        "--delegate",
        "jlee",
    ]);
    assert_eq!(
        out,
        "paige is away 2026-11-23 to 2026-11-27, covered by jlee\n"
    );
    env.ok(&[
        "people",
        "away",
        "rmora",
        "--from",
        "2026-11-23",
        "--until",
        "2026-11-27",
    ]);

    // Friday 27 November, 23:59 in New York: still away.
    let plan = triage_plan(&env, "2026-11-28T04:59:00Z");
    assert_eq!(
        route_of(&plan, acme),
        ("jlee".into(), "delegate of `paige`, who is away".into())
    );
    let (to, why) = route_of(&plan, birch);
    assert!(["amy", "bob"].contains(&to.as_str()), "{to}");
    assert_eq!(why, "pool: `rmora` is away with no delegate");
    // Saturday 28, 00:00 in New York: back by the dates.
    let plan = triage_plan(&env, "2026-11-28T05:00:00Z");
    assert_eq!(route_of(&plan, acme).0, "paige");
    assert_eq!(route_of(&plan, birch).0, "rmora");

    // Who covers whom, in the people list.
    let people = env.json(&["people", "list"]);
    let paige = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["handle"] == "paige")
        .unwrap();
    assert_eq!(
        (
            paige["away_from"].as_str(),
            paige["away_until"].as_str(),
            paige["delegate"].as_str()
        ),
        (Some("2026-11-23"), Some("2026-11-27"), Some("jlee"))
    );

    // Triage for real: the delegate owns it; the away AM's notifications reach the delegate.
    env.ok(&["triage"]);
    assert_eq!(case(&env, acme)["owner"], "jlee");
    let owned = seed(
        &env,
        "paige's own",
        CaseSpec {
            account: Some("Acme Dental"),
            owner: Some("paige"),
            creator: Some("sam"),
            ..CaseSpec::default()
        },
    );
    let before = mails_to(&mail, "jlee@desk.example").len();
    env.ok_as(
        "sam",
        &["comment", &owned.to_string(), "customer called again"],
    );
    let to_jlee = mails_to(&mail, "jlee@desk.example");
    assert_eq!(to_jlee.len(), before + 1, "the delegate hears of it");
    assert!(body(to_jlee.last().unwrap()).contains("you cover for someone who is away"));
    assert_eq!(mails_to(&mail, "paige@desk.example").len(), 1, "paige too");

    // An escalation to the away AM goes to the delegate.
    env.ok(&[
        "people",
        "away",
        "rmora",
        "--until",
        "2026-11-27",
        "--delegate",
        "bob",
    ]);
    let esc = seed(
        &env,
        "escalate me",
        CaseSpec {
            account: Some("Birch Law"),
            owner: Some("sam"),
            creator: Some("sam"),
            ..CaseSpec::default()
        },
    );
    let out = env.ok_as(
        "sam",
        &["escalate", &esc.to_string(), "--am", "--note", "call them"],
    );
    assert!(out.contains("escalated to account manager bob"), "{out}");
    let shown = case(&env, esc);
    assert_eq!(
        (shown["am"].as_str(), shown["rm"].as_str()),
        (Some("bob"), Some("jlee"))
    );

    // Back: routed to them again.
    assert_eq!(
        env.ok(&["people", "back", "paige"]),
        "paige (Paige Davies) is back\n"
    );
    let again = queued("Acme Dental");
    assert_eq!(route_of(&triage_plan(&env, common::NOW), again).0, "paige");

    // Bad periods are refused with what to do.
    let err = env.fails(
        &[
            "people",
            "away",
            "amy",
            "--from",
            "2026-11-25",
            "--until",
            "2026-11-24",
        ],
        1,
    );
    assert!(err.contains("before `--from"), "{err}");
    let err = env.fails(
        &[
            "people",
            "away",
            "amy",
            "--until",
            "2026-11-30",
            "--delegate",
            "amy",
        ],
        1,
    );
    assert!(err.contains("cannot be their own delegate"), "{err}");
    let err = env.fails(
        &[
            "people",
            "away",
            "amy",
            "--until",
            "2026-11-30",
            "--delegate",
            "ghost",
        ],
        1,
    );
    assert!(err.contains("unknown handle `ghost`"), "{err}");
}

// ------------------------------------------------------ Integration clocks (item 6)

/// An Integration case owned by amy, created by sam, opened at 10:00 UTC on Monday 23
/// November (4 hours before NOW).
fn integration(env: &Env, subject: &str) -> i64 {
    seed(
        env,
        subject,
        CaseSpec {
            owner: Some("amy"),
            creator: Some("sam"),
            case_type: Some("Integration"),
            ..CaseSpec::default()
        },
    )
}

fn comment(env: &Env, who: &str, when: &str, n: i64, extra: &[&str]) -> std::process::Output {
    let s = n.to_string();
    let mut args = vec!["--as", who, "--now", when, "comment", &s, "noted"];
    args.extend_from_slice(extra);
    env.run(&args)
}

#[test]
fn integration_cases_are_commented_on_within_48_hours_and_call_backs_answered() {
    let (env, mail) = env();
    let silent = integration(&env, "never commented");
    let commented = integration(&env, "commented");
    assert!(comment(&env, "sam", common::NOW, commented, &[])
        .status
        .success());
    let not_integration = seed(
        &env,
        "other type",
        CaseSpec {
            owner: Some("amy"),
            ..CaseSpec::default()
        },
    );
    assert_eq!(
        planned(&env, silent, "2026-11-25T09:59:00Z"),
        Vec::<String>::new()
    );
    assert_eq!(
        planned(&env, silent, "2026-11-25T10:00:00Z"),
        ["integration-first-comment"]
    );
    assert_eq!(
        planned(&env, commented, "2026-11-25T10:00:00Z"),
        Vec::<String>::new()
    );
    assert_eq!(
        planned(&env, not_integration, "2026-11-25T10:00:00Z"),
        Vec::<String>::new()
    );

    // A call-back request at NOW: a phone call within 48 hours answers it.
    let unanswered = integration(&env, "call me");
    let answered = integration(&env, "call me too");
    for n in [unanswered, answered] {
        let out = comment(&env, "sam", common::NOW, n, &["--call-back"]);
        assert!(out.status.success(), "{out:?}");
    }
    ok_at(
        &env,
        "amy",
        "2026-11-24T15:00:00Z",
        &[
            "log",
            &answered.to_string(),
            "--method",
            "voicemail",
            "--outcome",
            "left-message",
        ],
    );
    assert_eq!(
        planned(&env, unanswered, "2026-11-25T13:59:00Z"),
        Vec::<String>::new()
    );
    assert_eq!(
        planned(&env, unanswered, "2026-11-25T14:00:00Z"),
        ["call-back"]
    );
    assert_eq!(
        planned(&env, answered, "2026-11-25T14:00:00Z"),
        Vec::<String>::new()
    );

    // Sweep reminds the owner once per occasion.
    let before = mails_to(&mail, "amy@desk.example").len();
    let (done, _) = sweep(&env, "2026-11-25T14:00:00Z");
    let rules: Vec<&str> = done
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["integration-first-comment", "call-back"],
        "{done:#}"
    );
    assert_eq!(mails_to(&mail, "amy@desk.example").len(), before + 2);
    let (again, _) = sweep(&env, "2026-11-25T15:00:00Z");
    assert_eq!(again, serde_json::json!([]));
}

#[test]
fn an_integration_case_is_closed_within_24_hours_of_speaking_with_the_contact() {
    let (env, mail) = env();
    let n = integration(&env, "resolved on the phone");
    assert!(comment(&env, "sam", common::NOW, n, &[]).status.success());
    let s = n.to_string();
    let err = env.fails(
        &[
            "--as",
            "amy",
            "log",
            &s,
            "--method",
            "phone",
            "--outcome",
            "no-answer",
            "--resolved",
        ],
        1,
    );
    assert!(err.contains("use it with `--outcome reached`"), "{err}");
    env.ok_as(
        "amy",
        &[
            "log",
            &s,
            "--method",
            "phone",
            "--outcome",
            "reached",
            "--resolved",
        ],
    );
    assert_eq!(
        planned(&env, n, "2026-11-24T13:59:00Z"),
        Vec::<String>::new()
    );
    assert_eq!(planned(&env, n, "2026-11-24T14:00:00Z"), ["spoke-close"]);
    // The creator (who closes) is reminded.
    let before = mails_to(&mail, "sam@desk.example").len();
    sweep(&env, "2026-11-24T14:00:00Z");
    assert_eq!(mails_to(&mail, "sam@desk.example").len(), before + 1);
    // The contact writing again since is a new question: no reminder.
    let wrote = integration(&env, "wrote again");
    assert!(comment(&env, "sam", common::NOW, wrote, &[])
        .status
        .success());
    env.ok_as(
        "amy",
        &[
            "log",
            &wrote.to_string(),
            "--method",
            "phone",
            "--outcome",
            "reached",
            "--resolved",
        ],
    );
    ingest(
        &env,
        "2026-11-23T20:00:00Z",
        &mail_on(
            wrote,
            "ann@acme-dental.example",
            "again@acme-dental.example",
            "One more thing",
        ),
    );
    assert_eq!(
        planned(&env, wrote, "2026-11-24T14:00:00Z"),
        Vec::<String>::new()
    );

    // Configured to close instead of reminding.
    let (closing, _) = env_with("\n[integration]\nafter_speaking = \"close\"\n");
    let m = integration(&closing, "close it");
    assert!(comment(&closing, "sam", common::NOW, m, &[])
        .status
        .success());
    closing.ok_as(
        "amy",
        &[
            "log",
            &m.to_string(),
            "--method",
            "phone",
            "--outcome",
            "reached",
            "--resolved",
        ],
    );
    sweep(&closing, "2026-11-24T13:59:00Z");
    assert_eq!(case(&closing, m)["status"], "In Progress");
    sweep(&closing, "2026-11-24T14:00:00Z");
    assert_eq!(case(&closing, m)["status"], "Closed");
}

#[test]
fn no_comments_while_an_integration_case_waits_and_update_requests_wait_7_business_days() {
    let (env, _) = env();
    let waiting = integration(&env, "waiting");
    assert!(comment(&env, "sam", common::NOW, waiting, &[])
        .status
        .success());
    env.ok_as(
        "amy",
        &["status", &waiting.to_string(), "waiting-for-details"],
    );
    let out = comment(&env, "sam", common::NOW, waiting, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "is `Waiting for Details`: no comments are made on an Integration case while it waits"
        ) && err.contains("--force"),
        "{err}"
    );
    assert!(comment(&env, "sam", common::NOW, waiting, &["--force"])
        .status
        .success());
    assert!(comment(&env, "sam", common::NOW, waiting, &["--call-back"])
        .status
        .success());
    let events = case(&env, waiting)["events"].clone();
    assert!(
        events
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "comment while waiting"),
        "{events:#}"
    );
    // Another type of case takes comments while it waits.
    let other = seed(
        &env,
        "other",
        CaseSpec {
            owner: Some("amy"),
            ..CaseSpec::default()
        },
    );
    env.ok_as(
        "amy",
        &["status", &other.to_string(), "waiting-for-details"],
    );
    assert!(comment(&env, "sam", common::NOW, other, &[])
        .status
        .success());

    // Update requests: early ones warn and say until when, unless the contact asked.
    let early = integration(&env, "early");
    let out = comment(&env, "sam", common::NOW, early, &["--update-request"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("before asking for an update, until "), "{err}");
    let last = |n: i64| {
        case(&env, n)["events"]
            .as_array()
            .unwrap()
            .iter()
            .rfind(|e| e["field"] == "update request")
            .map(|e| e["new"].as_str().unwrap().to_string())
    };
    let recorded = last(early).unwrap();
    let until = recorded
        .strip_prefix("early: before ")
        .expect(&recorded)
        .to_string();
    // Shown in New York (UTC-5 in December): the limit in UTC, for both sides of it.
    let limit = chrono::NaiveDateTime::parse_from_str(&until, "%Y-%m-%d %H:%M")
        .unwrap()
        .and_utc()
        + Duration::hours(5);
    let asked = integration(&env, "asked");
    let out = comment(
        &env,
        "sam",
        common::NOW,
        asked,
        &["--update-request", "--contact-asked"],
    );
    assert!(out.stderr.is_empty(), "{out:?}");
    assert_eq!(last(asked).as_deref(), Some("the contact asked for it"));
    let just_before = integration(&env, "just before");
    let at_limit = integration(&env, "at the limit");
    let before = (limit - Duration::minutes(1)).to_rfc3339();
    let out = comment(&env, "sam", &before, just_before, &["--update-request"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("before asking"),
        "{out:?}"
    );
    let out = comment(
        &env,
        "sam",
        &limit.to_rfc3339(),
        at_limit,
        &["--update-request"],
    );
    assert!(out.stderr.is_empty(), "{out:?}");
    assert_eq!(last(at_limit).as_deref(), Some("after the wait"));
}

// ------------------------------------------------------ the owner report

#[test]
fn report_all_creators_includes_every_open_case_with_the_queue_apart() {
    let (env, _) = env();
    let staff = seed(
        &env,
        "by staff",
        CaseSpec {
            owner: Some("amy"),
            creator: Some("sam"),
            ..CaseSpec::default()
        },
    );
    let customer = seed(
        &env,
        "by mail",
        CaseSpec {
            owner: Some("bob"),
            ..CaseSpec::default()
        },
    );
    let queued = seed(&env, "in the queue", CaseSpec::default());
    let numbers = |r: &Value| -> Vec<(Option<String>, Vec<i64>)> {
        r["owners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["owner"].as_str().map(String::from),
                    g["cases"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| c["number"].as_i64().unwrap())
                        .collect(),
                )
            })
            .collect()
    };
    let default = env.json(&["report"]);
    assert_eq!(numbers(&default), [(Some("amy".into()), vec![staff])]);
    assert_eq!(default["all_creators"], false);
    let all = env.json(&["report", "--all-creators"]);
    assert_eq!(
        numbers(&all),
        [
            (Some("amy".into()), vec![staff]),
            (Some("bob".into()), vec![customer]),
            (None, vec![queued]),
        ]
    );
    assert_eq!(all["summary"]["in_queue"], 1);
    let text = env.ok(&["report", "--all-creators"]);
    let queue_at = text
        .find("\nAccount Management Queue: 1 open")
        .expect(&text);
    assert!(
        text.find("\nBob Ortiz (bob): 1 open").unwrap() < queue_at,
        "{text}"
    );

    // The config default, and who covers whom.
    let (env2, _) = env_with("\n[report]\nall_creators = true\n");
    seed(
        &env2,
        "by mail",
        CaseSpec {
            owner: Some("bob"),
            ..CaseSpec::default()
        },
    );
    assert_eq!(env2.json(&["report"])["summary"]["open"], 1);
    env2.ok(&[
        "people",
        "away",
        "paige",
        "--until",
        "2026-11-27",
        "--delegate",
        "jlee",
    ]);
    env2.ok(&["people", "away", "rmora", "--until", "2026-11-27"]);
    let text = env2.ok(&["report"]);
    assert!(
        text.contains("Away: Paige Davies (paige) until 2026-11-27, covered by jlee\n"),
        "{text}"
    );
    assert!(
        text.contains("Away: Rita Mora (rmora) until 2026-11-27, no delegate\n"),
        "{text}"
    );
    let later = env2.ok(&["--now", "2026-11-30T14:00:00Z", "report"]);
    assert!(!later.contains("Away:"), "{later}");
}

// ------------------------------------------------------ due --explain

#[test]
fn due_explain_shows_each_interval_counted_and_skipped() {
    let (env, _) =
        env_with("\n[[calendar.holidays]]\ndate = \"2026-11-26\"\nname = \"Thanksgiving\"\n");
    // Expedited, opened Wednesday 25 November 15:00 in New York.
    let n = seed(
        &env,
        "line down",
        CaseSpec {
            owner: Some("amy"),
            creator: Some("sam"),
            opened: Some(at("2026-11-25T20:00:00Z")),
            ..CaseSpec::default()
        },
    );
    let s = n.to_string();
    env.ok_as("sam", &["edit", &s, "--priority", "expedited"]);
    let explain = |when: &str| env.ok(&["--now", when, "due", &s, "--explain"]);
    let text = explain("2026-11-27T15:59:00Z");
    let want = [
        "priority Expedited: first contact within 4h, then every 1d (business time)",
        "2026-11-25 15:00  clock starts: opened; allows 4h",
        "2026-11-25 15:00 → 2026-11-25 17:00  counted 2h (total 2h)",
        "2026-11-25 17:00 → 2026-11-27 09:00  skipped: night, holiday 2026-11-26",
        "2026-11-27 09:00 → 2026-11-27 11:00  counted 2h (total 4h)",
        "2026-11-27 11:00  next contact due\n",
    ];
    for line in want {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    assert!(!text.contains("differs"), "{text}");
    assert!(
        explain("2026-11-27T16:01:00Z").contains("2026-11-27 11:00  next contact due (overdue)")
    );

    // A contact restarts the clock, and the explanation names it.
    ok_at(
        &env,
        "amy",
        "2026-11-27T15:00:00Z",
        &["log", &s, "--method", "phone", "--outcome", "no-answer"],
    );
    let text = explain("2026-11-27T15:30:00Z");
    assert!(
        text.contains(
            "2026-11-27 10:00  clock starts: last contact: phone no-answer by amy; allows 1d"
        ),
        "{text}"
    );
    assert!(text.contains("skipped: night, 2 closed day(s)"), "{text}");
    assert!(
        text.contains("2026-11-30 10:00  next contact due"),
        "{text}"
    );
    let json = env.json(&["due", &s, "--explain"]);
    assert_eq!(json.as_array().unwrap().last().unwrap()["step"], "due");
    // --explain needs a case.
    env.fails(&["due", "--explain"], 2);
}

#[test]
fn mail_from_the_teams_shared_address_is_the_teams_reply() {
    let (env, _) = env_with(
        "\n[teams.legal]\nfollow_up = \"rmora\"\naddress = \"Legal Desk <legal@desk.example>\"\n",
    );
    let n = seed(
        &env,
        "contract",
        CaseSpec {
            account: Some("Acme Dental"),
            contact: Some("ann@acme-dental.example"),
            owner: Some("amy"),
            creator: Some("amy"),
            ..CaseSpec::default()
        },
    );
    let quiet = seed(
        &env,
        "other",
        CaseSpec {
            owner: Some("amy"),
            creator: Some("amy"),
            ..CaseSpec::default()
        },
    );
    for c in [n, quiet] {
        env.ok_as(
            "amy",
            &[
                "handoff",
                &c.to_string(),
                "--team",
                "legal",
                "--rep",
                "Lee Gal",
            ],
        );
    }
    let out = ingest(
        &env,
        "2026-11-24T15:00:00Z",
        &mail_on(
            n,
            "legal@desk.example",
            "legal-1@desk.example",
            "Reviewed, fine.",
        ),
    );
    assert!(out.contains(&format!("appended to #{n}")), "{out}");
    assert_eq!(
        planned(&env, n, "2026-11-25T14:00:00Z"),
        Vec::<String>::new()
    );
    assert_eq!(
        planned(&env, quiet, "2026-11-25T13:59:00Z"),
        Vec::<String>::new()
    );
    assert_eq!(
        planned(&env, quiet, "2026-11-25T14:00:00Z"),
        ["handoff-no-reply"]
    );
}
