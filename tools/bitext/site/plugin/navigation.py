"""Material's navigation rendered once per language pass, not once per page.

Material renders the whole navigation (``partials/nav-item.html``, macro
``render``) into every page: on a docset of hundreds of articles that is most
of what rendering a page costs, and a changed title makes every page of the
pass render it again.  Most of it is the same on every page: a subtree the
page is not in, whose links come out the same from where the page is.  This
module keeps each such subtree's HTML for the pass and gives it to every page
it fits, through Material's own macro (nothing of its template is copied):

- ``NavItemLoader`` serves Material's ``partials/nav-item.html`` with its
  ``render`` macro renamed and a ``render`` of the same signature added that
  goes through ``bitext_nav_item``; Material's macro calls ``render`` for each
  child, so the recursion goes through it too.  A site's own
  ``overrides/partials/nav-item.html`` is found first and left alone.
- ``Memo`` (the ``bitext_nav_item`` global): the rendered subtree of an item,
  for the pages on which nothing in it can differ.

What a subtree's HTML depends on, from Material's macro: the items'
own fields (titles, meta, children), the ``path``/``level`` arguments, the
parent's ``active`` flag, the theme features, and the page through the
``active`` flags, ``item == page`` (a page is equal to another of the same
file), ``page in item.pages`` (Material's blog views), the page's TOC (only on
the page's own item) and the ``url`` filter (MkDocs' ``normalize_url``: a link
relative to the page's folder).  So a subtree is reused only when it is not
active, holds no item of the page's file and no blog view, and every link in
it keeps the same number of leading folders in common with the page's folder;
then each link comes out as ``../`` once per other folder of the page followed
by the rest of the link, which the key (depth of the page's folder, folders in
common) determines.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

import jinja2
from mkdocs.structure.pages import Page
from mkdocs.utils import _get_norm_url, _norm_parts

log = logging.getLogger("mkdocs.plugins.bitext")

TEMPLATE = "partials/nav-item.html"
GLOBAL = "bitext_nav_item"
# Material's macro, as its nav-item.html defines it, and the name it is given.
MACRO = "{% macro render(nav_item, path, level, parent) %}"
RENAMED = "{% macro bitext_material_render(nav_item, path, level, parent) %}"
WRAPPER = (
    "{% macro render(nav_item, path, level, parent) %}"
    "{{ " + GLOBAL + "(bitext_material_render, nav_item, path, level, parent) }}"
    "{% endmacro %}"
)


def patch(source: str) -> str | None:
    """Material's ``nav-item.html`` with its ``render`` going through the memo; None when it has no such macro."""
    if source.count(MACRO) != 1:
        return None
    return source.replace(MACRO, RENAMED) + "\n" + WRAPPER + "\n"


class NavItemLoader(jinja2.BaseLoader):
    """``loader``, with the theme's own ``partials/nav-item.html`` (at ``theme_dir``) patched."""

    def __init__(self, loader: jinja2.BaseLoader, theme_dir: str) -> None:
        self.loader = loader
        self.material = os.path.normpath(os.path.join(theme_dir, *TEMPLATE.split("/")))

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.loader.get_source(environment, template)
        if template != TEMPLATE or filename is None or os.path.normpath(filename) != self.material:
            return source, filename, uptodate
        patched = patch(source)
        if patched is None:
            log.info(f"bitext: {filename} has no '{MACRO}': the navigation is rendered whole for every page")
            return source, filename, uptodate
        return patched, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


def install(env: jinja2.Environment, theme_dir: str) -> Memo:
    """The memo for this environment (one language pass) and the loader that routes Material's macro to it."""
    if env.loader is not None:
        env.loader = NavItemLoader(env.loader, theme_dir)
    memo = Memo()
    env.globals[GLOBAL] = memo
    return memo


@dataclass(frozen=True)
class _Subtree:
    """What an item's subtree's HTML depends on, besides the item itself."""

    reusable: bool  # no blog view, every link a string
    sources: frozenset[str]  # the files of its pages
    # The folders every relative link in it starts with (None: it has no relative link),
    # and the folders that come after those in its links.
    prefix: tuple[str, ...] | None
    after: frozenset[str]


