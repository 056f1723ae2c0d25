"""Link validation across languages: what ``bitext links`` and the site build report.

Every page is checked in English and in each compiled language (the English
skeleton with the targets of ``locales/LANG/REL.xlf``, as ``compile_article``
makes it): page links (with or without ``.md``, folder links, absolute site
paths and full URLs of the docset mapped back to pages), redirects followed
(docfx redirect map, mkdocs-redirects, ``redirect_url`` stubs), anchors
against the ids the target page has *in that language*, images, includes, TOC
and ``nav`` entries, file-name case, and per segment that the target keeps the
link targets of its source.  External URLs are checked for syntax, and over
HTTP(S) on request (``bitext.links.http``).

A problem that exists in English is reported once, on the English page; a
language only adds what is broken in it alone (a dropped anchor, a changed
link).  Findings inside a translation name the ``.xlf`` file and the place of
the link in the unit's ``<target>``.
"""

from __future__ import annotations

import bisect
import difflib
import json
import logging
import posixpath
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bitext.core import frontmatter, markup
from bitext.core.compile import compile_report
from bitext.core.errors import BitextError
from bitext.core.files import LineIndex, line_of
from bitext.core.guard import MarkupGuard, guard_for
from bitext.core.model import Finding, Segment, SegmentFile
from bitext.core.severity import Severity
from bitext.core.skeleton import locate
from bitext.formats import docfx, xliff
from bitext.links import http as urlcheck
from bitext.links import scan as linkscan
from bitext.links.config import CODES, LinksConfig
from bitext.links.resolve import SIMILAR_ANCHOR, Site
from bitext.project import options
from bitext.project import settings as settings_module
from bitext.project.project import Project
from bitext.project.sitefiles import DEFAULT_TOC, SiteFiles, SiteOptions

# 4xx answers that refuse the checker rather than the link: warnings, not errors.
_REFUSED = {401: "needs a login", 403: "access denied to the checker", 429: "rate limited"}
log = logging.getLogger("mkdocs.plugins.bitext")


@dataclass(frozen=True)
class LinkFinding(Finding):
    """A link problem: where it is, in which language, and the target as written."""

    target: str = ""
    page: str = ""  # the article (docs-relative) or configuration file the finding belongs to

    def as_json(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.column,
            "lang": self.lang,
            "code": self.code,
            "target": self.target,
            "severity": self.severity,
            "message": self.message,
            "page": self.page,
            "unit": self.unit,
        }


# --- settings -----------------------------------------------------------------------------------


@dataclass
class LinkSettings:
    """What a link check reads: the ``links:`` options, the ``bitext`` entry's, and what MkDocs' own config says."""

    links: LinksConfig = field(default_factory=lambda: options.defaults(LinksConfig))
    # Where the docset is published, e.g. https://host/docs/: links.base_urls, the plugin's
    # docset_urls, site_url and the CLI's --base-url.
    base_urls: tuple[str, ...] = ()
    redirect_maps: dict[str, str] = field(default_factory=dict)  # mkdocs-redirects' redirect_maps
    nav: list | None = None  # mkdocs.yml nav
    generated_pages: tuple[str, ...] = ()  # pages the site makes at build time (the bitext home page)
    # As the site plugin publishes: its redirect map and whether it shows targets awaiting review.
    redirection_file: Path | None = None
    allow_review: bool = False
    config_file: str = ""  # where the options came from, for messages
    config_text: str = ""

    @classmethod
    def from_config(
        cls,
        plugin: Mapping[str, Any],
        *,
        site_url: str | None = None,
        nav: list | None = None,
        redirect_maps: Mapping | None = None,
        config_file: str = "mkdocs.yml",
        config_text: str = "",
    ) -> LinkSettings:
        """Settings from the validated options of the ``bitext`` plugin entry (``site.plugin.config.BitextConfig``).

        The plugin's ``docset_urls`` (where the docset is published) count as
        base URLs, like ``site_url``; its home page is a page.
        """
        home = plugin["home_page"]
        return cls(
            plugin["links"],
            (*plugin["links"].base_urls, *plugin["docset_urls"], *([site_url] if site_url else [])),
            {str(k): str(v) for k, v in (redirect_maps or {}).items()},
            nav,
            (home,) if home else (),
            Path(plugin["redirection_file"]) if plugin["redirection_file"] else None,
            plugin["allow_review"],
            config_file,
            config_text,
        )


