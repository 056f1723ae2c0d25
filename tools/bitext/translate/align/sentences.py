"""Both sides of an alignment as blocks of sentences, with the Markdown structure they sit in.

The English side is the units of a segment file, placed in the article; the
translation side is cut by ``segment.split_translation``.  Both get their
blocks from ``segment.runs`` (paragraphs, headings, table cells, HTML text),
and each block a *kind* read from the line it starts on: heading level,
table column, list item, block quote or alert, admonition, plain paragraph.
Blocks of different kinds never align; that is what keeps a block present on
one side only from shifting everything after it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from bitext.core import markup, segment
from bitext.core.files import LineIndex
from bitext.core.model import Segment
from bitext.translate.align.anchors import Features, features


@dataclass
class Piece:
    """One sentence (English unit or translated sentence) and where it is."""

    text: str
    start: int
    end: int
    line: int
    features: Features
    unit: Segment | None = None
    bare: bool = False  # no letter, only numbers: nothing a translator wrote


@dataclass
class Block:
    kind: str
    pieces: list[Piece] = field(default_factory=list)
    features: Features | None = None
    # Anchors of what stands around the block: a table cell's whole row (its code, numbers, names).
    context: Counter = field(default_factory=Counter)
    first_line: int = 0  # a block without pieces (a code block): the line it starts on
    row: bool = False  # a cell of a paragraph of pipe-table rows (``_Blocks.piped``)

    @property
    def line(self) -> int:
        return self.pieces[0].line if self.pieces else self.first_line

    @property
    def bare(self) -> bool:
        return all(p.bare for p in self.pieces)


_QUOTE = re.compile(r"[ \t]*>[ \t]?")
_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]")
_LIST = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_ADMONITION = re.compile(r"[ \t]*(?:!!!|\?\?\?\+?|===\+?)[ \t]")


def kind(text: str, start: int, line_start: int) -> str:
    """What kind of block starts at ``start``: ``h2``, ``cell3``, ``li``, ``q>p``, ``p`` ..."""
    prefix = text[line_start:start]
    quotes = ""
    while True:
        m = _QUOTE.match(prefix)
        if not m:
            break
        quotes += ">"
        prefix = prefix[m.end() :]
    line_end = text.find("\n", start)
    line = prefix + text[start : len(text) if line_end == -1 else line_end]
    if m := _HEADING.match(prefix):
        base = f"h{len(m.group(1))}"
    elif _ADMONITION.match(prefix):
        base = "title"
    elif ("|" in line and _pipes(prefix)) or line.lstrip().startswith("|"):
        base = f"cell{_pipes(prefix) - line.lstrip().startswith('|')}"
    elif _LIST.match(prefix):
        base = "li"
    elif prefix.strip().startswith("<") or prefix.strip().endswith(">"):
        base = "html"
    elif prefix.startswith("    ") and not quotes:
        base = "nested"
    else:
        base = "p"
    return f"{quotes}{base}" if quotes else base


def _pipes(prefix: str) -> int:
    if "|" not in prefix:
        return 0
    code = markup.code_spans(prefix)
    return sum(
        1
        for i, c in enumerate(prefix)
        if c == "|" and not markup.escaped(prefix, i) and not any(a < i < b for a, b in code)
    )


def widen(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole link or image whose text is exactly ``text[start:end]`` (outermost first), or the span itself.

    A sentence that is only a link or an image is cut as its text; its
    anchor (the target) and a unit that holds the whole link need the rest.
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    if text.find("](", line_start, line_end) == -1:
        return start, end  # no link on the line (``markup.links`` finds none), and no copy of a long line
    window = text[line_start:line_end]
    a, b = start - line_start, end - line_start
    widened = True
    while widened:
        widened = False
        for link in _links(window):
            inner = window[link.text_start : link.text_end]
            around = inner[: max(a - link.text_start, 0)] + inner[max(b - link.text_start, 0) :]
            if link.text_start <= a and b <= link.text_end and (a, b) != (link.start, link.end) and not around.strip():
                a, b, widened = link.start, link.end, True
                break
    return a + line_start, b + line_start


# The sentences of a line are widened one after the other: find its links once.
@lru_cache(maxsize=64)
def _links(line: str) -> list[markup.Link]:
    return markup.links(line)


class _Blocks:
    def __init__(self, text: str):
        self.text = text
        self.lines = LineIndex(text)
        self.runs = segment.runs(text)
        self.starts = [r.start for r in self.runs]
        self.rows: dict[int, Counter] = {}  # a table row's anchors, by line

    def run_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def kind(self, k: int) -> str:
        start = self.runs[k].start
        return kind(self.text, start, self.lines.starts[self.lines.line_of(start) - 1])

    def block(self, k: int) -> Block:
        block = Block(self.kind(k))
        if block.kind.lstrip(">").startswith("cell"):
            block.context = self._row(self.lines.line_of(self.runs[k].start))
        return block

    def piped(self, k: int) -> bool:
        """True when run ``k`` is a paragraph of pipe-table rows: a table the Markdown does not read as one
        (its delimiter row has more columns than its header, a row lost its first pipe), whose cells are
        blocks of their column's kind as a table's are (``cell``) on both sides."""
        run = self.runs[k]
        return (
            len(run.pieces) > 1
            and self.kind(k).lstrip(">").startswith("cell")
            and all(_pipes(self.text[a:b]) for a, b in run.pieces)
        )

    def cell(self, start: int) -> Block:
        """The block of the cell of a piped paragraph (``piped``) holding ``start``."""
        line = self.lines.line_of(start)
        return Block(kind(self.text, start, self.lines.starts[line - 1]), context=self._row(line))

    def _row(self, line: int) -> Counter:
        if line not in self.rows:
            end = self.lines.starts[line] - 1 if line < len(self.lines.starts) else len(self.text)
            self.rows[line] = features(self.text[self.lines.starts[line - 1] : end]).anchors
        return self.rows[line]


CODE = "code"


def code_blocks(text: str) -> list[Block]:
    """The fenced and indented code blocks of a text: blocks of kind ``code`` with no sentence.

    Code is never translated, so the same code block on both sides is the
    strongest anchor there is; its content (whitespace aside) is its anchor.
    """
    return [
        Block(CODE, features=Features(Counter({"```" + " ".join(content.split()): 1})), first_line=line)
        for line, content in segment.code_blocks(text)
        if content.strip()
    ]


def english_code(english: str) -> set[str]:
    """The contents of an article's code blocks, whitespace aside: what a translation keeps as it is."""
    return {" ".join(content.split()) for _, content in segment.code_blocks(english)}


