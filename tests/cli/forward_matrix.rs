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

use crate::common::{self, Env};

fn matrix_dir() -> PathBuf {
    Env::root().join("tests/data/forwards/matrix")
}

/// One expected row: file, sender address, display name, subject, first and
/// last line of the description, first line of the quoted history kept apart.
struct Expected {
    file: String,
    from: String,
    name: String,
    subject: String,
    first: String,
    last: String,
    quoted: String,
}

fn expected() -> Vec<Expected> {
    let text = std::fs::read_to_string(matrix_dir().join("expected.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 7, "expected.tsv: {l:?}");
            Expected {
                file: f[0].into(),
                from: f[1].into(),
                name: f[2].into(),
                subject: f[3].into(),
                first: f[4].into(),
                last: f[5].into(),
                quoted: f[6].into(),
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
    // Each arrives as the desk's MTA delivers a staff member's mail: vouched for.
    for r in &rows {
        let raw = std::fs::read(matrix_dir().join(&r.file)).unwrap();
        std::fs::write(maildir.join("new").join(&r.file), common::vouched(&raw)).unwrap();
    }
    env.ok(&["ingest", "--maildir", maildir.to_str().unwrap()]);

    type Row = (
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        String,
        String,
    );
    let cases: HashMap<String, Row> = env
        .rows(
            "SELECT m.message_id, m.auto_reason, c.contact_email, c.contact_name, c.subject, c.description, c.quoted
             FROM messages m LEFT JOIN cases c ON c.id = m.case_id WHERE m.direction = 'in'",
        )
        .into_iter()
        .map(|r| {
            (
                r[0].clone().unwrap(),
                (
                    r[1].clone(),
                    r[2].clone(),
                    r[3].clone(),
                    r[4].clone().unwrap_or_default(),
                    r[5].clone().unwrap_or_default(),
                    r[6].clone().unwrap_or_default(),
                ),
            )
        })
        .collect();

    let mut failures = Vec::new();
    let mut automatic = 0;
    for r in &rows {
        let id = format!("{}@ourco.example", r.file.trim_end_matches(".eml"));
        let Some((auto, email, name, subject, description, quoted)) = cases.get(&id) else {
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
            quoted.lines().next().unwrap_or("").trim(),
        );
        let want = (
            r.from.as_str(),
            r.name.as_str(),
            r.subject.as_str(),
            r.first.as_str(),
            r.last.as_str(),
            r.quoted.as_str(),
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

fn explain(env: &Env, raw: &[u8]) -> String {
    use std::io::Write;
    let mut child = env
        .std_cmd()
        .args(["ingest", "--dry-run", "--explain"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(raw).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn explain_names_the_format_language_level_and_why_it_stopped() {
    let env = Env::new();
    let people = env.write(
        "staff.csv",
        "handle,name,email,roles,regional_manager,pool\n\
         alex,Alex Agent,alex@ourco.example,agent,,no\n\
         bob,Bob Colleague,bob@ourco.example,agent,,no\n",
    );
    env.ok(&["people", "import", people.to_str().unwrap()]);
    let read = |f: &str| std::fs::read(matrix_dir().join(f)).unwrap();
    for (file, want) in [
        (
            "special_fwd_of_staff_fwd.eml",
            "gmail forward in en from the known person `alex`: unwrapped level 2 of 2 (stopped: level 2 is from `jane.doe@customer.example`, not staff)",
        ),
        (
            "special_customer_forwarded_third_party.eml",
            "unwrapped level 1 of 2 (stopped: level 1 is from `jane.doe@customer.example`, not staff)",
        ),
        ("yahoo_oneline_tr.eml", "yahoo forward in tr from the known person `alex`: unwrapped level 1 of 1"),
        ("thunderbird_ja.eml", "thunderbird forward in ja"),
        ("outlook_2019_de.eml", "outlook-wrote forward in de"),
        ("hubspot_fi.eml", "client:        Gmail, HubSpot, Missive, Spark or Zoho"),
        (
            "no_address_outlook_desktop_en.eml",
            "(stopped: level 1 names `Jane Doe` without an address)",
        ),
        (
            "no_address_outlook_desktop_en.eml",
            "sender:        the From line names no address and none was found in the header block or the signature",
        ),
        (
            "no_address_outlook_desktop_en.eml",
            "contact:       Jane Doe (no address: flagged for triage)",
        ),
        ("no_address_signature_de.eml", "taken from the sender's signature"),
        ("no_address_signature_de.eml", "contact:       Jörg Müller <joerg.mueller@customer.example>"),
        ("no_address_reply_to_fr.eml", "taken from another line of the forward's header block"),
        (
            "quoted_outlook_block_de.eml",
            "quoted:        6 lines of quoted history from a header block on, kept apart from the description",
        ),
        ("quoted_wrote_pl.eml", "quoted:        4 lines of quoted history from an attribution line on"),
        ("outlook_2019_wrapped_in_address_ru.eml", "outlook-wrote forward in ru"),
    ] {
        let text = explain(&env, &common::vouched(&read(file)));
        assert!(text.contains(want), "{file}: missing {want:?} in\n{text}");
    }
    // A declared charset that cannot be right is said, and the text is readable.
    let mut raw = b"From: Jane <jane@customer.example>\nTo: cases@ourco.example\nSubject: router\nMessage-ID: <sjis-1@customer.example>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 8bit\n\n".to_vec();
    raw.extend_from_slice(&encoding_rs::SHIFT_JIS.encode("ルーターが再起動します。").0);
    let text = explain(&env, &raw);
    assert!(
        text.contains("repaired:") && text.contains("read as Shift_JIS"),
        "{text}"
    );
}

#[test]
fn quoted_history_is_kept_apart_shown_collapsed_and_searched() {
    let env = Env::new();
    let people = env.write(
        "staff.csv",
        "handle,name,email,roles,regional_manager,pool\n\
         alex,Alex Agent,alex@ourco.example,agent,,no\n",
    );
    env.ok(&["people", "import", people.to_str().unwrap()]);
    let raw = std::fs::read(matrix_dir().join("quoted_outlook_block_de.eml")).unwrap();
    let out = env
        .cmd()
        .arg("ingest")
        .write_stdin(common::vouched(&raw))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "created #1");

    // Collapsed: the customer's text, then one line that says how to see the rest.
    let shown = env.ok(&["show", "1"]);
    assert!(shown.contains("Danke,\nJane\n"), "{shown}");
    assert!(
        shown.contains("[quoted history: 6 lines; `casebook show 1 --quoted` prints it]"),
        "{shown}"
    );
    assert!(!shown.contains("Max Muster"), "{shown}");
    let full = env.ok(&["show", "1", "--quoted"]);
    assert!(
        full.contains("--- quoted history (6 lines) ---\nVon: Max Muster <max@supplier.example>\n"),
        "{full}"
    );

    let json = env.json(&["show", "1"]);
    assert!(json["description"].as_str().unwrap().ends_with("Jane"));
    assert!(json["quoted"]
        .as_str()
        .unwrap()
        .starts_with("Von: Max Muster <max@supplier.example>\nGesendet: "));

    // Search finds words of the quoted history too.
    let found = env.ok(&["search", "Muster"]);
    assert!(found.contains("#1 "), "{found}");
}