class Memo:
    """``bitext_nav_item(render, item, path, level, parent)``: Material's ``render`` of the item, reused when it can."""

    def __init__(self) -> None:
        self.nav: object = None
        self.html: dict[tuple, str] = {}
        # By the item's id; the item is kept with it, so no other item gets that id while the memo lives
        # (Material's blog posts render items made per page through the same macro).
        self.subtrees: dict[int, tuple[object, _Subtree]] = {}
        # Subtrees rendered by Material's macro, and given from the memo instead.
        self.rendered = self.reused = 0

    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, render: Callable[..., str], item, path, level, parent) -> str:
        key = self._key(context, item, path, level, parent)
        if key is None:
            return render(item, path, level, parent)
        html = self.html.get(key)
        if html is None:
            html = self.html[key] = render(item, path, level, parent)
            self.rendered += 1
        else:
            self.reused += 1
        return html

    def _key(self, context: jinja2.runtime.Context, item, path, level, parent) -> tuple | None:
        nav = context.get("nav")
        if nav is not self.nav:  # another pass's navigation: nothing kept fits it
            self.nav, self.html, self.subtrees = nav, {}, {}
        if getattr(item, "active", False):
            return None
        subtree = self._subtree(item)
        if not subtree.reusable:
            return None
        page = context.get("page")
        where: tuple | None
        if page is None:
            where = ("base", context.get("base_url"))
        else:
            file = getattr(page, "file", None)
            if file is not None and file.src_uri in subtree.sources:
                return None
            where = _folders_in_common(_folder(page.url), subtree)
            if where is None:
                return None
        features = context.get("features") or ()
        parent_active = not isinstance(parent, jinja2.Undefined) and bool(getattr(parent, "active", False))
        return (id(item), path, level, parent_active, tuple(features), where)

    def _subtree(self, item) -> _Subtree:
        known = self.subtrees.get(id(item))
        if known is not None:
            return known[1]
        children = getattr(item, "children", None)
        if getattr(item, "pages", None):
            subtree = _Subtree(False, frozenset(), None, frozenset())
        elif children:
            subtree = _join([self._subtree(child) for child in children])
        else:
            subtree = _leaf(item)
        self.subtrees[id(item)] = (item, subtree)
        return subtree


def _leaf(item) -> _Subtree:
    url = getattr(item, "url", None)
    if not isinstance(url, str):
        return _Subtree(False, frozenset(), None, frozenset())
    sources = frozenset({item.file.src_uri}) if isinstance(item, Page) else frozenset()
    path, up = _get_norm_url(url)
    if up == -1:  # absolute: the same on every page
        return _Subtree(True, sources, None, frozenset())
    return _Subtree(True, sources, tuple(_norm_parts(path)), frozenset())


def _join(parts: list[_Subtree]) -> _Subtree:
    sources = frozenset().union(*(p.sources for p in parts))
    if not all(p.reusable for p in parts):
        return _Subtree(False, sources, None, frozenset())
    prefixes = [p for p in parts if p.prefix is not None]
    if not prefixes:
        return _Subtree(True, sources, None, frozenset())
    prefix = _common(*(p.prefix for p in prefixes if p.prefix is not None))
    after: set[str] = set()
    for p in prefixes:
        assert p.prefix is not None
        if len(p.prefix) > len(prefix):
            after.add(p.prefix[len(prefix)])
        else:
            after |= p.after
    return _Subtree(True, sources, prefix, frozenset(after))


def _common(*paths: tuple[str, ...]) -> tuple[str, ...]:
    first = paths[0]
    n = len(first)
    for other in paths[1:]:
        n = min(n, len(other))
        for i in range(n):
            if first[i] != other[i]:
                n = i
                break
    return first[:n]


@functools.lru_cache(maxsize=4096)
def _folder(page_url: str) -> tuple[str, ...]:
    """The page's folder as ``get_relative_url`` takes it: the URL without a last part that has a dot."""
    folder, _, name = page_url.rpartition("/")
    return tuple(_norm_parts(folder if "." in name else page_url))


def _folders_in_common(folder: tuple[str, ...], subtree: _Subtree) -> tuple | None:
    """(depth of the page's folder, folders every link in the subtree shares with it); None if they differ."""
    if subtree.prefix is None:
        return ("absolute",)
    prefix = subtree.prefix
    k = len(_common(folder, prefix))
    if k == len(prefix) and len(folder) > k and folder[k] in subtree.after:
        return None
    return (len(folder), k)
