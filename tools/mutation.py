"""Mutation testing of the security-critical modules with mutmut (issue 12).

    nox -s mutation                      # every module below, one after another
    nox -s mutation -- net.policy fs     # those modules only
    nox -s mutation -- --again fs        # rerun the mutants of fs not killed (or timed out)
    nox -s mutation -- --report          # rewrite the report from the last run's results
    nox -s mutation -- --check           # is the configuration consistent? (no mutants run)

Run from host/ (the nox session does). mutmut reads ``[tool.mutmut]`` in host/pyproject.toml:
which files it mutates and the fast tests that guard them. It copies host/src into
host/mutants/, runs those tests once to learn which tests reach each function, then runs
each mutant against only those tests, one child at a time under ``nice -n 19`` (the
machine is shared). The report, build/mutation/report.md (and report.json), gives the
kill rate per module and lists every survivor; survivors shown equivalent are listed,
each with its reason, in host/tests/mutation-equivalent.md and counted apart.
"""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = ROOT / "host"
OUT = ROOT / "build" / "mutation"
EQUIVALENT = HOST / "tests" / "mutation-equivalent.md"

#: module -> (the functions mutated, as mutmut name globs; the test files that guard it).
#: The module is the file under spacedrive_host/. credentials.vault: only the
#: per-plugin namespace.
NAMESPACES = "test_namespaces_and_rates.py"
MODULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "wire.permissions": (("*",), ("test_permissions.py",)),
    "rates": (("*",), (NAMESPACES,)),
    "wire.rate_limit": (("*",), (NAMESPACES,)),
    "net.policy": (("*",), ("test_net_registry.py", "test_net_policy.py")),
    "net.registry": (("*",), ("test_net_registry.py", "test_net_policy.py")),
    "runtime.memory": (("*",), ("test_memory_bounds.py",)),
    "library.sidecars": (("*",), (NAMESPACES, "test_library.py", "test_sidecar_batch.py")),
    "credentials.vault": (
        ("x__plugin__*", "*ǁstore__*", "*ǁget__*", "*ǁnames__*", "*ǁdelete__*"),
        (NAMESPACES, "test_credentials.py"),
    ),
    "manifest": (("*",), ("test_manifest.py",)),
    "fs": (("*",), ("test_fs.py",)),
    "net.proxy": (("*",), ("test_http_bounds.py", "test_http_proxy.py", "test_http_deadlines.py")),
    "ops._namespace": (("*",), (NAMESPACES,)),
}


# mutmut's exit codes (mutmut.stats.status_by_exit_code): killed, or timed out (counted as killed).
_KILLED = {1, 3, 36, 24, -24, 152, 255}
_TIMEOUT = {36, 24, -24, 152, 255}
_SURVIVED = {0: "survived", 5: "no tests", 33: "no tests"}


def module_file(module: str) -> str:
    return "src/spacedrive_host/" + module.replace(".", "/") + ".py"


def check() -> list[str]:
    """What is wrong with the configuration (empty: nothing)."""
    config = tomllib.loads((HOST / "pyproject.toml").read_text())["tool"]["mutmut"]
    problems = []
    files = set(config["only_mutate"])
    for module, (_, guards) in MODULES.items():
        problems += [
            f"{module}: tests/{g} is not a test file" for g in guards if not (HOST / "tests" / g).is_file()
        ]
        if module_file(module) not in files:
            problems.append(f"{module}: {module_file(module)} is not in [tool.mutmut] only_mutate")
    for path in [*files, *config["pytest_add_cli_args_test_selection"]]:
        if not (HOST / path).is_file():
            problems.append(f"{path} (in [tool.mutmut]) does not exist")
    for name in equivalents():
        if not any(name.startswith(_prefix(m)) for m in MODULES):
            problems.append(f"{EQUIVALENT.name}: {name} names no mutated module")
    return problems


def _prefix(module: str) -> str:
    return f"spacedrive_host.{module}."


def equivalents() -> dict[str, str]:
    """Mutant name -> why it is equivalent, from the bullet list ``- `name`: reason``."""
    out = {}
    for line in EQUIVALENT.read_text().splitlines():
        if m := re.match(r"- `([\w.]+__mutmut_\d+)`: (.+)", line):
            out[m[1]] = m[2]
    return out


def run(modules: Iterable[str], *, again: bool) -> int:
    """mutmut over each module in turn; ``again``: only the mutants not killed last time, of
    all the modules in one mutmut run (each run first reruns the tests once, unmutated)."""
    batches: list[tuple[str, list[str]]] = []
    for module in modules:
        _guards_only(module)
        if again:
            # Timeouts too: a timeout counts as killed, but may be the limit's fault.
            names = [n for n, code in _codes(module).items() if code not in _KILLED - _TIMEOUT]
            if names:
                batches = [("survivors", (batches[0][1] if batches else []) + names)]
        else:
            batches.append((module, [_prefix(module) + g for g in MODULES[module][0]]))
    for what, names in batches:
        print(f"== mutmut: {what} ({len(names) if again else 'all'})", flush=True)
        argv = [
            "nice",
            "-n",
            "19",
            sys.executable,
            "-m",
            "mutmut",
            "run",
            "--max-children",
            "1",
            *names,
        ]
        code = subprocess.run(argv, cwd=HOST, check=False).returncode
        if code not in (0, 1):
            print(f"mutmut stopped on {what} with exit status {code}")
            return code
    return 0


