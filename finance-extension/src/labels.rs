//! The words receipts use, in several languages, as compiled patterns shared
//! by extraction and detection. One place, so a new language is one edit.

use regex::Regex;
use std::sync::LazyLock;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("label pattern")
}

/// The amount charged to the payment method.
pub static CHARGED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(amount charged|total charged|charged to|we('ve| have)? charged|has been charged|have been charged|was charged|were charged|amount billed|billed to your|total billed|charged on|charge amount|amount paid|total paid|paid with|paid by|payment amount|you paid|payment total|amount debited|debited from|card payment|payment received|paid\s*:|^\W*paid\b|\bbezahlt|gezahlt|zahlbetrag|abgebucht|montant payé|montant débité|payé|importe pagado|importe cobrado|total pagado|cobrado|pagato|importo pagato|addebitato|betaald|afgeschreven|valor pago|total pago|betalt|dibayar|支払金額|お支払い金額|결제\s*금액)",
    )
});

/// The grand total.
pub static TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(grand total|order total|total due|amount due|balance due|invoice total|total amount|amount total|total price|total to pay|total payable|amount payable|net payable|total cost|total fare|total charge|\btotal\b|\btotal[:.]|\bt[o0]t[a4][l1i]\b|\bnett\b|gesamtbetrag|gesamtsumme|gesamtpreis|\bgesamt\b|\bsumme\b|endbetrag|rechnungsbetrag|bruttobetrag|total ttc|montant total|montant ttc|net à payer|à payer|importe total|total a pagar|\btotale\b|importo totale|totaal|te betalen|\btotalt\b|att betala|at betale|å betale|i alt|\brazem\b|do zapłaty|\bsuma\b|jumlah|\bjumlah\b|合計|总计|合计|총액|합계|toplam|итого|\bsum\b)",
    )
});

/// Lines that carry a total-like word but are not the total.
pub static NOT_TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(sub\s?-?total|zwischensumme|sous-total|subtotale|subtotaal|delsumma|total before|before tax|excl\.?\s*(vat|tax|mwst|btw|gst)|excluding|exkl|hors taxe|\bht\b|total ht|\bnetto|net amount|nettobetrag|total (tax|vat|gst|mwst)|(tax|vat|gst) total|total savings|you saved|savings|\bsaved\b|ersparnis|total discount|discount|rabatt|remise|descuento|sconto|korting|points|punkte|\bmiles\b|meilen|total items|total qty|total quantity|items?\s*:|\bqty\b|anzahl|rounding|rundung|\bchange\b|rückgeld|wechselgeld|monnaie rendue|\bcash\b|bargeld|espèces|efectivo|tendered|gegeben|previous balance|credit limit|available|verfügbar|tip suggestion|\bcart\b|warenkorb|panier|total weight|gewicht|distance|total time|duration|\bkm\b|kilomet)",
    )
});

/// Subtotal labels.
pub static SUBTOTAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(^\W*net\b|sub\s?-?total|zwischensumme|sous-total|subtotale|subtotaal|delsumma|items?\s?total|item\(s\) (sub)?total|items total|total ht|total excl|total before tax|nettobetrag|summe netto|netto|base imponible|imponibile|montant ht)",
    )
});

/// Tax labels.
pub static TAX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(\btax(es)?\b|sales tax|\bvat\b|\bgst\b|\bhst\b|\bpst\b|\bqst\b|\bmwst|\bust\b|umsatzsteuer|mehrwertsteuer|\btva\b|\biva\b|\bbtw\b|\bmoms\b|\bmva\b|\bigv\b|\bsst\b|\bppn\b|\bkdv\b|\bvat amount|消費税|税額|부가세)",
    )
});

/// Tax-label lines that are registration numbers or rates, not amounts.
pub static NOT_TAX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(reg(istration)?\.?\s*(no|number|#)|\bid\b|identification|nummer|\bnr\b|n°|number|\bno\.?\s*:|tax-?free|steuer-?nr|ust-?id|tva intracom|exempt|befreit)",
    )
});

/// Transaction or invoice date labels.
pub static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)((order|invoice|receipt|transaction|purchase|payment|billing|issue|bill|document|booking|trip|sale)\s*date|date of (issue|purchase|invoice|order|transaction)|date issued|issued on|invoice date|placed on|ordered on|paid on|charged on|purchased on|\bdate\s*:|^\W*date\b|rechnungsdatum|bestelldatum|belegdatum|kaufdatum|leistungsdatum|\bdatum\b|date de (la )?facture|date d'achat|date de commande|date de facturation|\bdate\b|fecha( de (emisión|emision|factura|compra|pedido))?|data (fattura|ordine|emissione|do pedido|da compra)|\bdata\b|factuurdatum|besteldatum|orderdatum|fakturadatum|köpdatum|tarikh|tanggal|日付|注文日|ご注文日|발행일)",
    )
});

