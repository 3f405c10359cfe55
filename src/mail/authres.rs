//! `Authentication-Results` (RFC 8601): what a receiving host says it
//! checked (DKIM, SPF, DMARC) and with what result.
//!
//! [`parse`] reads one header value; comments `(...)` are skipped (nested,
//! with `\` escapes), quoted strings are values (a `;` or `(` inside one is
//! text), and names are case-insensitive. Which headers to believe is
//! [`super::trust`]'s question.

/// One `Authentication-Results` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthResults {
    /// The host that did the checks, as it names itself (lowercased).
    pub authserv_id: String,
    /// One entry per `method=result`; empty for `none`.
    pub results: Vec<MethodResult>,
}

/// One `method=result` with its reason and properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodResult {
    /// `dkim`, `spf`, `dmarc`... lowercased, without a `/version`.
    pub method: String,
    /// `pass`, `fail`, `none`... lowercased.
    pub result: String,
    pub reason: Option<String>,
    /// `ptype.property` (lowercased) and its value, e.g. `header.d`, `smtp.mailfrom`.
    pub properties: Vec<(String, String)>,
}

impl MethodResult {
    /// The value of property `name` (`header.d`), if given.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `dkim=pass header.d=example.com`, for explanations.
    pub fn describe(&self) -> String {
        let mut s = format!("{}={}", self.method, self.result);
        for (k, v) in &self.properties {
            if matches!(
                k.as_str(),
                "header.d" | "header.i" | "header.from" | "smtp.mailfrom"
            ) {
                s.push_str(&format!(" {k}={v}"));
            }
        }
        s
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Semi,
    Eq,
    Word(String),
    Quoted(String),
}

/// Splits a header value into tokens, dropping whitespace and comments.
fn tokens(value: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ';' => out.push(Token::Semi),
            '=' => out.push(Token::Eq),
            '(' => {
                // A comment, possibly nested; an unclosed one runs to the end.
                let mut depth = 1;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                s.push(e);
                            }
                        }
                        '"' => break,
                        _ => s.push(c),
                    }
                }
                out.push(Token::Quoted(s));
            }
            c if c.is_whitespace() => {}
            _ => {
                let mut s = String::from(c);
                while let Some(&n) = chars.peek() {
                    if n.is_whitespace() || matches!(n, ';' | '=' | '(' | '"') {
                        break;
                    }
                    s.push(n);
                    chars.next();
                }
                out.push(Token::Word(s));
            }
        }
    }
    out
}

/// Reads one `Authentication-Results` value; `None` when it names no
/// authserv-id. A malformed result is skipped, the others are kept.
pub fn parse(value: &str) -> Option<AuthResults> {
    let toks = tokens(value);
    let mut groups = toks.split(|t| *t == Token::Semi);
    let authserv_id = match groups.next()?.first()? {
        Token::Word(w) | Token::Quoted(w) => w.to_lowercase(),
        _ => return None,
    };
    if authserv_id.is_empty() {
        return None;
    }
    let results = groups.filter_map(result_of).collect();
    Some(AuthResults {
        authserv_id,
        results,
    })
}

/// `method[/version] = result [reason=value] [ptype.property=value]...`
fn result_of(group: &[Token]) -> Option<MethodResult> {
    let pairs = pairs(group);
    let mut pairs = pairs.into_iter();
    let (method, result) = pairs.next()?;
    let method = method.split('/').next().unwrap_or("").trim().to_string();
    if method.is_empty() || result.is_empty() {
        return None;
    }
    let mut r = MethodResult {
        method,
        result: result.to_lowercase(),
        reason: None,
        properties: Vec::new(),
    };
    for (k, v) in pairs {
        if k == "reason" {
            r.reason = Some(v);
        } else if k.contains('.') {
            r.properties.push((k, v));
        }
    }
    Some(r)
}

