//! HTML to readable plain text, for HTML-only mail.
//!
//! A small hand-written converter: it is not a browser, it only has to make
//! mail bodies readable and keep forwarded header blocks (`From:`, `Sent:`…)
//! on their own lines so that [`crate::mail::forward`] can find them.

/// Convert an HTML document or fragment to readable plain text.
///
/// Block elements end lines (paragraphs, headings, lists, tables and quotes
/// are separated by a blank line), `<br>` ends a line, list items start with
/// `- ` (or `1. ` in ordered lists), links become `text (url)` when the url
/// differs from the text, entities are decoded, `<script>`/`<style>`/`<head>`
/// chrome is dropped, `<blockquote>` lines get one `> ` per nesting level and
/// runs of whitespace collapse to one space outside `<pre>`.
pub fn html_to_text(html: &str) -> String {
    let mut out = Out::default();
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let Some(tag) = parse_tag(html, i) else {
            i += 1;
            continue;
        };
        if text_start < i {
            out.text(&decode(&html[text_start..i]));
        }
        i = tag.end;
        match tag.kind {
            TagKind::Comment => {}
            TagKind::Open | TagKind::SelfClosing => {
                if RAW_TEXT.contains(&tag.name.as_str()) && tag.kind == TagKind::Open {
                    i = skip_raw_text(html, i, &tag.name);
                } else {
                    out.open(&tag);
                    if tag.kind == TagKind::SelfClosing {
                        out.close(&tag.name);
                    }
                }
            }
            TagKind::Close => out.close(&tag.name),
        }
        text_start = i;
    }
    if text_start < bytes.len() {
        out.text(&decode(&html[text_start..]));
    }
    out.finish()
}

/// Elements whose content is never shown.
const RAW_TEXT: &[&str] = &["script", "style", "title", "xml", "head", "template"];

/// Elements that end a line.
const LINE_BLOCKS: &[&str] = &[
    "div",
    "li",
    "tr",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "form",
    "address",
    "center",
    "main",
    "figure",
    "figcaption",
    "caption",
    "body",
    "html",
    "fieldset",
    "option",
];

/// Elements that are separated from their surroundings by a blank line.
const PARA_BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "table",
    "blockquote",
    "pre",
];

fn decode(s: &str) -> String {
    html_escape::decode_html_entities(s).into_owned()
}

#[derive(Debug, PartialEq, Clone, Copy)]
enum TagKind {
    Open,
    Close,
    SelfClosing,
    Comment,
}

#[derive(Debug)]
struct Tag {
    name: String,
    kind: TagKind,
    attrs: Vec<(String, String)>,
    end: usize,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parse the tag starting at `start` (which holds `<`). `None` when the `<`
/// is just text.
fn parse_tag(html: &str, start: usize) -> Option<Tag> {
    let rest = &html[start + 1..];
    if let Some(after) = rest.strip_prefix("!--") {
        let end = after
            .find("-->")
            .map(|p| start + 4 + p + 3)
            .unwrap_or(html.len());
        return Some(Tag {
            name: String::new(),
            kind: TagKind::Comment,
            attrs: vec![],
            end,
        });
    }
    let first = rest.chars().next()?;
    if first == '!' || first == '?' {
        let end = rest
            .find('>')
            .map(|p| start + 1 + p + 1)
            .unwrap_or(html.len());
        return Some(Tag {
            name: String::new(),
            kind: TagKind::Comment,
            attrs: vec![],
            end,
        });
    }
    let (closing, body) = match rest.strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, rest),
    };
    if !body.chars().next()?.is_ascii_alphabetic() {
        return None;
    }
    let name_len = body
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .unwrap_or(body.len());
    let name = body[..name_len].to_ascii_lowercase();
    let body_offset = start + 1 + usize::from(closing);
    // Attributes, respecting quotes, up to the closing '>'.
    let mut attrs = Vec::new();
    let b = html.as_bytes();
    let mut i = body_offset + name_len;
    let mut self_closing = false;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            if b[i] == b'/' {
                self_closing = true;
            }
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if b[i] == b'>' {
            i += 1;
            break;
        }
        self_closing = false;
        let ns = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let key = html[ns..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                i = vs;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = decode(&html[vs..i.min(b.len())]);
                i = (i + 1).min(b.len());
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = decode(&html[vs..i]);
            }
        }
        if key.is_empty() {
            i += 1;
        } else {
            attrs.push((key, value));
        }
    }
    let kind = if closing {
        TagKind::Close
    } else if self_closing || VOID.contains(&name.as_str()) {
        TagKind::SelfClosing
    } else {
        TagKind::Open
    };
    Some(Tag {
        name,
        kind,
        attrs,
        end: i.min(html.len()),
    })
}

const VOID: &[&str] = &[
    "br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr",
];