def load_settings(plugin: Mapping[str, Any], config: settings_module.ConfigFile | None) -> LinkSettings:
    """The link settings of a project: ``plugin``, its validated ``bitext`` entry, and from its mkdocs.yml
    ``config`` (None without one) ``site_url``, ``nav`` and mkdocs-redirects' ``redirect_maps``."""
    if config is None:
        return LinkSettings(plugin["links"])
    if settings_module.PLUGIN not in settings_module.plugins(config.data):
        plugin = {**plugin, "home_page": ""}  # no plugin, no generated home page
    site_url, nav = config.data.get("site_url"), config.data.get("nav")
    return LinkSettings.from_config(
        plugin,
        site_url=site_url if isinstance(site_url, str) else None,
        nav=nav if isinstance(nav, list) else None,
        redirect_maps=settings_module.plugin_options(config.data, "redirects").get("redirect_maps"),
        config_file=config.display,
        config_text=config.text,
    )


# --- pages as read in one language --------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    path: str  # as shown, relative to the project root
    line: int
    column: int
    unit: str | None = None
    translated: bool = False  # inside a translation (not the English skeleton)


@dataclass
class _Piece:
    """A stretch of compiled text: English skeleton, or the rendering of one segment."""

    start: int  # in the compiled text
    length: int
    english: int  # where the stretch (or the segment's source) starts in the English
    segment: Segment | None = None  # set when the stretch is a translation


@dataclass
class PageView:
    """One page in one language: its references and anchors, and where each offset of its text comes from."""

    rel: str
    lang: str
    scan: linkscan.Scan
    locate: Callable[[int], Location]
    anchors: set[str] = field(default_factory=set)
    heading_ids: list[str] = field(default_factory=list)  # the English page's, in every language
    translated: bool = False  # has at least one published translation
    compiled: list[Finding] = field(default_factory=list)  # what compiling the page noticed


class _XliffPositions:
    """Where a place inside a unit's ``<target>`` is in the ``.xlf`` file, as the segment store says."""

    def __init__(self, path: Path, shown: str):
        self.shown = shown
        self.positions = xliff.TargetPositions(path)

    def locate(self, seg: Segment, offset: int, translated_text: str) -> Location:
        found = self.positions.position(seg, offset) if translated_text == seg.target else None
        if found is None:  # neutralized markup shifted the text; the unit line is still right
            return Location(self.shown, seg.xliff_line, 0, seg.id, True)
        return Location(self.shown, *found, seg.id, True)


def _english_view(project: Project, rel: str, text: str) -> PageView:
    fm = frontmatter.split(text)
    scan = linkscan.scan(text, fm.end if fm else 0)
    shown = project.display(project.english_path(rel))
    lines = LineIndex(text)

    def where(offset: int) -> Location:
        line, column = lines.position(offset)
        return Location(shown, line, column)

    return PageView(rel, project.source_language, scan, where)


