"""What a mail template produces (a `Draft`: sender, subject, body, attachments and the ground
truth) and the helpers templates share: senders, Date headers, item and tax rows."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from corpus.compose import Body
from corpus.document import Purchase, make_purchase, random_day
from corpus.vendors import VENDORS, Vendor

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


def vendor_for(rng: random.Random, kinds: set[str], lang: str | None = None) -> Vendor:
    pool = [v for v in VENDORS if v.kind in kinds and (lang is None or v.lang == lang)]
    return rng.choice(pool or [v for v in VENDORS if v.kind in kinds])


def purchase_for(rng: random.Random, kinds: set[str], **kw: object) -> Purchase:
    vendor = vendor_for(rng, kinds)
    return make_purchase(rng, vendor, random_day(rng), **kw)  # type: ignore[arg-type]


def noreply(v: Vendor, rng: random.Random) -> tuple[str, str]:
    local = rng.choice(("no-reply", "noreply", "receipts", "orders", "billing", "hello"))
    name = rng.choice((v.brand, f"{v.brand} Receipts", f"{v.brand} Team", v.brand.upper()))
    sub = rng.choice(("", "mail.", "email.", "info."))
    return name, f"{local}@{sub}{v.domain}"


def item_rows(p: Purchase) -> list[tuple[str, str, str]]:
    return [(i.description, str(i.qty), p.num(i.amount)) for i in p.items]


def receipt_draft(
    tid: str, split: str, p: Purchase, rng: random.Random, subject: str, body: Body, **kw: object
) -> Draft:
    """A receipt from the purchase's vendor; its truth is the purchase (override with `kw`)."""
    d = Draft(
        template=tid,
        split=split,
        sender=noreply(p.vendor, rng),
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


def tax_rows(p: Purchase, rng: random.Random) -> list[tuple[str, str]]:
    rows = [("Subtotal", p.money(p.subtotal, rng))]
    if p.discount:
        rows.append(("Discount", "-" + p.money(p.discount, rng)))
    label = f"{p.tax_label} ({p.tax_rate * 100:g}%)"
    rows.append((f"Includes {label}" if p.tax_included else label, p.money(p.tax, rng)))
    return rows


def lookalike_draft(
    tid: str,
    split: str,
    v: Vendor | None,
    sender: tuple[str, str],
    subject: str,
    body: Body,
    rng: random.Random,
    **kw: object,
) -> Draft:
    """A mail that is not a receipt; `day` (in `kw`) dates it, else a random day."""
    day = kw.pop("day", None) or random_day(rng)
    assert isinstance(day, dt.date)
    d = Draft(
        tid, split, sender, subject, body, sent_at(day, v.country if v else "GB", rng), is_receipt=False
    )
    for k, val in kw.items():
        setattr(d, k, val)
    return d
