//! Amounts as written in many locales (`1,234.56`, `1.234,56`, `1 234,56`,
//! `1'234.56`, `12,50 €`, `€12.50`, `USD 12.50`, `-$5.00`, `¥1,200`), read to
//! integer minor units and an ISO 4217 code.
//!
//! ```
//! use finance_extension::money::{find, Context};
//! let found = find("Gesamt: 1.234,56 €", &Context::default());
//! assert_eq!(found[0].money.minor, 123456);
//! assert_eq!(found[0].money.currency.as_deref(), Some("EUR"));
//! ```

use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// An amount in minor units of `currency` (cents; yen; fils for 3-decimal
/// currencies). Without a currency, two decimals are assumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Option<String>,
}

impl Money {
    /// The amount as a decimal string (`12.50`, `1200` for JPY).
    pub fn decimal(&self) -> String {
        format_minor(self.minor, exponent(self.currency.as_deref()))
    }

    /// The amount as a float in major units.
    pub fn major(&self) -> f64 {
        self.minor as f64 / 10f64.powi(i32::from(exponent(self.currency.as_deref())))
    }
}

/// Formats minor units with `exp` decimals.
pub fn format_minor(minor: i64, exp: u8) -> String {
    if exp == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(u32::from(exp));
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let scale_u = scale as u64;
    format!(
        "{sign}{}.{:0width$}",
        abs / scale_u,
        abs % scale_u,
        width = usize::from(exp)
    )
}

/// Decimals of an ISO 4217 currency's minor unit.
pub fn exponent(currency: Option<&str>) -> u8 {
    match currency.unwrap_or("") {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "PYG" | "UGX" | "XAF" | "XOF" | "KMF" | "RWF"
        | "VUV" | "GNF" | "DJF" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "IQD" | "LYD" => 3,
        _ => 2,
    }
}

/// What to assume when a document's own symbols are ambiguous (`$`, `kr`, `¥`).
#[derive(Debug, Clone, Serialize)]
pub struct Context {
    /// ISO code a bare `$` means (USD by default; CAD, AUD, MXN ... by hint).
    pub dollar: String,
    /// What a bare `kr` means.
    pub krona: String,
    /// What a bare `¥` means.
    pub yen: String,
    /// A currency to assume for amounts with no symbol or code at all.
    pub default: Option<String>,
}

impl Default for Context {
    fn default() -> Self {
        Context {
            dollar: "USD".into(),
            krona: "SEK".into(),
            yen: "JPY".into(),
            default: None,
        }
    }
}

/// ISO codes this module recognises when written out.
const ISO: &[&str] = &[
    "USD", "EUR", "GBP", "JPY", "CNY", "RMB", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK",
    "PLN", "CZK", "HUF", "RON", "BGN", "HRK", "ISK", "TRY", "RUB", "UAH", "INR", "IDR", "MYR",
    "SGD", "HKD", "TWD", "THB", "PHP", "VND", "KRW", "BRL", "MXN", "ARS", "CLP", "COP", "ZAR",
    "NGN", "KES", "EGP", "AED", "SAR", "QAR", "KWD", "BHD", "OMR", "JOD", "ILS", "PKR", "BDT",
    "LKR",
];

