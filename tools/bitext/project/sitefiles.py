"""The site's files, read once: what each file of the English docs folder is, the redirects, the docset's URLs.

Under the English docs folder a Markdown file is a *page* (published), an
*include* (under an ``includes/`` folder: text pages pull in, never a page of
its own), a *redirect stub* (front matter holding ``redirect_url`` and no
body) or a docfx *TOC* (``TOC.md``, or a file named like the site's ``toc``
option: navigation data); any other file is an *asset*.

Redirects come from three places, merged in this order, the first to name a
source winning: mkdocs-redirects' ``redirect_maps`` in mkdocs.yml, the redirect
stubs, the docfx redirect map (the plugin's ``redirection_file``, else
``.openpublishing.redirection.json`` or ``redirection.json`` at the project
root).  A real page wins over any redirect naming it.  Each redirect keeps
the file and line it comes from, for findings.

``docfx.json`` is looked up in one order, for every command: the English docs
folder first (``import-sxs`` copies it there, beside the articles), then the
project root (a docfx repository's own layout).  Its ``breadcrumb_path`` and
the site's ``docset_urls`` say where the docset is published, so absolute
links and redirect targets on that address lead to pages.

The build (``bitext.site``), ``bitext links``, ``update``, ``align``,
``stats``, ``compile`` and ``export-sxs`` read the project through
``SiteFiles.read``.  A file that cannot
be read is a finding of the model; it never stops the others.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bitext.core.errors import BitextError
from bitext.core.model import Finding
from bitext.formats import docfx
from bitext.project.project import Project
from bitext.project.settings import key_line

INCLUDES_DIR = "includes"  # docfx convention: never a page of its own
DOCFX_JSON = "docfx.json"
DEFAULT_TOC = "TOC.md"


@dataclass(frozen=True)
class Stub:
    """A docfx redirect stub: its ``redirect_url`` as written, the line it is on, the file's text."""

    target: str
    line: int
    text: str


@dataclass
class Toc:
    """A docfx Markdown TOC: its text and its entries (None when it could not be parsed)."""

    text: str
    entries: list[docfx.TocEntry] | None


@dataclass(frozen=True)
class SiteOptions:
    """What the site's configuration says about its files (the ``bitext`` plugin and mkdocs-redirects)."""

    toc: str = DEFAULT_TOC  # the navigation TOC, docs-relative
    redirect_maps: Mapping[str, str] = field(default_factory=dict)  # mkdocs-redirects' redirect_maps
    config_file: str = ""  # where redirect_maps come from, as shown (mkdocs.yml)
    config_text: str = ""
    redirection_file: Path | None = None  # the docfx redirect map when not at its usual place
    docset_urls: tuple[str, ...] = ()  # where the docset is published, besides docfx.json
    generated: tuple[str, ...] = ()  # pages the site makes at build time (the bitext home page)


