"""Mail templates: receipts of many vendor kinds and the look-alikes that are not receipts.

A template turns a random purchase (or a non-purchase situation) into a `Draft`: sender,
subject, body blocks, attachments and the ground truth. Templates in the "unseen" split are
written differently (other phrasing, labels and layouts); extension rules must never be tuned
on them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from corpus import formats, layouts, pdfs, render
from corpus.compose import Body
from corpus.document import Purchase, make_purchase, random_day
from corpus.vendors import BANKS, PAPER_KINDS, PEOPLE, PROCESSORS, SMALL_MERCHANTS, VENDORS, Vendor

TZ_HOURS: dict[str, float] = {
    "US": -5,
    "GB": 0,
    "DE": 1,
    "AT": 1,
    "FR": 1,
    "ES": 1,
    "NL": 1,
    "IT": 1,
    "CH": 1,
    "CA": -4,
    "AU": 10,
    "IN": 5.5,
    "MY": 8,
    "SG": 8,
    "SE": 1,
    "JP": 9,
}


@dataclass(frozen=True)
class Attachment:
    filename: str
    mime: str  # "application/pdf", "image/jpeg", ...
    data: bytes
    layout: str
    split: str


@dataclass
class Draft:
    template: str
    split: str
    sender: tuple[str, str]
    subject: str
    body: Body
    sent: dt.datetime
    is_receipt: bool
    vendor: str | None = None
    total: Decimal | None = None
    currency: str | None = None
    day: dt.date | None = None  # None: the document prints no date (truth: the Date header in UTC)
    borderline: bool = False
    lang: str = "en"
    headers: dict[str, str] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    # Bodies that only make sense as one form ("html" for layout-heavy mail, "text" for people).
    form: str | None = None


@dataclass(frozen=True)
class Template:
    id: str
    split: str
    receipt: bool
    make: Callable[[random.Random, bool], Draft]  # (rng, attachments allowed) -> draft


def sent_at(day: dt.date, country: str, rng: random.Random, *, late: bool = False) -> dt.datetime:
    """The Date header: the purchase day in the vendor's time zone, minutes after the purchase."""
    hour = rng.randint(20, 23) if late else rng.randint(6, 22)
    tz = dt.timezone(dt.timedelta(hours=TZ_HOURS.get(country, 0)))
    return dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=tz)


def _vendor(rng: random.Random, kinds: set[str], lang: str | None = None) -> Vendor:
    pool = [v for v in VENDORS if v.kind in kinds and (lang is None or v.lang == lang)]
    return rng.choice(pool or [v for v in VENDORS if v.kind in kinds])


def _purchase(rng: random.Random, kinds: set[str], **kw: object) -> Purchase:
    vendor = _vendor(rng, kinds)
    return make_purchase(rng, vendor, random_day(rng), **kw)  # type: ignore[arg-type]


def _noreply(v: Vendor, rng: random.Random) -> tuple[str, str]:
    local = rng.choice(("no-reply", "noreply", "receipts", "orders", "billing", "hello"))
    name = rng.choice((v.brand, f"{v.brand} Receipts", f"{v.brand} Team", v.brand.upper()))
    sub = rng.choice(("", "mail.", "email.", "info."))
    return name, f"{local}@{sub}{v.domain}"


def _items(p: Purchase) -> list[tuple[str, str, str]]:
    return [(i.description, str(i.qty), p.num(i.amount)) for i in p.items]


def _draft(
    tid: str, split: str, p: Purchase, rng: random.Random, subject: str, body: Body, **kw: object
) -> Draft:
    d = Draft(
        template=tid,
        split=split,
        sender=_noreply(p.vendor, rng),
        subject=subject,
        body=body,
        sent=sent_at(p.day, p.vendor.country, rng),
        is_receipt=True,
        vendor=p.vendor.brand,
        total=p.total,
        currency=p.currency,
        day=p.day,
        lang=p.lang,
    )
    for k, v in kw.items():
        setattr(d, k, v)
    return d


def _tax_rows(p: Purchase, rng: random.Random) -> list[tuple[str, str]]:
    rows = [("Subtotal", p.money(p.subtotal, rng))]
    if p.discount:
        rows.append(("Discount", "-" + p.money(p.discount, rng)))
    label = f"{p.tax_label} ({p.tax_rate * 100:g}%)"
    rows.append((f"Includes {label}" if p.tax_included else label, p.money(p.tax, rng)))
    return rows


# ----------------------------------------------------------------------------- receipts, seen


def order_confirmation(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"marketplace", "food"})
    name = p.customer[0].split()[0]
    b = Body(preheader=rng.choice(("", f"Order {p.number} confirmed", "We've got your order!")))
    label = rng.choice(("Order total", "Total", "Grand total"))
    if rng.random() < 0.5:
        b.h(rng.choice(("Thanks for your order!", "Order confirmed", f"Thank you, {name}!")))
        b.p(f"Hi {name}, we've received your order {p.number} placed on {p.date_text(rng)}.")
        b.items(("Item", "Qty", "Price"), _items(p)).kv(_tax_rows(p, rng))
        b.total(label, p.money(p.total, rng))
    else:
        # Summary first: facts, the total, then the items and a shipping line.
        b.h("Order summary").kv([("Order number", p.number), ("Order date", p.date_text(rng))])
        b.total(label, p.money(p.total, rng)).items(("Item", "Qty", "Price"), _items(p))
        b.kv([*_tax_rows(p, rng), ("Shipping", rng.choice(("FREE", p.money(Decimal(0), rng))))])
    b.p(f"Charged to {p.payment}.").small(f"{p.vendor.legal}, {p.address[0]}, {p.address[1]}")
    subject = rng.choice(
        (
            f"Your {p.vendor.brand} order {p.number}",
            f"Order confirmation #{p.number}",
            "Your order is confirmed",
        )
    )
    return _draft("order-confirmation", "seen", p, rng, subject, b)