/// A symbol or code to its ISO code, given the context.
pub fn currency_of(token: &str, ctx: &Context) -> Option<String> {
    let t = token.trim().trim_end_matches('.');
    let upper = t.to_uppercase();
    let code = match upper.as_str() {
        "€" | "EURO" | "EUROS" => "EUR",
        "£" | "GBP£" => "GBP",
        "US$" | "U$S" | "USD$" => "USD",
        "CA$" | "C$" | "CAD$" | "CDN$" => "CAD",
        "A$" | "AU$" | "AUD$" => "AUD",
        "NZ$" => "NZD",
        "HK$" => "HKD",
        "S$" | "SG$" => "SGD",
        "NT$" => "TWD",
        "R$" => "BRL",
        "MX$" | "MEX$" => "MXN",
        "RM" => "MYR",
        "RP" | "RP." => "IDR",
        "₹" | "RS" | "RS." | "INR₹" => "INR",
        "₩" => "KRW",
        "₽" | "РУБ" => "RUB",
        "₺" | "TL" => "TRY",
        "₪" => "ILS",
        "₫" => "VND",
        "฿" => "THB",
        "₱" => "PHP",
        "₴" => "UAH",
        "₦" => "NGN",
        "ZŁ" => "PLN",
        "KČ" => "CZK",
        "FT" => "HUF",
        "LEI" => "RON",
        "FR." | "SFR" => "CHF",
        "CN¥" | "元" | "RMB" => "CNY",
        "円" | "JP¥" => "JPY",
        "¥" | "￥" => return Some(ctx.yen.clone()),
        "$" => return Some(ctx.dollar.clone()),
        "KR" | "KR." | ":-" => return Some(ctx.krona.clone()),
        other if ISO.contains(&other) && t.chars().all(|c| c.is_ascii_uppercase()) => {
            return Some(if other == "RMB" {
                "CNY".into()
            } else {
                other.to_string()
            });
        }
        _ => return None,
    };
    Some(code.to_string())
}

/// One amount found in text, with where it is and how it was marked.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub money: Money,
    /// Byte range in the searched text.
    pub start: usize,
    pub end: usize,
    /// A symbol or code stood beside the number.
    pub marked: bool,
    /// The number had decimals (12.50, not 12).
    pub decimals: bool,
}

const CUR: &str = r"(?:US\$|CA\$|C\$|CAD\$|CDN\$|AU\$|A\$|NZ\$|HK\$|S\$|SG\$|NT\$|R\$|MX\$|CN¥|JP¥|[€£¥￥₹₩₽₺₪₫฿₱₴₦$]|(?-u:\b)(?:[A-Z]{3})(?-u:\b)|(?-u:\b)RM|(?-u:\b)Rp\.?|(?-u:\b)Rs\.?|(?-u:\b)kr\.?|(?-u:\b)Kr\.?|zł|Kč|(?-u:\b)Ft(?-u:\b)|(?-u:\b)lei(?-u:\b)|(?-u:\b)Fr\.|(?-u:\b)CHF|(?-u:\b)TL(?-u:\b)|元|円)";
const NUM: &str =
    r"\d{1,3}(?:[.,'’ \u{a0}\u{202f}]\d{3})+(?:[.,]\d{1,3})?|\d+(?:[.,]\d{1,3})?|[.,]\d{2}";

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<neg1>[-−–])?\s?(?P<pre>{CUR})?\s?(?P<neg2>[-−–])?\s?(?P<num>{NUM})(?P<dash>[.,][-–]{{1,2}})?(?:\s?(?P<post>{CUR}))?(?P<neg3>-)?"
    ))
    .expect("amount pattern")
});

/// Reads a number string with locale-agnostic rules; returns (value in
/// 10^-3 units, had decimals, decimal digits). `exp3` says whether the
/// currency uses three decimals (then `1.234` is a decimal, not thousands).
fn read_number(num: &str, exp: u8) -> Option<(i128, bool)> {
    let seps: Vec<(usize, char)> = num
        .char_indices()
        .filter(|(_, c)| !c.is_ascii_digit())
        .collect();
    let digits_after = |i: usize| {
        num[i..]
            .chars()
            .skip(1)
            .take_while(char::is_ascii_digit)
            .count()
    };
    // The decimal separator: the last '.' or ',' followed by 1-3 digits to the end,
    // unless it is a lone group of exactly three digits (then thousands).
    let mut decimal_at: Option<usize> = None;
    if let Some(&(i, c)) = seps.last()
        && (c == '.' || c == ',')
    {
        let after = digits_after(i);
        let tail_is_end = i + c.len_utf8() + after == num.len();
        let same_kind_before = seps[..seps.len() - 1].iter().any(|&(_, s)| s == c);
        let other_kind_before = seps[..seps.len() - 1].iter().any(|&(_, s)| s != c);
        if tail_is_end && !same_kind_before {
            if after != 3 || other_kind_before || exp == 3 || i == 0 {
                decimal_at = Some(i);
            } else if c == '.' && num[..i].len() > 3 {
                // "1234.567": a decimal point after four digits is no group.
                decimal_at = Some(i);
            }
        }
    }
    let (int_part, frac_part) = match decimal_at {
        Some(i) => (&num[..i], &num[i + 1..]),
        None => (num, ""),
    };
    let int_digits: String = int_part.chars().filter(char::is_ascii_digit).collect();
    if int_digits.len() > 15 {
        return None;
    }
    let int: i128 = if int_digits.is_empty() {
        0
    } else {
        int_digits.parse().ok()?
    };
    let mut frac = frac_part.to_string();
    frac.truncate(3);
    while frac.len() < 3 {
        frac.push('0');
    }
    let frac: i128 = frac.parse().ok()?;
    Some((int * 1000 + frac, decimal_at.is_some()))
}

