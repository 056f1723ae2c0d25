"""DocFX-flavoured Markdown: alerts, video embeds and includes.

Microsoft's docs use three block extensions that Python-Markdown does not know:

* alerts ``> [!NOTE]`` (also TIP, IMPORTANT, CAUTION, WARNING), rendered as
  Material admonitions whose title is in the page's language;
* ``> [!VIDEO url]``, rendered as a plain link (an embed would make the page
  fetch from a third party; ``video_embed`` turns embeds on);
* ``[!INCLUDE [title](path)]``, replaced by the included file (``expand_includes``,
  a text step run before rendering because the included text depends on the
  page's language).

DocFX parses Markdown as CommonMark, where what follows a list item belongs
to it when indented to the item's text (3 spaces after ``1.``, 2 after
``-``); Python-Markdown wants 4.  ``_ListIndent`` re-indents list contents
to Python-Markdown's rule so that notes, images and code inside steps stay
inside them, as on docs.microsoft.com.

Libraries for GitHub's alert syntax (markdown-callouts) give fixed English
titles and know neither videos nor DocFX's lower-case markers, and
mdx_truly_sane_lists only changes the indent of nested lists, so both are
written here, modelled on Python-Markdown's own processors.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from bitext.core import frontmatter, markup
from bitext.core.model import Finding
from bitext.project.project import Layout

ALERT_TYPES = ("note", "tip", "important", "caution", "warning")
DEFAULT_TITLES = {
    "note": "Note",
    "tip": "Tip",
    "important": "Important",
    "caution": "Caution",
    "warning": "Warning",
    "video": "Watch the video",
}

_QUOTE_LINE = re.compile(r"^[ ]{0,3}>[ ]?")
_ALERT = re.compile(r"(?:^|\n)[ ]{0,3}>[ ]?\[!(?P<type>" + "|".join(ALERT_TYPES) + r")\][ \t]*(?=\n|$)", re.I)
_VIDEO = re.compile(r"(?:^|\n)[ ]{0,3}>[ ]?\[!VIDEO[ \t]+(?P<url>[^\]\s]+)[ \t]*\][ \t]*(?=\n|$)", re.I)
_INCLUDE = re.compile(
    r"^(?P<indent>[ \t]*(?:>[ \t]?)*)\[!INCLUDE[ \t]*\[(?P<title>[^\]]*)\]\((?P<path>[^)\s]+)\)[ \t]*\][ \t]*$",
    re.I | re.M,
)
_REFERENCE = re.compile(r"^(?P<lead>[ ]{0,3}\[[^\]]+\]:[ \t]*<?)(?P<dest>[^\s>]+)", re.M)
_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>\d{1,9}[.)]|[-*+])(?P<space> +|$)")
MAX_INCLUDE_DEPTH = 8
INDENT = 4  # Python-Markdown's tab_length


@dataclass
class _Item:
    """A list item being read: where its content starts, in CommonMark and in Python-Markdown."""

    content: int
    new_content: int


class _ListIndent(Preprocessor):
    """List item contents moved from CommonMark's content column to Python-Markdown's 4 spaces."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        stack: list[_Item] = []
        previous_blank = True
        for line in lines:
            if not line.strip():
                out.append(line)
                previous_blank = True
                continue
            indent = len(line) - len(line.lstrip(" "))
            item = _ITEM.match(line)
            if stack and indent < stack[-1].content and not item and not previous_blank:
                out.append(line)  # a lazy continuation line of the item's paragraph
                continue
            previous_blank = False
            while stack and indent < stack[-1].content:
                stack.pop()
            shift = stack[-1].new_content - stack[-1].content if stack else 0
            if item:
                space = len(item.group("space"))
                width = len(item.group("marker")) + (space if 1 <= space <= 4 else 1)
                new_indent = indent + shift
                stack.append(_Item(indent + width, new_indent + max(INDENT, width)))
            out.append(" " * (indent + shift) + line[indent:] if shift else line)
        return out


class _AlertProcessor(BlockProcessor):
    """``> [!TYPE]`` blockquotes → ``<div class="admonition TYPE">`` with a localized title."""

    def __init__(self, parser, extension: DocfxExtension):
        super().__init__(parser)
        self.extension = extension

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(_ALERT.search(block) or _VIDEO.search(block))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        alert, video = _ALERT.search(block), _VIDEO.search(block)
        m = min((x for x in (alert, video) if x), key=lambda x: x.start())
        before, rest = block[: m.start()], block[m.end() :].lstrip("\n")
        if before.strip():
            self.parser.parseBlocks(parent, [before])
        if m is video:
            self._video(parent, m.group("url"))
            if rest.strip():
                blocks.insert(0, rest)
            return
        kind = m.group("type").lower()
        div = etree.SubElement(parent, "div", {"class": f"admonition {kind}"})
        title = etree.SubElement(div, "p", {"class": "admonition-title"})
        title.text = self.extension.title(kind)
        body = "\n".join(_QUOTE_LINE.sub("", line) for line in rest.split("\n"))
        if body.strip():
            self.parser.state.set("blockquote")
            self.parser.parseChunk(div, body)
            self.parser.state.reset()

    def _video(self, parent: etree.Element, url: str) -> None:
        if markup.unsafe_url(url):
            p = etree.SubElement(parent, "p")
            p.text = url
            return
        if self.extension.getConfig("video_embed"):
            frame = etree.SubElement(
                parent,
                "iframe",
                {
                    "class": "docfx-video",
                    "src": url,
                    "loading": "lazy",
                    "allowfullscreen": "allowfullscreen",
                    "title": self.extension.title("video"),
                },
            )
            frame.text = ""
            return
        p = etree.SubElement(parent, "p", {"class": "docfx-video"})
        link = etree.SubElement(p, "a", {"href": url, "rel": "noopener"})
        link.text = self.extension.title("video")


