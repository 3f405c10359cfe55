//! Finding the original message inside a forward.
//!
//! Two shapes exist: the original attached as a `message/rfc822` part, and
//! the original pasted inline under a client's separator and header block
//! (Outlook, Gmail, Apple Mail, Thunderbird, Yahoo, HubSpot, Zoho, …, in the
//! languages of [`super::labels`]). Each forwarded message found is a
//! [`Level`]; a forward of a forward has several. Which level is the
//! customer's is the caller's decision ([`Forwarded::through_staff`]): only
//! a level sent by staff is unwrapped further, so a customer's own quoted
//! history or attached message stays part of the customer's text.

use std::sync::OnceLock;

use chrono::DateTime;
use mail_parser::{Message, MimeHeaders};
use regex::Regex;

use super::address::{convert_address, parse_address_loose, Address};
use super::date::{parse_loose_date, SentAt};
use super::labels::{self, fold, Field, Separator, LANGUAGES};
use super::text::best_text;

/// One forwarded message inside a forward.
#[derive(Debug, Clone)]
pub struct Level {
    /// The sender of this message.
    pub from: Option<Address>,
    /// The sender's name when no address for it was found (Outlook prints
    /// `From: Ann Acme` for a contact of the address book).
    pub from_name: Option<String>,
    /// Where the sender's address was found when not on the From line, or
    /// why there is none, for `--explain` (see [`Found`]).
    pub found: Found,
    /// Its subject, as written (prefixes are not stripped).
    pub subject: Option<String>,
    /// Its date, best effort: `None` when it could not be read.
    pub date: Option<SentAt>,
    /// Its text (with anything quoted or forwarded inside it).
    pub body: String,
    /// How it was recognised, for `--explain`: `rfc822`, `outlook`, `gmail`,
    /// `apple`, `thunderbird`, `yahoo`, `original-message`, `forwarded`,
    /// `outlook-wrote` (the "On …, … wrote:" line).
    pub format: &'static str,
    /// The language of its labels, when they tell (`de`, `ja`, …).
    pub language: Option<&'static str>,
}

/// Where a forwarded message's sender address was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// On the From line (or in the attached message's From header).
    FromLine,
    /// On another line of the header block (`Reply-To:`, `Sender:`, a
    /// `mailto:` link).
    Block,
    /// In the sender's signature: the one address there, and it fits the name.
    Signature,
    /// Nowhere: the From line names the sender without an address.
    Nowhere,
}

impl Found {
    /// For `--explain`.
    pub fn says(self) -> &'static str {
        match self {
            Found::FromLine => "the From line",
            Found::Block => "the From line names no address; taken from another line of the forward's header block",
            Found::Signature => "the From line names no address; taken from the sender's signature (the only address there, and it fits the name)",
            Found::Nowhere => "the From line names no address and none was found in the header block or the signature: the case has the name and no contact address",
        }
    }
}

/// The original message found inside a forward.
#[derive(Debug, Clone)]
pub struct Forwarded {
    /// The original sender.
    pub from: Option<Address>,
    /// The original sender's name when no address was found for it.
    pub from_name: Option<String>,
    /// Where the original sender's address was found (see [`Found`]).
    pub found: Found,
    /// The original subject, as written (prefixes are not stripped).
    pub subject: Option<String>,
    /// The original date, best effort: `None` when it could not be read.
    pub date: Option<SentAt>,
    /// The original message's text.
    pub body: String,
    /// The (outermost) forwarder's own text above the forwarded block.
    pub note: String,
    /// How the forward was recognised (see [`Level::format`]).
    pub format: &'static str,
    /// The language of the forward block's labels, when they tell.
    pub language: Option<&'static str>,
    /// How many forwards deep the original was taken from (1 = the message
    /// forwarded; more only through [`Forwarded::through_staff`]).
    pub depth: usize,
    /// Every forwarded message found, outermost first: `levels[0]` is the
    /// message the forwarder forwarded, `levels[1]` a message inside it, …
    pub levels: Vec<Level>,
}

impl Forwarded {
    fn new(note: String, levels: Vec<Level>) -> Option<Forwarded> {
        let first = levels.first()?.clone();
        Some(Forwarded {
            from: first.from,
            from_name: first.from_name,
            found: first.found,
            subject: first.subject,
            date: first.date,
            body: first.body,
            note,
            format: first.format,
            language: first.language,
            depth: 1,
            levels,
        })
    }

    /// The original taken from the deepest level reached while the sender of
    /// each level above it is staff (`is_staff`), and why it stopped there.
    /// A customer's quoted history or attached message is never unwrapped.
    pub fn through_staff(&self, is_staff: impl Fn(&str) -> bool) -> (Forwarded, String) {
        let mut depth = 1;
        let why = loop {
            let level = &self.levels[depth - 1];
            let Some(from) = level.from.as_ref() else {
                break match &level.from_name {
                    Some(name) => format!("level {depth} names `{name}` without an address"),
                    None => format!("level {depth} names no sender"),
                };
            };
            if !is_staff(&from.email) {
                break format!("level {depth} is from `{}`, not staff", from.email);
            }
            if depth == self.levels.len() {
                break format!(
                    "level {depth} is from staff (`{}`) but forwards nothing",
                    from.email
                );
            }
            depth += 1;
        };
        let level = self.levels[depth - 1].clone();
        let fwd = Forwarded {
            from: level.from,
            from_name: level.from_name,
            found: level.found,
            subject: level.subject,
            date: level.date,
            body: level.body,
            note: self.note.clone(),
            format: level.format,
            language: level.language,
            depth,
            levels: self.levels.clone(),
        };
        (fwd, why)
    }
}

/// The mail clients that write a forward in this layout (`Level::format`),
/// for `--explain`: a layout is shared, so this names the family.
pub fn clients_of(format: &str) -> &'static str {
    match format {
        "rfc822" => "any client that attaches the original (Outlook, Thunderbird, Apple Mail…)",
        "outlook" => "Outlook (desktop, new, on the web, for Mac) or GMX/Web.de",
        "outlook-wrote" => "Outlook 2019 (\"On …, … wrote:\" above the indented original)",
        "gmail" => "Gmail, HubSpot, Missive, Spark or Zoho",
        "thunderbird" => "Thunderbird",
        "yahoo" => "Yahoo",
        "apple" => "Apple Mail (macOS, iOS) or MailMate",
        "original-message" => "Outlook, Samsung Email or IONOS (\"Original Message\")",
        _ => "an unnamed client",
    }
}