fn to_minor(milli: i128, exp: u8) -> i64 {
    let v = match exp {
        0 => (milli + 500) / 1000,
        3 => milli,
        _ => (milli + 5) / 10,
    };
    v.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// Finds every amount in `text`. Bare integers without a currency mark are
/// kept but flagged (`marked == false`, `decimals == false`): callers decide.
pub fn find(text: &str, ctx: &Context) -> Vec<Found> {
    let mut out = Vec::new();
    for caps in AMOUNT.captures_iter(text) {
        let Some(num) = caps.name("num") else {
            continue;
        };
        let whole = caps.get(0).map_or(num.range(), |m| m.range());
        // A number glued to letters or digits is a code, not an amount ("A123", "2024-03").
        let lead = [
            caps.name("neg1"),
            caps.name("pre"),
            caps.name("neg2"),
            Some(num),
        ]
        .into_iter()
        .flatten()
        .map(|m| m.start())
        .min()
        .unwrap_or(num.start());
        let before = text[..lead].chars().next_back();
        let after = text[whole.end..].chars().next();
        let pre = caps.name("pre").map(|m| m.as_str());
        let post = caps.name("post").map(|m| m.as_str());
        if pre.is_none() && before.is_some_and(|c| c.is_alphanumeric() || c == '#' || c == '/') {
            continue;
        }
        if pre.is_none()
            && post.is_none()
            && after.is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '%' || c == '°')
        {
            continue;
        }
        // "2024-03-05", "10:30", "1.2.3": dates and times are not amounts.
        if after.is_some_and(|c| c == '-' || c == ':' || c == '.')
            && text[whole.end..]
                .chars()
                .nth(1)
                .is_some_and(|c| c.is_ascii_digit())
        {
            continue;
        }
        let currency = pre
            .and_then(|p| currency_of(p, ctx))
            .or_else(|| post.and_then(|p| currency_of(p, ctx)));
        let pre_ok = pre.is_none() || pre.and_then(|p| currency_of(p, ctx)).is_some();
        let post_ok = post.is_none() || post.and_then(|p| currency_of(p, ctx)).is_some();
        if !pre_ok || (!post_ok && pre.is_none()) {
            // An unknown three-letter word ("ABC 12"): no amount marker.
            if pre.is_some() && !pre_ok {
                // keep the number alone only if it has decimals
                if !num.as_str().contains(['.', ',']) {
                    continue;
                }
            }
        }
        let currency = currency.or_else(|| ctx.default.clone());
        let exp = exponent(currency.as_deref());
        let Some((milli, decimals)) = read_number(num.as_str(), exp) else {
            continue;
        };
        let negative = caps.name("neg1").is_some()
            || caps.name("neg2").is_some()
            || caps.name("neg3").is_some();
        let minor = to_minor(milli, exp);
        let start = lead;
        out.push(Found {
            money: Money {
                minor: if negative { -minor } else { minor },
                currency,
            },
            start,
            end: whole.end,
            marked: pre_ok && pre.is_some() || post_ok && post.is_some(),
            decimals: decimals || caps.name("dash").is_some(),
        });
    }
    out
}

/// Parses text that should be one amount ("€ 12,50", "USD 1,234.00").
pub fn parse(text: &str, ctx: &Context) -> Option<Money> {
    let found = find(text, ctx);
    (found.len() == 1).then(|| found[0].money.clone())
}