def ride_receipt(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"ride"})
    b = Body(preheader=f"Thanks for riding with {p.vendor.brand}")
    if rng.random() < 0.6:
        b.h(p.money(p.total, rng)).p(
            rng.choice(("Thanks for riding, ", "Here's your receipt, ")) + p.customer[0].split()[0]
        )
        b.kv([("Date", p.date_text(rng)), ("Pickup", p.time.strftime("%H:%M") + " " + p.address[0])])
        b.items(("Fare breakdown", "", "Amount"), [(i.description, "", p.num(i.amount)) for i in p.items])
        b.kv(_tax_rows(p, rng)[1:])
        b.total("Total", p.money(p.total, rng)).p(f"Payments: {p.payment}  {p.money(p.total, rng)}")
    else:
        # Trip first, money last, with the distance and duration numbers around it.
        km = rng.uniform(1.5, 28)
        b.h(f"Your ride on {p.date_text(rng)}").kv(
            [("From", p.address[0]), ("To", rng.choice(("Airport Terminal 2", "Central Station", "Home")))]
        )
        b.kv([("Distance", f"{km:.1f} km"), ("Duration", f"{int(km * 2.4) + 3} min")])
        b.kv([(i.description, p.money(i.amount, rng)) for i in p.items]).total(
            "Amount charged", p.money(p.total, rng)
        )
        b.p(f"Charged to {p.payment} at {p.time.strftime('%I:%M %p')}.")
    b.small(f"You earned {int(p.total) * 2} points on this trip.")
    subject = rng.choice(
        (
            f"Your {p.vendor.brand} receipt",
            f"Your trip on {p.date_text(rng)}",
            f"[{p.vendor.brand}] Trip receipt",
        )
    )
    return _draft("ride-receipt", "seen", p, rng, subject, b)


def flight_receipt(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"airline"})
    ref = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
    fly = p.day + dt.timedelta(days=rng.randint(7, 120))
    b = Body(preheader=f"Booking reference {ref}")
    b.h("Your booking is confirmed").kv([("Booking reference", ref), ("Passenger", p.customer[0].upper())])
    b.kv(
        [("Departure", formats.date_text(fly, p.lang, rng, us=p.vendor.us)), ("Booked on", p.date_text(rng))]
    )
    b.items(("Fare details", "", "Amount"), [(i.description, "", p.num(i.amount)) for i in p.items])
    charged = p.total
    if rng.random() < 0.3:
        # Points plus card: the truth is what the card was charged.
        miles = formats.quantize(p.total * Decimal(rng.choice(("0.3", "0.5", "0.6"))), p.currency)
        charged = p.total - miles
        b.kv(_tax_rows(p, rng)[1:]).total("Total", p.money(p.total, rng))
        b.kv([(f"{p.vendor.brand} miles redeemed ({int(miles) * 100:,})", "-" + p.money(miles, rng))])
        b.kv([(f"Charged to {p.payment}", p.money(charged, rng))])
    else:
        b.kv(_tax_rows(p, rng)[1:]).total("Total charged", p.money(p.total, rng))
        b.p(f"Paid with {p.payment}.")
    b.small("Fares are non-refundable. Changes may incur fees.")
    subject = rng.choice(
        (
            f"Booking confirmation {ref}",
            f"Your e-ticket receipt - {ref}",
            f"{p.vendor.brand}: itinerary and receipt",
        )
    )
    d = _draft("flight-receipt", "seen", p, rng, subject, b)
    d.total = charged
    return d


def hotel_folio(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"hotel"})
    nights = rng.randint(1, 4)
    arrive = p.day - dt.timedelta(days=nights)
    arrival = formats.date_text(arrive, p.lang, rng, us=p.vendor.us)
    if rng.random() < 0.6:
        b = Body().h(f"{p.vendor.brand} - Guest folio")
        b.kv([("Guest", p.customer[0]), ("Arrival", arrival)])
        b.kv([("Departure", p.date_text(rng)), ("Folio no.", p.number), ("Invoice date", p.date_text(rng))])
        b.items(("Charges", "", "Amount"), [(i.description, "", p.num(i.amount)) for i in p.items])
        b.kv(_tax_rows(p, rng)).total("Total paid", p.money(p.total, rng)).kv(
            [("Balance", p.money(Decimal(0), rng))]
        )
    else:
        # A payment receipt from the front desk: one line per night, the deposit taken off.
        nightly = formats.quantize(p.total / (nights + 1), p.currency)
        b = Body().h("Payment receipt").p(f"Dear {p.customer[0]}, thank you for staying with us.")
        b.kv(
            [
                ("Stay", f"{arrival} - {p.date_text(rng)} ({nights} nights)"),
                ("Receipt date", p.date_text(rng)),
            ]
        )
        b.kv(
            [
                ("Average nightly rate", p.money(nightly, rng)),
                ("Deposit paid at booking", p.money(Decimal(0), rng)),
            ]
        )
        b.total("Amount charged at check-out", p.money(p.total, rng)).p(f"Card: {p.payment}")
    b.small(f"{p.vendor.legal} - {p.address[0]}, {p.address[1]}")
    d = _draft(
        "hotel-folio",
        "seen",
        p,
        rng,
        rng.choice(("Your folio", f"Thank you for staying at {p.vendor.brand}", "Invoice for your stay")),
        b,
    )
    d.sent = sent_at(p.day, p.vendor.country, rng)
    return d


def saas_invoice(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"saas", "streaming", "telecom"}, max_items=2)
    start = p.day - dt.timedelta(days=30)
    b = Body().h(rng.choice(("Payment receipt", "Your invoice", "Thanks for your payment")))
    b.kv([("Invoice number", p.number), ("Date paid", p.date_text(rng))])
    b.kv(
        [("Billing period", f"{formats.date_text(start, 'en', rng, fmt='{mon3} {d}')} - {p.date_text(rng)}")]
    )
    b.items(("Description", "Qty", "Amount"), _items(p)).kv(_tax_rows(p, rng))
    b.total(rng.choice(("Amount paid", "Total", "Amount charged")), p.money(p.total, rng))
    if rng.random() < 0.4:
        b.kv([("Amount due", p.money(Decimal(0), rng)), ("Credit balance", p.money(Decimal(0), rng))])
    b.p(f"Payment method: {p.payment}").small("Questions? Reply to this email or visit our help centre.")
    d = _draft(
        "saas-invoice",
        "seen",
        p,
        rng,
        rng.choice(
            (
                f"Your {p.vendor.brand} receipt [#{p.number}]",
                f"{p.vendor.brand} invoice {p.number}",
                "Payment received - thank you",
            )
        ),
        b,
    )
    if attach:
        pdf = pdfs.text_invoice(p, rng)
        d.attachments.append(
            Attachment(
                f"invoice-{p.number.strip('#')}.pdf", "application/pdf", pdf.data, pdf.layout, pdf.split
            )
        )
    return d