/// Date lines that are not the transaction date.
pub static NOT_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(due|fällig|zahlbar bis|échéance|vencimiento|scadenza|vervaldatum|förfallo|deliver|lieferung|livraison|entrega|consegna|arriv|ship|versand|expected|estimated|voraussichtlich|valid|gültig|expir|ablauf|until|\bbis\b|period|zeitraum|période|check-?in|check-?out|departure|abfahrt|départ|return|rückfahrt|birth|member since|next (billing|payment|charge)|renew|trial|starts|ends)",
    )
});

/// Card brands and wallets.
pub static CARD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(visa|master\s?card|mc|amex|american express|discover|jcb|diners(?: club)?|maestro|union\s?pay|carte bancaire|girocard|ec-karte|interac|rupay|apple pay|google pay|paypal|klarna|afterpay|gift card|cash app|venmo|debit|credit)\b",
    )
});

/// The last four digits of a card.
pub static LAST4: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:ending(?:\s+in|\s+with)?|ends\s+in|endet\s+auf|endend\s+auf|terminant\s+par|finissant\s+par|terminada\s+en|que\s+termina\s+en|che\s+termina\s+con|eindigend\s+op|last\s*(?:4|four)(?:\s*digits)?\s*:?|[•*xX·●∙…\.]{2,}\s?-?\s?|\bx{2,}\s?|\*{1,}\s?)\s*(\d{4})\b",
    )
});

/// Order, invoice or receipt numbers.
pub static ORDER_ID: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(order|invoice|receipt|confirmation|booking|transaction|reference|bestell|rechnungs|beleg|commande|facture|pedido|factura|ordine|fattura|bestelling|factuur|ordre|faktura|zamówienie|注文)\s*(no\.?|number|nr\.?|num\.?|nummer|numéro|número|numero|#|id|code|n°|º)?\s*[:#]?\s*[A-Z0-9\-]*\d[A-Z0-9\-]{2,}\b",
    )
});

/// Shipping and delivery notices.
pub static SHIPPING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(^\W*delivered\b|\bdelivered:|^\W*shipped\b|\bshipped:|has shipped|have shipped|was shipped|been shipped|is shipped|shipped!|shipping confirmation|shipment (confirmation|notification|update)|on (its|the) way|out for delivery|has been delivered|was delivered|been delivered|delivery (update|notification|attempt)|tracking number|track (your )?(package|parcel|order|shipment)|track package|has been dispatched|was dispatched|been dispatched|dispatch (confirmation|notification)|in transit|arriving (today|tomorrow|soon)|versandbestätigung|wurde versandt|wurde verschickt|ist unterwegs|zugestellt|sendungsverfolgung|a été expédié|ont été expédiés|a été livré|en cours de livraison|ha sido enviado|ha sido entregado|en camino|è stato spedito|è stato consegnato|is verzonden|is bezorgd|onderweg|har skickats|har levererats)",
    )
});

/// Bank and card alerts ("you made a purchase", from the bank).
pub static CARD_ALERT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(you made a (purchase|payment|transaction)|transaction alert|purchase alert|spending alert|card (was|has been) used|card ending in \d{4} was|was used (at|for|to)|a charge of .{0,20} (was|has been) (made|authorized)|large purchase|debit card (transaction|purchase)|credit card (transaction|purchase)|transaction notification|card transaction|account alert|available (credit|balance)|current balance|unusual activity|if you (don't|do not) recognize|if you did not make this|did you make this|was this you|kartenzahlung|umsatzbenachrichtigung|achat par carte|compra con tu tarjeta|transazione con carta|your statement is|statement is (now )?(ready|available))",
    )
});

/// "This is not a receipt."
pub static NOT_RECEIPT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(not a (payment )?receipt|is not a receipt|not an? (tax )?invoice|not a bill\b|not valid as a receipt|no (es|constituye) (un )?(recibo|factura)|n'est pas une facture|n'est pas un reçu|kein(e)? (zahlungs)?(beleg|rechnung|quittung)|non è una (ricevuta|fattura)|geen (factuur|bon|betalingsbewijs))",
    )
});

