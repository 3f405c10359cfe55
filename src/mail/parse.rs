//! Raw inbound mail → [`Inbound`]: the values ingest needs, decoded.
//!
//! Parsing never panics: mail-parser and our own code run under
//! `catch_unwind`, and a panic comes back as [`ParseError::Panic`] so the
//! message can be quarantined rather than lost.

use std::borrow::Cow;
use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::{DateTime, Utc};
use mail_parser::{HeaderName, HeaderValue, Message, MessageParser, MimeHeaders};
use serde::Serialize;

use super::address::{convert_address, Address};
use super::forward::{find_forward, Forwarded};
use super::text::{best_text, first_chars};

/// One attachment of a message, as listed by [`parse`] and fetched by
/// [`attachment`].
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AttachmentInfo {
    /// 1-based position among the message's attachments.
    pub index: usize,
    /// A safe file name: no path separators, control characters or leading
    /// dots; `attachment-K` when the message gives none.
    pub name: String,
    /// Lowercased `type/subtype`.
    pub content_type: String,
    /// Decoded size in bytes.
    pub size: usize,
}

/// A parsed inbound message.
#[derive(Debug, Clone)]
pub struct Inbound {
    /// Message-ID without the angle brackets.
    pub message_id: Option<String>,
    pub from: Option<Address>,
    pub to: Vec<Address>,
    /// Decoded subject, trimmed; empty when absent.
    pub subject: String,
    pub date: Option<DateTime<Utc>>,
    /// Message ids without angle brackets.
    pub in_reply_to: Vec<String>,
    /// Message ids without angle brackets.
    pub references: Vec<String>,
    /// Every header in order: lowercased name, decoded and unfolded value.
    pub headers: Vec<(String, String)>,
    /// The Return-Path address; `Some("")` for the null sender `<>`.
    pub return_path: Option<String>,
    /// Top-level content type, lowercased, e.g. `multipart/report`.
    pub content_type: String,
    /// The best text: the text/plain parts, else the HTML converted to text.
    pub body_text: String,
    pub attachments: Vec<AttachmentInfo>,
    /// The original message when this one is a forward.
    pub forwarded: Option<Forwarded>,
    /// What was mended before parsing (a wrong charset, an unclosed
    /// multipart), for `--explain`.
    pub repairs: Vec<String>,
}

impl Inbound {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of header `name` (any case), in order.
    pub fn header_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a message could not be parsed.
#[derive(thiserror::Error, Debug)]
pub enum ParseError {
    #[error("the message is empty")]
    Empty,
    #[error("the message has no From, Subject, Message-ID or Date header")]
    NoHeaders,
    #[error("the mail parser panicked: {0}")]
    Panic(String),
    /// Over one of the structure limits (header count, MIME parts, nesting):
    /// held for a person rather than parsed into memory many times its size.
    #[error("{0}")]
    TooComplex(String),
}

/// The longest subject kept (in characters); the rest is cut with `…`. The
/// raw message keeps all of it.
pub const MAX_SUBJECT_CHARS: usize = 4000;

/// The longest header value kept for the intake's decisions (in bytes);
/// the raw message keeps all of it.
pub const MAX_HEADER_VALUE: usize = 16 * 1024;

/// Clean up raw input before parsing: strip a UTF-8 byte-order mark, an mbox
/// `From ` envelope line and leading blank or whitespace-only lines (which
/// would push every header into the body), and turn bare CR line endings
/// into LF (CRLF stays).
pub fn normalize(raw: &[u8]) -> Cow<'_, [u8]> {
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    // Most mail needs no change: it is borrowed, not copied.
    if !has_bare_cr(raw) {
        return Cow::Borrowed(&raw[lead_len(raw)..]);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'\r' {
            if raw.get(i + 1) == Some(&b'\n') {
                out.extend_from_slice(b"\r\n");
                i += 2;
            } else {
                out.push(b'\n');
                i += 1;
            }
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    let start = lead_len(&out);
    out.drain(..start);
    Cow::Owned(out)
}

/// Whether `data` has a CR not followed by LF.
fn has_bare_cr(data: &[u8]) -> bool {
    let mut from = 0;
    while let Some(p) = data[from..].iter().position(|&b| b == b'\r') {
        let at = from + p;
        if data.get(at + 1) != Some(&b'\n') {
            return true;
        }
        from = at + 2;
    }
    false
}

/// The length of the leading blank lines and mbox postmark (`From sender
/// date`, never a header because header names have no spaces) of `data`,
/// whose lines end in LF.
fn lead_len(data: &[u8]) -> usize {
    let mut start = 0;
    while start < data.len() {
        let rest = &data[start..];
        let line_end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |p| p + 1);
        let line = &rest[..line_end];
        let blank = line.iter().all(|b| b.is_ascii_whitespace());
        if blank || (start == 0 && line.starts_with(b"From ")) {
            start += line_end;
            continue;
        }
        break;
    }
    start
}

/// Split an mbox file into messages. Messages start at `From ` postmark lines
/// (at the start or after a blank line, and carrying a time, so that a body
/// line starting with "From " does not split); `>From ` is unescaped;
/// content before the first postmark is kept as a message; a leading BOM is
/// ignored. Postmark lines are not part of the messages.
pub fn split_mbox(data: &[u8]) -> Vec<Vec<u8>> {
    MboxMessages::new(data).collect()
}

/// The messages of an mbox, one at a time, as [`split_mbox`] splits them:
/// a bulk import reads each while the one before is being stored.
pub struct MboxMessages<'a> {
    data: &'a [u8],
    /// Where the next line starts.
    at: usize,
    /// Whether the line before was blank (a postmark may follow).
    prev_blank: bool,
    /// Whether a postmark has been seen.
    started: bool,
    /// Whether the last message has been given out.
    done: bool,
}

