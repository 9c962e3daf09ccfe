"""Compose expense-category texts (vendor + description/line items) for train and test.

Train and test use separately written vendor lists and separate phrasing templates; items and
descriptions are split by index (see category_parts). Output is deterministic for a seed.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable

from category_parts import (
    CATEGORIES,
    CITIES,
    ENGLISH_ONLY,
    GAMES,
    GENERIC_DESC,
    MULTI_CATS,
    MULTI_TEST,
    MULTI_TRAIN,
    PLACES,
    PLANS,
    STRICT_KINDS,
    SUBKINDS,
    WORD_AND,
    WORD_ORDER_AT,
    WORD_RECEIPT_FROM,
    WORD_TOTAL,
)
from common import dedupe_key, fmt_date, fmt_money, ocr_noise, rand_date

PRICE_RANGE = {
    "Food & Dining": (2.5, 180),
    "Transportation": (2.0, 160),
    "Office Supplies": (1.5, 420),
    "Travel": (35, 2400),
    "Entertainment": (4, 320),
    "Utilities": (18, 340),
    "Software & Subscriptions": (0.99, 600),
    "Shopping": (4, 1200),
    "Health": (3, 450),
    "Other": (2, 900),
}


def parse_vendor(v: str) -> tuple[str, str | None]:
    if len(v) > 3 and v[2] == ":" and v[:2] in ("de", "fr", "es", "nl", "it"):
        return v[3:], v[:2]
    return v, None


def vendor_names(split: str) -> list[str]:
    names = [parse_vendor(v)[0] for c in CATEGORIES.values() for v in c[f"{split}_vendors"]]
    names += [parse_vendor(v)[0] for v in (MULTI_TRAIN if split == "train" else MULTI_TEST)]
    return sorted(set(names))


def _sub_of(cat: str, vendor: str) -> str | None:
    subs = SUBKINDS.get(cat, {})
    for sub, (names, _) in subs.items():
        if vendor in names:
            return sub
    if vendor in [parse_vendor(v)[0] for v in MULTI_TRAIN + MULTI_TEST]:
        return None
    for sub, (names, _) in subs.items():
        if not names:  # the default kind for this category's other vendors
            return sub
    return None


def fitting(cat: str, vendor: str, parts: list[str]) -> list[str]:
    """Parts a vendor of this kind would print: its kind's parts plus the kind-neutral ones."""
    sub = _sub_of(cat, vendor)
    if sub is None:
        return parts
    subs = SUBKINDS[cat]
    own = re.compile(subs[sub][1])
    others = [re.compile(rx) for k, (_, rx) in subs.items() if k != sub]
    if (cat, sub) in STRICT_KINDS:
        return [p for p in parts if own.search(p)]
    return [p for p in parts if own.search(p) or not any(o.search(p) for o in others)]


def _split_part(lst: list[str], split: str) -> list[str]:
    """Every 4th written part (i % 4 == 1) is held out: test only. Test uses all parts."""
    return [x for i, x in enumerate(lst) if split == "test" or i % 4 != 1]


class Ctx:
    def __init__(self, rng: random.Random, cat: str, vendor: str, lang: str, split: str):
        self.rng, self.cat, self.lang, self.split = rng, cat, lang, split
        self.cur = (
            "EUR" if lang != "en" else rng.choices(["USD", "GBP", "EUR", "CAD"], [0.6, 0.2, 0.12, 0.08])[0]
        )
        self.money_style = rng.random()
        self.vendor = self._vendor_form(vendor)
        parts = CATEGORIES[cat]
        items = fitting(cat, vendor, _split_part(parts["items"][lang], split))
        if len(items) < 3 and lang != "en":  # few written in this language: English names fill in
            en = [x for x in fitting(cat, vendor, _split_part(parts["items"]["en"], split)) if x not in items]
            items = items + rng.sample(en, k=min(3 - len(items), len(en)))
        descs = fitting(cat, vendor, _split_part(parts["descs"][lang], split))
        if not descs:  # nothing written fits: say what was bought instead (a bare "Payment" says nothing)
            descs = (
                [rng.choice(GENERIC_DESC[lang]) + " - " + rng.choice(items)] if rng.random() < 0.3 else items
            )
        if not items:  # the kind has nothing in this split: any of the category's parts
            items = _split_part(parts["items"]["en"], split)
        picked = rng.sample(items, k=min(3, len(items)))
        if vendor not in ("Uber", "Uber Technologies"):  # UberX is Uber's product name
            picked = [
                x.replace("UberX", rng.choice(["Standard", "Comfort", "Taxi", "Economy"])) for x in picked
            ]
        self.items = [self.fill(x) for x in picked] + [
            self.fill(rng.choice(items)) for _ in range(3 - len(picked))
        ]
        self.desc = self.fill(rng.choice(descs))
        lo, hi = PRICE_RANGE[cat]
        self.prices = [math.exp(rng.uniform(math.log(lo), math.log(hi))) for _ in range(3)]
        self.date = fmt_date(rng, rand_date(rng), lang)

    def _vendor_form(self, v: str) -> str:
        r = self.rng.random()
        if r < 0.6:
            return v
        if r < 0.7:
            return v.upper()
        if r < 0.8:
            return f"{v} #{self.rng.randint(10, 9999)}"
        if r < 0.87:
            place = self.rng.choice(PLACES)
            return f"{v} {place.upper() if self.rng.random() < 0.5 else place}"
        if r < 0.94:
            return self.rng.choice(["SQ *", "TST* ", "PAYPAL *", "SumUp *", "ZTL*"]) + v
        return f"{v} {self.rng.choice(['Inc.', 'LLC', 'Ltd', 'GmbH', 'S.A.', 'B.V.', 'S.r.l.', 'SAS'])}"

    def fill(self, s: str) -> str:
        rng = self.rng
        dec = "." if self.lang == "en" else ","
        vals = {
            "date": fmt_date(rng, rand_date(rng), self.lang),
            "km": f"{rng.uniform(0.8, 42):.1f}".replace(".", dec),
            "mi": f"{rng.uniform(0.5, 26):.1f}".replace(".", dec),
            "min": str(rng.randint(3, 75)),
            "n": str(rng.choice([rng.randint(2, 9), rng.randint(10, 99), rng.randint(100, 99999)])),
            "k": str(rng.randint(2, 12)),
            "game": rng.choice(GAMES),
            "liters": f"{rng.uniform(5, 62):.2f}".replace(".", dec),
            "hours": str(rng.randint(1, 12)),
            "place": rng.choice(PLACES),
            "city": rng.choice(CITIES),
            "plan": rng.choice(PLANS),
            "nights": str(rng.randint(1, 9)),
            "days": str(rng.randint(1, 14)),
        }
        return s.format(**vals)

    def money(self, x: float) -> str:
        return fmt_money(random.Random(self.money_style), x, self.lang, self.cur)  # one style per text

    def word(self, table: dict[str, list[str]]) -> str:
        return self.rng.choice(table[self.lang])


