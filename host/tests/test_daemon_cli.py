"""The CLI commands that used to run an embedded host only (issue 16: "same commands,
same output either way"): `plugin load|remove`, `op list` and `job resume` go through a
running daemon; `doctor` checks the files itself and says that a daemon serves them."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spacedrive_host.cli.app import app
from spacedrive_host.daemon.serve import Daemon


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[Daemon]:
    with Daemon(tmp_path / "data") as d:
        yield d


def _cli(d: Daemon, *args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(app, ["--data-dir", str(d.data_dir), *args])
    return res.exit_code, res.stdout, res.stderr


def _loaded(d: Daemon) -> set[str]:
    assert d.host is not None
    return {p.id for p in d.host.plugins.list()}


def test_plugin_load_and_remove_go_through_the_daemon(daemon: Daemon, built_plugins: Path) -> None:
    status, out, err = _cli(daemon, "plugin", "load", str(built_plugins / "hello"))
    assert status == 0, err
    installed = daemon.data_dir / "plugins" / "hello"
    # As an embedded host prints it (rich may wrap it anywhere: compared without spaces).
    pattern = rf"installedhello\S+in{re.escape(str(installed))}\(loadedin[\d.]+ms,compilecache\w+\)"
    assert re.fullmatch(pattern, "".join(out.split()))
    assert "hello" in _loaded(daemon)  # the daemon serves it now, no restart
    assert (installed / "manifest.json").is_file()
    # Again: refused without --replace, reloaded (swap-on-success) with it.
    status, _, err = _cli(daemon, "plugin", "load", str(built_plugins / "hello"))
    assert status == 12
    assert "already installed" in err
    assert _cli(daemon, "plugin", "load", "--replace", str(built_plugins / "hello"))[0] == 0
    assert _cli(daemon, "plugin", "remove", "hello")[1:] == ("removed hello\n", "")
    assert "hello" not in _loaded(daemon)
    assert not installed.exists()
    status, _, err = _cli(daemon, "plugin", "remove", "hello")
    assert status == 12
    assert "no plugin 'hello' is installed" in err


def test_op_list_is_the_daemons(daemon: Daemon) -> None:
    status, out, _ = _cli(daemon, "--json", "op", "list")
    assert status == 0
    served = {op["method"]: op for op in json.loads(out)}
    status, out, _ = _cli(daemon, "--json", "--no-daemon", "op", "list")
    embedded = {op["method"]: op for op in json.loads(out)}
    # The same operations, described the same, plus the daemon's own.
    assert {m: served[m] for m in embedded} == embedded
    assert {m for m in served if m not in embedded} >= {
        "query:daemon.status.v1",
        "query:daemon.operations.v1",
    }


def test_job_resume_goes_through_the_daemon(daemon: Daemon) -> None:
    assert _cli(daemon, "job", "resume")[1:] == ("no unfinished jobs\n", "")


def test_doctor_says_a_daemon_serves_the_data_dir_and_will_not_repair_under_it(daemon: Daemon) -> None:
    status, out, _ = _cli(daemon, "doctor")
    assert status == 0
    assert f"adaemon(pid{os.getpid()})isservingit" in "".join(out.split())
    status, _, err = _cli(daemon, "doctor", "--repair")
    assert status == 9
    assert "stop it before `spacedrive doctor --repair`" in err