def _translated_view(
    project: Project,
    rel: str,
    lang: str,
    english: str,
    sf: SegmentFile,
    english_view: PageView,
    allow_review: bool = False,
    guard: MarkupGuard | None = None,
) -> PageView:
    """The compiled page in ``lang``, read with the blocks of its English page.

    A translation replaces sentences, never the block structure around them,
    so the English page's blocks (where code and raw HTML are) are carried
    over instead of parsing the compiled text again.
    """
    rendered: list[tuple[Segment, str, bool]] = []

    def record(seg: Segment, text: str, is_translation: bool) -> str:
        rendered.append((seg, text, is_translation))
        return text

    xlf_path = project.segment_path(rel, lang)
    shown = project.display(xlf_path)
    layout = locate(english, sf)
    report = compile_report(
        english, sf, path=rel, xliff_path=shown, wrap=record, allow_review=allow_review, guard=guard, layout=layout
    )
    text = report.text
    compiled_fm = frontmatter.split(text)
    out = compiled_fm.end if compiled_fm else 0
    en = layout.front_matter.end if layout.front_matter else 0
    pieces: list[_Piece] = []
    for placement, (seg, piece, is_translation) in zip(layout.placements, rendered, strict=True):
        pieces.append(_Piece(out, placement.start - en, en))
        out += placement.start - en
        pieces.append(_Piece(out, len(piece), placement.start, seg if is_translation else None))
        out += len(piece)
        en = placement.end
    pieces.append(_Piece(out, len(english) - en, en))
    if out + len(english) - en != len(text):
        raise AssertionError(f"{rel}: compiled {lang} text does not line up with its English skeleton")
    starts = [p.start for p in pieces]
    english_starts = [p.english for p in pieces]
    xlf = _XliffPositions(xlf_path, shown)
    texts = {id(seg): piece for seg, piece, _ in rendered}

    def compiled(offset: int, end: bool) -> int:
        piece = pieces[max(0, bisect.bisect_right(english_starts, offset) - 1)]
        if piece.segment is None:
            return piece.start + min(offset - piece.english, piece.length)
        return piece.start + piece.length if end and offset > piece.english else piece.start

    def where(offset: int) -> Location:
        piece = pieces[max(0, bisect.bisect_right(starts, offset) - 1)]
        inside = offset - piece.start
        if piece.segment is not None:
            return xlf.locate(piece.segment, inside, texts[id(piece.segment)])
        return english_view.locate(piece.english + min(inside, max(piece.length - 1, 0)))

    blocks = [linkscan.Block(compiled(b.start, False), compiled(b.end, True), b.kind) for b in english_view.scan.blocks]
    view = PageView(rel, lang, linkscan.scan(text, layout=blocks), where)
    view.compiled = report.findings
    view.translated = any(t for _, _, t in rendered)
    return view


# --- the check ----------------------------------------------------------------------------------------


@dataclass
class LinkReport:
    findings: list[LinkFinding] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)  # per language
    references: int = 0
    anchors_checked: int = 0
    segments_compared: int = 0
    external_urls: int = 0
    excluded_urls: int = 0
    fetched_urls: int = 0
    external_checked: bool = False
    seconds: float = 0.0

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


class Cancelled(Exception):
    """``run`` stopped because its ``stop`` said so (mkdocs serve: a newer save is being built)."""


