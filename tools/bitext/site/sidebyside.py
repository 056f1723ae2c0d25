"""Side-by-side rendering: each translated sentence carries its English original.

The compiler hands every segment to ``marker()``, which wraps it in private-use
delimiters (the translation, then the source) inside the localized Markdown.
``SideBySideExtension`` turns each delimited segment into::

    <span class="bt" tabindex="0">번역<span class="bt-s" lang="en" hidden
        data-search-exclude="true">Original</span></span>

Both texts go through the same inline Markdown as the page, so links, code
and emphasis render in the original as in the translation.  The original is
``hidden``: without CSS or JavaScript the page reads as plain Korean; the
site's stylesheet reveals it on hover, focus and tap.  Untranslated segments
become ``<span class="bt-u" lang="en">`` (English shown, marked as such).

Headings are special: their id must be the one the English page gets
(Python-Markdown ``toc`` slugify of the English heading text, unique per
page), and their table-of-contents label and page title must not contain the
English.  So before ``toc`` runs, each heading gets the English id and loses
its originals; after the title is extracted, the originals are put back.

No library renders a sentence pair inline, so this module is written by hand
on Python-Markdown's extension API.
"""

from __future__ import annotations

import copy
import html
import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import remove_fnrefs, render_inner_html, slugify, strip_tags, unique
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from bitext.core import markup
from bitext.core.model import SOURCE_LANGUAGE, Segment

OPEN, SEP, CLOSE = "\ue000", "\ue001", "\ue002"
TRANSLATED, MACHINE, UNTRANSLATED = "t", "m", "u"
_DELIMITERS = re.compile(f"[{OPEN}{SEP}{CLOSE}]")
_SEGMENT = f"{OPEN}([{TRANSLATED}{MACHINE}{UNTRANSLATED}]){SEP}(.*?)(?:{SEP}(.*?))?{CLOSE}"
_HEADING = re.compile(r"^h[1-6]$", re.I)
# Python-Markdown's own inline patterns (and ours): text without any of their
# trigger characters renders as itself.  Most sentences are such plain text,
# and marking them atomic spares the inline pass the page's second language.
_CORE_PATTERNS = frozenset(
    {
        "backtick",
        "escape",
        "reference",
        "link",
        "image_link",
        "image_reference",
        "short_reference",
        "short_image_ref",
        "autolink",
        "automail",
        "linebreak",
        "html",
        "entity",
        "not_strong",
        "em_strong",
        "em_strong2",
        "bitext_segment",
    }
)
_MARKUP = re.compile(r"[\\`\[\]!<>&*_{}]|  \n")

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)

SEGMENT_CLASS = "bt"
ORIGINAL_CLASS = "bt-s"
UNTRANSLATED_CLASS = "bt-u"
MACHINE_CLASS = "bt-mt"


def _clean(text: str) -> str:
    # A delimiter inside a text would cut the segment short; translations are data.
    return _balanced(_DELIMITERS.sub("\ufffd", text))


def _balanced(text: str) -> str:
    """Raw tags a sentence opens and never closes, shown as text.

    Docs write placeholders such as ``<DateTime>`` that browsers take for
    elements; inside a sentence's element, one would swallow the rest of the
    page for HTML parsers (Material's search indexer among them).
    """
    if "<" not in text:
        return text
    open_tags: list[markup.Tag] = []
    for tag in markup.html_tags(text):
        if tag.name in _VOID or tag.name.startswith("!") or text[tag.end - 2 : tag.end] == "/>":
            continue
        if not tag.closing:
            open_tags.append(tag)
        elif open_tags and open_tags[-1].name == tag.name:
            open_tags.pop()
    for tag in reversed(open_tags):
        text = text[: tag.start] + "&lt;" + text[tag.start + 1 :]
    return text


def marker(segment: Segment, text: str, is_translation: bool) -> str:
    """The ``wrap=`` callback of ``compile_article``: one segment, delimited for the extension."""
    if not is_translation:
        return f"{OPEN}{UNTRANSLATED}{SEP}{_clean(text)}{CLOSE}"
    kind = MACHINE if segment.is_machine_translated else TRANSLATED
    return f"{OPEN}{kind}{SEP}{_clean(text)}{SEP}{_clean(segment.source)}{CLOSE}"


def _classes(el: etree.Element) -> list[str]:
    return (el.get("class") or "").split()


def _is_original(el: etree.Element) -> bool:
    return el.tag == "span" and ORIGINAL_CLASS in _classes(el)


class _Page:
    """What one conversion found: whether it is bilingual, and the originals taken out of headings."""

    def __init__(self):
        self.segments = 0
        self.detached: list[tuple[etree.Element, int, etree.Element]] = []