/// The forwarded original of `msg`: a `message/rfc822` part first, else an
/// inline block in `body_text` (the message's best text, see
/// [`super::parse::Inbound`]). Reports (`multipart/report` bounces) are never
/// forwards.
pub fn find_forward(msg: &Message<'_>, body_text: &str) -> Option<Forwarded> {
    if msg.is_content_type("multipart", "report") {
        return None;
    }
    if let Some(levels) = attached_levels(msg, 0) {
        return Forwarded::new(body_text.trim().to_string(), levels);
    }
    let (note, levels) = inline_levels(body_text, 0)?;
    Forwarded::new(note, levels)
}

/// An inline forwarded block in `text` (see the module docs for formats).
pub fn find_inline_forward(text: &str) -> Option<Forwarded> {
    let (note, levels) = inline_levels(text, 0)?;
    Forwarded::new(note, levels)
}

const MAX_DEPTH: usize = 8;

/// The levels under the first `message/rfc822` part of `msg`, if it has one.
fn attached_levels(msg: &Message<'_>, depth: usize) -> Option<Vec<Level>> {
    if depth > MAX_DEPTH || msg.is_content_type("multipart", "report") {
        return None;
    }
    let inner = msg.attachments().find_map(|part| {
        let is_rfc822 = part.is_content_type("message", "rfc822")
            || part.is_content_type("message", "global")
            || part.message().is_some();
        part.message().filter(|_| is_rfc822)
    })?;
    let body = best_text(inner);
    let mut levels = vec![Level {
        from: inner
            .from()
            .and_then(|a| a.iter().find_map(convert_address)),
        from_name: None,
        found: Found::FromLine,
        subject: inner.subject().map(|s| s.trim().to_string()),
        date: inner
            .date()
            .filter(|d| d.is_valid())
            .and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0))
            .map(SentAt::Zoned),
        body: body.trim().to_string(),
        format: "rfc822",
        language: None,
    }];
    // The attached message may itself be a forward (or carry a message).
    let deeper = attached_levels(inner, depth + 1)
        .or_else(|| inline_levels(&body, depth + 1).map(|(_, l)| l));
    levels.extend(deeper.unwrap_or_default());
    Some(levels)
}

// ---------------------------------------------------------------------------
// Header lines and separators

/// `(field, value, languages)` when `line` looks like a header line: `Key:
/// value`, also `*Key:* value` / `**Key:** value` from HTML conversions and
/// the full-width colon of CJK clients. Keys are short and start with a
/// letter. Written out by hand: a Unicode regex costs much of an `ingest`
/// process's time to compile.
pub(super) fn header_line(line: &str) -> Option<(Field, String, &'static [&'static str])> {
    let rest = line.trim().trim_start_matches('*').trim_start();
    let colon = first_colon(rest)?;
    let key = &rest[..colon];
    let value = &rest[colon + rest[colon..].chars().next()?.len_utf8()..];
    let key = key.trim_end().trim_end_matches('*').trim_end();
    let first = key.chars().next()?;
    let key_like = first.is_alphabetic()
        && key.chars().count() <= 25
        && key
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | ' ' | '\'' | '.' | '(' | ')'));
    if !key_like {
        return None;
    }
    // Unknown keys like "Importance:" are tolerated inside a block (Other).
    let (field, langs) = labels::field_of(key).unwrap_or((Field::Other, &[]));
    Some((
        field,
        value.trim().trim_matches('*').trim().to_string(),
        langs,
    ))
}

