"""`spacedrive --help` served without typer prints what typer prints (cli/fast_help.py)."""

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


def test_python_dash_m_is_named_as_click_names_it() -> None:
    prog = "python -m spacedrive_host"
    for args in (["--help"], ["op", "--help"], []):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "spacedrive_host", *args],
            capture_output=True,
            text=True,
            check=False,
        )
        assert (done.returncode, done.stdout) == typer_help(args, prog=prog)
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
        assert "spacedrive_host.cli.fast_help" in imported
        assert not {"typer", "rich", "spacedrive_host.cli.app"} & imported


@pytest.mark.parametrize(
    "args",
    [["op", "call", "--help"], ["serve", "--help"], ["--json", "--help"], ["op", "--json"], ["nope"], ["-x"]],
)
def test_anything_else_goes_to_typer(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert try_help(args, prog="spacedrive") is None
    assert capsys.readouterr().out == ""