impl<'a> MboxMessages<'a> {
    pub fn new(data: &'a [u8]) -> MboxMessages<'a> {
        MboxMessages {
            data: data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data),
            at: 0,
            prev_blank: true,
            started: false,
            done: false,
        }
    }
}

impl Iterator for MboxMessages<'_> {
    type Item = Vec<u8>;

    fn next(&mut self) -> Option<Vec<u8>> {
        let blank = |text: &[u8]| text.iter().all(|b| b.is_ascii_whitespace());
        // Room for the message up to the next likely postmark, so that it
        // is not grown line by line.
        let rest = &self.data[self.at..];
        let likely_end = memchr::memmem::find(rest, b"\n\nFrom ").map_or(rest.len(), |p| p + 2);
        let mut current: Vec<u8> = Vec::with_capacity(likely_end);
        while self.at < self.data.len() {
            let rest = &self.data[self.at..];
            let line = &rest[..memchr::memchr(b'\n', rest).map_or(rest.len(), |p| p + 1)];
            self.at += line.len();
            let content = trim_eol(line);
            if self.prev_blank && is_postmark(content) {
                let ends_a_message = self.started || !blank(&current);
                self.started = true;
                self.prev_blank = false;
                if ends_a_message {
                    return Some(finish_mbox_message(current));
                }
                current.clear();
                continue;
            }
            self.prev_blank = blank(content);
            current.extend_from_slice(unescape_from(line));
        }
        if self.done {
            return None;
        }
        self.done = true;
        (self.started || !blank(&current)).then(|| finish_mbox_message(current))
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn is_postmark(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    // `From sender Day Mon dd hh:mm:ss yyyy`: require a time and a year.
    let text = String::from_utf8_lossy(rest);
    let has_time = text.split_whitespace().any(|w| {
        w.len() >= 4 && w.contains(':') && w.chars().all(|c| c.is_ascii_digit() || c == ':')
    });
    let has_year = text
        .split_whitespace()
        .any(|w| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()));
    has_time && has_year
}

/// `>From ` (any number of `>`) loses one `>` (mboxrd).
fn unescape_from(line: &[u8]) -> &[u8] {
    let gts = line.iter().take_while(|&&b| b == b'>').count();
    if gts > 0 && line[gts..].starts_with(b"From ") {
        &line[1..]
    } else {
        line
    }
}

