//! # Finance extension: receipts out of mail
//!
//! The core of the Finance plugin, as a library the plugin surface (and its
//! native tests) build on. Every module reads untrusted input and never
//! panics on it:
//!
//! - [`mime`]: RFC 5322 / MIME parsing (headers, encoded words, multipart
//!   trees, forwards, transfer encodings, charsets) and mbox splitting;
//! - [`html`]: HTML bodies to text lines, tables kept as rows;
//! - [`money`] and [`dates`]: amounts and dates as printed in many locales;
//! - [`document`]: OCR lines with word boxes, regrouped into visual rows;
//! - [`extract`] (with [`vendor`]): vendor, date, total, currency, tax,
//!   subtotal, items and payment method, each with a confidence;
//! - [`detect`]: receipt or not, a score with reasons;
//! - [`analyze`]: all of it for one message or document;
//! - [`ledger`]: the CSV ledger;
//! - [`scan`] (with [`gmail`]): the scan job over a library's files or a Gmail account.
//!
//! The plugin surface (methods `analyze`, `analyze_text`, `split_mbox`) is in
//! [`plugin`].

pub mod analyze;
pub mod dates;
pub mod detect;
pub mod document;
pub mod extract;
pub mod forward;
pub mod gmail;
pub mod html;
pub mod labels;
pub mod ledger;
pub mod mime;
pub mod money;
pub mod plugin;
pub mod queries;
pub mod records;
pub mod scan;
pub mod vendor;

spacedrive_sdk::export_plugin!(plugin::Finance);
