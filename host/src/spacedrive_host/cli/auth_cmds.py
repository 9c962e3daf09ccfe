"""`spacedrive auth gmail`: OAuth 2.0 for installed apps (RFC 8252) with PKCE
(RFC 7636), the tokens stored in a plugin's credential namespace.

The consent page is opened in the user's browser (and its URL printed); Google
redirects to a one-shot listener on ``127.0.0.1:<random port>``, which checks
``state``; the code is exchanged, with the PKCE verifier, at the token
endpoint through the host's HTTP proxy under the plugin's ``http_hosts`` (the
same policy the host's later refreshes go through). Only the host ever holds
the tokens: plugins name the credential and the proxy attaches it.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import typer

from ..errors import InvalidInput, PermissionDenied, Timeout
from .common import Settings, err_console, handled, out_console

if TYPE_CHECKING:  # the host, its vault and models load only when the command runs
    from ..credentials import OAuth2Token
    from ..host import Host

__all__ = ["Consent", "app", "consent"]

GOOGLE_AUTH_URL = "https://accounts.google.com/o/oauth2/v2/auth"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
GMAIL_READONLY = "https://www.googleapis.com/auth/gmail.readonly"

app = typer.Typer(help="Authorise plugins with online accounts (OAuth 2.0).", no_args_is_help=True)


@dataclass(frozen=True)
class Consent:
    """One authorisation to run: whose credential, which client, which endpoints."""

    plugin: str
    name: str
    client_id: str
    client_secret: str | None = None
    scope: str = GMAIL_READONLY
    auth_url: str = GOOGLE_AUTH_URL
    token_url: str = GOOGLE_TOKEN_URL
    timeout_s: float = 300.0


def pkce_pair() -> tuple[str, str]:
    """A code verifier (43 URL-safe characters) and its S256 challenge."""
    verifier = secrets.token_urlsafe(32)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _Listener:
    """Answers the one redirect to ``http://127.0.0.1:<port>/`` and keeps its query."""

    def __init__(self, state: str) -> None:
        self.got: dict[str, str] | None = None
        self._done = threading.Event()
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                ours = query.get("state") == state and ("code" in query or "error" in query)
                page = b"Spacedrive is authorised. You can close this window."
                if not ours:  # a stray request (favicon, a scanner): not the redirect
                    page = b"Not the authorisation redirect."
                elif "error" in query:
                    page = b"Authorisation was not granted. You can close this window."
                self.send_response(200 if ours else 400)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
                if ours:
                    listener.got = query
                    listener._done.set()

            def log_message(self, *args: Any) -> None:
                return

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.redirect_uri = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def wait(self, timeout_s: float) -> dict[str, str]:
        try:
            if not self._done.wait(timeout_s) or self.got is None:
                raise Timeout(f"no authorisation came back within {timeout_s:.0f} s")
            return self.got
        finally:
            self.server.shutdown()
            self.server.server_close()


def consent(
    host: Host, request: Consent, open_url: Callable[[str], object], say: Callable[[str], None]
) -> OAuth2Token:
    """Runs the consent flow and stores the token as ``request.name`` of ``request.plugin``."""
    from ..manifest import load_manifest

    hosts = load_manifest(host.data_dir.plugins / request.plugin).permissions.http_hosts
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    listener = _Listener(state)
    query = {
        "client_id": request.client_id,
        "redirect_uri": listener.redirect_uri,
        "response_type": "code",
        "scope": request.scope,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": state,
        "access_type": "offline",  # a refresh token, so the host can renew access
        "prompt": "consent",
    }
    url = f"{request.auth_url}?{urlencode(query)}"
    say(f"Open this page to authorise {request.plugin!r} (it opens in your browser if it can):\n{url}")
    open_url(url)
    got = listener.wait(request.timeout_s)
    if "error" in got:
        raise PermissionDenied(f"authorisation refused: {got['error'][:100]}")
    form = {
        "grant_type": "authorization_code",
        "code": got["code"],
        "redirect_uri": listener.redirect_uri,
        "client_id": request.client_id,
        "code_verifier": verifier,
    }
    if request.client_secret:
        form["client_secret"] = request.client_secret
    resp = host.http.request(
        "POST",
        request.token_url,
        [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
        urlencode(form).encode(),
        allowed_hosts=hosts,
    )
    from ..credentials import OAuth2Token
    from ..credentials.vault import token_answer

    blank = OAuth2Token(
        access_token="",
        token_url=request.token_url,
        client_id=request.client_id,
        client_secret=request.client_secret,
        scope=request.scope,
    )
    token = token_answer(resp.status, resp.body, blank)
    if not token.refresh_token:
        err_console.print("warning: no refresh token was granted; access ends when this token expires")
    from ..credentials import Credential

    host.vault.store(request.plugin, Credential(request.name, "oauth2", None, token))
    return token


@app.command()
def gmail(
    ctx: typer.Context,
    client_id: Annotated[str, typer.Option(help="The OAuth client id (type: Desktop app).")],
    client_secret: Annotated[
        str | None, typer.Option(help="The client's secret (Google issues one to desktop clients).")
    ] = None,
    plugin: Annotated[str, typer.Option(help="Whose credential: an installed plugin's id.")] = "finance",
    name: Annotated[str, typer.Option(help="The credential's name in the plugin's namespace.")] = "gmail",
    browser: Annotated[bool, typer.Option(help="Open the consent page in a browser.")] = True,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the consent.")] = 300.0,
    auth_url: Annotated[str, typer.Option(help="Authorisation endpoint.")] = GOOGLE_AUTH_URL,
    token_url: Annotated[
        str, typer.Option(help="Token endpoint (must be in the plugin's http_hosts).")
    ] = GOOGLE_TOKEN_URL,
) -> None:
    """Authorise a plugin to read Gmail (scope gmail.readonly) and store the tokens."""
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    request = Consent(plugin, name, client_id, client_secret, GMAIL_READONLY, auth_url, token_url, timeout)
    opener: Callable[[str], object] = webbrowser.open if browser else (lambda url: None)
    from ..host import Host

    with handled(), Host(settings.data_dir) as host:
        if not client_id.strip():
            raise InvalidInput("--client-id is empty")
        token = consent(host, request, opener, lambda text: err_console.print(text, soft_wrap=True))
    expires = f"expires in {token.expires_at - time.time():.0f} s" if token.expires_at else "no expiry"
    out_console.print(f"stored credential {name!r} for plugin {plugin!r} ({expires}, scope {token.scope})")