/// Drop the blank line that separates a message from the next postmark.
fn finish_mbox_message(mut m: Vec<u8>) -> Vec<u8> {
    if m.ends_with(b"\r\n\r\n") {
        m.truncate(m.len() - 2);
    } else if m.ends_with(b"\n\n") {
        m.truncate(m.len() - 1);
    }
    m
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Parse one raw message (it is [`normalize`]d first). Never panics.
pub fn parse(raw: &[u8]) -> Result<Inbound, ParseError> {
    if raw
        .iter()
        .all(|b| b.is_ascii_whitespace() || *b == 0xEF || *b == 0xBB || *b == 0xBF)
    {
        return Err(ParseError::Empty);
    }
    let data = normalize(raw);
    let (data, repairs) = super::repair::repair(&data).map_err(ParseError::TooComplex)?;
    catch_unwind(AssertUnwindSafe(|| parse_normalized(&data, repairs)))
        .unwrap_or_else(|p| Err(ParseError::Panic(panic_message(p))))
}

fn parse_normalized(data: &[u8], repairs: Vec<String>) -> Result<Inbound, ParseError> {
    let msg = MessageParser::default()
        .parse(data)
        .ok_or(ParseError::NoHeaders)?;
    let has = |name: HeaderName<'_>| msg.header(name).is_some();
    if !(has(HeaderName::From)
        || has(HeaderName::Subject)
        || has(HeaderName::MessageId)
        || has(HeaderName::Date))
    {
        return Err(ParseError::NoHeaders);
    }
    let body_text = best_text(&msg);
    let forwarded = find_forward(&msg, &body_text);
    Ok(Inbound {
        message_id: msg.message_id().map(clean_id).filter(|s| !s.is_empty()),
        from: msg.from().and_then(|a| a.first()).and_then(convert_address),
        to: msg
            .to()
            .map(|a| a.iter().filter_map(convert_address).collect())
            .unwrap_or_default(),
        subject: cut_chars(msg.subject().unwrap_or("").trim(), MAX_SUBJECT_CHARS),
        date: msg
            .date()
            .filter(|d| d.is_valid())
            .and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0)),
        in_reply_to: ids(msg.in_reply_to()),
        references: ids(msg.references()),
        headers: headers(&msg, data),
        return_path: return_path(&msg, data),
        content_type: msg
            .content_type()
            .map(|ct| content_type_string(ct.ctype(), ct.subtype()))
            .unwrap_or_else(|| "text/plain".to_string()),
        body_text,
        attachments: msg
            .attachments()
            .enumerate()
            .map(|(i, part)| attachment_info(i + 1, part))
            .collect(),
        forwarded,
        repairs,
    })
}

/// The decoded bytes of attachment `index` (1-based, as in
/// [`Inbound::attachments`]). A nested message comes back as its raw bytes.
pub fn attachment(raw: &[u8], index: usize) -> Option<(AttachmentInfo, Vec<u8>)> {
    if index == 0 {
        return None;
    }
    let data = normalize(raw);
    catch_unwind(AssertUnwindSafe(|| {
        let msg = MessageParser::default().parse(&data)?;
        let part = msg.attachments().nth(index - 1)?;
        Some((attachment_info(index, part), part.contents().to_vec()))
    }))
    .ok()
    .flatten()
}

fn clean_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_string()
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    let list: Vec<String> = match value {
        HeaderValue::Text(t) => vec![t.to_string()],
        HeaderValue::TextList(l) => l.iter().map(|t| t.to_string()).collect(),
        _ => vec![],
    };
    list.iter()
        .map(|s| clean_id(s))
        .filter(|s| !s.is_empty())
        .collect()
}

fn content_type_string(ctype: &str, subtype: Option<&str>) -> String {
    match subtype {
        Some(s) => format!("{ctype}/{s}").to_lowercase(),
        None => ctype.to_lowercase(),
    }
}

/// `s` up to `max` characters; a longer one is cut and ends with `…`.
pub fn cut_chars(s: &str, max: usize) -> String {
    let head = first_chars(s, max);
    if head.len() < s.len() {
        format!("{head}…")
    } else {
        s.to_string()
    }
}

/// A header's raw value, unfolded, its first [`MAX_HEADER_VALUE`] bytes.
fn raw_value(data: &[u8], start: u32, end: u32) -> String {
    let (s, e) = (start as usize, (end as usize).min(data.len()));
    if s >= e {
        return String::new();
    }
    let e = e.min(s + MAX_HEADER_VALUE);
    unfold(&String::from_utf8_lossy(&data[s..e]))
}

fn headers(msg: &Message<'_>, data: &[u8]) -> Vec<(String, String)> {
    msg.headers()
        .iter()
        .filter_map(|h| {
            let name = match &h.name {
                HeaderName::Other(n) => n.to_string(),
                other => other.as_static_str().to_string(),
            }
            .to_lowercase();
            if name.is_empty() || name.contains(char::is_whitespace) {
                return None;
            }
            let value = match (&h.name, &h.value) {
                (HeaderName::Subject | HeaderName::Comments, HeaderValue::Text(t)) => unfold(t),
                _ => {
                    let raw = raw_value(data, h.offset_start, h.offset_end);
                    if raw.contains("=?") {
                        decode_words(&raw)
                    } else {
                        raw
                    }
                }
            };
            Some((name, value))
        })
        .collect()
}