def _finish(blocks: list[Block], text: str, prose: set[int] | None = None) -> list[Block]:
    """``blocks`` with their features, and the code blocks (those of ``prose``, first lines, were read as text)."""
    for b in blocks:
        b.features = Features.join([p.features for p in b.pieces])
    code = [b for b in code_blocks(text) if not prose or b.first_line not in prose]
    return sorted([*blocks, *code], key=lambda b: b.line)


def english_blocks(english: str, units: list[Segment]) -> list[Block]:
    """The body units of a segment file (placed by their line and column) grouped by block."""
    index = _Blocks(english)
    blocks: list[Block] = []
    last: tuple[int | str, ...] | None = None
    outside: set[int] = set()  # lines of units outside every run
    starts = [(u, index.lines.offset(u.line, u.column) or 0) for u in units if u.source.strip()]
    placed = [(u, start, index.run_of(start)) for u, start in starts]
    # The units of a paragraph of pipe-table rows are its cells when none crosses a pipe (a segmenter that read
    # the rows as a table's, an sxs file's); sentences of the paragraph otherwise.
    crossing = {k for u, _, k in placed if "\n" in u.source or _pipes(u.source)}
    piped = {k for k in {k for _, _, k in placed} - crossing if k >= 0 and index.piped(k)}
    for unit, start, k in placed:
        if k >= 0 and start >= index.runs[k].end:
            # A unit past the end of the run before it: text the Markdown reads as code (an indented paragraph
            # after a list), which the translation's blocks read as its own paragraph (``_paragraphs``).
            first = _paragraph_start(english, start)
            outside.add(unit.line)
            where = (k, first)
            if where != last or not blocks:
                blocks.append(Block(kind(english, first, english.rfind("\n", 0, first) + 1)))
                last = where
        elif k in piped:
            cell = index.cell(start)
            if (k, unit.line, cell.kind) != last:
                cell.row = True
                blocks.append(cell)
                last = (k, unit.line, cell.kind)
        elif (k, -1) != last or not blocks:
            blocks.append(index.block(k) if k >= 0 else Block("p"))
            last = (k, -1)
        a, b = widen(english, start, start + len(unit.source))
        blocks[-1].pieces.append(
            Piece(unit.source, start, start + len(unit.source), unit.line, features(english[a:b]), unit)
        )
    prose = {
        line
        for line, content in segment.code_blocks(english)
        if any(line <= n < line + content.count("\n") + 1 for n in outside)
    }
    return _finish(blocks, english, prose)


