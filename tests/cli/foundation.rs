//! End-to-end tests of the foundation: store, config, people, accounts, list, show, docs.

use crate::common;

use std::os::unix::fs::PermissionsExt;

use casebook::domain::case::{NewCase, Priority, Status};
use casebook::store::cases;
use common::{seed, Env};

fn seed_case(
    env: &Env,
    subject: &str,
    account: Option<&str>,
    owner: Option<&str>,
    priority: Priority,
) -> i64 {
    let seed = env.seed();
    let account_id = account.map(|a| seed.account_id(a));
    let now = chrono::DateTime::parse_from_rfc3339(common::NOW)
        .unwrap()
        .to_utc();
    let mut c = NewCase::new(subject, now - chrono::Duration::hours(30));
    c.account_id = account_id;
    c.priority = priority;
    c.creator = Some("amy".into());
    let n = seed.case(&c);
    if let Some(o) = owner {
        seed.owner(n, o);
    }
    cases::set_due(
        seed.db(),
        n,
        Some(now - chrono::Duration::hours(2)),
        Some(now - chrono::Duration::hours(2)),
    )
    .unwrap();
    n.get()
}

#[test]
fn init_creates_a_private_database() {
    let env = Env::new();
    let out = env.ok(&["init"]);
    assert!(out.contains("database ready"), "{out}");
    let mode = std::fs::metadata(&env.db).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "database mode {mode:o}");
    // Running it again is harmless.
    env.ok(&["init"]);
}

#[test]
fn default_database_lives_under_xdg_data_home() {
    let env = Env::new();
    let data = env.path("xdg-data");
    env.cmd()
        .env_remove("CASEBOOK_DB")
        .env("XDG_DATA_HOME", &data)
        .arg("init")
        .assert()
        .success();
    assert!(data.join("casebook/casebook.db").exists());
    // Without XDG_DATA_HOME: ~/.local/share/casebook/.
    env.cmd()
        .env_remove("CASEBOOK_DB")
        .arg("init")
        .assert()
        .success();
    assert!(env.path(".local/share/casebook/casebook.db").exists());
}

