"""Dev mode: reload a plugin when its build output changes (``serve --watch DIR``).

DIR is a plugin directory or a folder of them (``build/plugins``). A change is
applied through the swap-on-success reload: a build that fails to load or
initialise is logged and the old version keeps serving.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from ..errors import PluginError
from ..manifest import MANIFEST_FILE, load_manifest
from ..runtime.manager import PluginManager

__all__ = ["Watcher", "plugin_dirs"]

log = logging.getLogger("spacedrive.daemon")


def plugin_dirs(root: Path) -> list[Path]:
    """``root`` itself if it is a plugin directory, else the plugin directories in it."""
    if (root / MANIFEST_FILE).is_file():
        return [root]
    return sorted(p for p in root.iterdir() if (p / MANIFEST_FILE).is_file()) if root.is_dir() else []


def _owning_dir(changed: Path, roots: list[Path]) -> Path | None:
    for d in [changed, *changed.parents]:
        if (d / MANIFEST_FILE).is_file():
            return d
        if d in roots:
            return None
    return None


class Watcher:
    def __init__(self, plugins: PluginManager, roots: list[Path]) -> None:
        self._plugins = plugins
        self._roots = [r.resolve() for r in roots]
        self._stop = threading.Event()
        self._watching = threading.Event()
        self._thread = threading.Thread(target=self._run, name="spacedrive-watch", daemon=True)

    def start(self) -> None:
        for root in self._roots:
            for d in plugin_dirs(root):
                self.apply(d)
        self._thread.start()
        # Changes from here on are seen: the first (empty) yield comes once the watch is set up.
        if not self._watching.wait(timeout=30):
            log.warning("watch: the file watcher has not started after 30 s")

    def apply(self, directory: Path) -> None:
        """Loads the plugin in ``directory``, or reloads it if its id is loaded already."""
        try:
            pid = load_manifest(directory).id
            if pid in {p.id for p in self._plugins.list() if p.status == "ready"}:
                info = self._plugins.reload(pid, directory)
                log.info(
                    "watch: reloaded %s %s from %s",
                    pid,
                    info.manifest.version if info.manifest else "",
                    directory,
                )
            else:
                self._plugins.load(directory)
                log.info("watch: loaded %s from %s", pid, directory)
        except PluginError as exc:
            log.warning("watch: %s not (re)loaded, the running version stays: %s", directory, exc)

    def _run(self) -> None:
        from watchfiles import watch  # the daemon extra; only dev mode needs it

        for changes in watch(
            *self._roots,
            stop_event=self._stop,
            raise_interrupt=False,
            rust_timeout=200,
            yield_on_timeout=True,
        ):
            self._watching.set()
            dirs = {d for _, path in changes if (d := _owning_dir(Path(path), self._roots)) is not None}
            for d in sorted(dirs):
                self.apply(d)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