/// Skip the content of a raw-text element, returning the offset after its
/// closing tag (or the end of the document).
fn skip_raw_text(html: &str, from: usize, name: &str) -> usize {
    let lower = html[from..].to_ascii_lowercase();
    let needle = format!("</{name}");
    match lower.find(&needle) {
        Some(p) => {
            let after = from + p;
            html[after..]
                .find('>')
                .map(|q| after + q + 1)
                .unwrap_or(html.len())
        }
        None if name == "head" => from, // no </head>: keep going, show the rest
        None => html.len(),
    }
}

#[derive(Default)]
struct Out {
    lines: Vec<String>,
    cur: String,
    /// `cur` holds only a list marker so far.
    cur_marker_only: bool,
    pending_space: bool,
    quote: usize,
    pre: usize,
    lists: Vec<Option<usize>>,
    links: Vec<(String, String)>,
}

impl Out {
    fn text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        for (_, text) in self.links.iter_mut() {
            text.push_str(s);
        }
        if self.pre > 0 {
            let mut first = true;
            for part in s.split('\n') {
                if !first {
                    self.commit_line();
                }
                first = false;
                self.cur.push_str(&part.replace(['\r', '\u{a0}'], " "));
            }
            self.cur_marker_only = false;
            return;
        }
        let starts_ws = s.starts_with(char::is_whitespace);
        let ends_ws = s.ends_with(char::is_whitespace);
        if starts_ws {
            self.pending_space = true;
        }
        let mut any = false;
        for word in s.split(char::is_whitespace).filter(|w| !w.is_empty()) {
            if any || (self.pending_space && !self.cur.is_empty() && !self.cur_marker_only) {
                self.cur.push(' ');
            }
            self.cur.push_str(word);
            self.cur_marker_only = false;
            any = true;
        }
        if any {
            self.pending_space = ends_ws;
        }
    }

    /// End the current line if it has content.
    fn soft_break(&mut self) {
        if !self.cur.trim().is_empty() {
            self.commit_line();
        } else {
            self.cur.clear();
            self.cur_marker_only = false;
        }
        self.pending_space = false;
    }

    /// End the current line and make sure a blank line follows.
    fn para_break(&mut self) {
        self.soft_break();
        if self.lines.last().is_some_and(|l| !is_blank_line(l)) {
            self.lines.push(self.prefix().trim_end().to_string());
        }
    }

    fn prefix(&self) -> String {
        "> ".repeat(self.quote)
    }

    fn commit_line(&mut self) {
        let line = format!("{}{}", self.prefix(), self.cur.trim_end());
        self.lines.push(line.trim_end().to_string());
        self.cur.clear();
        self.cur_marker_only = false;
        self.pending_space = false;
    }

    fn open(&mut self, tag: &Tag) {
        let name = tag.name.as_str();
        match name {
            "br" => self.commit_line(),
            "hr" => {
                self.soft_break();
                self.cur.push_str("---");
                self.commit_line();
            }
            "blockquote" => {
                self.para_break();
                self.quote += 1;
            }
            "pre" => {
                self.para_break();
                self.pre += 1;
            }
            "ul" | "ol" => {
                if self.lists.is_empty() {
                    self.para_break();
                } else {
                    self.soft_break();
                }
                let start = tag
                    .attr("start")
                    .and_then(|s| s.trim().parse::<usize>().ok())
                    .unwrap_or(1);
                self.lists
                    .push((name == "ol").then_some(start.saturating_sub(1)));
            }
            "li" => {
                self.soft_break();
                let depth = self.lists.len().max(1);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{n}. ")
                    }
                    _ => "- ".to_string(),
                };
                self.cur = format!("{}{}", "  ".repeat(depth - 1), marker);
                self.cur_marker_only = true;
            }
            "a" => {
                let href = tag.attr("href").unwrap_or("").trim().to_string();
                self.links.push((href, String::new()));
            }
            "td" | "th" => self.pending_space = true,
            _ if PARA_BLOCKS.contains(&name) => self.para_break(),
            _ if LINE_BLOCKS.contains(&name) => self.soft_break(),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "blockquote" => {
                self.para_break();
                if self.quote > 0 {
                    // The blank separator after a quote belongs outside it.
                    if self.lines.last().is_some_and(|l| is_blank_line(l)) {
                        self.lines.pop();
                    }
                    self.quote -= 1;
                    self.lines.push(self.prefix().trim_end().to_string());
                }
            }
            "pre" => {
                self.para_break();
                self.pre = self.pre.saturating_sub(1);
            }
            "ul" | "ol" => {
                self.lists.pop();
                if self.lists.is_empty() {
                    self.para_break();
                } else {
                    self.soft_break();
                }
            }
            "a" => {
                if let Some((href, text)) = self.links.pop() {
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if show_link(&href, &text) {
                        let shown = format!("({href})");
                        self.text(" ");
                        self.text(&shown);
                    }
                }
            }
            "td" | "th" => self.pending_space = true,
            _ if PARA_BLOCKS.contains(&name) => self.para_break(),
            _ if LINE_BLOCKS.contains(&name) => self.soft_break(),
            _ => {}
        }
    }

    fn finish(mut self) -> String {
        self.soft_break();
        let mut result: Vec<String> = Vec::new();
        for line in self.lines {
            let blank = is_blank_line(&line);
            if blank && result.last().is_none_or(|l| is_blank_line(l)) {
                continue;
            }
            result.push(line);
        }
        while result.last().is_some_and(|l| is_blank_line(l)) {
            result.pop();
        }
        result.join("\n")
    }
}

