"""The search engine of ``bitext.search`` in a MkDocs build: what the plugin calls, event by event.

Material's ``search`` plugin stays enabled (Material shows its search box only
with it) but indexes nothing: each page is marked ``search.exclude`` before
Material sees it, so ``search/search_index.json`` is an empty shell instead of
one index of every language.  Each language pass collects its pages' sections
and writes its own index when the pass ends: the Korean one inside the forked
pass, concurrently with the English pass.  Every page's ``__config`` points
Material's search worker at ours, with the page's language (``worker``;
the theme's ``base.html``, ``bitext.site.plugin.theme``).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import time
from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from bitext import search
from bitext.search import acronyms, index, korean, sections
from bitext.site.plugin.config import SearchConfig


class SiteSearch:
    """Pages collected per language pass; kept across ``mkdocs serve`` rebuilds with the Korean analyzer."""

    def __init__(self):
        self.options: SearchConfig | None = None
        self.korean = korean.Analyzer()
        self.acronyms: dict[str, str] = {}
        self.acronyms_key = ""
        self.pages: dict[str, dict[str, sections.Page | None]] = {}  # None: a page left out of the index
        self.urls: list[str] = []
        # Each language's index as last written, kept for the next build (mkdocs serve: only edits are analysed).
        self.indexes: dict[str, index.Index] = {}

    @property
    def enabled(self) -> bool:
        return self.options is not None and self.options.enabled

    @property
    def read_options(self) -> SearchConfig:
        """The options ``read_docset`` was given (it runs once per build, before any page)."""
        if self.options is None:
            raise RuntimeError("bitext search: read_docset() was not called before indexing")
        return self.options

    def read_docset(self, options: SearchConfig, english: list[str], languages: list[str], key: str = "") -> None:
        """Once per build, before any pass: the options and the acronyms every language shares.

        ``key`` names the English texts (their hashes): the same key, the same acronyms.
        A Korean site fails here, before anything is built, if kiwipiepy (an optional dependency) is missing.
        """
        self.options = options
        if not self.enabled:
            self.acronyms, self.acronyms_key = {}, ""
        elif not key or key != self.acronyms_key:
            self.acronyms, self.acronyms_key = acronyms.find(english), key
        if self.enabled and any(map(korean.is_korean, languages)):
            try:
                korean.load_kiwi()
            except ImportError as exc:
                raise PluginError(f"bitext: {exc}") from None

    def start_pass(self, lang: str, dirty: bool) -> None:
        if not dirty:  # a dirty rebuild re-renders changed pages only: keep the others'
            self.pages[lang] = {}
        self.pages.setdefault(lang, {})
        self.urls = []

    def add_page(
        self, lang: str, page: Page, content: str, rel: str | None, reader: Callable[[list[str]], None] | None = None
    ) -> None:
        """Index ``page`` (unless excluded) and keep Material from indexing it.

        ``reader`` is given the page's texts to start reading them (``korean.Analyzer.read_ahead``).
        """
        found = page.meta.get("search")
        meta_search: dict = found if isinstance(found, dict) else {}
        excluded = (
            bool(meta_search.get("exclude"))
            or rel is None
            or any(fnmatch.fnmatch(rel, pattern) for pattern in self.read_options.exclude)
        )
        page.meta["search"] = {**meta_search, "exclude": True}
        # The article's own title (front matter), not the shorter label a navigation may give it.
        title, description = page.meta.get("title"), page.meta.get("description")
        found_page = (
            None
            if excluded
            else sections.page_sections(
                content,
                page.url,
                title if isinstance(title, str) else page.title or "",
                description if isinstance(description, str) else "",
            )
        )
        self.pages[lang][page.url] = found_page
        if reader is not None and found_page is not None:
            reader(index.texts(found_page))

    def set_pages(self, urls: list[str]) -> None:
        """The pass's documentation pages in order (the dirty rebuild's unchanged ones included)."""
        self.urls = urls

    def collected(self, lang: str) -> tuple[list[sections.Page], int]:
        """The pass's indexed pages in order, and the number of its pages never rendered (``--dirty``)."""
        collected = self.pages.get(lang, {})
        pages = [p for url in self.urls if (p := collected.get(url)) is not None]
        return pages, sum(1 for url in self.urls if url not in collected)

    def index_inputs(self, lang: str, pages: list[sections.Page]) -> list:
        """Everything ``write`` makes the index of, as JSON (a cache key)."""
        return [
            lang,
            [
                [p.url, p.title, p.description, [[s.anchor, s.heading, s.level, s.text] for s in p.sections]]
                for p in pages
            ],
            self.acronyms,
            self.read_options.synonyms.get(lang),
        ]

    def korean_lines(self, pages: list[sections.Page]) -> set[str]:
        """The lines of ``pages`` the Korean analyzer reads for their index."""
        return korean.korean_lines([text for page in pages for text in index.texts(page)])

    def index_of(self, lang: str) -> index.Index:
        found = self.indexes.get(lang)
        if found is None:
            found = self.indexes[lang] = index.Index(lang, self.korean if korean.is_korean(lang) else None)
        return found

    def write(
        self, site_dir: str, lang: str, pages: list[sections.Page], stop: Callable[[], bool] | None = None
    ) -> tuple[index.IndexStats, float]:
        """The index of ``pages`` in ``lang``, with the seconds it took (``index.Cancelled`` when ``stop`` says so)."""
        start = time.perf_counter()
        stats = self.index_of(lang).build(
            pages,
            Path(site_dir) / search.INDEX_DIR / lang,
            acronyms=self.acronyms,
            extra_synonyms=self.read_options.synonyms.get(lang),
            stop=stop,
        )
        return stats, time.perf_counter() - start

    def page_facts(self, lang: str, url: str) -> dict | None:
        """What ``add_page`` kept of a page, as JSON (None: the page is not indexed)."""
        if not self.enabled:
            return None
        found = self.pages.get(lang, {}).get(url)
        return {"excluded": True} if found is None else dataclasses.asdict(found)

    def restore_page(self, lang: str, url: str, facts: dict | None) -> None:
        if facts is None or not self.enabled:
            return
        if facts.get("excluded"):
            self.pages[lang][url] = None
            return
        found = [sections.Section(**s) for s in facts["sections"]]
        self.pages[lang][url] = sections.Page(facts["url"], facts["title"], facts["description"], found)

    def worker(self, lang: str) -> dict[str, str] | None:
        """The worker Material's search box is pointed at: its path, and the query string telling it
        the pass's language and whether to load the index lazily (None: search is off)."""
        if not self.enabled:
            return None
        path, _ = search.worker()
        return {"worker": path, "query": f"?lang={lang}" + ("&lazy=1" if self.read_options.lazy else "")}
