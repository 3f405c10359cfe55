// At home in the shell: the daily views fitted to 80 and 200 columns, piped
// (plain aligned text, no box-drawing) and on a real pseudo-terminal (colour),
// `show` wrapped at word boundaries, and times typed as people type them.

use std::process::Command;

use crate::common::{self, Env};
use crate::snapshots::{normalise, report_desk};

/// The views a person reads every day, as `(name, args)`.
const VIEWS: [(&str, &[&str]); 5] = [
    ("list", &["list"]),
    ("mine", &["--as", "salvarez", "mine"]),
    ("owned", &["--as", "pmorgan", "owned"]),
    ("due", &["due", "--within", "2d"]),
    ("report", &["report"]),
];

/// `casebook ARGS` piped, at `columns` wide; asserts success and an empty stderr.
fn piped(env: &Env, columns: &str, args: &[&str]) -> String {
    let out = env
        .cmd()
        .env("COLUMNS", columns)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "casebook {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    normalise(env, &common::stdout_of(&out))
}

#[test]
fn views_fit_80_and_200_columns_as_plain_text_when_piped() {
    let env = report_desk();
    for columns in ["80", "200"] {
        for (name, args) in VIEWS {
            let text = piped(&env, columns, args);
            assert!(
                !text.contains(['│', '─', '┌', '└', '┼']),
                "{name} at {columns} keeps box-drawing:\n{text}"
            );
            assert!(
                !text.contains('\x1b'),
                "{name} at {columns} is coloured in a pipe"
            );
            insta::assert_snapshot!(format!("{name}_at_{columns}_columns_piped"), text);
        }
    }
}

#[test]
fn no_line_exceeds_the_width() {
    let env = report_desk();
    // Add a case whose subject and account are far too long for any terminal.
    env.ok(&[
        "--as",
        "salvarez",
        "edit",
        "1",
        "--subject",
        &"Quote for additional phones and a very long list of extras ".repeat(4),
    ]);
    for columns in [200, 120, 100, 80, 72, 60, 50, 40, 30] {
        for (name, args) in VIEWS {
            let text = piped(&env, &columns.to_string(), args);
            for line in text.lines() {
                assert!(
                    line.chars().count() <= columns,
                    "{name} at {columns} columns has a line of {}:\n{line}\n\n{text}",
                    line.chars().count()
                );
            }
            // Every case keeps its number at every width.
            assert!(text.contains('#'), "{name} at {columns}:\n{text}");
        }
    }
}

#[test]
fn narrow_tables_leave_out_optional_columns_then_turn_into_blocks() {
    let env = report_desk();
    let wide = piped(&env, "200", &["--as", "salvarez", "mine"]);
    assert!(wide.lines().next().unwrap().contains("opened"), "{wide}");
    let at_80 = piped(&env, "80", &["--as", "salvarez", "mine"]);
    let header = at_80.lines().next().unwrap();
    assert!(
        header.starts_with("case") && header.contains("next due"),
        "{at_80}"
    );
    assert!(
        at_80.contains("2026-11-23 11:00"),
        "the due time stays whole: {at_80}"
    );
    let at_40 = piped(&env, "40", &["--as", "salvarez", "mine"]);
    assert!(at_40.starts_with("#1\n  subject"), "{at_40}");
    assert!(at_40.contains("  next due  2026-11-23 11:00"), "{at_40}");
    // Asked for by name, a column is never left out.
    let chosen = piped(
        &env,
        "80",
        &[
            "--as",
            "salvarez",
            "mine",
            "--columns",
            "case,opened,subject",
        ],
    );
    assert!(chosen.starts_with("case  opened      subject"), "{chosen}");
}

