//! Finding the original message inside a forward.
//!
//! Two shapes exist: the original attached as a `message/rfc822` part, and
//! the original pasted inline under a client-specific separator and header
//! block (Outlook, Gmail, Apple Mail, Thunderbird, Yahoo, "Original Message",
//! in several languages). For forwards of forwards the innermost original
//! wins; the note is always the outermost forwarder's own text.

use std::sync::OnceLock;

use chrono::DateTime;
use mail_parser::{Message, MimeHeaders};
use regex::Regex;

use super::address::{convert_address, parse_address_loose, Address};
use super::date::{parse_loose_date, SentAt};
use super::text::best_text;

/// The original message found inside a forward.
#[derive(Debug, Clone)]
pub struct Forwarded {
    /// The original sender.
    pub from: Option<Address>,
    /// The original subject, as written (prefixes are not stripped).
    pub subject: Option<String>,
    /// The original date, best effort: `None` when it could not be read.
    pub date: Option<SentAt>,
    /// The original message's text.
    pub body: String,
    /// The (outermost) forwarder's own text above the forwarded block.
    pub note: String,
    /// How the forward was recognised, for `--explain`: `rfc822`, `outlook`,
    /// `gmail`, `apple`, `thunderbird`, `yahoo`, `original-message`,
    /// `forwarded`.
    pub format: &'static str,
    /// How many forwards deep the original was found (1 = a plain forward).
    pub depth: usize,
}

/// The forwarded original of `msg`: a `message/rfc822` part first (recursing
/// into it when that message is itself a forward), else an inline block in
/// `body_text` (the message's best text, see [`super::parse::Inbound`]).
/// Reports (`multipart/report` bounces) are never forwards.
pub fn find_forward(msg: &Message<'_>, body_text: &str) -> Option<Forwarded> {
    find_forward_at(msg, body_text, 0)
}

const MAX_DEPTH: usize = 8;

fn find_forward_at(msg: &Message<'_>, body_text: &str, level: usize) -> Option<Forwarded> {
    // A delivery or disposition report carries the returned message: that
    // is not a forward.
    if level > MAX_DEPTH || msg.is_content_type("multipart", "report") {
        return None;
    }
    let attached = msg.attachments().find_map(|part| {
        let is_rfc822 = part.is_content_type("message", "rfc822")
            || part.is_content_type("message", "global")
            || part.message().is_some();
        part.message().filter(|_| is_rfc822)
    });
    if let Some(inner) = attached {
        let inner_subject = inner.subject().map(|s| s.trim().to_string());
        let inner_body = best_text(inner);
        let mut fwd = Forwarded {
            from: inner
                .from()
                .and_then(|a| a.first())
                .and_then(convert_address),
            subject: inner_subject.clone(),
            date: inner
                .date()
                .filter(|d| d.is_valid())
                .and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0))
                .map(SentAt::Zoned),
            body: inner_body.trim().to_string(),
            note: body_text.trim().to_string(),
            format: "rfc822",
            depth: 1,
        };
        // The attached message may itself be a forward.
        let nested = find_forward_at(inner, &inner_body, level + 1).or_else(|| {
            find_inline_at(&inner_body, level + 1)
                .filter(|_| inner_subject.as_deref().is_some_and(is_forward_subject))
        });
        if let Some(n) = nested {
            fwd.from = n.from;
            fwd.subject = n.subject;
            fwd.date = n.date;
            fwd.body = n.body;
            fwd.depth += n.depth;
        }
        return Some(fwd);
    }
    find_inline_at(body_text, level)
}

/// An inline forwarded block in `text` (see the module docs for formats).
pub fn find_inline_forward(text: &str) -> Option<Forwarded> {
    find_inline_at(text, 0)
}

// ---------------------------------------------------------------------------
// Separators and header names

#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    From,
    Date,
    To,
    Cc,
    Subject,
    Other,
}

