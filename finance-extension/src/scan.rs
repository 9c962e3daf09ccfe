//! The `scan` job: every mail file, mbox, image and PDF of a library, read,
//! classified and stored as `finance.json` sidecars, up to 64 entries per step.
//!
//! Idempotent and incremental: an entry whose content already has a sidecar
//! of this [`records::VERSION`] is skipped, so a second scan adds nothing and
//! a later one reads only new mail. Heavy work goes to the host: `ai.ocr` for
//! attached and stand-alone images and PDFs, `ai.classify_text` (batched) for
//! the receipt probability and the category.

use crate::analyze::{self, Analysis, DocumentAnalysis};
use crate::dates;
use crate::detect::{Detection, THRESHOLD};
use crate::document::{Document, Page};
use crate::extract::{Context, Kind};
use crate::gmail;
use crate::mime::{self, Message};
use crate::records::{self, EntryRecords, Record};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use spacedrive_sdk::jobs::{JobStep, StepResult};
use spacedrive_sdk::ops::{
    ClassifyInput, ClassifyOutput, EntryInfo, ListEntries, OcrSettings, ReadFile, SidecarPart,
    SidecarRef, SidecarsRef, SidecarsWrite,
};
use spacedrive_sdk::{Client, Error, ErrorCode, LibraryId, Result, log};
use std::collections::HashSet;

/// The classifier takes at most this many texts per call.
const CLASSIFY_BATCH: usize = 64;
/// Entries looked at per step (each step's checkpoint is committed by the host):
/// a step of single messages is one classifier batch, one sidecar check and one write.
const ENTRIES_PER_STEP: i64 = CLASSIFY_BATCH as i64;
/// Pages (of [`ENTRIES_PER_STEP`]) a step looks at while every entry on them is done already.
const PAGES_PASSED_PER_STEP: usize = 16;
/// Attachments larger than this are not sent to OCR.
const MAX_OCR_BYTES: usize = 20 << 20;
/// Images smaller than this are logos, spacers and tracking pixels, not receipts.
const MIN_OCR_IMAGE_BYTES: usize = 8 << 10;
/// Sidecar bytes per `vdfs.sidecars.write_many` call (one larger sidecar goes alone).
const WRITE_BATCH_BYTES: usize = 4 << 20;

#[derive(Debug, Clone, Deserialize)]
pub struct ScanInput {
    pub library: LibraryId,
    /// Read attached and stand-alone images and PDFs with `ai.ocr` (default true).
    #[serde(default = "yes")]
    pub ocr: bool,
    /// Ask `ai.classify_text` too (default true); the rules alone otherwise.
    #[serde(default = "yes")]
    pub classify: bool,
    /// Where the mail comes from: `local` (the library's files, the default) or `gmail`.
    #[serde(default)]
    pub source: Source,
    /// With `source: gmail`: the query, credential and endpoint ([`gmail::Options`]).
    #[serde(default)]
    pub gmail: gmail::Options,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    #[default]
    Local,
    Gmail,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ScanProgress {
    pub offset: i64,
    pub scanned: u64,
    pub skipped: u64,
    pub messages: u64,
    pub receipts: u64,
    pub failed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScanSummary {
    /// Entries read in this run.
    pub scanned: u64,
    /// Entries already done by an earlier run (same content, same version).
    pub skipped: u64,
    /// Messages and documents read in this run, and how many were receipts.
    pub messages: u64,
    pub receipts: u64,
    /// Entries that could not be read (logged, the scan went on).
    pub failed: u64,
}

/// What kind of input an entry is, by its name.
fn kind_of(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    Some(match ext {
        "eml" | "msg" => "email",
        "mbox" | "mbx" => "mbox",
        "pdf" => "pdf",
        "png" | "jpg" | "jpeg" | "tif" | "tiff" | "webp" | "gif" | "bmp" => "image",
        _ => return None,
    })
}

/// One step of the job, of the source its input names (each has its own checkpoint).
pub fn run(client: &Client, job: JobStep<ScanInput, Value>) -> Result<Value> {
    fn typed<C: for<'de> Deserialize<'de>>(checkpoint: Option<Value>) -> Result<Option<C>> {
        checkpoint
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| {
                Error::invalid_input(format!("scan: the checkpoint is not this source's: {e}"))
            })
    }
    match job.input.source {
        Source::Local => to_value(&step(
            client,
            JobStep {
                checkpoint: typed(job.checkpoint)?,
                job_id: job.job_id,
                input: job.input,
                step: job.step,
            },
        )?),
        Source::Gmail => to_value(&gmail::step(client, &job.input, typed(job.checkpoint)?)?),
    }
}

fn to_value(v: &impl Serialize) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| Error::internal(e.to_string()))
}

