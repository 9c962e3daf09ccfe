//! Reading a receipt: vendor, transaction date, total charged, currency, tax,
//! subtotal, line items and payment method, each with a confidence, from rows
//! of text (a mail body, or a document's visual rows from OCR).
//!
//! ```
//! use finance_extension::extract::{extract, Context, Kind};
//! let rows: Vec<String> = ["Corner Deli", "Latte | 4.50", "Tax | 0.40", "Total | $4.90"].map(String::from).to_vec();
//! let r = extract(&rows, &Context { kind: Kind::Scan, ..Context::default() });
//! assert_eq!(r.total.value.unwrap().minor, 490);
//! assert_eq!(r.vendor.value.as_deref(), Some("Corner Deli"));
//! ```

use crate::dates::{self, Order};
use crate::labels;
use crate::mime::Address;
use crate::money::{self, Found, Money};
use crate::vendor;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::sync::LazyLock;

/// What kind of document the rows come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    #[default]
    Email,
    /// A scanned or photographed paper receipt.
    Scan,
    /// A PDF invoice or receipt.
    Pdf,
}

/// What is known around the rows: the mail's sender, subject and date.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub from: Option<Address>,
    pub subject: Option<String>,
    /// The Date header in UTC.
    pub sent: Option<NaiveDateTime>,
    pub kind: Kind,
}

/// One extracted field: its value (if any), a confidence in [0, 1] and where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct Field<T> {
    pub value: Option<T>,
    pub confidence: f64,
    pub source: String,
}

impl<T> Field<T> {
    fn none() -> Self {
        Field {
            value: None,
            confidence: 0.0,
            source: String::new(),
        }
    }

    fn some(value: T, confidence: f64, source: impl Into<String>) -> Self {
        Field {
            value: Some(value),
            confidence,
            source: source.into(),
        }
    }
}

/// A date field (serialized `YYYY-MM-DD`).
#[derive(Debug, Clone, Serialize)]
pub struct DateField {
    #[serde(serialize_with = "dates::serialize_opt_date")]
    pub value: Option<NaiveDate>,
    pub confidence: f64,
    pub source: String,
}

/// A purchased line.
#[derive(Debug, Clone, Serialize)]
pub struct LineItem {
    pub description: String,
    pub quantity: Option<f64>,
    pub amount: Money,
}

/// How it was paid.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Payment {
    pub brand: Option<String>,
    pub last4: Option<String>,
}

/// Everything read from one receipt.
#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    pub vendor: Field<String>,
    pub date: DateField,
    pub total: Field<Money>,
    pub currency: Field<String>,
    pub tax: Field<Money>,
    pub subtotal: Field<Money>,
    pub items: Vec<LineItem>,
    pub payment: Option<Payment>,
    /// Signals detection uses: a total stood beside a total label; the label
    /// said "charged/paid"; how many money-like amounts the text holds.
    pub labelled_total: bool,
    pub charged_label: bool,
    pub amounts: usize,
}

