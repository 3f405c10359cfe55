//! Threading signals: the `[Case #N]` subject tag and our own
//! `<case-N@domain>` message ids.

use crate::domain::case::CaseNumber;

/// The `[Prefix #N]` subject tag, any case and spacing: `\[ S* prefix S* #
/// S* [0-9]+ S* \]` where `S` is a space, a tab or a no-break space, the
/// prefix's letters match either case (or as written: a titlecase letter
/// such as ǅ is neither form) and a space in the prefix is any run of `S`.
/// The one definition of the tag: ingest and outgoing mail use it too.
///
/// Matched by hand, not by a regex, so that no procmail process compiles
/// one: the pieces are tried in order, a run of spaces longest first, which
/// finds what the leftmost-first regex above finds.
pub struct Tag {
    pieces: Vec<Piece>,
}

/// One piece of a tag's prefix.
enum Piece {
    /// Zero or more spaces, tabs or no-break spaces.
    Spaces,
    /// A letter, as any of its forms.
    Letter(Vec<String>),
}

/// A tag found in a subject: where it is, and its number as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagMatch<'t> {
    pub range: std::ops::Range<usize>,
    pub number: &'t str,
}

fn is_tag_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{A0}')
}

/// The end of every run of spaces that starts at `at`, longest first.
fn space_ends(text: &str, at: usize) -> Vec<usize> {
    let mut ends = vec![at];
    for (i, c) in text[at..].char_indices() {
        if !is_tag_space(c) {
            break;
        }
        ends.push(at + i + c.len_utf8());
    }
    ends.reverse();
    ends
}

/// The forms a prefix letter matches: as written (a titlecase letter such
/// as ǅ is neither of the others), lowercase and uppercase, in order.
fn letter_forms(c: char) -> Vec<String> {
    let mut forms: Vec<String> = vec![
        c.to_string(),
        c.to_lowercase().collect(),
        c.to_uppercase().collect(),
    ];
    forms.sort();
    forms.dedup();
    forms
}

impl Tag {
    pub fn new(prefix: &str) -> Tag {
        let mut pieces = vec![Piece::Spaces];
        for c in prefix.trim().chars() {
            if c.is_whitespace() {
                pieces.push(Piece::Spaces);
                continue;
            }
            pieces.push(Piece::Letter(letter_forms(c)));
        }
        pieces.push(Piece::Spaces);
        Tag { pieces }
    }

    /// Every tag in `text`, left to right, none overlapping.
    pub fn find_iter<'a, 't: 'a>(
        &'a self,
        text: &'t str,
    ) -> impl Iterator<Item = TagMatch<'t>> + 'a {
        let mut from = 0;
        std::iter::from_fn(move || {
            while let Some(i) = text.get(from..)?.find('[') {
                let start = from + i;
                if let Some((end, number)) = self.pieces_from(text, 0, start + 1) {
                    from = end;
                    return Some(TagMatch {
                        range: start..end,
                        number,
                    });
                }
                from = start + 1;
            }
            None
        })
    }

    /// The end and the number of a tag whose pieces from `piece` on start at `at`.
    fn pieces_from<'t>(&self, text: &'t str, piece: usize, at: usize) -> Option<(usize, &'t str)> {
        match self.pieces.get(piece) {
            None => number_and_close(text, at),
            Some(Piece::Spaces) => space_ends(text, at)
                .into_iter()
                .find_map(|end| self.pieces_from(text, piece + 1, end)),
            Some(Piece::Letter(forms)) => forms.iter().find_map(|f| {
                text[at..]
                    .starts_with(f.as_str())
                    .then(|| self.pieces_from(text, piece + 1, at + f.len()))
                    .flatten()
            }),
        }
    }

    /// `subject` with every tag replaced by what `with` gives for it.
    pub fn replace_all(
        &self,
        subject: &str,
        mut with: impl FnMut(&TagMatch<'_>) -> String,
    ) -> String {
        let mut out = String::with_capacity(subject.len());
        let mut last = 0;
        for m in self.find_iter(subject) {
            out.push_str(&subject[last..m.range.start]);
            out.push_str(&with(&m));
            last = m.range.end;
        }
        out.push_str(&subject[last..]);
        out
    }
}

/// Where the run of characters matching `is` that starts at `at` ends.
fn run_end(text: &str, at: usize, is: impl Fn(char) -> bool) -> usize {
    let rest = &text[at..];
    at + (rest.len() - rest.trim_start_matches(is).len())
}