def game_purchase(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"games"})
    credit = Decimal(0)
    b = Body().h("Thank you for your purchase!").kv([("Order", p.number), ("Date", p.date_text(rng))])
    b.items(("Product", "Qty", "Price"), _items(p)).kv(_tax_rows(p, rng))
    b.total("Total", p.money(p.total, rng))
    if p.total > 10 and rng.random() < 0.5:
        credit = formats.quantize(p.total * Decimal("0.2"), p.currency)
        b.kv(
            [
                ("Wallet balance applied", "-" + p.money(credit, rng)),
                (f"Charged to {p.payment}", p.money(p.total - credit, rng)),
            ]
        )
    else:
        b.p(f"Charged to {p.payment}.")
    b.small("Your items have been added to your library.")
    d = _draft(
        "game-purchase",
        "seen",
        p,
        rng,
        rng.choice(
            (
                f"Your {p.vendor.brand} purchase",
                "Thank you for your purchase",
                f"Receipt for order {p.number}",
            )
        ),
        b,
    )
    d.total = p.total - credit
    return d


def utility_bill(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"utility"}, max_items=2)
    due = p.day + dt.timedelta(days=21)
    if rng.random() < 0.35:
        # A payment confirmation from the utility itself: a receipt for the bill paid.
        b = (
            Body()
            .h("Thank you for your payment")
            .kv(
                [
                    ("Amount paid", p.money(p.total, rng)),
                    ("Payment date", p.date_text(rng)),
                    ("Confirmation", p.number),
                ]
            )
        )
        b.kv([("Paid from", p.payment), ("Remaining balance", p.money(Decimal(0), rng))])
        return _draft("utility-bill", "seen", p, rng, "Payment received", b)
    b = Body().h("Your bill is ready").p(f"Hello {p.customer[0]}, your latest bill has been issued.")
    b.kv([("Account number", str(rng.randrange(10**9, 10**10))), ("Bill date", p.date_text(rng))])
    b.kv(
        [
            ("Payment due", formats.date_text(due, p.lang, rng, us=p.vendor.us)),
            ("Previous balance", p.money(Decimal(0), rng)),
        ]
    )
    b.items(("Charges", "", "Amount"), [(i.description, "", p.num(i.amount)) for i in p.items]).kv(
        _tax_rows(p, rng)
    )
    b.total("Amount due", p.money(p.total, rng)).p(
        "This amount will be debited from your account on the due date."
    )
    return _draft(
        "utility-bill",
        "seen",
        p,
        rng,
        rng.choice(("Your bill is ready", f"{p.vendor.brand} bill for {p.date_text(rng, '{mon} {y}')}")),
        b,
    )


def pharmacy_ereceipt(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"pharmacy"})
    b = (
        Body()
        .h(f"{p.vendor.brand} e-receipt")
        .kv([("Store", p.address[1]), ("Date", p.date_text(rng) + " " + p.time.strftime("%H:%M"))])
    )
    b.items(("Item", "Qty", "Price"), _items(p)).kv(_tax_rows(p, rng)).total("TOTAL", p.money(p.total, rng))
    if rng.random() < 0.5:
        saved = formats.quantize(p.total * Decimal("0.15"), p.currency)
        b.kv([("You saved", p.money(saved, rng)), ("Rewards balance", f"{rng.randrange(100, 5000)} pts")])
    b.p(f"{p.payment} APPROVED").small("Keep this receipt for returns within 30 days.")
    return _draft(
        "pharmacy-ereceipt",
        "seen",
        p,
        rng,
        rng.choice(("Your e-receipt", f"Your {p.vendor.brand} receipt")),
        b,
    )


def _processor_purchase(rng: random.Random) -> Purchase:
    merchant = rng.choice(SMALL_MERCHANTS)
    return make_purchase(rng, merchant, random_day(rng), max_items=2)


def processor_receipt(rng: random.Random, attach: bool) -> Draft:
    """Sent by Stripe, PayPal or Square; the vendor is the merchant they processed for."""
    p = _processor_purchase(rng)
    proc = rng.choice(PROCESSORS)
    m = p.vendor.brand
    b = Body()
    if proc.name == "Stripe":
        b.h(f"Receipt from {m}").kv(
            [
                ("Amount paid", p.money(p.total, rng)),
                ("Date paid", p.date_text(rng)),
                ("Payment method", p.payment),
            ]
        )
        b.items(("Summary", "Qty", "Amount"), _items(p)).total("Amount charged", p.money(p.total, rng))
        b.small(
            f"Something wrong with the email? Contact {m} at support@{p.vendor.domain}. Powered by Stripe."
        )
        subject, sender = (
            f"Your receipt from {m} #{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}",
            (m, proc.sender),
        )
    elif proc.name == "PayPal":
        b.h(f"You sent a payment to {m}").p(f"You sent {p.money(p.total, rng)} to {m}.")
        b.kv(
            [
                ("Transaction date", p.date_text(rng)),
                ("Transaction ID", p.number),
                ("Merchant", f"{m} ({p.vendor.domain})"),
            ]
        )
        b.items(("Description", "Qty", "Amount"), _items(p)).total("Total", p.money(p.total, rng))
        b.kv([("Paid with", p.payment)]).small(
            "PayPal is the payment processor for this transaction, not the seller."
        )
        subject, sender = (
            rng.choice((f"Receipt for your payment to {m}", f"You sent a payment to {m}")),
            ("PayPal", proc.sender),
        )
    else:
        b.h(p.money(p.total, rng)).p(f"{m}").kv(
            [("Date", p.date_text(rng) + " at " + p.time.strftime("%I:%M %p"))]
        )
        b.items(("", "", ""), _items(p)).kv(_tax_rows(p, rng)[1:]).total("Total", p.money(p.total, rng)).p(
            p.payment
        )
        b.small(f"{m}, {p.address[0]}. Receipt sent by Square.")
        subject, sender = f"Receipt from {m}", (m, proc.sender)
    d = _draft("processor-receipt", "seen", p, rng, subject, b)
    d.sender = sender
    return d


