"""Where a link leads on the site: pages and assets, redirects, the docset's public addresses.

``Site.resolve(page, target)`` turns a link as written on a page into a
``Resolution``: a page or file under ``docs/en`` (``x.md``, ``x``, ``x/``,
``x.html``, ``/base/path/x`` and ``https://host/base/path/x`` of the docset
all lead to ``x.md``), followed through redirects (docfx redirect map,
mkdocs-redirects' ``redirect_maps``, ``redirect_url`` stubs), an external
URL, or a problem with its finding code (missing, wrong case, redirect loop,
bad URL).  The link checker (``bitext.links.check``) reports what it says.
"""

from __future__ import annotations

import difflib
import functools
import posixpath
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from bitext.core import markup
from bitext.links import http as urlcheck
from bitext.links import scan as linkscan
from bitext.project.sitefiles import SiteFiles

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".ico", ".avif"})
REDIRECT_HOPS = 20
# How alike (difflib's ratio) a name must be to a broken link's to be offered as "did you mean":
# anchors are short slugs, where one changed word weighs more than in a path.
SIMILAR_ANCHOR = 0.8
SIMILAR_PATH = 0.85


@dataclass(frozen=True)
class Resolution:
    """Where a reference leads: a page or file of the site, an external URL, or a problem.

    ``kind`` is ``page``, ``file``, ``external``, ``mail`` or ``other``
    (a scheme bitext does not check); ``problem`` is a finding code when the
    reference is broken.
    """

    kind: str = ""
    path: str = ""  # docs-relative page or file
    fragment: str = ""
    url: str = ""  # the URL to fetch for external targets
    redirects: tuple[str, ...] = ()  # redirected pages passed through
    problem: str = ""
    message: str = ""


