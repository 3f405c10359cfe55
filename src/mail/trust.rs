//! Whether mail from a staff address really comes from that person's domain
//! (design.md, "Trust"): a From header proves nothing; the desk's own MTA
//! vouches for it in an `Authentication-Results` header (RFC 8601).
//!
//! Only the MTA's own headers count: those carrying its authserv-id, in the
//! first run of them from the top of the message (an MTA prepends its
//! header, RFC 8601 §5), ending at the next `Received` below them or at the
//! message's own fields (`From`, `Subject`...). A header claiming the id
//! lower down came with the message and is ignored. The MTA itself must
//! remove such headers from incoming mail (RFC 8601 §5); this is the second
//! line of defence, not the first.

use super::authres::{self, AuthResults, MethodResult};

/// How the desk decides that staff mail is staff mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy<'a> {
    /// Believe `Authentication-Results` headers from the MTA with this
    /// authserv-id (empty: none configured, so nothing is verified).
    AuthResults { authserv_id: &'a str },
    /// The desk opted out (its MTA cannot authenticate): the From header is
    /// believed. Unsafe: anyone can write a staff address.
    TrustFromHeader,
}

/// The trust decision for mail from a staff address, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The MTA vouches for the sender's domain.
    Verified(String),
    /// Nothing vouches for it: the mail is a stranger's.
    Unverified(String),
    /// Not checked: the desk believes From headers (unsafe).
    Believed(String),
}

impl Verdict {
    /// Whether the mail may act as staff.
    pub fn is_staff(&self) -> bool {
        !matches!(self, Verdict::Unverified(_))
    }

    pub fn reason(&self) -> &str {
        match self {
            Verdict::Verified(r) | Verdict::Unverified(r) | Verdict::Believed(r) => r,
        }
    }
}

/// What `config show` and `--explain` say about a desk that believes From headers.
pub const UNSAFE_OPT_OUT: &str = "UNSAFE: trust.verify = \"none\": staff mail is believed from its From header alone, so anyone who writes a staff address acts as staff; configure trust.authserv_id with an MTA that adds Authentication-Results instead";

/// The fields a sender writes: the MTA's trace headers sit above all of them.
const MESSAGE_FIELDS: &[&str] = &[
    "from",
    "sender",
    "reply-to",
    "to",
    "cc",
    "bcc",
    "subject",
    "date",
    "message-id",
    "in-reply-to",
    "references",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
];

/// The `Authentication-Results` headers that `authserv_id` (the desk's MTA)
/// added: the first run of them from the top, above the message's own
/// fields, up to the next `Received` below them. `headers` are in message
/// order with lowercased names.
pub fn mta_results(headers: &[(String, String)], authserv_id: &str) -> Vec<AuthResults> {
    let mut found = Vec::new();
    if authserv_id.trim().is_empty() {
        return found;
    }
    for (name, value) in headers {
        let name = name.as_str();
        if MESSAGE_FIELDS.contains(&name) || (name == "received" && !found.is_empty()) {
            break;
        }
        if name == "authentication-results" {
            if let Some(ar) = authres::parse(value) {
                if ar.authserv_id.eq_ignore_ascii_case(authserv_id.trim()) {
                    found.push(ar);
                }
            }
        }
    }
    found
}

/// Whether `domain` is aligned with `staff` (the From domain): the same, or
/// one a subdomain of the other (relaxed alignment by organizational
/// domain, without a public-suffix list: a parent must have two labels).
pub fn aligned(domain: &str, staff: &str) -> bool {
    let d = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let s = staff.trim().trim_end_matches('.').to_ascii_lowercase();
    if d.is_empty() || s.is_empty() {
        return false;
    }
    let parent_of =
        |parent: &str, child: &str| parent.contains('.') && child.ends_with(&format!(".{parent}"));
    d == s || parent_of(&s, &d) || parent_of(&d, &s)
}

/// The domain of an address or a bare domain: `a@b.example`, `@b.example`, `b.example`.
fn domain_of(value: &str) -> &str {
    value.rsplit('@').next().unwrap_or("").trim()
}

