//! `casebook search`: full-text over subjects, descriptions and comments.

mod common;

use casebook::domain::case::NewCase;
use casebook::store::{activity, cases};
use common::Env;

#[test]
fn search_finds_words_in_subjects_descriptions_and_comments() {
    let env = Env::new();
    env.with_team();
    let now = chrono::DateTime::parse_from_rfc3339(common::NOW)
        .unwrap()
        .to_utc();
    let store = env.store();
    let conn = store.conn();
    let mut a = NewCase::new("Quote for additional phones", now);
    a.description = "Twelve handsets for the Elm Street office".into();
    let a = cases::insert(conn, &a).unwrap();
    let b = cases::insert(conn, &NewCase::new("Fax line not receiving", now)).unwrap();
    let c = cases::insert(conn, &NewCase::new("Name change on the account", now)).unwrap();
    let comment = activity::Comment {
        id: 0,
        at: now,
        author: Some("amy".into()),
        kind: "comment".into(),
        public: false,
        body: "Customer mentioned the Müller contract renewal".into(),
        mentions: vec![],
    };
    activity::add_comment(conn, c, &comment).unwrap();
    conn.execute(
        "UPDATE cases SET status = 'Closed', closed_at = 1 WHERE id = ?1",
        [b],
    )
    .unwrap();
    // An edit to the subject is found under its new words only.
    conn.execute(
        "UPDATE cases SET subject = 'Fax line repaired' WHERE id = ?1",
        [b],
    )
    .unwrap();

    let numbers = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        env.json(&all)
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["number"].as_i64().unwrap())
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
    assert_eq!(
        numbers(&["fax", "--status", "new"]),
        Vec::<i64>::new(),
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

    let err = env.fails(&["search", "***"], 1);
    assert!(err.contains("no words"), "{err}");
}
