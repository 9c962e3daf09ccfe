"""Command line: write a mailbox with ground truth, or OCR evaluation images.

python tools/corpus/generate.py mail --out DIR --count 1000 --seed 1 [--split seen|unseen|all]
                                      [--attachments/--no-attachments] [--files N]
python tools/corpus/generate.py ocr --out DIR --count 60 --seed 1
python tools/corpus/generate.py holdout --out DIR [--seed 14]   (the held-out set: corpus/holdout)
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: make `corpus` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

try:
    from corpus import layouts, mail, pdfs, render, vendors
    from corpus.document import make_purchase, random_day
except ModuleNotFoundError as exc:  # Pillow or fpdf2 missing: say how to get them
    raise SystemExit(
        f"corpus: {exc}; install the corpus group: pip install 'pillow>=10' 'fpdf2>=2.7' 'pypdfium2>=4' "
        "(or run `nox -s corpus` once and use .nox/corpus/bin/python)"
    ) from None

# OCR sets cycle through these (layout, preset) pairs so every count covers each kind.
OCR_CASES: tuple[tuple[str, str], ...] = (
    ("retail", "clean"),
    ("thermal", "thermal"),
    ("cafe", "scan"),
    ("retail", "rotated"),
    ("invoice", "scan"),
    ("unseen_columns", "clean"),
    ("retail", "photo"),
    ("unseen_ledger", "scan"),
    ("thermal", "rotated"),
    ("invoice", "clean"),
    ("cafe", "photo"),
    ("thermal", "scan"),
)


def _ocr_pdf(out: Path, j: int, seed: int) -> dict[str, object]:
    """A PDF for the OCR set: a text layer (its text is the truth) or a scan of a paper layout."""
    rng = random.Random(f"ocr-pdf:{seed}:{j}")
    scanned = j % 2 == 1
    lang = pdfs.PDF_LANGS[j % len(pdfs.PDF_LANGS)]
    pool = [v for v in vendors.VENDORS if v.lang == lang and (not scanned or v.kind in vendors.PAPER_KINDS)]
    p = make_purchase(rng, rng.choice(pool or list(vendors.VENDORS)), random_day(rng), lang=lang)
    if scanned:
        paper = rng.choice((layouts.invoice, layouts.retail, layouts.unseen_columns))(p, rng)
        pdf = pdfs.scanned(paper, rng, rng.choice(("scan", "clean")))
        lines = render.text_lines(paper.rows)
    else:
        pdf = pdfs.text_invoice(p, rng, unseen=j % 4 == 2)
        lines = pdf.text
    name = f"pdfs/ocr-pdf-{j:04d}.pdf"
    (out / name).write_bytes(pdf.data)
    return {
        "id": f"ocr-pdf-{j:04d}",
        "path": name,
        "text": "\n".join(lines),
        "lines": lines,
        "layout": pdf.layout,
        "two_column": True,
        "preset": "pdf-scan" if scanned else "pdf-text",
        "style": {"lang": lang},
        "split": pdf.split,
        "vendor": pdf.vendor,
        "total": float(pdf.total),
        "currency": p.currency,
        "date": p.day.isoformat(),
    }


def write_ocr(out: Path, count: int, seed: int, pdf_count: int = 0) -> list[dict[str, object]]:
    """Receipt and invoice images (and `pdf_count` PDFs, half text layer, half scanned) with
    their exact text lines: the OCR evaluation set."""
    (out / "images").mkdir(parents=True, exist_ok=True)
    if pdf_count:
        (out / "pdfs").mkdir(exist_ok=True)
    rows = []
    for i in range(count):
        rng = random.Random(f"ocr:{seed}:{i}")
        layout_name, preset = OCR_CASES[i % len(OCR_CASES)]
        vendor = rng.choice([v for v in vendors.VENDORS if v.kind in vendors.PAPER_KINDS])
        p = make_purchase(rng, vendor, random_day(rng))
        paper = getattr(layouts, layout_name)(p, rng)
        style = render.random_style(rng, preset, wide=layout_name == "invoice")
        data, ext, lines = render.render(paper.rows, style, rng)
        name = f"images/ocr-{i:04d}.{ext}"
        (out / name).write_bytes(data)
        rows.append(
            {
                "id": f"ocr-{i:04d}",
                "path": name,
                "text": "\n".join(lines),
                "lines": lines,
                "layout": paper.layout,
                "two_column": layout_name in {"invoice", "unseen_columns"},
                "preset": preset,
                "style": style.describe(),
                "split": paper.split,
                "vendor": paper.vendor,
                "total": float(paper.total),
                "currency": p.currency,
                "date": p.day.isoformat(),
            }
        )
    rows += [_ocr_pdf(out, j, seed) for j in range(pdf_count)]
    with (out / "truth.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="generate.py", description=__doc__.splitlines()[0] if __doc__ else ""
    )
    sub = parser.add_subparsers(dest="what", required=True)
    m = sub.add_parser("mail", help="a mailbox (.eml, mbox, stand-alone files) and truth.jsonl")
    m.add_argument("--out", type=Path, required=True)
    m.add_argument("--count", type=int, default=1000)
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--split", choices=mail.SPLITS, default="all")
    m.add_argument("--attachments", action=argparse.BooleanOptionalAction, default=True)
    m.add_argument("--files", type=int, default=None, help="stand-alone images/PDFs (default count/20)")
    o = sub.add_parser("ocr", help="receipt images with their exact text, for OCR accuracy")
    o.add_argument("--out", type=Path, required=True)
    o.add_argument("--count", type=int, default=60)
    o.add_argument("--seed", type=int, default=1)
    o.add_argument("--pdfs", type=int, default=0, help="also N PDFs (half text layer, half scanned)")
    h = sub.add_parser("holdout", help="the held-out set (tills, invoices, tricky mails) and truth.jsonl")
    h.add_argument("--out", type=Path, required=True)
    h.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.what == "holdout":
        from corpus import holdout

        rows = holdout.write(args.out, args.seed)
        receipts = sum(bool(r["is_receipt"]) for r in rows)
        print(
            f"{len(rows)} held-out items ({receipts} receipts) in {args.out} in "
            f"{time.perf_counter() - start:.1f} s"
        )
        return 0
    if args.what == "mail":
        truths = mail.write_mailbox(
            args.out, args.count, args.seed, args.split, attachments=args.attachments, files=args.files
        )
        receipts = sum(t.is_receipt for t in truths)
        print(
            f"{len(truths)} items ({receipts} receipts) in {args.out} in {time.perf_counter() - start:.1f} s"
        )
    else:
        rows = write_ocr(args.out, args.count, args.seed, args.pdfs)
        print(f"{len(rows)} images and PDFs in {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
