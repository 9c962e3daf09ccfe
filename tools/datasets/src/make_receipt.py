"""Compose receipt / not-receipt email texts: subject line, blank line, first ~600 chars of the body.

Each example fills one hand-written template (receipt_templates) with fields drawn from the
split's own vendor pools (receipt_parts). Deterministic for a seed.
"""

from __future__ import annotations

import random
import re
import string
from datetime import date, timedelta

from common import MONTHS, alt, dedupe_key, fmt_date, fmt_money, rand_date
from receipt_parts import (
    AIRPORTS,
    CARD_BRANDS,
    CITIES,
    EVENTS_SPLIT,
    FIRST_NAMES,
    LAST_NAMES,
    LINES,
    LINES_BY_VENDOR,
    LIST_TOPICS,
    PEOPLE,
    RESTAURANTS_SPLIT,
    STREETS,
    VENDORS,
    VENUES_SPLIT,
)
from receipt_templates import TEST, TRAIN, T

WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    "it": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
}
TLD = {"en": ".com", "de": ".de", "fr": ".fr", "es": ".es", "nl": ".nl", "it": ".it"}
TAXRATE = {"de": 19, "fr": 20, "es": 21, "nl": 21, "it": 22}
PLANS = ["Premium", "Standard", "Family", "Individual", "Pro", "Team", "Plus", "Duo", "Annual", "Basic"]
SEASONS = ["spring", "summer", "autumn", "winter", "holiday", "back-to-school"]
CARS = ["Toyota Prius", "Skoda Octavia", "Tesla Model 3", "VW Passat", "Hyundai Ioniq", "Mercedes E-Class"]
PLACES = [
    "Hauptbahnhof",
    "Terminal 2",
    "Central Station",
    "Gare de Lyon",
    "Market Square",
    "Convention Center",
    "Airport Departures",
    "Old Town",
    "City Hospital",
    "University Campus",
]
MAIN_LINE = {"ride": "Trip fare", "air": "Base fare", "hotel": "Room charge", "car": "Time & mileage"}
AIRLINE_CODE = {
    "Lufthansa": "LH",
    "Delta Air Lines": "DL",
    "KLM": "KL",
    "Ryanair": "FR",
    "British Airways": "BA",
    "Iberia": "IB",
    "Emirates": "EK",
    "United Airlines": "UA",
    "easyJet": "U2",
    "Air France": "AF",
    "Vueling": "VY",
    "ITA Airways": "AZ",
    "JetBlue": "B6",
}
QTY_WORD = {"en": "Qty", "de": "Menge", "fr": "Qté", "es": "Cant.", "nl": "Aantal", "it": "Qtà"}


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _alnum(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(n))


def domain_of(vendor: str, lang: str) -> str:
    base = re.sub(r"[^a-z0-9]", "", vendor.lower().replace("&", "and").replace("+", "plus")) or "shop"
    return base + (".com" if "." in vendor else TLD[lang])


def strip_tag(v: str) -> str:
    return re.sub(r"^(\*|[a-z]{2}):", "", v)


def pick(rng: random.Random, pool: list[str], lang: str) -> str:
    """A vendor that writes in this language if the pool tags languages ("de:Sparkasse", "*:Revolut")."""
    fit = [v for v in pool if v.startswith(f"{lang}:") or v.startswith("*:")]
    return strip_tag(rng.choice(fit or pool))


