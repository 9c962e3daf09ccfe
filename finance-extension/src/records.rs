//! What the scan keeps: one [`Record`] per message or document, stored as the
//! `finance.json` sidecar of the library entry it came from (an `.eml` has
//! one, an mbox one per message, an image or PDF one). The sidecars are the
//! extension's index: keyed by content, so a second scan of the same bytes
//! finds its work done.

use crate::analyze::{Analysis, DocumentAnalysis};
use crate::detect::Detection;
use crate::extract::Extraction;
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// The sidecar's name.
pub const SIDECAR: &str = "finance.json";
/// Bumped when records change meaning: entries scanned by an older version are scanned again.
pub const VERSION: u32 = 1;

/// An amount in minor units of its currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    pub minor: i64,
    /// Decimal string in major units (`12.50`; `1200` for JPY).
    pub value: String,
}

fn amount(m: &Option<Money>) -> Option<Amount> {
    m.as_ref().map(|m| Amount {
        minor: m.minor,
        value: m.decimal(),
    })
}

/// One message's or document's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// `path` for a single document, `path#n` for message n of an mbox.
    pub id: String,
    /// The library entry it came from.
    pub source: String,
    /// `email`, `image` or `pdf`.
    pub kind: String,
    pub is_receipt: bool,
    /// Detection score in [0, 1] and why.
    pub score: f64,
    pub reasons: Vec<String>,
    pub vendor: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub total: Option<Amount>,
    pub currency: Option<String>,
    pub tax: Option<Amount>,
    pub subtotal: Option<Amount>,
    pub items: Vec<String>,
    pub payment: Option<String>,
    pub category: Option<String>,
    /// Per field: vendor, date, total, currency, category.
    pub confidence: Confidence,
    pub subject: Option<String>,
    pub from: Option<String>,
    /// Attachments read with OCR for this record.
    pub ocr_pages: usize,
}

/// Confidence per extracted field, in [0, 1].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Confidence {
    pub vendor: f64,
    pub date: f64,
    pub total: f64,
    pub currency: f64,
    pub category: f64,
}

/// The `finance.json` sidecar of one entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EntryRecords {
    pub version: u32,
    pub path: String,
    pub records: Vec<Record>,
}

/// A record from what the pipeline found; the category is filled in later.
pub fn record(
    id: String,
    source: &str,
    kind: &str,
    detection: &Detection,
    r: &Extraction,
) -> Record {
    let currency = r
        .currency
        .value
        .clone()
        .or_else(|| r.total.value.as_ref().and_then(|m| m.currency.clone()));
    Record {
        id,
        source: source.to_string(),
        kind: kind.to_string(),
        is_receipt: detection.is_receipt,
        score: detection.score,
        reasons: detection.reasons.clone(),
        vendor: r.vendor.value.clone(),
        date: r.date.value.map(|d| d.to_string()),
        total: amount(&r.total.value),
        currency,
        tax: amount(&r.tax.value),
        subtotal: amount(&r.subtotal.value),
        items: r.items.iter().map(|i| i.description.clone()).collect(),
        payment: r.payment.as_ref().map(|p| {
            let brand = p.brand.clone().unwrap_or_else(|| "card".into());
            match &p.last4 {
                Some(l4) => format!("{brand} ****{l4}"),
                None => brand,
            }
        }),
        category: None,
        confidence: Confidence {
            vendor: r.vendor.confidence,
            date: r.date.confidence,
            total: r.total.confidence,
            currency: r.currency.confidence,
            category: 0.0,
        },
        subject: None,
        from: None,
        ocr_pages: 0,
    }
}

/// A message scoring at least this makes it a receipt when an attached document reads as one.
pub const ATTACHED_RECEIPT_FLOOR: f64 = 0.25;

