"""The CLI's two fast paths (issue 16): `spacedrive --help` served without typer prints
what typer prints (cli/fast_help.py), and a call through a daemon (cli/fast.py) imports
only what the round trip needs. The speed itself is a bench row (`startup`)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from spacedrive_host.cli.fast_help import try_help
from spacedrive_host.codegen.cli_help import help_pages, typer_help

GROUPS = list(help_pages())


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("asked", [True, False], ids=["--help", "no-command"])
def test_each_page_is_typers_own(group: str, asked: bool, capsys: pytest.CaptureFixture[str]) -> None:
    args = [group] if group else []
    args += ["--help"] if asked else []
    status = try_help(args, prog="spacedrive")
    out = capsys.readouterr().out
    assert (status, out) == typer_help(args)


def _run(*argv: str) -> tuple[int, str, set[str]]:
    """Exit status, stdout and the modules imported beyond what `python -c pass` imports."""

    def run(*args: str) -> tuple[int, str, set[str]]:
        done = subprocess.run(
            [sys.executable, "-X", "importtime", *args], capture_output=True, text=True, check=False
        )
        modules = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
        return done.returncode, done.stdout, modules

    status, out, imported = run(*argv)
    return status, out, imported - run("-c", "pass")[2]


def test_a_call_through_the_daemon_imports_neither_typing_nor_pathlib() -> None:
    _, _, imported = _run("-c", "import spacedrive_host.cli.fast, spacedrive_host.daemon.client")
    assert "spacedrive_host.daemon.client" in imported
    assert not {"typer", "typing", "pathlib", "dataclasses", "uuid"} & imported


def test_python_dash_m_is_named_as_click_names_it() -> None:
    for args in (["--help"], ["op", "--help"], []):
        status, out, imported = _run("-m", "spacedrive_host", *args)
        assert (status, out) == typer_help(args, prog="python -m spacedrive_host")
        assert "spacedrive_host.cli.fast_help" in imported
        assert not {"typer", "rich", "typing", "spacedrive_host.cli.app"} & imported


@pytest.mark.parametrize(
    "args",
    [["op", "call", "--help"], ["serve", "--help"], ["--json", "--help"], ["op", "--json"], ["nope"], ["-x"]],
)
def test_anything_else_goes_to_typer(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert try_help(args, prog="spacedrive") is None
    assert capsys.readouterr().out == ""
