"""PDF invoices: the text layer says the truth in the document's language; scans have no text."""

from __future__ import annotations

import random

import pypdfium2
import pytest

from corpus import document, formats, layouts, pdfs, vendors


def _text(data: bytes) -> str:
    doc = pypdfium2.PdfDocument(data)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


@pytest.mark.parametrize("lang", pdfs.PDF_LANGS)
@pytest.mark.parametrize("unseen", [False, True])
def test_text_invoice_prints_vendor_total_and_labels(lang: str, unseen: bool) -> None:
    rng = random.Random(f"{lang}{unseen}")
    vendor = rng.choice([v for v in vendors.VENDORS if v.lang == lang] or list(vendors.VENDORS))
    p = document.make_purchase(rng, vendor, document.random_day(rng), lang=lang)
    pdf = pdfs.text_invoice(p, rng, unseen=unseen)
    text = " ".join(_text(pdf.data).split())
    assert pdf.vendor == vendor.legal
    assert pdf.vendor in text
    assert formats.number(pdf.total, p.currency, p.style).replace("\u202f", " ") in text.replace(
        "\u202f", " "
    )
    assert formats.LABELS[lang]["invoice"] in text
    assert pdf.split == ("unseen" if unseen else "seen")


def test_same_seed_same_pdf_bytes() -> None:
    def one() -> bytes:
        rng = random.Random(11)
        p = document.make_purchase(rng, vendors.VENDORS[10], document.random_day(rng), lang="de")
        return pdfs.text_invoice(p, rng).data

    assert one() == one()


def test_scanned_pdf_has_an_image_and_no_text() -> None:
    rng = random.Random(5)
    p = document.make_purchase(rng, vendors.VENDORS[-3], document.random_day(rng))
    pdf = pdfs.scanned(layouts.invoice(p, rng), rng)
    assert pdf.data.startswith(b"%PDF-")
    assert _text(pdf.data).strip() == ""
    assert b"/DCTDecode" in pdf.data  # the page is a JPEG
