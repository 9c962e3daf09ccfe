"""Look-alike templates: mail about money that is not a receipt (shipping, card alerts, trip
summaries, newsletters, promotions, lists, personal mail, ...), and the borderline ones."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from corpus import formats
from corpus.compose import Body
from corpus.document import make_purchase, random_day
from corpus.drafts import Draft, item_rows, lookalike_draft, noreply, purchase_for, vendor_for
from corpus.vendors import BANKS, PEOPLE, VENDORS


def shipping_notice(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"marketplace"})
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
    b.items(("Item", "Qty", "Price"), item_rows(p))
    if rng.random() < 0.5:
        b.kv([("Order total", p.money(p.total, rng))])
    b.p(f"Estimated delivery: {formats.date_text(p.day + dt.timedelta(days=3), 'en', rng, us=p.vendor.us)}")
    return lookalike_draft(
        "shipping-notice",
        "seen",
        p.vendor,
        noreply(p.vendor, rng),
        rng.choice((f"Your {p.vendor.brand} order has shipped", f"Shipped: order {p.number}")),
        b,
        rng,
        day=p.day,
    )


def delivery_notice(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"marketplace", "food"})
    if rng.random() < 0.5:
        where = rng.choice(("to your front door", "to the mailroom", "and handed to a resident"))
        b = Body().h("Delivered").p(f"Your package for order {p.number} was delivered {where}.")
        b.p("How was your delivery? Rate it in the app.")
    else:
        b = Body().h("Out for delivery").p(f"Order {p.number} arrives today between 2 pm and 6 pm.")
        b.items(("In this delivery", "Qty", "Price"), item_rows(p)).p("No signature required.")
    return lookalike_draft(
        "delivery-notice",
        "seen",
        p.vendor,
        noreply(p.vendor, rng),
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
    return lookalike_draft(
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
    p = purchase_for(rng, {"ride"})
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
    return lookalike_draft(
        "trip-summary",
        "seen",
        p.vendor,
        noreply(p.vendor, rng),
        f"Trip summary - {p.date_text(rng)}",
        b,
        rng,
        day=p.day,
    )


def newsletter(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"marketplace", "games", "food", "airline"})
    b = Body(preheader="This week's picks, just for you").h(
        rng.choice(("Deals of the week", "New arrivals", "Our spring sale is here"))
    )
    b.items(("Featured", "", "Now"), [(i.description, "", p.money(i.unit, rng)) for i in p.items])
    b.p("Prices valid while stocks last.").small(
        f"You are receiving this because you subscribed to {p.vendor.brand} news. Unsubscribe."
    )
    return lookalike_draft(
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
    p = purchase_for(rng, {"ride", "food", "saas", "streaming"})
    off = p.money(Decimal(rng.choice((5, 10, 15))), rng)
    b = (
        Body()
        .h(f"{rng.choice(('50%', '30%', '20%'))} off your next order")
        .p(f"Save up to {off}. Use code SAVE{rng.randrange(10, 99)} at checkout.")
    )
    b.p(f"Offer ends {formats.date_text(random_day(rng), 'en', rng)}.")
    return lookalike_draft(
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
    return lookalike_draft(
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
    return lookalike_draft(
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
    return lookalike_draft(
        "password-reset",
        "seen",
        v,
        noreply(v, rng),
        rng.choice(("Reset your password", f"{v.brand} password reset")),
        b,
        rng,
    )


def payment_failed(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"saas", "streaming", "telecom"}, max_items=1)
    b = (
        Body()
        .h("Payment failed")
        .p(
            f"We couldn't charge {p.money(p.total, rng)} to your {p.payment}. "
            "Please update your payment details."
        )
    )
    return lookalike_draft(
        "payment-failed",
        "seen",
        p.vendor,
        noreply(p.vendor, rng),
        "Action required: payment failed",
        b,
        rng,
        day=p.day,
    )


def unseen_dispatch(rng: random.Random, attach: bool) -> Draft:
    lang = rng.choice(("de", "en"))
    p = make_purchase(rng, vendor_for(rng, {"marketplace"}, lang), random_day(rng), lang=lang)
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
    return lookalike_draft(
        "unseen-dispatch", "unseen", p.vendor, noreply(p.vendor, rng), subject, b, rng, day=p.day, lang=lang
    )


def unseen_statement(rng: random.Random, attach: bool) -> Draft:
    bank, sender, cur = rng.choice(BANKS)
    bal = formats.money(Decimal(rng.randrange(10**4, 10**6)) / 100, cur, rng)
    b = Body().p(
        f"Your monthly statement is now available. Closing balance: {bal}. "
        f"Minimum payment: {formats.money(Decimal(25), cur, rng)}."
    )
    return lookalike_draft(
        "unseen-statement", "unseen", None, (bank, sender), "Your statement is ready", b, rng
    )


def unseen_price_drop(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"marketplace", "games"}, max_items=1)
    item = p.items[0]
    b = (
        Body()
        .h("Price drop on your wishlist")
        .kv([(item.description, p.money(item.unit, rng)), ("Was", p.money(item.unit * 2, rng))])
    )
    return lookalike_draft(
        "unseen-price-drop",
        "unseen",
        p.vendor,
        noreply(p.vendor, rng),
        f"Price drop: {item.description}",
        b,
        rng,
        day=p.day,
    )


def unseen_cart(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"marketplace", "food"})
    b = (
        Body()
        .h("Still thinking it over?")
        .items(("In your cart", "Qty", "Price"), item_rows(p))
        .total("Cart total", p.money(p.total, rng))
    )
    return lookalike_draft(
        "unseen-cart",
        "unseen",
        p.vendor,
        noreply(p.vendor, rng),
        "You left something behind",
        b,
        rng,
        day=p.day,
    )


def refund(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"marketplace", "airline", "hotel"})
    b = (
        Body()
        .h("Your refund has been processed")
        .kv([("Order", p.number), ("Refund amount", p.money(p.total, rng)), ("Refunded to", p.payment)])
    )
    return lookalike_draft(
        "refund",
        "seen",
        p.vendor,
        noreply(p.vendor, rng),
        "Refund confirmation",
        b,
        rng,
        day=p.day,
        borderline=True,
    )


def renewal_reminder(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"saas", "streaming"}, max_items=1)
    b = Body().p(
        f"Your plan renews on {p.date_text(rng)}. We'll charge {p.money(p.total, rng)} to {p.payment}."
    )
    return lookalike_draft(
        "renewal-reminder",
        "seen",
        p.vendor,
        noreply(p.vendor, rng),
        "Your subscription renews soon",
        b,
        rng,
        day=p.day,
        borderline=True,
    )


def order_cancelled(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"marketplace", "food", "tickets"})
    b = (
        Body()
        .h("Your order has been cancelled")
        .p(f"Order {p.number} placed on {p.date_text(rng)} was cancelled.")
    )
    b.items(("Item", "Qty", "Price"), item_rows(p)).kv([("Order total", p.money(p.total, rng))])
    b.p("You have not been charged. Any pending authorisation will be released by your bank.")
    subject = rng.choice((f"Order {p.number} cancelled", "Your order has been cancelled"))
    return lookalike_draft(
        "order-cancelled", "seen", p.vendor, noreply(p.vendor, rng), subject, b, rng, day=p.day
    )


def bill_reminder(rng: random.Random, attach: bool) -> Draft:
    """A reminder that a bill is due: it points at an invoice but is not one (borderline)."""
    p = purchase_for(rng, {"utility", "telecom"}, max_items=1)
    due = formats.date_text(p.day + dt.timedelta(days=7), p.lang, rng, us=p.vendor.us)
    b = Body().h("Payment reminder").p(f"Your balance of {p.money(p.total, rng)} is due on {due}.")
    b.p("If you have already paid, please ignore this message.")
    return lookalike_draft(
        "bill-reminder", "seen", p.vendor, noreply(p.vendor, rng), "Reminder: payment due", b, rng,
        day=p.day, borderline=True,
    )  # fmt: skip


def unseen_review_request(rng: random.Random, attach: bool) -> Draft:
    p = purchase_for(rng, {"marketplace", "food", "games"}, max_items=1)
    item = p.items[0]
    b = Body().p(
        f"How did we do? You bought {item.description} ({p.money(item.amount, rng)}) on {p.date_text(rng)}."
    )
    b.p("Leave a review and help other shoppers. It takes 30 seconds.")
    subject = f"Rate your {item.description}"
    return lookalike_draft(
        "unseen-review-request", "unseen", p.vendor, noreply(p.vendor, rng), subject, b, rng, day=p.day
    )
