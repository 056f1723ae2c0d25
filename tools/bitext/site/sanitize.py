"""The second wall: a translated page's content HTML through an allow-list sanitizer.

The markup guard (``bitext.core.guard``) keeps a translation from adding
markup its source lacks; whatever gets past it (a grammar corner no one
thought of) still has to get through ammonia (``nh3``), a maintained
allow-list sanitizer with a browser-grade HTML parser, before a reader sees
the page.  The allow-list is per page: what the site's Markdown pipeline and
bitext's own wrappers write on every page, plus the elements, attributes,
style properties and URL schemes the page's English (trusted, includes
expanded) writes as raw HTML or attribute lists.  Whatever can run script is
never allowed, whatever the English holds (``on*`` attributes, ``<script>``,
``srcdoc`` ...): an English code sample that shows ``<script>`` is no reason
to let one through.

nh3 was chosen over lxml-html-clean: it parses as browsers do (html5ever),
and on the content of the corpus' 644 Korean pages (15.9 MB) it took 0.52 s
of CPU where lxml-html-clean's ``Cleaner`` took 1.60 s.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

import nh3

from bitext.core.guard import url_scheme
from bitext.core.markup import SAFE_SCHEMES

# What Python-Markdown, its extensions (toc, tables, admonition, attr_list, pymdownx
# highlight/superfences, md_in_html ...), bitext's docfx alerts and side-by-side spans,
# and Material's content markup write on a page.
BASE_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
    ]
)
GENERIC_ATTRIBUTES = frozenset(
    ["class", "id", "title", "lang", "dir", "hidden", "tabindex", "role", "data-search-exclude", "data-md-highlight"]
)
BASE_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "name", "hreflang", "rel", "target"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"align", "colspan", "rowspan", "style"}),
    "th": frozenset({"align", "colspan", "rowspan", "style", "scope"}),
    "col": frozenset({"span", "width"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "li": frozenset({"value"}),
    "details": frozenset({"open"}),
    "abbr": frozenset({"title"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
}
BASE_STYLES = frozenset({"text-align"})  # Python-Markdown's tables align columns with style
# Never allowed, whatever the English page holds: they run script, load documents or forms,
# or change where the page's links go.
NEVER_TAGS = frozenset(
    [
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "meta",
        "link",
        "form",
        "input",
        "button",
        "select",
        "textarea",
        "option",
        "svg",
        "math",
        "template",
        "noscript",
        "portal",
    ]
)
NEVER_ATTRIBUTES = frozenset({"srcdoc", "formaction", "action", "xmlns", "xlink:href"})
NEVER_SCHEMES = frozenset({"javascript", "vbscript", "data", "file", "blob", "filesystem"})
ALLOWED_ATTRIBUTE = re.compile(r"(?!on)[a-z][a-z0-9-]*(?::[a-z][a-z0-9-]*)?$")
# Raw HTML and attribute lists in trusted Markdown: a generous reading is enough, since the
# lists above bound what it can allow.
_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9:_-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR_LIST = re.compile(r"\{:?[ \t]*([^}\n]*)\}")
_ATTRIBUTE = re.compile(r"""([A-Za-z_:][-\w:.]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_STYLE_PROPERTY = re.compile(r"([A-Za-z-]+)\s*:")
_URL = re.compile(r"\]\(\s*<?([^)\s>]*)|\]:\s*<?(\S+)")


@dataclass(frozen=True)
class Policy:
    """What one page may contain."""

    tags: frozenset[str]
    attributes: dict[str, frozenset[str]]
    styles: frozenset[str]
    schemes: frozenset[str]


def policy_for(english: str) -> Policy:
    """The allow-list of a page whose English Markdown (includes expanded) is ``english``."""
    return _policy(english)


@lru_cache(maxsize=1024)
def _policy(english: str) -> Policy:
    tags = set(BASE_TAGS)
    attributes = {tag: set(names) for tag, names in BASE_ATTRIBUTES.items()}
    attributes["*"] = set(GENERIC_ATTRIBUTES)
    styles = set(BASE_STYLES)
    schemes = set(SAFE_SCHEMES)
    for m in _TAG.finditer(english):
        tag = m.group(1).lower()
        if tag in NEVER_TAGS:
            continue
        tags.add(tag)
        _take_attributes(m.group(2), attributes.setdefault(tag, set()), styles, schemes)
    for m in _ATTR_LIST.finditer(english):
        _take_attributes(m.group(1), attributes["*"], styles, schemes)
    for m in _URL.finditer(english):
        scheme = url_scheme(m.group(1) or m.group(2) or "")
        if scheme:
            schemes.add(scheme)
    return Policy(
        frozenset(tags),
        {tag: frozenset(names) for tag, names in attributes.items()},
        frozenset(styles),
        frozenset(schemes - NEVER_SCHEMES),
    )


def _take_attributes(text: str, names: set[str], styles: set[str], schemes: set[str]) -> None:
    for m in _ATTRIBUTE.finditer(text):
        name, value = m.group(1).lower(), (m.group(2) or "").strip("\"'")
        if name == "style":  # allowed with the English's properties only (no url(), no expression())
            styles.update(p.lower() for p in _STYLE_PROPERTY.findall(value))
        if name in NEVER_ATTRIBUTES or not ALLOWED_ATTRIBUTE.match(name):
            continue
        names.add(name)
        scheme = url_scheme(value) if value else None
        if scheme:
            schemes.add(scheme)


def sanitize(html: str, policy: Policy) -> str:
    """``html`` with everything ``policy`` does not allow taken out (text kept, script dropped)."""
    return nh3.clean(
        html,
        tags=set(policy.tags),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in policy.attributes.items()},
        url_schemes=set(policy.schemes),
        strip_comments=True,
        link_rel=None,
        filter_style_properties=set(policy.styles),
    )


def plain_title(title: str | None) -> str | None:
    """A page title that stays text where themes print it.

    Titles are HTML text, printed unescaped; a heading's text can reach them
    with a raw ``<`` (Python-Markdown's toc leaves ``>`` and escaped ``<``
    unescaped), and Material's ``<title>`` runs them through Jinja's
    ``striptags``, which turns ``&lt;/title&gt;`` back into markup.  So a
    ``<`` in the title's text becomes ``＜``.
    """
    if title is None:
        return None
    text = html.unescape(title)
    return html.escape(text.replace("<", "\uff1c"), quote=False) if "<" in text else title


def plain_label(label: str) -> str:
    """A table-of-contents label (HTML text, printed unescaped by themes) without a raw ``<``."""
    return label.replace("<", "&lt;")
