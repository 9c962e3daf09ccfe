//! The words receipts use, in several languages, as compiled patterns shared
//! by extraction and detection. One place, so a new language is one edit.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Lower-cases `text` where that keeps every byte offset (all of Latin-1 and
/// most scripts), so label patterns need no `(?i)`: case-insensitive Unicode
/// alternations make the regex DFA many times larger and slower.
pub fn fold(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_uppercase) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                    _ => c,
                }
            })
            .collect(),
    )
}

/// A match of a label in the original text (offsets are the same in the folded text).
#[derive(Debug, Clone)]
pub struct Hit {
    start: usize,
    end: usize,
    text: String,
}

impl Hit {
    pub fn start(&self) -> usize {
        self.start
    }
    pub fn end(&self) -> usize {
        self.end
    }
    /// The matched text, lower-cased.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// A label pattern, matched case-insensitively by folding the text.
pub struct Label(Regex);

impl Label {
    pub fn is_match(&self, text: &str) -> bool {
        self.0.is_match(&fold(text))
    }
    pub fn find(&self, text: &str) -> Option<Hit> {
        let folded = fold(text);
        self.0.find(&folded).map(|m| Hit {
            start: m.start(),
            end: m.end(),
            text: m.as_str().to_string(),
        })
    }
    pub fn find_iter(&self, text: &str) -> std::vec::IntoIter<Hit> {
        let folded = fold(text);
        let hits: Vec<Hit> = self
            .0
            .find_iter(&folded)
            .map(|m| Hit {
                start: m.start(),
                end: m.end(),
                text: m.as_str().to_string(),
            })
            .collect();
        hits.into_iter()
    }
    /// Capture group `n` of the first match.
    pub fn group(&self, text: &str, n: usize) -> Option<String> {
        let folded = fold(text);
        self.0
            .captures(&folded)
            .and_then(|c| c.get(n).map(|m| m.as_str().to_string()))
    }
}

fn re(pattern: &str) -> Label {
    let pattern = pattern.strip_prefix("(?i)").unwrap_or(pattern);
    Label(Regex::new(pattern).expect("label pattern"))
}

/// The amount charged to the payment method.
pub static CHARGED: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(amount charged|total charged|charged to|we('ve| have)? charged|has been charged|have been charged|was charged|were charged|amount billed|billed to your|total billed|charged on|charge amount|amount paid|total paid|paid with|paid by|payment amount|you paid|payment total|amount debited|debited from|card payment|payment received|paid\s*:|^\W*paid(?-u:\b)|(?-u:\b)bezahlt|gezahlt|zahlbetrag|abgebucht|montant payé|montant débité|payé|importe pagado|importe cobrado|total pagado|cobrado|pagato|importo pagato|addebitato|betaald|afgeschreven|valor pago|total pago|betalt|dibayar|支払金額|お支払い金額|결제\s*금액)",
    )
});

/// The grand total.
pub static TOTAL: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(grand total|order total|total due|amount due|balance due|invoice total|total amount|amount total|total price|total to pay|total payable|amount payable|net payable|total cost|total fare|total charge|(?-u:\b)total(?-u:\b)|(?-u:\b)total[:.]|(?-u:\b)t[o0]t[a4][l1i](?-u:\b)|(?-u:\b)nett(?-u:\b)|gesamtbetrag|gesamtsumme|gesamtpreis|(?-u:\b)gesamt(?-u:\b)|(?-u:\b)summe(?-u:\b)|endbetrag|rechnungsbetrag|bruttobetrag|total ttc|montant total|montant ttc|net à payer|à payer|importe total|total a pagar|(?-u:\b)totale(?-u:\b)|importo totale|totaal|te betalen|(?-u:\b)totalt(?-u:\b)|att betala|at betale|å betale|i alt|(?-u:\b)razem(?-u:\b)|do zapłaty|(?-u:\b)suma(?-u:\b)|jumlah|(?-u:\b)jumlah(?-u:\b)|合計|总计|合计|총액|합계|toplam|итого|(?-u:\b)sum(?-u:\b))",
    )
});

