use super::*;
use crate::document::{Document, Line};

fn rows(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|s| s.to_string()).collect()
}

fn scan(lines: &[&str]) -> Extraction {
    extract(
        &rows(lines),
        &Context {
            kind: Kind::Scan,
            ..Context::default()
        },
    )
}

#[test]
fn printed_receipt_with_rounding_and_cash() {
    let r = scan(&[
        "MR D.I.Y. TRADING",
        "SYARIKAT ABC SDN BHD (860671-D)",
        "NO 12, JALAN PERDANA 3, 43000 KAJANG",
        "GST REG NO: 000306020352",
        "TAX INVOICE",
        "DATE: 12-01-2019 TIME: 18:30",
        "CABLE TIE 10PCS            2 x 3.50       7.00",
        "GLUE STICK                             4.90",
        "TOTAL INCL GST             11.90",
        "ROUNDING                  -0.00",
        "TOTAL                     11.90",
        "CASH                      50.00",
        "CHANGE                    38.10",
        "GST SUMMARY  AMOUNT(RM)  TAX(RM)",
    ]);
    assert_eq!(
        r.total
            .value
            .as_ref()
            .map(|t| (t.minor, t.currency.clone())),
        Some((1190, Some("MYR".into())))
    );
    assert_eq!(
        r.date.value.map(|d| d.to_string()).as_deref(),
        Some("2019-01-12")
    );
    assert_eq!(
        r.vendor.value.as_deref(),
        Some("SYARIKAT ABC SDN BHD (860671-D)")
    );
    assert_eq!(r.items.len(), 2, "{:?}", r.items);
    assert_eq!(r.items[0].quantity, Some(2.0));
}

#[test]
fn charged_amount_beats_grand_total_with_points() {
    let r = extract(
        &rows(&[
            "Order total: $80.00",
            "Points applied: -$20.00",
            "Amount charged to Visa ending in 1234: $60.00",
        ]),
        &Context::default(),
    );
    assert_eq!(r.total.value.as_ref().map(|t| t.minor), Some(6000));
    assert!(r.charged_label);
    let p = r.payment.unwrap();
    assert_eq!(
        (p.brand.as_deref(), p.last4.as_deref()),
        (Some("Visa"), Some("1234"))
    );
}

#[test]
fn labels_in_several_languages() {
    for (line, minor, cur) in [
        ("Gesamtbetrag 1.234,56 EUR", 123456, "EUR"),
        ("Summe: 12,30 €", 1230, "EUR"),
        ("Total TTC : 45,00 €", 4500, "EUR"),
        ("Importe total 18,20 €", 1820, "EUR"),
        ("Totale € 9,90", 990, "EUR"),
        ("Totaal: € 27,45", 2745, "EUR"),
        ("Att betala 249,00 kr", 24900, "SEK"),
        ("Grand Total: £1,020.00", 102000, "GBP"),
        ("Amount due CHF 1'250.50", 125050, "CHF"),
    ] {
        let r = scan(&["Shop", "Item 1,00", line]);
        assert_eq!(
            r.total
                .value
                .as_ref()
                .map(|t| (t.minor, t.currency.clone().unwrap_or_default())),
            Some((minor, cur.to_string())),
            "{line}"
        );
    }
}

#[test]
fn subtotal_tax_and_excluded_totals() {
    let r = scan(&[
        "Cafe Uno",
        "Subtotal 10.00",
        "Total savings 2.00",
        "VAT 20% 2.00",
        "Total 12.00",
        "Total items: 3",
    ]);
    assert_eq!(r.total.value.map(|t| t.minor), Some(1200));
    assert_eq!(r.subtotal.value.map(|t| t.minor), Some(1000));
    assert_eq!(r.tax.value.map(|t| t.minor), Some(200));
}

#[test]
fn amount_on_the_row_after_its_label() {
    let r = extract(
        &rows(&["Your order", "Order Total", "$42.10", "Thanks!"]),
        &Context::default(),
    );
    assert_eq!(r.total.value.map(|t| t.minor), Some(4210));
    assert!(r.labelled_total);
}

