//! What the intake must hold for any input, whatever a sender writes:
//! parsing, forward extraction, threading keys, automatic-mail detection
//! and the trust decision never panic and keep their promises.
//!
//! [`check_intake`] is run by the property tests below (in `cargo test`) and
//! by the fuzz target in `fuzz/` (see `fuzz/README.md`), over the same code.

use super::{authres, autoreply, forward, parse, thread, trust};
use crate::domain::case::CaseNumber;

/// The authserv-id the checks configure.
const MTA: &str = "mx.desk.example";

/// Runs every intake function over `raw`; the first broken promise, if any.
pub fn check_intake(raw: &[u8]) -> Result<(), String> {
    // Header parsing takes any text, not only what the parser hands it.
    let text = String::from_utf8_lossy(raw);
    for line in text.lines().take(64) {
        if let Some(ar) = authres::parse(line) {
            check_authres(&ar)?;
        }
    }
    let _ = forward::find_inline_forward(&text);

    let m = match parse::parse(raw) {
        Ok(m) => m,
        Err(parse::ParseError::Panic(p)) => return Err(format!("parse panicked: {p}")),
        Err(_) => return Ok(()),
    };
    for (name, _) in &m.headers {
        if name.is_empty() || name.contains(char::is_whitespace) || *name != name.to_lowercase() {
            return Err(format!("header name {name:?} is not a lowercased token"));
        }
    }
    for (i, a) in m.attachments.iter().enumerate() {
        if a.index != i + 1 || a.name.is_empty() || a.name.contains(['/', '\\']) {
            return Err(format!("attachment {i}: {a:?}"));
        }
    }

    // Forward extraction and note commands.
    if let Some(f) = &m.forwarded {
        if f.depth == 0 {
            return Err("a forward found at depth 0".into());
        }
    }
    let (commands, _) = forward::note_commands(&m.body_text);
    for (key, _) in &commands {
        if !["priority", "category", "account", "type"].contains(&key.as_str()) {
            return Err(format!("note command {key:?}"));
        }
    }
    let stripped = forward::strip_subject_prefixes(&m.subject);
    if forward::strip_subject_prefixes(&stripped) != stripped {
        return Err(format!("stripping {:?} twice strips more", m.subject));
    }

    // Threading keys.
    let tag = thread::Tag::new("Case");
    let found = thread::tagged_case(&tag, &m.subject);
    let seven = CaseNumber::new(7).ok_or("case 7")?;
    if found.is_none() {
        let tagged = thread::tag_subject("Case", seven, &m.subject);
        if thread::tagged_case(&tag, &tagged) != Some(seven) {
            return Err(format!("tagging {:?} gave {tagged:?}", m.subject));
        }
    }
    let _ = thread::case_reference(&m.references, "desk.example");
    let _ = thread::case_reference(&m.in_reply_to, "desk.example");

    // Automatic mail: never panics, and an explicit Auto-Submitted always counts.
    let auto = autoreply::auto_generated(&m, "cases@desk.example");
    let submitted = m
        .header("auto-submitted")
        .map(|v| v.trim().to_ascii_lowercase());
    if submitted.as_deref() == Some("auto-replied") && auto.is_none() {
        return Err("Auto-Submitted: auto-replied is not automatic".into());
    }

    check_trust(&m)
}

fn check_authres(ar: &authres::AuthResults) -> Result<(), String> {
    if ar.authserv_id.is_empty() || ar.authserv_id != ar.authserv_id.to_lowercase() {
        return Err(format!("authserv-id {:?}", ar.authserv_id));
    }
    for r in &ar.results {
        if r.method.is_empty() || r.result.is_empty() || r.result != r.result.to_lowercase() {
            return Err(format!("result {r:?}"));
        }
    }
    Ok(())
}

