"""The scorer on hand-made cases: one test per rule of shared/FINANCE-EVAL.md."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from corpus import mail, score
from corpus.vendors import CATEGORY_OF_KIND, category_of


def _t(id_: str, receipt: bool = True, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": id_,
        "kind": "email",
        "is_receipt": receipt,
        "borderline": False,
        "split": "seen",
    }
    if receipt:
        row.update(vendor="Acme SDN BHD", total=12.5, currency="MYR", date="2026-03-14")
    row.update(kw)
    return row


def _p(id_: str, receipt: bool = True, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"id": id_, "is_receipt": receipt}
    if receipt:
        row.update(vendor="ACME", total=12.5, currency="MYR", date="2026-03-14")
    row.update(kw)
    return row


@pytest.mark.parametrize(
    ("truth", "pred", "lenient", "exact"),
    [
        ("Acme SDN BHD", "ACME", True, True),
        ("Kedai Runcit Sri Aman Sdn Bhd", "Sri Aman", True, False),
        ("Bakkerij de Molen B.V.", "Bakkerij De Molen", True, True),
        ("Seri Murni Food Trading S/B", "SERI MURNI FOOD TRADING", True, True),
        ("Atelier Morel S.A.R.L.", "atelier morel", True, True),
        ("The Coffee Bean and Tea Leaf", "Coffee Bean", True, False),
        ("McDonald's", "Mc Donalds", True, False),  # one name without spaces contains the other
        ("Green Basket Market LLC", "Red Apple Grocers", False, False),
        ("Lumen Yoga Studio", "Stripe", False, False),
        ("Abc", "Abcde Shop", False, False),  # containment needs 4 characters
        ("Nimbus Cloud Inc.", None, False, False),
        ("Zipride Technologies Inc.", "", False, False),
        ("Zipride Technologies Inc.", ["Zipride"], False, False),  # not a string: no match, no crash
    ],
)
def test_vendor_matching(truth: str, pred: object, lenient: bool, exact: bool) -> None:
    assert score.vendor_match(truth, pred) is lenient
    assert score.vendor_exact(truth, pred) is exact


def test_half_of_the_smaller_names_tokens_is_enough() -> None:
    # {green, basket, market} and {green, valley, farms, market, hall}: 2 shared >= 3/2.
    assert score.vendor_match("Green Basket Market", "Green Valley Farms Market Hall")
    # {alpha, beta, gamma, delta} and {alpha, omega, sigma, kappa}: 1 shared < 4/2.
    assert not score.vendor_match("Alpha Beta Gamma Delta", "Alpha Omega Sigma Kappa")


@pytest.mark.parametrize(
    ("pred_total", "pred_currency", "right"),
    [
        (12.5, "MYR", True),
        ("12.50", "myr", True),  # strings and lower-case codes are read
        (12.509, "MYR", True),
        (12.49, "MYR", True),
        (12.52, "MYR", False),
        (12.5, "USD", False),  # right number, wrong currency
        (12.5, None, False),
        (None, "MYR", False),
        ("twelve", "MYR", False),
        ("nan", "MYR", False),
        ("inf", "MYR", False),
    ],
)
def test_total_within_a_cent_in_the_right_currency(
    pred_total: object, pred_currency: object, right: bool
) -> None:
    assert score.total_match(_t("a"), {"total": pred_total, "currency": pred_currency}) is right


@pytest.mark.parametrize(
    ("date", "right"), [("2026-03-14", True), ("2026-3-14", False), ("14/03/2026", False), (None, False)]
)
def test_date_must_match_exactly(date: str | None, right: bool) -> None:
    assert score.date_match(_t("a"), {"date": date}) is right


def test_detection_precision_recall_f1_over_emails() -> None:
    truth = [_t("r1"), _t("r2"), _t("r3"), _t("n1", False), _t("n2", False), _t("img", kind="image")]
    preds = [_p("r1"), _p("r2"), _p("n1"), _p("n2", False)]  # r3 and img missing: not receipts
    d = score.score(truth, preds)["detection"]
    assert (d["tp"], d["fp"], d["fn"], d["tn"]) == (2, 1, 1, 1)
    assert d["precision"] == pytest.approx(2 / 3)
    assert d["recall"] == pytest.approx(2 / 3)
    assert d["f1"] == pytest.approx(2 / 3)
    assert score.score(truth, preds)["detection_all_documents"]["fn"] == 2


def test_borderline_items_are_left_out_of_the_second_figure() -> None:
    truth = [_t("r1"), _t("b1", False, borderline=True), _t("n1", False)]
    preds = [_p("r1"), _p("b1"), _p("n1", False)]
    result = score.score(truth, preds)
    assert result["detection"]["precision"] == pytest.approx(0.5)
    assert result["detection_without_borderline"]["precision"] == 1.0
    assert result["detection_without_borderline"]["n"] == 2


def test_all_three_overall_and_per_kind_and_split() -> None:
    truth = [
        _t("e1"),
        _t("e2", split="unseen"),
        _t("i1", kind="image"),
        _t("p1", kind="pdf"),
        _t("p2", kind="pdf"),
    ]
    preds = [
        _p("e1"),
        _p("e2", date="2026-03-15"),  # wrong date
        _p("i1", vendor="Kedai Acme"),  # lenient vendor still right
        _p("p1", currency="EUR"),  # wrong currency: total wrong
        _p("p2", False),  # not detected: no field can be right
    ]
    result = score.score(truth, preds)
    assert result["fields"]["all_three"] == pytest.approx(2 / 5)
    assert result["fields"]["date"] == pytest.approx(3 / 5)
    assert result["fields"]["total"] == pytest.approx(3 / 5)
    assert result["fields"]["vendor_exact"] == pytest.approx(3 / 5)
    assert result["by_kind"]["email"]["all_three"] == pytest.approx(0.5)
    assert result["by_kind"]["image"]["all_three"] == 1.0
    assert result["by_kind"]["pdf"]["all_three"] == 0.0
    assert result["by_split"]["unseen"]["all_three"] == 0.0
    assert sorted(result["wrong"]) == ["e2", "p1", "p2"]


def test_category_is_scored_apart_over_found_receipts_with_a_known_category() -> None:
    truth = [
        _t("a", category="Travel"),
        _t("b", category="Health"),
        _t("c"),  # a merchant kind with no one category: not counted
        _t("d", category="Travel"),  # not detected: not counted
    ]
    preds = [_p("a", category="Travel"), _p("b", category="Other"), _p("c", category="Other"), _p("d", False)]
    result = score.score(truth, preds)
    assert result["category"] == {"n": 2, "accuracy": 0.5}
    assert result["fields"]["all_three"] == pytest.approx(3 / 4)  # the headline ignores it
    assert "category right" in score.table(result)


def test_the_vendor_kinds_category_is_in_the_truth(tmp_path: Path) -> None:
    rows = [r for r in mail.write_mailbox(tmp_path, 40, 3, "all", files=4) if r.is_receipt]
    assert rows
    for r in rows:
        if r.kind == "email":
            assert r.category == category_of(r.vendor)
    assert {r.category for r in rows} - {None} <= set(CATEGORY_OF_KIND.values())


def test_median_seconds_when_given() -> None:
    truth = [_t("a"), _t("b"), _t("c")]
    assert score.score(truth, [_p("a")])["median_seconds"] is None
    preds = [_p("a", seconds=0.1), _p("b", seconds=0.5), _p("c", seconds=2.0)]
    assert score.score(truth, preds)["median_seconds"] == pytest.approx(0.5)


def test_cli_prints_the_table_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t, p = tmp_path / "truth.jsonl", tmp_path / "pred.jsonl"
    t.write_text("\n".join(json.dumps(r) for r in [_t("a"), _t("b", False)]) + "\n")
    p.write_text(json.dumps(_p("a")) + "\n")
    assert score.main([str(t), str(p)]) == 0
    out = capsys.readouterr().out
    assert "without borderline" in out
    assert "100.0%" in out
    assert score.main([str(t), str(p), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["fields"]["all_three"] == 1.0


def test_a_bad_predictions_line_is_named(tmp_path: Path) -> None:
    p = tmp_path / "pred.jsonl"
    p.write_text('{"id": "a"}\n{oops\n')
    with pytest.raises(ValueError, match=r"pred.jsonl:2: not JSON"):
        score.load_jsonl(p)
    p.write_text('{"id": "a"}\n\n[1, 2]\n')
    with pytest.raises(ValueError, match=r"pred.jsonl:3: not a JSON object"):
        score.load_jsonl(p)


def _dp(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def test_levenshtein_agrees_with_the_textbook_algorithm() -> None:
    rng = random.Random(0)
    for _ in range(500):
        a = "".join(rng.choice("ab c1") for _ in range(rng.randrange(0, 70)))
        b = "".join(rng.choice("abc d") for _ in range(rng.randrange(0, 70)))
        assert score.levenshtein(a, b) == _dp(a, b), (a, b)


@pytest.mark.parametrize(
    ("truth", "ocr", "accuracy"),
    [
        ("TOTAL 12.50", "TOTAL 12.50", 1.0),
        ("TOTAL   12.50\n\nCASH 20.00", " TOTAL 12.50 CASH\t20.00 ", 1.0),  # whitespace normalised
        ("abcdefghij", "abcdefghiX", 0.9),
        ("abcdefghij", "", 0.0),
        ("abc", "completely different and much longer", 0.0),  # floored at 0
        ("", "", 1.0),
    ],
)
def test_char_accuracy(truth: str, ocr: str, accuracy: float) -> None:
    assert score.char_accuracy(truth, ocr) == pytest.approx(accuracy)


def test_predictions_may_name_documents_by_path() -> None:
    truth = [_t("a", path="eml/00000.eml"), _t("b", False, path="eml/00001.eml")]
    found = {k: v for k, v in _p("x").items() if k != "id"}
    preds = [{"path": "eml/00000.eml", **found}, {"path": "eml/00001.eml", "is_receipt": False}]
    result = score.score(truth, preds)
    assert result["missing_predictions"] == 0
    assert result["fields"]["all_three"] == 1.0


def test_ocr_scores_group_by_preset_layout_and_split() -> None:
    truth = [
        {"id": "1", "text": "TOTAL 12.50", "preset": "clean", "layout": "paper-retail", "split": "seen"},
        {"id": "2", "text": "abcdefghij", "preset": "photo", "layout": "paper-retail", "split": "seen"},
    ]
    result = score.ocr_scores(truth, {"1": "TOTAL 12.50", "2": "abcdefghiX"})
    assert result["preset clean"]["mean"] == 1.0
    assert result["preset photo"]["mean"] == pytest.approx(0.9)
    assert result["all"]["mean"] == pytest.approx(0.95)
    assert result["layout paper-retail"]["worst"] == "2"
    assert score.ocr_scores(truth, {})["all"]["mean"] == 0.0  # no output: nothing right


def test_cli_scores_ocr_texts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t, p = tmp_path / "truth.jsonl", tmp_path / "texts.jsonl"
    row = {"id": "1", "text": "abcdefghij", "preset": "scan", "layout": "paper-cafe", "split": "seen"}
    t.write_text(json.dumps(row) + "\n")
    p.write_text(json.dumps({"id": "1", "text": "abcdefghiX"}) + "\n")
    assert score.main(["--ocr", str(t), str(p)]) == 0
    assert "preset scan" in capsys.readouterr().out
    assert score.main(["--ocr", "--json", str(t), str(p)]) == 0
    assert json.loads(capsys.readouterr().out)["all"]["mean"] == pytest.approx(0.9)


def test_odd_predictions_never_crash_the_scorer() -> None:
    """Whatever an extension writes (nulls, strings, nested junk), scoring gives figures."""
    rng = random.Random(4)
    junk: list[object] = [
        None,
        "",
        "n/a",
        0,
        -1,
        1e308,
        "nan",
        "-inf",
        "12,50",
        [1],
        {"a": 1},
        True,
        "2026-02-30",
    ]
    truth = [_t(f"r{i}") for i in range(20)] + [_t(f"n{i}", False) for i in range(20)]
    preds = [
        {
            "id": t["id"],
            **{k: rng.choice(junk) for k in ("is_receipt", "vendor", "total", "currency", "date")},
        }
        for t in truth
    ]
    result = score.score(truth, preds)
    assert 0.0 <= result["fields"]["all_three"] <= 1.0
    assert result["detection"]["n"] == 40
