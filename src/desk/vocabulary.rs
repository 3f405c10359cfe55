//! The desk's words for a case's category and type: the SOP's categories
//! and the config's rules and types, matched the way people type them (case
//! and spacing ignored) and given back in their canonical spelling. Ingest's
//! note commands and `casebook edit` both read them here.

use crate::config::Config;
use crate::domain::category;

fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A `Category:` value as one of the SOP's categories or a rule's, canonically spelled.
pub fn known_category(cfg: &Config, value: &str) -> Option<String> {
    let want = fold(value);
    if let Some((_, c)) = category::SOP_WORDINGS.iter().find(|(w, _)| fold(w) == want) {
        return Some(c.to_string());
    }
    category::SOP_CATEGORIES
        .iter()
        .map(|(c, _)| c.to_string())
        .chain(cfg.rules.0.iter().map(|r| r.category.clone()))
        .find(|c| fold(c) == want)
}

pub fn type_choices(cfg: &Config) -> Vec<String> {
    let mut t = cfg.desk.case_types.clone();
    if !t
        .iter()
        .any(|x| fold(x) == fold(&cfg.integration.case_type))
    {
        t.push(cfg.integration.case_type.clone());
    }
    t
}

pub fn known_type(cfg: &Config, value: &str) -> Option<String> {
    type_choices(cfg)
        .into_iter()
        .find(|t| fold(t) == fold(value))
}
