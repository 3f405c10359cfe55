//! A sender's own text and the quoted history below it.
//!
//! A case's description is the customer's own text; what their mail client
//! quoted below it (an earlier message of theirs, a reply they answer, a
//! mail they forward) is kept apart as the case's quoted history, which
//! `casebook show` prints collapsed. The history starts at the first of, in
//! any language of [`super::labels`]:
//!
//! - a separator line: `-----Original Message-----`, `---------- Forwarded
//!   message ---------`, `Begin forwarded message:`, Thunderbird's and
//!   Yahoo's, and Outlook's underscore rule when a header block follows;
//! - a header block as Outlook prints it: `From:` with a `Sent:`/`Date:` or
//!   `Subject:` under it (`Von:`/`Gesendet:`, `发件人:`/`发送时间:`, …), or
//!   GMX's date line above its `From:`;
//! - an attribution line `On <date>, Ann <ann@…> wrote:` (`Am … schrieb …:`,
//!   `… kirjoitti …:`, …), also wrapped over two lines; without the address
//!   (Thunderbird) only when a quoted or indented block follows;
//! - a block of `>`-quoted lines that runs to the end (an answer written
//!   between quoted lines keeps the whole text as the sender's).
//!
//! A message the sender forwards is not history: it is what they pass on
//! for the desk to read. So nothing is split off below a "forwarded"
//! separator (`---------- Forwarded message ---------`, `Begin forwarded
//! message:`, …), nor anywhere in a mail whose subject says it is a forward
//! (`Fwd:`, `WG:`, `TR:`…: Outlook prints the same header block for a
//! forward as for a reply). When nothing of the sender's own stands above
//! the history, the whole text stays the description: there is nothing to
//! collapse it under.

use super::forward::{
    attribution_at, header_line, is_forward_subject, marker_of, normalize_lines, quote_depth,
    read_block, trim_blank_lines, trim_note, unquote, wrote_phrase,
};
use super::labels::Field;

/// A text split into the sender's own part and the quoted history below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The sender's own text (all of it when nothing is quoted).
    pub own: String,
    /// The quoted history, empty when there is none.
    pub quoted: String,
    /// What started the history, for `--explain` (`None` without one).
    pub starts_with: Option<&'static str>,
}

/// Split `text`, the body of a mail with `subject`, at the start of its
/// quoted history (see the module docs).
pub fn split(text: &str, subject: &str) -> Split {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let whole = || Split {
        own: text.trim().to_string(),
        quoted: String::new(),
        starts_with: None,
    };
    if is_forward_subject(subject) {
        return whole();
    }
    let owned = normalize_lines(&text);
    let lines: Vec<&str> = owned.iter().map(String::as_str).collect();
    let Some((start, why)) = history_start(&lines) else {
        return whole();
    };
    let own = trim_note(&lines[..start]);
    if own.is_empty() {
        return whole();
    }
    Split {
        own,
        quoted: trim_blank_lines(&lines[start..].join("\n")),
        starts_with: Some(why),
    }
}

/// The index of the line the quoted history starts at, and what it is.
fn history_start(lines: &[&str]) -> Option<(usize, &'static str)> {
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if quote_depth(line) > 0 {
            if quoted_to_the_end(lines, i) {
                return Some((i, "a `>`-quoted block"));
            }
            continue;
        }
        if let Some((marker, _)) = marker_of(line) {
            if marker.forward {
                return None;
            }
            // A rule of underscores is a history only with a header block under it.
            if marker.format != "outlook" || block_at(lines, i + 1) {
                return Some((i, "a separator line"));
            }
        }
        if header_block_at(lines, i) {
            return Some((i, "a header block"));
        }
        if let Some((_, _, _, used)) = attribution_at(lines, i) {
            if lines[i + used..].iter().any(|l| !l.trim().is_empty()) {
                return Some((i, "an attribution line"));
            }
        }
        for used in [1, 2] {
            let Some(parts) = lines.get(i..i + used) else {
                continue;
            };
            let joined = parts.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
            if wrote_phrase(&joined).is_some() && quoted_or_indented_after(lines, i + used) {
                return Some((i, "an attribution line"));
            }
        }
    }
    None
}

