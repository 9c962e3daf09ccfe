"""The scorer of shared/FINANCE-EVAL.md, over a truth manifest and a predictions JSONL, and the
OCR character accuracy.

    python tools/corpus/score.py TRUTH.jsonl PREDICTIONS.jsonl [--json]
    python tools/corpus/score.py --ocr OCR_TRUTH.jsonl TEXTS.jsonl      (character accuracy)

A prediction line is {"id", "is_receipt", "vendor", "total", "currency", "date"} (and optionally
"seconds"). A document with no prediction counts as "not a receipt". A field of a true receipt
counts as right only if the document was also predicted to be a receipt: a record the
extension never wrote cannot be right.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

# Legal-entity suffixes dropped before vendors are compared (FINANCE-EVAL.md's list and the
# same kind from the other countries the corpus covers). Punctuated forms such as B.V., S/B
# and S.A.R.L. fall apart into one-letter tokens, which are dropped anyway.
LEGAL_SUFFIXES = frozenset(
    [
        "sdn",
        "bhd",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "llp",
        "gmbh",
        "ag",
        "plc",
        "co",
        "corp",
        "corporation",
        "company",
        "pty",
        "pte",
        "pvt",
        "sarl",
        "sa",
        "sas",
        "srl",
        "spa",
        "snc",
        "sl",
        "bv",
        "nv",
        "kg",
        "ohg",
        "ug",
        "kk",
        "oy",
        "ab",
    ]
)
STOPWORDS = frozenset({"the", "and", "of"})
_TOKEN = re.compile(r"[^\W_]+")


def vendor_tokens(name: object) -> list[str]:
    """Lower-cased tokens without legal suffixes, punctuation, one-letter tokens, the/and/of."""
    if not isinstance(name, str):
        return []
    tokens = _TOKEN.findall(name.lower())
    return [t for t in tokens if len(t) > 1 and t not in LEGAL_SUFFIXES and t not in STOPWORDS]


def normalise_vendor(name: object) -> str:
    return " ".join(vendor_tokens(name))


def vendor_match(truth: object, pred: object) -> bool:
    """FINANCE-EVAL.md's lenient match: shared tokens >= half of the smaller name's tokens, or one
    name without spaces contains the other (4 characters or more)."""
    a, b = vendor_tokens(truth), vendor_tokens(pred)
    if not a or not b:
        return False
    shared = len(set(a) & set(b))
    if shared and shared >= min(len(set(a)), len(set(b))) / 2:
        return True
    ja, jb = "".join(a), "".join(b)
    short, long_ = (ja, jb) if len(ja) <= len(jb) else (jb, ja)
    return len(short) >= 4 and short in long_


def vendor_exact(truth: object, pred: object) -> bool:
    na = normalise_vendor(truth)
    return bool(na) and na == normalise_vendor(pred)


def _decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def total_match(truth: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    """Within 0.01 of the truth, in the right currency (ISO code, case-insensitive)."""
    t, p = _decimal(truth.get("total")), _decimal(pred.get("total"))
    if t is None or p is None:
        return False
    same_currency = (
        str(pred.get("currency") or "").strip().upper() == str(truth.get("currency") or "").upper()
    )
    return same_currency and abs(t - p) <= Decimal("0.01")


def date_match(truth: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    return bool(truth.get("date")) and str(pred.get("date") or "").strip() == truth["date"]


def _prf(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float | int]:
    tp = fp = fn = tn = 0
    for truth, pred in pairs:
        if truth and pred:
            tp += 1
        elif pred:
            fp += 1
        elif truth:
            fn += 1
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "n": tp + fp + fn + tn,
    }


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def from_records(receipts: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The Finance extension's records (its `receipts` query with non-receipts) as predictions."""
    return [
        {
            "path": r["id"],
            "is_receipt": r["is_receipt"],
            "vendor": r["vendor"],
            "total": float(r["total"]["value"]) if r["total"] else None,
            "currency": r["currency"],
            "date": r["date"],
            "category": r.get("category"),
        }
        for r in receipts
    ]


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from None
                if not isinstance(row, dict):
                    raise ValueError(f"{path}:{number}: not a JSON object")
                rows.append(row)
    return rows