/// Currency hints from the sender's domain, the codes the text mentions and
/// the words it uses.
fn money_context(text: &str, domain: Option<&str>) -> money::Context {
    let mut ctx = money::Context::default();
    let tld = domain
        .map(|d| d.rsplit('.').next().unwrap_or("").to_string())
        .unwrap_or_default();
    let by_tld = |t: &str| -> Option<&'static str> {
        Some(match t {
            "ca" => "CAD",
            "au" => "AUD",
            "nz" => "NZD",
            "mx" => "MXN",
            "sg" => "SGD",
            "hk" => "HKD",
            "tw" => "TWD",
            "br" => "BRL",
            "ar" => "ARS",
            "cl" => "CLP",
            "co" => "COP",
            "uk" => "GBP",
            "ch" => "CHF",
            "se" => "SEK",
            "no" => "NOK",
            "dk" => "DKK",
            "jp" => "JPY",
            "cn" => "CNY",
            "in" => "INR",
            "my" => "MYR",
            "id" => "IDR",
            "pl" => "PLN",
            "cz" => "CZK",
            "de" | "fr" | "it" | "es" | "nl" | "at" | "be" | "fi" | "ie" | "pt" | "gr" | "lu"
            | "sk" | "si" | "ee" | "lv" | "lt" => "EUR",
            _ => return None,
        })
    };
    let codes = money::codes_mentioned(text);
    let dollar_codes = [
        "USD", "CAD", "AUD", "NZD", "MXN", "SGD", "HKD", "TWD", "ARS", "CLP", "COP",
    ];
    if let Some(c) = codes.iter().find(|c| dollar_codes.contains(&c.as_str())) {
        ctx.dollar = c.clone();
    } else if let Some(c) = by_tld(&tld).filter(|c| dollar_codes.contains(c)) {
        ctx.dollar = c.to_string();
    }
    if let Some(c) = codes
        .iter()
        .find(|c| ["SEK", "NOK", "DKK", "ISK"].contains(&c.as_str()))
    {
        ctx.krona = c.clone();
    } else if let Some(c) = by_tld(&tld).filter(|c| ["SEK", "NOK", "DKK"].contains(c)) {
        ctx.krona = c.to_string();
    }
    if codes.iter().any(|c| c == "CNY") || tld == "cn" || text.contains('元') {
        ctx.yen = "CNY".into();
    }
    let lower = text.to_lowercase();
    ctx.default = codes
        .first()
        .cloned()
        .or_else(|| by_tld(&tld).map(str::to_string))
        .or_else(|| {
            let malaysian = labels::LEGAL.find_iter(text).any(|m| {
                let l = m.as_str().to_lowercase();
                l.contains("bhd") || l.contains("s/b")
            });
            if malaysian
                || lower.contains(" rm ")
                || lower.contains("(rm)")
                || lower.contains("rm:")
            {
                Some("MYR".into())
            } else {
                country_currency(&lower)
            }
        });
    // A bare `$` on a document issued in a dollar country other than the US ("Pty Ltd",
    // "ABN", a +61 number) is that country's dollar.
    let dollar_told = codes.iter().any(|c| dollar_codes.contains(&c.as_str()))
        || by_tld(&tld).is_some_and(|c| dollar_codes.contains(&c));
    if !dollar_told && let Some(c) = ctx.default.as_deref().filter(|c| dollar_codes.contains(c)) {
        ctx.dollar = c.to_string();
    }
    ctx
}

/// The currency of a document that prints none, from where it was issued:
/// the phone number's country code, else the legal form and tax words.
fn country_currency(lower: &str) -> Option<String> {
    use regex::Regex;
    static PHONE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\+\s?(\d{1,3})[\s\-(]").expect("phone"));
    static WORDS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
        [
            // Singapore first: its tills print "GST Reg" too.
            (r"(?-u:\b)(pte\.? ltd|uen)(?-u:\b)", "SGD"),
            (r"(?-u:\b)(sdn bhd|bhd|s/b|sst|gst reg)(?-u:\b)", "MYR"),
            (r"(?-u:\b)(pvt\.? ltd|gstin|cgst|sgst|₹|rs\.)", "INR"),
            (r"(?-u:\b)(pty\.? ltd|abn)(?-u:\b)", "AUD"),
            (r"(?-u:\b)(b\.v\.|btw|totaal|bedankt|bon\b)", "EUR"),
            (
                r"(?-u:\b)(gmbh|mwst|ust\.|summe|gesamt|kassenbon|quittung|ohg|e\.k\.)",
                "EUR",
            ),
            (r"(?-u:\b)(sarl|s\.a\.r\.l|tva|ttc|merci)(?-u:\b)", "EUR"),
            (
                r"(?-u:\b)(s\.r\.l|s\.n\.c|s\.p\.a|iva|totale|scontrino|grazie)(?-u:\b)",
                "EUR",
            ),
            (r"(?-u:\b)(s\.l\.|s\.a\.|cif|nif|gracias)(?-u:\b)", "EUR"),
            (r"(?-u:\b)(ltd|vat)(?-u:\b)", "GBP"),
            (r"(?-u:\b)(inc\.?|llc|sales tax|tip)(?-u:\b)", "USD"),
        ]
        .into_iter()
        .map(|(p, c)| (Regex::new(p).expect("country words"), c))
        .collect()
    });
    let by_phone = PHONE.captures(lower).and_then(|c| {
        let code = &c[1];
        let cur = match code {
            "1" => "USD",
            "44" => "GBP",
            "60" => "MYR",
            "61" => "AUD",
            "64" => "NZD",
            "65" => "SGD",
            "81" => "JPY",
            "82" => "KRW",
            "86" => "CNY",
            "91" => "INR",
            "41" => "CHF",
            "46" => "SEK",
            "47" => "NOK",
            "45" => "DKK",
            "48" => "PLN",
            "420" => "CZK",
            "31" | "32" | "33" | "34" | "39" | "43" | "49" | "351" | "353" | "358" | "30"
            | "352" => "EUR",
            _ => return None,
        };
        Some(cur.to_string())
    });
    static WEB: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:www\.|@|https?://)[a-z0-9.\-]+\.(my|nl|de|fr|it|es|at|be|ie|pt|fi|uk|au|ca|in|sg|jp|ch|se|no|dk|pl|nz|mx|br)(?-u:\b)")
            .expect("web")
    });
    static US_ZIP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r", (al|ak|az|ar|ca|co|ct|de|fl|ga|hi|id|il|in|ia|ks|ky|la|me|md|ma|mi|mn|ms|mo|mt|ne|nv|nh|nj|nm|ny|nc|nd|oh|ok|or|pa|ri|sc|sd|tn|tx|ut|vt|va|wa|wv|wi|wy|dc) \d{5}(?-u:\b)").expect("zip")
    });
    let words = |from: usize, to: usize| {
        WORDS[from..to.min(WORDS.len())]
            .iter()
            .find(|(re, _)| re.is_match(lower))
            .map(|(_, c)| c.to_string())
    };
    let by_web = WEB.captures(lower).map(|c| {
        let cur = match &c[1] {
            "my" => "MYR",
            "uk" => "GBP",
            "au" => "AUD",
            "ca" => "CAD",
            "in" => "INR",
            "sg" => "SGD",
            "jp" => "JPY",
            "ch" => "CHF",
            "se" => "SEK",
            "no" => "NOK",
            "dk" => "DKK",
            "pl" => "PLN",
            "nz" => "NZD",
            "mx" => "MXN",
            "br" => "BRL",
            _ => "EUR",
        };
        cur.to_string()
    });
    // Legal forms and country words first (strong), then the web address, a US
    // state and ZIP, a country or city named, the phone's country code, and last the weak words.
    words(0, STRONG_WORDS)
        .or(by_web)
        .or_else(|| US_ZIP.is_match(lower).then(|| "USD".to_string()))
        .or_else(|| by_place(lower))
        .or(by_phone)
        .or_else(|| words(STRONG_WORDS, usize::MAX))
}