/// A line that is empty or only quote markers.
fn is_blank_line(line: &str) -> bool {
    line.chars().all(|c| c == '>' || c.is_whitespace())
}

fn show_link(href: &str, text: &str) -> bool {
    if href.is_empty() || href.starts_with('#') || href.starts_with("javascript:") {
        return false;
    }
    if href.starts_with("cid:") || href.starts_with("data:") {
        return false;
    }
    let bare = href.strip_prefix("mailto:").unwrap_or(href);
    let bare_noslash = bare.trim_end_matches('/');
    let t = text.trim();
    !(t.is_empty()
        || t.eq_ignore_ascii_case(href)
        || t.eq_ignore_ascii_case(bare)
        || t.trim_end_matches('/').eq_ignore_ascii_case(bare_noslash)
        || strip_scheme(t).eq_ignore_ascii_case(strip_scheme(bare_noslash)))
}

fn strip_scheme(s: &str) -> &str {
    let s = s.trim_end_matches('/');
    s.strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn table_of_conversions() {
        let cases: &[(&str, &str)] = &[
            ("plain text", "plain text"),
            ("<p>One</p><p>Two</p>", "One\n\nTwo"),
            ("a<br>b<br/>c<BR />d", "a\nb\nc\nd"),
            ("<div>one</div><div>two</div>", "one\ntwo"),
            ("a  \n  b\t\tc", "a b c"),
            ("Fish &amp; chips &lt;ok&gt; &quot;q&quot; &#233;t&#xE9;", "Fish & chips <ok> \"q\" été"),
            ("a&nbsp;b", "a b"),
            ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
            ("<ol><li>one<li>two</ol>", "1. one\n2. two"),
            ("<ul><li>a<ul><li>b</li></ul></li></ul>", "- a\n  - b"),
            (
                "<a href=\"https://example.com/x\">the site</a>",
                "the site (https://example.com/x)",
            ),
            ("<a href=\"https://example.com\">https://example.com</a>", "https://example.com"),
            ("<a href=\"mailto:jo@x.com\">jo@x.com</a>", "jo@x.com"),
            ("<a href=\"#top\">top</a>", "top"),
            ("<script>alert(1)</script>visible<style>p{color:red}</style>", "visible"),
            (
                "<html><head><title>T</title><meta charset=utf-8></head><body>Hi</body></html>",
                "Hi",
            ),
            ("<!-- hidden -->shown<!--[if mso]>x<![endif]-->", "shown"),
            ("<blockquote>quoted</blockquote>after", "> quoted\n\nafter"),
            (
                "<p>top</p><blockquote><p>one</p><blockquote>two</blockquote></blockquote>",
                "top\n\n> one\n>\n> > two",
            ),
            ("<pre>  keep\n    this</pre>", "  keep\n    this"),
            ("<b>From:</b> Jane<br><b>Sent:</b> Monday", "From: Jane\nSent: Monday"),
            (
                "<table><tr><td><b>From:</b></td><td>Jane</td></tr><tr><td>To:</td><td>Bob</td></tr></table>",
                "From: Jane\nTo: Bob",
            ),
            ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
            ("<p>unterminated <b", "unterminated"),
            ("<span>in</span><span>line</span>", "inline"),
            ("a<hr>b", "a\n---\nb"),
            ("", ""),
        ];
        for (html, want) in cases {
            assert_eq!(html_to_text(html), *want, "input: {html:?}");
        }
    }

    #[test]
    fn pre_keeps_leading_spaces_of_first_line() {
        assert_eq!(html_to_text("<pre>x\n  y</pre>"), "x\n  y");
    }

    #[test]
    fn never_panics_on_junk() {
        for s in [
            "<",
            "<<>>",
            "</",
            "<a href=",
            "<a href='x",
            "<!--",
            "<!",
            "<é>",
            "<p\u{0}>",
        ] {
            let _ = html_to_text(s);
        }
    }
}
