"""Mailboxes with ground truth: templates drafted, dressed as real MIME (text, HTML or both,
charsets, transfer encodings, encoded words, broken headers, forwards, attachments), written
as .eml files, one mbox, stand-alone images and PDFs, and truth.jsonl.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import io
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from PIL import Image

from corpus import compose, layouts, pdfs, render
from corpus.document import make_purchase, random_day
from corpus.drafts import Draft, Template
from corpus.mime import Part, attachment_part, encoded_header, multipart, text_part
from corpus.templates import ATTACHMENT_TEMPLATES, BORDERLINE_TEMPLATES, TEMPLATES
from corpus.vendors import CATEGORY_OF_KIND, PAPER_KINDS, PEOPLE, VENDORS, category_of

SPLITS = ("seen", "unseen", "all")
# Marketing departments put these in front of subjects.
EMOJI = ("🎉", "✅", "🧾", "✈️", "🛍️", "🍕")
# Share of look-alikes among mails; the rest are receipts.
LOOKALIKE_SHARE = 0.45


@dataclass
class Truth:
    """One line of truth.jsonl (the fields FINANCE-EVAL.md scores, then what explains them)."""

    id: str
    kind: str  # email | image | pdf
    path: str
    is_receipt: bool
    vendor: str | None
    total: float | None
    currency: str | None
    date: str | None
    template: str
    borderline: bool
    split: str
    lang: str = "en"
    features: list[str] = field(default_factory=list)
    attachments: list[dict[str, str]] = field(default_factory=list)
    #: The expense category (`vendors.CATEGORY_OF_KIND`); None where no one answer stands.
    category: str | None = None

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, sort_keys=False)


def _charset(text: str, lang: str, rng: random.Random) -> str:
    options = ["utf-8"]
    if lang in {"de", "fr", "es", "nl", "it", "en"}:
        options += ["iso-8859-1", "windows-1252", "iso-8859-15"]
    if lang == "ja":
        options += ["iso-2022-jp", "shift_jis"]
    pick = rng.choice(options) if rng.random() < 0.35 else "utf-8"
    try:
        text.encode(pick)
    except UnicodeEncodeError:
        return "utf-8"
    return pick


def _cte(charset: str, rng: random.Random) -> str:
    if charset == "iso-2022-jp":
        return "7bit"
    return rng.choice(("quoted-printable", "quoted-printable", "base64", "8bit"))


def _message_id(rng: random.Random, domain: str) -> str:
    return f"<{rng.randrange(16**20):020x}.{rng.randrange(10**6)}@{domain}>"


def _body_part(draft: Draft, rng: random.Random, features: list[str]) -> Part:
    form = draft.form or rng.choices(("text", "html", "both"), weights=(25, 35, 40))[0]
    features.append(f"form-{form}")
    text = compose.to_text(draft.body, rng)
    skin = rng.choice(compose.SKINS)
    html = compose.to_html(draft.body, rng, skin)
    charset = _charset(text + html + draft.subject, draft.lang, rng)
    cte = _cte(charset, rng)
    features += [f"charset-{charset}", f"cte-{cte}"]
    html = html.replace("charset=utf-8", f"charset={charset}")
    declare = rng.random() > 0.03 or charset != "utf-8"
    if not declare:
        features.append("no-charset-param")
    parts = []
    if form == "both" and rng.random() < 0.15:
        # Many mailers' text part says nothing: the facts are only in the HTML.
        features.append("text-stub")
        domain = draft.sender[1].rsplit("@", 1)[-1]
        text = (
            f"View this email in your browser: https://{domain}/m/{rng.randrange(16**12):x}\n\n"
            f"To keep receiving our emails, add {draft.sender[1]} to your address book.\n"
        )
    if form in {"text", "both"}:
        parts.append(text_part(text, "plain", charset, cte, declare_charset=declare))
    if form in {"html", "both"}:
        features.append(f"skin-{skin}")
        if draft.body.preheader:
            features.append("preheader")
        html_part = text_part(html, "html", charset, cte, declare_charset=declare)
        if rng.random() < 0.2:
            features.append("related-logo")
            html_part = _with_logo(html, draft, rng, charset, cte, declare)
        parts.append(html_part)
    if len(parts) == 1:
        return parts[0]
    return multipart("alternative", _boundary(rng), parts)


_LOGOS: dict[str, bytes] = {}


def _logo(brand: str) -> bytes:
    """A small PNG logo per brand (a coloured tile), made once."""
    if brand not in _LOGOS:
        tint = hashlib.sha256(brand.encode()).digest()
        buf = io.BytesIO()
        Image.new("RGB", (120, 40), (tint[0], tint[1], tint[2])).save(buf, "PNG")
        _LOGOS[brand] = buf.getvalue()
    return _LOGOS[brand]


def _with_logo(html: str, draft: Draft, rng: random.Random, charset: str, cte: str, declare: bool) -> Part:
    """multipart/related: the HTML and the logo it shows by Content-ID."""
    domain = draft.sender[1].rsplit("@", 1)[-1]
    cid = f"logo.{rng.randrange(10**8)}@{domain}"
    img = f'<img src="cid:{cid}" alt="{draft.sender[0]}" width="120" height="40">'
    html = html.replace('<body style="margin:0;padding:0">', f'<body style="margin:0;padding:0">{img}', 1)
    logo = attachment_part(_logo(draft.sender[0]), "image/png", "logo.png", inline=True)
    logo.add("Content-ID", f"<{cid}>")
    return multipart(
        "related", _boundary(rng), [text_part(html, "html", charset, cte, declare_charset=declare), logo]
    )


def _boundary(rng: random.Random) -> str:
    return f"----=_Part_{rng.randrange(10**6)}_{rng.randrange(10**9)}.{rng.randrange(10**12)}"


def _with_attachments(body: Part, draft: Draft, rng: random.Random, features: list[str]) -> Part:
    if not draft.attachments:
        return body
    parts = [body]
    for att in draft.attachments:
        features.append(f"attachment-{att.mime.split('/')[1]}")
        parts.append(
            attachment_part(
                att.data, att.mime, att.filename, inline=att.mime.startswith("image/") and rng.random() < 0.3
            )
        )
    return multipart("mixed", _boundary(rng), parts)


def _address(name: str, addr: str, rng: random.Random) -> str:
    if name and not name.isascii():
        return email.utils.formataddr((name, addr), charset="utf-8")
    if not name:
        return addr
    if rng.random() < 0.5 or any(c in name for c in ",.()&"):
        return f'"{name}" <{addr}>'
    return f"{name} <{addr}>"


def _headers(msg: Part, draft: Draft, to: tuple[str, str], rng: random.Random, charset: str) -> None:
    domain = draft.sender[1].rsplit("@", 1)[-1]
    top = [
        ("Return-Path", f"<bounce-{rng.randrange(10**8)}@{domain}>"),
        (
            "Received",
            f"from mta{rng.randrange(1, 40)}.{domain} by mx.example.com; "
            f"{email.utils.format_datetime(draft.sent)}",
        ),
        ("From", _address(*draft.sender, rng)),
        ("To", _address(*to, rng)),
        ("Subject", encoded_header(draft.subject, charset, always=rng.random() < 0.1)),
        ("Date", email.utils.format_datetime(draft.sent)),
        ("Message-ID", _message_id(rng, domain)),
        ("MIME-Version", "1.0"),
        *draft.headers.items(),
    ]
    msg.headers = top + msg.headers


def _break_headers(msg: Part, draft: Draft, rng: random.Random, features: list[str]) -> None:
    """What broken mailers and relays do to headers; the Date header survives (truth may need it)."""
    how = rng.choice(
        ("no-message-id", "no-to", "lowercase", "raw-8bit-subject", "no-mime-version", "long-folded")
    )
    features.append(f"broken-{how}")
    if how == "no-message-id":
        msg.drop("Message-ID")
    elif how == "no-to":
        msg.drop("To")
    elif how == "lowercase":
        msg.headers = [(n.lower(), v) for n, v in msg.headers]
    elif how == "raw-8bit-subject":
        msg.headers = [
            (n, draft.subject.encode("utf-8")) if n == "Subject" else (n, v) for n, v in msg.headers
        ]
    elif how == "no-mime-version":
        msg.drop("MIME-Version")
    else:
        refs = " ".join(_message_id(rng, "example.com") for _ in range(6))
        msg.headers.append(("References", refs.replace("> <", ">\n\t<")))


def _forward(inner: bytes, draft: Draft, rng: random.Random, features: list[str]) -> tuple[Part, Draft]:
    """The user forwards the message: inline (Gmail's quote) or as a message/rfc822 attachment."""
    user = rng.choice(PEOPLE)
    later = draft.sent + dt.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 12))
    fwd = Draft(
        draft.template, draft.split, user, "Fwd: " + draft.subject, draft.body, later, draft.is_receipt
    )
    if rng.random() < 0.5:
        features.append("forward-rfc822")
        note = text_part(
            rng.choice(("FYI", "for the expenses", "see below", "")) + "\n", "plain", "utf-8", "7bit"
        )
        rfc = Part([("Content-Type", "message/rfc822"), ("Content-Disposition", "inline")], inner)
        return multipart("mixed", _boundary(rng), [note, rfc]), fwd
    features.append("forward-inline")
    text = compose.to_text(draft.body, rng)
    quoted = (
        f"{rng.choice(('Forwarding for my records.', 'FYI', ''))}\n\n---------- Forwarded message ---------\n"
        f"From: {draft.sender[0]} <{draft.sender[1]}>\nDate: {email.utils.format_datetime(draft.sent)}\n"
        f"Subject: {draft.subject}\nTo: {user[1]}\n\n{text}"
    )
    body = text_part(quoted, "plain", "utf-8", rng.choice(("quoted-printable", "base64", "8bit")))
    parts = [body] + [attachment_part(a.data, a.mime, a.filename) for a in draft.attachments]
    return (multipart("mixed", _boundary(rng), parts) if len(parts) > 1 else body), fwd