/// Lines that carry a total-like word but are not the total.
pub static NOT_TOTAL: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(sub\s?-?total|included in (the )?total|incl\.? in total|(vat|gst|tax) incl(uded|\.)?(?-u:\b)|zwischensumme|sous-total|subtotale|subtotaal|delsumma|total before|before tax|excl\.?\s*(vat|tax|mwst|btw|gst)|excluding|exkl|hors taxe|(?-u:\b)ht(?-u:\b)|total ht|(?-u:\b)netto|net amount|nettobetrag|total (tax|vat|gst|mwst)|(tax|vat|gst) total|total savings|you saved|savings|(?-u:\b)saved(?-u:\b)|ersparnis|total discount|discount|rabatt|remise|descuento|sconto|korting|points|punkte|(?-u:\b)miles(?-u:\b)|meilen|total items|total qty|total quantity|items?\s*:|(?-u:\b)qty(?-u:\b)|anzahl|rounding|rundung|(?-u:\b)change(?-u:\b)|rückgeld|wechselgeld|monnaie rendue|(?-u:\b)cash(?-u:\b)|bargeld|espèces|efectivo|tendered|gegeben|previous balance|credit limit|available|verfügbar|tip suggestion|(?-u:\b)cart(?-u:\b)|warenkorb|panier|total weight|gewicht|distance|total time|duration|(?-u:\b)km(?-u:\b)|kilomet)",
    )
});

/// Subtotal labels.
pub static SUBTOTAL: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(^\W*net(?-u:\b)|sub\s?-?total|zwischensumme|sous-total|subtotale|subtotaal|delsumma|items?\s?total|item\(s\) (sub)?total|items total|total ht|total excl|total before tax|nettobetrag|summe netto|netto|base imponible|imponibile|montant ht)",
    )
});

/// Tax labels.
pub static TAX: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)((?-u:\b)tax(es)?(?-u:\b)|sales tax|(?-u:\b)vat(?-u:\b)|(?-u:\b)gst(?-u:\b)|(?-u:\b)hst(?-u:\b)|(?-u:\b)pst(?-u:\b)|(?-u:\b)qst(?-u:\b)|(?-u:\b)mwst|(?-u:\b)ust(?-u:\b)|umsatzsteuer|mehrwertsteuer|(?-u:\b)tva(?-u:\b)|(?-u:\b)iva(?-u:\b)|(?-u:\b)btw(?-u:\b)|(?-u:\b)moms(?-u:\b)|(?-u:\b)mva(?-u:\b)|(?-u:\b)igv(?-u:\b)|(?-u:\b)sst(?-u:\b)|(?-u:\b)ppn(?-u:\b)|(?-u:\b)kdv(?-u:\b)|(?-u:\b)vat amount|消費税|税額|부가세)",
    )
});

/// Tax-label lines that are registration numbers or rates, not amounts.
pub static NOT_TAX: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(reg(istration)?\.?\s*(no|number|#)|(?-u:\b)id(?-u:\b)|identification|nummer|(?-u:\b)nr(?-u:\b)|n°|number|(?-u:\b)no\.?\s*:|tax-?free|steuer-?nr|ust-?id|tva intracom|exempt|befreit)",
    )
});

/// Transaction or invoice date labels.
pub static DATE_LABEL: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)((order|invoice|receipt|transaction|purchase|payment|billing|issue|bill|document|booking|trip|sale)\s*date|date of (issue|purchase|invoice|order|transaction)|date issued|issued on|invoice date|placed on|ordered on|paid on|charged on|purchased on|(?-u:\b)date\s*:|^\W*date(?-u:\b)|rechnungsdatum|bestelldatum|belegdatum|kaufdatum|leistungsdatum|(?-u:\b)datum(?-u:\b)|date de (la )?facture|date d'achat|date de commande|date de facturation|(?-u:\b)date(?-u:\b)|fecha( de (emisión|emision|factura|compra|pedido))?|data (fattura|ordine|emissione|do pedido|da compra)|(?-u:\b)data(?-u:\b)|factuurdatum|besteldatum|orderdatum|fakturadatum|köpdatum|tarikh|tanggal|日付|注文日|ご注文日|발행일)",
    )
});

