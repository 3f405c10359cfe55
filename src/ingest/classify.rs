//! Category and priority of a new case from the configured keyword rules,
//! with the rule that decided (for `--explain`).

use std::borrow::Cow;

use crate::domain::category::{self, KeywordRule, DEFAULT_CATEGORY, DEFAULT_PRIORITY};

/// Keyword rules prepared once per run. Matching is over lowercased,
/// whitespace-collapsed text with word-boundary checks: the same answer as
/// `category::classify` (`(?i)(?:^|\W)kw(?:\W|$)`, `\s+` between words)
/// without compiling a regex per keyword in every process. A mail of a few
/// kilobytes is searched keyword by keyword (stopping at the first rule
/// that hits); a long one, or every one of a batch, in one Aho-Corasick
/// pass, whose automaton costs more to build than one short mail costs to
/// search, but is built once for the whole batch.
pub struct Classifier<'a> {
    /// The config's rules, borrowed: a delivery builds one classifier.
    rules: &'a [KeywordRule],
    /// Every folded keyword of every rule, in rule order then keyword order
    /// (borrowed when the keyword is folded as written, as most are).
    patterns: Vec<Cow<'a, str>>,
    /// For each keyword pattern: its rule and that rule's keyword number.
    owners: Vec<(usize, usize)>,
    /// Built on first use for a long text, or for the first of a batch.
    automaton: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
    /// Many messages are to come (`ingest --mbox`/`--maildir`): the
    /// automaton pays for itself, so every text is searched with it.
    batch: bool,
}

/// Above this many bytes searched in all (text length times keywords), one
/// automaton pass is cheaper than a search per keyword.
const SEARCH_PER_KEYWORD_UP_TO: usize = 4 << 20;

/// How category and priority were chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    pub category: String,
    pub priority: String,
    /// `keyword rule N ("…")` or `default`.
    pub why: String,
}

/// Whether `s` is printable ASCII words with single spaces between them
/// (no leading or doubled space, no tab or line break): text that folding
/// only lowercases.
fn single_spaced_ascii(s: &str) -> bool {
    let mut previous = b' ';
    s.bytes().all(|b| {
        let ok = b.is_ascii_graphic() || (b == b' ' && previous != b' ');
        previous = b;
        ok
    })
}

/// Lowercase, with every run of whitespace as one space.
fn fold_text(s: &str) -> String {
    // Most keywords and many subjects, lowercased in one go.
    if single_spaced_ascii(s) {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        // ASCII without the general Unicode tables (the same answers: ASCII's
        // whitespace is tab to carriage return and space): they cost a delivery
        // most of the 0.14 M instructions of folding its keywords and text.
        let white = if c.is_ascii() {
            matches!(c, '\t'..='\r' | ' ')
        } else {
            c.is_whitespace()
        };
        if white {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    if space && !out.is_empty() {
        out.push(' ');
    }
    out
}

/// A keyword folded as [`fold_text`] folds text, without a copy when it is
/// already: lowercase ASCII words with single spaces between them.
fn fold_keyword(k: &str) -> Cow<'_, str> {
    if single_spaced_ascii(k) && !k.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(k)
    } else {
        Cow::Owned(fold_text(k))
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `text[start..end]` has no word character on either side.
fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word) && !after.is_some_and(is_word)
}

/// Whether `pattern` occurs in `text` on word boundaries, at any of its
/// occurrences (overlapping ones too: in `xa-a-a`, `a-a` stands alone at 3).
///
/// Compared byte by byte from each occurrence of the pattern's first byte:
/// `str::find` prepares a two-way searcher per call, which for a short mail
/// and a few dozen keywords cost more than the search. (The classifier only
/// comes here while text length times keywords is small; see
/// [`SEARCH_PER_KEYWORD_UP_TO`].) A match starts on a character boundary,
/// as the pattern's first byte starts a character.
fn has_word(text: &str, pattern: &str) -> bool {
    let (haystack, needle) = (text.as_bytes(), pattern.as_bytes());
    let Some(&first) = needle.first() else {
        return false; // never asked: empty keywords are left out
    };
    let Some(last_start) = haystack.len().checked_sub(needle.len()) else {
        return false;
    };
    (0..=last_start).any(|start| {
        haystack[start] == first
            && haystack[start..].starts_with(needle)
            && on_word_boundaries(text, start, start + needle.len())
    })
}

