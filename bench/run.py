"""`nox -s bench`: every benchmark in one run, as ratios against baselines
measured in the same run. `--quick` checks that every case runs (CI smoke)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ai_cases
import cases
import daemon_cases
import python_cases
import report
from harness import Result, measure


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plugins", type=Path, required=True, help="the build output (build/plugins)")
    parser.add_argument("--out", type=Path, required=True, help="where results go")
    parser.add_argument("--quick", action="store_true", help="few rounds, small payloads")
    parser.add_argument(
        "--only",
        choices=["calls", "ai", "daemon", "python"],
        help="only the call rows (ours and Extism's), to compare two commits back to back; "
        "or only the AI rows and the Finance scan; or only the daemon's rows; or only the "
        "Python plugins' rows (with the cold compile)",
    )
    parser.add_argument("--messages", type=int, default=1000, help="Finance scan size (with --only ai)")
    parser.add_argument("--rounds", type=int, default=40, help="timed rounds (with --only)")
    args = parser.parse_args()
    quick = args.quick
    with tempfile.TemporaryDirectory(prefix="sd-bench-") as tmp:
        fx = cases.Fixture(args.plugins, Path(tmp))
        try:
            if args.only == "calls":
                results = measure(cases.floors() + cases.ours_and_peer(fx), rounds=args.rounds)
                report.write(results, {}, args.out, f"calls, {args.rounds} rounds")
                print((args.out / "results.md").read_text())
                return 0
            if args.only == "ai":
                results = measure(ai_cases.ai(fx.host, args.plugins), rounds=args.rounds, warmup=1)
                extra = {
                    "finance_scan": ai_cases.finance_scan(args.plugins, args.messages),
                    "gmail_scan": ai_cases.gmail_vs_local(args.plugins, args.messages),
                }
                report.write(results, extra, args.out, f"AI and Finance, {args.rounds} rounds")
                print((args.out / "results.md").read_text())
                return 0
            if args.only == "python":
                return _python_only(args.plugins, Path(tmp), args.out, quick)
            if args.only == "daemon":
                data = Path(tmp) / "daemon"
                with daemon_cases.serving(data):
                    results = measure(daemon_cases.calls(fx.host, data), rounds=args.rounds)
                    results.update(
                        measure(daemon_cases.startup(data), rounds=max(3, args.rounds // 4), warmup=1)
                    )
                    extra = {"daemon_calls_per_second": daemon_cases.concurrency(data, 3.0)}
                report.write(results, extra, args.out, f"daemon, {args.rounds} rounds")
                print((args.out / "results.md").read_text())
                return 0
            sizes = [1 << 10, 64 << 10] if quick else [1 << 10, 64 << 10, 1 << 20, 16 << 20]
            fast = cases.floors() + cases.ours_and_peer(fx) + cases.payloads(fx, sizes) + cases.costs()
            results = measure(fast, rounds=3 if quick else 40)
            results.update(measure(cases.loads(fx), rounds=2 if quick else 15, warmup=1))
            results.update(measure(ai_cases.ai(fx.host, args.plugins), rounds=2 if quick else 10, warmup=1))
            daemon_data = Path(tmp) / "daemon"
            with daemon_cases.serving(daemon_data):
                results.update(measure(daemon_cases.calls(fx.host, daemon_data), rounds=3 if quick else 30))
                results.update(
                    measure(daemon_cases.startup(daemon_data), rounds=2 if quick else 15, warmup=1)
                )
                daemon_clients = daemon_cases.concurrency(daemon_data, 0.5 if quick else 3.0)
            results.update(_python_rows(args.plugins, Path(tmp), quick))
            extra = {
                "rss_plugins": 10 if quick else 100,
                "rss_kib_per_plugin": cases.idle_rss_per_plugin(fx, 10 if quick else 100),
                "finance_scan": ai_cases.finance_scan(args.plugins, 20 if quick else 1000),
                "gmail_scan": ai_cases.gmail_vs_local(args.plugins, 20 if quick else 1000),
                "python_rss_kib_per_plugin": python_cases.idle_rss_per_python_plugin(
                    args.plugins, Path(tmp), 2 if quick else 5
                ),
                "calls_per_second": {
                    str(k): v for k, v in cases.concurrency(fx, 0.2 if quick else 3.0).items()
                },
                "daemon_calls_per_second": daemon_clients,
            }
        finally:
            fx.close()
    report.write(results, extra, args.out, "quick" if quick else "full")
    print((args.out / "results.md").read_text())
    return 0


def _python_only(plugins: Path, workdir: Path, out: Path, quick: bool) -> int:
    """``--only python``: the Python-plugin rows and their resident memory, in one run."""
    results = _python_rows(plugins, workdir, quick)
    rss = python_cases.idle_rss_per_python_plugin(plugins, workdir, 2 if quick else 5)
    report.write(results, {"python_rss_kib_per_plugin": rss}, out, "Python plugins")
    print((out / "results.md").read_text())
    print(f"Idle resident memory per loaded Python plugin (py-hello): {rss:.0f} KiB.")
    return 0


def _python_rows(plugins: Path, workdir: Path, quick: bool) -> dict[str, Result]:
    """The Python-plugin rows; the cold compile (15-35 s) only in a full run."""
    pyfx = python_cases.PythonFixture(plugins, workdir)
    try:
        tail = 64 << 10 if quick else 1 << 20
        results = measure(
            python_cases.calls(pyfx) + python_cases.tails(pyfx, tail), rounds=3 if quick else 30
        )
        results.update(measure(python_cases.loads(pyfx, cold=not quick), rounds=2 if quick else 3, warmup=0))
        return results
    finally:
        pyfx.close()


if __name__ == "__main__":
    raise SystemExit(main())
