//! Who the merchant is: from the sender (minus relays, payment processors and
//! generic mailbox names), the subject and body ("Your receipt from X"), or a
//! printed document's head (often a legal entity, "... SDN BHD", "GmbH").

use crate::labels;
use crate::mime::Address;
use regex::Regex;
use std::sync::LazyLock;

/// Payment processors and invoicing services that send on a merchant's behalf.
const PROCESSORS: &[&str] = &[
    "stripe",
    "paypal",
    "square",
    "squareup",
    "paddle",
    "fastspring",
    "braintree",
    "braintreegateway",
    "adyen",
    "sumup",
    "zettle",
    "izettle",
    "toast",
    "toasttab",
    "clover",
    "chargebee",
    "recurly",
    "2checkout",
    "intuit",
    "quickbooks",
    "xero",
    "freshbooks",
    "waveapps",
    "wave",
    "zoho",
    "invoice2go",
    "bill",
    "venmo",
    "cash",
    "wise",
    "mollie",
    "klarna",
    "afterpay",
    "payu",
    "razorpay",
    "checkout",
    "lemonsqueezy",
    "paymentus",
    "billdesk",
];

/// Marketplaces whose notification sender is not the seller.
const MARKETPLACES: &[&str] = &[
    "google",
    "etsy",
    "ebay",
    "mercari",
    "poshmark",
    "depop",
    "vinted",
    "reverb",
    "aliexpress",
    "bonanza",
    "tindie",
];

/// Mail service providers and relays: their domain says nothing of the merchant.
const RELAYS: &[&str] = &[
    "amazonses",
    "sendgrid",
    "mailchimp",
    "mcsv",
    "mcdlv",
    "rsgsv",
    "mailgun",
    "mandrillapp",
    "sparkpostmail",
    "postmarkapp",
    "exacttarget",
    "salesforce",
    "klaviyo",
    "hubspot",
    "constantcontact",
    "createsend",
    "cmail19",
    "cmail20",
    "sailthru",
    "braze",
    "customer",
    "mailjet",
    "sendinblue",
    "brevo",
    "mktomail",
    "marketo",
    "gmail",
    "googlemail",
    "google",
    "yahoo",
    "outlook",
    "hotmail",
    "icloud",
    "me",
    "gmx",
    "web",
    "proton",
    "protonmail",
    "aol",
    "zohomail",
    "fastmail",
];

/// Words that name a mailbox, not a business.
const GENERIC: &[&str] = &[
    "receipt",
    "receipts",
    "billing",
    "bill",
    "bills",
    "orders",
    "order",
    "confirmation",
    "confirmations",
    "no-reply",
    "noreply",
    "no",
    "reply",
    "donotreply",
    "do",
    "not",
    "support",
    "team",
    "customer",
    "customers",
    "service",
    "services",
    "care",
    "notifications",
    "notification",
    "notify",
    "info",
    "payments",
    "payment",
    "invoice",
    "invoices",
    "accounts",
    "account",
    "sales",
    "updates",
    "update",
    "mailer",
    "auto-confirm",
    "alerts",
    "alert",
    "hello",
    "hi",
    "news",
    "newsletter",
    "admin",
    "help",
    "helpdesk",
    "mail",
    "email",
    "transactions",
    "transaction",
    "purchases",
    "purchase",
    "shop",
    "online",
    "the",
    "your",
    "from",
    "de",
    "der",
    "die",
    "das",
    "rechnung",
    "bestellung",
    "kundenservice",
    "facturation",
    "commande",
    "pedidos",
    "factura",
    "ordini",
];

fn tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn is_generic(name: &str) -> bool {
    let t = tokens(name);
    t.is_empty() || t.iter().all(|w| GENERIC.contains(&w.as_str()))
}

fn is_processor(name: &str) -> bool {
    let t = tokens(name);
    !t.is_empty()
        && t.iter().all(|w| {
            PROCESSORS.contains(&w.as_str())
                || GENERIC.contains(&w.as_str())
                || w == "com"
                || w == "inc"
        })
}

