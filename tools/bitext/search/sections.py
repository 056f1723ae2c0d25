"""A rendered page as the search index sees it: title, description, and plain-text sections.

A section runs from one heading to the next; its anchor is the heading's id,
so a result links to the place that answers.  Elements marked
``data-search-exclude`` (the English original of every Korean sentence, the
page notices) and permalinks are left out, as Material's own indexer does.
The input is the page's HTML as Python-Markdown rendered it (MkDocs'
``page.content``), parsed with lxml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

_BLOCKS = frozenset(
    {
        "p",
        "li",
        "ul",
        "ol",
        "table",
        "thead",
        "tbody",
        "tr",
        "pre",
        "blockquote",
        "div",
        "dl",
        "dt",
        "dd",
        "section",
        "details",
        "summary",
        "figure",
        "figcaption",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)
_CELLS = frozenset({"td", "th"})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CONTAINERS = frozenset({"div", "section", "details", "blockquote"})
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
_SKIPPED_CLASSES = frozenset({"headerlink"})


@dataclass
class Section:
    anchor: str  # "" for the text before the first heading with an id
    heading: str
    level: int
    text: str


@dataclass
class Page:
    url: str  # relative to the site root: "x/", "ko/x/"
    title: str
    description: str = ""
    sections: list[Section] = field(default_factory=list)


def _skipped(el) -> bool:
    if not isinstance(el.tag, str) or el.tag in _SKIPPED_TAGS or el.get("data-search-exclude") is not None:
        return True
    return not _SKIPPED_CLASSES.isdisjoint((el.get("class") or "").split())


def _text(el, out: list[str]) -> None:
    """``el``'s text into ``out``, a line break around each block."""
    if _skipped(el):
        if el.tail and isinstance(el.tag, str):
            out.append(el.tail)
        return
    block = el.tag in _BLOCKS
    out.append("\n" if block else " \t " if el.tag in _CELLS else "")
    if el.text:
        out.append(el.text)
    for child in el:
        _text(child, out)
        if not isinstance(child.tag, str) and child.tail:
            out.append(child.tail)
    if block:
        out.append("\n")
    if el.tail:
        out.append(el.tail)


# Blank runs other than one space (replacing each single space with itself made most of the work);
# then at most one space stands before a line break.
_BLANKS = re.compile(r" ?[\t\r\f\v\xa0][ \t\r\f\v\xa0]*| {2,}[\t\r\f\v\xa0 ]*")
_BREAKS = re.compile(r"\n[ \n]*")


def _clean(text: str) -> str:
    """Blank runs as one space, and a line break with the blanks and breaks around it as one break."""
    return _BREAKS.sub("\n", _BLANKS.sub(" ", text).replace(" \n", "\n")).strip()


# lxml.html's parser without its element classes: it gives every element a Python class through a
# Python lookup (~380,000 calls for the corpus's pages); these walks need only the tree.
_PARSER = etree.HTMLParser()
_FULL_HTML = re.compile(r"^\s*<(?:html|!doctype)", re.I)


def _fragment(content: str):
    """``content`` in a ``div``, as ``lxml.html.fragment_fromstring(content, create_parent="div")`` reads it."""
    document = None if _FULL_HTML.match(content) else etree.fromstring(f"<html><body>{content}</body></html>", _PARSER)
    bodies = [] if document is None else [e for e in document if e.tag == "body"]
    if len(bodies) != 1:
        return lxml_html.fragment_fromstring(content, create_parent="div")
    root = etree.Element("div")
    text = bodies[0].text
    if text and text.strip():
        root.text = text
    root.extend(bodies[0])
    return root


def page_sections(content: str, url: str, title: str, description: str = "") -> Page:
    """The page ``url`` whose rendered body is ``content``, split at its headings."""
    page = Page(url, title, description)
    if not content.strip():
        return page
    root = _fragment(content)
    current, buffer = Section("", "", 1, ""), list[str]()
    titled = False

    def flush() -> None:
        current.text = _clean("".join(buffer))
        if current.text or current.heading:
            page.sections.append(current)

    def walk(parent) -> None:
        nonlocal current, buffer, titled
        for el in parent:
            if not isinstance(el.tag, str):
                buffer.append(el.tail or "")
            elif el.tag in _HEADINGS and not _skipped(el):
                words: list[str] = []
                _text(el, words)
                heading = _clean("".join(words).replace("\n", " "))
                if el.tag == "h1" and not titled:
                    # The page's title; a heading that says more than the title (front matter's) heads its top.
                    titled = True
                    if heading != title:
                        current.heading = heading
                    buffer.append(el.tail or "")
                    continue
                flush()
                current, buffer = Section(el.get("id") or "", heading, _HEADINGS[el.tag], ""), [el.tail or ""]
            elif el.tag in _CONTAINERS and not _skipped(el) and el.xpath(".//h2|.//h3|.//h4|.//h5|.//h6"):
                buffer.append(el.text or "")
                walk(el)  # headings inside a container still split sections
                buffer.append(el.tail or "")
            else:
                _text(el, buffer)

    walk(root)
    flush()
    return page