fn check_trust(m: &parse::Inbound) -> Result<(), String> {
    let from = m.from.as_ref().map(|a| a.email.as_str()).unwrap_or("");
    let policy = trust::Policy::AuthResults { authserv_id: MTA };
    let verdict = trust::verify(&m.headers, from, policy);
    if verdict.is_staff() && trust::mta_results(&m.headers, MTA).is_empty() {
        return Err(format!("verified without a header from {MTA}: {verdict:?}"));
    }
    let unconfigured = trust::Policy::AuthResults { authserv_id: "" };
    if trust::verify(&m.headers, from, unconfigured).is_staff() {
        return Err("verified with no authserv-id configured".into());
    }
    if !trust::verify(&m.headers, from, trust::Policy::TrustFromHeader).is_staff() {
        return Err("the opt-out did not believe the From header".into());
    }
    // A passing header forged among the message's own fields changes nothing.
    if let Some(at) = m.headers.iter().position(|(n, _)| n == "from") {
        let mut forged = m.headers.clone();
        forged.insert(
            at + 1,
            (
                "authentication-results".into(),
                format!("{MTA}; dmarc=pass; dkim=pass header.d=desk.example"),
            ),
        );
        if trust::verify(&forged, from, policy).is_staff() != verdict.is_staff() {
            return Err("a header forged below From changed the trust decision".into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    /// A trace header as a desk's MTA, or a sender pretending, might write one.
    fn trace() -> impl Strategy<Value = String> {
        let result = prop::sample::select(vec!["pass", "fail", "none", "softfail", "PASS", ""]);
        let method = prop::sample::select(vec!["dkim", "spf", "dmarc", "arc", "auth", "DKIM"]);
        let prop_ = prop::sample::select(vec![
            " header.d=desk.example",
            " header.i=@desk.example",
            " header.d=evil.example",
            " smtp.mailfrom=amy@desk.example",
            " header.from=desk.example",
            " (comment; dmarc=pass)",
            " reason=\"a; b\"",
            "",
        ]);
        let id = prop::sample::select(vec![
            MTA,
            "mx.evil.example",
            "MX.DESK.EXAMPLE",
            "\"mx.desk.example\"",
        ]);
        prop_oneof![
            (id, prop::collection::vec((method, result, prop_), 0..4)).prop_map(|(id, rs)| {
                let rs: Vec<String> = rs.iter().map(|(m, r, p)| format!("; {m}={r}{p}")).collect();
                format!("Authentication-Results: {id}{}\n", rs.concat())
            }),
            Just("Received: from mail.evil.example by mx.desk.example\n".to_string()),
            Just("Return-Path: <amy@desk.example>\n".to_string()),
            Just("Auto-Submitted: auto-replied\n".to_string()),
        ]
    }

    /// A message with trace headers, a staff or stranger From, a subject with
    /// tags and prefixes, references, and a body that may hold a forward.
    fn message() -> impl Strategy<Value = Vec<u8>> {
        let from = prop::sample::select(vec![
            "Amy <amy@desk.example>",
            "mallory@evil.example",
            "\"Amy, Chen\" <amy@DESK.example>",
            "",
            "<>",
        ]);
        let subject =
            "(Re: |Fwd: |AW: |\\[Case #[0-9]{1,3}\\] |\\[case#0\\]|Hello|\u{1b}\\]0;x\u{7}| )*";
        let refs = "(<case-[0-9]{1,4}@desk.example> |<x@y> |<case-|>)*";
        let body = "(Priority: P1\n|Category: x\n|Type: Integration\n|---------- Forwarded message ---------\n|From: Ann <ann@a.example>\n|Subject: hi\n|-----Original Message-----\n|> quoted\n|text\n|\n)*";
        (prop::collection::vec(trace(), 0..5), from, subject, refs, body, prop::collection::vec(trace(), 0..2))
            .prop_map(|(top, from, subject, refs, body, low)| {
                format!(
                    "{}From: {from}\nSubject: {subject}\nMessage-ID: <p@x>\nReferences: {refs}\n{}\n{body}",
                    top.concat(),
                    low.concat()
                )
                .into_bytes()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn the_intake_keeps_its_promises_for_any_bytes(data in prop::collection::vec(any::<u8>(), 0..2048)) {
            check_intake(&data).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn the_intake_keeps_its_promises_for_mail_like_input(raw in message()) {
            check_intake(&raw).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn authentication_results_parse_any_text(s in "[a-z. ;=()\"\\\\@/0-9-]{0,120}") {
            if let Some(ar) = authres::parse(&s) {
                check_authres(&ar).map_err(TestCaseError::fail)?;
            }
        }
    }

    #[test]
    fn the_sample_emails_keep_the_promises() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/emails");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "eml") {
                check_intake(&std::fs::read(&path).unwrap())
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                seen += 1;
            }
        }
        assert_eq!(seen, 10);
    }
}