class _Run:
    def __init__(
        self,
        project: Project,
        languages: list[str],
        settings: LinkSettings,
        segments: Mapping[str, Mapping[str, SegmentFile]] | None = None,
        files: SiteFiles | None = None,
        stop: Callable[[], bool] | None = None,
    ):
        self.stop = stop
        self.project = project
        self.source = project.source_language
        self.segments = segments or {}
        # The build's reading of the site's files, or one with what the settings say; the build's
        # gets the addresses only the link check knows (links.base_urls, site_url).
        self.files = files if files is not None else SiteFiles.read(project, site_options(settings))
        self.site = Site(self.files, settings.base_urls if files is not None else ())
        self.languages = languages
        self.settings = settings
        self.report = LinkReport(languages=languages)
        self.raw: list[LinkFinding] = []
        self.views: dict[str, dict[str, PageView]] = {}
        self.external: dict[str, list[tuple[PageView | None, linkscan.Reference, Location]]] = defaultdict(list)
        self.exclude = [re.compile(p) for p in settings.links.exclude]
        self.english_keys: set[tuple[str, str, str]] = set()
        self.config_lines: dict[str, list[str]] = {}
        # What a build publishes: targets judged with the site's Markdown, as the compiler does.
        self.guard = guard_for(*settings_module.markdown(project.root))

    def add(
        self,
        code: str,
        location: Location,
        message: str,
        *,
        lang: str,
        target: str,
        page: str,
        severity: Severity | None = None,
    ) -> LinkFinding | None:
        level = self.settings.links.severity.get(code, severity or CODES[code])
        if level == Severity.OFF:
            return None
        finding = LinkFinding(
            location.path,
            location.line,
            message,
            level,
            code,
            location.column,
            lang=lang,
            target=target,
            page=page,
            unit=location.unit,
        )
        self.raw.append(finding)
        return finding

    # reading

    def read(self) -> None:
        """Every page in every language, with its references and anchors."""
        project = self.project
        self.raw.extend(_link_findings(self.files.findings, self.source))
        english = self.files.texts
        views = {}
        for rel, text in english.items():
            self.go_on()
            view = _english_view(project, rel, text)
            view.heading_ids = linkscan.heading_ids(view.scan.headings)
            view.anchors = set(view.heading_ids) | {a.name for a in view.scan.anchors}
            views[rel] = view
        self.views[self.source] = views
        for lang in self.languages:
            if lang != self.source:
                self.views[lang] = {}
                for rel, text in english.items():
                    self.go_on()
                    self.views[lang][rel] = self.translated(rel, lang, text)
        for views in self.views.values():
            self.include_anchors(views)
        for lang in self.languages:
            self.report.pages[lang] = sum(1 for v in self.views[lang].values() if v.lang == lang)

    def translated(self, rel: str, lang: str, english: str) -> PageView:
        """The page as readers of ``lang`` get it (the English one when it has no usable segment file)."""
        base = self.views[self.source][rel]
        try:
            read = self.segments.get(lang, {})
            sf = read[rel] if rel in read else self.project.read_segments(rel, lang)
            if sf is None:
                return base
            view = _translated_view(self.project, rel, lang, english, sf, base, self.settings.allow_review, self.guard)
            for f in view.compiled:
                if f.code == "markup-injection":
                    self.add(
                        f.code,
                        Location(f.path, f.line, 0, f.unit),
                        f.message,
                        lang=lang,
                        target="",
                        page=rel,
                    )
        except BitextError as exc:
            self.raw.extend(_link_findings(exc.findings, lang))
            return base
        view.heading_ids = base.heading_ids
        view.anchors = set(base.heading_ids) | {a.name for a in view.scan.anchors}
        self.parity(view, sf)
        return view

    def include_anchors(self, views: dict[str, PageView]) -> None:
        """A page also has the anchors of the files it includes."""

        def gather(view: PageView, seen: set[str]) -> set[str]:
            extra: set[str] = set()
            for ref in view.scan.references:
                if ref.kind != linkscan.INCLUDE:
                    continue
                r = self.site.resolve(view.rel, ref.url, ref.kind)
                if r.kind == "page" and r.path in views and r.path not in seen:
                    seen.add(r.path)
                    extra |= views[r.path].anchors | gather(views[r.path], seen)
            return extra

        for view in views.values():
            if any(r.kind == linkscan.INCLUDE for r in view.scan.references):
                view.anchors = view.anchors | gather(view, {view.rel})

    # checking

    def parity(self, view: PageView, sf: SegmentFile) -> None:
        xlf = _XliffPositions(
            self.project.segment_path(view.rel, view.lang),
            self.project.display(self.project.segment_path(view.rel, view.lang)),
        )
        for seg in sf.body_segments():
            target = seg.usable_target(allow_review=self.settings.allow_review)
            if target is None or not any(markup.may_point(t) or "{" in t for t in (seg.source, target)):
                continue
            self.report.segments_compared += 1
            for issue in markup.link_parity(seg.source, target):
                if issue.kind == "localized":
                    continue  # the same page in the reader's language: not broken (bitext check reports it)
                where = xlf.locate(seg, issue.offset, target)
                if issue.kind == "changed":
                    msg, shown, level = f"link target {issue.source!r} changed to {issue.target!r}", issue.target, None
                elif issue.kind == "dropped":
                    msg, shown, level = f"link target {issue.source!r} dropped from the translation", issue.source, None
                else:
                    msg, shown, level = (
                        f"link target {issue.target!r} is not in the source",
                        issue.target,
                        Severity.WARNING,
                    )
                self.add("link-parity", where, msg, lang=view.lang, target=shown, page=view.rel, severity=level)
            for name in Counter(linkscan.anchor_names(seg.source)) - Counter(linkscan.anchor_names(target)):
                self.add(
                    "anchor-parity",
                    xlf.locate(seg, 0, target),
                    f"anchor {name!r} dropped from the translation; links to #{name} break in {view.lang}",
                    lang=view.lang,
                    target="#" + name,
                    page=view.rel,
                )

    def go_on(self) -> None:
        if self.stop is not None and self.stop():
            raise Cancelled

    def check_pages(self) -> None:
        for lang in sorted(self.languages, key=lambda lang: lang != self.source):  # English first
            for view in self.views[lang].values():
                self.go_on()
                if view.lang == lang:  # an untranslated page is the English one, checked as English
                    for ref in view.scan.references:
                        self.check_reference(view, ref)

    def check_reference(self, view: PageView, ref: linkscan.Reference) -> None:
        self.report.references += 1
        r = self.site.resolve(view.rel, ref.url, ref.kind)
        location = view.locate(ref.offset)
        source = view.lang == self.source
        prefix = "" if source or location.translated else f"({view.lang}) "
        what = f"{prefix}{_what(ref)} {ref.target!r}"
        if r.problem:
            self.problem(view, r.problem, location, f"{what}: {r.message}", ref.target)
            return
        if r.kind == "external":
            # A URL of the English skeleton is fetched once, for the English page.
            if source or location.translated or self.source not in self.languages:
                self.external[r.url].append((view, ref, location))
            return
        if r.kind != "page" or ref.embedded:
            return
        target = self.views[view.lang].get(r.path)
        if r.path in self.site.generated:
            return  # made by the site at build time (the home page): no source to read its anchors from
        if r.fragment and r.fragment.lower() != "top":  # HTML: "#top" is the top of any page
            self.report.anchors_checked += 1
            anchors = target.anchors if target is not None else set()
            if r.fragment not in anchors:
                where = "this page" if r.path == view.rel else r.path
                hint = _anchor_hint(r.fragment, anchors)
                english = self.views[self.source].get(r.path)
                if not source and english is not None and r.fragment in english.anchors:
                    hint = f"; the English page has it{hint}"
                in_lang = "" if source else f" in {view.lang}"
                self.problem(
                    view,
                    "missing-anchor",
                    location,
                    f"{what}: {where} has no anchor #{r.fragment}{in_lang}{hint}",
                    ref.target,
                )
        if not source and view.translated and target is not None and r.path != view.rel and not target.translated:
            self.problem(
                view,
                "untranslated-page",
                location,
                f"{what}: {r.path} is not translated into {view.lang}; readers land on the English page",
                ref.target,
            )

    def problem(self, view: PageView, code: str, location: Location, message: str, target: str) -> None:
        if view.lang == self.source:
            self.english_keys.add((view.rel, code, target))
        elif (view.rel, code, target) in self.english_keys:
            return  # broken in English too: reported once, on the English page
        self.add(code, location, message, lang=view.lang, target=target, page=view.rel)

    def check_navigation(self) -> None:
        """docfx TOC.md files and the mkdocs.yml nav: every entry must lead to a page."""
        if self.source not in self.languages:
            return
        for rel, toc in sorted(self.files.tocs.items()):
            if toc.entries is None:
                continue  # could not be parsed: a finding of the site's files
            shown = self.project.display(self.project.english_path(rel))
            entries = [e for e in docfx.walk(toc.entries) if e.href]
            lines = toc.text.splitlines()
            for entry in entries:
                column = lines[entry.line - 1].find("(" + entry.href) + 2
                self.nav_entry(rel, entry.href, Location(shown, entry.line, max(column, 1)), "TOC entry")
        config = self.settings
        for title, href in _nav_entries(config.nav or []):
            line = line_of(config.config_text, href)
            text_line = config.config_text.splitlines()[line - 1] if config.config_text else ""
            self.nav_entry(
                "",
                href,
                Location(config.config_file, line, text_line.find(href) + 1),
                f"nav entry {title!r}" if title else "nav entry",
            )

    def nav_entry(self, rel: str, href: str, location: Location, what: str) -> None:
        folder = posixpath.dirname(rel)
        if href.endswith("/") and posixpath.normpath(posixpath.join(folder, href, DEFAULT_TOC)) in self.files.tocs:
            return  # a docfx reference to a nested TOC
        r = self.site.resolve(rel, href)
        if r.problem:
            self.add(
                r.problem,
                location,
                f"{what} {href!r}: {r.message}",
                lang=self.source,
                target=href,
                page=rel or location.path,
            )
        elif r.kind == "external":
            self.external[r.url].append((None, linkscan.Reference(linkscan.LINK, href, 0), location))
        elif r.fragment and r.kind == "page":
            view = self.views[self.source].get(r.path)
            if view is not None and r.fragment not in view.anchors:
                self.add(
                    "missing-anchor",
                    location,
                    f"{what} {href!r}: {r.path} has no anchor #{r.fragment}{_anchor_hint(r.fragment, view.anchors)}",
                    lang=self.source,
                    target=href,
                    page=rel or location.path,
                )

    def check_redirects(self) -> None:
        """Every redirect must end on a page that exists (or leave the docset)."""
        if self.source not in self.languages:
            return
        for source, (target, shown, line) in sorted(self.site.redirects.items()):
            r = self.site.follow(source)
            where = Location(shown, line, self.entry_column(shown, line))
            if r.problem:
                code = "redirect-loop" if r.problem == "redirect-loop" else "broken-redirect"
                self.add(code, where, r.message, lang=self.source, target=target, page=shown)
            elif r.kind == "external":
                self.external[r.url].append((None, linkscan.Reference(linkscan.LINK, target, 0), where))

    def entry_column(self, shown: str, line: int) -> int:
        """The column where the entry on ``line`` of a configuration file starts (1 when unknown)."""
        if shown not in self.config_lines:
            try:
                self.config_lines[shown] = (self.project.root / shown).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self.config_lines[shown] = []
        lines = self.config_lines[shown]
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return len(text) - len(text.lstrip(" \t-")) + 1

    def check_external(self) -> None:
        urls = sorted(self.external)
        self.report.external_urls = len(urls)
        fetch = [u for u in urls if not any(p.search(u) for p in self.exclude)]
        if not self.settings.links.http.translated:
            # A URL only a translation has is input from translators: fetched only when the site says so.
            fetch = [u for u in fetch if any(v is None or v.lang == self.source for v, _, _ in self.external[u])]
        self.report.excluded_urls = len(urls) - len(fetch)
        if not self.settings.links.external or not fetch:
            return
        http = self.settings.links.http
        checker = urlcheck.UrlChecker(http, urlcheck.cache_path(self.project.root, http))
        results = checker.check(fetch)
        self.report.external_checked = True
        self.report.fetched_urls = checker.fetched
        accept = http.accept
        for url in fetch:
            result = results[url]
            if result.ok(accept):
                continue
            if result.refused:
                code, level, what = "external-refused", None, result.error
            elif result.status is None:
                code, level, what = "external-error", None, result.error
            elif result.status >= 500:
                code, level, what = "external-5xx", None, f"HTTP {result.status}"
            else:
                code = "external-4xx"
                refused = _REFUSED.get(result.status)
                level = Severity.WARNING if refused else None
                what = f"HTTP {result.status}" + (f" ({refused})" if refused else "")
            tries = f" after {result.attempts} attempts" if result.attempts > 1 else ""
            for view, ref, location in self.external[url]:
                lang = view.lang if view is not None else self.source
                page = view.rel if view is not None else location.path
                self.add(
                    code,
                    location,
                    f"{_what(ref)} {ref.target!r}: {what}{tries}",
                    lang=lang,
                    target=ref.target,
                    page=page,
                    severity=level,
                )


