# ruff: noqa: E501, RUF001 - the strings are the data: email lines with real typography (dashes, signs)
"""Hand-written email templates: (id, label, split, sector, lang, subject, body).

[[a|b|c]] picks one alternative; {field} comes from make_receipt.Fields. Train and test templates
are written separately with their own wording; no template is used in both splits.
Labelling follows ../../shared/FINANCE-EVAL.md: receipts, order confirmations with a total and
invoices are "receipt"; shipping/delivery notices, card alerts, trip summaries that say they are not
a receipt, promotions, reminders, quotes, refunds, account mail and personal mail are "not_receipt".
"""

from __future__ import annotations

from typing import NamedTuple


class T(NamedTuple):
    id: str
    label: str
    split: str
    sector: str
    lang: str
    subject: str
    body: str


R, N = "receipt", "not_receipt"

TRAIN: list[T] = [
    # ------------------------------------------------------------------ receipts (train)
    T(
        "tr-order-conf-en",
        R,
        "train",
        "retail",
        "en",
        "[[Your|Your {vendor}]] order #{order} [[is confirmed|has been received|confirmation]]",
        """[[Hello|Hi|Dear]] {first},
[[Thank you for shopping with us.|Thanks for your order!|We've got your order.]] We'll send you [[a confirmation|an email]] when your [[items ship|package is on its way]].

Order #{order}
Placed on {date}

{items}

Subtotal: {subtotal}
Shipping: {shipping}
[[Tax|VAT|Estimated tax]]: {tax}
Order Total: {total}

Payment method: {brand} ending in {last4}
Shipping to: {full}, {street}, {city}

[[View or manage your order|Questions? Visit our Help Center]] at {domain}.""",
    ),
    T(
        "tr-store-receipt-en",
        R,
        "train",
        "retail",
        "en",
        "[[Your receipt from|Receipt for your purchase at|Thanks for shopping at]] {vendor}",
        """{VENDOR}
{street}, {city}
{date} {time}   Store {n3}  Register {n1}

{items}

SUBTOTAL {subtotal}
TAX {taxrate}% {tax}
TOTAL {total}

{brand} **** {last4}  APPROVED
Auth code {code6}

[[Keep this receipt for returns within 30 days.|Thank you for shopping with us!|Tell us how we did and get 10% off your next visit.]]""",
    ),
    T(
        "tr-order-conf-de",
        R,
        "train",
        "retail",
        "de",
        "[[Ihre Bestellung|Bestellbestätigung]] [[bei {vendor}|Nr. {order}]]",
        """[[Hallo|Guten Tag|Liebe/r]] {first},
vielen Dank für Ihre Bestellung bei {vendor}. [[Wir bearbeiten sie so schnell wie möglich.|Hier ist eine Übersicht.]]

Bestellnummer: {order}
Bestelldatum: {date}

{items}

Zwischensumme: {subtotal}
Versand: {shipping}
Gesamtsumme: {total}
(inkl. {taxrate} % MwSt. {tax})

Zahlungsart: [[PayPal|Kreditkarte {brand} **{last4}|Rechnung|Klarna Sofort]]
Lieferadresse: {full}, {street}, {city}""",
    ),
    T(
        "tr-order-conf-fr",
        R,
        "train",
        "retail",
        "fr",
        "[[Confirmation de votre commande|Votre commande]] n°{order}",
        """Bonjour {first},
Merci pour votre commande sur {domain} ! [[Nous la préparons avec soin.|Voici le récapitulatif.]]

Commande n°{order} du {date}

{items}

Sous-total : {subtotal}
Livraison : {shipping}
Total TTC : {total}
dont TVA ({taxrate} %) : {tax}

Payé par carte {brand} se terminant par {last4}.
Vous recevrez un e-mail dès l'expédition de votre colis.""",
    ),
    T(
        "tr-order-conf-nl",
        R,
        "train",
        "retail",
        "nl",
        "Bedankt voor je bestelling [[bij {vendor}|{order}]]",
        """Hoi {first},
Bedankt voor je bestelling! [[We gaan er direct mee aan de slag.|Hieronder vind je een overzicht.]]

Bestelnummer: {order}
Besteldatum: {date}

{items}

Subtotaal: {subtotal}
Verzendkosten: {shipping}
Totaal (incl. btw): {total}

Betaald met [[iDEAL|{brand}|Bancontact]].
Je ontvangt een e-mail zodra je pakket onderweg is.""",
    ),
    T(
        "tr-ride-receipt-en",
        R,
        "train",
        "ride",
        "en",
        "Your {weekday} [[morning|afternoon|evening|night]] trip with {vendor}",
        """[[Thanks for riding|Thanks for travelling with us|Here's your receipt]], {first}
We hope you enjoyed your ride this {weekday}.

Total {total}

{items}

[[Payments|Charged to]]
{brand} ••••{last4}   {date} {time}   {total}

{km} km | {mins} min
{pickup} → {dropoff}
Your driver: {driver}
[[Rate or tip your driver|Download PDF|Report lost item]]""",
    ),
    T(
        "tr-ride-receipt-de",
        R,
        "train",
        "ride",
        "de",
        "Deine Fahrt mit {vendor} am {date}",
        """Danke, dass du mit {vendor} gefahren bist, {first}!

Gesamtbetrag {total}

{items}

Bezahlt mit {brand} ****{last4}
{pickup} → {dropoff}, {km} km, {mins} Min.
Fahrer/in: {driver}

Die Rechnung des Fahrers findest du in der App unter „Fahrten“.""",
    ),
    T(
        "tr-food-receipt-en",
        R,
        "train",
        "food",
        "en",
        "[[Your order from {restaurant}|Receipt for your {vendor} order|Your {restaurant} order receipt]]",
        """[[Thanks for ordering|Enjoy your meal|Bon appétit]], {first}!
Here's your receipt from {restaurant}, delivered by {vendor}.

Order #{order} · {date} {time}

{items}

Subtotal {subtotal}
Total {total}
Charged to {brand} •••• {last4}

Delivered to {street}, {city}""",
    ),
    T(
        "tr-food-receipt-nl",
        R,
        "train",
        "food",
        "nl",
        "Je bestelling bij {restaurant} [[is bevestigd|- bon]]",
        """Hoi {first}, bedankt voor je bestelling via {vendor}!

Restaurant: {restaurant}
Bestelnummer: {order}
Datum: {date} {time}

{items}

Totaal: {total}
Betaald met [[iDEAL|PayPal|{brand}]]

Je eten wordt bezorgd op {street}, {city}.""",
    ),
    T(
        "tr-eticket-en",
        R,
        "train",
        "air",
        "en",
        "[[Your e-ticket receipt|E-ticket receipt and itinerary|Booking confirmation and receipt]] - {pnr}",
        """[[Dear|Hello]] {full},
Thank you for booking with {vendor}. [[This is your electronic ticket receipt.|Your payment has been received and your ticket is issued.]]

Booking reference: {pnr}
Ticket number: {ticketno}
Passenger: {full}

Flight {flight}  {date}  {from_city} ({from_code}) → {to_city} ({to_code})

{items}
Total amount charged: {total}
Form of payment: {brand} XXXX{last4}

Please carry a valid ID. Check-in opens 24 hours before departure.""",
    ),
    T(
        "tr-eticket-de",
        R,
        "train",
        "air",
        "de",
        "Ihre Buchungsbestätigung und Rechnung – {pnr}",
        """Sehr geehrte/r {full},
vielen Dank für Ihre Buchung bei {vendor}.

Buchungscode: {pnr}
Ticketnummer: {ticketno}
Flug {flight} am {date}: {from_city} – {to_city}

{items}
Gesamtpreis: {total}
Bezahlt mit {brand} ****{last4}

Diese E-Mail dient als Beleg für Ihre Zahlung.""",
    ),
    T(
        "tr-hotel-folio-en",
        R,
        "train",
        "hotel",
        "en",
        "[[Your folio|Your final bill|Receipt for your stay]] [[from|at]] {vendor} {city}",
        """Dear {full},
Thank you for staying with us. Please find your [[folio|final invoice]] below.

Confirmation: {order}
Arrival: {checkin}   Departure: {checkout}   Room {room}

{items}

Total charges: {total}
Payment ({brand} ****{last4}): -{total}
Balance due: {zero}

We look forward to welcoming you back.""",
    ),
    T(
        "tr-booking-conf-en",
        R,
        "train",
        "hotel",
        "en",
        "[[Booking confirmed|Your reservation is confirmed]]: {nights} nights in {city}",
        """Hi {first}, your [[booking|stay]] is confirmed!

{vendor} reservation {order}
Check-in: {checkin}
Check-out: {checkout}
Guests: 2 adults

Price for {nights} nights: {subtotal}
Taxes and fees: {tax}
Total: {total}
[[You paid {total} with {brand} ending {last4}.|Paid in full on {date}.]]

Free cancellation [[is no longer available|until 48 hours before check-in]].""",
    ),
    T(
        "tr-saas-receipt-en",
        R,
        "train",
        "saas",
        "en",
        "[[[{vendor}] Payment receipt|Your {vendor} receipt|Receipt #{inv} from {vendor}]]",
        """[[Hi|Hello]] {first},
[[We received your payment. Thanks!|Your payment was successful.|This is a receipt for your {vendor} subscription.]]

Receipt #{inv}
Date paid: {date}
Billing period: {period}

{items}

Amount paid: {total}
Payment method: {brand} - {last4}

[[Download invoice (PDF)|View your billing history]] · {domain}/billing""",
    ),
    T(
        "tr-saas-invoice-en",
        R,
        "train",
        "saas",
        "en",
        "[[Invoice|Your invoice]] {inv} [[is available|for {month}]]",
        """{vendor} Invoice {inv}
Invoice date: {date}
[[Due date: {date2}|Status: Paid]]

Bill to: {full}, {company}

{items}

Subtotal {subtotal}
VAT {taxrate}% {tax}
Total {total}

[[The amount will be charged to your card on file ending {last4}.|Thank you for your business.|Pay online at {domain}/pay.]]""",
    ),
    T(
        "tr-renewed-en",
        R,
        "train",
        "media",
        "en",
        "[[Your {vendor} subscription has been renewed|Your {vendor} membership receipt|Payment confirmation - {vendor}]]",
        """Hi {first},
[[Your subscription was renewed on {date}.|Thanks for being a member.]] We charged {total} to your {brand} ending in {last4}.

Plan: {plan}
Billing date: {date}
Next billing date: {date2}
Amount: {total} [[(incl. VAT)|]]

[[Manage your membership|Cancel anytime]] at {domain}/account.
Questions about this charge? Contact us at help@{domain}.""",
    ),
    T(
        "tr-renewed-es",
        R,
        "train",
        "media",
        "es",
        "Tu recibo de {vendor}",
        """Hola {first}:
Gracias por tu pago. [[Hemos renovado tu suscripción.|Este es el recibo de tu suscripción.]]

Plan: {plan}
Fecha del pago: {date}
Importe: {total} (IVA incluido)
Método de pago: {brand} ****{last4}
Próxima factura: {date2}

Puedes consultar tus recibos en {domain}/cuenta.""",
    ),
    T(
        "tr-games-receipt-en",
        R,
        "train",
        "games",
        "en",
        "[[Thank you for your {vendor} purchase!|Your {vendor} receipt|Purchase confirmation]]",
        """[[Dear|Hello]] {first},
Thank you for your recent [[transaction|purchase]] on {vendor}. The items below have been added to your account.

[[Order|Invoice|Transaction]] ID: {order}
Date: {date}

{items}

Subtotal: {subtotal}
[[VAT|Tax]]: {tax}
Total: {total}
Payment method: [[Wallet balance|{brand} ••{last4}|PayPal]]

This email serves as your receipt.""",
    ),
    T(
        "tr-utility-bill-en",
        R,
        "train",
        "utility",
        "en",
        "[[Your {vendor} bill is ready|Your {month} bill|Bill for account {acct}]]",
        """Hi {first},
Your [[latest bill|{month} bill]] is now [[available|ready to view]].

Account number: {acct}
Bill date: {date}
Amount due: {total}
Due date: {date2}

{items}

[[You're on autopay - we'll charge {total} to your account ending {last4} on {date2}.|Pay online, in the app or by direct debit.]]
[[View bill|See what's changed]] at {domain}""",
    ),
    T(
        "tr-utility-paid-en",
        R,
        "train",
        "utility",
        "en",
        "[[Payment received|Thanks for your payment|We've received your payment]]",
        """Hello {first},
Thank you. We received your payment of {total} on {date}.

Account: {acct}
Payment method: {brand} ending {last4}
Confirmation number: {code6}{n3}
Remaining balance: {zero}

This payment will appear on your statement as {VENDOR}.
{vendor} Customer Care""",
    ),
    T(
        "tr-utility-de",
        R,
        "train",
        "utility",
        "de",
        "Ihre Rechnung vom {date}",
        """Guten Tag {full},
Ihre aktuelle Rechnung steht im Kundenportal bereit.

Kundennummer: {acct}
Rechnungsnummer: {inv}
Rechnungsbetrag: {total}

{items}

Der Betrag wird am {date2} per SEPA-Lastschrift von Ihrem Konto ({iban}) abgebucht.
Mit freundlichen Grüßen
Ihr {vendor} Team""",
    ),
    T(
        "tr-square-receipt-en",
        R,
        "train",
        "local",
        "en",
        "Receipt from {vendor}",
        """{vendor}
{street}, {city}

{items}

Subtotal {subtotal}
Tax {tax}
Tip {tip}
Total {total}

{brand} {last4} (Contactless)  {date} at {time}
#{code6}

[[Powered by Square|Sent with SumUp|Receipts by Toast]]
[[Leave feedback for {vendor}|Add {vendor} to your favourites]]""",
    ),
    T(
        "tr-square-receipt-it",
        R,
        "train",
        "local",
        "it",
        "La tua ricevuta da {vendor}",
        """{vendor}
{street}, {city}

{items}

Totale {total}
di cui IVA {tax}
Pagato con {brand} ****{last4} il {date} alle {time}

Grazie e a presto!
Ricevuta n. {code6}""",
    ),
    T(
        "tr-freelance-invoice-en",
        R,
        "train",
        "services",
        "en",
        "[[Invoice {inv} from {vendor}|{vendor} - invoice {inv}|New invoice: {inv}]]",
        """Hi {first},
[[Please find attached invoice {inv} for the work completed|Attached is the invoice for last month's work|Thanks again for choosing {vendor}. Your invoice is below]].

Invoice no.: {inv}
Invoice date: {date}
Due: {date2}

{items}

Subtotal {subtotal}
Tax ({taxrate}%) {tax}
Amount due {total}

Bank transfer to {iban} or pay by card at {domain}/pay/{inv}.
Best regards,
{sender}""",
    ),
    T(
        "tr-invoice-fr",
        R,
        "train",
        "services",
        "fr",
        "Facture n°{inv} – {vendor}",
        """Bonjour {first},
Veuillez trouver ci-joint la facture n°{inv} du {date}.

{items}

Total HT : {subtotal}
TVA {taxrate} % : {tax}
Total TTC : {total}

Échéance : {date2}. Règlement par virement (IBAN {iban}).
Cordialement,
{sender}""",
    ),
    T(
        "tr-paypal-receipt-en",
        R,
        "train",
        "retail",
        "en",
        "[[Receipt for your payment to {vendor}|You paid {total} to {vendor}]]",
        """Hello {full},
You sent a payment of {total} to {vendor}.

It may take a few moments for this transaction to appear in your account.

Merchant: {vendor}
Transaction ID: {code6}{order}
Transaction date: {date}
Invoice ID: {inv}

{items}

Total {total}
Funding source: {brand} x-{last4}

Questions about this payment? Contact {vendor} at support@{domain}.""",
    ),
    T(
        "tr-tickets-en",
        R,
        "train",
        "events",
        "en",
        "[[Your tickets for {event}|Order confirmation: {event}|You're going to {event}!]]",
        """Hi {first}, [[you're in!|great news, your order is confirmed.]]

{event}
{venue}, {city}
{date2} · Doors {time}

Order #{order}
{items}

Total paid: {total}
Paid with {brand} ending {last4} on {date}

Your mobile tickets will be available in the app 48 hours before the event.""",
    ),
    T(
        "tr-fwd-receipt-en",
        R,
        "train",
        "retail",
        "en",
        "Fwd: [[Your receipt from {vendor}|Order confirmation #{order}|Your {vendor} order]]",
        """[[FYI - for the expense report.|Can you file this one?|For the records.]]
{sender_first}

---------- Forwarded message ---------
From: {vendor} <orders@{domain}>
Date: {date}
Subject: Your receipt from {vendor}
To: {sender_email}

Thank you for your purchase.
Order #{order}
{items}
Total charged: {total} ({brand} •{last4})""",
    ),
    T(
        "tr-preorder-en",
        R,
        "train",
        "retail",
        "en",
        "[[We've received your order|Order received]] #{order}",
        """Thanks, {first}! Your order has been [[received|placed]].

[[You will be charged when your items ship.|Payment is authorised and will be captured at dispatch.]]

Order number: {order}
Order date: {date}

{items}

Items: {subtotal}
Delivery: {shipping}
Order total: {total}

Estimated delivery: {date2}
{vendor} · {domain}""",
    ),
    T(
        "tr-carrental-en",
        R,
        "train",
        "car",
        "en",
        "Your rental receipt - agreement {order}",
        """Dear {full},
Thank you for renting with {vendor}. Your final rental receipt is below.

Rental agreement: {order}
Pick-up: {city}, {checkin}
Return: {city}, {checkout}
Vehicle: {car}

Time & mileage {subtotal}
Taxes & surcharges {tax}
Total charged {total}
Charged to {brand} ****{last4}""",
    ),
    T(
        "tr-cloud-usage-en",
        R,
        "train",
        "saas",
        "en",
        "[[Your {vendor} invoice for {month} {year}|Billing statement {month} {year} - paid]]",
        """Hello,
Your invoice for {month} {year} has been [[paid|charged successfully]].

Account: {company}
Invoice number: {inv}
Invoice date: {date}

{items}

Total: {total}
Charged to {brand} ending in {last4}.

[[You can download the PDF invoice from the billing dashboard.|Thank you for using {vendor}.]]""",
    ),
    T(
        "tr-receipt-es-retail",
        R,
        "train",
        "retail",
        "es",
        "[[Confirmación de tu pedido|Tu pedido]] {order}",
        """Hola {first}:
¡Gracias por tu compra en {vendor}! Estos son los detalles de tu pedido.

Pedido: {order}
Fecha: {date}

{items}

Subtotal: {subtotal}
Envío: {shipping}
Total (IVA incl.): {total}

Forma de pago: {brand} terminada en {last4}
Te avisaremos cuando lo enviemos.""",
    ),
    T(
        "tr-gym-receipt-en",
        R,
        "train",
        "fitness",
        "en",
        "[[Payment receipt|Your membership payment|Thanks for your payment]] - {vendor}",
        """Hi {first},
Thanks for your payment to {vendor}. Here are the details:

{items}

Amount: {total}
Date: {date}
Card: {brand} ending {last4}
Reference: {code6}

See you soon at {street}, {city}!""",
    ),
    # ------------------------------------------------------------------ not receipts (train)
    T(
        "tr-shipped-en",
        N,
        "train",
        "retail",
        "en",
        "[[Your {vendor} order #{order} has shipped|Shipped: {item1}|Your package is on its way]]",
        """[[Hello|Hi]] {first},
[[Good news! Your order is on its way.|Your package has shipped and is on the way.]]

Order #{order}
Carrier: {carrier}
Tracking number: {tracking}
Estimated delivery: {date2}

Items in this shipment:
{items_np}

Track your package at {domain}/track.
[[Need to make a return? You can start one from Your Orders.|Thanks for shopping with {vendor}.]]""",
    ),
    T(
        "tr-shipped-total-en",
        N,
        "train",
        "retail",
        "en",
        "[[Shipping confirmation|Dispatch notification]] for order {order}",
        """Hi {first},
The following items from your order {order} [[have been dispatched|have left our warehouse]] and are now with {carrier}.

{items}

Order total: {total}
Shipped to: {full}, {street}, {city}
Tracking: {tracking}

[[You'll receive another email when your package is delivered.|Please allow 24 hours for tracking to update.]]""",
    ),
    T(
        "tr-out-for-delivery-en",
        N,
        "train",
        "retail",
        "en",
        "[[Out for delivery|Arriving today]]: [[your {vendor} package|{item1}]]",
        """Hi {first},
Your package is out for delivery [[and should arrive today by {time}|today]].

Order #{order}
{items_np}

Delivery address: {street}, {city}
Carrier: {carrier} ({tracking})

[[Won't be home? Choose a safe place in the app.|Track on the map.]]""",
    ),
    T(
        "tr-delivered-en",
        N,
        "train",
        "retail",
        "en",
        "[[Delivered|Your package was delivered]]: [[order #{order}|{item1} and more]]",
        """{first}, your package was delivered.

Delivered: {date} {time}
Left at: [[front door|reception|mailroom|with a neighbour]]
Order #{order}

{items_np}

[[Not received? Let us know within 48 hours.|How was your delivery?]]
{vendor}""",
    ),
    T(
        "tr-carrier-de",
        N,
        "train",
        "carrier",
        "de",
        "[[Ihr Paket kommt heute|Ihre Sendung {tracking} ist unterwegs]]",
        """Hallo {first},
Ihre Sendung von [[{shop}|einem Onlinehändler]] ist [[heute in der Zustellung|unterwegs zu Ihnen]].

Sendungsnummer: {tracking}
Voraussichtliche Zustellung: {date2}, {time} – {time2}
Empfänger: {full}, {street}, {city}

Nicht zu Hause? Wählen Sie einen Ablageort oder eine Packstation.
Ihr {vendor} Team""",
    ),
    T(
        "tr-carrier-en",
        N,
        "train",
        "carrier",
        "en",
        "[[{vendor}: your parcel is on its way|{vendor} delivery update for {tracking}]]",
        """Hello {first},
Your parcel from {shop} is on its way.

Tracking number: {tracking}
Expected delivery: {date2}
Service: [[Express|Standard|Economy]]
Weight: {weight} kg

[[Manage your delivery|Change delivery date]] at {domain}/track?no={tracking}
This is an automated message, please do not reply.""",
    ),
    T(
        "tr-dispatch-fr",
        N,
        "train",
        "retail",
        "fr",
        "Votre commande n°{order} a été expédiée",
        """Bonjour {first},
Bonne nouvelle : votre commande a été expédiée !

Transporteur : {carrier}
Numéro de suivi : {tracking}
Livraison estimée : {date2}

Articles expédiés :
{items_np}

Suivez votre colis sur {domain}/suivi.""",
    ),
    T(
        "tr-dispatch-nl",
        N,
        "train",
        "retail",
        "nl",
        "Je pakket is onderweg [[| - bestelling {order}]]",
        """Hoi {first},
Goed nieuws: je bestelling {order} is verzonden met {carrier}.

Track & trace: {tracking}
Verwachte bezorging: {date2}

In dit pakket:
{items_np}

Niet thuis? Je pakket wordt bij de buren of een afhaalpunt bezorgd.""",
    ),
    T(
        "tr-card-alert-en",
        N,
        "train",
        "bank",
        "en",
        "[[You made a purchase of {total} at {merchant}|Card transaction alert|{bank} alert: {total} at {merchant}]]",
        """[[Hi|Hello]] {first},
You made a [[purchase|card payment]] of {total} at {merchant} on {date} at {time} with your {bank} card ending in {last4}.

[[If you made this purchase, no action is needed.|Don't recognise this? Lock your card in the app and call us.]]

Available balance: {balance}

To change your alert settings, log in to {bank} Online Banking.
This is a service message from {bank}.""",
    ),
    T(
        "tr-card-alert-de",
        N,
        "train",
        "bank",
        "de",
        "[[Kartenzahlung über {total}|Neue Umsatzbenachrichtigung]]",
        """Hallo {first},
mit Ihrer {bank} Karte (****{last4}) wurde am {date} um {time} eine Zahlung über {total} bei {merchant} getätigt.

Waren Sie das nicht? Sperren Sie Ihre Karte sofort in der App.

Kontostand: {balance}
Diese Benachrichtigung können Sie in den Einstellungen abbestellen.""",
    ),
    T(
        "tr-card-push-en",
        N,
        "train",
        "bank",
        "en",
        "[[{merchant}: -{total}|Payment of {total} approved]]",
        """{bank}
A payment of {total} to {merchant} was approved [[on your virtual card|using Apple Pay|on your debit card]] ••{last4}.

Date: {date}, {time}
Category: [[Shopping|Groceries|Restaurants|Transport|Entertainment]]

[[Split this bill with friends|Add a receipt photo to this transaction|Freeze card]] in the app.
You're receiving this because transaction notifications are on.""",
    ),
    T(
        "tr-trip-summary-en",
        N,
        "train",
        "ride",
        "en",
        "[[Your trip summary|Trip summary for your business profile|Your ride on {date}]]",
        """Hi {first},
Here's a summary of your trip on {date}.

{pickup} → {dropoff}
{km} km · {mins} min
Estimated fare: {total}

This is not a payment receipt. [[Your receipt will be sent separately once the trip is settled.|The final amount charged may differ.]]

Trip ID: {code6}-{order}
{vendor}""",
    ),
    T(
        "tr-trip-summary-de",
        N,
        "train",
        "ride",
        "de",
        "Fahrtzusammenfassung vom {date}",
        """Hallo {first},
hier ist die Zusammenfassung deiner Fahrt.

Start: {pickup}
Ziel: {dropoff}
Strecke: {km} km, {mins} Min.
Geschätzter Preis: {total}

Dies ist keine Zahlungsquittung. Die Quittung erhältst du nach Abschluss der Zahlung.
Dein {vendor} Team""",
    ),
    T(
        "tr-newsletter-en",
        N,
        "train",
        "retail",
        "en",
        "[[New arrivals are here|This week at {vendor}|Just dropped: the {season} collection]]",
        """[[View this email in your browser|Having trouble viewing? Open online]]

{VENDOR}
[[Fresh picks for you, {first}|New season, new favourites]]

{promo_items}

[[Free shipping on orders over {threshold}.|Members get early access.]]
[[Shop now|Discover more]] at {domain}

You are receiving this email because you signed up for {vendor} news. Unsubscribe | Preferences""",
    ),
    T(
        "tr-promo-en",
        N,
        "train",
        "retail",
        "en",
        "[[{pct}% off everything - this weekend only|Your exclusive code: {promocode}|Last chance: {pct}% off ends tonight]]",
        """{first}, [[it's on!|don't miss out.]]
Take {pct}% off [[everything|your next order|selected items]] with code {promocode}.

{promo_items}

Offer valid until {date2}. Cannot be combined with other offers.
[[Shop the sale|Use my code]] → {domain}/sale

{vendor} · {street}, {city} · Unsubscribe""",
    ),
    T(
        "tr-promo-de",
        N,
        "train",
        "retail",
        "de",
        "[[Nur heute: {pct} % Rabatt|Dein Gutschein ist da]]",
        """Hallo {first},
sichere dir jetzt {pct} % Rabatt auf [[ausgewählte Artikel|dein ganzes Sortiment]] mit dem Code {promocode}.

{promo_items}

Gültig bis {date2}. Keine Barauszahlung.
Jetzt shoppen auf {domain}

Du erhältst diesen Newsletter, weil du dich bei {vendor} angemeldet hast. Abmelden""",
    ),
    T(
        "tr-cart-en",
        N,
        "train",
        "retail",
        "en",
        "[[You left something in your cart|Still thinking it over?|Your cart is waiting]]",
        """Hi {first},
[[Looks like you left something behind.|Your cart misses you.]] The items below are still in your cart, but we can't hold them forever.

{items}

Cart subtotal: {subtotal}

[[Complete your purchase|Return to cart]] at {domain}/cart
[[Need help? Our team is here 24/7.|Free returns within 30 days.]]""",
    ),
    T(
        "tr-price-drop-en",
        N,
        "train",
        "retail",
        "en",
        "[[Price drop|Price alert]]: {item1} is now {new_price}",
        """Good news, {first}!
An item on your wishlist just dropped in price.

{item1}
Was {old_price} — now {new_price} ({pct}% off)

[[Prices can change at any time.|Only a few left in stock.]]
[[Buy now|View item]] at {domain}

You're receiving this because you turned on price alerts. Manage alerts""",
    ),
    T(
        "tr-back-in-stock-en",
        N,
        "train",
        "retail",
        "en",
        "[[Back in stock|It's back]]: {item1}",
        """Hi {first},
The item you asked us to watch is available again.

{item1} — {new_price}

Popular items sell out quickly, so don't wait too long.
Shop now at {domain}
{vendor}""",
    ),
    T(
        "tr-quote-en",
        N,
        "train",
        "services",
        "en",
        "[[Your quote|Estimate]] #{quote} from {vendor}",
        """Hi {first},
Thanks for [[getting in touch|having us out last week]]. As discussed, here is our [[quote|estimate]] for the work.

Quote #{quote}
Date: {date}
Valid until: {valid}

{items}

Estimated total: {total}

This is an estimate, not an invoice. Reply to accept and we'll schedule the job; a 30% deposit is due on booking.
{sender}, {vendor}""",
    ),
    T(
        "tr-quote-de",
        N,
        "train",
        "services",
        "de",
        "Angebot Nr. {quote}",
        """Sehr geehrte/r {full},
vielen Dank für Ihre Anfrage. Gerne unterbreiten wir Ihnen folgendes Angebot:

{items}

Angebotssumme (netto): {subtotal}
zzgl. {taxrate} % MwSt.: {tax}
Gesamt: {total}

Dieses Angebot ist gültig bis {valid}. Bitte bestätigen Sie den Auftrag schriftlich.
Mit freundlichen Grüßen, {sender}""",
    ),
    T(
        "tr-refund-en",
        N,
        "train",
        "retail",
        "en",
        "[[We're processing your refund|Your return has been received|Refund initiated for order {order}]]",
        """Hi {first},
We've received your return for order {order}. Your refund of {total} is [[being processed|on its way]].

Returned item(s):
{items_np}

Refunds usually take 5–10 business days to appear on your {brand} ending {last4}, depending on your bank.
[[Track your return|Return policy]] at {domain}""",
    ),
    T(
        "tr-renew-reminder-en",
        N,
        "train",
        "media",
        "en",
        "[[Your {vendor} subscription renews soon|Upcoming renewal on {date2}|Heads up: your plan renews in 7 days]]",
        """Hi {first},
Just a reminder that your {plan} plan will renew automatically on {date2}.

You will be charged {total} to your {brand} ending in {last4}.

[[No action is needed if you'd like to keep your plan.|Want to change or cancel? You can do so any time before the renewal date.]]
Manage subscription: {domain}/account""",
    ),
    T(
        "tr-payment-failed-en",
        N,
        "train",
        "saas",
        "en",
        "[[Payment failed|Action required: update your payment method|We couldn't process your payment]]",
        """Hi {first},
We tried to charge {total} for your {vendor} {plan} plan, but the payment [[was declined|failed]].

Card: {brand} ending {last4}
Reason: [[insufficient funds|card expired|authentication required]]

Please update your payment details by {date2} to avoid interruption of service.
Update billing: {domain}/billing""",
    ),
    T(
        "tr-checkin-en",
        N,
        "train",
        "air",
        "en",
        "[[Check in now for your flight to {to_city}|It's time to check in]] - {pnr}",
        """Dear {full},
Online check-in is now open for your flight.

{flight}  {from_city} ({from_code}) → {to_city} ({to_code})
Departure: {date2} {time}
Booking reference: {pnr}

[[Check in and choose your seat|Get your boarding pass]] at {domain}/checkin.
Baggage allowance: 1 × 23 kg. Please arrive at the airport at least 2 hours before departure.""",
    ),
    T(
        "tr-flight-change-en",
        N,
        "train",
        "air",
        "en",
        "Important: schedule change to your booking {pnr}",
        """Dear {full},
We're sorry to let you know that your flight has been rescheduled.

New departure: {flight} on {date2} at {time}
Route: {from_city} → {to_city}

If the new time does not suit you, you can change your flight free of charge or request a refund in Manage Booking.
{vendor} Customer Service""",
    ),
    T(
        "tr-prearrival-en",
        N,
        "train",
        "hotel",
        "en",
        "[[Your stay at {vendor} {city} is coming up|Get ready for your trip to {city}]]",
        """Hi {first},
We're looking forward to welcoming you on {checkin}.

Reservation {order}
Check-in from 15:00 · Check-out until 11:00
Nights: {nights}

[[Add breakfast for {breakfast} per person|Upgrade your room from {upgrade}/night]] — book in advance and save.
Need a parking space or an airport transfer? Reply to this email.""",
    ),
    T(
        "tr-rate-order-en",
        N,
        "train",
        "food",
        "en",
        "[[How was {restaurant}?|Rate your order from {restaurant}|Tell us about your delivery]]",
        """Hi {first},
How was your order from {restaurant}? Your feedback helps restaurants and couriers improve.

★★★★★  Tap to rate

[[Order again in one tap|Reorder your favourites]]
Use code {promocode} for {pct}% off your next order over {threshold}.

{vendor}""",
    ),
    T(
        "tr-statement-en",
        N,
        "train",
        "bank",
        "en",
        "[[Your {month} statement is ready|Your {bank} e-statement is available]]",
        """Hello {first},
Your statement for the account ending {last4} is now available to view online.

Statement period: {period}
Statement balance: {balance}
Minimum payment due: {minpay} by {date2}

Log in to {bank} Online Banking to view or download your statement.
Please do not reply to this email.""",
    ),
    T(
        "tr-password-en",
        N,
        "train",
        "retail",
        "en",
        "[[Reset your password|Password reset request|Your {vendor} password]]",
        """Hi {first},
We received a request to reset the password for your {vendor} account ({sender_email}).

[[Click the link below to choose a new password.|Use the button below to set a new password.]]
{domain}/reset?token={code6}{order}

This link expires in 30 minutes. If you didn't request this, you can ignore this email; your password won't change.""",
    ),
    T(
        "tr-signin-en",
        N,
        "train",
        "saas",
        "en",
        "[[New sign-in to your {vendor} account|Security alert]]",
        """Hi {first},
We noticed a new sign-in to your {vendor} account.

Device: [[Chrome on Windows|Safari on iPhone|Firefox on Linux]]
Location: {city}
Time: {date} {time}

If this was you, you don't need to do anything. If not, secure your account at {domain}/security.""",
    ),
    T(
        "tr-personal-en",
        N,
        "train",
        "people",
        "en",
        "[[Re: dinner on {weekday}|Re: cabin weekend|money for the concert tickets|Re: birthday present for Mum]]",
        """Hey {first},
[[Thanks again for organising!|That was such a fun evening.]] I paid {total} for [[the table|the cabin|the tickets|the present]] so it's {half} each.
[[Can you send it when you get a chance?|No rush, whenever suits you.]] My IBAN is {iban}, or just PayPal me.

Also, are we still on for {weekday2}? [[I can bring the board games.|Let me know if you want me to book.]]

Cheers,
{sender_first}""",
    ),
    T(
        "tr-personal-de",
        N,
        "train",
        "people",
        "de",
        "[[Geld für den Urlaub|Re: Wohnungsnebenkosten]]",
        """Hi {first},
ich hab die [[Ferienwohnung|Nebenkostenabrechnung]] jetzt bezahlt, das waren {total}. Dein Anteil wäre {half}.
Überweis es einfach, wenn es passt – {iban}.

Wegen {weekday2}: Ich kann erst ab 18 Uhr. Passt das?

Liebe Grüße
{sender_first}""",
    ),
    T(
        "tr-calendar-en",
        N,
        "train",
        "people",
        "en",
        "Invitation: [[Budget review|Q{q} planning|Expense policy walkthrough|Vendor call]] @ {date2} {time} ({sender_email})",
        """{sender} has invited you to [[Budget review|Q{q} planning|Expense policy walkthrough|Vendor call]]

When: {date2} {time} – {time2} (CET)
Where: [[Room 3.14|Google Meet|Zoom]]
Joining info: meet.example.com/{code6}

Agenda: go through the {month} receipts and travel costs, approve the open invoices.

Going? Yes - Maybe - No
Invitation from Google Calendar. You are receiving this email because you are an attendee on the event.""",
    ),
    T(
        "tr-list-en",
        N,
        "train",
        "lists",
        "en",
        "[{vendor}] {topic}",
        """On {date}, {sender} wrote:
> Has anyone measured this on the new release?

I ran it on a 2-core box and the numbers were within noise of the old build.
The hosting for the CI runners costs about {total} a month, which [[the project can't sustain|is covered by the sponsor until {month}]].
[[Patch attached.|Happy to review if someone sends a patch.]]

--
{sender_first}
_______________________________________________
{vendor} mailing list
{vendor}@lists.example.org
https://lists.example.org/mailman/listinfo/{vendor}""",
    ),
    T(
        "tr-points-en",
        N,
        "train",
        "retail",
        "en",
        "[[Your points balance|You earned {points} points|Your {month} rewards summary]]",
        """Hi {first},
[[Thanks for being a {vendor} member!|Here's your rewards update.]]

Points earned this month: {points}
Total balance: {points2} points
Rewards available: [[{threshold} voucher|free delivery on your next order]]

[[Redeem your points at checkout.|Points expire 12 months after they are earned.]]
{domain}/rewards""",
    ),
    T(
        "tr-cancelled-en",
        N,
        "train",
        "retail",
        "en",
        "[[Your order {order} has been cancelled|Order cancellation confirmed]]",
        """Hi {first},
As requested, your order {order} has been cancelled. [[You have not been charged.|Any payment authorisation will be released by your bank.]]

Cancelled items:
{items_np}

We hope to see you again soon.
{vendor} Customer Service""",
    ),
    T(
        "tr-card-alert-it",
        N,
        "train",
        "bank",
        "it",
        "[[Pagamento con carta di {total}|Avviso movimento carta]]",
        """Gentile {first},
ti informiamo che è stato effettuato un pagamento di {total} presso {merchant} con la carta {bank} che termina con {last4}, il {date} alle {time}.

Se non riconosci l'operazione, blocca subito la carta dall'app o chiama il numero verde.

Saldo disponibile: {balance}
Questo è un messaggio automatico, non rispondere.""",
    ),
    T(
        "tr-shipped-es",
        N,
        "train",
        "retail",
        "es",
        "[[Tu pedido {order} ha sido enviado|Tu paquete está en camino]]",
        """Hola {first}:
¡Buenas noticias! Tu pedido ya está en camino con {carrier}.

Número de seguimiento: {tracking}
Entrega estimada: {date2}

Artículos enviados:
{items_np}

Puedes seguir tu envío en {domain}/seguimiento.
Gracias por comprar en {vendor}.""",
    ),
    T(
        "tr-promo-es",
        N,
        "train",
        "retail",
        "es",
        "[[Rebajas: hasta -{pct}%|Solo este fin de semana: {pct}% de descuento]]",
        """Hola {first}:
Aprovecha hasta un {pct}% de descuento en [[toda la tienda|una selección de artículos]] con el código {promocode}.

{promo_items}

Válido hasta el {date2}. Envío gratis a partir de {threshold}.
Compra ya en {domain}

Recibes este correo porque estás suscrito al boletín de {vendor}. Darse de baja""",
    ),
    T(
        "tr-shipped-it",
        N,
        "train",
        "retail",
        "it",
        "Il tuo ordine {order} è stato spedito",
        """Ciao {first},
il tuo ordine è stato affidato a {carrier} ed è in viaggio.

Numero di tracciamento: {tracking}
Consegna prevista: {date2}

Contenuto della spedizione:
{items_np}

Segui la spedizione su {domain}.
Il team di {vendor}""",
    ),
    T(
        "tr-cart-nl",
        N,
        "train",
        "retail",
        "nl",
        "[[Je winkelwagen wacht op je|Vergeet je iets?]]",
        """Hoi {first},
Je hebt nog artikelen in je winkelwagen staan. Bestel snel, want de voorraad is beperkt.

{items}

Subtotaal: {subtotal}

Ga verder met afrekenen op {domain}/winkelwagen.
Gratis verzending vanaf {threshold}.""",
    ),
    T(
        "tr-card-alert-fr",
        N,
        "train",
        "bank",
        "fr",
        "[[Paiement par carte de {total}|Alerte opération carte]]",
        """Bonjour {first},
Un paiement de {total} a été effectué chez {merchant} avec votre carte {bank} se terminant par {last4}, le {date} à {time}.

Vous n'êtes pas à l'origine de cette opération ? Faites opposition depuis votre application.

Solde disponible : {balance}
Ceci est un message automatique, merci de ne pas y répondre.""",
    ),
    T(
        "tr-promo-fr",
        N,
        "train",
        "retail",
        "fr",
        "[[Jusqu'à -{pct} % sur une sélection|Votre code promo {promocode}|Derniers jours : -{pct} %]]",
        """Bonjour {first},
Profitez de -{pct} % sur [[tout le site|une sélection d'articles]] avec le code {promocode}.

{promo_items}

Offre valable jusqu'au {date2}. Livraison offerte dès {threshold} d'achat.
J'en profite sur {domain}

Vous recevez cet e-mail car vous êtes inscrit à la newsletter {vendor}. Se désinscrire""",
    ),
]

