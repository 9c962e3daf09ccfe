"""``http.*``: the HTTP proxy as an operation (plugins also reach it as ``spacedrive_http``)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from ..errors import ErrorCode, InvalidInput
from ..net.policy import url_host
from ..wire.registry import Context, Model, Registry, Reply

__all__ = ["register"]


class HttpRequest(Model):
    model_config = ConfigDict(extra="forbid")
    method: str = Field("GET", description="GET, HEAD, POST, PUT, PATCH or DELETE.")
    url: str = Field(description="An https URL on a host the manifest's `http_hosts` lists.")
    headers: dict[str, str] = Field(default_factory=dict)
    credential: str | None = Field(
        None, description="Name of one of the caller's OAuth2 credentials to send as `Authorization: Bearer`."
    )


class HttpResponse(Model):
    status: int
    headers: list[list[str]] = Field(description="`[name, value]` pairs, hop-by-hop headers removed.")
    url: str = Field(description="The URL that answered, after redirects.")


def register(registry: Registry) -> None:
    @registry.action(
        "http.request",
        takes_tail=True,
        errors=(ErrorCode.LIMIT_EXCEEDED, ErrorCode.TIMEOUT, ErrorCode.UNAVAILABLE, ErrorCode.NOT_FOUND),
    )
    def request(ctx: Context, inp: HttpRequest) -> Reply[HttpResponse]:
        """An HTTP request through the host's proxy (request body in the tail, response body in the tail)."""
        manifest = ctx.caller.manifest
        hosts = manifest.permissions.http_hosts if manifest else (url_host(inp.url),)
        authorization = None
        if inp.credential is not None:
            if manifest is None:
                raise InvalidInput("`credential` names a plugin's credential: only plugins may use it")
            hosts_for = lambda url: manifest.permissions.http_hosts  # noqa: E731
            token = ctx.services.vault.get(manifest.id, inp.credential, hosts_for=hosts_for).oauth2
            if token is None:
                raise InvalidInput(f"credential {inp.credential!r} is not an OAuth2 token")
            authorization = f"Bearer {token.access_token}"
        resp = ctx.services.http.request(
            inp.method,
            inp.url,
            inp.headers.items(),
            ctx.tail,
            allowed_hosts=hosts,
            authorization=authorization,
        )
        return Reply(
            HttpResponse(status=resp.status, headers=[[k, v] for k, v in resp.headers], url=resp.url),
            resp.body,
        )