def score(truth: list[dict[str, Any]], predictions: list[dict[str, Any]]) -> dict[str, Any]:
    """Every figure of FINANCE-EVAL.md; a nested dict (printed by `table`).

    A prediction names its document by `id`, or by `path` (as in the truth, relative to the
    corpus directory) for tools that only know files.
    """
    by_path = {str(t["path"]): str(t["id"]) for t in truth if "path" in t}
    preds: dict[str, Mapping[str, Any]] = {}
    for pred in predictions:
        key = pred.get("id", by_path.get(str(pred.get("path")), pred.get("path")))
        if key is not None:
            preds[str(key)] = pred
    unknown = sorted(set(preds) - {str(t["id"]) for t in truth})
    emails = [t for t in truth if t.get("kind", "email") == "email"]

    def detected(t: Mapping[str, Any]) -> bool:
        return bool(preds.get(str(t["id"]), {}).get("is_receipt"))

    result: dict[str, Any] = {
        "detection": _prf((bool(t["is_receipt"]), detected(t)) for t in emails),
        "detection_without_borderline": _prf(
            (bool(t["is_receipt"]), detected(t)) for t in emails if not t.get("borderline")
        ),
        "detection_all_documents": _prf((bool(t["is_receipt"]), detected(t)) for t in truth),
    }
    per_item = []
    for t in truth:
        if not t["is_receipt"]:
            continue
        p = preds.get(str(t["id"]), {})
        found = bool(p.get("is_receipt"))
        row = {
            "id": t["id"],
            "kind": t.get("kind", "email"),
            "split": t.get("split", "seen"),
            "total": found and total_match(t, p),
            "date": found and date_match(t, p),
            "vendor": found and vendor_match(t.get("vendor"), p.get("vendor")),
            "vendor_exact": found and vendor_exact(t.get("vendor"), p.get("vendor")),
        }
        row["all_three"] = row["total"] and row["date"] and row["vendor"]
        if found and t.get("category"):  # scored apart: FINANCE-EVAL asks for no category
            row["category"] = p.get("category") == t["category"]
        per_item.append(row)

    def fields(rows: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "n": len(rows),
            **{
                k: _share([bool(r[k]) for r in rows])
                for k in ("total", "date", "vendor", "vendor_exact", "all_three")
            },
        }

    result["fields"] = fields(per_item)
    categorised = [bool(r["category"]) for r in per_item if "category" in r]
    result["category"] = {"n": len(categorised), "accuracy": _share(categorised)}
    result["by_kind"] = {
        k: fields([r for r in per_item if r["kind"] == k]) for k in ("email", "image", "pdf")
    }
    splits = sorted({r["split"] for r in per_item})
    result["by_split"] = {s: fields([r for r in per_item if r["split"] == s]) for s in splits}
    result["detection_by_split"] = {
        s: _prf((bool(t["is_receipt"]), detected(t)) for t in emails if t.get("split", "seen") == s)
        for s in sorted({t.get("split", "seen") for t in emails})
    }
    seconds = [float(p["seconds"]) for p in preds.values() if isinstance(p.get("seconds"), int | float)]
    result["median_seconds"] = statistics.median(seconds) if seconds else None
    result["missing_predictions"] = sum(1 for t in truth if str(t["id"]) not in preds)
    result["unknown_ids"] = len(unknown)
    result["wrong"] = [r["id"] for r in per_item if not r["all_three"]]
    return result


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{value * 100:5.1f}%"