fn field_of(key: &str) -> Option<Field> {
    let k = key.trim().to_lowercase();
    let k = k.trim_end_matches('.');
    let f = match k {
        "from" | "von" | "de" | "da" | "van" | "fra" | "från" | "od" | "remitente"
        | "de la part de" | "absender" => Field::From,
        "sent" | "date" | "gesendet" | "datum" | "envoyé" | "envoye" | "enviado" | "enviada"
        | "fecha" | "inviato" | "data" | "verzonden" | "verstuurd" | "sent at" | "enviado el"
        | "skickat" | "sendt" | "wysłano" | "date d'envoi" | "enviada em" | "enviado em"
        | "data de envio" | "gesendet am" | "verzonden op" => Field::Date,
        "to" | "an" | "à" | "a" | "para" | "aan" | "pour" | "till" | "til" | "do" => Field::To,
        "cc" | "kopie" | "cc." | "copie" | "cópia" | "copia" | "kopia" => Field::Cc,
        "subject" | "betreff" | "objet" | "asunto" | "oggetto" | "assunto" | "onderwerp"
        | "sujet" | "ämne" | "emne" | "temat" => Field::Subject,
        _ => return None,
    };
    Some(f)
}

/// `(field, value)` when `line` looks like a header line: `Key: value`, also
/// `*Key:* value` / `**Key:** value` from HTML conversions. Keys are short and
/// start with a letter. Written out by hand: the equivalent Unicode regex cost
/// most of a single `ingest` process's time to compile.
fn header_line(line: &str) -> Option<(Field, String)> {
    let rest = line.trim().trim_start_matches('*').trim_start();
    let (key, value) = rest.split_once(':')?;
    let key = key.trim_end().trim_end_matches('*').trim_end();
    let first = key.chars().next()?;
    let key_like = first.is_alphabetic()
        && key.chars().count() <= 25
        && key
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | ' ' | '\'' | '.'));
    if !key_like {
        return None;
    }
    // Tolerate "Sent:" etc. and unknown keys like "Importance:" (Other).
    let field = field_of(key).unwrap_or(Field::Other);
    Some((field, value.trim().trim_matches('*').trim().to_string()))
}

#[derive(Debug, Clone, Copy)]
struct Marker {
    format: &'static str,
    /// The marker says "forwarded" (not "original message").
    forward: bool,
}

/// Whether `line` could be a marker at all: most lines of a message are not, and
/// a cheap look spares compiling the marker patterns in every ingest process.
fn may_be_marker(line: &str) -> bool {
    let t = line.trim().trim_start_matches('*').trim_start();
    if t.starts_with("__") {
        return true;
    }
    if (t.starts_with("--") || t.starts_with("==")) && t.chars().any(char::is_alphabetic) {
        return true;
    }
    const APPLE_STARTS: &[&str] = &[
        "begin",
        "anfang",
        "début",
        "debut",
        "inicio",
        "comienzo",
        "inizio",
        "início",
        "começo",
        "comeco",
        "doorgestuurd",
    ];
    let head: String = t.chars().take(12).flat_map(char::to_lowercase).collect();
    APPLE_STARTS.iter().any(|w| head.starts_with(w))
}

