#!/usr/bin/env python3
"""Write categories/{train,test}.jsonl, receipt/{train,test}.jsonl and manifest.json.

Deterministic: the same seed gives byte-identical files (no clock, no hash(), no set order).
Usage: python3 generate.py [--seed N] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The data in the host package, where the classifiers train from.
DATA = HERE.parents[1] / "host" / "src" / "spacedrive_host" / "ai" / "data"
sys.path.insert(0, str(HERE / "src"))

import make_categories  # noqa: E402
import make_receipt  # noqa: E402

COUNTS = {"categories": {"train": 200, "test": 60}, "receipt": {"train": 650, "test": 160}}


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps({"text": r["text"], "label": r["label"]}, ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=DATA)
    args = ap.parse_args()
    tasks: dict[str, dict[str, dict[str, object]]] = {"categories": {}, "receipt": {}}
    manifest: dict[str, object] = {"seed": args.seed, "licence": "CC0-1.0", "tasks": tasks}
    for split in ("train", "test"):
        rows = make_categories.generate(split, COUNTS["categories"][split], args.seed)
        write_jsonl(args.out / "categories" / f"{split}.jsonl", rows)
        tasks["categories"][split] = {
            "counts": dict(sorted(Counter(r["label"] for r in rows).items())),
            "languages": dict(sorted(Counter(r["_lang"] for r in rows).items())),
            "ocr_noised": sum(r["_noisy"] == "yes" for r in rows),
            "vendors": make_categories.vendor_names(split),
            "templates": [
                f"{split}-{i}"
                for i in range(
                    len(
                        make_categories.TRAIN_TEMPLATES
                        if split == "train"
                        else make_categories.TEST_TEMPLATES
                    )
                )
            ],
        }
        rows = make_receipt.generate(split, COUNTS["receipt"][split], args.seed)
        write_jsonl(args.out / "receipt" / f"{split}.jsonl", rows)
        tasks["receipt"][split] = {
            "counts": dict(sorted(Counter(r["label"] for r in rows).items())),
            "languages": dict(sorted(Counter(r["_lang"] for r in rows).items())),
            "templates_used": dict(sorted(Counter(r["_template"] for r in rows).items())),
            "vendors": make_receipt.vendor_names(split),
        }
    (args.out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    for task, splits in tasks.items():
        for split, info in splits.items():
            print(task, split, info["counts"])


if __name__ == "__main__":
    main()
