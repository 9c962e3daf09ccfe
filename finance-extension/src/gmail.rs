//! The `scan` job's Gmail source (`"source": "gmail"`): messages fetched
//! through the host's HTTP proxy, which attaches the OAuth2 token named by
//! `credential` and refreshes it, so no token enters the sandbox. Each message
//! goes through the same pipeline as local mail ([`scan`]) and its record is kept
//! in the plugin's storage under `gmail/<library>/msg/<message id>` (the sync
//! state under `gmail/<library>/state`), so a message is read once however
//! often it is listed.
//!
//! - First run: `users.getProfile` (the history id to continue from later),
//!   then `users.messages.list` with `query`, page by page.
//! - Later runs: `users.history.list` from the stored history id; a 404 (the
//!   id is too old, Gmail keeps about a week) falls back to a full list. The
//!   history knows no query, so what it lists is kept only where
//!   `users.messages.list` with `query` (and `after:` the last run, less a day)
//!   lists it too: new spam, trash or chats are never fetched.
//! - Each message: `users.messages.get?format=raw`; one too large for the
//!   proxy is fetched as `format=full` and rebuilt as MIME, its attachments
//!   through `users.messages.attachments.get`.
//! - 429 and 5xx (and 403 `rateLimitExceeded`): the step asks the host to
//!   wait (`Retry-After` honoured, seconds or HTTP-date, at most [`MAX_DELAY_MS`]) and repeats the
//!   request, at most [`MAX_RETRIES`] times in a row; then the job fails with
//!   `unavailable`, keeping every record stored so far and its checkpoint.
//! - 401: `permission_denied` (authorise again); a token the host cannot
//!   refresh (revoked) is the host's `unavailable`, passed on with context.

use crate::dates;
use crate::mime::{Structured, decode};
use crate::records::Record;
use crate::scan::{self, Item, ScanInput};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use spacedrive_sdk::jobs::StepResult;
use spacedrive_sdk::ops::{HttpRequest, KeyRef, ListKeys, SetValue};
use spacedrive_sdk::{Client, Error, ErrorCode, LibraryId, Result, http, log};
use std::collections::BTreeSet;

/// Messages fetched per step.
const FETCH_PER_STEP: usize = 25;
/// How far before the last run an incremental run's query listing reaches: mail
/// can arrive (`internalDate`) a little before the run that last listed.
const AFTER_MARGIN_S: u64 = 86_400;
/// Consecutive 429/5xx answers tolerated before the job gives up.
pub const MAX_RETRIES: u32 = 6;
/// The longest wait asked of the host (its own cap is 60 s).
pub const MAX_DELAY_MS: u64 = 60_000;
const GMAIL: &str = "https://gmail.googleapis.com";

/// The Gmail settings of a scan.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// A Gmail search (the same syntax as the search box): what is read, on the
    /// first run and on every later one.
    pub query: String,
    /// The plugin's OAuth2 credential (`spacedrive auth gmail` stores `gmail`).
    pub credential: String,
    /// The API's origin; must be in the manifest's `http_hosts`.
    pub endpoint: String,
    /// `maxResults` of one list page (Gmail allows up to 500).
    pub page_size: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            query: "-in:chats -in:spam -in:trash".into(),
            credential: "gmail".into(),
            endpoint: GMAIL.into(),
            page_size: 100,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Nothing asked yet.
    #[default]
    Start,
    /// Listing every message matching the query.
    List,
    /// Listing what was added since the stored history id.
    History,
    /// Keeping of that only what the query lists (`messages.list`).
    Confirm,
    /// Listing done: what is pending is fetched, then the history id is stored.
    Fetch,
}

/// The checkpoint.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Progress {
    pub phase: Phase,
    pub page_token: Option<String>,
    /// Where the history listing started (an incremental run).
    pub since: Option<String>,
    /// The history id stored when the run completes.
    pub next_history: Option<String>,
    /// Listed, not fetched yet.
    pub pending: Vec<String>,
    /// Listed by the history, not yet found in the query's listing.
    #[serde(default)]
    pub candidates: Vec<String>,
    /// The `after:` (Unix seconds) of the query's listing in an incremental run.
    #[serde(default)]
    pub after: Option<u64>,
    /// When this run started (Unix seconds): the next run's `after:`, less a margin.
    #[serde(default)]
    pub started_at: Option<u64>,
    /// 429/5xx answers in a row.
    pub retries: u32,
    pub summary: Summary,
}

