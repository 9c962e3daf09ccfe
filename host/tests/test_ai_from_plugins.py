"""The AI operations from inside a real wasm plugin (`reader`, on the typed client)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from documents import encode, receipt_image, text_pdf

from spacedrive_host import Host, PermissionDenied


@pytest.fixture
def reader(tmp_path: Path, built_plugins: Path) -> Iterator[Host]:
    with Host(data_dir=tmp_path / "data") as host:
        host.plugins.load(built_plugins / "reader")
        host.plugins.load(built_plugins / "echo")
        yield host


def test_a_plugin_reads_an_image_and_finds_the_total_right_of_its_label(reader: Host) -> None:
    out = reader.call_plugin("reader", "read", {"find": "total"}, tail=encode(receipt_image())).data()[
        "output"
    ]
    assert out["pages"] == 1
    assert out["found"].upper().startswith("TOTAL")
    assert out["found"].endswith("12.78")
    assert out["found_last_word_x0"] > 120, "the amount is the last word, right of the label"
    again = reader.call_plugin("reader", "read", {}, tail=encode(receipt_image())).data()["output"]
    assert again["cached"] is True
    assert again["text"] == out["text"]


def test_a_plugin_reads_a_pdf_text_layer(reader: Host) -> None:
    out = reader.call_plugin("reader", "read", {"find": "vat"}, tail=text_pdf(["Invoice", "VAT 20%  2.13"]))
    assert out.data()["output"]["found"] == "VAT 20% 2.13"


def test_a_plugin_classifies_with_a_built_in_set_and_with_its_own_labels(reader: Host) -> None:
    out = reader.call_plugin(
        "reader",
        "classify",
        {"texts": ["Netflix Premium monthly plan renewed, $22.99 charged"], "label_set": "finance.category"},
    ).data()["output"]
    assert out["results"][0]["label"] == "Software & Subscriptions"
    own = reader.call_plugin(
        "reader", "classify", {"texts": ["Flight LH 400 Frankfurt to New York"], "labels": ["travel", "food"]}
    ).data()["output"]
    assert own["results"][0]["label"] == "travel"


def test_a_plugin_without_the_permission_is_denied(reader: Host) -> None:
    with pytest.raises(PermissionDenied, match=r"ai\.ocr"):
        reader.call_plugin("echo", "relay", {"method": "query:ai.ocr.v1", "input": {}}, tail=b"%PDF-")


def test_a_bad_document_is_the_plugins_typed_error_and_it_keeps_serving(reader: Host) -> None:
    from spacedrive_host.errors import InvalidInput

    with pytest.raises(InvalidInput, match="unsupported document type"):
        reader.call_plugin("reader", "read", {}, tail=b"garbage bytes")
    ok = reader.call_plugin("reader", "read", {}, tail=text_pdf(["still serving"])).data()["output"]
    assert "still serving" in ok["text"]
