"""Earlier versions of a project's files, from the project's own git repository.

``bitext align`` asks it which English a translation was made from.  Only
the repository whose top is the project root is read (git's search for one
stops there, and the environment's ``GIT_*`` settings are left out), through
``git`` with a timeout, from its object database: no path leads out of the
project.  No repository, no ``git``, an error or a timeout: no history,
never a failure.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT = 20.0  # seconds for one git command
_OBJECT = re.compile(r"[0-9a-f]{7,64}")


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_CEILING_DIRECTORIES"] = str(root.parent)
    env["GIT_TERMINAL_PROMPT"] = "0"
    try:
        done = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            env=env,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


@dataclass(frozen=True)
class Repository:
    """The git repository whose top is a project's root."""

    root: Path

    @classmethod
    def of(cls, root: Path) -> Repository | None:
        root = root.resolve()
        if not (root / ".git").exists():
            return None
        top = _git(root, "rev-parse", "--show-toplevel")
        if top is None or Path(os.fsdecode(top.strip())).resolve() != root:
            return None
        return cls(root)

    def _relative(self, path: Path) -> str | None:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None  # outside the project: not ours to read

    def versions(self, path: Path) -> list[bytes]:
        """Every version of ``path`` the history holds (on any branch), newest first, each once."""
        rel = self._relative(path)
        if rel is None:
            return []
        log = _git(
            self.root, "log", "--all", "--no-renames", "--format=", "--raw", "--no-abbrev", "--", f":(literal){rel}"
        )
        if log is None:
            return []
        blobs: dict[str, None] = {}  # in order, each once
        for line in log.decode("utf-8", "replace").splitlines():
            fields = line.split("\t", 1)[0].split()
            # ":mode mode old new status": the version after the commit; all zeros when it deleted the file.
            if line.startswith(":") and len(fields) >= 4 and _OBJECT.fullmatch(fields[3]) and fields[3].strip("0"):
                blobs[fields[3]] = None
        if not blobs:
            return []
        out = _git(self.root, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in blobs).encode())
        return _batch(out) if out is not None else []

    def at(self, commit: str, path: Path) -> bytes | None:
        """``path`` as commit ``commit`` had it (None: no such commit or file)."""
        rel = self._relative(path)
        if rel is None or not _OBJECT.fullmatch(commit):
            return None
        found = _batch(_git(self.root, "cat-file", "--batch", stdin=f"{commit}:{rel}\n".encode()) or b"")
        return found[0] if found else None


def _batch(out: bytes) -> list[bytes]:
    """The blobs of ``git cat-file --batch`` output (missing objects left out)."""
    blobs, pos = [], 0
    while pos < len(out):
        nl = out.index(b"\n", pos)
        header = out[pos:nl].split()
        pos = nl + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            blobs.append(out[pos : pos + size])
            pos += size + 1
        elif len(header) == 3:
            pos += int(header[2]) + 1  # not a blob (a tree, a commit): skipped
    return blobs