TEST: list[T] = [
    # ------------------------------------------------------------------ receipts (test)
    T(
        "te-purchase-summary-en",
        R,
        "test",
        "retail",
        "en",
        "[[Thanks for your purchase, {first}!|{vendor}: purchase summary {order}]]",
        """[[Your purchase is complete.|We appreciate your business.]] Keep this email for your records.

PURCHASE SUMMARY
Reference {order} — {date}

{items_tbl}

Merchandise {subtotal}
Delivery {shipping}
Sales tax {tax}
Grand total {total}

Billed to {brand} •••• {last4}
{vendor} · {domain}/orders""",
    ),
    T(
        "te-bestellung-de",
        R,
        "test",
        "retail",
        "de",
        "Danke für Ihren Einkauf – Auftrag {order}",
        """Guten Tag {full},
wir haben Ihren Auftrag erhalten und die Zahlung verbucht.

Auftragsnummer {order} vom {date}

{items_tbl}

Warenwert {subtotal}
Versandkosten {shipping}
Rechnungsbetrag {total}
enthaltene USt. {tax}

Bezahlt per {brand} (Endziffern {last4}). Ihre Rechnung finden Sie im Kundenkonto.""",
    ),
    T(
        "te-ricevuta-it",
        R,
        "test",
        "retail",
        "it",
        "Grazie per il tuo ordine n. {order}",
        """Ciao {first},
abbiamo ricevuto il tuo ordine e il pagamento è andato a buon fine.

Ordine n. {order} del {date}

{items_tbl}

Subtotale {subtotal}
Spedizione {shipping}
Totale pagato {total}
IVA inclusa {tax}

Metodo di pagamento: {brand} **** {last4}
{vendor}""",
    ),
    T(
        "te-ride-en",
        R,
        "test",
        "ride",
        "en",
        "[[Ride receipt|Receipt: ride to {dropoff}]] · {date}",
        """{vendor}
[[Thanks for the ride, {first}.|Hope you had a smooth ride.]]

Ride total {total}

{items_tbl}

{brand} *{last4} was charged {total} on {date}.
From {pickup} to {dropoff} ({mins} min, {km} km). Driver {driver}, {car}.

[[Add a tip|Report an issue with this charge]]""",
    ),
    T(
        "te-food-es",
        R,
        "test",
        "food",
        "es",
        "Recibo de tu pedido en {restaurant}",
        """¡Hola {first}! Gracias por pedir con {vendor}.

Pedido {order} · {date} {time}
Restaurante: {restaurant}

{items_tbl}

Total cobrado: {total}
Tarjeta {brand} ****{last4}

Entregado en {street}, {city}.""",
    ),
    T(
        "te-itinerary-receipt-en",
        R,
        "test",
        "air",
        "en",
        "Travel receipt for {full} ({pnr})",
        """PASSENGER RECEIPT — {vendor}

Record locator {pnr} · Ticket {ticketno}
{from_code}-{to_code} {flight} on {date}

Fare breakdown
{items_tbl}
Total paid {total}

Payment: {brand} ending {last4}, authorised {date}
[[Fare rules: non-refundable, changes permitted for a fee.|This receipt is valid for expense purposes.]]""",
    ),
    T(
        "te-hotel-invoice-fr",
        R,
        "test",
        "hotel",
        "fr",
        "Votre facture de séjour – {vendor} {city}",
        """Madame, Monsieur {full},
Merci d'avoir séjourné chez nous. Voici la facture de votre séjour du {checkin} au {checkout}.

Facture n° {inv}

{items_tbl}

Total TTC {total}
Réglé par {brand} **** {last4}
Solde {zero}

À bientôt !""",
    ),
    T(
        "te-saas-charge-en",
        R,
        "test",
        "saas",
        "en",
        "[[{vendor} charged your card|Successful charge for {vendor} {plan}]]",
        """[[Thanks for building with {vendor}.|Your {plan} plan is active.]]

We charged {brand} •{last4} {total} on {date}.

Invoice {inv}
Service period {period}

{items_tbl}

Total {total}
Tax ID on file: {taxid}

Need a copy for accounting? Download the PDF from Settings → Billing.""",
    ),
    T(
        "te-membership-nl",
        R,
        "test",
        "media",
        "nl",
        "Betalingsbevestiging {vendor}",
        """Hoi {first},
We hebben je betaling ontvangen. Bedankt!

Abonnement: {plan}
Bedrag: {total}
Betaaldatum: {date}
Betaalmethode: {brand} •••• {last4}
Volgende betaling: {date2}

Je facturen vind je altijd terug in je account op {domain}.""",
    ),
    T(
        "te-games-en",
        R,
        "test",
        "games",
        "en",
        "Order {order}: [[your purchase is ready|thanks for buying]]",
        """Hey {first},
Your purchase is complete and ready to [[play|download]].

{items_tbl}

Total {total} [[(taxes included)|]]
Paid via [[{brand} *{last4}|store credit|PayPal]] on {date}

Order number {order}. Keep this email as proof of purchase.""",
    ),
    T(
        "te-telecom-invoice-en",
        R,
        "test",
        "utility",
        "en",
        "Statement of charges for {month} - account {acct}",
        """{VENDOR}
Dear customer, your charges for {period} are shown below.

{items_tbl}

Total charges this period {total}
Payment due by {date2}
[[Direct debit will be taken from your account on or after {date2}.|Pay by card in My Account.]]

Account {acct} · Invoice {inv}""",
    ),
    T(
        "te-cafe-receipt-en",
        R,
        "test",
        "local",
        "en",
        "[[{vendor} - your e-receipt|Digital receipt from {vendor}]]",
        """{vendor} · {street}, {city}

Order {n3} · {date} {time}

{items_tbl}

Sub {subtotal}
Tax {tax}
Gratuity {tip}
Paid {total} [[{brand} ••{last4}|contactless ••{last4}]]

Thanks for stopping by! [[Loyalty stamps: {n1}/10|See you tomorrow?]]""",
    ),
    T(
        "te-contractor-invoice-en",
        R,
        "test",
        "services",
        "en",
        "[[Bill for services - {vendor}|{vendor}: invoice #{inv} attached]]",
        """Dear {full},
Thank you for your business. Below is a summary of the attached bill for the work carried out at {street}.

Bill #{inv} issued {date}
Payment terms: net 14 (by {date2})

{items_tbl}

Balance due {total}

We accept bank transfer ({iban}) and card payments.
Kind regards, {sender}""",
    ),
    T(
        "te-tickets-de",
        R,
        "test",
        "events",
        "de",
        "Deine Tickets: {event}",
        """Hallo {first},
vielen Dank für deine Bestellung! Hier sind die Details.

{event} – {venue}, {city}
Datum: {date2}, Einlass {time}

Bestellnummer {order}
{items_tbl}

Gesamt bezahlt: {total} ({brand} ****{last4})

Deine E-Tickets findest du im Anhang.""",
    ),
    T(
        "te-fwd-invoice-en",
        R,
        "test",
        "saas",
        "en",
        "FW: {vendor} invoice {inv}",
        """[[Please reimburse, thanks.|Adding to this month's expenses.]]

-----Original Message-----
From: billing@{domain}
Sent: {date}
Subject: {vendor} invoice {inv}

Your invoice {inv} has been paid.
{items_tbl}
Amount {total}, paid by {brand} ending {last4}.""",
    ),
    # ------------------------------------------------------------------ not receipts (test)
    T(
        "te-in-transit-en",
        N,
        "test",
        "retail",
        "en",
        "[[Your order is in transit|On the move: order {order}|We've handed your parcel to {carrier}]]",
        """Hi {first},
Your parcel left our [[fulfilment centre|warehouse]] [[this morning|today]] and is in transit with {carrier}.

Reference {order}
Tracking ID {tracking}
Expected {date2}

What's inside:
{items_np}

[[Follow it live|See delivery options]] on {domain}.""",
    ),
    T(
        "te-dispatched-total-en",
        N,
        "test",
        "retail",
        "en",
        "[[Good news - order {order} is on the way|Your items have been dispatched]]",
        """Hello {first},
Part of your order has been packed and handed to {carrier}. [[The rest will follow shortly.|Everything is in one parcel.]]

{items_tbl}

Order value {total}
Track with {tracking} (updates may take a few hours).

Delivery to {street}, {city}.""",
    ),
    T(
        "te-zugestellt-de",
        N,
        "test",
        "retail",
        "de",
        "Ihre Bestellung {order} wurde zugestellt",
        """Hallo {first},
Ihre Sendung wurde am {date} um {time} zugestellt ([[Briefkasten|Nachbar|Haustür]]).

Bestellung {order}
{items_np}

Nicht erhalten? Melden Sie sich innerhalb von 7 Tagen bei uns.
Ihr {vendor} Kundenservice""",
    ),
    T(
        "te-livraison-fr",
        N,
        "test",
        "carrier",
        "fr",
        "Votre colis {tracking} sera livré [[demain|aujourd'hui]]",
        """Bonjour {first},
Votre colis en provenance de {shop} sera livré [[demain|aujourd'hui]] entre {time} et {time2}.

N° de colis : {tracking}
Adresse : {street}, {city}

Absent ? Modifiez la livraison ou choisissez un point relais sur {domain}.""",
    ),
    T(
        "te-bank-alert-en",
        N,
        "test",
        "bank",
        "en",
        "[[Transaction notice|Debit card used]] - {merchant}",
        """{bank} Transaction Notice

A charge of {total} was made on your card ending {last4}.
Merchant: {merchant}
When: {date} {time}

[[Was this you? Reply Y or N.|Not you? Call the number on the back of your card.]]
Your current balance is {balance}. Manage notifications in the {bank} app.""",
    ),
    T(
        "te-bank-alert-es",
        N,
        "test",
        "bank",
        "es",
        "Compra con tarjeta: {total} en {merchant}",
        """Hola {first}:
Se ha realizado una compra de {total} en {merchant} con tu tarjeta terminada en {last4} el {date} a las {time}.

Si no reconoces esta operación, bloquea tu tarjeta desde la app.

Saldo disponible: {balance}
{bank}""",
    ),
    T(
        "te-ride-summary-en",
        N,
        "test",
        "ride",
        "en",
        "[[Trip details|Your ride details]] ({date})",
        """{first}, here are the details of your recent ride.

Pickup {pickup}
Drop-off {dropoff}
Duration {mins} min

Fare estimate {total}
Please note: this email is not a receipt. [[A receipt will follow after payment is processed.|Final charges appear on your receipt.]]

{vendor}""",
    ),
    T(
        "te-sale-en",
        N,
        "test",
        "retail",
        "en",
        "[[Members' sale starts now|Up to {pct}% off - 48 hours only|Our biggest sale of the year]]",
        """[[Open in browser|Trouble viewing? Click here]]

{vendor} [[SALE|EVENT]]
Up to {pct}% off {season} favourites, {first}.

{promo_items}

[[Ends {date2}.|While stocks last.]] Prices as marked online.
Shop the sale at {domain}

Sent to {sender_email}. Unsubscribe · Privacy policy""",
    ),
    T(
        "te-wishlist-en",
        N,
        "test",
        "retail",
        "en",
        "[[Items in your bag are selling fast|Don't forget your bag]]",
        """{first}, your bag is still here.

{items_tbl}

Bag total {subtotal}

Checkout in a few taps: {domain}/bag
We'll hold these items for 24 hours.""",
    ),
    T(
        "te-estimate-en",
        N,
        "test",
        "services",
        "en",
        "[[Proposal|Cost estimate]] for {street} - ref {quote}",
        """Hello {first},
Following our site visit, please see our proposed pricing below. Nothing is payable yet.

Ref {quote} · prepared {date} · valid for 30 days

{items_tbl}

Proposed total {total}

If you'd like to go ahead, reply "approved" and we will send a booking confirmation and deposit invoice.
{sender}""",
    ),
    T(
        "te-renewal-notice-en",
        N,
        "test",
        "media",
        "en",
        "[[Reminder: {vendor} renews on {date2}|Your free trial ends soon]]",
        """Hi {first},
Your {plan} [[membership|trial]] ends on {date2}. After that, we'll bill {total} each [[month|year]] unless you cancel.

Payment method on file: {brand} ••{last4}

Change plans or cancel at {domain}/settings.
{vendor}""",
    ),
    T(
        "te-refund-de",
        N,
        "test",
        "retail",
        "de",
        "Rücksendung erhalten – Erstattung in Bearbeitung",
        """Hallo {first},
wir haben Ihre Rücksendung zu Bestellung {order} erhalten. Der Betrag von {total} wird Ihnen innerhalb von 14 Tagen erstattet.

Zurückgesendet:
{items_np}

Die Gutschrift erfolgt auf das ursprüngliche Zahlungsmittel.
{vendor}""",
    ),
    T(
        "te-verify-email-en",
        N,
        "test",
        "saas",
        "en",
        "[[Verify your email address|Confirm your {vendor} account]]",
        """Welcome to {vendor}, {first}!
Please confirm that {sender_email} is your email address.

Verification code: {code6}

[[The code expires in 10 minutes.|If you didn't create an account, ignore this email.]]
{domain}""",
    ),
    T(
        "te-personal-en",
        N,
        "test",
        "people",
        "en",
        "[[Splitting the holiday flat|Re: gas money|Quick one about the rent]]",
        """Hi {first},
[[Finally sorted the booking.|Just did the maths.]] Total came to {total}, so your share is {half}.
Send it whenever, no stress — [[Venmo or bank transfer both fine.|same account as last time.]]

How's the new job going? [[We should grab a coffee next week.|Tell me everything on {weekday2}.]]

x {sender_first}""",
    ),
    T(
        "te-calendar-en",
        N,
        "test",
        "people",
        "en",
        "Updated invitation: [[Receipts cleanup|Finance sync|Travel budget]] ({date2})",
        """This event has been changed.

[[Receipts cleanup|Finance sync|Travel budget]]
{date2} {time} – {time2}
Organizer: {sender}
Guests: {sender_email}, {first}

Notes: bring the {month} card statement; we need to reconcile about {total} of open items.

Reply for {sender_email}: Yes · No · Maybe""",
    ),
    T(
        "te-list-en",
        N,
        "test",
        "lists",
        "en",
        "Re: [{vendor}] {topic}",
        """{sender} wrote on {date}:
>> any update on this?

Not yet. The mirror sponsor quoted us {total} per year for the extra storage, which we're discussing on the board list.

--
Sent via the {vendor} mailing list
To unsubscribe: {vendor}-unsubscribe@lists.example.net
Archives: https://lists.example.net/{vendor}/""",
    ),
    T(
        "te-boarding-en",
        N,
        "test",
        "air",
        "en",
        "[[Your boarding pass|Ready to fly to {to_city}?]] - {flight}",
        """Hello {first},
You're checked in. Your boarding pass is attached.

{flight}: {from_code} {time} → {to_code}
Date {date2} · Gate closes 20 minutes before departure
Seat {seat}

Have a good flight!
{vendor}""",
    ),
    T(
        "te-hotel-review-en",
        N,
        "test",
        "hotel",
        "en",
        "How was your stay in {city}?",
        """Hi {first},
Thanks for choosing {vendor} for your trip to {city}. Tell us how it went — it only takes 2 minutes.

[[Rate your stay|Write a review]]

Planning your next trip? Members save up to {pct}% on selected hotels.
{domain}""",
    ),
    T(
        "te-bezorgd-nl",
        N,
        "test",
        "retail",
        "nl",
        "Je pakket is bezorgd",
        """Hoi {first},
Je pakket met bestelnummer {order} is op {date} om {time} bezorgd[[ bij de buren| in je brievenbus|]].

{items_np}

Niet ontvangen? Neem binnen 3 dagen contact met ons op via {domain}/klantenservice.
Groeten, {vendor}""",
    ),
    T(
        "te-promo-it",
        N,
        "test",
        "retail",
        "it",
        "[[Saldi fino al {pct}%|Offerta riservata a te, {first}]]",
        """Ciao {first},
solo per pochi giorni: sconti fino al {pct}% su [[tutto il catalogo|i prodotti più amati]].

{promo_items}

Usa il codice {promocode} entro il {date2}.
Scopri le offerte su {domain}

Ricevi questa email perché sei iscritto alla newsletter di {vendor}. Disiscriviti""",
    ),
    T(
        "te-minimal-receipt-en",
        R,
        "test",
        "games",
        "en",
        "[[Your receipt|Receipt]] [[#{order}|from {vendor}]]",
        """{vendor}
[[Billed to {sender_email}|Account {sender_email}]]   {date}

{items_tbl}

TOTAL {total}
[[{brand} •••• {last4}|Store balance]]

Order ID {order} · Document {inv}
[[Report a problem|Privacy]] · {domain}""",
    ),
    T(
        "te-spending-digest-en",
        N,
        "test",
        "bank",
        "en",
        "[[Your weekly spending summary|You spent {total} this week]]",
        """Hi {first}, here's where your money went this week.

Top merchants
{merchant} ........ {half}
{shop} ........ {tip}

Total card spending: {total}
[[That's {pct}% less than last week.|You're on track with your budget.]]

Open the {bank} app to see all transactions and set budgets.""",
    ),
    T(
        "te-payment-request-en",
        N,
        "test",
        "people",
        "en",
        "{sender_first} requested {half}",
        """{sender} sent you a request for {half}.

Note: "[[pizza and drinks on Friday|concert tickets|your half of the taxi]]"

[[Pay now|Decline]] in the app. Requests expire after 30 days.
This is not a receipt. You will get a confirmation once you pay.

Questions? Visit the Help Center.""",
    ),
    T(
        "te-order-tracking-en",
        R,
        "test",
        "retail",
        "en",
        "[[Order placed|We got it! Order {order}]]",
        """Hi {first},
[[Your order is placed and paid.|Payment received - your order is placed.]] Track your order any time in the app; we'll email you a tracking link as soon as it ships.

{items_tbl}

Items {subtotal}
Shipping & handling {shipping}
Tax {tax}
Charged today {total}

Arriving {date2} at {street}, {city}
Card {brand} •{last4}""",
    ),
    T(
        "te-shipment-breakdown-en",
        N,
        "test",
        "retail",
        "en",
        "[[Shipment {n3} of your order is on the way|A shipment from your order {order} has left]]",
        """Hello {first},
This shipment from order {order} is now on its way with {carrier} ({tracking}). It will arrive {date2}.

Shipment details
{items_tbl}

Item subtotal {subtotal}
Shipment total {total}
[[Your receipt was sent when you placed the order.|You were charged when you placed the order; this is a delivery update only.]]

Track package: {domain}/track/{tracking}""",
    ),
]