def build(draft: Draft, rng: random.Random) -> tuple[bytes, list[str]]:
    """The message's bytes and the features it was given."""
    features: list[str] = []
    to = rng.choice(PEOPLE)
    body = _with_attachments(_body_part(draft, rng, features), draft, rng, features)
    charset = next((f[8:] for f in features if f.startswith("charset-")), "utf-8")
    if draft.is_receipt and draft.subject and rng.random() < 0.06:
        draft.subject = f"{rng.choice(EMOJI)} {draft.subject}"
    _headers(body, draft, to, rng, "utf-8" if rng.random() < 0.7 else charset)
    if any(v.startswith("=?") for n, v in body.headers if n == "Subject" and isinstance(v, str)):
        features.append("rfc2047-subject")
    if rng.random() < 0.08:
        _break_headers(body, draft, rng, features)
    raw = body.to_bytes()
    if draft.day is not None and rng.random() < 0.08:
        outer, fwd = _forward(raw, draft, rng, features)
        _headers(outer, fwd, fwd.sender, rng, "utf-8")
        raw = outer.to_bytes()
    return raw, features


def _truth_date(draft: Draft) -> str:
    if draft.day is not None:
        return draft.day.isoformat()
    return draft.sent.astimezone(dt.UTC).date().isoformat()


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def pick_templates(split: str, attachments: bool, receipt: bool) -> list[Template]:
    return [
        t
        for t in TEMPLATES
        if t.receipt == receipt
        and (split in ("all", t.split))
        and (attachments or t.id not in ATTACHMENT_TEMPLATES)
    ]


