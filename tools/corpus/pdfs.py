"""PDF invoices: with a text layer (fpdf2, in en/de/fr/es/nl/it) or scanned (image-only pages).

A text-layer invoice prints distractors a careless reader takes for the answer: the due date
beside the invoice date, the customer's name beside the seller's, the net beside the total.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, replace
from decimal import Decimal

from fpdf import FPDF

from corpus import fonts, formats, layouts, render
from corpus.document import Purchase

PDF_LANGS = ("en", "de", "fr", "es", "nl", "it")
# A fixed creation date: the same seed writes the same bytes.
_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Pdf:
    data: bytes
    vendor: str
    total: Decimal
    layout: str
    split: str
    text: list[str]  # what the text layer says, in order (empty for scans)


CORE_FACES = ("helvetica", "times", "courier")


def _encodable(lines: list[tuple[str, str, bool, float]]) -> bool:
    try:
        for left, right, _, _ in lines:
            (left + right).encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


# Characters the Latin TrueType faces lack, as a Western invoice would print them instead.
_SUBSTITUTES = str.maketrans({"\uffe5": "¥", "円": " JPY", "\u202f": " "})


def _printable(text: str) -> str:
    return text.translate(_SUBSTITUTES)


class _Writer:
    """Collects lines (left part, right-aligned part), then lays them out in one font.

    The PDF core fonts (no embedding: ~7 ms a document) are used when every character is in
    Windows-1252; an embedded TrueType face otherwise and for a share of documents anyway.
    """

    def __init__(self) -> None:
        self.specs: list[tuple[str, str, bool, float]] = []

    def line(self, left: str, right: str = "", *, bold: bool = False, size: float = 10) -> None:
        self.specs.append((_printable(left), _printable(right), bold, size))

    def gap(self) -> None:
        self.specs.append(("", "", False, 7))

    @property
    def lines(self) -> list[str]:
        return [" ".join(p for p in (left, right) if p) for left, right, _, _ in self.specs if left or right]

    def output(self, rng: random.Random) -> bytes:
        pdf = FPDF(format=rng.choice(("A4", "Letter")))
        pdf.set_creation_date(_EPOCH)
        pdf.set_producer("corpus")
        if _encodable(self.specs) and rng.random() < 0.8:
            pdf.core_fonts_encoding = "windows-1252"
            family = rng.choice(CORE_FACES)
        else:
            face = rng.choice([f for f in fonts.available() if not f.mono])
            pdf.add_font("body", "", face.regular)
            pdf.add_font("body", "B", face.bold)
            family = "body"
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()
        width = pdf.epw
        for left, right, bold, size in self.specs:
            pdf.set_font(family, "B" if bold else "", size)
            height = size * 0.55
            pdf.cell(width * 0.6, height, left)
            pdf.cell(width * 0.4, height, right, align="R", new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())


def text_invoice(p: Purchase, rng: random.Random, *, unseen: bool = False) -> Pdf:
    """An invoice with a text layer in the purchase's language (one of PDF_LANGS)."""
    lab = formats.LABELS[p.lang if p.lang in formats.LABELS else "en"]
    w = _Writer()
    due = p.day + dt.timedelta(days=rng.choice((14, 30)))
    fmt = rng.choice(formats.DATE_FORMATS["en_us" if p.vendor.us and p.lang == "en" else p.lang])
    issued = formats.date_text(p.day, p.lang, rng, us=p.vendor.us, fmt=fmt)
    due_text = formats.date_text(due, p.lang, rng, us=p.vendor.us, fmt=fmt)
    name, email = p.customer
    paid = rng.random() < 0.5
    if not unseen:
        w.line(p.vendor.legal, lab["invoice"].upper(), bold=True, size=16)
        w.line(p.address[0], f"{lab['number']} {p.number}")
        w.line(p.address[1], f"{lab['date']}: {issued}")
        w.line(
            f"{lab['vat_id']} {p.vendor.country}{rng.randrange(10**8, 10**9)}", f"{lab['due']}: {due_text}"
        )
        w.gap()
        w.line(f"{lab['bill_to']}:", bold=True)
        w.line(name)
        w.line(email)
        w.gap()
        w.line(f"{lab['desc']}   ({lab['qty']} x {lab['unit']})", lab["amount"], bold=True)
        for it in p.items:
            w.line(f"{it.description}   ({it.qty} x {p.num(it.unit)})", p.num(it.amount))
        w.gap()
        w.line("", f"{lab['subtotal']}: {p.num(p.net)}")
        w.line("", f"{lab['tax']} {p.tax_rate * 100:g}%: {p.num(p.tax)}")
        w.line("", f"{lab['total']}: {p.money(p.total, rng)}", bold=True, size=12)
        w.line("", f"{lab['paid'] if paid else lab['due_amount']}: {p.money(p.total, rng)}")
    else:
        # Unseen: customer first, the seller only in the footer-like block under the title,
        # totals as a "label ... amount" table with the currency code in its own column.
        w.line(lab["invoice"], bold=True, size=20)
        w.line(p.vendor.legal, bold=True, size=12)
        w.line(f"{p.address[0]} · {p.address[1]}")
        w.gap()
        w.line(f"{lab['bill_to']}: {name}", f"{lab['number']}: {p.number}")
        w.line(email, f"{lab['date']}: {issued}")
        w.line("", f"{lab['due']}: {due_text}")
        w.gap()
        for it in p.items:
            w.line(f"{it.qty}  {it.description}", f"{p.num(it.amount)} {p.currency}")
        w.gap()
        w.line(lab["tax"], f"{p.num(p.tax)} {p.currency}")
        w.line(lab["due_amount"] if not paid else lab["paid"], f"{p.num(p.total)} {p.currency}", bold=True)
        w.line(f"IBAN DE{rng.randrange(10**19, 10**20)}")
    w.gap()
    w.line(lab["thanks"])
    data = w.output(rng)
    layout = "pdf-unseen-text" if unseen else "pdf-text"
    return Pdf(data, p.vendor.legal, p.total, layout, "unseen" if unseen else "seen", w.lines)


def scanned(paper: layouts.Paper, rng: random.Random, preset: str = "scan") -> Pdf:
    """A PDF whose one page is a picture of a paper document: no text layer at all."""
    style = render.random_style(rng, preset, wide=paper.layout == "paper-invoice")
    style = replace(style, orientation=1, jpeg_quality=max(50, style.jpeg_quality))
    page = render.age(render.draw_rows(paper.rows, style), style, rng)
    buf = io.BytesIO()
    page.convert("L").save(buf, "JPEG", quality=style.jpeg_quality)
    pdf = FPDF(format="A4")
    pdf.set_creation_date(_EPOCH)
    pdf.set_producer("corpus scanner")
    pdf.add_page()
    ratio = page.height / page.width
    width = min(180.0, 250.0 / ratio)
    pdf.image(io.BytesIO(buf.getvalue()), x=15, y=15, w=width)
    return Pdf(bytes(pdf.output()), paper.vendor, paper.total, f"scan-{paper.layout}", paper.split, [])
