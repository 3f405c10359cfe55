//! Case category and priority from keyword rules, and the SOP's
//! category → priority mapping.

use regex::Regex;
use serde::{Deserialize, Serialize};

/// The category used when no rule matches.
pub const DEFAULT_CATEGORY: &str = "General Question";
/// The priority of [`DEFAULT_CATEGORY`].
pub const DEFAULT_PRIORITY: &str = "Standard";

/// One keyword rule: if any keyword occurs (as whole words, ignoring case) in
/// the subject or body, the case gets `category`, and `priority` when given,
/// else the SOP priority of the category.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct KeywordRule {
    pub keywords: Vec<String>,
    pub category: String,
    #[serde(default)]
    pub priority: Option<String>,
}

impl KeywordRule {
    fn new(category: &str, keywords: &[&str]) -> Self {
        KeywordRule {
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            category: category.to_string(),
            priority: None,
        }
    }
}

/// The categories of the SOP with their priority.
pub const SOP_CATEGORIES: &[(&str, &str)] = &[
    ("General Question", "Standard"),
    ("CSR Request", "Standard"),
    ("Disconnect out of contract", "Standard"),
    ("New Product Discussion", "Standard"),
    ("Company Address or Name Change", "Standard"),
    ("Equipment Quote", "Expedited"),
    ("Red/At-Risk", "Expedited"),
    ("Disconnect in contract", "Expedited"),
    ("Disconnect with less than 30 days notice", "Expedited"),
    ("New Services Quote", "Expedited"),
];

/// The SOP's own wordings of its categories (its tables say "Disconnecting
/// services in contract" where the category list says "Disconnect in
/// contract"), for `Category:` note commands and `casebook edit`.
pub const SOP_WORDINGS: &[(&str, &str)] = &[
    (
        "Disconnecting services in contract",
        "Disconnect in contract",
    ),
    (
        "Disconnecting services out of contract",
        "Disconnect out of contract",
    ),
    (
        "Disconnecting services less than 30 days notice",
        "Disconnect with less than 30 days notice",
    ),
    (
        "Disconnecting services with less than 30 days notice",
        "Disconnect with less than 30 days notice",
    ),
    ("General Questions", "General Question"),
    ("Red", "Red/At-Risk"),
    ("At-Risk", "Red/At-Risk"),
];

/// Built-in rules, most specific first (first match wins).
pub fn default_rules() -> Vec<KeywordRule> {
    vec![
        KeywordRule::new(
            "Disconnect with less than 30 days notice",
            &[
                "less than 30 days notice",
                "less than 30 days' notice",
                "short notice disconnect",
                "disconnecting services less than 30 days notice",
                "disconnect immediately",
                "cancel immediately",
                "terminate immediately",
                "effective immediately",
                "disconnect this week",
            ],
        ),
        KeywordRule::new(
            "Disconnect in contract",
            &[
                "early termination",
                "termination fee",
                "break the contract",
                "break our contract",
                "cancel before the end of the contract",
                "disconnect in contract",
                "disconnecting services in contract",
                "still under contract",
                "in contract",
            ],
        ),
        KeywordRule::new(
            "Disconnect out of contract",
            &[
                "disconnect",
                "disconnecting",
                "disconnection",
                "out of contract",
                "cancel service",
                "cancel our service",
                "cancel my service",
                "cancel the service",
                "cancellation",
                "terminate service",
                "termination",
                "not renew",
                "non-renewal",
            ],
        ),
        KeywordRule::new(
            "Red/At-Risk",
            &[
                "at risk",
                "at-risk",
                "red account",
                "escalation",
                "escalate",
                "unhappy",
                "dissatisfied",
                "frustrated",
                "complaint",
                "switching provider",
                "switch providers",
                "competitor",
                "legal action",
                "outage",
            ],
        ),
        KeywordRule::new(
            "Equipment Quote",
            &[
                "equipment quote",
                "hardware quote",
                "quote for equipment",
                "router quote",
                "handsets",
                "replacement equipment",
                "equipment pricing",
            ],
        ),
        KeywordRule::new(
            "New Services Quote",
            &[
                "new services quote",
                "service quote",
                "quote",
                "quotation",
                "pricing",
                "proposal",
                "add a new location",
                "new site",
                "upgrade bandwidth",
                "additional lines",
            ],
        ),
        KeywordRule::new(
            "Company Address or Name Change",
            &[
                "address change",
                "change of address",
                "change our address",
                "new address",
                "we have moved",
                "we moved",
                "name change",
                "change of name",
                "company name",
                "rebrand",
                "renamed",
                "billing address",
            ],
        ),
        KeywordRule::new(
            "CSR Request",
            &[
                "csr",
                "customer service record",
                "customer service records",
                "copy of our services",
                "service inventory",
                "list of services",
            ],
        ),
        KeywordRule::new(
            "New Product Discussion",
            &[
                "new product",
                "new products",
                "product demo",
                "demo",
                "roadmap",
                "learn more about",
                "interested in",
            ],
        ),
    ]
}

