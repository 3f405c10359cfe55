//! The forward fixture matrix (tests/data/forwards/matrix/, written by
//! tests/data/forwards/generate.py): every client layout in every language
//! it is localised in, plus forwards of forwards, a forward without a body,
//! a customer's own quoted history and attached message, and addresses and
//! subject prefixes as clients print them. Each message goes through the real
//! binary (`ingest --maildir`) as a staff forward; the case it makes must
//! name the customer, their display name, the original subject and the
//! customer's text (its first and last line), as `expected.tsv` says.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::common::Env;

fn matrix_dir() -> PathBuf {
    Env::root().join("tests/data/forwards/matrix")
}

/// One expected row: file, sender address, display name, subject, first and last line.
struct Expected {
    file: String,
    from: String,
    name: String,
    subject: String,
    first: String,
    last: String,
}

fn expected() -> Vec<Expected> {
    let text = std::fs::read_to_string(matrix_dir().join("expected.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 6, "expected.tsv: {l:?}");
            Expected {
                file: f[0].into(),
                from: f[1].into(),
                name: f[2].into(),
                subject: f[3].into(),
                first: f[4].into(),
                last: f[5].into(),
            }
        })
        .collect()
}

#[test]
fn every_client_and_language_gives_the_customer_as_contact() {
    let env = Env::new();
    let people = env.write(
        "staff.csv",
        "handle,name,email,roles,regional_manager,pool\n\
         alex,Alex Agent,alex@ourco.example,agent,,no\n\
         bob,Bob Colleague,bob@ourco.example,agent,,no\n",
    );
    env.ok(&["people", "import", people.to_str().unwrap()]);
    let rows = expected();
    assert!(rows.len() > 300, "only {} fixtures", rows.len());
    let maildir = env.path("matrix");
    std::fs::create_dir_all(maildir.join("new")).unwrap();
    std::fs::create_dir_all(maildir.join("cur")).unwrap();
    for r in &rows {
        std::fs::copy(
            matrix_dir().join(&r.file),
            maildir.join("new").join(&r.file),
        )
        .unwrap();
    }
    env.ok(&["ingest", "--maildir", maildir.to_str().unwrap()]);

    let db = env.inspect();
    let mut stmt = db
        .prepare(
            "SELECT m.message_id, m.auto_reason, c.contact_email, c.contact_name, c.subject, c.description
             FROM messages m LEFT JOIN cases c ON c.id = m.case_id WHERE m.direction = 'in'",
        )
        .unwrap();
    type Row = (
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        String,
    );
    let cases: HashMap<String, Row> = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                    r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                ),
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();

    let mut failures = Vec::new();
    let mut automatic = 0;
    for r in &rows {
        let id = format!("{}@ourco.example", r.file.trim_end_matches(".eml"));
        let Some((auto, email, name, subject, description)) = cases.get(&id) else {
            failures.push(format!("{}: not stored", r.file));
            continue;
        };
        if auto.is_some() {
            automatic += 1;
        }
        let lines: Vec<&str> = description.lines().collect();
        let got = (
            email.as_deref().unwrap_or(""),
            name.as_deref().unwrap_or(""),
            subject.as_str(),
            lines.first().copied().unwrap_or("").trim(),
            lines.last().copied().unwrap_or("").trim(),
        );
        let want = (
            r.from.as_str(),
            r.name.as_str(),
            r.subject.as_str(),
            r.first.as_str(),
            r.last.as_str(),
        );
        if got != want {
            failures.push(format!("{}:\n   got {got:?}\n  want {want:?}", r.file));
        }
    }
    let passed = rows.len() - failures.len();
    println!("forward matrix: {passed} of {} pass", rows.len());
    assert_eq!(automatic, 0, "matrix messages taken for automatic mail");
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