#[test]
fn a_database_from_the_future_is_refused() {
    let env = Env::new();
    env.ok(&["init"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let err = env.fails(&["list"], 1);
    assert!(
        err.contains("schema version 999") && err.contains("upgrade casebook"),
        "{err}"
    );
}

#[test]
fn missing_config_means_defaults_and_malformed_config_names_the_line() {
    let env = Env::new();
    std::fs::remove_file(&env.config).unwrap();
    // The default path (under HOME) may be absent: the defaults apply.
    let out = env
        .cmd()
        .env_remove("CASEBOOK_CONFIG")
        .args(["config", "show"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.contains("does not exist: these are the defaults"),
        "{out}"
    );
    assert!(out.contains("tag_prefix = \"Case\""), "{out}");
    // A named config that does not exist is an error, not silent defaults;
    // a delivery meeting it is kept by the MTA (75).
    let err = env.fails(&["list"], 1);
    assert!(
        err.contains("config.toml") && err.contains("does not exist"),
        "{err}"
    );
    let out = env
        .cmd()
        .arg("ingest")
        .write_stdin("From: a@b.example\nSubject: hi\n\nbody\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(75), "{out:?}");
    assert_eq!(
        env.count("SELECT count(*) FROM messages"),
        0,
        "nothing was stored"
    );

    env.write("config.toml", "[desk]\nname = \"Desk\"\ntag_prefix = = 3\n");
    let err = env.fails(&["list"], 1);
    assert!(
        err.contains("config.toml") && err.contains("line 3"),
        "{err}"
    );

    env.write("config.toml", "[desk]\nnmae = \"typo\"\n");
    let err = env.fails(&["config", "show"], 1);
    assert!(err.contains("nmae") && err.contains("line 2"), "{err}");

    env.write(
        "config.toml",
        "[desk]\nname = \"Northwind\"\n[store]\nbusy_timeout_ms = 250\n",
    );
    let shown = env.json(&["config", "show"]);
    assert_eq!(shown["desk"]["name"], "Northwind");
    assert_eq!(shown["store"]["busy_timeout_ms"], 250);
}

#[test]
fn the_sample_config_is_valid() {
    let env = Env::new();
    let sample = Env::sample("config.toml");
    let out = env
        .cmd()
        .env("CASEBOOK_CONFIG", &sample)
        .args(["config", "show"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn unknown_as_handle_names_people_add() {
    let env = Env::new();
    env.with_team();
    let err = env.fails(&["--as", "nobody", "list"], 1);
    assert!(
        err.contains("unknown handle `nobody`") && err.contains("casebook people add"),
        "{err}"
    );
    let err = env
        .cmd()
        .env("CASEBOOK_USER", "ghost")
        .arg("list")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&err.stderr).contains("unknown handle `ghost`"));
    // A known handle works, and the first person can always be added.
    env.ok(&["--as", "amy", "list"]);
    env.ok(&[
        "--as",
        "newbie",
        "people",
        "add",
        "newbie",
        "--name",
        "New",
        "--email",
        "new@desk.example",
    ]);
}

#[test]
fn people_add_list_and_refusals() {
    let env = Env::new();
    env.ok(&[
        "people",
        "add",
        "jlee",
        "--name",
        "James Lee",
        "--email",
        "JLee@Desk.example",
        "--role",
        "rm",
    ]);
    env.ok(&[
        "people",
        "add",
        "amy",
        "--name",
        "Amy",
        "--email",
        "amy@desk.example",
        "--role",
        "am",
        "--rm",
        "jlee",
        "--pool",
    ]);
    let list = env.json(&["people", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["handle"], "amy");
    assert_eq!(list[0]["regional_manager"], "jlee");
    assert_eq!(list[0]["pool"], true);
    assert_eq!(list[1]["email"], "jlee@desk.example");

    let err = env.fails(
        &[
            "people",
            "add",
            "amy",
            "--name",
            "A",
            "--email",
            "a2@desk.example",
        ],
        1,
    );
    assert!(err.contains("already"), "{err}");
    let err = env.fails(
        &[
            "people",
            "add",
            "zed",
            "--name",
            "Z",
            "--email",
            "not-an-address",
        ],
        1,
    );
    assert!(err.contains("`not-an-address`"), "{err}");
    let err = env.fails(
        &[
            "people",
            "add",
            "zed",
            "--name",
            "Z",
            "--email",
            "z@d.example",
            "--role",
            "boss",
        ],
        1,
    );
    assert!(err.contains("`boss`"), "{err}");
    let err = env.fails(
        &[
            "people",
            "add",
            "zed",
            "--name",
            "Z",
            "--email",
            "z@d.example",
            "--rm",
            "ghost",
        ],
        1,
    );
    assert!(err.contains("`ghost`"), "{err}");

    let csv = env.ok(&["people", "list", "--format", "csv"]);
    assert!(
        csv.starts_with(
            "handle,name,email,roles,regional_manager,pool,active,away_from,away_until,delegate\n"
        ),
        "{csv}"
    );
    let table = env.ok(&["people", "list"]);
    assert!(
        table.contains("James Lee") && table.contains("regional manager"),
        "{table}"
    );
}

#[test]
fn people_import_is_all_or_nothing_and_reports_every_bad_row() {
    let env = Env::new();
    let bad = env.write(
        "bad.csv",
        "handle,name,email,roles,regional_manager,pool\n\
         jlee,James Lee,jlee@desk.example,rm,,no\n\
         amy,Amy,not-an-email,am,jlee,yes\n\
         bob,Bob,bob@desk.example,wizard,ghost,maybe\n\
         jlee,Again,again@desk.example,am,,no\n",
    );
    let err = env.fails(&["people", "import", bad.to_str().unwrap()], 1);
    for want in [
        "line 3",
        "`not-an-email`",
        "line 4",
        "`wizard`",
        "`ghost`",
        "`maybe`",
        "line 5",
        "appears twice",
    ] {
        assert!(err.contains(want), "missing {want} in:\n{err}");
    }
    assert!(!err.contains("line 2:"), "{err}");
    assert_eq!(
        env.json(&["people", "list"]).as_array().unwrap().len(),
        0,
        "nothing imported"
    );

    let missing_column = env.write("cols.csv", "handle,name\njlee,James\n");
    let err = env.fails(&["people", "import", missing_column.to_str().unwrap()], 1);
    assert!(err.contains("email") && err.contains("header"), "{err}");

    let err = env.fails(
        &["people", "import", env.path("nope.csv").to_str().unwrap()],
        1,
    );
    assert!(err.contains("nope.csv"), "{err}");
}

#[test]
fn sample_team_and_accounts_import() {
    let env = Env::new();
    env.with_samples();
    let people = env.json(&["people", "list"]);
    assert!(people.as_array().unwrap().len() >= 12);
    let own_rm = people
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["regional_manager"] == p["handle"])
        .count();
    assert_eq!(own_rm, 1, "one AM is their own regional manager");
    let accounts = env.json(&["accounts", "list"]);
    let accounts = accounts.as_array().unwrap();
    assert!(accounts.len() >= 30);
    for tier in ["Platinum", "Gold", "Silver", "Bronze", "Standard"] {
        assert!(
            accounts.iter().any(|a| a["tier"] == tier),
            "no {tier} account"
        );
    }
    assert!(accounts
        .iter()
        .filter(|a| ["Platinum", "Gold", "Silver"].contains(&a["tier"].as_str().unwrap()))
        .all(|a| a["account_manager"].is_string()));
}

#[test]
fn accounts_add_show_and_import_rules() {
    let env = Env::new();
    env.with_team();
    let err = env.fails(&["accounts", "add", "Elm School", "--tier", "silver"], 1);
    assert!(
        err.contains("Silver accounts need a designated account manager"),
        "{err}"
    );
    env.ok(&[
        "accounts",
        "add",
        "Elm School",
        "--tier",
        "bronze",
        "--domain",
        "elm.example",
        "--contact",
        "Eve Elm <eve@elm.example>",
    ]);
    let shown = env.json(&["accounts", "show", "elm school"]);
    assert_eq!(shown["tier"], "Bronze");
    assert_eq!(shown["contacts"][0]["email"], "eve@elm.example");
    let err = env.fails(&["accounts", "show", "Nope"], 1);
    assert!(
        err.contains("`Nope`") && err.contains("accounts list"),
        "{err}"
    );

    // The RM defaults to the AM's regional manager.
    let birch = env.json(&["accounts", "show", "Birch Law"]);
    assert_eq!(birch["regional_manager"], "jlee");

    let bad = env.write(
        "bad-accounts.csv",
        "name,tier,account_manager,regional_manager,domains,contacts\n\
         Fine Co,Bronze,,,fine.example,\n\
         Gold No AM,Gold,,,gold.example,\n\
         Ghost AM,Silver,ghost,,ghost.example,\n\
         Taken,Bronze,,,acme-dental.example,\n\
         Odd Tier,Diamond,,,odd.example,\n\
         Bad Contact,Standard,,,bad.example,Bob <nope>\n",
    );
    let err = env.fails(&["accounts", "import", bad.to_str().unwrap()], 1);
    for want in [
        "line 3",
        "Gold accounts need",
        "line 4",
        "`ghost`",
        "line 5",
        "already belongs to `Acme Dental`",
        "line 6",
        "`Diamond`",
        "line 7",
        "`Bob <nope>`",
    ] {
        assert!(err.contains(want), "missing {want} in:\n{err}");
    }
    assert!(!err.contains("line 2:"), "{err}");
    let names: Vec<String> = env
        .json(&["accounts", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().into())
        .collect();
    assert!(
        !names.contains(&"Fine Co".to_string()),
        "all or nothing: {names:?}"
    );
}

#[test]
fn list_and_show_cases_with_filters_and_formats() {
    let env = Env::new();
    env.with_team();
    let a = seed_case(
        &env,
        "Quote for phones",
        Some("Acme Dental"),
        Some("paige"),
        Priority::Expedited,
    );
    let b = seed_case(
        &env,
        "Address change",
        Some("Cedar Clinic"),
        None,
        Priority::Standard,
    );
    let c = seed_case(
        &env,
        "Closed one",
        Some("Birch Law"),
        Some("rmora"),
        Priority::Standard,
    );
    env.seed()
        .status(common::case(c), Status::Closed, Some(seed::at(1)));

    let all_open = env.json(&["list"]);
    let numbers: Vec<i64> = all_open
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, vec![a, b]);
    let row = &all_open[0];
    for key in [
        "number",
        "subject",
        "account",
        "owner",
        "status",
        "priority",
        "opened_at",
        "next_due",
        "overdue",
    ] {
        assert!(row.get(key).is_some(), "json row lacks `{key}`: {row}");
    }
    assert_eq!(row["overdue"], true);

    assert_eq!(env.json(&["list", "--all"]).as_array().unwrap().len(), 3);
    assert_eq!(
        env.json(&["list", "--owner", "paige"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(env.json(&["list", "--owner", "queue"])[0]["number"], b);
    assert_eq!(env.json(&["list", "--status", "closed"])[0]["number"], c);
    assert_eq!(
        env.json(&["list", "--priority", "expedited"])[0]["number"],
        a
    );
    assert_eq!(env.json(&["list", "--tier", "bronze"])[0]["number"], b);
    assert_eq!(
        env.json(&["list", "--account", "acme dental"])[0]["number"],
        a
    );
    assert_eq!(
        env.json(&["list", "--limit", "1"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        env.json(&["list", "--since", "2026-11-24"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        env.json(&["list", "--before", "2026-11-24"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        env.json(&["list", "--overdue"]).as_array().unwrap().len(),
        2
    );
    let err = env.fails(&["list", "--status", "pending"], 2);
    assert!(err.contains("`pending`"), "{err}");

    let table = env.ok(&["list"]);
    assert!(
        table.contains(&format!("#{a}")) && table.contains("Quote for phones"),
        "{table}"
    );
    let csv = env.ok(&["list", "--format", "csv"]);
    assert!(
        csv.starts_with(
            "number,subject,account,owner,status,priority,opened_at,next_due,overdue\n"
        ),
        "{csv}"
    );

    let shown = env.json(&["show", &format!("#{a}")]);
    assert_eq!(shown["number"], a);
    assert_eq!(shown["account"], "Acme Dental");
    assert_eq!(shown["events"][0]["field"], "created");
    let text = env.ok(&["show", &a.to_string()]);
    assert!(
        text.contains("Quote for phones") && text.contains("Timeline"),
        "{text}"
    );
    let err = env.fails(&["show", "999"], 1);
    assert!(err.contains("`#999`"), "{err}");
}

#[test]
fn tables_fit_the_terminal_width() {
    let env = Env::new();
    env.with_samples();
    let out = env
        .cmd()
        .env("COLUMNS", "60")
        .args(["accounts", "list"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(line.chars().count() <= 60, "line wider than 60: {line}");
    }
}

#[test]
fn completions_and_help() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = env.ok(&["completions", shell]);
        assert!(out.contains("casebook"), "{shell}");
        // Subcommands are built lazily: their options and nested commands must still be there.
        assert!(out.contains("mbox") && out.contains("maildir"), "{shell}");
        assert!(out.contains("import") && out.contains("retry"), "{shell}");
    }
    let help = env.ok(&["--help"]);
    assert!(help.contains("ingest") && help.contains("report"), "{help}");
    // Every command is listed with its description (subcommands are deferred).
    for line in help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
    {
        assert!(
            line.split_whitespace().count() > 1,
            "`{line}` has no description"
        );
    }
    assert!(help.contains("Turn inbound mail into cases"), "{help}");
    let help = env.ok(&["list", "--help"]);
    assert!(help.starts_with("List cases"), "{help}");
    let help = env.ok(&["help", "accounts", "add"]);
    assert!(help.contains("--tier"), "{help}");
}

#[test]
fn broken_pipe_exits_quietly() {
    let env = Env::new();
    env.with_samples();
    // Enough output that the writer meets the closed pipe whatever the format.
    let rows: String = (0..400)
        .map(|i| format!("Filler {i},Standard,,,filler{i}.example,\n"))
        .collect();
    let csv = env.write(
        "fillers.csv",
        &format!("name,tier,account_manager,regional_manager,domains,contacts\n{rows}"),
    );
    env.ok(&["accounts", "import", csv.to_str().unwrap()]);
    for format in ["table", "json", "csv"] {
        let mut child = env
            .std_cmd()
            .args(["accounts", "list", "--format", format])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

#[test]
fn man_pages_in_the_repository_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let written = casebook::cmd::man::write_pages(
        &<casebook::cli::Cli as clap::CommandFactory>::command(),
        dir.path(),
    )
    .unwrap();
    let committed = Env::root().join("man");
    let mut stale = Vec::new();
    for path in &written {
        let name = path.file_name().unwrap();
        let fresh = std::fs::read(path).unwrap();
        if std::fs::read(committed.join(name)).ok() != Some(fresh) {
            stale.push(name.to_string_lossy().into_owned());
        }
    }
    let extra: Vec<String> = std::fs::read_dir(&committed)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .filter(|n| {
            !written
                .iter()
                .any(|w| w.file_name().unwrap().to_string_lossy() == *n)
        })
        .collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "man/ is stale ({stale:?} differ, {extra:?} not generated): run `cargo run -- man man`"
    );
}

#[test]
fn backup_copies_commits_still_in_the_wal_and_never_overwrites() {
    let env = Env::new();
    env.with_samples();
    env.cmd()
        .arg("ingest")
        .write_stdin(
            "From: Maria Chen <mchen@contoso-dental.example>\nSubject: Quote for phones\n\
             Message-ID: <backup-1@contoso-dental.example>\n\nTwelve handsets, please.\n",
        )
        .assert()
        .success();
    // The delivery is on disk in the WAL, not yet in the database file itself.
    let wal = std::fs::metadata(format!("{}-wal", env.db.display())).unwrap();
    assert!(wal.len() > 0);

    let copy = env.dir.path().join("copy.db");
    let out = env.ok(&["backup", copy.to_str().unwrap()]);
    assert!(out.contains("(1 cases)"), "{out}");
    let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let subject: String = conn
        .query_row("SELECT subject FROM cases", [], |r| r.get(0))
        .unwrap();
    assert_eq!(subject, "Quote for phones");

    let err = env.fails(&["backup", copy.to_str().unwrap()], 1);
    assert!(err.contains("exists already"), "{err}");
    // Not through a symlink, even a dangling one.
    let link = env.dir.path().join("link.db");
    std::os::unix::fs::symlink(env.dir.path().join("elsewhere.db"), &link).unwrap();
    let err = env.fails(&["backup", link.to_str().unwrap()], 1);
    assert!(err.contains("exists already"), "{err}");
    assert!(!env.dir.path().join("elsewhere.db").exists());
    // A copy that cannot be written leaves nothing behind.
    let blocker = env.write("blocker", "a file, not a folder");
    let inside = blocker.join("copy.db");
    let out = env.run(&["backup", inside.to_str().unwrap()]);
    assert_ne!(out.status.code(), Some(0));
    assert!(!inside.exists());
}

#[test]
fn restore_puts_a_backup_back_and_asks_first() {
    let env = Env::new();
    env.with_samples();
    let mail = |i: usize, word: &str| {
        format!(
            "From: Maria Chen <mchen@contoso-dental.example>\nSubject: About the {word}\n\
             Message-ID: <restore-{i}@contoso-dental.example>\n\nPlease look.\n"
        )
    };
    env.cmd()
        .arg("ingest")
        .write_stdin(mail(1, "lighthouse"))
        .assert()
        .success();
    let copy = env.dir.path().join("before.db");
    env.ok(&["backup", copy.to_str().unwrap()]);
    env.cmd()
        .arg("ingest")
        .write_stdin(mail(2, "harbour"))
        .assert()
        .success();
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), 2);

    let err = env.fails(&["restore", copy.to_str().unwrap()], 1);
    assert!(
        err.contains("--replace") && err.contains("casebook backup"),
        "{err}"
    );
    let not_a_backup = env.write("notes.txt", "shopping list");
    let err = env.fails(&["restore", not_a_backup.to_str().unwrap(), "--replace"], 1);
    assert!(err.contains("not a casebook backup"), "{err}");
    assert_eq!(
        env.json(&["list"]).as_array().unwrap().len(),
        2,
        "untouched"
    );

    let out = env.ok(&["restore", copy.to_str().unwrap(), "--replace"]);
    assert!(out.contains("(1 cases)"), "{out}");
    let cases = env.json(&["list"]);
    assert_eq!(cases.as_array().unwrap().len(), 1);
    assert_eq!(
        env.json(&["search", "lighthouse"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(env
        .json(&["search", "harbour"])
        .as_array()
        .unwrap()
        .is_empty());
    // The second delivery comes back as new, not as a duplicate of a lost case.
    let again = env
        .cmd()
        .arg("ingest")
        .write_stdin(mail(2, "harbour"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("created #2"));
    let ok: String = env
        .inspect()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

#[test]
fn only_init_creates_a_database_and_every_other_command_refuses_a_missing_one() {
    let env = Env::new();
    // A mistyped path, a missing folder (an unmounted volume), an empty file.
    let empty = env.write("data/empty.db", "");
    let cases = [
        env.path("data/casebok.db"),
        env.path("not-mounted/casebook.db"),
        empty.clone(),
    ];
    for db in &cases {
        let out = env
            .cmd()
            .env("CASEBOOK_DB", db)
            .args(["show", "1"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {err}", db.display());
        assert!(
            err.contains(&db.display().to_string()) && err.contains("casebook init"),
            "{err}"
        );
        // A delivery is the MTA's to retry, and nothing is written anywhere.
        let out = env
            .cmd()
            .env("CASEBOOK_DB", db)
            .arg("ingest")
            .write_stdin("From: c@customer.example\nSubject: hi\nMessage-ID: <m@x>\n\nbody\n")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(75), "{out:?}");
        if db == &empty {
            assert_eq!(std::fs::metadata(db).unwrap().len(), 0);
        } else {
            assert!(!db.exists(), "{} was created", db.display());
        }
    }
    assert!(!env.path("not-mounted").exists());
    // init creates one, and then it is used.
    let db = env.path("data/casebok.db");
    env.cmd()
        .env("CASEBOOK_DB", &db)
        .arg("init")
        .assert()
        .success();
    env.cmd()
        .env("CASEBOOK_DB", &db)
        .args(["list", "--all"])
        .assert()
        .success();
}

#[test]
fn init_through_a_dangling_symlink_creates_a_private_database() {
    let env = Env::new();
    let target = env.path("vol/real.db");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let link = env.path("link.db");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    env.cmd()
        .env("CASEBOOK_DB", &link)
        .arg("init")
        .assert()
        .success();
    env.cmd()
        .env("CASEBOOK_DB", &link)
        .args([
            "people",
            "add",
            "amy",
            "--name",
            "Amy",
            "--email",
            "amy@desk.example",
        ])
        .assert()
        .success();
    // The link's target and SQLite's WAL beside it (the schema and the
    // person are still in the WAL: closing leaves a short one).
    for f in ["real.db", "real.db-wal"] {
        let p = env.path("vol").join(f);
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{f}");
    }
    let shm = env.path("vol/real.db-shm");
    if shm.exists() {
        assert_eq!(
            std::fs::metadata(&shm).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert!(target.exists());
}