impl<'a> Classifier<'a> {
    pub fn new(rules: &'a [KeywordRule]) -> Classifier<'a> {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            for (k, keyword) in r.keywords.iter().enumerate() {
                let folded = fold_keyword(keyword.trim());
                if !folded.is_empty() {
                    patterns.push(folded);
                    owners.push((i, k));
                }
            }
        }
        Classifier {
            rules,
            patterns,
            owners,
            automaton: std::sync::OnceLock::new(),
            batch: false,
        }
    }

    /// Classifies the messages of a batch: each in one automaton pass. A
    /// search per keyword is O(text x keywords): at 100 keywords and a
    /// 2 KB mail it held a bulk import to a third of the floor's rate.
    pub fn for_a_batch(mut self) -> Classifier<'a> {
        self.batch = true;
        self
    }

    /// For one long mail a contiguous NFA, which builds in a fraction of a
    /// DFA's time and still scans in one pass; for a batch a DFA, built once
    /// and about twice as quick to scan.
    fn automaton(&self) -> Option<&aho_corasick::AhoCorasick> {
        use aho_corasick::AhoCorasickKind::{ContiguousNFA, DFA};
        self.automaton
            .get_or_init(|| {
                aho_corasick::AhoCorasick::builder()
                    .kind(Some(if self.batch { DFA } else { ContiguousNFA }))
                    .build(self.patterns.iter().map(|p| p.as_bytes()))
                    .ok()
            })
            .as_ref()
    }

    /// The lowest keyword number with a match on word boundaries in
    /// `texts`, searched keyword by keyword.
    fn first_by_keyword(&self, texts: &[String]) -> Option<usize> {
        self.patterns
            .iter()
            .position(|p| texts.iter().any(|t| has_word(t, p)))
    }

    /// The same, in one automaton pass over each text.
    fn first_by_automaton(ac: &aho_corasick::AhoCorasick, texts: &[String]) -> Option<usize> {
        let mut best: Option<usize> = None;
        for text in texts {
            for m in ac.find_overlapping_iter(text.as_str()) {
                let pid = m.pattern().as_usize();
                if best.is_some_and(|b| b <= pid) {
                    continue;
                }
                if on_word_boundaries(text, m.start(), m.end()) {
                    best = Some(pid);
                }
            }
        }
        best
    }

    pub fn classify(&self, subject: &str, body: &str) -> Classified {
        let texts = [fold_text(subject), fold_text(body)];
        let searched = texts.iter().map(String::len).sum::<usize>() * self.patterns.len();
        // The first rule with a hit wins, and within it the first keyword:
        // the lowest pattern number with a match on word boundaries.
        let best = if searched <= SEARCH_PER_KEYWORD_UP_TO && !self.batch {
            self.first_by_keyword(&texts)
        } else if let Some(ac) = self.automaton() {
            Self::first_by_automaton(ac, &texts)
        } else {
            let (category, priority) = category::classify(self.rules, subject, body);
            return Classified {
                category,
                priority,
                why: "keyword rules".into(),
            };
        };
        let Some(pid) = best else {
            return Classified {
                category: DEFAULT_CATEGORY.into(),
                priority: DEFAULT_PRIORITY.into(),
                why: "default: no keyword rule matched".into(),
            };
        };
        let (i, k) = self.owners[pid];
        let rule = &self.rules[i];
        let keyword = &rule.keywords[k];
        let (priority, from) = match &rule.priority {
            Some(pr) if !pr.trim().is_empty() => (pr.trim().to_string(), "the rule"),
            _ => (
                category::sop_priority(&rule.category).to_string(),
                "the SOP for the category",
            ),
        };
        Classified {
            category: rule.category.clone(),
            priority,
            why: format!(
                "keyword rule {} (\"{keyword}\"), priority from {from}",
                i + 1
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folding as written before its ASCII shortcut.
    fn fold_text_unicode(s: &str) -> String {
        let mut out = String::new();
        let mut space = false;
        for c in s.chars() {
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        out
    }

    #[test]
    fn ascii_shortcut_folds_as_unicode_does() {
        for b in 0..=127u8 {
            let c = char::from(b);
            assert_eq!(c.is_whitespace(), matches!(c, '\t'..='\r' | ' '), "{b}");
        }
        for s in [
            "",
            " Quote  FOR\tphones\r\n",
            "\u{b}\u{c}x\u{85}Y\u{a0}Z\u{3000}",
            "İSTANBUL Straße ΣΑΣ ǅ",
            "PORT-IN request\n\n",
            "Less Than 30 Days Notice",
            "trailing ",
            " leading",
            "two  spaces",
        ] {
            assert_eq!(fold_text(s), fold_text_unicode(s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn fold_text_matches_the_unicode_folding(s in "\\PC*") {
            proptest::prop_assert_eq!(fold_text(&s), fold_text_unicode(&s));
        }

        /// Keyword-like text, where the plain-ASCII shortcuts apply.
        #[test]
        fn fold_text_of_ascii_words_matches_the_unicode_folding(s in "[ -~\t]{0,24}") {
            proptest::prop_assert_eq!(fold_text(&s), fold_text_unicode(&s));
            proptest::prop_assert_eq!(fold_keyword(&s).into_owned(), fold_text_unicode(&s));
        }
    }

    #[test]
    fn classifier_agrees_with_category_classify() {
        let rules = category::default_rules();
        let c = Classifier::new(&rules);
        let cases = [
            ("Quote for phones", ""),
            ("Hello", "we need to cancel with less than 30 days notice"),
            ("Name change", "our company name changed"),
            ("question", "how do I reset voicemail?"),
            ("", "We are still under contract but want to disconnect"),
            ("Re: CSR", "please send the customer service record"),
            ("outage again", "third outage; we may switch providers"),
            ("", "Cancel\n   IMMEDIATELY please"),
            ("", "a discsr or csr_x or café-csr"),
            ("", "Schöne Grüße, CSR."),
            ("", "non-renewal notice"),
            ("", ""),
        ];
        for (s, b) in cases {
            let want = category::classify(&rules, s, b);
            let got = c.classify(s, b);
            assert_eq!((got.category, got.priority), want, "{s:?} / {b:?}");
        }
    }

    /// Two rules whose keywords overlap and contain punctuation and spaces.
    fn two_rules() -> Vec<KeywordRule> {
        vec![
            KeywordRule {
                keywords: vec!["a-a".into(), "csr".into()],
                ..category::default_rules()[0].clone()
            },
            KeywordRule {
                keywords: vec!["cancel".into(), "name change".into()],
                ..category::default_rules()[1].clone()
            },
        ]
    }

    /// The search per keyword and the automaton find the same first keyword,
    /// overlapping occurrences included.
    #[test]
    fn both_ways_of_searching_agree() {
        let rules = two_rules();
        let c = Classifier::new(&rules);
        let table = [
            ("xa-a-a", Some(0)),
            ("xa-a", None),
            ("please cancel the csr", Some(1)),
            ("a name   change, then cancel", Some(2)),
            ("a name   change", Some(3)),
            ("cancelled", None),
            ("", None),
        ];
        for (text, want) in table {
            let texts = [String::new(), fold_text(text)];
            assert_eq!(c.first_by_keyword(&texts), want, "per keyword: {text:?}");
            let ac = c.automaton().unwrap();
            assert_eq!(
                Classifier::first_by_automaton(ac, &texts),
                want,
                "automaton: {text:?}"
            );
        }
    }

    /// A batch's classifier searches a short mail with its automaton (built
    /// once, for the first) and decides as a delivery's does.
    #[test]
    fn a_batch_classifies_as_one_delivery_does() {
        let rules = category::default_rules();
        let one = Classifier::new(&rules);
        let batch = Classifier::new(&rules).for_a_batch();
        for (subject, body) in [
            ("Please cancel our service", "We are moving."),
            ("Quote", "We need a quote for twelve more handsets."),
            ("Hello", "Nothing to see here."),
        ] {
            assert_eq!(
                batch.classify(subject, body),
                one.classify(subject, body),
                "{subject:?}"
            );
        }
        assert!(
            batch.automaton.get().is_some(),
            "the batch used its automaton"
        );
        assert!(
            one.automaton.get().is_none(),
            "a short mail alone is searched per keyword"
        );
    }

    proptest::proptest! {
        /// The byte-by-byte search per keyword finds what the regex rules
        /// find, on text made of the keywords' own pieces, punctuation,
        /// spaces and non-ASCII letters.
        #[test]
        fn the_search_per_keyword_agrees_with_the_regex_rules(
            words in proptest::collection::vec(
                "(csr|cancel|name|change|a-a|a|-|_| |  |\\n|é|ß|x)", 0..12)
        ) {
            let rules = two_rules();
            let body = words.concat();
            let c = Classifier::new(&rules);
            let got = c.classify("", &body);
            proptest::prop_assert_eq!(
                (got.category, got.priority),
                category::classify(&rules, "", &body)
            );
        }
    }
}
