//! A tolerant RFC 5322 / MIME parser for untrusted mail.
//!
//! [`parse`] never fails and never panics: broken headers, missing or odd
//! boundaries, junk in base64 and wrong charset labels degrade to the best
//! reading, with a note in [`Message::warnings`]. Everything is bounded by
//! [`Limits`] so hostile mail cannot blow up time or memory.
//!
//! ```
//! let m = finance_extension::mime::parse(b"From: Shop <a@shop.example>\r\nSubject: Receipt\r\n\r\nTotal: $5.00\r\n");
//! assert_eq!(m.subject().as_deref(), Some("Receipt"));
//! assert!(m.body_text().contains("Total: $5.00"));
//! ```

pub mod decode;
pub mod header;
pub mod mbox;

pub use header::{Address, Headers, Structured};

use crate::html;
use serde::Serialize;

/// Bounds on what one message may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Nesting of multiparts and attached messages.
    pub max_depth: usize,
    /// Parts in the whole tree.
    pub max_parts: usize,
    /// Raw input considered (the rest is ignored, with a warning).
    pub max_input_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 12,
            max_parts: 300,
            max_input_bytes: 24 * 1024 * 1024,
        }
    }
}

/// One node of the MIME tree. Leaves hold their decoded bytes; a
/// `message/rfc822` part holds the parsed inner message.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    #[serde(skip)]
    pub headers: Headers,
    /// Lower-cased media type, `text/plain` when missing.
    pub content_type: String,
    pub charset: Option<String>,
    /// `inline`, `attachment`, or none.
    pub disposition: Option<String>,
    pub filename: Option<String>,
    pub content_id: Option<String>,
    #[serde(skip)]
    pub body: Vec<u8>,
    pub size: usize,
    pub children: Vec<Part>,
    pub message: Option<Box<Message>>,
}

impl Part {
    /// True for a multipart container.
    pub fn is_multipart(&self) -> bool {
        self.content_type.starts_with("multipart/")
    }

    /// An attachment: named, or disposed as one, or not text (images in a
    /// `related` HTML body count when they are named documents).
    pub fn is_attachment(&self) -> bool {
        if self.is_multipart() || self.message.is_some() {
            return false;
        }
        if self.disposition.as_deref() == Some("attachment") {
            return true;
        }
        let text = self.content_type.starts_with("text/plain")
            || self.content_type.starts_with("text/html");
        !text || self.filename.is_some()
    }

    /// The leaf's body decoded to text with its charset.
    pub fn text(&self) -> String {
        decode::to_text(&self.body, self.charset.as_deref())
    }

    /// Every leaf below (and including) this part, depth first, without
    /// descending into attached messages.
    pub fn leaves(&self) -> Vec<&Part> {
        let mut out = Vec::new();
        self.collect_leaves(&mut out);
        out
    }

    fn collect_leaves<'a>(&'a self, out: &mut Vec<&'a Part>) {
        if self.children.is_empty() {
            out.push(self);
        } else {
            for c in &self.children {
                c.collect_leaves(out);
            }
        }
    }
}

/// A parsed message.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    #[serde(skip)]
    pub headers: Headers,
    pub root: Part,
    /// What was repaired or ignored while parsing.
    pub warnings: Vec<String>,
}

/// Body text shorter than this (after trimming) counts as a stub next to an
/// HTML alternative ("view this email in a browser").
const STUB_CHARS: usize = 40;

impl Message {
    /// The From field's first mailbox.
    pub fn from(&self) -> Address {
        self.headers
            .raw("from")
            .map(Address::parse)
            .unwrap_or_default()
    }

    /// The decoded Subject.
    pub fn subject(&self) -> Option<String> {
        self.headers.text("subject").map(|s| s.trim().to_string())
    }

    /// The raw Date field.
    pub fn date(&self) -> Option<&str> {
        self.headers.raw("date")
    }