/// The ISO codes written out in a text (e.g. "Amounts in CAD"), most frequent first.
pub fn codes_mentioned(text: &str) -> Vec<String> {
    static CODE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?-u:\b)[A-Z]{3}(?-u:\b)").expect("code pattern"));
    let mut counts: Vec<(String, usize)> = Vec::new();
    for m in CODE.find_iter(text) {
        let code = m.as_str();
        // "SDN BHD" is a Malaysian company, not Bahraini dinars.
        if ISO.contains(&code) && code != "RMB" && code != "BHD" {
            match counts.iter_mut().find(|(c, _)| c == code) {
                Some((_, n)) => *n += 1,
                None => counts.push((code.to_string(), 1)),
            }
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts.into_iter().map(|(c, _)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> (i64, Option<String>) {
        let f = find(s, &Context::default());
        assert!(!f.is_empty(), "no amount in {s:?}");
        (f[0].money.minor, f[0].money.currency.clone())
    }

    #[test]
    fn locales() {
        assert_eq!(one("1,234.56 USD"), (123456, Some("USD".into())));
        assert_eq!(one("1.234,56 €"), (123456, Some("EUR".into())));
        assert_eq!(one("1 234,56 €"), (123456, Some("EUR".into())));
        assert_eq!(one("CHF 1'234.50"), (123450, Some("CHF".into())));
        assert_eq!(one("12,50 €"), (1250, Some("EUR".into())));
        assert_eq!(one("€12.50"), (1250, Some("EUR".into())));
        assert_eq!(one("USD 12.50"), (1250, Some("USD".into())));
        assert_eq!(one("-$5.00"), (-500, Some("USD".into())));
        assert_eq!(one("¥1,200"), (1200, Some("JPY".into())));
        assert_eq!(one("JPY 3.500"), (3500, Some("JPY".into())));
        assert_eq!(one("RM 45.90"), (4590, Some("MYR".into())));
        assert_eq!(one("R$ 1.299,90"), (129990, Some("BRL".into())));
        assert_eq!(one("CA$23.10"), (2310, Some("CAD".into())));
        assert_eq!(one("A$ 9.95"), (995, Some("AUD".into())));
        assert_eq!(one("£1,000"), (100000, Some("GBP".into())));
        assert_eq!(one("1 299 kr"), (129900, Some("SEK".into())));
        assert_eq!(one("KWD 1.250"), (1250, Some("KWD".into())));
        assert_eq!(one("Rp 150.000"), (15000000, Some("IDR".into())));
        assert_eq!(one("12.50"), (1250, None));
        assert_eq!(one("Total: 7,-"), (700, None));
        assert_eq!(one("49,99\u{a0}€"), (4999, Some("EUR".into())));
    }

    #[test]
    fn context_for_dollar() {
        let ctx = Context {
            dollar: "CAD".into(),
            ..Context::default()
        };
        assert_eq!(
            find("$12.00", &ctx)[0].money.currency.as_deref(),
            Some("CAD")
        );
        assert_eq!(
            find("US$12.00", &ctx)[0].money.currency.as_deref(),
            Some("USD")
        );
    }

    #[test]
    fn not_amounts() {
        let ctx = Context::default();
        assert!(find("Order A12345", &ctx).is_empty());
        assert!(
            find("2024-03-05", &ctx)
                .iter()
                .all(|f| f.money.currency.is_none() && !f.decimals)
        );
        assert!(find("at 10:30", &ctx).iter().all(|f| !f.marked));
        assert!(find("50% off", &ctx).is_empty());
    }

    #[test]
    fn formatting() {
        assert_eq!(format_minor(1250, 2), "12.50");
        assert_eq!(format_minor(-5, 2), "-0.05");
        assert_eq!(format_minor(1200, 0), "1200");
        assert_eq!(
            Money {
                minor: 1250,
                currency: Some("KWD".into())
            }
            .decimal(),
            "1.250"
        );
        assert_eq!(
            codes_mentioned("Total CAD 5 (CAD)"),
            vec!["CAD".to_string()]
        );
    }
}
