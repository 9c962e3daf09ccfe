"""Credentials: secrets and OAuth2 tokens, per plugin, encrypted at rest."""

from .vault import Credential, OAuth2Token, Vault

__all__ = ["Credential", "OAuth2Token", "Vault"]