/// `# S* [0-9]+ S* ]` at `at`: the tag's end and its digits.
fn number_and_close(text: &str, at: usize) -> Option<(usize, &str)> {
    text[at..].strip_prefix('#')?;
    let digits_at = run_end(text, at + 1, is_tag_space);
    let digits_end = run_end(text, digits_at, |c| c.is_ascii_digit());
    if digits_end == digits_at {
        return None;
    }
    let close_at = run_end(text, digits_end, is_tag_space);
    text[close_at..]
        .starts_with(']')
        .then_some((close_at + 1, &text[digits_at..digits_end]))
}

/// The case number in a `[Case #N]` subject tag, if any.
///
/// Tolerates case, spacing (`[ Case # 12 ]`, `[Case#12]`) and reply/forward
/// prefixes before the tag. A bare `Case #12` without brackets is not a tag.
pub fn case_tag(subject: &str, prefix: &str) -> Option<CaseNumber> {
    tagged_case(&Tag::new(prefix), subject)
}

/// The case number of the first tag `tag` finds in `subject`, for callers
/// that prepare the tag once. A tag for case 0 names no case.
pub fn tagged_case(tag: &Tag, subject: &str) -> Option<CaseNumber> {
    // A tag that names no case (`#0`) does not hide a later one.
    tag.find_iter(subject)
        .find_map(|m| m.number.parse::<i64>().ok().and_then(CaseNumber::new))
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
    let tag = Tag::new(prefix);
    if tag
        .find_iter(subject)
        .any(|m| m.number.parse::<i64>().ok() == Some(n.get()))
    {
        return subject.to_string();
    }
    let rest = tag.replace_all(subject, |_| String::new());
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

    /// The regex the tag was written as, for the comparison below.
    fn tag_regex(prefix: &str) -> regex::Regex {
        const SPACE: &str = r"(?:[ \t]|\x{A0})*";
        let prefix: String = prefix
            .trim()
            .chars()
            .map(|c| {
                if c.is_whitespace() {
                    SPACE.to_string()
                } else {
                    let forms: Vec<String> =
                        letter_forms(c).iter().map(|f| regex::escape(f)).collect();
                    format!("(?:{})", forms.join("|"))
                }
            })
            .collect();
        regex::Regex::new(&format!(
            r"\[{SPACE}{prefix}{SPACE}#{SPACE}([0-9]+){SPACE}\]"
        ))
        .unwrap()
    }

    /// Subjects near a tag: each part of `[ S* prefix S* # S* N S* ]` as it
    /// should be, missing, doubled or in another case, twice in a row, with
    /// some noise around.
    fn near_tags() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::sample::select;
        use proptest::strategy::Strategy;
        let spaces = || select(vec!["", " ", "\t", "\u{a0}", " \u{a0}\t", "x"]);
        let part = (
            select(vec!["", "Re: ", "[", "]x", "AW: ["]),
            select(vec!["[", "", "[["]),
            spaces(),
            select(vec![
                "Case",
                "case",
                "CASE",
                "Cas",
                "Help Desk",
                "help\tdesk",
                "help desk",
                "ǅemal",
                "ǆEMAL",
                "ß",
                "SS",
                "ss",
                "a.b",
                "axb",
            ]),
            spaces(),
            select(vec!["#", "", "##"]),
            spaces(),
            select(vec!["7", "042", "", "0", "12a", "99999999999999999999999"]),
            spaces(),
            select(vec!["]", "", "]]", " x]"]),
        )
            .prop_map(|(a, b, c, d, e, f, g, h, i, j)| [a, b, c, d, e, f, g, h, i, j].concat());
        proptest::collection::vec(part, 1..3).prop_map(|parts| parts.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The hand-written matcher finds the tags the regex finds, at the
        /// same places, with the same numbers.
        #[test]
        fn the_tag_matcher_finds_what_the_regex_finds(
            subject in near_tags(),
            prefix in proptest::sample::select(vec!["Case", "Help Desk", "ǅemal", "ß", "a.b", "Ss"]),
        ) {
            let re = tag_regex(prefix);
            let want: Vec<(std::ops::Range<usize>, &str)> = re
                .captures_iter(&subject)
                .map(|c| (c.get(0).unwrap().range(), c.get(1).unwrap().as_str()))
                .collect();
            let got: Vec<(std::ops::Range<usize>, &str)> = Tag::new(prefix)
                .find_iter(&subject)
                .map(|m| (m.range, m.number))
                .collect();
            proptest::prop_assert_eq!(got, want);
        }
    }
}
