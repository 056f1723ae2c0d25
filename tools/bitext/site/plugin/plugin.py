"""The ``bitext`` MkDocs plugin.

mkdocs-static-i18n (``docs_structure: folder``) builds the site once per
language, one pass after the other on the same config.  Its passes only ever
see the real English files under ``docs/en``: for a Korean pass every page is
an English page it falls back to, and this plugin hands MkDocs the compiled
Korean text in ``on_page_read_source``.  So nothing is generated on disk,
static-i18n keeps classifying real files (it crashes on in-memory generated
pages and drops files it cannot classify), and the links, alternates and
language switcher it computes for the English file are those of the Korean page.

Per build the project is read once (``bitext.site.source.read_site``, in the first
pass); each pass then sets the navigation (docfx TOC, titles in the pass's
language), the redirect map of mkdocs-redirects, the alert titles, and
compiles its pages.  The troubleshooting home page is a virtual page under
``docs/en`` whose text is made when every page of the pass is rendered.
``mkdocs build`` runs the other languages' passes in a forked process
(``passes``) while the default language builds.  What the pages show beyond
their Markdown (stylesheets, scripts, the notice, the UI strings, the search
box's worker) comes from the plugin's template folder on the theme's search
path (``theme``), which a site's ``overrides/`` can replace piece by piece.
"""

from __future__ import annotations

import base64
import functools
import gc
import json
import logging
import os
import posixpath
import shutil
import sys
import threading
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import cast
from urllib.parse import quote, urlsplit

import jinja2
import mkdocs_redirects.plugin
import mkdocs_static_i18n.plugin
from mkdocs import utils
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url
from mkdocs_static_i18n.plugin import I18n

import bitext
from bitext.core.guard import guard_for
from bitext.core.model import SOURCE_LANGUAGE, Finding
from bitext.core.severity import Severity
from bitext.formats import docfx
from bitext.links import check as links
from bitext.project.project import Layout, Project, language_dir
from bitext.project.sitefiles import SiteFiles, SiteOptions
from bitext.search import INDEX_DIR, korean
from bitext.search import worker as search_worker
from bitext.search.index import Cancelled
from bitext.site import cache as build_cache
from bitext.site import home as troubleshooting
from bitext.site import sanitize
from bitext.site import source as site
from bitext.site.docfx_markdown import DocfxExtension
from bitext.site.plugin import fast_render, incremental, navigation, passes, theme, watch
from bitext.site.plugin.config import BitextConfig
from bitext.site.plugin.search_index import SiteSearch
from bitext.site.sidebyside import SideBySideExtension

log = get_plugin_logger("bitext")

# The popup labels in every language, from the UI strings (theme.labels_css).
LABELS = "assets/bitext/labels.css"
# After static-i18n (-100) has made its per-language config and files.
AFTER_I18N = -110
# Plugins whose page events are known to leave nothing but the page behind: with any
# other plugin enabled, pages are not reused from the build cache.
# Logged when the work left for after a serve reload is done.
AFTER_RELOAD = "search index and link check updated after the reload"
CACHE_SAFE_PLUGINS = {"search", "material/search", "i18n", "redirects", "bitext"}


class _OncePerBuild(logging.Filter):
    """Drops repeats of a warning within one build.

    A Korean page holds the English page's links twice (translation and
    original), so MkDocs would report each broken link once more per copy
    and per language; the English pass has already reported it.
    """

    def __init__(self):
        super().__init__()
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        message = record.getMessage()
        if message in self.seen:
            return False
        self.seen.add(message)
        return True


