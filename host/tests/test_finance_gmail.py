"""The Finance scan's Gmail source against a fake Google on loopback (real HTTP,
the real API's JSON shapes): first sync with paging, incremental sync by
history id, an expired history id, 429/503 then success, token refresh by the
host, a revoked token (typed error, nothing lost), a message too large for
``format=raw``, and the CLI consent flow end to end (the test plays the browser).

The proxy reaches 127.0.0.1 only because these hosts are built with the
test-only `NetPolicy` (http and loopback allowed), as in test_http_proxy.py;
the product's policy is untouched."""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
import urllib.request
import webbrowser
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fake_gmail import API, FakeGoogle
from typer.testing import CliRunner
from wat import plugin_copy

from spacedrive_host import Host, HostLimits
from spacedrive_host.cli import auth_cmds
from spacedrive_host.cli.app import app
from spacedrive_host.credentials import Credential, OAuth2Token
from spacedrive_host.net import NetPolicy

MAIL = Path(__file__).resolve().parents[2] / "finance-extension" / "tests" / "mail"
FIRST = ("apple_receipt.eml", "lyft_ride.eml", "shipping_notice.eml", "newsletter.eml", "steam_latin1.eml")
LATER = ("uber_trip.eml", "bank_alert.eml", "etsy_purchase.eml")
LOOPBACK = NetPolicy(allow_http=True, allow_loopback=True, resolver=lambda host, port: ["127.0.0.1"])
LIMITS = HostLimits(max_payload_bytes=2 << 20)  # so fake_gmail's `full_only` answer is too large


def finance_for_loopback(built: Path, dest: Path) -> Path:
    manifest = json.loads((built / "finance" / "manifest.json").read_text())
    permissions = {**manifest["permissions"], "http_hosts": ["127.0.0.1"]}
    return plugin_copy(built / "finance", dest, permissions=permissions)


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory, built_plugins: Path) -> Iterator[Host]:
    root = tmp_path_factory.mktemp("gmail")
    with Host(data_dir=root / "data", net_policy=LOOPBACK, limits=LIMITS) as h:
        h.plugins.load(finance_for_loopback(built_plugins, root / "finance"))
        yield h


@pytest.fixture
def google() -> Iterator[FakeGoogle]:
    fake = FakeGoogle().start()
    for name in FIRST:
        fake.add((MAIL / name).read_bytes())
    yield fake
    fake.close()


class Account:
    """One library and one credential of the module's host, for one fake Google."""

    def __init__(self, host: Host, google: FakeGoogle, tmp: Path, name: str) -> None:
        self.host, self.google, self.name = host, google, name
        (tmp / name).mkdir()
        lib = host.execute("action:libraries.create.v1", {"name": name, "root": str(tmp / name)}).data()
        self.library = UUID(lib["id"])
        self.refresh = "1//refresh-" + name
        google.refresh_tokens.add(self.refresh)
        self.store_token(google.grant(), expires_at=time.time() + 3600)

    def store_token(self, access: str, *, expires_at: float) -> None:
        token = OAuth2Token(access, f"{self.google.base}/token", "cid", self.refresh, "csecret", expires_at)
        self.host.vault.store("finance", Credential(self.name, "oauth2", None, token))

    def sync(self, **gmail: Any) -> tuple[str, Any, str | None]:
        options = {"endpoint": self.google.base, "credential": self.name, "page_size": 2, **gmail}
        job_input = {
            "library": str(self.library),
            "source": "gmail",
            "ocr": False,
            "classify": False,
            "gmail": options,
        }
        job = self.host.execute(
            "action:jobs.start.v1", {"plugin": "finance", "job": "scan", "input": job_input}
        ).data()
        record = self.host.jobs.wait(job["id"], timeout=300)
        return record.state.value, record.output, record.error

    def records(self) -> dict[str, dict[str, Any]]:
        out = self.host.call_plugin(
            "finance", "receipts", {"library": str(self.library), "include_non_receipts": True}
        )
        return {r["id"]: r for r in out.data()["output"]["receipts"]}


