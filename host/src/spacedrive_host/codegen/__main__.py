"""``python -m spacedrive_host.codegen --out schema [--check]``"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import check, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="spacedrive_host.codegen", description=__doc__)
    parser.add_argument("--root", type=Path, required=True, help="the repository root")
    parser.add_argument("--check", action="store_true", help="fail (exit 1) if any file is stale")
    args = parser.parse_args(argv)
    if args.check:
        diffs = check(args.root)
        for diff in diffs:
            sys.stdout.write(diff)
        if diffs:
            print(f"\n{len(diffs)} generated file(s) are stale: run `nox -s codegen` and commit.")
            return 1
        print("generated files are up to date")
        return 0
    for path in write(args.root):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
