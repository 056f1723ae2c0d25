"""The site build cache: what a build made, by the content hash of everything it was made from.

A build stores what is costly to make again (a page's rendered Markdown and
the facts the plugin gathers from it, a page's finished HTML, the Korean
analyzer's readings, a language's search index, the link check's findings)
under a key: the hash of every input it depends on, the versions of bitext,
MkDocs, Material and static-i18n and the plugin options included (``salt``).
A later build with the same inputs finds it; an edit changes the key, so
nothing is ever invalidated by hand and a stale entry is simply never asked
for again.

Entries live in memory (a ``mkdocs serve`` process keeps the last build's)
and, unless the cache is off, in a folder (``.cache/bitext`` under the
project, git-ignored, safe to save and restore between CI runs).  Each entry
file carries a checksum of its payload; values are JSON, never pickles, so a
damaged or foreign entry can only be a miss: it is reported once, removed,
and the build makes the value again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

FOLDER = Path(".cache") / "bitext"
FORMAT = "bitext-build-cache 1"
# Every entry is stored as it was given, after a CRC-32 of it: zlib, even at level 1, and a blake2b
# checksum were ~1.5 s CPU of a cold corpus build (its 349 MB of pages' HTML, 44 MB of pages' Markdown
# as JSON, 28 MB of Korean readings), with both cores busy to the end.  The folder is then a little
# larger than the site it holds.  A CRC-32 finds a damaged entry as surely, at twice blake2b's speed.
_MAGIC = b"BTR2"
_CHECKSUM = 4
_DIGEST = 16  # bytes of a key
_UMASK = os.umask(0o022)
os.umask(_UMASK)

JSON = Any


def digest(*parts: str | bytes) -> str:
    """One hex key for ``parts`` (strings or bytes, order significant)."""
    h = hashlib.blake2b(digest_size=_DIGEST)
    for part in parts:
        raw = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(raw).to_bytes(8, "little"))
        h.update(raw)
    return h.hexdigest()


def package_digest(folder: Path, leave_out: tuple[str, ...] = ()) -> str:
    """The content of a package's files (code and assets): a new version of it is another cache."""
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.relative_to(folder).parts[0] not in leave_out
    )
    return digest(*(part for p in files for part in (str(p.relative_to(folder)), p.read_bytes())))


