//! Email addresses: the mailbox type every mail module shares, read from a
//! parsed header or, loosely, from the text forwarding clients print.

use std::sync::OnceLock;

use mail_parser::Addr;
use regex::Regex;
use serde::Serialize;

/// A mailbox: display name and lowercased address.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Address {
    pub name: Option<String>,
    /// Lowercased.
    pub email: String,
}

/// A parsed header mailbox as an [`Address`]; `None` without an address.
pub(crate) fn convert_address(a: &Addr<'_>) -> Option<Address> {
    let email = a.address.as_deref()?.trim().to_lowercase();
    if email.is_empty() {
        return None;
    }
    let name = a
        .name
        .as_deref()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(&email));
    Some(Address { name, email })
}

fn email_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // A domain without a dot (`jane@localhost`, an intranet host) is a real
    // address in a forward block just as in a header.
    RE.get_or_init(|| {
        Regex::new(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*")
            .expect("valid regex")
    })
}

/// Every email address written in `text`, lowercased, in order.
pub(crate) fn addresses_in(text: &str) -> Vec<String> {
    email_re()
        .find_iter(text)
        .map(|m| {
            m.as_str()
                .trim_start_matches("mailto:")
                .trim_end_matches('.')
                .to_lowercase()
        })
        .filter(|e| !e.starts_with('@'))
        .collect()
}

/// Read a `From:` value as forwarding clients print it: `Jane Doe
/// <jane@x.com>`, `"Doe, Jane" <jane@x.com>`, `Doe, Jane <jane@x.com>`,
/// `jane@x.com`, `Jane Doe [mailto:jane@x.com]`, `Jane Doe
/// <mailto:jane@x.com>`, `Jane Doe (jane@x.com)`, an encoded-word name, and
/// lists whose first entries are empty (`"Acme" <>, Jane <jane@x.com>`: the
/// first real address). `None` when there is no email address.
pub fn parse_address_loose(value: &str) -> Option<Address> {
    let v = value.trim().trim_matches('*').trim();
    let m = email_re()
        .find_iter(v)
        .find(|m| m.as_str().split('@').next().is_some_and(|l| l != "mailto:"))?;
    let email = m
        .as_str()
        .trim_start_matches("mailto:")
        .trim_end_matches('.')
        .to_lowercase();
    let cut = v[..m.start()]
        .rfind(['<', '['])
        .or_else(|| v[..m.start()].rfind('('))
        .unwrap_or(m.start());
    // The name starts after an earlier, empty entry of a list (`… <>,`).
    let mut head = &v[..cut];
    if let Some(end) = head.rfind(['>', ']']) {
        head = head[end + 1..].trim_start().trim_start_matches([',', ';']);
    }
    let name = head
        .trim()
        .trim_end_matches([',', ';'])
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '*')
        .trim();
    let name = decode_words(name);
    let name = (!name.is_empty() && !name.eq_ignore_ascii_case(&email)).then_some(name);
    Some(Address { name, email })
}

/// A display name with RFC 2047 encoded words (`=?UTF-8?B?…?=`) decoded,
/// by the same parser the headers go through.
fn decode_words(name: &str) -> String {
    if !name.contains("=?") {
        return name.to_string();
    }
    let raw = format!("Subject: {name}\n\n");
    mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .and_then(|m| m.subject().map(|s| s.trim().to_string()))
        .unwrap_or_else(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        let cases: &[(&str, Option<&str>, &str)] = &[
            ("Jane Doe <jane@x.com>", Some("Jane Doe"), "jane@x.com"),
            (
                "\"Doe, Jane\" <Jane@X.com>",
                Some("Doe, Jane"),
                "jane@x.com",
            ),
            ("jane@x.com", None, "jane@x.com"),
            ("<jane@x.com>", None, "jane@x.com"),
            (
                "Jane Doe [mailto:jane@x.com]",
                Some("Jane Doe"),
                "jane@x.com",
            ),
            (
                "Jane Doe <mailto:jane@x.com>",
                Some("Jane Doe"),
                "jane@x.com",
            ),
            ("Jane Doe (jane@x.com)", Some("Jane Doe"), "jane@x.com"),
            ("*Jane Doe* <jane@x.com>", Some("Jane Doe"), "jane@x.com"),
            (
                "Jane Doe <jane@x.com <mailto:jane@x.com>>",
                Some("Jane Doe"),
                "jane@x.com",
            ),
            ("jane@x.com <jane@x.com>", None, "jane@x.com"),
            (
                "Jane Doe <jane@intranet>",
                Some("Jane Doe"),
                "jane@intranet",
            ),
            ("Doe, Jane <jane@x.com>", Some("Doe, Jane"), "jane@x.com"),
            (
                "\"Acme\" <>, LTD <ly@example.com>",
                Some("LTD"),
                "ly@example.com",
            ),
            ("<>, Jane Doe <jane@x.com>", Some("Jane Doe"), "jane@x.com"),
            (
                "=?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <jm@x.de>",
                Some("Jörg Müller"),
                "jm@x.de",
            ),
            (
                "Jane Doe <mailto:jane@x.com>, Bob <bob@x.com>",
                Some("Jane Doe"),
                "jane@x.com",
            ),
        ];
        for (input, name, email) in cases {
            let a = parse_address_loose(input).unwrap_or_else(|| panic!("{input}"));
            assert_eq!(a.name.as_deref(), *name, "{input}");
            assert_eq!(a.email, *email, "{input}");
        }
        assert!(parse_address_loose("Jane Doe").is_none());
    }
}
