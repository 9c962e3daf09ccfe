"""Till receipts as a thermal or dot-matrix printer prints them: fixed-width lines (32 to 48
characters), a shop heading, often the legal entity and its registration and tax numbers,
item lines with quantities and tax codes, a summary block (SUBTOTAL, TAX, ROUNDING, TOTAL,
CASH, CHANGE) and the distractors real tills print (a GST summary table, points, savings,
the time beside the date, a second date for a return deadline).

The truth vendor is the business name printed at the head of the receipt: the legal entity
when the head prints one, else the heading.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from corpus.holdout import camera


@dataclass(frozen=True)
class Shop:
    heading: str | None  # the brand printed big, if any
    legal: str | None  # the legal entity, if printed
    legal_at_head: bool  # the legal line stands among the first lines (else in the footer)
    reg: str  # registration / tax numbers line(s)
    address: tuple[str, ...]
    phone: str
    country: str
    kind: str


SHOPS: tuple[Shop, ...] = (
    Shop(
        "KEDAI RUNCIT AMAN JAYA",
        "AMAN JAYA MINIMART SDN BHD",
        True,
        "(1042277-W)  GST ID: 000871234560",
        ("LOT 12, JALAN PERDANA 3/2", "TAMAN PERDANA, 43000 KAJANG"),
        "TEL: 03-8736 2291",
        "MY",
        "grocery",
    ),
    Shop(
        None,
        "SYARIKAT PERNIAGAAN HOCK LEE SDN. BHD.",
        True,
        "CO. REG: 287765-M  GST REG NO: 001299884032",
        ("NO. 45, JALAN BESAR", "84000 MUAR, JOHOR"),
        "TEL: 06-952 4410",
        "MY",
        "hardware",
    ),
    Shop(
        "RESTORAN SELERA KAMPUNG",
        "SELERA KAMPUNG F&B ENTERPRISE SDN BHD",
        True,
        "(SA0412877-U) SST NO: W10-1808-32000871",
        ("NO 8 JALAN SS 15/4D", "47500 SUBANG JAYA"),
        "012-338 7710",
        "MY",
        "restaurant",
    ),
    Shop(
        "PUSTAKA ILMU",
        "ILMU STATIONERY & BOOKS S/B",
        True,
        "(881102-T)  GST No: 000412998711",
        ("G-07, PLAZA SERI SETIA", "JALAN SS9/2, 47300 PETALING JAYA"),
        "Tel/Fax: 03-7877 5521",
        "MY",
        "stationery",
    ),
    Shop(
        "FARMASI SIHAT",
        "SIHAT HEALTHCARE SDN BHD",
        True,
        "Company No. 1177201-D  GST: 002114560983",
        ("1-G JALAN KENARI 5", "BANDAR PUCHONG JAYA 47100 PUCHONG"),
        "Tel: 03-8070 1184",
        "MY",
        "pharmacy",
    ),
    Shop(
        "Lim's Kopitiam",
        "LIM BROTHERS FOOD PTE. LTD.",
        True,
        "UEN: 201734412K  GST Reg: M90-1234567-8",
        ("Blk 331 Clementi Ave 2 #01-18", "Singapore 120331"),
        "Tel: 6774 2210",
        "SG",
        "restaurant",
    ),
    Shop(
        "HARBOUR HARDWARE",
        "Harbour Hardware & Timber Ltd",
        True,
        "VAT No: GB 284 1193 57",
        ("Unit 4, Quayside Trading Estate", "Plymouth PL4 0RT"),
        "01752 660 418",
        "UK",
        "hardware",
    ),
    Shop(
        "The Copper Kettle",
        None,
        False,
        "VAT Reg No. 331 5520 18",
        ("14 Market Street", "Keswick CA12 5BU"),
        "Tel 017687 71129",
        "UK",
        "cafe",
    ),
    Shop(
        "Bäckerei Kornfeld",
        "Kornfeld Backwaren GmbH",
        False,
        "St.-Nr. 143/221/50871  USt-IdNr. DE 298 114 776",
        ("Lindenstraße 22", "50674 Köln"),
        "Tel. 0221 924 118",
        "DE",
        "cafe",
    ),
    Shop(
        "DROGERIE HELLWEG",
        "Hellweg Drogeriemarkt GmbH & Co. KG",
        True,
        "USt-ID: DE812774310",
        ("Westenhellweg 71", "44137 Dortmund"),
        "Tel: 0231 55 80 91",
        "DE",
        "pharmacy",
    ),
    Shop(
        "Coastline Bottle Shop",
        "Coastline Liquor Pty Ltd",
        True,
        "ABN 51 624 118 092",
        ("88 Marine Parade", "Coogee NSW 2034"),
        "(02) 9665 3107",
        "AU",
        "grocery",
    ),
    Shop(
        "GREEN VALLEY CO-OP",
        "Green Valley Cooperative Inc.",
        False,
        "Store #014",
        ("2210 Riverside Dr", "Eugene, OR 97401"),
        "(541) 344-2290",
        "US",
        "grocery",
    ),
    Shop(
        "Tony's Pizzeria",
        "Tony's Pizzeria LLC",
        True,
        "",
        ("415 W Main St", "Durham, NC 27701"),
        "919-555-0148",
        "US",
        "restaurant",
    ),
    Shop(
        "BUURTSUPER DE PIJP",
        "Buurtsuper Oosterpark B.V.",
        True,
        "KvK 71224590  BTW NL859112430B01",
        ("Oosterparkstraat 101", "1091 LE Amsterdam"),
        "020-665 1280",
        "NL",
        "grocery",
    ),
)

ITEMS: dict[str, tuple[tuple[str, float, float], ...]] = {
    "grocery": (
        ("MILO 3IN1 18'S", 8, 15),
        ("GARDENIA BREAD 400G", 2.5, 4.5),
        ("FRESH MILK 1L", 4, 7),
        ("EGG GRADE A 10S", 3.5, 6),
        ("MINERAL WATER 1.5L", 1, 2.5),
        ("RICE 5KG", 14, 28),
        ("COOKING OIL 2KG", 8, 13),
        ("INSTANT NOODLE 5S", 3, 6),
        ("BANANA PER KG", 2, 5),
    ),
    "hardware": (
        ('PVC PIPE 1/2" 3M', 5, 12),
        ("WOOD SCREW 8X1.5 100PC", 4, 9),
        ("MASKING TAPE 24MM", 1.5, 4),
        ('PAINT BRUSH 2"', 3, 8),
        ("SANDPAPER P120", 0.8, 2),
        ("CABLE TIE 200MM", 2, 6),
        ("SILICONE SEALANT CLEAR", 7, 16),
        ("HEX KEY SET 9PC", 9, 25),
    ),
    "restaurant": (
        ("NASI LEMAK AYAM", 7, 13),
        ("TEH TARIK", 1.8, 3.5),
        ("MEE GORENG MAMAK", 6, 10),
        ("KOPI O AIS", 1.6, 3),
        ("ROTI CANAI", 1.2, 2.5),
        ('MARGHERITA 12"', 11, 16),
        ("GARLIC KNOTS", 4, 7),
        ("SODA FOUNTAIN", 2, 3.5),
        ("CHICKEN RICE", 5, 8),
    ),
    "stationery": (
        ("A4 PAPER 80GSM 500S", 11, 19),
        ("BALL PEN BLUE 0.7", 0.8, 2.5),
        ("EXERCISE BOOK 80PG", 1.2, 3),
        ("CORRECTION TAPE", 2.5, 5),
        ("FILE HOLDER A4", 1.5, 4),
        ("STAPLER NO.10", 5, 12),
        ("HIGHLIGHTER 4S", 4, 9),
    ),
    "pharmacy": (
        ("PARACETAMOL 500MG 10S", 2, 6),
        ("VITAMIN C 1000MG 30S", 15, 40),
        ("HAND SANITIZER 500ML", 6, 14),
        ("FACE MASK 50PCS", 8, 25),
        ("PLASTER STRIPS 20S", 2, 6),
        ("ZAHNPASTA 75ML", 1.5, 4),
        ("DUSCHGEL 250ML", 1.2, 3.5),
    ),
    "cafe": (
        ("Flat White", 2.6, 4.2),
        ("Sconce w/ jam", 2.2, 3.8),
        ("Pot of tea", 2, 3.5),
        ("Bacon roll", 3.5, 6),
        ("Roggenbrot 750g", 2.8, 4.5),
        ("Laugenbrezel", 0.7, 1.3),
        ("Cappuccino", 2.4, 3.8),
        ("Apfelstrudel", 2.9, 4.4),
    ),
}


@dataclass
class Till:
    lines: list[tuple[str, str]]  # (text, style): style "" | "big" | "bold"
    width: int
    vendor: str
    total: Decimal
    currency: str
    day: dt.date
    features: list[str] = field(default_factory=list)


def _money(v: Decimal) -> str:
    return f"{v:,.2f}"


def _de(v: Decimal) -> str:
    return f"{v:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _q(v: float) -> Decimal:
    return Decimal(str(v)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def _date_text(day: dt.date, country: str, rng: random.Random) -> tuple[str, str]:
    """The date and time as the till prints them; the feature says which form."""
    t = dt.time(rng.randint(7, 21), rng.randint(0, 59), rng.randint(0, 59))
    hm = f"{t.hour:02d}:{t.minute:02d}"
    if country == "US":
        forms = [
            (f"{day.month:02d}/{day.day:02d}/{day.year}", "mdy"),
            (f"{day.month}/{day.day}/{day.year % 100:02d}", "mdy-short"),
        ]
    elif country == "DE":
        forms = [
            (f"{day.day:02d}.{day.month:02d}.{day.year}", "dmy-dot"),
            (f"{day.day:02d}.{day.month:02d}.{day.year % 100:02d}", "dmy-dot-short"),
        ]
    else:
        forms = [
            (f"{day.day:02d}/{day.month:02d}/{day.year}", "dmy"),
            (f"{day.day:02d}-{MONTHS[day.month - 1]}-{day.year % 100:02d}", "d-mon-yy"),
            (f"{day.year}.{day.month:02d}.{day.day:02d}", "ymd-dot"),
            (f"{day.day:02d}-{day.month:02d}-{day.year}", "dmy-dash"),
            (f"{day.day:02d}/{day.month:02d}/{day.year % 100:02d}", "dmy-short"),
        ]
    text, form = rng.choice(forms)
    if rng.random() < 0.5:
        ampm = f"{(t.hour - 1) % 12 + 1:02d}:{t.minute:02d}:{t.second:02d} {'PM' if t.hour >= 12 else 'AM'}"
        return f"{text} {ampm}", form
    return f"{text} {hm}", form


def _lr(left: str, right: str, width: int) -> str:
    gap = max(1, width - len(left) - len(right))
    return left + " " * gap + right


def _center(text: str, width: int) -> str:
    return text.center(width).rstrip()


def make(shop: Shop, rng: random.Random, day: dt.date) -> Till:  # noqa: PLR0912, PLR0915 - one receipt, top to bottom
    """One till receipt of `shop` on `day`."""
    width = rng.choice((32, 40, 42, 48)) if shop.country != "DE" else rng.choice((38, 42))
    fmt = _de if shop.country in {"DE", "NL"} else _money
    cur = {"MY": "MYR", "SG": "SGD", "UK": "GBP", "DE": "EUR", "NL": "EUR", "AU": "AUD", "US": "USD"}[
        shop.country
    ]
    sym = {"MY": "RM", "SG": "S$", "UK": "£", "DE": "EUR", "NL": "EUR", "AU": "$", "US": "$"}[shop.country]
    feats: list[str] = [f"till-{shop.country}", f"width-{width}"]
    lines: list[tuple[str, str]] = []

    def c(text: str, style: str = "") -> None:
        lines.append((_center(text, width), style))

    if shop.heading:
        c(shop.heading, "big")
    if shop.legal and shop.legal_at_head:
        if shop.heading and rng.random() < 0.4:
            c("Owned by:")
            feats.append("owned-by")
        c(shop.legal, "bold" if not shop.heading else "")
    if shop.reg and shop.country in {"MY", "SG"}:
        for part in shop.reg.split("  "):
            c(part)
    for a in shop.address:
        c(a)
    c(shop.phone)
    if shop.reg and shop.country not in {"MY", "SG"} and rng.random() < 0.7:
        c(shop.reg)
    lines.append(("", ""))
    title = {
        "MY": "TAX INVOICE",
        "SG": "TAX INVOICE",
        "UK": "RECEIPT",
        "DE": "Kassenbon",
        "NL": "KASSABON",
        "AU": "TAX INVOICE",
        "US": "",
    }[shop.country]
    if title:
        c(title, "bold")
    date_text, form = _date_text(day, shop.country, rng)
    feats.append(f"date-{form}")
    inv = f"{rng.choice(('CS', 'INV', 'R', 'T'))}{rng.randint(10, 99)}-{rng.randint(10000, 999999)}"
    if rng.random() < 0.5:
        lines.append((_lr(f"Inv No: {inv}", "", width), ""))
        lines.append((f"Date: {date_text}", ""))
    else:
        lines.append((_lr(date_text, f"#{rng.randint(100, 9999)}", width), ""))
        feats.append("date-unlabelled")
    lines.append((f"Cashier: {rng.choice(('AISYAH', 'KUMAR', 'MEI LING', 'SARAH', 'JOE', 'Kasse 2'))}", ""))
    lines.append(("-" * width, ""))
    # Items.
    pool = ITEMS[shop.kind]
    picked = rng.sample(pool, k=min(len(pool), rng.randint(1, 6)))
    subtotal = Decimal(0)
    qty_total = 0
    for desc, lo, hi in picked:
        unit = _q(rng.uniform(lo, hi))
        qty = rng.choice((1, 1, 1, 2, 3))
        amount = unit * qty
        subtotal += amount
        qty_total += qty
        code = " SR" if shop.country in {"MY", "SG"} else (" A" if shop.country == "DE" else "")
        if qty > 1 or rng.random() < 0.3:
            lines.append((desc[: width - 2], ""))
            lines.append((_lr(f"  {qty} x {fmt(unit)}", fmt(amount) + code, width), ""))
        else:
            lines.append((_lr(desc[: width - 12], fmt(amount) + code, width), ""))
    lines.append(("-" * width, ""))
    discount = Decimal(0)
    if rng.random() < 0.25:
        discount = _q(float(subtotal) * rng.choice((0.05, 0.1)))
        feats.append("discount")
    net_after = subtotal - discount
    rate = {
        "MY": Decimal("0.06"),
        "SG": Decimal("0.07"),
        "UK": Decimal("0.2"),
        "DE": Decimal("0.19"),
        "NL": Decimal("0.09"),
        "AU": Decimal("0.1"),
        "US": Decimal("0.0725"),
    }[shop.country]
    inclusive = shop.country in {"UK", "DE", "NL", "AU"} or (shop.country == "MY" and rng.random() < 0.5)
    if inclusive:
        gross = net_after
        tax = (gross - gross / (1 + rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    else:
        tax = (net_after * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        gross = net_after + tax
    rounded = gross
    if shop.country in {"MY", "SG"} or (shop.country == "AU" and rng.random() < 0.5):
        rounded = (gross * 20).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 20
        rounded = rounded.quantize(Decimal("0.01"))

    def summary(label: str, value: str) -> None:
        lines.append((_lr(label, value, width), ""))

    if shop.country in {"MY", "SG"}:
        summary(f"Total Qty: {qty_total}", "")
        if inclusive:
            summary(f"Total Sales (Incl GST {rate * 100:.0f}%)", fmt(gross))
        else:
            summary("Total Sales (Excl GST)", fmt(net_after + discount))
            if discount:
                summary("Discount", f"-{fmt(discount)}")
            summary(f"GST {rate * 100:.0f}%", fmt(tax))
            summary("Total Sales (Incl GST)", fmt(gross))
        summary("Rounding Adj", f"{'-' if rounded < gross else ''}{fmt(abs(rounded - gross))}")
        label = rng.choice(("TOTAL", "NETT TOTAL", "Total Amount Payable", "GRAND TOTAL", "Total (RM)"))
        summary(label, fmt(rounded))
        feats.append("label-" + label.lower().replace(" ", "-"))
    elif shop.country == "DE":
        summary("SUMME", f"{sym} {fmt(gross)}")
        summary(f"  enth. MwSt {rate * 100:.0f}%", fmt(tax))
    elif shop.country == "NL":
        summary("TOTAAL", fmt(gross))
        summary(f"BTW {rate * 100:.0f}% over {fmt(gross - tax)}", fmt(tax))
    elif shop.country in {"UK", "AU"}:
        summary(f"{len(picked)} ITEMS  SUBTOTAL", fmt(subtotal))
        if discount:
            summary("MULTIBUY SAVING", f"-{fmt(discount)}")
        summary("TOTAL", f"{sym}{fmt(rounded)}")
        summary(f"{'VAT' if shop.country == 'UK' else 'GST'} INCLUDED IN TOTAL", fmt(tax))
    else:
        summary("Subtotal", fmt(net_after))
        summary(f"Sales Tax {rate * 100:.2f}%", fmt(tax))
        if shop.kind == "restaurant" and rng.random() < 0.6:
            tip = _q(float(gross) * rng.choice((0.15, 0.18, 0.2)))
            summary("Total", fmt(gross))
            summary("Tip", fmt(tip))
            rounded = gross + tip
            summary("TOTAL CHARGED", f"${fmt(rounded)}")
            feats.append("tip-added")
        else:
            summary("TOTAL", f"${fmt(gross)}")
    # Payment.
    if rng.random() < 0.55 and shop.country != "US":
        cash = (rounded // 10 + 1) * 10 + (Decimal(10) if rng.random() < 0.3 else Decimal(0))
        summary("CASH" if shop.country != "DE" else "BAR", fmt(cash))
        summary("CHANGE" if shop.country != "DE" else "RÜCKGELD", fmt(cash - rounded))
        feats.append("cash")
    else:
        brand = rng.choice(("VISA", "MASTERCARD", "DEBIT"))
        summary(brand if shop.country != "DE" else "EC-Karte", fmt(rounded))
        lines.append((f"CARD NO: ************{rng.randint(1000, 9999)}", ""))
        lines.append((f"AUTH CODE: {rng.randint(100000, 999999)}", ""))
    if shop.country in {"MY", "SG"} and rng.random() < 0.8:
        lines.append(("", ""))
        lines.append((_lr("GST Summary", "Amount   Tax", width), ""))
        base = gross - tax
        lines.append((_lr(f"SR @ {rate * 100:.0f}%", f"{fmt(base)}   {fmt(tax)}", width), ""))
        feats.append("gst-summary")
    if rng.random() < 0.35:
        pts = rng.randint(5, 400)
        lines.append((_lr("Points earned", str(pts), width), ""))
        lines.append((_lr("Points balance", f"{rng.randint(500, 9000):,}", width), ""))
        feats.append("points")
    if rng.random() < 0.3:
        ret = day + dt.timedelta(days=rng.choice((7, 14, 30)))
        ret_text = (
            f"{ret.month:02d}/{ret.day:02d}/{ret.year}"
            if shop.country == "US"
            else f"{ret.day:02d}/{ret.month:02d}/{ret.year}"
        )
        lines.append((f"Returns accepted until {ret_text}", ""))
        feats.append("return-date")
    lines.append(("", ""))
    for footer in rng.sample(
        (
            "THANK YOU. PLEASE COME AGAIN",
            "Goods sold are not returnable",
            "*** CUSTOMER COPY ***",
            "Thank you for shopping with us!",
            "Keep this receipt for your records",
        ),
        k=2,
    ):
        c(footer)
    if shop.legal and not shop.legal_at_head:
        c(shop.legal)
        if shop.country == "DE":
            c(shop.reg)
        feats.append("legal-in-footer")
    vendor = shop.legal if shop.legal and shop.legal_at_head else (shop.heading or shop.legal or "")
    return Till(lines, width, vendor, rounded, cur, day, feats)


def write(out: Path, seed: int) -> list[dict[str, Any]]:
    """Each shop once as a flatbed scan and once as a phone photo (a few twice): images/."""
    (out / "images").mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    plan = [(s, how) for s in SHOPS for how in ("scan", "photo")]
    for i, (shop, how) in enumerate(plan):
        rng = random.Random(f"holdout-till:{seed}:{i}")
        day = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(0, 3300))
        till = make(shop, rng, day)
        data, feats = camera.picture(till.lines, till.width, how, rng)
        name = f"images/till-{i:03d}.jpg"
        (out / name).write_bytes(data)
        rows.append(
            {
                "id": f"holdout-till-{i:03d}",
                "kind": "image",
                "path": name,
                "is_receipt": True,
                "vendor": till.vendor,
                "total": float(till.total),
                "currency": till.currency,
                "date": till.day.isoformat(),
                "template": f"till-{shop.kind}-{how}",
                "borderline": False,
                "lang": "de" if shop.country == "DE" else "nl" if shop.country == "NL" else "en",
                "features": till.features + feats,
            }
        )
    return rows
