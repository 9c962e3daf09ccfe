//! Dates as printed in many formats and languages, and the RFC 2822 Date
//! header, read to `YYYY-MM-DD`.
//!
//! ```
//! use finance_extension::dates::{find, Order};
//! let d = find("Rechnungsdatum: 5. März 2024", Order::Dmy, None);
//! assert_eq!(d[0].date.to_string(), "2024-03-05");
//! ```

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// How to read an all-numeric date whose day and month are both <= 12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Order {
    /// 05/03/2024 is 5 March (most of the world).
    Dmy,
    /// 03/05/2024 is 5 March (US, and `$` documents with no other hint).
    Mdy,
}

/// Month names and abbreviations: en, de, fr, es, it, pt, nl, sv/da/no, pl, id/ms, tr.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("januar", 1),
    ("janvier", 1),
    ("janv", 1),
    ("enero", 1),
    ("ene", 1),
    ("gennaio", 1),
    ("gen", 1),
    ("janeiro", 1),
    ("januari", 1),
    ("jänner", 1),
    ("jän", 1),
    ("stycznia", 1),
    ("styczeń", 1),
    ("ocak", 1),
    ("february", 2),
    ("feb", 2),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fév", 2),
    ("febrero", 2),
    ("febbraio", 2),
    ("fevereiro", 2),
    ("fev", 2),
    ("februari", 2),
    ("lutego", 2),
    ("luty", 2),
    ("şubat", 2),
    ("feber", 2),
    ("march", 3),
    ("mar", 3),
    ("märz", 3),
    ("maerz", 3),
    ("mär", 3),
    ("mars", 3),
    ("marzo", 3),
    ("março", 3),
    ("marco", 3),
    ("maart", 3),
    ("mrt", 3),
    ("marzec", 3),
    ("marca", 3),
    ("mac", 3),
    ("maret", 3),
    ("mart", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("avr", 4),
    ("abril", 4),
    ("abr", 4),
    ("aprile", 4),
    ("kwietnia", 4),
    ("nisan", 4),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("maggio", 5),
    ("mag", 5),
    ("maio", 5),
    ("mei", 5),
    ("maj", 5),
    ("maja", 5),
    ("mayıs", 5),
    ("june", 6),
    ("jun", 6),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("giugno", 6),
    ("giu", 6),
    ("junho", 6),
    ("czerwca", 6),
    ("haziran", 6),
    ("july", 7),
    ("jul", 7),
    ("juli", 7),
    ("juillet", 7),
    ("juil", 7),
    ("julio", 7),
    ("luglio", 7),
    ("lug", 7),
    ("julho", 7),
    ("lipca", 7),
    ("temmuz", 7),
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("ago", 8),
    ("augustus", 8),
    ("augusti", 8),
    ("sierpnia", 8),
    ("ogos", 8),
    ("agustus", 8),
    ("ağustos", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("settembre", 9),
    ("set", 9),
    ("setembro", 9),
    ("września", 9),
    ("eylül", 9),
    ("october", 10),
    ("oct", 10),
    ("oktober", 10),
    ("okt", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("ottobre", 10),
    ("ott", 10),
    ("outubro", 10),
    ("out", 10),
    ("października", 10),
    ("ekim", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("listopada", 11),
    ("kasım", 11),
    ("december", 12),
    ("dec", 12),
    ("dezember", 12),
    ("dez", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    ("diciembre", 12),
    ("dic", 12),
    ("dicembre", 12),
    ("dezembro", 12),
    ("grudnia", 12),
    ("disember", 12),
    ("desember", 12),
    ("des", 12),
    ("aralık", 12),
];

/// The month a name or abbreviation means (trailing '.' ignored).
pub fn month(name: &str) -> Option<u32> {
    let n = name.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(m, _)| *m == n).map(|&(_, v)| v)
}

static MONTH_RE: LazyLock<String> = LazyLock::new(|| {
    let mut names: Vec<&str> = MONTHS.iter().map(|(n, _)| *n).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    format!("(?:{})(?-u:\\b)\\.?", names.join("|"))
});

struct Patterns {
    iso: Regex,
    numeric: Regex,
    day_month: Regex,
    month_day: Regex,
    cjk: Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let m = MONTH_RE.as_str();
    Patterns {
        iso: Regex::new(r"(?-u:\b)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?-u:\b)").expect("iso"),
        numeric: Regex::new(r"(?-u:\b)(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4}|\d{2})(?-u:\b)").expect("numeric"),
        // 5 March 2024, 5. März 2024, 5 de marzo de 2024, 05-Mar-2024, 5 Mar '24, 5 mars
        day_month: Regex::new(&format!(
            r"(?-u:\b)(\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?[\s\-/]*(?:de\s+)?(?P<m>{m})(?:[\s\-/,]+(?:de\s+|del\s+)?'?(?P<y>\d{{4}}|\d{{2}}(?-u:\b)))?"
        ))
        .expect("day month"),
        // March 5, 2024; Mar 5 2024; March 5th
        month_day: Regex::new(&format!(
            r"(?P<m>{m})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?-u:\b)(?:,?\s*(?P<y>\d{{4}}))?"
        ))
        .expect("month day"),
        cjk: Regex::new(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?").expect("cjk"),
    }
});

/// A date found in text and where.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    #[serde(serialize_with = "serialize_date")]
    pub date: NaiveDate,
    pub start: usize,
    pub end: usize,
    /// The printed date had a year (else it came from the reference).
    pub had_year: bool,
}

/// Serializes a date as `YYYY-MM-DD` (chrono's serde feature is not built).
pub fn serialize_date<S: serde::Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

/// Serializes an optional date as `YYYY-MM-DD` or null.
pub fn serialize_opt_date<S: serde::Serializer>(
    date: &Option<NaiveDate>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

fn year4(y: i32) -> i32 {
    if y < 100 {
        if y < 70 { 2000 + y } else { 1900 + y }
    } else {
        y
    }
}

fn plausible(d: NaiveDate) -> bool {
    (1990..=2099).contains(&d.year())
}

/// Finds dates in `text`; `reference` (e.g. the mail's date) supplies the year
/// of dates printed without one and must not be far before them.
pub fn find(text: &str, order: Order, reference: Option<NaiveDate>) -> Vec<Found> {
    // Month names match on folded text (same offsets), not with (?i): far faster.
    let original = text;
    let folded = crate::labels::fold(text);
    let text: &str = &folded;
    let p = &*PATTERNS;
    let mut out: Vec<Found> = Vec::new();
    let push = |out: &mut Vec<Found>,
                date: Option<NaiveDate>,
                start: usize,
                end: usize,
                had_year: bool| {
        if let Some(date) = date.filter(|d| plausible(*d))
            && !out.iter().any(|f| f.start < end && start < f.end)
        {
            out.push(Found {
                date,
                start,
                end,
                had_year,
            });
        }
    };
    for c in p.cjk.captures_iter(text) {
        let (y, m, d) = (num(&c[1]), num(&c[2]) as u32, num(&c[3]) as u32);
        let whole = c.get(0).map_or(0..0, |g| g.range());
        push(
            &mut out,
            NaiveDate::from_ymd_opt(y, m, d),
            whole.start,
            whole.end,
            true,
        );
    }
    for c in p.iso.captures_iter(text) {
        let whole = c.get(0).map_or(0..0, |g| g.range());
        push(
            &mut out,
            NaiveDate::from_ymd_opt(num(&c[1]), num(&c[2]) as u32, num(&c[3]) as u32),
            whole.start,
            whole.end,
            true,
        );
    }
    for c in p.numeric.captures_iter(text) {
        let whole = c.get(0).map_or(0..0, |g| g.range());
        if c[2] != c[4] {
            continue;
        }
        // "12.50.2024"-like noise aside, '.' with a 2-digit year is a date too (05.03.24).
        let (a, b, y) = (num(&c[1]) as u32, num(&c[3]) as u32, year4(num(&c[5])));
        let (d, m) = if a > 12 {
            (a, b)
        } else if b > 12 {
            (b, a)
        } else if &c[2] == "." {
            (a, b)
        } else {
            match order {
                Order::Dmy => (a, b),
                Order::Mdy => (b, a),
            }
        };
        push(
            &mut out,
            NaiveDate::from_ymd_opt(y, m, d),
            whole.start,
            whole.end,
            true,
        );
    }
    for c in p.day_month.captures_iter(text) {
        let whole = c.get(0).map_or(0..0, |g| g.range());
        let Some(m) = c.name("m").and_then(|m| month(m.as_str())) else {
            continue;
        };
        let d = num(&c[1]) as u32;
        let (y, had) = match c.name("y") {
            Some(y) => (year4(num(y.as_str())), true),
            None => (guess_year(reference, m, d), false),
        };
        if !had && reference.is_none() {
            continue;
        }
        // "10 out of 10", "2 set": without a year, demand a capital or a long name.
        let name = c.name("m").map_or("", |m| &original[m.range()]);
        if !(had || name.starts_with(|ch: char| ch.is_uppercase()) || name.chars().count() > 4) {
            continue;
        }
        push(
            &mut out,
            NaiveDate::from_ymd_opt(y, m, d),
            whole.start,
            whole.end,
            had,
        );
    }
    for c in p.month_day.captures_iter(text) {
        let whole = c.get(0).map_or(0..0, |g| g.range());
        let Some(m) = c.name("m").and_then(|m| month(m.as_str())) else {
            continue;
        };
        let d = num(&c[2]) as u32;
        let (y, had) = match c.name("y") {
            Some(y) => (num(y.as_str()), true),
            None => (guess_year(reference, m, d), false),
        };
        if !had && reference.is_none() {
            continue;
        }
        // "mar" and "may" are words too: demand a capital or a year.
        let name = c.name("m").map_or("", |m| &original[m.range()]);
        if !had && !name.starts_with(|ch: char| ch.is_uppercase()) {
            continue;
        }
        push(
            &mut out,
            NaiveDate::from_ymd_opt(y, m, d),
            whole.start,
            whole.end,
            had,
        );
    }
    out.sort_by_key(|f| f.start);
    out
}

fn guess_year(reference: Option<NaiveDate>, m: u32, d: u32) -> i32 {
    let Some(r) = reference else { return 0 };
    // The latest year in which that day is not more than a month after the reference.
    match NaiveDate::from_ymd_opt(r.year(), m, d) {
        Some(candidate) if candidate > r + Duration::days(31) => r.year() - 1,
        _ => r.year(),
    }
}

fn num(s: &str) -> i32 {
    s.parse().unwrap_or(0)
}

/// Parses one date (the first found).
pub fn parse(text: &str, order: Order) -> Option<NaiveDate> {
    find(text, order, None).first().map(|f| f.date)
}

/// Parses an RFC 2822 Date header (obsolete forms too: 2-digit years, zone
/// names, no seconds, no weekday) to a UTC date-time.
pub fn rfc2822(value: &str) -> Option<NaiveDateTime> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(\d{1,2})\s+([a-z]{3,9})\.?\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([+-]\d{4}|[a-z]{1,5})?",
        )
        .expect("rfc2822")
    });
    static ISO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?").expect("iso dt")
    });
    let (date, time, zone) = if let Some(c) = RE.captures(value) {
        let m = month(&c[2])?;
        let date = NaiveDate::from_ymd_opt(year4(num(&c[3])), m, num(&c[1]) as u32)?;
        let time = NaiveTime::from_hms_opt(
            num(&c[4]) as u32,
            num(&c[5]) as u32,
            c.get(6).map_or(0, |s| num(s.as_str())) as u32,
        )?;
        (date, time, c.get(7).map(|z| z.as_str().to_string()))
    } else if let Some(c) = ISO.captures(value) {
        let date = NaiveDate::from_ymd_opt(num(&c[1]), num(&c[2]) as u32, num(&c[3]) as u32)?;
        let time = NaiveTime::from_hms_opt(
            num(&c[4]) as u32,
            num(&c[5]) as u32,
            c.get(6).map_or(0, |s| num(s.as_str())) as u32,
        )?;
        (date, time, c.get(7).map(|z| z.as_str().replace(':', "")))
    } else {
        return None;
    };
    let offset_minutes = zone.as_deref().map_or(0, zone_minutes);
    Some(NaiveDateTime::new(date, time) - Duration::minutes(i64::from(offset_minutes)))
}

