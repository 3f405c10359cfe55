//! The readable text of a message body.

use mail_parser::{Message, PartType};

use super::html::html_to_text;

/// The best readable text of a message: its text/plain body parts, with
/// HTML-only parts converted.
pub(crate) fn best_text(msg: &Message<'_>) -> String {
    let mut out: Vec<String> = Vec::new();
    for id in &msg.text_body {
        let Some(part) = msg.parts.get(*id as usize) else {
            continue;
        };
        let text = match &part.body {
            PartType::Text(t) => t.to_string(),
            PartType::Html(h) => html_to_text(h),
            _ => continue,
        };
        if !text.trim().is_empty() {
            out.push(text.replace("\r\n", "\n"));
        }
    }
    if out.is_empty() {
        // Some messages list only an HTML body.
        for id in &msg.html_body {
            if let Some(PartType::Html(h)) = msg.parts.get(*id as usize).map(|p| &p.body) {
                out.push(html_to_text(h));
            }
        }
    }
    out.join("\n")
}
