"""The generated mailbox: parses with Python's email package, says what its truth says, and is
the same for the same seed."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import io
import mailbox as stdlib_mailbox
import random
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pypdfium2
import pytest

from corpus import formats, mail
from corpus.templates import ATTACHMENT_TEMPLATES, TEMPLATES

STYLES = (formats.EN, formats.EU, formats.FR, formats.FR_NBSP, formats.CH, formats.IN)
PROCESSORS = {"stripe", "paypal", "square"}
Box = tuple[Path, list[dict[str, Any]]]


def _parse(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _texts(msg: EmailMessage) -> str:
    """Senders, subjects and every text part, decoded (walk() descends into forwarded messages)."""
    out = []
    for part in msg.walk():
        out += [str(part[h]) for h in ("From", "Subject") if part[h]]  # a forward's inner headers too
        if part.get_content_maintype() == "text":
            content = part.get_content()
            assert isinstance(content, str)
            out.append(content)
    return "\n".join(out)


def _pdf_texts(msg: EmailMessage) -> str:
    out = []
    for part in msg.walk():
        if part.get_content_type() == "application/pdf":
            data = part.get_content()
            doc = pypdfium2.PdfDocument(io.BytesIO(data))
            out += [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    return "\n".join(out)


def _amounts(total: float, currency: str) -> set[str]:
    value = Decimal(str(total))
    return {formats.number(value, currency, s) for s in STYLES}


def _dates(iso: str, lang: str) -> set[str]:
    day = dt.date.fromisoformat(iso)
    fmts = {*formats.DATE_FORMATS["en"], *formats.DATE_FORMATS["en_us"], *formats.DATE_FORMATS.get(lang, ())}
    out = set()
    for fmt in fmts:
        for la in {lang, "en"}:
            out.add(formats.date_text(day, la, random.Random(0), fmt=fmt))
    return out


def _emails(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if r["kind"] == "email"]


def test_every_message_parses_and_has_sender_and_date(mailbox: Box) -> None:
    out, rows = mailbox
    for row in _emails(rows):
        msg = _parse(out / row["path"])
        assert msg["From"], row["id"]
        assert email.utils.parsedate_to_datetime(str(msg["Date"])).tzinfo is not None
        assert _texts(msg).strip(), f"{row['id']}: no readable text part"


def test_mbox_holds_every_message_in_order(mailbox: Box) -> None:
    out, rows = mailbox
    box = stdlib_mailbox.mbox(out / "mailbox.mbox")
    emails = _emails(rows)
    assert len(box) == len(emails)
    for stored, row in zip(box, emails, strict=True):
        eml = _parse(out / row["path"])
        assert stored["Date"] == eml["Date"]


def test_receipt_totals_vendors_and_dates_are_printed(mailbox: Box) -> None:
    """The labelled total and date are in the text (or the PDF's text layer), the vendor too."""
    out, rows = mailbox
    checked = 0
    for row in _emails(rows):
        if not row["is_receipt"] or row["template"].endswith("photo-forward"):
            continue
        msg = _parse(out / row["path"])
        text = _texts(msg) + "\n" + _pdf_texts(msg)
        if row["template"].endswith("invoice-attached") and "pdf-text" not in row["attachments"][0]["layout"]:
            continue  # a scanned PDF: its text is in pixels
        assert any(a in text for a in _amounts(row["total"], row["currency"])), (row["id"], row["total"])
        if row["template"] != "unseen-no-date":
            assert any(d in text for d in _dates(row["date"], row["lang"])), (row["id"], row["date"])
        tokens = [t for t in row["vendor"].lower().split() if len(t) > 3]
        assert any(t in text.lower() for t in tokens), (row["id"], row["vendor"])
        checked += 1
    assert checked > 40


def test_undated_receipts_take_the_date_header_in_utc(mailbox: Box) -> None:
    out, rows = mailbox
    undated = [r for r in _emails(rows) if r["template"] == "unseen-no-date"]
    assert undated
    for row in undated:
        sent = email.utils.parsedate_to_datetime(str(_parse(out / row["path"])["Date"]))
        assert row["date"] == sent.astimezone(dt.UTC).date().isoformat()


def test_processors_are_never_the_vendor(mailbox: Box) -> None:
    out, rows = mailbox
    processed = [r for r in _emails(rows) if r["template"] == "processor-receipt"]
    assert processed
    for row in processed:
        assert row["vendor"].lower() not in PROCESSORS
        # The processor sent it (a forward quotes or encloses its headers).
        sender = _texts(_parse(out / row["path"])).lower()
        assert any(p in sender for p in ("stripe", "paypal", "squareup"))


def test_look_alikes_borderline_and_variety_are_present(mailbox: Box) -> None:
    _, rows = mailbox
    emails = _emails(rows)
    receipts = sum(r["is_receipt"] for r in emails)
    assert 0.35 < receipts / len(emails) < 0.75
    assert any(r["borderline"] for r in emails)
    features = {f for r in emails for f in r["features"]}
    wanted_features = (
        "form-text",
        "form-html",
        "form-both",
        "cte-quoted-printable",
        "cte-base64",
        "attachment-pdf",
        "text-stub",
        "related-logo",
        "rfc2047-subject",
        "crlf",
    )
    for wanted in wanted_features:
        assert wanted in features
    assert {r["kind"] for r in rows} == {"email", "image", "pdf"}
    assert len({r["currency"] for r in rows if r["is_receipt"]}) >= 6


def test_non_receipts_carry_no_fields(mailbox: Box) -> None:
    _, rows = mailbox
    for row in rows:
        if not row["is_receipt"]:
            assert row["vendor"] is None
            assert row["total"] is None
            assert row["date"] is None


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    mail.write_mailbox(a, 24, seed=3, files=3)
    mail.write_mailbox(b, 24, seed=3, files=3)
    mail.write_mailbox(c, 24, seed=4, files=3)
    assert mail.digest(a) == mail.digest(b)
    assert mail.digest(a) != mail.digest(c)


@pytest.mark.parametrize("split", ["seen", "unseen"])
def test_split_keeps_templates_apart(tmp_path: Path, split: str) -> None:
    rows = mail.write_mailbox(tmp_path, 30, seed=5, split=split, files=4)
    ids = {t.id for t in TEMPLATES if t.split == split}
    for row in rows:
        assert row.split == split
        if row.kind == "email":
            assert row.template in ids


def test_no_attachments_means_none(tmp_path: Path) -> None:
    rows = mail.write_mailbox(tmp_path, 40, seed=2, attachments=False, files=0)
    assert all(not r.attachments and r.template not in ATTACHMENT_TEMPLATES for r in rows)
    for row in rows:
        msg = _parse(tmp_path / row.path)
        assert not any(p.get_content_disposition() == "attachment" for p in msg.walk())


def test_bad_split_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="split must be one of"):
        mail.write_mailbox(tmp_path, 1, seed=1, split="tuned")
