//! Category and priority of a new case from the configured keyword rules,
//! with the rule that decided (for `--explain`).

use crate::domain::category::{self, KeywordRule, DEFAULT_CATEGORY, DEFAULT_PRIORITY};

/// Keyword rules prepared once per run. Matching is over lowercased,
/// whitespace-collapsed text with word-boundary checks: the same answer as
/// `category::classify` (`(?i)(?:^|\W)kw(?:\W|$)`, `\s+` between words)
/// without compiling a regex per keyword in every process. A mail of a few
/// kilobytes is searched keyword by keyword (stopping at the first rule
/// that hits); a long one in one Aho-Corasick pass, whose automaton costs
/// more to build than a short mail costs to search.
pub struct Classifier {
    rules: Vec<KeywordRule>,
    /// Every folded keyword of every rule, in rule order then keyword order.
    patterns: Vec<String>,
    /// For each keyword pattern: its rule and the keyword as written.
    owners: Vec<(usize, String)>,
    /// Built on first use for a long text.
    automaton: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
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

/// Lowercase, with every run of whitespace as one space.
fn fold_text(s: &str) -> String {
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
fn has_word(text: &str, pattern: &str) -> bool {
    let step = pattern.chars().next().map_or(1, char::len_utf8);
    let mut from = 0;
    while let Some(i) = text[from..].find(pattern) {
        let start = from + i;
        if on_word_boundaries(text, start, start + pattern.len()) {
            return true;
        }
        from = start + step;
    }
    false
}

impl Classifier {
    pub fn new(rules: &[KeywordRule]) -> Classifier {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            for k in &r.keywords {
                let folded = fold_text(k.trim());
                if !folded.is_empty() {
                    patterns.push(folded);
                    owners.push((i, k.clone()));
                }
            }
        }
        Classifier {
            rules: rules.to_vec(),
            patterns,
            owners,
            automaton: std::sync::OnceLock::new(),
        }
    }

    /// A contiguous NFA builds in a fraction of a DFA's time and still
    /// scans in one pass.
    fn automaton(&self) -> Option<&aho_corasick::AhoCorasick> {
        self.automaton
            .get_or_init(|| {
                aho_corasick::AhoCorasick::builder()
                    .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                    .build(&self.patterns)
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
        let best = if searched <= SEARCH_PER_KEYWORD_UP_TO {
            self.first_by_keyword(&texts)
        } else if let Some(ac) = self.automaton() {
            Self::first_by_automaton(ac, &texts)
        } else {
            let (category, priority) = category::classify(&self.rules, subject, body);
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
        let (i, keyword) = &self.owners[pid];
        let rule = &self.rules[*i];
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
        ] {
            assert_eq!(fold_text(s), fold_text_unicode(s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn fold_text_matches_the_unicode_folding(s in "\\PC*") {
            proptest::prop_assert_eq!(fold_text(&s), fold_text_unicode(&s));
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

    /// The search per keyword and the automaton find the same first keyword,
    /// overlapping occurrences included.
    #[test]
    fn both_ways_of_searching_agree() {
        let rules = vec![
            KeywordRule {
                keywords: vec!["a-a".into(), "csr".into()],
                ..category::default_rules()[0].clone()
            },
            KeywordRule {
                keywords: vec!["cancel".into(), "name change".into()],
                ..category::default_rules()[1].clone()
            },
        ];
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
}