/// Whitespace runs become one space, none at the ends (without a list of
/// the words: a long header costs one string).
fn unfold(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MAX_HEADER_VALUE));
    for word in s.split_whitespace() {
        let room = MAX_HEADER_VALUE.saturating_sub(out.len() + 1);
        if room == 0 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let mut end = word.len().min(room);
        while !word.is_char_boundary(end) {
            end -= 1;
        }
        out.push_str(&word[..end]);
    }
    out
}

/// Decode RFC 2047 encoded words in a header value.
fn decode_words(s: &str) -> String {
    let mut bytes = s.as_bytes().to_vec();
    bytes.push(b'\n');
    let mut stream = mail_parser::parsers::MessageStream::new(&bytes);
    match stream.parse_unstructured() {
        HeaderValue::Text(t) => unfold(&t),
        _ => unfold(s),
    }
}

fn return_path(msg: &Message<'_>, data: &[u8]) -> Option<String> {
    let h = msg
        .headers()
        .iter()
        .find(|h| h.name == HeaderName::ReturnPath)?;
    let raw = raw_value(data, h.offset_start, h.offset_end);
    let inner = raw
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    if inner.is_empty() {
        return Some(String::new());
    }
    Some(match &h.value {
        HeaderValue::Text(t) => t.trim().to_lowercase(),
        _ => inner.to_lowercase(),
    })
}

/// A safe attachment file name.
pub fn sanitize_filename(name: &str, index: usize) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| {
            if matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    if cleaned.is_empty() {
        format!("attachment-{index}")
    } else {
        first_chars(&cleaned, 200).to_string()
    }
}