/// Where the first `:` or full-width `：` of `s` is. Searched for bytewise:
/// every line of a body is asked, and a search for either char decoded
/// each character of a long paragraph, a tenth of a bulk import's time.
fn first_colon(s: &str) -> Option<usize> {
    const FULL_WIDTH: &[u8] = "：".as_bytes();
    let bytes = s.as_bytes();
    memchr::memchr2_iter(b':', FULL_WIDTH[0], bytes)
        .find(|&i| bytes[i] == b':' || bytes[i..].starts_with(FULL_WIDTH))
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Marker {
    pub(super) format: &'static str,
    /// The marker says "forwarded" (not "original message").
    pub(super) forward: bool,
    language: Option<&'static str>,
}

/// A separator line: the marker, and any text run on after it on the same
/// line (Yahoo writes its whole header block there).
pub(super) fn marker_of(line: &str) -> Option<(Marker, &str)> {
    let t = line.trim().trim_matches('*').trim();
    // Yahoo's run-together block makes a long line; nothing else is that long.
    if t.chars().count() < 3 || t.len() > 2000 {
        return None;
    }
    if t.len() >= 10 && t.chars().all(|c| c == '_') {
        return Some((
            Marker {
                format: "outlook",
                forward: false,
                language: None,
            },
            "",
        ));
    }
    let is_rule = |c: char| c == '-' || c == '=';
    let lead = t.chars().take_while(|c| is_rule(*c)).count();
    if lead >= 2 {
        // `----- Phrase -----` and whatever follows the closing rule.
        let inner = &t[lead..];
        let (phrase, rest) = match inner.find("--").or_else(|| inner.find("==")) {
            Some(end) => {
                let after = &inner[end..];
                let close = after.chars().take_while(|c| is_rule(*c)).count();
                (&inner[..end], &after[close..])
            }
            None => (inner, ""),
        };
        // Slovak Thunderbird: `Preposlaná správa --- Forwarded Message`.
        let phrase = phrase.trim().trim_end_matches([':', '：']).trim();
        let (kind, lang) = labels::separator_of(phrase).or_else(|| {
            let joined = format!("{phrase} --- {}", rest.trim().trim_matches(is_rule).trim());
            labels::separator_of(&joined)
        })?;
        let rest = if labels::separator_of(phrase).is_none() {
            ""
        } else {
            rest
        };
        let format = match (kind, lead) {
            (Separator::Original, _) => "original-message",
            (_, 10..) => "gmail",
            (_, 8 | 9) => "thunderbird",
            (_, 5..=7) => "yahoo",
            _ => "forwarded",
        };
        let marker = Marker {
            format,
            forward: kind == Separator::Forwarded,
            language: Some(lang),
        };
        return Some((marker, rest.trim()));
    }
    // Apple Mail's `Begin forwarded message:` and its translations, which
    // all end in a colon (checked first: most lines of a mail start with a
    // letter, and the phrase table is built on first use).
    if t.len() > 120
        || !t.chars().next().is_some_and(char::is_alphabetic)
        || !t.ends_with([':', '：'])
    {
        return None;
    }
    let phrase = t.trim_end_matches([':', '：']).trim();
    let (kind, lang) = labels::separator_of(phrase)?;
    let format = match kind {
        Separator::Forwarded => "apple",
        Separator::Original => "original-message",
    };
    Some((
        Marker {
            format,
            forward: kind == Separator::Forwarded,
            language: Some(lang),
        },
        "",
    ))
}

/// Split a run-together header block (`From: … To: … Sent: … Subject: …` on
/// one line, as Yahoo writes it) into its header lines. `None` unless it
/// holds a From and at least one other known field.
fn split_run_together(text: &str) -> Option<Vec<String>> {
    let mut starts: Vec<usize> = Vec::new();
    for (pos, c) in text.char_indices() {
        if c != ':' && c != '：' {
            continue;
        }
        // The label is the longest known one ending right before the colon
        // (a space before the colon allowed), after a non-letter: Yahoo glues
        // labels to the previous value (`…acme.com>To: …`, `GMT+1Subject:`).
        let before = text[..pos].trim_end();
        let window_start = before
            .char_indices()
            .rev()
            .take(25)
            .last()
            .map_or(before.len(), |(i, _)| i);
        let found = before[window_start..]
            .char_indices()
            .map(|(i, _)| window_start + i)
            .find(|&i| {
                let label = &before[i..];
                // Glued to letters too when capitalised (`…09:26:50 MEZBetreff:`).
                let boundary = before[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|p| !p.is_alphabetic())
                    || before[i..].chars().next().is_some_and(char::is_uppercase);
                boundary
                    && label.chars().next().is_some_and(char::is_alphabetic)
                    && labels::field_of(label).is_some()
            });
        if let Some(start) = found {
            starts.push(start);
        }
    }
    starts.dedup();
    if starts.len() < 2 {
        return None;
    }
    let mut pieces = Vec::new();
    if !text[..starts[0]].trim().is_empty() {
        return None;
    }
    for (i, s) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        pieces.push(text[*s..end].trim().to_string());
    }
    let fields: Vec<Field> = pieces
        .iter()
        .filter_map(|p| header_line(p).map(|h| h.0))
        .collect();
    (fields.first() == Some(&Field::From) && fields.len() >= 2).then_some(pieces)
}

/// Forward prefixes only (not reply prefixes), after any reply prefixes.
pub fn is_forward_subject(subject: &str) -> bool {
    let mut s = subject;
    while let Some((prefix, rest)) = subject_prefix(s) {
        if labels::prefix_kind(prefix) == Some(true) {
            return true;
        }
        s = rest;
    }
    false
}

/// The first reply/forward prefix of `s` (without counter and colon) and what
/// follows it, when `s` starts with one.
fn subject_prefix(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start();
    let colon = s.find([':', '：'])?;
    if colon > 40 {
        return None;
    }
    let head = s[..colon].trim_end();
    // Counters: `Re[2]:`, `AW(3):`.
    let word = head
        .strip_suffix(']')
        .and_then(|h| h.rsplit_once('['))
        .or_else(|| head.strip_suffix(')').and_then(|h| h.rsplit_once('(')))
        .filter(|(_, n)| n.chars().all(|c| c.is_ascii_digit()))
        .map_or(head, |(w, _)| w)
        .trim_end();
    labels::prefix_kind(word)?;
    let colon_len = s[colon..].chars().next()?.len_utf8();
    Some((word, &s[colon + colon_len..]))
}

/// `subject` without any number of leading reply/forward prefixes in any
/// language of [`super::labels`] (`Re:`, `Fwd:`, `FW:`, `AW:`, `WG:`, `TR:`,
/// `RV:`, `İLT:`, `ПЕРЕСЛ:`, `转发:`…), in any case, with optional `[n]`
/// counters. `[Case #N]` tags are kept: see [`super::thread`].
pub fn strip_subject_prefixes(subject: &str) -> String {
    let mut s = subject.trim();
    while let Some((_, rest)) = subject_prefix(s) {
        s = rest.trim_start();
    }
    s.trim().to_string()
}
/// Header-like command lines at the very top of a forwarder's note
/// (`Priority: expedited`, `Category: …`, `Account: …`, `Type: …`): the
/// commands as `(lowercased key, value)` and the note without them.
pub fn note_commands(note: &str) -> (Vec<(String, String)>, String) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)^\s*\*{0,2}(priority|category|account|type)\*{0,2}\s*:\s*\*{0,2}\s*(.*?)\s*$",
        )
        .expect("valid regex")
    });
    let lines: Vec<&str> = note.lines().collect();
    let mut commands = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
            continue;
        }
        match re.captures(line) {
            Some(c) if !c[2].is_empty() => {
                commands.push((c[1].to_lowercase(), c[2].to_string()));
                i += 1;
            }
            _ => break,
        }
    }
    if commands.is_empty() {
        return (commands, note.trim().to_string());
    }
    (commands, lines[i..].join("\n").trim().to_string())
}

// ---------------------------------------------------------------------------
// Inline detection

pub(super) fn quote_depth(line: &str) -> usize {
    let mut depth = 0;
    let mut rest = line.trim_start();
    while let Some(r) = rest.strip_prefix('>') {
        depth += 1;
        rest = r.trim_start();
    }
    depth
}

/// Remove up to `n` quote markers from the start of `line`.
pub(super) fn unquote(line: &str, n: usize) -> &str {
    let mut rest = line;
    for _ in 0..n {
        let t = rest.trim_start();
        match t.strip_prefix('>') {
            Some(r) => rest = r.strip_prefix(' ').unwrap_or(r),
            None => break,
        }
    }
    rest
}