fn zone_minutes(z: &str) -> i32 {
    if let Some(digits) = z.strip_prefix(['+', '-']) {
        let v = num(digits);
        let minutes = v / 100 * 60 + v % 100;
        return if z.starts_with('-') {
            -minutes
        } else {
            minutes
        };
    }
    match z.to_ascii_uppercase().as_str() {
        "EST" => -300,
        "EDT" => -240,
        "CST" => -360,
        "CDT" => -300,
        "MST" => -420,
        "MDT" => -360,
        "PST" => -480,
        "PDT" => -420,
        "CET" => 60,
        "CEST" => 120,
        "BST" => 60,
        "IST" => 330,
        "JST" => 540,
        "AEST" => 600,
        "AEDT" => 660,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str, order: Order) -> String {
        parse(s, order).map_or_else(|| "none".into(), |d| d.to_string())
    }

    #[test]
    fn formats_and_languages() {
        for (text, want) in [
            ("2024-03-05", "2024-03-05"),
            ("2024/3/5", "2024-03-05"),
            ("5 March 2024", "2024-03-05"),
            ("Mar 5, 2024", "2024-03-05"),
            ("March 5th, 2024", "2024-03-05"),
            ("5. März 2024", "2024-03-05"),
            ("5 mars 2024", "2024-03-05"),
            ("5 de marzo de 2024", "2024-03-05"),
            ("05.03.24", "2024-03-05"),
            ("05-Mar-2024", "2024-03-05"),
            ("Tuesday, 5 March 2024 at 10:12", "2024-03-05"),
            ("5 maart 2024", "2024-03-05"),
            ("5 marzo 2024", "2024-03-05"),
            ("1er mars 2024", "2024-03-01"),
            ("2024年3月5日", "2024-03-05"),
            ("31/12/2023", "2023-12-31"),
            ("12/31/2023", "2023-12-31"),
            ("5 Ogos 2024", "2024-08-05"),
            ("Date: 16 Dec 23", "2023-12-16"),
        ] {
            assert_eq!(d(text, Order::Dmy), want, "{text}");
        }
    }

    #[test]
    fn order_hint_for_ambiguous_numeric() {
        assert_eq!(d("05/03/2024", Order::Dmy), "2024-03-05");
        assert_eq!(d("03/05/2024", Order::Mdy), "2024-03-05");
    }

    #[test]
    fn year_from_reference() {
        let r = NaiveDate::from_ymd_opt(2024, 1, 10);
        let f = find("Ordered Dec 28", Order::Mdy, r);
        assert_eq!(f[0].date.to_string(), "2023-12-28");
        assert!(!f[0].had_year);
        assert!(find("may 5 be with you", Order::Mdy, r).is_empty());
    }

    #[test]
    fn not_dates() {
        assert!(find("Total 12.50", Order::Dmy, None).is_empty());
        assert!(find("Version 1.2.3", Order::Dmy, None).is_empty());
    }

    #[test]
    fn date_header() {
        let t = rfc2822("Tue, 5 Mar 2024 23:30:00 -0500").unwrap();
        assert_eq!(t.to_string(), "2024-03-06 04:30:00");
        assert_eq!(
            rfc2822("5 Mar 24 10:00 PST").unwrap().date().to_string(),
            "2024-03-05"
        );
        assert_eq!(
            rfc2822("2024-03-05T10:00:00+02:00").unwrap().to_string(),
            "2024-03-05 08:00:00"
        );
        assert!(rfc2822("garbage").is_none());
    }
}