/// One step of the job: up to [`ENTRIES_PER_STEP`] entries, their messages
/// classified in one batch.
pub fn step(
    client: &Client,
    step: JobStep<ScanInput, ScanProgress>,
) -> Result<StepResult<ScanProgress, ScanSummary>> {
    let input = &step.input;
    let mut cp = step.checkpoint.unwrap_or_default();
    // Pages whose entries are all read already are passed over within the step: a
    // rescan is then a step or two, not a step (and a checkpoint commit) per page.
    let mut passed = 0;
    let (page, done) = loop {
        let page = client.vdfs_entries_list(
            &input.library,
            &ListEntries {
                offset: Some(cp.offset),
                limit: Some(ENTRIES_PER_STEP),
                ..Default::default()
            },
        )?;
        let candidates: Vec<&EntryInfo> = page
            .entries
            .iter()
            .filter(|e| kind_of(&e.path).is_some())
            .collect();
        let done: HashSet<String> = already_done(client, &input.library, &candidates)?
            .into_iter()
            .map(str::to_string)
            .collect();
        let all_done = candidates
            .iter()
            .all(|e| done.contains(e.content_hash.as_str()));
        let last = cp.offset + page.entries.len() as i64 >= page.total;
        if !all_done || last || page.entries.is_empty() || passed + 1 >= PAGES_PASSED_PER_STEP {
            break (page, done);
        }
        cp.offset += page.entries.len() as i64;
        cp.skipped += candidates.len() as u64;
        passed += 1;
    };
    let mut work: Vec<(&EntryInfo, Vec<Item>)> = Vec::new();
    for entry in &page.entries {
        cp.offset += 1;
        let Some(kind) = kind_of(&entry.path) else {
            continue;
        };
        if done.contains(entry.content_hash.as_str()) {
            cp.skipped += 1;
            continue;
        }
        match read_entry(client, input, entry, kind) {
            Ok(items) => work.push((entry, items)),
            Err(e) => {
                cp.failed += 1;
                log::warn(format!("finance: {} not read: {e}", entry.path));
            }
        }
    }
    let mut records_by_entry = finish(client, input, work, |e| e.path.as_str())?;
    let mut batch = SidecarBatch::default();
    for (entry, found) in records_by_entry.drain(..) {
        cp.scanned += 1;
        cp.messages += found.len() as u64;
        cp.receipts += found.iter().filter(|r| r.is_receipt).count() as u64;
        let sidecar = EntryRecords {
            version: records::VERSION,
            path: entry.path.clone(),
            records: found,
        };
        let json = serde_json::to_vec(&sidecar).map_err(|e| Error::internal(e.to_string()))?;
        if !batch.parts.is_empty() && batch.tail.len() + json.len() > WRITE_BATCH_BYTES {
            batch.write(client, &input.library)?;
        }
        batch.push(&entry.content_hash, &json);
    }
    batch.write(client, &input.library)?;
    if page.entries.is_empty() || cp.offset >= page.total {
        return Ok(StepResult::finished(ScanSummary {
            scanned: cp.scanned,
            skipped: cp.skipped,
            messages: cp.messages,
            receipts: cp.receipts,
            failed: cp.failed,
        }));
    }
    let progress = cp.offset as f64 / page.total.max(1) as f64;
    let message = format!(
        "{} of {} entries, {} receipts",
        cp.offset, page.total, cp.receipts
    );
    Ok(StepResult::more(progress, cp).with_message(message))
}

/// A message or document read and analysed once without the classifier.
pub(crate) enum Item {
    Mail {
        id: String,
        first: Box<Analysis>,
        docs: Vec<DocumentAnalysis>,
    },
    Document {
        id: String,
        kind: &'static str,
        first: Box<DocumentAnalysis>,
        pages: usize,
    },
}

impl Item {
    fn classifier_text(&self) -> &str {
        match self {
            Item::Mail { first, .. } => &first.classifier_text,
            Item::Document { first, .. } => &first.classifier_text,
        }
    }

