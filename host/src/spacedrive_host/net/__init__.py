"""Outbound network policy: which URLs the host will contact for a plugin."""

from .policy import NetPolicy, check_url

__all__ = ["NetPolicy", "check_url"]
