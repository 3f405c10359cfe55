use crate::common;

// Snapshot tests of the output a person reads: `show` with a timeline, the
// owner report (text and HTML), `ingest --dry-run --explain`, and the main
// error messages with their exit codes. They pin today's wording and layout
// so that a refactor which must not change behaviour cannot change it
// unnoticed. Every run uses the fixed clock, COLUMNS=160 and NO_COLOR of the
// harness and the sample desk (samples/), so the text is deterministic.
//
// A failure here means what a user sees changed: if that is intended, review
// the new text and update the snapshot (`cargo insta review`, or by hand).

use std::io::Write;
use std::process::{Output, Stdio};

use common::Env;

/// The sample desk's config with mail kept in the outbox, never sent.
fn sample_config() -> String {
    let config = std::fs::read_to_string(Env::sample("config.toml")).unwrap();
    let config = config.replace("transport = \"sendmail\"", "transport = \"none\"");
    assert!(
        config.contains("transport = \"none\""),
        "samples/config.toml no longer names the sendmail transport: update this test"
    );
    config
}

/// The sample desk: its config, team and accounts, and no cases yet.
fn desk() -> Env {
    let env = Env::new();
    env.write("config.toml", &sample_config());
    env.with_samples();
    env
}

fn sample_email(prefix: &str) -> Vec<u8> {
    let dir = Env::sample("emails");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no sample email {prefix}"));
    std::fs::read(file).unwrap()
}

/// Pipes the sample email `prefix` into `casebook --now NOW ingest [extra]`.
fn ingest(env: &Env, now: &str, prefix: &str, extra: &[&str]) -> Output {
    let mut child = env
        .std_cmd()
        .args(["--now", now, "ingest"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&sample_email(prefix))
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Ingests a sample and asserts it made a new case.
fn ingest_ok(env: &Env, now: &str, prefix: &str) {
    let out = ingest(env, now, prefix, &[]);
    assert!(
        out.status.success() && common::stdout_of(&out).starts_with("created #"),
        "ingest of {prefix}: {}",
        seen(env, &out)
    );
}

/// Replaces the temporary folder (the desk's HOME, database and config) by `[TMP]`.
pub(crate) fn normalise(env: &Env, text: &str) -> String {
    let mut text = text.to_string();
    let dir = env.dir.path();
    let mut paths = vec![dir.to_path_buf()];
    if let Ok(real) = dir.canonicalize() {
        paths.push(real);
    }
    // The longer first, so that one path never leaves half of another behind.
    paths.sort_by_key(|p| std::cmp::Reverse(p.as_os_str().len()));
    for p in paths {
        text = text.replace(&*p.to_string_lossy(), "[TMP]");
    }
    text
}

/// What a person sees of one run: its exit code, then stdout and stderr.
fn seen(env: &Env, out: &Output) -> String {
    let code = out.status.code().map_or_else(
        || "none (killed by a signal)".to_string(),
        |c| c.to_string(),
    );
    let mut s = format!("exit code: {code}\n");
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        if !text.is_empty() {
            s.push_str(&format!("--- {name}\n{text}"));
            if !text.ends_with('\n') {
                s.push_str("[no newline at end]\n");
            }
        }
    }
    normalise(env, &s)
}

/// The command line as a person would type it.
fn command_line(args: &[&str]) -> String {
    let quoted: Vec<String> = args
        .iter()
        .map(|a| {
            if a.is_empty() || a.contains([' ', '"', '\'', '@', '#']) {
                format!("{a:?}")
            } else {
                a.to_string()
            }
        })
        .collect();
    format!("$ casebook {}", quoted.join(" "))
}

/// Runs each command in turn; returns the command lines with what each printed
/// and how it exited, and asserts every exit code is the one expected.
fn session(env: &Env, runs: &[(&[&str], i32)]) -> String {
    let mut s = String::new();
    for (args, want) in runs {
        let out = env.run(args);
        let shown = seen(env, &out);
        assert_eq!(
            out.status.code(),
            Some(*want),
            "{}\n{shown}",
            command_line(args)
        );
        s.push_str(&command_line(args));
        s.push('\n');
        s.push_str(&shown);
        s.push('\n');
    }
    s
}

/// Runs and asserts success with nothing on stderr; returns stdout.
pub(crate) fn quiet_ok(env: &Env, args: &[&str]) -> String {
    let out = env.run(args);
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}\n{}",
        command_line(args),
        seen(env, &out)
    );
    normalise(env, &common::stdout_of(&out))
}

// ---------------------------------------------------------------- show

