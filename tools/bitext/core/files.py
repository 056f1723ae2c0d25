"""Reading input text strictly and writing output files atomically."""

from __future__ import annotations

import bisect
import contextlib
import os
import tempfile
from pathlib import Path

from bitext.core.errors import BitextError

BOM = b"\xef\xbb\xbf"


def decode_strict(data: bytes, path: str) -> str:
    """UTF-8 text without BOM or CR line ends, or a BitextError naming the line."""
    if data.startswith(BOM):
        raise BitextError.at(path, 1, "file starts with a UTF-8 byte order mark (BOM); save it without one", "bom")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BitextError.at(
            path, line, f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", "encoding"
        ) from None
    cr = text.find("\r")
    if cr != -1:
        line = text.count("\n", 0, cr) + 1
        what = "CRLF line ending" if text.startswith("\r\n", cr) else "carriage return"
        raise BitextError.at(path, line, f"{what}; bitext files use LF line endings", "line-ending")
    return text


def read_text(path: Path, display: str | None = None) -> str:
    return decode_strict(path.read_bytes(), display or str(path))


def atomic_write(path: Path, data: str | bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Returns False (and leaves the file untouched) when it already holds exactly
    these bytes, so unchanged outputs keep their timestamps.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
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
