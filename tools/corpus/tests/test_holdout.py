"""The held-out set: reproducible from its seed, every kind present, and its truth printed in
the documents it describes."""

from __future__ import annotations

import email
import email.policy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdfium2
import pytest

from corpus import holdout, mail
from corpus.holdout import invoices


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("holdout")
    return out, holdout.write(out)


def test_the_same_seed_writes_the_same_bytes(held: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> None:
    out, _ = held
    holdout.write(tmp_path)
    assert mail.digest(tmp_path) == mail.digest(out)


def test_every_kind_and_look_alikes_with_full_truth(held: tuple[Path, list[dict[str, Any]]]) -> None:
    out, rows = held
    kinds = {r["kind"] for r in rows if r["is_receipt"]}
    assert kinds == {"email", "image", "pdf"}
    assert any(not r["is_receipt"] for r in rows)
    assert {r["split"] for r in rows} == {"holdout"}
    for r in rows:
        assert (out / r["path"]).is_file()
        if r["is_receipt"]:
            assert all(r[k] for k in ("vendor", "total", "currency", "date")), r


def test_text_invoices_print_seller_total_and_invoice_date(held: tuple[Path, list[dict[str, Any]]]) -> None:
    out, rows = held
    for r in rows:
        if r["kind"] != "pdf" or "scanned" in r["features"]:
            continue
        doc = pypdfium2.PdfDocument((out / r["path"]).read_bytes())
        text = " ".join(doc[0].get_textpage().get_text_range().split())
        assert r["vendor"] in text, r["id"]
        lab = invoices.LABELS[r["lang"]]
        assert lab["date"] in text, r["id"]
        assert lab["due"] in text, r["id"]
        total = " ".join(invoices._num(Decimal(str(r["total"])), r["lang"]).split())
        assert total in text, (r["id"], total)


def test_mails_parse_and_name_their_sender(held: tuple[Path, list[dict[str, Any]]]) -> None:
    out, rows = held
    for r in rows:
        if r["kind"] == "email":
            msg = email.message_from_bytes((out / r["path"]).read_bytes(), policy=email.policy.default)
            assert all(msg[h] for h in ("From", "Date", "Message-ID")), r["id"]