/// The currency of the country an address names: the country, or a capital or
/// region receipts print without it ("50450 Kuala Lumpur", "Singapore 120331").
fn by_place(lower: &str) -> Option<String> {
    use regex::Regex;
    static PLACES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
        [
            (
                r"(?-u:\b)(malaysia|kuala lumpur|selangor|johor|penang|pulau pinang|sabah|sarawak|melaka|negeri sembilan|perak|kedah|pahang|terengganu|kelantan|putrajaya)(?-u:\b)",
                "MYR",
            ),
            (r"(?-u:\b)singapore(?-u:\b)", "SGD"),
            (
                r"(?-u:\b)(united kingdom|england|scotland|london|manchester|edinburgh)(?-u:\b)",
                "GBP",
            ),
            (
                r"(?-u:\b)(australia|sydney|melbourne|brisbane|adelaide|new south wales|nsw|qld)(?-u:\b)",
                "AUD",
            ),
            (r"(?-u:\b)(india|mumbai|delhi|bengaluru|bangalore|chennai)(?-u:\b)", "INR"),
            (r"(?-u:\b)(switzerland|schweiz|suisse|zürich|zurich|genève|geneva|basel)(?-u:\b)", "CHF"),
        ]
        .into_iter()
        .map(|(p, c)| (Regex::new(p).expect("places"), c))
        .collect()
    });
    PLACES
        .iter()
        .find(|(re, _)| re.is_match(lower))
        .map(|(_, c)| c.to_string())
}

/// How many of the country word lists are strong evidence (legal forms, country tax words).
const STRONG_WORDS: usize = 9;

fn money_like(f: &Found) -> bool {
    f.decimals || f.marked
}

/// The amount a label row carries: the rightmost money-like amount after the
/// label, else (when the row is only a label) the amount alone on the next row.
fn labelled_amount(
    rows: &[Vec<Found>],
    texts: &[String],
    i: usize,
    label_end: usize,
    charged_after: bool,
) -> Option<Money> {
    let after: Vec<&Found> = rows[i]
        .iter()
        .filter(|f| money_like(f) && f.start >= label_end)
        .collect();
    // "Total: €45.00 (approx. $48.90)": the first amount with a currency is
    // the one the label means; else the rightmost ("Total (2 items) 12.50").
    if let Some(f) = after.iter().find(|f| f.marked).or(after.last()) {
        return Some(f.money.clone());
    }
    if charged_after {
        // "We charged €12.00 to your card", "102,03 € van je kaart afgeschreven".
        if let Some(f) = rows[i]
            .iter()
            .rev()
            .find(|f| money_like(f) && f.marked && f.end <= label_end)
        {
            return Some(f.money.clone());
        }
    }
    let rest_has_letters = texts[i][label_end.min(texts[i].len())..]
        .chars()
        .filter(|c| c.is_alphabetic())
        .count()
        > 12;
    if rest_has_letters || i + 1 >= rows.len() {
        return None;
    }
    let next = &texts[i + 1];
    let letters = next.chars().filter(|c| c.is_alphabetic()).count();
    if letters <= 4 {
        return rows[i + 1]
            .iter()
            .rev()
            .find(|f| money_like(f))
            .map(|f| f.money.clone());
    }
    None
}

