"""Locate, or install, a toolchain that builds wasm32-unknown-unknown guests.

The same code serves the repository's nox sessions (through ``tools/toolchain.py``)
and ``spacedrive plugin new/build`` for a plugin outside the repository. Only the
standard library is used, so nox can load this file before any venv exists.

Two routes, chosen by what the machine has (see docs/contributing/toolchain.md):

* ``rustup``: the rustup toolchain already has the ``wasm32-unknown-unknown``
  target, and crates come from crates.io as usual.
* ``debian``: no wasm32 std and no crates.io. Debian's ``rustc-web`` builds std
  from source (``-Zbuild-std``), and crates come from a cargo *directory source*
  assembled, as symlinks, from Debian's ``librust-*-dev`` packages and the
  crates std itself vendors. That folder lives under the cache and is never
  committed; no Cargo.toml is edited for it.

Every function is idempotent; ``prepare()`` prints which route it chose.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

WASM_TARGET = "wasm32-unknown-unknown"
ENV_CACHE = "SPACEDRIVE_TOOLCHAIN_CACHE"


def default_cache() -> Path:
    """Where the toolchain's assembled folders live for a project outside the repository."""
    if env := os.environ.get(ENV_CACHE):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "spacedrive" / "toolchain"


# Debian's route, as TOOLCHAIN.md found it to work.
DEBIAN_PACKAGES = (
    "rustc-web",
    "cargo-web",
    "rust-web-src",
    "lld-19",
    "librust-serde-dev",
    "librust-serde-derive-dev",
    "librust-serde-json-dev",
    # The Finance extension (TOOLCHAIN.md: each checked to build for wasm32 this way).
    "librust-regex-dev",
    "librust-encoding-rs-dev",
    "librust-base64-dev",
    "librust-chrono-dev",
    "librust-csv-dev",
    # Its property tests (native only; the lock file still names it, so it must be present).
    "librust-proptest-dev",
)
# Needed for native lint/test only when no rustup toolchain is present.
DEBIAN_NATIVE_EXTRAS = ("rust-web-clippy", "rustfmt-web")
DEBIAN_RUSTC = Path("/usr/bin/rustc")
DEBIAN_CARGO = Path("/usr/bin/cargo")
WASM_LD = Path("/usr/lib/llvm-19/bin/wasm-ld")
CRATE_SOURCES = (
    Path("/usr/share/cargo/registry"),
    Path("/usr/lib/rustlib/src/rust/library/vendor"),
)


@dataclass(frozen=True)
class Cargo:
    """A cargo invocation recipe: argv prefix, environment and extra flags."""

    argv: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    flags: tuple[str, ...] = ()

    def command(self, subcommand: str, *args: str) -> list[str]:
        return [*self.argv, subcommand, *self.flags, *args]


@dataclass(frozen=True)
class Toolchain:
    route: str
    wasm: Cargo
    native: Cargo
    wasm_target_dir: Path
    #: Environment for tools that run cargo themselves and take no ``--config``
    #: (maturin): a CARGO_HOME whose config.toml holds the same source settings.
    tool_env: dict[str, str] = field(default_factory=dict)
    #: The cargo directory source (debian route), for a project's own .cargo/config.toml.
    vendor: Path | None = None


def _run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=False, text=True, capture_output=True, **kw)  # type: ignore[call-overload,no-any-return]


def _rustup_cargo() -> str | None:
    """The rustup-managed cargo, if this machine has rustup."""
    rustup = shutil.which("rustup")
    if rustup is None:
        return None
    found = _run([rustup, "which", "cargo"])
    return found.stdout.strip() if found.returncode == 0 else None


def _rustup_has_wasm_target() -> bool:
    rustup = shutil.which("rustup")
    if rustup is None:
        return False
    listed = _run([rustup, "target", "list", "--installed"])
    return WASM_TARGET in listed.stdout.split()


def _missing_debian_packages(packages: tuple[str, ...]) -> list[str]:
    missing = []
    for pkg in packages:
        status = _run(["dpkg-query", "-W", "-f=${Status}", pkg])
        if "install ok installed" not in status.stdout:
            missing.append(pkg)
    return missing


def _apt_install(packages: list[str]) -> None:
    if not packages:
        return
    if os.geteuid() != 0:
        raise SystemExit(
            "toolchain: these Debian packages are missing and installing them needs root:\n"
            f"  apt-get update && apt-get install -y {' '.join(packages)}"
        )
    print(f"toolchain: apt-get install {' '.join(packages)}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # `apt-get update` first: without it apt offers an older rustc-web.
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


_COMPILER = ("rustc-web", "cargo-web", "rust-web-src")


def _debian_versions(packages: tuple[str, ...]) -> dict[str, str]:
    """Installed Debian versions of ``packages`` (upstream part, before the ``+``)."""
    out = {}
    for pkg in packages:
        version = _run(["dpkg-query", "-W", "-f=${Version}", pkg]).stdout.strip()
        out[pkg] = version.split("+", 1)[0]
    return out


def _locked_but_absent(lock: Path, vendor: Path) -> list[str]:
    """crates.io packages of ``lock`` (name-version) with no folder in ``vendor``."""
    import tomllib

    if not lock.is_file():
        return []
    packages = tomllib.loads(lock.read_text()).get("package", [])
    registry = [p for p in packages if str(p.get("source", "")).startswith("registry+")]
    named = [f"{p['name']}-{p['version']}" for p in registry]
    return [n for n in named if not (vendor / n).exists()]


def ensure_debian_packages(*packages: str) -> None:
    """Installs those of ``packages`` that are missing (needs root), as the toolchain's own are."""
    _apt_install(_missing_debian_packages(packages))


def assemble_vendor_dir(dest: Path, extra: dict[str, Path] | None = None) -> Path:
    """One cargo directory source: a symlink per crate folder of both sources
    (plus ``extra``: folder name -> crate folder, e.g. the SDK for authors).

    Folder names carry versions (``serde-1.0.152``), so the two sets never clash.
    """
    dest.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, Path] = dict(extra or {})
    for source in CRATE_SOURCES:
        if not source.is_dir():
            continue
        for crate in sorted(source.iterdir()):
            if (crate / "Cargo.toml").is_file():
                wanted.setdefault(crate.name, crate)
    for existing in dest.iterdir():
        if existing.name not in wanted or existing.resolve() != wanted[existing.name]:
            existing.unlink()
    for name, target in wanted.items():
        link = dest / name
        if not link.is_symlink():
            link.symlink_to(target)
    return dest


