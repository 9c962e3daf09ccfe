"""The web console in headless Chromium (issue 16): each page loads, a job is followed,
paused, resumed and cancelled by clicking, and the page shows what a person would see."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Browser, chromium

from spacedrive_host.daemon.serve import Daemon

pytestmark = pytest.mark.skipif(chromium() is None, reason="needs Debian's chromium (nox installs it)")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, built_plugins: Path) -> Iterator[tuple[Daemon, Browser]]:
    with Daemon(tmp_path_factory.mktemp("d"), http_port=0) as d:
        assert d.host is not None
        for name in ("hello", "counter"):
            d.host.execute("action:daemon.plugins.load.v1", {"path": str(built_plugins / name)})
        d.host.call_plugin("hello", "greet", {"name": "console"})  # a log line to show
        with Browser(tmp_path_factory.mktemp("profile")) as browser:
            assert d.http is not None
            browser.goto(f"{d.http.url}/console?token={d.token}")  # then the cookie carries it
            yield d, browser


def test_the_plugins_page_lists_each_plugin_with_its_status(served: tuple[Daemon, Browser]) -> None:
    d, browser = served
    assert d.http is not None
    browser.goto(f"{d.http.url}/console")
    rows = browser.js("[...document.querySelectorAll('tbody tr')].map(r => r.innerText)")
    assert [r.split("\t")[:3] for r in rows] == [["counter", "0.1.0", "ready"], ["hello", "0.1.0", "ready"]]
    browser.js("document.querySelector(\"a[href='/console/plugins/hello']\").click()")
    browser.wait_for("location.pathname === '/console/plugins/hello'")
    text = browser.wait_for("document.querySelector('#logs') && document.body.innerText")
    assert "Plugin hello" in text
    assert "greet" in text  # what it provides
    assert '"methods"' in text  # its permissions
    assert "hello: greeting console" in text  # its recent logs


def test_a_job_is_followed_paused_resumed_and_cancelled_by_clicking(served: tuple[Daemon, Browser]) -> None:
    d, browser = served
    assert d.host is not None and d.http is not None
    job = d.host.execute(
        "action:jobs.start.v1",
        {"plugin": "counter", "job": "sum_squares", "input": {"n": 50_000_000, "chunk": 100, "work": 500}},
    ).data()
    browser.goto(f"{d.http.url}/console/jobs")
    row = f"[...document.querySelectorAll('tbody tr')].find(r => r.innerText.startsWith('{job['id'][:8]}'))"
    # Live progress: the page refreshes itself while the job runs, and the bar moves.
    browser.wait_for(f"{row}.querySelector('.state').innerText === 'running'")
    browser.wait_for(f"Number({row}.querySelector('progress').value) > 0")
    browser.js(f"{row}.querySelector(\"button[value='pause']\").click()")
    browser.wait_for(f"{row}.querySelector('.state').innerText === 'paused'")
    assert browser.js(f"{row}.querySelector(\"button[value='resume']\") !== null")
    assert d.host.execute("query:jobs.status.v1", {"id": job["id"]}).data()["state"] == "paused"
    browser.js(f"{row}.querySelector(\"button[value='resume']\").click()")
    browser.wait_for(f"{row}.querySelector('.state').innerText === 'running'")
    browser.js(f"{row}.querySelector(\"button[value='cancel']\").click()")
    browser.wait_for(f"{row}.querySelector('.state').innerText === 'cancelled'")
    assert browser.js(f"{row}.querySelectorAll('button').length") == 0


def test_the_finance_page_asks_for_a_library_then_shows_its_totals(served: tuple[Daemon, Browser], tmp_path: Path) -> None:
    d, browser = served
    assert d.host is not None and d.http is not None
    browser.goto(f"{d.http.url}/console/finance")
    assert "Choose a library" in browser.text()
    browser.goto(f"{d.http.url}/console/finance?library=00000000-0000-0000-0000-000000000000")
    # No Finance plugin loaded here: the page says so, as the operation's typed error.
    assert "error[not_found]" in browser.text()


def test_without_the_token_the_console_is_refused(served: tuple[Daemon, Browser], tmp_path: Path) -> None:
    d, _ = served
    assert d.http is not None
    with Browser(tmp_path / "other") as fresh:
        fresh.goto(f"{d.http.url}/console")
        assert "missing or wrong bearer token" in fresh.text()
