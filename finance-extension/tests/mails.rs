//! Hand-written mails (tests/mail/*.eml) through the whole pipeline: the
//! look-alikes must be rejected and each receipt read right.

use finance_extension::{analyze, mime};

struct Want {
    file: &'static str,
    receipt: bool,
    vendor: Option<&'static str>,
    total: Option<(i64, &'static str)>,
    date: Option<&'static str>,
}

const fn receipt(
    file: &'static str,
    vendor: &'static str,
    minor: i64,
    currency: &'static str,
    date: &'static str,
) -> Want {
    Want {
        file,
        receipt: true,
        vendor: Some(vendor),
        total: Some((minor, currency)),
        date: Some(date),
    }
}

const fn not_receipt(file: &'static str) -> Want {
    Want {
        file,
        receipt: false,
        vendor: None,
        total: None,
        date: None,
    }
}

const CASES: &[Want] = &[
    receipt("uber_trip.eml", "Uber", 2345, "USD", "2024-03-05"),
    receipt(
        "amazon_de_bestellung.eml",
        "Amazon.de",
        4999,
        "EUR",
        "2024-03-05",
    ),
    receipt(
        "paypal_payment.eml",
        "Blue Bottle Coffee",
        1850,
        "USD",
        "2024-03-05",
    ),
    receipt(
        "forward_attached.eml",
        "Little Bakery",
        1580,
        "USD",
        "2024-03-04",
    ),
    receipt(
        "forward_inline_fr.eml",
        "Hôtel Le Petit Parc",
        23450,
        "EUR",
        "2024-02-12",
    ),
    receipt(
        "invoice_pdf.eml",
        "Bright Design Ltd",
        12000,
        "GBP",
        "2024-03-01",
    ),
    receipt("steam_latin1.eml", "Steam Store", 1999, "EUR", "2024-03-05"),
    receipt(
        "japan_sjis.eml",
        "サンプルストア",
        1280,
        "JPY",
        "2024-03-05",
    ),
    receipt(
        "airline_booking.eml",
        "Maple Air",
        51230,
        "CAD",
        "2024-02-26",
    ),
    receipt("apple_receipt.eml", "Apple", 1081, "USD", "2024-03-05"),
    receipt(
        "amazon_us_order.eml",
        "Amazon.com",
        4866,
        "USD",
        "2024-02-29",
    ),
    receipt("lyft_ride.eml", "Lyft", 1982, "USD", "2024-03-03"),
    receipt(
        "google_play_subscription.eml",
        "Headspace Inc",
        1299,
        "EUR",
        "2024-03-05",
    ),
    receipt(
        "etsy_purchase.eml",
        "WoolAndWillow",
        4807,
        "USD",
        "2024-02-23",
    ),
    receipt(
        "stripe_invoice_paid.eml",
        "Acme Analytics Inc",
        29000,
        "USD",
        "2024-03-12",
    ),
    Want {
        file: "photo_receipt.eml",
        receipt: true,
        vendor: None,
        total: None,
        date: None,
    },
    not_receipt("amazon_delivered.eml"),
    not_receipt("renewal_reminder.eml"),
    not_receipt("revolut_card_alert.eml"),
    not_receipt("shipping_notice.eml"),
    not_receipt("bank_alert.eml"),
    not_receipt("trip_summary_not_receipt.eml"),
    not_receipt("newsletter.eml"),
    not_receipt("personal.eml"),
];

fn load(file: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/mail")
        .join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_mail_reads_right() {
    let mut failures = Vec::new();
    for want in CASES {
        let m = mime::parse(&load(want.file));
        let a = analyze::message(&m, None);
        let r = &a.receipt;
        let got_total = r
            .total
            .value
            .as_ref()
            .map(|t| (t.minor, t.currency.clone().unwrap_or_default()));
        let got_date = r.date.value.map(|d| d.to_string());
        let mut wrong = Vec::new();
        if a.detection.is_receipt != want.receipt {
            wrong.push(format!(
                "is_receipt {} (score {:.2}: {:?})",
                a.detection.is_receipt, a.detection.score, a.detection.reasons
            ));
        }
        if want.receipt && want.vendor.is_some() {
            if r.vendor.value.as_deref() != want.vendor {
                wrong.push(format!("vendor {:?}", r.vendor.value));
            }
            if got_total.as_ref().map(|(m, c)| (*m, c.as_str())) != want.total {
                wrong.push(format!("total {got_total:?}"));
            }
            if got_date.as_deref() != want.date {
                wrong.push(format!("date {got_date:?} ({})", r.date.source));
            }
        }
        if !wrong.is_empty() {
            failures.push(format!("{}: {}", want.file, wrong.join("; ")));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn fields_beyond_the_headline() {
    let a = analyze::message(&mime::parse(&load("amazon_de_bestellung.eml")), None);
    assert_eq!(a.receipt.tax.value.as_ref().map(|t| t.minor), Some(798));
    assert_eq!(
        a.receipt.subtotal.value.as_ref().map(|t| t.minor),
        Some(4999)
    );
    let pay = a.receipt.payment.clone().unwrap();
    assert_eq!(
        (pay.brand.as_deref(), pay.last4.as_deref()),
        (Some("Mastercard"), Some("5521"))
    );
    assert_eq!(a.receipt.items.len(), 2, "{:?}", a.receipt.items);

    let a = analyze::message(&mime::parse(&load("forward_attached.eml")), None);
    assert_eq!(a.origin.forwarded.as_deref(), Some("attached"));
    assert_eq!(
        a.origin.from.domain().as_deref(),
        Some("messaging.squareup.com")
    );
    assert_eq!(a.receipt.tax.value.as_ref().map(|t| t.minor), Some(105));

    let a = analyze::message(&mime::parse(&load("invoice_pdf.eml")), None);
    assert_eq!(a.attachments.len(), 1);
    assert!(a.attachments[0].document);
    assert_eq!(
        a.attachments[0].filename.as_deref(),
        Some("Invoice-INV-2024-031.pdf")
    );
    assert!(a.detection.features.receipt_attachment);

    let a = analyze::message(&mime::parse(&load("forward_inline_fr.eml")), None);
    assert_eq!(a.origin.forwarded.as_deref(), Some("inline"));
    assert_eq!(a.receipt.tax.value.as_ref().map(|t| t.minor), Some(2855));
    assert_eq!(
        a.receipt.payment.as_ref().and_then(|p| p.last4.as_deref()),
        Some("0017")
    );
}

#[test]
fn the_classifier_moves_the_score_but_rules_still_count() {
    let m = mime::parse(&load("uber_trip.eml"));
    let alone = analyze::message(&m, None).detection.score;
    let doubted = analyze::message(&m, Some(0.1)).detection.score;
    let backed = analyze::message(&m, Some(0.95)).detection.score;
    assert!(
        doubted < alone && alone < backed,
        "{doubted} {alone} {backed}"
    );
    let n = mime::parse(&load("newsletter.eml"));
    assert!(!analyze::message(&n, Some(0.7)).detection.is_receipt);
}
