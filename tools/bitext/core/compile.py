"""Compiling an article: the English skeleton with every segment replaced.

One assembly routine serves three outputs: the localized Markdown readers get
(``compile_article``), the same with each segment wrapped for the bilingual
site (``wrap=``), and the bilingual sxs file (``sxs.write``).  The localized
front matter is the English one with the translated keys replaced (or
inserted where the English lacks them) and the localisation metadata appended.

Translated text is data: before a target reaches a page, the markup guard
(``bitext.core.guard``) renders it and its source with the site's Markdown
pipeline; what the target would add (elements, attributes, script URLs,
comments, reference definitions) is reported, and the target is shown with
that markup as literal text, or, when the page would still get it, the unit
falls back to its English.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown import Markdown
from markdown_it import MarkdownIt

from bitext.core import frontmatter, markup
from bitext.core.guard import MarkupGuard, guard_for
from bitext.core.model import Finding, Segment, SegmentFile
from bitext.core.severity import Severity
from bitext.core.skeleton import Layout, Placement, locate


@dataclass
class Rendering:
    """How segments become text in one kind of output."""

    body: Callable[[Segment, Placement], str]
    front: Callable[[Segment], str | None]


@dataclass
class CompileReport:
    """One article compiled: its text, and what compiling it noticed (stale positions, refused markup, fallbacks)."""

    path: str
    text: str = ""
    findings: list[Finding] = field(default_factory=list)
    translated: int = 0
    fallback: int = 0
    machine: int = 0


class _HtmlBlocks:
    """Lines inside raw HTML blocks, found on first use.

    Only the rare segment whose markup must be neutralized needs to know
    whether it sits in Markdown (escaped with a backslash, as the sxs spans
    escape) or in raw HTML (escaped as entities).  A line counts as raw HTML
    when either CommonMark (markdown-it) or Python-Markdown, which renders the
    site and keeps a block-level element raw up to its closing tag even across
    blank lines, would read it so; the entity is safe in both.
    """

    def __init__(self, layout: Layout):
        self.layout = layout
        self.lines: set[int] | None = None

    def contains(self, offset: int) -> bool:
        if self.lines is None:
            self.lines = self._scan(self.layout.english)
        return self.layout.lines.line_of(offset) in self.lines

    @staticmethod
    def _scan(text: str) -> set[int]:
        md = MarkdownIt("commonmark").disable("inline")
        lines = {
            n for t in md.parse(text) if t.type == "html_block" and t.map for n in range(t.map[0] + 1, t.map[1] + 1)
        }
        rows = text.split("\n")
        number = 0
        while number < len(rows):
            m = _BLOCK_START.match(rows[number])
            if not m or (m.group(1) and m.group(1).lower() not in _BLOCK_LEVEL):
                number += 1
                continue
            end = _block_end(rows, number, m.group(1))
            lines.update(range(number + 1, end + 2))
            number = end + 1
        return lines


_BLOCK_START = re.compile(r" {0,3}<(?:([A-Za-z][A-Za-z0-9-]*)|!--)")
_BLOCK_LEVEL = frozenset(Markdown().block_level_elements)


def _block_end(rows: list[str], start: int, tag: str | None) -> int:
    """The row where a raw block opened at ``start`` closes (Python-Markdown: its matching end tag)."""
    if tag is None:  # a comment ends at -->
        first = rows[start].find("<!--") + 4
        return next(
            (n for n in range(start, len(rows)) if "-->" in rows[n][first if n == start else 0 :]), len(rows) - 1
        )
    tags = re.compile(rf"<(/?){re.escape(tag)}\b[^>]*>", re.I)
    depth = 0
    for number in range(start, len(rows)):
        for m in tags.finditer(rows[number]):
            depth += -1 if m.group(1) else 1
            if depth == 0:
                return number
    return len(rows) - 1


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
        pieces.append(text[pos : placement.start])
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
    quotes = {b.key: frontmatter.quoting(b) for b in fm.blocks} if fm else {}
    closing = fm.closing if fm else "---\n"
    for seg in units:
        value = rendering.front(seg)
        if seg.key is None:  # is_front_matter guarantees a key; this tells the type checker
            continue
        index = next((i for i, b in enumerate(blocks) if b[2] == seg.key), None)
        if index is not None:
            if value is not None:
                # In the English block's quoting: a translation is written as its source is.
                blocks[index] = (
                    blocks[index][0],
                    frontmatter.render(seg.key, value, quotes.get(seg.key)),
                    seg.key,
                    False,
                )
            continue
        if value is None:
            continue
        at = next((i for i, b in enumerate(blocks) if b[0] > seg.line or (b[0] == seg.line and not b[3])), len(blocks))
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
    guard: MarkupGuard | None = None,
) -> str:
    """The localized Markdown of one article (``compile_report`` says what compiling it noticed)."""
    return compile_report(
        english, segment_file, path=path, xliff_path=xliff_path, allow_review=allow_review, wrap=wrap, guard=guard
    ).text


def compile_report(
    english: str,
    segment_file: SegmentFile | None,
    *,
    path: str = "",
    xliff_path: str = "",
    allow_review: bool = False,
    wrap: Callable[[Segment, str, bool], str] | None = None,
    guard: MarkupGuard | None = None,
    layout: Layout | None = None,
) -> CompileReport:
    """The localized Markdown of one article, with its findings and counts.

    Untranslated segments keep their English.  ``wrap(segment, text,
    is_translation)`` lets the site put each sentence in its own element.
    ``guard`` judges targets with the site's Markdown configuration (default:
    the extensions of a site made by ``bitext new``).  ``layout``: the
    caller's ``locate(english, segment_file)``, when it needs one too.
    """
    report = CompileReport(path)
    if segment_file is None:
        report.text = english
        return report
    guard = guard or guard_for()
    layout = layout if layout is not None else locate(english, segment_file)
    if layout.stale:
        report.findings.append(
            Finding(
                xliff_path or path,
                1,
                f"{path} changed since this segment file was last synced; "
                f"{len(layout.unplaced)} unit(s) not found in the English; run `bitext update`",
                severity=Severity.WARNING,
                code="stale-segments",
            )
        )

    html_blocks = _HtmlBlocks(layout)

    def body(seg: Segment, placement: Placement) -> str:
        target = seg.usable_target(allow_review=allow_review)
        if target is None:
            report.fallback += 1
            return wrap(seg, seg.source, False) if wrap else seg.source
        target, problems = guarded(seg.source, target, placement.start)
        if problems:
            shown = "English shown" if target is None else "shown as text"
            for what in problems:
                report.findings.append(
                    Finding(
                        xliff_path or path,
                        seg.target_finding_line,
                        f"{what}; {shown}",
                        severity=Severity.WARNING,
                        code="markup-injection",
                        unit=seg.id,
                    )
                )
        if target is None:
            report.fallback += 1
            return wrap(seg, seg.source, False) if wrap else seg.source
        report.translated += 1
        if seg.is_machine_translated:
            report.machine += 1
        return wrap(seg, target, True) if wrap else target

    def guarded(source: str, target: str, start: int) -> tuple[str | None, list[str]]:
        context = layout.english[layout.english.rfind("\n", 0, start) + 1 : start]
        return guard_target(source, target, guard, context, lambda: html_blocks.contains(start))

    def front(seg: Segment) -> str | None:
        value, problem = front_matter_value(seg, allow_review=allow_review)
        if problem:
            report.findings.append(
                Finding(
                    xliff_path or path,
                    seg.target_finding_line,
                    problem,
                    severity=Severity.WARNING,
                    code="markup-injection",
                    unit=seg.id,
                )
            )
        return value

    report.text = assemble(layout, segment_file, Rendering(body, front))
    return report


def guard_target(
    source: str, target: str, guard: MarkupGuard, context: str = "", in_html: Callable[[], bool] = lambda: False
) -> tuple[str | None, list[str]]:
    """The target as published (None: its English instead) and what it would have added to the page.

    ``context`` is the start of the unit's English line; ``in_html()`` says
    whether the unit sits in raw HTML (markup is then shown as entities, not
    backslash-escaped).  Markup the scanner of ``bitext.core.markup`` finds is
    shown as text, and a block the target starts (machine translation turns
    "– x" into a list item, "＃3" into a heading, or adds a new line and an
    indent) is kept in the line; if the rendering still has more than the
    source's, the English is published.
    """
    injections = markup.injected_markup(source, target)
    extras = guard.extras(source, target, context)
    if not injections and not extras:
        return target, []
    problems = list(dict.fromkeys([*(i.what for i in injections), *(str(e) for e in extras)]))
    if injections:
        target = markup.neutralize(target, injections, in_html())
    if not guard.extras(source, target, context):
        return target, problems
    if not in_html() and not _BLOCK_MARKER.match(source):
        # Kept in the line: leading white space dropped and a block marker at the start escaped
        # (only there: "**a** b" has no block marker, its closing "* " is emphasis).
        target = target.lstrip()
        if _BLOCK_MARKER.match(target):
            target = "\\" + target
        if not guard.extras(source, target, context):
            return target, problems
    return None, problems


# What starts a block at the start of a line: heading, quote, list item, table row.
_BLOCK_MARKER = re.compile(r"\s*([#>|+-]|\*(?=\s))")


# Characters that make markup where themes print a title or description unescaped
# (<title>, <meta content="...">, navigation labels), and character references,
# which Jinja's ``striptags`` (Material's <title>) turns back into them.
_TEXT_ONLY = '<>"'
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);?")


def front_matter_value(seg: Segment, *, allow_review: bool = False) -> tuple[str | None, str | None]:
    """The value a front-matter unit publishes, and why its translation was refused, if it was.

    Titles and descriptions are plain text: a translation may not bring
    ``<``, ``>``, ``"``, or character references for them, that its source does not have.
    """
    english = seg.source or None
    target = seg.usable_target(allow_review=allow_review)
    if target is None:
        return english, None
    added = [c for c in _TEXT_ONLY if target.count(c) > seg.source.count(c)]
    added += sorted(
        ref
        for ref in set(_REFERENCE.findall(target)) - set(_REFERENCE.findall(seg.source))
        if html.unescape(ref) in _TEXT_ONLY + "'"
    )
    if added:
        return english, f"{seg.key} translation adds {' '.join(added)} not in the source; English used"
    return target, None