@pytest.fixture
def account(host: Host, google: FakeGoogle, tmp_path: Path, request: pytest.FixtureRequest) -> Account:
    return Account(
        host, google, tmp_path, "gm-" + request.node.name.removeprefix("test_")[:20].replace("_", "-")
    )


def local_records(host: Host, tmp: Path, names: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """What the local scan finds in the same messages as .eml files, by subject."""
    box = tmp / "local"
    box.mkdir()  # each test's own library: the host is the module's
    for name in names:
        shutil.copy(MAIL / name, box / name)
    lid = host.execute("action:libraries.create.v1", {"name": f"local-{tmp.name}", "root": str(box)}).data()[
        "id"
    ]
    host.execute("action:libraries.index.v1", library_id=UUID(lid))
    job_input = {"library": lid, "ocr": False, "classify": False}
    job = host.execute("action:jobs.start.v1", {"plugin": "finance", "job": "scan", "input": job_input})
    assert host.jobs.wait(job.data()["id"], timeout=300).state.value == "done"
    out = host.call_plugin("finance", "receipts", {"library": lid, "include_non_receipts": True})
    return {r["subject"]: r for r in out.data()["output"]["receipts"]}


FIELDS = ("is_receipt", "score", "vendor", "date", "total", "currency", "tax", "items", "payment")


def test_first_sync_pages_through_the_list_and_reads_like_the_local_scan(
    account: Account, google: FakeGoogle, tmp_path: Path
) -> None:
    state, summary, error = account.sync(query="category:purchases newer_than:1y")
    assert state == "done", error
    assert summary["sync"] == "full"
    assert (summary["listed"], summary["messages"], summary["skipped"]) == (5, 5, 0)
    assert google.queries == ["category:purchases newer_than:1y"] * 3  # 5 messages, pages of 2
    found = account.records()
    assert set(found) == {f"gmail:{mid}" for mid in google.messages}
    local = local_records(account.host, tmp_path, FIRST)
    for rec in found.values():
        assert rec["source"] == "gmail"
        twin = local[rec["subject"]]
        assert {f: rec[f] for f in FIELDS} == {f: twin[f] for f in FIELDS}
    assert sum(r["is_receipt"] for r in found.values()) >= 2
    csv_out = account.host.call_plugin("finance", "export_csv", {"library": str(account.library)})
    assert b"gmail:" in csv_out.tail  # the same ledger, the Source column naming the message
    # Records and sync state are in the plugin's storage, a key per message; the vault keeps only tokens.
    prefix = f"gmail/{account.library}/"
    keys, more = account.host.storage.keys("finance", prefix=prefix, limit=1000)
    assert not more
    assert {k.key for k in keys} == {f"{prefix}msg/{mid}" for mid in google.messages} | {f"{prefix}state"}
    for mid in google.messages:
        stored = account.host.storage.get("finance", f"{prefix}msg/{mid}").value
        assert json.loads(stored) == found[f"gmail:{mid}"]  # the same record JSON a sidecar holds
    assert not [name for name, _, _ in account.host.vault.names("finance") if name.startswith("gm.")]


def test_later_runs_read_only_new_mail_through_the_history(account: Account, google: FakeGoogle) -> None:
    assert account.sync()[0] == "done"
    first = len(google.requests)
    for name in LATER:
        google.add((MAIL / name).read_bytes())
    state, summary, error = account.sync()
    assert state == "done", error
    assert summary["sync"] == "incremental"
    assert (summary["listed"], summary["messages"]) == (3, 3)
    later = [path for _, path, _ in google.requests[first:]]
    assert sum(p == API + "history" for p in later) == 2  # 3 added, pages of 2
    # No full list: one listing of the query, from a day before the last run, confirms them.
    assert later.count(API + "messages") == 2  # 3 to confirm, pages of 2
    confirm, again = google.queries[-2:]
    assert confirm == again
    assert re.fullmatch(r"\(-in:chats -in:spam -in:trash\) after:\d{10}", confirm), confirm
    assert int(confirm.rsplit(":", 1)[1]) < time.time() - 86_000
    assert len(account.records()) == 8
    queries = len(google.queries)
    state, summary, _ = account.sync()
    assert (state, summary["listed"], summary["messages"]) == ("done", 0, 0)  # idempotent
    assert len(google.queries) == queries  # nothing new: nothing to confirm


def test_later_runs_read_only_new_mail_the_query_matches(account: Account, google: FakeGoogle) -> None:
    """The history lists every new message; spam, trash and chats (the default query
    leaves them out) are never fetched, nor is what a narrower query does not match."""
    assert account.sync()[0] == "done"
    inbox = google.add((MAIL / LATER[0]).read_bytes())
    spam = google.add((MAIL / LATER[2]).read_bytes(), labels=("SPAM",))
    trash = google.add((MAIL / LATER[1]).read_bytes(), labels=("TRASH",))
    first = len(google.requests)
    state, summary, error = account.sync()
    assert state == "done", error
    assert (summary["sync"], summary["listed"], summary["messages"], summary["filtered"]) == (
        "incremental",
        3,
        1,
        2,
    )
    fetched = {path for _, path, _ in google.requests[first:] if path.startswith(API + "messages/")}
    assert fetched == {API + f"messages/{inbox}"}
    assert f"gmail:{inbox}" in account.records()
    assert not {f"gmail:{spam}", f"gmail:{trash}"} & set(account.records())
    # A narrower query on a later run: a full list (the query changed), then only its matches.
    state, summary, _ = account.sync(query="label:receipts")
    assert (state, summary["sync"], summary["listed"]) == ("done", "full", 0)
    receipt = google.add((MAIL / LATER[2]).read_bytes(), labels=("INBOX", "RECEIPTS"))
    google.add((MAIL / LATER[1]).read_bytes())
    state, summary, _ = account.sync(query="label:receipts")
    assert (summary["sync"], summary["listed"], summary["messages"], summary["filtered"]) == (
        "incremental",
        2,
        1,
        1,
    )
    assert f"gmail:{receipt}" in account.records()


def test_an_expired_history_id_falls_back_to_a_full_list(account: Account, google: FakeGoogle) -> None:
    assert account.sync()[0] == "done"
    google.history_floor = google.history_id + 100  # Gmail no longer has that history
    google.add((MAIL / LATER[0]).read_bytes())
    state, summary, error = account.sync()
    assert state == "done", error
    assert summary["history_expired"]
    assert summary["sync"] == "full"
    assert (summary["listed"], summary["messages"], summary["skipped"]) == (6, 1, 5)  # deduped by id
    google.history_floor = 0
    state, summary, _ = account.sync()
    assert (summary["sync"], summary["listed"]) == ("incremental", 0)  # the new history id was kept


def test_429_and_503_are_retried_after_the_wait_asked_for(account: Account, google: FakeGoogle) -> None:
    google.fail(API + "messages/", (429, {"Retry-After": "1"}), (503, {}))
    google.fail(API + "profile", (429, {"Retry-After": "0"}))
    state, summary, error = account.sync()
    assert state == "done", error
    assert summary["retried"] == 3
    assert summary["messages"] == 5
    assert len(account.records()) == 5


def test_too_many_429s_fail_the_job_typed_and_keep_what_was_read(
    account: Account, google: FakeGoogle
) -> None:
    google.fail(API + "history", *[(429, {"Retry-After": "0"})] * 10)
    assert account.sync()[0] == "done"
    google.add((MAIL / LATER[0]).read_bytes())
    state, _, error = account.sync()
    assert state == "failed"
    assert error is not None
    assert "unavailable" in error
    assert "429" in error
    assert len(account.records()) == 5
    google.faults.clear()
    assert account.sync()[1]["messages"] == 1  # the history id was not moved: nothing skipped


def test_the_host_refreshes_an_expired_token(account: Account, google: FakeGoogle) -> None:
    account.store_token("ya29.expired", expires_at=time.time() - 10)
    google.tokens.clear()  # only a refreshed token will do
    state, summary, error = account.sync()
    assert state == "done", error
    assert summary["messages"] == 5
    fresh = account.host.vault.get("finance", account.name).oauth2
    assert fresh is not None
    assert fresh.access_token in google.tokens
    assert fresh.refresh_token == account.refresh  # kept: Google sends none on refresh
    assert ("POST", "/token", "") in google.requests
    assert all(
        auth == f"Bearer {fresh.access_token}" for _, path, auth in google.requests if path.startswith(API)
    )


def test_a_revoked_token_is_a_typed_error_and_loses_nothing(account: Account, google: FakeGoogle) -> None:
    assert account.sync()[0] == "done"
    google.add((MAIL / LATER[0]).read_bytes())
    google.revoke()  # the access token now gets 401 ...
    state, _, error = account.sync()
    assert state == "failed"
    assert error is not None
    assert "permission_denied" in error
    assert "401" in error
    account.store_token("ya29.expired", expires_at=time.time() - 10)  # ... and the refresh is refused
    state, _, error = account.sync()
    assert state == "failed"
    assert error is not None
    assert "unavailable" in error
    assert "invalid_grant" in error
    assert len(account.records()) == 5
    account.store_token(google.grant(), expires_at=time.time() + 3600)  # authorised again
    state, summary, error = account.sync()
    assert state == "done", error
    assert (summary["sync"], summary["messages"]) == ("incremental", 1)


def test_a_message_too_large_for_raw_is_rebuilt_with_its_attachments(
    account: Account, google: FakeGoogle, tmp_path: Path
) -> None:
    big = google.add((MAIL / "invoice_pdf.eml").read_bytes())
    google.full_only.add(big)
    state, summary, error = account.sync()
    assert state == "done", error
    assert summary["messages"] == 6
    assert any("/attachments/" in path for _, path, _ in google.requests)
    rec = account.records()[f"gmail:{big}"]
    twin = local_records(account.host, tmp_path, ("invoice_pdf.eml",))[rec["subject"]]
    assert {f: rec[f] for f in FIELDS} == {f: twin[f] for f in FIELDS}


def test_the_cli_consent_flow_end_to_end(
    google: FakeGoogle, built_plugins: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    (data / "plugins").mkdir(parents=True)
    finance_for_loopback(built_plugins, data / "plugins" / "finance")  # as `plugin load` installs it
    pages: list[str] = []

    def browser(url: str) -> bool:
        """The user's browser: the consent page redirects to the CLI's loopback listener."""

        def visit() -> None:
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            with opener.open(url, timeout=30) as resp:
                pages.append(resp.read().decode())

        threading.Thread(target=visit, daemon=True).start()
        return True

    monkeypatch.setattr(webbrowser, "open", browser)
    monkeypatch.setattr("spacedrive_host.host.Host", partial(Host, net_policy=LOOPBACK))
    args = ["--data-dir", str(data), "auth", "gmail", "--client-id", "cid.apps.googleusercontent.com"]
    args += [
        "--client-secret",
        "csecret",
        "--auth-url",
        f"{google.base}/auth",
        "--token-url",
        f"{google.base}/token",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "stored credential 'gmail' for plugin 'finance'" in result.output
    assert pages == ["Spacedrive is authorised. You can close this window."]
    with Host(data_dir=data, net_policy=LOOPBACK) as host:
        token = host.vault.get("finance", "gmail").oauth2
        assert token is not None
        assert token.access_token in google.tokens
        assert token.refresh_token in google.refresh_tokens
        assert token.scope == auth_cmds.GMAIL_READONLY
        assert token.token_url == f"{google.base}/token"


def test_the_guide_names_only_options_the_cli_has() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "guides" / "finance.md").read_text()
    section = guide[guide.index("### Gmail") : guide.index("### Permissions and privacy")]
    named = set(re.findall(r"(--[a-z][a-z-]+)", section)) - {"--input"}  # `job start`'s
    assert {"--client-id", "--client-secret", "--no-browser", "--plugin", "--name", "--timeout"} <= named
    result = CliRunner().invoke(app, ["auth", "gmail", "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert {n for n in named if n not in result.output} == set()