def without_kept(english: str, english_side: list[Block], text: str, translation: list[Block]) -> list[Block]:
    """``translation`` without the sentences that are a whole image or link the English has as it is, outside
    every unit.

    An image whose text the source already holds in the translation's
    language (or a link nobody translated) is no translation of a unit: a
    unit with no counterpart must not take it, and it is no translated text
    to keep either, the English has it.  A sentence equal to a unit stays.
    """
    units = sorted((p.start, p.end) for b in english_side for p in b.pieces)
    sources = {p.text.strip() for b in english_side for p in b.pieces}
    starts = [a for a, _ in units]

    def kept(piece: Piece) -> bool:
        a, b = widen(text, piece.start, piece.end)
        if (a, b) == (piece.start, piece.end) or piece.text.strip() in sources:
            return False
        whole = text[a:b]
        at = english.find(whole)
        while at != -1:
            k = bisect_right(starts, at) - 1
            if not (k >= 0 and units[k][1] > at) and not (k + 1 < len(units) and units[k + 1][0] < at + len(whole)):
                return True
            at = english.find(whole, at + 1)
        return False

    out = []
    for block in translation:
        pieces = [p for p in block.pieces if not kept(p)] if block.pieces else block.pieces
        if pieces is block.pieces or len(pieces) == len(block.pieces):
            out.append(block)
        elif pieces:
            out.append(Block(block.kind, pieces, Features.join([p.features for p in pieces]), block.context))
    return out


def _paragraph_start(text: str, offset: int) -> int:
    """Where the paragraph holding ``offset`` starts: after the last blank line before it, indentation skipped."""
    at = offset
    while at > 0:
        line_start = text.rfind("\n", 0, at - 1) + 1
        if not text[line_start : at - 1].strip():
            break
        at = line_start
    line_end = text.find("\n", at)
    line = text[at : len(text) if line_end == -1 else line_end]
    return at + len(line) - len(line.lstrip())


def labelled(english_side: list[Block]) -> bool:
    """True when a unit of the English is a list label alone with more of its block after it (``b.`` before
    the sentence of a lettered sub-item): the translation's labels are then sentences of their own too."""
    return any(segment.lone_label(p.text) for b in english_side for p in b.pieces[:-1])


# A line whose text opens with a dash Markdown reads as no list marker, and a bullet list item's marker.
_DASH_TEXT = re.compile(r"^[ \t>]*[\u2013\u2014][ \t]", re.M)
_BULLET = re.compile(r"^[ \t>]*[-*+][ \t]", re.M)
_HYPHEN_ITEM = re.compile(r"^([ \t>]*)-(?=[ \t]+\S)", re.M)


def dashed(english: str) -> bool:
    """True when the English writes its bullets as text: lines open with an en or em dash, and no line opens
    as a bullet list item does (code and front matter too: when in doubt, lists are lists).  A translation
    that made the dashes hyphens ("- ") made list items of them; they are the English's paragraphs, marker
    and all."""
    return _DASH_TEXT.search(english) is not None and _BULLET.search(english) is None