#[test]
fn ocr_boxes_put_totals_beside_labels() {
    let line = |t: &str, b: [f64; 4]| Line {
        text: t.into(),
        bbox: Some(b),
        ..Line::default()
    };
    let doc = Document {
        lines: vec![
            line("KEDAI KOPI MAJU ENTERPRISE", [200.0, 40.0, 800.0, 80.0]),
            line("Date: 03/02/2018", [40.0, 120.0, 400.0, 150.0]),
            line("Nasi Lemak", [40.0, 300.0, 300.0, 330.0]),
            line("6.50", [800.0, 302.0, 880.0, 332.0]),
            line("TOTAL", [40.0, 400.0, 200.0, 440.0]),
            line("RM 9.00", [760.0, 404.0, 880.0, 444.0]),
        ],
    };
    let r = extract(
        &doc.rows(),
        &Context {
            kind: Kind::Scan,
            ..Context::default()
        },
    );
    assert_eq!(
        r.total
            .value
            .as_ref()
            .map(|t| (t.minor, t.currency.clone())),
        Some((900, Some("MYR".into())))
    );
    assert_eq!(
        r.vendor.value.as_deref(),
        Some("KEDAI KOPI MAJU ENTERPRISE")
    );
    assert_eq!(
        r.date.value.map(|d| d.to_string()).as_deref(),
        Some("2018-02-03")
    );
}

#[test]
fn pdf_invoice_in_german_skips_the_customer_block() {
    let r = extract(
        &rows(&[
            "Nordlicht Software GmbH · Hafenstraße 4 · 20457 Hamburg",
            "Rechnung",
            "Rechnungsempfänger:",
            "Beispiel AG",
            "Musterweg 1",
            "Rechnungsnummer: RE-2024-117",
            "Rechnungsdatum: 14.03.2024",
            "Fällig am: 28.03.2024",
            "Pos. Beschreibung Menge Preis",
            "1 Lizenz Pro (12 Monate) 1 499,00 €",
            "Nettobetrag 499,00 €",
            "USt. 19 % 94,81 €",
            "Gesamtbetrag 593,81 €",
        ]),
        &Context {
            kind: Kind::Pdf,
            ..Context::default()
        },
    );
    assert_eq!(r.vendor.value.as_deref(), Some("Nordlicht Software GmbH"));
    assert_eq!(
        r.date.value.map(|d| d.to_string()).as_deref(),
        Some("2024-03-14")
    );
    assert_eq!(r.total.value.as_ref().map(|t| t.minor), Some(59381));
    assert_eq!(r.tax.value.as_ref().map(|t| t.minor), Some(9481));
    assert_eq!(r.subtotal.value.as_ref().map(|t| t.minor), Some(49900));
}

#[test]
fn email_date_falls_back_to_the_header_in_utc() {
    let sent = crate::dates::rfc2822("Tue, 5 Mar 2024 23:30:00 -0500");
    let r = extract(
        &rows(&["Thanks for your order", "Total: $5.00"]),
        &Context {
            sent,
            ..Context::default()
        },
    );
    assert_eq!(
        r.date.value.map(|d| d.to_string()).as_deref(),
        Some("2024-03-06")
    );
    assert!(r.date.source.contains("Date header"));
}

#[test]
fn unmarked_amounts_take_the_issuing_country_currency() {
    for (head, want) in [
        ("Bäckerei Korn GmbH", "EUR"),
        ("Kedai Runcit Maju Sdn Bhd", "MYR"),
        ("Chai Point Pvt Ltd", "INR"),
        ("Corner Store, Columbus, OH 43215", "USD"),
        ("Follow us @shop.nl", "EUR"),
        ("Tel: +44 20 7946 0000", "GBP"),
        ("50450 Kuala Lumpur", "MYR"),
        ("Blk 331 Clementi Ave 2, Singapore 120331", "SGD"),
    ] {
        let r = scan(&[head, "Total 9.40"]);
        assert_eq!(
            r.total.value.and_then(|t| t.currency).as_deref(),
            Some(want),
            "{head}"
        );
    }
}

