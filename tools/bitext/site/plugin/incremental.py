"""Incremental builds: MkDocs' two page steps skipped for a page whose inputs did not change.

MkDocs has no event that lets a plugin skip a page: every build reads and
renders every page's Markdown (``_populate_page``) and renders the theme
around it (``_build_page``), and on the corpus these two steps are most of a
build.  While a build runs, ``Steps`` stands in for both functions of
``mkdocs.commands.build`` (and calls them for what it cannot answer):

- **populate**: the page's rendered HTML, table of contents, metadata, the
  anchors it has and links to, the log lines its rendering wrote (replayed,
  so ``--strict`` counts them) and the facts the plugin gathered from it
  (``PageHooks.facts``), under a key of everything the page's text is made
  from (``PageHooks.populate_key``) and checked against the includes it used;
- **build**: the finished HTML file, under a key of the populated page, the
  theme and the configuration, and of the navigation (``PageHooks.build_key``
  gives both).  In ``mkdocs serve`` the site folder is kept between rebuilds,
  so a page whose file already holds that output is not even written again;
  and a page whose file differs only by the navigation may be left for after
  the reload (``fast``: ``fast_render.FastRender``).

A page the hooks give no key (the generated home page, a page of a plugin this
module does not know) goes through MkDocs as usual.

``FileLists`` does the same for the file lists every ``mkdocs serve`` rebuild
makes before any page: MkDocs' walk of the docs folder and the theme's files,
and static-i18n's copy of every file per language.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import jinja2
import mkdocs.commands.build as mkdocs_build
from mkdocs import utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from bitext.site.cache import JSON, BuildCache, digest
from bitext.site.plugin.fast_render import FastRender

PAGE, HTML = "page", "html"
_POPULATE, _BUILD = mkdocs_build._populate_page, mkdocs_build._build_page
_GET_FILES = mkdocs_build.get_files


class PageHooks(Protocol):
    def populate_key(self, page: Page) -> str | None: ...
    def dependencies(self, page: Page) -> dict[str, str]: ...
    def current(self, dependencies: dict[str, str]) -> bool: ...
    def facts(self, page: Page) -> JSON: ...
    def restore_facts(self, page: Page, facts: JSON) -> None: ...
    def build_key(self, page: Page, content: str) -> tuple[str, str] | None:
        """Keys of what the page's HTML is made from: everything but the navigation, and the navigation."""


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[list] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append([record.name, record.levelno, record.getMessage()])


@contextmanager
def _captured() -> Iterator[_Capture]:
    capture = _Capture()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(capture)
    try:
        yield capture
    finally:
        logger.removeHandler(capture)


def _replay(records: list[list]) -> None:
    for name, level, message in records:
        logger = logging.getLogger(name)
        if logger.isEnabledFor(level):
            logger.handle(logger.makeRecord(name, level, "(cache)", 0, message, (), None))