/// The registrable label of a domain: `email.uber.com` -> `uber`,
/// `mail.amazon.co.uk` -> `amazon`.
pub fn domain_label(domain: &str) -> Option<String> {
    let parts: Vec<&str> = domain.split('.').filter(|p| !p.is_empty()).collect();
    if parts.len() < 2 {
        return None;
    }
    let second_level = ["co", "com", "net", "org", "gov", "ac", "ne", "or", "edu"];
    let idx = if parts.len() >= 3
        && second_level.contains(&parts[parts.len() - 2])
        && parts[parts.len() - 1].len() == 2
    {
        parts.len() - 3
    } else {
        parts.len() - 2
    };
    Some(parts[idx].to_lowercase())
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// Cleans a display name: relays ("X via Y"), generic trailing words
/// ("Uber Receipts"), quotes and decorations removed.
pub fn clean_display_name(name: &str) -> String {
    // Quotes, emoji and decorations around the name go.
    let mut n = name
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric() && !"&()[].".contains(c))
        .to_string();
    static VIA: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\s*[(\[]?\s*(?-u:\b)via(?-u:\b)\s+.*$").expect("via"));
    n = VIA.replace(&n, "").to_string();
    static PERSON_AT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\p{Lu}\p{Ll}+\s+(?:from|at|@|von|de)\s+(?P<org>\S.*)$").expect("person at")
    });
    if let Some(c) = PERSON_AT.captures(&n) {
        n = c["org"].to_string();
    }
    static DECOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s*[-–|:]\s*(receipts?|orders?|billing|invoices?|no-?reply|support|notifications?|customer service)\s*$").expect("decor")
    });
    n = DECOR.replace(&n, "").to_string();
    let words: Vec<&str> = n.split_whitespace().collect();
    let mut end = words.len();
    while end > 1
        && GENERIC.contains(
            &words[end - 1]
                .to_lowercase()
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '-'),
        )
    {
        end -= 1;
    }
    let mut start = 0;
    while start + 1 < end && ["your", "the", "team"].contains(&words[start].to_lowercase().as_str())
    {
        start += 1;
    }
    words[start..end]
        .join(" ")
        .trim_matches(|c: char| c == ',' || c == '-' || c.is_whitespace())
        .to_string()
}

/// "Your receipt from Acme Coffee #123", "Payment to Acme", "Sold by Acme".
static FROM_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:receipt|invoice|payment|order|purchase|bestellung|rechnung|quittung|facture|reçu|commande|recibo|factura|pedido|ricevuta|fattura|ordine|bestelling|factuur)s?\s+(?:[#№]?[A-Z0-9][A-Z0-9\-/]{2,}\s+)?(?:from|to|at|with|bei|von|de|chez|en|da|presso|bij|van)\s+(?P<v>[\p{L}\p{N}][\p{L}\p{N}&'’.\- ]{1,48}?)(?:\s*[#(\[|,:!?]|\s+[-–—]\s|\s+(?:for|on|is|was|has|of|am|le|el|il|on)(?-u:\b)|\.\s|\.$|$)",
    )
    .expect("from phrase")
});
static MERCHANT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:merchant|seller|sold by|shop|store|vendor|payee|business|händler|verkäufer|verkauft von|marchand|vendeur|vendu par|comercio|vendedor|vendido por|venditore|venduto da|verkoper)\s*(?:name)?\s*[:|]?\s*\|?\s*(?P<v>[\p{L}\p{N}][^|\n]{1,48}?)\s*(?:\||$)",
    )
    .expect("merchant label")
});
/// A third-party seller named in the body ("Sold by: X", "Verkäufer: X").
static SOLD_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:sold by|seller|verkauft von|verkäufer|vendu par|vendeur|vendido por|vendedor|venduto da|venditore|verkoper|verkocht door)\s*:?\s*\|?\s*(?P<v>[\p{L}\p{N}][^|\n]{1,48}?)\s*(?:\||$)",
    )
    .expect("sold by")
});
static SENT_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)you (?:sent|paid|made) (?:a payment )?(?:of .{1,24}? )?to (?P<v>[\p{L}\p{N}][\p{L}\p{N}&'’.\- ]{1,48}?)(?:\s*[.,(!]|\s+(?:for|on)(?-u:\b)|$)").expect("sent to")
});