    /// The best readable body: text/plain unless it is a stub beside HTML,
    /// else the HTML converted to text; alternatives chosen per
    /// `multipart/alternative`, inline parts of `mixed` joined, and attached
    /// messages (forwards) included after a marker line.
    pub fn body_text(&self) -> String {
        let mut out = String::new();
        body_of(&self.root, &mut out, 0);
        out
    }

    /// The message a forward wraps: an attached `message/rfc822` when the
    /// outer mail is a forward (or carries nothing else of substance).
    pub fn forwarded(&self) -> Option<&Message> {
        let subject = self.subject().unwrap_or_default().to_lowercase();
        let fwd = ["fwd:", "fw:", "wg:", "tr:", "rv:", "i:", "doorst:", "vs:"]
            .iter()
            .any(|p| subject.starts_with(p));
        let mut found = None;
        walk(&self.root, &mut |p| {
            if found.is_none()
                && let Some(m) = p.message.as_deref()
            {
                found = Some(m);
            }
        });
        let inner = found?;
        let own_text = own_text_len(&self.root);
        (fwd || own_text < 400).then_some(inner)
    }

    /// Attachment leaves (documents and images), attached messages excluded.
    pub fn attachments(&self) -> Vec<&Part> {
        let mut out = Vec::new();
        walk(&self.root, &mut |p| {
            if p.is_attachment() {
                out.push(p);
            }
        });
        out
    }
}

fn own_text_len(part: &Part) -> usize {
    part.leaves()
        .iter()
        .filter(|p| p.message.is_none() && !p.is_attachment())
        .map(|p| p.body.len())
        .sum()
}

/// Visits every part, including those inside attached messages.
pub fn walk<'a>(part: &'a Part, f: &mut dyn FnMut(&'a Part)) {
    f(part);
    for c in &part.children {
        walk(c, f);
    }
    if let Some(m) = part.message.as_deref() {
        walk(&m.root, f);
    }
}

/// Bytes of one text part that are read as body text (HTML carries more markup than text).
const MAX_TEXT_PART: usize = 1024 * 1024;
const MAX_HTML_PART: usize = 8 * 1024 * 1024;

fn leaf_text(part: &Part) -> String {
    let html = part.content_type.starts_with("text/html");
    let limit = if html { MAX_HTML_PART } else { MAX_TEXT_PART };
    let bytes = &part.body[..part.body.len().min(limit)];
    let text = decode::to_text(bytes, part.charset.as_deref());
    if html { html::to_text(&text) } else { text }
}

fn body_of(part: &Part, out: &mut String, depth: usize) {
    if depth > 16 {
        return;
    }
    if let Some(m) = part.message.as_deref() {
        push_block(out, &forward_marker(m));
        body_of(&m.root, out, depth + 1);
        return;
    }
    if part.is_multipart() {
        if part.content_type == "multipart/alternative" {
            if let Some(best) = choose_alternative(&part.children) {
                body_of(best, out, depth + 1);
            }
        } else {
            for c in &part.children {
                body_of(c, out, depth + 1);
            }
        }
        return;
    }
    if part.is_attachment() {
        return;
    }
    push_block(out, &leaf_text(part));
}

fn forward_marker(m: &Message) -> String {
    let mut s = String::from("---------- Forwarded message ----------\n");
    for (label, name) in [
        ("From", "from"),
        ("Date", "date"),
        ("Subject", "subject"),
        ("To", "to"),
    ] {
        if let Some(v) = m.headers.text(name) {
            s.push_str(&format!("{label}: {}\n", v.trim()));
        }
    }
    s
}