class Steps:
    """Stands in for MkDocs' page steps while ``active``; counts what it reused."""

    def __init__(self, cache: BuildCache, hooks: PageHooks):
        self.cache = cache
        self.hooks = hooks
        self.active = False
        self.keep_site = False  # mkdocs serve: the site folder outlives the build
        self.written: dict[str, str] = {}  # output path -> build key of what it holds (keep_site)
        self.own: dict[str, str] = {}  # output path -> the part of that key that is not the navigation
        self.fast: FastRender | None = None  # this pass may leave pages for after the reload
        self.content: dict[str, str] = {}  # page -> hash of what populate left on it, this pass
        self.populated = self.reused_pages = self.rendered = self.reused_html = self.deferred = 0
        self._populate: Callable[..., None] = _POPULATE
        self._build: Callable[..., None] = _BUILD

    def install(self) -> None:
        mkdocs_build._populate_page = self.populate
        mkdocs_build._build_page = self.build

    def uninstall(self) -> None:
        mkdocs_build._populate_page = _POPULATE
        mkdocs_build._build_page = _BUILD

    def counts(self) -> str:
        out = (
            f"{self.reused_pages} of {self.reused_pages + self.populated} pages' Markdown and "
            f"{self.reused_html} of {self.reused_html + self.rendered + self.deferred} pages' HTML reused, "
            f"{self.rendered} rendered, {self.deferred} left for after the reload"
        )
        self.populated = self.reused_pages = self.rendered = self.reused_html = self.deferred = 0
        return out

    def forget(self) -> None:
        """What the site folder holds is unknown (a new folder, a failed build)."""
        self.written.clear()
        self.own.clear()

    # -- _populate_page -----------------------------------------------------------------------------

    def populate(self, page: Page, config, files: Files, dirty: bool = False) -> None:
        if not self.active or dirty:
            return self._populate(page, config, files, dirty)
        key = self.hooks.populate_key(page)
        if key is not None:
            # The title the navigation gave the page, which its events may change (the sanitizer does).
            key = digest(key, json.dumps(page.__dict__.get("title")))
            entry = self.cache.get(PAGE, key)
            if entry is not None and self.hooks.current(entry["deps"]) and _restore(page, entry, files):
                _replay(entry["log"])
                self.hooks.restore_facts(page, entry["facts"])
                self.content[page.file.src_uri] = entry["digest"]
                self.reused_pages += 1
                return None
        with _captured() as capture:
            self._populate(page, config, files, dirty)
        self.populated += 1
        state = _state(page)
        if state is None:
            self.content.pop(page.file.src_uri, None)
            return None
        # The HTML apart: JSON would escape its every quote first (~0.2 s CPU of a cold corpus build).
        content = state["content"]
        rest = json.dumps({**state, "content": content is not None}, ensure_ascii=False)
        state["digest"] = self.content[page.file.src_uri] = digest(rest, content or "")
        if key is not None:
            state.update(log=capture.records, deps=self.hooks.dependencies(page), facts=self.hooks.facts(page))
            self.cache.put(PAGE, key, state)
        return None

    # -- _build_page --------------------------------------------------------------------------------

    def build(
        self,
        page: Page,
        config,
        doc_files,
        nav: Navigation,
        env,
        dirty: bool = False,
        excluded: bool = False,
    ) -> None:
        if not self.active or dirty or excluded:
            return self._build(page, config, doc_files, nav, env, dirty, excluded=excluded)
        content = self.content.get(page.file.src_uri)
        keys = self.hooks.build_key(page, content) if content is not None else None
        if keys is None or (doc_files and doc_files[-1] is page.file):
            # The last page too: plugins' page events leave state behind that the next
            # templates show (static-i18n's language switcher in the next pass's 404.html).
            return self._build(page, config, doc_files, nav, env, dirty, excluded=excluded)
        own, nav_key = keys
        key = digest(own, nav_key)
        path = page.file.abs_dest_path
        if self.keep_site and self.written.get(path) == key and os.path.isfile(path):
            self.reused_html += 1
            return None
        make = functools.partial(self._make, page, (config, doc_files, nav, env), key, own)
        fast = self.fast if self.keep_site and self.own.get(path) == own and os.path.isfile(path) else None
        # Only the navigation changed: the page can wait, unless a browser asked for it lately.
        if fast is not None and fast.defer(path, functools.partial(make, counted=False)):
            self.deferred += 1
            return None
        make()
        return None

    def _make(self, page: Page, args: tuple, key: str, own: str, counted: bool = True) -> None:
        """The page's file, from the build cache or rendered by MkDocs (and then stored)."""
        path = page.file.abs_dest_path
        data = self.cache.get_bytes(HTML, key)
        if data is not None:
            utils.write_file(data, path)
            self.reused_html += counted
        else:
            self._build(page, *args)
            self.rendered += counted
            try:
                with open(path, "rb") as fh:
                    self.cache.put_bytes(HTML, key, fh.read())
            except FileNotFoundError:  # MkDocs writes no file for an empty output
                return
        self.written[path] = key
        self.own[path] = own

    def redirect_writer(self, write: Callable[[str, str, str], None]) -> Callable[[str, str, str], None]:
        """mkdocs-redirects' ``write_html``, not writing a stub the kept site folder holds already."""

        def write_html(site_dir: str, old_path: str, new_path: str) -> None:
            path = os.path.join(site_dir, old_path)
            key = f"redirect {new_path}"  # the stub's whole content
            if self.keep_site and self.written.get(path) == key and os.path.isfile(path):
                return
            write(site_dir, old_path, new_path)
            self.written[path] = key

        return write_html


# -- a populated page as JSON ----------------------------------------------------------------------


def _state(page: Page) -> dict[str, Any] | None:
    """What ``_populate_page`` left on ``page``; None when its metadata would not survive JSON."""
    try:
        meta = json.loads(json.dumps(page.meta))
    except (TypeError, ValueError):
        return None
    if meta != page.meta:
        return None  # dates and other YAML types: rendered afresh every time
    return {
        "content": page.content,
        "toc": [toc_token(a) for a in page.toc],
        "meta": meta,
        "title": getattr(page, "_title_from_render", None),
        "nav_title": page.__dict__.get("title"),  # set over MkDocs' title property, by the nav or an event
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": {f.src_uri: links for f, links in (page.links_to_anchors or {}).items()},
    }