def translation_blocks(
    text: str,
    english_code: set[str] | None = None,
    rows: bool = False,
    labels: bool = False,
    dashes: bool = False,
) -> list[Block]:
    """The sentences of a translated article's body, grouped by block.

    A run's last sentence keeps the punctuation that follows it on its line
    (``_stray_tail``), its first one the stops before it (``_stray_head``),
    any other the stops between it and the next (``_stray_stops``).

    ``english_code``: the contents of the English code blocks (whitespace
    aside).  Code is never translated, so an indented code block of the
    translation that is none of them is prose the translation's indentation
    made code (a list item whose first line lost its text leaves its
    indented paragraphs as code): its paragraphs are read as text.

    ``rows``: the English read a paragraph of pipe-table rows as its cells
    (``Block.row``); the translation's such paragraphs are read so too.

    ``labels``: the English has list labels as units (``labelled``); a label
    opening a chunk or a line of the translation is a sentence
    (``segment.split_translation``).

    ``dashes``: the English writes bullets as text (``dashed``); a hyphen
    item of the translation is read as text, its hyphen the sentence's start.
    """
    # The Markdown structure is read with the hyphens as dashes (no offset moves), the sentences from ``text``.
    index = _Blocks(_HYPHEN_ITEM.sub("\\1\u2013", text) if dashes else text)
    runs = [found for k in range(len(index.runs)) for found in _rows(index, k, rows)]
    prose: set[int] = set()
    if english_code is not None:
        for line, content in segment.code_blocks(text):
            if " ".join(content.split()) not in english_code and _indented(index, line):
                prose.add(line)
                runs.extend(_paragraphs(index, line, content))
        runs.sort(key=lambda found: found[1].start)
    blocks: list[Block] = []
    for block, run in runs:
        found = segment.split_translation(text, run, labels=labels)
        if not found:
            continue
        for k, s in enumerate(found):
            a, b = widen(text, s.start, s.end)
            start, end, said = s.start, s.end, s.text
            if k == len(found) - 1:
                rest = _stray_tail(text, s.end, run.pieces[-1][1])
            else:
                rest = _stray_stops(text, s.end, found[k + 1].start)
            if rest:
                end, said = end + len(rest), said + rest
            if k == 0 and (lead := _stray_head(text, run.start, s.start)):
                start, said = start - len(lead), lead + said
            block.pieces.append(
                Piece(
                    said,
                    start,
                    end,
                    index.lines.line_of(start),
                    features(text[a:b]),
                    bare=not segment.has_letters(s.text),
                )
            )
        blocks.append(block)
    return _finish(blocks, text, prose)


def _rows(index: _Blocks, k: int, rows: bool) -> list[tuple[Block, segment.Run]]:
    """Run ``k`` as a block, or (``rows``) the cells of a paragraph of pipe-table rows (``_Blocks.piped``) as
    blocks."""
    run = index.runs[k]
    if not (rows and index.piped(k)):
        return [(index.block(k), run)]
    return [(index.cell(s), segment.Run(((s, e),))) for a, b in run.pieces for _, (s, e) in _cells(index.text[a:b], a)]


def _stray_tail(text: str, end: int, run_end: int) -> str:
    """What follows a run's last sentence on its line when it is only punctuation (" .", " >", ' "'): the
    splitter leaves it out of every sentence, and it is the end of that one (a stop or a quote the
    translation put apart, the end of markup it broke)."""
    rest = text[end:run_end].rstrip()
    if not rest.strip() or "\n" in rest or any(c.isalnum() or c == "|" for c in rest):
        return ""
    return rest


def _stray_stops(text: str, end: int, next_start: int) -> str:
    """Stops between a sentence and the next one of its run (" ." in "… 됩니다. . 모든 …"): the splitter leaves
    them out of both, and a stop closes the sentence before it."""
    rest = text[end:next_start].rstrip()
    return rest if _only_stops(rest) else ""


def _only_stops(text: str) -> bool:
    """True when ``text`` holds a sentence stop and nothing but stops, spaces and tabs."""
    return bool(text.strip()) and all(c in ".!?\u3002\uff01\uff1f \t" for c in text)


