"""Hand-assembled MIME, byte for byte, so that every oddity real mail has can be produced on
purpose: any charset and transfer encoding, RFC 2047 words, 8-bit headers, lower-case or
missing headers, CRLF or LF line ends.
"""

from __future__ import annotations

import base64
import quopri
from dataclasses import dataclass, field
from email.header import Header


@dataclass
class Part:
    """A MIME entity: headers in order, then either raw body bytes or child parts."""

    headers: list[tuple[str, str | bytes]] = field(default_factory=list)
    body: bytes = b""
    children: list[Part] = field(default_factory=list)
    boundary: str = ""

    def add(self, name: str, value: str | bytes) -> Part:
        self.headers.append((name, value))
        return self

    def drop(self, name: str) -> None:
        self.headers = [(n, v) for n, v in self.headers if n.lower() != name.lower()]

    def to_bytes(self) -> bytes:
        out = bytearray()
        for name, value in self.headers:
            raw = value if isinstance(value, bytes) else value.encode("ascii")
            out += name.encode("ascii") + b": " + raw + b"\n"
        out += b"\n"
        if self.children:
            out += b"This is a multi-part message in MIME format.\n"
            for child in self.children:
                out += b"\n--" + self.boundary.encode() + b"\n" + child.to_bytes()
            out += b"\n--" + self.boundary.encode() + b"--\n"
        else:
            out += self.body
        return bytes(out)


def encode_body(raw: bytes, cte: str) -> bytes:
    """The body in a Content-Transfer-Encoding: quoted-printable, base64, 8bit or 7bit."""
    if cte == "quoted-printable":
        return quopri.encodestring(raw)
    if cte == "base64":
        return base64.encodebytes(raw)
    return raw if raw.endswith(b"\n") else raw + b"\n"


def text_part(text: str, subtype: str, charset: str, cte: str, *, declare_charset: bool = True) -> Part:
    raw = text.encode(charset)
    if cte in {"8bit", "7bit"} and subtype == "html":
        raw = raw.replace(b"><", b">\n<")  # keep 8-bit lines under 998 octets
    quoted = f'"{charset}"' if charset.startswith("utf") else charset
    ctype = f"text/{subtype}; charset={quoted}"
    if not declare_charset:
        ctype = f"text/{subtype}"
    return Part([("Content-Type", ctype), ("Content-Transfer-Encoding", cte)], encode_body(raw, cte))


def attachment_part(data: bytes, mime: str, filename: str, *, inline: bool = False) -> Part:
    disp = "inline" if inline else "attachment"
    name = encoded_param(filename)
    return Part(
        [
            ("Content-Type", f"{mime}; name={name}"),
            ("Content-Disposition", f"{disp}; filename={name}"),
            ("Content-Transfer-Encoding", "base64"),
        ],
        base64.encodebytes(data),
    )


def encoded_param(value: str) -> str:
    if value.isascii():
        return f'"{value}"'
    return f'"{Header(value, "utf-8").encode()}"'


def encoded_header(value: str, charset: str, *, always: bool = False) -> str:
    """An RFC 2047 header value when it needs one (or `always`, as some mailers do), folded
    like mailers fold; UTF-8 when `charset` cannot hold the text."""
    if value.isascii() and not always:
        return value
    try:
        value.encode(charset)
    except UnicodeEncodeError:
        charset = "utf-8"
    return Header(value, charset, header_name="Subject").encode(maxlinelen=76, linesep="\n")


def multipart(subtype: str, boundary: str, children: list[Part]) -> Part:
    return Part(
        [("Content-Type", f'multipart/{subtype}; boundary="{boundary}"')],
        children=children,
        boundary=boundary,
    )
