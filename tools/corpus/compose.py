"""A message body as blocks, written out as plain text and as HTML in one of several skins.

Templates say *what* a mail contains (headings, key/value facts, item tables, the total);
the skins say how a vendor's HTML looks: nested layout tables with inline CSS, plain divs,
or a "card" layout with a hidden preheader.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from typing import Any

# Kinds of block: h (heading), p (paragraph), kv (key/value rows), items (table), total, hr, small.
Block = tuple[str, Any]


@dataclass
class Body:
    blocks: list[Block] = field(default_factory=list)
    preheader: str = ""

    def h(self, text: str) -> Body:
        self.blocks.append(("h", text))
        return self

    def p(self, text: str) -> Body:
        self.blocks.append(("p", text))
        return self

    def kv(self, rows: list[tuple[str, str]]) -> Body:
        self.blocks.append(("kv", rows))
        return self

    def items(self, header: tuple[str, str, str], rows: list[tuple[str, str, str]]) -> Body:
        self.blocks.append(("items", (header, rows)))
        return self

    def total(self, label: str, amount: str) -> Body:
        self.blocks.append(("total", (label, amount)))
        return self

    def hr(self) -> Body:
        self.blocks.append(("hr", None))
        return self

    def small(self, text: str) -> Body:
        self.blocks.append(("small", text))
        return self


def to_text(body: Body, rng: random.Random) -> str:
    """Plain text the way mailers write it: aligned columns or "label: value" lines."""
    dotted = rng.random() < 0.3
    width = rng.choice((48, 56, 64))
    out: list[str] = []

    def pair(k: str, v: str) -> str:
        if dotted:
            return f"{k} {'.' * max(2, width - len(k) - len(v) - 2)} {v}"
        return f"{k}: {v}"

    for kind, value in body.blocks:
        if kind == "h":
            text = str(value)
            out += [text, "=" * len(text) if rng.random() < 0.5 else "", ""]
        elif kind == "p":
            out += [str(value), ""]
        elif kind == "kv":
            out += [pair(k, v) for k, v in value]
            out.append("")
        elif kind == "items":
            header, rows = value
            out.append(f"{header[0]:<32} {header[1]:>4} {header[2]:>12}")
            out += [f"{d[:32]:<32} {q:>4} {a:>12}" for d, q, a in rows]
            out.append("")
        elif kind == "total":
            label, amount = value
            out += [pair(label.upper() if rng.random() < 0.3 else label, amount), ""]
        elif kind == "hr":
            out.append("-" * width)
        elif kind == "small":
            out += ["", str(value)]
    return "\n".join(out).strip() + "\n"


SKINS = ("tables", "divs", "card")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_block(kind: str, value: Any, skin: str, accent: str) -> str:
    if kind == "h":
        return f'<h1 style="font-size:22px;color:{accent};margin:0 0 12px">{_e(value)}</h1>'
    if kind == "p":
        return f'<p style="margin:0 0 12px;line-height:1.5">{_e(value)}</p>'
    if kind == "kv":
        rows = "".join(
            f'<tr><td style="padding:4px 0;color:#555">{_e(k)}</td>'
            f'<td style="padding:4px 0;text-align:right">{_e(v)}</td></tr>'
            for k, v in value
        )
        return f'<table width="100%" cellpadding="0" cellspacing="0" role="presentation">{rows}</table>'
    if kind == "items":
        header, items = value
        head = "".join(
            f'<th style="text-align:left;border-bottom:1px solid #ddd">{_e(h)}</th>' for h in header
        )
        body_rows = "".join(
            f"<tr><td>{_e(d)}</td><td>{_e(q)}</td><td style='text-align:right'>{_e(a)}</td></tr>"
            for d, q, a in items
        )
        return f'<table width="100%" style="border-collapse:collapse"><tr>{head}</tr>{body_rows}</table>'
    if kind == "total":
        label, amount = value
        if skin == "divs":
            return (
                f'<div style="font-weight:bold;margin:12px 0">{_e(label)}'
                f'<span style="float:right">{_e(amount)}</span></div>'
            )
        cell = "font-weight:bold;font-size:16px"
        return (
            f'<table width="100%"><tr><td style="{cell}">{_e(label)}</td>'
            f'<td style="{cell};text-align:right">{_e(amount)}</td></tr></table>'
        )
    if kind == "hr":
        return '<hr style="border:0;border-top:1px solid #e5e5e5">'
    return f'<p style="font-size:11px;color:#888">{_e(value)}</p>'


def to_html(body: Body, rng: random.Random, skin: str) -> str:
    """HTML in a skin; money cells are often split from their labels into other cells."""
    font = rng.choice(("Arial,Helvetica,sans-serif", "'Segoe UI',Roboto,sans-serif", "Georgia,serif"))
    accent = rng.choice(("#0a66c2", "#111111", "#d6336c", "#2b8a3e", "#5f3dc4"))
    parts = [_html_block(kind, value, skin, accent) for kind, value in body.blocks]
    inner = "\n".join(parts)
    pre = ""
    if body.preheader:
        pre = (
            '<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">'
            f"{_e(body.preheader)}{'&#847;&zwnj;&nbsp;' * 12}</div>"
        )
    if skin == "tables":
        inner = (
            '<table width="100%" bgcolor="#f4f4f4" cellpadding="0" cellspacing="0"><tr><td align="center">'
            '<table width="600" bgcolor="#ffffff" cellpadding="24" cellspacing="0" '
            f'style="font-family:{font}">'
            f"<tr><td>{inner}</td></tr></table></td></tr></table>"
        )
    elif skin == "card":
        inner = (
            f'<div style="max-width:560px;margin:0 auto;border-radius:8px;border:1px solid #eee;'
            f'padding:24px;font-family:{font}">{inner}</div>'
        )
    else:
        inner = f'<div style="font-family:{font}">{inner}</div>'
    style = "<style>@media (max-width:600px){table{width:100%!important}}</style>"
    return (
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        f'{style}</head><body style="margin:0;padding:0">{pre}{inner}</body></html>\n'
    )