fn push_block(out: &mut String, text: &str) {
    let text = text.trim_matches(|c: char| c == '\n' || c == '\r');
    if text.trim().is_empty() {
        return;
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(text);
    out.push('\n');
}

/// Plain text unless it is a stub; else HTML; else the last part with text.
fn choose_alternative(children: &[Part]) -> Option<&Part> {
    let has_text = |p: &Part, kind: &str| -> bool {
        p.content_type.starts_with(kind)
            || p.leaves()
                .iter()
                .any(|l| l.content_type.starts_with(kind) && !l.is_attachment())
    };
    let plain = children.iter().find(|p| has_text(p, "text/plain"));
    let html = children.iter().rev().find(|p| has_text(p, "text/html"));
    match (plain, html) {
        (Some(p), Some(h)) => {
            let mut text = String::new();
            body_of(p, &mut text, 0);
            if is_stub(&text) { Some(h) } else { Some(p) }
        }
        (Some(p), None) => Some(p),
        (None, Some(h)) => Some(h),
        (None, None) => children.last(),
    }
}

fn is_stub(text: &str) -> bool {
    let t = text.trim();
    if t.chars().count() < STUB_CHARS {
        return true;
    }
    let lower = t.to_lowercase();
    let stub_phrases = [
        "html version",
        "view this email in",
        "view it in your browser",
        "does not support html",
        "html-capable",
        "html email",
        "enable html",
        "view in browser",
        "open this email in",
    ];
    t.chars().count() < 400 && stub_phrases.iter().any(|p| lower.contains(p))
}

/// Parses a raw message with default [`Limits`].
pub fn parse(raw: &[u8]) -> Message {
    parse_with(raw, Limits::default())
}

/// Parses a raw message within `limits`.
pub fn parse_with(raw: &[u8], limits: Limits) -> Message {
    let mut state = State {
        parts: 0,
        limits,
        warnings: Vec::new(),
    };
    let raw = if raw.len() > limits.max_input_bytes {
        state.warnings.push(format!(
            "input truncated to {} bytes",
            limits.max_input_bytes
        ));
        &raw[..limits.max_input_bytes]
    } else {
        raw
    };
    let (headers, body_at) = header::split(raw);
    if headers.fields().is_empty() {
        state.warnings.push("no header fields".into());
    }
    let root = state.part(headers.clone(), &raw[body_at..], 0, "text/plain");
    Message {
        headers,
        root,
        warnings: state.warnings,
    }
}

struct State {
    parts: usize,
    limits: Limits,
    warnings: Vec<String>,
}

impl State {
    fn part(&mut self, headers: Headers, body: &[u8], depth: usize, default_type: &str) -> Part {
        self.parts += 1;
        let ct = Structured::parse(headers.raw("content-type").unwrap_or(""));
        let mut content_type = ct.value.clone();
        if content_type.is_empty() || !content_type.contains('/') {
            if headers.has("content-type") {
                self.warnings
                    .push(format!("odd content-type {:?}", ct.value));
            }
            content_type = default_type.to_string();
        }
        let disp = headers.raw("content-disposition").map(Structured::parse);
        let filename = disp
            .as_ref()
            .and_then(|d| d.param("filename"))
            .or_else(|| ct.param("name"))
            .map(|f| f.trim().to_string())
            .filter(|f| !f.is_empty());
        let disposition = disp
            .as_ref()
            .map(|d| d.value.clone())
            .filter(|d| !d.is_empty());
        let encoding = headers
            .raw("content-transfer-encoding")
            .unwrap_or("7bit")
            .to_string();
        let charset = ct.param("charset").map(str::to_string);
        let content_id = headers
            .raw("content-id")
            .map(|c| c.trim().trim_matches(['<', '>']).to_string());
        let mut part = Part {
            headers,
            content_type,
            charset,
            disposition,
            filename,
            content_id,
            body: Vec::new(),
            size: 0,
            children: Vec::new(),
            message: None,
        };
        let nested_ok = depth < self.limits.max_depth && self.parts < self.limits.max_parts;
        if part.is_multipart() {
            if !nested_ok {
                self.warnings
                    .push("nesting or part limit reached; subtree skipped".into());
                return part;
            }
            let boundary = ct
                .param("boundary")
                .map(str::to_string)
                .filter(|b| !b.is_empty())
                .or_else(|| guess_boundary(body));
            let Some(boundary) = boundary else {
                self.warnings
                    .push("multipart without a boundary; read as text".into());
                part.content_type = "text/plain".into();
                part.body = body.to_vec();
                part.size = body.len();
                return part;
            };
            let child_default = if part.content_type == "multipart/digest" {
                "message/rfc822"
            } else {
                "text/plain"
            };
            let pieces = split_multipart(body, &boundary, &mut self.warnings);
            for piece in pieces {
                if self.parts >= self.limits.max_parts {
                    self.warnings.push(format!(
                        "more than {} parts; rest skipped",
                        self.limits.max_parts
                    ));
                    break;
                }
                let (h, at) = header::split(piece);
                // A part with no headers is text/plain by default (RFC 2046).
                let child = self.part(h, &piece[at..], depth + 1, child_default);
                part.children.push(child);
            }
            return part;
        }
        let decoded = decode::transfer(&encoding, body);
        part.size = decoded.len();
        let is_message = part.content_type == "message/rfc822"
            || part.content_type == "message/global"
            || (part
                .filename
                .as_deref()
                .is_some_and(|f| f.to_ascii_lowercase().ends_with(".eml"))
                && part.content_type == "application/octet-stream");
        if is_message && nested_ok {
            let (h, at) = header::split(&decoded);
            if !h.fields().is_empty() {
                let root = self.part(h.clone(), &decoded[at..], depth + 1, "text/plain");
                part.message = Some(Box::new(Message {
                    headers: h,
                    root,
                    warnings: Vec::new(),
                }));
                return part;
            }
        }
        part.body = decoded;
        part
    }
}

/// A boundary for a multipart that names none: the first `--token` line that
/// appears at least twice.
fn guess_boundary(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    // Bounded: a hostile body of dash lines must not cost quadratic time.
    let candidates: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim_end().strip_prefix("--"))
        .filter(|l| l.len() >= 6 && !l.contains(' '))
        .map(|l| l.trim_end_matches("--"))
        .take(200)
        .collect();
    candidates
        .iter()
        .find(|c| candidates.iter().filter(|o| o == c).count() >= 2)
        .map(|c| c.to_string())
}

