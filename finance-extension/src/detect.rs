//! Is it a receipt? A score in [0, 1] from weighted signals, with the reasons.
//!
//! Receipts, invoices and order confirmations with a charged or ordered total
//! count; shipping and delivery notices, bank and card alerts, trips marked
//! "not a payment receipt", newsletters, promotions and personal mail do not.
//! [`Detection::combine`] mixes in `ai.classify_text`'s `receipt` probability.

use crate::extract::Extraction;
use crate::labels;
use crate::mime::Address;
use serde::Serialize;

/// The signals, each 0/1 (or a small count), as computed from one message.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Features {
    pub subject_receipt: bool,
    pub body_receipt: bool,
    pub labelled_total: bool,
    pub charged_label: bool,
    pub payment_method: bool,
    pub order_id: bool,
    pub subtotal_or_tax: bool,
    pub line_items: bool,
    pub receipt_attachment: bool,
    pub document_attachment: bool,
    pub image_only: bool,
    pub billing_sender: bool,
    pub no_amount: bool,
    pub shipping_subject: bool,
    pub shipping_body: bool,
    pub card_alert: bool,
    pub bank_sender: bool,
    pub not_receipt_phrase: bool,
    pub promo: u8,
    pub list_headers: bool,
    pub not_yet: bool,
    pub not_yet_subject: bool,
    pub personal: bool,
    pub reply: bool,
}

/// What the message carries besides its text.
#[derive(Debug, Clone, Default)]
pub struct Envelope {
    pub from: Address,
    pub subject: String,
    /// Attachment file names and media types.
    pub attachments: Vec<(Option<String>, String)>,
    pub list_headers: bool,
    pub in_reply_to: bool,
}

/// A detection: the combined score, the rule score, the classifier
/// probability used (if any), the decision and the reasons.
#[derive(Debug, Clone, Serialize)]
pub struct Detection {
    pub score: f64,
    pub rule_score: f64,
    pub classifier: Option<f64>,
    pub is_receipt: bool,
    pub reasons: Vec<String>,
    pub features: Features,
}

/// The decision threshold on the score.
pub const THRESHOLD: f64 = 0.5;

const BANKS: &[&str] = &[
    "chase",
    "americanexpress",
    "amex",
    "aexp",
    "capitalone",
    "citi",
    "citibank",
    "wellsfargo",
    "bankofamerica",
    "bofa",
    "discover",
    "barclays",
    "barclaycard",
    "hsbc",
    "santander",
    "revolut",
    "monzo",
    "n26",
    "td",
    "rbc",
    "scotiabank",
    "bmo",
    "usbank",
    "ally",
    "schwab",
    "sofi",
    "chime",
    "creditkarma",
    "navyfederal",
    "synchrony",
    "lloydsbank",
    "natwest",
    "halifax",
    "commbank",
    "anz",
    "westpac",
    "nab",
    "ing",
    "rabobank",
    "abnamro",
    "bnpparibas",
    "societegenerale",
    "creditagricole",
    "deutsche-bank",
    "commerzbank",
    "sparkasse",
    "dkb",
    "comdirect",
    "maybank",
    "cimb",
    "dbs",
    "ocbc",
    "uob",
    "icicibank",
    "hdfcbank",
    "sbi",
    "kotak",
    "nubank",
    "wise",
];

const FREEMAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "protonmail.com",
    "proton.me",
    "mail.com",
    "yandex.ru",
    "qq.com",
];

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(0.02, 0.98);
    (p / (1.0 - p)).ln()
}