fn phrase_vendor(text: &str) -> Option<String> {
    for re in [&*SENT_TO, &*FROM_PHRASE, &*MERCHANT_LABEL] {
        for c in re.captures_iter(text) {
            let v = clean_display_name(c["v"].trim());
            if v.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !is_generic(&v)
                && !is_processor(&v)
            {
                return Some(v);
            }
        }
    }
    None
}

/// A vendor and how sure: (name, confidence, source).
pub type Guess = (String, f64, &'static str);

/// The merchant of an email.
pub fn from_email(from: &Address, subject: &str, rows: &[String]) -> Option<Guess> {
    let label = from.domain().as_deref().and_then(domain_label);
    let sender_is_processor = label.as_deref().is_some_and(|l| PROCESSORS.contains(&l));
    let sender_is_market = label.as_deref().is_some_and(|l| MARKETPLACES.contains(&l));
    let display = from
        .name
        .as_deref()
        .map(clean_display_name)
        .filter(|n| !n.is_empty());
    let head: String = rows.iter().take(40).cloned().collect::<Vec<_>>().join("\n");
    if sender_is_market {
        if let Some(v) = rows.iter().take(60).find_map(|r| {
            MERCHANT_LABEL
                .captures(r)
                .map(|c| clean_display_name(&c["v"]))
        }) {
            return Some((v, 0.6, "marketplace seller"));
        }
        if let Some(v) = phrase_vendor(&head) {
            return Some((v, 0.55, "marketplace seller"));
        }
    }
    // "Sold by: X" names a third-party seller: the sender is the platform that sold for X.
    if let Some(v) = rows.iter().take(60).find_map(|r| {
        SOLD_BY
            .captures(r)
            .map(|c| clean_display_name(&c["v"]))
            .filter(|v| {
                v.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && !is_generic(v)
                    && !is_processor(v)
            })
    }) {
        // "Sold by: Amazon.com Services LLC" from amazon.com: the platform sold it itself.
        let own: Vec<String> = display
            .as_deref()
            .map(tokens)
            .unwrap_or_default()
            .into_iter()
            .chain(label.clone())
            .filter(|t| t.chars().count() >= 3)
            .collect();
        if !tokens(&v).iter().any(|t| own.contains(t)) {
            return Some((v, 0.7, "seller label"));
        }
    }
    match display {
        Some(d) if !is_generic(&d) && !is_processor(&d) => return Some((d, 0.85, "sender name")),
        _ => {}
    }
    // The sender names no merchant: look in the subject, then the body.
    if let Some(v) = phrase_vendor(subject) {
        return Some((v, 0.7, "subject"));
    }
    if let Some(v) = phrase_vendor(&head) {
        return Some((v, 0.6, "body"));
    }
    if let Some(l) = label
        .filter(|l| !RELAYS.contains(&l.as_str()) && (!sender_is_processor || from.name.is_none()))
    {
        return Some((capitalize(&l), 0.55, "sender domain"));
    }
    from.name
        .as_deref()
        .map(clean_display_name)
        .filter(|n| !n.is_empty())
        .map(|n| (n, 0.3, "sender name"))
}

/// Rows that are labels, contact details or numbers, not a business name.
static NOT_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(tax invoice|invoice|receipt|official receipt|cash (sale|bill|receipt)|simplified|bill(?-u:\b)|welcome|thank|date|time|tel|phone|fax|mobile|hp(?-u:\b)|email|e-mail|www\.|http|gst|vat|reg|co\.?\s*no|company no|no\.|order|table|cashier|server|counter|member|rechnung|quittung|kassenbon|beleg|facture|ticket|recibo|factura|ricevuta|fattura|factuur|bon(?-u:\b)|kvitto|page|seite|original|copy|duplicate|customer|bill to|ship to|kunde|client|to:|from:|total|sub\s?total|sum|amount|qty|quantity|item|description|price|gesamt|summe|montant|importe|totale|totaal|betrag|tax|change|cash|visa|mastercard)").expect("not name")
});

