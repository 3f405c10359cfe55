//! Threading signals: the `[Case #N]` subject tag and our own
//! `<case-N@domain>` message ids.

use crate::domain::case::CaseNumber;
use regex::Regex;

/// The `[Prefix #N]` subject tag, any case and spacing; group 1 is the number.
/// The one definition of the tag: ingest and outgoing mail use it too.
///
/// Written without Unicode classes (`\s`, `\d`, `(?i)`): compiling one makes
/// the regex crate zero about 400 KB, a cost every procmail process would pay.
/// Letters of the prefix match either case; spaces may be tabs or no-break spaces.
pub fn tag_regex(prefix: &str) -> Regex {
    const SPACE: &str = r"(?:[ \t]|\x{A0})*";
    let prefix: String = prefix
        .trim()
        .chars()
        .map(|c| {
            // The letter as written too: a titlecase letter (ǅ) is neither form.
            let mut forms: Vec<String> = vec![
                c.to_string(),
                c.to_lowercase().collect(),
                c.to_uppercase().collect(),
            ];
            forms.sort();
            forms.dedup();
            if c.is_whitespace() {
                SPACE.to_string()
            } else if forms.len() == 1 {
                regex::escape(&forms[0])
            } else {
                let forms: Vec<String> = forms.iter().map(|f| regex::escape(f)).collect();
                format!("(?:{})", forms.join("|"))
            }
        })
        .collect();
    Regex::new(&format!(
        r"\[{SPACE}{prefix}{SPACE}#{SPACE}([0-9]+){SPACE}\]"
    ))
    .expect("valid tag regex")
}

/// The case number in a `[Case #N]` subject tag, if any.
///
/// Tolerates case, spacing (`[ Case # 12 ]`, `[Case#12]`) and reply/forward
/// prefixes before the tag. A bare `Case #12` without brackets is not a tag.
pub fn case_tag(subject: &str, prefix: &str) -> Option<CaseNumber> {
    tagged_case(&tag_regex(prefix), subject)
}

/// The case number of the first tag `tag` (a [`tag_regex`]) finds in
/// `subject`; for callers that compile the pattern once. A tag for case 0
/// names no case.
pub fn tagged_case(tag: &Regex, subject: &str) -> Option<CaseNumber> {
    // A tag that names no case (`#0`) does not hide a later one.
    tag.captures_iter(subject).find_map(|c| {
        c.get(1)?
            .as_str()
            .parse::<i64>()
            .ok()
            .and_then(CaseNumber::new)
    })
}

/// The case number in the first id of the form `case-N@domain` (or
/// `case-N.anything@domain`, `case-N-anything@domain`), as carried in the
/// References of the mail we send. Ids may keep or lose their angle brackets.
pub fn case_reference(ids: &[String], domain: &str) -> Option<CaseNumber> {
    let domain = domain.trim().trim_start_matches('@');
    ids.iter().find_map(|id| {
        our_case_id(
            id.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .trim(),
            domain,
        )
    })
}

/// `case-N@domain` or `case-N<sep>anything@domain` (sep one of `.-+_`), any case.
/// Written out by hand: ingest checks every reference of every message.
fn our_case_id(id: &str, domain: &str) -> Option<CaseNumber> {
    let (local, id_domain) = id.rsplit_once('@')?;
    if !id_domain.eq_ignore_ascii_case(domain) {
        return None;
    }
    let rest = local
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("case-"))
        .map(|_| &local[5..])?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (number, tail) = rest.split_at(digits);
    let tail_ok = tail.is_empty()
        || (tail.starts_with(['.', '-', '+', '_']) && !tail.contains(char::is_whitespace));
    if number.is_empty() || !tail_ok {
        return None;
    }
    number.parse::<i64>().ok().and_then(CaseNumber::new)
}

