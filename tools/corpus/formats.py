"""How amounts and dates are printed: locale number styles, currency symbols, date formats, labels."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Currencies without minor units in everyday print.
ZERO_DECIMALS = frozenset({"JPY", "KRW"})

# Each currency's ways of being written next to a number: "{n}" is the number.
SYMBOLS: dict[str, tuple[str, ...]] = {
    "USD": ("${n}", "USD {n}", "{n} USD", "US${n}"),
    "EUR": ("€{n}", "{n} €", "EUR {n}", "{n} EUR"),
    "GBP": ("£{n}", "GBP {n}", "£ {n}"),
    "JPY": ("¥{n}", "{n}円", "JPY {n}", "￥{n}"),
    "CAD": ("CA${n}", "{n} CAD", "CAD {n}", "C${n}"),
    "AUD": ("A${n}", "AU${n}", "AUD {n}", "{n} AUD"),
    "CHF": ("CHF {n}", "{n} CHF", "Fr. {n}"),
    "INR": ("₹{n}", "Rs. {n}", "INR {n}", "₹ {n}"),
    "MYR": ("RM{n}", "RM {n}", "MYR {n}"),
    "SGD": ("S${n}", "SGD {n}"),
    "SEK": ("{n} kr", "SEK {n}", "{n} SEK"),
}
# Symbols a scanned receipt prints: plain ASCII where the paper would have it.
PAPER_SYMBOLS: dict[str, tuple[str, ...]] = {
    "USD": ("${n}", "{n}"),
    "EUR": ("{n} EUR", "EUR {n}", "{n}"),
    "GBP": ("£{n}", "{n}"),
    "JPY": ("¥{n}", "{n}"),
    "CAD": ("C${n}", "{n} CAD", "CAD {n}"),
    "AUD": ("A${n}", "AUD {n}", "{n} AUD"),
    "CHF": ("CHF {n}", "{n}"),
    "INR": ("Rs.{n}", "{n}"),
    "MYR": ("RM{n}", "RM {n}", "{n}"),
    "SGD": ("S${n}", "{n}"),
    "SEK": ("{n} kr", "{n}"),
}


@dataclass(frozen=True)
class NumberStyle:
    """Grouping and decimal marks: ("," ".") prints 1,234.56; ("." ",") prints 1.234,56."""

    group: str
    decimal: str
    indian: bool = False


EN = NumberStyle(",", ".")
EU = NumberStyle(".", ",")
FR = NumberStyle(" ", ",")
FR_NBSP = NumberStyle("\u202f", ",")
CH = NumberStyle("'", ".")
IN = NumberStyle(",", ".", indian=True)

LANG_STYLES: dict[str, tuple[NumberStyle, ...]] = {
    "en": (EN,),
    "de": (EU,),
    "fr": (FR, FR_NBSP),
    "es": (EU,),
    "nl": (EU,),
    "it": (EU,),
    "ja": (EN,),
}


def quantize(value: Decimal, currency: str) -> Decimal:
    exp = Decimal(1) if currency in ZERO_DECIMALS else Decimal("0.01")
    return value.quantize(exp, rounding=ROUND_HALF_UP)


def number(value: Decimal, currency: str, style: NumberStyle = EN, *, grouping: bool = True) -> str:
    """The bare number: 1,234.56 / 1.234,56 / 1 234,56 / 1,23,456.78 / 1,234 (JPY)."""
    value = quantize(value, currency)
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):f}".partition(".")
    if grouping and len(whole) > 3:
        head, tail = whole[:-3], whole[-3:]
        groups: list[str] = []
        step = 2 if style.indian else 3
        while len(head) > step:
            groups.insert(0, head[-step:])
            head = head[:-step]
        groups.insert(0, head)
        whole = style.group.join([*groups, tail])
    return sign + whole + (style.decimal + frac if frac else "")


def money(
    value: Decimal,
    currency: str,
    rng: random.Random,
    style: NumberStyle = EN,
    *,
    paper: bool = False,
    form: str | None = None,
) -> str:
    """The amount with its currency, in one of the currency's usual forms (or `form` if given)."""
    forms = PAPER_SYMBOLS[currency] if paper else SYMBOLS[currency]
    return (form or rng.choice(forms)).format(n=number(value, currency, style))


MONTHS: dict[str, list[str]] = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "it": [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
}

# Date formats per language; {d} day, {dd} zero-padded, {m}/{mm} month, {mon} month name,
# {mon3} its three letters, {y} year, {yy} two digits. US-style month-first only in "en_us".
DATE_FORMATS: dict[str, tuple[str, ...]] = {
    "en_us": ("{mon} {d}, {y}", "{mm}/{dd}/{y}", "{mon3} {d}, {y}", "{y}-{mm}-{dd}", "{m}/{d}/{yy}"),
    "en": ("{d} {mon} {y}", "{dd}/{mm}/{y}", "{d} {mon3} {y}", "{y}-{mm}-{dd}", "{dd}-{mon3}-{y}"),
    "de": ("{dd}.{mm}.{y}", "{d}. {mon} {y}", "{y}-{mm}-{dd}", "{dd}.{mm}.{yy}"),
    "fr": ("{dd}/{mm}/{y}", "{d} {mon} {y}", "{y}-{mm}-{dd}"),
    "es": ("{dd}/{mm}/{y}", "{d} de {mon} de {y}", "{dd}-{mm}-{y}"),
    "nl": ("{dd}-{mm}-{y}", "{d} {mon} {y}", "{y}-{mm}-{dd}"),
    "it": ("{dd}/{mm}/{y}", "{d} {mon} {y}", "{dd}.{mm}.{y}"),
    "ja": ("{y}/{mm}/{dd}", "{y}年{m}月{d}日", "{y}-{mm}-{dd}"),
}