/// The job's output.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    /// `full` (messages.list) or `incremental` (history.list).
    pub sync: String,
    /// Message ids listed by Gmail in this run.
    pub listed: u64,
    /// Messages fetched and read in this run, and how many were receipts.
    pub messages: u64,
    pub receipts: u64,
    /// Listed but already in the ledger (or gone from the mailbox since).
    pub skipped: u64,
    /// Added to the mailbox since the last run but not matched by the query
    /// (spam, trash, chats with the default one): not fetched.
    #[serde(default)]
    pub filtered: u64,
    /// Messages that could not be read (logged, the scan went on).
    pub failed: u64,
    /// Requests repeated after a 429 or 5xx.
    pub retried: u64,
    /// A stored history id was too old: the run listed everything instead.
    pub history_expired: bool,
}

/// What storage keeps between runs.
#[derive(Debug, Serialize, Deserialize)]
struct State {
    history_id: String,
    query: String,
    /// When the run that stored this started (Unix seconds).
    #[serde(default)]
    synced_at: Option<u64>,
}

/// Storage keys: `gmail/<library>/` then `state`, or [`MSG`] and a message id.
fn prefix(library: &LibraryId) -> String {
    format!("gmail/{library}/")
}

const MSG: &str = "msg/";

fn message_key(library: &LibraryId, id: &str) -> String {
    format!("{}{MSG}{id}", prefix(library))
}

/// Gmail ids are short lowercase hex; anything else is not used in a key.
fn valid_id(id: &str) -> bool {
    (1..=27).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

/// A server answer that says "wait and ask again", with how long.
struct Retry(u64);

enum Answer<T> {
    Ok(T),
    Gone,
    Retry(Retry),
}

/// The delay a 429/5xx answer asks for: `Retry-After` as seconds, or as an
/// HTTP-date measured from the answer's own `Date` (the server's clock, not
/// ours, so clock skew does not matter); else exponential (1, 2, 4 ... s).
/// Bounded by [`MAX_DELAY_MS`].
pub fn retry_delay_ms(retry_after: Option<&str>, date: Option<&str>, retries: u32) -> u64 {
    let asked = retry_after.and_then(|v| {
        let v = v.trim();
        match v.parse::<u64>() {
            Ok(seconds) => Some(seconds.saturating_mul(1000)),
            Err(_) => {
                let until = dates::rfc2822(v)?;
                let now = dates::rfc2822(date?)?;
                let ms = (until - now).num_milliseconds();
                Some(u64::try_from(ms).unwrap_or(0))
            }
        }
    });
    asked
        .unwrap_or_else(|| 1000u64.saturating_mul(1 << retries.min(6)))
        .min(MAX_DELAY_MS)
}

fn header<'a>(headers: &'a [Vec<String>], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|h| h.len() == 2 && h[0].eq_ignore_ascii_case(name))
        .map(|h| h[1].as_str())
}

/// One page of `users.messages.list` for a search.
fn list_path(query: &str, page_size: u32, page_token: Option<&str>) -> String {
    let mut path = format!(
        "messages?q={}&maxResults={}",
        enc(query),
        page_size.clamp(1, 500)
    );
    if let Some(t) = page_token {
        path.push_str(&format!("&pageToken={}", enc(t)));
    }
    path
}

/// Percent-encodes a query value (RFC 3986 unreserved kept).
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

struct Api<'a> {
    opts: &'a Options,
}