LOCAL: dict[str, dict[str, str]] = {
    "de": {
        "thanks": "Vielen Dank für Ihre Bestellung",
        "order": "Bestellnummer",
        "subject": "Ihre Bestellung bei {v}",
        "hi": "Hallo {n},",
        "placed": "Bestelldatum",
        "pay": "Zahlungsart",
    },
    "fr": {
        "thanks": "Merci pour votre commande",
        "order": "Numéro de commande",
        "subject": "Confirmation de votre commande {v}",
        "hi": "Bonjour {n},",
        "placed": "Date de commande",
        "pay": "Moyen de paiement",
    },
    "es": {
        "thanks": "Gracias por tu pedido",
        "order": "Número de pedido",
        "subject": "Tu pedido en {v}",
        "hi": "Hola {n}:",
        "placed": "Fecha del pedido",
        "pay": "Forma de pago",
    },
    "nl": {
        "thanks": "Bedankt voor je bestelling",
        "order": "Bestelnummer",
        "subject": "Je bestelling bij {v}",
        "hi": "Hoi {n},",
        "placed": "Besteldatum",
        "pay": "Betaalmethode",
    },
    "it": {
        "thanks": "Grazie per il tuo ordine",
        "order": "Numero d'ordine",
        "subject": "Il tuo ordine su {v}",
        "hi": "Ciao {n},",
        "placed": "Data dell'ordine",
        "pay": "Metodo di pagamento",
    },
}


def localized_order(rng: random.Random, attach: bool) -> Draft:
    lang = rng.choice(tuple(LOCAL))
    vendor = _vendor(
        rng, {"marketplace", "food", "hotel", "games", "pharmacy", "utility", "saas", "cafe"}, lang
    )
    p = make_purchase(rng, vendor, random_day(rng), lang=lang)
    t, lab = LOCAL[lang], formats.LABELS[lang]
    b = Body(preheader=t["thanks"]).h(t["thanks"]).p(t["hi"].format(n=p.customer[0].split()[0]))
    b.kv([(t["order"], p.number), (t["placed"], p.date_text(rng))])
    b.items((lab["desc"], lab["qty"], lab["amount"]), _items(p))
    b.kv(
        [
            (lab["subtotal"], p.money(p.net, rng)),
            (f"{lab['tax']} {p.tax_rate * 100:g}%", p.money(p.tax, rng)),
        ]
    )
    b.total(lab["total"], p.money(p.total, rng)).kv([(t["pay"], p.payment)]).small(
        f"{p.vendor.legal} · {p.address[0]} · {p.address[1]}"
    )
    d = _draft("localized-order", "seen", p, rng, t["subject"].format(v=p.vendor.brand), b)
    if attach and rng.random() < 0.7:
        pdf = pdfs.text_invoice(p, rng)
        d.attachments.append(
            Attachment(
                f"{lab['invoice']}_{p.number.strip('#')}.pdf",
                "application/pdf",
                pdf.data,
                pdf.layout,
                pdf.split,
            )
        )
    return d


def invoice_attached(rng: random.Random, attach: bool, split: str = "seen") -> Draft:
    """A short cover note; the facts are only in the attached PDF (text layer or scan)."""
    lang = rng.choice(pdfs.PDF_LANGS)
    vendor = _vendor(
        rng, {"saas", "utility", "hotel", "hardware", "services", "telecom", "marketplace"}, lang
    )
    p = make_purchase(rng, vendor, random_day(rng), lang=lang)
    lab = formats.LABELS[lang]
    if not attach:
        return order_confirmation(rng, attach)
    if rng.random() < 0.75:
        pdf = pdfs.text_invoice(p, rng, unseen=split == "unseen")
    elif split == "seen":
        pdf = pdfs.scanned(layouts.invoice(p, rng), rng)
    else:
        pdf = pdfs.scanned(rng.choice(layouts.LAYOUTS["unseen"])(p, rng), rng)
    b = (
        Body()
        .p(f"{lab['invoice']} {p.number}")
        .p(
            rng.choice(
                (
                    "Please find your invoice attached.",
                    "Attached is your invoice. Thank you!",
                    "See attachment.",
                )
            )
        )
    )
    b.small(p.vendor.legal)
    d = _draft(
        f"{'unseen-' if split == 'unseen' else ''}invoice-attached",
        split,
        p,
        rng,
        f"{lab['invoice']} {p.number}",
        b,
        form="text",
    )
    d.vendor = pdf.vendor
    d.total = pdf.total
    d.attachments.append(
        Attachment(
            f"{lab['invoice']}-{p.number.strip('#')}.pdf", "application/pdf", pdf.data, pdf.layout, pdf.split
        )
    )
    return d


def photo_forward(rng: random.Random, attach: bool, split: str = "seen") -> Draft:
    """A person mails themself (or their accountant) a photo of a paper receipt."""
    if not attach:
        return pharmacy_ereceipt(rng, attach)
    p = _purchase(rng, set(PAPER_KINDS))
    paper = rng.choice(layouts.LAYOUTS[split])(p, rng)
    style = render.random_style(rng, rng.choice(("photo", "photo", "rotated", "scan", "thermal")))
    data, ext, _ = render.render(paper.rows, style, rng)
    person = rng.choice(PEOPLE)
    b = Body().p(
        rng.choice(
            (
                "Receipt from today, for the expense report.",
                "here's the receipt",
                "Lunch receipt attached",
                "",
            )
        )
    )
    b.p(f"Sent from my phone\n{person[0].split()[0]}")
    d = Draft(
        template=f"{'unseen-' if split == 'unseen' else ''}photo-forward",
        split=paper.split,
        sender=person,
        subject=rng.choice(
            ("receipt", "Expense", "Fwd: receipt", "IMG_" + str(rng.randrange(1000, 9999)), "")
        ),
        body=b,
        sent=sent_at(p.day, p.vendor.country, rng),
        is_receipt=True,
        vendor=paper.vendor,
        total=paper.total,
        currency=p.currency,
        day=p.day,
        form="text",
    )
    mime = "image/jpeg" if ext == "jpg" else "image/png"
    d.attachments.append(
        Attachment(f"IMG_{rng.randrange(1000, 9999)}.{ext}", mime, data, paper.layout, paper.split)
    )
    return d


# --------------------------------------------------------------------------- receipts, unseen


