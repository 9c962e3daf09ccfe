"""``credentials.*``: a plugin's secrets and OAuth2 tokens, encrypted at rest;
the host refreshes expired OAuth2 tokens itself."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import ConfigDict, Field

from ..credentials import Credential, OAuth2Token
from ..errors import ErrorCode
from ..wire.registry import Context, Model, Registry
from ._namespace import owner

__all__ = ["register"]

NAME = r"^[a-z0-9][a-z0-9_.-]{0,63}$"


class OAuth2Input(Model):
    model_config = ConfigDict(extra="forbid")
    access_token: str
    token_url: str = Field(description="Where the host refreshes the token (must be in `http_hosts`).")
    client_id: str
    refresh_token: str | None = None
    client_secret: str | None = None
    expires_at: float | None = Field(None, description="Unix seconds.")
    scope: str | None = None


class StoreCredential(Model):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=NAME)
    secret: str | None = Field(None, description="A plain secret (API key ...); or give `oauth2`.")
    oauth2: OAuth2Input | None = None
    plugin: str | None = Field(None, description="Whose credential (trusted callers only).")


class CredentialRef(Model):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=NAME)
    plugin: str | None = Field(None, description="Whose credential (trusted callers only).")


class CredentialQuery(Model):
    model_config = ConfigDict(extra="forbid")
    plugin: str | None = Field(None, description="Whose credentials (trusted callers only).")


class CredentialInfo(Model):
    name: str
    kind: str = Field(description="`secret` or `oauth2`.")
    updated_ns: int


class CredentialValue(CredentialInfo):
    secret: str | None = None
    access_token: str | None = Field(
        None, description="For `oauth2`: valid now (refreshed if it was expiring)."
    )
    expires_at: float | None = None
    scope: str | None = None


class CredentialList(Model):
    credentials: list[CredentialInfo]


class Removed(Model):
    deleted: bool


def _hosts(ctx: Context, url: str) -> tuple[str, ...]:
    """Hosts a refresh may reach: the plugin's grants, or (trusted callers) the endpoint's own."""
    if ctx.caller.manifest is not None:
        return ctx.caller.manifest.permissions.http_hosts
    return (urlsplit(url).hostname or "",)


def register(registry: Registry) -> None:
    @registry.action("credentials.store")
    def store(ctx: Context, inp: StoreCredential) -> CredentialInfo:
        """Stores (or replaces) a credential in the caller's namespace, encrypted."""
        token = OAuth2Token(**inp.oauth2.model_dump()) if inp.oauth2 else None
        kind = "oauth2" if token else "secret"
        cred = ctx.services.vault.store(
            owner(ctx, inp.plugin, "credentials"), Credential(inp.name, kind, inp.secret, token)
        )
        return CredentialInfo(name=cred.name, kind=cred.kind, updated_ns=cred.updated_ns)

    @registry.query("credentials.get", errors=(ErrorCode.NOT_FOUND, ErrorCode.UNAVAILABLE))
    def get(ctx: Context, inp: CredentialRef) -> CredentialValue:
        """A credential of the caller's; an OAuth2 access token is refreshed first if it is expiring.

        The refresh token and client secret never leave the host."""
        who = owner(ctx, inp.plugin, "credentials")
        cred = ctx.services.vault.get(who, inp.name, hosts_for=lambda url: _hosts(ctx, url))
        token = cred.oauth2
        return CredentialValue(
            name=cred.name,
            kind=cred.kind,
            updated_ns=cred.updated_ns,
            secret=cred.secret,
            access_token=token.access_token if token else None,
            expires_at=token.expires_at if token else None,
            scope=token.scope if token else None,
        )

    @registry.query("credentials.list")
    def list_credentials(ctx: Context, inp: CredentialQuery) -> CredentialList:
        """The names and kinds of the caller's credentials (no secrets)."""
        rows = ctx.services.vault.names(owner(ctx, inp.plugin, "credentials"))
        return CredentialList(credentials=[CredentialInfo(name=n, kind=k, updated_ns=u) for n, k, u in rows])

    @registry.action("credentials.delete")
    def delete(ctx: Context, inp: CredentialRef) -> Removed:
        """Deletes one of the caller's credentials; `deleted` says whether it existed."""
        return Removed(deleted=ctx.services.vault.delete(owner(ctx, inp.plugin, "credentials"), inp.name))
