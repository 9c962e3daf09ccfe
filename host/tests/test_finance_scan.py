"""The Finance scan job over a real library in a real host: mail, attachments and
scanned receipts read (OCR and classification through the host), records kept
as sidecars, queries, the CSV ledger; idempotent and incremental."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from documents import encode, receipt_image

from spacedrive_host import Host

MAIL = Path(__file__).resolve().parents[2] / "finance-extension" / "tests" / "mail"


@pytest.fixture
def mailbox(tmp_path: Path) -> Path:
    root = tmp_path / "mail"
    (root / "inbox").mkdir(parents=True)
    for name in ("forward_attached.eml", "shipping_notice.eml"):
        shutil.copy(MAIL / name, root / "inbox" / name)
    # An mbox of two messages, a scanned receipt, a corrupt image and a file the scan ignores.
    mbox = b"".join(
        b"From sender@example.org Mon Jan  1 00:00:00 2024\n" + (MAIL / n).read_bytes() + b"\n"
        for n in ("forward_attached.eml", "shipping_notice.eml")
    )
    (root / "archive.mbox").write_bytes(mbox)
    (root / "scans").mkdir()
    (root / "scans" / "bakery.png").write_bytes(encode(receipt_image()))
    (root / "scans" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (root / "notes.txt").write_text("not mail")
    return root


@pytest.fixture
def scanner(host: Host, built_plugins: Path, mailbox: Path) -> tuple[Host, UUID]:
    host.plugins.load(built_plugins / "finance")
    lib = host.execute("action:libraries.create.v1", {"name": "mail", "root": str(mailbox)}).data()
    lid = UUID(lib["id"])
    host.execute("action:libraries.index.v1", library_id=lid)
    return host, lid


def scan(host: Host, lid: UUID) -> dict[str, Any]:
    job = host.execute(
        "action:jobs.start.v1", {"plugin": "finance", "job": "scan", "input": {"library": str(lid)}}
    ).data()
    record = host.jobs.wait(job["id"], timeout=600)
    assert record.state.value == "done", record.error
    assert isinstance(record.output, dict)
    return record.output


def call(host: Host, method: str, **input: Any) -> Any:
    return host.call_plugin("finance", method, input).data()["output"]


def test_a_scan_reads_mail_mboxes_and_scans_and_keeps_going_past_a_corrupt_file(
    scanner: tuple[Host, UUID],
) -> None:
    host, lid = scanner
    summary = scan(host, lid)
    # 2 .eml + 1 mbox + 2 images; notes.txt is not mail. The corrupt image fails alone.
    assert summary["scanned"] == 4
    assert summary["failed"] == 1
    assert summary["messages"] == 5
    everything = call(host, "receipts", library=str(lid), include_non_receipts=True)
    by_id = {r["id"]: r for r in everything["receipts"]}
    assert set(by_id) == {
        "inbox/forward_attached.eml",
        "inbox/shipping_notice.eml",
        "archive.mbox#1",
        "archive.mbox#2",
        "scans/bakery.png",
    }
    bakery = by_id["inbox/forward_attached.eml"]
    assert bakery["is_receipt"] is True
    assert bakery["vendor"] == "Little Bakery"
    assert bakery["total"]["value"] == "15.80"
    assert bakery["currency"] == "USD"
    assert bakery["category"] == "Food & Dining"
    assert by_id["archive.mbox#1"]["total"] == bakery["total"]
    assert by_id["inbox/shipping_notice.eml"]["is_receipt"] is False
    assert by_id["inbox/shipping_notice.eml"]["reasons"]
    scanned = by_id["scans/bakery.png"]
    assert scanned["kind"] == "image"
    assert scanned["ocr_pages"] == 1
    assert scanned["total"]["value"] == "12.78"


def test_a_second_scan_adds_nothing_and_a_new_mail_is_read_alone(
    scanner: tuple[Host, UUID], mailbox: Path
) -> None:
    host, lid = scanner
    scan(host, lid)
    before = call(host, "receipts", library=str(lid))
    again = scan(host, lid)
    assert again["scanned"] == 0
    assert again["skipped"] == 4
    assert call(host, "receipts", library=str(lid)) == before
    shutil.copy(MAIL / "forward_attached.eml", mailbox / "inbox" / "copy.eml")
    (mailbox / "inbox" / "renamed.eml").write_bytes((MAIL / "shipping_notice.eml").read_bytes() + b"\n")
    host.execute("action:libraries.index.v1", library_id=lid)
    later = scan(host, lid)
    assert later["scanned"] == 1, "same bytes as a scanned mail: already read; changed bytes: read"
    assert later["skipped"] == 5


def test_queries_filter_and_total_per_category_and_month(scanner: tuple[Host, UUID]) -> None:
    host, lid = scanner
    scan(host, lid)
    receipts = call(host, "receipts", library=str(lid))["receipts"]
    assert receipts, "the scan found receipts"
    assert all(r["is_receipt"] for r in receipts)
    assert call(host, "receipts", library=str(lid), vendor="little bak")["count"] == 2
    assert call(host, "receipts", library=str(lid), min_total=100.0)["count"] == 0
    assert call(host, "receipts", library=str(lid), currency="EUR")["count"] == 0
    assert call(host, "receipts", **{"library": str(lid), "from": "2099-01-01"})["count"] == 0
    assert call(host, "receipts", **{"library": str(lid), "to": "2099-01-01"})["count"] == len(receipts)
    totals = call(host, "totals", library=str(lid), currency="USD")
    food = [t for t in totals["by_category_month"] if t["category"] == "Food & Dining"]
    assert food
    assert food[0]["month"] == "2024-03"
    assert sum(t["minor"] for t in food) >= 2 * 1580


def test_the_csv_ledger_is_rfc4180_and_formula_safe(scanner: tuple[Host, UUID]) -> None:
    host, lid = scanner
    scan(host, lid)
    out = host.call_plugin("finance", "export_csv", {"library": str(lid)})
    text = out.tail.decode()
    assert text.startswith("Date,Vendor,Category,Amount,Tax,Total,Currency,Description,Source\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) - 1 == out.data()["output"]["rows"] >= 2
    for row in rows[1:]:
        assert len(row) == 9
        assert not any(cell[:1] in ("=", "+", "@") for cell in row)


def test_unknown_filters_are_refused(scanner: tuple[Host, UUID]) -> None:
    from spacedrive_host import InvalidInput

    host, lid = scanner
    with pytest.raises(InvalidInput, match="unknown field"):
        call(host, "receipts", library=str(lid), colour="blue")


RULES_DECIDED = "the rules decided: the classifier could not change it"


def test_the_classifier_is_asked_only_where_it_could_change_a_decision(
    host: Host, built_plugins: Path, tmp_path: Path
) -> None:
    root = tmp_path / "all"
    shutil.copytree(MAIL, root)
    host.plugins.load(built_plugins / "finance")
    lid = host.execute("action:libraries.create.v1", {"name": "all", "root": str(root)}).data()["id"]
    host.execute("action:libraries.index.v1", library_id=UUID(lid))
    scan(host, UUID(lid))
    found = call(host, "receipts", library=lid, include_non_receipts=True)["receipts"]
    asked = [r for r in found if any(x.startswith("classifier says") for x in r["reasons"])]
    decided = [r for r in found if RULES_DECIDED in r["reasons"]]
    assert len(asked) + len(decided) == len(found), "each record says which"
    assert asked
    assert decided
    for rec in decided:
        assert rec["score"] >= 0.91 or rec["score"] <= 0.09, rec["id"]
        if rec["ocr_pages"]:
            continue
        # At either end of the classifier's range the rules' decision stands.
        raw = (root / rec["id"]).read_bytes()
        for p in (0.0, 1.0):
            answer = host.call_plugin("finance", "analyze", {"classifier": p}, tail=raw).data()["output"]
            assert answer["detection"]["is_receipt"] is rec["is_receipt"], (rec["id"], p)