/// An Outlook header block starts at `lines[i]`: a From line with a date or
/// subject under it, or GMX's date line above its From line.
fn header_block_at(lines: &[&str], i: usize) -> bool {
    match header_line(lines[i]).map(|h| h.0) {
        Some(Field::From) => {
            read_block(lines, i, true).is_some_and(|b| b.date.is_some() || b.subject.is_some())
        }
        Some(Field::Date) => {
            let from_next = lines
                .get(i + 1)
                .and_then(|l| header_line(l))
                .is_some_and(|h| h.0 == Field::From);
            from_next && read_block(lines, i, false).is_some_and(|b| b.fields >= 3)
        }
        _ => false,
    }
}

/// A header block (From and one more field) starts at `lines[at]`, also
/// quoted one level deeper.
fn block_at(lines: &[&str], at: usize) -> bool {
    let next = lines[at.min(lines.len())..]
        .iter()
        .find(|l| !l.trim().is_empty())
        .map_or(0, |l| quote_depth(l));
    let inner: Vec<&str> = lines.iter().map(|l| unquote(l, next)).collect();
    read_block(&inner, at, false).is_some()
}

/// Every line with text from `i` on is `>`-quoted.
fn quoted_to_the_end(lines: &[&str], i: usize) -> bool {
    lines[i..]
        .iter()
        .filter(|l| !l.trim().is_empty())
        .all(|l| quote_depth(l) > 0)
}