fn name_like(row: &str) -> bool {
    let letters = row.chars().filter(|c| c.is_alphabetic()).count();
    let total = row.chars().filter(|c| !c.is_whitespace()).count();
    // "1012 AB Amsterdam", "12 Main St": addresses start with a number.
    letters >= 3
        && !row.trim_start().starts_with(|c: char| c.is_ascii_digit())
        && letters * 10 >= total * 6
        && !NOT_NAME.is_match(row)
        && !row.contains('@')
}

/// The business named at the head of a printed or PDF document: a legal
/// entity line outside any "bill to" block first, else the first name-like row.
///
/// Of several legal entities (the seller's return-address line, the customer's
/// address block, the seller's footer), the one that shares a word with the
/// letterhead wins, else the one printed more than once (a seller's name is in its
/// header and its footer; a customer's once), else the first.
pub fn from_document(rows: &[String]) -> Option<Guess> {
    let mut billing_until = 0usize;
    let mut first_name: Option<&str> = None;
    let mut weak: Option<&str> = None;
    let mut legal: Vec<(usize, String)> = Vec::new();
    for (i, row) in rows.iter().enumerate().take(200) {
        let cell = row.split(" | ").next().unwrap_or(row).trim();
        if i < billing_until {
            continue;
        }
        if labels::BILL_TO.is_match(cell) {
            billing_until = i + 4;
            continue;
        }
        // "Seller GmbH · Street 4 · 79098 City": the part that names the business.
        let spaced = cell.replace('\u{a0}', " ");
        let part = spaced
            .split(" · ")
            .map(str::trim)
            .find(|p| labels::LEGAL.is_match(p))
            .unwrap_or(cell);
        if i < 60 && name_like(part) && part.chars().count() <= 80 {
            // "SDN BHD", "GmbH", "Ltd" beat a brand heading; "Trading", "Enterprise" only a plain name.
            let strong = labels::LEGAL.find_iter(part).any(|m| {
                !["trading", "enterprise", "enterprises"]
                    .contains(&m.as_str().to_lowercase().as_str())
            });
            if strong {
                legal.push((i, tidy(part)));
            } else if weak.is_none() && i < 10 && labels::LEGAL.is_match(cell) {
                weak = Some(cell);
            }
        } else if i >= 60 && name_like(part) && labels::LEGAL.is_match(part) {
            legal.push((i, tidy(part))); // a footer: only ever a second mention
        }
        if first_name.is_none() && i < 8 && name_like(cell) && cell.chars().count() <= 60 {
            first_name = Some(cell);
        }
    }
    let words = |s: &str| -> Vec<String> {
        tokens(s)
            .into_iter()
            .filter(|t| t.chars().count() >= 3 && !labels::LEGAL.is_match(t))
            .collect()
    };
    let head = first_name.map(words).unwrap_or_default();
    let shares = |name: &str| words(name).iter().any(|w| head.contains(w));
    let repeated = |name: &str| legal.iter().filter(|(_, n)| n == name).count() > 1;
    let early = legal.iter().filter(|(i, _)| *i < 60);
    let pick = early
        .clone()
        .find(|(_, n)| shares(n))
        .or_else(|| early.clone().find(|(_, n)| repeated(n)))
        .or_else(|| early.clone().next());
    if let Some((i, name)) = pick {
        let conf = if *i < 8 { 0.8 } else { 0.55 };
        return Some((name.clone(), conf, "legal entity"));
    }
    weak.map(|n| (tidy(n), 0.6, "business name"))
        .or_else(|| first_name.map(|n| (tidy(n), 0.5, "document head")))
}