impl Api<'_> {
    fn url(&self, path: &str) -> String {
        format!(
            "{}/gmail/v1/users/me/{path}",
            self.opts.endpoint.trim_end_matches('/')
        )
    }

    /// One GET, its JSON answer typed; 404 is `Gone`, 429/5xx `Retry`.
    fn get<T: DeserializeOwned>(&self, path: &str, retries: u32) -> Result<Answer<T>> {
        let request = HttpRequest {
            url: self.url(path),
            credential: Some(self.opts.credential.clone()),
            headers: [("Accept".to_string(), "application/json".to_string())].into(),
            ..Default::default()
        };
        let (response, body) = http::send(&request, &[]).map_err(|e| match e.code {
            ErrorCode::Unavailable | ErrorCode::NotFound | ErrorCode::InvalidInput => Error::new(
                e.code,
                format!(
                    "gmail: {} (if the token was revoked, authorise again: `spacedrive auth gmail`)",
                    e.message
                ),
            ),
            _ => e,
        })?;
        let status = response.status;
        let rate_limited_403 = status == 403
            && String::from_utf8_lossy(&body[..body.len().min(4096)])
                .to_ascii_lowercase()
                .contains("ratelimitexceeded");
        if status == 429 || status >= 500 || rate_limited_403 {
            return Ok(Answer::Retry(Retry(retry_delay_ms(
                header(&response.headers, "retry-after"),
                header(&response.headers, "date"),
                retries,
            ))));
        }
        if status == 404 {
            return Ok(Answer::Gone);
        }
        if status == 401 {
            return Err(Error::new(
                ErrorCode::PermissionDenied,
                "gmail refused the access token (401): authorise again with `spacedrive auth gmail`",
            ));
        }
        if status != 200 {
            let text = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
            return Err(Error::unavailable(format!(
                "gmail answered {status} to {path}: {text}"
            )));
        }
        serde_json::from_slice(&body).map(Answer::Ok).map_err(|e| {
            Error::unavailable(format!(
                "gmail's answer to {path} is not what the API returns: {e}"
            ))
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Profile {
    history_id: String,
}

#[derive(Deserialize)]
struct Listed {
    id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MessageList {
    #[serde(default)]
    messages: Vec<Listed>,
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
struct Added {
    message: Listed,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HistoryRecord {
    #[serde(default)]
    messages_added: Vec<Added>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HistoryList {
    #[serde(default)]
    history: Vec<HistoryRecord>,
    next_page_token: Option<String>,
    history_id: Option<String>,
}

#[derive(Deserialize)]
struct Raw {
    raw: String,
}

/// `format=full`: the MIME tree with bodies base64url, big ones by attachment id.
#[derive(Deserialize)]
struct Full {
    payload: Part,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Part {
    mime_type: String,
    headers: Vec<NameValue>,
    body: Body,
    parts: Vec<Part>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Body {
    attachment_id: Option<String>,
    data: Option<String>,
}

#[derive(Deserialize, Default)]
struct NameValue {
    name: String,
    value: String,
}

#[derive(Deserialize)]
struct AttachmentData {
    data: String,
}

fn load_state(client: &Client, library: &LibraryId) -> Result<Option<State>> {
    let key = format!("{}state", prefix(library));
    match client.storage_get(&KeyRef { key, plugin: None }) {
        Ok(v) => Ok(serde_json::from_str(&v.value).ok()),
        Err(e) if e.code == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn store(client: &Client, key: String, value: &impl Serialize) -> Result<()> {
    let value = serde_json::to_string(value).map_err(|e| Error::internal(e.to_string()))?;
    client.storage_set(&SetValue {
        key,
        value,
        ..Default::default()
    })?;
    Ok(())
}

/// Ids of the messages already in this library's ledger, page by page.
fn known(client: &Client, library: &LibraryId) -> Result<BTreeSet<String>> {
    let pre = format!("{}{MSG}", prefix(library));
    let mut ids = BTreeSet::new();
    let mut after = None;
    loop {
        let page = client.storage_list(&ListKeys {
            prefix: Some(pre.clone()),
            after,
            limit: Some(1000),
            ..Default::default()
        })?;
        ids.extend(
            page.keys
                .into_iter()
                .filter_map(|k| k.key.strip_prefix(&pre).map(str::to_string)),
        );
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(ids),
        }
    }
}

/// Every Gmail record of `library` (for the queries).
pub fn stored_records(client: &Client, library: &LibraryId) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    for id in known(client, library)? {
        let key = message_key(library, &id);
        let value = match client.storage_get(&KeyRef { key, plugin: None }) {
            Ok(v) => v.value,
            Err(e) if e.code == ErrorCode::NotFound => continue, // deleted since it was listed
            Err(e) => return Err(e),
        };
        if let Ok(rec) = serde_json::from_str(&value) {
            out.push(rec);
        }
    }
    Ok(out)
}

/// The raw message bytes, by `format=raw`, or rebuilt from `format=full` when
/// the raw answer is larger than the proxy returns.
fn fetch(api: &Api<'_>, id: &str, retries: u32) -> Result<Answer<Vec<u8>>> {
    match api.get::<Raw>(&format!("messages/{id}?format=raw"), retries) {
        Ok(Answer::Ok(raw)) => Ok(Answer::Ok(decode::base64(raw.raw.as_bytes()))),
        Ok(Answer::Gone) => Ok(Answer::Gone),
        Ok(Answer::Retry(r)) => Ok(Answer::Retry(r)),
        Err(e) if e.code == ErrorCode::LimitExceeded => {
            let full = match api.get::<Full>(&format!("messages/{id}?format=full"), retries)? {
                Answer::Ok(full) => full,
                Answer::Gone => return Ok(Answer::Gone),
                Answer::Retry(r) => return Ok(Answer::Retry(r)),
            };
            let mut out = Vec::new();
            rebuild(api, id, &full.payload, retries, &mut out)?;
            Ok(Answer::Ok(out))
        }
        Err(e) => Err(e),
    }
}

/// Writes `part` as MIME: its headers as Gmail gives them (transfer encoding
/// replaced by base64), then its body or its children between the boundary
/// of its own Content-Type. An attachment too large for the proxy is left out.
fn rebuild(api: &Api<'_>, id: &str, part: &Part, retries: u32, out: &mut Vec<u8>) -> Result<()> {
    let multipart = part.mime_type.starts_with("multipart/");
    for h in &part.headers {
        if !h.name.eq_ignore_ascii_case("content-transfer-encoding") {
            out.extend_from_slice(format!("{}: {}\r\n", h.name, h.value).as_bytes());
        }
    }
    if !multipart {
        out.extend_from_slice(b"Content-Transfer-Encoding: base64\r\n");
    }
    out.extend_from_slice(b"\r\n");
    if multipart {
        let boundary = part
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-type"))
            .and_then(|h| {
                Structured::parse(&h.value)
                    .param("boundary")
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "gmail-rebuilt-boundary".into());
        for child in &part.parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            rebuild(api, id, child, retries, out)?;
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        return Ok(());
    }
    let data = match (&part.body.data, &part.body.attachment_id) {
        (Some(data), _) => decode::base64(data.as_bytes()),
        (None, Some(att)) => {
            match api.get::<AttachmentData>(&format!("messages/{id}/attachments/{att}"), retries) {
                Ok(Answer::Ok(a)) => decode::base64(a.data.as_bytes()),
                Ok(_) => Vec::new(),
                Err(e) if e.code == ErrorCode::LimitExceeded => {
                    log::info(format!(
                        "finance: gmail {id}: an attachment is too large, left out"
                    ));
                    Vec::new()
                }
                Err(e) => return Err(e),
            }
        }
        (None, None) => Vec::new(),
    };
    for line in base64::encode(&data).as_bytes().chunks(76) {
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    Ok(())
}

/// One step of a Gmail scan.
pub fn step(
    client: &Client,
    input: &ScanInput,
    checkpoint: Option<Progress>,
) -> Result<StepResult<Progress, Summary>> {
    let opts = &input.gmail;
    let api = Api { opts };
    let mut cp = checkpoint.unwrap_or_default();
    if cp.phase == Phase::Start {
        let now = spacedrive_sdk::time::now().duration_since(std::time::UNIX_EPOCH);
        cp.started_at = now.ok().map(|d| d.as_secs());
        match load_state(client, &input.library)? {
            Some(state) if state.query == opts.query => {
                cp.phase = Phase::History;
                cp.since = Some(state.history_id);
                cp.after = state.synced_at.map(|t| t.saturating_sub(AFTER_MARGIN_S));
                cp.summary.sync = "incremental".into();
            }
            _ => {
                cp.phase = Phase::List;
                cp.summary.sync = "full".into();
            }
        }
    }
    if !cp.pending.is_empty() {
        return fetch_some(client, input, &api, cp);
    }
    let retries = cp.retries;
    let retry = match cp.phase {
        Phase::Start | Phase::List => {
            if cp.next_history.is_none() {
                match api.get::<Profile>("profile", retries)? {
                    Answer::Ok(p) => cp.next_history = Some(p.history_id),
                    Answer::Gone => return Err(Error::unavailable("gmail: no profile (404)")),
                    Answer::Retry(r) => return wait(cp, r),
                }
            }
            let path = list_path(&opts.query, opts.page_size, cp.page_token.as_deref());
            match api.get::<MessageList>(&path, retries)? {
                Answer::Ok(page) => {
                    cp.summary.listed += page.messages.len() as u64;
                    cp.pending.extend(page.messages.into_iter().map(|m| m.id));
                    cp.page_token = page.next_page_token;
                    if cp.page_token.is_none() {
                        cp.phase = Phase::Fetch;
                    }
                    None
                }
                Answer::Gone => {
                    return Err(Error::unavailable("gmail: messages.list answered 404"));
                }
                Answer::Retry(r) => Some(r),
            }
        }
        Phase::History => {
            let since = cp.since.clone().unwrap_or_default();
            let mut path = format!(
                "history?startHistoryId={}&historyTypes=messageAdded",
                enc(&since)
            );
            if let Some(t) = &cp.page_token {
                path.push_str(&format!("&pageToken={}", enc(t)));
            }
            match api.get::<HistoryList>(&path, retries)? {
                Answer::Ok(page) => {
                    for added in page.history.into_iter().flat_map(|h| h.messages_added) {
                        if !cp.candidates.contains(&added.message.id) {
                            cp.summary.listed += 1;
                            cp.candidates.push(added.message.id);
                        }
                    }
                    if let Some(h) = page.history_id {
                        cp.next_history = Some(h);
                    }
                    cp.page_token = page.next_page_token;
                    if cp.page_token.is_none() {
                        if cp.candidates.is_empty() || opts.query.trim().is_empty() {
                            // Nothing to confirm, or a query that matches everything.
                            cp.pending.append(&mut cp.candidates);
                            cp.phase = Phase::Fetch;
                        } else {
                            cp.phase = Phase::Confirm;
                        }
                    }
                    None
                }
                Answer::Gone => {
                    log::info(format!(
                        "finance: gmail history id {since} is too old; listing everything again"
                    ));
                    cp.summary.history_expired = true;
                    cp.summary.sync = "full".into();
                    cp.candidates.clear(); // the full listing lists them again
                    cp.phase = Phase::List;
                    cp.page_token = None;
                    cp.next_history = None;
                    None
                }
                Answer::Retry(r) => Some(r),
            }
        }
        Phase::Confirm => {
            let query = match cp.after {
                Some(t) => format!("({}) after:{t}", opts.query),
                None => opts.query.clone(),
            };
            let path = list_path(&query, opts.page_size, cp.page_token.as_deref());
            match api.get::<MessageList>(&path, retries)? {
                Answer::Ok(page) => {
                    for m in page.messages {
                        if let Some(i) = cp.candidates.iter().position(|c| *c == m.id) {
                            cp.pending.push(cp.candidates.swap_remove(i));
                        }
                    }
                    cp.page_token = page.next_page_token;
                    // Newest first: the listing can stop once every candidate is found.
                    if cp.page_token.is_none() || cp.candidates.is_empty() {
                        if !cp.candidates.is_empty() {
                            log::info(format!(
                                "finance: gmail: {} new message(s) not matched by the query, not read",
                                cp.candidates.len()
                            ));
                        }
                        cp.summary.filtered += cp.candidates.len() as u64;
                        cp.candidates.clear();
                        cp.page_token = None;
                        cp.phase = Phase::Fetch;
                    }
                    None
                }
                Answer::Gone => {
                    return Err(Error::unavailable("gmail: messages.list answered 404"));
                }
                Answer::Retry(r) => Some(r),
            }
        }
        Phase::Fetch => {
            if let Some(history_id) = cp.next_history.clone() {
                let state = State {
                    history_id,
                    query: opts.query.clone(),
                    synced_at: cp.started_at,
                };
                store(client, format!("{}state", prefix(&input.library)), &state)?;
            }
            return Ok(StepResult::finished(cp.summary));
        }
    };
    match retry {
        Some(r) => wait(cp, r),
        None => {
            cp.retries = 0;
            Ok(more(cp))
        }
    }
}

fn more(cp: Progress) -> StepResult<Progress, Summary> {
    let s = &cp.summary;
    let done = s.messages + s.skipped + s.failed;
    let progress = done as f64 / (done + cp.pending.len() as u64 + 1) as f64;
    let message = format!(
        "gmail: {} listed, {} read, {} receipts",
        s.listed, s.messages, s.receipts
    );
    StepResult::more(progress, cp).with_message(message)
}

/// Asks the host to wait before the same request is tried again, a bounded number of times.
fn wait(mut cp: Progress, retry: Retry) -> Result<StepResult<Progress, Summary>> {
    if cp.retries >= MAX_RETRIES {
        return Err(Error::unavailable(format!(
            "gmail kept answering 429/5xx ({} tries); run the scan again later, nothing read is lost",
            cp.retries + 1
        )));
    }
    cp.retries += 1;
    cp.summary.retried += 1;
    let delay = retry.0;
    Ok(more(cp)
        .with_message(format!("gmail asked to wait {} ms", delay))
        .with_delay(delay))
}

/// Fetches up to [`FETCH_PER_STEP`] pending messages, reads them, stores their records.
fn fetch_some(
    client: &Client,
    input: &ScanInput,
    api: &Api<'_>,
    mut cp: Progress,
) -> Result<StepResult<Progress, Summary>> {
    let known = known(client, &input.library)?;
    let mut work: Vec<(String, Vec<Item>)> = Vec::new();
    let mut retry = None;
    let mut taken = 0;
    for id in cp.pending.iter().take(FETCH_PER_STEP) {
        if !valid_id(id) {
            log::warn(format!(
                "finance: gmail id {:?} is not valid, skipped",
                &id[..id.len().min(40)]
            ));
            cp.summary.failed += 1;
        } else if known.contains(id) {
            cp.summary.skipped += 1;
        } else {
            match fetch(api, id, cp.retries)? {
                Answer::Ok(raw) => {
                    let item = scan::read_message(client, input, &raw, format!("gmail:{id}"));
                    work.push((id.clone(), vec![item]));
                }
                Answer::Gone => cp.summary.skipped += 1, // deleted since it was listed
                Answer::Retry(r) => {
                    retry = Some(r);
                    break;
                }
            }
        }
        taken += 1;
    }
    cp.pending.drain(..taken);
    for (id, found) in scan::finish(client, input, work, |_| "gmail")? {
        for rec in found {
            cp.summary.messages += 1;
            cp.summary.receipts += u64::from(rec.is_receipt);
            store(client, message_key(&input.library, &id), &rec)?;
        }
    }
    match retry {
        Some(r) => wait(cp, r),
        None => {
            cp.retries = 0;
            Ok(more(cp))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_honoured_and_bounded() {
        assert_eq!(retry_delay_ms(Some("3"), None, 0), 3000);
        assert_eq!(retry_delay_ms(Some(" 3 "), None, 0), 3000);
        assert_eq!(retry_delay_ms(Some("86400"), None, 0), MAX_DELAY_MS);
        assert_eq!(retry_delay_ms(None, None, 0), 1000);
        assert_eq!(retry_delay_ms(None, None, 3), 8000);
        assert_eq!(retry_delay_ms(None, None, 40), MAX_DELAY_MS);
        // Junk falls back to the exponential delay.
        assert_eq!(retry_delay_ms(Some("soon"), None, 1), 2000);
    }

    #[test]
    fn retry_after_as_http_date_counts_from_the_answers_date() {
        let date = Some("Wed, 21 Oct 2015 07:28:00 GMT");
        let later = Some("Wed, 21 Oct 2015 07:28:07 GMT");
        assert_eq!(retry_delay_ms(later, date, 1), 7000);
        // A date already past: ask again at once.
        assert_eq!(retry_delay_ms(date, later, 1), 0);
        // Far ahead: bounded.
        assert_eq!(
            retry_delay_ms(Some("Thu, 22 Oct 2015 07:28:00 GMT"), date, 0),
            MAX_DELAY_MS
        );
        // No Date to measure from: exponential, as before.
        assert_eq!(retry_delay_ms(later, None, 1), 2000);
    }

    #[test]
    fn ids_and_queries() {
        assert!(valid_id("18c2f0a9b1e4d7c3"));
        assert!(!valid_id("../state") && !valid_id("") && !valid_id("ABC"));
        assert_eq!(
            enc("from:shop newer_than:1y"),
            "from%3Ashop%20newer_than%3A1y"
        );
    }
}