def _guards_only(module: str) -> None:
    """Each mutant of ``module`` runs only its guard tests, not every test that happens to
    reach the function (the wire reaches the rate limiter from every operation test): mutmut
    takes the tests per function from its recorded stats, so those are narrowed here."""
    stats_file = HOST / "mutants" / "mutmut-stats.json"
    if not stats_file.is_file():
        # A first run: mutmut records the stats itself, so this run's mutants run every
        # test that reaches them (slower, same verdicts); later runs are narrowed.
        print(f"== {module}: no mutmut stats yet, not narrowed to its guard tests", flush=True)
        return
    stats = json.loads(stats_file.read_text())
    guards = tuple(f"tests/{name}::" for name in MODULES[module][1])
    by_function = stats["tests_by_mangled_function_name"]
    for function, tests in by_function.items():
        if function.startswith(_prefix(module)):
            by_function[function] = [t for t in tests if t.startswith(guards)]
    # A module added to the set after the stats were recorded: mutmut never saw its
    # functions run, so it would call every mutant "no tests"; give them all its guards.
    every_guard = [t for t in stats["duration_by_test"] if t.startswith(guards)]
    for function in {name.rpartition("__mutmut_")[0] for name in _codes(module)}:
        by_function.setdefault(function, every_guard)
    stats_file.write_text(json.dumps(stats))


def _codes(module: str) -> dict[str, int | None]:
    """The module's mutants in scope and mutmut's last exit code for each (None: not run)."""
    meta = HOST / "mutants" / (module_file(module) + ".meta")
    if not meta.is_file():
        return {}
    codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
    globs = [_prefix(module) + g for g in MODULES[module][0]]
    return {
        name: codes[name]
        for name in sorted(codes, key=_natural)
        if any(fnmatch.fnmatchcase(name, g) for g in globs)
    }


@dataclass
class Tally:
    killed: int = 0
    timeouts: int = 0  # of the killed: by the time limit, not by a failing assertion
    equivalent: int = 0
    survivors: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # suspicious, segfault, not checked

    @property
    def total(self) -> int:
        return self.killed + self.equivalent + len(self.survivors) + len(self.other)

    @property
    def rate(self) -> float:
        """Killed of the mutants not shown equivalent."""
        counted = self.total - self.equivalent
        return self.killed / counted if counted else 1.0


def tally() -> dict[str, Tally]:
    equal = equivalents()
    out: dict[str, Tally] = {}
    for module in MODULES:
        codes = _codes(module)
        if not codes:
            continue
        t = out[module] = Tally()
        for name, code in codes.items():
            if code in _KILLED:
                t.killed += 1
                t.timeouts += code in _TIMEOUT
            elif name in equal:
                t.equivalent += 1
            elif code in _SURVIVED:
                t.survivors.append(f"{name} ({_SURVIVED[code]})")
            else:
                t.other.append(f"{name} ({'not run' if code is None else f'exit {code}'})")
    return out


def _natural(name: str) -> tuple[str, int]:
    base, _, n = name.rpartition("__mutmut_")
    return base, int(n) if n.isdigit() else 0


def report() -> float:
    """Writes build/mutation/report.{md,json}; returns the overall kill rate."""
    tallies = tally()
    OUT.mkdir(parents=True, exist_ok=True)
    killed = sum(t.killed for t in tallies.values())
    counted = sum(t.total - t.equivalent for t in tallies.values())
    overall = killed / counted if counted else 1.0
    equivalent = sum(t.equivalent for t in tallies.values())
    lines = [
        "# Mutation testing (mutmut)",
        "",
        f"Overall: {killed}/{counted} killed ({overall:.1%}), {equivalent} more shown equivalent.",
        "",
        "| module | mutants | killed | of them by timeout | equivalent | survived | other | kill rate |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for module, t in tallies.items():
        lines.append(
            f"| {module} | {t.total} | {t.killed} | {t.timeouts} | {t.equivalent} | {len(t.survivors)} "
            f"| {len(t.other)} | {t.rate:.1%} |"
        )
    lines += ["", "## Survivors (`cd host && mutmut show NAME` prints the diff)", ""]
    for t in tallies.values():
        lines += [f"- `{s}`" for s in t.survivors + t.other]
    (OUT / "report.md").write_text("\n".join(lines) + "\n")
    data = {
        m: {
            "total": t.total,
            "killed": t.killed,
            "timeouts": t.timeouts,
            "equivalent": t.equivalent,
            "rate": t.rate,
            "survivors": t.survivors,
            "other": t.other,
        }
        for m, t in tallies.items()
    }
    (OUT / "report.json").write_text(json.dumps({"overall": overall, "modules": data}, indent=2) + "\n")
    print("\n".join(lines[: 2 + 3 + 2 + len(tallies)]))
    print(f"report: {OUT / 'report.md'}")
    return overall


def main(argv: list[str]) -> int:
    args = argv[1:]
    problems = check()
    if problems or "--check" in args:
        print("\n".join(problems) or "mutation config ok")
        return 1 if problems else 0
    if "--report" not in args:
        again = "--again" in args
        chosen = [a for a in args if a != "--again"]
        unknown = [a for a in chosen if a not in MODULES]
        if unknown:
            print(f"unknown modules {unknown}; known: {', '.join(MODULES)}")
            return 2
        code = run(chosen or MODULES, again=again)
        if code:
            return code
    return 0 if report() >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
