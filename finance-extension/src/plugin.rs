//! The plugin's methods, dispatched by the SDK's [`methods!`] table.
//!
//! - `analyze`: the binary tail is a raw `.eml`; input JSON
//!   `{"classifier": null | 0.93}` (optional). Returns [`analyze::Analysis`].
//! - `analyze_text`: input JSON `{"pages": [...]}` (ai.ocr's output, or any
//!   object with its `pages`), or `{"lines": [...]}`, or `{"text": "..."}`,
//!   plus optional `kind` ("scan" | "pdf" | "email"), `from`, `subject`,
//!   `date` (the mail it came with) and `classifier`. Returns
//!   [`analyze::DocumentAnalysis`].
//! - `split_mbox`: the tail is an mbox; returns `{"messages": [[start, end], ...]}`
//!   byte ranges (before `>From` unescaping, which `analyze` does not need).

use crate::analyze;
use crate::dates;
use crate::document::{Document, Line, Page};
use crate::extract::{Context, Kind};
use crate::mime::{self, Address};
use crate::{queries, scan};
use serde::Deserialize;
use serde_json::{Value, json};
use spacedrive_sdk::jobs::JobStep;
use spacedrive_sdk::{Call, Client, Error, Plugin, Reply, Result, methods};

/// The plugin state: the host client the scan and the queries use.
pub struct Finance {
    client: Client,
}

#[derive(Deserialize, Default)]
struct AnalyzeInput {
    #[serde(default)]
    classifier: Option<f64>,
}

#[derive(Deserialize, Default)]
struct TextInput {
    #[serde(default)]
    pages: Option<Vec<Page>>,
    #[serde(default)]
    lines: Option<Vec<Line>>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    kind: Option<Kind>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    classifier: Option<f64>,
}

impl Finance {
    fn analyze(&mut self, call: Call<'_>) -> Result<Reply> {
        let args: AnalyzeInput = call.json::<Option<_>>()?.unwrap_or_default();
        if call.tail().is_empty() {
            return Err(Error::invalid_input(
                "analyze: the message bytes go in the binary tail; it is empty",
            ));
        }
        let message = mime::parse(call.tail());
        Reply::json(&analyze::message(&message, args.classifier))
    }

    /// Empty or `null` input means "all defaults".
    fn analyze_text(&mut self, args: Option<TextInput>) -> Result<analyze::DocumentAnalysis> {
        let args = args.unwrap_or_default();
        let doc = if let Some(pages) = &args.pages {
            Document::from_pages(pages)
        } else if let Some(lines) = args.lines {
            Document::from_lines(lines)
        } else if let Some(text) = &args.text {
            Document::from_text(text)
        } else {
            return Err(Error::invalid_input(
                "analyze_text: give `pages` (ai.ocr output), `lines` or `text`",
            ));
        };
        let ctx = Context {
            from: args.from.as_deref().map(Address::parse),
            subject: args.subject,
            sent: args.date.as_deref().and_then(dates::rfc2822),
            kind: args.kind.unwrap_or(Kind::Scan),
        };
        Ok(analyze::document(&doc, &ctx, args.classifier))
    }

    fn split_mbox(&mut self, call: Call<'_>) -> Result<Reply> {
        let ranges: Vec<[usize; 2]> = mime::mbox::ranges(call.tail())
            .into_iter()
            .map(|r| [r.start, r.end])
            .collect();
        Reply::json(&json!({ "messages": ranges }))
    }

    fn scan(&mut self, step: JobStep<scan::ScanInput, Value>) -> Result<Value> {
        scan::run(&self.client, step)
    }

    fn receipts(&mut self, filter: queries::Filter) -> Result<queries::Receipts> {
        let receipts = queries::records(&self.client, &filter)?;
        Ok(queries::Receipts {
            count: receipts.len(),
            receipts,
        })
    }

    fn totals(&mut self, filter: queries::Filter) -> Result<queries::Totals> {
        queries::totals(&self.client, &filter)
    }

    fn export_csv(&mut self, call: Call<'_>) -> Result<Reply> {
        let filter: queries::Filter = call.json()?;
        let (rows, bytes) = queries::csv(&self.client, &filter)?;
        Ok(Reply::json(&json!({ "rows": rows, "bytes": bytes.len() }))?.with_tail(bytes))
    }
}

impl Plugin for Finance {
    fn init() -> Result<Self> {
        Ok(Finance {
            client: Client::new(),
        })
    }

    fn handle(&mut self, call: Call<'_>) -> Result<Reply> {
        methods!(self, call, {
            "analyze" => raw(analyze),
            "analyze_text" => analyze_text,
            "split_mbox" => raw(split_mbox),
            "scan" => job(scan),
            "receipts" => receipts,
            "totals" => totals,
            "export_csv" => raw(export_csv),
        })
    }
}