/// The labels that name the invoice's or receipt's own date: they beat an order,
/// booking or bare "Date" label standing before them ("Bestelldatum 07.10. /
/// Rechnungsdatum 18.10.": the invoice date is the one asked for).
pub static INVOICE_DATE: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)((invoice|receipt|transaction|purchase|payment|billing|issue|bill|document|sale)\s*date|date of (issue|purchase|invoice|transaction)|date issued|issued on|paid on|charged on|purchased on|date paid|rechnungsdatum|belegdatum|kaufdatum|ausstellungsdatum|date de (la )?facture|date d'achat|date de facturation|date d'émission|fecha( de (emisión|emision|factura|compra))|data (fattura|emissione|da compra|documento)|factuurdatum|fakturadatum|köpdatum)",
    )
});

/// Date lines that are not the transaction date.
pub static NOT_DATE: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(due|fällig|zahlbar bis|échéance|vencimiento|scadenza|vervaldatum|förfallo|deliver|lieferung|lieferdatum|leistungsdatum|leverdatum|levering|geleverd|livraison|entrega|consegna|arriv|ship|versand|expected|estimated|voraussichtlich|valid|gültig|expir|ablauf|until|(?-u:\b)bis(?-u:\b)|period|zeitraum|période|check-?in|check-?out|departure|abfahrt|départ|return|rückfahrt|birth|member since|next (billing|payment|charge)|renew|trial|starts|ends)",
    )
});

/// Card brands and wallets.
pub static CARD: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(?-u:\b)(visa|master\s?card|mc|amex|american express|discover|jcb|diners(?: club)?|maestro|union\s?pay|carte bancaire|girocard|ec-karte|interac|rupay|apple pay|google pay|paypal|klarna|afterpay|gift card|cash app|venmo|debit|credit)(?-u:\b)",
    )
});

/// The last four digits of a card.
pub static LAST4: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(?:ending(?:\s+in|\s+with)?|ends\s+in|endet\s+auf|endend\s+auf|terminant\s+par|finissant\s+par|terminada\s+en|que\s+termina\s+en|che\s+termina\s+con|eindigend\s+op|last\s*(?:4|four)(?:\s*digits)?\s*:?|[•*xX·●∙…\.]{2,}\s?-?\s?|(?-u:\b)x{2,}\s?|\*{1,}\s?)\s*(\d{4})(?-u:\b)",
    )
});

/// Order, invoice or receipt numbers.
pub static ORDER_ID: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(order|invoice|receipt|confirmation|booking|transaction|reference|bestell|rechnungs|beleg|commande|facture|pedido|factura|ordine|fattura|bestelling|factuur|ordre|faktura|zamówienie|注文)\s*(no\.?|number|nr\.?|num\.?|nummer|numéro|número|numero|#|id|code|n°|º)?\s*[:#]?\s*[a-z0-9\-]*\d[a-z0-9\-]{2,}(?-u:\b)",
    )
});