def _mbox_from(raw: bytes) -> bytes:
    """mboxrd: a From_ line, then the message with '>' before any line starting with (>*)From ."""
    lines = raw.replace(b"\r\n", b"\n").split(b"\n")
    quoted = [b">" + ln if ln.lstrip(b">").startswith(b"From ") else ln for ln in lines]
    return b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n" + b"\n".join(quoted).rstrip(b"\n") + b"\n\n"


def _draft_for(index: int, seed: int, split: str, attachments: bool) -> Draft:
    rng = random.Random(f"mail:{seed}:{index}")
    receipt = rng.random() >= LOOKALIKE_SHARE
    pool = pick_templates(split, attachments, receipt)
    weights = [
        0.7 if t.id in ATTACHMENT_TEMPLATES else 0.4 if t.id in BORDERLINE_TEMPLATES else 1.0 for t in pool
    ]
    template = rng.choices(pool, weights=weights)[0]
    allow = attachments and (template.id in ATTACHMENT_TEMPLATES or rng.random() < 0.25)
    return template.make(rng, allow)


def write_mailbox(
    out: Path,
    count: int,
    seed: int,
    split: str = "all",
    *,
    attachments: bool = True,
    files: int | None = None,
) -> list[Truth]:
    """Write `count` mails and `files` stand-alone images/PDFs under `out`; return the truth."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    (out / "eml").mkdir(parents=True, exist_ok=True)
    truths: list[Truth] = []
    with (out / "mailbox.mbox").open("wb") as mbox:
        for i in range(count):
            draft = _draft_for(i, seed, split, attachments)
            raw, features = build(draft, random.Random(f"mime:{seed}:{i}"))
            if random.Random(f"crlf:{seed}:{i}").random() < 0.2:
                raw = raw.replace(b"\n", b"\r\n")
                features.append("crlf")
            name = f"eml/{i:05d}.eml"
            (out / name).write_bytes(raw)
            mbox.write(_mbox_from(raw))
            truths.append(_truth(f"mail-{i:05d}", "email", name, draft, features))
    for j in range(files if files is not None else max(4, count // 20)):
        truths.append(_standalone(out, j, seed, split))
    with (out / "truth.jsonl").open("w", encoding="utf-8") as fh:
        for t in truths:
            fh.write(t.to_json() + "\n")
    return truths


def _truth(id_: str, kind: str, path: str, draft: Draft, features: list[str]) -> Truth:
    receipt = draft.is_receipt
    return Truth(
        id=id_,
        kind=kind,
        path=path,
        is_receipt=receipt,
        vendor=draft.vendor if receipt else None,
        total=_money(draft.total) if receipt else None,
        currency=draft.currency if receipt else None,
        date=_truth_date(draft) if receipt else None,
        template=draft.template,
        borderline=draft.borderline,
        split=draft.split,
        lang=draft.lang,
        features=features,
        attachments=[
            {"filename": a.filename, "layout": a.layout, "split": a.split} for a in draft.attachments
        ],
        category=category_of(draft.vendor) if receipt else None,
    )


def _standalone(out: Path, j: int, seed: int, split: str) -> Truth:
    """A receipt photo or scan, or a PDF invoice, on its own."""
    rng = random.Random(f"file:{seed}:{j}")
    (out / "files").mkdir(exist_ok=True)
    chosen = split if split != "all" else rng.choice(("seen", "seen", "unseen"))
    if rng.random() < 0.55:
        vendor = rng.choice([v for v in VENDORS if v.kind in PAPER_KINDS])
        p = make_purchase(rng, vendor, random_day(rng))
        paper = rng.choice(layouts.LAYOUTS[chosen])(p, rng)
        preset = rng.choice(render.PRESETS)
        data, ext, _ = render.render(paper.rows, render.random_style(rng, preset), rng)
        name = f"files/receipt-{j:04d}.{ext}"
        (out / name).write_bytes(data)
        return Truth(
            f"file-{j:04d}", "image", name, True, paper.vendor, float(paper.total), p.currency,
            p.day.isoformat(), paper.layout, False, paper.split, p.lang, [f"preset-{preset}"],
            category=CATEGORY_OF_KIND.get(vendor.kind),
        )  # fmt: skip
    lang = rng.choice(pdfs.PDF_LANGS)
    pool = [v for v in VENDORS if v.lang == lang] or list(VENDORS)
    merchant = rng.choice(pool)
    p = make_purchase(rng, merchant, random_day(rng), lang=lang)
    if rng.random() < 0.7:
        pdf = pdfs.text_invoice(p, rng, unseen=chosen == "unseen")
    else:
        paper = rng.choice(
            (*layouts.LAYOUTS[chosen], layouts.invoice) if chosen == "seen" else layouts.LAYOUTS[chosen]
        )(p, rng)
        pdf = pdfs.scanned(paper, rng, rng.choice(("scan", "clean", "photo")))
    name = f"files/invoice-{j:04d}.pdf"
    (out / name).write_bytes(pdf.data)
    features = ["pdf-text" if pdf.text else "pdf-scan"]
    return Truth(
        f"file-{j:04d}", "pdf", name, True, pdf.vendor, float(pdf.total), p.currency, p.day.isoformat(),
        pdf.layout, False, pdf.split, p.lang, features, category=CATEGORY_OF_KIND.get(merchant.kind),
    )  # fmt: skip


def digest(out: Path) -> str:
    """A hash over every file written: equal for equal seeds."""
    h = hashlib.sha256()
    for path in sorted(out.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(out).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()
