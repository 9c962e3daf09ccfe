//! The whole pipeline for one message or one document: parse, find the
//! origin (the forwarded message when it is a forward), extract, detect.
//!
//! ```
//! let raw = b"From: Corner Deli <receipts@cornerdeli.example>\r\nSubject: Your receipt\r\nDate: Tue, 5 Mar 2024 10:00:00 +0000\r\n\r\nLatte 4.50\r\nTotal: $4.50\r\nPaid with Visa ending in 4242\r\n";
//! let m = finance_extension::mime::parse(raw);
//! let a = finance_extension::analyze::message(&m, None);
//! assert!(a.detection.is_receipt);
//! assert_eq!(a.receipt.total.value.as_ref().unwrap().minor, 450);
//! ```

use crate::dates;
use crate::detect::{self, Detection, Envelope};
use crate::document::Document;
use crate::extract::{self, Context, Extraction, Kind};
use crate::forward;
use crate::mime::{Address, Message};
use chrono::NaiveDateTime;
use serde::Serialize;

/// Where the receipt came from: the original sender, subject and date (the
/// forwarded message's when this is a forward).
#[derive(Debug, Clone, Serialize)]
pub struct Origin {
    pub from: Address,
    pub subject: String,
    /// The Date header as written, and in UTC.
    pub date_header: Option<String>,
    pub date_utc: Option<String>,
    /// "attached" (message/rfc822), "inline" (quoted in the body) or none.
    pub forwarded: Option<String>,
}

/// An attachment worth reading (images and PDFs go to `ai.ocr`).
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    /// Position among the message's attachments (stable for the same bytes).
    pub index: usize,
    pub filename: Option<String>,
    pub content_type: String,
    pub size: usize,
    /// An image or a PDF: a receipt document candidate.
    pub document: bool,
}

/// The analysis of one message.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub origin: Origin,
    pub detection: Detection,
    pub receipt: Extraction,
    pub attachments: Vec<Attachment>,
    /// Subject and the start of the body: what to send to `ai.classify_text`.
    pub classifier_text: String,
    /// Characters of body text read.
    pub text_chars: usize,
    pub warnings: Vec<String>,
}

/// Characters of text handed to the classifier (its limit is 20000).
const CLASSIFIER_CHARS: usize = 4000;
/// Body text read per message: no receipt is longer, and hostile mail must
/// not multiply a huge body through every later step (the guest has 128 MiB).
pub const MAX_TEXT_BYTES: usize = 512 * 1024;

/// Cuts `text` to at most `max` bytes, at a character boundary.
fn cap(mut text: String, max: usize, warnings: &mut Vec<String>) -> String {
    if text.len() > max {
        let mut at = max;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.truncate(at);
        warnings.push(format!("body text cut to {max} bytes"));
    }
    text
}

fn utc(dt: Option<NaiveDateTime>) -> Option<String> {
    dt.map(|d| format!("{}T{}Z", d.date(), d.time()))
}

/// Attachments of a message that the pipeline may send to OCR.
pub fn attachments(message: &Message) -> Vec<Attachment> {
    message
        .attachments()
        .into_iter()
        .enumerate()
        .map(|(index, p)| {
            let name = p.filename.as_deref().unwrap_or("").to_ascii_lowercase();
            let document = p.content_type.starts_with("image/")
                || p.content_type == "application/pdf"
                || name.ends_with(".pdf")
                || [".jpg", ".jpeg", ".png", ".heic", ".tif", ".tiff", ".webp"]
                    .iter()
                    .any(|e| name.ends_with(e));
            Attachment {
                index,
                filename: p.filename.clone(),
                content_type: p.content_type.clone(),
                size: p.size,
                document,
            }
        })
        .collect()
}