fn marker_of(line: &str) -> Option<Marker> {
    if !may_be_marker(line) {
        return None;
    }
    static FWD: OnceLock<Regex> = OnceLock::new();
    static ORIG: OnceLock<Regex> = OnceLock::new();
    static APPLE: OnceLock<Regex> = OnceLock::new();
    static UNDERSCORE: OnceLock<Regex> = OnceLock::new();
    let fwd = FWD.get_or_init(|| {
        Regex::new(
            r"(?i)^\*?\s*(-{2,}|={2,})\s*(forwarded message|forwarded e-?mail|weitergeleitete nachricht|message transf[ée]r[ée]|mensaje reenviado|messaggio inoltrato|mensagem encaminhada|mensagem reencaminhada|doorgestuurd bericht|doorgestuurde e-?mail|vidarebefordrat meddelande|videresendt meddelelse|wiadomo[śs][ćc] przekazana)\s*(-{2,}|={2,})?\s*\*?\s*$",
        )
        .expect("valid regex")
    });
    let orig = ORIG.get_or_init(|| {
        Regex::new(
            r"(?i)^\*?\s*-{2,}\s*(original message|urspr[üu]ngliche nachricht|originalnachricht|message d'origine|message d’origine|message original|mensaje original|messaggio originale|mensagem original|oorspronkelijk bericht|origineel bericht|ursprungligt meddelande|oprindelig meddelelse|opprinnelig melding)\s*-{2,}\s*\*?\s*$",
        )
        .expect("valid regex")
    });
    let apple = APPLE.get_or_init(|| {
        Regex::new(
            r"(?i)^\*?\s*(begin forwarded message|anfang der weitergeleiteten nachricht|d[ée]but du message r[ée]exp[ée]di[ée]|inicio del mensaje reenviado|comienzo del mensaje reenviado|inizio messaggio inoltrato|in[ií]cio da mensagem reencaminhada|come[çc]o da mensagem encaminhada|in[ií]cio da mensagem encaminhada|begin doorgestuurd bericht|doorgestuurd bericht begint)\s*:?\s*\*?\s*$",
        )
        .expect("valid regex")
    });
    let underscore = UNDERSCORE.get_or_init(|| Regex::new(r"^_{10,}\s*$").expect("valid regex"));
    let t = line.trim();
    if let Some(c) = fwd.captures(t) {
        let dashes = c.get(1).map_or(0, |m| m.as_str().len());
        let format = match dashes {
            10.. => "gmail",
            8 | 9 => "thunderbird",
            5..=7 => "yahoo",
            _ => "forwarded",
        };
        return Some(Marker {
            format,
            forward: true,
        });
    }
    if orig.is_match(t) {
        return Some(Marker {
            format: "original-message",
            forward: false,
        });
    }
    if apple.is_match(t) {
        return Some(Marker {
            format: "apple",
            forward: true,
        });
    }
    if underscore.is_match(t) {
        return Some(Marker {
            format: "outlook",
            forward: false,
        });
    }
    None
}

/// Forward prefixes only (not reply prefixes).
pub fn is_forward_subject(subject: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)^\s*(?:(?:re|aw|sv|antw|r|rif|res|odp)\s*(?:\[\d+\])?\s*:\s*)*(?:fwd?|wg|tr|rv|i|doorst|enc|pd|vb|fs|vs|vl|fwd)\s*(?:\[\d+\])?\s*:")
            .expect("valid regex")
    });
    re.is_match(subject)
}