class Site:
    """The files a reference can reach: pages and assets of the site's files, redirects, the docset's URLs.

    ``base_urls`` are more addresses of the docset, which only the link check
    knows (``links.base_urls``, ``site_url``, ``--base-url``).
    """

    def __init__(self, files: SiteFiles, base_urls: tuple[str, ...] = ()):
        self.project = files.project
        self.files = files.files
        self.lower: dict[str, str] = {}
        for path in sorted(self.files):
            self.lower.setdefault(path.lower(), path)
        self.pages = {f for f in self.files if f.endswith(".md")}
        self.generated = set(files.generated)  # made at build time
        self.files |= self.generated
        self.pages |= self.generated
        self._pools = {True: frozenset(self.pages), False: frozenset(self.files)}  # for suggestions
        urls = (*base_urls, *files.options.docset_urls)
        self.docset = files.docfx_docset.with_urls(urls)
        self.origins = tuple(
            dict.fromkeys(f"{p.scheme}://{p.netloc}" for p in map(urlsplit, urls) if p.scheme and p.netloc)
        )
        self.stubs = set(files.stubs)
        # source -> (target, file, line), as the site's files merge them.
        self.redirects: dict[str, tuple[str, str, int]] = {
            r.source: (r.target, r.origin, r.line) for r in files.redirects.values()
        }

    def resolve(self, page: str, target: str, kind: str = linkscan.LINK) -> Resolution:
        """Where ``target``, written on ``page`` (docs-relative), leads."""
        raw = target.strip()
        if raw.startswith("<") and raw.endswith(">"):
            raw = raw[1:-1]
        if not raw:
            return Resolution(problem="empty-link", message="empty link target")
        if raw.startswith("#"):
            return Resolution("page", page, unquote(raw[1:]))
        scheme = markup.scheme(raw)
        fragment = unquote(raw.partition("#")[2])
        if scheme in ("http", "https") or raw.startswith("//"):
            inside = self.docset.to_page(raw) if scheme else None
            if inside is not None:
                return self._lookup(unquote(inside), fragment, kind, raw)
            problem = urlcheck.syntax_problem(raw if scheme else "https:" + raw)
            if problem:
                return Resolution(problem="bad-url", message=f"invalid URL: {problem}")
            return Resolution("external", url=urlcheck.defragment(raw if scheme else "https:" + raw))
        if scheme == "mailto":
            address = raw[7:].split("?", 1)[0].strip()
            if "@" not in address or any(c.isspace() for c in address):
                return Resolution(problem="bad-url", message="mailto: link without a valid address")
            return Resolution("mail")
        if scheme:
            return Resolution("other")
        if raw.startswith("/"):
            inside = self.docset.to_page(raw)
            if inside is not None:
                return self._lookup(unquote(inside), fragment, kind, raw)
            if self.origins:
                return Resolution("external", url=urlcheck.defragment(self.origins[0] + raw))
            return Resolution(
                problem="absolute-link",
                message="absolute path outside the docset: set links.base_urls (or docfx.json) "
                "so it can be mapped to a page",
            )
        path = unquote(raw.split("#", 1)[0].split("?", 1)[0])
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
        if joined == ".." or joined.startswith("../"):
            return Resolution(problem=missing_code(kind, path), message="points outside the docs folder")
        return self._lookup(joined if joined != "." else "", fragment, kind, raw)

    def _candidates(self, path: str) -> list[str]:
        path = path.strip("/")
        suffix = PurePosixPath(path).suffix.lower()
        if suffix == ".md":
            return [path]
        if suffix == ".html":
            return [path[:-5] + ".md", path]
        if suffix:
            return [path]
        return [posixpath.join(path, "index.md")] if not path else [path + ".md", path + "/index.md"]

    def _lookup(self, path: str, fragment: str, kind: str, raw: str) -> Resolution:
        candidates = self._candidates(path)
        for c in candidates:
            if c in self.files and c not in self.stubs:
                return Resolution("page" if c.endswith(".md") else "file", c, fragment)
        for c in candidates:
            if c in self.redirects:
                return self.follow(c, fragment, kind)
        for c in candidates:
            actual = self.lower.get(c.lower())
            if actual is not None:
                return Resolution(
                    problem="case-mismatch",
                    message=f"not found; exists as {actual} (works on Windows and macOS, breaks on Linux servers)",
                )
        code = missing_code(kind, path)
        what = {"missing-image": "image", "missing-include": "include file", "missing-file": "file"}.get(code, "page")
        hint = self._suggest(candidates[0])
        return Resolution(problem=code, message=f"no {what} {candidates[0]}{hint}")

    def follow(self, source: str, fragment: str = "", kind: str = linkscan.LINK) -> Resolution:
        """Where the redirect chain from ``source`` (a docs-relative path) ends."""
        seen = [source]
        current = source
        for _ in range(REDIRECT_HOPS):
            target = self.redirects[current][0].strip()  # a URL parser drops the spaces around a URL
            unsafe = urlcheck.unsafe_character(target) or ("\\" if "\\" in target else None)
            if unsafe is not None or any(c.isspace() for c in target):
                what = f"{unsafe!r}" if unsafe is not None else "white space"
                return Resolution(
                    problem="broken-redirect",
                    redirects=tuple(seen),
                    message=f"{current} redirects to an invalid target {target!r}: it contains {what}, "
                    f"which a URL must percent-encode",
                )
            inside = self.docset.to_page(target) if urlsplit(target).scheme or target.startswith("/") else target
            if inside is None:
                url = self.origins[0] + target if target.startswith("/") and self.origins else target
                if urlsplit(url).scheme not in ("http", "https"):
                    return Resolution(
                        problem="broken-redirect",
                        redirects=tuple(seen),
                        message=f"{source} redirects to {target}, outside the docset",
                    )
                return Resolution("external", url=urlcheck.defragment(url), fragment=fragment, redirects=tuple(seen))
            candidates = self._candidates(unquote(inside))
            found = next((c for c in candidates if c in self.files and c not in self.stubs), None)
            if found is not None:
                return Resolution("page" if found.endswith(".md") else "file", found, fragment, redirects=tuple(seen))
            nxt = next((c for c in candidates if c in self.redirects), None)
            if nxt is None:
                return Resolution(
                    problem=missing_code(kind, target),
                    redirects=tuple(seen),
                    message=f"{source} redirects to {target}, which does not exist",
                )
            if nxt in seen:
                return Resolution(
                    problem="redirect-loop",
                    redirects=tuple(seen),
                    message="redirect loop: " + " -> ".join([*seen, nxt]),
                )
            seen.append(nxt)
            current = nxt
        return Resolution(
            problem="redirect-loop", redirects=tuple(seen), message=f"more than {REDIRECT_HOPS} redirects from {source}"
        )

    def _suggest(self, path: str) -> str:
        close = _closest(path, self._pools[path.endswith(".md")])
        return f"; did you mean {close}?" if close else ""


@functools.lru_cache(maxsize=4096)
def _closest(path: str, pool: frozenset[str]) -> str | None:
    """The path of ``pool`` most like ``path``, if close enough.

    Kept per process: a broken link is found in both languages' views of a
    page, and ``mkdocs serve`` checks the same links again after every save
    (difflib over every file of the docset: most of a link check's time).
    """
    close = difflib.get_close_matches(path, pool, n=1, cutoff=SIMILAR_PATH)
    return close[0] if close else None


def missing_code(kind: str, path: str) -> str:
    if kind == linkscan.INCLUDE:
        return "missing-include"
    suffix = PurePosixPath(path.split("#", 1)[0].split("?", 1)[0]).suffix.lower()
    if kind in (linkscan.IMAGE, linkscan.SRC) or suffix in IMAGE_SUFFIXES:
        return "missing-image"
    if suffix and suffix not in (".md", ".html"):
        return "missing-file"
    return "missing-page"
