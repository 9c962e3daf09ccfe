"""`spacedrive plugin new`: a plugin that builds as is, in a language the kit knows.

Python: the same manifest with ``"kind": "component"``, ``plugin.py`` on
``spacedrive_guest`` (typed ``ops``, a handler per method) and the same host
test; a folder of its own wherever it is written.

Rust: a manifest with the least permissions its code uses (``core.version``), code
on the typed client and the SDK's ``methods!`` table, a native unit test and a
host test (pytest, `spacedrive_host.testing`). Inside this repository the crate
joins the Cargo workspace and Cargo.lock is updated offline; elsewhere it is a
Cargo workspace of its own whose ``.cargo/config.toml`` names the toolchain's
offline crate source (the SDK included), and its lock file is generated.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput, Unavailable
from . import templates
from .project import PYTHON_MODULE, find_workspace, is_repository, prepare_toolchain
from .toolchain import cargo_config

__all__ = ["LANGUAGES", "Scaffolded", "new_plugin"]

_NAME = re.compile(r"^[a-z][a-z0-9-]{0,62}[a-z0-9]$")


@dataclass(frozen=True)
class Scaffolded:
    directory: Path
    files: tuple[Path, ...]
    #: The Cargo workspace the crate belongs to, and whether it is this repository's.
    workspace: Path
    in_repository: bool


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _join_workspace(root: Path, crate: Path) -> None:
    """Adds ``crate`` to the root Cargo.toml's members unless a pattern there covers it."""
    cargo = root / "Cargo.toml"
    text = cargo.read_text()
    members = tomllib.loads(text)["workspace"].get("members", [])
    if any(crate in (root / m).parent.glob(Path(m).name) for m in members):
        return
    rel = crate.relative_to(root).as_posix()
    found = re.search(r"^members\s*=\s*\[(.*?)\]", text, flags=re.MULTILINE | re.DOTALL)
    if found is None:
        raise InvalidInput(f"{cargo} has no `members = [...]` list to add {rel} to")
    inner = found.group(1).rstrip().rstrip(",")
    updated = f'members = [{inner}, "{rel}"]' if inner.strip() else f'members = ["{rel}"]'
    cargo.write_text(text[: found.start()] + updated + text[found.end() :])


def _refuse_taken_name(root: Path, package: str) -> None:
    """Cargo refuses two packages of one name in a workspace: say so before writing anything."""
    for pattern in tomllib.loads((root / "Cargo.toml").read_text())["workspace"].get("members", []):
        for crate in sorted((root / pattern).parent.glob(Path(pattern).name)):
            manifest = crate / "Cargo.toml"
            if (
                manifest.is_file()
                and tomllib.loads(manifest.read_text()).get("package", {}).get("name") == package
            ):
                where = crate.relative_to(root).as_posix()
                raise InvalidInput(
                    f"the workspace already has a crate named {package!r} ({where}); choose another name"
                )


def _cargo(cmd: list[str], cwd: Path, env: dict[str, str], what: str) -> None:
    done = subprocess.run(
        cmd, cwd=cwd, env={**os.environ, **env}, check=False, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise Unavailable(f"{what} failed: {done.stderr.strip()[-2000:]}")


def _rust(name: str, directory: Path) -> Scaffolded:
    fields = {"id": name, "crate": name.replace("-", "_"), "struct": _camel(name)}
    enclosing = find_workspace(directory.parent)
    in_repo = enclosing is not None and is_repository(enclosing)
    if in_repo:
        assert enclosing is not None
        _refuse_taken_name(enclosing, name)
    files = [
        _write(directory / "manifest.json", json.dumps(templates.rust_manifest(name), indent=2) + "\n"),
        _write(directory / "src" / "lib.rs", templates.RUST_LIB.format(**fields)),
        _write(directory / "tests" / f"test_{fields['crate']}.py", templates.HOST_TEST.format(**fields)),
    ]
    if in_repo:
        assert enclosing is not None
        files.append(_write(directory / "Cargo.toml", templates.RUST_CARGO_IN_REPO.format(**fields)))
        _join_workspace(enclosing, directory)
        workspace = enclosing
        tc = prepare_toolchain(workspace)
        # What `nox -s lock` does: builds use --locked, so the new member must be in the lock.
        _cargo(tc.native.command("update", "--workspace"), workspace, tc.native.env, "updating Cargo.lock")
    else:
        workspace = directory
        files.append(_write(directory / "Cargo.toml", templates.RUST_CARGO_OWN.format(**fields)))
        files.append(_write(directory / ".gitignore", templates.GITIGNORE_OWN))
        tc = prepare_toolchain(workspace)
        if tc.vendor is not None:
            # Plain `cargo add/test/build` then resolve offline from the same crate source.
            files.append(_write(directory / ".cargo" / "config.toml", cargo_config(tc.vendor)))
        _cargo(tc.native.command("generate-lockfile"), workspace, tc.native.env, "generating Cargo.lock")
        files.append(directory / "Cargo.lock")
    return Scaffolded(directory, tuple(files), workspace, in_repo)


def _python(name: str, directory: Path) -> Scaffolded:
    """No workspace to join: the folder is the project, inside this repository or not."""
    fields = {"id": name, "crate": name.replace("-", "_"), "struct": _camel(name)}
    manifest = json.dumps(templates.python_manifest(name), indent=2) + "\n"
    files = (
        _write(directory / "manifest.json", manifest),
        _write(directory / PYTHON_MODULE, templates.PYTHON_PLUGIN.format(**fields)),
        _write(directory / "tests" / f"test_{fields['crate']}.py", templates.HOST_TEST.format(**fields)),
        _write(directory / ".gitignore", templates.GITIGNORE_PYTHON),
    )
    return Scaffolded(directory, files, directory, in_repository=False)


#: Language -> scaffolder. A language is added here once its plugins build and load.
LANGUAGES: dict[str, Callable[[str, Path], Scaffolded]] = {"rust": _rust, "python": _python}


def new_plugin(name: str, lang: str, directory: Path | None = None) -> Scaffolded:
    """Writes a new plugin ``name`` in ``directory`` (default ``./NAME``), which must not exist."""
    if not _NAME.match(name):
        raise InvalidInput(
            f"plugin name {name!r}: use 2-64 lowercase letters, digits and '-', starting with a letter"
        )
    scaffold = LANGUAGES.get(lang)
    if scaffold is None:
        raise InvalidInput(f"--lang {lang!r}: choose one of {', '.join(sorted(LANGUAGES))}")
    target = (directory or Path(name)).resolve()
    if target.exists() and any(target.iterdir()):
        raise InvalidInput(f"{target} already exists and is not empty; choose another --dir")
    return scaffold(name, target)