#[test]
fn show_wraps_the_description_at_word_boundaries() {
    let env = report_desk();
    let text = piped(&env, "60", &["show", "3"]);
    for line in text.lines() {
        assert!(line.chars().count() <= 60, "{line}\n\n{text}");
    }
    // Every word of the body is whole on some line.
    let body = env.json(&["show", "3"])["description"]
        .as_str()
        .unwrap()
        .to_string();
    let words: Vec<&str> = text.split_whitespace().collect();
    for w in body.split_whitespace() {
        assert!(words.contains(&w), "`{w}` was cut:\n{text}");
    }
}

/// Runs `casebook ARGS` on a real pseudo-terminal (util-linux `script`),
/// `columns` wide, with `extra` environment; returns what the terminal got.
fn on_a_terminal(env: &Env, columns: &str, extra: &[(&str, &str)], args: &[&str]) -> String {
    let bin = assert_cmd::cargo::cargo_bin("casebook");
    let line = std::iter::once(bin.to_string_lossy().into_owned())
        .chain(args.iter().map(|a| format!("'{a}'")))
        .collect::<Vec<_>>()
        .join(" ");
    let mut c = Command::new("script");
    c.args(["-qec", &line, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("TERM", "xterm-256color")
        .env("CASEBOOK_DB", env.location().to_string())
        .env("CASEBOOK_CONFIG", &env.config)
        .env("CASEBOOK_NOW", &env.now)
        .env("COLUMNS", columns)
        .env("PAGER", "cat")
        .current_dir(env.dir.path());
    for (k, v) in extra {
        c.env(k, v);
    }
    let out = c.output().expect("util-linux `script` runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

#[test]
fn on_a_terminal_overdue_is_red_due_today_yellow_and_expedited_marked() {
    let env = report_desk();
    let due = on_a_terminal(&env, "80", &[], &["due", "--within", "2d"]);
    // #2 and #3 are overdue (red), #1 is due at 11:00 today (yellow),
    // Expedited is bold magenta; the table still fits 80 columns.
    assert!(due.contains("\x1b[31m2026-11-20 13:00\x1b[0m"), "{due:?}");
    assert!(due.contains("\x1b[33m2026-11-23 11:00\x1b[0m"), "{due:?}");
    assert!(due.contains("\x1b[1;35mExpedited\x1b[0m"), "{due:?}");
    // What the terminal got, escapes shown as `\e`.
    insta::assert_snapshot!(
        "due_at_80_columns_on_a_terminal",
        due.replace('\x1b', "\\e")
    );
    let wide = on_a_terminal(&env, "200", &[], &["report"]);
    insta::assert_snapshot!(
        "report_at_200_columns_on_a_terminal",
        wide.replace('\x1b', "\\e")
    );
    let visible = strip_ansi(&due);
    assert!(!visible.contains('│'), "{visible}");
    for line in visible.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
    let owned = on_a_terminal(&env, "200", &[], &["--as", "pmorgan", "owned"]);
    assert!(
        owned.contains("\x1b[31m2026-11-20 13:00 (4h late)\x1b[0m"),
        "{owned:?}"
    );

    // NO_COLOR and --color never turn it off; --color always turns it on in a pipe.
    let no_color = on_a_terminal(&env, "80", &[("NO_COLOR", "1")], &["due", "--within", "2d"]);
    assert!(!no_color.contains('\x1b'), "{no_color:?}");
    let never = on_a_terminal(
        &env,
        "80",
        &[],
        &["--color", "never", "due", "--within", "2d"],
    );
    assert!(!never.contains('\x1b'), "{never:?}");
    let always = env.ok(&["--color", "always", "due", "--within", "2d"]);
    assert!(always.contains("\x1b[31m"), "{always:?}");
    let piped = env.ok(&["due", "--within", "2d"]);
    assert!(!piped.contains('\x1b'), "{piped:?}");
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn times_are_typed_as_people_type_them() {
    let env = report_desk();
    // The clock is Monday 23 November 2026, 08:00 in Chicago; #1-#3 were opened Friday.
    let numbers = |args: &[&str]| -> Vec<i64> {
        env.json(args)
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["number"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(numbers(&["list", "--since", "today"]), [6]);
    assert_eq!(numbers(&["list", "--since", "2h"]), [6]);
    assert_eq!(numbers(&["list", "--before", "today"]), [1, 2, 3, 4, 5]);
    assert_eq!(
        numbers(&[
            "list",
            "--since",
            "last friday",
            "--before",
            "last saturday"
        ]),
        [1, 2, 3, 4, 5]
    );
    assert_eq!(numbers(&["list", "--since", "yesterday 15:00"]), [6]);
    // A bare date for --now is midnight in the desk's zone.
    let at_midnight = env.json(&["--now", "2026-11-23", "list", "--since", "now"]);
    assert_eq!(at_midnight.as_array().unwrap().len(), 1);
    // Hold --until: a bare offset is ahead.
    let held = env.ok(&[
        "--as",
        "salvarez",
        "hold",
        "1",
        "--until",
        "friday",
        "--reason",
        "budget approval",
    ]);
    assert_eq!(held, "#1 on hold until 2026-11-27 00:00\n");
    let err = env.fails(&["list", "--since", "someday"], 2);
    assert!(
        err.contains("`someday` is not a time casebook reads")
            && err.contains("yesterday 15:00")
            && err.contains("2d"),
        "{err}"
    );
}

#[test]
fn comment_review_and_hold_reason_open_the_editor_on_a_terminal() {
    let env = report_desk();
    let editor = env.write(
        "editor.sh",
        "#!/bin/sh\nprintf 'written in the editor, @jlee\\n' >> \"$1\"\n",
    );
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let ed = editor.to_str().unwrap();
    let out = on_a_terminal(
        &env,
        "80",
        &[("EDITOR", ed), ("CASEBOOK_USER", "salvarez")],
        &["comment", "1"],
    );
    assert!(out.contains("commented on #1 (internal)"), "{out}");
    let out = on_a_terminal(
        &env,
        "80",
        &[("VISUAL", ed), ("CASEBOOK_USER", "salvarez")],
        &["review", "1"],
    );
    assert!(out.contains("logged a review on #1"), "{out}");
    let out = on_a_terminal(
        &env,
        "80",
        &[("EDITOR", ed), ("CASEBOOK_USER", "salvarez")],
        &["hold", "1", "--until", "friday"],
    );
    assert!(out.contains("#1 on hold until 2026-11-27 00:00"), "{out}");
    let shown = env.json(&["show", "1"]);
    let texts: Vec<&str> = shown["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].as_str().or(c["text"].as_str()).unwrap_or(""))
        .collect();
    assert_eq!(
        texts
            .iter()
            .filter(|t| **t == "written in the editor, @jlee")
            .count(),
        2,
        "{shown}"
    );
    assert_eq!(shown["hold_reason"], "written in the editor, @jlee");
    // Without a terminal a missing text is an error that says how to give it.
    let err = env.fails(&["--as", "salvarez", "comment", "1"], 1);
    assert!(
        err.contains("no comment given") && err.contains("$EDITOR"),
        "{err}"
    );
}

#[test]
fn show_pages_through_the_pager_when_taller_than_the_terminal() {
    let env = report_desk();
    let pager = [("PAGER", "sed 's/^/paged: /'"), ("LINES", "10")];
    let tall = on_a_terminal(&env, "80", &pager, &["show", "3"]);
    assert!(tall.lines().all(|l| l.starts_with("paged: ")), "{tall}");
    let roomy = [("PAGER", "sed 's/^/paged: /'"), ("LINES", "500")];
    let short = on_a_terminal(&env, "80", &roomy, &["show", "3"]);
    assert!(!short.contains("paged: "), "{short}");
    // Piped, never.
    let piped = env
        .cmd()
        .env("PAGER", "false")
        .env("LINES", "3")
        .args(["show", "3"])
        .output()
        .unwrap();
    assert!(piped.status.success() && common::stdout_of(&piped).contains("Timeline"));
}

#[test]
fn sort_and_columns_shape_every_format() {
    let env = report_desk();
    // Priorities sort by urgency (P1, P2, Expedited, P3, Standard, P4), statuses in their order.
    let json = env.json(&[
        "list",
        "--sort",
        "priority,-number",
        "--fields",
        "number,priority",
    ]);
    assert_eq!(
        json,
        serde_json::json!([
            {"number": 3, "priority": "Expedited"},
            {"number": 2, "priority": "Expedited"},
            {"number": 1, "priority": "Expedited"},
            {"number": 6, "priority": "Standard"},
            {"number": 5, "priority": "Standard"},
            {"number": 4, "priority": "Standard"},
        ])
    );
    let csv = env.ok(&[
        "due",
        "--within",
        "2d",
        "--format",
        "csv",
        "--columns",
        "case,late",
        "--sort",
        "number",
    ]);
    assert_eq!(csv, "number,late\n1,\n2,4h\n3,4h\n4,\n5,\n6,\n");
    let table = env.ok(&["owned", "--as", "salvarez", "--columns", "next_due,case"]);
    assert_eq!(table, "next due          case\n2026-11-23 11:00  #1\n");
    // The other listings take them too.
    let people = env.ok(&[
        "people",
        "list",
        "--columns",
        "handle",
        "--sort=-handle",
        "--format",
        "csv",
    ]);
    assert!(people.starts_with("handle\nzfontaine\n"), "{people}");
    let accounts = env.json(&["accounts", "list", "--fields", "name", "--sort", "name"]);
    assert_eq!(accounts[0].as_object().unwrap().len(), 1, "{accounts}");
    // An unknown field is refused, naming the fields.
    let err = env.fails(&["list", "--sort", "colour"], 1);
    assert!(
        err.contains("`colour` is not a field here") && err.contains("opened_at"),
        "{err}"
    );
}

#[test]
fn an_empty_csv_still_has_its_header() {
    let env = report_desk();
    let csv = env.ok(&["list", "--status", "Closed", "--format", "csv"]);
    assert_eq!(
        csv,
        "number,subject,account,owner,status,priority,opened_at,next_due,overdue\n"
    );
    let csv = env.ok(&[
        "overdue",
        "--owner",
        "salvarez",
        "--format",
        "csv",
        "--columns",
        "case,late",
    ]);
    assert_eq!(csv, "number,late\n");
}

#[test]
fn a_filter_that_names_nobody_warns() {
    let env = report_desk();
    let out = env.run(&["list", "--owner", "nobody"]);
    assert!(out.status.success() && out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning: `--owner nobody` names no person"),
        "{err}"
    );
    let out = env.run(&["list", "--account", "Nowhere Inc"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("`--account Nowhere Inc` names no account")
    );
    // A real person and the queue are not warned about.
    let out = env.run(&["list", "--owner", "salvarez"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = env.run(&["list", "--owner", "queue"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn config_show_refuses_csv() {
    let env = Env::new();
    let err = env.fails(&["config", "show", "--format", "csv"], 1);
    assert!(
        err.contains("`config show` prints TOML") && err.contains("--format json"),
        "{err}"
    );
}

#[test]
fn the_man_pages_name_every_casebook_variable_and_have_every_section() {
    let page = std::fs::read_to_string(Env::root().join("man/casebook.1")).unwrap();
    let mut names = std::collections::BTreeSet::new();
    let re = regex::Regex::new(r"CASEBOOK_[A-Z_]+").unwrap();
    let mut dirs = vec![Env::root().join("src")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                names.extend(re.find_iter(&text).map(|m| m.as_str().to_string()));
            }
        }
    }
    assert!(names.len() >= 6, "{names:?}");
    // Read by the test suite only (the real-component tests), not by casebook.
    for test_only in [
        "CASEBOOK_TEST_BACKEND",
        "CASEBOOK_SKIP_REAL",
        "CASEBOOK_PG_BIN",
    ] {
        names.remove(test_only);
    }
    for n in &names {
        assert!(
            page.contains(n.as_str()),
            "{n} is not in man/casebook.1 ENVIRONMENT"
        );
    }
    for page in [
        "casebook.1",
        "casebook-list.1",
        "casebook-due.1",
        "casebook-hold.1",
    ] {
        let text = std::fs::read_to_string(Env::root().join("man").join(page)).unwrap();
        for section in ["EXIT STATUS", "ENVIRONMENT", "FILES", "SEE ALSO"] {
            assert!(
                text.contains(&format!(".SH \"{section}\"")),
                "{page} lacks {section}"
            );
        }
        if page != "casebook.1" {
            assert!(text.contains(".SH \"EXAMPLES\""), "{page} lacks EXAMPLES");
        }
    }
    let list = std::fs::read_to_string(Env::root().join("man/casebook-list.1")).unwrap();
    assert!(list.contains(".SH \"FIELDS\"") && list.contains("opened_at, next_due, overdue"));
}

/// Sources `casebook completions bash` in a real bash and returns the
/// candidates it offers for the command line `words` (the last one being
/// completed).
fn bash_candidates(env: &Env, words: &[&str]) -> Vec<String> {
    let script = env.ok(&["completions", "bash"]);
    let file = env.write("casebook.bash", &script);
    let bin = assert_cmd::cargo::cargo_bin("casebook");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n\
         _casebook_values casebook \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        file.display(),
        quoted.join(" ")
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .env_clear()
        .env(
            "PATH",
            format!("{}:/usr/bin:/bin", bin.parent().unwrap().display()),
        )
        .env("HOME", env.dir.path())
        .env("CASEBOOK_DB", env.location().to_string())
        .env("CASEBOOK_CONFIG", &env.config)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::stdout_of(&out)
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn bash_completes_statuses_handles_and_open_cases_from_the_desk() {
    let env = report_desk();
    let statuses = bash_candidates(&env, &["casebook", "status", "1", ""]);
    assert!(
        statuses.contains(&"In\\ Progress".to_string()),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&"Waiting\\ for\\ Details".to_string()),
        "{statuses:?}"
    );
    assert_eq!(
        bash_candidates(&env, &["casebook", "status", "1", "Wai"]).len(),
        4
    );
    let handles = bash_candidates(&env, &["casebook", "--as", ""]);
    for h in ["salvarez", "pmorgan", "gsantos"] {
        assert!(handles.contains(&h.to_string()), "{handles:?}");
    }
    assert_eq!(
        bash_candidates(&env, &["casebook", "--as", "salv"]),
        ["salvarez"]
    );
    assert_eq!(
        bash_candidates(&env, &["casebook", "list", "--owner", "pm"]),
        ["pmorgan"]
    );
    // Open case numbers where a case is taken; a closed one is not offered.
    env.ok(&["--as", "salvarez", "close", "1"]);
    let cases = bash_candidates(&env, &["casebook", "show", ""]);
    assert_eq!(cases, ["2", "3", "4", "5", "6"]);
    assert_eq!(
        bash_candidates(&env, &["casebook", "log", "2", "--method", "v"]),
        ["voicemail"]
    );
    let accounts = bash_candidates(&env, &["casebook", "list", "--account", "Whit"]);
    assert_eq!(accounts, ["Whitcombe\\ \\&\\ Hale\\ LLP"]);
    // Subcommands and options still come from clap's completion.
    assert!(bash_candidates(&env, &["casebook", "sta"]).contains(&"status".to_string()));
    // `overdue` offers no options that mean nothing there.
    let opts = bash_candidates(&env, &["casebook", "overdue", "--"]);
    assert!(opts.contains(&"--owner".to_string()), "{opts:?}");
    assert!(
        !opts.contains(&"--all".to_string()) && !opts.contains(&"--overdue".to_string()),
        "{opts:?}"
    );
}