def site_options(settings: LinkSettings) -> SiteOptions:
    """What ``settings`` say about the site's files: its redirects, docset addresses and generated pages."""
    return SiteOptions(
        redirect_maps=settings.redirect_maps,
        config_file=settings.config_file,
        config_text=settings.config_text,
        redirection_file=settings.redirection_file,
        docset_urls=settings.base_urls,
        generated=settings.generated_pages,
    )


def _nav_entries(nav) -> Iterable[tuple[str, str]]:
    for item in nav:
        if isinstance(item, str):
            yield "", item
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    yield str(title), value
                elif isinstance(value, list):
                    yield from _nav_entries(value)


def _what(ref: linkscan.Reference) -> str:
    return {
        linkscan.IMAGE: "image",
        linkscan.SRC: "embedded",
        linkscan.INCLUDE: "include",
        linkscan.VIDEO: "video",
        linkscan.DEFINITION: "link definition",
    }.get(ref.kind, "link")


def _anchor_hint(fragment: str, anchors: set[str]) -> str:
    same = [a for a in anchors if a.lower() == fragment.lower()]
    if same:
        return f"; did you mean #{same[0]}? (anchors are case-sensitive)"
    close = difflib.get_close_matches(fragment, list(anchors), n=1, cutoff=SIMILAR_ANCHOR)
    return f"; did you mean #{close[0]}?" if close else ""