    /// Whether the classifier's probability could change this item's record: where the
    /// rules' score is so far from every threshold it is compared with that no clamped
    /// probability moves it across, the classifier is not asked (most mail: its cost
    /// was about half of a text scan's).
    fn needs_classifier(&self) -> bool {
        match self {
            Item::Mail { first, docs, .. } => {
                let d = &first.detection;
                d.classifier_could_cross(THRESHOLD)
                    || (!docs.is_empty()
                        && d.classifier_could_cross(records::ATTACHED_RECEIPT_FLOOR))
            }
            Item::Document { first, .. } => first.detection.classifier_could_cross(THRESHOLD),
        }
    }
}

/// Why a record has no classifier probability although the scan asks for one.
const RULES_DECIDED: &str = "the rules decided: the classifier could not change it";

/// The rules' detection combined with the classifier's probability (the rest of
/// an analysis does not depend on it, so nothing is parsed twice).
fn rescored(d: &Detection, p: f64) -> Detection {
    Detection::combine(d.features.clone(), d.rule_score, d.reasons.clone(), Some(p))
}

/// The classifier's receipt probabilities for every item at once, then each
/// item's record (`source` names where a key's items came from).
pub(crate) fn finish<K>(
    client: &Client,
    input: &ScanInput,
    work: Vec<(K, Vec<Item>)>,
    source: impl Fn(&K) -> &str,
) -> Result<Vec<(K, Vec<Record>)>> {
    // An empty text is not sent (its probability is None).
    let texts: Vec<String> = work
        .iter()
        .flat_map(|(_, items)| {
            items.iter().map(|i| {
                if i.needs_classifier() {
                    i.classifier_text().to_string()
                } else {
                    String::new()
                }
            })
        })
        .collect();
    let probs = receipt_probabilities(client, input, texts)?;
    let mut probs = probs.into_iter();
    let mut out = Vec::new();
    // What each record's category is read from besides its fields: the start of its text.
    let mut contexts: Vec<String> = Vec::new();
    for (entry, items) in work {
        let mut found = Vec::with_capacity(items.len());
        for item in items {
            let p = probs.next().flatten();
            contexts.push(records::category_context(item.classifier_text()));
            let decided = input.classify && !item.needs_classifier();
            found.push(match item {
                Item::Mail { id, first, docs } => {
                    let mut analysis = *first;
                    if let Some(p) = p {
                        analysis.detection = rescored(&analysis.detection, p);
                    } else if decided {
                        analysis.detection.reasons.push(RULES_DECIDED.into());
                    }
                    let mut rec = records::from_message(id, source(&entry), &analysis, &docs);
                    rec.ocr_pages = docs.len();
                    rec
                }
                Item::Document {
                    id,
                    kind,
                    first,
                    pages,
                } => {
                    let mut analysis = *first;
                    if let Some(p) = p {
                        analysis.detection = rescored(&analysis.detection, p);
                    } else if decided {
                        analysis.detection.reasons.push(RULES_DECIDED.into());
                    }
                    let mut rec = records::record(
                        id,
                        source(&entry),
                        kind,
                        &analysis.detection,
                        &analysis.receipt,
                    );
                    rec.ocr_pages = pages;
                    rec
                }
            });
        }
        out.push((entry, found));
    }
    if input.classify {
        let mut all: Vec<&mut Record> = out.iter_mut().flat_map(|(_, r)| r.iter_mut()).collect();
        categorise(client, &mut all, &contexts)?;
    }
    Ok(out)
}

/// The content hashes among `entries` that already have a sidecar of this
/// [`records::VERSION`], asked in one call.
fn already_done<'a>(
    client: &Client,
    library: &LibraryId,
    entries: &[&'a EntryInfo],
) -> Result<HashSet<&'a str>> {
    let mut hashes: Vec<&'a str> = entries.iter().map(|e| e.content_hash.as_str()).collect();
    hashes.sort_unstable();
    hashes.dedup();
    let mut done = HashSet::new();
    if hashes.is_empty() {
        return Ok(done);
    }
    let asked = SidecarsRef {
        content_hashes: hashes.iter().map(|h| h.to_string()).collect(),
        kind: records::SIDECAR.into(),
        plugin: None,
    };
    // Anything but too many bytes at once (rate limited, a damaged store) fails the
    // step: the job keeps its checkpoint, and reading the entries again would be wrong too.
    let (found, tail) = match client.vdfs_sidecars_read_many(library, &asked) {
        Ok(answer) => answer,
        Err(e) if e.code == ErrorCode::LimitExceeded => return one_by_one(client, library, hashes),
        Err(e) => return Err(e),
    };
    let mut start = 0usize;
    for part in &found.parts {
        let end = start.saturating_add(usize::try_from(part.size).unwrap_or(usize::MAX));
        let bytes = tail.get(start..end).unwrap_or_default();
        start = end;
        let hit = hashes.iter().find(|h| **h == part.content_hash);
        if let Some(h) = hit.filter(|_| current(bytes)) {
            done.insert(*h);
        }
    }
    Ok(done)
}