def _restore(page: Page, entry: dict, files: Files) -> bool:
    links = {}
    for src_uri, anchors in entry["links"].items():
        target = files.get_file_from_path(src_uri)
        if target is None:
            return False
        links[target] = anchors
    page.markdown = ""  # read: MkDocs takes a page's title from it only while it has no content
    page.meta = entry["meta"]
    page.content = entry["content"]
    page.toc = get_toc(entry["toc"])
    page._title_from_render = entry["title"]
    if entry["nav_title"] is not None:
        page.title = entry["nav_title"]
    page.present_anchor_ids = set(entry["anchors"])
    page.links_to_anchors = links
    return True


def toc_token(anchor: AnchorLink) -> dict:
    return {
        "level": anchor.level,
        "id": anchor.id,
        "name": anchor.title,
        "children": [toc_token(child) for child in anchor.children],
    }


def nav_digest(nav: Navigation) -> str:
    """What the theme shows of a navigation: titles, URLs, nesting."""

    def item(node) -> list:
        if isinstance(node, Section):
            return ["S", node.title, [item(child) for child in node.children]]
        if isinstance(node, Link):
            return ["L", node.title, node.url]
        return ["P", node.title, node.url, [item(child) for child in (node.children or [])]]

    return digest(json.dumps([item(node) for node in nav.items], ensure_ascii=False))


class Templates:
    """The theme's Jinja templates compiled once per process, not once per build and language pass.

    MkDocs makes a new Jinja environment for every build; in ``mkdocs serve``
    compiling Material's templates again and listing its folders is a good
    part of a rebuild.  The compiled code is kept by template source (Jinja
    checks it), the listing by the theme folders and the overrides' tree.
    """

    def __init__(self) -> None:
        self.bytecode = _MemoryBytecode()
        self.listings: dict[tuple, list[str]] = {}

    def wrap(self, theme) -> None:
        make = theme.get_env
        if getattr(make, "__self__", None) is self:
            return

        def get_env() -> jinja2.Environment:
            env = make()
            env.bytecode_cache = self.bytecode
            loader = env.loader
            if isinstance(loader, jinja2.FileSystemLoader):
                # The installed themes do not change while a process runs; the project's overrides may.
                key = (tuple(loader.searchpath), _tree(theme.custom_dir) if theme.custom_dir else ())
                listing = self.listings.get(key)
                if listing is None:
                    listing = self.listings[key] = loader.list_templates()
                loader.list_templates = lambda: list(listing)  # type: ignore[method-assign]
            return env

        theme.get_env = get_env