class Fields(dict[str, str]):
    """All fields a template may use, drawn once per example."""

    # One flat builder on purpose: the fields read like the list a template author consults.
    def __init__(self, rng: random.Random, t: T, split: str) -> None:  # noqa: PLR0912, PLR0915
        super().__init__()
        lang = t.lang
        cur = (
            "EUR" if lang != "en" else rng.choices(["USD", "GBP", "EUR", "CAD"], [0.55, 0.25, 0.12, 0.08])[0]
        )

        # One date style and one money style per email, as a real sender's template has.
        money_style, date_style = rng.random(), rng.random()

        def money(x: float) -> str:
            return fmt_money(random.Random(money_style), x, lang, cur)

        def fdate(dd: date) -> str:
            return fmt_date(random.Random(date_style), dd, lang)

        if t.sector == "people":
            vendor = rng.choice(PEOPLE[split])
        else:
            vendor = pick(rng, VENDORS[t.sector][split], lang)
        shop = rng.choice(VENDORS["retail"][split])
        merchant = rng.choice(
            VENDORS["retail"][split]
            + VENDORS["local"][split]
            + VENDORS["food"][split]
            + VENDORS["media"][split]
        )
        sender = rng.choice(PEOPLE[split])
        first = rng.choice(FIRST_NAMES)
        d = rand_date(rng)
        d2 = d + timedelta(days=rng.randint(1, 20))
        nights = rng.randint(1, 6)
        hh = f"{rng.randint(7, 20):02d}"

        # line items
        if vendor in LINES_BY_VENDOR:
            pool = [(n, 2.0, 18.0) for n in LINES_BY_VENDOR[vendor]]
        elif t.sector in LINES:
            pool = LINES[t.sector]
        else:
            pool = LINES["retail"]
        k = rng.randint(1, min(4, len(pool)))
        chosen = rng.sample(pool, k)
        main = [x for x in pool if x[0] == MAIN_LINE.get(t.sector)]
        if main and main[0] not in chosen:  # a fare, room or rental line is always there
            chosen = main + chosen[: max(0, k - 1)]
        lines = []
        for line_name, lo, hi in chosen:
            qty = (
                1
                if t.sector in ("ride", "air", "hotel", "saas", "media", "utility", "car")
                else rng.choice([1, 1, 1, 2, 3])
            )
            price = round(rng.uniform(lo, hi), 2) if hi > lo else lo
            name = line_name
            if t.sector == "hotel" and name == "Room charge":
                qty, name = nights, f"Room charge x {nights} nights"
            lines.append((name, qty, price))
        subtotal = sum(q * p for _, q, p in lines)
        shipping = rng.choice([0.0, 0.0, 3.99, 4.95, 5.99, 9.99]) if t.sector == "retail" else 0.0
        rate = TAXRATE.get(lang, rng.choice([0, 7.25, 8.875, 20]))
        if lang == "en" and rate in (7.25, 8.875):  # US sales tax on top
            tax = round(subtotal * rate / 100, 2)
            total = subtotal + shipping + tax
        else:  # VAT included
            tax = round((subtotal + shipping) * rate / (100 + rate), 2)
            total = subtotal + shipping
        tip = round(subtotal * rng.choice([0, 0.1, 0.15, 0.18, 0.2]), 2) if t.sector == "local" else 0.0
        total = round(total + tip, 2)

        qw = QTY_WORD[lang]
        style = rng.randrange(4)
        if style == 0:
            items = "\n".join(f"{q} x {n}   {money(q * p)}" for n, q, p in lines)
        elif style == 1:
            items = "\n".join(f"{n} ({qw} {q})  {money(q * p)}" for n, q, p in lines)
        elif style == 2:
            items = "\n".join(f"{n}\n  {qw}: {q} · {money(p)}" for n, q, p in lines)
        else:
            items = "\n".join(f"{n} ........ {money(q * p)}" for n, q, p in lines)
        items_np = "\n".join(rng.choice([f"{n} — {qw} {q}", f"• {n} x{q}", f"{q}x {n}"]) for n, q, _ in lines)
        items_tbl = "\n".join(f"{n[:30]:<30} {q:>2} {money(q * p):>12}" for n, q, p in lines)
        promo = []
        for n, _, p in rng.sample(LINES["retail"], 3):
            promo.append(
                rng.choice(
                    [
                        f"{n} — {money(p)}",
                        f"{n} from {money(p)}",
                        f"{n}  {money(p * 1.3)} → {money(p)}",
                        f"NEW {n} {money(p)}",
                    ]
                )
            )
        old_price = rng.uniform(30, 400)
        pct = rng.choice([10, 15, 20, 25, 30, 40, 50])
        a1, a2 = rng.sample(AIRPORTS, 2)
        tracking = rng.choice(
            [
                "1Z" + _alnum(rng, 16),
                "JD" + _digits(rng, 18),
                _digits(rng, 12),
                "3S" + _alnum(rng, 11),
                _alnum(rng, 2) + _digits(rng, 9) + "DE",
            ]
        )
        self.update(
            {
                "vendor": vendor,
                "VENDOR": vendor.upper(),
                "domain": domain_of(vendor, lang),
                "first": first,
                "full": f"{first} {rng.choice(LAST_NAMES)}",
                "sender": sender,
                "sender_first": sender.split()[0],
                "sender_email": f"{first.lower()}.{rng.choice(LAST_NAMES).lower().replace(' ', '')}@example.org",  # noqa: E501
                "merchant": merchant,
                "shop": shop,
                "bank": vendor,
                "carrier": pick(rng, VENDORS["carrier"][split], lang),
                "order": rng.choice(
                    [
                        f"{_digits(rng, 3)}-{_digits(rng, 7)}-{_digits(rng, 7)}",
                        _alnum(rng, 8),
                        _digits(rng, 6),
                        f"{d.year}-{_digits(rng, 5)}",
                        "W" + _digits(rng, 9),
                    ]
                ),
                "inv": rng.choice(
                    [
                        f"INV-{d.year}-{_digits(rng, 4)}",
                        f"F{d.year}{_digits(rng, 5)}",
                        f"{d.year}/{rng.randint(1, 999):03d}",
                        f"R-{_digits(rng, 6)}",
                        _alnum(rng, 8) + "-0001",
                    ]
                ),
                "quote": f"Q-{_digits(rng, 4)}",
                "valid": fdate(d + timedelta(days=30)),
                "date": fdate(d),
                "date2": fdate(d2),
                "time": f"{hh}:{rng.randint(0, 59):02d}",
                "time2": f"{min(23, int(hh) + rng.randint(1, 4)):02d}:{rng.choice(['00', '15', '30', '45'])}",
                "weekday": WEEKDAYS[lang][d.weekday()],
                "weekday2": WEEKDAYS[lang][d2.weekday()],
                "month": (MONTHS["en_long"] if lang == "en" else MONTHS[lang])[d.month - 1],
                "year": str(d.year),
                "period": f"{fdate(d - timedelta(days=30))} \u2013 {fdate(d)}",
                "last4": _digits(rng, 4),
                "brand": rng.choice(CARD_BRANDS),
                "code6": _alnum(rng, 6),
                "n1": str(rng.randint(1, 9)),
                "n3": _digits(rng, 3),
                "acct": _digits(rng, rng.choice([8, 10, 12])),
                "iban": rng.choice(["DE", "NL", "FR", "ES", "IT", "GB"])
                + _digits(rng, 2)
                + " **** **** "
                + _digits(rng, 4),
                "taxid": rng.choice(["DE", "NL", "FR", "IE"]) + _digits(rng, 9),
                "company": rng.choice(
                    [
                        "Acme Analytics GmbH",
                        "Brightline Labs Ltd",
                        "Studio Nord",
                        "Keller & Partner",
                        "Orbit Apps Inc.",
                        "Les Ateliers Verts",
                    ]
                ),
                "items": items,
                "items_np": items_np,
                "items_tbl": items_tbl,
                "promo_items": "\n".join(promo),
                "item1": lines[0][0],
                "subtotal": money(subtotal),
                "tax": money(tax),
                "taxrate": str(rate),
                "shipping": money(shipping)
                if shipping
                else rng.choice(["FREE", money(0)])
                if lang == "en"
                else money(0),
                "total": money(total),
                "tip": money(tip),
                "zero": money(0),
                "half": money(total / 2),
                "balance": money(rng.uniform(50, 9000)),
                "minpay": money(rng.uniform(25, 150)),
                "old_price": money(old_price),
                "new_price": money(old_price * (100 - pct) / 100),
                "pct": str(pct),
                "promocode": rng.choice(["SAVE", "HELLO", "WEEKEND", "VIP", "EXTRA", "FALL"]) + str(pct),
                "threshold": money(rng.choice([25, 35, 50, 75, 100])),
                "breakfast": money(rng.uniform(12, 30)),
                "upgrade": money(rng.uniform(20, 80)),
                "points": str(rng.randint(20, 900)),
                "points2": str(rng.randint(900, 20000)),
                "season": rng.choice(SEASONS),
                "q": str(rng.randint(1, 4)),
                "weight": f"{rng.uniform(0.2, 12):.1f}",
                "tracking": tracking,
                "city": rng.choice(CITIES[lang]),
                "street": f"{rng.randint(1, 180)} {rng.choice(STREETS[lang])}"
                if lang == "en"
                else f"{rng.choice(STREETS[lang])} {rng.randint(1, 180)}",
                "plan": rng.choice(PLANS),
                "pickup": rng.choice(PLACES),
                "dropoff": rng.choice(PLACES),
                "km": f"{rng.uniform(1.2, 38):.1f}",
                "mins": str(rng.randint(5, 70)),
                "driver": rng.choice(FIRST_NAMES),
                "car": rng.choice(CARS),
                "from_code": a1[0],
                "from_city": a1[1],
                "to_code": a2[0],
                "to_city": a2[1],
                "flight": AIRLINE_CODE.get(vendor, rng.choice(["LH", "KL", "BA"]))
                + str(rng.randint(10, 9999)),
                "seat": f"{rng.randint(1, 40)}{rng.choice('ABCDEF')}",
                "pnr": _alnum(rng, 6),
                "ticketno": f"{_digits(rng, 3)} {_digits(rng, 10)}",
                "nights": str(nights),
                "checkin": fdate(d),
                "checkout": fdate(d + timedelta(days=nights)),
                "room": f"{rng.randint(1, 9)}{_digits(rng, 2)}",
                "restaurant": rng.choice(RESTAURANTS_SPLIT[split]),
                "event": rng.choice(EVENTS_SPLIT[split]),
                "venue": rng.choice(VENUES_SPLIT[split]),
                "topic": rng.choice(LIST_TOPICS),
            }
        )