/// Computes the features of a message from its envelope, text and extraction.
pub fn features(env: &Envelope, text: &str, ex: &Extraction) -> Features {
    let subject = env.subject.as_str();
    let head: String = text.chars().take(6000).collect();
    let domain = env.from.domain().unwrap_or_default();
    let local = env.from.local().unwrap_or_default();
    let label = crate::vendor::domain_label(&domain).unwrap_or_default();
    let doc_name = |n: &Option<String>| {
        n.as_deref().is_some_and(|n| {
            let l = n.to_lowercase();
            [
                "invoice", "receipt", "rechnung", "quittung", "beleg", "facture", "reçu", "recu",
                "factura", "recibo", "fattura", "ricevuta", "factuur", "kvitto", "faktura", "bill",
                "order", "payment", "inv", "bon",
            ]
            .iter()
            .any(|w| l.contains(w))
        })
    };
    let is_doc = |t: &str| t == "application/pdf" || t.starts_with("image/") || t.contains("pdf");
    let promo = labels::PROMO.find_iter(&head).count().min(3) as u8
        + u8::from(labels::PROMO.is_match(subject));
    let subject_fwd = ["re:", "aw:", "sv:", "antw:"]
        .iter()
        .any(|p| subject.to_lowercase().starts_with(p));
    Features {
        subject_receipt: labels::RECEIPT_WORDS.is_match(subject),
        body_receipt: labels::RECEIPT_WORDS.is_match(&head),
        labelled_total: ex.labelled_total,
        charged_label: ex.charged_label,
        payment_method: ex.payment.is_some(),
        order_id: labels::ORDER_ID.is_match(subject) || labels::ORDER_ID.is_match(&head),
        subtotal_or_tax: ex.subtotal.value.is_some() || ex.tax.value.is_some(),
        line_items: !ex.items.is_empty(),
        receipt_attachment: env
            .attachments
            .iter()
            .any(|(n, t)| is_doc(t) && doc_name(n)),
        document_attachment: env.attachments.iter().any(|(_, t)| t == "application/pdf"),
        image_only: text.trim().chars().count() < 80
            && env.attachments.iter().any(|(_, t)| t.starts_with("image/")),
        billing_sender: [
            "receipt",
            "invoice",
            "billing",
            "order",
            "payment",
            "purchase",
            "rechnung",
            "facture",
            "factura",
            "auto-confirm",
            "confirm",
        ]
        .iter()
        .any(|w| local.contains(w)),
        no_amount: ex.amounts == 0,
        shipping_subject: labels::SHIPPING.is_match(subject),
        shipping_body: labels::SHIPPING.find_iter(&head).count() >= 2
            || labels::SHIPPING.is_match(subject),
        card_alert: labels::CARD_ALERT.is_match(subject) || labels::CARD_ALERT.is_match(&head),
        bank_sender: BANKS.contains(&label.as_str()) || domain.contains("bank"),
        not_receipt_phrase: labels::NOT_RECEIPT.is_match(&head)
            || labels::NOT_RECEIPT.is_match(subject),
        promo,
        list_headers: env.list_headers,
        not_yet: labels::NOT_YET.find_iter(&head).count() >= 2,
        not_yet_subject: labels::NOT_YET.is_match(subject),
        personal: FREEMAIL.contains(&domain.as_str()),
        reply: subject_fwd || env.in_reply_to,
    }
}

/// Scores features with the rule weights (hand-set; see docs/guides/finance.md).
pub fn score(f: &Features) -> (f64, Vec<String>) {
    let mut x = -1.2;
    let mut reasons = Vec::new();
    let mut add = |on: bool, w: f64, why: &str| {
        if on {
            x += w;
            reasons.push(format!("{why} ({w:+.1})"));
        }
    };
    add(
        f.subject_receipt && !f.shipping_subject && !f.not_yet_subject,
        2.0,
        "subject names a receipt, invoice or order",
    );
    add(
        f.body_receipt && !f.subject_receipt,
        0.8,
        "body names a receipt, invoice or order",
    );
    add(
        f.labelled_total,
        2.2,
        "an amount stands beside a total label",
    );
    add(
        f.charged_label,
        0.8,
        "the amount is labelled as charged or paid",
    );
    add(f.payment_method, 0.9, "a payment method is named");
    add(f.order_id, 0.7, "an order, invoice or receipt number");
    add(f.subtotal_or_tax, 0.6, "a subtotal or tax line");
    add(f.line_items, 0.4, "line items");
    add(
        f.receipt_attachment,
        2.2,
        "an attachment named as an invoice or receipt",
    );
    add(
        f.document_attachment && !f.receipt_attachment,
        0.5,
        "a PDF attachment",
    );
    add(
        f.image_only,
        1.2,
        "an image with little text (a photographed receipt?)",
    );
    add(f.billing_sender, 0.6, "a billing or orders mailbox sent it");
    add(
        f.no_amount && !f.receipt_attachment && !f.image_only,
        -3.0,
        "no amount anywhere",
    );
    add(
        f.shipping_subject,
        -3.2,
        "the subject is about shipping or delivery",
    );
    add(
        f.shipping_body,
        -1.2,
        "the body is about shipping or delivery",
    );
    add(f.card_alert, -2.6, "reads like a bank or card alert");
    add(f.bank_sender, -1.8, "a bank sent it");
    add(f.not_receipt_phrase, -6.0, "says it is not a receipt");
    add(
        f.promo >= 1,
        -0.6 * f64::from(f.promo),
        "promotion or newsletter wording",
    );
    add(f.list_headers, -0.5, "mailing-list headers");
    add(
        f.not_yet_subject,
        -3.5,
        "the subject is a reminder, cancellation, refund, quote or cart",
    );
    add(
        f.not_yet,
        -2.5,
        "a reminder, cancellation, refund, quote or cart, not a charge",
    );
    add(f.personal, -1.0, "sent from a personal mailbox");
    add(f.reply, -0.8, "a reply in a conversation");
    (sigmoid(x), reasons)
}

