"""The bilingual site, independent of MkDocs: its pages, their text per language, navigation, redirects.

``read_site`` reads a project once per build: the site's files
(``bitext.project.sitefiles``: pages, includes, redirect stubs, the docfx TOC,
redirects) and every segment file.  ``SiteSource.localize`` gives a page's text in a
language (compiled from the segment file with each sentence delimited for the
side-by-side rendering), ``nav`` the navigation tree from the docfx TOC with
titles in that language.  The MkDocs plugin
only adapts these to MkDocs' events.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bitext.core.compile import compile_report, front_matter_value
from bitext.core.errors import BitextError
from bitext.core.guard import MarkupGuard, guard_for
from bitext.core.model import Finding, SegmentFile
from bitext.core.severity import Severity
from bitext.formats import docfx, xliff
from bitext.project.project import Project
from bitext.project.sitefiles import SiteFiles
from bitext.site import sidebyside
from bitext.site.cache import digest
from bitext.site.docfx_markdown import Expanded, Included, expand_includes


@dataclass
class PageText:
    """A page's Markdown in one language and how much of it is translated."""

    markdown: str
    localized: bool = False  # compiled from a segment file (False: the English as written)
    translated: int = 0
    fallback: int = 0
    machine: int = 0
    findings: list[Finding] = field(default_factory=list)


@dataclass
class SiteSource:
    """Everything a build reads from the project, read once."""

    files: SiteFiles
    languages: list[str]  # language folders under locales/ (e.g. ["ko"])
    segments: dict[str, dict[str, SegmentFile]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)  # unreadable inputs (errors) and orphans
    allow_review: bool = False
    guard: MarkupGuard = field(default_factory=guard_for)  # judges targets with the site's Markdown
    # Content hash of every segment file read, as "LANG/REL", and its (mtime_ns, size).
    digests: dict[str, str] = field(default_factory=dict)
    signatures: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def project(self) -> Project:
        return self.files.project

    @property
    def english(self) -> dict[str, str]:
        """Pages and includes, by docs-relative path."""
        return self.files.texts

    @property
    def pages(self) -> list[str]:
        return self.files.pages

    # -- text of a page ---------------------------------------------------------------------------

    def segment_file(self, rel: str, lang: str) -> SegmentFile | None:
        return self.segments.get(lang, {}).get(rel)

    def localize(self, rel: str, lang: str, used: set[str] | None = None) -> PageText:
        """``rel`` in ``lang``: compiled and delimited when it has a segment file, else the English.

        ``used`` collects the includes the text asked for (found or not): what it depends on.
        """
        sf = self.segment_file(rel, lang)
        english = self.english[rel]
        if sf is None:
            # A missing include of the English is the link check's finding, reported once.
            expanded = self.expand(english, rel, lang, used=used)
            return PageText(expanded.text, findings=[f for f in expanded.findings if f.code == "markup-injection"])
        xlf = self.project.display(self.project.segment_path(rel, lang))
        report = compile_report(
            english,
            sf,
            path=rel,
            xliff_path=xlf,
            allow_review=self.allow_review,
            wrap=sidebyside.marker,
            guard=self.guard,
        )
        expanded = self.expand(report.text, rel, lang, english=english, used=used)
        return PageText(
            expanded.text,
            True,
            report.translated,
            report.fallback,
            report.machine,
            report.findings + expanded.findings,
        )

    def expand(
        self,
        text: str,
        rel: str,
        lang: str | None,
        *,
        english: str | None = None,
        used: set[str] | None = None,
    ) -> Expanded:
        """Includes of ``text`` (the page ``rel``) replaced by their text in ``lang`` (None: English).

        ``english`` is the page's English when ``text`` is its translation, so a
        missing include is reported at its line in the English file.
        """

        refused: list[Finding] = []  # what the guard kept out of translated includes

        def load(target: str) -> Included | None:
            if used is not None:
                used.add(target)
            if target not in self.english:
                return None
            sf = self.segment_file(target, lang) if lang else None
            if sf is None or lang is None:
                return Included(self.english[target], target)
            report = compile_report(
                self.english[target],
                sf,
                path=target,
                xliff_path=self.project.display(self.project.segment_path(target, lang)),
                allow_review=self.allow_review,
                wrap=sidebyside.marker,
                guard=self.guard,
            )
            refused.extend(f for f in report.findings if f.code == "markup-injection")
            return Included(report.text, target, english=self.english[target])

        expanded = expand_includes(text, rel, load, english=english, docs=self.project.layout.source_dir)
        expanded.findings.extend(refused)
        return expanded

    def digest(self, rel: str, lang: str | None) -> str:
        """The content hash of ``rel``'s English (``lang`` None) or of its segment file ("" when there is none)."""
        if lang is None:
            text = self.english.get(rel)
            return "" if text is None else digest(text)
        return self.digests.get(f"{lang}/{rel}", "")

    def title(self, rel: str, lang: str) -> str | None:
        """The translated ``title`` of a page, if its segment file has a usable one."""
        sf = self.segment_file(rel, lang)
        unit = sf.front_matter_segments().get("title") if sf else None
        if unit is None:
            return None
        value, problem = front_matter_value(unit, allow_review=self.allow_review)
        return None if problem else value

    # -- navigation -------------------------------------------------------------------------------

    def nav(
        self,
        lang: str | None,
        redirects: Sequence[docfx.Redirect] = (),
        generated: dict[str, str] | None = None,
        home: str | None = None,
    ) -> list | None:
        """MkDocs ``nav`` from the docfx TOC (None without one); Korean titles from the translations.

        An entry with children becomes a section whose first item is the
        entry's own page.  Entries whose page is gone follow the redirect map
        or are left out (``bitext links`` reports them); a page already listed
        is not listed again.  ``generated`` are the pages the site adds (the
        home page), with their title in ``lang``.  The ``home`` page comes
        first even when the TOC does not list it: it is the site's home page.
        """
        toc = self.files.toc
        if toc is None:
            return None
        generated = generated or {}
        moved = {r.source: r.target for r in redirects if r.internal}
        pages = set(self.pages) | set(generated)
        base = posixpath.dirname(self.files.toc_path or "")
        listed: set[str] = set()

        def item(entry: docfx.TocEntry) -> list[dict | str]:
            target = self._toc_target(entry.href, base, pages, moved) if entry.href else None
            if target in listed:
                target = None
            elif target is not None:
                listed.add(target)
            children = [x for child in entry.children for x in item(child)]
            title = entry.title
            if target is not None and not urlsplit(target).scheme and lang:
                title = self.title(target, lang) or generated.get(target) or title
            if target is None:
                return [{title: children}] if children else []
            if children:
                return [{title: [{title: target}, *children]}]
            return [{title: target}]

        nav = [x for entry in toc for x in item(entry)]
        if home in pages and home not in listed:
            title = (self.title(home, lang) if lang else None) or generated.get(home)
            nav.insert(0, {title: home} if title else home)
        return nav

    @staticmethod
    def _toc_target(href: str, base: str, pages: set[str], moved: dict[str, str]) -> str | None:
        if urlsplit(href).scheme:
            return href
        path = posixpath.normpath(posixpath.join(base, href.split("#", maxsplit=1)[0]))
        page = docfx.resolve_page(path, pages)
        if page is None and path in moved:
            page = docfx.resolve_page(moved[path], pages)
        return page