fn attachment_info(index: usize, part: &mail_parser::MessagePart<'_>) -> AttachmentInfo {
    let content_type = part
        .content_type()
        .map(|ct| content_type_string(ct.ctype(), ct.subtype()))
        .unwrap_or_else(|| {
            if part.is_message() {
                "message/rfc822".to_string()
            } else if part.is_text() {
                "text/plain".to_string()
            } else {
                "application/octet-stream".to_string()
            }
        });
    let name = match part.attachment_name() {
        Some(n) => sanitize_filename(n, index),
        None if part.is_message() => format!("attachment-{index}.eml"),
        None => format!("attachment-{index}"),
    };
    AttachmentInfo {
        index,
        name,
        content_type,
        size: part.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_line_endings_bom_and_leading_blanks() {
        assert_eq!(
            *normalize(b"A: 1\rB: 2\r\rbody\r"),
            *b"A: 1\nB: 2\n\nbody\n"
        );
        assert_eq!(*normalize(b"A: 1\r\nB: 2\r\n"), *b"A: 1\r\nB: 2\r\n");
        assert_eq!(*normalize(b"\xEF\xBB\xBFA: 1\n"), *b"A: 1\n");
        assert_eq!(*normalize(b"\n  \n\t\r\nA: 1\n"), *b"A: 1\n");
        assert_eq!(
            *normalize(b"From jo@x.com Mon Mar  2 10:00:00 2026\nFrom: jo@x.com\n"),
            *b"From: jo@x.com\n"
        );
        assert_eq!(*normalize(b""), *b"");
        assert_eq!(*normalize(b"\n\n"), *b"");
        // Mail that needs no change is not copied.
        assert!(matches!(normalize(b"A: 1\r\n\r\nbody"), Cow::Borrowed(_)));
    }

    #[test]
    fn long_subjects_and_header_values_are_cut_for_the_decisions() {
        let raw = format!(
            "From: a@b.example\nSubject: {}\nX-Long: {}\n\nbody",
            "s".repeat(10_000),
            "v ".repeat(20_000)
        );
        let m = parse(raw.as_bytes()).unwrap();
        assert_eq!(m.subject.chars().count(), MAX_SUBJECT_CHARS + 1);
        assert!(m.subject.ends_with('…'));
        assert!(m.header("x-long").unwrap().len() <= MAX_HEADER_VALUE);
        assert!(m.header("subject").unwrap().len() <= MAX_HEADER_VALUE);
    }

    #[test]
    fn parse_basic_fields() {
        let raw = b"Return-Path: <Bounce@X.com>\r\nFrom: \"Doe, Jane\" <Jane@Example.COM>\r\nTo: a@b.com, C <c@d.com>\r\nSubject: =?UTF-8?Q?Caf=C3=A9?= order\r\nDate: Mon, 2 Mar 2026 10:15:00 +0100\r\nMessage-ID: <abc@x.com>\r\nIn-Reply-To: <p@x.com>\r\nReferences: <a@x.com>\r\n <p@x.com>\r\nX-Thing: =?UTF-8?B?w6k=?=\r\n\r\nHello\r\n";
        let m = parse(raw).unwrap();
        assert_eq!(m.message_id.as_deref(), Some("abc@x.com"));
        let from = m.from.clone().unwrap();
        assert_eq!(from.email, "jane@example.com");
        assert_eq!(from.name.as_deref(), Some("Doe, Jane"));
        assert_eq!(m.to.len(), 2);
        assert_eq!(m.to[1].email, "c@d.com");
        assert_eq!(m.subject, "Café order");
        assert_eq!(m.date.unwrap().to_rfc3339(), "2026-03-02T09:15:00+00:00");
        assert_eq!(m.in_reply_to, vec!["p@x.com"]);
        assert_eq!(m.references, vec!["a@x.com", "p@x.com"]);
        assert_eq!(m.return_path.as_deref(), Some("bounce@x.com"));
        assert_eq!(m.content_type, "text/plain");
        assert_eq!(m.body_text.trim(), "Hello");
        assert_eq!(m.header("x-thing"), Some("é"));
        assert_eq!(m.header("Subject"), Some("Café order"));
        assert_eq!(m.header("message-id"), Some("<abc@x.com>"));
        assert!(m.forwarded.is_none());
    }

    #[test]
    fn empty_return_path_and_errors() {
        let m = parse(b"Return-Path: <>\nFrom: a@b.com\n\nx").unwrap();
        assert_eq!(m.return_path.as_deref(), Some(""));
        assert!(matches!(parse(b""), Err(ParseError::Empty)));
        assert!(matches!(parse(b" \r\n\n"), Err(ParseError::Empty)));
        assert!(matches!(
            parse(b"X-Foo: bar\n\nbody"),
            Err(ParseError::NoHeaders)
        ));
        assert!(matches!(
            parse(b"just some text\nwithout headers"),
            Err(ParseError::NoHeaders)
        ));
    }

    #[test]
    fn leading_blank_line_and_bare_cr_still_parse() {
        let m = parse(b"\n \nFrom: a@b.com\nSubject: hi\n\nbody").unwrap();
        assert_eq!(m.subject, "hi");
        let m = parse(b"From: a@b.com\rSubject: hi\r\rbody\r").unwrap();
        assert_eq!(m.subject, "hi");
        assert_eq!(m.body_text.trim(), "body");
    }

    #[test]
    fn empty_text_falls_back_to_html_and_broken_structure_is_mended() {
        for ctype in ["alternative", "mixed"] {
            let raw = format!("From: a@b.example\nSubject: t\nMIME-Version: 1.0\nContent-Type: multipart/{ctype}; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain; charset=utf-8\n\n \n--b1\nContent-Type: text/html; charset=utf-8\n\n<p>Hello from HTML</p>\n--b1--\n");
            assert_eq!(
                parse(raw.as_bytes()).unwrap().body_text,
                "Hello from HTML",
                "{ctype}"
            );
        }
        let raw = b"From: a@b.example\nSubject: t\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"outer\"\n\n--outer\nContent-Type: multipart/alternative; boundary=\"inner\"\n\n--inner\nContent-Type: text/plain; charset=utf-8\n\nHello inner text\n\n--outer\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"x.txt\"\n\nattached\n--outer--\n";
        let m = parse(raw).unwrap();
        assert_eq!(m.body_text.trim(), "Hello inner text");
        assert!(m.repairs[0].contains("never closed"), "{:?}", m.repairs);
        let mut raw = b"From: a@b.example\nSubject: t\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 8bit\n\n".to_vec();
        raw.extend_from_slice(&encoding_rs::SHIFT_JIS.encode("ルーターが再起動します。").0);
        let m = parse(&raw).unwrap();
        assert_eq!(m.body_text.trim(), "ルーターが再起動します。");
        assert!(
            m.repairs[0].contains("read as Shift_JIS"),
            "{:?}",
            m.repairs
        );
    }

    #[test]
    fn html_only_body_is_converted() {
        let raw = b"From: a@b.com\nSubject: x\nContent-Type: text/html\n\n<p>Hello <b>there</b></p><p>Bye</p>";
        assert_eq!(parse(raw).unwrap().body_text, "Hello there\n\nBye");
    }

    #[test]
    fn attachments_are_listed_and_fetched() {
        let raw = b"From: a@b.com\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain\n\nsee attached\n--XX\nContent-Type: application/pdf; name=\"../../etc/.passwd\"\nContent-Disposition: attachment; filename=\"../../etc/.passwd\"\nContent-Transfer-Encoding: base64\n\naGVsbG8=\n--XX\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAEC\n--XX--\n";
        let m = parse(raw).unwrap();
        assert_eq!(m.body_text.trim(), "see attached");
        assert_eq!(m.attachments.len(), 2);
        assert_eq!(m.attachments[0].name, "passwd");
        assert_eq!(m.attachments[0].content_type, "application/pdf");
        assert_eq!(m.attachments[0].size, 5);
        assert_eq!(m.attachments[1].name, "attachment-2");
        let (info, bytes) = attachment(raw, 1).unwrap();
        assert_eq!(info.index, 1);
        assert_eq!(bytes, b"hello");
        assert_eq!(attachment(raw, 2).unwrap().1, vec![0, 1, 2]);
        assert!(attachment(raw, 3).is_none());
        assert!(attachment(raw, 0).is_none());
    }

    #[test]
    fn filenames_are_sanitised() {
        let cases: &[(&str, &str)] = &[
            ("report.pdf", "report.pdf"),
            ("C:\\Users\\x\\report.pdf", "report.pdf"),
            ("/etc/passwd", "passwd"),
            ("..", "attachment-3"),
            (".hidden", "hidden"),
            ("a\u{0}b\nc.txt", "abc.txt"),
            ("", "attachment-3"),
            ("what?.txt", "what_.txt"),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize_filename(input, 3), *want, "{input:?}");
        }
    }

    #[test]
    fn mbox_splitting() {
        let data = b"\xEF\xBB\xBFFrom a@b.com Mon Mar  2 10:00:00 2026\nFrom: a@b.com\nSubject: one\n\nbody\n>From here\nFrom the start we knew\n\nFrom b@b.com Mon Mar  2 11:00:00 2026\nFrom: b@b.com\nSubject: two\n\nbody two\n";
        let msgs = split_mbox(data);
        assert_eq!(msgs.len(), 2);
        assert_eq!(
            String::from_utf8_lossy(&msgs[0]),
            "From: a@b.com\nSubject: one\n\nbody\nFrom here\nFrom the start we knew\n"
        );
        assert!(String::from_utf8_lossy(&msgs[1]).starts_with("From: b@b.com\nSubject: two"));

        let msgs = split_mbox(b"From: orphan@x.com\nSubject: before\n\nx\n\nFrom a@b.com Mon Mar  2 10:00:00 2026\nFrom: a@b.com\n\ny\n");
        assert_eq!(msgs.len(), 2);
        assert!(msgs[0].starts_with(b"From: orphan@x.com"));

        assert!(split_mbox(b"").is_empty());
        assert!(split_mbox(b" \n").is_empty());
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use crate::mail::date::parse_loose_date;
    use crate::mail::forward::find_inline_forward;
    use crate::mail::html::html_to_text;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn parse_never_panics(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
            prop_assert!(!matches!(parse(&data), Err(ParseError::Panic(_))));
        }

        #[test]
        fn parse_survives_header_soup(s in "(From|Subject|Content-Type|Date|To|Return-Path|\r|\n| |:|<|>|@|=\\?|multipart/mixed; boundary=x|--x|a|\u{e9})*") {
            prop_assert!(!matches!(parse(s.as_bytes()), Err(ParseError::Panic(_))));
        }

        #[test]
        fn text_helpers_never_panic(s in "\\PC*") {
            let _ = html_to_text(&s);
            let _ = find_inline_forward(&s);
            let _ = parse_loose_date(&s);
            let _ = normalize(s.as_bytes());
            let _ = split_mbox(s.as_bytes());
        }

        #[test]
        fn html_soup_never_panics(s in "(<|>|/|a|p|br|blockquote|li|ol|ul|href=|\"|'|&amp;|&#|!--|-->| |\n|\u{e9})*") {
            let _ = html_to_text(&s);
        }

        #[test]
        fn normalize_leaves_no_bare_cr(data in proptest::collection::vec(any::<u8>(), 0..512)) {
            let n = normalize(&data);
            for (i, b) in n.iter().enumerate() {
                if *b == b'\r' {
                    prop_assert_eq!(n.get(i + 1), Some(&b'\n'));
                }
            }
        }
    }
}
