"""What a Markdown page points to and which anchors it defines, with source offsets.

The link checker needs every reference of a page (links, images, raw HTML
``href``/``src``, autolinks, reference definitions, DocFX includes and videos)
and every anchor a reader can land on, each with its place in the file so a
finding can name ``path:line:col``.  Python-Markdown, which renders the site,
keeps no source positions, so the page is read in two layers: markdown-it-py
gives the block structure (code blocks are skipped, raw HTML blocks are read
for their attributes only) and ``bitext.core.markup`` finds the inline markup with
offsets.  Heading ids are the one thing taken from Python-Markdown itself: its
``toc`` extension makes them, so it computes them here too.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field

import markdown
from markdown.extensions.toc import slugify, unique
from markdown_it import MarkdownIt

from bitext.core import markup

# Reference kinds.
LINK = "link"
IMAGE = "image"
HREF = "href"  # <a href> (and other raw-HTML link attributes)
SRC = "src"  # <img src> and other embedded resources
AUTOLINK = "autolink"
DEFINITION = "definition"  # [label]: target
INCLUDE = "include"  # [!INCLUDE [title](path)] and [!code-lang[title](path)]
VIDEO = "video"  # > [!VIDEO url]

EMBEDDED = frozenset({IMAGE, SRC, INCLUDE, VIDEO})

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before ASCII punctuation
_LINK_ATTRS = {"href": HREF, "src": SRC, "poster": SRC, "data": SRC}
_INCLUDE = re.compile(r"\[!(?:include|code(?:-[\w+#-]+)?)\s*(?=\[)", re.I)
_VIDEO = re.compile(r"\[!video\s+([^\]\s]+)\s*\]", re.I)
_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)((?:[^\]\\\n]|\\.){1,999})\]:[ \t]*\n?[ \t]*(<[^>\n]*>|\S+)", re.M)
_ATTR_LIST = re.compile(
    r"\{:?[ \t]*((?:[#.][\w:.-]+|[\w-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s}]+))"
    r"(?:[ \t]+(?:[#.][\w:.-]+|[\w-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s}]+)))*)[ \t]*\}"
)


@dataclass(frozen=True)
class Reference:
    """A place where the page points somewhere: ``target`` as written, starting at ``offset``."""

    kind: str
    target: str
    offset: int

    @property
    def embedded(self) -> bool:
        """True when the target is loaded into the page (image, include) rather than followed."""
        return self.kind in EMBEDDED

    @property
    def url(self) -> str:
        """The target as the rendered page has it: Markdown backslash escapes and HTML entities decoded."""
        if self.kind in (AUTOLINK, VIDEO):
            return self.target
        target = self.target if self.kind in (HREF, SRC) else _ESCAPE.sub(r"\1", self.target)
        return html.unescape(target) if "&" in target else target


@dataclass(frozen=True)
class Anchor:
    """An explicit anchor: ``<a name>``, an ``id`` attribute or an attr_list ``{#id}``."""

    name: str
    offset: int


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # the heading's inline Markdown
    offset: int


@dataclass(frozen=True)
class Block:
    """A stretch of the page read one way: ``markdown`` (a paragraph, heading, list item...) or raw ``html``."""

    start: int
    end: int
    kind: str


@dataclass
class Scan:
    references: list[Reference] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


def _block_parser() -> MarkdownIt:
    # Only what decides where code and raw HTML start and end: tables and link
    # reference definitions read as paragraphs, which is all the scan needs.
    md = MarkdownIt("commonmark").disable(["table", "reference"])
    md.core.ruler.disable("inline")  # inline markup is read by bitext.markup, with offsets
    return md


_BLOCKS = _block_parser()


def blocks(text: str, start: int = 0) -> tuple[list[Block], list[Heading]]:
    """The Markdown and raw-HTML stretches of ``text[start:]`` (code left out), and its headings."""
    body = text[start:]
    line_starts = [0]
    pos = body.find("\n")
    while pos != -1:
        line_starts.append(pos + 1)
        pos = body.find("\n", pos + 1)
    line_starts.append(len(body) + 1)

    def offset(line: int) -> int:
        return min(start + line_starts[min(line, len(line_starts) - 1)], len(text))

    found: list[Block] = []
    headings: list[Heading] = []
    kind = ["markdown"] * (len(line_starts) - 1)
    tokens = _BLOCKS.parse(body)
    for i, token in enumerate(tokens):
        if token.map is None:
            continue
        first, last = token.map
        if token.type in ("fence", "code_block"):
            kind[first:last] = ["code"] * (last - first)
        elif token.type == "html_block":
            kind[first:last] = ["html"] * (last - first)
            found.append(Block(offset(first), offset(last), "html"))
        elif token.type == "heading_open":
            headings.append(Heading(int(token.tag[1]), tokens[i + 1].content, offset(first)))
    # Markdown text in paragraphs: runs of lines up to a blank line or a block of another kind.
    run_start = None
    for line in range(len(kind) + 1):
        inside = (
            line < len(kind)
            and kind[line] == "markdown"
            and body[line_starts[line] : line_starts[line + 1] - 1].strip()
        )
        if inside and run_start is None:
            run_start = line
        elif not inside and run_start is not None:
            found.append(Block(offset(run_start), offset(line), "markdown"))
            run_start = None
    found.sort(key=lambda b: b.start)
    return found, headings


def scan(text: str, start: int = 0, layout: list[Block] | None = None) -> Scan:
    """References, explicit anchors and headings of the Markdown in ``text[start:]``.

    ``layout`` gives the blocks when they are known already (a translation
    read with the blocks of its English); headings are then not collected.
    """
    result = Scan()
    if layout is None:
        layout, result.headings = blocks(text, start)
    result.blocks = layout
    for block in layout:
        if block.kind == "html":
            chunk = text[block.start : block.end]
            _tags(block.start, markup.html_tags(chunk, []), result)
        else:
            _markdown(text, block.start, block.end, result)
    result.references.sort(key=lambda r: r.offset)
    result.anchors.sort(key=lambda a: a.offset)
    return result


def anchor_names(text: str) -> list[str]:
    """The anchors a piece of inline Markdown (one segment) defines, found as ``scan`` finds them on a page."""
    result = Scan()
    _markdown(text, 0, len(text), result)
    return [a.name for a in result.anchors]


def _markdown(text: str, start: int, end: int, result: Scan) -> None:
    chunk = text[start:end]
    code = markup.code_spans(chunk) if "`" in chunk else []
    refs = result.references
    includes = {m.end() for m in _INCLUDE.finditer(chunk) if not markup.escaped(chunk, m.start())}
    for link in markup.links(chunk, code):
        kind = INCLUDE if link.start in includes else IMAGE if link.image else LINK
        refs.append(Reference(kind, link.dest, start + _find(chunk, link.dest, link.text_end + 2, link.start)))
    for m in _VIDEO.finditer(chunk):
        refs.append(Reference(VIDEO, m.group(1), start + m.start(1)))
    for a, _, url in markup.autolinks(chunk, code):
        refs.append(Reference(AUTOLINK, url, start + a + 1))
    for m in _DEFINITION.finditer(chunk):
        target = m.group(2)
        if target.startswith("<"):
            target = target[1:-1]
        refs.append(Reference(DEFINITION, target, start + m.start(2) + (m.group(2) != target)))
    _tags(start, markup.html_tags(chunk, code), result)
    if "{" in chunk:
        for m in _ATTR_LIST.finditer(chunk):
            if not any(s <= m.start() < e for s, e in code):
                for token in m.group(1).split():
                    if token.startswith("#"):
                        result.anchors.append(Anchor(token[1:], start + m.start() + m.group(0).find(token) + 1))


def _tags(start: int, tags: list[markup.Tag], result: Scan) -> None:
    for tag in tags:
        if tag.closing or not tag.attrs:
            continue
        for (attr, value), at in zip(tag.attrs, tag.value_starts, strict=False):
            if value is None:
                continue
            at += start
            if attr == "id" or (attr == "name" and tag.name == "a"):
                if value:  # an empty id names nothing to land on
                    result.anchors.append(Anchor(value, at))
            elif attr in _LINK_ATTRS and (attr != "data" or tag.name == "object"):
                kind = HREF if attr == "href" else SRC
                result.references.append(Reference(kind, value.strip(), at))


def _find(chunk: str, needle: str, start: int, fallback: int) -> int:
    pos = chunk.find(needle, start) if needle else -1
    return pos if pos != -1 else fallback


# Heading text Python-Markdown renders as it is: ASCII letters and digits, spaces, punctuation no inline
# pattern starts with (no backtick, *, _, [, <, &, \\, {, #, !).
_NAMED_ANCHOR = re.compile(r'<a name="[^"<>&]*"></a>')
_PLAIN_HEADING = re.compile(r"[A-Za-z0-9 ,.:;?()'\"/+%=-]*[A-Za-z0-9][A-Za-z0-9 ,.:;?()'\"/+%=-]*")


@functools.cache
def _toc_renderer() -> markdown.Markdown:
    return markdown.Markdown(extensions=["toc", "attr_list"])


def toc_ids(tokens: list[dict]) -> list[str]:
    """The ids of Python-Markdown's nested ``toc_tokens``, in document order."""
    ids = []
    for token in tokens:
        ids.append(token["id"])
        ids += toc_ids(token["children"])
    return ids


def heading_ids(headings: list[Heading]) -> list[str]:
    """The ids Python-Markdown's ``toc`` extension gives these headings of one page.

    Default ``slugify``, unique per page with ``_1``, ``_2`` suffixes, an
    attr_list ``{#id}`` kept as is: what MkDocs gives the English page, and
    what the site keeps for every translation of it.
    """
    if not headings:
        return []
    texts = [" ".join(h.text.split()) for h in headings]
    names = [" ".join(_NAMED_ANCHOR.sub("", text).split()) for text in texts]
    if all(_PLAIN_HEADING.fullmatch(name) for name in names):
        # No markup, entity or attribute list besides empty named anchors, which toc strips: the rest
        # is the heading's name as toc slugifies it (rendering every page's headings was ~0.5 s CPU
        # of a corpus build's link check).
        taken: set[str] = set()
        counters: dict[str, int] = {}
        return [unique(slugify(name, "-"), taken, counters) for name in names]
    md = _toc_renderer()
    md.reset()
    source = "\n\n".join("#" * h.level + " " + text for h, text in zip(headings, texts, strict=True))
    md.convert(source)
    ids = toc_ids(md.toc_tokens)
    if len(ids) == len(headings):
        return ids
    # Some heading did not survive the batch (a trailing backslash escapes the line
    # end; "# \\" alone is no heading for Python-Markdown): one heading at a time,
    # made unique as toc does; a heading Python-Markdown does not read gets no id ("").
    used: set[str] = set()
    ids = []
    for h in headings:
        md.reset()
        md.convert("#" * h.level + " " + " ".join(h.text.split()))
        found = toc_ids(md.toc_tokens)
        ids.append(unique(found[0], used) if found else "")
    return ids
