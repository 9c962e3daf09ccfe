"""The web console in headless Chromium (issue 16): each page loads, a job is followed,
paused, resumed and cancelled by clicking, and the page shows what a person would see."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from browser import Browser, chromium

from spacedrive_host.daemon.serve import Daemon

MAIL = Path(__file__).resolve().parents[2] / "finance-extension" / "tests" / "mail"

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
    assert d.host is not None
    assert d.http is not None
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


def test_the_finance_page_charts_the_ledger_per_category_and_month(
    served: tuple[Daemon, Browser], tmp_path: Path, built_plugins: Path
) -> None:
    d, browser = served
    assert d.host is not None
    assert d.http is not None
    host = d.host
    ledger = f"{d.http.url}/console/views/finance/ledger"
    browser.goto(f"{ledger}?library=00000000-0000-0000-0000-000000000000")
    assert "error[not_found]" in browser.text()  # no Finance plugin yet: the operation's typed error
    host.execute("action:daemon.plugins.load.v1", {"path": str(built_plugins / "finance")})
    (tmp_path / "mail").mkdir()
    for name in ("forward_attached.eml", "shipping_notice.eml"):
        shutil.copy(MAIL / name, tmp_path / "mail" / name)
    lib = host.execute("action:libraries.create.v1", {"name": "mail", "root": str(tmp_path / "mail")}).data()
    host.execute("action:libraries.index.v1", library_id=UUID(lib["id"]))
    job = host.execute(
        "action:jobs.start.v1", {"plugin": "finance", "job": "scan", "input": {"library": lib["id"]}}
    ).data()
    assert host.jobs.wait(job["id"], timeout=600).state.value == "done"
    totals = host.call_plugin("finance", "totals", {"library": lib["id"]}).data()["output"]
    assert totals["by_category_month"], "the scan found receipts"

    # Its manifest declares the view: the console lists it, and draws it from `totals`.
    browser.goto(f"{d.http.url}/console/views")
    assert "Finance ledger\tfinance" in browser.text()
    browser.js("document.querySelector(\"a[href='/console/views/finance/ledger']\").click()")
    browser.wait_for("document.body.innerText.includes('Choose a library')")
    browser.js("document.querySelector(\"a[href^='/console/views/finance/ledger?library=']\").click()")
    browser.wait_for("document.querySelector('#chart') !== null")
    bars = browser.js(
        "[...document.querySelectorAll('#chart rect')].map(r => Number(r.getAttribute('width')))"
    )
    assert len(bars) == len(totals["by_category_month"])
    assert max(bars) == 400  # the largest total spans the chart
    labels = browser.js("[...document.querySelectorAll('#chart text')].map(t => t.textContent)")
    for t in totals["by_category_month"]:
        assert f"{t['month']} {t['category']}" in labels
        assert f"{t['total']} {t['currency']}" in labels
    text = browser.text()
    for t in totals["by_category"]:
        assert f"{t['category']}\t{t['currency']}\t{t['count']}\t{t['total']}" in text


def test_without_the_token_the_console_is_refused(served: tuple[Daemon, Browser], tmp_path: Path) -> None:
    d, _ = served
    assert d.http is not None
    with Browser(tmp_path / "other") as fresh:
        fresh.goto(f"{d.http.url}/console")
        assert "missing or wrong bearer token" in fresh.text()