Template = Callable[[Ctx], str]

# (uses line items, template). A desc-only text from a store that sells everything says nothing.
TRAIN_TEMPLATES: list[tuple[bool, Template]] = [
    (True, lambda c: f"{c.vendor} - {c.items[0]}, {c.items[1]}"),
    (True, lambda c: f"{c.vendor} - {c.desc} - {c.items[0]}"),
    (
        True,
        lambda c: (
            f"{c.vendor}\n{c.items[0]}  {c.money(c.prices[0])}\n{c.items[1]}  {c.money(c.prices[1])}\n"
            f"{c.word(WORD_TOTAL)} {c.money(c.prices[0] + c.prices[1])}"
        ),
    ),
    (True, lambda c: f"{c.word(WORD_RECEIPT_FROM)} {c.vendor}: {c.items[0]}"),
    (False, lambda c: f"{c.vendor} {c.date} {c.desc}"),
    (True, lambda c: f"{c.vendor.upper()} {c.items[0]} x{c.rng.randint(1, 4)} {c.money(c.prices[0])}"),
    (False, lambda c: f"{c.vendor} {c.desc}"),
    (True, lambda c: f"{c.vendor} - {c.items[0]}"),
]

TEST_TEMPLATES: list[tuple[bool, Template]] = [
    (True, lambda c: f"{c.vendor} | {c.items[0]} | {c.items[1]}"),
    (False, lambda c: f"{c.vendor}: {c.desc}, {c.money(c.prices[0])}"),
    (True, lambda c: f"{c.items[0]} ({c.vendor})"),
    (True, lambda c: f"{c.word(WORD_ORDER_AT)} {c.vendor} - {c.items[0]} {WORD_AND[c.lang]} {c.items[1]}"),
    (False, lambda c: f"{c.vendor} * {c.desc} * {c.date}"),
    (True, lambda c: f"{c.vendor}\n{c.desc}\n{c.items[0]}\n{c.money(c.prices[0])}"),
    (True, lambda c: f"{c.date} {c.vendor} {c.items[0]}"),
]


def generate(split: str, per_label: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(f"categories-{split}-{seed}")
    templates = TRAIN_TEMPLATES if split == "train" else TEST_TEMPLATES
    multi = MULTI_TRAIN if split == "train" else MULTI_TEST
    seen: set[str] = set()
    rows: list[dict[str, str]] = []
    for cat in CATEGORIES:  # dict order is the literal order: deterministic
        vendors = CATEGORIES[cat][f"{split}_vendors"]
        made = 0
        while made < per_label:
            v = rng.choice(multi) if cat in MULTI_CATS and rng.random() < 0.08 else rng.choice(vendors)
            name, vlang = parse_vendor(v)
            if name in ENGLISH_ONLY:
                lang = "en"
            elif vlang and rng.random() < 0.85:
                lang = vlang
            else:
                lang = rng.choices(
                    ["en", "de", "fr", "es", "nl", "it"], [0.75, 0.05, 0.05, 0.05, 0.05, 0.05]
                )[0]
            c = Ctx(rng, cat, name, lang, split)
            is_multi = v in multi
            text = rng.choice([f for uses_items, f in templates if uses_items or not is_multi])(c)
            noisy = rng.random() < 0.3
            if noisy:
                text = ocr_noise(rng, text)
            text = text.strip()
            if dedupe_key(text) in seen or len(text) < 6:
                continue
            seen.add(dedupe_key(text))
            rows.append({"text": text, "label": cat, "_lang": lang, "_noisy": "yes" if noisy else "no"})
            made += 1
    rng.shuffle(rows)
    return rows
