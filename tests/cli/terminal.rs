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
        .env("CASEBOOK_DB", &env.db)
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
