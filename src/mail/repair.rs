//! Mending what mail clients get wrong, before the message is parsed: a
//! declared charset that cannot be right for the bytes, and an inner
//! multipart that never closes its boundary. Each repair is said (for
//! `--explain`); the stored raw message is never changed.

use std::borrow::Cow;

use encoding_rs::{Encoding, EUC_JP, GB18030, SHIFT_JIS};

/// The most MIME parts a message may have before it is held instead of
/// parsed: the parser costs about a kilobyte per part, whatever its size.
pub(crate) const MAX_PARTS: usize = 1000;

/// The deepest multipart nesting parsed (mail clients nest a few levels).
pub(crate) const MAX_DEPTH: usize = 50;

/// The most header fields, over all parts, parsed (a few hundred a part is much).
pub(crate) const MAX_HEADERS: usize = 10_000;

/// The repaired message: `data` itself while nothing needed mending (no
/// copy), else a mended copy.
struct Out<'a> {
    data: &'a [u8],
    /// How much of `data` the output is, while it is borrowed.
    len: usize,
    owned: Option<Vec<u8>>,
}

impl<'a> Out<'a> {
    /// Appends `line`, the next line of `data`.
    fn line(&mut self, line: &[u8]) {
        match &mut self.owned {
            Some(v) => v.extend_from_slice(line),
            None => self.len += line.len(),
        }
    }

    /// Appends bytes that are not in `data`: from here on the output is a copy.
    fn insert(&mut self, bytes: &[u8]) {
        let v = self.owned.get_or_insert_with(|| {
            let mut v = Vec::with_capacity(self.data.len() + 64);
            v.extend_from_slice(&self.data[..self.len]);
            v
        });
        v.extend_from_slice(bytes);
    }

    fn len(&self) -> usize {
        self.owned.as_ref().map_or(self.len, Vec::len)
    }

    fn bytes(&self) -> &[u8] {
        self.owned.as_deref().unwrap_or(&self.data[..self.len])
    }

    fn into_cow(self) -> Cow<'a, [u8]> {
        match self.owned {
            Some(v) => Cow::Owned(v),
            None => Cow::Borrowed(&self.data[..self.len]),
        }
    }
}

/// The message with its repairs, and what was repaired; an error (what to
/// say) when the message is over [`MAX_PARTS`], [`MAX_DEPTH`] or [`MAX_HEADERS`].
pub(crate) fn repair(data: &[u8]) -> Result<(Cow<'_, [u8]>, Vec<String>), String> {
    let mut notes = Vec::new();
    let mut out = Out {
        data,
        len: 0,
        owned: None,
    };
    // Open multipart boundaries, outermost first.
    let mut open: Vec<Vec<u8>> = Vec::new();
    let mut in_headers = true;
    // Where the current header block starts in `out`.
    let mut headers_at = 0;
    let (mut parts, mut fields) = (1usize, 0usize);
    // The current part: where its charset value sits in `out`, and where its
    // body starts.
    let mut part: Option<Part> = None;
    let mut fixes: Vec<(usize, usize, &'static str)> = Vec::new();
    for line in data.split_inclusive(|&b| b == b'\n') {
        let bare = trim_eol(line);
        if in_headers {
            if bare.iter().all(u8::is_ascii_whitespace) {
                in_headers = false;
                let headers = &out.bytes()[headers_at..];
                let h = String::from_utf8_lossy(headers).to_ascii_lowercase();
                if let Some(b) = boundary_of(headers) {
                    open.push(b);
                    if open.len() > MAX_DEPTH {
                        return Err(format!(
                            "multiparts nested more than {MAX_DEPTH} deep: held rather than parsed"
                        ));
                    }
                }
                part = Part::of(&h, headers_at, headers, out.len() + line.len());
            } else if !bare.first().is_some_and(u8::is_ascii_whitespace) {
                fields += 1;
                if fields > MAX_HEADERS {
                    return Err(format!(
                        "more than {MAX_HEADERS} header fields: held rather than parsed"
                    ));
                }
            }
            out.line(line);
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
                    p.check(out.bytes(), &mut fixes, &mut notes);
                }
                // Inner multiparts left open end here, at their parent's boundary.
                while open.len() > k + 1 {
                    let inner = open.pop().unwrap_or_default();
                    out.insert(b"--");
                    out.insert(&inner);
                    out.insert(b"--\n");
                    notes.push(format!(
                        "multipart boundary `{}` was never closed: ended at its parent's boundary",
                        String::from_utf8_lossy(&inner)
                    ));
                }
                if closing {
                    open.pop();
                } else {
                    in_headers = true;
                    parts += 1;
                    if parts > MAX_PARTS {
                        return Err(format!(
                            "more than {MAX_PARTS} MIME parts: held rather than parsed"
                        ));
                    }
                }
                out.line(line);
                headers_at = out.len();
                continue;
            }
        }
        out.line(line);
    }
    if let Some(p) = part.take() {
        p.check(out.bytes(), &mut fixes, &mut notes);
    }
    if fixes.is_empty() {
        return Ok((out.into_cow(), notes));
    }
    let mut out = out.into_cow().into_owned();
    // Charset values are replaced from the back, so earlier offsets hold.
    fixes.sort_by_key(|f| std::cmp::Reverse(f.0));
    for (at, len, charset) in fixes {
        out.splice(at..at + len, charset.bytes());
    }
    Ok((Cow::Owned(out), notes))
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
        let whole = out.get(self.body_start..).unwrap_or(&[]);
        // The first lines tell the charset: a huge body is not decoded whole.
        let raw = head_lines(whole, CHARSET_SAMPLE);
        let decoded = match self.encoding {
            Encoded::Plain => None,
            Encoded::Base64 => {
                let mut compact: Vec<u8> = raw
                    .iter()
                    .copied()
                    .filter(|b| !b.is_ascii_whitespace())
                    .collect();
                if raw.len() < whole.len() {
                    compact.truncate(compact.len() / 4 * 4);
                }
                mail_parser::decoders::base64::base64_decode(&compact)
            }
            Encoded::QuotedPrintable => {
                mail_parser::decoders::quoted_printable::quoted_printable_decode(raw)
            }
        };
        let body: &[u8] = match &decoded {
            // A sample cut inside a character would not decode cleanly: end it at a line.
            Some(d) if raw.len() < whole.len() => head_lines(d, d.len().saturating_sub(1)),
            Some(d) => d,
            None => raw,
        };
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