/// A message's record, its attachments' findings merged in: a field the body
/// lacks is taken from the first attached document that has it (an emailed
/// invoice PDF often carries the total and date the mail body only mentions).
pub fn from_message(id: String, source: &str, a: &Analysis, docs: &[DocumentAnalysis]) -> Record {
    let mut rec = record(id, source, "email", &a.detection, &a.receipt);
    rec.subject = Some(a.origin.subject.clone()).filter(|s| !s.is_empty());
    rec.from = a
        .origin
        .from
        .email
        .clone()
        .or_else(|| a.origin.from.name.clone());
    for doc in docs {
        let other = record(String::new(), source, "email", &doc.detection, &doc.receipt);
        if !rec.is_receipt && other.is_receipt && a.detection.score >= ATTACHED_RECEIPT_FLOOR {
            rec.is_receipt = true;
            rec.reasons
                .push("an attached document reads as a receipt".into());
        }
        if rec.total.is_none() && other.total.is_some() {
            rec.total = other.total;
            rec.currency = other.currency.or(rec.currency);
            rec.confidence.total = other.confidence.total;
            // The body names no amount: the attached document is the receipt, so the
            // business it prints and its date beat the sender's name and the Date header
            // (a colleague mailing a photo of a till receipt).
            if other.vendor.is_some() && a.receipt.vendor.source != "subject" {
                rec.vendor = other.vendor.clone();
                rec.confidence.vendor = other.confidence.vendor;
            }
            if other.date.is_some() && a.receipt.date.source == "Date header (UTC)" {
                rec.date = other.date.clone();
                rec.confidence.date = other.confidence.date;
            }
        }
        if rec.date.is_none() && other.date.is_some() {
            rec.date = other.date;
            rec.confidence.date = other.confidence.date;
        }
        if rec.vendor.is_none() && other.vendor.is_some() {
            rec.vendor = other.vendor;
            rec.confidence.vendor = other.confidence.vendor;
        }
        if rec.tax.is_none() {
            rec.tax = other.tax;
        }
        if rec.items.is_empty() {
            rec.items = other.items;
        }
    }
    rec
}

/// The text the category classifier reads: who sold what.
pub fn category_text(rec: &Record, context: &str) -> String {
    let mut text = rec.vendor.clone().unwrap_or_default();
    if let Some(subject) = &rec.subject {
        text.push_str(" - ");
        text.push_str(subject);
    }
    for item in rec.items.iter().take(8) {
        text.push_str(", ");
        text.push_str(item);
    }
    if !context.is_empty() {
        text.push('\n');
        text.push_str(context);
    }
    text
}

/// Characters of a record's text given to the category classifier beside its fields:
/// what it sells is named near the top (items, "your stay", "your trip").
const CATEGORY_CONTEXT_CHARS: usize = 600;

/// The start of a record's text for [`category_text`], whitespace folded.
pub fn category_context(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.len() + word.len() + 1 > CATEGORY_CONTEXT_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze;
    use crate::document::Document;
    use crate::extract::{Context, Kind};

    #[test]
    fn an_attached_receipt_names_the_vendor_and_date_a_bare_mail_does_not() {
        let raw = b"From: Sam Carter <sam@example.com>\r\nSubject: receipt from yesterday\r\nDate: Tue, 12 Mar 2024 09:00:00 +0000\r\n\r\nHi, receipt attached for the team lunch.\r\n";
        let mail = analyze::message(&crate::mime::parse(raw), None);
        let photo = Document::from_text(
            "HARBOUR HARDWARE & TIMBER LTD\nPlymouth PL4 0RT\n09/03/2024 12:41\nTOTAL \u{a3}23.40\nVISA 23.40",
        );
        let doc = analyze::document(
            &photo,
            &Context {
                kind: Kind::Scan,
                ..Context::default()
            },
            None,
        );
        let rec = from_message("m".into(), "m.eml", &mail, &[doc]);
        assert_eq!(rec.vendor.as_deref(), Some("HARBOUR HARDWARE & TIMBER LTD"));
        assert_eq!(rec.date.as_deref(), Some("2024-03-09"));
        assert_eq!(rec.total.map(|t| t.minor), Some(2340));
        // A body with its own total keeps its own vendor and date.
        let raw = b"From: Acme Shop <orders@acme.example>\r\nSubject: Your receipt\r\nDate: Tue, 12 Mar 2024 09:00:00 +0000\r\n\r\nOrder date: 11 March 2024\r\nTotal: $5.00\r\n";
        let mail = analyze::message(&crate::mime::parse(raw), None);
        let doc = analyze::document(&photo, &Context::default(), None);
        let rec = from_message("m".into(), "m.eml", &mail, &[doc]);
        assert_eq!(rec.vendor.as_deref(), Some("Acme"));
        assert_eq!(rec.date.as_deref(), Some("2024-03-11"));
    }

    #[test]
    fn the_category_is_read_from_the_fields_and_the_start_of_the_text() {
        let context =
            category_context("Thank you for staying\n\n with us.\tRoom  charge (2 nights) ");
        assert_eq!(
            context,
            "Thank you for staying with us. Room charge (2 nights)"
        );
        let long = category_context(&"word ".repeat(1000));
        assert!(long.len() <= CATEGORY_CONTEXT_CHARS);
        assert!(long.ends_with("word"));
        let raw = b"From: Sakura Inn <stay@sakura.example>\r\nSubject: Your stay\r\n\r\nTotal: JPY 100\r\n";
        let mail = analyze::message(&crate::mime::parse(raw), None);
        let rec = from_message("m".into(), "m.eml", &mail, &[]);
        assert_eq!(category_text(&rec, ""), "Sakura Inn - Your stay");
        assert_eq!(
            category_text(&rec, &context),
            format!("Sakura Inn - Your stay\n{context}")
        );
    }
}