def date_text(
    day: dt.date, lang: str, rng: random.Random, *, us: bool = False, fmt: str | None = None
) -> str:
    """The date printed the way a vendor in `lang` (or the US, if `us`) would print it."""
    key = "en_us" if us and lang == "en" else lang
    chosen = fmt or rng.choice(DATE_FORMATS[key])
    names = MONTHS.get(lang, MONTHS["en"])
    name = names[day.month - 1]
    return chosen.format(
        d=day.day,
        dd=f"{day.day:02d}",
        m=day.month,
        mm=f"{day.month:02d}",
        mon=name,
        mon3=name[:3].title() if lang == "en" else name[:3],
        y=day.year,
        yy=f"{day.year % 100:02d}",
    )


# Labels per language for invoices and paper receipts.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "invoice": "Invoice",
        "receipt": "Receipt",
        "number": "Invoice no.",
        "date": "Date",
        "due": "Due date",
        "bill_to": "Bill to",
        "desc": "Description",
        "qty": "Qty",
        "unit": "Unit price",
        "amount": "Amount",
        "subtotal": "Subtotal",
        "tax": "VAT",
        "total": "Total",
        "paid": "Amount paid",
        "due_amount": "Amount due",
        "thanks": "Thank you for your business.",
        "vat_id": "VAT no.",
    },
    "de": {
        "invoice": "Rechnung",
        "receipt": "Quittung",
        "number": "Rechnungsnr.",
        "date": "Rechnungsdatum",
        "due": "Fällig am",
        "bill_to": "Rechnungsempfänger",
        "desc": "Beschreibung",
        "qty": "Menge",
        "unit": "Einzelpreis",
        "amount": "Betrag",
        "subtotal": "Zwischensumme",
        "tax": "MwSt.",
        "total": "Gesamtbetrag",
        "paid": "Bezahlt",
        "due_amount": "Zu zahlen",
        "thanks": "Vielen Dank für Ihren Auftrag.",
        "vat_id": "USt-IdNr.",
    },
    "fr": {
        "invoice": "Facture",
        "receipt": "Reçu",
        "number": "Facture n°",
        "date": "Date de facture",
        "due": "Date d'échéance",
        "bill_to": "Facturé à",
        "desc": "Désignation",
        "qty": "Qté",
        "unit": "Prix unitaire",
        "amount": "Montant",
        "subtotal": "Total HT",
        "tax": "TVA",
        "total": "Total TTC",
        "paid": "Montant payé",
        "due_amount": "Net à payer",
        "thanks": "Merci de votre confiance.",
        "vat_id": "N° TVA",
    },
    "es": {
        "invoice": "Factura",
        "receipt": "Recibo",
        "number": "Factura n.º",
        "date": "Fecha de emisión",
        "due": "Fecha de vencimiento",
        "bill_to": "Cliente",
        "desc": "Concepto",
        "qty": "Cant.",
        "unit": "Precio unitario",
        "amount": "Importe",
        "subtotal": "Base imponible",
        "tax": "IVA",
        "total": "Total",
        "paid": "Importe pagado",
        "due_amount": "Total a pagar",
        "thanks": "Gracias por su confianza.",
        "vat_id": "NIF",
    },
    "nl": {
        "invoice": "Factuur",
        "receipt": "Kassabon",
        "number": "Factuurnummer",
        "date": "Factuurdatum",
        "due": "Vervaldatum",
        "bill_to": "Factuuradres",
        "desc": "Omschrijving",
        "qty": "Aantal",
        "unit": "Prijs per stuk",
        "amount": "Bedrag",
        "subtotal": "Subtotaal",
        "tax": "BTW",
        "total": "Totaal",
        "paid": "Betaald",
        "due_amount": "Te betalen",
        "thanks": "Bedankt voor uw bestelling.",
        "vat_id": "BTW-nr.",
    },
    "it": {
        "invoice": "Fattura",
        "receipt": "Scontrino",
        "number": "Fattura n.",
        "date": "Data fattura",
        "due": "Scadenza",
        "bill_to": "Intestatario",
        "desc": "Descrizione",
        "qty": "Q.tà",
        "unit": "Prezzo unitario",
        "amount": "Importo",
        "subtotal": "Imponibile",
        "tax": "IVA",
        "total": "Totale",
        "paid": "Importo pagato",
        "due_amount": "Totale da pagare",
        "thanks": "Grazie per la fiducia.",
        "vat_id": "P. IVA",
    },
}
