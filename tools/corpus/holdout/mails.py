"""Mails that trip extractors: forwarded receipts (Gmail, Outlook and Apple Mail styles), a
ride with a tip added after the trip, an airline booking paid with points plus a card, a
marketplace whose notification sender is not the seller, receipts sent through payment
processors, an expense mail whose only receipt is a phone photo, order confirmations in
German and French; and the look-alikes: a shipping notice that repeats the order total, a
bank's card alert, a trip summary that says it is no receipt, a newsletter with prices, a
payment reminder, a personal note about money.

Built with the standard library's `email` package (not the generator's MIME writer).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from corpus.holdout import camera, tills

ME = ("Alex Morgan", "alex.morgan@example.net")


@dataclass
class Mail:
    msg: EmailMessage
    receipt: bool
    vendor: str | None = None
    total: Decimal | None = None
    currency: str | None = None
    day: dt.date | None = None
    borderline: bool = False
    lang: str = "en"
    features: list[str] = field(default_factory=list)


def _msg(
    sender: tuple[str, str],
    subject: str,
    sent: dt.datetime,
    text: str,
    rows: list[tuple[str, str]] | None = None,
) -> EmailMessage:
    """A message with a text part and, when `rows` are given, an HTML part with them as a table."""
    m = EmailMessage()
    m["From"] = email.utils.formataddr(sender)
    m["To"] = email.utils.formataddr(ME)
    m["Subject"] = subject
    m["Date"] = email.utils.format_datetime(sent)
    m.set_content(text)
    if rows is not None:
        cells = "".join(
            f'<tr><td style="padding:4px 0">{html.escape(a)}</td><td align="right">{html.escape(b)}</td></tr>'
            for a, b in rows
        )
        m.add_alternative(
            '<!DOCTYPE html><html><body style="font-family:Arial"><table width="100%">'
            f"{cells}</table></body></html>",
            subtype="html",
        )
    return m


def _sent(rng: random.Random) -> dt.datetime:
    base = dt.datetime(2022, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 900))
    return base.astimezone(dt.timezone(dt.timedelta(hours=rng.choice((-8, -5, 0, 1, 8)))))


def _usd(v: Decimal) -> str:
    return f"${v:,.2f}"


def _d(lo: float, hi: float, rng: random.Random) -> Decimal:
    return Decimal(str(round(rng.uniform(lo, hi), 2))).quantize(Decimal("0.01"))


def _long(d: dt.date) -> str:
    return d.strftime("%B %-d, %Y")


def ride_with_tip(rng: random.Random) -> Mail:
    sent = _sent(rng)
    trip = sent.date() - dt.timedelta(days=rng.choice((0, 1, 2)))
    fare, fee = _d(9, 38, rng), _d(1.5, 3.5, rng)
    tip = _d(2, 8, rng)
    total = fare + fee + tip
    text = (
        "Thanks for riding with Zipride, Alex\n\n"
        f"{_long(trip)} at {rng.randint(1, 12)}:{rng.randint(10, 59)} PM\n\n"
        f"Your tip of {_usd(tip)} has been added to this trip.\n\n"
        f"Trip fare  {_usd(fare)}\nBooking fee  {_usd(fee)}\nSubtotal  {_usd(fare + fee)}\n"
        f"Tip  {_usd(tip)}\n\n"
        f"Total  {_usd(total)}\n\nPayments\nVisa ••••{rng.randint(1000, 9999)}  {_usd(total)}\n\n"
        "Pickup 8:02 PM  1200 Oak Ave\nDropoff 8:27 PM  Terminal 2, SFO\n4.8 mi | 25 min\n"
    )
    rows = [("Trip fare", _usd(fare)), ("Booking fee", _usd(fee)), ("Tip", _usd(tip)), ("Total", _usd(total))]
    m = _msg(
        ("Zipride", "receipts@zipride.example"),
        "[Updated] Your Tuesday evening trip with Zipride",
        sent,
        text,
        rows,
    )
    return Mail(m, True, "Zipride", total, "USD", trip, features=["tip-after-trip"])


def airline_points(rng: random.Random) -> Mail:
    sent = _sent(rng)
    fly = sent.date() + dt.timedelta(days=rng.randint(10, 90))
    points = rng.randrange(12000, 60000, 500)
    taxes = _d(25, 120, rng)
    text = (
        "SKYWAY AIRLINES - Booking confirmation\n\n"
        f"Booking reference: {rng.choice('ABCDEFGHJK')}{rng.randint(10000, 99999)}\n"
        f"Booked on: {sent.date():%d %b %Y}\n\n"
        f"Outbound: {fly:%a %d %b %Y}  BOS 07:15 -> ORD 09:02  SK 2214\n\n"
        f"Payment summary\nBase fare  {points:,} points\nTaxes, fees and charges  {_usd(taxes)}\n"
        f"Total paid  {points:,} points + {_usd(taxes)}\n"
        f"Charged to Mastercard ending in {rng.randint(1000, 9999)}: {_usd(taxes)}\n\n"
        f"You earned 0 SkyMiles on this award booking. Your balance: {rng.randint(20000, 200000):,} miles.\n"
    )
    m = _msg(
        ("Skyway Airlines", "confirmation@fly-skyway.example"),
        "Your trip confirmation - Boston to Chicago",
        sent,
        text,
    )
    return Mail(m, True, "Skyway Airlines", taxes, "USD", sent.date(), features=["points-plus-card"])


def marketplace_seller(rng: random.Random) -> Mail:
    sent = _sent(rng)
    seller = rng.choice(("LinenAndLoomStudio", "Harbour Ceramics", "TheOddBotanist"))
    price, ship = _d(18, 95, rng), _d(3, 9, rng)
    total = price + ship
    text = (
        f"Hi Alex,\n\nThanks for your purchase on Craftory!\n\nOrder #{rng.randint(1000000000, 9999999999)}\n"
        f"Order date: {_long(sent.date())}\n\nSold by: {seller}\n\nHand-thrown stoneware mug  {_usd(price)}\n"
        f"Shipping  {_usd(ship)}\nOrder total  {_usd(total)}\n\nPaid with PayPal\n\n"
        f"Questions about your order? Contact {seller} through Craftory Messages.\n\n"
        "Craftory, Inc. · 55 Water St, Brooklyn, NY 11201\n"
    )
    m = _msg(("Craftory", "transaction@craftory.example"), f"Your Craftory order from {seller}", sent, text)
    return Mail(m, True, seller, total, "USD", sent.date(), features=["marketplace-unknown"])


def _hotel_text(rng: random.Random, stay_end: dt.date) -> tuple[str, Decimal]:
    nights = rng.randint(1, 4)
    rate = _d(89, 240, rng)
    tax = (rate * nights * Decimal("0.12")).quantize(Decimal("0.01"))
    total = rate * nights + tax
    start = stay_end - dt.timedelta(days=nights)
    text = (
        f"THE ALDER HOTEL\n221 Pine St, Seattle WA 98101\n\nGuest folio\nArrival: {start:%m/%d/%Y}\n"
        f"Departure: {stay_end:%m/%d/%Y}\nRoom 714\n\n"
        + "".join(
            f"{start + dt.timedelta(days=i):%m/%d/%Y}  Room charge  {_usd(rate)}\n" for i in range(nights)
        )
        + f"Lodging tax  {_usd(tax)}\nTotal charges  {_usd(total)}\n"
        + f"Visa payment  -{_usd(total)}\nBalance  $0.00\n"
    )
    return text, total


def forward_gmail(rng: random.Random) -> Mail:
    orig = _sent(rng)
    later = orig + dt.timedelta(days=rng.randint(1, 12))
    body, total = _hotel_text(rng, orig.date())
    text = (
        "for the expense report, thanks!\n\n---------- Forwarded message ---------\n"
        f"From: The Alder Hotel <frontdesk@alderhotel.example>\nDate: {orig:%a, %b %-d, %Y at %-I:%M %p}\n"
        f"Subject: Your folio from The Alder Hotel\nTo: <{ME[1]}>\n\n{body}"
    )
    m = _msg(("Jordan Lee", "jordan.lee@example.org"), "Fwd: Your folio from The Alder Hotel", later, text)
    return Mail(m, True, "The Alder Hotel", total, "USD", orig.date(), features=["forward-gmail", "folio"])


def forward_outlook(rng: random.Random) -> Mail:
    orig = _sent(rng)
    later = orig + dt.timedelta(days=rng.randint(0, 5))
    amount = _d(40, 400, rng)
    vat = (amount / 6).quantize(Decimal("0.01"))
    text = (
        "Please process.\n\nKind regards\nPriya\n\n-----Original Message-----\n"
        f"From: Bramble Office Supplies <accounts@brambleoffice.example>\nSent: {orig:%d %B %Y %H:%M}\n"
        f"To: Priya Shah <priya@example.co.uk>\nSubject: Invoice INV-{rng.randint(20000, 29999)}\n\n"
        f"Dear customer,\n\nPlease find your invoice details below.\n\nInvoice date: {orig:%d/%m/%Y}\n"
        f"Due date: {(orig + dt.timedelta(days=30)):%d/%m/%Y}\n\nNet  £{amount - vat:,.2f}\n"
        f"VAT 20%  £{vat:,.2f}\n"
        f"Total  £{amount:,.2f}\n\nBramble Office Supplies Ltd, Reg. 07712345\n"
    )
    m = _msg(("Priya Shah", "priya@example.co.uk"), "FW: Invoice from Bramble", later, text)
    return Mail(m, True, "Bramble Office Supplies", amount, "GBP", orig.date(), features=["forward-outlook"])


def forward_apple(rng: random.Random) -> Mail:
    orig = _sent(rng)
    later = orig + dt.timedelta(days=rng.randint(0, 3))
    total = _d(20, 140, rng)
    text = (
        "Sent from my iPhone\n\nBegin forwarded message:\n\n"
        "> From: Bistro Vermeer <noreply@bistrovermeer.example>\n"
        f"> Date: {orig.day} {orig:%B %Y} at {orig:%H:%M:%S} CET\n"
        f"> To: {ME[1]}\n> Subject: Uw bon van Bistro Vermeer\n>\n"
        f"> Bedankt voor uw bezoek!\n> Datum: {orig:%d-%m-%Y}\n> 2x Dagmenu\n"
        f"> Totaal € {str(total).replace('.', ',')}\n> Betaald met PIN\n"
    )
    m = _msg(("Alex Morgan", "alex.morgan@example.net"), "Fwd: Uw bon van Bistro Vermeer", later, text)
    return Mail(m, True, "Bistro Vermeer", total, "EUR", orig.date(), lang="nl", features=["forward-apple"])


def stripe_receipt(rng: random.Random) -> Mail:
    sent = _sent(rng)
    amount = _d(12, 60, rng)
    text = (
        f"Receipt from Lotus Flow Yoga\nReceipt #{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}\n\n"
        f"Amount paid  {_usd(amount)}\nDate paid  {sent:%b %-d, %Y}\n"
        f"Payment method  Visa - {rng.randint(1000, 9999)}\n\n"
        f"Summary\n10-class pass  {_usd(amount)}\nAmount charged  {_usd(amount)}\n\n"
        "If you have any questions, contact Lotus Flow Yoga at hello@lotusflow.example.\n"
        "Something wrong with the email? View it in your browser.\n"
        "You're receiving this email because you made a "
        "purchase at Lotus Flow Yoga, which partners with Stripe to provide invoicing and "
        "payment processing.\n"
    )
    m = _msg(
        ("Lotus Flow Yoga", "invoice+statements@stripe.com"),
        f"Your receipt from Lotus Flow Yoga #{rng.randint(1000, 9999)}",
        sent,
        text,
    )
    return Mail(m, True, "Lotus Flow Yoga", amount, "USD", sent.date(), features=["processor-stripe"])


def paypal_payment(rng: random.Random) -> Mail:
    sent = _sent(rng)
    amount = _d(20, 300, rng)
    text = (
        f"Hello Alex Morgan,\n\nYou sent a payment of €{amount:.2f} EUR to Kitesurf School Tarifa.\n\n"
        f"Transaction ID: {rng.randint(10**16, 10**17)}\nTransaction date: {sent.day} {sent:%B %Y}\n\n"
        f"Kitesurf lesson (2h)  €{amount:.2f} EUR\nTotal  €{amount:.2f} EUR\n\n"
        "Funding source: Mastercard x-4421\n\nPayPal Europe S.à r.l. et Cie, S.C.A.\n"
    )
    m = _msg(
        ("PayPal", "service@paypal.com"), "Receipt for your payment to Kitesurf School Tarifa", sent, text
    )
    return Mail(m, True, "Kitesurf School Tarifa", amount, "EUR", sent.date(), features=["processor-paypal"])


def german_order(rng: random.Random) -> Mail:
    sent = _sent(rng)
    items = [("Kaffeebohnen Espresso 1kg", _d(14, 24, rng)), ("Milchkännchen 350 ml", _d(8, 16, rng))]
    ship = Decimal("4.90")
    total = sum((p for _, p in items), Decimal(0)) + ship

    def de(v: Decimal) -> str:
        return f"{v:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")

    lines = "".join(f"1 x {n}  {de(p)}\n" for n, p in items)
    vat = (total - total / Decimal("1.19")).quantize(Decimal("0.01"))
    text = (
        "Hallo Alex,\n\nvielen Dank für Ihre Bestellung bei Röstwerk Hamburg!\n\n"
        f"Bestellnummer: RW-{rng.randint(100000, 999999)}\n"
        f"Bestelldatum: {sent:%d.%m.%Y}\n"
        f"Voraussichtliche Lieferung: {(sent + dt.timedelta(days=3)):%d.%m.%Y}\n\n{lines}"
        f"Versand  {de(ship)}\nGesamtsumme  {de(total)}\nenthaltene MwSt. 19 %  {de(vat)}\n\n"
        "Zahlungsart: PayPal\n\n"
        "Röstwerk Hamburg GmbH · Speicherstadt 4 · 20457 Hamburg · HRB 123456\n"
    )
    m = _msg(
        ("Röstwerk Hamburg", "shop@roestwerk.example"), "Ihre Bestellung bei Röstwerk Hamburg", sent, text
    )
    return Mail(m, True, "Röstwerk Hamburg", total, "EUR", sent.date(), lang="de", features=["de-order"])


def french_order(rng: random.Random) -> Mail:
    sent = _sent(rng)
    ht = _d(30, 180, rng)
    tva = (ht * Decimal("0.2")).quantize(Decimal("0.01"))
    ttc = ht + tva

    def fr(v: Decimal) -> str:
        return f"{v:,.2f}".replace(",", " ").replace(".", ",") + " €"

    text = (
        f"Bonjour Alex,\n\nMerci pour votre commande n° {rng.randint(100000, 999999)} du {sent:%d/%m/%Y}.\n\n"
        f"Sous-total HT : {fr(ht)}\nTVA (20 %) : {fr(tva)}\nTotal TTC : {fr(ttc)}\n\n"
        f"Livraison prévue le {(sent + dt.timedelta(days=4)):%d/%m/%Y}.\n\nL'équipe Maison Ardoise\n"
        "Maison Ardoise SAS - 12 quai de la Fosse - 44000 Nantes\n"
    )
    m = _msg(
        ("Maison Ardoise", "commandes@maison-ardoise.example"), "Confirmation de votre commande", sent, text
    )
    return Mail(m, True, "Maison Ardoise", ttc, "EUR", sent.date(), lang="fr", features=["fr-order"])


def expense_photo(rng: random.Random) -> Mail:
    """A colleague mails a phone photo of a paper receipt: the photo is the receipt."""
    shop = rng.choice([s for s in tills.SHOPS if s.country in {"UK", "US", "AU"}])
    sent = _sent(rng)
    day = sent.date() - dt.timedelta(days=rng.randint(0, 6))
    till = tills.make(shop, rng, day)
    data, feats = camera.picture(till.lines, till.width, "photo", rng)
    m = _msg(
        ("Sam Carter", "sam.carter@example.com"),
        "receipt from yesterday",
        sent,
        "Hi, receipt attached for the team lunch.\n\nSam\n",
    )
    m.add_attachment(data, maintype="image", subtype="jpeg", filename="IMG_4821.jpg")
    return Mail(
        m, True, till.vendor, till.total, till.currency, till.day, features=["photo-attachment", *feats]
    )


def square_tip(rng: random.Random) -> Mail:
    sent = _sent(rng)
    sub = _d(12, 45, rng)
    tax = (sub * Decimal("0.0875")).quantize(Decimal("0.01"))
    tip = (sub * Decimal("0.2")).quantize(Decimal("0.01"))
    total = sub + tax + tip
    text = (
        f"Pho Saigon Kitchen\n\n{_usd(total)}\n\nPho tai  {_usd(sub)}\nSubtotal  {_usd(sub)}\n"
        f"Sales Tax  {_usd(tax)}\n"
        f"Tip  {_usd(tip)}\nTotal  {_usd(total)}\n\nVISA {rng.randint(1000, 9999)}  {_usd(total)}\n"
        f"{sent:%b %-d %Y at %-I:%M %p}  #{rng.choice('ABCDEFGH')}{rng.randint(100, 999)}\n\n"
        "Pho Saigon Kitchen\n88 Clement St, San Francisco, CA 94118\n\n"
        "Square automatically sends receipts to the email address you used at any Square seller.\n"
    )
    m = _msg(
        ("Pho Saigon Kitchen via Square", "receipts@messaging.squareup.com"),
        "Receipt from Pho Saigon Kitchen",
        sent,
        text,
    )
    return Mail(
        m, True, "Pho Saigon Kitchen", total, "USD", sent.date(), features=["processor-square", "tip"]
    )


def saas_invoice(rng: random.Random) -> Mail:
    sent = _sent(rng)
    amount = Decimal(rng.choice(("19.00", "49.00", "99.00", "12.50")))
    period_end = sent.date() + dt.timedelta(days=30)
    text = (
        f"Cloudnest\n\nInvoice CN-{rng.randint(100000, 999999)}\nInvoice date: {_long(sent.date())}\n"
        f"Billing period: {_long(sent.date())} - {_long(period_end)}\n\nTeam plan  {_usd(amount)}\n"
        f"Amount paid  {_usd(amount)}\n\nNext payment on {_long(period_end)}.\n\n"
        "Cloudnest Technologies Inc., 500 Howard St, San Francisco CA\n"
    )
    m = _msg(("Cloudnest Billing", "billing@cloudnest.example"), "Your Cloudnest invoice is paid", sent, text)
    return Mail(m, True, "Cloudnest", amount, "USD", sent.date(), features=["period-dates"])


def euro_ride(rng: random.Random) -> Mail:
    sent = _sent(rng)
    total = _d(6, 30, rng)
    s = f"{total:.2f}".replace(".", ",")
    text = (
        f"Danke für deine Fahrt mit Ryde\n\n{sent:%d.%m.%Y}, {sent:%H:%M}\n\nFahrpreis  {s} €\n"
        f"Gesamt  {s} €\n"
        f"Bezahlt mit Visa •••• {rng.randint(1000, 9999)}\n\nRyde Mobility GmbH, Torstraße 1, 10119 Berlin\n"
    )
    m = _msg(("Ryde", "receipts@ryde.example"), "Deine Fahrt am " + f"{sent:%d.%m.}", sent, text)
    return Mail(m, True, "Ryde", total, "EUR", sent.date(), lang="de", features=["de-ride"])


# ------------------------------------------------------------------ look-alikes


def shipped(rng: random.Random) -> Mail:
    sent = _sent(rng)
    text = (
        f"Good news! Your order #{rng.randint(10**6, 10**7)} has shipped.\n\n"
        f"Tracking number: 1Z{rng.randint(10**9, 10**10)}\n"
        f"Estimated delivery: {_long(sent.date() + dt.timedelta(days=3))}\n\n"
        f"Order total: {_usd(_d(20, 200, rng))}\n\n"
        "Track your package: https://northpeak.example/track\n"
    )
    return Mail(
        _msg(("Northpeak Outfitters", "orders@northpeak.example"), "Your order is on its way", sent, text),
        False,
    )


def bank_alert(rng: random.Random) -> Mail:
    sent = _sent(rng)
    text = (
        "Transaction alert\n\n"
        f"You made a purchase of {_usd(_d(5, 300, rng))} at CORNER MARKET #12 with your debit card "
        f"ending in {rng.randint(1000, 9999)} on {sent:%m/%d/%Y}.\n\n"
        "If you don't recognize this transaction, call us.\n"
        "Available balance: $2,341.77\n"
    )
    return Mail(
        _msg(("Harborline Bank", "alerts@harborlinebank.example"), "Debit card purchase alert", sent, text),
        False,
    )


def trip_summary(rng: random.Random) -> Mail:
    sent = _sent(rng)
    text = (
        f"Your trip summary\n\n{_long(sent.date())}\nDistance 6.2 mi  Duration 18 min\n"
        f"Estimated fare {_usd(_d(10, 30, rng))}\n\n"
        "This is not a payment receipt. Your receipt will arrive in a separate email.\n"
    )
    return Mail(_msg(("Zipride", "trips@zipride.example"), "Trip summary", sent, text), False)


def newsletter(rng: random.Random) -> Mail:
    sent = _sent(rng)
    text = (
        "Spring collection is here!\n\nLinen shirts from $39.00\nCanvas sneakers now $59.99 (was $79.99)\n"
        "Free shipping on orders over $75.\n\nShop now: https://northpeak.example/new\n\nUnsubscribe\n"
    )
    m = _msg(
        ("Northpeak Outfitters", "news@northpeak.example"), "New arrivals: up to 30% off linen", sent, text
    )
    m["List-Unsubscribe"] = "<https://northpeak.example/u>"
    return Mail(m, False)


def reminder(rng: random.Random) -> Mail:
    sent = _sent(rng)
    text = (
        f"Hi Alex,\n\nYour Cloudnest subscription renews on {_long(sent.date() + dt.timedelta(days=7))}.\n"
        f"You will be charged {_usd(Decimal('49.00'))} to your Visa ending 4421.\n\n"
        "Manage your plan in Settings.\n"
    )
    return Mail(
        _msg(("Cloudnest", "billing@cloudnest.example"), "Your subscription renews soon", sent, text), False
    )


def personal(rng: random.Random) -> Mail:
    sent = _sent(rng)
    text = "Hey! Dinner came to $86.40 total, so $43.20 each. Send it whenever :)\n\nSee you Sunday\nM.\n"
    return Mail(_msg(("Maya Chen", "maya.chen@gmail.com"), "dinner", sent, text), False)


def parcel_de(rng: random.Random) -> Mail:
    sent = _sent(rng)
    text = (
        "Hallo,\n\nIhr Paket ist unterwegs und wird voraussichtlich am "
        f"{(sent + dt.timedelta(days=2)):%d.%m.%Y} zugestellt.\n"
        f"Sendungsnummer: 00340{rng.randint(10**12, 10**13)}\nWarenwert: 49,90 €\n"
    )
    return Mail(
        _msg(("Paketdienst", "info@paketdienst.example"), "Ihr Paket ist unterwegs", sent, text),
        False,
        lang="de",
    )


RECEIPTS: tuple[Callable[[random.Random], Mail], ...] = (
    ride_with_tip,
    airline_points,
    marketplace_seller,
    forward_gmail,
    forward_outlook,
    forward_apple,
    stripe_receipt,
    paypal_payment,
    german_order,
    french_order,
    expense_photo,
    square_tip,
    saas_invoice,
    euro_ride,
)
LOOKALIKES: tuple[Callable[[random.Random], Mail], ...] = (
    shipped,
    bank_alert,
    trip_summary,
    newsletter,
    reminder,
    personal,
    parcel_de,
)


def _settle(msg: EmailMessage, rng: random.Random) -> None:
    """A Message-ID and multipart boundaries from the seed (the library draws them at random)."""
    domain = str(msg["From"]).rsplit("@", 1)[-1].rstrip(">")
    msg["Message-ID"] = f"<{rng.randrange(16**16):016x}.{rng.randrange(10**6)}@{domain}>"
    for part in msg.walk():
        if part.is_multipart():
            part.set_boundary(f"=_{rng.randrange(16**24):024x}")


def write(out: Path, seed: int) -> list[dict[str, Any]]:
    """Every receipt and look-alike once: eml/."""
    (out / "eml").mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for i, make in enumerate(RECEIPTS + LOOKALIKES):
        rng = random.Random(f"holdout-mail:{seed}:{i}")
        mail = make(rng)
        _settle(mail.msg, random.Random(f"holdout-mime:{seed}:{i}"))
        name = f"eml/holdout-{i:03d}.eml"
        (out / name).write_bytes(bytes(mail.msg))
        rows.append(
            {
                "id": f"holdout-mail-{i:03d}",
                "kind": "email",
                "path": name,
                "is_receipt": mail.receipt,
                "vendor": mail.vendor,
                "total": float(mail.total) if mail.total is not None else None,
                "currency": mail.currency,
                "date": mail.day.isoformat() if mail.day else None,
                "template": make.__name__,
                "borderline": mail.borderline,
                "lang": mail.lang,
                "features": mail.features,
            }
        )
    return rows
