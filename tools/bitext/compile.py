"""Compiling an article: the English skeleton with every segment replaced.

One assembly routine serves three outputs: the localized Markdown readers get
(``compile_article``), the same with each segment wrapped for the bilingual
site (``wrap=``), and the bilingual sxs file (``sxs.write``).  The localized
front matter is the English one with the translated keys replaced (or
inserted where the English lacks them) and the localisation metadata appended.

Translated text is data: before a target reaches a page, markup that its
source does not have (tags, comments, images, script URLs) is turned into
literal text and reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from . import frontmatter, markup
from .model import Finding, Segment, SegmentFile
from .skeleton import Layout, Placement, locate


@dataclass
class Rendering:
    """How segments become text in one kind of output."""

    body: Callable[[Segment, Placement], str]
    front: Callable[[Segment], str | None]


@dataclass
class CompileReport:
    """What compiling one article noticed: stale positions, refused markup, fallbacks."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    translated: int = 0
    fallback: int = 0
    machine: int = 0


class _HtmlBlocks:
    """Line ranges of raw HTML blocks, parsed on first use.

    Only the rare segment whose markup must be neutralized needs to know
    whether it sits in Markdown (escape with a backslash) or in an HTML block
    (escape as an entity).
    """

    def __init__(self, layout: Layout):
        self.layout = layout
        self.ranges: list[list[int]] | None = None

    def contains(self, offset: int) -> bool:
        if self.ranges is None:
            md = MarkdownIt("commonmark").disable("inline")
            self.ranges = [t.map for t in md.parse(self.layout.english) if t.type == "html_block" and t.map]
        line = self.layout.lines.line_of(offset)
        return any(a < line <= b for a, b in self.ranges)


def assemble(layout: Layout, segment_file: SegmentFile, rendering: Rendering) -> str:
    pieces = []
    pos = 0
    fm = layout.front_matter
    fm_text = _front_matter(fm, segment_file, rendering)
    if fm is not None:
        pos = fm.end
    pieces.append(fm_text)
    text = layout.english
    for placement in layout.placements:
        pieces.append(text[pos:placement.start])
        pieces.append(rendering.body(placement.segment, placement))
        pos = placement.end
    pieces.append(text[pos:])
    return "".join(pieces)


def _front_matter(fm: frontmatter.FrontMatter | None, segment_file: SegmentFile, rendering: Rendering) -> str:
    units = [s for s in segment_file.segments if s.is_front_matter]
    if fm is None and not units and not segment_file.metadata:
        return ""
    # (line, text, key, inserted): keys the English lacks go before the English
    # key that now starts on their recorded line, after earlier insertions there.
    blocks = [(b.line, b.text, b.key, False) for b in fm.blocks] if fm else []
    closing = fm.closing if fm else "---\n"
    for seg in units:
        value = rendering.front(seg)
        index = next((i for i, b in enumerate(blocks) if b[2] == seg.key), None)
        if index is not None:
            if value is not None:
                blocks[index] = (blocks[index][0], frontmatter.render(seg.key, value), seg.key, False)
            continue
        if value is None:
            continue
        at = next((i for i, b in enumerate(blocks) if b[0] > seg.line or (b[0] == seg.line and not b[3])),
                  len(blocks))
        blocks.insert(at, (seg.line, frontmatter.render(seg.key, value), seg.key, True))
    meta = segment_file.metadata
    if closing == "---" and meta:
        closing = "---\n"
    if fm is None and not blocks and not meta:
        return ""
    return "---\n" + "".join(b[1] for b in blocks) + meta + closing


def compile_article(
    english: str,
    segment_file: SegmentFile | None,
    *,
    path: str = "",
    xliff_path: str = "",
    allow_review: bool = False,
    wrap: Callable[[Segment, str, bool], str] | None = None,
    report: CompileReport | None = None,
) -> str:
    """The localized Markdown of one article.

    Untranslated segments keep their English.  ``wrap(segment, text,
    is_translation)`` lets the site put each sentence in its own element.
    """
    if segment_file is None:
        return english
    report = report if report is not None else CompileReport(path)
    layout = locate(english, segment_file)
    if layout.stale:
        report.findings.append(Finding(
            xliff_path or path, 1,
            f"{path} changed since this segment file was last synced; "
            f"{len(layout.unplaced)} unit(s) not found in the English; run `bitext update`",
            severity="warning", code="stale-segments"))

    html_blocks = _HtmlBlocks(layout)

    def body(seg: Segment, placement: Placement) -> str:
        target = seg.usable_target(allow_review=allow_review)
        if target is None:
            report.fallback += 1
            return wrap(seg, seg.source, False) if wrap else seg.source
        injections = markup.injected_markup(seg.source, target)
        if injections:
            target = markup.neutralize(target, injections, html_blocks.contains(placement.start))
            for inj in injections:
                report.findings.append(Finding(
                    xliff_path or path, seg.xliff_line or seg.line,
                    f"unit {seg.id}: {inj.what}; shown as text", severity="warning", code="markup-injection"))
        report.translated += 1
        if seg.is_machine_translated:
            report.machine += 1
        return wrap(seg, target, True) if wrap else target

    def front(seg: Segment) -> str | None:
        target = seg.usable_target(allow_review=allow_review)
        if target is not None:
            return target
        return seg.source or None

    return assemble(layout, segment_file, Rendering(body, front))