fn tidy(s: &str) -> String {
    // A document's title printed on the name's line ("Seller GmbH      FACTURE") is
    // not part of the name.
    static TITLE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s+(?:tax\s+)?(?:invoice|receipt|rechnung|facture|factura|fattura|factuur|quittung|reçu|ricevuta|recibo|kassenbon|credit note|gutschrift)\W*$")
            .expect("title after")
    });
    let name = s
        .trim_matches(|c: char| !c.is_alphanumeric() && c != ')' && c != '.')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    match TITLE_AFTER.replace(&name, "") {
        // Two words at least are left ("Tax Invoice" is a title, not a name).
        short if short.split_whitespace().count() >= 2 => short.into_owned(),
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> Address {
        Address::parse(s)
    }

    #[test]
    fn sender_names() {
        assert_eq!(
            from_email(&addr("Uber Receipts <noreply@uber.com>"), "", &[])
                .unwrap()
                .0,
            "Uber"
        );
        assert_eq!(
            from_email(&addr("\"Acme Coffee\" <receipts+acct@stripe.com>"), "", &[])
                .unwrap()
                .0,
            "Acme Coffee"
        );
        assert_eq!(
            from_email(&addr("Jane Doe via Acme Shop <x@groups.example>"), "", &[])
                .unwrap()
                .0,
            "Jane Doe"
        );
        assert_eq!(
            from_email(&addr("no-reply <no-reply@email.steampowered.com>"), "", &[])
                .unwrap()
                .0,
            "Steampowered"
        );
        assert_eq!(
            from_email(&addr("orders@mail.bookshop.co.uk"), "", &[])
                .unwrap()
                .0,
            "Bookshop"
        );
    }

    #[test]
    fn processors_give_way_to_the_merchant() {
        let paypal = addr("PayPal <service@paypal.com>");
        assert_eq!(
            from_email(
                &paypal,
                "Receipt for your payment to Blue Bottle Coffee",
                &[]
            )
            .unwrap()
            .0,
            "Blue Bottle Coffee"
        );
        let rows = vec![
            "Hello,".to_string(),
            "You sent a payment of $12.00 USD to Kite Studio.".to_string(),
        ];
        assert_eq!(
            from_email(&paypal, "Your payment", &rows).unwrap().0,
            "Kite Studio"
        );
        let square = addr("Square <noreply@messaging.squareup.com>");
        assert_eq!(
            from_email(&square, "Your receipt from Little Bakery #4021", &[])
                .unwrap()
                .0,
            "Little Bakery"
        );
        // A platform the list does not know: its "Sold by" line names the seller.
        let craftory = addr("Craftory <transaction@craftory.example>");
        let rows = vec![
            "Order #123".to_string(),
            "Sold by: Harbour Ceramics".to_string(),
        ];
        assert_eq!(
            from_email(&craftory, "Your Craftory order", &rows)
                .unwrap()
                .0,
            "Harbour Ceramics"
        );
        let etsy = addr("Etsy Transactions <transaction@etsy.com>");
        let rows = vec!["Shop: WoolAndWillow".to_string()];
        assert_eq!(
            from_email(&etsy, "Your Etsy purchase", &rows).unwrap().0,
            "WoolAndWillow"
        );
    }

    #[test]
    fn document_heads() {
        let rows: Vec<String> = [
            "TAX INVOICE",
            "KEDAI MAKAN SRI MURNI SDN BHD",
            "(123456-X)",
            "NO 5, JALAN 3",
            "TOTAL | 12.50",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            from_document(&rows).unwrap().0,
            "KEDAI MAKAN SRI MURNI SDN BHD"
        );
        let rows: Vec<String> = [
            "Rechnung",
            "Bill to:",
            "Kunde GmbH",
            "Str. 1",
            "10115 Berlin",
            "Musterfirma Solutions GmbH",
            "Total | 5,00 €",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            from_document(&rows).unwrap().0,
            "Musterfirma Solutions GmbH"
        );
        let rows: Vec<String> = ["RECEIPT", "Corner Deli", "123 Main St", "Total 9.00"]
            .map(String::from)
            .to_vec();
        assert_eq!(from_document(&rows).unwrap().0, "Corner Deli");
    }

    #[test]
    fn a_title_on_the_names_line_is_not_the_name() {
        let rows: Vec<String> = [
            "Bellavista Hotels S.r.l.        FACTURE",
            "Via Roma 4, 00100 Roma",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(from_document(&rows).unwrap().0, "Bellavista Hotels S.r.l.");
        assert_eq!(tidy("Arcadia Digital B.V. FACTUUR"), "Arcadia Digital B.V.");
        assert_eq!(tidy("Tax Invoice"), "Tax Invoice"); // nothing else: left as it is
        assert_eq!(tidy("Receipt Bank Ltd"), "Receipt Bank Ltd"); // only at the end
    }
}
