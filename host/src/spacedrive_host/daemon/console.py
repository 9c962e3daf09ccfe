"""The web console: server-rendered pages over the same operations as every surface.

``/console`` plugins (status), ``/console/plugins/ID`` (permissions, recent logs),
``/console/jobs`` (live progress: the page refreshes itself while a job runs;
pause, resume and cancel buttons), ``/console/finance?library=ID`` (the Finance
extension's ledger: totals per category and month, as a chart). No script runs
in the page; every action is a form posted back.
"""

from __future__ import annotations

import json
from html import escape
from http import HTTPStatus
from typing import Any

from ..errors import PluginError
from ..host import Host
from .http import Page
from .rpc import call_operation

__all__ = ["Console"]

_STYLE = """body{font:15px system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left}
nav a{margin-right:1em}.failed{color:#b00}.ready{color:#070}pre{background:#f6f6f6;padding:.5em}
.bar{fill:#4a5bd4}.error{color:#b00;font-weight:bold}"""

_JOB_ACTIONS = ("pause", "resume", "cancel")
_LIVE = frozenset({"queued", "running"})


def _page(title: str, body: str, *, refresh: bool = False) -> Page:
    meta = '<meta http-equiv="refresh" content="1">' if refresh else ""
    html = (
        f"<!doctype html><html><head><meta charset='utf-8'>{meta}<title>{escape(title)} · Spacedrive</title>"
        f"<style>{_STYLE}</style></head><body><nav><a href='/console'>Plugins</a>"
        f"<a href='/console/jobs'>Jobs</a><a href='/console/finance'>Finance</a></nav>"
        f"<h1>{escape(title)}</h1>{body}</body></html>"
    )
    return HTTPStatus.OK, "text/html; charset=utf-8", html.encode(), {}


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"


class Console:
    def __init__(self, host: Host) -> None:
        self.host = host

    def _op(self, method: str, input: Any = None, library: str | None = None) -> Any:
        params: dict[str, Any] = {"input": input}
        if library:
            params["library"] = library
        return call_operation(self.host, method, params)["output"]

    def __call__(self, command: str, path: str, args: dict[str, list[str]]) -> Page:
        parts = [p for p in path.split("/") if p][1:]  # after "console"
        try:
            if command == "POST" and len(parts) == 3 and parts[0] == "jobs" and parts[2] in _JOB_ACTIONS:
                self._op(f"action:jobs.{parts[2]}.v1", {"id": parts[1]})
                return HTTPStatus.SEE_OTHER, "text/plain", b"", {"Location": "/console/jobs"}
            if not parts:
                return self.plugins()
            if parts[0] == "plugins" and len(parts) == 2:
                return self.plugin(parts[1])
            if parts == ["jobs"]:
                return self.jobs()
            if parts == ["finance"]:
                return self.finance(args.get("library", [""])[0])
        except PluginError as exc:
            status = HTTPStatus.NOT_FOUND if exc.code.value == "not_found" else HTTPStatus.BAD_REQUEST
            _, ctype, body, headers = _page(
                "Error", f"<p class='error'>error[{escape(exc.code.value)}]: {escape(exc.message)}</p>"
            )
            return status, ctype, body, headers
        return HTTPStatus.NOT_FOUND, "text/plain", f"no page {path}".encode(), {}

    def plugins(self) -> Page:
        rows = [
            [
                f"<a href='/console/plugins/{escape(p['id'])}'>{escape(p['id'])}</a>",
                escape(p["version"] or "-"),
                f"<span class='{escape(p['status'])}'>{escape(p['status'])}</span>",
                escape(p["error"] or p["name"] or ""),
            ]
            for p in self._op("query:plugins.list.v1")["plugins"]
        ]
        body = (
            _table(["id", "version", "status", "name / error"], rows) if rows else "<p>no plugins loaded</p>"
        )
        return _page("Plugins", body)

    def plugin(self, plugin_id: str) -> Page:
        d = self._op("query:plugins.info.v1", {"id": plugin_id})
        provides = _table(
            ["method", "description"], [[escape(m["name"]), escape(m["description"])] for m in d["provides"]]
        )
        logs = (
            "".join(f"{escape(r['level'])}: {escape(r['message'])}\n" for r in d["recent_logs"]) or "(none)"
        )
        body = (
            f"<p>{escape(d['description'] or '')}</p><p>status: <span class='{escape(d['status'])}'>"
            f"{escape(d['status'])}</span> · calls {d['calls']} · faults {d['faults']}</p>"
            f"<h2>Provides</h2>{provides}"
            f"<h2>Permissions</h2><pre>{escape(json.dumps(d['permissions'], indent=2))}</pre>"
            f"<h2>Recent logs</h2><pre id='logs'>{logs}</pre>"
        )
        return _page(f"Plugin {plugin_id}", body)

    def jobs(self) -> Page:
        jobs = self._op("query:jobs.list.v1")["jobs"]
        rows = []
        for j in jobs:
            buttons = "".join(
                f"<form method='post' action='/console/jobs/{escape(j['id'])}/{a}' style='display:inline'>"
                f"<button name='do' value='{a}'>{a}</button></form>"
                for a in _JOB_ACTIONS
                if (a == "resume") == (j["state"] == "paused")
                and j["state"] not in ("done", "failed", "cancelled")
            )
            rows.append(
                [
                    escape(j["id"][:8]),
                    escape(f"{j['plugin']}/{j['job']}"),
                    f"<span class='state'>{escape(j['state'])}</span>",
                    f"<progress max='1' value='{j['progress']}'></progress> "
                    f"<span class='pct'>{j['progress']:.0%}</span>",
                    escape(j["message"] or j["error"] or ""),
                    buttons,
                ]
            )
        live = any(j["state"] in _LIVE for j in jobs)
        body = _table(["id", "job", "state", "progress", "message", ""], rows) if rows else "<p>no jobs</p>"
        return _page("Jobs", body, refresh=live)

    def finance(self, library: str) -> Page:
        libraries = self._op("query:libraries.list.v1")["libraries"]
        links = " ".join(
            f"<a href='/console/finance?library={escape(lib['id'])}'>{escape(lib['name'])}</a>"
            for lib in libraries
        )
        if not library:
            return _page("Finance", f"<p>Choose a library: {links or '(none)'}</p>")
        out = self._op(
            "action:plugins.call.v1", {"plugin": "finance", "method": "totals", "input": {"library": library}}
        )["output"]
        rows = out["by_category_month"]
        top = max((abs(r["minor"]) for r in rows), default=1) or 1
        bars = "".join(
            f"<text x='0' y='{i * 22 + 15}'>{escape(r['month'])} {escape(r['category'])}</text>"
            f"<rect class='bar' x='220' y='{i * 22 + 3}' height='16' "
            f"width='{400 * abs(r['minor']) / top:.1f}'/>"
            f"<text x='630' y='{i * 22 + 15}'>{escape(r['total'])} {escape(r['currency'])}</text>"
            for i, r in enumerate(rows)
        )
        chart = f"<svg id='chart' width='760' height='{len(rows) * 22 + 6}'>{bars}</svg>"
        table = _table(
            ["category", "currency", "receipts", "total"],
            [
                [escape(r["category"]), escape(r["currency"]), str(r["count"]), escape(r["total"])]
                for r in out["by_category"]
            ],
        )
        body = (
            f"<p>{links}</p><h2>Totals per category and month</h2>{chart}<h2>Totals per category</h2>{table}"
        )
        return _page("Finance ledger", body)