def unseen_charge_summary(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"saas", "streaming", "telecom", "ride", "food"})
    b = Body().p(f"CHARGE SUMMARY - {p.vendor.brand.upper()}").hr()
    b.kv([("Billed on", p.date_text(rng)), ("Reference", p.number), ("Card", p.payment)])
    b.kv([(i.description, p.num(i.amount)) for i in p.items]).hr()
    b.kv([("Amount billed to your card", p.money(p.total, rng))]).p("Keep this message for your records.")
    return _draft(
        "unseen-charge-summary",
        "unseen",
        p,
        rng,
        rng.choice((f"{p.vendor.brand}: charge summary", "Billing statement for your records")),
        b,
        form="text",
    )


def unseen_narrative(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"marketplace", "food", "games", "hotel", "airline", "pharmacy"})
    what = ", ".join(i.description for i in p.items)
    b = Body().p(f"Dear {p.customer[0]},")
    b.p(
        f"On {p.date_text(rng)} we charged {p.money(p.total, rng)} to your {p.payment} for {what}. "
        f"Your confirmation code is {p.number}."
    )
    b.p("No further action is needed. If you did not authorise this purchase, let us know within 60 days.")
    b.p(f"Kind regards,\n{p.vendor.brand}")
    return _draft(
        "unseen-narrative",
        "unseen",
        p,
        rng,
        rng.choice(
            ("We've processed your payment", f"Your payment to {p.vendor.brand}", "Purchase complete")
        ),
        b,
    )


def unseen_grid(rng: random.Random, attach: bool) -> Draft:
    """HTML only: amounts and the currency code in cells apart from their labels; 'Grand total' first."""
    p = _purchase(rng, {"marketplace", "hotel", "saas", "airline"})
    amount = f"{p.num(p.total)} {p.currency}"
    b = Body(preheader=f"{p.vendor.brand} | {p.number}").h(f"{p.vendor.brand} · Purchase record")
    b.total("Grand total", amount).kv([("Issued", p.date_text(rng)), ("Record", p.number)])
    b.items(("Line", "Units", p.currency), _items(p))
    b.kv([("Net", p.num(p.net)), (p.tax_label, p.num(p.tax))])
    b.small("This record was issued electronically and is valid without signature.")
    return _draft("unseen-grid", "unseen", p, rng, f"Purchase record {p.number}", b, form="html")


def unseen_no_date(rng: random.Random, attach: bool) -> Draft:
    """Prints no date at all: the truth is the Date header's day in UTC (often not the local day)."""
    p = _purchase(rng, {"food", "ride", "cafe"})
    b = Body().h(f"You paid {p.money(p.total, rng)}").p(f"at {p.vendor.brand}")
    b.items(("", "", ""), _items(p)).kv([("Paid with", p.payment)]).small("Tap to rate your order.")
    d = _draft(
        "unseen-no-date",
        "unseen",
        p,
        rng,
        rng.choice((f"You paid {p.vendor.brand}", "Payment confirmation")),
        b,
    )
    d.sent = sent_at(p.day, p.vendor.country, rng, late=True)
    d.day = None
    return d


# ----------------------------------------------------------------------- look-alikes, seen


def _lookalike(
    tid: str,
    split: str,
    v: Vendor | None,
    sender: tuple[str, str],
    subject: str,
    body: Body,
    rng: random.Random,
    **kw: object,
) -> Draft:
    day = kw.pop("day", None) or random_day(rng)
    assert isinstance(day, dt.date)
    d = Draft(
        tid, split, sender, subject, body, sent_at(day, v.country if v else "GB", rng), is_receipt=False
    )
    for k, val in kw.items():
        setattr(d, k, val)
    return d


def shipping_notice(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"marketplace"})
    track = f"1Z{rng.randrange(10**15, 10**16)}"
    b = Body(preheader="Your package is on its way").h(
        rng.choice(
            ("Your order has shipped!", "Good news: your order is on the way", "Shipping confirmation")
        )
    )
    b.kv(
        [
            ("Order", p.number),
            ("Carrier", rng.choice(("UPS", "DHL", "Royal Mail", "Canada Post"))),
            ("Tracking number", track),
        ]
    )
    b.items(("Item", "Qty", "Price"), _items(p))
    if rng.random() < 0.5:
        b.kv([("Order total", p.money(p.total, rng))])
    b.p(f"Estimated delivery: {formats.date_text(p.day + dt.timedelta(days=3), 'en', rng, us=p.vendor.us)}")
    return _lookalike(
        "shipping-notice",
        "seen",
        p.vendor,
        _noreply(p.vendor, rng),
        rng.choice((f"Your {p.vendor.brand} order has shipped", f"Shipped: order {p.number}")),
        b,
        rng,
        day=p.day,
    )


def delivery_notice(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"marketplace", "food"})
    if rng.random() < 0.5:
        where = rng.choice(("to your front door", "to the mailroom", "and handed to a resident"))
        b = Body().h("Delivered").p(f"Your package for order {p.number} was delivered {where}.")
        b.p("How was your delivery? Rate it in the app.")
    else:
        b = Body().h("Out for delivery").p(f"Order {p.number} arrives today between 2 pm and 6 pm.")
        b.items(("In this delivery", "Qty", "Price"), _items(p)).p("No signature required.")
    return _lookalike(
        "delivery-notice",
        "seen",
        p.vendor,
        _noreply(p.vendor, rng),
        rng.choice(("Your package was delivered", "Delivered: your order", "Your food has arrived")),
        b,
        rng,
        day=p.day,
    )


def card_alert(rng: random.Random, attach: bool) -> Draft:
    bank, sender, cur = rng.choice(BANKS)
    merchant = rng.choice(VENDORS).brand.upper()
    amount = formats.money(Decimal(rng.randrange(300, 30000)) / 100, cur, rng)
    digits = rng.randrange(1000, 9999)
    if rng.random() < 0.5:
        b = (
            Body()
            .h("Card transaction alert")
            .p(f"A purchase of {amount} was made at {merchant} with your card ending {digits}.")
        )
    else:
        # The short, receipt-like form: merchant, amount, "approved".
        b = Body().p(f"{bank}: {merchant} {amount} APPROVED on card *{digits}.")
        b.kv([("Merchant", merchant), ("Amount", amount), ("Status", "Approved")])
    day = random_day(rng)
    b.kv(
        [
            ("Date", formats.date_text(day, "en", rng)),
            ("Available balance", formats.money(Decimal(rng.randrange(10**4, 10**6)) / 100, cur, rng)),
        ]
    )
    b.p("If you don't recognise this transaction, call us on the number on the back of your card.")
    return _lookalike(
        "card-alert",
        "seen",
        None,
        (bank, sender),
        rng.choice(("You made a purchase", "Transaction alert", f"{bank}: card used at {merchant}")),
        b,
        rng,
        day=day,
    )


