"""A fake Google: the Gmail API (v1), an OAuth consent page and a token endpoint,
on one real HTTP server on 127.0.0.1, answering with the real API's JSON
shapes. Tests and the bench only; the product never talks to it.

What it does like Google: `users.getProfile`, `users.messages.list` (query
recorded and, in part, applied: ``in:``/``-in:``/``label:`` on a message's
labels and ``after:`` on its ``internalDate`` in Unix seconds, ANDed, parentheses
ignored; other terms match everything; paging by ``maxResults``/``pageToken``,
newest first), `users.messages.get` in
``raw`` and ``full`` form (big bodies by attachment id), `users.messages.
attachments.get`, `users.history.list` (``messageAdded``; a start id older
than `history_floor` is 404), Bearer tokens checked (401 otherwise), the
authorization-code grant with PKCE S256 and the refresh grant (``invalid_grant``
once `revoke` is called). Faults on demand: `fail` queues answers (429 with
Retry-After, 503 ...) for the next requests to a path.
"""

from __future__ import annotations

import base64
import email
import hashlib
import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

API = "/gmail/v1/users/me/"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()


def _error(code: int, message: str, status: str, reason: str) -> bytes:
    return json.dumps(
        {
            "error": {
                "code": code,
                "message": message,
                "errors": [{"message": message, "domain": "global", "reason": reason}],
                "status": status,
            }
        }
    ).encode()


@dataclass
class Stored:
    id: str
    raw: bytes
    history_id: int
    labels: tuple[str, ...] = ("INBOX", "CATEGORY_UPDATES")
    internal_ms: int = 1700000000000

    def matches(self, query: str) -> bool:
        """Whether the part of Gmail's search syntax this fake knows matches."""
        for word in query.replace("(", " ").replace(")", " ").split():
            negated = word.startswith("-")
            key, _, value = word.removeprefix("-").partition(":")
            if key in ("in", "label"):
                hit = _LABELS.get(value.lower(), value.upper()) in self.labels
            elif key == "after" and value.isdigit():
                hit = self.internal_ms // 1000 > int(value)
            else:
                continue
            if hit == negated:
                return False
        return True


_LABELS = {"chats": "CHAT", "spam": "SPAM", "trash": "TRASH", "inbox": "INBOX"}