def read_site(
    files: SiteFiles,
    languages: list[str],
    *,
    allow_review: bool = False,
    previous: SiteSource | None = None,
    guard: MarkupGuard | None = None,
) -> SiteSource:
    """Read the segment files of the site's pages for one build.

    A file that cannot be read becomes a finding; when ``previous`` (the last
    build's source) had a good version of it, that version is kept, so a
    preview server goes on showing the last good page.  A segment file
    ``previous`` read without a finding is not read again while its size and
    modification time stay the same, nor parsed again while its bytes do.
    """
    project = files.project
    site = SiteSource(
        files, languages, findings=list(files.findings), allow_review=allow_review, guard=guard or guard_for()
    )
    for lang in languages:
        found: dict[str, SegmentFile] = {}
        for rel in project.segment_files(lang):
            if not files.is_article(rel):
                site.findings.append(project.missing_source(rel, lang, Severity.WARNING, "not published"))
                continue
            path = project.segment_path(rel, lang)
            name = f"{lang}/{rel}"
            old = previous.segment_file(rel, lang) if previous is not None else None
            try:
                stat = path.stat()
            except OSError:
                continue
            site.signatures[name] = (stat.st_mtime_ns, stat.st_size)
            known = previous.digests.get(name, "!") if previous is not None else "!"
            unchanged = previous is not None and previous.signatures.get(name) == site.signatures[name]
            if old is not None and unchanged and not known.startswith("!"):
                site.digests[name] = known
                found[rel] = old
                continue
            sf: SegmentFile | None
            try:
                raw = path.read_bytes()
                site.digests[name] = digest(raw)
                sf = old if old is not None and known == site.digests[name] else xliff.loads(raw, project.display(path))
            except BitextError as exc:
                site.findings.extend(exc.findings)
                site.digests[name] = "!" + site.digests[name]  # never taken for a good parse of these bytes
                sf = old
            if sf is not None:
                found[rel] = sf
        site.segments[lang] = found
    return site