/// Strong total labels win over a bare "Total".
fn total_strength(text: &str) -> u8 {
    let l = text.to_lowercase();
    let strong = [
        "grand total",
        "order total",
        "total due",
        "amount due",
        "balance due",
        "invoice total",
        "total amount",
        "total to pay",
        "total payable",
        "amount payable",
        "gesamtbetrag",
        "rechnungsbetrag",
        "endbetrag",
        "total ttc",
        "montant total",
        "net à payer",
        "importe total",
        "total a pagar",
        "importo totale",
        "te betalen",
        "att betala",
        "total incl",
        "total (incl",
        "round",
    ];
    if strong.iter().any(|s| l.contains(s)) {
        2
    } else {
        1
    }
}

/// Reads a receipt from rows of text.
pub fn extract(rows: &[String], ctx: &Context) -> Extraction {
    let fixed: Vec<String>;
    let rows = if ctx.kind == Kind::Email {
        rows
    } else {
        fixed = rows.iter().map(|r| ocr_fix(r)).collect();
        &fixed[..]
    };
    let text = rows.join("\n");
    let domain = ctx.from.as_ref().and_then(Address::domain);
    let mctx = money_context(&text, domain.as_deref());
    let found: Vec<Vec<Found>> = rows.iter().map(|r| money::find(r, &mctx)).collect();
    let amounts = found.iter().flatten().filter(|f| money_like(f)).count();

    // Totals.
    let mut charged: Vec<(usize, Money)> = Vec::new();
    let mut totals: Vec<(usize, u8, Money)> = Vec::new();
    let mut tax = Field::none();
    let mut subtotal = Field::none();
    let mut first_summary: Option<usize> = None;
    for (i, row) in rows.iter().enumerate() {
        let is_sub = labels::SUBTOTAL.find(row);
        let not_total = labels::NOT_TOTAL.is_match(row);
        let lower = row.to_lowercase();
        let charged_excluded = is_sub.is_some()
            || [
                "change", "tender", "point", "punkte", "saved", "saving", "discount", "rabatt",
                "remise", "refund",
            ]
            .iter()
            .any(|w| lower.contains(w));
        if let Some(m) = labels::CHARGED.find(row).filter(|_| !charged_excluded)
            && let Some(a) = labelled_amount(&found, rows, i, m.start(), true)
        {
            charged.push((i, a));
            first_summary.get_or_insert(i);
        }
        if let Some(m) = labels::TOTAL.find(row).filter(|_| !not_total)
            && let Some(a) = labelled_amount(&found, rows, i, m.start(), false)
        {
            totals.push((i, total_strength(row), a));
            first_summary.get_or_insert(i);
        }
        if let Some(m) = is_sub.as_ref()
            && subtotal.value.is_none()
            && let Some(a) = labelled_amount(&found, rows, i, m.start(), false)
        {
            subtotal = Field::some(a, 0.8, "subtotal label");
            first_summary.get_or_insert(i);
        }
        if tax.value.is_none()
            && is_sub.is_none()
            && !labels::NOT_TAX.is_match(row)
            && let Some(m) = labels::TAX.find(row)
        {
            let total_line = labels::TOTAL.is_match(row)
                && !row.to_lowercase().contains("tax total")
                && !row.to_lowercase().contains("total tax");
            if (!total_line || labels::NOT_TOTAL.is_match(row) && !labels::SUBTOTAL.is_match(row))
                && let Some(a) = labelled_amount(&found, rows, i, m.start(), false)
            {
                tax = Field::some(a, 0.75, "tax label");
                first_summary.get_or_insert(i);
            }
        }
    }
    let nonzero = |m: &Money| m.minor > 0;
    let mut total = Field::none();
    let mut labelled_total = false;
    let mut charged_label = false;
    if let Some((_, m)) = charged
        .iter()
        .filter(|(_, m)| nonzero(m))
        .max_by_key(|(_, m)| m.minor)
    {
        total = Field::some(m.clone(), 0.9, "charged label");
        labelled_total = true;
        charged_label = true;
    } else if !totals.is_empty() {
        let best_strength = totals
            .iter()
            .filter(|t| nonzero(&t.2))
            .map(|t| t.1)
            .max()
            .unwrap_or(0);
        let strongest: Vec<&(usize, u8, Money)> = totals
            .iter()
            .filter(|t| t.1 == best_strength && nonzero(&t.2))
            .collect();
        let mut pick = strongest.iter().max_by_key(|t| t.2.minor).copied();
        // A later total within rounding of the largest is the rounded total paid.
        if let (Some(p), Some(last)) = (pick, strongest.last())
            && last.0 > p.0
            && (p.2.minor - last.2.minor).abs() <= 10
        {
            pick = Some(last);
        }
        // Totals that disagree (an OCR misreading, a pre-rounding line): the one the card
        // slip repeats ("VISA 55.15") is the amount charged.
        let paid: Vec<i64> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| labels::CARD.is_match(r) && !labels::TOTAL.is_match(r))
            .flat_map(|(i, _)| {
                found[i]
                    .iter()
                    .filter(|f| f.decimals)
                    .map(|f| f.money.minor)
            })
            .collect();
        let distinct = strongest
            .iter()
            .map(|t| t.2.minor)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        if distinct > 1
            && let Some(confirmed) = strongest.iter().rev().find(|t| paid.contains(&t.2.minor))
        {
            pick = Some(confirmed);
        }
        if let Some(p) = pick {
            total = Field::some(
                p.2.clone(),
                if best_strength == 2 { 0.85 } else { 0.75 },
                "total label",
            );
            labelled_total = true;
        }
    }
    if total.value.is_none() {
        // "Amount: $18.50", "Betrag 12,00 €": a weaker label, used when no total label stands.
        use regex::Regex;
        static AMOUNT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^\W*(amount|price|fare|payment|betrag|montant|importe|importo|bedrag|belopp|beløb|kwota)(?-u:\b)")
                .expect("amount label")
        });
        let weak: Vec<Money> = rows
            .iter()
            .enumerate()
            .filter(|(i, r)| {
                AMOUNT_LABEL.is_match(&labels::fold(r))
                    && !labels::NOT_TOTAL.is_match(r)
                    && found[*i].len() == 1
            })
            .filter_map(|(i, r)| {
                labelled_amount(&found, rows, i, 0, false).filter(|_| !r.is_empty())
            })
            .filter(|m| m.minor > 0)
            .collect();
        if let Some(m) = weak.iter().max_by_key(|m| m.minor) {
            // Not `labelled_total`: "Price: $59.99" in a promotion must not look like a receipt.
            total = Field::some(m.clone(), 0.6, "amount label");
        }
    }
    if total.value.is_none() {
        let marked: Vec<&Found> = found
            .iter()
            .flatten()
            .filter(|f| f.marked && f.money.minor > 0)
            .collect();
        let mut distinct: Vec<i64> = marked.iter().map(|f| f.money.minor).collect();
        distinct.sort_unstable();
        distinct.dedup();
        if let Some(best) = marked.iter().max_by_key(|f| f.money.minor) {
            let conf = if distinct.len() == 1 { 0.5 } else { 0.3 };
            total = Field::some(best.money.clone(), conf, "largest amount");
        }
    }
    // On paper, a total OCR misread in one digit ("62.96" for "62.90") is put right by
    // what the slip says was paid: the card line, or cash tendered less change.
    if ctx.kind != Kind::Email
        && labelled_total
        && let Some(t) = total.value.as_mut()
    {
        let amount_on = |label: &[&str]| -> Option<i64> {
            rows.iter().enumerate().find_map(|(i, r)| {
                let l = r.to_lowercase();
                let head = l.split_whitespace().next().unwrap_or("");
                label
                    .contains(&head)
                    .then(|| found[i].iter().rev().find(|f| f.decimals))
                    .flatten()
                    .map(|f| f.money.minor)
            })
        };
        let card = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| labels::CARD.is_match(r) && !labels::TOTAL.is_match(r))
            .find_map(|(i, _)| found[i].iter().find(|f| f.decimals).map(|f| f.money.minor));
        let cash = amount_on(&["cash", "bar", "tunai", "contant"]);
        let change = amount_on(&["change", "rückgeld", "baki", "wisselgeld"]);
        let tendered = cash.zip(change).map(|(c, g)| c - g).filter(|v| *v > 0);
        if let Some(w) = card
            .filter(|w| one_digit_apart(*w, t.minor))
            .or(tendered.filter(|w| one_digit_apart(*w, t.minor)))
        {
            t.minor = w;
            total.source = "total label, digit from the payment line".into();
        }
    }
    // A total without a currency of its own takes the document's.
    if let Some(t) = total.value.as_mut()
        && t.currency.is_none()
    {
        let doc_currency = found
            .iter()
            .flatten()
            .filter_map(|f| f.money.currency.clone())
            .next();
        if let Some(c) = doc_currency {
            let old = money::exponent(None);
            let new = money::exponent(Some(&c));
            t.minor = rescale(t.minor, old, new);
            t.currency = Some(c);
        }
    }
    let currency = match total.value.as_ref().and_then(|t| t.currency.clone()) {
        Some(c) => Field::some(c, if total.confidence > 0.0 { 0.85 } else { 0.5 }, "total"),
        None => Field::none(),
    };

    // Dates.
    let order = if mctx.dollar == "USD"
        && !text.to_lowercase().contains("gst")
        && mctx.default.as_deref().is_none_or(|c| c == "USD")
    {
        Order::Mdy
    } else {
        Order::Dmy
    };
    let reference = ctx.sent.map(|s| s.date());
    let date = pick_date(rows, order, reference, ctx);

    // Items: amount rows before the summary block that are not labels.
    let mut items = Vec::new();
    let end = first_summary.unwrap_or(rows.len());
    for (i, row) in rows.iter().enumerate().take(end) {
        if items.len() >= 100 {
            break;
        }
        if labels::TOTAL.is_match(row)
            || labels::TAX.is_match(row)
            || labels::CHARGED.is_match(row)
            || labels::DATE_LABEL.is_match(row)
        {
            continue;
        }
        let Some(last) = found[i].iter().rev().find(|f| f.decimals) else {
            continue;
        };
        // An item's amount closes its row; one inside a sentence is not an item.
        let tail = row[last.end..]
            .trim_matches(|c: char| c.is_whitespace() || c == '|' || c == '.' || c == ')');
        if tail.chars().count() > 4 {
            continue;
        }
        let desc_raw = &row[..last.start];
        let lower = desc_raw.to_lowercase();
        if [
            "shipping",
            "delivery",
            "discount",
            "fee",
            "tip",
            "service",
            "versand",
            "rabatt",
            "livraison",
            "envío",
            "balance",
            "change",
            "cash",
            "paid",
            "card",
        ]
        .iter()
        .any(|w| lower.contains(w))
        {
            continue;
        }
        let (qty, desc) = split_quantity(desc_raw);
        let desc = desc
            .split(" | ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if desc.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && desc.chars().count() <= 120
            && last.money.minor > 0
        {
            items.push(LineItem {
                description: desc,
                quantity: qty,
                amount: last.money.clone(),
            });
        }
    }

    let payment = pick_payment(rows);

    let vendor = match ctx.kind {
        Kind::Email => ctx
            .from
            .as_ref()
            .and_then(|f| vendor::from_email(f, ctx.subject.as_deref().unwrap_or(""), rows)),
        Kind::Scan | Kind::Pdf => vendor::from_document(rows).or_else(|| {
            ctx.from
                .as_ref()
                .and_then(|f| vendor::from_email(f, ctx.subject.as_deref().unwrap_or(""), &[]))
                .map(|(v, c, _)| (v, c * 0.6, "mail sender"))
        }),
    };
    let vendor = vendor.map_or_else(Field::none, |(v, c, s)| Field::some(v, c, s));

    Extraction {
        vendor,
        date,
        total,
        currency,
        tax,
        subtotal,
        items,
        payment,
        labelled_total,
        charged_label,
        amounts,
    }
}

