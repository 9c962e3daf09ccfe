"""`nox -s eval-finance`: the Finance extension measured on a generated mailbox.

Generates a mailbox with ground truth (tools/corpus: many vendors, templates,
languages, currencies, HTML and text, PDF and photo attachments, stand-alone
scans, look-alikes; a share of templates the extension's rules never saw, the
"unseen" split), scans it with the real plugin in a real host, and scores the
records by the rules of FINANCE-EVAL.md: detection precision/recall/F1 and
per-field accuracy, overall, per kind and per split. Then scans again (nothing
to read) and reports both times. Writes build/eval/finance.json.

The same library holds the held-out set (tools/corpus/holdout: till receipts
scanned and photographed, PDF invoices in six languages, tricky mails, written
apart from the generator), scored and reported apart as "holdout".

    python tools/eval_finance.py --plugins build/plugins [--count 300] [--seed 11] [--no-holdout]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from uuid import UUID

from spacedrive_host import Host

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from corpus import holdout, mail, score  # noqa: E402

#: Where the held-out set lies in the library (its truth paths are made relative to the root).
HOLDOUT_DIR = "holdout"


def scan(host: Host, lid: UUID) -> tuple[dict[str, Any], float]:
    start = time.perf_counter()
    job = host.execute(
        "action:jobs.start.v1", {"plugin": "finance", "job": "scan", "input": {"library": str(lid)}}
    ).data()
    record = host.jobs.wait(job["id"], timeout=3600)
    if record.state.value != "done":
        raise SystemExit(f"scan {record.state.value}: {record.error}")
    assert isinstance(record.output, dict)
    return record.output, time.perf_counter() - start


def predictions(host: Host, lid: UUID) -> list[dict[str, Any]]:
    out = host.call_plugin("finance", "receipts", {"library": str(lid), "include_non_receipts": True})
    return score.from_records(out.data()["output"]["receipts"])


def explain(truth: list[dict[str, Any]], preds: list[dict[str, Any]], wrong: list[str]) -> list[str]:
    """One line per wrong receipt: each field's truth and prediction, the wrong ones marked."""
    by_path = {str(p["path"]): p for p in preds}
    lines = []
    for t in truth:
        if t["id"] not in wrong:
            continue
        p = by_path.get(str(t["path"]), {})
        parts = [t["id"], "" if p.get("is_receipt") else "NOT DETECTED"]
        for key, ok in (
            ("total", score.total_match(t, p)),
            ("date", score.date_match(t, p)),
            ("vendor", score.vendor_match(t.get("vendor"), p.get("vendor"))),
        ):
            if not ok:
                want = f"{t.get(key)}{' ' + str(t.get('currency')) if key == 'total' else ''}"
                got = f"{p.get(key)}{' ' + str(p.get('currency')) if key == 'total' else ''}"
                parts.append(f"{key}: {want!r} got {got!r}")
        lines.append("  ".join(x for x in parts if x))
    return lines


def evaluate(
    plugins: Path, count: int, seed: int, split: str, workdir: Path, holdout_seed: int | None = 14
) -> dict[str, Any]:
    """Scan the generated mailbox (and the held-out set unless `holdout_seed` is None) once;
    score each apart."""
    corpus = workdir / "corpus"
    truth_rows = mail.write_mailbox(corpus, count, seed, split, attachments=True)
    (corpus / "mailbox.mbox").unlink()  # the same messages again
    truth_path = corpus / "truth.jsonl"
    truth = score.load_jsonl(truth_path)
    truth_path.unlink()  # not part of the library
    held: list[dict[str, Any]] = []
    if holdout_seed is not None:
        held = [
            {**row, "path": f"{HOLDOUT_DIR}/{row['path']}"}
            for row in holdout.write(corpus / HOLDOUT_DIR, holdout_seed)
        ]
        (corpus / HOLDOUT_DIR / "truth.jsonl").unlink()
    with Host(data_dir=workdir / "data") as host:
        host.plugins.load(plugins / "finance")
        lid = UUID(
            host.execute("action:libraries.create.v1", {"name": "eval", "root": str(corpus)}).data()["id"]
        )
        host.execute("action:libraries.index.v1", library_id=lid)
        first, first_s = scan(host, lid)
        second, second_s = scan(host, lid)
        preds = predictions(host, lid)
    in_holdout = [p for p in preds if str(p["path"]).startswith(f"{HOLDOUT_DIR}/")]
    generated = [p for p in preds if p not in in_holdout]
    result = score.score(truth, generated)
    result["explain"] = explain(truth, generated, result["wrong"])
    if held:
        result["holdout"] = score.score(held, in_holdout)
        result["holdout"]["explain"] = explain(held, in_holdout, result["holdout"]["wrong"])
    documents = len(truth_rows) + len(held)
    result["throughput"] = {
        "documents": documents,
        "first_scan_seconds": round(first_s, 2),
        "documents_per_second": round(documents / first_s, 1),
        "second_scan_seconds": round(second_s, 3),
        "second_scan_speedup": round(first_s / max(second_s, 1e-9), 1),
        "second_scan_read": second["scanned"],
        "failed": first["failed"],
    }
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--plugins", type=Path, required=True)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--split", default="all")
    parser.add_argument("--holdout-seed", type=int, default=14)
    parser.add_argument(
        "--holdout", action=argparse.BooleanOptionalAction, default=True, help="also the held-out set"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "eval")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sd-eval-finance-") as tmp:
        result = evaluate(
            args.plugins,
            args.count,
            args.seed,
            args.split,
            Path(tmp),
            args.holdout_seed if args.holdout else None,
        )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "finance.json").write_text(json.dumps(result, indent=2) + "\n")
    print(score.table(result))
    print("\n".join(result["explain"]))
    if "holdout" in result:
        print("\nheld-out set (tools/corpus/holdout)")
        print(score.table(result["holdout"]))
        print("\n".join(result["holdout"]["explain"]))
    print("throughput:", json.dumps(result["throughput"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
