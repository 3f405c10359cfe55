//! Category and priority of a new case from the configured keyword rules,
//! with the rule that decided (for `--explain`).

use crate::domain::category::{self, KeywordRule, DEFAULT_CATEGORY, DEFAULT_PRIORITY};

/// Keyword rules prepared once per run. Matching is one Aho-Corasick pass over
/// lowercased, whitespace-collapsed text with word-boundary checks: the same
/// answer as `category::classify` (`(?i)(?:^|\W)kw(?:\W|$)`, `\s+` between
/// words) without compiling a regex per keyword in every process.
pub struct Classifier {
    rules: Vec<KeywordRule>,
    /// Every folded keyword of every rule, in rule order then keyword order.
    keywords: Option<aho_corasick::AhoCorasick>,
    /// For each keyword pattern: its rule and the keyword as written.
    owners: Vec<(usize, String)>,
}

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

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `text[start..end]` has no word character on either side.
fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word) && !after.is_some_and(is_word)
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
            // A contiguous NFA builds in microseconds (a DFA costs ~1 ms in
            // every procmail process) and still scans in one pass.
            keywords: aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .build(&patterns)
                .ok(),
            owners,
        }
    }

    pub fn classify(&self, subject: &str, body: &str) -> Classified {
        let Some(ac) = &self.keywords else {
            let (category, priority) = category::classify(&self.rules, subject, body);
            return Classified {
                category,
                priority,
                why: "keyword rules".into(),
            };
        };
        // The first rule with a hit wins, and within it the first keyword:
        // the lowest pattern number with a match on word boundaries.
        let mut best: Option<usize> = None;
        for text in [fold_text(subject), fold_text(body)] {
            for m in ac.find_overlapping_iter(&text) {
                let pid = m.pattern().as_usize();
                if best.is_some_and(|b| b <= pid) {
                    continue;
                }
                if on_word_boundaries(&text, m.start(), m.end()) {
                    best = Some(pid);
                }
            }
        }
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
}
