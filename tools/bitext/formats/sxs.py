"""Microsoft's bilingual "side-by-side" (sxs) Markdown format.

Every sentence of a localized article is a pair::

    <span data-ttu-id="ID">TARGET</span><span class="sxs-lookup"><span data-stu-id="ID">SOURCE</span></span>

``parse`` splits such a file into the English article a writer keeps (each
pair replaced by its SOURCE, the localisation metadata taken out of the front
matter, the translated ``title``/``description`` replaced by their English where
the file reveals it) and a segment file; ``write`` puts them back together.
``parse`` proves the split lossless by writing the file back and comparing
bytes, so an import either keeps everything or fails with a reason.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bitext.core import frontmatter
from bitext.core.compile import Rendering, assemble
from bitext.core.errors import BitextError
from bitext.core.files import LineIndex, decode_strict
from bitext.core.model import Article, Finding, Note, Segment, SegmentFile
from bitext.core.skeleton import Placement, fingerprint, locate
from bitext.core.states import Qualifier, State

# Front-matter keys that describe the translation, not the article.
LOCALISATION_KEYS = frozenset(
    {
        "ms.openlocfilehash",
        "ms.sourcegitcommit",
        "ms.translationtype",
        "ms.contentlocale",
        "ms.lasthandoff",
        "ms.locfileid",
    }
)
# What a docfx redirect stub's front matter may hold besides localisation keys.
_REDIRECT_KEYS = frozenset({"redirect_url", "redirect_document_id"})

_OPEN = '<span data-ttu-id="'
_LOOKUP = '<span class="sxs-lookup"><span data-stu-id="'
_SPAN = re.compile(r"<span\b[^>]*>|</span>")
_MARKERS = re.compile(r"data-ttu-id|data-stu-id|sxs-lookup")
# Characters XML 1.0 cannot hold (C0 controls but tab and line feed; CR is refused on reading):
# a segment file could not store the sentence, so the file is refused where the character is.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def has_pairs(text: str) -> bool:
    return _OPEN in text


def language_of(text: str) -> str | None:
    """The ``ms.contentlocale`` a bilingual file declares, if any."""
    fm = frontmatter.split(text)
    block = fm.get("ms.contentlocale") if fm else None
    if block is None:
        return None
    value = block.text.split(":", 1)[1].strip().strip("'\"")
    return value or None


def redirect_stub(text: str) -> str | None:
    """The language-neutral English form of a docfx redirect stub, or None if ``text`` is not one.

    A stub's front matter holds only ``redirect_url`` (with its docfx flags)
    and localisation keys, and it has no body.
    """
    fm = frontmatter.split(text)
    if fm is None or text[fm.end :].strip():
        return None
    kept = [b for b in fm.blocks if b.key not in LOCALISATION_KEYS]
    if "redirect_url" not in {b.key for b in kept} or not {b.key for b in kept} <= _REDIRECT_KEYS:
        return None
    return "---\n" + "".join(b.text for b in kept) + fm.closing + text[fm.end :]


def pair(seg_id: str, target: str, source: str) -> str:
    return f'{_OPEN}{seg_id}">{target}</span>{_LOOKUP}{seg_id}">{source}</span></span>'


class Pair(NamedTuple):
    """One sentence pair of a bilingual file: where the whole pair stands, its id, translation and English."""

    start: int
    end: int
    id: str
    target: str
    source: str


class _Scanner:
    """Finds the sentence pairs of a bilingual file, collecting every defect."""

    def __init__(self, text: str, path: str):
        self.text = text
        self.path = path
        self.lines = LineIndex(text)
        self.findings: list[Finding] = []
        self.pairs: list[Pair] = []

    def error(self, offset: int, message: str, code: str) -> None:
        self.findings.append(Finding(self.path, self.lines.line_of(offset), message, code=code))

    def _content(self, start: int, opened_at: int, what: str) -> int | None:
        """Offset of the ``</span>`` closing content that begins at ``start``."""
        depth = 0
        for m in _SPAN.finditer(self.text, start):
            if m.group(0) == "</span>":
                if depth == 0:
                    marker = _MARKERS.search(self.text, start, m.start())
                    if marker:
                        self.error(
                            opened_at,
                            f"unclosed span: {what} runs into another pair (line {self.lines.line_of(marker.start())})",
                            "unclosed-span",
                        )
                        return None
                    return m.start()
                depth -= 1
            elif _MARKERS.search(m.group(0)):
                self.error(
                    opened_at,
                    f"unclosed span: {what} runs into another pair (line {self.lines.line_of(m.start())})",
                    "unclosed-span",
                )
                return None
            else:
                depth += 1
        self.error(opened_at, f"unclosed span: {what} has no closing </span>", "unclosed-span")
        return None

    def _controls(self) -> None:
        reported = set()
        for m in _CONTROL.finditer(self.text):
            line, column = self.lines.position(m.start())
            if line not in reported:
                reported.add(line)
                self.findings.append(
                    Finding(
                        self.path,
                        line,
                        f"control character U+{ord(m.group()):04X} (a segment file cannot store it); remove it",
                        code="control-char",
                        column=column,
                    )
                )

    def scan(self) -> None:
        self._controls()
        text = self.text
        seen: dict[str, int] = {}
        consumed: list[tuple[int, int]] = []
        pos = text.find(_OPEN)
        while pos != -1:
            id_end = text.find('">', pos + len(_OPEN))
            seg_id = text[pos + len(_OPEN) : id_end] if id_end != -1 else ""
            if id_end == -1 or not seg_id or any(c in seg_id for c in '<>"\n'):
                self.error(pos, "malformed data-ttu-id span", "malformed-span")
                pos = text.find(_OPEN, pos + 1)
                continue
            t_start = id_end + 2
            t_end = self._content(t_start, pos, f"data-ttu-id {seg_id!r}")
            if t_end is None:
                pos = text.find(_OPEN, t_start)
                continue
            after = t_end + len("</span>")
            if not text.startswith(_LOOKUP, after):
                self.error(
                    pos,
                    f"unpaired span: data-ttu-id {seg_id!r} is not followed by its English "
                    f'<span class="sxs-lookup"><span data-stu-id="{seg_id}">',
                    "unpaired-span",
                )
                consumed.append((pos, after))
                pos = text.find(_OPEN, after)
                continue
            sid_start = after + len(_LOOKUP)
            sid_end = text.find('">', sid_start)
            stu_id = text[sid_start:sid_end] if sid_end != -1 else ""
            if sid_end == -1 or "\n" in stu_id or "<" in stu_id:
                self.error(after, "malformed data-stu-id span", "malformed-span")
                pos = text.find(_OPEN, after)
                continue
            if stu_id != seg_id:
                self.error(
                    pos,
                    f"mismatched ids: data-ttu-id {seg_id!r} is paired with data-stu-id {stu_id!r}",
                    "mismatched-id",
                )
            s_start = sid_end + 2
            s_end = self._content(s_start, after, f"data-stu-id {stu_id!r}")
            if s_end is None:
                pos = text.find(_OPEN, s_start)
                continue
            end = s_end + len("</span>")
            if not text.startswith("</span>", end):
                self.error(after, f"unclosed span: the sxs-lookup span of {seg_id!r} is not closed", "unclosed-span")
                pos = text.find(_OPEN, end)
                continue
            end += len("</span>")
            if seg_id in seen:
                self.error(pos, f"duplicate id {seg_id!r} (first used on line {seen[seg_id]})", "duplicate-id")
            else:
                seen[seg_id] = self.lines.line_of(pos)
            self.pairs.append(Pair(pos, end, seg_id, text[t_start:t_end], text[s_start:s_end]))
            consumed.append((pos, end))
            pos = text.find(_OPEN, end)
        self._strays(consumed)

    def _strays(self, consumed: list[tuple[int, int]]) -> None:
        i = 0
        reported = set()
        for m in _MARKERS.finditer(self.text):
            while i < len(consumed) and consumed[i][1] <= m.start():
                i += 1
            if i < len(consumed) and consumed[i][0] <= m.start():
                continue
            line = self.lines.line_of(m.start())
            if m.group(0) == "data-ttu-id" or line in reported:
                continue  # reported above as malformed, or already on this line
            reported.add(line)
            self.error(m.start(), f"unpaired span: {m.group(0)} without a data-ttu-id span before it", "unpaired-span")


def parse(text: str, path: str, *, language: str | None = None) -> Article:
    """Split a bilingual file into its English article and its segment file."""
    found = pairs(text, path)
    fm = frontmatter.split(text)
    metadata = ""
    header = ""
    body_start = 0
    units: list[Segment] = []
    by_target: dict[str, tuple[str, str]] = {}
    for _, _, seg_id, target, source in found:
        by_target.setdefault(target, (seg_id, source))
    locale = language
    if fm is not None:
        blocks = list(fm.blocks)
        while blocks and blocks[-1].key in LOCALISATION_KEYS:
            metadata = blocks.pop().text + metadata
        locale = language_of(text) or language
        machine = any(b.key == "ms.translationtype" and b.text.split(":", 1)[1].strip() == "MT" for b in fm.blocks)
        kept = []
        line = 2
        for block in blocks:
            value = frontmatter.value(block, path) if block.key in frontmatter.TRANSLATABLE_KEYS else None
            if not isinstance(value, str) or block.key is None:
                kept.append(block.text)
                line += block.text.count("\n")
                continue
            seg = Segment(block.key, "", value, key=block.key, line=line, column=1)
            _set_state(seg, machine)
            known = by_target.get(value)
            if known is not None:
                seg.source = known[1]
                seg.notes.append(Note(f"English taken from unit {known[0]}, which has the same translation", "bitext"))
                rendered = frontmatter.render(block.key, known[1], frontmatter.quoting(block))
                kept.append(rendered)
                line += rendered.count("\n")
            else:
                seg.notes.append(
                    Note(
                        f"the imported file has no English {block.key}: add one to the English "
                        f"article and run `bitext update`",
                        "bitext",
                    )
                )
            units.append(seg)
        header = "---\n" + "".join(kept) + fm.closing
        body_start = fm.end
    else:
        machine = False

    pieces = [header]
    offsets = []
    length = len(header)
    last = body_start
    for start, end, _seg_id, _target, source in found:
        gap = text[last:start]
        pieces.append(gap)
        length += len(gap)
        offsets.append(length)
        pieces.append(source)
        length += len(source)
        last = end
    pieces.append(text[last:])
    english = "".join(pieces)
    lines = LineIndex(english)
    for offset, (_, _, seg_id, target, source) in zip(offsets, found, strict=False):
        line, column = lines.position(offset)
        seg = Segment(seg_id, source, target, line=line, column=column)
        _set_state(seg, machine)
        units.append(seg)

    segment_file = SegmentFile(
        original=path,
        target_language=locale or "",
        skeleton_hash=fingerprint(english),
        metadata=metadata,
        segments=units,
    )
    article = Article(path, english, segment_file)
    written = write(english, segment_file)
    if written != text:
        raise BitextError.at(
            path,
            _first_difference(written, text),
            "cannot import losslessly: writing the pairs back does not give this file",
            "not-lossless",
        )
    return article


def pairs(text: str, path: str) -> list[Pair]:
    """The sentence pairs of a bilingual file in order; a defective file raises every defect with its line."""
    scanner = _Scanner(text, path)
    scanner.scan()
    if scanner.findings:
        raise BitextError(sorted(scanner.findings, key=lambda f: f.line))
    return scanner.pairs


def translation(text: str, path: str) -> str:
    """The localized Markdown a bilingual file was published as: every pair replaced by its translation,
    the rest (front matter with its localisation keys included) as it is."""
    pieces, last = [], 0
    for start, end, _seg_id, target, _source in pairs(text, path):
        pieces.append(text[last:start])
        pieces.append(target)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _set_state(seg: Segment, machine: bool) -> None:
    if seg.target == "" and seg.source != "":
        seg.state = State.NEEDS_TRANSLATION
        return
    seg.state = State.TRANSLATED
    if machine:
        seg.state_qualifier = Qualifier.MT_SUGGESTION


def _first_difference(a: str, b: str) -> int:
    n = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return b.count("\n", 0, n) + 1


def write(english: str, segment_file: SegmentFile) -> str:
    """The bilingual file: the English article with every segment as a target/source pair.

    The segment file must have been synced with ``english`` (see ``bitext
    update``); otherwise the pairs cannot be put back where they were.
    """
    layout = locate(english, segment_file)
    if layout.stale:
        raise BitextError.at(
            segment_file.original,
            1,
            "the English article changed since its segment file was synced; run `bitext update`",
            "stale-segments",
        )
    return assemble(layout, segment_file, _SXS)


def _body(seg: Segment, placement: Placement) -> str:
    return pair(seg.id, seg.source if seg.target is None else seg.target, seg.source)


def _front(seg: Segment) -> str | None:
    return seg.target if seg.target is not None else (seg.source or None)


_SXS = Rendering(_body, _front)


def load(data: bytes, path: str, *, language: str | None = None) -> Article:
    return parse(decode_strict(data, path), path, language=language)