/// Shipping and delivery notices.
pub static SHIPPING: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(^\W*delivered(?-u:\b)|(?-u:\b)delivered:|^\W*shipped(?-u:\b)|(?-u:\b)shipped:|has shipped|have shipped|was shipped|been shipped|is shipped|shipped!|shipping confirmation|shipment (confirmation|notification|update)|on (its|the) way|out for delivery|has been delivered|was delivered|been delivered|delivery (update|notification|attempt)|tracking number|track (your )?(package|parcel|order|shipment)|track package|has been dispatched|was dispatched|been dispatched|dispatch (confirmation|notification)|in transit|arriving (today|tomorrow|soon)|versandbestätigung|wurde versandt|wurde verschickt|ist unterwegs|zugestellt|sendungsverfolgung|a été expédié|ont été expédiés|a été livré|en cours de livraison|ha sido enviado|ha sido entregado|en camino|è stato spedito|è stato consegnato|is verzonden|is bezorgd|onderweg|har skickats|har levererats)",
    )
});

/// Bank and card alerts ("you made a purchase", from the bank).
pub static CARD_ALERT: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(you made a (purchase|payment|transaction)|transaction alert|purchase alert|spending alert|card (was|has been) used|card ending in \d{4} was|was used (at|for|to)|a charge of .{0,20} (was|has been) (made|authorized)|large purchase|debit card (transaction|purchase)|credit card (transaction|purchase)|transaction notification|card transaction|account alert|available (credit|balance)|current balance|unusual activity|if you (don't|do not) recognize|if you did not make this|did you make this|was this you|kartenzahlung|umsatzbenachrichtigung|achat par carte|compra con tu tarjeta|transazione con carta|your statement is|statement is (now )?(ready|available))",
    )
});

/// "This is not a receipt."
pub static NOT_RECEIPT: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(not a (payment )?receipt|is not a receipt|not an? (tax )?invoice|not a bill(?-u:\b)|not valid as a receipt|no (es|constituye) (un )?(recibo|factura)|n'est pas une facture|n'est pas un reçu|kein(e)? (zahlungs)?(beleg|rechnung|quittung)|non è una (ricevuta|fattura)|geen (factuur|bon|betalingsbewijs))",
    )
});

/// Promotions and newsletters.
pub static PROMO: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(\d+\s?% off|up to \d+\s?%|(?-u:\b)sale(?-u:\b)|shop now|(?-u:\b)deals?(?-u:\b)|coupon|promo code|discount code|limited time|don't miss|do not miss|new arrivals|just dropped|best ?sellers|flash sale|black friday|cyber monday|last chance|exclusive offer|special offer|save up to|free shipping on|newsletter|weekly digest|this week's|trending|recommended for you|you might like|webinar|register now|sign up|jetzt shoppen|angebot|soldes|rebajas|offerta|aanbieding|(?-u:\b)sparen(?-u:\b))",
    )
});

/// Reminders, failures and other mail about money that is not a receipt.
pub static NOT_YET: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(will be charged|will be billed|not been charged|not be charged|won't be charged|no charge (was|has been) made|nicht belastet|in your (cart|basket)|your cart|cart total|left something|still thinking|warenkorb|votre panier|tu carrito|il tuo carrello|je winkelwagen|(?-u:\b)cancell?ed(?-u:\b)|storniert|annulée?|cancelad[oa]|annullat[oa]|geannuleerd|(?-u:\b)refund(ed)?(?-u:\b)|rückerstattung|erstattet|rembours|reembols|rimbors|terugbetaal|terugbetaling|renews soon|renewal reminder|renewing soon|is expiring|expires soon|order (has been |was )?cancell?ed|cancellation confirm|upcoming (payment|charge|renewal|bill)|renews on|will renew|trial (ends|is ending|expires)|payment (failed|declined|unsuccessful)|was declined|update your payment|card (has )?expired|left in your cart|still in your cart|in your basket|abandoned|price drop|back in stock|(?-u:\b)quote(?-u:\b)|(?-u:\b)estimate(?-u:\b)|angebot nr|devis|presupuesto|preventivo|offerte)",
    )
});