_COMMONMARK_ESCAPABLE = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


class DocfxExtension(Extension):
    """DocFX alerts, videos and CommonMark list indentation for Python-Markdown."""

    def __init__(self, **kwargs):
        self.config = {
            "titles": [{}, "alert and video titles by type (note, tip, important, caution, warning, video)"],
            "video_embed": [False, "embed > [!VIDEO url] in an iframe instead of linking to it"],
        }
        super().__init__(**kwargs)

    def title(self, kind: str) -> str:
        return self.getConfig("titles").get(kind) or DEFAULT_TITLES[kind]

    def extendMarkdown(self, md: Markdown) -> None:
        # CommonMark (Markdig, docs.microsoft.com) escapes every ASCII punctuation character;
        # Python-Markdown only some: `\<Name\>` must be text, as must markup the compiler
        # refused in a translation.  A backslash before a letter stays a backslash (C:\Temp).
        md.ESCAPED_CHARS.extend(c for c in _COMMONMARK_ESCAPABLE if c not in md.ESCAPED_CHARS)
        md.parser.blockprocessors.register(_AlertProcessor(md.parser, self), "docfx_alert", 21)  # before quote (20)
        # After raw HTML (20) and fenced code (superfences, 25) are stashed: only Markdown is re-indented.
        md.preprocessors.register(_ListIndent(md), "docfx_list_indent", 15)


def makeExtension(**kwargs) -> DocfxExtension:
    return DocfxExtension(**kwargs)


@dataclass
class Included:
    """The text an include resolves to, and the file it comes from (for messages and links)."""

    text: str
    path: str  # docs-relative, POSIX
    english: str | None = None  # the English file, when ``text`` is its translation


@dataclass
class Expanded:
    """A text with its includes expanded, and the includes that could not be."""

    text: str
    findings: list[Finding] = field(default_factory=list)


def expand_includes(
    text: str,
    page: str,
    load: Callable[[str], Included | None],
    *,
    english: str | None = None,
    docs: str = Layout().source_dir,
) -> Expanded:
    """``[!INCLUDE [title](path)]`` lines replaced by the included Markdown.

    ``page`` is the docs-relative path of the file holding the text; ``load``
    returns the included file (in the page's language) or None when it is
    missing.  Relative links of the included file are rebased onto the page.
    A missing or circular include is a finding at ``DOCS/PAGE:LINE`` (``docs``,
    the English folder as shown: ``docs/en``), the line of the include in the
    English file: pass ``english`` when ``text`` is a translation (include
    lines are skeleton, so the n-th include of the translation is the n-th of
    the English).
    """
    findings: list[Finding] = []
    return Expanded(_expand(text, page, load, findings, english, docs, 0, ()), findings)


def _expand(
    text: str,
    page: str,
    load: Callable[[str], Included | None],
    findings: list[Finding],
    english: str | None,
    docs: str,
    depth: int,
    stack: tuple[str, ...],
) -> str:
    if "[!" not in text:
        return text
    source = english if english is not None else text
    lines = [source.count("\n", 0, m.start()) + 1 for m in _INCLUDE.finditer(source)]
    shown = f"{docs}/{page}"
    seen = 0

    def replace(m: re.Match) -> str:
        nonlocal seen
        seen += 1
        line = lines[seen - 1] if seen <= len(lines) else text.count("\n", 0, m.start()) + 1
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), m.group("path").split("#")[0]))
        if target in stack or depth >= MAX_INCLUDE_DEPTH:
            findings.append(Finding(shown, line, f"include {m.group('path')} includes itself", code="include-cycle"))
            return m.group(0)
        included = load(target)
        if included is None:
            findings.append(Finding(shown, line, f"include {m.group('path')} not found", code="missing-include"))
            return m.group(0)
        fm = frontmatter.split(included.text)
        body = included.text[fm.end :] if fm else included.text
        # Lines are counted in the whole English file, front matter included.
        body = _expand(
            body,
            included.path,
            load,
            findings,
            included.english if included.english is not None else included.text,
            docs,
            depth + 1,
            (*stack, page),
        )
        body = rebase_links(body, posixpath.dirname(included.path), posixpath.dirname(page))
        indent = m.group("indent")
        return "\n".join(indent + row if row.strip() else indent.rstrip() for row in body.strip("\n").split("\n"))

    return _INCLUDE.sub(replace, text)


def rebase_links(text: str, from_dir: str, to_dir: str) -> str:
    """Relative link and image destinations written from ``from_dir``, rewritten for ``to_dir``."""
    if from_dir == to_dir:
        return text

    def rebase(dest: str) -> str:
        if not dest or dest.startswith(("#", "/")) or markup.remote(dest):
            return dest
        return posixpath.relpath(posixpath.normpath(posixpath.join(from_dir, dest)), to_dir or ".")

    spans = sorted((text.find(link.dest, link.text_end), link.dest) for link in markup.links(text) if link.dest)
    pieces, last = [], 0
    for start, dest in spans:
        if start < last:
            continue
        pieces.append(text[last:start])
        pieces.append(rebase(dest))
        last = start + len(dest)
    pieces.append(text[last:])
    text = "".join(pieces)
    return _REFERENCE.sub(lambda m: m.group("lead") + rebase(m.group("dest")), text)
