"""`Services`: what an operation handler may use, and nothing else (not the
`Host`). The wire hands it to every handler as ``ctx.services``; the host
builds it once from its parts."""

from __future__ import annotations

from dataclasses import dataclass

from .ai import Classifier, OcrEngine
from .credentials import Vault
from .data_dir import DataDir
from .jobs import JobRunner
from .library import Grants, LibraryStore
from .net import HttpProxy
from .runtime.limits import HostLimits
from .runtime.manager import PluginManager
from .storage import PluginStorage

__all__ = ["Services"]


@dataclass(frozen=True)
class Services:
    """The host's services, as operations see them."""

    #: Libraries, their entries and sidecars (SQLite).
    library: LibraryStore
    #: The operator's library grants to plugins (`"libraries": ["granted"]`).
    grants: Grants
    #: Encrypted credentials, with OAuth2 refresh.
    vault: Vault
    #: Each plugin's own key-value store (`storage.*`).
    storage: PluginStorage
    #: The SSRF-safe outbound HTTP proxy.
    http: HttpProxy
    #: Running, pausing and resuming jobs (its `store` holds their records).
    jobs: JobRunner
    #: Loaded plugins: list, inspect, call.
    plugins: PluginManager
    #: Host-wide limits (payload size, logs).
    limits: HostLimits
    #: The data directory (`root`, `plugins`, `module_cache`); a place for caches.
    data_dir: DataDir
    #: OCR of images and PDFs (tesseract, pdfium), cached by content.
    ocr: OcrEngine
    #: Text classification: built-in label sets and zero-shot labels.
    classifier: Classifier