def table(result: Mapping[str, Any]) -> str:
    """The figures as a plain-text table."""
    lines = ["detection (emails)          precision  recall     F1      n"]
    for key, label in (
        ("detection", "all"),
        ("detection_without_borderline", "without borderline"),
        ("detection_all_documents", "all documents"),
    ):
        d = result[key]
        lines.append(
            f"  {label:<25} {_pct(d['precision'])}    {_pct(d['recall'])}  {_pct(d['f1'])} {d['n']:6d}"
        )
    for split, d in result["detection_by_split"].items():
        lines.append(
            f"  {'split ' + split:<25} {_pct(d['precision'])}    {_pct(d['recall'])}  "
            f"{_pct(d['f1'])} {d['n']:6d}"
        )
    lines.append("")
    lines.append("fields (true receipts)      total    date   vendor  exact   all 3      n")
    groups = [("all", result["fields"])]
    groups += [(f"kind {k}", v) for k, v in result["by_kind"].items()]
    groups += [(f"split {k}", v) for k, v in result["by_split"].items()]
    for label, f in groups:
        lines.append(
            f"  {label:<25} {_pct(f['total'])} {_pct(f['date'])} {_pct(f['vendor'])} "
            f"{_pct(f['vendor_exact'])} {_pct(f['all_three'])} {f['n']:6d}"
        )
    category = result.get("category") or {}
    if category.get("n"):
        lines.append(
            f"\ncategory right (found receipts of a merchant kind with one category): "
            f"{_pct(category['accuracy'])} of {category['n']}"
        )
    if result["median_seconds"] is not None:
        lines.append(f"\nmedian seconds per document: {result['median_seconds']:.4f}")
    if result["missing_predictions"] or result["unknown_ids"]:
        lines.append(
            f"\nmissing predictions: {result['missing_predictions']}; unknown ids: {result['unknown_ids']}"
        )
    return "\n".join(lines)


# ------------------------------------------------------------------------------- OCR accuracy


def _normalise_ws(text: str) -> str:
    return " ".join(text.split())


def levenshtein(a: str, b: str) -> int:
    """Edit distance by Hyyrö's bit-parallel algorithm (Python ints as bit vectors): fast
    enough in pure Python for page-sized texts."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    # Bit vectors over the shorter string `b`; iterate over `a`.
    masks: dict[str, int] = {}
    for i, ch in enumerate(b):
        masks[ch] = masks.get(ch, 0) | (1 << i)
    full = (1 << len(b)) - 1
    high = 1 << (len(b) - 1)
    pv, mv, dist = full, 0, len(b)
    for ch in a:
        eq = masks.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & high:
            dist += 1
        elif mh & high:
            dist -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
    return dist


def char_accuracy(truth: str, ocr: str) -> float:
    """1 - edit distance / length of the truth, on whitespace-normalised text, floored at 0."""
    t, o = _normalise_ws(truth), _normalise_ws(ocr)
    if not t:
        return 1.0 if not o else 0.0
    return max(0.0, 1.0 - levenshtein(t, o) / len(t))


def ocr_scores(truth: list[dict[str, Any]], texts: Mapping[str, str]) -> dict[str, Any]:
    """Character accuracy of OCR output (`texts`: id -> text) against `generate.py ocr`'s truth:
    the mean overall and per preset, layout and split, with the worst image of each."""
    groups: dict[str, list[tuple[float, str]]] = {}
    for row in truth:
        acc = char_accuracy(str(row["text"]), texts.get(str(row["id"]), ""))
        for key in (
            "all",
            f"preset {row.get('preset')}",
            f"layout {row.get('layout')}",
            f"split {row.get('split')}",
        ):
            groups.setdefault(key, []).append((acc, str(row["id"])))
    return {
        key: {
            "mean": sum(a for a, _ in rows) / len(rows),
            "min": min(rows)[0],
            "worst": min(rows)[1],
            "n": len(rows),
        }
        for key, rows in sorted(groups.items())
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="score.py", description="Score predictions by FINANCE-EVAL.md.")
    parser.add_argument("truth", type=Path)
    parser.add_argument("predictions", type=Path)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--ocr", action="store_true", help="TRUTH is `generate.py ocr`'s; PREDICTIONS are {id, text} lines"
    )
    args = parser.parse_args(argv)
    truth, predictions = load_jsonl(args.truth), load_jsonl(args.predictions)
    if args.ocr:
        ocr = ocr_scores(truth, {str(p["id"]): str(p.get("text", "")) for p in predictions})
        lines = [
            f"{k:<32} {v['mean'] * 100:6.1f}%  min {v['min'] * 100:5.1f}% ({v['worst']})  n={v['n']}"
            for k, v in ocr.items()
        ]
        print(json.dumps(ocr, indent=2) if args.json else "\n".join(lines))
        return 0
    result = score(truth, predictions)
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