/// Promotions and newsletters.
pub static PROMO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(\d+\s?% off|up to \d+\s?%|\bsale\b|shop now|\bdeals?\b|coupon|promo code|discount code|limited time|don't miss|do not miss|new arrivals|just dropped|best ?sellers|flash sale|black friday|cyber monday|last chance|exclusive offer|special offer|save up to|free shipping on|newsletter|weekly digest|this week's|trending|recommended for you|you might like|webinar|register now|sign up|jetzt shoppen|angebot|soldes|rebajas|offerta|aanbieding|\bsparen\b)",
    )
});

/// Reminders, failures and other mail about money that is not a receipt.
pub static NOT_YET: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(will be charged|will be billed|not been charged|not be charged|won't be charged|no charge (was|has been) made|nicht belastet|in your (cart|basket)|your cart|cart total|left something|still thinking|warenkorb|votre panier|tu carrito|il tuo carrello|je winkelwagen|\bcancell?ed\b|storniert|annulée?|cancelad[oa]|annullat[oa]|geannuleerd|\brefund(ed)?\b|rückerstattung|erstattet|rembours|reembols|rimbors|terugbetaal|terugbetaling|renews soon|renewal reminder|renewing soon|is expiring|expires soon|order (has been |was )?cancell?ed|cancellation confirm|upcoming (payment|charge|renewal|bill)|renews on|will renew|trial (ends|is ending|expires)|payment (failed|declined|unsuccessful)|was declined|update your payment|card (has )?expired|left in your cart|still in your cart|in your basket|abandoned|price drop|back in stock|\bquote\b|\bestimate\b|angebot nr|devis|presupuesto|preventivo|offerte)",
    )
});

/// Receipt words in subjects and bodies.
pub static RECEIPT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(receipt|invoice|order confirm|confirmation of (your )?order|your order|order (no|number|#)|order received|payment (receipt|confirmation|received)|purchase (confirmation|receipt)|thank(s| you) for (your )?(order|purchase|payment|shopping|booking|riding|dining)|booking confirm|reservation confirm|your (trip|ride) with|billing statement|tax invoice|processed your payment|payment (has been )?processed|payment (was )?(successful|processed|complete)|thanks for your payment|we('ve)? received your payment|your purchase|purchase (successful|complete)|your bill\b|subscription (confirm|receipt|renewed)|renewal (confirm|receipt)|has been renewed|e-?ticket|donation|quittung|rechnung|\bbeleg\b|kassenbon|bestellbestätigung|ihre bestellung|zahlungsbestätigung|buchungsbestätigung|facture|\breçu\b|confirmation de (commande|paiement|réservation)|votre commande|recibo|factura|confirmación de (pedido|compra|pago)|tu pedido|su pedido|ricevuta|fattura|conferma (d'ordine|dell'ordine|ordine)|il tuo ordine|factuur|\bbon\b|bestelbevestiging|je bestelling|kvitto|kvittering|faktura|orderbekräftelse|paragon|betalingsbevestiging|betalingsbekræftelse|betalningsbekräftelse|conferma (di|del) pagamento|potwierdzenie zamówienia|recibo|nota fiscal|pedido confirmado|領収書|ご注文|注文確認|영수증|收据|发票|kwitansi|resit)",
    )
});

/// Legal entity suffixes (a printed receipt's head line often carries one).
pub static LEGAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(\bsdn\.?\s*bhd\.?|\bbhd\b|\bs/b\b|\binc\b\.?|\bltd\b\.?|\bllc\b|\bgmbh\b|\bb\.\s?v\.?|\bbv\b|\bs\.?a\.?r\.?l\.?\b|\bs\.a\.|\bag\b|\bplc\b|\bpty\b|\bpte\b|\bcorp\b\.?|\bcorporation\b|\blimited\b|\bs\.l\.|\bs\.p\.a\.|\bs\.r\.l\.|\bkg\b|\boy\b|\bab\b|\bkft\b|sp\. z o\.o\.|\bco\.,? ltd|\bk\.k\.|株式会社|\benterprises?\b|\btrading\b)",
    )
});

/// "Bill to" blocks: the customer, not the vendor.
pub static BILL_TO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(bill(ed)? to|invoice to|invoiced to|sold to|ship(ped)? to|deliver(ed)? to|customer|client\b|kunde|rechnungsempfänger|rechnungsadresse|lieferadresse|facturé à|adresse de facturation|cliente|facturar a|fatturato a|destinatario|factuur aan|klant|attention|attn)",
    )
});
