"""A plugin's credentials, encrypted at rest with AES-256-GCM.

The key is 32 random bytes in ``<data>/vault.key``, created with mode 0600.
Each record is encrypted with a fresh nonce and the (plugin, name) pair as
associated data, so a ciphertext moved to another plugin's row, or another
name, fails to decrypt instead of leaking. OAuth2 credentials are refreshed by
the host at their token endpoint when they are (about to be) expired; the
endpoint must pass the plugin's network policy like any other request.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .. import fs
from ..errors import InvalidInput, NotFound, PluginError, Unavailable
from ..net.proxy import HttpProxy
from ..store_db import damaged, open_db

__all__ = ["Credential", "OAuth2Token", "Vault", "token_answer"]

_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
_PLUGIN = re.compile(r"[a-z][a-z0-9_-]{0,63}")  # the manifest's `id`


def _plugin(plugin_id: str) -> str:
    """Checked here, whoever the caller: a trusted surface names the plugin itself."""
    if not isinstance(plugin_id, str) or not _PLUGIN.fullmatch(plugin_id):
        raise InvalidInput(f"plugin id {str(plugin_id)[:80]!r} is not valid (expected {_PLUGIN.pattern})")
    return plugin_id


#: Refresh a token this many seconds before it expires.
REFRESH_MARGIN_S = 60


@dataclass(frozen=True)
class OAuth2Token:
    access_token: str
    token_url: str
    client_id: str
    refresh_token: str | None = None
    client_secret: str | None = None
    expires_at: float | None = None  # Unix seconds
    scope: str | None = None


@dataclass(frozen=True)
class Credential:
    name: str
    kind: str  # "secret" | "oauth2"
    secret: str | None = None
    oauth2: OAuth2Token | None = None
    updated_ns: int = 0


WHAT = "the credential vault"
KEY_FILE = "vault.key"
MIGRATIONS = (
    "CREATE TABLE IF NOT EXISTS credentials (plugin_id TEXT NOT NULL, name TEXT NOT NULL, "
    "kind TEXT NOT NULL, nonce BLOB NOT NULL, sealed BLOB NOT NULL, updated_ns INTEGER NOT NULL, "
    "PRIMARY KEY (plugin_id, name));",
)


def _load_key(data_dir: Path) -> bytes:
    """The vault key, created on first use; anything but a 32-byte regular file is `DamagedStore`."""
    path = data_dir / KEY_FILE
    try:
        key = fs.read_file(data_dir, KEY_FILE, max_bytes=64)
    except NotFound:
        return _create_key(data_dir)
    except PluginError as exc:
        raise damaged(path, "the vault key", exc.message) from None
    if len(key) != 32:
        raise damaged(path, "the vault key", f"it holds {len(key)} bytes, not a 32-byte key")
    return key


def _create_key(data_dir: Path) -> bytes:
    """Writes a new key aside, then publishes it with link(2): concurrent first starts
    agree on one key and no reader ever sees a half-written file."""
    key = secrets.token_bytes(32)
    tmp = data_dir / f".{KEY_FILE}.{secrets.token_hex(8)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, data_dir / KEY_FILE)
        except FileExistsError:  # another process published first: use that one
            return _load_key(data_dir)
        return key
    finally:
        tmp.unlink(missing_ok=True)


class _Refreshed(BaseModel):
    """What a token endpoint must answer (RFC 6749 section 5.1), checked before anything is stored."""

    model_config = ConfigDict(extra="ignore", strict=True)
    access_token: str = Field(min_length=1, max_length=16384)
    refresh_token: str | None = Field(None, min_length=1, max_length=16384)
    # Some providers send the number as a string ("3600"): accepted when it is all digits.
    expires_in: int | None = Field(None, ge=0, le=10 * 365 * 86400)
    scope: str | None = Field(None, max_length=4096)

    @field_validator("expires_in", mode="before")
    @classmethod
    def _digits(cls, value: object) -> object:
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 12:
            return int(value)
        if isinstance(value, bool):
            raise ValueError("expires_in is a number of seconds, not a boolean")
        return value


def token_answer(status: int, body: bytes, token: OAuth2Token) -> OAuth2Token:
    """``token`` updated from a token endpoint's answer (RFC 6749 section 5.1), checked
    first; a refusal is `Unavailable` naming the endpoint's ``error`` (``invalid_grant``:
    the grant was revoked or has expired)."""
    if status != 200:
        try:
            error = str(json.loads(body).get("error", ""))[:100]
        except (ValueError, AttributeError):
            error = ""
        raise Unavailable(f"token endpoint answered {status}" + (f" ({error})" if error else ""))
    try:
        data = _Refreshed.model_validate_json(body)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(body)'}: {e['msg']}" for e in exc.errors())
        raise Unavailable(f"the token endpoint's answer is not valid, nothing stored: {problems}") from None
    return OAuth2Token(
        access_token=data.access_token,
        token_url=token.token_url,
        client_id=token.client_id,
        refresh_token=data.refresh_token or token.refresh_token,
        client_secret=token.client_secret,
        expires_at=time.time() + data.expires_in if data.expires_in is not None else None,
        scope=data.scope if data.scope is not None else token.scope,
    )


class Vault:
    """Encrypted credentials of every plugin of one data directory. Thread-safe."""

    def __init__(self, data_dir: Path, http: HttpProxy, *, check: bool | None = None) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self._aead = AESGCM(_load_key(data_dir))
        self.path = data_dir / "vault.db"
        self._db = open_db(self.path, WHAT, MIGRATIONS, check=check)
        self._lock = threading.RLock()
        # Refreshes go through the proxy: same allow-list, address checks and pinning.
        self._http = http

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def damaged_rows(self) -> list[tuple[str, str, str]]:
        """Every (plugin, name) whose record does not decrypt or decode, with why."""
        with self._lock:
            keys = self._db.execute("SELECT plugin_id, name FROM credentials").fetchall()
        bad = []
        for plugin_id, name in keys:
            try:
                self._open(str(plugin_id), str(name))
            except PluginError as exc:
                bad.append((str(plugin_id), str(name), exc.message))
        return bad

    @staticmethod
    def _aad(plugin_id: str, name: str) -> bytes:
        return f"{plugin_id}\0{name}".encode()

    def store(self, plugin_id: str, cred: Credential) -> Credential:
        _plugin(plugin_id)
        if not _NAME.fullmatch(cred.name):
            raise InvalidInput(f"credential name {cred.name!r} is not valid (expected {_NAME.pattern})")
        if (cred.kind == "secret") != (cred.secret is not None) or (cred.kind == "oauth2") != (
            cred.oauth2 is not None
        ):
            raise InvalidInput("a credential is either a `secret` or an `oauth2` token, matching its kind")
        body = json.dumps({"secret": cred.secret, "oauth2": asdict(cred.oauth2) if cred.oauth2 else None})
        nonce = secrets.token_bytes(12)
        sealed = self._aead.encrypt(nonce, body.encode(), self._aad(plugin_id, cred.name))
        stored = Credential(cred.name, cred.kind, cred.secret, cred.oauth2, time.time_ns())
        with self._lock:
            self._db.execute(
                "INSERT INTO credentials VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (plugin_id, name) DO UPDATE SET "
                "kind = excluded.kind, nonce = excluded.nonce, sealed = excluded.sealed, "
                "updated_ns = excluded.updated_ns",
                (plugin_id, cred.name, cred.kind, nonce, sealed, stored.updated_ns),
            )
        return stored

    def _open(self, plugin_id: str, name: str) -> Credential:
        _plugin(plugin_id)
        with self._lock:
            row = self._db.execute(
                "SELECT kind, nonce, sealed, updated_ns FROM credentials WHERE plugin_id = ? AND name = ?",
                (plugin_id, name),
            ).fetchone()
        if row is None:
            raise NotFound(f"no credential {name!r}")
        kind, nonce, sealed, updated_ns = row
        try:
            plain = self._aead.decrypt(bytes(nonce), bytes(sealed), self._aad(plugin_id, name))
        except (InvalidTag, ValueError, TypeError):
            raise damaged(
                self.path,
                WHAT,
                f"credential {name!r} does not decrypt (tampered, or another key); store it again",
            ) from None
        try:
            body: dict[str, Any] = json.loads(plain)
            token = OAuth2Token(**body["oauth2"]) if body["oauth2"] else None
            secret = body["secret"]
            if kind not in ("secret", "oauth2") or not (secret is None or isinstance(secret, str)):
                raise ValueError(f"kind {kind!r}")
        except (ValueError, TypeError, KeyError) as exc:
            raise damaged(
                self.path, WHAT, f"credential {name!r} does not decode ({exc}); store it again"
            ) from None
        return Credential(name, str(kind), secret, token, int(updated_ns))

    def get(
        self, plugin_id: str, name: str, *, hosts_for: Callable[[str], tuple[str, ...]] = lambda url: ()
    ) -> Credential:
        """The credential; an OAuth2 token near expiry is refreshed (and stored) first,
        at its token endpoint if ``hosts_for(token_url)`` allows that host."""
        cred = self._open(plugin_id, name)
        token = cred.oauth2
        if token is None or token.expires_at is None or token.expires_at - REFRESH_MARGIN_S > time.time():
            return cred
        fresh = self._refresh(token, hosts_for(token.token_url))
        return self.store(plugin_id, Credential(name, "oauth2", None, fresh))

    def _refresh(self, token: OAuth2Token, http_hosts: tuple[str, ...]) -> OAuth2Token:
        if not token.refresh_token:
            raise Unavailable("the access token expired and there is no refresh token")
        form = {
            "grant_type": "refresh_token",
            "refresh_token": token.refresh_token,
            "client_id": token.client_id,
        }
        if token.client_secret:
            form["client_secret"] = token.client_secret
        resp = self._http.request(
            "POST",
            token.token_url,
            [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            urlencode(form).encode(),
            allowed_hosts=http_hosts,
        )
        return token_answer(resp.status, resp.body, token)

    def names(self, plugin_id: str) -> list[tuple[str, str, int]]:
        _plugin(plugin_id)
        with self._lock:
            rows = self._db.execute(
                "SELECT name, kind, updated_ns FROM credentials WHERE plugin_id = ? ORDER BY name",
                (plugin_id,),
            ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def delete(self, plugin_id: str, name: str) -> bool:
        _plugin(plugin_id)
        with self._lock:
            return bool(
                self._db.execute(
                    "DELETE FROM credentials WHERE plugin_id = ? AND name = ?", (plugin_id, name)
                ).rowcount
            )