class BuildCache:
    """Values by kind and key, in memory and (``folder`` not None) on disk."""

    def __init__(self, folder: Path | None, salt: str, log: logging.Logger | logging.LoggerAdapter):
        self.folder = folder
        self.salt = salt
        self.log = log
        self.memory: dict[tuple[str, str], JSON] = {}
        self.used: set[tuple[str, str]] = set()
        self.hits = self.misses = 0
        self._damaged = False
        # mkdocs serve: writes wait here until the browsers have reloaded (``defer``, ``flush``).
        self.pending: dict[tuple[str, str], bytes] | None = None
        if folder is not None:
            self._open(folder)

    def defer(self) -> None:
        """Keep what is stored in memory until ``flush``: a serve rebuild does not wait for the disk."""
        if self.pending is None:
            self.pending = {}

    def flush(self, stop: Callable[[], bool] = lambda: False) -> None:
        """Write what ``defer`` kept, until ``stop`` says a newer build wants the process (the rest waits)."""
        while self.pending and not stop():
            # One step each (pages rendered on a browser's request may store while this runs).
            slot, raw = self.pending.popitem()
            self._store(*slot, raw)

    def key(self, *parts: str | bytes) -> str:
        return digest(self.salt, *parts)

    # -- values (JSON) ------------------------------------------------------------------------------

    def get(self, kind: str, key: str, *, keep: bool = True) -> JSON | None:
        """The value stored under ``key`` or None; ``keep`` holds it in memory for the next build."""
        slot = (kind, key)
        if slot in self.memory:
            self.used.add(slot)
            self.hits += 1
            return self.memory[slot]
        raw = self._read(kind, key)
        if raw is None:
            self.misses += 1
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            self._report(self._path(kind, key), "not JSON")
            self.misses += 1
            return None
        self.hits += 1
        if keep:
            self.memory[slot] = value
            self.used.add(slot)
        return value

    def put(self, kind: str, key: str, value: JSON, *, keep: bool = True) -> None:
        if keep:
            self.memory[(kind, key)] = value
            self.used.add((kind, key))
        self._write(kind, key, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def put_json(self, kind: str, key: str, text: str) -> None:
        """A value already written as JSON (by whoever made it), on disk only: ``get`` reads it as any other."""
        self._write(kind, key, text.encode("utf-8"))

    # -- large outputs (bytes, on disk only) -------------------------------------------------------

    def get_bytes(self, kind: str, key: str) -> bytes | None:
        raw = self._read(kind, key)
        if raw is None:
            self.misses += 1
        else:
            self.hits += 1
        return raw

    def put_bytes(self, kind: str, key: str, data: bytes) -> None:
        self._write(kind, key, data)

    def sweep(self) -> None:
        """End of a build: what it did not use leaves memory (a long ``serve`` session does not grow)."""
        self.memory = {slot: value for slot, value in self.memory.items() if slot in self.used}
        self.used = set()
        self.hits = self.misses = 0
        self._damaged = False

    # -- the folder ---------------------------------------------------------------------------------

    def _open(self, folder: Path) -> None:
        marker = folder / "FORMAT"
        try:
            found = marker.read_text(encoding="utf-8").strip() if marker.exists() else None
        except (OSError, UnicodeDecodeError):
            found = "unreadable"
        if found is not None and found != FORMAT:
            self.log.warning(f"build cache {folder}: not a cache this bitext wrote ({found[:40]!r}); ignored")
            self.folder = None
            return
        if found is None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                # The conventions of cache folders: git and backup tools leave it out.
                (folder / ".gitignore").write_text("*\n", encoding="utf-8")
                (folder / "CACHEDIR.TAG").write_text(
                    "Signature: 8a477f597d28d172789f06886806bc55\n# bitext build cache\n", encoding="utf-8"
                )
                marker.write_text(FORMAT + "\n", encoding="utf-8")
            except OSError as exc:
                self.log.warning(f"build cache {folder}: cannot be written ({exc}); building without it")
                self.folder = None

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / key[:2] / key

    def _read(self, kind: str, key: str) -> bytes | None:
        if self.folder is None:
            return None
        kept = self.pending.get((kind, key)) if self.pending else None
        if kept is not None:
            return kept
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._report(path, str(exc))
            return None
        body = data[len(_MAGIC) + _CHECKSUM :]
        if data[: len(_MAGIC)] != _MAGIC or data[len(_MAGIC) : len(_MAGIC) + _CHECKSUM] != _checksum(body):
            self._report(path, "damaged (checksum)")
            return None
        return body

    def _write(self, kind: str, key: str, raw: bytes) -> None:
        if self.folder is None:
            return
        if self.pending is not None:
            self.pending[(kind, key)] = raw
            return
        self._store(kind, key, raw)

    def _store(self, kind: str, key: str, body: bytes) -> None:
        if self.folder is None:
            return
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + _checksum(body))
                fh.write(body)
            os.chmod(tmp, 0o666 & ~_UMASK)  # as any new file (mkstemp makes it private)
            os.replace(tmp, path)
        except OSError as exc:
            self.log.warning(f"build cache: cannot write {path} ({exc}); building without the cache")
            self.folder = None

    def _report(self, path: Path, problem: str) -> None:
        if not self._damaged:
            self.log.warning(f"build cache: {path} is {problem}; ignored, the value is made again")
            self._damaged = True
        path.unlink(missing_ok=True)


def _checksum(body: bytes) -> bytes:
    return zlib.crc32(body).to_bytes(_CHECKSUM, "little")