class _SegmentProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown, page: _Page, source_language: str):
        super().__init__(pattern, md)
        self.page = page
        self.source_language = source_language
        self.core_only: bool | None = None

    def _text(self, text: str) -> str:
        """The text as the element gets it: atomic when no inline pattern could match it."""
        if self.core_only is None:
            patterns = self.md.inlinePatterns
            self.core_only = sum(1 for name in _CORE_PATTERNS if name in patterns) == len(patterns)
        return AtomicString(text) if self.core_only and not _MARKUP.search(text) else text

    def handleMatch(self, m: re.Match, data: str):
        self.page.segments += 1
        kind, text, source = m.group(1), m.group(2), m.group(3)
        if data[max(0, m.start() - 2) : m.start()] == "![" and data.startswith("](", m.end()):
            return text, m.start(0), m.end(0)  # image alt text: no markup, the translation alone
        if kind == UNTRANSLATED:
            el = etree.Element("span", {"class": UNTRANSLATED_CLASS, "lang": self.source_language})
            el.text = self._text(text)
            return el, m.start(0), m.end(0)
        classes = SEGMENT_CLASS + (f" {MACHINE_CLASS}" if kind == MACHINE else "")
        el = etree.Element("span", {"class": classes, "tabindex": "0"})
        el.text = self._text(text)
        original = etree.SubElement(
            el,
            "span",
            {"class": ORIGINAL_CLASS, "lang": self.source_language, "hidden": "hidden", "data-search-exclude": "true"},
        )
        original.text = self._text(source or "")
        return el, m.start(0), m.end(0)


class _HeadingIds(Treeprocessor):
    """Before ``toc``: English ids on every heading, originals taken out of headings."""

    def __init__(self, md: Markdown, page: _Page):
        super().__init__(md)
        self.page = page

    def run(self, root: etree.Element) -> None:
        if not self.page.segments:
            return
        # Python-Markdown's Registry has no get().
        toc = self.md.treeprocessors["toc"] if "toc" in self.md.treeprocessors else None  # noqa: SIM401
        slug, sep = (toc.slugify, toc.sep) if toc is not None else (slugify, "-")
        # Same bookkeeping as toc's own run(), so the ids are those of the English page.
        used = {el.attrib["id"] for el in root.iter() if "id" in el.attrib}
        counters: dict[str, int] = {}
        for el in root.iter():
            if not (isinstance(el.tag, str) and _HEADING.match(el.tag)):
                continue
            if "id" not in el.attrib:
                name = strip_tags(render_inner_html(remove_fnrefs(self._english(el)), self.md))
                el.attrib["id"] = unique(slug(html.unescape(name), sep), used, counters)
            self._detach_originals(el)

    @staticmethod
    def _english(heading: etree.Element) -> etree.Element:
        """A copy of the heading with each translated segment replaced by its original."""
        english = copy.deepcopy(heading)
        for parent in list(english.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "span" and SEGMENT_CLASS in _classes(child):
                    original = next((c for c in child if _is_original(c)), None)
                    replacement = etree.Element("span")
                    if original is not None:
                        replacement.text = original.text
                        replacement.extend(list(original))
                    replacement.tail = child.tail
                    parent[index] = replacement
        return english

    def _detach_originals(self, heading: etree.Element) -> None:
        for parent in list(heading.iter()):
            for index, child in enumerate(list(parent)):
                if _is_original(child):
                    parent.remove(child)
                    self.page.detached.append((parent, index, child))


class _RestoreOriginals(Treeprocessor):
    """After ``toc`` and MkDocs' title extraction: originals back into headings."""

    def __init__(self, md: Markdown, page: _Page):
        super().__init__(md)
        self.page = page

    def run(self, root: etree.Element) -> None:
        for parent, index, child in self.page.detached:
            parent.insert(index, child)
        self.page.detached.clear()
        self.page.segments = 0


class _RawSegments(Postprocessor):
    """Segments where inline Markdown does not run (raw HTML blocks, code) become spans too."""

    def __init__(self, md: Markdown, source_language: str):
        super().__init__(md)
        self.pattern = re.compile(_SEGMENT, re.S)
        self.source_language = source_language

    def run(self, text: str) -> str:
        if OPEN not in text:
            return _DELIMITERS.sub("", text)
        text = self.pattern.sub(self._span, text)
        return _DELIMITERS.sub("", text)

    def _span(self, m: re.Match) -> str:
        kind, target, source = m.group(1), m.group(2), m.group(3)
        lang = html.escape(self.source_language)
        if kind == UNTRANSLATED:
            return f'<span class="{UNTRANSLATED_CLASS}" lang="{lang}">{target}</span>'
        classes = SEGMENT_CLASS + (f" {MACHINE_CLASS}" if kind == MACHINE else "")
        return (
            f'<span class="{classes}" tabindex="0">{target}<span class="{ORIGINAL_CLASS}" lang="{lang}" '
            f'hidden="hidden" data-search-exclude="true">{source or ""}</span></span>'
        )


class SideBySideExtension(Extension):
    """Renders the delimited segments of a localized page as translation + hidden original."""

    def __init__(self, **kwargs):
        self.config = {"source_language": [SOURCE_LANGUAGE, "language of the originals (the lang attribute)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        page = _Page()
        lang = self.getConfig("source_language")
        # Before every other inline pattern: both texts then get the page's full inline Markdown.
        md.inlinePatterns.register(_SegmentProcessor(_SEGMENT, md, page, lang), "bitext_segment", 200)
        md.treeprocessors.register(_HeadingIds(md, page), "bitext_heading_ids", 6)  # attr_list 8 > here > toc 5
        md.treeprocessors.register(_RestoreOriginals(md, page), "bitext_restore", 0.5)  # after MkDocs' title (1)
        md.postprocessors.register(_RawSegments(md, lang), "bitext_raw_segments", 25)  # after raw_html (30)


def makeExtension(**kwargs) -> SideBySideExtension:
    return SideBySideExtension(**kwargs)
