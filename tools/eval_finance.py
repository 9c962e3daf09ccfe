"""`nox -s eval-finance`: the Finance extension measured on a generated mailbox.

Generates a mailbox with ground truth (tools/corpus: many vendors, templates,
languages, currencies, HTML and text, PDF and photo attachments, stand-alone
scans, look-alikes; a share of templates the extension's rules never saw, the
"unseen" split), scans it with the real plugin in a real host, and scores the
records by the rules of FINANCE-EVAL.md: detection precision/recall/F1 and
per-field accuracy, overall, per kind and per split. Then scans again (nothing
to read) and reports both times. Writes build/eval/finance.json.

    python tools/eval_finance.py --plugins build/plugins [--count 300] [--seed 11]
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

from corpus import mail, score  # noqa: E402


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
    return [
        {
            "path": r["id"],
            "is_receipt": r["is_receipt"],
            "vendor": r["vendor"],
            "total": float(r["total"]["value"]) if r["total"] else None,
            "currency": r["currency"],
            "date": r["date"],
        }
        for r in out.data()["output"]["receipts"]
    ]


def evaluate(plugins: Path, count: int, seed: int, split: str, workdir: Path) -> dict[str, Any]:
    corpus = workdir / "corpus"
    truth_rows = mail.write_mailbox(corpus, count, seed, split, attachments=True)
    (corpus / "mailbox.mbox").unlink()  # the same messages again
    truth_path = corpus / "truth.jsonl"
    truth = score.load_jsonl(truth_path)
    truth_path.unlink()  # not part of the library
    with Host(data_dir=workdir / "data") as host:
        host.plugins.load(plugins / "finance")
        lid = UUID(
            host.execute("action:libraries.create.v1", {"name": "eval", "root": str(corpus)}).data()["id"]
        )
        host.execute("action:libraries.index.v1", library_id=lid)
        first, first_s = scan(host, lid)
        second, second_s = scan(host, lid)
        result = score.score(truth, predictions(host, lid))
    documents = len(truth_rows)
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
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "eval")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sd-eval-finance-") as tmp:
        result = evaluate(args.plugins, args.count, args.seed, args.split, Path(tmp))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "finance.json").write_text(json.dumps(result, indent=2) + "\n")
    print(score.table(result))
    print("throughput:", json.dumps(result["throughput"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
