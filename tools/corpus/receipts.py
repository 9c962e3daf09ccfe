"""Receipt templates: merchant mail with a charged or ordered total, of many vendor kinds.

Those in the "unseen" split are written differently (other phrasing, labels and layouts);
extension rules must never be tuned on them.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from corpus import formats, layouts, pdfs, render
from corpus.compose import Body
from corpus.document import Purchase, make_purchase, random_day
from corpus.drafts import (
    Attachment,
    Draft,
    item_rows,
    purchase_for,
    receipt_draft,
    sent_at,
    tax_rows,
    vendor_for,
)
from corpus.vendors import PAPER_KINDS, PEOPLE, PROCESSORS, SMALL_MERCHANTS


def order_confirmation(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"marketplace", "food"})
    name = p.customer[0].split()[0]
    b = Body(preheader=rng.choice(("", f"Order {p.number} confirmed", "We've got your order!")))
    label = rng.choice(("Order total", "Total", "Grand total"))
    if rng.random() < 0.5:
        b.h(rng.choice(("Thanks for your order!", "Order confirmed", f"Thank you, {name}!")))
        b.p(f"Hi {name}, we've received your order {p.number} placed on {p.date_text(rng)}.")
        b.items(("Item", "Qty", "Price"), item_rows(p)).kv(tax_rows(p, rng))
        b.total(label, p.money(p.total, rng))
    else:
        # Summary first: facts, the total, then the items and a shipping line.
        b.h("Order summary").kv([("Order number", p.number), ("Order date", p.date_text(rng))])
        b.total(label, p.money(p.total, rng)).items(("Item", "Qty", "Price"), item_rows(p))
        b.kv([*tax_rows(p, rng), ("Shipping", rng.choice(("FREE", p.money(Decimal(0), rng))))])
    b.p(f"Charged to {p.payment}.").small(f"{p.vendor.legal}, {p.address[0]}, {p.address[1]}")
    subject = rng.choice(
        (
            f"Your {p.vendor.brand} order {p.number}",
            f"Order confirmation #{p.number}",
            "Your order is confirmed",
        )
    )
    return receipt_draft("order-confirmation", "seen", p, rng, subject, b)


def ride_receipt(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"ride"})
    b = Body(preheader=f"Thanks for riding with {p.vendor.brand}")
    if rng.random() < 0.6:
        b.h(p.money(p.total, rng)).p(
            rng.choice(("Thanks for riding, ", "Here's your receipt, ")) + p.customer[0].split()[0]
        )
        b.kv([("Date", p.date_text(rng)), ("Pickup", p.time.strftime("%H:%M") + " " + p.address[0])])
        b.items(("Fare breakdown", "", "Amount"), [(i.description, "", p.num(i.amount)) for i in p.items])
        b.kv(tax_rows(p, rng)[1:])
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
    return receipt_draft("ride-receipt", "seen", p, rng, subject, b)


def flight_receipt(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"airline"})
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
        b.kv(tax_rows(p, rng)[1:]).total("Total", p.money(p.total, rng))
        b.kv([(f"{p.vendor.brand} miles redeemed ({int(miles) * 100:,})", "-" + p.money(miles, rng))])
        b.kv([(f"Charged to {p.payment}", p.money(charged, rng))])
    else:
        b.kv(tax_rows(p, rng)[1:]).total("Total charged", p.money(p.total, rng))
        b.p(f"Paid with {p.payment}.")
    b.small("Fares are non-refundable. Changes may incur fees.")
    subject = rng.choice(
        (
            f"Booking confirmation {ref}",
            f"Your e-ticket receipt - {ref}",
            f"{p.vendor.brand}: itinerary and receipt",
        )
    )
    d = receipt_draft("flight-receipt", "seen", p, rng, subject, b)
    d.total = charged
    return d


def hotel_folio(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"hotel"})
    nights = rng.randint(1, 4)
    arrive = p.day - dt.timedelta(days=nights)
    arrival = formats.date_text(arrive, p.lang, rng, us=p.vendor.us)
    if rng.random() < 0.6:
        b = Body().h(f"{p.vendor.brand} - Guest folio")
        b.kv([("Guest", p.customer[0]), ("Arrival", arrival)])
        b.kv([("Departure", p.date_text(rng)), ("Folio no.", p.number), ("Invoice date", p.date_text(rng))])
        b.items(("Charges", "", "Amount"), [(i.description, "", p.num(i.amount)) for i in p.items])
        b.kv(tax_rows(p, rng)).total("Total paid", p.money(p.total, rng)).kv(
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
    d = receipt_draft(
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
    p = purchase_for(rng, {"saas", "streaming", "telecom"}, max_items=2)
    start = p.day - dt.timedelta(days=30)
    b = Body().h(rng.choice(("Payment receipt", "Your invoice", "Thanks for your payment")))
    b.kv([("Invoice number", p.number), ("Date paid", p.date_text(rng))])
    b.kv(
        [("Billing period", f"{formats.date_text(start, 'en', rng, fmt='{mon3} {d}')} - {p.date_text(rng)}")]
    )
    b.items(("Description", "Qty", "Amount"), item_rows(p)).kv(tax_rows(p, rng))
    b.total(rng.choice(("Amount paid", "Total", "Amount charged")), p.money(p.total, rng))
    if rng.random() < 0.4:
        b.kv([("Amount due", p.money(Decimal(0), rng)), ("Credit balance", p.money(Decimal(0), rng))])
    b.p(f"Payment method: {p.payment}").small("Questions? Reply to this email or visit our help centre.")
    d = receipt_draft(
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
    p = purchase_for(rng, {"games"})
    credit = Decimal(0)
    b = Body().h("Thank you for your purchase!").kv([("Order", p.number), ("Date", p.date_text(rng))])
    b.items(("Product", "Qty", "Price"), item_rows(p)).kv(tax_rows(p, rng))
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
    d = receipt_draft(
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
    p = purchase_for(rng, {"utility"}, max_items=2)
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
        return receipt_draft("utility-bill", "seen", p, rng, "Payment received", b)
    b = Body().h("Your bill is ready").p(f"Hello {p.customer[0]}, your latest bill has been issued.")
    b.kv([("Account number", str(rng.randrange(10**9, 10**10))), ("Bill date", p.date_text(rng))])
    b.kv(
        [
            ("Payment due", formats.date_text(due, p.lang, rng, us=p.vendor.us)),
            ("Previous balance", p.money(Decimal(0), rng)),
        ]
    )
    b.items(("Charges", "", "Amount"), [(i.description, "", p.num(i.amount)) for i in p.items]).kv(
        tax_rows(p, rng)
    )
    b.total("Amount due", p.money(p.total, rng)).p(
        "This amount will be debited from your account on the due date."
    )
    return receipt_draft(
        "utility-bill",
        "seen",
        p,
        rng,
        rng.choice(("Your bill is ready", f"{p.vendor.brand} bill for {p.date_text(rng, '{mon} {y}')}")),
        b,
    )


def pharmacy_ereceipt(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"pharmacy"})
    b = (
        Body()
        .h(f"{p.vendor.brand} e-receipt")
        .kv([("Store", p.address[1]), ("Date", p.date_text(rng) + " " + p.time.strftime("%H:%M"))])
    )
    b.items(("Item", "Qty", "Price"), item_rows(p)).kv(tax_rows(p, rng)).total("TOTAL", p.money(p.total, rng))
    if rng.random() < 0.5:
        saved = formats.quantize(p.total * Decimal("0.15"), p.currency)
        b.kv([("You saved", p.money(saved, rng)), ("Rewards balance", f"{rng.randrange(100, 5000)} pts")])
    b.p(f"{p.payment} APPROVED").small("Keep this receipt for returns within 30 days.")
    return receipt_draft(
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
        b.items(("Summary", "Qty", "Amount"), item_rows(p)).total("Amount charged", p.money(p.total, rng))
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
        b.items(("Description", "Qty", "Amount"), item_rows(p)).total("Total", p.money(p.total, rng))
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
        b.items(("", "", ""), item_rows(p)).kv(tax_rows(p, rng)[1:]).total("Total", p.money(p.total, rng)).p(
            p.payment
        )
        b.small(f"{m}, {p.address[0]}. Receipt sent by Square.")
        subject, sender = f"Receipt from {m}", (m, proc.sender)
    d = receipt_draft("processor-receipt", "seen", p, rng, subject, b)
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
    vendor = vendor_for(
        rng, {"marketplace", "food", "hotel", "games", "pharmacy", "utility", "saas", "cafe"}, lang
    )
    p = make_purchase(rng, vendor, random_day(rng), lang=lang)
    t, lab = LOCAL[lang], formats.LABELS[lang]
    b = Body(preheader=t["thanks"]).h(t["thanks"]).p(t["hi"].format(n=p.customer[0].split()[0]))
    b.kv([(t["order"], p.number), (t["placed"], p.date_text(rng))])
    b.items((lab["desc"], lab["qty"], lab["amount"]), item_rows(p))
    b.kv(
        [
            (lab["subtotal"], p.money(p.net, rng)),
            (f"{lab['tax']} {p.tax_rate * 100:g}%", p.money(p.tax, rng)),
        ]
    )
    b.total(lab["total"], p.money(p.total, rng)).kv([(t["pay"], p.payment)]).small(
        f"{p.vendor.legal} · {p.address[0]} · {p.address[1]}"
    )
    d = receipt_draft("localized-order", "seen", p, rng, t["subject"].format(v=p.vendor.brand), b)
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
    vendor = vendor_for(
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
    d = receipt_draft(
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
    p = purchase_for(rng, set(PAPER_KINDS))
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


def unseen_charge_summary(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"saas", "streaming", "telecom", "ride", "food"})
    b = Body().p(f"CHARGE SUMMARY - {p.vendor.brand.upper()}").hr()
    b.kv([("Billed on", p.date_text(rng)), ("Reference", p.number), ("Card", p.payment)])
    b.kv([(i.description, p.num(i.amount)) for i in p.items]).hr()
    b.kv([("Amount billed to your card", p.money(p.total, rng))]).p("Keep this message for your records.")
    return receipt_draft(
        "unseen-charge-summary",
        "unseen",
        p,
        rng,
        rng.choice((f"{p.vendor.brand}: charge summary", "Billing statement for your records")),
        b,
        form="text",
    )


def unseen_narrative(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"marketplace", "food", "games", "hotel", "airline", "pharmacy"})
    what = ", ".join(i.description for i in p.items)
    b = Body().p(f"Dear {p.customer[0]},")
    b.p(
        f"On {p.date_text(rng)} we charged {p.money(p.total, rng)} to your {p.payment} for {what}. "
        f"Your confirmation code is {p.number}."
    )
    b.p("No further action is needed. If you did not authorise this purchase, let us know within 60 days.")
    b.p(f"Kind regards,\n{p.vendor.brand}")
    return receipt_draft(
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
    p = purchase_for(rng, {"marketplace", "hotel", "saas", "airline"})
    amount = f"{p.num(p.total)} {p.currency}"
    b = Body(preheader=f"{p.vendor.brand} | {p.number}").h(f"{p.vendor.brand} · Purchase record")
    b.total("Grand total", amount).kv([("Issued", p.date_text(rng)), ("Record", p.number)])
    b.items(("Line", "Units", p.currency), item_rows(p))
    b.kv([("Net", p.num(p.net)), (p.tax_label, p.num(p.tax))])
    b.small("This record was issued electronically and is valid without signature.")
    return receipt_draft("unseen-grid", "unseen", p, rng, f"Purchase record {p.number}", b, form="html")


def unseen_no_date(rng: random.Random, attach: bool) -> Draft:
    """Prints no date at all: the truth is the Date header's day in UTC (often not the local day)."""
    p = purchase_for(rng, {"food", "ride", "cafe"})
    b = Body().h(f"You paid {p.money(p.total, rng)}").p(f"at {p.vendor.brand}")
    b.items(("", "", ""), item_rows(p)).kv([("Paid with", p.payment)]).small("Tap to rate your order.")
    d = receipt_draft(
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


def order_pending(rng: random.Random, attach: bool) -> Draft:
    """An order received but charged only on shipping: labelled a receipt (an ordered total), borderline."""
    p = purchase_for(rng, {"marketplace"})
    b = (
        Body()
        .h("We've received your order")
        .p(f"Order {p.number}, placed {p.date_text(rng)}. You'll be charged when it ships.")
    )
    b.items(("Item", "Qty", "Price"), item_rows(p)).total("Order total", p.money(p.total, rng))
    return receipt_draft("order-pending", "seen", p, rng, f"Order received: {p.number}", b, borderline=True)


def subscription_renewed(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"streaming", "saas"}, max_items=1)
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
    return receipt_draft("subscription-renewed", "seen", p, rng, subject, b)