def _link_findings(findings: list[Finding], lang: str) -> list[LinkFinding]:
    """Problems of reading a file (encoding, XML, JSON), reported with the link findings."""
    return [
        LinkFinding(f.path, f.line, f.message, f.severity, f.code, f.column, f.unit, lang=lang, page=f.path)
        for f in findings
    ]


def run(
    project: Project,
    languages: Iterable[str] | None = None,
    settings: LinkSettings | None = None,
    segments: Mapping[str, Mapping[str, SegmentFile]] | None = None,
    files: SiteFiles | None = None,
    stop: Callable[[], bool] | None = None,
) -> LinkReport:
    """Check every page of ``project`` in English and in ``languages`` (default: all under locales/).

    ``segments``: segment files the caller has read already (language → article → file),
    as a site build has; the others are read here.  ``files``: the site's files as the
    build read them; without them they are read with what ``settings`` say.  ``stop`` is
    asked between pages; when it says so, ``Cancelled`` is raised.
    """
    started = time.perf_counter()
    settings = settings or LinkSettings()
    langs = list(dict.fromkeys(languages)) if languages else [project.source_language, *project.languages()]
    state = _Run(project, langs, settings, segments, files, stop)
    state.read()
    state.check_pages()
    state.check_navigation()
    state.check_redirects()
    state.check_external()
    report = state.report
    report.findings = sorted(set(state.raw), key=lambda f: _order(f, project.source_language))
    report.seconds = time.perf_counter() - started
    return report