/// `key = value` pairs: the words before an `=` make the key (lowercased,
/// so `header . d` is `header.d`), the one token after it the value (a
/// quoted local part keeps its `@domain`).
fn pairs(group: &[Token]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut key = String::new();
    let mut i = 0;
    while i < group.len() {
        match &group[i] {
            Token::Word(w) | Token::Quoted(w) => key.push_str(w),
            Token::Eq => {
                let mut value = match group.get(i + 1) {
                    Some(Token::Word(w) | Token::Quoted(w)) => {
                        i += 1;
                        w.clone()
                    }
                    _ => String::new(),
                };
                if matches!(group.get(i), Some(Token::Quoted(_))) {
                    if let Some(Token::Word(at)) = group.get(i + 1) {
                        if at.starts_with('@') {
                            value.push_str(at);
                            i += 1;
                        }
                    }
                }
                out.push((std::mem::take(&mut key).to_lowercase(), value));
            }
            Token::Semi => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(value: &str) -> AuthResults {
        parse(value).unwrap_or_else(|| panic!("no authserv-id in {value:?}"))
    }

    #[test]
    fn reads_the_authserv_id_and_each_result() {
        let ar = one(
            "mx.example.com; dkim=pass header.d=example.com header.s=sel; spf=fail smtp.mailfrom=a@example.com; dmarc=none",
        );
        assert_eq!(ar.authserv_id, "mx.example.com");
        let got: Vec<(&str, &str)> = ar
            .results
            .iter()
            .map(|r| (r.method.as_str(), r.result.as_str()))
            .collect();
        assert_eq!(got, [("dkim", "pass"), ("spf", "fail"), ("dmarc", "none")]);
        assert_eq!(ar.results[0].property("header.d"), Some("example.com"));
        assert_eq!(ar.results[0].property("header.s"), Some("sel"));
        assert_eq!(
            ar.results[1].property("smtp.mailfrom"),
            Some("a@example.com")
        );
    }

    #[test]
    fn table() {
        // (header value, authserv-id, [(method, result, property, value)])
        type Want = (&'static str, &'static str, &'static str, &'static str);
        let table: &[(&str, &str, &[Want])] = &[
            ("mx.example.com; none", "mx.example.com", &[]),
            ("MX.Example.COM 1; DKIM=Pass header.D=example.com", "mx.example.com", &[("dkim", "pass", "header.d", "example.com")]),
            // Comments anywhere, nested, with escapes and semicolons inside.
            (
                "mx.example.com (the (inner; one) \\) still comment); dkim=pass (2048-bit key; unprotected) header.d=example.com",
                "mx.example.com",
                &[("dkim", "pass", "header.d", "example.com")],
            ),
            (
                "(leading comment) mx.example.com; spf=pass (mx.example.com: domain of a@example.com designates 192.0.2.1 as permitted sender) smtp.mailfrom=a@example.com",
                "mx.example.com",
                &[("spf", "pass", "smtp.mailfrom", "a@example.com")],
            ),
            // Quoted values may hold `;`, `(` and `=`.
            (
                "mx.example.com; dkim=fail reason=\"bad; sig (x)=y\" header.d=example.com; dmarc=pass header.from=example.com",
                "mx.example.com",
                &[("dkim", "fail", "header.d", "example.com"), ("dmarc", "pass", "header.from", "example.com")],
            ),
            ("\"mx.example.com\"; dkim=pass header.i=\"@example.com\"", "mx.example.com", &[("dkim", "pass", "header.i", "@example.com")]),
            ("mx.example.com; spf=pass smtp.mailfrom=\"john doe\"@example.com", "mx.example.com", &[("spf", "pass", "smtp.mailfrom", "john doe@example.com")]),
            // Spaces around `=`, `/` and `.`, and a method version.
            ("mx.example.com; dkim / 1 = pass header . d = example.com", "mx.example.com", &[("dkim", "pass", "header.d", "example.com")]),
            // A result without a value, or an empty group, is skipped.
            ("mx.example.com; dkim=; ; spf=pass smtp.mailfrom=example.com", "mx.example.com", &[("spf", "pass", "smtp.mailfrom", "example.com")]),
            // An unclosed comment or quote runs to the end without panicking.
            ("mx.example.com; dkim=pass header.d=example.com (oops", "mx.example.com", &[("dkim", "pass", "header.d", "example.com")]),
            ("mx.example.com; dkim=pass header.d=\"example.com", "mx.example.com", &[("dkim", "pass", "header.d", "example.com")]),
        ];
        for (value, id, want) in table {
            let ar = one(value);
            assert_eq!(ar.authserv_id, *id, "{value}");
            assert_eq!(ar.results.len(), want.len(), "{value}: {ar:?}");
            for (r, (method, result, prop, pvalue)) in ar.results.iter().zip(want.iter()) {
                assert_eq!(
                    (r.method.as_str(), r.result.as_str()),
                    (*method, *result),
                    "{value}"
                );
                assert_eq!(r.property(prop), Some(*pvalue), "{value}");
            }
        }
    }

    #[test]
    fn a_value_without_an_authserv_id_is_not_a_header() {
        for value in ["", "   ", "; dkim=pass", "(only a comment)", "=pass"] {
            assert_eq!(parse(value), None, "{value:?}");
        }
    }

    #[test]
    fn describe_names_the_identities() {
        let ar = one("mx; dkim=pass header.d=a.example header.s=s1 header.b=xyz");
        assert_eq!(ar.results[0].describe(), "dkim=pass header.d=a.example");
    }
}