/// The SOP priority of a category: "Expedited" or "Standard". Matching
/// ignores case and accepts the SOP's own spellings ("General Questions",
/// "Disconnecting services in contract", "Red/Red/-At-Risk"…); unknown
/// categories are "Standard".
pub fn sop_priority(category: &str) -> &'static str {
    let c = category
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let expedited = c.contains("equipment quote")
        || c.contains("new services quote")
        || c.contains("new service quote")
        || c.contains("at-risk")
        || c.contains("at risk")
        || c == "red"
        || (c.contains("disconnect")
            && (c.contains("30 days") || (c.contains("in contract") && !c.contains("out"))));
    if expedited {
        "Expedited"
    } else {
        "Standard"
    }
}

/// Fewer days' notice than this makes a disconnect "less than 30 days
/// notice" (Expedited), whatever the contract says.
pub const DISCONNECT_NOTICE_DAYS: i64 = 30;

/// Days from `sent` to the date a disconnect is asked for, when the text
/// names one the way customers write it: "by November 15th", "on Dec 1",
/// "effective 1 December 2026", "by the 15th of November". Without a year,
/// the first such date on or after `sent`. English month names only.
pub fn disconnect_notice_days(text: &str, sent: chrono::NaiveDate) -> Option<i64> {
    use chrono::{Datelike, NaiveDate};
    use std::sync::OnceLock;
    const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?i)\b(?:by|on|effective|as of|before|from)\s+(?:the\s+)?(?:(?P<m1>{MONTHS})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{MONTHS})\.?)(?:,?\s+(?P<y>\d{{4}}))?\b"
        ))
        .expect("valid regex")
    });
    let month_of = |m: &str| -> Option<u32> {
        let m = m.to_ascii_lowercase();
        [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ]
        .iter()
        .position(|p| m.starts_with(p))
        .map(|i| i as u32 + 1)
    };
    re.captures_iter(text).find_map(|c| {
        let month = month_of(c.name("m1").or(c.name("m2"))?.as_str())?;
        let day: u32 = c.name("d1").or(c.name("d2"))?.as_str().parse().ok()?;
        let date = match c.name("y") {
            Some(y) => NaiveDate::from_ymd_opt(y.as_str().parse().ok()?, month, day)?,
            None => {
                let this = NaiveDate::from_ymd_opt(sent.year(), month, day)?;
                if this >= sent {
                    this
                } else {
                    NaiveDate::from_ymd_opt(sent.year() + 1, month, day)?
                }
            }
        };
        Some((date - sent).num_days())
    })
}

fn keyword_regex(keyword: &str) -> Option<Regex> {
    let words: Vec<String> = keyword.split_whitespace().map(regex::escape).collect();
    if words.is_empty() {
        return None;
    }
    Regex::new(&format!(
        r"(?i)(?:^|[^\w]){}(?:[^\w]|$)",
        words.join(r"\s+")
    ))
    .ok()
}

