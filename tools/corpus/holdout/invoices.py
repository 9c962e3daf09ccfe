"""PDF invoices as businesses send them, in en/de/fr/es/nl/it: the seller's name as a
letterhead, a return-address line, the customer's address block (often a company too), a
metadata block where the invoice date stands beside the order, delivery and due dates, an
item table (position, description, quantity, unit price, VAT rate, amount), a totals block
(net, VAT, gross: "Total TTC", "Gesamtbetrag", "Importe total", ...), payment terms that name
another date and the legal footer (registry, VAT id, IBAN). A share are printed and scanned:
image-only pages.

The truth vendor is the seller's legal name; the total the gross amount due; the date the
invoice date.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from fpdf import FPDF
from PIL import Image, ImageFilter

from corpus.formats import MONTHS

_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Seller:
    brand: str
    legal: str
    street: str
    city: str
    lang: str
    currency: str
    footer: str  # registry, VAT id, bank


SELLERS: tuple[Seller, ...] = (
    Seller(
        "NORTHWIND",
        "Northwind Print Solutions Ltd",
        "Unit 7, Riverside Park",
        "Leeds LS10 1QX",
        "en",
        "GBP",
        "Registered in England No. 09876543 · VAT GB 318 2297 41 · Sort code 20-45-77 Acc 43118820",
    ),
    Seller(
        "Brightline",
        "Brightline Analytics LLC",
        "1450 Market St, Suite 300",
        "San Francisco, CA 94103",
        "en",
        "USD",
        "EIN 84-2231907 · Remit to: Brightline Analytics LLC, PO Box 88120, Chicago IL 60680",
    ),
    Seller(
        "holzwerk",
        "Holzwerk Innenausbau GmbH",
        "Am Sägewerk 4",
        "79098 Freiburg im Breisgau",
        "de",
        "EUR",
        "Amtsgericht Freiburg HRB 712 334 · Geschäftsführer: M. Kessler · USt-IdNr. DE 287 119 660 · "
        "IBAN DE12 6805 0101 0012 3456 78",
    ),
    Seller(
        "Kanzlei Brandt",
        "Brandt & Partner Steuerberatung PartG mbB",
        "Königsallee 92",
        "40212 Düsseldorf",
        "de",
        "EUR",
        "PR 1187 AG Essen · St.-Nr. 103/5712/0451 · IBAN DE44 3005 0110 1009 8877 66",
    ),
    Seller(
        "ATELIER LUMIÈRE",
        "Atelier Lumière SARL",
        "18 rue des Tanneurs",
        "69002 Lyon",
        "fr",
        "EUR",
        "SARL au capital de 8 000 € · RCS Lyon 812 554 907 · TVA FR 41 812554907 · IBAN FR76 "
        "3000 4000 0312 3456 7890 143",
    ),
    Seller(
        "Transports Garnier",
        "Transports Garnier S.A.S.",
        "ZA des Près, 3 allée Bleue",
        "44300 Nantes",
        "fr",
        "EUR",
        "SAS au capital de 50 000 € · SIRET 523 998 114 00027 · TVA intracom. FR 09 523998114",
    ),
    Seller(
        "Reformas Albaicín",
        "Reformas Albaicín S.L.",
        "Calle San Juan de los Reyes 21",
        "18010 Granada",
        "es",
        "EUR",
        "Inscrita en el Registro Mercantil de Granada, Tomo 1422, Folio 88 · CIF B18774512 · "
        "IBAN ES91 2100 0418 4502 0005 1332",
    ),
    Seller(
        "Consultoría Nexo",
        "Nexo Consultores Asociados S.A.",
        "Paseo de la Castellana 141",
        "28046 Madrid",
        "es",
        "EUR",
        "CIF A87123456 · Registro Mercantil de Madrid · IBAN ES12 0049 1500 0512 3456 7892",
    ),
    Seller(
        "Groenhuis",
        "Groenhuis Installatietechniek B.V.",
        "Industrieweg 18",
        "3542 AD Utrecht",
        "nl",
        "EUR",
        "KvK 30187766 · BTW NL8187.66.123.B01 · IBAN NL91 ABNA 0417 1643 00",
    ),
    Seller(
        "Fietsatelier Noord",
        "Fietsatelier Noord V.O.F.",
        "Meeuwenlaan 55",
        "1021 HS Amsterdam",
        "nl",
        "EUR",
        "KvK 67554412 · BTW-id NL002345567B44 · IBAN NL20 INGB 0001 2345 67",
    ),
    Seller(
        "Tipografia Moderna",
        "Tipografia Moderna S.r.l.",
        "Via dei Mille 12",
        "40121 Bologna",
        "it",
        "EUR",
        "Cap. soc. € 10.000 i.v. · REA BO-402211 · P.IVA IT 03122870371 · IBAN IT60 X054 2811 "
        "1010 0000 0123 456",
    ),
    Seller(
        "Studio Verdi",
        "Studio Verdi Ingegneria S.p.A.",
        "Corso Buenos Aires 47",
        "20124 Milano",
        "it",
        "EUR",
        "Capitale sociale € 120.000 · C.F. e P.IVA 09871230152 · REA MI-2119876",
    ),
)

CUSTOMERS = {
    "en": ("Harrow & Finch Ltd", "42 Cheapside", "London EC2V 6AA"),
    "de": ("Elbe Logistik GmbH", "Hafenstraße 12", "20457 Hamburg"),
    "fr": ("Boulangerie Marchand SARL", "5 place du Marché", "33000 Bordeaux"),
    "es": ("Hostal La Giralda S.L.", "Calle Mateos Gago 9", "41004 Sevilla"),
    "nl": ("Bakkerij Visser B.V.", "Grote Markt 3", "9711 LV Groningen"),
    "it": ("Ristorante Da Gino S.n.c.", "Piazza Navona 30", "00186 Roma"),
}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "INVOICE",
        "number": "Invoice No.",
        "date": "Invoice date",
        "order": "Order date",
        "delivery": "Delivery date",
        "due": "Due date",
        "customer_no": "Customer ID",
        "pos": "#",
        "desc": "Description",
        "qty": "Qty",
        "unit": "Unit price",
        "vat": "VAT",
        "amount": "Amount",
        "net": "Subtotal",
        "tax": "VAT {r}%",
        "total": "Total due",
        "terms": "Payment due by {d}. Please quote the invoice number.",
        "thanks": "Thank you for your business.",
        "bill": "Bill to",
    },
    "de": {
        "title": "RECHNUNG",
        "number": "Rechnungsnummer",
        "date": "Rechnungsdatum",
        "order": "Bestelldatum",
        "delivery": "Lieferdatum",
        "due": "Fällig am",
        "customer_no": "Kundennummer",
        "pos": "Pos.",
        "desc": "Bezeichnung",
        "qty": "Menge",
        "unit": "Einzelpreis",
        "vat": "USt.",
        "amount": "Gesamt",
        "net": "Nettobetrag",
        "tax": "zzgl. {r}% USt.",
        "total": "Gesamtbetrag",
        "terms": "Zahlbar bis {d} ohne Abzug.",
        "thanks": "Vielen Dank für Ihren Auftrag.",
        "bill": "Rechnungsempfänger",
    },
    "fr": {
        "title": "FACTURE",
        "number": "Facture n°",
        "date": "Date de facture",
        "order": "Date de commande",
        "delivery": "Date de livraison",
        "due": "Date d'échéance",
        "customer_no": "Réf. client",
        "pos": "N°",
        "desc": "Désignation",
        "qty": "Qté",
        "unit": "P.U. HT",
        "vat": "TVA",
        "amount": "Montant HT",
        "net": "Total HT",
        "tax": "TVA {r} %",
        "total": "Total TTC",
        "terms": "Règlement à réception, au plus tard le {d}. Pénalités de "
        "retard : 3 fois le taux d'intérêt légal.",
        "thanks": "Merci de votre confiance.",
        "bill": "Facturé à",
    },
    "es": {
        "title": "FACTURA",
        "number": "Nº de factura",
        "date": "Fecha de factura",
        "order": "Fecha de pedido",
        "delivery": "Fecha de entrega",
        "due": "Fecha de vencimiento",
        "customer_no": "Nº cliente",
        "pos": "Ref.",
        "desc": "Concepto",
        "qty": "Cant.",
        "unit": "Precio unit.",
        "vat": "IVA",
        "amount": "Importe",
        "net": "Base imponible",
        "tax": "IVA {r}%",
        "total": "Importe total",
        "terms": "Forma de pago: transferencia antes del {d}.",
        "thanks": "Gracias por su confianza.",
        "bill": "Cliente",
    },
    "nl": {
        "title": "FACTUUR",
        "number": "Factuurnummer",
        "date": "Factuurdatum",
        "order": "Besteldatum",
        "delivery": "Leverdatum",
        "due": "Vervaldatum",
        "customer_no": "Klantnummer",
        "pos": "Nr.",
        "desc": "Omschrijving",
        "qty": "Aantal",
        "unit": "Prijs",
        "vat": "BTW",
        "amount": "Bedrag",
        "net": "Subtotaal excl. BTW",
        "tax": "BTW {r}%",
        "total": "Totaal incl. BTW",
        "terms": "Gelieve te betalen vóór {d} onder vermelding van het factuurnummer.",
        "thanks": "Bedankt voor uw opdracht.",
        "bill": "Factuuradres",
    },
    "it": {
        "title": "FATTURA",
        "number": "Fattura n.",
        "date": "Data fattura",
        "order": "Data ordine",
        "delivery": "Data consegna",
        "due": "Scadenza",
        "customer_no": "Cod. cliente",
        "pos": "Pos.",
        "desc": "Descrizione",
        "qty": "Q.tà",
        "unit": "Prezzo unit.",
        "vat": "IVA",
        "amount": "Importo",
        "net": "Imponibile",
        "tax": "IVA {r}%",
        "total": "Totale documento",
        "terms": "Pagamento: bonifico bancario entro il {d}.",
        "thanks": "Grazie per averci scelto.",
        "bill": "Spett.le",
    },
}

WORK = {
    "en": (
        "Brochure print run A5, 2,500 copies",
        "Design hours",
        "Data pipeline maintenance (March)",
        "Dashboard licence, 5 seats",
        "Courier delivery",
    ),
    "de": (
        "Einbauschrank Eiche nach Maß",
        "Montage (Std.)",
        "Anfahrtspauschale",
        "Lohnbuchhaltung März",
        "Jahresabschluss 2018 (Anteil)",
    ),
    "fr": (
        "Conception graphique catalogue",
        "Impression offset 1 000 ex.",
        "Transport Lyon - Nantes, palette",
        "Frais de manutention",
        "Retouche photo (heures)",
    ),
    "es": (
        "Reforma de baño, mano de obra",
        "Material de fontanería",
        "Alicatado (m²)",
        "Consultoría estratégica (horas)",
        "Desplazamiento",
    ),
    "nl": (
        "Onderhoud cv-ketel",
        "Vervangen expansievat",
        "Voorrijkosten",
        "Fietsreparatie: nieuwe ketting",
        "Arbeid (uur)",
    ),
    "it": (
        "Stampa biglietti da visita (500 pz)",
        "Progettazione strutturale",
        "Sopralluogo tecnico",
        "Rilegatura tesi",
        "Consulenza (ore)",
    ),
}

RATES = {"en": (20,), "de": (19, 7), "fr": (20, 10), "es": (21,), "nl": (21, 9), "it": (22,)}


def _date(d: dt.date, lang: str, us: bool, long_form: bool) -> str:
    if long_form:
        m = MONTHS[lang][d.month - 1]
        return {
            "en": f"{m} {d.day}, {d.year}" if us else f"{d.day} {m} {d.year}",
            "de": f"{d.day}. {m} {d.year}",
            "fr": f"{d.day} {m} {d.year}",
            "es": f"{d.day} de {m} de {d.year}",
            "nl": f"{d.day} {m} {d.year}",
            "it": f"{d.day} {m} {d.year}",
        }[lang]
    if us:
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    sep = {"de": ".", "nl": "-"}.get(lang, "/")
    return f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}"


def _num(v: Decimal, lang: str) -> str:
    s = f"{v:,.2f}"
    if lang == "en":
        return s
    if lang == "fr":
        return s.replace(",", "\u00a0").replace(".", ",")
    return s.replace(",", "X").replace(".", ",").replace("X", ".")


def _cur(v: Decimal, lang: str, currency: str) -> str:
    n = _num(v, lang)
    if currency == "GBP":
        return f"£{n}"
    if currency == "USD":
        return f"${n}"
    return f"€ {n}" if lang in {"nl", "it"} else f"{n} €"


@dataclass
class Invoice:
    data: bytes
    vendor: str
    total: Decimal
    currency: str
    day: dt.date
    features: list[str]


def make(seller: Seller, rng: random.Random, day: dt.date) -> Invoice:  # noqa: PLR0915 - one page, top to bottom
    lang = seller.lang
    lab = LABELS[lang]
    us = seller.currency == "USD"
    feats = [f"lang-{lang}"]
    long_form = rng.random() < 0.4
    feats.append("date-long" if long_form else "date-numeric")
    order_day = day - dt.timedelta(days=rng.randint(3, 25))
    delivery_day = (
        day - dt.timedelta(days=rng.randint(0, 3)) if rng.random() < 0.7 else day + dt.timedelta(days=5)
    )
    due_day = day + dt.timedelta(days=rng.choice((14, 30, 45)))
    # Items.
    rate = rng.choice(RATES[lang])
    items = []
    for desc in rng.sample(WORK[lang], k=rng.randint(1, 4)):
        qty = rng.choice((1, 1, 2, 3, 5, 8, 12))
        unit = Decimal(str(round(rng.uniform(15, 900), 2))).quantize(Decimal("0.01"))
        items.append((desc, qty, unit, (unit * qty).quantize(Decimal("0.01"))))
    net = sum((a for *_, a in items), Decimal(0))
    tax = (net * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    gross = net + tax
    pdf = FPDF(format="A4")
    pdf.set_creation_date(_EPOCH)
    pdf.set_producer("holdout")
    pdf.core_fonts_encoding = "windows-1252"
    family = rng.choice(("helvetica", "times"))
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    m = 18
    pdf.set_margins(m, 15, m)
    # Letterhead: the brand big, sometimes the title opposite.
    pdf.set_xy(m, 15)
    pdf.set_font(family, "B", rng.choice((20, 24, 28)))
    pdf.cell(110, 12, seller.brand)
    pdf.set_font(family, "B", 16)
    pdf.cell(0, 12, lab["title"], align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    if rng.random() < 0.6:
        pdf.cell(0, 5, f"{seller.street} · {seller.city}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    # Return-address line above the customer block (German-style window envelopes).
    pdf.set_font(family, "U", 7)
    pdf.cell(90, 4, f"{seller.legal} · {seller.street} · {seller.city}")
    y_block = pdf.get_y() + 5
    cust = CUSTOMERS[lang]
    pdf.set_xy(m, y_block)
    pdf.set_font(family, "", 10)
    if rng.random() < 0.5:
        pdf.set_font(family, "B", 9)
        pdf.cell(90, 5, lab["bill"] + ":", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 10)
        feats.append("bill-to-label")
    for line in cust:
        pdf.cell(90, 5.5, line, new_x="LMARGIN", new_y="NEXT")
    # The metadata block at the right: which date comes first varies.
    meta = [
        (
            lab["number"],
            f"{rng.choice(('INV-', 'RE-', 'F', 'FA', ''))}{day.year}-{rng.randint(100, 9999):04d}",
        ),
        (lab["customer_no"], str(rng.randint(10000, 99999))),
    ]
    dated = [(lab["date"], day), (lab["due"], due_day)]
    if rng.random() < 0.6:
        dated.insert(0, (lab["order"], order_day))
        feats.append("order-date")
    if rng.random() < 0.6:
        dated.insert(rng.randint(0, len(dated)), (lab["delivery"], delivery_day))
        feats.append("delivery-date")
    if dated[0][0] != lab["date"]:
        feats.append("invoice-date-not-first")
    meta += [(k, _date(v, lang, us, long_form)) for k, v in dated]
    pdf.set_xy(118, y_block)
    for k, v in meta:
        pdf.set_x(118)
        pdf.set_font(family, "", 9)
        pdf.cell(38, 5.5, k)
        pdf.set_font(family, "B", 9)
        pdf.cell(0, 5.5, v, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), y_block + 30) + 10)
    # Items table.
    cols = [
        (lab["pos"], 10, "L"),
        (lab["desc"], 78, "L"),
        (lab["qty"], 16, "R"),
        (lab["unit"], 26, "R"),
        (lab["vat"], 14, "R"),
        (lab["amount"], 30, "R"),
    ]
    pdf.set_font(family, "B", 9)
    pdf.set_fill_color(230, 230, 230)
    for name, w, align in cols:
        pdf.cell(w, 7, name, border="B", align=align, fill=True)
    pdf.ln(7)
    pdf.set_font(family, "", 9)
    for n, (desc, qty, unit, amount) in enumerate(items, 1):
        cells = [str(n), desc, str(qty), _num(unit, lang), f"{rate}%", _num(amount, lang)]
        for (_, w, align), text in zip(cols, cells, strict=True):
            pdf.cell(w, 6.5, text, align=align)
        pdf.ln(6.5)
    pdf.ln(4)
    # Totals block, right.
    x = 112
    for label, value, bold in (
        (lab["net"], _cur(net, lang, seller.currency), False),
        (lab["tax"].format(r=rate), _cur(tax, lang, seller.currency), False),
        (lab["total"], _cur(gross, lang, seller.currency), True),
    ):
        pdf.set_x(x)
        pdf.set_font(family, "B" if bold else "", 11 if bold else 9.5)
        pdf.cell(46, 7, label, border="T" if bold else "")
        pdf.cell(0, 7, value, align="R", border="T" if bold else "", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font(family, "", 9)
    pdf.multi_cell(0, 5, lab["terms"].format(d=_date(due_day, lang, us, long_form)))
    pdf.ln(2)
    pdf.cell(0, 5, lab["thanks"], new_x="LMARGIN", new_y="NEXT")
    # Legal footer.
    pdf.set_y(-30)
    pdf.set_font(family, "", 7)
    pdf.multi_cell(0, 3.5, f"{seller.legal} · {seller.street} · {seller.city}\n{seller.footer}", align="C")
    return Invoice(bytes(pdf.output()), seller.legal, gross, seller.currency, day, feats)


def _scanned(data: bytes, rng: random.Random) -> bytes:
    """The invoice printed and scanned: one grey JPEG page per sheet, no text layer."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        page = doc[0]
        img = page.render(scale=rng.uniform(150, 220) / 72).to_pil().convert("L")
    finally:
        doc.close()
    img = img.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=250)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.9)))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=rng.randint(50, 75))
    out = FPDF(format="A4")
    out.set_creation_date(_EPOCH)
    out.set_producer("holdout scanner")
    out.add_page()
    out.image(io.BytesIO(buf.getvalue()), x=0, y=0, w=210)
    return bytes(out.output())


def write(out: Path, seed: int) -> list[dict[str, Any]]:
    """Each seller's invoice once; every fourth printed and scanned: pdfs/."""
    (out / "pdfs").mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for i, seller in enumerate(SELLERS):
        rng = random.Random(f"holdout-invoice:{seed}:{i}")
        day = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(0, 3000))
        inv = make(seller, rng, day)
        data = inv.data
        if i % 4 == 3:
            data = _scanned(data, rng)
            inv.features.append("scanned")
        name = f"pdfs/invoice-{i:03d}.pdf"
        (out / name).write_bytes(data)
        rows.append(
            {
                "id": f"holdout-invoice-{i:03d}",
                "kind": "pdf",
                "path": name,
                "is_receipt": True,
                "vendor": inv.vendor,
                "total": float(inv.total),
                "currency": inv.currency,
                "date": inv.day.isoformat(),
                "template": f"invoice-{seller.lang}",
                "borderline": False,
                "lang": seller.lang,
                "features": inv.features,
            }
        )
    return rows