/// Receipt words in subjects and bodies.
pub static RECEIPT_WORDS: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(receipt|invoice|order confirm|confirmation of (your )?order|your order|order (no|number|#)|order received|payment (receipt|confirmation|received)|purchase (confirmation|receipt)|thank(s| you) for (your )?(order|purchase|payment|shopping|booking|riding|dining)|booking confirm|reservation confirm|your (trip|ride) with|billing statement|tax invoice|processed your payment|payment (has been )?processed|payment (was )?(successful|processed|complete)|thanks for your payment|we('ve)? received your payment|your purchase|purchase (successful|complete)|your bill(?-u:\b)|subscription (confirm|receipt|renewed)|renewal (confirm|receipt)|has been renewed|e-?ticket|donation|quittung|rechnung|(?-u:\b)beleg(?-u:\b)|kassenbon|bestellbestätigung|ihre bestellung|zahlungsbestätigung|buchungsbestätigung|facture|(?-u:\b)reçu(?-u:\b)|confirmation de (commande|paiement|réservation)|votre commande|recibo|factura|confirmación de (pedido|compra|pago)|tu pedido|su pedido|ricevuta|fattura|conferma (d'ordine|dell'ordine|ordine)|il tuo ordine|factuur|(?-u:\b)bon(?-u:\b)|bestelbevestiging|je bestelling|kvitto|kvittering|faktura|orderbekräftelse|paragon|betalingsbevestiging|betalingsbekræftelse|betalningsbekräftelse|conferma (di|del) pagamento|potwierdzenie zamówienia|recibo|nota fiscal|pedido confirmado|領収書|ご注文|注文確認|영수증|收据|发票|kwitansi|resit)",
    )
});

/// Legal entity suffixes (a printed receipt's head line often carries one).
pub static LEGAL: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)((?-u:\b)sdn\.?\s*bhd\.?|(?-u:\b)bhd(?-u:\b)|(?-u:\b)s/b(?-u:\b)|(?-u:\b)inc(?-u:\b)\.?|(?-u:\b)ltd(?-u:\b)\.?|(?-u:\b)llc(?-u:\b)|(?-u:\b)gmbh(?-u:\b)|(?-u:\b)b\.\s?v\.?|(?-u:\b)bv(?-u:\b)|(?-u:\b)s\.?a\.?r\.?l\.?(?-u:\b)|(?-u:\b)s\.a\.|(?-u:\b)ag(?-u:\b)|(?-u:\b)plc(?-u:\b)|(?-u:\b)pty(?-u:\b)|(?-u:\b)pte(?-u:\b)|(?-u:\b)corp(?-u:\b)\.?|(?-u:\b)corporation(?-u:\b)|(?-u:\b)limited(?-u:\b)|(?-u:\b)s\.l\.|(?-u:\b)s\.p\.a\.|(?-u:\b)s\.r\.l\.|(?-u:\b)kg(?-u:\b)|(?-u:\b)oy(?-u:\b)|(?-u:\b)ab(?-u:\b)|(?-u:\b)kft(?-u:\b)|sp\. z o\.o\.|(?-u:\b)co\.,? ltd|(?-u:\b)partg(?-u:\b)|(?-u:\b)mbb(?-u:\b)|(?-u:\b)v\.o\.f\.?|(?-u:\b)s\.n\.c\.?|(?-u:\b)s\.a\.s\.?|(?-u:\b)e\.k\.|(?-u:\b)ohg(?-u:\b)|(?-u:\b)k\.k\.|株式会社|(?-u:\b)enterprises?(?-u:\b)|(?-u:\b)trading(?-u:\b))",
    )
});

/// "Bill to" blocks: the customer, not the vendor.
pub static BILL_TO: LazyLock<Label> = LazyLock::new(|| {
    re(
        r"(?i)(bill(ed)? to|invoice to|invoiced to|sold to|ship(ped)? to|deliver(ed)? to|customer|client(?-u:\b)|kunde|rechnungsempfänger|rechnungsadresse|lieferadresse|facturé à|adresse de facturation|cliente|facturar a|fatturato a|destinatario|factuur aan|klant|attention|attn)",
    )
});