/// The trust decision for mail whose From is the staff address `from_email`.
pub fn verify(headers: &[(String, String)], from_email: &str, policy: Policy<'_>) -> Verdict {
    let authserv_id = match policy {
        Policy::TrustFromHeader => {
            return Verdict::Believed(
                "not checked: trust.verify = \"none\" believes the From header (unsafe)".into(),
            )
        }
        Policy::AuthResults { authserv_id } => authserv_id.trim(),
    };
    if authserv_id.is_empty() {
        return Verdict::Unverified(
            "no trust.authserv_id is configured, so no Authentication-Results header can vouch for staff mail".into(),
        );
    }
    let staff = domain_of(from_email);
    if staff.is_empty() || !from_email.contains('@') {
        return Verdict::Unverified(format!("`{from_email}` has no domain to verify"));
    }
    let found = mta_results(headers, authserv_id);
    if found.is_empty() {
        return Verdict::Unverified(format!(
            "no Authentication-Results header from `{authserv_id}` at the top of the message"
        ));
    }
    let results: Vec<&MethodResult> = found.iter().flat_map(|a| &a.results).collect();
    // The MTA evaluated the From domain's policy and it failed: nothing else outweighs that.
    if let Some(r) = results
        .iter()
        .find(|r| r.method == "dmarc" && r.result == "fail")
    {
        return Verdict::Unverified(format!("`{authserv_id}` says {}", r.describe()));
    }
    for r in &results {
        if r.result != "pass" {
            continue;
        }
        let identity = match r.method.as_str() {
            "dmarc" => match r.property("header.from") {
                None => {
                    return Verdict::Verified(format!("`{authserv_id}` says dmarc=pass"));
                }
                Some(d) => d,
            },
            "dkim" => match r.property("header.d").or(r.property("header.i")) {
                Some(d) => d,
                None => continue,
            },
            "spf" => match r.property("smtp.mailfrom") {
                Some(d) => d,
                None => continue,
            },
            _ => continue,
        };
        if aligned(domain_of(identity), staff) {
            return Verdict::Verified(format!(
                "`{authserv_id}` says {}, aligned with `{staff}`",
                r.describe()
            ));
        }
    }
    let seen: Vec<String> = results.iter().map(|r| r.describe()).collect();
    Verdict::Unverified(format!(
        "`{authserv_id}` vouches for nothing aligned with `{staff}` ({})",
        if seen.is_empty() {
            "no results".to_string()
        } else {
            seen.join("; ")
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MX: &str = "mx.desk.example";
    const STAFF: &str = "amy@desk.example";

    fn headers(block: &str) -> Vec<(String, String)> {
        block
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_string()))
            .collect()
    }

    fn check(block: &str) -> Verdict {
        verify(
            &headers(block),
            STAFF,
            Policy::AuthResults { authserv_id: MX },
        )
    }

    const OUTSIDE: &str = "Received: from mail.evil.example by mx.desk.example with ESMTPS";
    const MESSAGE: &str = "From: Amy <amy@desk.example>\nSubject: Fwd: hi";

    #[test]
    fn table() {
        // (headers above the message's own, verified?, words in the reason)
        let table: &[(&str, bool, &str)] = &[
            // pass
            ("Authentication-Results: mx.desk.example; dmarc=pass header.from=desk.example", true, "dmarc=pass"),
            ("Authentication-Results: mx.desk.example; dmarc=pass", true, "dmarc=pass"),
            ("Authentication-Results: mx.desk.example; dkim=pass header.d=desk.example", true, "aligned"),
            ("Authentication-Results: mx.desk.example; dkim=pass header.i=@desk.example", true, "aligned"),
            ("Authentication-Results: mx.desk.example; dkim=pass header.d=mail.desk.example", true, "aligned"),
            ("Authentication-Results: mx.desk.example; spf=pass smtp.mailfrom=amy@desk.example", true, "spf=pass"),
            ("Authentication-Results: mx.desk.example; spf=pass smtp.mailfrom=bounces.desk.example", true, "spf=pass"),
            // The MTA's header sits below its own Received (Postfix hides that one from milters).
            ("Received: from outlook.example by mx.desk.example\nAuthentication-Results: mx.desk.example; dmarc=pass", true, "dmarc=pass"),
            // Any case.
            ("Authentication-Results: MX.DESK.EXAMPLE; DKIM=PASS header.d=Desk.Example", true, "aligned"),
            // fail
            ("Authentication-Results: mx.desk.example; spf=fail smtp.mailfrom=amy@desk.example; dmarc=fail header.from=desk.example", false, "dmarc=fail"),
            ("Authentication-Results: mx.desk.example; dkim=fail header.d=desk.example; spf=softfail smtp.mailfrom=desk.example", false, "vouches for nothing"),
            ("Authentication-Results: mx.desk.example; none", false, "no results"),
            // An explicit DMARC failure outweighs an aligned pass.
            ("Authentication-Results: mx.desk.example; dkim=pass header.d=desk.example; dmarc=fail", false, "dmarc=fail"),
            // dmarc=pass for another From domain.
            ("Authentication-Results: mx.desk.example; dmarc=pass header.from=evil.example", false, "vouches for nothing"),
            // missing
            ("", false, "no Authentication-Results header"),
            ("X-Spam: no", false, "no Authentication-Results header"),
            // wrong authserv-id
            ("Authentication-Results: mx.evil.example; dmarc=pass header.from=desk.example", false, "no Authentication-Results header"),
            ("Authentication-Results: mx.desk.example.evil.example; dmarc=pass", false, "no Authentication-Results header"),
            // dkim aligned vs unaligned
            ("Authentication-Results: mx.desk.example; dkim=pass header.d=evil.example", false, "dkim=pass header.d=evil.example"),
            ("Authentication-Results: mx.desk.example; dkim=pass header.d=desk.example.evil.example", false, "vouches for nothing"),
            ("Authentication-Results: mx.desk.example; dkim=pass header.d=example", false, "vouches for nothing"),
            ("Authentication-Results: mx.desk.example; dkim=pass header.d=evildesk.example", false, "vouches for nothing"),
            ("Authentication-Results: mx.desk.example; dkim=pass header.s=sel", false, "vouches for nothing"),
            ("Authentication-Results: mx.desk.example; spf=pass smtp.mailfrom=amy@evil.example", false, "vouches for nothing"),
            // multiple results and headers: one aligned pass among failures is enough
            ("Authentication-Results: mx.desk.example; dkim=fail header.d=desk.example; dkim=pass header.d=desk.example", true, "aligned"),
            ("Authentication-Results: mx.desk.example; spf=fail smtp.mailfrom=desk.example\nDKIM-Filter: OpenDKIM Filter\nAuthentication-Results: mx.desk.example; dkim=pass header.d=desk.example", true, "aligned"),
            ("Authentication-Results: other.example; dmarc=fail\nAuthentication-Results: mx.desk.example; dkim=pass header.d=desk.example", true, "aligned"),
            // comments and quoted values
            ("Authentication-Results: mx.desk.example (Postfix; v1); dkim=pass (1024-bit key; dmarc=pass) header.d=\"desk.example\" header.b=\"a;b\"", true, "aligned"),
            ("Authentication-Results: mx.desk.example; dkim=fail (dkim=pass header.d=desk.example) header.d=desk.example", false, "vouches for nothing"),
            ("Authentication-Results: mx.desk.example; spf=pass smtp.mailfrom=\"amy smith\"@desk.example", true, "aligned"),
        ];
        for (block, staff, why) in table {
            let v = check(&format!("{block}\n{MESSAGE}"));
            assert_eq!(v.is_staff(), *staff, "{block}: {v:?}");
            assert!(v.reason().contains(why), "{block}: {v:?} lacks {why:?}");
        }
    }

    #[test]
    fn a_forged_header_below_the_mtas_own_is_ignored() {
        let table = [
            // Our MTA's failing verdict on top; the message brought a passing one.
            format!("Authentication-Results: mx.desk.example; dmarc=fail\n{OUTSIDE}\nAuthentication-Results: mx.desk.example; dmarc=pass\n{MESSAGE}"),
            format!("Authentication-Results: mx.desk.example; spf=fail smtp.mailfrom=desk.example\n{OUTSIDE}\nReceived: from x by y\nAuthentication-Results: mx.desk.example; dkim=pass header.d=desk.example\n{MESSAGE}"),
            // Below the message's own fields.
            format!("{OUTSIDE}\nFrom: Amy <amy@desk.example>\nAuthentication-Results: mx.desk.example; dmarc=pass\nSubject: hi"),
            format!("Return-Path: <amy@desk.example>\n{OUTSIDE}\nMessage-ID: <x@y>\nAuthentication-Results: mx.desk.example; dmarc=pass\nFrom: amy@desk.example"),
        ];
        for block in &table {
            let v = check(block);
            assert!(!v.is_staff(), "{block}: {v:?}");
        }
        // The MTA's own header, and the forged one lower down not read at all.
        let h = headers(&table[0]);
        let own = mta_results(&h, MX);
        assert_eq!(own.len(), 1);
        assert_eq!(own[0].results[0].result, "fail");
    }

    #[test]
    fn nothing_configured_verifies_nothing() {
        let h =
            headers("Authentication-Results: mx.desk.example; dmarc=pass\nFrom: amy@desk.example");
        for id in ["", "  "] {
            let v = verify(&h, STAFF, Policy::AuthResults { authserv_id: id });
            assert!(!v.is_staff());
            assert!(v.reason().contains("no trust.authserv_id"), "{v:?}");
        }
        assert!(mta_results(&h, "").is_empty());
    }

    #[test]
    fn the_opt_out_believes_the_from_header_and_says_it_is_unsafe() {
        let v = verify(&[], STAFF, Policy::TrustFromHeader);
        assert!(v.is_staff());
        assert!(v.reason().contains("unsafe"), "{v:?}");
        assert!(UNSAFE_OPT_OUT.starts_with("UNSAFE"));
    }

    #[test]
    fn an_address_without_a_domain_is_unverified() {
        let h = headers("Authentication-Results: mx.desk.example; dmarc=pass");
        for from in ["", "amy", "amy@"] {
            let v = verify(&h, from, Policy::AuthResults { authserv_id: MX });
            assert!(!v.is_staff(), "{from:?}: {v:?}");
        }
    }

    #[test]
    fn alignment() {
        let table = [
            ("desk.example", "desk.example", true),
            ("DESK.example.", "desk.example", true),
            ("mail.desk.example", "desk.example", true),
            ("desk.example", "us.desk.example", true),
            ("a.desk.example", "b.desk.example", false),
            ("example", "desk.example", false),
            ("evildesk.example", "desk.example", false),
            ("desk.example.evil", "desk.example", false),
            ("", "desk.example", false),
            ("desk.example", "", false),
        ];
        for (d, staff, want) in table {
            assert_eq!(aligned(d, staff), want, "{d} vs {staff}");
        }
    }
}