def trip_summary(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"ride"})
    b = (
        Body()
        .h("Your trip summary")
        .kv(
            [
                ("Date", p.date_text(rng)),
                ("Distance", f"{rng.uniform(1, 30):.1f} km"),
                ("Estimated fare", p.money(p.total, rng)),
            ]
        )
    )
    b.p("This is not a payment receipt. Your receipt will be sent separately once the payment is complete.")
    return _lookalike(
        "trip-summary",
        "seen",
        p.vendor,
        _noreply(p.vendor, rng),
        f"Trip summary - {p.date_text(rng)}",
        b,
        rng,
        day=p.day,
    )


def newsletter(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"marketplace", "games", "food", "airline"})
    b = Body(preheader="This week's picks, just for you").h(
        rng.choice(("Deals of the week", "New arrivals", "Our spring sale is here"))
    )
    b.items(("Featured", "", "Now"), [(i.description, "", p.money(i.unit, rng)) for i in p.items])
    b.p("Prices valid while stocks last.").small(
        f"You are receiving this because you subscribed to {p.vendor.brand} news. Unsubscribe."
    )
    return _lookalike(
        "newsletter",
        "seen",
        p.vendor,
        (p.vendor.brand, f"news@{p.vendor.domain}"),
        rng.choice(("Picked for you", "Don't miss these deals", "New this week")),
        b,
        rng,
        day=p.day,
        headers={"List-Unsubscribe": f"<mailto:unsubscribe@{p.vendor.domain}>"},
    )


def promotion(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"ride", "food", "saas", "streaming"})
    off = p.money(Decimal(rng.choice((5, 10, 15))), rng)
    b = (
        Body()
        .h(f"{rng.choice(('50%', '30%', '20%'))} off your next order")
        .p(f"Save up to {off}. Use code SAVE{rng.randrange(10, 99)} at checkout.")
    )
    b.p(f"Offer ends {formats.date_text(random_day(rng), 'en', rng)}.")
    return _lookalike(
        "promotion",
        "seen",
        p.vendor,
        (p.vendor.brand, f"offers@{p.vendor.domain}"),
        rng.choice((f"A treat from {p.vendor.brand}", f"Save {off} today")),
        b,
        rng,
        day=p.day,
    )


def mailing_list(rng: random.Random, attach: bool) -> Draft:
    person = rng.choice(PEOPLE)
    price = formats.money(Decimal(rng.randrange(100, 500)), rng.choice(("USD", "EUR")), rng)
    b = Body().p(
        f"On the hosting question: we pay about {price} a month for the build servers, "
        "invoice attached to the wiki."
    )
    b.p(f"-- \n{person[0]}").small(
        "_______________________________________________\ndev mailing list\nhttps://lists.example.org/listinfo/dev"
    )
    return _lookalike(
        "mailing-list",
        "seen",
        None,
        person,
        rng.choice(("Re: [dev] hosting costs", "[dev] budget for next year")),
        b,
        rng,
        headers={"List-Id": "<dev.lists.example.org>", "Precedence": "list"},
        form="text",
    )


def personal(rng: random.Random, attach: bool) -> Draft:
    person = rng.choice(PEOPLE)
    amount = formats.money(Decimal(rng.randrange(20, 200)), rng.choice(("EUR", "GBP", "USD")), rng)
    text = rng.choice((
        f"I paid {amount} for the concert tickets, send me your half when you can?",
        f"Dinner was {amount} in total, I've got it, you get the next one.",
        f"The plumber's invoice came to {amount}, can you believe it.",
    ))  # fmt: skip
    b = Body().p(f"Hi,\n\n{text}\n\nCheers,\n{person[0].split()[0]}")
    return _lookalike(
        "personal",
        "seen",
        None,
        person,
        rng.choice(("tickets", "re: saturday", "money stuff", "Quick question")),
        b,
        rng,
        form="text",
    )


def password_reset(rng: random.Random, attach: bool) -> Draft:
    v = rng.choice(VENDORS)
    b = (
        Body()
        .h("Reset your password")
        .p("We received a request to reset your password. This link expires in 30 minutes.")
    )
    b.p(f"https://{v.domain}/reset?token={rng.randrange(10**15, 10**16):x}").small(
        "If you didn't ask for this, ignore this email."
    )
    return _lookalike(
        "password-reset",
        "seen",
        v,
        _noreply(v, rng),
        rng.choice(("Reset your password", f"{v.brand} password reset")),
        b,
        rng,
    )


def payment_failed(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"saas", "streaming", "telecom"}, max_items=1)
    b = (
        Body()
        .h("Payment failed")
        .p(
            f"We couldn't charge {p.money(p.total, rng)} to your {p.payment}. "
            "Please update your payment details."
        )
    )
    return _lookalike(
        "payment-failed",
        "seen",
        p.vendor,
        _noreply(p.vendor, rng),
        "Action required: payment failed",
        b,
        rng,
        day=p.day,
    )


# ----------------------------------------------------------------- look-alikes, unseen; borderline


def unseen_dispatch(rng: random.Random, attach: bool) -> Draft:
    lang = rng.choice(("de", "en"))
    p = make_purchase(rng, _vendor(rng, {"marketplace"}, lang), random_day(rng), lang=lang)
    if lang == "de":
        b = (
            Body()
            .h("Ihre Sendung ist unterwegs")
            .p(
                f"Bestellung {p.number}: Paket übergeben an DHL, "
                f"Sendungsnummer {rng.randrange(10**11, 10**12)}."
            )
        )
        b.kv([("Warenwert", p.money(p.total, rng))])
        subject = "Versandbestätigung"
    else:
        b = Body().p(
            f"Parcel dispatched. Ref {p.number}. Contents value {p.money(p.total, rng)} (for customs)."
        )
        subject = "Dispatched: your parcel is on its way"
    return _lookalike(
        "unseen-dispatch", "unseen", p.vendor, _noreply(p.vendor, rng), subject, b, rng, day=p.day, lang=lang
    )


