"""Reading input text strictly and writing output files safely.

Every write goes through ``atomic_write``: a temporary file beside the target
and a rename (a reader never sees half a file), the file's mode kept (a new
file gets the umask's mode, as any editor would create it), the target
checked to lie inside the folder the command may write (``inside``), and,
when the caller read the file first, a check that nobody saved it since
(``Snapshot``): a changed file is never overwritten.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from bitext.core.errors import BitextError
from bitext.core.model import Finding

BOM = b"\xef\xbb\xbf"


def decode_utf8(data: bytes, path: str) -> str:
    """``data`` as UTF-8 text, or a BitextError naming the line of the first invalid byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BitextError.at(
            path, line, f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", "encoding"
        ) from None


def decode_strict(data: bytes, path: str, *, bom: bool = False) -> str:
    """UTF-8 text without CR line ends, or a BitextError naming the line.

    A byte order mark is refused unless ``bom`` (then it is dropped from the
    text; ``has_bom`` tells the caller to write it back).  English Markdown
    allows one because MkDocs reads its pages as ``utf-8-sig`` and Windows
    editors save it; files bitext generates never carry one.
    """
    if data.startswith(BOM):
        if not bom:
            raise BitextError.at(path, 1, "file starts with a UTF-8 byte order mark (BOM); save it without one", "bom")
        data = data[len(BOM) :]
    text = decode_utf8(data, path)
    cr = text.find("\r")
    if cr != -1:
        line = text.count("\n", 0, cr) + 1
        what = "CRLF line ending" if text.startswith("\r\n", cr) else "carriage return"
        raise BitextError.at(path, line, f"{what}; bitext files use LF line endings", "line-ending")
    return text


def has_bom(path: Path) -> bool:
    """Whether the file at ``path`` starts with a UTF-8 byte order mark (False when it does not exist)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(BOM)) == BOM
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False


def read_text(path: Path, display: str | None = None, *, bom: bool = False) -> str:
    return decode_strict(path.read_bytes(), display or str(path), bom=bom)


@dataclass(frozen=True)
class Snapshot:
    """What a file held when a command read it: its content's digest, or None when it did not exist."""

    digest: bytes | None

    @classmethod
    def of(cls, data: bytes | None) -> Snapshot:
        """The snapshot of bytes just read (None: the file was absent)."""
        return cls(None if data is None else hashlib.sha256(data).digest())

    @classmethod
    def take(cls, path: Path) -> Snapshot:
        """The snapshot of what ``path`` holds now."""
        try:
            return cls.of(path.read_bytes())
        except (FileNotFoundError, NotADirectoryError):
            return cls(None)


ABSENT = Snapshot(None)


class ChangedOnDisk(BitextError):
    """The file was saved by someone else since the command read it; it was left as it is."""

    def __init__(self, path: str):
        super().__init__(
            Finding(
                path,
                1,
                "changed on disk while bitext was working (saved by an editor or another command?); "
                "left as it is, run the command again",
                code="changed-on-disk",
            )
        )


class OutsideRoot(BitextError):
    """A path (built from input) that would lead out of the folder a command writes to."""

    def __init__(self, path: Path, root: Path):
        super().__init__(Finding(str(path), 1, f"refused: {path} leads outside {root}", code="outside-project"))


def inside(root: Path, path: Path) -> Path:
    """``path`` resolved (symlinks followed, ``..`` removed), or OutsideRoot when that leaves ``root``.

    Both are taken as the caller gives them (a relative one from the current folder).
    """
    base = Path(root).resolve()
    target = Path(path).resolve()
    if target != base and base not in target.parents:
        raise OutsideRoot(Path(path), Path(root))
    return target


def _temporary(path: Path) -> tuple[int, Path]:
    """A new file beside ``path``, created with mode 0666 so the umask decides its mode (mkstemp's is 0600)."""
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666), tmp
        except FileExistsError:
            continue


def atomic_write(
    path: Path,
    data: str | bytes,
    *,
    root: Path | None = None,
    expect: Snapshot | None = None,
    display: str | None = None,
) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Returns False (and leaves the file untouched) when it already holds exactly
    these bytes, so unchanged outputs keep their timestamps.  ``root``: the
    folder the write must stay in (OutsideRoot otherwise, nothing written).
    ``expect``: what the file held when the caller read it; if it holds
    anything else now, ChangedOnDisk (naming ``display``) is raised and the
    file is kept.  An existing file keeps its permission bits.
    """
    if root is not None:
        inside(root, path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        current: bytes | None = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        current = None
    if current == raw:
        return False
    if expect is not None and Snapshot.of(current) != expect:
        raise ChangedOnDisk(display or str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    if root is not None:
        inside(root, path)  # mkdir followed no symlink out of the root either
    fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            with contextlib.suppress(FileNotFoundError):
                os.fchmod(fh.fileno(), stat.S_IMODE(os.stat(path).st_mode))
        # Checked again after the temporary file is written: a save lost between this check and the
        # rename would have to land within microseconds.
        if expect is not None and Snapshot.take(path) != expect:
            raise ChangedOnDisk(display or str(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return True


def line_of(text: str, needle: str) -> int:
    """The line where ``needle`` first occurs in ``text``; 1 when it does not occur (or is empty)."""
    pos = text.find(needle) if needle else -1
    return text.count("\n", 0, pos) + 1 if pos != -1 else 1


class LineIndex:
    """Converts between character offsets and 1-based (line, column) positions."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        pos = text.find("\n")
        while pos != -1:
            self.starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int | None:
        """The offset of (line, column), or None when it lies outside the text."""
        if not 1 <= line <= len(self.starts) or column < 1:
            return None
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        if start + column - 1 > end:
            return None
        return start + column - 1

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)
