"""`nox -s eval`: the quality of the AI operations, measured.

OCR: character accuracy (1 - edit distance / length) on receipt and invoice
images rendered by tools/corpus (fonts, sizes, rotation, blur, noise, JPEG
quality, two columns, thermal paper, photos), per rendering preset.
Classification: accuracy, macro-F1 and calibration error of each built-in
label set on its held-apart test split (never used in training), and of the
zero-shot encoder on the category test split with the category names as its
labels. Writes build/eval/ai.json and prints a table.

    python tools/eval_ai.py [--ocr-count 60] [--out build/eval]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from spacedrive_host.ai import Classifier, OcrEngine, OcrOptions
from spacedrive_host.ai.classify import LABEL_SETS, load_split
from spacedrive_host.ai.quality import calibration_error, char_accuracy, macro_f1

ROOT = Path(__file__).resolve().parents[1]


def eval_ocr(count: int, seed: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "tools" / "corpus" / "generate.py"),
                "ocr",
                "--out",
                tmp,
                "--count",
                str(count),
                "--seed",
                str(seed),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        truth = [json.loads(line) for line in (out / "truth.jsonl").read_text().splitlines() if line]
        engine = OcrEngine(None)
        by_preset: dict[str, list[float]] = defaultdict(list)
        seconds = []
        for row in truth:
            data = (out / row["path"]).read_bytes()
            start = time.perf_counter()
            result = engine.read(data, OcrOptions(), use_cache=False)
            seconds.append(time.perf_counter() - start)
            accuracy = char_accuracy(row["text"], result.text)
            by_preset[row["preset"]].append(accuracy)
            by_preset["two-column" if row.get("two_column") else "one-column"].append(accuracy)
            by_preset["all"].append(accuracy)
    return {
        "images": len(truth),
        "char_accuracy": {k: round(statistics.mean(v), 4) for k, v in sorted(by_preset.items())},
        "char_accuracy_min": {k: round(min(v), 4) for k, v in sorted(by_preset.items())},
        "seconds_per_image_median": round(statistics.median(seconds), 3),
    }


def _scores(truth: list[str], predictions: list[tuple[str, float]]) -> dict[str, float]:
    predicted = [p for p, _ in predictions]
    correct = [p == t for p, t in zip(predicted, truth, strict=True)]
    return {
        "accuracy": round(sum(correct) / len(truth), 4),
        "macro_f1": round(macro_f1(truth, predicted), 4),
        "calibration_error": round(calibration_error([c for _, c in predictions], correct), 4),
    }


def eval_classify() -> dict[str, object]:
    classifier = Classifier(None)
    out: dict[str, object] = {}
    for label_set in LABEL_SETS:
        start = time.perf_counter()
        classifier.classify(["warm up"], label_set=label_set)  # trains the model
        train_s = time.perf_counter() - start
        texts, truth = load_split(label_set, "test")
        start = time.perf_counter()
        found = classifier.classify(texts, label_set=label_set)
        per_text = (time.perf_counter() - start) / len(texts)
        out[label_set] = {
            "test_texts": len(texts),
            **_scores(truth, [(p.label, p.confidence) for p in found]),
            "train_seconds": round(train_s, 2),
            "ms_per_text": round(per_text * 1000, 3),
        }
    texts, truth = load_split("finance.category", "test")
    labels = list(LABEL_SETS["finance.category"])
    start = time.perf_counter()
    classifier.classify(["warm up"], labels=labels)
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    found = []
    for i in range(0, len(texts), 32):
        found += classifier.classify(texts[i : i + 32], labels=labels)
    per_text = (time.perf_counter() - start) / len(texts)
    out["zero-shot (category names as labels)"] = {
        "test_texts": len(texts),
        **_scores(truth, [(p.label, p.confidence) for p in found]),
        "load_seconds": round(load_s, 2),
        "ms_per_text": round(per_text * 1000, 1),
    }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ocr-count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "eval")
    args = parser.parse_args()
    report = {"ocr": eval_ocr(args.ocr_count, args.seed), "classify": eval_classify()}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "ai.json").write_text(json.dumps(report, indent=2) + "\n")
    ocr = report["ocr"]
    assert isinstance(ocr, dict)
    print(f"OCR, {ocr['images']} rendered images, median {ocr['seconds_per_image_median']} s each")
    print(f"  {'preset':<12} {'mean':>6} {'min':>6}")
    for preset, acc in ocr["char_accuracy"].items():
        print(f"  {preset:<12} {acc:>6.3f} {ocr['char_accuracy_min'][preset]:>6.3f}")
    print("Classification (held-apart test splits)")
    for name, row in report["classify"].items():
        fields = ", ".join(f"{k} {v}" for k, v in row.items())
        print(f"  {name}: {fields}")
    print(f"wrote {args.out / 'ai.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