#[test]
fn an_amount_label_when_no_total_label_stands() {
    let r = extract(
        &rows(&["Payment to Kite Studio", "Amount: $18.50", "Fee: $0.00"]),
        &Context::default(),
    );
    assert_eq!(r.total.value.map(|t| t.minor), Some(1850));
    assert!(!r.labelled_total);
    assert_eq!(
        crate::vendor::clean_display_name("\"🎉 Kite Studio\""),
        "Kite Studio"
    );
}

#[test]
fn ocr_misreadings_in_summary_rows() {
    assert_eq!(ocr_fix("Total 10:76"), "Total 10.76");
    assert_eq!(ocr_fix("TOTAL 1O.5O"), "TOTAL 10.50");
    assert_eq!(ocr_fix("Jul 14, 2024 07:17 AM"), "Jul 14, 2024 07:17 AM");
    assert_eq!(ocr_fix("GRAND TOTAL 6@.9@"), "GRAND TOTAL 60.90");
    assert_eq!(ocr_fix("TOTAL £35, 76"), "TOTAL £35,76");
    assert_eq!(ocr_fix("2 @ 3.50"), "2 @ 3.50", "not a summary row");
    assert_eq!(
        ocr_fix("Q6-10-2019 05:04 PM #7526"),
        "06-10-2019 05:04 PM #7526"
    );
    assert_eq!(ocr_fix("Date: @5-@4-2021 10:59"), "Date: 05-04-2021 10:59");
    assert_eq!(ocr_fix("DO-IT 12-OD"), "DO-IT 12-OD", "no date");
    let r = scan(&[
        "Green Basket",
        "Portland, OR 97205",
        "Jul 14, 2024 07:17 AM",
        "Subtotal 9.94",
        "Total 10:76",
    ]);
    assert_eq!(
        r.total.value.map(|t| (t.minor, t.currency)),
        Some((1076, Some("USD".into())))
    );
    assert_eq!(
        r.date.value.map(|d| d.to_string()).as_deref(),
        Some("2024-07-14")
    );
}

fn pdf(lines: &[&str]) -> Extraction {
    extract(
        &rows(lines),
        &Context {
            kind: Kind::Pdf,
            ..Context::default()
        },
    )
}

#[test]
fn the_invoice_date_beats_order_and_delivery_dates_printed_before_it() {
    for (order, delivery, invoice) in [
        (
            "Bestelldatum 07.10.2024",
            "Lieferdatum 16.10.2024",
            "Rechnungsdatum 18.10.2024",
        ),
        (
            "Order date 2024-10-07",
            "Delivery date 2024-10-16",
            "Invoice date 2024-10-18",
        ),
        (
            "Besteldatum 07-10-2024",
            "Leverdatum 16-10-2024",
            "Factuurdatum 18-10-2024",
        ),
        (
            "Data ordine 07/10/2024",
            "Data consegna 16/10/2024",
            "Data fattura 18/10/2024",
        ),
    ] {
        let r = pdf(&[
            "Holzwerk GmbH",
            order,
            delivery,
            invoice,
            "Gesamtbetrag 10,00 €",
        ]);
        assert_eq!(
            r.date.value.map(|d| d.to_string()).as_deref(),
            Some("2024-10-18"),
            "{invoice}"
        );
        assert_eq!(r.date.source, "invoice date label");
    }
    // An order date alone is still the date.
    let r = pdf(&["Holzwerk GmbH", "Bestelldatum 07.10.2024", "Summe 10,00 €"]);
    assert_eq!(
        r.date.value.map(|d| d.to_string()).as_deref(),
        Some("2024-10-07")
    );
    // A delivery date alone is not: the first other date is.
    let r = pdf(&[
        "Lieferdatum 16.10.2024",
        "Köln, 18.10.2024",
        "Summe 10,00 €",
    ]);
    assert_eq!(
        r.date.value.map(|d| d.to_string()).as_deref(),
        Some("2024-10-18")
    );
}

#[test]
fn a_bare_dollar_is_the_dollar_of_the_issuing_country() {
    let r = scan(&[
        "Coastline Liquor Pty Ltd",
        "ABN 51 624 118 092",
        "05/03/2024 18:22",
        "TOTAL $24.50",
    ]);
    assert_eq!(
        r.total.value.map(|t| (t.minor, t.currency)),
        Some((2450, Some("AUD".into())))
    );
    assert_eq!(
        r.date.value.map(|d| d.to_string()).as_deref(),
        Some("2024-03-05"),
        "day first outside the US"
    );
    let r = scan(&["Tony's Pizzeria LLC", "Durham, NC 27701", "TOTAL $24.50"]);
    assert_eq!(
        r.total.value.and_then(|t| t.currency).as_deref(),
        Some("USD")
    );
}

#[test]
fn the_seller_is_the_legal_entity_that_shares_the_letterhead() {
    // The customer's company stands between the seller's letterhead and its footer.
    let r = pdf(&[
        "holzwerk | RECHNUNG",
        "Holzwerk Innenausbau GmbH · Am Sägewerk 4 · 79098 Freiburg",
        "Elbe Logistik GmbH",
        "Hafenstraße 12",
        "Gesamtbetrag 10,00 €",
        "Holzwerk Innenausbau GmbH · Am Sägewerk 4 · 79098 Freiburg",
    ]);
    assert_eq!(r.vendor.value.as_deref(), Some("Holzwerk Innenausbau GmbH"));
    // No shared word: the name printed twice (header and footer) is the seller's.
    let r = pdf(&[
        "KANZLEI | RECHNUNG",
        "Elbe Logistik GmbH",
        "Hafenstraße 12",
        "Brandt & Partner Steuerberatung PartG mbB",
        "Gesamtbetrag 10,00 €",
        "Brandt & Partner Steuerberatung PartG mbB · Königsallee 92",
    ]);
    assert_eq!(
        r.vendor.value.as_deref(),
        Some("Brandt & Partner Steuerberatung PartG mbB")
    );
}

#[test]
fn of_totals_that_disagree_the_one_the_card_slip_repeats_wins() {
    // "55.13" misread as "585.13" on the pre-rounding line.
    let r = scan(&[
        "AMAN JAYA MINIMART SDN BHD",
        "Total Sales (Incl GST) 585.13",
        "Rounding Adj 0.02",
        "Total (RM) 55.15",
        "DEBIT 55.15",
    ]);
    assert_eq!(r.total.value.map(|t| t.minor), Some(5515));
    // Singapore's tills print "GST Reg" like Malaysia's: the legal form decides.
    let r = scan(&[
        "LIM BROTHERS FOOD PTE. LTD.",
        "GST Reg: M90-1234567-8",
        "TOTAL 16.95",
    ]);
    assert_eq!(
        r.total.value.and_then(|t| t.currency).as_deref(),
        Some("SGD")
    );
}

#[test]
fn the_tax_a_total_includes_is_not_the_total() {
    // The TOTAL line lost to OCR: "VAT included in total" must not stand in for it.
    let r = scan(&[
        "Harbour Hardware & Timber Ltd",
        "1 ITEMS SUBTOTAL 22.73",
        "VAT INCLUDED IN TOTAL 3.41",
        "VISA 20.46",
    ]);
    assert_ne!(r.total.value.as_ref().map(|t| t.minor), Some(341));
    assert_eq!(r.tax.value.map(|t| t.minor), Some(341));
}

#[test]
fn a_total_misread_in_one_digit_is_put_right_by_the_payment_line() {
    let r = scan(&["ACME SDN BHD", "GRAND TOTAL 62.96", "DEBIT 62.90"]);
    assert_eq!(r.total.value.map(|t| t.minor), Some(6290));
    let r = scan(&["ACME SDN BHD", "TOTAL 44.45", "CASH 60.00", "CHANGE 15.85"]);
    assert_eq!(r.total.value.map(|t| t.minor), Some(4415));
    // A tip or a part payment is no misreading: the total stands.
    let r = scan(&["Tony's Pizzeria LLC", "TOTAL 24.00", "VISA 20.00"]);
    assert_eq!(r.total.value.map(|t| t.minor), Some(2400));
}
