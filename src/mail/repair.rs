//! Mending what mail clients get wrong, before the message is parsed: a
//! declared charset that cannot be right for the bytes, and an inner
//! multipart that never closes its boundary. Each repair is said (for
//! `--explain`); the stored raw message is never changed.

use encoding_rs::{Encoding, EUC_JP, GB18030, SHIFT_JIS};

/// The message with its repairs, and what was repaired.
pub(crate) fn repair(data: &[u8]) -> (Vec<u8>, Vec<String>) {
    let mut notes = Vec::new();
    let lines = split_lines(data);
    let mut out: Vec<u8> = Vec::with_capacity(data.len() + 64);
    // Open multipart boundaries, outermost first.
    let mut open: Vec<Vec<u8>> = Vec::new();
    let mut in_headers = true;
    let mut headers: Vec<u8> = Vec::new();
    // The current part: where its charset value sits in `out`, and where its
    // body starts.
    let mut part: Option<Part> = None;
    let mut fixes: Vec<(usize, usize, &'static str)> = Vec::new();
    for line in lines {
        let bare = trim_eol(line);
        if in_headers {
            if bare.iter().all(u8::is_ascii_whitespace) {
                in_headers = false;
                let h = String::from_utf8_lossy(&headers).to_ascii_lowercase();
                if let Some(b) = boundary_of(&headers) {
                    open.push(b);
                }
                part = Part::of(
                    &h,
                    out.len() - headers.len(),
                    &headers,
                    out.len() + line.len(),
                );
                headers.clear();
            } else {
                headers.extend_from_slice(line);
            }
            out.extend_from_slice(line);
            continue;
        }
        if let Some(rest) = bare.strip_prefix(b"--") {
            let closing = rest.ends_with(b"--");
            let name = if closing {
                &rest[..rest.len() - 2]
            } else {
                rest
            };
            let name = trim_ws(name);
            if let Some(k) = open.iter().rposition(|b| b.as_slice() == name) {
                if let Some(p) = part.take() {
                    p.check(&out, &mut fixes, &mut notes);
                }
                // Inner multiparts left open end here, at their parent's boundary.
                while open.len() > k + 1 {
                    let inner = open.pop().unwrap_or_default();
                    out.extend_from_slice(b"--");
                    out.extend_from_slice(&inner);
                    out.extend_from_slice(b"--\n");
                    notes.push(format!(
                        "multipart boundary `{}` was never closed: ended at its parent's boundary",
                        String::from_utf8_lossy(&inner)
                    ));
                }
                if closing {
                    open.pop();
                } else {
                    in_headers = true;
                }
                out.extend_from_slice(line);
                continue;
            }
        }
        out.extend_from_slice(line);
    }
    if let Some(p) = part.take() {
        p.check(&out, &mut fixes, &mut notes);
    }
    // Charset values are replaced from the back, so earlier offsets hold.
    fixes.sort_by_key(|f| std::cmp::Reverse(f.0));
    for (at, len, charset) in fixes {
        out.splice(at..at + len, charset.bytes());
    }
    (out, notes)
}

/// A text part whose declared charset may be wrong.
struct Part {
    declared: String,
    /// The byte range of the charset value in the output.
    value_at: usize,
    value_len: usize,
    body_start: usize,
    encoding: Encoded,
}

/// A part body's transfer encoding, to look at the bytes it stands for.
#[derive(Clone, Copy)]
enum Encoded {
    Plain,
    Base64,
    QuotedPrintable,
}

impl Part {
    /// A part worth checking: text with a charset (its body plain, base64 or
    /// quoted-printable).
    fn of(lower: &str, headers_at: usize, raw: &[u8], body_start: usize) -> Option<Part> {
        let is_text = !lower.contains("content-type:") || lower.contains("text/");
        if !is_text {
            return None;
        }
        let encoding = if lower.contains("base64") {
            Encoded::Base64
        } else if lower.contains("quoted-printable") {
            Encoded::QuotedPrintable
        } else {
            Encoded::Plain
        };
        let key = lower.find("charset=")? + "charset=".len();
        let rest = &lower[key..];
        let quoted = rest.starts_with('"');
        let start = key + usize::from(quoted);
        let len = lower[start..]
            .find(|c: char| c == '"' || c == ';' || c.is_whitespace())
            .unwrap_or(lower.len() - start);
        let declared = lower[start..start + len].to_string();
        // The lowercased copy has the same byte offsets as the raw headers
        // (ASCII lowercasing keeps lengths), as long as the headers are ASCII there.
        if raw.get(start..start + len).map(|b| b.to_ascii_lowercase())
            != Some(declared.clone().into_bytes())
        {
            return None;
        }
        Some(Part {
            declared,
            value_at: headers_at + start,
            value_len: len,
            body_start,
            encoding,
        })
    }

    fn check(
        self,
        out: &[u8],
        fixes: &mut Vec<(usize, usize, &'static str)>,
        notes: &mut Vec<String>,
    ) {
        let raw = out.get(self.body_start..).unwrap_or(&[]);
        let decoded = match self.encoding {
            Encoded::Plain => None,
            Encoded::Base64 => {
                let compact: Vec<u8> = raw
                    .iter()
                    .copied()
                    .filter(|b| !b.is_ascii_whitespace())
                    .collect();
                mail_parser::decoders::base64::base64_decode(&compact)
            }
            Encoded::QuotedPrintable => {
                mail_parser::decoders::quoted_printable::quoted_printable_decode(raw)
            }
        };
        let body: &[u8] = decoded.as_deref().unwrap_or(raw);
        let eight_bit = body.iter().any(|&b| b >= 0x80);
        let alternative = match self.declared.as_str() {
            // ISO-2022-JP is 7-bit with escape sequences: 8-bit bytes without
            // any escape are Shift_JIS (CP932) or EUC-JP.
            "iso-2022-jp" if eight_bit && !body.contains(&0x1b) => {
                first_clean(body, &[(SHIFT_JIS, "Shift_JIS"), (EUC_JP, "EUC-JP")])
            }
            // GB2312 mail is GBK/GB18030 in practice.
            "gb2312" | "euc-cn" if eight_bit => first_clean(body, &[(GB18030, "GB18030")]),
            // ISO-8859-1 with C1 bytes is windows-1252 (the parser reads it so).
            "iso-8859-1" | "latin1" if body.iter().any(|b| (0x80..0xa0).contains(b)) => {
                notes.push(
                    "charset ISO-8859-1 holds windows-1252 bytes: read as windows-1252".into(),
                );
                None
            }
            _ => None,
        };
        if let Some(name) = alternative {
            notes.push(format!(
                "charset {} cannot be right for these bytes: read as {name}",
                self.declared.to_uppercase()
            ));
            fixes.push((self.value_at, self.value_len, name));
        }
    }
}

/// The first encoding that decodes `body` without errors.
fn first_clean(body: &[u8], choices: &[(&'static Encoding, &'static str)]) -> Option<&'static str> {
    choices
        .iter()
        .find(|(enc, _)| {
            enc.decode_without_bom_handling_and_without_replacement(body)
                .is_some()
        })
        .map(|(_, name)| *name)
}

/// The `boundary=` of a multipart Content-Type in a header block.
fn boundary_of(headers: &[u8]) -> Option<Vec<u8>> {
    let lower = headers.to_ascii_lowercase();
    let ct = find(&lower, b"content-type:")?;
    let after = &lower[ct..];
    let multipart = find(after, b"multipart/")?;
    let b = multipart + find(&after[multipart..], b"boundary=")? + b"boundary=".len();
    // Boundaries are case-sensitive: read them from the raw headers.
    let raw = &headers[ct + b..];
    let value: Vec<u8> = if raw.first() == Some(&b'"') {
        raw[1..]
            .iter()
            .take_while(|&&c| c != b'"')
            .copied()
            .collect()
    } else {
        raw.iter()
            .take_while(|&&c| !(c == b';' || c.is_ascii_whitespace()))
            .copied()
            .collect()
    };
    (!value.is_empty()).then_some(value)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn split_lines(data: &[u8]) -> Vec<&[u8]> {
    data.split_inclusive(|&b| b == b'\n').collect()
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let l = line.strip_suffix(b"\n").unwrap_or(line);
    l.strip_suffix(b"\r").unwrap_or(l)
}

fn trim_ws(s: &[u8]) -> &[u8] {
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |p| p + 1);
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Standard base64, wrapped at 76 columns as mail writes it.
    fn base64_of(bytes: &[u8]) -> String {
        const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
                << (8 * (3 - chunk.len()));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
            if out.len() % 77 == 76 {
                out.push('\n');
            }
        }
        out.push('\n');
        out
    }

    #[test]
    fn unterminated_inner_multipart_ends_at_the_outer_boundary() {
        let raw = b"Content-Type: multipart/mixed; boundary=\"outer\"\n\n--outer\nContent-Type: multipart/alternative; boundary=\"inner\"\n\n--inner\nContent-Type: text/plain\n\nHello\n\n--outer\nContent-Type: text/plain\n\nattached\n--outer--\n";
        let (out, notes) = repair(raw);
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("Hello\n\n--inner--\n--outer\n"), "{text}");
        assert_eq!(notes.len(), 1, "{notes:?}");
        // A well-formed message is left as it is.
        let good = text.clone();
        let (again, notes) = repair(good.as_bytes());
        assert_eq!(String::from_utf8(again).unwrap(), good);
        assert!(notes.is_empty());
    }

    #[test]
    fn iso_2022_jp_without_escapes_is_shift_jis() {
        let (body, _, _) = SHIFT_JIS.encode("ルーターが再起動します。");
        let mut raw = b"Content-Type: text/plain; charset=ISO-2022-JP\n\n".to_vec();
        raw.extend_from_slice(&body);
        let (out, notes) = repair(&raw);
        assert!(out.starts_with(b"Content-Type: text/plain; charset=Shift_JIS\n"));
        assert!(notes[0].contains("Shift_JIS"), "{notes:?}");
        // The same bytes in base64.
        let encoded = base64_of(&body);
        let mut raw = b"Content-Type: text/plain; charset=\"iso-2022-jp\"\nContent-Transfer-Encoding: base64\n\n".to_vec();
        raw.extend_from_slice(encoded.as_bytes());
        let (out, notes) = repair(&raw);
        assert!(
            String::from_utf8_lossy(&out).contains("charset=\"Shift_JIS\""),
            "{notes:?}"
        );
        // Real ISO-2022-JP (escapes, 7-bit) is left alone.
        let real = b"Content-Type: text/plain; charset=iso-2022-jp\n\n\x1b$B%k!<%?!<\x1b(B\n";
        assert_eq!(repair(real).0, real.to_vec());
    }
}