/// `subject` with the `[Prefix #N]` tag in front, unless it already carries
/// that tag. A tag for another case is replaced.
pub fn tag_subject(prefix: &str, n: CaseNumber, subject: &str) -> String {
    let re = tag_regex(prefix);
    if re
        .captures_iter(subject)
        .any(|c| c[1].parse::<i64>().ok() == Some(n.get()))
    {
        return subject.to_string();
    }
    let rest = re.replace_all(subject, "");
    let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    let tag = format!("[{} #{n}]", prefix.trim());
    if rest.is_empty() {
        tag
    } else {
        format!("{tag} {rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_tags() {
        let cases: &[(&str, Option<i64>)] = &[
            ("[Case #12] Broken router", Some(12)),
            ("[case #12] Broken router", Some(12)),
            ("[CASE #12]", Some(12)),
            ("[Case#12] x", Some(12)),
            ("[ Case # 12 ] x", Some(12)),
            ("[Case\u{a0}#12]\tx", Some(12)),
            ("[Case #\u{661}\u{662}] Arabic-Indic digits", None),
            ("Re: AW: [Case #12] Broken router", Some(12)),
            ("RE: Fwd: re: [Case #1042]", Some(1042)),
            ("Broken router [Case #7]", Some(7)),
            ("Case #12 Broken router", None),
            ("[Case 12] Broken router", None),
            ("[Ticket #12] Broken router", None),
            ("[Case #] x", None),
            ("[Case #99999999999999999999999] overflow", None),
            // Found by the property test: a tag naming no case hid the next one.
            ("[case#0][Case #7]", Some(7)),
            ("[Case #0] x", None),
            ("", None),
        ];
        for (subject, want) in cases {
            assert_eq!(
                case_tag(subject, "Case").map(CaseNumber::get),
                *want,
                "subject {subject:?}"
            );
        }
    }

    #[test]
    fn custom_prefix() {
        assert_eq!(
            case_tag("Re: [Ticket #5] x", "Ticket").map(CaseNumber::get),
            Some(5)
        );
        assert_eq!(case_tag("[Case #5] x", "Ticket").map(CaseNumber::get), None);
        assert_eq!(
            case_tag("[Help Desk #9] x", "Help Desk").map(CaseNumber::get),
            Some(9)
        );
        assert_eq!(case_tag("[a.b #9] x", "a.b").map(CaseNumber::get), Some(9));
        assert_eq!(case_tag("[axb #9] x", "a.b").map(CaseNumber::get), None);
        assert_eq!(
            case_tag("SV: [ÄRENDE #3] x", "Ärende").map(CaseNumber::get),
            Some(3)
        );
        assert_eq!(
            case_tag("[ǅemal #8] x", "ǅemal").map(CaseNumber::get),
            Some(8),
            "titlecase letter"
        );
        assert_eq!(
            case_tag("[help\tdesk #4] x", "Help Desk").map(CaseNumber::get),
            Some(4)
        );
    }

    #[test]
    fn case_references() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let cases: &[(&[&str], Option<i64>)] = &[
            (&["case-12@cases.example.com"], Some(12)),
            (&["<case-12@cases.example.com>"], Some(12)),
            (&["CASE-12@Cases.Example.com"], Some(12)),
            (&["case-12.1a2b@cases.example.com"], Some(12)),
            (&["case-12-ack-3@cases.example.com"], Some(12)),
            (&["abc@mail.gmail.com", "case-7@cases.example.com"], Some(7)),
            (&["case-12@other.example.com"], None),
            (&["case-12@cases.example.com.evil.org"], None),
            (&["xcase-12@cases.example.com"], None),
            (&["case-@cases.example.com"], None),
            (&[], None),
        ];
        for (v, want) in cases {
            assert_eq!(
                case_reference(&ids(v), "cases.example.com").map(CaseNumber::get),
                *want,
                "ids {v:?}"
            );
        }
    }

    #[test]
    fn tagging_subjects() {
        let cases: &[(i64, &str, &str)] = &[
            (12, "Broken router", "[Case #12] Broken router"),
            (12, "[Case #12] Broken router", "[Case #12] Broken router"),
            (
                12,
                "Re: [case #12] Broken router",
                "Re: [case #12] Broken router",
            ),
            (12, "[Case #3] Broken router", "[Case #12] Broken router"),
            (12, "", "[Case #12]"),
        ];
        for (n, subject, want) in cases {
            assert_eq!(
                tag_subject("Case", CaseNumber::new(*n).unwrap(), subject),
                *want
            );
        }
    }
}
