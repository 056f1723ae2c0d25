"""The skeleton: where each segment of a segment file sits in the English article.

The English article under ``docs/en`` is the skeleton; it is never copied.
Each trans-unit records the line and column of its source, and the segment
file records a fingerprint of the English text those positions refer to.
When the fingerprint matches, positions are exact (byte-exact export); when
the writer has edited the article since the last ``bitext update``, segments
are found again by their source text, nearest to their old line, and the
layout is marked stale so callers can say "run bitext update".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from bitext.core import frontmatter
from bitext.core.files import LineIndex
from bitext.core.model import Segment, SegmentFile


def fingerprint(english: str) -> str:
    return hashlib.sha1(english.encode("utf-8")).hexdigest()


@dataclass
class Placement:
    segment: Segment
    start: int
    end: int


@dataclass
class Layout:
    """An English article with the body segments of one segment file placed in it."""

    english: str
    front_matter: frontmatter.FrontMatter | None
    placements: list[Placement]
    unplaced: list[Segment] = field(default_factory=list)
    stale: bool = False
    _lines: LineIndex | None = None

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.english)
        return self._lines


def locate(english: str, segment_file: SegmentFile) -> Layout:
    fm = frontmatter.split(english)
    body = [s for s in segment_file.segments if not s.is_front_matter]
    layout = Layout(english, fm, [])
    if segment_file.skeleton_hash == fingerprint(english):
        placements = _exact(layout, body)
        if placements is not None:
            layout.placements = placements
            return layout
    layout.stale = True
    _search(layout, body, fm.end if fm else 0)
    return layout


def _exact(layout: Layout, body: list[Segment]) -> list[Placement] | None:
    out = []
    last = 0
    for seg in body:
        start = layout.lines.offset(seg.line, seg.column)
        if start is None or start < last or not layout.english.startswith(seg.source, start):
            return None
        last = start + len(seg.source)
        out.append(Placement(seg, start, last))
    return out


def _search(layout: Layout, body: list[Segment], cursor: int) -> None:
    """Find each source again after an edit: in order, nearest to its old place."""
    text = layout.english
    for seg in sorted(body, key=lambda s: (s.line, s.column)):
        if not seg.source:
            layout.unplaced.append(seg)  # an empty source has no text to find
            continue
        hint = layout.lines.offset(seg.line, seg.column)
        if hint is not None and hint >= cursor and text.startswith(seg.source, hint):
            pos = hint
        else:
            pos = _nearest(text, seg.source, cursor, layout.lines, seg.line, seg.column)
        if pos == -1:
            layout.unplaced.append(seg)
            continue
        layout.placements.append(Placement(seg, pos, pos + len(seg.source)))
        cursor = pos + len(seg.source)


# A column that still matches is strong evidence (lines inserted above do not
# move it); it outweighs a few lines of distance.
_COLUMN_WEIGHT = 5


def _nearest(text: str, needle: str, cursor: int, lines: LineIndex, line: int, column: int) -> int:
    best = -1
    best_score = None
    pos = text.find(needle, cursor)
    while pos != -1:
        at_line, at_column = lines.position(pos)
        distance = abs(at_line - line)
        if best_score is not None and distance - _COLUMN_WEIGHT > best_score and at_line > line:
            break  # every later occurrence is further away still
        score = distance + (0 if at_column == column else _COLUMN_WEIGHT)
        if best_score is None or score < best_score:
            best, best_score = pos, score
        pos = text.find(needle, pos + 1)
    return best