pub(super) struct Block {
    pub(super) from: Option<String>,
    pub(super) date: Option<String>,
    pub(super) subject: Option<String>,
    pub(super) fields: usize,
    /// The values of the block's other lines (`Reply-To:`, `Sender:`, …).
    others: Vec<String>,
    /// The languages of each known label read, From's first.
    labels: Vec<&'static [&'static str]>,
    /// Index of the first line after the header block.
    end: usize,
}

impl Block {
    fn empty(end: usize) -> Block {
        Block {
            from: None,
            date: None,
            subject: None,
            fields: 0,
            others: Vec::new(),
            labels: Vec::new(),
            end,
        }
    }
}

/// Read a header block starting at `start` (blank lines before it are
/// skipped). Requires at least two known fields, one of them From.
pub(super) fn read_block(lines: &[&str], start: usize, need_from_first: bool) -> Option<Block> {
    let mut i = start;
    while i < lines.len() && lines[i].trim().is_empty() && i < start + 3 {
        i += 1;
    }
    let mut block = Block::empty(i);
    let mut seen: Vec<Field> = Vec::new();
    let mut last: Option<Field> = None;
    let first = i;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            // A blank line ends the block, unless an unseen known header
            // follows at once (converters put blank lines between them).
            let next = lines[i + 1..].iter().position(|l| !l.trim().is_empty());
            match next.map(|n| i + 1 + n) {
                Some(j) if j <= i + 2 && block.from.is_some() => match header_line(lines[j]) {
                    Some((f, _, _)) if f != Field::Other && !seen.contains(&f) => {
                        i = j;
                        continue;
                    }
                    _ => break,
                },
                _ => break,
            }
        }
        match header_line(line) {
            Some((field, value, langs)) => {
                if i == first && need_from_first && field != Field::From {
                    return None;
                }
                if field == Field::Other {
                    // Unknown keys only inside a block that has a From.
                    block.from.as_ref()?;
                    block.others.push(value.clone());
                } else if seen.contains(&field) {
                    break;
                } else {
                    seen.push(field);
                    block.fields += 1;
                    if field == Field::From {
                        block.labels.insert(0, langs);
                    } else {
                        block.labels.push(langs);
                    }
                }
                match field {
                    Field::From => block.from = Some(value),
                    Field::Date => block.date = Some(value),
                    Field::Subject => block.subject = Some(value),
                    _ => {}
                }
                last = Some(field);
            }
            None => {
                // A wrapped To/Cc/Subject value continues on the next line.
                let continues = matches!(last, Some(Field::To | Field::Cc | Field::Subject))
                    && lines
                        .get(i + 1)
                        .is_some_and(|n| header_line(n).is_some_and(|(f, _, _)| f != Field::Other));
                if !continues {
                    break;
                }
                if last == Some(Field::Subject) {
                    if let Some(s) = block.subject.as_mut() {
                        s.push(' ');
                        s.push_str(line.trim());
                    }
                }
            }
        }
        i += 1;
    }
    block.end = i;
    (block.from.is_some() && block.fields >= 2).then_some(block)
}