def cargo_config(vendor: Path) -> str:
    """A cargo config.toml that takes every crates.io crate from ``vendor``, offline."""
    return (
        '[source.crates-io]\nreplace-with = "vendored"\n\n'
        f'[source.vendored]\ndirectory = "{vendor}"\n\n[net]\noffline = true\n'
    )


def _cargo_home(cache: Path, vendor: Path, cargo: str) -> dict[str, str]:
    home = cache / "cargo-home"
    home.mkdir(parents=True, exist_ok=True)
    config = cargo_config(vendor)
    path = home / "config.toml"
    if not path.is_file() or path.read_text() != config:
        path.write_text(config)
    return {"CARGO_HOME": str(home), "PATH": f"{Path(cargo).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def _vendored_flags(vendor: Path) -> tuple[str, ...]:
    return (
        "--offline",
        "--config",
        'source.crates-io.replace-with="vendored"',
        "--config",
        f'source.vendored.directory="{vendor}"',
    )


def prepare(
    workspace: Path,
    cache: Path,
    *,
    native_lint: bool = False,
    quiet: bool = False,
    extra_crates: dict[str, Path] | None = None,
) -> Toolchain:
    """Detect the route, install what it lacks, and describe how to call cargo
    for the Cargo workspace at ``workspace``, with its assembled folders in ``cache``."""
    rustup_cargo = _rustup_cargo()
    if rustup_cargo is not None and _rustup_has_wasm_target():
        if not quiet:
            print(f"toolchain: route=rustup (rustup has the {WASM_TARGET} target)", flush=True)
        cargo = Cargo(argv=(rustup_cargo,))
        return Toolchain("rustup", wasm=cargo, native=cargo, wasm_target_dir=workspace / "target")

    wanted = DEBIAN_PACKAGES + (DEBIAN_NATIVE_EXTRAS if rustup_cargo is None and native_lint else ())
    _apt_install(_missing_debian_packages(wanted))
    vendor = assemble_vendor_dir(cache / ("author-vendor" if extra_crates else "vendor"), extra_crates)
    if len(set(_debian_versions(_COMPILER).values())) > 1 and os.geteuid() == 0:
        # std is built from rust-web-src: it must be the compiler's own version (an
        # `apt-get upgrade` keeps rustc-web back when it needs new packages).
        _apt_install(list(_COMPILER))
    versions = _debian_versions(_COMPILER)
    if len(set(versions.values())) > 1:
        raise SystemExit(
            "toolchain: rustc-web, cargo-web and rust-web-src must be one version, found "
            + ", ".join(f"{k} {v}" for k, v in versions.items())
            + f"\n  apt-get update && apt-get install -y {' '.join(_COMPILER)}"
        )
    lacking = _locked_but_absent(workspace / "Cargo.lock", vendor)
    if lacking and os.geteuid() == 0:
        # An older rustc-web (Debian 12's point release) vendors older std crates than the
        # lock file names; bookworm-security's is newer: upgrade, then look again.
        _apt_install(list(_COMPILER))
        vendor = assemble_vendor_dir(vendor, extra_crates)
        lacking = _locked_but_absent(workspace / "Cargo.lock", vendor)
    if lacking:
        raise SystemExit(
            "toolchain: Cargo.lock names crates no Debian package provides here: "
            f"{', '.join(lacking[:8])}{' ...' if len(lacking) > 8 else ''}\n"
            "  apt-get update && apt-get install -y rustc-web cargo-web rust-web-src "
            "(bookworm-security's), or install rustup's toolchain"
        )
    flags = _vendored_flags(vendor)
    wasm = Cargo(
        argv=(str(DEBIAN_CARGO),),
        env={
            "RUSTC": str(DEBIAN_RUSTC),
            # build-std is a nightly feature; Debian's stable rustc allows it with this.
            "RUSTC_BOOTSTRAP": "1",
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER": str(WASM_LD),
        },
        flags=(*flags, "-Zbuild-std=std,panic_abort"),
    )
    if rustup_cargo is not None:
        native = Cargo(argv=(rustup_cargo,), flags=flags)
    else:
        native = Cargo(argv=(str(DEBIAN_CARGO),), env={"RUSTC": str(DEBIAN_RUSTC)}, flags=flags)
    tool_env = {**native.env, **_cargo_home(cache, vendor, native.argv[0])}
    if not quiet:
        why = "rustup lacks" if rustup_cargo else "no rustup, so no"
        print(
            f"toolchain: route=debian ({why} the {WASM_TARGET} target; "
            f"std built from source, crates from {vendor})",
            flush=True,
        )
    # A separate target dir: the two rustc versions would otherwise keep
    # invalidating each other's build scripts and proc-macros.
    return Toolchain(
        "debian",
        wasm=wasm,
        native=native,
        wasm_target_dir=workspace / "target" / "debian-wasm",
        tool_env=tool_env,
        vendor=vendor,
    )