def unseen_statement(rng: random.Random, attach: bool) -> Draft:
    bank, sender, cur = rng.choice(BANKS)
    bal = formats.money(Decimal(rng.randrange(10**4, 10**6)) / 100, cur, rng)
    b = Body().p(
        f"Your monthly statement is now available. Closing balance: {bal}. "
        f"Minimum payment: {formats.money(Decimal(25), cur, rng)}."
    )
    return _lookalike("unseen-statement", "unseen", None, (bank, sender), "Your statement is ready", b, rng)


def unseen_price_drop(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"marketplace", "games"}, max_items=1)
    item = p.items[0]
    b = (
        Body()
        .h("Price drop on your wishlist")
        .kv([(item.description, p.money(item.unit, rng)), ("Was", p.money(item.unit * 2, rng))])
    )
    return _lookalike(
        "unseen-price-drop",
        "unseen",
        p.vendor,
        _noreply(p.vendor, rng),
        f"Price drop: {item.description}",
        b,
        rng,
        day=p.day,
    )


def unseen_cart(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"marketplace", "food"})
    b = (
        Body()
        .h("Still thinking it over?")
        .items(("In your cart", "Qty", "Price"), _items(p))
        .total("Cart total", p.money(p.total, rng))
    )
    return _lookalike(
        "unseen-cart",
        "unseen",
        p.vendor,
        _noreply(p.vendor, rng),
        "You left something behind",
        b,
        rng,
        day=p.day,
    )


def refund(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"marketplace", "airline", "hotel"})
    b = (
        Body()
        .h("Your refund has been processed")
        .kv([("Order", p.number), ("Refund amount", p.money(p.total, rng)), ("Refunded to", p.payment)])
    )
    return _lookalike(
        "refund",
        "seen",
        p.vendor,
        _noreply(p.vendor, rng),
        "Refund confirmation",
        b,
        rng,
        day=p.day,
        borderline=True,
    )


def renewal_reminder(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"saas", "streaming"}, max_items=1)
    b = Body().p(
        f"Your plan renews on {p.date_text(rng)}. We'll charge {p.money(p.total, rng)} to {p.payment}."
    )
    return _lookalike(
        "renewal-reminder",
        "seen",
        p.vendor,
        _noreply(p.vendor, rng),
        "Your subscription renews soon",
        b,
        rng,
        day=p.day,
        borderline=True,
    )


def order_pending(rng: random.Random, attach: bool) -> Draft:
    """An order received but charged only on shipping: labelled a receipt (an ordered total), borderline."""
    p = _purchase(rng, {"marketplace"})
    b = (
        Body()
        .h("We've received your order")
        .p(f"Order {p.number}, placed {p.date_text(rng)}. You'll be charged when it ships.")
    )
    b.items(("Item", "Qty", "Price"), _items(p)).total("Order total", p.money(p.total, rng))
    return _draft("order-pending", "seen", p, rng, f"Order received: {p.number}", b, borderline=True)


def subscription_renewed(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"streaming", "saas"}, max_items=1)
    nxt = p.day + dt.timedelta(days=30)
    b = Body().p(f"Hi {p.customer[0].split()[0]},")
    b.p(
        f"Your {p.items[0].description.lower()} has been renewed. We charged {p.money(p.total, rng)} "
        f"to {p.payment} on {p.date_text(rng)}."
    )
    b.kv(
        [
            ("Next billing date", formats.date_text(nxt, p.lang, rng, us=p.vendor.us)),
            ("Receipt no.", p.number),
        ]
    )
    b.small("Manage your membership in Account settings.")
    subject = rng.choice(("Your membership has been renewed", f"{p.vendor.brand}: payment confirmation"))
    return _draft("subscription-renewed", "seen", p, rng, subject, b)


def event_tickets(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"tickets"})
    show = p.day + dt.timedelta(days=rng.randint(10, 90))
    act = rng.choice(("The Lanterns", "Orchestre du Nord", "Nightjar", "Comedy Cellar Live"))
    b = Body(preheader=f"Your tickets for {act}").h("You're going!")
    b.kv([("Event", act), ("Date of event", formats.date_text(show, p.lang, rng, us=p.vendor.us))])
    b.kv([("Order number", p.number), ("Order date", p.date_text(rng))])
    b.items(("Tickets", "Qty", "Price"), _items(p)).kv(_tax_rows(p, rng)).total(
        "Order total", p.money(p.total, rng)
    )
    b.small("Your mobile tickets will be available in the app 48 hours before the event.")
    return _draft("event-tickets", "seen", p, rng, f"Your order for {act}", b)


def donation(rng: random.Random, attach: bool) -> Draft:
    """A donation receipt: a charged amount from the organisation, not a purchase (borderline)."""
    p = _purchase(rng, {"charity"}, max_items=1)
    b = (
        Body()
        .h("Thank you for your gift")
        .p(f"We received your donation of {p.money(p.total, rng)} on {p.date_text(rng)}.")
    )
    b.kv([("Receipt number", p.number), ("Payment method", p.payment)])
    b.small("No goods or services were provided in exchange for this contribution.")
    return _draft("donation", "seen", p, rng, "Your donation receipt", b, borderline=True)


def order_cancelled(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"marketplace", "food", "tickets"})
    b = (
        Body()
        .h("Your order has been cancelled")
        .p(f"Order {p.number} placed on {p.date_text(rng)} was cancelled.")
    )
    b.items(("Item", "Qty", "Price"), _items(p)).kv([("Order total", p.money(p.total, rng))])
    b.p("You have not been charged. Any pending authorisation will be released by your bank.")
    subject = rng.choice((f"Order {p.number} cancelled", "Your order has been cancelled"))
    return _lookalike(
        "order-cancelled", "seen", p.vendor, _noreply(p.vendor, rng), subject, b, rng, day=p.day
    )


def bill_reminder(rng: random.Random, attach: bool) -> Draft:
    """A reminder that a bill is due: it points at an invoice but is not one (borderline)."""
    p = _purchase(rng, {"utility", "telecom"}, max_items=1)
    due = formats.date_text(p.day + dt.timedelta(days=7), p.lang, rng, us=p.vendor.us)
    b = Body().h("Payment reminder").p(f"Your balance of {p.money(p.total, rng)} is due on {due}.")
    b.p("If you have already paid, please ignore this message.")
    return _lookalike(
        "bill-reminder", "seen", p.vendor, _noreply(p.vendor, rng), "Reminder: payment due", b, rng,
        day=p.day, borderline=True,
    )  # fmt: skip


