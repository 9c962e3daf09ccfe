"""The web console: server-rendered pages over the same operations as every surface.

``/console`` plugins (status), ``/console/plugins/ID`` (permissions, recent logs),
``/console/jobs`` (live progress: the page refreshes itself while a job runs;
pause, resume and cancel buttons), ``/console/views`` (the views plugins declare in
their manifests, `spacedrive_host.views`) and ``/console/views/PLUGIN/NAME?library=ID``
(one, drawn from its method's output: a bar chart and tables; the Finance ledger is
one). No script runs in the page; every action is a form posted back.
"""

from __future__ import annotations

import json
from html import escape
from http import HTTPStatus
from typing import Any

from ..errors import InvalidInput, NotFound, PluginError
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
        f"<a href='/console/jobs'>Jobs</a><a href='/console/views'>Views</a></nav>"
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
            if parts == ["views"]:
                return self.views()
            if parts[0] == "views" and len(parts) == 3:
                return self.view(parts[1], parts[2], args.get("library", [""])[0])
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

    def views(self) -> Page:
        rows = []
        for p in self._op("query:plugins.list.v1")["plugins"]:
            if p["status"] != "ready":
                continue
            for v in self._op("query:plugins.info.v1", {"id": p["id"]})["views"]:
                href = f"/console/views/{escape(p['id'])}/{escape(v['name'])}"
                rows.append([f"<a href='{href}'>{escape(v['title'])}</a>", escape(p["id"])])
        body = _table(["view", "plugin"], rows) if rows else "<p>no plugin provides a view</p>"
        return _page("Views", body)

    def view(self, plugin_id: str, name: str, library: str) -> Page:
        declared = self._op("query:plugins.info.v1", {"id": plugin_id})["views"]
        spec = next((v for v in declared if v["name"] == name), None)
        if spec is None:
            raise NotFound(f"plugin {plugin_id!r} declares no view {name!r}", plugin=plugin_id)
        links = ""
        if spec["library"]:
            here = f"/console/views/{escape(plugin_id)}/{escape(name)}"
            links = " ".join(
                f"<a href='{here}?library={escape(lib['id'])}'>{escape(lib['name'])}</a>"
                for lib in self._op("query:libraries.list.v1")["libraries"]
            )
            if not library:
                return _page(spec["title"], f"<p>Choose a library: {links or '(none)'}</p>")
            links = f"<p>{links}</p>"
        args = {"library": library} if spec["library"] else {}
        out = self._op(
            "action:plugins.call.v1", {"plugin": plugin_id, "method": spec["method"], "input": args}
        )["output"]
        body = links
        if spec["chart"]:
            body += _chart(spec["chart"], _rows(out, spec["chart"]["rows"], plugin_id))
        for t in spec["tables"]:
            rows = _rows(out, t["rows"], plugin_id)
            body += f"<h2>{escape(t['title'])}</h2>" + _table(
                list(t["columns"]), [[escape(_cell(r, c)) for c in t["columns"]] for r in rows]
            )
        return _page(spec["title"], body)


def _rows(out: Any, key: str, plugin_id: str) -> list[dict[str, Any]]:
    rows = out.get(key) if isinstance(out, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise InvalidInput(f"the view's output has no list of objects under {key!r}", plugin=plugin_id)
    return rows


def _cell(row: dict[str, Any], field: str) -> str:
    value = row.get(field)
    return "" if value is None else str(value)


def _text(row: dict[str, Any], fields: list[str]) -> str:
    return " ".join(_cell(row, f) for f in fields)


def _chart(spec: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """One bar per row, the longest 400 px; its label before it, its text after."""
    values = [abs(v) if isinstance(v := r.get(spec["value"]), int | float) else 0 for r in rows]
    top = max(values, default=1) or 1
    bars = "".join(
        f"<text x='0' y='{i * 22 + 15}'>{escape(_text(r, spec['label']))}</text>"
        f"<rect class='bar' x='220' y='{i * 22 + 3}' height='16' width='{400 * v / top:.1f}'/>"
        f"<text x='630' y='{i * 22 + 15}'>{escape(_text(r, spec['text']))}</text>"
        for i, (r, v) in enumerate(zip(rows, values, strict=True))
    )
    chart = f"<svg id='chart' width='760' height='{len(rows) * 22 + 6}'>{bars}</svg>"
    return f"<h2>{escape(spec['title'])}</h2>{chart}"
