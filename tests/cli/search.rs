//! `casebook search`: full-text over subjects, descriptions and comments.

use crate::common;

use casebook::domain::case::NewCase;
use casebook::store::cases::{set_fields, Column};
use casebook::store::{activity, cases};
use common::{seed, Env};

#[test]
fn search_takes_words_with_punctuation() {
    let env = Env::new();
    env.with_team();
    let now = chrono::DateTime::parse_from_rfc3339(common::NOW)
        .unwrap()
        .to_utc();
    let seed = env.seed();
    let mut c = NewCase::new("Port the main number", now);
    c.description = "Call Pat O'Brien at 555-0101 about INC-4412; send the e-mail too".into();
    let n = seed.case(&c);
    seed.case(&NewCase::new("Unrelated: 555 handsets, mail later", now));
    drop(seed);
    for words in [
        vec!["555-0101"],
        vec!["O'Brien"],
        vec!["e-mail", "INC-4412"],
        vec!["\"555-01"],
    ] {
        let mut args = vec!["search"];
        args.extend(&words);
        let found = env.json(&args);
        let numbers: Vec<i64> = found
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["number"].as_i64().unwrap())
            .collect();
        assert_eq!(numbers, vec![n.get()], "{words:?}");
    }
}

#[test]
fn search_finds_words_in_subjects_descriptions_and_comments() {
    let env = Env::new();
    env.with_team();
    let now = chrono::DateTime::parse_from_rfc3339(common::NOW)
        .unwrap()
        .to_utc();
    let store = env.store();
    // Rows join the index when their transaction commits, as every command's do.
    let (a, b, c, d) = store
        .write(|tx| -> Result<_, casebook::store::StoreError> {
            let mut a = NewCase::new("Quote for additional phones", now);
            a.description = "Twelve handsets for the Elm Street office".into();
            let a = cases::insert(tx, &a)?;
            let b = cases::insert(tx, &NewCase::new("Fax line not receiving", now))?;
            let c = cases::insert(tx, &NewCase::new("Name change on the account", now))?;
            let comment = activity::Comment {
                id: 0,
                at: now,
                author: Some("amy".into()),
                kind: casebook::domain::states::CommentKind::Comment,
                public: false,
                body: "Customer mentioned the Müller contract renewal".into(),
                mentions: vec![],
            };
            activity::add_comment(tx, c, &comment)?;
            // Renamed in the transaction that made it, before the index saw it.
            let d = cases::insert(tx, &NewCase::new("Voicemail drafted", now))?;
            set_fields(
                tx,
                d,
                &[(Column::Subject, seed::text("Voicemail greeting"))],
            )?;
            Ok((a, b, c, d))
        })
        .unwrap();
    store
        .write(|tx| -> Result<_, casebook::store::StoreError> {
            set_fields(
                tx,
                b,
                &[
                    (Column::Status, seed::text("Closed")),
                    (Column::ClosedAt, seed::time(seed::at(1))),
                ],
            )?;
            // An edit to the subject is found under its new words only.
            set_fields(tx, b, &[(Column::Subject, seed::text("Fax line repaired"))])?;
            Ok(())
        })
        .unwrap();
    let numbers = |args: &[&str]| -> Vec<casebook::domain::case::CaseNumber> {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        env.json(&all)
            .as_array()
            .unwrap()
            .iter()
            .map(|r| common::case(r["number"].as_i64().unwrap()))
            .collect()
    };
    assert_eq!(numbers(&["phones"]), vec![a]);
    assert_eq!(
        numbers(&["elm", "hand"]),
        vec![a],
        "every word, as a prefix"
    );
    assert_eq!(
        numbers(&["fax", "repaired"]),
        vec![b],
        "closed cases are found"
    );
    assert!(
        numbers(&["receiving"]).is_empty(),
        "the old subject is gone from the index"
    );
    assert_eq!(numbers(&["muller"]), vec![c], "comments, diacritics folded");
    assert_eq!(numbers(&["greeting"]), vec![d]);
    assert!(numbers(&["drafted"]).is_empty());
    assert_eq!(
        numbers(&["fax", "--status", "new"]),
        Vec::<casebook::domain::case::CaseNumber>::new(),
        "filters apply"
    );
    assert!(
        numbers(&["\"phones", "NEAR(", "(elm*"]).is_empty(),
        "FTS syntax is taken literally: `near` is just another word"
    );
    assert_eq!(
        numbers(&["\"phones", "(elm*"]),
        vec![a],
        "quotes and brackets are not syntax"
    );

    // The search indexed every row first, and the index agrees with the tables.
    // (FTS5's integrity check is a statement of its own: raw SQL on the file.)
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    for table in ["cases_fts", "comments_fts"] {
        conn.execute(
            &format!("INSERT INTO {table} ({table}) VALUES ('integrity-check')"),
            [],
        )
        .unwrap_or_else(|e| panic!("{table} is inconsistent: {e}"));
    }

    let err = env.fails(&["search", "***"], 1);
    assert!(err.contains("no words"), "{err}");
}

