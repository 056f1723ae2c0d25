"""Inline markup inside a segment: code spans, raw HTML tags, links, images and URLs.

Segments keep their inline Markdown, so every stage that must treat markup as
markup (the compiler's injection guard, QA parity checks, link checks) needs to
find it with character offsets.  markdown-it-py parses CommonMark faithfully
but its inline tokens carry no offsets, so this small scanner is written by
hand, following the CommonMark definitions of code spans, raw HTML, links and
autolinks closely enough for one sentence of text.

``link_targets`` and ``link_parity`` are the one answer to "where does this
sentence point, and did its translation keep that": ``bitext check`` and
``bitext links`` both report from them.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

# Open tags as leniently as Python-Markdown and browsers take them (``<svg/onload=...>``
# has no space before its attribute), not as strictly as CommonMark defines them.
_TAG = re.compile(
    r"<(?:(?P<open>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>[\s/][^<>]*)?>"
    r"|/(?P<close>[A-Za-z][A-Za-z0-9-]*)\s*>"
    r"|!--(?P<comment>.*?)-->"
    r"|\?.*?\?>"
    r"|![A-Za-z][^>]*>"
    r"|!\[CDATA\[.*?\]\]>)",
    re.S,
)
_ATTR_ONE = re.compile(r"""([A-Za-z_:][A-Za-z0-9_.:-]*)(?:\s*=\s*([^\s"'=<>`]+|'[^']*'|"[^"]*"))?""")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.-]*):")
_TITLE = re.compile(r"(.*?)\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\))$", re.S)
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
# Python-Markdown's attr_list: "{: #id .class key=value }" after an element sets its attributes.
_ATTR_LIST = re.compile(r"\{:?[ \t]*(?:[#.][^\s}]+|[A-Za-z_][\w:-]*[ \t]*=)[^}\n]*\}")
# Schemes that only navigate; any other one (javascript:, data:, vbscript: ...) runs or embeds content.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "tel"})
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "poster",
        "srcset",
        "data",
        "background",
        "cite",
        "longdesc",
        "usemap",
        "ping",
        "manifest",
        "codebase",
        "dynsrc",
        "lowsrc",
    }
)
# An empty named anchor: it shows nothing and runs nothing (Microsoft's pipeline moves them around).
INERT_ANCHOR = re.compile(r"<a\s+name\s*=\s*(\"[^\"<>]*\"|'[^'<>]*')\s*>(\s*)</a\s*>", re.I)
# A URL typed as text, with the prefixes GitHub Flavored Markdown's extended autolinks
# recognize (http://, https://, ftp://, www.).  It stops at spaces, brackets, quotes and
# letters of other scripts (machine translation glues particles to it: "https://x.com를"),
# keeps DocFX-escaped placeholders (https://\<tenant\>.sharepoint.com), and, as in GFM,
# does not end in sentence punctuation or emphasis markers.  Only the scheme is
# case-insensitive: re.I would let "k" match the Kelvin sign U+212A, which the
# excluded range holds.
_URL_CHAR = r"[^\s<>()\[\]\"'`\\\u1100-\uffff]|\\<[^<>\s]*\\?>|\\[^<\s]"
_URL_LAST = r"[^\s<>()\[\]\"'`\\\u1100-\uffff.,;:!?*_~]|\\<[^<>\s]*\\?>|\\[^<\s]"
BARE_URL = re.compile(rf"(?:(?i:https?|ftp)://|(?i:www)\.)(?:{_URL_CHAR})*(?:{_URL_LAST})")
# A locale folder as the first segment of a URL path: /en-us/, /ko-KR/, /zh-hans/, /zh-hant-tw/
# (language, then region or script; "/it-pro/" or "/in-app/" are no locale).
LOCALE_SEGMENT = re.compile(r"/[a-z]{2,3}-(?:[a-z]{4}(?:-[a-z]{2})?|[a-z]{2})(?=/|$)", re.I)


@dataclass(frozen=True)
class Tag:
    """One piece of raw HTML: an open/close/self-closing tag, comment or declaration."""

    start: int
    end: int
    name: str  # lower-case element name; "!--" for comments, "!" for other declarations
    closing: bool
    attrs: tuple[tuple[str, str | None], ...]
    value_starts: tuple[int, ...] = ()  # where each attribute's value starts in the text (-1: no value)

    @property
    def signature(self) -> tuple:
        """What must match between source and target: element, direction, attribute names."""
        return (self.name, self.closing, tuple(sorted(a for a, _ in self.attrs)))


@dataclass(frozen=True)
class Link:
    """An inline Markdown link or image: ``[text](dest "title")`` / ``![alt](dest)``."""

    start: int  # the "!" of an image or the "[" of a link
    end: int  # just after ")"
    dest: str
    image: bool
    text_start: int
    text_end: int


def escaped(text: str, pos: int) -> bool:
    """True when the character at ``pos`` is escaped by an odd run of backslashes."""
    n = 0
    while pos - n - 1 >= 0 and text[pos - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every span (they may overlap) turned into as many spaces: offsets stay."""
    if not spans:
        return text
    out = []
    pos = 0
    for s, e in sorted(spans):
        if e <= pos:
            continue
        s = max(s, pos)
        out.append(text[pos:s])
        out.append(" " * (e - s))
        pos = e
    out.append(text[pos:])
    return "".join(out)


def without_bare_urls(text: str) -> str:
    """``text`` with its typed URLs (``BARE_URL``) replaced by a space each."""
    if "://" not in text and "www." not in text.lower():  # what every bare URL starts with
        return text
    return BARE_URL.sub(" ", text)


def code_spans(text: str) -> list[tuple[int, int]]:
    """Offsets (start, end) of the CommonMark code spans in ``text``, delimiters included."""
    spans: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while True:
        start = text.find("`", pos)
        if start == -1:
            return spans
        run_end = start
        while run_end < n and text[run_end] == "`":
            run_end += 1
        if escaped(text, start):
            pos = start + 1
            continue
        width = run_end - start
        search = run_end
        while True:
            close = text.find("`" * width, search)
            if close == -1:
                pos = run_end
                break
            close_end = close + width
            if (close_end < n and text[close_end] == "`") or text[close - 1] == "`":
                search = close_end
                while search < n and text[search] == "`":
                    search += 1
                continue
            spans.append((start, close_end))
            pos = close_end
            break


def _outside(spans: list[tuple[int, int]], pos: int) -> bool:
    return not any(s <= pos < e for s, e in spans)


def html_tags(text: str, code: list[tuple[int, int]] | None = None) -> list[Tag]:
    """Raw HTML in ``text`` that a Markdown renderer would pass through."""
    if "<" not in text:
        return []
    code = code_spans(text) if code is None else code
    tags = []
    for m in _TAG.finditer(text):
        if escaped(text, m.start()) or not _outside(code, m.start()):
            continue
        if m.group("open"):
            found = list(_ATTR_ONE.finditer(m.group("attrs") or ""))
            attrs = tuple((a.group(1).lower(), _unquote(a.group(2))) for a in found)
            base = m.start("attrs")
            starts = tuple(base + a.start(2) + (a.group(2)[0] in "'\"") if a.group(2) else -1 for a in found)
            tags.append(Tag(m.start(), m.end(), m.group("open").lower(), False, attrs, starts))
        elif m.group("close"):
            tags.append(Tag(m.start(), m.end(), m.group("close").lower(), True, ()))
        elif m.group("comment") is not None:
            tags.append(Tag(m.start(), m.end(), "!--", False, ()))
        else:
            tags.append(Tag(m.start(), m.end(), "!", False, ()))
    return tags


def _unquote(value: str | None) -> str | None:
    if value and value[0] in "'\"" and value[-1] == value[0]:
        return value[1:-1]
    return value


def autolinks(text: str, code: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    if "<" not in text:
        return []
    code = code_spans(text) if code is None else code
    return [
        (m.start(), m.end(), m.group(1))
        for m in _AUTOLINK.finditer(text)
        if not escaped(text, m.start()) and _outside(code, m.start())
    ]


def links(text: str, code: list[tuple[int, int]] | None = None) -> list[Link]:
    """Inline links and images, outermost and nested (an image inside a link is listed too)."""
    if "](" not in text:
        return []
    code = code_spans(text) if code is None else code
    spans = dict(code)  # a code span by where it starts: its brackets are no link's
    found: list[Link] = []
    opens: list[int] = []
    n = len(text)
    after = 0  # the end of the last code span skipped
    # Only brackets and backticks matter: left to right over them, the rest of the text is passed over.
    for m in _BRACKET_OR_TICK.finditer(text):
        i = m.start()
        if i < after:
            continue
        ch = text[i]
        if ch == "`":
            if i in spans:
                after = spans[i]
        elif ch == "[":
            if not escaped(text, i):
                opens.append(i)
        elif opens and not escaped(text, i):
            start = opens.pop()
            if i + 1 < n and text[i + 1] == "(":
                parsed = _destination(text, i + 2)
                if parsed is not None:
                    dest, end = parsed
                    image = start > 0 and text[start - 1] == "!" and not escaped(text, start - 1)
                    found.append(Link(start - 1 if image else start, end, dest, image, start + 1, i))
    found.sort(key=lambda link: link.start)
    return found


_BRACKET_OR_TICK = re.compile(r"[\[\]`]")


def _destination(text: str, pos: int) -> tuple[str, int] | None:
    """Parse ``dest "title")`` starting at ``pos``; return (dest, offset after ")").

    As leniently as Python-Markdown, which renders the site: the destination
    runs to the matching ``)`` and may hold spaces and line breaks (a browser
    drops the breaks: ``java<newline>script:`` is ``javascript:``).
    """
    depth = 0
    end = pos
    n = len(text)
    while end < n:
        c = text[end]
        if c == "\\" and end + 1 < n:
            end += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        end += 1
    if end >= n:
        return None
    content = text[pos:end].strip()
    if content.startswith("<") and ">" in content:
        return content[1 : content.index(">")], end + 1
    m = _TITLE.match(content)
    return (m.group(1) if m else content), end + 1


def scheme(url: str) -> str | None:
    m = _SCHEME.match(url)
    return m.group(1).lower() if m else None


def remote(url: str) -> bool:
    """True for URLs that leave the site (a scheme or a protocol-relative ``//host``)."""
    url = url.strip()
    return url.startswith("//") or scheme(url) is not None


def unsafe_url(url: str) -> bool:
    """True for URLs that run code or embed data (``javascript:``, ``data:`` ...).

    Read as a browser reads it: character references decoded, control
    characters and whitespace inside the scheme ignored (``java&#10;script&#58;``).
    """
    s = scheme(_CONTROL.sub("", html.unescape(url)))
    return s is not None and s not in SAFE_SCHEMES


# --- where a sentence points ---------------------------------------------------------------------

_ORIGIN = re.compile(r"(?i:(?:https?:)?//)([^/?#]*)")


@dataclass(frozen=True)
class LinkTarget:
    """A destination of a sentence as written, and where it starts in the text."""

    url: str
    start: int
    kind: str  # "link", "image", "autolink", "attribute" (href, src ... of raw HTML) or "text" (a typed URL)


def may_point(text: str) -> bool:
    """False when ``text`` surely has no destination: no link, raw HTML or typed URL."""
    return "](" in text or "<" in text or "://" in text or "www." in text.lower()


def link_targets(text: str) -> list[LinkTarget]:
    """Every destination ``text`` points a reader to, in order: inline links and images,
    autolinks, URL attributes of raw HTML, and URLs typed as text (not inside link text)."""
    if not may_point(text):
        return []
    typed = "://" in text or "www." in text.lower()
    code = code_spans(text) if "`" in text else []
    inline, tags, auto = links(text, code), html_tags(text, code), autolinks(text, code)
    found = [LinkTarget(link.dest, link.start, "image" if link.image else "link") for link in inline]
    found += [LinkTarget(url, start, "autolink") for start, _, url in auto]
    for tag in tags:
        for (attr, value), at in zip(tag.attrs, tag.value_starts, strict=False):
            if attr in URL_ATTRIBUTES and value:
                found.append(LinkTarget(value, at, "attribute"))
    if typed:
        # A URL typed inside link text is words of the link, not a second destination.
        taken = [
            *code,
            *((link.text_start, link.end) for link in inline),
            *((t.start, t.end) for t in tags),
            *((start, end) for start, end, _ in auto),
        ]
        found += [
            LinkTarget(m.group(), m.start(), "text") for m in BARE_URL.finditer(text) if _outside(taken, m.start())
        ]
    return sorted((t for t in found if t.url.strip()), key=lambda t: t.start)


def _web_path(url: str) -> tuple[str, str] | None:
    """(origin without scheme, path and rest) of an http(s), protocol-relative or site-absolute URL."""
    m = _ORIGIN.match(url)
    if m:
        return "//" + m.group(1).lower(), url[m.end() :]
    return ("", url) if url.startswith("/") else None


def url_locale(url: str) -> str:
    """The locale folder a web URL names (``en-us`` for ``https://host/en-us/x``), lower-case; "" if none."""
    parts = _web_path(url.strip())
    m = LOCALE_SEGMENT.match(parts[1]) if parts else None
    return m.group()[1:].lower() if m else ""


def without_locale(path: str) -> str:
    """A URL path with its leading locale folder taken out: ``/en-us/x`` → ``/x``."""
    m = LOCALE_SEGMENT.match(path)
    return path[m.end() :] if m else path


def comparable_url(url: str) -> str:
    """A destination as compared between a source and its translation: http against https,
    the host's case and a locale folder (``/en-us/`` against ``/ko-kr/``) make no difference."""
    url = url.strip()
    parts = _web_path(url)
    return parts[0] + without_locale(parts[1]) if parts else url


@dataclass(frozen=True)
class ParityIssue:
    """How one destination of a translation differs from its source's."""

    kind: str  # "dropped", "added", "changed", or "localized" (the same destination in another locale)
    source: str  # the source's destination as written ("" when added)
    target: str  # the translation's ("" when dropped)
    offset: int  # where the translation's destination starts (0 when dropped)


def link_parity(source: str, target: str) -> list[ParityIssue]:
    """How the destinations of ``target`` differ from those of its ``source``, in target order.

    Destinations are matched by ``comparable_url``; a matched pair that names
    another locale folder is ``localized`` (a choice some teams make, others
    forbid).  What is left unmatched on both sides pairs up, in order, as
    ``changed``; the rest is ``dropped`` or ``added``.
    """
    remaining: dict[str, list[str]] = defaultdict(list)
    for t in link_targets(source):
        remaining[comparable_url(t.url)].append(t.url)
    issues: list[ParityIssue] = []
    added: list[LinkTarget] = []
    for t in link_targets(target):
        kept = remaining.get(comparable_url(t.url))
        if not kept:
            added.append(t)
            continue
        locale = url_locale(t.url)
        same = next((u for u in kept if url_locale(u) == locale), kept[0])
        kept.remove(same)
        if url_locale(same) != locale:
            issues.append(ParityIssue("localized", same, t.url, t.start))
    dropped = [url for urls in remaining.values() for url in urls]
    issues += [ParityIssue("changed", d, a.url, a.start) for d, a in zip(dropped, added, strict=False)]
    issues += [ParityIssue("dropped", d, "", 0) for d in dropped[len(added) :]]
    issues += [ParityIssue("added", "", a.url, a.start) for a in added[len(dropped) :]]
    return sorted(issues, key=lambda i: i.offset)


@dataclass(frozen=True)
class Injection:
    start: int
    end: int
    what: str


def injected_markup(source: str, target: str) -> list[Injection]:
    """Markup in ``target`` that ``source`` does not have, and would change the page.

    Allowed: the source's own tags (attribute values may differ, URLs must stay
    safe), its links and images (destinations may be localized), and inert
    ``<a name="..."></a>`` anchors, which Microsoft's pipeline moves into
    targets whose English side it left empty.
    """
    if "<" not in target and "](" not in target and "{" not in target:
        return []
    out: list[Injection] = []
    tcode = code_spans(target)
    inert = [
        (m.start(), m.end())
        for m in INERT_ANCHOR.finditer(target)
        if not escaped(target, m.start()) and _outside(tcode, m.start())
    ]
    allowed = Counter(t.signature for t in html_tags(source))
    for tag in html_tags(target, tcode):
        if any(s <= tag.start < e for s, e in inert):
            continue
        if allowed[tag.signature] > 0:
            allowed[tag.signature] -= 1
            bad = [v for a, v in tag.attrs if a in URL_ATTRIBUTES and v and unsafe_url(v)]
            if not bad:
                continue
            out.append(Injection(tag.start, tag.end, f"unsafe URL {bad[0]!r} in <{tag.name}>"))
            continue
        label = "comment" if tag.name == "!--" else f"</{tag.name}>" if tag.closing else f"<{tag.name}>"
        out.append(Injection(tag.start, tag.end, f"{label} not in the source"))
    source_urls = {link.dest for link in links(source)} | {u for _, _, u in autolinks(source)}
    source_images = Counter(link.dest for link in links(source) if link.image)
    for start, end, url in autolinks(target, tcode):
        if unsafe_url(url) and url not in source_urls:
            out.append(Injection(start, end, f"unsafe URL {url!r}"))
    for link in links(target, tcode):
        if link.image:
            # A local image is the site's own content (MT often moves one out of
            # the English); a remote one would make the page fetch from elsewhere.
            if source_images[link.dest] > 0:
                source_images[link.dest] -= 1
            elif remote(link.dest):
                out.append(Injection(link.start, link.end, f"remote image {link.dest!r} not in the source"))
                continue
        if unsafe_url(link.dest) and link.dest not in source_urls:
            out.append(Injection(link.start, link.end, f"unsafe URL {link.dest!r}"))
    source_lists = Counter(m.group() for m in _ATTR_LIST.finditer(source))
    for m in _ATTR_LIST.finditer(target):
        if escaped(target, m.start()) or not _outside(tcode, m.start()):
            continue
        if source_lists[m.group()] > 0:
            source_lists[m.group()] -= 1
        else:
            out.append(Injection(m.start(), m.end(), f"attribute list {m.group()!r} not in the source"))
    out.sort(key=lambda i: i.start)
    return out


def neutralize(target: str, injections: list[Injection], html_context: bool) -> str:
    """Turn injected markup into literal text: readers see it, browsers don't run it."""
    pieces = []
    last = 0
    for inj in injections:
        if inj.start < last:
            continue
        pieces.append(target[last : inj.start])
        chunk = target[inj.start : inj.end]
        if html_context:
            pieces.append(chunk.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
        else:
            pieces.append(re.sub(r"([<>\[\]!{}])", r"\\\1", chunk))
        last = inj.end
    pieces.append(target[last:])
    return "".join(pieces)