impl Detection {
    /// Rule score alone, or mixed with a classifier probability: the two
    /// log-odds are added, the rules weighted 1 and the classifier 0.6
    /// (clamped to [0.02, 0.98] first, so neither side can veto alone).
    pub fn combine(
        features: Features,
        rule_score: f64,
        mut reasons: Vec<String>,
        classifier: Option<f64>,
    ) -> Detection {
        let score = match classifier {
            Some(p) if p.is_finite() => {
                reasons.push(format!("classifier says receipt with p={p:.2}"));
                sigmoid(logit(rule_score) + CLASSIFIER_WEIGHT * logit(p))
            }
            _ => rule_score,
        };
        Detection {
            score,
            rule_score,
            classifier,
            is_receipt: score >= THRESHOLD,
            reasons,
            features,
        }
    }

    /// Whether some classifier probability could put the combined score on the
    /// other side of `threshold` from where the rules alone leave it (every
    /// probability is clamped, so its reach is bounded). Where none could, asking
    /// the classifier cannot change a comparison of the score with `threshold`.
    pub fn classifier_could_cross(&self, threshold: f64) -> bool {
        let reach = CLASSIFIER_WEIGHT * logit(1.0);
        let base = logit(self.rule_score);
        // A hair of margin: the bound and a real probability's score may round apart.
        sigmoid(base - reach) < threshold + 1e-9 && sigmoid(base + reach) >= threshold - 1e-9
    }
}

/// The classifier's weight in the combined log-odds (the rules weigh 1).
const CLASSIFIER_WEIGHT: f64 = 0.6;

/// Features, score and decision in one call.
pub fn detect(env: &Envelope, text: &str, ex: &Extraction, classifier: Option<f64>) -> Detection {
    let f = features(env, text, ex);
    let (rule, reasons) = score(&f);
    Detection::combine(f, rule, reasons, classifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ruled(rule_score: f64) -> Detection {
        Detection::combine(Features::default(), rule_score, Vec::new(), None)
    }

    #[test]
    fn where_the_classifier_cannot_cross_no_probability_does() {
        let probabilities: Vec<f64> = (0..=200).map(|i| f64::from(i) / 200.0).collect();
        let mut skipped = 0;
        for i in 0..=1000 {
            let d = ruled(f64::from(i) / 1000.0);
            for threshold in [THRESHOLD, 0.25] {
                let sides: Vec<bool> = probabilities
                    .iter()
                    .map(|&p| {
                        Detection::combine(Features::default(), d.rule_score, Vec::new(), Some(p))
                            .score
                            >= threshold
                    })
                    .collect();
                let crosses = sides.iter().any(|&s| s != sides[0]);
                if !d.classifier_could_cross(threshold) {
                    skipped += 1;
                    assert!(!crosses, "rule {} threshold {threshold}", d.rule_score);
                    assert_eq!(
                        sides[0],
                        d.score >= threshold,
                        "the rules' side is every probability's"
                    );
                }
            }
        }
        // Both sure ends are skipped: below ~0.09 and above ~0.91 for the decision.
        assert!(skipped > 300, "{skipped}");
        assert!(ruled(0.5).classifier_could_cross(THRESHOLD));
        assert!(!ruled(0.99).classifier_could_cross(THRESHOLD));
        assert!(!ruled(0.01).classifier_could_cross(THRESHOLD));
    }
}
