"""The Finance extension's core, built to wasm32 and run in the real host: a raw
.eml in, detection and extraction out; OCR-shaped documents; hostile input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spacedrive_host import Host, InvalidInput

MAIL = Path(__file__).resolve().parents[2] / "finance-extension" / "tests" / "mail"


@pytest.fixture(scope="module")
def finance(tmp_path_factory: pytest.TempPathFactory, built_plugins: Path) -> Iterator[Host]:
    """One host for the module: compiling the 1.5 MB plugin takes seconds on a busy machine."""
    with Host(data_dir=tmp_path_factory.mktemp("data")) as host:
        host.plugins.load(built_plugins / "finance")
        yield host


def _analyze(host: Host, raw: bytes, **input: object) -> dict[str, Any]:
    out: dict[str, Any] = host.call_plugin("finance", "analyze", input or None, tail=raw).data()["output"]
    return out


def test_receipt_mail_is_detected_and_read(finance: Host) -> None:
    out = _analyze(finance, (MAIL / "forward_attached.eml").read_bytes())
    assert out["detection"]["is_receipt"] is True
    assert out["origin"]["forwarded"] == "attached"
    receipt = out["receipt"]
    assert receipt["vendor"]["value"] == "Little Bakery"
    assert receipt["total"]["value"] == {"minor": 1580, "currency": "USD"}
    assert receipt["date"]["value"] == "2024-03-04"
    assert 0.0 < receipt["total"]["confidence"] <= 1.0


def test_look_alike_is_rejected_with_reasons(finance: Host) -> None:
    out = _analyze(finance, (MAIL / "shipping_notice.eml").read_bytes())
    assert out["detection"]["is_receipt"] is False
    assert any("shipping" in r for r in out["detection"]["reasons"])


def test_classifier_probability_is_combined(finance: Host) -> None:
    raw = (MAIL / "uber_trip.eml").read_bytes()
    alone = _analyze(finance, raw)["detection"]
    doubted = _analyze(finance, raw, classifier=0.05)["detection"]
    assert doubted["classifier"] == 0.05
    assert doubted["score"] < alone["score"]


def test_ocr_pages_with_boxes(finance: Host) -> None:
    page = {
        "number": 1,
        "lines": [
            {"text": "KEDAI KOPI MAJU SDN BHD", "bbox": [200, 40, 800, 80]},
            {"text": "Date: 03/02/2018", "bbox": [40, 120, 400, 150]},
            {"text": "TOTAL", "bbox": [40, 400, 200, 440], "words": []},
            {"text": "9.00", "bbox": [760, 404, 880, 444]},
        ],
    }
    out = finance.call_plugin("finance", "analyze_text", {"pages": [page], "kind": "scan"}).data()["output"]
    assert out["receipt"]["total"]["value"] == {"minor": 900, "currency": "MYR"}
    assert out["receipt"]["vendor"]["value"] == "KEDAI KOPI MAJU SDN BHD"
    assert out["receipt"]["date"]["value"] == "2018-02-03"


def test_bad_input_is_a_typed_error_and_the_plugin_keeps_serving(finance: Host) -> None:
    with pytest.raises(InvalidInput, match="binary tail"):
        finance.call_plugin("finance", "analyze", None, tail=b"")
    with pytest.raises(InvalidInput, match="pages"):
        finance.call_plugin("finance", "analyze_text", {})
    nest = b"--a\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n"
    hostile = b"Content-Type: multipart/mixed; boundary=a\r\n\r\n" + nest * 5000
    out = _analyze(finance, hostile + bytes(range(256)) * 64)
    assert out["detection"]["is_receipt"] is False
    assert out["warnings"]
    # A 21 MiB body must not exhaust the guest's 128 MiB (it once trapped).
    huge = b"Subject: x\r\n\r\n" + (b"Total 12.50 EUR Mar 5 2024 " * 40 + b"\r\n") * 20000
    assert any("cut" in w for w in _analyze(finance, huge)["warnings"])
    assert _analyze(finance, (MAIL / "steam_latin1.eml").read_bytes())["detection"]["is_receipt"] is True


def test_mbox_split(finance: Host) -> None:
    one = (MAIL / "personal.eml").read_bytes()
    mbox = b"From a@b Mon Mar  4 10:00:00 2024\n" + one + b"\nFrom c@d Mon Mar  4 11:00:00 2024\n" + one
    ranges = finance.call_plugin("finance", "split_mbox", None, tail=mbox).data()["output"]["messages"]
    assert len(ranges) == 2
    assert mbox[ranges[1][0] : ranges[1][1]] == one