class _MemoryBytecode(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.data.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.data[bucket.key] = bucket.bytecode_to_string()


def _tree(path: str) -> tuple:
    """A folder's shape: its folders' modification times (a file added or removed changes one)."""
    root = Path(path)
    if not root.is_dir():
        return ()
    return tuple((str(p), p.stat().st_mtime_ns) for p in (root, *(d for d in root.rglob("*") if d.is_dir())))


class FileLists:
    """``mkdocs serve``: the file lists of the last rebuild, copied while what they are made from is unchanged.

    Before any page, every rebuild walks the docs folder and makes a ``File`` of
    each file (``get_files``), one of each theme file (``add_files_from_theme``),
    and static-i18n makes a new ``File`` of every file again in each language
    pass, with its alternates (``reconfigure_files``): on the corpus, most of a
    one-page rebuild, all of it ``pathlib``.  Each list is kept as it was made
    (before MkDocs or a plugin attaches pages to it) under a key of its inputs:
    the folder's listing and the configuration it is read with, the theme
    folders, the files static-i18n was given and its language.  A rebuild with
    the same key gets fresh copies of the kept ``File`` objects, so nothing one
    build attaches to them reaches the next.
    """

    def __init__(self) -> None:
        self.docs: tuple[tuple, list[File]] | None = None
        self.theme: dict[tuple, list[File]] = {}  # per language pass: static-i18n adds a theme folder
        self.i18n: dict[str, tuple[tuple, type, list[File | int]]] = {}  # int: the file given at that index
        self.lookups: dict[tuple, dict[str, str | None]] = {}  # files' state -> path -> src_uri found
        self.reused = self.made = 0

    def install(self) -> None:
        mkdocs_build.get_files = self.get_files

    def counts(self) -> str:
        out = f"{self.reused} of {self.reused + self.made} file lists reused"
        self.reused = self.made = 0
        return out

    def uninstall(self) -> None:
        mkdocs_build.get_files = _GET_FILES

    def get_files(self, config: MkDocsConfig) -> Files:
        docs_dir = config.docs_dir
        listing = tuple(
            (os.path.relpath(folder, docs_dir), tuple(sorted(dirs)), tuple(sorted(names)))
            for folder, dirs, names in os.walk(docs_dir, followlinks=True)
        )
        key = (
            docs_dir,
            config.site_dir,
            config.use_directory_urls,
            config.exclude_docs,
            config.draft_docs,
            config.not_in_nav,
            listing,
        )
        if self.docs is not None and self.docs[0] == key:
            files = Files(copy_files(self.docs[1]))
            self.reused += 1
        else:
            files = _GET_FILES(config)
            self.docs = (key, copy_files(files))
            self.made += 1
        docs = key

        def add_files_from_theme(env: jinja2.Environment, config: MkDocsConfig) -> None:
            theme = (
                docs,
                tuple(config.theme.dirs),
                _tree(config.theme.custom_dir) if config.theme.custom_dir else (),
                tuple(config.theme.static_templates),
                tuple(env.list_templates()),
            )
            kept = self.theme.get(theme)
            if kept is not None:
                for file in copy_files(kept):
                    files.append(file)
                self.reused += 1
                return
            known = {file.src_uri for file in files}
            Files.add_files_from_theme(files, env, config)
            if len(self.theme) > 4:
                self.theme.clear()
            self.theme[theme] = copy_files(file for file in files if file.src_uri not in known)
            self.made += 1

        files.add_files_from_theme = add_files_from_theme  # type: ignore[method-assign]
        return files

    def i18n_files(self, reconfigure: Callable[[Files, MkDocsConfig], Files], plugin) -> Callable:
        """static-i18n's ``reconfigure_files`` of ``plugin``, kept per language."""

        def reconfigure_files(files: Files, config: MkDocsConfig) -> Files:
            given = list(files)
            options = plugin.config
            key = (
                plugin.current_language,
                plugin.default_language,
                tuple(plugin.all_languages),
                tuple(plugin.build_languages),
                options.docs_structure,
                options.fallback_to_default,
                config.docs_dir,
                config.site_dir,
                config.use_directory_urls,
                tuple(_signature(file) for file in given),
            )
            kept = self.i18n.get(plugin.current_language)
            if kept is not None and kept[0] == key:
                _, made_type, listed = kept
                made = iter(copy_files(f for f in listed if isinstance(f, File)))
                result = made_type(plugin, [given[f] if isinstance(f, int) else next(made) for f in listed])
                self.reused += 1
            else:
                result = reconfigure(files, config)
                index = {id(file): n for n, file in enumerate(given)}
                copies = iter(copy_files(f for f in result if id(f) not in index))
                listed = [index[id(f)] if id(f) in index else next(copies) for f in result]
                self.i18n[plugin.current_language] = (key, type(result), listed)
                self.made += 1
            self._remember_lookups(result, key)
            return result

        return reconfigure_files

    def _remember_lookups(self, files: Files, key: tuple) -> None:
        """static-i18n's ``get_file_from_path`` (pathlib, for every link of the navigation) answered from
        the last rebuild's answers while the collection holds the same files."""
        find, append, remove = files.get_file_from_path, files.append, files.remove
        current: list[dict[str, str | None]] = []

        def answers() -> dict[str, str | None]:
            if not current:
                state = (key, tuple(files.src_uris))
                if state not in self.lookups:
                    if len(self.lookups) > 8:
                        self.lookups.clear()
                    self.lookups[state] = {}
                current.append(self.lookups[state])
            return current[0]

        def get_file_from_path(path: str) -> File | None:
            known = answers()
            if path in known:
                src_uri = known[path]
                return None if src_uri is None else files.src_uris[src_uri]
            found = find(path)
            known[path] = None if found is None else found.src_uri
            return found

        def changed(method: Callable[[File], None]) -> Callable[[File], None]:
            def change(file: File) -> None:
                current.clear()
                method(file)

            return change

        files.get_file_from_path = get_file_from_path  # type: ignore[method-assign]
        files.append = changed(append)  # type: ignore[method-assign, assignment]
        files.remove = changed(remove)  # type: ignore[method-assign, assignment]


def _signature(file: File) -> tuple:
    """What static-i18n reads of a file it is given."""
    return (
        type(file),
        file.src_uri,
        file.src_dir,
        file.dest_dir,
        file.dest_uri,
        file.use_directory_urls,
        file.inclusion,
        file.abs_src_path,
        file.generated_by,
    )


def copy_files(files: Iterable[File]) -> list[File]:
    """New ``File`` objects with the attributes of ``files`` (alternates copied too), without their pages."""
    copies: dict[int, File] = {}

    def copy(file: File) -> File:
        done = copies.get(id(file))
        if done is not None:
            return done
        new = copies[id(file)] = object.__new__(type(file))
        attributes = dict(file.__dict__)
        attributes.pop("page", None)
        alternates = attributes.get("alternates")
        if alternates is not None:
            attributes["alternates"] = {lang: copy(other) for lang, other in alternates.items()}
        new.__dict__.update(attributes)
        return new

    return [copy(file) for file in files]