@dataclass
class FakeGoogle:
    """Start with `start`; ``base`` is its origin (``http://127.0.0.1:<port>``)."""

    messages: dict[str, Stored] = field(default_factory=dict)
    history: list[tuple[int, str]] = field(default_factory=list)  # (history id, message id added)
    history_id: int = 1000
    history_floor: int = 0
    tokens: set[str] = field(default_factory=set)  # valid access tokens
    refresh_tokens: set[str] = field(default_factory=set)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> its auth request
    faults: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (method, path, authorization)
    queries: list[str] = field(default_factory=list)
    full_only: set[str] = field(default_factory=set)  # ids whose format=raw is refused as too large
    base: str = ""

    # -- the mailbox ---------------------------------------------------------
    def add(self, raw: bytes, labels: tuple[str, ...] = Stored.labels, internal_ms: int | None = None) -> str:
        """Delivers a message now (or at ``internal_ms``), under ``labels``."""
        self.history_id += 1
        mid = f"{0x18C0000000000000 + len(self.messages) * 7919:x}"
        when = int(time.time() * 1000) if internal_ms is None else internal_ms
        self.messages[mid] = Stored(mid, raw, self.history_id, labels, when)
        self.history.append((self.history_id, mid))
        return mid

    def fail(self, path: str, *answers: tuple[int, dict[str, str]]) -> None:
        """The next requests whose path starts with ``path`` get these answers first."""
        self.faults.setdefault(path, []).extend(answers)

    def grant(self) -> str:
        """A valid access token (as if consent had run)."""
        token = f"ya29.{secrets.token_urlsafe(12)}"
        self.tokens.add(token)
        return token

    def revoke(self) -> None:
        self.tokens.clear()
        self.refresh_tokens.clear()

    # -- the server ----------------------------------------------------------
    def start(self) -> FakeGoogle:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                fake._serve(self, b"")

            def do_POST(self) -> None:
                fake._serve(self, self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def log_message(self, *args: Any) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _serve(self, req: BaseHTTPRequestHandler, body: bytes) -> None:
        parts = urlsplit(req.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.requests.append((req.command, parts.path, req.headers.get("Authorization", "")))
        headers = {"Content-Type": "application/json; charset=UTF-8"}
        status, out = 404, _error(404, "Not Found", "NOT_FOUND", "notFound")
        for prefix, queued in self.faults.items():
            if parts.path.startswith(prefix) and queued:
                status, extra = queued.pop(0)
                headers.update(extra)
                out = _error(
                    status,
                    "Too many concurrent requests for user.",
                    "RESOURCE_EXHAUSTED",
                    "rateLimitExceeded",
                )
                break
        else:
            if parts.path == "/auth":
                status, out, headers = self._consent(query)
            elif parts.path == "/token":
                status, out = self._token({k: v[0] for k, v in parse_qs(body.decode()).items()})
            elif parts.path.startswith(API):
                if req.headers.get("Authorization", "").removeprefix("Bearer ") not in self.tokens:
                    status = 401
                    out = _error(
                        401, "Request had invalid authentication credentials.", "UNAUTHENTICATED", "authError"
                    )
                else:
                    status, out = self._api(parts.path.removeprefix(API), query)
        req.send_response(status)
        for k, v in headers.items():
            req.send_header(k, v)
        req.send_header("Content-Length", str(len(out)))
        req.end_headers()
        req.wfile.write(out)

    def _consent(self, q: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        """The consent page, already agreed to: redirects to the app's loopback listener."""
        if (
            q.get("code_challenge_method") != "S256"
            or not q.get("code_challenge")
            or q.get("response_type") != "code"
        ):
            return 400, b"bad request", {"Content-Type": "text/plain"}
        code = f"4/{secrets.token_urlsafe(16)}"
        self.codes[code] = q
        location = (
            f"{q['redirect_uri']}?{urlencode({'state': q['state'], 'code': code, 'scope': q['scope']})}"
        )
        return 302, b"", {"Location": location, "Content-Type": "text/html"}

    def _token(self, form: dict[str, str]) -> tuple[int, bytes]:
        bad = 400, json.dumps({"error": "invalid_grant", "error_description": "Bad Request"}).encode()
        if form.get("grant_type") == "authorization_code":
            asked = self.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "").encode()
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
            if (
                asked is None
                or asked["code_challenge"] != challenge
                or asked["redirect_uri"] != form.get("redirect_uri")
            ):
                return bad
            refresh = f"1//{secrets.token_urlsafe(16)}"
            self.refresh_tokens.add(refresh)
            answer: dict[str, object] = {"refresh_token": refresh, "scope": asked["scope"]}
        elif form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return 400, json.dumps(
                    {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
                ).encode()
            answer = {"scope": "https://www.googleapis.com/auth/gmail.readonly"}
        else:
            return bad
        answer.update(access_token=self.grant(), expires_in=3599, token_type="Bearer")
        return 200, json.dumps(answer).encode()

    def _api(self, path: str, q: dict[str, str]) -> tuple[int, bytes]:
        if path == "profile":
            return 200, json.dumps(
                {
                    "emailAddress": "me@example.com",
                    "messagesTotal": len(self.messages),
                    "threadsTotal": len(self.messages),
                    "historyId": str(self.history_id),
                }
            ).encode()
        if path == "messages":
            return self._list(q)
        if path == "history":
            return self._history(q)
        segments = path.split("/")
        if segments[0] != "messages" or segments[1] not in self.messages:
            return 404, _error(404, "Requested entity was not found.", "NOT_FOUND", "notFound")
        stored = self.messages[segments[1]]
        if len(segments) == 4 and segments[2] == "attachments":
            data = self._attachments(stored).get(segments[3])
            if data is None:
                return 404, _error(404, "Requested entity was not found.", "NOT_FOUND", "notFound")
            return 200, json.dumps({"size": len(data), "data": b64url(data)}).encode()
        meta = {
            "id": stored.id,
            "threadId": stored.id,
            "labelIds": list(stored.labels),
            "snippet": "",
            "historyId": str(stored.history_id),
            "internalDate": str(stored.internal_ms),
            "sizeEstimate": len(stored.raw),
        }
        if q.get("format") == "raw":
            if stored.id in self.full_only:  # stands for a message larger than the proxy returns
                return 200, b"x" * (3 << 20)
            return 200, json.dumps({**meta, "raw": b64url(stored.raw)}).encode()
        return 200, json.dumps({**meta, "payload": self._payload(stored)}).encode()

    def _list(self, q: dict[str, str]) -> tuple[int, bytes]:
        query = q.get("q", "")
        self.queries.append(query)
        ids = sorted((m for m in self.messages if self.messages[m].matches(query)), reverse=True)
        start = int(q.get("pageToken", "0"))
        size = int(q.get("maxResults", "100"))
        page = ids[start : start + size]
        out: dict[str, Any] = {"resultSizeEstimate": len(ids)}
        if page:
            out["messages"] = [{"id": i, "threadId": i} for i in page]
        if start + size < len(ids):
            out["nextPageToken"] = str(start + size)
        return 200, json.dumps(out).encode()

    def _history(self, q: dict[str, str]) -> tuple[int, bytes]:
        since = int(q["startHistoryId"])
        if since < self.history_floor:
            return 404, _error(404, "Requested entity was not found.", "NOT_FOUND", "notFound")
        added = [(h, m) for h, m in self.history if h > since]
        start = int(q.get("pageToken", "0"))
        page = added[start : start + 2]  # small pages, so paging is exercised
        hist: dict[str, Any] = {"historyId": str(self.history_id)}
        if page:
            hist["history"] = [
                {
                    "id": str(h),
                    "messages": [{"id": m, "threadId": m}],
                    "messagesAdded": [
                        {"message": {"id": m, "threadId": m, "labelIds": list(self.messages[m].labels)}}
                    ],
                }
                for h, m in page
            ]
        if start + 2 < len(added):
            hist["nextPageToken"] = str(start + 2)
        return 200, json.dumps(hist).encode()

    @staticmethod
    def _data(part: Message) -> bytes:
        data = part.get_payload(decode=True)
        return data if isinstance(data, bytes) else b""

    @staticmethod
    def _parts(stored: Stored) -> Iterator[tuple[str, Message]]:
        def walk(part: Message, pid: str) -> Iterator[tuple[str, Message]]:
            yield pid, part
            if part.is_multipart():
                for i, child in enumerate(part.get_payload()):
                    yield from walk(child, f"{pid}.{i}" if pid else str(i))

        yield from walk(email.message_from_bytes(stored.raw, policy=policy.compat32), "")

    def _attachments(self, stored: Stored) -> dict[str, bytes]:
        return {
            f"ANGjdJ{stored.id}{pid.replace('.', 'x')}": self._data(part)
            for pid, part in self._parts(stored)
            if not part.is_multipart() and part.get_filename()
        }

    def _payload(self, stored: Stored) -> dict[str, Any]:
        """The `format=full` tree: leaves' data inline, attachments by id."""
        nodes: dict[str, dict[str, Any]] = {}
        for pid, part in self._parts(stored):
            node: dict[str, Any] = {
                "partId": pid,
                "mimeType": part.get_content_type(),
                "filename": part.get_filename() or "",
                "headers": [
                    {"name": k, "value": re.sub(r"\r?\n[ \t]+", " ", str(v))} for k, v in part.items()
                ],
                "body": {"size": 0},
            }
            if part.is_multipart():
                node["parts"] = []
            else:
                data = self._data(part)
                node["body"] = {"size": len(data)}
                if part.get_filename():
                    node["body"]["attachmentId"] = f"ANGjdJ{stored.id}{pid.replace('.', 'x')}"
                else:
                    node["body"]["data"] = b64url(data)
            nodes[pid] = node
            if pid:
                parent = pid.rpartition(".")[0]
                nodes[parent]["parts"].append(node)
        return nodes[""]