/// The language a block's labels are in: among the languages of its From
/// label, the one most of its other labels (and the separator) share.
fn block_language(block: &Block, marker: Option<&'static str>) -> Option<&'static str> {
    let candidates = block.labels.first()?;
    let score = |code: &str| {
        block.labels[1..]
            .iter()
            .filter(|langs| langs.contains(&code))
            .count()
            + usize::from(marker == Some(code)) * 2
    };
    let mut best: Option<(&'static str, usize)> = None;
    for code in candidates.iter() {
        let s = score(code);
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((code, s));
        }
    }
    // English labels under a localised separator: the separator's language.
    match (best, marker) {
        (Some(("en", _)), Some(m)) => Some(m),
        (b, _) => b.map(|(c, _)| c),
    }
}

/// Where a forward starts: the line index of the marker (or of the header
/// block when there is no marker), the marker, and the parsed header block.
fn locate(lines: &[&str]) -> Option<(usize, Marker, Block)> {
    for (i, raw) in lines.iter().enumerate() {
        let depth = quote_depth(raw);
        let line = unquote(raw, depth);
        let marker = marker_of(line).map(|m| m.0);
        let field = header_line(line).map(|(f, _, _)| f);
        let from_line = field == Some(Field::From);
        // GMX and Web.de put the date above the From line.
        let date_then_from = field == Some(Field::Date)
            && lines.get(i + 1).is_some_and(|next| {
                header_line(unquote(next, depth)).is_some_and(|(f, _, _)| f == Field::From)
            });
        if marker.is_none() && !from_line && !date_then_from {
            continue;
        }
        let section: Vec<&str> = lines.iter().map(|l| unquote(l, depth)).collect();
        if let Some(marker) = marker {
            // Headers may be quoted one level deeper than the marker.
            let next = section[i + 1..].iter().position(|l| !l.trim().is_empty());
            let extra = next.map_or(0, |n| quote_depth(section[i + 1 + n]));
            let inner: Vec<&str> = section.iter().map(|l| unquote(l, extra)).collect();
            if let Some(block) = read_block(&inner, i + 1, false) {
                return Some((i, marker, block));
            }
            // "Begin forwarded message:" with nothing usable: still a forward.
            if marker.forward && next.is_none() {
                return Some((i, marker, Block::empty(lines.len())));
            }
            continue;
        }
        if date_then_from {
            if let Some(block) = read_block(&section, i, false).filter(|b| b.fields >= 3) {
                let marker = Marker {
                    format: "outlook",
                    forward: false,
                    language: None,
                };
                return Some((i, marker, block));
            }
            continue;
        }
        if let Some(block) = read_block(&section, i, true) {
            if block.date.is_some() || block.subject.is_some() {
                let marker = Marker {
                    format: "outlook",
                    forward: false,
                    language: None,
                };
                return Some((i, marker, block));
            }
        }
    }
    None
}

/// Outlook's attribution line above an indented or quoted original: `On
/// <date>, "Name" <address> wrote:`, `Am <date> schrieb "Name" <address>:`,
/// `"Name" <address> kirjoitti <date>:`… (the words of [`super::labels`]).
/// The sender's mailbox and the date text.
fn attribution_of(line: &str) -> Option<(String, String, &'static str)> {
    let t = line.trim();
    let body = t.strip_suffix([':', '：'])?.trim_end();
    if body.chars().count() > 300 {
        return None;
    }
    // The mailbox: the <…>, […] or (…) around the last `@`.
    let at = body.rfind('@')?;
    let open = body[..at].rfind(['<', '[', '('])?;
    let close = at + body[at..].find(['>', ']', ')'])?;
    let before = body[..open].trim_end().trim_end_matches('(').trim_end();
    let after = &body[close + 1..];
    let folded_before = fold(before);
    let folded_after = fold(after);
    for lang in LANGUAGES {
        for (start, end) in lang.wrote {
            let (start, end) = (fold(start), fold(end));
            let start_ok = start.is_empty()
                || folded_before == start
                || folded_before.starts_with(&format!("{start} "));
            let end_in_before = folded_before.contains(&end);
            if !start_ok || !(end_in_before || folded_after.contains(&end)) {
                continue;
            }
            let name = quoted_name(before).unwrap_or_else(|| unquoted_name(before, &end));
            // A line wrapped inside the address leaves a space in it: no address has one.
            let address: String = body[open..=close]
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let mailbox = format!("\"{}\" {address}", name.replace('"', ""));
            let date = before
                .get(start.len().min(before.len())..)
                .unwrap_or("")
                .to_string();
            return Some((mailbox, date, lang.code));
        }
    }
    None
}

/// The name in front of the mailbox of an attribution line without quotes:
/// the words after the verb, a word that introduces the sender
/// (`heeft`, `időpontban`…) or the last comma.
fn unquoted_name(before: &str, verb: &str) -> String {
    let folded = fold(before);
    let words: Vec<&str> = before.split_whitespace().collect();
    let folded_words: Vec<&str> = folded.split(' ').collect();
    let cut = folded_words
        .iter()
        .rposition(|w| *w == verb || labels::WROTE_SENDER_AFTER.contains(w));
    if let Some(i) = cut.filter(|_| words.len() == folded_words.len()) {
        return words[i + 1..].join(" ");
    }
    before
        .rsplit_once(',')
        .map_or(before, |(_, r)| r)
        .trim()
        .to_string()
}

fn quoted_name(s: &str) -> Option<String> {
    let s = s.trim_end();
    for (open, close) in [('"', '"'), ('«', '»'), ('„', '”'), ('“', '”'), ('\'', '\'')] {
        let Some(inner) = s.strip_suffix(close) else {
            continue;
        };
        if let Some(start) = inner.rfind(open) {
            let name = inner[start + open.len_utf8()..].trim();
            if !name.is_empty() {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// The attribution line at `lines[i]`, also when the client wrapped it
/// over two lines (`On …, Ann Acme <ann@acme.example>` / `wrote:`, or in
/// the middle of the name or address): the sender's mailbox, the date text,
/// the language and how many lines it takes.
pub(super) fn attribution_at(
    lines: &[&str],
    i: usize,
) -> Option<(String, String, &'static str, usize)> {
    let line = lines.get(i)?;
    if let Some((mailbox, date, lang)) = attribution_of(line) {
        return Some((mailbox, date, lang, 1));
    }
    let next = lines.get(i + 1)?;
    let ends = |l: &str| l.trim_end().ends_with([':', '：']);
    if line.trim().is_empty() || next.trim().is_empty() || ends(line) || !ends(next) {
        return None;
    }
    if quote_depth(line) != quote_depth(next) {
        return None;
    }
    let joined = format!(
        "{} {}",
        line.trim_end(),
        unquote(next, quote_depth(next)).trim()
    );
    attribution_of(&joined).map(|(mailbox, date, lang)| (mailbox, date, lang, 2))
}

/// Whether `text` (one line, or two joined) is an attribution line of any
/// language, with or without the sender's address (Thunderbird writes `On
/// <date>, Ann Acme wrote:`): the language. Only a sign that quoted text
/// follows; the caller checks that it does.
pub(super) fn wrote_phrase(text: &str) -> Option<&'static str> {
    let t = text.trim();
    let body = t.strip_suffix([':', '：'])?.trim_end();
    if body.chars().count() > 300 || body.is_empty() {
        return None;
    }
    let folded = fold(body);
    for lang in LANGUAGES {
        for (start, end) in lang.wrote {
            let (start, end) = (fold(start), fold(end));
            let start_ok = start.is_empty() || folded.starts_with(&format!("{start} "));
            // The verb ends the line (`… wrote`); or it stands before the
            // name under a start word (`Am <date> schrieb Max:`) or before
            // a date (`… skrev følgende den <date>`, `… kirjoitti <date>`).
            let verb_ok = folded.ends_with(&end)
                || folded.find(&format!(" {end} ")).is_some_and(|at| {
                    !start.is_empty() || folded[at..].chars().any(|c| c.is_ascii_digit())
                });
            if start_ok && verb_ok && folded.chars().any(|c| c.is_ascii_digit()) {
                return Some(lang.code);
            }
        }
    }
    None
}

/// An attribution line followed by an indented or quoted original.
fn locate_attribution(lines: &[&str]) -> Option<(usize, Block, &'static str)> {
    for (i, line) in lines.iter().enumerate() {
        if quote_depth(line) > 0 {
            continue;
        }
        let Some((mailbox, date, lang, used)) = attribution_at(lines, i) else {
            continue;
        };
        let rest: Vec<&&str> = lines[i + used..]
            .iter()
            .filter(|l| !l.trim().is_empty())
            .collect();
        let indented = !rest.is_empty()
            && rest
                .iter()
                .all(|l| l.starts_with("    ") || l.starts_with('\t') || quote_depth(l) > 0);
        if !indented {
            continue;
        }
        let mut block = Block::empty(i + used);
        block.from = Some(mailbox);
        block.date = Some(date);
        block.fields = 2;
        return Some((i, block, lang));
    }
    None
}

/// The lines of `text`, with a run-together header block (Yahoo) split into
/// one line per header, keeping the quote markers in front.
pub(super) fn normalize_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.lines() {
        let depth = quote_depth(raw);
        let line = unquote(raw, depth);
        let prefix = &raw[..raw.len() - line.len()];
        let marker_rest = marker_of(line)
            .map(|(_, rest)| rest)
            .filter(|r| !r.is_empty());
        let (head, run) = match marker_rest {
            Some(rest) => {
                let at = line.rfind(rest).unwrap_or(line.len());
                (Some(&line[..at]), rest)
            }
            None => (None, line),
        };
        let pieces = (head.is_some() || header_line(run).is_some_and(|(f, _, _)| f == Field::From))
            .then(|| split_run_together(run))
            .flatten();
        match (head, pieces) {
            (None, None) => out.push(raw.to_string()),
            (Some(h), None) => {
                out.push(format!("{prefix}{}", h.trim_end()));
                out.push(format!("{prefix}{run}"));
            }
            (h, Some(pieces)) => {
                if let Some(h) = h {
                    out.push(format!("{prefix}{}", h.trim_end()));
                }
                out.extend(pieces.into_iter().map(|p| format!("{prefix}{p}")));
            }
        }
    }
    out
}

/// The forwarder's note and every inline level in `text`, outermost first.
fn inline_levels(text: &str, depth: usize) -> Option<(String, Vec<Level>)> {
    if depth > MAX_DEPTH {
        return None;
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let owned = normalize_lines(&text);
    let lines: Vec<&str> = owned.iter().map(String::as_str).collect();
    let (start, marker, block) = match locate(&lines) {
        Some(found) => found,
        None => {
            let (i, block, lang) = locate_attribution(&lines)?;
            let marker = Marker {
                format: "outlook-wrote",
                forward: false,
                language: Some(lang),
            };
            (i, marker, block)
        }
    };
    let depth_here = quote_depth(lines[start]);
    let note = trim_note(&lines[..start]);
    // The body: lines after the header block, unquoted to the level of the
    // block (the marker's level plus the headers' own level). Zoho repeats
    // its separator below the block.
    let mut end = block.end.min(lines.len());
    if let Some(next) = (end..lines.len()).find(|&j| !lines[j].trim().is_empty()) {
        let again = marker_of(unquote(lines[next], quote_depth(lines[next])))
            .is_some_and(|(m, _)| m.format == marker.format && m.language == marker.language);
        if again && marker.format != "outlook" {
            end = next + 1;
        }
    }
    let header_depth = lines
        .get(start + 1..end)
        .and_then(|ls| ls.iter().find(|l| !l.trim().is_empty()))
        .map_or(0, |l| quote_depth(l).saturating_sub(depth_here));
    let body_lines: Vec<&str> = lines[end..]
        .iter()
        .map(|l| unquote(unquote(l, depth_here), header_depth))
        .collect();
    let body = trim_blank_lines(&unindent(&body_lines).join("\n"))
        .trim_start()
        .to_string();
    let language = if marker.format == "outlook-wrote" {
        marker.language
    } else {
        block_language(&block, marker.language).or(marker.language)
    };
    let (from, from_name, found) = sender_of(&block, &body);
    let mut levels = vec![Level {
        from,
        from_name,
        found,
        subject: block.subject.clone().filter(|s| !s.is_empty()),
        date: block.date.as_deref().and_then(parse_loose_date),
        body,
        format: marker.format,
        language,
    }];
    if let Some((_, deeper)) = inline_levels(&levels[0].body, depth + 1) {
        levels.extend(deeper);
    }
    Some((note, levels))
}

/// The sender of a header block: the address on its From line; else, when
/// the From line names only a person (Outlook's address-book contacts), an
/// address on another line of the block (`Reply-To:`, `Sender:`, a `mailto:`
/// link; never To or Cc, those are the recipients); else the address in the
/// sender's own text when it is the only one there and fits the name; else
/// the name alone.
fn sender_of(block: &Block, body: &str) -> (Option<Address>, Option<String>, Found) {
    let Some(value) = block.from.as_deref() else {
        return (None, None, Found::FromLine);
    };
    if let Some(a) = parse_address_loose(value) {
        return (Some(a), None, Found::FromLine);
    }
    let name = value
        .replace("<>", "")
        .trim()
        .trim_matches(|c: char| c == '"' || c == '\'' || c == '*' || c.is_whitespace())
        .to_string();
    let named = |email: String| Address {
        name: (!name.is_empty()).then(|| name.clone()),
        email,
    };
    if let Some(a) = block.others.iter().find_map(|v| parse_address_loose(v)) {
        return (Some(named(a.email)), None, Found::Block);
    }
    let own = super::quoted::split(body, block.subject.as_deref().unwrap_or("")).own;
    let mut found: Vec<String> = super::address::addresses_in(&own);
    found.sort();
    found.dedup();
    if let [only] = found.as_slice() {
        if fits_name(&name, only) {
            return (Some(named(only.clone())), None, Found::Signature);
        }
    }
    (None, (!name.is_empty()).then_some(name), Found::Nowhere)
}

/// Whether an address plausibly belongs to a name: a word of the name (3
/// letters or more, without accents or with German's `ö` as `oe`) is part of
/// its local part or domain (`Ann Acme` and `ann.b@…` or `…@acme.example`).
fn fits_name(name: &str, email: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let plain = |s: &str| -> String {
        s.nfd()
            .filter(|c| c.is_ascii_alphanumeric() || c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
    };
    let german = |s: &str| -> String {
        s.to_lowercase()
            .replace('ä', "ae")
            .replace('ö', "oe")
            .replace('ü', "ue")
            .replace('ß', "ss")
    };
    let email = email.to_lowercase();
    let (local, domain) = email.split_once('@').unwrap_or((&email, ""));
    let domain = domain.split('.').next().unwrap_or("");
    [plain(name), plain(&german(name))].iter().any(|n| {
        n.split_whitespace()
            .filter(|w| w.len() >= 3)
            .any(|w| local.contains(w) || domain.contains(w))
    })
}

/// A body quoted or indented as a whole (Missive quotes the original under
/// its headers; Outlook 2019 indents it by four spaces) loses that level.
fn unindent<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let text: Vec<&&str> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
    if text.is_empty() {
        return lines.to_vec();
    }
    if text.iter().all(|l| quote_depth(l) > 0) {
        return lines.iter().map(|l| unquote(l, 1)).collect();
    }
    for indent in ["    ", "\t"] {
        if text.iter().all(|l| l.starts_with(indent)) {
            return lines
                .iter()
                .map(|l| l.strip_prefix(indent).unwrap_or(l.trim_start()))
                .collect();
        }
    }
    lines.to_vec()
}

/// The forwarder's note: the lines above the block, without trailing
/// separator lines (`---`, `___`) or blank lines.
pub(super) fn trim_note(lines: &[&str]) -> String {
    let mut end = lines.len();
    while end > 0 {
        let t = lines[end - 1].trim();
        if t.is_empty() || (t.len() >= 3 && t.chars().all(|c| matches!(c, '-' | '_' | '=' | '*'))) {
            end -= 1;
        } else {
            break;
        }
    }
    lines[..end].join("\n").trim().to_string()
}

pub(super) fn trim_blank_lines(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let is_blank = |l: &&str| l.trim().is_empty() || l.trim() == ">";
    let first = lines.iter().position(|l| !is_blank(l));
    let last = lines.iter().rposition(|l| !is_blank(l));
    match (first, last) {
        (Some(a), Some(b)) => lines[a..=b]
            .iter()
            .map(|l| l.trim_end())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_colon_is_the_first_ascii_or_full_width_colon() {
        let cases: &[(&str, Option<usize>)] = &[
            ("From: Jane", Some(4)),
            ("件名：見積もり", Some(6)),
            ("a：b:c", Some(1)),
            ("a:b：c", Some(1)),
            // Other characters that start with the full-width colon's first byte.
            ("ｆｕｌｌ width, no colon", None),
            ("ｆ：", Some(3)),
            ("no colon at all", None),
            ("", None),
        ];
        for (s, want) in cases {
            assert_eq!(first_colon(s), *want, "{s:?}");
            assert_eq!(
                first_colon(s),
                s.find([':', '：']),
                "{s:?} against str::find"
            );
        }
    }

    #[test]
    fn subject_prefixes() {
        let cases: &[(&str, &str)] = &[
            ("Fwd: Router", "Router"),
            ("FW: Router", "Router"),
            ("Fw: Router", "Router"),
            ("Re: Fwd: RE: FW: Router", "Router"),
            ("WG: AW: Router", "Router"),
            ("TR: RE: Router", "Router"),
            ("RV: Router", "Router"),
            ("SV: Router", "Router"),
            ("Doorst: Router", "Router"),
            ("I: Router", "Router"),
            ("R: Router", "Router"),
            ("Re[2]: Router", "Router"),
            ("Re : Router", "Router"),
            ("fwd:Router", "Router"),
            ("RE:  [Case #12] Router", "[Case #12] Router"),
            ("Re: Fwd:", ""),
            ("Regarding: Router", "Regarding: Router"),
            ("Invoice: 123", "Invoice: 123"),
            ("Router", "Router"),
            ("İLT: YNT: Modem", "Modem"),
            ("ilt: Modem", "Modem"),
            ("ПЕРЕСЛ: Отв: Роутер", "Роутер"),
            ("Пересл: Відп: Роутер", "Роутер"),
            ("转发: 回复: 路由器", "路由器"),
            ("转发：路由器", "路由器"),
            ("轉寄: 回覆: 路由器", "路由器"),
            ("転送: 返信: ルーター", "ルーター"),
            ("전달: 회신: 라우터", "라우터"),
            ("ENC: RES: Roteador", "Roteador"),
            ("VS: SV: Router", "Router"),
            ("VB: Router", "Router"),
            ("VL: Vast: Reititin", "Reititin"),
            ("PD: Odp: Router", "Router"),
            ("Vá: Továbbítás: Router", "Router"),
            ("Redir.: Router", "Router"),
            ("Prosl: Odg: Router", "Router"),
            ("AW(2): WG: Router", "Router"),
            ("Fw: Wg: Tr: Router", "Router"),
            ("Videresend: Router", "Router"),
        ];
        for (input, want) in cases {
            assert_eq!(strip_subject_prefixes(input), *want, "{input}");
        }
    }

    #[test]
    fn forward_subjects() {
        for s in [
            "Fwd: x",
            "FW: x",
            "WG: x",
            "TR: x",
            "RV: x",
            "I: x",
            "Re: Fwd: x",
            "Doorst: x",
        ] {
            assert!(is_forward_subject(s), "{s}");
        }
        for s in ["Re: x", "AW: x", "x", "Fwdx: y", ""] {
            assert!(!is_forward_subject(s), "{s}");
        }
    }

    #[test]
    fn run_together_yahoo_block_is_split() {
        let text = "Note\n\n----- Forwarded Message ----- From: Jane Doe <jane@x.example> To: Alex <alex@y.example> Sent: Monday, March 2, 2026, 10:15 AM GMT Subject: Router: down\n\nHello,\nJane\n";
        let f = find_inline_forward(text).unwrap();
        assert_eq!(f.from.unwrap().email, "jane@x.example");
        assert_eq!(f.subject.as_deref(), Some("Router: down"));
        assert_eq!(f.body, "Hello,\nJane");
        assert_eq!(f.note, "Note");
    }

    #[test]
    fn outlook_attribution_lines() {
        for (line, email, name) in [
            (
                r#"On 2 March 2026, at 10:15, "Jane Doe" <jane@x.example> wrote:"#,
                "jane@x.example",
                "Jane Doe",
            ),
            (
                r#"Am 02.03.26, 10:15 schrieb "Jörg Müller" <jm@x.example>:"#,
                "jm@x.example",
                "Jörg Müller",
            ),
            (
                "Op 02-03-2026 10:15 heeft Sanne de Vries <s@x.example> geschreven:",
                "s@x.example",
                "Sanne de Vries",
            ),
            (
                "Dne 02.03.2026 10:15, Jana Nováková <j@x.example> napsal(a):",
                "j@x.example",
                "Jana Nováková",
            ),
            (
                r#""Ayşe Yılmaz" <a@x.example>, 2.03.2026 10:15 tarihinde şunu yazdı:"#,
                "a@x.example",
                "Ayşe Yılmaz",
            ),
        ] {
            let text = format!("Note\n\n{line}\n\n    Hello,\n    Jane\n");
            let f = find_inline_forward(&text).unwrap_or_else(|| panic!("{line}"));
            let from = f.from.unwrap();
            assert_eq!(from.email, email, "{line}");
            assert_eq!(from.name.as_deref(), Some(name), "{line}");
            assert_eq!(f.body, "Hello,\nJane", "{line}");
            assert_eq!(f.format, "outlook-wrote");
        }
        // Without an indented or quoted original it is only a sentence.
        assert!(find_inline_forward("On Monday, Jane <j@x.example> wrote:\nhello\n").is_none());
    }

    #[test]
    fn wrapped_attribution_lines() {
        for two in [
            "On Mon, 23 Nov 2026 at 10:02, Ann Acme <ann@acme.example>\nwrote:",
            "On Mon, 23 Nov 2026 at 10:02, Ann\nAcme <ann@acme.example> wrote:",
            "On Mon, 23 Nov 2026 at 10:02, Ann Acme <ann@acme.\nexample> wrote:",
            "On Mon, 23 Nov 2026 at 10:02, Ann Acme <\nann@acme.example> wrote:",
            "Am 23.11.26, 10:02 schrieb \"Ann Acme\"\n<ann@acme.example>:",
            "Le 23/11/2026 10:02, « Ann Acme » <ann@acme.example>\na écrit :",
            "\"Ann Acme\" <ann@acme.example> kirjoitti\n23.11.2026 klo 10.02:",
        ] {
            let text = format!("Note\n\n{two}\n\n    Hello,\n    Ann\n");
            let f = find_inline_forward(&text).unwrap_or_else(|| panic!("{two}"));
            let from = f.from.unwrap();
            assert_eq!(from.email, "ann@acme.example", "{two}");
            assert_eq!(from.name.as_deref(), Some("Ann Acme"), "{two}");
            assert_eq!(f.body, "Hello,\nAnn", "{two}");
        }
        // Two sentences are not one attribution line.
        assert!(find_inline_forward(
            "Note\n\nI wrote to Ann <ann@acme.example>\nyesterday:\n\n    x\n"
        )
        .is_none());
    }

    #[test]
    fn a_from_line_without_an_address() {
        let forward = |block: &str, body: &str| {
            let text = format!("Note\n\n-----Original Message-----\n{block}\n\n{body}\n");
            find_inline_forward(&text).unwrap()
        };
        let block =
            "From: Ann Acme\nSent: Monday, 23 November 2026 10:02\nTo: Alex Agent\nSubject: Router";
        // Nowhere: the name alone.
        let f = forward(block, "Hello,\nAnn");
        assert!(f.from.is_none());
        assert_eq!(f.from_name.as_deref(), Some("Ann Acme"));
        assert_eq!(f.found, Found::Nowhere);
        let (_, why) = f.through_staff(|_| true);
        assert_eq!(why, "level 1 names `Ann Acme` without an address");
        // Another line of the block; never To or Cc.
        let with_reply_to = block.replace("Sent:", "Reply-To: <ann@acme.example>\nSent:");
        let f = forward(&with_reply_to, "Hello");
        assert_eq!(f.from.as_ref().unwrap().email, "ann@acme.example");
        assert_eq!(f.from.unwrap().name.as_deref(), Some("Ann Acme"));
        assert_eq!(f.found, Found::Block);
        let f = forward(
            &block.replace("To: Alex Agent", "To: Alex <alex@ourco.example>"),
            "Hi",
        );
        assert_eq!(f.found, Found::Nowhere);
        // The signature, when its one address fits the name.
        for (body, want) in [
            (
                "Hello\n\nAnn Acme\nann.acme@acme.example",
                Some("ann.acme@acme.example"),
            ),
            ("Hello\n\nAnn\ninfo@acme.example", Some("info@acme.example")),
            ("Hello\n\nAnn\nann@acme.example\nsales@acme.example", None),
            ("Hello\n\nAnn\nbob@other.example", None),
            // An address in the quoted history below is not hers.
            (
                "Hello\n\nAnn\n\nFrom: Max <ann@acme.example>\nSent: Sunday\n\nold",
                None,
            ),
        ] {
            let f = forward(block, body);
            assert_eq!(f.from.map(|a| a.email).as_deref(), want, "{body}");
        }
    }

    #[test]
    fn only_staff_levels_are_unwrapped_further() {
        let text = "Note\n\n---------- Forwarded message ---------\nFrom: Jane <jane@customer.example>\nDate: Mon, Mar 2, 2026\nSubject: Fwd: Delay\n\nSee below.\n\n---------- Forwarded message ---------\nFrom: Supplier <s@supplier.example>\nDate: Sun, Mar 1, 2026\nSubject: Delay\n\nDelayed.\n";
        let found = find_inline_forward(text).unwrap();
        assert_eq!(found.levels.len(), 2);
        let (f, why) = found.through_staff(|e| e.ends_with("@ourco.example"));
        assert_eq!(f.from.unwrap().email, "jane@customer.example");
        assert_eq!(f.depth, 1);
        assert!(f.body.starts_with("See below.") && f.body.ends_with("Delayed."));
        assert!(why.contains("not staff"), "{why}");
        let (f, _) = found.through_staff(|e| e.ends_with("@customer.example"));
        assert_eq!(f.from.unwrap().email, "s@supplier.example");
        assert_eq!(f.depth, 2);
    }

    #[test]
    fn note_command_lines() {
        let (cmds, rest) = note_commands(
            "Priority: Expedited\nCATEGORY: Equipment Quote\n\naccount: Acme Corp\nType: P2\n\nPlease call them today.\nPriority: not a command here\n",
        );
        assert_eq!(
            cmds,
            vec![
                ("priority".to_string(), "Expedited".to_string()),
                ("category".to_string(), "Equipment Quote".to_string()),
                ("account".to_string(), "Acme Corp".to_string()),
                ("type".to_string(), "P2".to_string()),
            ]
        );
        assert_eq!(
            rest,
            "Please call them today.\nPriority: not a command here"
        );

        let (cmds, rest) = note_commands("Hi team,\nPriority: expedited\n");
        assert!(cmds.is_empty());
        assert_eq!(rest, "Hi team,\nPriority: expedited");

        let (cmds, rest) = note_commands("Priority: expedited");
        assert_eq!(cmds.len(), 1);
        assert_eq!(rest, "");

        let (cmds, rest) = note_commands("");
        assert!(cmds.is_empty());
        assert_eq!(rest, "");
    }
}
