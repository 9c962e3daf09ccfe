"""Where a host keeps its state: installed plugins and the compile cache."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not `typing`'s; and `pathlib` only when a path is made (see `root_path`)
if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["ENV_VAR", "DataDir", "default_data_dir", "default_model_cache", "root_path"]

#: Overrides the default location (the CLI's ``--data-dir`` wins over both).
ENV_VAR = "SPACEDRIVE_DATA_DIR"


def default_data_dir() -> Path:
    """``$SPACEDRIVE_DATA_DIR``, else the platform's user data folder.

    On Linux that is ``~/.local/share/spacedrive``.
    """
    env = os.environ.get(ENV_VAR)
    if env:
        from pathlib import Path

        return Path(env).expanduser()
    from platformdirs import user_data_path  # here: a CLI call through the daemon may not need it

    return user_data_path("spacedrive", appauthor=False)


def default_model_cache() -> Path:
    """Where AI models are unpacked and trained: the user's cache folder, shared by data dirs.

    On Linux that is ``~/.cache/spacedrive/models``."""
    from platformdirs import user_cache_path

    return user_cache_path("spacedrive", appauthor=False) / "models"


def root_path(root: str | None) -> str:
    """``DataDir(root).root`` as a string, made with `os.path` when ``root`` or the
    environment names it: a CLI call through the daemon is a socket round trip, and
    `pathlib` (with `urllib.parse`, `ipaddress`) costs a good part of that."""
    if root is not None:
        return os.path.realpath(os.path.expanduser(root or "."))  # as Path("") is "."
    env = os.environ.get(ENV_VAR)
    if env:
        return os.path.realpath(os.path.expanduser(env))
    return str(DataDir().root)


class DataDir:
    """The layout of a data directory, created on first use."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or default_data_dir()).expanduser().resolve()

    @property
    def plugins(self) -> Path:
        return self.root / "plugins"

    @property
    def module_cache(self) -> Path:
        return self.root / "cache" / "modules"

    def create(self) -> DataDir:
        for folder in (self.plugins, self.module_cache):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # a file where a folder should be, no permission ...
                from .errors import DamagedStore  # here: `root_path` is on the CLI's fast path

                raise DamagedStore(
                    f"{folder} cannot be used as a folder of the data directory: {exc.strerror}; "
                    "move what is there aside (or pick another --data-dir)"
                ) from None
        return self