/// `subject` without any number of leading reply/forward prefixes
/// (`Re:`, `Fwd:`, `FW:`, `AW:`, `WG:`, `TR:`, `RV:`, `SV:`, `Doorst:`, `I:`,
/// `R:`…, any case, with optional `[n]` counters). `[Case #N]` tags are
/// kept: see [`super::thread`].
pub fn strip_subject_prefixes(subject: &str) -> String {
    // Every prefix ends in a colon; without one there is nothing to compile or match.
    if !subject.contains([':', '：']) {
        return subject.trim().to_string();
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)^\s*(?:re|fwd|fw|wg|tr|rv|aw|sv|vs|vl|antw|antwort|doorst|i|r|rif|enc|res|odp|pd|ynt|vb|fs|ref|rcpt)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*",
        )
        .expect("valid regex")
    });
    let mut s = subject.trim();
    while let Some(m) = re.find(s) {
        if m.end() == 0 {
            break;
        }
        s = s[m.end()..].trim_start();
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

fn quote_depth(line: &str) -> usize {
    let mut depth = 0;
    let mut rest = line.trim_start();
    while let Some(r) = rest.strip_prefix('>') {
        depth += 1;
        rest = r.trim_start();
    }
    depth
}

/// Remove up to `n` quote markers from the start of `line`.
fn unquote(line: &str, n: usize) -> &str {
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

struct Block {
    from: Option<String>,
    date: Option<String>,
    subject: Option<String>,
    fields: usize,
    /// Index of the first line after the header block.
    end: usize,
}

/// Read a header block starting at `start` (blank lines before it are
/// skipped). Requires at least two known fields, one of them From.
fn read_block(lines: &[&str], start: usize, need_from_first: bool) -> Option<Block> {
    let mut i = start;
    while i < lines.len() && lines[i].trim().is_empty() && i < start + 3 {
        i += 1;
    }
    let mut block = Block {
        from: None,
        date: None,
        subject: None,
        fields: 0,
        end: i,
    };
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
                    Some((f, _)) if f != Field::Other && !seen.contains(&f) => {
                        i = j;
                        continue;
                    }
                    _ => break,
                },
                _ => break,
            }
        }
        match header_line(line) {
            Some((field, value)) => {
                if i == first && need_from_first && field != Field::From {
                    return None;
                }
                if field == Field::Other {
                    // Unknown keys only inside a block that has a From.
                    block.from.as_ref()?;
                } else if seen.contains(&field) {
                    break;
                } else {
                    seen.push(field);
                    block.fields += 1;
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
                        .is_some_and(|n| header_line(n).is_some_and(|(f, _)| f != Field::Other));
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

/// Where a forward starts: the line index of the marker (or of the header
/// block when there is no marker), the format, whether the marker says
/// "forwarded", and the parsed header block.
fn locate(lines: &[&str]) -> Option<(usize, Marker, Block)> {
    for (i, raw) in lines.iter().enumerate() {
        let depth = quote_depth(raw);
        let line = unquote(raw, depth);
        let marker = marker_of(line);
        let from_line = header_line(line).is_some_and(|(f, _)| f == Field::From);
        if marker.is_none() && !from_line {
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
                let block = Block {
                    from: None,
                    date: None,
                    subject: None,
                    fields: 0,
                    end: lines.len(),
                };
                return Some((i, marker, block));
            }
            continue;
        }
        if from_line {
            if let Some(block) = read_block(&section, i, true) {
                if block.date.is_some() || block.subject.is_some() {
                    let marker = Marker {
                        format: "outlook",
                        forward: false,
                    };
                    return Some((i, marker, block));
                }
            }
        }
    }
    None
}

fn find_inline_at(text: &str, level: usize) -> Option<Forwarded> {
    if level > MAX_DEPTH {
        return None;
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.lines().collect();
    let (start, marker, block) = locate(&lines)?;
    let depth = quote_depth(lines[start]);
    let note = trim_note(&lines[..start]);
    // The body: lines after the header block, unquoted to the level of the
    // block (the marker's level plus the headers' own level).
    let body_lines: Vec<&str> = lines[block.end.min(lines.len())..]
        .iter()
        .map(|l| unquote(l, depth))
        .collect();
    let header_depth = lines
        .get(start + 1..block.end.min(lines.len()))
        .and_then(|ls| ls.iter().find(|l| !l.trim().is_empty()))
        .map_or(0, |l| quote_depth(l).saturating_sub(depth));
    let body_lines: Vec<&str> = body_lines
        .iter()
        .map(|l| unquote(l, header_depth))
        .collect();
    let body = trim_blank_lines(&body_lines.join("\n"));
    let mut fwd = Forwarded {
        from: block.from.as_deref().and_then(parse_address_loose),
        subject: block.subject.clone().filter(|s| !s.is_empty()),
        date: block.date.as_deref().and_then(parse_loose_date),
        body,
        note,
        format: marker.format,
        depth: 1,
    };
    // A forward of a forward: the innermost original wins. A plain Outlook
    // header block below is only another forward when this one's subject
    // says so (else it is the reply chain of the original).
    let subject_is_fwd = fwd.subject.as_deref().is_some_and(is_forward_subject);
    if let Some(inner) = find_inline_at(&fwd.body, level + 1) {
        let inner_marked = inner.format != "outlook" && inner.format != "original-message";
        if subject_is_fwd || (inner_marked && inner_is_forward_marker(&fwd.body)) {
            fwd.from = inner.from;
            fwd.subject = inner.subject;
            fwd.date = inner.date;
            fwd.body = inner.body;
            fwd.depth += inner.depth;
        }
    }
    Some(fwd)
}

/// The forwarder's note: the lines above the block, without trailing
/// separator lines (`---`, `___`) or blank lines.
fn trim_note(lines: &[&str]) -> String {
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

/// The first marker in `text` says "forwarded".
fn inner_is_forward_marker(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    locate(&lines).is_some_and(|(_, m, _)| m.forward)
}

fn trim_blank_lines(s: &str) -> String {
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
