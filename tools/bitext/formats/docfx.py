"""DocFX docset files: the Markdown table of contents, the redirect map, the site's paths.

Microsoft docsets describe navigation in a ``TOC.md`` (nested headings whose
text is a link), retired pages in ``.openpublishing.redirection.json``, and
where the docset is published in ``docfx.json``.  The site (navigation,
redirects) and the link checker (absolute site paths, redirects) read them
through this module.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bitext.core import frontmatter, markup
from bitext.core.errors import BitextError
from bitext.core.files import line_of, read_text

REDIRECTION_FILES = (".openpublishing.redirection.json", "redirection.json")
TOC_NAMES = ("toc.md",)


def is_toc(rel: str) -> bool:
    """A docfx Markdown table of contents: navigation data, not an article."""
    return posixpath.basename(rel).lower() in TOC_NAMES


def redirect_stub(text: str, path: str = "") -> tuple[str, int] | None:
    """The ``redirect_url`` and its line of a docfx redirect stub (front matter only, no body), else None.

    Raises a BitextError naming ``path`` when the value is not valid YAML.
    """
    fm = frontmatter.split(text)
    if fm is None or text[fm.end :].strip():
        return None
    block = fm.get("redirect_url")
    if block is None:
        return None
    value = frontmatter.value(block, path)
    value = str(value).strip() if value is not None else ""
    return (value, block.line) if value else None


_TOC_LINE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TOC_LINK = re.compile(r"^\[(?P<title>.*)\]\((?P<href>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)$")


@dataclass
class TocEntry:
    """One heading of a docfx Markdown TOC: a page (``href``) or a group (no href)."""

    title: str
    href: str | None
    line: int
    level: int
    children: list[TocEntry] = field(default_factory=list)


def parse_toc(text: str, path: str = "TOC.md") -> list[TocEntry]:
    """The tree of a docfx Markdown TOC (``# [Title](page.md)``, ``## Group``, ...)."""
    roots: list[TocEntry] = []
    stack: list[TocEntry] = []
    for number, line in enumerate(text.splitlines(), 1):
        m = _TOC_LINE.match(line)
        if not m:
            continue
        level = len(m.group(1))
        content = m.group(2).strip()
        link = _TOC_LINK.match(content)
        entry = TocEntry(
            link.group("title").strip() if link else content, link.group("href") if link else None, number, level
        )
        if not entry.title:
            raise BitextError.at(path, number, "TOC entry without a title", "toc")
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(entry)
        stack.append(entry)
    return roots


def walk(entries: list[TocEntry]):
    """Every entry of a TOC tree, depth first."""
    for entry in entries:
        yield entry
        yield from walk(entry.children)


@dataclass(frozen=True)
class Redirect:
    """A retired page: ``source`` (docs-relative ``.md`` path) now lives at ``target``.

    ``target`` is a docs-relative ``.md`` path when it points into this docset,
    otherwise the absolute URL.
    """

    source: str
    target: str
    line: int
    origin: str = ""  # the file that declares it, as shown in findings

    @property
    def internal(self) -> bool:
        return not urlsplit(self.target).scheme


@dataclass
class Docset:
    """Where the docset is published, so absolute links can be mapped back to pages."""

    base_paths: tuple[str, ...] = ()  # e.g. ("/office365/securitycompliance/",), lower-case
    base_urls: tuple[str, ...] = ()  # e.g. ("https://docs.microsoft.com/office365/securitycompliance/",)

    def to_page(self, url: str) -> str | None:
        """The docs-relative path a site URL or absolute path points to, or None if it leaves the docset.

        ``/Office365/SecurityCompliance/x`` and
        ``https://docs.microsoft.com/en-us/office365/securitycompliance/x`` → ``x``
        (the caller resolves ``x`` to ``x.md`` or ``x/index.md``).
        """
        parts = urlsplit(url)
        path = parts.path
        if parts.scheme:
            host = f"{parts.scheme}://{parts.netloc}".lower()
            if not any(b.startswith(host + "/") for b in self.base_urls):
                return None
        lowered = markup.without_locale(path.lower())
        for base in self.base_paths:
            if lowered.startswith(base):
                return path[len(path) - len(lowered) + len(base) :]
            if lowered + "/" == base:
                return ""
        return None

    def with_urls(self, urls: tuple[str, ...]) -> Docset:
        """This docset also published at ``urls``."""
        more = read_docset(None, urls)
        return Docset(
            tuple(dict.fromkeys((*self.base_paths, *more.base_paths))),
            tuple(dict.fromkeys((*self.base_urls, *more.base_urls))),
        )


def read_docset(docfx_json: Path | None, extra_urls: tuple[str, ...] = ()) -> Docset:
    """Base paths from ``docfx.json`` (its ``breadcrumb_path`` names the docset's site folder)."""
    bases: list[str] = []
    if docfx_json is not None and docfx_json.is_file():
        try:
            data = json.loads(read_text(docfx_json))
        except json.JSONDecodeError as exc:
            raise BitextError.at(str(docfx_json), exc.lineno, f"invalid JSON: {exc.msg}", "docfx") from None
        build = data.get("build") if isinstance(data, dict) else None
        meta = build.get("globalMetadata") if isinstance(build, dict) else None
        breadcrumb = meta.get("breadcrumb_path") if isinstance(meta, dict) else None
        if isinstance(breadcrumb, str) and breadcrumb.startswith("/"):
            bases.append(posixpath.dirname(posixpath.dirname(breadcrumb)).lower().rstrip("/") + "/")
    urls = []
    for url in extra_urls:
        parts = urlsplit(url)
        base = parts.path.lower().rstrip("/") + "/"
        bases.append(base)
        urls.append(f"{parts.scheme}://{parts.netloc}{base}".lower())
    return Docset(tuple(dict.fromkeys(bases)), tuple(dict.fromkeys(urls)))


def read_redirections(path: Path, pages: set[str], docset: Docset) -> list[Redirect]:
    """The entries of a docfx redirect map, with sources and targets made docs-relative.

    ``source_path`` is relative to the repository, whose docset folder
    (``securitycompliance/``) is dropped when the path does not resolve as is.
    """
    if not path.is_file():
        raise BitextError.at(str(path), 1, "redirect map not found", "redirection")
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BitextError.at(str(path), exc.lineno, f"invalid JSON: {exc.msg}", "redirection") from None
    entries = data.get("redirections") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise BitextError.at(str(path), 1, 'no "redirections" list', "redirection")
    out = []
    for entry in entries:
        source = entry.get("source_path") if isinstance(entry, dict) else None
        target = entry.get("redirect_url") if isinstance(entry, dict) else None
        line = line_of(text, json.dumps(source)) if isinstance(source, str) else 1
        if not isinstance(source, str) or not isinstance(target, str):
            raise BitextError.at(str(path), line, "redirection entry needs source_path and redirect_url", "redirection")
        out.append(Redirect(_docs_relative(source, pages), _target(target, docset, pages), line))
    return out


def _docs_relative(source: str, pages: set[str]) -> str:
    source = source.lstrip("/")
    if source in pages or "/" not in source:
        return source
    lowered = {p.lower(): p for p in pages}
    rest = source.split("/", 1)[1]
    return lowered.get(rest.lower(), lowered.get(source.lower(), rest))


def _target(url: str, docset: Docset, pages: set[str]) -> str:
    page = docset.to_page(url) if urlsplit(url).scheme or url.startswith("/") else url
    if page is None:
        return url
    resolved = resolve_page(page, pages)
    return resolved if resolved is not None else url


def resolve_page(path: str, pages: set[str]) -> str | None:
    """A link path to a page (``x``, ``x.md``, ``x/``, ``x/index.md``), or None."""
    path = path.split("#", 1)[0].split("?", 1)[0].strip("/")
    candidates = [path] if path.endswith(".md") else [path + ".md", posixpath.join(path, "index.md")]
    if path == "":
        candidates = ["index.md"]
    return next((c for c in candidates if c in pages), None)


def find_redirection_file(root: Path) -> Path | None:
    for name in REDIRECTION_FILES:
        if (root / name).is_file():
            return root / name
    return None
