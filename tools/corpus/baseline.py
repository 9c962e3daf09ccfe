"""The naive pipeline of FINANCE-EVAL.md, as a yardstick for the corpus (not for use).

Keyword detection, the last "total" line's amount and currency, the first date-looking text,
the From name as vendor; no OCR, so a stand-alone image or PDF is called a receipt with no
fields. If this scores near 100% the corpus has become too easy.

    python tools/corpus/baseline.py DIR > predictions.jsonl
    python tools/corpus/score.py DIR/truth.jsonl predictions.jsonl
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import html
import json
import re
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any

if __package__ in {None, ""}:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.formats import MONTHS

KEYWORDS = re.compile(
    r"\b(receipt|invoice|order|total|paid|payment|rechnung|facture|factura|factuur|fattura|bestellung)\b",
    re.I,
)
TOTAL = re.compile(r"(?<!sub)total|amount (paid|charged|due)|gesamt|totale?\b", re.I)
AMOUNT = re.compile(r"(\d{1,3}(?:[.,\s']\d{3})*(?:[.,]\d{2})?|\d+(?:[.,]\d{2})?)")
CURRENCIES = (
    ("CA$", "CAD"), ("A$", "AUD"), ("AU$", "AUD"), ("S$", "SGD"), ("US$", "USD"), ("RM", "MYR"), ("₹", "INR"),
    ("Rs", "INR"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("￥", "JPY"), ("円", "JPY"), ("kr", "SEK"),
    ("Fr.", "CHF"), ("$", "USD"),
)  # fmt: skip
ISO = re.compile(r"\b(USD|EUR|GBP|JPY|CAD|AUD|CHF|INR|MYR|SGD|SEK)\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
DMY = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
NAMED = re.compile(r"\b([A-Z][a-z]+) (\d{1,2}), (\d{4})\b")


def _text(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_subtype() == "html":
        content = html.unescape(re.sub(r"<[^>]+>", " ", content))
    return str(content)


def _amount(text: str) -> float | None:
    found = AMOUNT.findall(text)
    if not found:
        return None
    raw = found[-1].replace(" ", "").replace("'", "")
    raw = raw.replace(".", "").replace(",", ".") if re.search(r",\d{2}$", raw) else raw.replace(",", "")
    try:
        return float(raw)
    except ValueError:
        return None


def _currency(text: str) -> str | None:
    iso = ISO.search(text)
    if iso:
        return iso.group(1)
    return next((code for sym, code in CURRENCIES if sym in text), None)


def _date(text: str, fallback: dt.date | None) -> str | None:
    if m := ISO_DATE.search(text):
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    if m := NAMED.search(text):
        month = next((i + 1 for i, n in enumerate(MONTHS["en"]) if n == m.group(1)), None)
        if month:
            return f"{m.group(3)}-{month:02d}-{int(m.group(2)):02d}"
    if m := DMY.search(text):
        day, month = int(m.group(1)), int(m.group(2))
        if month <= 12:
            return f"{m.group(3)}-{month:02d}-{day:02d}"
    return fallback.isoformat() if fallback else None


def predict_email(raw: bytes) -> dict[str, Any]:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    text = _text(msg)
    subject = str(msg.get("Subject", ""))
    sent = email.utils.parsedate_to_datetime(str(msg["Date"])) if msg["Date"] else None
    lines = [ln for ln in text.splitlines() if TOTAL.search(ln) and AMOUNT.search(ln)]
    total_line = lines[-1] if lines else ""
    name, addr = email.utils.parseaddr(str(msg.get("From", "")))
    return {
        "is_receipt": bool(KEYWORDS.search(subject + "\n" + text)),
        "vendor": name or addr.split("@")[-1],
        "total": _amount(total_line) if total_line else None,
        "currency": _currency(total_line or text),
        "date": _date(text, sent.astimezone(dt.UTC).date() if sent else None),
    }


def predict(root: Path) -> list[dict[str, Any]]:
    out = []
    for line in (root / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["kind"] == "email":
            pred = predict_email((root / item["path"]).read_bytes())
        else:
            pred = {"is_receipt": True, "vendor": None, "total": None, "currency": None, "date": None}
        out.append({"id": item["id"], **pred})
    return out


if __name__ == "__main__":
    for row in predict(Path(sys.argv[1])):
        print(json.dumps(row, ensure_ascii=False))