/// The first line with text at or after `at` is quoted or indented.
fn quoted_or_indented_after(lines: &[&str], at: usize) -> bool {
    lines
        .get(at..)
        .and_then(|ls| ls.iter().find(|l| !l.trim().is_empty()))
        .is_some_and(|l| quote_depth(l) > 0 || l.starts_with("    ") || l.starts_with('\t'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own_and_first_quoted(text: &str) -> (String, String) {
        let s = split(text, "");
        let first = s.quoted.lines().next().unwrap_or("").to_string();
        (s.own, first)
    }

    #[test]
    fn history_starts_in_every_shape_and_language() {
        let own = "Hello,\n\nstill broken.\n\nAnn";
        for history in [
            // Outlook header blocks in several languages.
            "From: Bob <bob@x.example>\nSent: Monday, March 2, 2026 10:15 AM\nTo: Ann\nSubject: Router",
            "Von: Max Mustermann [mailto:max@x.example]\nGesendet: Freitag, 27. Februar 2026 09:00\nAn: Ann\nBetreff: Router",
            "De : Hélène <h@x.example>\nEnvoyé : lundi 2 mars 2026 10:15\nÀ : Ann\nObjet : Routeur",
            "*From:* Bob <bob@x.example>\n*Sent:* Monday\n*Subject:* Router",
            "发件人: 王芳 <w@x.example>\n发送时间: 2026年3月2日 10:15\n主题: 路由器",
            "От: Иван <i@x.example>\nОтправлено: 2 марта 2026 г.\nТема: Роутер",
            "Lähettäjä: Matti <m@x.example>\nLähetetty: 2.3.2026\nAihe: Reititin",
            "Kimden: Ayşe <a@x.example>\nGönderildi: 2 Mart 2026\nKonu: Modem",
            // Separators.
            "-----Original Message-----\nFrom: Bob <bob@x.example>\nSent: Monday",
            "-----Ursprüngliche Nachricht-----\nVon: Bob",
            "-------- Původní zpráva --------\nOd: Bob <bob@x.example>",
            "-----Original Message-----\nFrom: Bob <bob@x.example>",
            "________________________________\nFrom: Bob <bob@x.example>\nSent: Monday",
            "----- Original Message ----- From: Bob <bob@x.example> To: Ann Sent: Monday Subject: Router",
            // Attribution lines, one line and wrapped.
            "On Mon, Mar 2, 2026 at 10:15 AM Bob <bob@x.example> wrote:\n> old text",
            "On Mon, 23 Nov 2026 at 10:02, Bob Builder <bob@x.example>\nwrote:\n> old text",
            "On Mon, 23 Nov 2026 at 10:02, Bob\nBuilder <bob@x.example> wrote:\n> old text",
            "On Mon, 23 Nov 2026 at 10:02, Bob Builder <bob@x.\nexample> wrote:\n> old text",
            "Am 02.03.2026 um 10:15 schrieb Max Mustermann <max@x.example>:\n> alter Text",
            "Le lun. 2 mars 2026 à 10:15, Hélène <h@x.example> a écrit :\n> ancien",
            "El lun, 2 mar 2026 a las 10:15, José\n<j@x.example> escribió:\n> viejo",
            "Matti <m@x.example> kirjoitti 2.3.2026 klo 10.15:\n> vanha",
            "On 02/03/2026 10:15, Bob Builder wrote:\n> old text",
            "Dne 02.03.2026 v 10:15 Jana Nováková\nnapsal(a):\n> starý text",
            // A quoted block to the end.
            "> old text\n> more old text",
        ] {
            let text = format!("{own}\n\n{history}\n");
            let (got, first) = own_and_first_quoted(&text);
            assert_eq!(got, own, "{history}");
            // A run-together block is split into lines.
            assert!(history.lines().next().unwrap().starts_with(&first), "{history}: {first}");
        }
    }

    #[test]
    fn own_text_is_kept_whole_when_nothing_is_history() {
        for text in [
            "Hello,\n\nour router reboots.\n\nAnn",
            // An answer between quoted lines.
            "> Which router?\nThe blue one.\n> Since when?\nFriday.",
            // A signature rule and a From: in prose.
            "Hello\n\n________________________________\nAnn Acme, Acme Ltd",
            "Hello\nFrom: the sales team, we heard nothing.\n\nAnn",
            // A message the sender forwards is what they pass on.
            "See below.\n\n---------- Forwarded message ---------\nFrom: Bob <bob@x.example>\nDate: Mon\n\nold",
            "See below.\n\nBegin forwarded message:\n\nFrom: Bob <bob@x.example>\nSubject: x\n\nold",
            "See below.\n\n-------- Přeposlaná zpráva --------\nOd: Bob <bob@x.example>\n\nold",
            // Nothing of the sender's own above the history.
            "---------- Forwarded message ---------\nFrom: Bob <bob@x.example>\nDate: Mon\n\nold",
            // An attribution without an address needs a quoted block under it.
            "Hello\nOn Monday, the 2nd, the technician wrote:\nit was fixed",
            "",
        ] {
            let s = split(text, "");
            assert_eq!(s.own, text.trim(), "{text}");
            assert_eq!(s.quoted, "", "{text}");
        }
    }

    #[test]
    fn nothing_is_split_off_a_forward() {
        let text = "See below.\n\nFrom: Bob <b@x.example>\nSent: Monday\nSubject: x\n\nold";
        for subject in ["FW: x", "Fwd: x", "WG: x", "TR: x", "İLT: x", "Re: Fwd: x"] {
            assert_eq!(split(text, subject).quoted, "", "{subject}");
        }
        for subject in ["RE: x", "AW: x", "x", ""] {
            assert_eq!(split(text, subject).own, "See below.", "{subject}");
        }
    }

    #[test]
    fn history_keeps_its_lines() {
        let s = split(
            "Hi\n\nAnn\n\nFrom: Bob <b@x.example>\nSent: Monday\n\nold\n\n\n",
            "RE: x",
        );
        assert_eq!(s.own, "Hi\n\nAnn");
        assert_eq!(s.quoted, "From: Bob <b@x.example>\nSent: Monday\n\nold");
        assert_eq!(s.starts_with, Some("a header block"));
    }
}