/// The bodies between `--boundary` lines; no closing line means "to the end".
fn split_multipart<'a>(
    body: &'a [u8],
    boundary: &str,
    warnings: &mut Vec<String>,
) -> Vec<&'a [u8]> {
    let delim: Vec<u8> = [b"--".as_slice(), boundary.as_bytes()].concat();
    let mut pieces = Vec::new();
    let mut start: Option<usize> = None;
    let mut pos = 0;
    let mut closed = false;
    while pos < body.len() {
        let end = body[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(body.len(), |i| pos + i + 1);
        let line = &body[pos..end];
        if line.starts_with(&delim) {
            let rest = line[delim.len()..].trim_ascii();
            let is_close = rest.starts_with(b"--");
            if rest.is_empty() || is_close {
                if let Some(s) = start {
                    // The line break before the delimiter belongs to it.
                    let mut e = pos;
                    if e > s && body[e - 1] == b'\n' {
                        e -= 1;
                        if e > s && body[e - 1] == b'\r' {
                            e -= 1;
                        }
                    }
                    pieces.push(&body[s..e.max(s)]);
                }
                if is_close {
                    closed = true;
                    start = None;
                    break;
                }
                start = Some(end);
            }
        }
        pos = end;
    }
    if let Some(s) = start
        && s < body.len()
    {
        pieces.push(&body[s..]);
    }
    if !closed {
        warnings.push("multipart without a closing boundary".into());
    }
    if pieces.is_empty() {
        warnings.push("multipart boundary never found; body read as one part".into());
        pieces.push(body);
    }
    pieces
}

#[cfg(test)]
mod tests;