/// As [`already_done`], one call a sidecar: for sidecars too large to come together.
fn one_by_one<'a>(
    client: &Client,
    library: &LibraryId,
    hashes: Vec<&'a str>,
) -> Result<HashSet<&'a str>> {
    let mut done = HashSet::new();
    for h in hashes {
        let target = SidecarRef {
            content_hash: h.to_string(),
            kind: records::SIDECAR.into(),
            plugin: None,
        };
        match client.vdfs_sidecars_read(library, &target) {
            Ok((_, bytes)) if current(&bytes) => {
                done.insert(h);
            }
            Ok(_) => {}
            Err(e) if e.code == ErrorCode::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// Whether a sidecar is a whole one of this version (anything else is read again).
fn current(bytes: &[u8]) -> bool {
    serde_json::from_slice::<EntryRecords>(bytes)
        .map(|s| s.version == records::VERSION)
        .unwrap_or(false)
}

/// Sidecars of one step, written with one `vdfs.sidecars.write_many` call.
#[derive(Default)]
struct SidecarBatch {
    parts: Vec<SidecarPart>,
    tail: Vec<u8>,
}

impl SidecarBatch {
    fn push(&mut self, content_hash: &str, bytes: &[u8]) {
        self.parts.push(SidecarPart {
            content_hash: content_hash.to_string(),
            size: bytes.len() as i64,
        });
        self.tail.extend_from_slice(bytes);
    }

    fn write(&mut self, client: &Client, library: &LibraryId) -> Result<()> {
        if self.parts.is_empty() {
            return Ok(());
        }
        let asked = SidecarsWrite {
            kind: records::SIDECAR.into(),
            parts: std::mem::take(&mut self.parts),
            plugin: None,
        };
        client.vdfs_sidecars_write_many(library, &asked, &self.tail)?;
        self.tail.clear();
        Ok(())
    }
}

fn read_file(client: &Client, library: &LibraryId, path: &str) -> Result<Vec<u8>> {
    let read = ReadFile {
        path: path.to_string(),
        ..Default::default()
    };
    Ok(client.vdfs_files_read(library, &read)?.1)
}

/// An entry's messages or document, read and analysed without the classifier.
fn read_entry(
    client: &Client,
    input: &ScanInput,
    entry: &EntryInfo,
    kind: &'static str,
) -> Result<Vec<Item>> {
    let bytes = read_file(client, &input.library, &entry.path)?;
    Ok(match kind {
        "email" => vec![read_message(client, input, &bytes, entry.path.clone())],
        "mbox" => mime::mbox::split(&bytes)
            .iter()
            .enumerate()
            .map(|(i, m)| read_message(client, input, m, format!("{}#{}", entry.path, i + 1)))
            .collect(),
        _ => vec![read_document(client, input, &bytes, &entry.path, kind)?],
    })
}

/// One message, parsed in the sandbox, its attached documents OCR'd.
pub(crate) fn read_message(client: &Client, input: &ScanInput, raw: &[u8], id: String) -> Item {
    let message = mime::parse(raw);
    let first = analyze::message(&message, None);
    let docs = if input.ocr {
        attached_documents(client, &message, &first)
    } else {
        Vec::new()
    };
    Item::Mail {
        id,
        first: Box::new(first),
        docs,
    }
}

fn attached_documents(client: &Client, message: &Message, a: &Analysis) -> Vec<DocumentAnalysis> {
    let parts = message.attachments();
    let ctx = Context {
        from: Some(a.origin.from.clone()),
        subject: Some(a.origin.subject.clone()),
        sent: a.origin.date_header.as_deref().and_then(dates::rfc2822),
        kind: Kind::Pdf,
    };
    let mut out = Vec::new();
    for att in a.attachments.iter().filter(|att| att.document) {
        let Some(part) = parts.get(att.index) else {
            continue;
        };
        let tiny_image =
            part.content_type.starts_with("image/") && part.body.len() < MIN_OCR_IMAGE_BYTES;
        if part.body.is_empty() || part.body.len() > MAX_OCR_BYTES || tiny_image {
            continue;
        }
        match ocr(client, &part.body) {
            Ok(pages) => {
                let kind = if part.content_type == "application/pdf" {
                    Kind::Pdf
                } else {
                    Kind::Scan
                };
                let doc_ctx = Context {
                    kind,
                    ..ctx.clone()
                };
                out.push(analyze::document(
                    &Document::from_pages(&pages),
                    &doc_ctx,
                    None,
                ));
            }
            // A corrupt attachment is the sender's problem, not the scan's: noted, skipped.
            Err(e) => log::info(format!(
                "finance: attachment {:?} not read: {e}",
                att.filename
            )),
        }
    }
    out
}

/// A stand-alone image or PDF: a receipt document on its own.
fn read_document(
    client: &Client,
    input: &ScanInput,
    bytes: &[u8],
    path: &str,
    kind: &'static str,
) -> Result<Item> {
    if !input.ocr {
        return Err(Error::invalid_input("OCR is off for this scan"));
    }
    let pages = ocr(client, bytes)?;
    let ctx = Context {
        kind: if kind == "pdf" { Kind::Pdf } else { Kind::Scan },
        ..Context::default()
    };
    let doc = Document::from_pages(&pages);
    let first = analyze::document(&doc, &ctx, None);
    Ok(Item::Document {
        id: path.to_string(),
        kind,
        first: Box::new(first),
        pages: pages.len(),
    })
}

#[derive(Deserialize)]
struct OcrPages {
    pages: Vec<Page>,
}

fn ocr(client: &Client, bytes: &[u8]) -> Result<Vec<Page>> {
    let (out, _): (OcrPages, Vec<u8>) =
        client.call_with_tail("query:ai.ocr.v1", None, &OcrSettings::default(), bytes)?;
    Ok(out.pages)
}

/// `ai.classify_text`'s probability of `receipt` for each text (None where not asked).
fn receipt_probabilities(
    client: &Client,
    input: &ScanInput,
    texts: Vec<String>,
) -> Result<Vec<Option<f64>>> {
    if !input.classify {
        return Ok(vec![None; texts.len()]);
    }
    let mut out = Vec::with_capacity(texts.len());
    for chunk in texts.chunks(CLASSIFY_BATCH) {
        let asked: Vec<String> = chunk
            .iter()
            .filter(|t| !t.trim().is_empty())
            .cloned()
            .collect();
        let answers = if asked.is_empty() {
            Vec::new()
        } else {
            classify(client, asked, "finance.receipt")?
                .map(|o| o.results)
                .unwrap_or_default()
        };
        let mut answers = answers.into_iter();
        for text in chunk {
            if text.trim().is_empty() {
                out.push(None);
            } else {
                out.push(answers.next().and_then(|r| {
                    r.scores
                        .iter()
                        .find(|s| s.label == "receipt")
                        .map(|s| s.score)
                }));
            }
        }
    }
    Ok(out)
}

/// `ai.classify_text` on a built-in set; `None` when the host has no classifier
/// installed (`unavailable`): the scan then goes on with its rules alone.
fn classify(
    client: &Client,
    texts: Vec<String>,
    label_set: &str,
) -> Result<Option<ClassifyOutput>> {
    let asked = ClassifyInput {
        texts,
        label_set: Some(label_set.into()),
        labels: None,
    };
    match client.ai_classify_text(&asked) {
        Ok(out) => Ok(Some(out)),
        Err(e) if e.code == ErrorCode::Unavailable => {
            log::warn(format!("finance: no classifier, rules only: {}", e.message));
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Categories for the receipts among `found` (`contexts[i]`: the start of record i's
/// text), in batches.
fn categorise(client: &Client, found: &mut [&mut Record], contexts: &[String]) -> Result<()> {
    let receipts: Vec<usize> = (0..found.len()).filter(|&i| found[i].is_receipt).collect();
    for chunk in receipts.chunks(CLASSIFY_BATCH) {
        let texts = chunk
            .iter()
            .map(|&i| {
                let context = contexts.get(i).map(String::as_str).unwrap_or("");
                records::category_text(found[i], context)
            })
            .collect();
        let Some(out) = classify(client, texts, "finance.category")? else {
            return Ok(());
        };
        for (&i, result) in chunk.iter().zip(out.results) {
            found[i].category = Some(result.label);
            found[i].confidence.category = result.confidence;
        }
    }
    Ok(())
}