#[test]
fn mail_ingested_one_at_a_time_or_in_bulk_is_found() {
    let env = Env::new();
    env.with_team();
    let mail = |i: usize, word: &str| {
        format!(
            "From: Ann Acme <ann@acme-dental.example>\nSubject: Request {i} about {word}\n\
             Message-ID: <search-{i}@acme-dental.example>\n\nPlease look at the {word} line.\n"
        )
    };
    // Procmail delivers one message per process; the index takes them in groups.
    for (i, word) in ["pelican", "walrus", "heron"].iter().enumerate() {
        env.cmd()
            .arg("ingest")
            .write_stdin(mail(i, word))
            .assert()
            .success();
    }
    let mbox: String = (3..253)
        .map(|i| {
            format!(
                "From x@y Mon Nov 23 09:00:00 2026\n{}\n",
                mail(i, &format!("otter{i}"))
            )
        })
        .collect();
    let path = env.write("bulk.mbox", &mbox);
    env.ok(&["ingest", "--mbox", path.to_str().unwrap()]);
    env.cmd()
        .arg("ingest")
        .write_stdin(mail(253, "puffin"))
        .assert()
        .success();

    let found = |word: &str| -> Vec<i64> {
        env.json(&["search", word])
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["number"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(found("walrus"), vec![2]);
    assert_eq!(found("otter200"), vec![201]);
    assert_eq!(
        found("puffin"),
        vec![254],
        "the last delivery, still below a group"
    );
    assert_eq!(found("request").len(), 50, "one page by default");
    let all = env.json(&["search", "request", "--limit", "300"]);
    assert_eq!(all.as_array().unwrap().len(), 254);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    for table in ["cases_fts", "comments_fts"] {
        conn.execute(
            &format!("INSERT INTO {table} ({table}) VALUES ('integrity-check')"),
            [],
        )
        .unwrap_or_else(|e| panic!("{table} is inconsistent: {e}"));
    }
}

#[test]
fn a_search_while_another_process_writes_still_answers() {
    let env = Env::new();
    env.with_team();
    let mail = |i: usize, word: &str| {
        format!(
            "From: Ann Acme <ann@acme-dental.example>\nSubject: About the {word}\n\
             Message-ID: <busy-{i}@acme-dental.example>\n\nPlease look.\n"
        )
    };
    env.cmd()
        .arg("ingest")
        .write_stdin(mail(1, "kestrel"))
        .assert()
        .success();
    assert_eq!(
        env.json(&["search", "kestrel"]).as_array().unwrap().len(),
        1
    );
    env.cmd()
        .arg("ingest")
        .write_stdin(mail(2, "osprey"))
        .assert()
        .success();
    // Another process holds the write lock past search's busy timeout.
    let other = rusqlite::Connection::open(&env.db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = env
        .cmd()
        .env("CASEBOOK_BUSY_TIMEOUT_MS", "200")
        .args(["search", "kestrel", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        found.as_array().unwrap().len(),
        1,
        "indexed cases are found"
    );
    assert!(stderr.contains("1 newest case(s)"), "{stderr}");
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    assert_eq!(env.json(&["search", "osprey"]).as_array().unwrap().len(), 1);
}

#[test]
fn search_pages_newest_first_and_says_when_more_match() {
    let env = Env::new();
    env.with_team();
    let now = chrono::DateTime::parse_from_rfc3339(common::NOW)
        .unwrap()
        .to_utc();
    let store = env.store();
    let made: Vec<i64> = store
        .write(|tx| -> Result<_, casebook::store::StoreError> {
            let mut made = Vec::new();
            for i in 0..7 {
                made.push(cases::insert(tx, &NewCase::new(&format!("Fax line {i}"), now))?.get());
                cases::insert(tx, &NewCase::new("Unrelated handsets", now))?;
            }
            Ok(made)
        })
        .unwrap();
    let newest_first: Vec<i64> = made.iter().rev().copied().collect();
    let page = |args: &[&str]| -> (Vec<i64>, String) {
        let mut all = vec!["--format", "json", "search", "fax"];
        all.extend(args);
        let out = env.cmd().args(&all).output().unwrap();
        assert!(out.status.success());
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let numbers = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["number"].as_i64().unwrap())
            .collect();
        (numbers, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (first, note) = page(&["--limit", "3"]);
    assert_eq!(first, newest_first[..3]);
    assert!(note.contains("--offset 3"), "{note}");
    let (second, _) = page(&["--limit", "3", "--offset", "3"]);
    assert_eq!(second, newest_first[3..6]);
    let (last, note) = page(&["--limit", "3", "--offset", "6"]);
    assert_eq!(last, newest_first[6..]);
    assert!(!note.contains("more cases match"), "the last page: {note}");
    let (everything, note) = page(&[]);
    assert_eq!(everything, newest_first, "the default page holds all seven");
    assert!(note.is_empty(), "{note}");
}
