"""One purchase as structured ground truth: who sold what, when, for how much, paid how.

Every renderer (mail templates, receipt images, PDF invoices) prints a `Purchase`; the truth
manifest is read off it, so what is printed and what is labelled cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from corpus import formats
from corpus.vendors import ITEMS, PEOPLE, SERVICE_ITEMS, TAX_RATES, UNITS_PER_USD, Vendor


@dataclass(frozen=True)
class Item:
    description: str
    qty: int
    unit: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Purchase:
    vendor: Vendor
    day: dt.date
    time: dt.time
    lang: str
    style: formats.NumberStyle
    items: tuple[Item, ...]
    subtotal: Decimal
    tax: Decimal
    tax_label: str
    tax_rate: float
    tax_included: bool  # VAT-style: the items already include it
    discount: Decimal
    total: Decimal
    payment: str
    number: str
    customer: tuple[str, str]
    address: tuple[str, ...]
    extras: dict[str, str] = field(default_factory=dict)

    @property
    def net(self) -> Decimal:
        """The amount before tax, whether the prices included it or not."""
        return self.subtotal - self.discount - (self.tax if self.tax_included else Decimal(0))

    @property
    def currency(self) -> str:
        return self.vendor.currency

    def money(
        self, value: Decimal, rng: random.Random, *, paper: bool = False, form: str | None = None
    ) -> str:
        return formats.money(value, self.currency, rng, self.style, paper=paper, form=form)

    def num(self, value: Decimal) -> str:
        return formats.number(value, self.currency, self.style)

    def date_text(self, rng: random.Random, fmt: str | None = None) -> str:
        return formats.date_text(self.day, self.lang, rng, us=self.vendor.us, fmt=fmt)


STREETS: dict[str, tuple[str, ...]] = {
    "DE": ("Hauptstraße", "Bahnhofstraße", "Marktplatz"),
    "AT": ("Getreidegasse", "Ringstraße"),
    "CH": ("Bahnhofstrasse", "Marktgasse"),
    "FR": ("rue de la Paix", "avenue Victor Hugo", "boulevard Voltaire"),
    "ES": ("Calle Mayor", "Gran Vía", "Calle de Alcalá"),
    "IT": ("Via Roma", "Corso Garibaldi", "Via Dante"),
    "NL": ("Kalverstraat", "Oudegracht", "Dorpsstraat"),
    "MY": ("Jalan Ampang", "Jalan Tun Razak", "Lebuh Chulia"),
    "IN": ("MG Road", "Linking Road"),
    "JP": ("Shijo-dori", "Kawaramachi-dori"),
}
ENGLISH_STREETS = ("Market Street", "High Street", "King Street", "Main Street", "Station Road")
CITIES: dict[str, tuple[str, ...]] = {
    "US": ("Portland, OR 97205", "Austin, TX 78701", "Columbus, OH 43215"),
    "GB": ("Leeds LS1 4AP", "Bristol BS1 5TR", "London EC1V 9HX"),
    "DE": ("10115 Berlin", "04109 Leipzig", "50667 Köln"),
    "AT": ("5020 Salzburg", "1010 Wien"),
    "FR": ("75002 Paris", "69001 Lyon"),
    "ES": ("28013 Madrid", "08002 Barcelona"),
    "NL": ("1012 AB Amsterdam", "3511 LX Utrecht"),
    "IT": ("00184 Roma", "20121 Milano"),
    "CH": ("8001 Zürich", "3011 Bern"),
    "CA": ("Toronto, ON M5V 2T6", "Halifax, NS B3J 1S9"),
    "AU": ("Sydney NSW 2000", "Melbourne VIC 3000"),
    "IN": ("Mumbai 400001", "Bengaluru 560001"),
    "MY": ("50450 Kuala Lumpur", "10200 George Town, Penang"),
    "SG": ("Singapore 049315",),
    "SE": ("111 22 Stockholm",),
    "JP": ("Kyoto 604-8005",),
}
PAYMENTS = (
    "Visa ending in {d}",
    "Mastercard **** {d}",
    "AMEX ****{d}",
    "Debit card •••• {d}",
    "PayPal",
    "Apple Pay",
)


def _price(rng: random.Random, lo: float, hi: float, currency: str) -> Decimal:
    raw = rng.uniform(lo, hi) * UNITS_PER_USD[currency]
    if currency in formats.ZERO_DECIMALS:
        return Decimal(int(raw / 10) * 10 + 10)
    # Prices end the way shop prices do: .99, .49, .00 or anything.
    cents = rng.choice((99, 49, 0, 95, rng.randrange(100)))
    return Decimal(int(raw)) + Decimal(cents) / 100


def make_purchase(
    rng: random.Random,
    vendor: Vendor,
    day: dt.date,
    *,
    max_items: int = 4,
    lang: str | None = None,
) -> Purchase:
    """A consistent purchase: items, subtotal, tax, discount and total add up to the cent."""
    catalogue = ITEMS.get(vendor.kind, SERVICE_ITEMS)
    chosen = rng.sample(catalogue, k=rng.randint(1, min(max_items, len(catalogue))))
    items = []
    for description, lo, hi in chosen:
        qty = rng.choice((1, 1, 1, 2, 3)) if vendor.kind in {"grocery", "cafe", "marketplace", "food"} else 1
        unit = _price(rng, lo, hi, vendor.currency)
        items.append(Item(description, qty, unit, unit * qty))
    subtotal = sum((i.amount for i in items), Decimal(0))
    label, rate = TAX_RATES[vendor.country]
    included = vendor.country not in {"US", "CA"}
    discount = Decimal(0)
    if rng.random() < 0.15:
        discount = formats.quantize(subtotal * Decimal("0.1"), vendor.currency)
    base = subtotal - discount
    if included:
        tax = formats.quantize(base - base / Decimal(str(1 + rate)), vendor.currency)
        total = base
    else:
        tax = formats.quantize(base * Decimal(str(rate)), vendor.currency)
        total = base + tax
    lang = lang or vendor.lang
    style = rng.choice(formats.LANG_STYLES.get(lang, (formats.EN,)))
    if vendor.currency == "INR" and rng.random() < 0.5:
        style = formats.IN
    if vendor.currency == "CHF" and rng.random() < 0.5:
        style = formats.CH
    digits = f"{rng.randrange(10000):04d}"
    payment = rng.choice(PAYMENTS).format(d=digits)
    number = rng.choice(("INV-{y}-{n:05d}", "{n:08d}", "R{n:06d}", "#{n:07d}", "{p}-{n:06d}")).format(
        y=day.year, n=rng.randrange(1, 10**7), p=vendor.brand[:3].upper()
    )
    city = rng.choice(CITIES.get(vendor.country, CITIES["US"]))
    street = rng.choice(STREETS.get(vendor.country, ENGLISH_STREETS))
    house = str(rng.randint(1, 240))
    line = (
        f"{street} {house}" if vendor.country in {"DE", "AT", "CH", "NL", "IT", "ES"} else f"{house} {street}"
    )
    address = (line, city)
    return Purchase(
        vendor=vendor,
        day=day,
        time=dt.time(rng.randint(7, 22), rng.randrange(60), rng.randrange(60)),
        lang=lang,
        style=style,
        items=tuple(items),
        subtotal=subtotal,
        tax=tax,
        tax_label=label,
        tax_rate=rate,
        tax_included=included,
        discount=discount,
        total=total,
        payment=payment,
        number=number,
        customer=rng.choice(PEOPLE),
        address=address,
    )


def random_day(rng: random.Random) -> dt.date:
    """A day in 2024-2026 (fixed range, so output never depends on today's date)."""
    return dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