def _stray_head(text: str, run_start: int, start: int) -> str:
    """The stops that open a run before its first sentence (". xhtml", "... 등이 있습니다"): the splitter
    leaves them out of every sentence, and they are the start of that one."""
    lead = text[run_start:start]
    if not _only_stops(lead):
        return ""
    return text[run_start + len(lead) - len(lead.lstrip()) : start]


def _indented(index: _Blocks, line: int) -> bool:
    """True when the code block starting at ``line`` is indented, not fenced (a fence says it is code)."""
    start = index.lines.starts[line - 1]
    end = index.text.find("\n", start)
    first = index.text[start : len(index.text) if end == -1 else end]
    return not first.lstrip().startswith(("```", "~~~"))


_MARKER = re.compile(rf"{_LIST.pattern}|{_HEADING.pattern}")
_QUOTES = re.compile(r"(?:[ \t]*>[ \t]?)+")
# A DocFX alert's marker (``> [!NOTE]``), which the English runs leave out.
_ALERT = re.compile(r"\[![A-Za-z]+\b[^\]\n]*\]")


def _paragraphs(index: _Blocks, line: int, content: str) -> list[tuple[Block, segment.Run]]:
    """The paragraphs of an indented code block as text runs (one piece per line), each its own block.

    Their Markdown is read as the English's is: a line with a list item's or
    heading's marker starts a block, the marker and block-quote markers give
    the block its kind, not its text, and an alert's marker line
    (``> [!NOTE]``) is no text.

    When the line before ends with a pipe, the block is a table row the
    translation broke (a newline after its first pipe indents the rest): the
    cells of its lines with pipes are blocks of their column's kind, as the
    English row's are.
    """
    out: list[tuple[Block, segment.Run]] = []
    broken_row = line > 1 and index.text[index.lines.starts[line - 2] : index.lines.starts[line - 1]].rstrip().endswith(
        "|"
    )
    pieces: list[tuple[int, int]] = []
    last = min(line + len(content.rstrip("\n").split("\n")), len(index.lines.starts) + 1)
    for n in range(line, last + 1):  # one line more: the last paragraph ends there
        start = index.lines.starts[n - 1] if n < last else len(index.text)
        end = index.text.find("\n", start)
        raw = index.text[start : len(index.text) if end == -1 else end] if n < last else ""
        cells = _cells(raw, start) if broken_row else []
        if cells:
            row = features(raw).anchors
            rows = [(Block(f"cell{k}", context=row), segment.Run((cell,))) for k, cell in cells]
            raw = ""
        else:
            rows = []
        # Block-quote markers, on every line of a quote: the block's kind says them.
        skip = quoted.end() if (quoted := _QUOTES.match(raw)) else len(raw) - len(raw.lstrip())
        if quoted and _ALERT.fullmatch(raw[skip:].strip()):
            continue  # an alert's marker line (``> [!NOTE]``): what follows is its text
        marker = _MARKER.match(raw, skip)
        if pieces and (marker or not raw[skip:].strip()):
            out.append(_paragraph(index.text, pieces))  # a marker starts a list item or heading of its own
            pieces = []
        if raw[skip:].strip():
            begin = start + skip
            if marker:
                begin = start + marker.end()  # a list item's or heading's marker: it gives the block its kind
            pieces.append((begin, start + len(raw.rstrip())))
        out.extend(rows)
    return out


def _paragraph(text: str, pieces: list[tuple[int, int]]) -> tuple[Block, segment.Run]:
    """A paragraph's lines as a run, in a block of the kind its first line gives."""
    first = pieces[0][0]
    return Block(kind(text, first, text.rfind("\n", 0, first) + 1)), segment.Run(tuple(pieces))


def _cells(line: str, offset: int) -> list[tuple[int, tuple[int, int]]]:
    """The non-empty cells of a table row with their column (``offset``: where ``line`` starts).

    No cells when the line has no pipe outside code.
    """
    found = segment.table_cells(line)
    if found == [(0, len(line))]:
        return []  # no pipe: the whole line is one "cell"
    cells = []
    for k, (a, b) in enumerate(found):
        cell = line[a:b]
        if cell.strip():
            cells.append((k, (offset + a + len(cell) - len(cell.lstrip()), offset + a + len(cell.rstrip()))))
    return cells
