"""Shared helpers: seeded choice, alternation syntax, money and date formats, OCR-like noise.

Everything takes an explicit random.Random so the output depends only on the seed
(no set iteration, no hash(), no clock).
"""

from __future__ import annotations

import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tools/, for corpus

from corpus import formats

LANGS = ("en", "de", "fr", "es", "nl", "it")

# Month names as the corpus generator prints them (one table for both tools), with
# English abbreviations added and the full English names under `en_long`.
MONTHS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "en_long": formats.MONTHS["en"],
    **{lang: names for lang, names in formats.MONTHS.items() if lang != "en"},
}

_ALT = re.compile(r"\[\[([^\[\]]*)\]\]")


def alt(rng: random.Random, text: str) -> str:
    """Resolve [[a|b|c]] groups (innermost first) by a seeded choice; [[a|]] means optional."""
    while True:
        m = _ALT.search(text)
        if not m:
            return text
        text = text[: m.start()] + rng.choice(m.group(1).split("|")) + text[m.end() :]


def rand_date(rng: random.Random) -> date:
    return date(2022, 1, 1) + timedelta(days=rng.randrange(0, 1400))


def fmt_date(rng: random.Random, d: date, lang: str) -> str:
    if lang == "en":
        return rng.choice(
            [
                f"{MONTHS['en'][d.month - 1]} {d.day}, {d.year}",
                f"{d.month:02d}/{d.day:02d}/{d.year}",
                f"{d.day} {MONTHS['en_long'][d.month - 1]} {d.year}",
                d.isoformat(),
                f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}",
            ]
        )
    if lang == "de":
        return rng.choice(
            [f"{d.day:02d}.{d.month:02d}.{d.year}", f"{d.day}. {MONTHS['de'][d.month - 1]} {d.year}"]
        )
    if lang == "nl":
        return rng.choice(
            [f"{d.day:02d}-{d.month:02d}-{d.year}", f"{d.day} {MONTHS['nl'][d.month - 1]} {d.year}"]
        )
    return rng.choice(
        [f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day} {MONTHS[lang][d.month - 1]} {d.year}"]
    )


def _group(n: int, sep: str) -> str:
    s = str(n)
    out: list[str] = []
    while len(s) > 3:
        out.insert(0, s[-3:])
        s = s[:-3]
    out.insert(0, s)
    return sep.join(out)


def fmt_money(rng: random.Random, amount: float, lang: str, cur: str) -> str:
    cents = round(amount * 100)
    whole, frac = divmod(cents, 100)
    sym = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "CHF": "CHF "}.get(cur, cur + " ")
    if lang == "en":
        num = f"{_group(whole, ',')}.{frac:02d}"
        if cur == "EUR":
            return rng.choice([f"€{num}", f"EUR {num}", f"{num} EUR"])
        return rng.choice([f"{sym}{num}", f"{sym}{num}", f"{num} {cur}"])
    sep = {"de": ".", "es": ".", "it": ".", "nl": ".", "fr": "\u202f"}[lang]
    num = f"{_group(whole, sep)},{frac:02d}"
    if lang == "fr" and rng.random() < 0.5:
        num = num.replace("\u202f", " ")
    if lang in ("nl", "it") and rng.random() < 0.6:
        return f"€ {num}" if cur == "EUR" else f"{cur} {num}"
    return rng.choice([f"{num} €", f"{num} EUR", f"{num}€"]) if cur == "EUR" else f"{num} {cur}"


def pick_lang(rng: random.Random, weights: tuple[float, ...] = (0.62, 0.09, 0.08, 0.08, 0.07, 0.06)) -> str:
    return rng.choices(LANGS, weights=weights)[0]


# OCR-like confusions seen on receipt scans.
_CONFUSE = [
    ("o", "0"),
    ("O", "0"),
    ("l", "1"),
    ("I", "1"),
    ("i", "l"),
    ("e", "c"),
    ("m", "rn"),
    ("rn", "m"),
    ("S", "5"),
    ("B", "8"),
    ("a", "o"),
    ("g", "q"),
    ("t", "f"),
    ("h", "b"),
    ("u", "v"),
    ("é", "e"),
    ("è", "e"),
    ("ä", "a"),
    ("ü", "u"),
    ("ö", "o"),
    ("ñ", "n"),
    ("ç", "c"),
    (",", "."),
    (".", ","),
    ("cl", "d"),
    ("Z", "2"),
]


def ocr_noise(rng: random.Random, text: str) -> str:
    """Apply 1-3 realistic scan/OCR defects; keeps most of the text readable."""
    ops = rng.sample(
        ["confuse", "confuse", "drop", "space", "merge", "upper", "stray", "trunc", "prefix"],
        k=rng.randint(1, 3),
    )
    for op in ops:
        if op == "confuse":
            for _ in range(rng.randint(1, 3)):
                cands = [(a, b) for a, b in _CONFUSE if a in text]
                if not cands:
                    break
                a, b = rng.choice(cands)
                idxs = [m.start() for m in re.finditer(re.escape(a), text)]
                i = rng.choice(idxs)
                text = text[:i] + b + text[i + len(a) :]
        elif op == "drop" and len(text) > 12:
            i = rng.randrange(len(text))
            text = text[:i] + text[i + 1 :]
        elif op == "space":
            i = rng.randrange(1, max(2, len(text) - 1))
            text = text[:i] + rng.choice([" ", "  ", "\t"]) + text[i:]
        elif op == "merge":
            spaces = [m.start() for m in re.finditer(" ", text)]
            if spaces:
                i = rng.choice(spaces)
                text = text[:i] + text[i + 1 :]
        elif op == "upper":
            text = text.upper()
        elif op == "stray":
            i = rng.randrange(len(text) + 1)
            text = text[:i] + rng.choice(["~", "'", ".", ":", "|", "_", ";", "*"]) + text[i:]
        elif op == "trunc" and len(text) > 40:
            text = text[: rng.randrange(int(len(text) * 0.7), len(text))]
        elif op == "prefix":
            text = rng.choice(["*** ", "# ", "-- ", "==== ", "[scan] ", "COPY ", ""]) + text
    return text


def dedupe_key(text: str) -> str:
    """Texts equal up to case, accents and punctuation count as duplicates."""
    import unicodedata

    s = unicodedata.normalize("NFKD", text.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())
