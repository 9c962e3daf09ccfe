"""The held-out set: documents written apart from the generator, in the style of real ones.

Nothing here shares templates, vendors or image ageing with the rest of `corpus`: till
receipts are fixed-width printer lines (`tills`), aged as flatbed scans and phone photos
(`camera`); PDF invoices are laid out as tables with seller, customer and totals blocks in
six languages (`invoices`); the mails are built with the standard library's `email`
package (`mails`). Every document comes from a seed, so the set is reproducible and only
its generator is committed.

    python tools/corpus/generate.py holdout --out DIR [--seed 14]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from corpus.holdout import invoices, mails, tills

__all__ = ["write"]


def write(out: Path, seed: int = 14) -> list[dict[str, Any]]:
    """Write the held-out documents under `out` (images/, pdfs/, eml/) and truth.jsonl there;
    return the truth rows (split "holdout")."""
    rows: list[dict[str, Any]] = []
    rows += tills.write(out, seed)
    rows += invoices.write(out, seed)
    rows += mails.write(out, seed)
    for row in rows:
        row["split"] = "holdout"
    with (out / "truth.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows
