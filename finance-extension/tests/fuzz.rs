//! Random and mutated input never panics anywhere in the pipeline, and a few
//! properties that must hold for any input.

use finance_extension::document::{Document, Line, Word};
use finance_extension::extract::{Context, Kind};
use finance_extension::{analyze, dates, html, ledger, mime, money};
use proptest::prelude::*;

fn fixtures() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mail");
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    out.sort();
    out
}

/// Pieces that steer random input into the parser's interesting paths.
const TOKENS: &[&str] = &[
    "\r\n",
    "\n",
    "\r\n\r\n",
    "--b",
    "--b--",
    "Content-Type: multipart/mixed; boundary=b\r\n",
    "Content-Type: message/rfc822\r\n",
    "Content-Transfer-Encoding: base64\r\n",
    "Content-Transfer-Encoding: quoted-printable\r\n",
    "=?utf-8?q?",
    "=?utf-8?b?",
    "?=",
    "=E2=82",
    "=\r\n",
    "<td>",
    "</tr>",
    "<table",
    "<script>",
    "&#x",
    "&amp",
    "Total",
    "$",
    "€",
    "1.234,56",
    "12/31/2024",
    "From ",
    ">From ",
    "filename*0*=",
    "''%E2",
    " ",
    "\t",
    "\u{0}",
    "\u{feff}",
];

fn steered() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(TOKENS).prop_map(|t| t.as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 0..12),
        ],
        0..80,
    )
    .prop_map(|chunks| chunks.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_mail_never_panics(raw in steered()) {
        let m = mime::parse(&raw);
        let a = analyze::message(&m, None);
        prop_assert!((0.0..=1.0).contains(&a.detection.score));
        let _ = serde_json::to_string(&a).unwrap();
    }

    #[test]
    fn mutated_fixtures_never_panic(pick in 0usize..64, edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<u8>()), 1..24)) {
        let all = fixtures();
        let mut raw = all[pick % all.len()].clone();
        for (at, kind, byte) in edits {
            if raw.is_empty() { break; }
            let i = at.index(raw.len());
            match kind {
                0 => raw[i] = byte,
                1 => { raw.remove(i); }
                2 => raw.insert(i, byte),
                _ => raw.truncate(i),
            }
        }
        let a = analyze::message(&mime::parse(&raw), Some(0.5));
        prop_assert!((0.0..=1.0).contains(&a.detection.score));
        for r in mime::mbox::split(&raw) { let _ = mime::parse(&r); }
    }

    #[test]
    fn text_functions_never_panic(s in "\\PC{0,200}") {
        let _ = html::to_text(&s);
        let _ = html::decode_entities(&s);
        let _ = money::find(&s, &money::Context::default());
        let _ = dates::find(&s, dates::Order::Mdy, None);
        let _ = dates::rfc2822(&s);
        let _ = mime::header::decode_words(&s);
        let _ = mime::Structured::parse(&s);
        let _ = mime::Address::parse(&s);
        let _ = finance_extension::forward::find(&s);
    }

    #[test]
    fn html_never_panics_on_tag_soup(parts in prop::collection::vec(prop::sample::select(&["<", ">", "</", "td", "tr", "table", "p", "br", "div style='display:none'", "script", "style", "\"", "'", "&", "#", "x", ";", "Total", " ", "<!--", "-->", "/>"][..]), 0..120)) {
        let text = html::to_text(&parts.concat());
        prop_assert!(!text.contains("\n\n"));
    }

    #[test]
    fn amounts_round_trip(minor in 0i64..10_000_000_000, code in prop::sample::select(&["USD", "EUR", "JPY", "GBP", "KWD"][..])) {
        let exp = money::exponent(Some(code));
        let text = format!("{code} {}", money::format_minor(minor, exp));
        let found = money::find(&text, &money::Context::default());
        prop_assert_eq!(found.len(), 1, "{}", text);
        prop_assert_eq!(found[0].money.minor, minor, "{}", text);
        prop_assert_eq!(found[0].money.currency.as_deref(), Some(code));
    }

    #[test]
    fn iso_dates_round_trip(days in 0i64..36_000) {
        let d = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Duration::days(days);
        prop_assume!(d.format_checked_year() <= 2099);
        prop_assert_eq!(dates::parse(&format!("Date: {d}"), dates::Order::Dmy), Some(d));
    }

    #[test]
    fn ledger_cells_read_back_and_never_start_a_formula(cells in prop::collection::vec("\\PC{0,30}", 9)) {
        let row = ledger::Row {
            date: cells[0].clone(), vendor: cells[1].clone(), category: cells[2].clone(), amount: cells[3].clone(),
            tax: cells[4].clone(), total: cells[5].clone(), currency: cells[6].clone(), description: cells[7].clone(),
            source: cells[8].clone(),
        };
        let bytes = ledger::write(&[row]).unwrap();
        let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
        let rec = reader.records().next().unwrap().unwrap();
        for (got, want) in rec.iter().zip(&cells) {
            prop_assert_eq!(got, ledger::safe_cell(want));
            let first = got.chars().next();
            let number = got.parse::<f64>().is_ok();
            prop_assert!(number || !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')), "{:?}", got);
        }
    }

    #[test]
    fn ocr_documents_never_panic(lines in prop::collection::vec(("\\PC{0,40}", prop::option::of(prop::array::uniform4(-1e6f64..1e6))), 0..40)) {
        let doc = Document {
            lines: lines.into_iter().map(|(text, bbox)| Line {
                words: vec![Word { text: text.clone(), confidence: None, bbox }],
                text, bbox, confidence: None,
            }).collect(),
        };
        let a = analyze::document(&doc, &Context { kind: Kind::Scan, ..Context::default() }, None);
        prop_assert!((0.0..=1.0).contains(&a.detection.score));
    }
}

trait YearCheck {
    fn format_checked_year(&self) -> i32;
}

impl YearCheck for chrono::NaiveDate {
    fn format_checked_year(&self) -> i32 {
        chrono::Datelike::year(self)
    }
}