def unseen_review_request(rng: random.Random, attach: bool) -> Draft:
    p = _purchase(rng, {"marketplace", "food", "games"}, max_items=1)
    item = p.items[0]
    b = Body().p(
        f"How did we do? You bought {item.description} ({p.money(item.amount, rng)}) on {p.date_text(rng)}."
    )
    b.p("Leave a review and help other shoppers. It takes 30 seconds.")
    subject = f"Rate your {item.description}"
    return _lookalike(
        "unseen-review-request", "unseen", p.vendor, _noreply(p.vendor, rng), subject, b, rng, day=p.day
    )


def unseen_store_receipt(rng: random.Random, attach: bool) -> Draft:
    """Unseen, HTML only: an app-store style receipt, labels in capitals, a TYPE column, each item
    priced with its currency, the total last."""
    p = _purchase(rng, {"games", "streaming", "saas"}, max_items=2)
    b = (
        Body()
        .h("Receipt")
        .kv([("ACCOUNT", p.customer[1]), ("DOCUMENT NO.", p.number), ("DATE", p.date_text(rng))])
    )
    b.items(
        ("ITEM", "TYPE", "PRICE"),
        [(i.description, "In-App Purchase", p.money(i.amount, rng)) for i in p.items],
    )
    b.kv([("BILLED TO", p.payment)]).total("TOTAL", p.money(p.total, rng))
    b.small(f"{p.vendor.legal}, {p.address[0]}, {p.address[1]}. Report a problem.")
    return _draft(
        "unseen-store-receipt", "unseen", p, rng, f"Your receipt from {p.vendor.brand}", b, form="html"
    )


PAYMENT_WORDS: dict[str, tuple[str, str, str]] = {
    "de": ("Zahlungsbestätigung", "Wir haben {a} von Ihrer Karte abgebucht.", "Buchungsdatum"),
    "fr": ("Confirmation de paiement", "Nous avons débité {a} sur votre carte.", "Date de l'opération"),
    "es": ("Confirmación de pago", "Hemos cargado {a} en tu tarjeta.", "Fecha de la operación"),
    "it": ("Conferma di pagamento", "Abbiamo addebitato {a} sulla tua carta.", "Data dell'operazione"),
    "nl": ("Betalingsbevestiging", "We hebben {a} van je kaart afgeschreven.", "Transactiedatum"),
}


def unseen_localized_payment(rng: random.Random, attach: bool) -> Draft:
    lang = rng.choice(tuple(PAYMENT_WORDS))
    vendor = _vendor(rng, {"food", "hotel", "tickets", "pharmacy", "games", "saas", "marketplace"}, lang)
    p = make_purchase(rng, vendor, random_day(rng), lang=lang)
    title, charged, when = PAYMENT_WORDS[lang]
    b = (
        Body()
        .h(title)
        .p(charged.format(a=p.money(p.total, rng)))
        .kv([(when, p.date_text(rng)), ("Ref.", p.number)])
    )
    b.small(p.vendor.legal)
    return _draft("unseen-localized-payment", "unseen", p, rng, f"{title} \u2013 {p.vendor.brand}", b)


TEMPLATES: tuple[Template, ...] = (
    Template("order-confirmation", "seen", True, order_confirmation),
    Template("ride-receipt", "seen", True, ride_receipt),
    Template("flight-receipt", "seen", True, flight_receipt),
    Template("hotel-folio", "seen", True, hotel_folio),
    Template("saas-invoice", "seen", True, saas_invoice),
    Template("game-purchase", "seen", True, game_purchase),
    Template("utility-bill", "seen", True, utility_bill),
    Template("pharmacy-ereceipt", "seen", True, pharmacy_ereceipt),
    Template("processor-receipt", "seen", True, processor_receipt),
    Template("localized-order", "seen", True, localized_order),
    Template("invoice-attached", "seen", True, invoice_attached),
    Template("photo-forward", "seen", True, photo_forward),
    Template("order-pending", "seen", True, order_pending),
    Template("subscription-renewed", "seen", True, subscription_renewed),
    Template("event-tickets", "seen", True, event_tickets),
    Template("donation", "seen", True, donation),
    Template("unseen-store-receipt", "unseen", True, unseen_store_receipt),
    Template("unseen-localized-payment", "unseen", True, unseen_localized_payment),
    Template("unseen-charge-summary", "unseen", True, unseen_charge_summary),
    Template("unseen-narrative", "unseen", True, unseen_narrative),
    Template("unseen-grid", "unseen", True, unseen_grid),
    Template("unseen-no-date", "unseen", True, unseen_no_date),
    Template("unseen-invoice-attached", "unseen", True, lambda r, a: invoice_attached(r, a, "unseen")),
    Template("unseen-photo-forward", "unseen", True, lambda r, a: photo_forward(r, a, "unseen")),
    Template("shipping-notice", "seen", False, shipping_notice),
    Template("delivery-notice", "seen", False, delivery_notice),
    Template("card-alert", "seen", False, card_alert),
    Template("trip-summary", "seen", False, trip_summary),
    Template("newsletter", "seen", False, newsletter),
    Template("promotion", "seen", False, promotion),
    Template("mailing-list", "seen", False, mailing_list),
    Template("personal", "seen", False, personal),
    Template("password-reset", "seen", False, password_reset),
    Template("payment-failed", "seen", False, payment_failed),
    Template("refund", "seen", False, refund),
    Template("renewal-reminder", "seen", False, renewal_reminder),
    Template("order-cancelled", "seen", False, order_cancelled),
    Template("bill-reminder", "seen", False, bill_reminder),
    Template("unseen-review-request", "unseen", False, unseen_review_request),
    Template("unseen-dispatch", "unseen", False, unseen_dispatch),
    Template("unseen-statement", "unseen", False, unseen_statement),
    Template("unseen-price-drop", "unseen", False, unseen_price_drop),
    Template("unseen-cart", "unseen", False, unseen_cart),
)
# Templates that need attachments to mean anything get picked only when attachments are on.
# Borderline templates: a few of them, not a tenth of the mailbox.
BORDERLINE_TEMPLATES = frozenset({"order-pending", "donation", "refund", "renewal-reminder", "bill-reminder"})
ATTACHMENT_TEMPLATES = frozenset(
    {"invoice-attached", "photo-forward", "unseen-invoice-attached", "unseen-photo-forward"}
)