#[test]
fn show_prints_a_worked_case_with_its_timeline() {
    let env = desk();
    // Sample 07: forwarded as an attachment by an agent, with a note that
    // mentions @pmorgan and sets category, priority and account.
    ingest_ok(&env, "2026-11-23T14:00:00Z", "07");

    let steps = session(
        &env,
        &[
            (
                &[
                    "--as",
                    "gsantos",
                    "--now",
                    "2026-11-23T14:30:00Z",
                    "assign",
                    "1",
                    "pmorgan",
                    "--note",
                    "Platinum and at risk: yours",
                ],
                0,
            ),
            (
                &[
                    "--as",
                    "pmorgan",
                    "--now",
                    "2026-11-23T15:10:00Z",
                    "log",
                    "1",
                    "--method",
                    "phone",
                    "--outcome",
                    "left-message",
                    "--note",
                    "left a voicemail for Eleanor",
                ],
                0,
            ),
            (
                &[
                    "--as",
                    "pmorgan",
                    "--now",
                    "2026-11-23T15:20:00Z",
                    "comment",
                    "1",
                    "@jlee heads up: third outage, renewal in February",
                ],
                0,
            ),
        ],
    );
    insta::assert_snapshot!(steps, @r#"
    $ casebook --as gsantos --now 2026-11-23T14:30:00Z assign 1 pmorgan --note "Platinum and at risk: yours"
    exit code: 0
    --- stdout
    assigned #1 to pmorgan

    $ casebook --as pmorgan --now 2026-11-23T15:10:00Z log 1 --method phone --outcome left-message --note "left a voicemail for Eleanor"
    exit code: 0
    --- stdout
    logged phone left-message on #1 at 2026-11-23 09:10

    $ casebook --as pmorgan --now 2026-11-23T15:20:00Z comment 1 "@jlee heads up: third outage, renewal in February"
    exit code: 0
    --- stdout
    commented on #1 (internal)
    "#);

    let shown = quiet_ok(&env, &["--now", "2026-11-23T15:30:00Z", "show", "1"]);
    insta::assert_snapshot!(shown, @r#"
    case      #1 Third outage in two weeks
    status    In Progress
    priority  Expedited
    category  Red/At-Risk
    type      Account Management
    account   Whitcombe & Hale LLP
    contact   Eleanor Whitcombe <ewhitcombe@whitcombe-hale.example>
    owner     pmorgan
    creator   bortiz
    opened    2026-11-23 08:00
    next due  2026-11-24 09:10

    Paige,

    Our phones went down again this morning from 8:10 until almost 9:30. That is the third outage in two weeks. Clients calling the main line got a fast busy, and
    two of our attorneys missed court-related calls. Our receptionist was told by your support line that it was "resolved" on the 6th and again on the 10th.

    This is not acceptable for a firm our size. Our agreement comes up for renewal in February and at this point I am going to ask our IT committee to look at other
    providers.

    I would like a call from you today with an explanation of what happened and what is being done so it does not happen again.

    Eleanor Whitcombe
    Managing Partner
    Whitcombe & Hale LLP
    (414) 555-0102

    Timeline
      2026-11-23 08:00  bortiz     created: New
      2026-11-23 08:00  bortiz     original date: 2026-11-17T15:52:10+00:00
      2026-11-23 08:00  bortiz     comment: Eleanor sent the attached to support after this morning's outage. The
                                   network side is already being worked in SS-48213; she wants to hear from
                                   her account manager today and is talking about leaving at renewal.
                                   @pmorgan can you call her?

                                   Ben Ortiz
                                   Support Agent | Northwind Voice
      2026-11-23 08:00  system     mail in from bortiz@northwind-voice.example: FW: Third outage in two weeks
      2026-11-23 08:00  system     mail out to bortiz@northwind-voice.example: [Case #1] Third outage in two weeks
      2026-11-23 08:30  gsantos    owner: pmorgan
      2026-11-23 08:30  gsantos    comment: Platinum and at risk: yours
      2026-11-23 09:10  pmorgan    status: New → In Progress
      2026-11-23 09:10  pmorgan    contact phone left-message: left a voicemail for Eleanor
      2026-11-23 09:20  pmorgan    comment: @jlee heads up: third outage, renewal in February
    "#);
}

// ---------------------------------------------------------------- report

/// Five samples forwarded on Friday and triaged (two of them are not staff
/// cases and stay out of the report), one contact attempt, and a sample that
/// came in on Monday before triage ran, so the queue has a section.
pub(crate) fn report_desk() -> Env {
    let env = desk();
    for prefix in ["01", "02", "07", "09", "10"] {
        ingest_ok(&env, "2026-11-20T15:00:00Z", prefix);
    }
    env.ok(&["--as", "gsantos", "--now", "2026-11-20T16:00:00Z", "triage"]);
    env.ok(&[
        "--as",
        "salvarez",
        "--now",
        "2026-11-20T17:00:00Z",
        "log",
        "1",
        "--method",
        "email",
        "--outcome",
        "sent",
        "--note",
        "quote sent",
    ]);
    ingest_ok(&env, "2026-11-23T13:30:00Z", "04");
    env
}

#[test]
fn report_prints_the_owner_report_as_text() {
    let env = report_desk();
    let report = quiet_ok(&env, &["report"]);
    insta::assert_snapshot!(report, @r#"
    Northwind Voice Account Management: open cases by owner
    Monday 23 November 2026 08:00 (America/Chicago)

    Team: 4 open, 2 overdue, 1 due later today; 3 owners, 1 in the queue

    owner                     open  overdue
    Joe Brennan (jbrennan)    1     1
    Paige Morgan (pmorgan)    1     1
    Sofia Alvarez (salvarez)  1     0
    Account Management Queue  1     0

    Joe Brennan (jbrennan): 1 open, 1 overdue
    case  subject                                          account                        creator     status       priority   opened      next due
    #2    Cancel lines at Harbor Pointe leasing office     Tidewater Property Management  jbrennan    New          Expedited  2026-11-20  2026-11-20 13:00 (4h late)

    Paige Morgan (pmorgan): 1 open, 1 overdue
    case  subject                                          account                        creator     status       priority   opened      next due
    #3    Third outage in two weeks                        Whitcombe & Hale LLP           bortiz      New          Expedited  2026-11-20  2026-11-20 13:00 (4h late)

    Sofia Alvarez (salvarez): 1 open, 0 overdue
    case  subject                                          account                        creator     status       priority   opened      next due
    #1    Quote for additional phones - Elm Street office  Contoso Dental Group           salvarez    In Progress  Expedited  2026-11-20  2026-11-23 11:00

    Account Management Queue: 1 open, 0 overdue
    case  subject                                          account                        creator     status       priority   opened      next due
    #6    Name change on our account                       Redwood Family Dentistry       kwhitfield  New          Standard   2026-11-23  2026-11-24 08:00
    "#);
}

#[test]
fn report_html_is_the_page_that_send_mails() {
    let env = report_desk();
    let html = quiet_ok(&env, &["report", "--format", "html"]);
    insta::assert_snapshot!("report_html", html);
}

// ---------------------------------------------------------------- ingest

#[test]
fn ingest_dry_run_explains_each_decision_and_stores_nothing() {
    let env = desk();
    // Sample 06: a German Outlook forward from a person, a zone-less original
    // date, a `Priority:` note command, the account found by domain.
    let out = ingest(&env, common::NOW, "06", &["--dry-run", "--explain"]);
    insta::assert_snapshot!(seen(&env, &out), @r#"
    exit code: 0
    --- stdout
      message:       <BN8PR12MB33085F2C7A1D94E0B3C6A82E1F47D@BN8PR12MB3308.namprd12.prod.outlook.example> from `tbecker@northwind-voice.example`, 2346 bytes, subject "WG: Savannah terminal closing - cancel service"
      duplicate:     no: <BN8PR12MB33085F2C7A1D94E0B3C6A82E1F47D@BN8PR12MB3308.namprd12.prod.outlook.example> from `tbecker@northwind-voice.example` is new
      auto-generated: no: no automatic-mail signal
      thread:        none: no case tag, no In-Reply-To or References
      trust:         staff `tbecker`, verified: `mx.northwind-voice.example` says dkim=pass header.d=northwind-voice.example, aligned with `northwind-voice.example`
      forward:       outlook forward in de from the known person `tbecker`: unwrapped level 1 of 1 (stopped: level 1 is from `cbell@kfl-shipping.example`, not staff); the original decides contact, subject, date and description
      client:        Outlook (desktop, new, on the web, for Mac) or GMX/Web.de
      contact:       Curtis Bell <cbell@kfl-shipping.example>
      creator:       `tbecker`
      note commands: priority: expedited
      account:       Keystone Freight Lines by email domain (cbell@kfl-shipping.example)
      category:      Disconnect with less than 30 days notice by keyword rule 1 ("less than 30 days' notice"), priority from the SOP for the category
      priority:      Expedited by the `Priority:` note command
      owner:         the queue; triage gives it to `tbecker`, the Silver account's AM
      date:          originally sent 2026-11-12T20:37:00+00:00
      kept:          raw message stored (0 attachment(s) listed)
      acknowledge:   queued to `tbecker@northwind-voice.example` with the [Case #1] tag
      outcome:       new case #1, status New
    created #1 (dry run: nothing stored)
    "#);

    // Sample 10: a forward from a stranger is not unwrapped.
    let out = ingest(&env, common::NOW, "10", &["--dry-run", "--explain"]);
    insta::assert_snapshot!(seen(&env, &out), @r#"
    exit code: 0
    --- stdout
      message:       <CAM9wT4oZp1eR6vB3xK0nY8sQd2Lf7Gj5hUc4aWm0tNz1kPy6Hw@mail.bayside-it.example> from `dsloan@bayside-it.example`, 1516 bytes, subject "Fwd: Fax line not receiving"
      duplicate:     no: <CAM9wT4oZp1eR6vB3xK0nY8sQd2Lf7Gj5hUc4aWm0tNz1kPy6Hw@mail.bayside-it.example> from `dsloan@bayside-it.example` is new
      auto-generated: no: no automatic-mail signal
      thread:        none: no case tag, no In-Reply-To or References
      trust:         not a staff address: a stranger's mail
      forward:       gmail forward from a stranger: not unwrapped; From is the contact, note commands are ignored
      contact:       Derek Sloan <dsloan@bayside-it.example>
      creator:       the system
      account:       none: `dsloan@bayside-it.example` matches no contact or domain; flagged for triage
      category:      General Question by default: no keyword rule matched
      priority:      Standard from the category
      owner:         the queue; no account, so triage leaves it there and lists it
      date:          originally sent 2026-11-23T20:02:37+00:00
      kept:          raw message stored (0 attachment(s) listed)
      outcome:       new case #1, status New
    created #1 (dry run: nothing stored)
    "#);

    assert_eq!(
        env.ok(&["list", "--all", "--format", "json"]).trim(),
        "[]",
        "a dry run stores no case"
    );
}

// ---------------------------------------------------------------- errors

#[test]
fn error_unknown_handle_with_as() {
    let env = desk();
    let s = session(&env, &[(&["--as", "ghost", "list"], 1)]);
    insta::assert_snapshot!(s, @"
    $ casebook --as ghost list
    exit code: 1
    --- stderr
    casebook: unknown handle `ghost`: add them with `casebook people add ghost --name NAME --email EMAIL`, or pass `--as` with a known handle (`casebook people list`)
    ");
}

#[test]
fn error_no_such_case() {
    let env = desk();
    let s = session(&env, &[(&["show", "9999"], 1)]);
    insta::assert_snapshot!(s, @"
    $ casebook show 9999
    exit code: 1
    --- stderr
    casebook: no case `#9999`: see `casebook list` for the cases there are
    ");
}

#[test]
fn error_invalid_status_transitions() {
    let env = desk();
    ingest_ok(&env, common::NOW, "07");
    let s = session(
        &env,
        &[
            (&["--as", "gsantos", "status", "1", "new"], 1),
            (&["--as", "gsantos", "assign", "1", "pmorgan"], 0),
            (
                &["--as", "pmorgan", "status", "1", "waiting for details"],
                0,
            ),
            (&["--as", "pmorgan", "status", "1", "new"], 1),
            (&["--as", "pmorgan", "status", "1", "closed"], 1),
            (&["--as", "pmorgan", "status", "1", "closed-no-response"], 1),
        ],
    );
    insta::assert_snapshot!(s, @r#"
    $ casebook --as gsantos status 1 new
    exit code: 1
    --- stderr
    casebook: case `#1`: the case is already `New`

    $ casebook --as gsantos assign 1 pmorgan
    exit code: 0
    --- stdout
    assigned #1 to pmorgan

    $ casebook --as pmorgan status 1 "waiting for details"
    exit code: 0
    --- stdout
    #1: New → Waiting for Details

    $ casebook --as pmorgan status 1 new
    exit code: 1
    --- stderr
    casebook: case `#1`: a case cannot go back to `New` once work has started; use `In Progress` or a waiting status

    $ casebook --as pmorgan status 1 closed
    exit code: 1
    --- stderr
    casebook: case `#1`: close a case with `casebook close` (the creator or the owner may)

    $ casebook --as pmorgan status 1 closed-no-response
    exit code: 1
    --- stderr
    casebook: case `#1`: `Closed No Response` needs the no-response rule checked: use `casebook close --no-response`
    "#);
}

#[test]
fn error_close_no_response_refused_until_the_sop_is_met() {
    let env = desk();
    ingest_ok(&env, common::NOW, "07");
    env.ok(&["--as", "gsantos", "assign", "1", "pmorgan"]);
    let s = session(
        &env,
        &[
            (&["--as", "pmorgan", "close", "1", "--no-response"], 1),
            (
                &[
                    "--as",
                    "pmorgan",
                    "--now",
                    "2026-11-23T15:00:00Z",
                    "log",
                    "1",
                    "--method",
                    "phone",
                    "--outcome",
                    "no-answer",
                ],
                0,
            ),
            (
                &[
                    "--as",
                    "pmorgan",
                    "--now",
                    "2026-11-23T16:00:00Z",
                    "log",
                    "1",
                    "--method",
                    "email",
                    "--outcome",
                    "sent",
                ],
                0,
            ),
            (
                &[
                    "--as",
                    "pmorgan",
                    "--now",
                    "2026-11-23T17:00:00Z",
                    "close",
                    "1",
                    "--no-response",
                ],
                1,
            ),
        ],
    );
    insta::assert_snapshot!(s, @"
    $ casebook --as pmorgan close 1 --no-response
    exit code: 1
    --- stderr
    casebook: case `#1` cannot be closed no response yet: 0 of 3 attempts, 0 of 2 business days, 0 of 2 methods; missing 3 more unanswered attempts, 2 more business days, 2 more methods. Log attempts with `casebook log 1 --method ... --outcome ...`

    $ casebook --as pmorgan --now 2026-11-23T15:00:00Z log 1 --method phone --outcome no-answer
    exit code: 0
    --- stdout
    logged phone no-answer on #1 at 2026-11-23 09:00

    $ casebook --as pmorgan --now 2026-11-23T16:00:00Z log 1 --method email --outcome sent
    exit code: 0
    --- stdout
    logged email sent on #1 at 2026-11-23 10:00

    $ casebook --as pmorgan --now 2026-11-23T17:00:00Z close 1 --no-response
    exit code: 1
    --- stderr
    casebook: case `#1` cannot be closed no response yet: 2 of 3 attempts, 1 of 2 business days, 2 of 2 methods; missing 1 more unanswered attempt, 1 more business day. Log attempts with `casebook log 1 --method ... --outcome ...`
    ");
}

#[test]
fn error_usage() {
    let env = desk();
    let s = session(
        &env,
        &[
            (&["shwo", "1"], 2),
            (&["show"], 2),
            (&["show", "abc"], 2),
            (&["--as", "gsantos", "status", "1", "pending"], 2),
            (&["--now", "someday", "list"], 2),
        ],
    );
    insta::assert_snapshot!(s, @"
    $ casebook shwo 1
    exit code: 2
    --- stderr
    error: unrecognized subcommand 'shwo'

      tip: a similar subcommand exists: 'show'

    Usage: casebook [OPTIONS] <COMMAND>

    For more information, try '--help'.

    $ casebook show
    exit code: 2
    --- stderr
    error: the following required arguments were not provided:
      <CASE>

    Usage: casebook show --db <PATH|URL> --config <PATH> --now <TIME> <CASE>

    For more information, try '--help'.

    $ casebook show abc
    exit code: 2
    --- stderr
    error: invalid value 'abc' for '<CASE>': `abc` is not a case number like 42 or #42

    For more information, try '--help'.

    $ casebook --as gsantos status 1 pending
    exit code: 2
    --- stderr
    error: invalid value 'pending' for '<STATUS>': unknown status `pending`: use one of New, In Progress, On Hold, Waiting for Details, Waiting for Account Manager, Waiting for Management, Waiting for Support, Closed, Closed No Response

    For more information, try '--help'.

    $ casebook --now someday list
    exit code: 2
    --- stderr
    error: invalid value 'someday' for '--now <TIME>': `someday` is not a time casebook reads: use now, today, tomorrow, yesterday, a weekday (friday, next friday, last monday), one of those with a time (yesterday 15:00), a date (2026-11-23: midnight in the desk's time zone), a local time (2026-11-23 15:00), an offset (2d, 36h, 90m, 1w; `2d ago` or `in 2d`) or RFC 3339 (2026-11-23T09:00:00-05:00)

    For more information, try '--help'.
    ");
}

#[test]
fn error_assign_to_unknown_handle() {
    let env = desk();
    ingest_ok(&env, common::NOW, "07");
    let s = session(&env, &[(&["--as", "gsantos", "assign", "1", "nobody"], 1)]);
    insta::assert_snapshot!(s, @"
    $ casebook --as gsantos assign 1 nobody
    exit code: 1
    --- stderr
    casebook: unknown handle `nobody`: see `casebook people list` for the people there are
    ");
}
