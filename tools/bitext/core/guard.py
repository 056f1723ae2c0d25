"""The markup guard: what a translation would add to the page, judged on the rendered HTML.

A segment's target is untrusted input.  Re-parsing its Markdown with our own
patterns would repeat Python-Markdown's grammar (attribute lists, raw HTML,
reference definitions ...) and every difference would be a way through, so
the guard renders the source and the target with the same Python-Markdown
pipeline the site uses (the ``markdown_extensions`` of ``mkdocs.yml``), in
the context the unit sits in (the start of its English line: ``# ``, ``| ``,
``> ``, ``!!! note``), parses both renderings with lxml's HTML parser and
compares what a browser would build: elements, attributes per element, URL
schemes, comments, and the reference definitions the page would gain.
Whatever the target has and the source lacks is an ``Extra``.

Plain emphasis, code, line breaks, and links and images with only their
Markdown attributes and a navigating URL scheme are words of a translation,
not markup that can do harm, so a target may add them (where links point is
for ``link-parity``).  Renderings are cached: a build,
``bitext check`` and ``bitext links`` judge the same units.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

import lxml.html
from lxml import etree
from markdown import Markdown

from bitext.core.markup import SAFE_SCHEMES, URL_ATTRIBUTES

# The extensions a site made by ``bitext new`` uses; a project passes its own.
DEFAULT_EXTENSIONS: tuple[str, ...] = (
    "toc",
    "admonition",
    "attr_list",
    "tables",
    "md_in_html",
    "sane_lists",
    "pymdownx.highlight",
    "pymdownx.superfences",
)
# What any translation may add: formatting words carry, and plain links and images (where
# they point is for the link checks: ``link-parity``, remote images, unsafe schemes here).
FORMATTING = frozenset({"p", "em", "strong", "code", "br", "sup", "sub", "del", "ins", "mark", "a", "img"})
# An ``<a name>`` anchor is inert (Microsoft's pipeline moves them into targets).
PLAIN_ATTRIBUTES = frozenset(
    {("a", "href"), ("a", "title"), ("a", "name"), ("img", "src"), ("img", "alt"), ("img", "title")}
)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")
# Text without these renders as itself (plus emphasis and code): no element, attribute or URL to judge.
_ACTIVE = re.compile(r"[<>\[\]{}\n]|://|www\.|@|:\w+:", re.I)
# Extensions whose inline syntax needs ``<``, ``{``, ``&`` or a new line to make anything but
# formatting, links and images.  With only these, a target without those characters renders
# plain links at most, and a link runs script only with a scheme: a ``:`` (or ``&#58;``,
# ``&colon;``) in a destination, after "](".  No "](", or no ``&`` and every ``:`` starting
# an http(s) or mailto URL: nothing to judge.  Reference definitions ("]:") are always judged.
_PLAIN_SYNTAX = frozenset(DEFAULT_EXTENSIONS) | {"fenced_code", "codehilite", "smarty", "meta", "nl2br"}
_NOT_PLAIN = re.compile(r"[<{}\n]|\[TOC\]|\]:")
_NAVIGATING = re.compile(r"https?://|mailto:", re.I)
# A line whose start makes a block (heading, list, quote, table, admonition, fence, indented code).
_BLOCK = re.compile(r"\s|#|>|\||[*+-](?:\s|$)|\d+[.)](?:\s|$)|[!?:=~`]|\[\^|\*\[")
# Raw tags a browser merges into the page's own <html>/<body> (their attributes included),
# which an HTML parser of the fragment alone silently drops.
_DOCUMENT_TAG = re.compile(r"<\s*(html|head|body|frameset)\b", re.I)
_PARSER = etree.HTMLParser(recover=True, no_network=True, remove_comments=False, remove_pis=False)


def url_scheme(url: str) -> str | None:
    """The scheme a browser reads in ``url``: character references decoded, controls and spaces ignored."""
    m = _SCHEME.match(_INVISIBLE.sub("", html.unescape(url)))
    return m.group(1).lower() if m else None


@dataclass(frozen=True)
class Vocabulary:
    """What a piece of HTML can do: its elements, attributes, URL schemes, comments and references."""

    elements: frozenset[str]
    attributes: frozenset[tuple[str, str]]  # (element, attribute)
    schemes: frozenset[str]
    comments: bool
    references: frozenset[tuple[str, str]]  # (label, URL) of reference definitions

    def __or__(self, other: Vocabulary) -> Vocabulary:
        return Vocabulary(
            self.elements | other.elements,
            self.attributes | other.attributes,
            self.schemes | other.schemes,
            self.comments or other.comments,
            self.references | other.references,
        )


EMPTY = Vocabulary(frozenset(), frozenset(), frozenset(), False, frozenset())


def vocabulary_of_html(text: str) -> Vocabulary:
    """What ``text`` (HTML) holds, as a browser would parse it."""
    if "<" not in text:
        return EMPTY
    root = lxml.html.document_fromstring(f"<!DOCTYPE html><html><head></head><body>{text}</body></html>", _PARSER)
    elements: set[str] = {m.group(1).lower() for m in _DOCUMENT_TAG.finditer(text)}
    attributes: set[tuple[str, str]] = set()
    schemes: set[str] = set()
    comments = False
    for el in root.iter():
        if not isinstance(el.tag, str):
            comments = True  # a comment or processing instruction
            continue
        tag = el.tag.lower()
        if tag in ("html", "head", "body"):
            continue  # the wrapper's; such tags in ``text`` were found above
        elements.add(tag)
        for name, value in el.attrib.items():
            name = name.lower()
            attributes.add((tag, name))
            if name in URL_ATTRIBUTES or name == "style":
                for url in _urls(name, value):
                    scheme = url_scheme(url)
                    if scheme:
                        schemes.add(scheme)
    return Vocabulary(frozenset(elements), frozenset(attributes), frozenset(schemes), comments, frozenset())


def _urls(name: str, value: str) -> list[str]:
    if name == "srcset":
        return [part.strip().split(" ")[0] for part in value.split(",")]
    if name == "style":
        return re.findall(r"url\(\s*['\"]?([^'\")]*)", html.unescape(value), re.I)
    return [value]


@dataclass(frozen=True)
class Extra:
    """One thing a target's rendering has that its source's lacks."""

    kind: str  # "element", "attribute", "scheme", "comment" or "reference"
    what: str  # as shown in a finding: "<img onerror>", "javascript: URL", "reference [r1]"

    def __str__(self) -> str:
        return f"{self.what} not in the source"


class MarkupGuard:
    """Judges targets against their sources with one site's Markdown pipeline."""

    def __init__(self, extensions: tuple | list = DEFAULT_EXTENSIONS, configs: dict | None = None):
        self.extensions = list(extensions)
        self.configs = dict(configs or {})
        self._md = Markdown(extensions=self.extensions, extension_configs=self.configs)
        self._render = lru_cache(maxsize=65536)(self._vocabulary)
        self.plain_syntax = set(self.extensions) <= _PLAIN_SYNTAX

    def _plain(self, target: str, context: str) -> bool:
        """True when ``target`` surely renders to text, formatting, and links and images that navigate."""
        if _BLOCK.match(target):
            return False  # a block of its own at a line's start or in a list item ("3. " + "> ...")
        if not _ACTIVE.search(target):
            return True
        # A target's URL comes only after "]("; "[a][ref]" uses the page's own definitions.
        return (
            self.plain_syntax
            and not _NOT_PLAIN.search(target)
            and ("](" not in target or ("&" not in target and ":" not in _NAVIGATING.sub("", target)))
        )

    def vocabulary(self, text: str, context: str = "") -> Vocabulary:
        """What ``text`` becomes on a page after ``context``, the start of its line (blank: a line of its own)."""
        return self._render(text, context if context.strip() else "")

    def _vocabulary(self, text: str, context: str) -> Vocabulary:
        md = self._md
        md.reset()
        rendered = md.convert(context + text)
        references = frozenset((label, url) for label, (url, _title) in getattr(md, "references", {}).items())
        found = vocabulary_of_html(rendered)
        return Vocabulary(found.elements, found.attributes, found.schemes, found.comments, references)

    def extras(self, source: str, target: str, context: str = "") -> list[Extra]:
        """What ``target`` would add to the page that ``source`` does not have (empty: it is safe)."""
        if target == source or self._plain(target, context):
            return []
        context = context.lstrip()  # an indented line continues a block; alone it would be code
        theirs = self.vocabulary(target, context)
        if not (
            theirs.elements - FORMATTING
            or theirs.attributes - PLAIN_ATTRIBUTES
            or theirs.schemes - SAFE_SCHEMES
            or theirs.comments
            or theirs.references
        ):
            return []  # nothing a translation may not bring: the source need not be rendered
        ours = self.vocabulary(source, context)
        out: list[Extra] = []
        added = theirs.attributes - ours.attributes - PLAIN_ATTRIBUTES
        new = theirs.elements - ours.elements
        for tag in sorted(new - FORMATTING):
            out.append(Extra("element", "<" + " ".join([tag, *sorted(a for t, a in added if t == tag)]) + ">"))
        for tag, name in sorted(added):
            if tag not in new or tag in FORMATTING:
                out.append(Extra("attribute", f"{name}= on <{tag}>"))
        for scheme in sorted(theirs.schemes - ours.schemes - SAFE_SCHEMES):
            out.append(Extra("scheme", f"{scheme}: URL"))
        if theirs.comments and not ours.comments:
            out.append(Extra("comment", "comment"))
        source_refs = dict(ours.references)
        for label, url in sorted(theirs.references - ours.references):
            if label not in source_refs:
                out.append(Extra("reference", f"reference definition [{label}]"))
            elif url_scheme(url) not in (SAFE_SCHEMES | {url_scheme(source_refs[label])}):
                out.append(Extra("reference", f"reference definition [{label}] to {url_scheme(url)}:"))
        return out


_GUARDS: dict[str, MarkupGuard] = {}


def guard_for(extensions: list | tuple | None = None, configs: dict | None = None) -> MarkupGuard:
    """The shared guard of a Markdown configuration (``None``: the default site's).

    Only extensions named in the configuration count: instances a site adds
    (bitext's own) render wrappers, not what a translation brings.
    """
    names = list(dict.fromkeys(e for e in (extensions or DEFAULT_EXTENSIONS) if isinstance(e, str)))
    options = {k: v for k, v in (configs or {}).items() if k in names}
    key = repr((names, sorted(options.items(), key=lambda kv: kv[0])))
    if key not in _GUARDS:
        _GUARDS[key] = MarkupGuard(names, options)
    return _GUARDS[key]