/// How much of a text part's body is read to check its charset.
const CHARSET_SAMPLE: usize = 1 << 20;

/// `data` when it is at most `max` bytes long, else its lines that fit in
/// `max` bytes (none of the multibyte charsets checked here uses the byte LF
/// inside a character, so a cut there splits none).
fn head_lines(data: &[u8], max: usize) -> &[u8] {
    if data.len() <= max {
        return data;
    }
    let cut = data[..max]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(max, |p| p + 1);
    &data[..cut]
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
        let (out, notes) = repair(raw).unwrap();
        let text = String::from_utf8(out.into_owned()).unwrap();
        assert!(text.contains("Hello\n\n--inner--\n--outer\n"), "{text}");
        assert_eq!(notes.len(), 1, "{notes:?}");
        // A well-formed message is left as it is.
        let good = text.clone();
        let (again, notes) = repair(good.as_bytes()).unwrap();
        assert!(
            matches!(again, Cow::Borrowed(_)),
            "no copy when nothing is mended"
        );
        assert_eq!(String::from_utf8(again.into_owned()).unwrap(), good);
        assert!(notes.is_empty());
    }

    #[test]
    fn structure_limits_hold_a_message_instead_of_parsing_it() {
        let mut deep = String::from("Content-Type: multipart/mixed; boundary=\"b0\"\n\n");
        for i in 1..=MAX_DEPTH {
            deep += &format!(
                "--b{}\nContent-Type: multipart/mixed; boundary=\"b{i}\"\n\n",
                i - 1
            );
        }
        let err = repair(deep.as_bytes()).unwrap_err();
        assert!(err.contains("nested more than 50 deep"), "{err}");
        let mut wide = String::from("Content-Type: multipart/mixed; boundary=\"b\"\n\n");
        for _ in 0..MAX_PARTS {
            wide += "--b\nContent-Type: text/plain\n\nx\n";
        }
        assert!(repair(wide.as_bytes()).unwrap_err().contains("MIME parts"));
        let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: v\n")).collect();
        assert!(repair(many.as_bytes())
            .unwrap_err()
            .contains("header fields"));
        // Up to the limits a message parses, borrowed as it is.
        let (out, _) = repair(wide.as_bytes().split_at(wide.len() / 2).0).unwrap();
        assert!(matches!(out, Cow::Borrowed(_)));
    }

    #[test]
    fn iso_2022_jp_without_escapes_is_shift_jis() {
        let (body, _, _) = SHIFT_JIS.encode("ルーターが再起動します。");
        let mut raw = b"Content-Type: text/plain; charset=ISO-2022-JP\n\n".to_vec();
        raw.extend_from_slice(&body);
        let (out, notes) = repair(&raw).unwrap();
        assert!(out.starts_with(b"Content-Type: text/plain; charset=Shift_JIS\n"));
        assert!(notes[0].contains("Shift_JIS"), "{notes:?}");
        // The same bytes in base64.
        let encoded = base64_of(&body);
        let mut raw = b"Content-Type: text/plain; charset=\"iso-2022-jp\"\nContent-Transfer-Encoding: base64\n\n".to_vec();
        raw.extend_from_slice(encoded.as_bytes());
        let (out, notes) = repair(&raw).unwrap();
        assert!(
            String::from_utf8_lossy(&out).contains("charset=\"Shift_JIS\""),
            "{notes:?}"
        );
        // Real ISO-2022-JP (escapes, 7-bit) is left alone.
        let real = b"Content-Type: text/plain; charset=iso-2022-jp\n\n\x1b$B%k!<%?!<\x1b(B\n";
        assert_eq!(repair(real).unwrap().0.as_ref(), real.as_slice());
    }
}
