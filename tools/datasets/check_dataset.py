#!/usr/bin/env python3
"""Check the data set: counts, labels, duplicates, vendor and template disjointness, determinism.

Exit status 0 only if every check passes. Usage: python3 check_dataset.py [--regen]
(--regen also regenerates into a temporary directory and compares the bytes).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The data in the host package, where the classifiers train from.
DATA = HERE.parents[1] / "host" / "src" / "spacedrive_host" / "ai" / "data"
CATEGORY_LABELS = [
    "Food & Dining",
    "Transportation",
    "Office Supplies",
    "Travel",
    "Entertainment",
    "Utilities",
    "Software & Subscriptions",
    "Shopping",
    "Health",
    "Other",
]
RECEIPT_LABELS = ["receipt", "not_receipt"]
MINIMUM = {
    ("categories", "train"): 150,
    ("categories", "test"): 40,
    ("receipt", "train"): 500,
    ("receipt", "test"): 120,
}
# Words that occur in many business names; sharing one of them is not sharing a vendor.
GENERIC = {
    "the",
    "and",
    "of",
    "de",
    "del",
    "la",
    "le",
    "du",
    "des",
    "di",
    "da",
    "am",
    "zur",
    "het",
    "en",
    "co",
    "inc",
    "ltd",
    "gmbh",
    "ag",
    "store",
    "shop",
    "hotel",
    "cafe",
    "bank",
    "air",
    "airlines",
    "airways",
    "pharmacy",
    "farmacia",
    "pharmacie",
    "apotheke",
    "apotheek",
    "gemeente",
    "comune",
    "dr",
    "energy",
    "energia",
    "games",
    "parking",
    "taxi",
    "fitness",
    "cinemas",
    "supermarkten",
    "mobile",
    "communications",
    "premium",
    "plus",
    "office",
    "dental",
    "water",
    "gas",
    "electric",
    "tickets",
    "studio",
    "rent",
    "car",
    "a",
    "pet",
    "post",
    "park",
    "city",
    "lodge",
    "inn",
    "house",
    "market",
    "main",
    "street",
    "riverside",
    "music",
    "one",
    "clinic",
    "health",
    "central",
    "express",
    "international",
    "grill",
    "pizza",
    "coffee",
    "bistro",
    "kitchen",
    "foods",
    "group",
    "services",
    "service",
    "insurance",
    "versicherung",
    "cinema",
    "casa",
    "el",
    "los",
    "las",
    "il",
    "lo",
    "y",
    "et",
    "und",
    "e",
    "by",
    "on",
    "go",
    "my",
    "new",
    "green",
    "blue",
    "golden",
    "corner",
    "lakeside",
    "lakeview",
    "sunset",
    "harbor",
    "northside",
    "oakwood",
    "sunnyvale",
    "bright",
    "smile",
    "maple",
    "ritual",
    "hotels",
    "telecom",
    "utilities",
    "municipal",
    "mobility",
    "fit",
    "gym",
    "cabinet",
    "praxis",
    "med",
    "klaus",
    "family",
    "medicine",
    "paper",
    "ink",
    "supply",
    "stationery",
    "cartoleria",
    "papeleria",
    "drawer",
    "desk",
    "fish",
    "chips",
    "bowl",
    "salads",
    "takeaway",
    "garden",
    "noodle",
    "dragon",
    "panda",
    "lucky",
    "hungry",
    "fox",
    "pub",
    "door",
    "diner",
    "sunrise",
    "tacos",
    "lanes",
    "zone",
    "fun",
    "club",
    "jazz",
    "note",
    "theatre",
    "theatres",
    "teatro",
    "world",
    "com",
    "studios",
    "universal",
    "repair",
    "auto",
    "tire",
    "lube",
    "quick",
    "yellow",
    "star",
    "cab",
    "bleu",
    "downtown",
    "garage",
    "parkhaus",
    "markt",
    "centre",
    "center",
    "kantoorartikelen",
    "buro",
    "bureau",
    "burobedarf",
    "online",
    "direct",
    "depot",
    "box",
    "digital",
    "cloud",
    "web",
    "stores",
    "supermarket",
    "natural",
    "grid",
    "power",
    "southern",
    "state",
    "farm",
    "red",
    "cross",
    "army",
    "animal",
    "hospital",
    "without",
    "borders",
    "clips",
    "cuts",
    "lavanderia",
    "pressing",
    "gare",
    "tintoreria",
    "perla",
    "blu",
    "stadt",
    "ayuntamiento",
    "passport",
    "mail",
    "royal",
    "canada",
    "ups",
    "dhl",
    "paket",
    "poste",
    "pass",
    "card",
    "bike",
    "metro",
    "madrid",
    "milano",
    "munchen",
    "berlin",
    "amsterdam",
    "lyon",
    "rotterdam",
    "utrecht",
    "bologna",
    "koln",
    "sevilla",
    "mitte",
    "angels",
    "bay",
    "north",
    "south",
    "east",
    "west",
    "up",
    "x",
    "s",
    "t",
}


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


def load(path: Path) -> list[dict[str, str]]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            r = json.loads(line)
            if set(r) != {"text", "label"} or not isinstance(r["text"], str) or not r["text"].strip():
                raise SystemExit(f"{path}:{n}: want exactly non-empty 'text' and 'label', got {sorted(r)}")
            rows.append(r)
    return rows


def main() -> int:  # noqa: PLR0912, PLR0915 - one linear list of checks
    ap = argparse.ArgumentParser()
    ap.add_argument("--regen", action="store_true")
    args = ap.parse_args()
    failures: list[str] = []
    manifest = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))

    for task, labels in (("categories", CATEGORY_LABELS), ("receipt", RECEIPT_LABELS)):
        data = {s: load(DATA / task / f"{s}.jsonl") for s in ("train", "test")}
        print(f"== {task}")
        for split, rows in data.items():
            counts = Counter(r["label"] for r in rows)
            bad = sorted(set(counts) - set(labels))
            if bad:
                failures.append(f"{task}/{split}: unknown labels {bad}")
            for lab in labels:
                if counts[lab] < MINIMUM[(task, split)]:
                    failures.append(f"{task}/{split}: {lab!r} has {counts[lab]} < {MINIMUM[(task, split)]}")
            print(f"  {split}: {len(rows)} rows; " + ", ".join(f"{lab}={counts[lab]}" for lab in labels))
            dup = [t for t, c in Counter(norm(r["text"]) for r in rows).items() if c > 1]
            if dup:
                failures.append(f"{task}/{split}: {len(dup)} duplicate texts, e.g. {dup[0][:80]!r}")

        shared_texts = {norm(r["text"]) for r in data["train"]} & {norm(r["text"]) for r in data["test"]}
        if shared_texts:
            failures.append(f"{task}: {len(shared_texts)} texts in both splits")
        print(f"  texts in both splits: {len(shared_texts)}")

        vend = {s: manifest["tasks"][task][s]["vendors"] for s in ("train", "test")}
        both = sorted({norm(v) for v in vend["train"]} & {norm(v) for v in vend["test"]})
        if both:
            failures.append(f"{task}: vendor names in both splits: {both}")
        print(f"  vendors: train {len(vend['train'])}, test {len(vend['test'])}, in both: {len(both)}")

        # A vendor of one split must not be named anywhere in the other split's texts.
        for a, b in (("train", "test"), ("test", "train")):
            texts = [" " + norm(r["text"]) + " " for r in data[b]]
            raw = [r["text"].casefold() for r in data[b]]
            hits = []
            for v in vend[a]:
                nv = " " + norm(v) + " "
                if sum(c.isalpha() for c in nv) < 2:  # "1&1": normalising would leave only digits
                    pat = re.compile(r"(?<![\w&])" + re.escape(v.casefold()) + r"(?![\w&])")
                    n = sum(bool(pat.search(t)) for t in raw)
                else:
                    n = sum(nv in t for t in texts)
                if n:
                    hits.append(f"{v} ({n})")
            if hits:
                failures.append(f"{task}: {a} vendors named in {b} texts: {hits}")
            print(f"  {a} vendor names found in {b} texts: {len(hits)}")

        # Shared distinctive words between the two vendor lists (information, not a failure).
        tok = {
            s: {w for v in vend[s] for w in norm(v).split() if w not in GENERIC and len(w) > 2}
            for s in ("train", "test")
        }
        common = sorted(tok["train"] & tok["test"])
        print(f"  distinctive vendor words in both lists (info): {common if common else 'none'}")

        if task == "receipt":
            tt = {s: set(manifest["tasks"][task][s]["templates_used"]) for s in ("train", "test")}
            if tt["train"] & tt["test"]:
                failures.append(f"receipt: templates in both splits: {sorted(tt['train'] & tt['test'])}")
            print(
                f"  templates: train {len(tt['train'])}, test {len(tt['test'])}, in both: "
                f"{len(tt['train'] & tt['test'])}"
            )

        # How many test lines (digits masked) occur verbatim in train: a measure of template overlap.
        def lines(rows: list[dict[str, str]]) -> set[str]:
            return {
                re.sub(r"\d", "0", ln.strip())
                for r in rows
                for ln in r["text"].split("\n")
                if len(ln.strip()) > 25
            }

        lt, ls = lines(data["train"]), lines(data["test"])
        print(f"  test lines (>25 chars, digits masked) also in train (info): {len(lt & ls)}/{len(ls)}")

    if args.regen:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), "--seed", str(manifest["seed"]), "--out", tmp],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            for rel in (
                "categories/train.jsonl",
                "categories/test.jsonl",
                "receipt/train.jsonl",
                "receipt/test.jsonl",
                "manifest.json",
            ):
                if (Path(tmp) / rel).read_bytes() != (DATA / rel).read_bytes():
                    failures.append(
                        f"regenerated {rel} differs: output is not deterministic or files were edited"
                    )
            print(
                "== regenerated with the same seed: "
                + ("identical" if not any("regenerated" in f for f in failures) else "DIFFERENT")
            )

    if failures:
        print("\nFAILED:")
        for f in failures:
            print("  - " + f)
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
