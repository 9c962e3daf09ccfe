"""Paper layouts: a `Purchase` laid out as rows of a till receipt or an invoice page.

Each layout is a template with an id and a split; the "unseen" ones use other labels, orders
and column arrangements, so rules tuned on the seen ones can be checked on something new.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from corpus import formats
from corpus.document import Purchase
from corpus.render import Row


@dataclass(frozen=True)
class Paper:
    rows: list[Row]
    vendor: str  # the business name as printed at the head
    total: Decimal  # the amount paid or due
    layout: str
    split: str


def _paper_money(p: Purchase, value: Decimal, rng: random.Random, form: str | None = None) -> str:
    style = formats.FR if p.style is formats.FR_NBSP else p.style
    return formats.money(value, p.currency, rng, style, paper=True, form=form)


def _bare(p: Purchase, value: Decimal) -> str:
    style = formats.FR if p.style is formats.FR_NBSP else p.style
    return formats.number(value, p.currency, style)


def _paper_date(p: Purchase, rng: random.Random) -> str:
    fmts = [f for f in formats.DATE_FORMATS["en_us" if p.vendor.us else p.lang] if f.isascii()]
    return formats.date_text(p.day, p.lang, rng, us=p.vendor.us, fmt=rng.choice(fmts))


def _tax_label(p: Purchase) -> str:
    return p.tax_label if p.tax_label.isascii() else "TAX"


def _cash_rows(p: Purchase, total: Decimal, rng: random.Random) -> list[Row]:
    if rng.random() < 0.5 or p.currency in formats.ZERO_DECIMALS:
        return [Row("CARD", _bare(p, total)), Row(p.payment.upper())]
    tendered = (total // 10 + 1) * 10 + (10 if rng.random() < 0.3 else 0)
    return [Row("CASH", _bare(p, tendered)), Row("CHANGE", _bare(p, tendered - total))]


def _rounded(p: Purchase) -> Decimal:
    """Malaysian and Swiss tills round cash totals to 0.05."""
    return (p.total * 20).quantize(Decimal(1)) / 20


def retail(p: Purchase, rng: random.Random) -> Paper:
    """Seen: legal name at the head, items left/price right, TOTAL, payment and change."""
    rows = []
    if rng.random() < 0.5:
        rows.append(Row(p.vendor.brand.upper(), center=True, scale=1.5, bold=True))
    rows.append(Row(p.vendor.legal.upper() if rng.random() < 0.6 else p.vendor.legal, center=True, bold=True))
    rows += [Row(p.address[0], center=True), Row(p.address[1], center=True)]
    if p.vendor.country in {"MY", "SG", "IN"}:
        rows.append(Row(f"GST ID: {rng.randrange(10**11, 10**12)}", center=True))
    rows.append(Row(f"Tel: +{rng.randint(1, 99)} {rng.randrange(10**8, 10**9)}", center=True))
    rows += [
        Row(),
        Row(f"Date: {_paper_date(p, rng)}", p.time.strftime("%H:%M")),
        Row(f"Receipt: {p.number}"),
    ]
    rows.append(Row("-" * 24, center=True, rule=True))
    for it in p.items:
        label = it.description if it.qty == 1 else f"{it.qty} x {it.description}"
        rows.append(Row(label, _bare(p, it.amount)))
    rows.append(Row("-" * 24, center=True, rule=True))
    rows.append(Row("Subtotal", _bare(p, p.subtotal)))
    if p.discount:
        rows.append(Row("Discount", "-" + _bare(p, p.discount)))
    tax = f"{_tax_label(p)} {p.tax_rate * 100:g}%"
    rows.append(Row(f"incl. {tax}" if p.tax_included else tax, _bare(p, p.tax)))
    total = p.total
    if p.currency in {"MYR", "CHF"} and _rounded(p) != p.total:
        rows.append(Row("Total", _bare(p, p.total)))
        rows.append(Row("Rounding Adj", _bare(p, _rounded(p) - p.total)))
        total = _rounded(p)
    rows.append(Row("TOTAL", _paper_money(p, total, rng), bold=True, scale=1.2))
    rows += _cash_rows(p, total, rng)
    rows += [
        Row(),
        Row(
            rng.choice(("THANK YOU", "Thank you, come again!", "Goods sold are not returnable")), center=True
        ),
    ]
    return Paper(rows, p.vendor.legal, total, "paper-retail", "seen")


def thermal(p: Purchase, rng: random.Random) -> Paper:
    """Seen: narrow till roll, qty x unit on a second line, a tax summary that repeats amounts."""
    rows = [Row(p.vendor.legal.upper(), center=True, bold=True)]
    rows += [Row(line.upper(), center=True) for line in p.address]
    rows += [
        Row("=" * 20, center=True, rule=True),
        Row(f"{_paper_date(p, rng)} {p.time.strftime('%H:%M:%S')}"),
    ]
    rows += [Row(f"TRN {p.number}"), Row(f"CASHIER: {rng.choice(('ANA', 'MIKE', 'S. LEE', '04'))}")]
    for it in p.items:
        rows.append(Row(it.description.upper(), _bare(p, it.amount)))
        if it.qty > 1:
            rows.append(Row(f"  {it.qty} @ {_bare(p, it.unit)}"))
    rows.append(Row("=" * 20, center=True, rule=True))
    rows.append(Row(f"{len(p.items)} ITEMS", ""))
    if p.discount:
        rows.append(Row("MEMBER SAVINGS", "-" + _bare(p, p.discount)))
    total = _rounded(p) if p.currency == "MYR" else p.total
    rows.append(Row("TOTAL", _bare(p, total), bold=True))
    rows += _cash_rows(p, total, rng)
    rows.append(Row(f"{_tax_label(p)} SUMMARY", ""))
    base = p.total - p.tax
    rows.append(Row(f"{_tax_label(p)} {p.tax_rate * 100:g}%  {_bare(p, base)}", _bare(p, p.tax)))
    rows.append(
        Row(rng.choice(("*** THANK YOU ***", "PLEASE KEEP YOUR RECEIPT", "VISIT AGAIN")), center=True)
    )
    return Paper(rows, p.vendor.legal, total, "paper-thermal", "seen")


def cafe(p: Purchase, rng: random.Random) -> Paper:
    """Seen: a small shop printing only its brand (the truth then is the brand), time in 12-hour form."""
    rows = [Row(p.vendor.brand, center=True, scale=1.6, bold=True), Row(p.address[1], center=True), Row()]
    rows.append(Row(f"{_paper_date(p, rng)}  {p.time.strftime('%I:%M %p')}"))
    rows.append(Row(f"Order {p.number[-4:]}"))
    rows += [Row(f"{it.qty} {it.description}", _bare(p, it.amount)) for it in p.items]
    rows += [Row(), Row("Subtotal", _bare(p, p.subtotal))]
    if not p.tax_included:
        rows.append(Row(_tax_label(p), _bare(p, p.tax)))
    rows.append(Row("Total", _paper_money(p, p.total, rng), bold=True))
    rows.append(Row(p.payment))
    rows.append(
        Row(rng.choice(("Have a lovely day!", "See you soon", "Follow us @" + p.vendor.domain)), center=True)
    )
    return Paper(rows, p.vendor.brand, p.total, "paper-cafe", "seen")


def unseen_ledger(p: Purchase, rng: random.Random) -> Paper:
    """Unseen: quantity first, BALANCE DUE / AMOUNT TENDERED wording, date and time on their own lines."""
    rows = [Row(p.vendor.legal, center=True, bold=True, scale=1.1)]
    rows.append(Row(f"Co. Reg. {rng.randrange(10**5, 10**6)}-{rng.choice('ABCDHKTUVW')}", center=True))
    rows += [Row(p.address[0] + ", " + p.address[1], center=True), Row()]
    rows += [Row("INVOICE/RECEIPT", center=True, bold=True), Row("DOC NO", p.number)]
    rows += [Row("DATE", _paper_date(p, rng)), Row("TIME", p.time.strftime("%H:%M"))]
    rows.append(Row("QTY DESCRIPTION", "AMT"))
    rows += [Row(f"{it.qty:>2} {it.description}", _bare(p, it.amount)) for it in p.items]
    rows.append(Row("NET", _bare(p, p.net)))
    rows.append(Row(f"{_tax_label(p)} ({'INCL' if p.tax_included else 'ADD'})", _bare(p, p.tax)))
    rows.append(Row("BALANCE DUE", _paper_money(p, p.total, rng), bold=True))
    rows.append(Row("AMOUNT TENDERED", _bare(p, p.total)))
    rows.append(Row("THIS IS YOUR OFFICIAL RECEIPT", center=True))
    return Paper(rows, p.vendor.legal, p.total, "paper-unseen-ledger", "unseen")


def unseen_columns(p: Purchase, rng: random.Random) -> Paper:
    """Unseen: two columns throughout (header facts left and right), 'Grand Total' above the items' tax."""
    rows = [Row(p.vendor.legal, p.vendor.brand, bold=True)]
    rows.append(Row(p.address[0], f"No. {p.number}"))
    rows.append(Row(p.address[1], _paper_date(p, rng)))
    rows += [Row(), Row("Item", "Price")]
    rows += [Row(it.description, _bare(p, it.amount)) for it in p.items]
    rows += [Row(), Row("Grand Total", _paper_money(p, p.total, rng), bold=True)]
    rows.append(
        Row(
            f"of which {_tax_label(p)}" if p.tax_included else f"{_tax_label(p)} included above",
            _bare(p, p.tax),
        )
    )
    rows.append(Row(f"Paid by {p.payment}", _bare(p, p.total)))
    return Paper(rows, p.vendor.legal, p.total, "paper-unseen-columns", "unseen")


def invoice(p: Purchase, rng: random.Random) -> Paper:
    """An invoice page in two columns: seller left, invoice facts right, then the item table."""
    lab = formats.LABELS.get(p.lang, formats.LABELS["en"])
    name, _ = p.customer
    rows = [Row(p.vendor.legal, lab["invoice"].upper(), bold=True, scale=1.3)]
    rows.append(Row(p.address[0], f"{lab['number']} {p.number}"))
    rows.append(Row(p.address[1], f"{lab['date']}: {_paper_date(p, rng)}"))
    rows.append(
        Row(f"{lab['vat_id']} {p.vendor.country}{rng.randrange(10**8, 10**9)}", f"{lab['bill_to']}: {name}")
    )
    rows += [Row(), Row(lab["desc"], lab["amount"], bold=True)]
    rows += [Row(f"{it.qty} x {it.description}", _bare(p, it.amount)) for it in p.items]
    rows.append(Row())
    if p.discount:
        rows.append(Row(lab.get("discount", "Discount"), "-" + _bare(p, p.discount)))
    rows.append(Row(lab["subtotal"], _bare(p, p.net)))
    rows.append(Row(f"{lab['tax']} {p.tax_rate * 100:g}%", _bare(p, p.tax)))
    rows.append(Row(lab["total"], _paper_money(p, p.total, rng), bold=True))
    rows += [Row(), Row(lab["thanks"])]
    return Paper(rows, p.vendor.legal, p.total, "paper-invoice", "seen")


LAYOUTS: dict[str, tuple[Callable[[Purchase, random.Random], Paper], ...]] = {
    "seen": (retail, thermal, cafe),
    "unseen": (unseen_ledger, unseen_columns),
}
