"""How ``mkdocs serve`` notices a save: the operating system's file events instead of polling.

MkDocs 1.6 watches with watchdog's ``PollingObserver``: every half second it
looks at every file of the watched folders, so a save waits a quarter of a
second on average (half at worst) before the rebuild starts, and on a docset
of a thousand files the looking itself costs CPU the rebuilds want.  The
native observer (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on
Windows) is told of a save when it happens (``SAVES``: not of the reads a
build makes).  ``native`` moves the server's
watched paths to it through the server's own ``watch``/``unwatch`` (each path
keeps MkDocs' handler); where the native observer cannot start (no inotify
watches left, a file system without events) the polling observer stays.

MkDocs has no option for the observer, so this reaches into the server's
``observer`` and its count of watched paths.
"""

from __future__ import annotations

import logging

from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

log = logging.getLogger("mkdocs.plugins.bitext")
NATIVE = "mkdocs serve: saves are noticed by the system's file events"
# What a save makes.  The native observers also tell of files opened and read, which every build
# does and MkDocs' handler takes for a change (a build would start the next, endlessly).
SAVES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileClosedEvent,
]


class _Saves(Observer):  # type: ignore[misc,valid-type]  # a platform's class, chosen at import
    """The native observer, telling MkDocs' handlers of saves only."""

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
        return super().schedule(
            event_handler, path, recursive=recursive, event_filter=event_filter or SAVES, follow_symlink=follow_symlink
        )


def native(server: LiveReloadServer) -> bool:
    """Watch ``server``'s paths with the native observer; False (polling kept) when it cannot be used."""
    paths = dict(server._watched_paths)
    if not paths:
        return False
    # A trial first: the native observer raises only when it starts (no inotify watches left, say).
    trial = _Saves()
    try:
        for path in paths:
            trial.schedule(FileSystemEventHandler(), path, recursive=True)
        trial.start()
    except OSError as error:
        trial.stop()
        log.info(f"mkdocs serve polls for changes: the system's file events are not available ({error})")
        return False
    trial.stop()
    trial.join()
    for path, count in paths.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = _Saves()  # MkDocs types it as the polling one
    for path, count in paths.items():
        for _ in range(count):
            server.watch(path)
    log.info(NATIVE)
    return True