class BitextPlugin(BasePlugin[BitextConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.serving = False
        self.project: Project | None = None
        self.source: site.SiteSource | None = None
        self.redirects: list[docfx.Redirect] = []
        self.nav_from_toc = False
        self.files: SiteFiles | None = None
        self.lang = self.default = SOURCE_LANGUAGE
        self.texts: dict[str, site.PageText] = {}
        # The theme's templates for this pass, read by the plugin: UI strings, the notice.
        self.templates: jinja2.Environment = theme.own_templates()
        self.text: dict[str, str] = {}
        self.codes = troubleshooting.CodeIndex()
        # Per page of the pass: its title, its heading labels by id, the id of its h1.
        self.shown: dict[str, tuple[str, dict[str, str], str | None]] = {}
        self.home: File | None = None
        self.sidebyside = SideBySideExtension()
        self.docfx_markdown = DocfxExtension()
        self.once = _OncePerBuild()
        logging.getLogger("mkdocs.structure.pages").addFilter(self.once)
        self.rendered = passes.Rendered()
        self.child: passes.Child | None = None
        self.readings: passes.Readings | None = None  # the forked pass's Korean text, two pages in three read here
        self.child_templates: dict[str, str] = {}
        self.index_aside: passes.Child | None = None  # the forked pass: its search index being written
        self.aside_lines = False  # and whether the forked pass stores its lines' readings (_store_lines_aside)
        self.lines_stored_aside = False  # in the process writing that index: its forker stores the lines' readings
        self.search = SiteSearch()
        self.dirty = False
        self.gc_threshold: tuple[int, ...] | None = None
        # The build cache (bitext.site.cache) and what reuses it.
        self.cache = build_cache.BuildCache(None, "", log)  # memory only until a build opens the folder
        self.steps = incremental.Steps(self.cache, self)
        self.cache_folder: Path | None = None
        self.jinja = incremental.Templates()
        self.file_lists = incremental.FileLists()  # mkdocs serve only
        self.config_key = self.pass_key = self.theme_key = ""
        self.nav_key: str | None = None
        self.nav_memo: navigation.Memo | None = None  # this pass's (on_env)
        self.search_in_material = False
        self.site_url: str | None = None
        self.used: dict[str, set[str]] = {}  # page -> the includes its text asked for
        self.page_codes: dict[str, list[list]] = {}
        self.index_keys: dict[str, str] = {}  # language -> key of the search index in the served site
        self.readings_loaded: set[str] = set()  # languages whose analyzer has the cached readings
        # mkdocs serve: what is done after the browsers are reloaded (search index, link check), and then
        # what readies the next rebuild; each job is given a function saying when a newer save supersedes it.
        self.later: list[Callable[[Callable[[], bool]], None]] = []
        self.priming: list[Callable[[Callable[[], bool]], None]] = []
        self.worker: threading.Thread | None = None
        self.generation = 0  # of builds: a worker whose build is not the last stops
        # mkdocs serve: pages whose only change is the navigation, rendered after the reload or when asked for.
        self.fast = fast_render.FastRender()

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup also keeps this instance across `mkdocs serve` rebuilds,
        # which is what lets a broken file fall back to its last good version (and
        # keeps the Korean analyzer's model loaded).
        self.serving = command == "serve"
        self.dirty = dirty
        if command in ("build", "serve"):
            # A site build keeps hundreds of MB of live objects (pages, segment files, the
            # search analysis) and makes garbage fast: at Python's default thresholds the
            # cyclic collector walks them all again and again.  Measured on the corpus:
            # 47.7-50.4 s CPU instead of 51.8-53.5 s.  In `mkdocs serve` these walks (0.5-1.5 s
            # each on the corpus, about two per save) fell inside a save's rebuild at random:
            # the collector runs instead once the work left for after the reload is done
            # (``_run_later``), while the writer reads the page.
            self.gc_threshold = gc.get_threshold()
            gc.set_threshold(*_BUILD_GC_THRESHOLD)

    def on_shutdown(self) -> None:
        self._finish_later()
        self.steps.uninstall()
        self.file_lists.uninstall()
        mkdocs_redirects.plugin.write_html = _write_redirect
        if self.gc_threshold is not None and not self.serving:
            # mkdocs build: the process ends with the build.  Every object the build left stays frozen
            # (~1 GB on the corpus), so that neither a collection before the exit nor the interpreter's
            # last ones walk them: the process ended 0.6-3.3 s after the build, now ~0.1 s.
            gc.freeze()
        else:
            gc.unfreeze()
        if self.gc_threshold is not None:
            gc.set_threshold(*self.gc_threshold)
            self.gc_threshold = None

    # -- configuration, once per language pass ---------------------------------------------------

    @event_priority(AFTER_I18N)
    def on_config(self, config: MkDocsConfig):
        if not self.config.enabled:
            return config
        i18n = config.plugins.get("i18n")
        if not isinstance(i18n, I18n) or i18n.config.docs_structure != "folder":
            raise PluginError(
                "bitext: the i18n plugin (mkdocs-static-i18n) must be enabled with docs_structure: folder"
            )
        self.default, self.lang = i18n.default_language, i18n.current_language
        root = Path(config.config_file_path).parent
        try:
            docs_dir = Path(config.docs_dir).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            raise PluginError(f"bitext: docs_dir {config.docs_dir} must be inside the project {root}") from None
        # The layout the CLI reads from mkdocs.yml (project.Layout), as MkDocs validated it.
        project = Project(root, Layout(docs_dir, self.default))
        if not i18n.building:
            self._read_project(config, project, i18n)
            if self.serving and not self.dirty:
                # static-i18n is a new instance for every rebuild: the lists are kept here.
                self.file_lists.install()
                i18n.reconfigure_files = self.file_lists.i18n_files(i18n.reconfigure_files, i18n)
        self._configure_pass(config)
        return config

    def _read_project(self, config: MkDocsConfig, project: Project, i18n) -> None:
        """First pass of a build: read every input once, for all languages."""
        self._finish_later()
        self.fast.start_build()
        self.once.seen.clear()
        languages = [language_dir(lang) for lang in i18n.build_languages if lang != self.default]
        self.project = project
        redirects = config.plugins.get("redirects")
        home = self.config.home_page
        path = Path(config.config_file_path)
        options = SiteOptions(
            toc=self.config.toc,
            redirect_maps=dict(redirects.config["redirect_maps"]) if redirects else {},
            config_file=path.name,
            config_text=path.read_text(encoding="utf-8"),
            redirection_file=Path(self.config.redirection_file) if self.config.redirection_file else None,
            docset_urls=tuple(self.config.docset_urls),
            generated=(home,) if home else (),
        )
        self.files = SiteFiles.read(project, options, previous=self.files)
        self.source = site.read_site(
            self.files,
            languages,
            allow_review=self.config.allow_review,
            previous=self.source,
            guard=guard_for([*config.markdown_extensions, "attr_list"], config.mdx_configs),
        )
        # mkdocs.yml's redirect_maps name English pages as docs/en paths, like the docfx map:
        # all get the same treatment (one redirect per language).
        self.redirects = self.files.published_redirects()
        for finding in self.read_source.findings:
            (log.error if finding.severity == Severity.ERROR else log.warning)(str(finding))
        errors = sum(1 for f in self.read_source.findings if f.severity == Severity.ERROR)
        if errors and not self.serving:
            raise PluginError(f"bitext: {errors} input file(s) could not be read (see above); nothing was built")
        self.nav_from_toc = config.nav is None and self.files.toc is not None
        english = list(self.read_source.english)
        self.search.read_docset(
            self.config.search,
            [self.read_source.english[rel] for rel in english],
            languages,
            build_cache.digest(*(self.read_source.digest(rel, None) for rel in english)),
        )
        if self.redirects and redirects is None:
            log.warning(
                "the docs have redirects but the 'redirects' plugin (mkdocs-redirects) is not enabled in mkdocs.yml"
            )
        # mkdocs serve watches docs_dir and mkdocs.yml; the site is also made of these.
        docs = Path(config.docs_dir).resolve()
        outside = [p for p in (self.files.redirection_file, self.files.docfx_json) if p is not None]
        for path in [project.locales_dir, *(p for p in outside if not p.resolve().is_relative_to(docs))]:
            if str(path) not in config.watch:
                config.watch.append(str(path))
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")  # the home page's fixed heading ids
        for extension in (self.sidebyside, self.docfx_markdown):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        self._open_cache(config, project)

    # -- the build cache ----------------------------------------------------------------------------

    def _open_cache(self, config: MkDocsConfig, project: Project) -> None:
        """Once per build: the key of the configuration; the cache and MkDocs' page steps, once per process."""
        use_folder = self.config.cache and os.environ.get("BITEXT_CACHE", "").lower() not in ("0", "off", "false", "no")
        folder = project.root / build_cache.FOLDER if use_folder else None
        salt = _salt()
        if self.cache_folder != folder:
            self.cache_folder = folder
            self.cache = build_cache.BuildCache(folder, salt, log)
            self.steps = incremental.Steps(self.cache, self)
        self.cache.salt = salt
        self.site_url = config.site_url
        options = {k: dict(v) if isinstance(v, Config) else v for k, v in self.config.items()}
        self.config_key = build_cache.digest(
            Path(config.config_file_path).read_bytes(),
            json.dumps(options, sort_keys=True, default=str),
        )
        others = sorted(set(config.plugins) - CACHE_SAFE_PLUGINS)
        if others:
            log.info(f"pages are built without the cache: plugin(s) {', '.join(others)} may depend on every page")
        self.steps.active = not others and not self.dirty
        self.steps.install()
        self.jinja.wrap(config.theme)
        overrides = Path(config.theme.custom_dir or ".")
        found = sorted(p for p in overrides.rglob("*") if p.is_file()) if config.theme.custom_dir else []
        # Names relative to the overrides folder: a cache restored into a checkout elsewhere (CI) still fits.
        self.theme_key = build_cache.digest(
            *(part for p in found for part in (p.relative_to(overrides).as_posix(), p.read_bytes()))
        )

    def populate_key(self, page: Page) -> str | None:
        rel = self._rel(page.file)
        if (self.home is not None and page.file.src_uri == self.home.src_uri) or rel not in self.read_source.english:
            return None
        lang = None if self.lang == self.default else language_dir(self.lang)
        parts = [self.pass_key, page.file.src_uri, page.url, self.read_source.digest(rel, None)]
        if lang is not None:
            parts.append(self.read_source.digest(rel, lang))
            if self.serving:
                parts += [str(f) for f in self._errors_for(page)]
        return self.cache.key(*parts)

    def _include_digest(self, rel: str) -> str:
        lang = None if self.lang == self.default else language_dir(self.lang)
        return self.read_source.digest(rel, None) + "/" + (self.read_source.digest(rel, lang) if lang else "")

    def dependencies(self, page: Page) -> dict[str, str]:
        return {rel: self._include_digest(rel) for rel in sorted(self.used.get(page.file.src_uri, ()))}

    def current(self, dependencies: dict[str, str]) -> bool:
        return all(self._include_digest(rel) == value for rel, value in dependencies.items())

    def facts(self, page: Page) -> dict:
        """What this plugin gathered from a page while MkDocs rendered it."""
        text = self.texts.get(page.file.src_uri)
        shown = self.shown.get(page.file.src_uri)
        return {
            "text": None if text is None else [text.localized, text.translated, text.fallback, text.machine],
            "shown": None if shown is None else list(shown),
            "codes": self.page_codes.get(page.file.src_uri, []),
            "search": self.search.page_facts(self.lang, page.url),
        }

    def restore_facts(self, page: Page, facts: dict) -> None:
        src = page.file.src_uri
        if facts["text"] is not None:
            self.texts[src] = site.PageText("", *facts["text"])
        if facts["shown"] is not None:
            title, labels, h1 = facts["shown"]
            self.shown[src] = (title, labels, h1)
        for code, anchor in facts["codes"]:
            self.codes.add(code, troubleshooting.Section(src, anchor))
        self.search.restore_page(self.lang, page.url, facts["search"])

    def build_key(self, page: Page, content: str) -> tuple[str, str] | None:
        if self.nav_key is None or (self.search_in_material and not self.search.enabled):
            return None  # Material's own search indexes pages while their HTML is made
        if self.home is not None and page.file.src_uri == self.home.src_uri:
            return None  # its text is made after every page is populated (on_env)
        alternates = sorted(
            (lang, f.url, getattr(f, "locale", None)) for lang, f in getattr(page.file, "alternates", {}).items()
        )
        own = self.cache.key(
            self.pass_key,
            self.theme_key,
            self.site_url or "",
            json.dumps(
                [page.url, page.title, alternates, page.canonical_url, page.edit_url, page.is_homepage],
                default=str,
            ),
            content,
        )
        return own, self.nav_key

    @event_priority(-200)
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """The navigation every page of the pass shows, as a key (after static-i18n translated it)."""
        if self.config.enabled:
            self.nav_key = incremental.nav_digest(nav)
        return nav

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """mkdocs serve: the site folder of the last build is kept, its unchanged files are not written again."""
        if not self.config.enabled or _i18n(config).building:
            return
        keep = self.serving and self.steps.active and bool(self.steps.written)
        self.steps.keep_site = keep
        if self.serving:
            # Its stubs are rewritten by every pass of every build otherwise: ~15 % of a serve rebuild.
            mkdocs_redirects.plugin.write_html = self.steps.redirect_writer(_write_redirect)
        if keep:
            utils.clean_directory = _keep_directory
        else:
            self.steps.forget()
            self.index_keys.clear()

    def on_build_error(self, error: Exception) -> None:
        utils.clean_directory = _clean_directory
        self.steps.forget()
        self.index_keys.clear()
        self.fast.end_build(failed=True)

    def on_serve(self, server, config: MkDocsConfig, builder):
        """Requests go through ``fast_render``: a page the last rebuild left for later is rendered first;
        saves are noticed by the system's file events (``watch``)."""
        if self.config.enabled:
            server.set_app(self.fast.app(server.get_app(), server.root, server.mount_path))
            if self.config.native_watch:
                watch.native(server)
        return server

    def _finish_later(self) -> None:
        """The work the last serve rebuild left for after the reload stops before the next build starts.

        Its jobs not started yet are dropped, and the search index being made stops
        at its next page: the next build leaves its own jobs, which redo them.
        """
        self.generation += 1
        if self.worker is not None:
            self.worker.join()
            self.worker = None

    def _run_later(self) -> None:
        jobs, self.later = self.later, []
        priming, self.priming = self.priming, []
        generation = self.generation

        def stop() -> bool:
            return generation != self.generation  # a newer save is being built

        def run() -> None:
            start = time.perf_counter()
            for job in jobs:
                if stop():
                    return
                job(stop)
            if stop():
                return
            gc.collect()  # the garbage of this rebuild's cycles, before the writer's next save (``on_startup``)
            if jobs:
                log.info(f"{AFTER_RELOAD} in {time.perf_counter() - start:.1f} s")
            for job in priming:
                if stop():
                    return
                job(stop)

        self.worker = threading.Thread(target=run, name="bitext-after-reload")
        self.worker.start()

    def _configure_pass(self, config: MkDocsConfig) -> None:
        theme.add_to_theme(config.theme)
        self.templates = config.theme.get_env()
        self.text = text = theme.strings(self.templates, self.lang, self.config.strings)
        self.docfx_markdown.setConfig("titles", text)
        self.docfx_markdown.setConfig("video_embed", self.config.video_embed)
        self.sidebyside.setConfig("source_language", self.default)
        target = None if self.lang == self.default else language_dir(self.lang)
        if self.nav_from_toc:
            home = self.config.home_page
            generated = {home: text["home_title"]} if home and home not in self.read_source.pages else {}
            config.nav = self.read_source.nav(target, self.redirects, generated, home or None)
        redirects = config.plugins.get("redirects")
        if redirects is not None:
            prefix = "" if target is None else f"{self.lang}/"
            maps = {}
            for r in self.redirects:
                maps[prefix + r.source] = _redirect_target(f"{self.default}/{r.target}" if r.internal else r.target)
            redirects.config["redirect_maps"] = maps
        self.texts = {}
        self.shown = {}
        self.codes = troubleshooting.CodeIndex()
        self.used = {}
        self.page_codes = {}
        self.nav_key = None
        self.steps.content = {}
        self.search_in_material = any(name in config.plugins for name in ("search", "material/search"))
        self.search.start_pass(self.lang, self.dirty)

    # -- files --------------------------------------------------------------------------------------

    @event_priority(10)
    def _on_files_before_i18n(self, files: Files, config: MkDocsConfig) -> Files:
        """Only real pages reach static-i18n: no includes, redirect stubs or TOCs; plus the home page."""
        if not self.config.enabled:
            return files
        pages = set(self.read_source.pages)
        prefix = f"{self.default}/"
        for file in list(files):
            if (
                file.src_uri.startswith(prefix)
                and file.is_documentation_page()
                and file.src_uri[len(prefix) :] not in pages
            ):
                files.remove(file)
        self.home = None
        home = self.config.home_page
        if home and home not in pages:
            # A virtual page under docs/en: static-i18n treats it as any English page.
            path = Path(config.docs_dir) / self.default / home
            files.append(File.generated(config, prefix + home, abs_src_path=str(path)))
        return files

    @event_priority(AFTER_I18N)
    def _on_files_after_i18n(self, files: Files, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        redirects = config.plugins.get("redirects")
        if redirects is not None:
            # mkdocs-redirects took its page list before static-i18n gave each page its
            # language's URL; without this, redirects would point into docs/en's URLs.
            redirects.doc_pages = {f.src_uri: f for f in files.documentation_pages()}
        i18n = _i18n(config)
        languages: list[str] = i18n.build_languages
        labels = theme.labels_css(self.templates, languages, self.config.strings)
        files.append(File.generated(config, LABELS, content=labels))
        if self.search.enabled:
            worker, source = search_worker()
            files.append(File.generated(config, worker, content=source))
        home = f"{self.default}/{self.config.home_page}"
        self.home = files.src_uris.get(home) if self.config.home_page else None
        self.pass_key = build_cache.digest(
            self.config_key, self.lang, json.dumps([[f.src_uri, f.dest_uri, f.url] for f in files])
        )
        if self.steps.keep_site:
            # The site folder is the last build's: copy only what changed since.
            # MkDocs calls this instance's method itself: replacing it is the only way to pass dirty=True.
            files.copy_static_files = lambda dirty=False, **kw: Files.copy_static_files(files, True, **kw)  # type: ignore[method-assign]
        for file in files.documentation_pages():
            for lang, alternate in getattr(file, "alternates", {}).items():
                if lang != self.default and self._segments(file, lang) is not None:
                    alternate.locale = lang
        others = [lang for lang in languages if lang != self.default]
        # Pages wait only in the last pass: after the build, the configuration and the plugins are in its state.
        last = self.lang == (others[-1] if others else self.default)
        self.steps.fast = self.fast if self.fast.enabled and self.steps.keep_site and last else None
        if self.config.parallel and not self.serving and not i18n.building and others and passes.can_fork():
            dirty = "--dirty" in sys.argv
            # What is alive now (configuration, every source read) lives as long as the build:
            # frozen, the collector never walks it again, in either process, and the child
            # does not copy the memory pages such walks would write to.
            gc.freeze()
            korean_lang = next(filter(korean.is_korean, others), None) if self.search.enabled else None
            self.readings = (
                passes.Readings(self.search.korean, self._keep_parents_readings(korean_lang)) if korean_lang else None
            )
            self.child = passes.start(config, i18n, others, self.rendered, dirty, self.readings)
        return files

    on_files = CombinedEvent(_on_files_before_i18n, _on_files_after_i18n)

    @property
    def read_source(self) -> site.SiteSource:
        """The project as this build read it (``on_config`` reads it before any page event)."""
        if self.source is None:
            raise PluginError("bitext: the project was not read (the plugin's on_config did not run)")
        return self.source

    @property
    def read_files(self) -> SiteFiles:
        if self.files is None:
            raise PluginError("bitext: the project was not read (the plugin's on_config did not run)")
        return self.files

    def _rel(self, file: File) -> str | None:
        prefix = f"{self.default}/"
        return file.src_uri[len(prefix) :] if file.src_uri.startswith(prefix) else None

    def _segments(self, file: File, lang: str):
        rel = self._rel(file)
        return self.read_source.segment_file(rel, language_dir(lang)) if rel is not None else None

    # -- pages --------------------------------------------------------------------------------------

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return None
        rel = self._rel(page.file)
        if self.home is not None and page.file.src_uri == self.home.src_uri:
            return f"# {self.text['home_title']}\n"  # the real text needs every other page: on_env
        if rel is None or rel not in self.read_source.english:
            return None
        used = self.used.setdefault(page.file.src_uri, set())
        if self.lang == self.default:
            return self.read_source.expand(self.read_source.english[rel], rel, None, used=used).text
        text = self.read_source.localize(rel, language_dir(self.lang), used)
        for finding in text.findings:
            (log.error if finding.severity == Severity.ERROR else log.warning)(str(finding))
        self.texts[page.file.src_uri] = text
        return text.markdown

    def on_page_content(self, html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.config.enabled:
            return html_text
        if self.lang != self.default:
            html_text = self._second_wall(html_text, page)
        is_home = self.home is not None and page.file.src_uri == self.home.src_uri
        if self.search.enabled:
            # The home page lists codes that the articles explain: it is never the answer.
            self.search.add_page(self.lang, page, html_text, None if is_home else self._rel(page.file), self._reader())
        if is_home:
            return html_text
        anchors = _anchors(page.toc)
        h1 = anchors[0].id if anchors and anchors[0].level == 1 else None
        self.shown[page.file.src_uri] = (page.title or "", {a.id: a.title for a in anchors}, h1)
        found = troubleshooting.CodeIndex()
        troubleshooting.find_codes(html_text, page.file.src_uri, found)
        self.page_codes[page.file.src_uri] = [
            [code, s.anchor] for code, sections in found.codes.items() for s in sections
        ]
        for code, sections in found.codes.items():
            for section in sections:
                self.codes.add(code, section)
        text = self.texts.get(page.file.src_uri)
        if text is None:
            return html_text
        notice = self._notice(page, text)
        if not text.localized:
            return notice + f'<div lang="{self.default}">{html_text}</div>'
        if html_text.startswith("<h1"):
            end = html_text.find("</h1>") + len("</h1>")
            return html_text[:end] + notice + html_text[end:]
        return notice + html_text

    def _second_wall(self, html_text: str, page: Page) -> str:
        """A translated page as its English page's allow-list lets it be (``bitext.site.sanitize``)."""
        rel = self._rel(page.file)
        english = (
            self.read_source.expand(self.read_source.english[rel], rel, None).text
            if rel in self.read_source.english
            else ""
        )
        if "title" not in page.meta:
            page.title = sanitize.plain_title(page.title)
        for anchor in _anchors(page.toc):
            anchor.title = sanitize.plain_label(anchor.title)
        return sanitize.sanitize(html_text, sanitize.policy_for(english))

    def _notice(self, page: Page, text: site.PageText) -> str:
        """What a reader of a localized page must know: the theme's ``partials/bitext/notice.html``."""
        english = getattr(page.file, "alternates", {}).get(self.default)
        return theme.notice(
            self.templates,
            text=text,
            strings=self.text,
            english_url=get_relative_url(english.url, page.url) if english is not None else None,
            source_language=self.default,
            errors=[str(f) for f in self._errors_for(page)] if self.serving else [],
        )

    def _errors_for(self, page: Page) -> list[Finding]:
        """Errors about this page's inputs, shown on the page while previewing."""
        rel = self._rel(page.file)
        project = self.read_source.project
        paths = (
            {
                project.display(project.english_path(rel)),
                project.display(project.segment_path(rel, language_dir(self.lang))),
            }
            if rel
            else set()
        )
        return [f for f in self.read_source.findings if f.severity == Severity.ERROR and f.path in paths]

    def on_env(self, env, config: MkDocsConfig, files: Files):
        """The theme's templates get the plugin's layer; every page of the pass is rendered: the home page
        can list the codes they document."""
        if not self.config.enabled:
            return env
        self.nav_memo = theme.install(env, config.theme, self.search.worker(self.lang), reuse_nav=self.config.reuse_nav)
        self.search.set_pages([file.page.url for file in files.documentation_pages() if file.page is not None])
        self._render_home(config, files)
        if self.rendered.capturing and self.search.enabled and passes.can_fork():
            self._write_search_aside(config.site_dir)
        return env

    def _render_home(self, config: MkDocsConfig, files: Files) -> None:
        if self.home is None or self.home.page is None:
            return
        home_dir = posixpath.dirname(self.home.src_uri)

        def link(section: troubleshooting.Section) -> str:
            return posixpath.relpath(section.page, home_dir) + (f"#{section.anchor}" if section.anchor else "")

        def titles(section: troubleshooting.Section) -> troubleshooting.Titles | None:
            if section.page not in self.shown:
                return None
            page_title, labels, h1 = self.shown[section.page]
            if section.anchor is None or section.anchor == h1:
                return troubleshooting.Titles(page_title, None)
            return troubleshooting.Titles(page_title, labels.get(section.anchor))

        page = self.home.page
        page.markdown = troubleshooting.home_markdown(self.codes, self.text, link, titles)
        page.render(config, files)
        if self.lang != self.default and page.content is not None:
            # Rendered here, after on_page_content: it lists translated titles and headings.
            page.content = sanitize.sanitize(page.content, sanitize.policy_for(""))

    def _write_search_aside(self, site_dir: str) -> None:
        """The forked pass: its search index written by another process while this one renders the templates.

        Every page of the pass is populated: the index has all it needs, and the
        templates do not need the index.  In the Korean pass the index and its
        cache entries are ~5 s CPU, the templates ~3 s: one after the other they
        were the end of the build, with the build's parent done and a core idle.
        The parent's readings are taken first (their threads stay in this process).
        """
        lang = self.lang
        pages, _ = self.search.collected(lang)
        found = self.readings.readings() if self.readings is not None else None
        # What this process's kiwi thread has still to read is read here, with its workers: in the
        # other process kiwi reads one text at a time (Analyzer.forked), and its work is the longer one.
        self.search.korean.wait()
        # Only pages read in this build make the readings stored (as in _write_search); with none,
        # the index's process stores them as any build does.
        lines_here = korean.is_korean(lang) and lang in self.readings_loaded and not self.steps.keep_site

        def write() -> None:
            self.search.korean.forked()
            if found is not None:
                self.search.korean.preload(found)
            self.lines_stored_aside = lines_here
            self._write_search(site_dir, lang, pages)

        self.index_aside = passes.aside(write, f"the {lang} search index")
        self.aside_lines = lines_here

    def _store_lines_aside(self, lang: str, pages: list) -> None:
        """The forked pass, while the index is written aside: the readings of its lines go to the build cache.

        The index's process would store them after the index (~1 s CPU for the
        corpus), and it ends after this one: here they are stored alongside it.
        They are this analyzer's readings of the index's lines (a warm build's
        analyzer also holds the lines of earlier texts); the parent stores those
        it sent (``_keep_parents_readings``).
        """
        if not self.aside_lines:
            return
        own = self.search.korean.known(sorted(self.search.korean_lines(pages)))[0]
        self.cache.put("readings", self._readings_keys(lang)[0], [own, []], keep=False)

    def _keep_parents_readings(self, lang: str) -> Callable[[str], None]:
        """The build's parent: the readings it sent the forked pass go to the build cache as they were sent.

        Written again by the forked pass with its own, they were ~0.4 s CPU of
        its ~1 s storing its lines (the corpus), in the build's last process.
        """
        key = self._readings_keys(lang)[1]
        return lambda text: self.cache.put_json("readings", key, text)

    @event_priority(-50)
    def _on_post_build_search(self, config: MkDocsConfig) -> None:
        """This pass's search index: after Material's (empty) one, before the forked pass is joined."""
        if not self.config.enabled or not self.search.enabled:
            return
        pages, unseen = self.search.collected(self.lang)
        if unseen:
            log.warning(
                f"{self.lang}: {unseen} pages were not rendered by this dirty build and are missing from "
                f"the search index; build without --dirty"
            )
        if self.index_aside is not None:
            aside, self.index_aside = self.index_aside, None
            self._store_lines_aside(self.lang, pages)
            passes.join(aside)
            return
        lang, site_dir = self.lang, config.site_dir
        if self.serving and self.steps.keep_site:
            self.later.append(lambda stop: self._write_search(site_dir, lang, pages, stop))
        else:
            self._write_search(site_dir, lang, pages)

    def _write_search(self, site_dir: str, lang: str, pages: list, stop: Callable[[], bool] | None = None) -> None:
        """The index of ``pages``; from the build cache when the same pages were indexed before.

        mkdocs serve keeps each language's ``index.Index``: an edit is analysed, not the whole docset.
        """
        key = self.cache.key("search", json.dumps(self.search.index_inputs(lang, pages), sort_keys=True))
        if self.index_keys.get(lang) == key:
            return  # mkdocs serve: the served site has this index already
        folder = Path(site_dir) / INDEX_DIR / lang
        stored = self.cache.get("search", key, keep=False)
        if stored is not None:
            shutil.rmtree(folder, ignore_errors=True)
            files = {name: base64.b64decode(data) for name, data in stored["files"].items()}
            for name, data in files.items():
                utils.write_file(data, str(folder / name))
            kept = self.search.index_of(lang)
            kept.adopt(folder, files)
            log.info(f"{lang}: search index of {len(pages)} pages from the build cache")
            if self.serving and kept.empty:
                # Analysed after the reload, so that the first edit is not the one to analyse every page.
                self.priming.append(lambda stop: self._prime_search(site_dir, lang, pages, stop))
        else:
            self._load_readings(lang)
            found = self.readings.readings() if self.readings is not None else None
            if found is not None:
                self.search.korean.preload(found)
            try:
                stats, seconds = self.search.write(site_dir, lang, pages, stop)
            except Cancelled:
                return
            log.info(
                f"{lang}: search index of {stats.pages} pages, {stats.terms:,} terms, "
                f"{stats.bytes / 1024:,.0f} KB to download, in {seconds:.1f} s "
                f"({self.search.index_of(lang).analysed} analysed)"
            )
            analyzer = self.search.korean if korean.is_korean(lang) else None
            if not self.steps.keep_site:  # a serve rebuild: the process keeps them; the next build stores them
                encoded = {
                    str(p.relative_to(folder)): base64.b64encode(p.read_bytes()).decode("ascii")
                    for p in sorted(folder.rglob("*"))
                    if p.is_file()
                }
                self.cache.put("search", key, {"files": encoded}, keep=False)
                if analyzer is not None:
                    lines, runs = analyzer.known()
                    lines_key, _, runs_key = self._readings_keys(lang)
                    if not self.lines_stored_aside:
                        self.cache.put("readings", lines_key, [lines, []], keep=False)
                    self.cache.put("readings", runs_key, [[], runs], keep=False)
        self.index_keys[lang] = key

    def _reader(self) -> Callable[[list[str]], None] | None:
        """mkdocs build: who reads a Korean page's text while the others are rendered (serve reads after the reload).

        The forked pass sends two pages in three to the parent (``passes.Readings``).
        """
        if self.serving or not korean.is_korean(self.lang):
            return None
        lang = self.lang
        target = self.readings.send if self.readings is not None and self.readings.sending else None
        analyzer = self.search.korean

        def read(texts: list[str]) -> None:
            # What the build cache knows is not read again; loaded only once a page needs reading
            # (a warm build renders none; loading them made its peak memory 584 MB instead of 229 MB).
            self._load_readings(lang)
            (target or analyzer.read_ahead)(texts)

        return read

    def _readings_keys(self, lang: str) -> tuple[str, str, str]:
        """The build cache's Korean readings: of the index's lines, of those the build's parent read for the
        forked pass, and of the words' first nouns.

        Three entries, so that in the forked pass they are stored by three processes (``_store_lines_aside``,
        ``_keep_parents_readings``).
        """
        return (
            self.cache.key("readings", lang),
            self.cache.key("readings", lang, "read by the parent"),
            self.cache.key("readings", lang, "first nouns"),
        )

    def _load_readings(self, lang: str) -> None:
        """The Korean analyzer's readings of an earlier process, once per process (the build cache)."""
        analyzer = self.search.korean if korean.is_korean(lang) else None
        if analyzer is not None and lang not in self.readings_loaded:
            for key in self._readings_keys(lang):
                known = self.cache.get("readings", key, keep=False)
                if known is not None:
                    analyzer.preload(known)
            self.readings_loaded.add(lang)

    def _prime_search(self, site_dir: str, lang: str, pages: list, stop: Callable[[], bool]) -> None:
        """The index the build cache gave, analysed again in memory: the same files, so nothing is written."""
        self._load_readings(lang)
        try:
            self.search.write(site_dir, lang, pages, stop)
        except Cancelled:
            return

    @event_priority(-90)
    def _on_post_build_before_i18n(self, config: MkDocsConfig) -> None:
        """Whole-site link check, then the forked pass joined: static-i18n must not build it again.

        The link check reads sources, not built pages, so it runs once per build
        (in the outermost pass) while the forked pass is still building.
        """
        if self.config.enabled and not _i18n(config).building:
            self._check_links(config)
        if self.child is None:
            return
        child, self.child = self.child, None
        data = passes.join(child)
        if self.readings is not None:
            self.readings.close()
            self.readings = None
        self.child_templates, search = data["templates"], data["search"]
        i18n = _i18n(config)

        def forked_pass(config, dirty=False) -> None:
            # Where static-i18n would build the pass: its search entries, in the same order.
            i18n.search_entries.extend(search)
            search.clear()

        mkdocs_static_i18n.plugin.build = forked_pass

    @event_priority(AFTER_I18N)
    def _on_post_build_after_i18n(self, config: MkDocsConfig) -> None:
        """A summary of each translated pass.

        static-i18n runs the other languages' passes inside its own
        ``on_post_build`` (or the forked pass did); when it is not ``building``
        any more, every language is on disk.
        """
        if not self.config.enabled:
            return
        if not _i18n(config).building:
            mkdocs_static_i18n.plugin.build = _mkdocs_build
            passes.write_templates(config, self.child_templates)
            self.child_templates = {}
            utils.clean_directory = _clean_directory
            lists = f"; {self.file_lists.counts()}" if self.serving else ""
            log.info(f"build cache: {self.steps.counts()}{lists}")
            self.cache.sweep()
            self.steps.fast = None
            self.fast.end_build()
            if self.serving:
                if self.fast.pending:
                    # Before the search index and the link check: pages are what a reader sees.
                    self.later.insert(0, self.fast.run)
                # Rebuilds after this one leave their writes for after the reload; not the first
                # build, whose every page would wait in memory (~0.3 GB on a docset of 1,000 pages).
                self.cache.defer()
                if self.cache.pending or self.fast.pending:
                    self.later.append(self.cache.flush)
                self._run_later()
            return
        localized = [t for t in self.texts.values() if t.localized]
        machine = sum(t.machine for t in localized)
        translated = sum(t.translated for t in localized)
        fallback = sum(t.fallback for t in localized)
        english = len(self.texts) - len(localized)
        log.info(
            f"{self.lang}: {len(localized)} pages compiled ({translated:,} sentences translated, "
            f"{machine:,} by machine, {fallback:,} left in English); {english} pages not translated yet"
        )

    def _on_post_build_nav(self, config: MkDocsConfig) -> None:
        if self.nav_memo is not None:
            memo, self.nav_memo = self.nav_memo, None
            log.debug(f"{self.lang}: navigation: {memo.rendered} parts rendered once, reused {memo.reused} times")

    on_post_build = CombinedEvent(
        _on_post_build_nav, _on_post_build_search, _on_post_build_before_i18n, _on_post_build_after_i18n
    )

    def _check_links(self, config: MkDocsConfig) -> None:
        """``bitext links`` over every language, as warnings (``mkdocs build --strict`` fails on them)."""
        if not self.config.links.build:
            return
        path = Path(config.config_file_path)
        settings = links.LinkSettings.from_config(
            self.config,
            site_url=config.site_url,
            nav=None if self.nav_from_toc else config.nav,
            config_file=path.name,
            config_text=path.read_text(encoding="utf-8"),
        )
        key = self.cache.key(
            "links",
            self.config_key,
            self.site_url or "",
            json.dumps(self.read_source.digests, sort_keys=True),
            json.dumps({rel: self.read_source.digest(rel, None) for rel in self.read_source.english}, sort_keys=True),
            json.dumps(sorted(self.read_files.assets)),
            json.dumps({rel: stub.text for rel, stub in sorted(self.read_files.stubs.items())}),
            json.dumps({rel: toc.text for rel, toc in sorted(self.read_files.tocs.items())}),
            repr(list(self.read_files.redirects.values())),
        )

        def check(stop: Callable[[], bool] | None = None) -> None:
            found = None if settings.links.external else self.cache.get("links", key, keep=False)
            if found is None:
                try:
                    report = links.run(
                        self.read_source.project, None, settings, self.read_source.segments, self.files, stop
                    )
                except links.Cancelled:
                    return
                # The pages' compilation has reported refused markup already, in the pass that published it.
                found = [[f.severity, str(f)] for f in report.findings if f.code != "markup-injection"]
                if not settings.links.external:  # what a fetch finds is not the site's to keep
                    self.cache.put("links", key, found, keep=False)
            for severity, message in found:
                log.log(logging.WARNING if Severity(severity).at_least(Severity.WARNING) else logging.INFO, message)

        if self.serving and self.steps.keep_site:
            self.later.append(check)
        else:
            check()

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        if self.rendered.capturing and template_name in config.theme.static_templates:
            self.rendered.templates[template_name] = output
            return ""  # the forked pass: the parent writes it
        return output


_mkdocs_build = mkdocs_static_i18n.plugin.build
_clean_directory = utils.clean_directory
_write_redirect = mkdocs_redirects.plugin.write_html


def _i18n(config: MkDocsConfig) -> I18n:
    """The static-i18n plugin (``on_config`` refused a configuration without it)."""
    return cast(I18n, config.plugins["i18n"])


def _keep_directory(directory: str) -> None:
    """``clean_directory`` while ``mkdocs serve`` rebuilds into the last build's site folder."""


def _version(name: str) -> str:
    """The installed version of a distribution; "" when it is not installed (kiwipiepy is optional)."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


@functools.cache
def _salt() -> str:
    """What every cached value depends on besides its own inputs: the code that made it (as loaded)."""
    versions = [
        f"{name}={_version(name)}"
        for name in (
            "mkdocs",
            "mkdocs-material",
            "mkdocs-static-i18n",
            "mkdocs-redirects",
            "markdown",
            "pymdown-extensions",
            # The Korean readings kept in the cache are this analyzer's (its model comes with it).
            "kiwipiepy",
        )
    ]
    return build_cache.digest(
        build_cache.FORMAT,
        sys.version,
        bitext.__version__,
        *versions,
        build_cache.package_digest(Path(bitext.__file__).parent, ("bench",)),
    )


# Collections of the youngest generation every 100,000 allocations instead of 700.
_BUILD_GC_THRESHOLD = (100_000, 50, 1000)


def _anchors(toc) -> list[AnchorLink]:
    out = []
    for anchor in toc:
        out.append(anchor)
        out.extend(_anchors(anchor.children))
    return out


# What a URL may hold as it is; everything else is percent-encoded (``%`` is kept: it is already an escape).
_URL_CHARS = "/:?#[]@!$&()*+,;=%-._~"


def _redirect_target(target: str) -> str:
    """A redirect target as mkdocs-redirects may write it into its page.

    Its template puts the target unescaped into HTML attributes and a
    JavaScript string, so a ``"`` or ``<`` from a ``redirect_url`` would end
    them: every character outside a URL's own is percent-encoded.  The path
    of an internal target stays as written (mkdocs-redirects looks it up
    among the pages and writes the page's own, encoded, URL); its fragment is
    encoded.  Spaces around it go, as a browser's URL parser drops them.
    """
    target = target.strip()
    if urlsplit(target).scheme.lower() in ("http", "https"):
        return quote(target, safe=_URL_CHARS)
    path, sep, fragment = target.partition("#")
    return path + sep + quote(fragment, safe=_URL_CHARS)
