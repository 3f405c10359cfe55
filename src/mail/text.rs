//! The readable text of a message body.

use mail_parser::{Message, PartType};

use super::html::html_to_text;

/// The most text kept from a body (in bytes): a case's description and the
/// intake's checks read this much. The raw message keeps all of it.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// The most HTML converted to text (its markup is most of it).
const MAX_HTML_BYTES: usize = 4 * MAX_TEXT_BYTES;

/// What ends a text that was cut at [`MAX_TEXT_BYTES`].
pub const CUT_NOTE: &str =
    "\n\n[casebook: the text goes on; only its first 1 MiB is shown here. The whole message is stored with the case.]";

/// The best readable text of a message: its text/plain body parts, with
/// HTML-only parts converted; at most [`MAX_TEXT_BYTES`] of it (then
/// [`CUT_NOTE`]), built in one string however large the message.
pub(crate) fn best_text(msg: &Message<'_>) -> String {
    let mut out = Text::default();
    for id in &msg.text_body {
        let Some(part) = msg.parts.get(*id as usize) else {
            continue;
        };
        match &part.body {
            PartType::Text(t) if !t.trim().is_empty() => out.push(t),
            PartType::Html(h) => {
                let text = html_to_text(head(h, MAX_HTML_BYTES));
                if !text.trim().is_empty() {
                    out.push(&text);
                }
            }
            _ => continue,
        }
    }
    if out.s.is_empty() {
        // Some messages list only an HTML body.
        for id in &msg.html_body {
            if let Some(PartType::Html(h)) = msg.parts.get(*id as usize).map(|p| &p.body) {
                out.push(&html_to_text(head(h, MAX_HTML_BYTES)));
            }
        }
    }
    out.s
}

/// The texts of the parts joined by newlines, CRLF made LF, cut at the limit.
#[derive(Default)]
struct Text {
    s: String,
    parts: usize,
    cut: bool,
}

impl Text {
    fn push(&mut self, text: &str) {
        if self.cut {
            return;
        }
        if self.parts > 0 {
            self.s.push('\n');
        }
        self.parts += 1;
        let room = MAX_TEXT_BYTES.saturating_sub(self.s.len());
        let part = head(text, room);
        self.s.reserve(part.len());
        let mut pieces = part.split("\r\n");
        if let Some(first) = pieces.next() {
            self.s.push_str(first);
        }
        for piece in pieces {
            self.s.push('\n');
            self.s.push_str(piece);
        }
        if part.len() < text.len() {
            self.cut = true;
            self.s.push_str(CUT_NOTE);
        }
    }
}

/// The first `max` bytes of `s`, at a character boundary.
fn head(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The first `n` characters of `s` (all of it when shorter), borrowed: a
/// copy built character by character cost a bulk import a tenth of its
/// time. Counted by the bytes that start a character (not `10xxxxxx`),
/// which is cheaper than decoding each.
pub(super) fn first_chars(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let starts = s.bytes().enumerate().filter(|&(_, b)| b & 0xC0 != 0x80);
    starts.map(|(at, _)| at).nth(n).map_or(s, |at| &s[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_chars_counts_characters_not_bytes() {
        let cases: &[(&str, usize, &str)] = &[
            ("hello", 3, "hel"),
            ("hello", 5, "hello"),
            ("hello", 9, "hello"),
            ("ärger", 2, "är"),
            ("日本語", 1, "日"),
            ("", 4, ""),
        ];
        for (s, n, want) in cases {
            assert_eq!(first_chars(s, *n), *want, "{s:?} {n}");
            assert_eq!(first_chars(s, *n), s.chars().take(*n).collect::<String>());
        }
    }

    #[test]
    fn a_huge_body_is_cut_with_a_note_and_crlf_becomes_lf() {
        let mut raw = b"From: a@b.example\r\nSubject: big\r\n\r\n".to_vec();
        let line = b"caf\xc3\xa9 and more words here\r\n";
        while raw.len() < 3 * MAX_TEXT_BYTES {
            raw.extend_from_slice(line);
        }
        let msg = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let text = best_text(&msg);
        assert!(text.ends_with(CUT_NOTE), "{}", &text[text.len() - 200..]);
        assert!(text.len() <= MAX_TEXT_BYTES + CUT_NOTE.len());
        assert!(!text.contains('\r'));
        assert!(text.starts_with("café and more words here\n"));
        // A small body is whole, without the note.
        let msg = mail_parser::MessageParser::default()
            .parse(b"From: a@b.example\r\nSubject: s\r\n\r\nline one\r\nline two\r\n")
            .unwrap();
        assert_eq!(best_text(&msg), "line one\nline two\n");
    }
}
