"""Per-plugin namespaces (sidecars, credentials): whose data a request acts on."""

from __future__ import annotations

from ..errors import PermissionDenied
from ..wire.registry import Context


def owner(ctx: Context, requested: str | None, what: str) -> str:
    """A plugin only ever acts in its own namespace; a trusted caller names one."""
    own = ctx.caller.plugin_id
    if own is not None:
        if requested not in (None, own):
            raise PermissionDenied(f"plugin {own!r} cannot use the {what} of {requested!r}")
        return own
    if requested is None:
        raise PermissionDenied(f"say whose {what}: `plugin` is required for trusted callers")
    return requested