@dataclass
class SiteFiles:
    """Every file of the English docs folder, sorted by what it is, with the site's redirects and docset."""

    project: Project
    options: SiteOptions = field(default_factory=SiteOptions)
    texts: dict[str, str] = field(default_factory=dict)  # pages and includes: docs-relative path → English
    pages: list[str] = field(default_factory=list)  # published, sorted
    includes: set[str] = field(default_factory=set)
    stubs: dict[str, Stub] = field(default_factory=dict)
    tocs: dict[str, Toc] = field(default_factory=dict)
    assets: set[str] = field(default_factory=set)
    unreadable: dict[str, list[Finding]] = field(default_factory=dict)  # Markdown that could not be read: why
    generated: set[str] = field(default_factory=set)  # pages the site makes that are not real files
    redirects: dict[str, docfx.Redirect] = field(default_factory=dict)  # by source, in precedence order
    docfx_json: Path | None = None
    redirection_file: Path | None = None  # the docfx redirect map read, if any
    docfx_docset: docfx.Docset = field(default_factory=docfx.Docset)  # as docfx.json alone says
    docset: docfx.Docset = field(default_factory=docfx.Docset)  # docfx.json and the docset_urls
    findings: list[Finding] = field(default_factory=list)  # files that could not be read

    @property
    def files(self) -> set[str]:
        """Every file under the English docs folder (docs-relative), whatever it is."""
        return set(self.texts) | set(self.stubs) | set(self.tocs) | self.assets | set(self.unreadable)

    @property
    def toc(self) -> list[docfx.TocEntry] | None:
        """The entries of the navigation TOC (the ``toc`` option), None without one."""
        found = self.tocs.get(self.options.toc)
        return found.entries if found is not None else None

    @property
    def toc_path(self) -> str | None:
        return self.options.toc if self.options.toc in self.tocs else None

    def is_include(self, rel: str) -> bool:
        return rel in self.includes

    def markdown(self, rel: str) -> str:
        """The English of a page, include or redirect stub."""
        return self.texts[rel] if rel in self.texts else self.stubs[rel].text

    def is_article(self, rel: str) -> bool:
        """A page or include: English text that has segment files (a stub or TOC has none)."""
        return rel in self.texts or rel in self.unreadable

    # -- reading ----------------------------------------------------------------------------------

    @classmethod
    def read(
        cls, project: Project, options: SiteOptions | None = None, *, previous: SiteFiles | None = None
    ) -> SiteFiles:
        """Read the English docs folder; with ``options``, also the docset and every redirect.

        Without options only the files are sorted (what ``update`` and
        ``export-sxs`` need: a bad redirect map is none of their business).
        When ``previous`` (the last build's reading) had a good version of a
        file that cannot be read now, that version is kept, so a preview
        server goes on showing the last good page.
        """
        site = cls(project, options or SiteOptions())
        docs = project.docs_dir
        paths = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()) if docs.is_dir() else []
        toc_name = posixpath.basename(site.options.toc)
        for rel in paths:
            if not rel.endswith(".md"):
                site.assets.add(rel)
                continue
            shown = project.display(project.english_path(rel))
            try:
                text = project.read_english(rel)
            except BitextError as exc:
                site.findings.extend(exc.findings)
                if previous is None or not previous._keep(rel, site):
                    site.unreadable[rel] = exc.findings
                continue
            if docfx.is_toc(rel) or posixpath.basename(rel) == toc_name:
                site._read_toc(rel, text, shown, previous)
                continue
            try:
                stub = docfx.redirect_stub(text, shown)
            except BitextError as exc:  # published as a page, as a reader would see it
                site.findings.extend(exc.findings)
                stub = None
            if stub is not None:
                site.stubs[rel] = Stub(*stub, text)
            else:
                site._add_text(rel, text)
        if options is not None:
            site.generated = set(options.generated) - set(site.texts) - set(site.stubs)
            site._read_docset()
            site._read_redirects()
        return site

    def _add_text(self, rel: str, text: str) -> None:
        self.texts[rel] = text
        if INCLUDES_DIR in rel.split("/")[:-1]:
            self.includes.add(rel)
        else:
            self.pages.append(rel)

    def _keep(self, rel: str, site: SiteFiles) -> bool:
        """Give ``site`` this reading's version of ``rel``; False when there is none."""
        if rel in self.texts:
            site._add_text(rel, self.texts[rel])
        elif rel in self.stubs:
            site.stubs[rel] = self.stubs[rel]
        elif rel in self.tocs:
            site.tocs[rel] = self.tocs[rel]
        else:
            return False
        return True

    def _read_toc(self, rel: str, text: str, shown: str, previous: SiteFiles | None) -> None:
        entries: list[docfx.TocEntry] | None
        try:
            entries = docfx.parse_toc(text, shown)
        except BitextError as exc:
            self.findings.extend(exc.findings)
            last = previous.tocs.get(rel) if previous is not None else None
            entries = last.entries if last is not None else None
        self.tocs[rel] = Toc(text, entries)

    def _problem(self, exc: BitextError) -> None:
        for f in exc.findings:  # docfx names files as given; show them from the project root
            self.findings.append(dataclasses.replace(f, path=self.project.display(Path(f.path))))

    def _read_docset(self) -> None:
        project = self.project
        self.docfx_json = next(
            (p for p in (project.docs_dir / DOCFX_JSON, project.root / DOCFX_JSON) if p.is_file()), None
        )
        try:
            self.docfx_docset = docfx.read_docset(self.docfx_json)
        except BitextError as exc:
            self._problem(exc)
        self.docset = self.docfx_docset.with_urls(self.options.docset_urls)

    def _read_redirects(self) -> None:
        options = self.options
        for source, target in options.redirect_maps.items():
            line = key_line(options.config_text, str(source))
            self._redirect(docfx.Redirect(str(source).lstrip("/"), str(target), line, options.config_file))
        docs = self.project.docs_dir
        for rel, stub in self.stubs.items():
            target = stub.target
            if not urlsplit(target).scheme and not target.startswith("/"):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))
            self._redirect(docfx.Redirect(rel, target, stub.line, self.project.display(docs / rel)))
        path = self.project.root / options.redirection_file if options.redirection_file else None
        path = path or docfx.find_redirection_file(self.project.root)
        if path is None:
            return
        self.redirection_file = path
        shown = self.project.display(path)
        known = set(self.texts) | set(self.stubs) | set(self.unreadable) | self.generated
        try:
            for r in docfx.read_redirections(path, known, self.docset):
                self._redirect(dataclasses.replace(r, origin=shown))
        except BitextError as exc:
            self._problem(exc)

    def _redirect(self, redirect: docfx.Redirect) -> None:
        self.redirects.setdefault(redirect.source, redirect)

    # -- what the site publishes --------------------------------------------------------------------

    def published_redirects(self) -> list[docfx.Redirect]:
        """The redirects the site publishes: none over a real page, each target a page when it leads to one."""
        pages = set(self.pages) | self.generated
        return [
            dataclasses.replace(r, target=self.published_target(r.target))
            for r in self.redirects.values()
            if r.source not in pages
        ]

    def published_target(self, target: str) -> str:
        """A redirect target as a docs-relative page when it leads to one (docset URLs too), else as written."""
        pages = set(self.pages) | self.generated
        page: str | None = target
        if urlsplit(target).scheme or target.startswith("/"):
            page = self.docset.to_page(target)
        resolved = docfx.resolve_page(page, pages) if page is not None else None
        return resolved or target