/// Undoes OCR's usual misreadings in the amounts of summary rows (total,
/// subtotal, tax, paid): `10:76` -> `10.76`, `1O.5O` -> `10.50`, `l2.00` -> `12.00`,
/// `6@.9@` -> `60.90` (a slashed zero), `35, 76` -> `35,76`; and zeros read as
/// letters in a numeric date on any row (`Q6-10-2019`).
/// Other rows are left alone (a time like `07:17` must stay a time).
pub fn ocr_fix(row: &str) -> String {
    let row = &fix_dates(row);
    let summary = labels::TOTAL.is_match(row)
        || labels::SUBTOTAL.is_match(row)
        || labels::TAX.is_match(row)
        || labels::CHARGED.is_match(row);
    if !summary {
        return row.to_string();
    }
    // "35, 76" -> "35,76": a space read into an amount after its decimal mark.
    static SPLIT: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"(\d[.,]) (\d{2})(?-u:\b)").expect("split amount"));
    let row = SPLIT.replace_all(row, "$1$2");
    row.split(' ')
        .map(|token| {
            let digits = token.chars().filter(char::is_ascii_digit).count();
            let numeric_like = token
                .chars()
                .all(|c| c.is_ascii_digit() || "OolI@.,:;".contains(c));
            if digits >= 2 && numeric_like && token.len() <= 12 {
                let mut t: String = token
                    .chars()
                    .map(|c| match c {
                        'O' | 'o' | '@' => '0',
                        'l' | 'I' => '1',
                        ':' | ';' => '.',
                        other => other,
                    })
                    .collect();
                while t.ends_with('.') {
                    t.pop();
                }
                t
            } else {
                token.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Zeros OCR read as letters inside a numeric date: `Q6-10-2019` -> `06-10-2019`,
/// `@5-@4-2021` -> `05-04-2021`. Only tokens shaped like a date with at least four
/// real digits are touched.
fn fix_dates(row: &str) -> String {
    use regex::Regex;
    static SHAPE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[0-9OoQD@]{1,2}[-/.][0-9OoQD@]{1,2}[-/.][0-9OoQD@]{2,4}$")
            .expect("date shape")
    });
    if !row.contains(['O', 'o', 'Q', 'D', '@']) {
        return row.to_string();
    }
    row.split(' ')
        .map(|token| {
            let digits = token.chars().filter(char::is_ascii_digit).count();
            if digits >= 4 && SHAPE.is_match(token) {
                token
                    .chars()
                    .map(|c| if "OoQD@".contains(c) { '0' } else { c })
                    .collect()
            } else {
                token.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Two amounts with as many digits that differ in exactly one, a pair OCR confuses on
/// receipt fonts (0/8/6/9, 3/8, 5/6, 1/7, 1/4, 2/7): a misreading, not a tip or a part
/// payment (24.00 against 20.00 stands).
fn one_digit_apart(a: i64, b: i64) -> bool {
    const CONFUSED: &[(char, char)] = &[
        ('0', '8'),
        ('0', '6'),
        ('0', '9'),
        ('6', '8'),
        ('8', '9'),
        ('3', '8'),
        ('5', '6'),
        ('1', '7'),
        ('1', '4'),
        ('2', '7'),
    ];
    let (a, b) = (a.to_string(), b.to_string());
    let diff: Vec<(char, char)> = a.chars().zip(b.chars()).filter(|(x, y)| x != y).collect();
    a.len() == b.len()
        && diff.len() == 1
        && CONFUSED
            .iter()
            .any(|&(x, y)| diff[0] == (x, y) || diff[0] == (y, x))
}

fn rescale(minor: i64, from: u8, to: u8) -> i64 {
    match to.cmp(&from) {
        std::cmp::Ordering::Equal => minor,
        std::cmp::Ordering::Greater => minor.saturating_mul(10i64.pow(u32::from(to - from))),
        std::cmp::Ordering::Less => {
            let d = 10i64.pow(u32::from(from - to));
            (minor + d / 2) / d
        }
    }
}

fn split_quantity(desc: &str) -> (Option<f64>, String) {
    use regex::Regex;
    use std::sync::LazyLock;
    static QTY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(\d{1,3})\s*(?:x|×|@|pcs?|stk\.?)\s+|\s+(?:x|×)\s*(\d{1,3})\s*$|(?:qty|quantity|menge|qté|cant\.?|anzahl)\s*:?\s*(\d{1,3})|\s(\d{1,3})\s*(?:x|×|@)\s*[€$£]?\d+(?:[.,]\d{1,2})?\s*[€$£]?\s*$").expect("qty")
    });
    match QTY.captures(desc) {
        Some(c) => {
            let q = c
                .get(1)
                .or(c.get(2))
                .or(c.get(3))
                .or(c.get(4))
                .and_then(|m| m.as_str().parse::<f64>().ok());
            let whole = c.get(0).map_or(0..0, |m| m.range());
            let rest = format!("{}{}", &desc[..whole.start], &desc[whole.end..]);
            (q, rest.trim().to_string())
        }
        None => (None, desc.trim().to_string()),
    }
}

fn pick_date(
    rows: &[String],
    order: Order,
    reference: Option<NaiveDate>,
    ctx: &Context,
) -> DateField {
    let ok = |d: NaiveDate| {
        reference.is_none_or(|r| d <= r + Duration::days(3) && d >= r - Duration::days(800))
    };
    // What a date means is said just before it: "Order date: ...", "Due ...",
    // "renews on ...". Only that stretch of the row is read (up to 48 bytes,
    // and not past the previous date).
    let before = |row: &str, from: usize, start: usize| -> String {
        let mut lo = start.saturating_sub(48).max(from);
        while !row.is_char_boundary(lo) {
            lo += 1;
        }
        row[lo..start].to_string()
    };
    let dated: Vec<Vec<(dates::Found, String)>> = rows
        .iter()
        .map(|row| {
            let found = dates::find(row, order, reference);
            let mut prev_end = 0;
            found
                .into_iter()
                .map(|f| {
                    let w = before(row, prev_end, f.start);
                    prev_end = f.end;
                    (f, w)
                })
                .collect()
        })
        .collect();
    let conf = |f: &dates::Found, c: f64| if f.had_year { c } else { c - 0.15 };
    // A labelled date first (an invoice-date label before any other: the order or
    // booking date an invoice also prints is not the one asked for); a label alone on
    // its row labels the next row's date.
    let mut labelled: Option<(NaiveDate, f64)> = None;
    for (i, row) in rows.iter().enumerate() {
        let mut hit: Option<(NaiveDate, f64, &str)> = None;
        for (f, w) in &dated[i] {
            if labels::DATE_LABEL.is_match(w) && !labels::NOT_DATE.is_match(w) && ok(f.date) {
                hit = Some((f.date, conf(f, 0.85), w.as_str()));
                break;
            }
        }
        if hit.is_none()
            && dated[i].is_empty()
            && row.chars().count() <= 40
            && labels::DATE_LABEL.is_match(row)
            && !labels::NOT_DATE.is_match(row)
            && let Some((f, _)) = dated.get(i + 1).and_then(|n| {
                n.iter()
                    .find(|(f, w)| ok(f.date) && !labels::NOT_DATE.is_match(w))
            })
        {
            hit = Some((f.date, conf(f, 0.8), row.as_str()));
        }
        if let Some((date, c, label)) = hit {
            if labels::INVOICE_DATE.is_match(label) {
                return DateField {
                    value: Some(date),
                    confidence: c,
                    source: "invoice date label".into(),
                };
            }
            labelled.get_or_insert((date, c));
        }
    }
    if let Some((date, c)) = labelled {
        return DateField {
            value: Some(date),
            confidence: c,
            source: "date label".into(),
        };
    }
    for found in &dated {
        for (f, w) in found {
            if !labels::NOT_DATE.is_match(w) && ok(f.date) {
                return DateField {
                    value: Some(f.date),
                    confidence: conf(f, 0.6),
                    source: "first date".into(),
                };
            }
        }
    }
    match ctx.sent {
        Some(s) if ctx.kind == Kind::Email => DateField {
            value: Some(s.date()),
            confidence: 0.55,
            source: "Date header (UTC)".into(),
        },
        _ => DateField {
            value: None,
            confidence: 0.0,
            source: String::new(),
        },
    }
}

fn pick_payment(rows: &[String]) -> Option<Payment> {
    let brand_of = |s: &str| -> Option<String> {
        labels::CARD.find(s).map(|m| {
            let b = m.as_str().to_lowercase();
            match b.as_str() {
                "mc" | "master card" | "mastercard" => "Mastercard".into(),
                "amex" | "american express" => "American Express".into(),
                "visa" => "Visa".into(),
                _ => m
                    .as_str()
                    .split_whitespace()
                    .map(|w| {
                        let mut c = w.chars();
                        c.next().map_or_else(String::new, |f| {
                            f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase()
                        })
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
            }
        })
    };
    for (i, row) in rows.iter().enumerate() {
        if let Some(last4) = labels::LAST4.group(row, 1) {
            let brand = brand_of(row).or_else(|| i.checked_sub(1).and_then(|p| brand_of(&rows[p])));
            if brand.is_some()
                || row.to_lowercase().contains("card")
                || row.to_lowercase().contains("karte")
            {
                return Some(Payment {
                    brand,
                    last4: Some(last4),
                });
            }
        }
    }
    rows.iter()
        .filter(|r| {
            labels::CHARGED.is_match(r)
                || r.to_lowercase().contains("payment method")
                || r.to_lowercase().contains("paid")
        })
        .find_map(|r| brand_of(r))
        .filter(|b| !["Debit", "Credit"].contains(&b.as_str()))
        .map(|b| Payment {
            brand: Some(b),
            last4: None,
        })
}

#[cfg(test)]
mod tests;
