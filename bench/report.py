"""Results as JSON (with the machine they came from), a Markdown table, and plots."""

from __future__ import annotations

import json
import os
import platform
from importlib.metadata import version
from pathlib import Path
from typing import Any

from harness import Result


def machine() -> dict[str, Any]:
    def ver(pkg: str) -> str:
        try:
            return version(pkg)
        except Exception:  # not installed
            return "-"

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "wasmtime": ver("wasmtime"),
        "extism": ver("extism"),
        "extism_sys": ver("extism-sys"),
        "spacedrive_host": ver("spacedrive-host"),
    }


def _fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def rows(results: dict[str, Result]) -> list[dict[str, Any]]:
    out = []
    for name, r in results.items():
        lo, hi = r.spread
        base = results.get(r.case.baseline) if r.case.baseline else None
        out.append(
            {
                "case": name,
                "group": r.case.group,
                "median_s": r.median,
                "p25_s": lo,
                "p75_s": hi,
                "samples": len(r.samples),
                "baseline": r.case.baseline,
                "ratio": r.median / base.median if base else None,
                "throughput_mib_s": (r.case.payload / r.median / (1 << 20)) if r.case.payload else None,
                "note": r.case.note,
            }
        )
    return out


def markdown(table: list[dict[str, Any]], extra: dict[str, Any], info: dict[str, Any], mode: str) -> str:
    lines = [
        f"Measured with `nox -s bench` ({mode} mode) on {info['cpus']} CPUs, {info['platform']}, "
        f"Python {info['python']}, wasmtime-py {info['wasmtime']}, extism {info['extism']}.",
        "",
        "| group | case | median | p25 - p75 | vs baseline | throughput |",
        "|---|---|---|---|---|---|",
    ]
    for row in table:
        ratio = f"{row['ratio']:.3g}x {row['baseline']}" if row["ratio"] is not None else ""
        tp = f"{row['throughput_mib_s']:.0f} MiB/s" if row["throughput_mib_s"] else ""
        lines.append(
            f"| {row['group']} | {row['case']} | {_fmt_time(row['median_s'])} | "
            f"{_fmt_time(row['p25_s'])} - {_fmt_time(row['p75_s'])} | {ratio} | {tp} |"
        )
    if not extra:  # `--only calls`
        return "\n".join(lines) + "\n"
    if "calls_per_second" in extra:  # not with `--only ai`
        lines += [
            "",
            f"Idle resident memory per loaded plugin (hello, {extra['rss_plugins']} loaded): "
            f"{extra['rss_kib_per_plugin']:.0f} KiB.",
            *(
                [f"Idle resident memory per loaded Python plugin (py-hello): {py_rss:.0f} KiB."]
                if (py_rss := extra.get("python_rss_kib_per_plugin")) is not None
                else []
            ),
            "",
            "| threads (one plugin each) | calls/s | vs 1 thread |",
            "|---|---|---|",
        ]
        one = extra["calls_per_second"]["1"]
        for threads, rate in extra["calls_per_second"].items():
            lines.append(f"| {threads} | {rate:,.0f} | {rate / one:.2f}x |")
    daemon = extra.get("daemon_calls_per_second")
    if daemon:
        lines += [
            "",
            "| daemon clients (processes, Unix socket) | calls/s | vs 1 client |",
            "|---|---|---|",
        ]
        for clients, rate in daemon.items():
            lines.append(f"| {clients} | {rate:,.0f} | {rate / daemon['1']:.2f}x |")
    fin = extra.get("finance_scan")
    if fin:
        lines += [
            "",
            f"Finance scan of {fin['messages']} generated messages (one job, a fresh data directory):",
            "",
            "| mailbox | messages/s | second scan |",
            "|---|---|---|",
            f"| text only | {fin['text_msgs_per_s']} | {fin['text_second_scan_speedup']}x faster |",
            f"| with attachments | {fin['attachments_msgs_per_s']} | "
            f"{fin['attachments_second_scan_speedup']}x faster |",
            "",
            f"With attachments the scan took {fin['attachments_scan_s']} s; OCR of the same attachments "
            f"alone {fin['ocr_alone_s']} s "
            + (
                f"(the mean of {fin['ocr_alone_before_s']} s before the scan and "
                f"{fin['ocr_alone_after_s']} s after it) "
                if "ocr_alone_before_s" in fin
                else ""
            )
            + f"({fin['attachments_scan_s'] / max(fin['ocr_alone_s'], 1e-9):.2f}x).",
        ]
        if "attachments_vs_ocr_cpu" in fin:
            lines += [
                "",
                f"In CPU time (less moved by load): the text-only scan took {fin['text_scan_cpu_s']} s, "
                f"its second scan {fin['text_second_scan_speedup_cpu']}x less; with attachments "
                f"{fin['attachments_vs_ocr_cpu']:.2f}x the OCR alone.",
            ]
    gm = extra.get("gmail_scan")
    if gm:
        lines += [
            "",
            f"Finance scan of the same {gm['messages']} generated text mails from Gmail (a fake Google on "
            "loopback, through the proxy) and as local .eml files:",
            "",
            "| source | messages/s | time vs local |",
            "|---|---|---|",
            f"| local .eml | {gm['local_msgs_per_s']} | 1.00x |",
            f"| Gmail API | {gm['gmail_msgs_per_s']} | {gm['gmail_vs_local']:.2f}x |",
        ]
    return "\n".join(lines) + "\n"


def plots(table: list[dict[str, Any]], out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    for group in dict.fromkeys(r["group"] for r in table):
        data = [r for r in table if r["group"] == group]
        fig, ax = plt.subplots(figsize=(9, 0.45 * len(data) + 1.2))
        names = [r["case"] for r in data][::-1]
        medians = [r["median_s"] * 1e6 for r in data][::-1]
        errs = [
            [(r["median_s"] - r["p25_s"]) * 1e6 for r in data][::-1],
            [(r["p75_s"] - r["median_s"]) * 1e6 for r in data][::-1],
        ]
        ax.barh(names, medians, xerr=errs, color="#4f5bd5")
        ax.set_xlabel("microseconds per operation (median, p25-p75)")
        if max(medians) / max(min(medians), 1e-9) > 100:
            ax.set_xscale("log")
        ax.set_title(f"{group}")
        fig.tight_layout()
        path = out / f"{group}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written


def write(results: dict[str, Result], extra: dict[str, Any], out: Path, mode: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    info = machine()
    table = rows(results)
    (out / "results.json").write_text(
        json.dumps({"mode": mode, "machine": info, "results": table, **extra}, indent=2)
    )
    (out / "results.md").write_text(markdown(table, extra, info, mode))
    plots(table, out)
