"""Outbound network policy: which URLs the host will contact for a plugin."""

from .policy import NetPolicy, check_url
from .proxy import HttpProxy, ProxyResponse

__all__ = ["HttpProxy", "NetPolicy", "ProxyResponse", "check_url"]