/// Analyses a parsed message. `classifier` is `ai.classify_text`'s probability
/// of `receipt` (label set `finance.receipt`), when the caller has it.
pub fn message(message: &Message, classifier: Option<f64>) -> Analysis {
    let mut warnings = message.warnings.clone();
    let outer_from = message.from();
    let outer_subject = message.subject().unwrap_or_default();
    let mut text = message.body_text();
    let mut origin = Origin {
        from: outer_from.clone(),
        subject: outer_subject.clone(),
        date_header: message.date().map(str::to_string),
        date_utc: utc(message.date().and_then(dates::rfc2822)),
        forwarded: None,
    };
    let mut sent = message.date().and_then(dates::rfc2822);
    let mut in_reply_to = message.headers.has("in-reply-to");
    if let Some(inner) = message.forwarded() {
        origin.from = inner.from();
        origin.subject = inner.subject().unwrap_or_default();
        origin.date_header = inner.date().map(str::to_string);
        if let Some(d) = inner.date().and_then(dates::rfc2822) {
            sent = Some(d);
        }
        origin.date_utc = utc(sent);
        origin.forwarded = Some("attached".into());
        text = inner.body_text();
        in_reply_to = false;
    } else if let Some(inline) = forward::find(&text)
        && let Some(from) = inline.from
    {
        origin.from = from;
        origin.subject = inline.subject.unwrap_or_default();
        if let Some(d) = inline.date.as_deref() {
            origin.date_header = Some(d.to_string());
            let parsed = dates::rfc2822(d).or_else(|| {
                dates::find(d, dates::Order::Mdy, None)
                    .first()
                    .map(|f| f.date.and_hms_opt(12, 0, 0).unwrap_or_default())
            });
            if parsed.is_some() {
                sent = parsed;
            }
            origin.date_utc = utc(sent);
        }
        origin.forwarded = Some("inline".into());
        text = text[inline.body_at..].to_string();
        in_reply_to = false;
    }
    let text = cap(text, MAX_TEXT_BYTES, &mut warnings);
    let doc = Document::from_text(&text);
    let rows: Vec<String> = doc.rows();
    let ctx = Context {
        from: Some(origin.from.clone()),
        subject: Some(origin.subject.clone()),
        sent,
        kind: Kind::Email,
    };
    let receipt = extract::extract(&rows, &ctx);
    let atts = attachments(message);
    let env = Envelope {
        from: origin.from.clone(),
        subject: origin.subject.clone(),
        attachments: atts
            .iter()
            .map(|a| (a.filename.clone(), a.content_type.clone()))
            .collect(),
        list_headers: message.headers.has("list-unsubscribe")
            || message.headers.has("list-id")
            || message
                .headers
                .raw("precedence")
                .is_some_and(|p| p.eq_ignore_ascii_case("bulk") || p.eq_ignore_ascii_case("list")),
        in_reply_to,
    };
    let detection = detect::detect(&env, &text, &receipt, classifier);
    let mut classifier_text = origin.subject.clone();
    classifier_text.push('\n');
    classifier_text.extend(text.chars().take(CLASSIFIER_CHARS));
    Analysis {
        origin,
        detection,
        receipt,
        attachments: atts,
        classifier_text,
        text_chars: text.chars().count(),
        warnings,
    }
}

/// The analysis of one stand-alone document (OCR'd image or PDF).
#[derive(Debug, Clone, Serialize)]
pub struct DocumentAnalysis {
    pub detection: Detection,
    pub receipt: Extraction,
    pub rows: usize,
    pub classifier_text: String,
}

/// Analyses document rows. A stand-alone image or PDF is a receipt document
/// on its own, so detection only asks whether it reads like one (a total, or
/// receipt words with amounts); `ctx` may carry the mail it was attached to.
pub fn document(doc: &Document, ctx: &Context, classifier: Option<f64>) -> DocumentAnalysis {
    let rows = doc.rows();
    let receipt = extract::extract(&rows, ctx);
    let text = rows.join("\n");
    let env = Envelope {
        from: ctx.from.clone().unwrap_or_default(),
        subject: ctx.subject.clone().unwrap_or_default(),
        attachments: Vec::new(),
        list_headers: false,
        in_reply_to: false,
    };
    let detection = detect::detect(&env, &text, &receipt, classifier);
    DocumentAnalysis {
        detection,
        receipt,
        rows: rows.len(),
        classifier_text: text.chars().take(CLASSIFIER_CHARS).collect(),
    }
}