def log_findings(findings: Iterable[Finding], logger: logging.Logger = log) -> None:
    """Log each finding on the ``mkdocs.plugins.bitext`` logger: errors and warnings as warnings
    (so ``mkdocs build --strict`` fails on them), the rest as info."""
    for finding in findings:
        logger.log(
            logging.WARNING if Severity(finding.severity).at_least(Severity.WARNING) else logging.INFO, str(finding)
        )


def _order(f: LinkFinding, source_language: str):
    return (f.page, f.lang != source_language, f.lang, f.path, f.line, f.column, f.code, f.message)


# --- output ---------------------------------------------------------------------------------------------


def format_text(report: LinkReport) -> str:
    """Findings grouped per page (a blank line between pages), then a summary."""
    out = []
    page = None
    for f in report.findings:
        if page is not None and f.page != page:
            out.append("")
        page = f.page
        out.append(str(f))
    if out:
        out.append("")
    langs = ", ".join(f"{lang} {report.pages.get(lang, 0):,}" for lang in report.languages)
    if report.external_checked:
        checked = report.external_urls - report.excluded_urls
        external = (
            f"{report.external_urls:,} external URLs: {checked:,} checked ({report.fetched_urls:,} fetched, "
            f"{checked - report.fetched_urls:,} from the cache), {report.excluded_urls:,} excluded"
        )
    else:
        external = f"{report.external_urls:,} external URLs (syntax only; --external fetches them)"
    out.append(
        f"checked pages: {langs}; {report.references:,} references, {report.anchors_checked:,} anchors, "
        f"{report.segments_compared:,} segments compared, {external} in {report.seconds:.1f} s"
    )
    pages = len({f.page for f in report.findings if f.severity != Severity.INFO})
    counts = Counter(f.code for f in report.findings)
    by_code = ", ".join(f"{code} {n:,}" for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    out.append(
        f"errors {report.count(Severity.ERROR):,}, warnings {report.count(Severity.WARNING):,}, "
        f"info {report.count(Severity.INFO):,} in {pages:,} pages" + (f" ({by_code})" if by_code else "")
    )
    return "\n".join(out) + "\n"


def format_json(report: LinkReport) -> str:
    return json.dumps([f.as_json() for f in report.findings], ensure_ascii=False, indent=1) + "\n"