/// Category and priority for a message: the first rule with a keyword in the
/// subject or body wins; else General Question / Standard. A rule's explicit
/// priority overrides the SOP mapping.
pub fn classify(rules: &[KeywordRule], subject: &str, body: &str) -> (String, String) {
    for rule in rules {
        let hit = rule
            .keywords
            .iter()
            .filter_map(|k| keyword_regex(k))
            .any(|re| re.is_match(subject) || re.is_match(body));
        if hit {
            let priority = match &rule.priority {
                Some(p) if !p.trim().is_empty() => p.trim().to_string(),
                _ => sop_priority(&rule.category).to_string(),
            };
            return (rule.category.clone(), priority);
        }
    }
    (DEFAULT_CATEGORY.to_string(), DEFAULT_PRIORITY.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sop_priorities() {
        for (category, priority) in SOP_CATEGORIES {
            assert_eq!(sop_priority(category), *priority, "{category}");
            assert_eq!(sop_priority(&category.to_uppercase()), *priority);
        }
        let extra: &[(&str, &str)] = &[
            ("General Questions", "Standard"),
            ("Disconnecting services out of contract", "Standard"),
            ("Disconnecting services in contract", "Expedited"),
            (
                "Disconnecting services less than 30 days notice",
                "Expedited",
            ),
            ("Red/Red/-At-Risk", "Expedited"),
            ("Something else", "Standard"),
            ("", "Standard"),
        ];
        for (category, priority) in extra {
            assert_eq!(sop_priority(category), *priority, "{category}");
        }
    }

    #[test]
    fn disconnect_dates_in_the_text() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let nov2 = d("2026-11-02");
        let table: &[(&str, Option<i64>)] = &[
            ("please disconnect all lines by November 15th", Some(13)),
            ("Disconnect effective Dec 1", Some(29)),
            ("disconnect on December 3", Some(31)),
            ("Cancel the service by the 2nd of December", Some(30)),
            ("disconnect on 1 December 2026.", Some(29)),
            // Already past this year: next year's.
            ("disconnect by October 1", Some(333)),
            ("disconnect by Feb 30", None),
            ("our contract from 2019 ends soon", None),
            ("please disconnect the fax line", None),
        ];
        for (text, days) in table {
            assert_eq!(disconnect_notice_days(text, nov2), *days, "{text}");
        }
    }

    #[test]
    fn sop_wordings_name_sop_categories() {
        for (wording, category) in SOP_WORDINGS {
            assert!(
                SOP_CATEGORIES.iter().any(|(c, _)| c == category),
                "{wording} -> {category}"
            );
            assert_eq!(sop_priority(wording), sop_priority(category), "{wording}");
        }
    }

    #[test]
    fn default_rules_use_sop_categories() {
        for rule in default_rules() {
            assert!(
                SOP_CATEGORIES.iter().any(|(c, _)| *c == rule.category),
                "{}",
                rule.category
            );
        }
    }

    #[test]
    fn classify_table() {
        let rules = default_rules();
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "Question about my bill",
                "Hi, how do I read it?",
                "General Question",
                "Standard",
            ),
            (
                "Need a quote",
                "for 20 handsets",
                "Equipment Quote",
                "Expedited",
            ),
            (
                "Pricing for fibre at our new site",
                "",
                "New Services Quote",
                "Expedited",
            ),
            ("Please send our CSR", "", "CSR Request", "Standard"),
            // The SOP's own wordings of the disconnect categories.
            (
                "Disconnecting services in contract",
                "",
                "Disconnect in contract",
                "Expedited",
            ),
            (
                "Disconnecting services out of contract",
                "",
                "Disconnect out of contract",
                "Standard",
            ),
            (
                "Disconnecting services less than 30 days notice",
                "",
                "Disconnect with less than 30 days notice",
                "Expedited",
            ),
            (
                "Lines",
                "We are out of contract and would like to stop the fax line.",
                "Disconnect out of contract",
                "Standard",
            ),
            (
                "We have moved",
                "new address below",
                "Company Address or Name Change",
                "Standard",
            ),
            (
                "Cancel",
                "We want to disconnect our lines",
                "Disconnect out of contract",
                "Standard",
            ),
            (
                "Cancel",
                "Please disconnect effective immediately",
                "Disconnect with less than 30 days notice",
                "Expedited",
            ),
            (
                "Early termination",
                "what is the termination fee to disconnect",
                "Disconnect in contract",
                "Expedited",
            ),
            (
                "Very unhappy",
                "third outage this month",
                "Red/At-Risk",
                "Expedited",
            ),
            (
                "Demo of the new product",
                "",
                "New Product Discussion",
                "Standard",
            ),
            // Word boundaries: "csr" inside another word is not a hit.
            ("Update from Tcsrx", "", "General Question", "Standard"),
            ("DISCONNECT", "", "Disconnect out of contract", "Standard"),
        ];
        for (subject, body, category, priority) in cases {
            let (c, p) = classify(&rules, subject, body);
            assert_eq!(
                (c.as_str(), p.as_str()),
                (*category, *priority),
                "{subject:?} / {body:?}"
            );
        }
    }

    #[test]
    fn first_match_wins_and_explicit_priority_overrides() {
        let rules = vec![
            KeywordRule {
                keywords: vec!["router".into()],
                category: "Equipment Quote".into(),
                priority: Some("Standard".into()),
            },
            KeywordRule {
                keywords: vec!["router".into(), "modem".into()],
                category: "Red/At-Risk".into(),
                priority: None,
            },
        ];
        assert_eq!(
            classify(&rules, "New router", ""),
            ("Equipment Quote".into(), "Standard".into())
        );
        assert_eq!(
            classify(&rules, "", "the Modem died"),
            ("Red/At-Risk".into(), "Expedited".into())
        );
        assert_eq!(
            classify(&[], "anything", "at all"),
            ("General Question".into(), "Standard".into())
        );
        assert_eq!(
            classify(&rules, "routers", ""),
            ("General Question".into(), "Standard".into())
        );
    }

    #[test]
    fn multi_word_keywords_span_whitespace() {
        let rules = vec![KeywordRule::new(
            "CSR Request",
            &["customer service record"],
        )];
        assert_eq!(
            classify(&rules, "", "send the customer\n service   record please").0,
            "CSR Request"
        );
    }

    #[test]
    fn rules_deserialize_from_toml() {
        let t = r#"
            [[rule]]
            keywords = ["outage"]
            category = "Red/At-Risk"
            [[rule]]
            keywords = ["quote"]
            category = "New Services Quote"
            priority = "Standard"
        "#;
        #[derive(Deserialize)]
        struct F {
            rule: Vec<KeywordRule>,
        }
        let f: F = toml::from_str(t).unwrap();
        assert_eq!(f.rule[0].priority, None);
        assert_eq!(f.rule[1].priority.as_deref(), Some("Standard"));
    }
}