def vendor_names(split: str) -> list[str]:
    names = [strip_tag(v) for pools in VENDORS.values() for v in pools[split]]
    names += PEOPLE[split] + RESTAURANTS_SPLIT[split] + EVENTS_SPLIT[split] + VENUES_SPLIT[split]
    names += list(LINES_BY_VENDOR.keys() & set(VENDORS["local"][split]))
    return sorted(set(names))


def render(rng: random.Random, t: T, split: str) -> str:
    f = Fields(rng, t, split)
    subject = alt(rng, t.subject).format(**f).strip()
    body = alt(rng, t.body).format(**f)
    if rng.random() < 0.15 and t.sector not in ("people", "lists"):  # HTML-to-text artefact
        body = (
            rng.choice([f"[image: {f['vendor']}]\n", f"[{f['vendor']} logo]\n\n", "View in browser\n"]) + body
        )
    if rng.random() < 0.1:
        body = body.replace("\n\n", "\n")
    limit = rng.randint(560, 640)
    if len(body) > limit:
        cut = body.rfind(" ", 0, limit)
        body = body[: cut if cut > limit // 2 else limit].rstrip()
    return f"{subject}\n\n{body}"


def templates(split: str) -> list[T]:
    return [t for t in (TRAIN if split == "train" else TEST) if t.split == split]


def generate(split: str, per_label: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(f"receipt-{split}-{seed}")
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for label in ("receipt", "not_receipt"):
        pool = [t for t in templates(split) if t.label == label]
        made = 0
        i = 0
        while made < per_label:
            t = (
                pool[i % len(pool)] if i < len(pool) * 2 else rng.choice(pool)
            )  # every template at least twice
            i += 1
            text = render(rng, t, split)
            if dedupe_key(text) in seen:
                continue
            seen.add(dedupe_key(text))
            rows.append({"text": text, "label": label, "_template": t.id, "_lang": t.lang})
            made += 1
    rng.shuffle(rows)
    return rows
