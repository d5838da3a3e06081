"""What `sitegen serve` watches: site.yaml and the folders a build reads, and nothing else.

Watching the whole hub would also watch the output, the cache and a build's staging folder,
which come and go in thousands of files when someone runs `sitegen build` beside the server:
inotify would add and drop a watch for each folder (and watchdog warns "Callback with id ...
already exists" for each folder moved into place), all for changes no rebuild needs.
So the hub's top level is watched on its own, and each hub folder recursively once it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from ..config.siteyaml import CONFIG_FILE, HUB_FOLDERS

INPUTS = (CONFIG_FILE, *HUB_FOLDERS)


class HubWatcher(FileSystemEventHandler):
    """Calls `changed(path)` for every change to site.yaml or in a hub folder (never for the output,
    the cache or a build's staging folder, which site.yaml's checks keep out of the hub folders)."""

    def __init__(self, root: Path, changed: Callable[[Path], None]):
        self.root = root
        self.changed = changed
        self.observer: BaseObserver = Observer()
        self.observer.daemon = True
        self.folders: dict[str, ObservedWatch] = {}
        self.observer.schedule(self, str(root), recursive=False)
        for name in HUB_FOLDERS:
            self.follow(name)

    def start(self) -> None:
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()

    def follow(self, name: str) -> None:
        """Watch the hub folder `name` and everything in it, if it is there and not yet watched."""
        if name not in self.folders and (self.root / name).is_dir():
            self.folders[name] = self.observer.schedule(self, str(self.root / name), recursive=True)

    def forget(self, name: str) -> None:
        """The hub folder `name` was deleted or moved away: stop watching it (it may come back)."""
        watch = self.folders.pop(name, None)
        if watch is not None:
            self.observer.unschedule(watch)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for attr in ("src_path", "dest_path"):
            raw = getattr(event, attr, "")
            if not raw:
                continue
            path = Path(raw if isinstance(raw, str) else raw.decode())
            if path.parent == self.root and path.name in HUB_FOLDERS:  # a hub folder came or went
                gone = event.event_type == "deleted" or (event.event_type == "moved" and attr == "src_path")
                self.forget(path.name) if gone else self.follow(path.name)
            try:
                top = path.relative_to(self.root).parts[0]
            except (ValueError, IndexError):  # the hub itself
                continue
            if top in INPUTS:
                self.changed(path)