def event_tickets(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"tickets"})
    show = p.day + dt.timedelta(days=rng.randint(10, 90))
    act = rng.choice(("The Lanterns", "Orchestre du Nord", "Nightjar", "Comedy Cellar Live"))
    b = Body(preheader=f"Your tickets for {act}").h("You're going!")
    b.kv([("Event", act), ("Date of event", formats.date_text(show, p.lang, rng, us=p.vendor.us))])
    b.kv([("Order number", p.number), ("Order date", p.date_text(rng))])
    b.items(("Tickets", "Qty", "Price"), item_rows(p)).kv(tax_rows(p, rng)).total(
        "Order total", p.money(p.total, rng)
    )
    b.small("Your mobile tickets will be available in the app 48 hours before the event.")
    return receipt_draft("event-tickets", "seen", p, rng, f"Your order for {act}", b)


def donation(rng: random.Random, attach: bool) -> Draft:
    """A donation receipt: a charged amount from the organisation, not a purchase (borderline)."""
    p = purchase_for(rng, {"charity"}, max_items=1)
    b = (
        Body()
        .h("Thank you for your gift")
        .p(f"We received your donation of {p.money(p.total, rng)} on {p.date_text(rng)}.")
    )
    b.kv([("Receipt number", p.number), ("Payment method", p.payment)])
    b.small("No goods or services were provided in exchange for this contribution.")
    return receipt_draft("donation", "seen", p, rng, "Your donation receipt", b, borderline=True)


def unseen_store_receipt(rng: random.Random, attach: bool) -> Draft:
    """Unseen, HTML only: an app-store style receipt, labels in capitals, a TYPE column, each item
    priced with its currency, the total last."""
    p = purchase_for(rng, {"games", "streaming", "saas"}, max_items=2)
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
    return receipt_draft(
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
    vendor = vendor_for(rng, {"food", "hotel", "tickets", "pharmacy", "games", "saas", "marketplace"}, lang)
    p = make_purchase(rng, vendor, random_day(rng), lang=lang)
    title, charged, when = PAYMENT_WORDS[lang]
    b = (
        Body()
        .h(title)
        .p(charged.format(a=p.money(p.total, rng)))
        .kv([(when, p.date_text(rng)), ("Ref.", p.number)])
    )
    b.small(p.vendor.legal)
    return receipt_draft("unseen-localized-payment", "unseen", p, rng, f"{title} \u2013 {p.vendor.brand}", b)
