//! The extension's queries over what the scan stored: receipts with filters,
//! totals per category and month, and the CSV ledger.

use crate::gmail;
use crate::ledger::{self, Row};
use crate::records::{self, EntryRecords, Record};
use serde::{Deserialize, Serialize};
use spacedrive_sdk::ops::{ListEntries, SidecarRef};
use spacedrive_sdk::{Client, Error, ErrorCode, LibraryId, Result};
use std::collections::BTreeMap;

/// Filters every query takes; all optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    pub library: LibraryId,
    /// Inclusive `YYYY-MM-DD` bounds on the receipt's date.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    /// Case-insensitive substring of the vendor.
    #[serde(default)]
    pub vendor: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    /// ISO 4217 code.
    #[serde(default)]
    pub currency: Option<String>,
    /// Bounds on the total, in major units.
    #[serde(default)]
    pub min_total: Option<f64>,
    #[serde(default)]
    pub max_total: Option<f64>,
    /// Also list messages that are not receipts (with their detection reasons).
    #[serde(default)]
    pub include_non_receipts: bool,
}

impl Filter {
    fn keeps(&self, r: &Record) -> bool {
        if !r.is_receipt && !self.include_non_receipts {
            return false;
        }
        let date = r.date.as_deref().unwrap_or("");
        if self.from.as_deref().is_some_and(|f| date < f)
            || self.to.as_deref().is_some_and(|t| date > t)
        {
            return false;
        }
        if let Some(v) = &self.vendor {
            let vendor = r.vendor.as_deref().unwrap_or("").to_lowercase();
            if !vendor.contains(&v.to_lowercase()) {
                return false;
            }
        }
        if self
            .category
            .as_ref()
            .is_some_and(|c| r.category.as_ref() != Some(c))
        {
            return false;
        }
        if let Some(c) = &self.currency
            && !r
                .currency
                .as_deref()
                .is_some_and(|rc| rc.eq_ignore_ascii_case(c))
        {
            return false;
        }
        let total = r.total.as_ref().and_then(|t| t.value.parse::<f64>().ok());
        if self.min_total.is_some_and(|m| total.is_none_or(|t| t < m))
            || self.max_total.is_some_and(|m| total.is_none_or(|t| t > m))
        {
            return false;
        }
        true
    }
}

/// Every stored record of the library that passes `filter`, by date then id.
pub fn records(client: &Client, filter: &Filter) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = client.vdfs_entries_list(
            &filter.library,
            &ListEntries {
                offset: Some(offset),
                limit: Some(1000),
                ..Default::default()
            },
        )?;
        for entry in &page.entries {
            let target = SidecarRef {
                content_hash: entry.content_hash.clone(),
                kind: records::SIDECAR.into(),
                plugin: None,
            };
            let bytes = match client.vdfs_sidecars_read(&filter.library, &target) {
                Ok((_, bytes)) => bytes,
                Err(e) if e.code == ErrorCode::NotFound => continue, // not scanned (yet), or not mail
                Err(e) => return Err(e), // a partial answer would be a wrong one
            };
            if let Ok(stored) = serde_json::from_slice::<EntryRecords>(&bytes) {
                out.extend(stored.records.into_iter().filter(|r| filter.keeps(r)));
            }
        }
        offset += page.entries.len() as i64;
        if page.entries.is_empty() || offset >= page.total {
            break;
        }
    }
    // The Gmail source's records (kept in the plugin's storage, not as sidecars).
    out.extend(
        gmail::stored_records(client, &filter.library)?
            .into_iter()
            .filter(|r| filter.keeps(r)),
    );
    out.sort_by(|a, b| (a.date.as_deref(), &a.id).cmp(&(b.date.as_deref(), &b.id)));
    Ok(out)
}

#[derive(Debug, Serialize)]
pub struct Receipts {
    pub count: usize,
    pub receipts: Vec<Record>,
}

/// A sum of totals in one currency.
#[derive(Debug, Serialize, PartialEq)]
pub struct Total {
    pub category: String,
    /// `YYYY-MM`, or `unknown` for a receipt without a date.
    pub month: String,
    pub currency: String,
    pub count: usize,
    /// In major units, as a decimal string.
    pub total: String,
    pub minor: i64,
}

#[derive(Debug, Serialize)]
pub struct Totals {
    /// Per category and month, per currency (amounts in different currencies are never added).
    pub by_category_month: Vec<Total>,
    /// Per category, per currency, over the whole range.
    pub by_category: Vec<Total>,
}

fn sums(found: &[Record], by_month: bool) -> Vec<Total> {
    let mut acc: BTreeMap<(String, String, String), (usize, i64, String)> = BTreeMap::new();
    for r in found {
        let (Some(total), Some(currency)) = (&r.total, &r.currency) else {
            continue;
        };
        let month = if by_month {
            r.date
                .as_deref()
                .and_then(|d| d.get(..7))
                .unwrap_or("unknown")
                .to_string()
        } else {
            String::new()
        };
        let category = r.category.clone().unwrap_or_else(|| "Other".into());
        let slot =
            acc.entry((category, month, currency.clone()))
                .or_insert((0, 0, total.value.clone()));
        slot.0 += 1;
        slot.1 += total.minor;
    }
    acc.into_iter()
        .map(
            |((category, month, currency), (count, minor, sample))| Total {
                total: decimal_like(minor, &sample),
                category,
                month,
                currency,
                count,
                minor,
            },
        )
        .collect()
}

/// `minor` formatted with as many decimals as `sample` (the currency's exponent).
fn decimal_like(minor: i64, sample: &str) -> String {
    let decimals = sample.split_once('.').map_or(0, |(_, d)| d.len()) as u32;
    if decimals == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(decimals);
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        m / scale as u64,
        m % scale as u64,
        width = decimals as usize
    )
}

pub fn totals(client: &Client, filter: &Filter) -> Result<Totals> {
    let found = records(client, filter)?;
    Ok(Totals {
        by_category_month: sums(&found, true),
        by_category: sums(&found, false),
    })
}

/// The ledger as CSV bytes (RFC 4180, formula-safe cells).
pub fn csv(client: &Client, filter: &Filter) -> Result<(usize, Vec<u8>)> {
    let found = records(client, filter)?;
    let rows: Vec<Row> = found
        .iter()
        .filter(|r| r.is_receipt)
        .map(|r| {
            let tax = r.tax.as_ref().map(|t| t.minor).unwrap_or(0);
            let amount = r.total.as_ref().map(|t| {
                let sample = t.value.as_str();
                if r.tax.is_some() {
                    decimal_like(t.minor - tax, sample)
                } else {
                    t.value.clone()
                }
            });
            Row {
                date: r.date.clone().unwrap_or_default(),
                vendor: r.vendor.clone().unwrap_or_default(),
                category: r.category.clone().unwrap_or_default(),
                amount: amount.unwrap_or_default(),
                tax: r.tax.as_ref().map(|t| t.value.clone()).unwrap_or_default(),
                total: r
                    .total
                    .as_ref()
                    .map(|t| t.value.clone())
                    .unwrap_or_default(),
                currency: r.currency.clone().unwrap_or_default(),
                description: if r.items.is_empty() {
                    r.subject.clone().unwrap_or_default()
                } else {
                    r.items.join("; ")
                },
                source: r.id.clone(),
            }
        })
        .collect();
    let bytes = ledger::write(&rows).map_err(|e| Error::internal(format!("CSV: {e}")))?;
    Ok((rows.len(), bytes))
}
