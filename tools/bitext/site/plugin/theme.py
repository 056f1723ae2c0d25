"""The plugin's part of the theme: a template folder on the theme's search path, and what it renders.

MkDocs looks a template up in ``theme.dirs`` in order: the site's
``custom_dir`` (``overrides/``), then the theme (Material).  The plugin puts
``templates/`` between the two, as mkdocs-static-i18n adds its sitemap
template, so whatever a site overrides wins:

- ``base.html``, the layer between a site's ``main.html`` (which extends
  ``"base.html"``) and the theme's own ``base.html``: its blocks add the
  partials below and point Material's search box at bitext's search worker
  (Material's ``{% block config %}``);
- ``partials/bitext/``: the stylesheets, the no-flash script, the script, and
  ``notice.html``, the notice above a translated page;
- ``partials/bitext/languages/LANG.html``: the UI strings, like Material's
  ``partials/languages/``; the plugin's ``strings:`` option overrides single
  strings on top;
- ``assets/bitext/``: the stylesheet and the script, copied as the theme's
  own assets are.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path

import jinja2
import lxml.html
from jinja2.utils import htmlsafe_json_dumps
from mkdocs.exceptions import PluginError
from mkdocs.theme import Theme
from mkdocs.utils import get_theme_dir

from bitext.site.plugin import navigation

TEMPLATES = Path(__file__).parent / "templates"
# The theme below the plugin's folder, as base.html extends it: "bitext-parent/base.html".
PARENT = "bitext-parent"
LANGUAGES = "partials/bitext/languages"
NOTICE = "partials/bitext/notice.html"
# The language whose partial has every string: the others fall back to it.
FALLBACK_LANGUAGE = "en"


def add_to_theme(theme: Theme) -> None:
    """The plugin's folder just before the theme's own (so after the site's custom_dir)."""
    if theme.name is None:
        raise PluginError("bitext: the plugin's templates extend a named theme (theme.name: material)")
    folder = str(TEMPLATES)
    if folder not in theme.dirs:
        theme.dirs.insert(theme.dirs.index(get_theme_dir(theme.name)), folder)


def own_templates() -> jinja2.Environment:
    """The plugin's templates alone, as no site overrides them."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES))


def install(
    env: jinja2.Environment, theme: Theme, search: Mapping[str, str] | None, *, reuse_nav: bool
) -> navigation.Memo | None:
    """``on_env``: what ``base.html`` uses.

    ``search``: the worker's path and query string (None: Material's own search).
    ``reuse_nav``: render the navigation's parts once per pass (``bitext.site.plugin.navigation``).
    """
    memo = navigation.install(env, get_theme_dir(theme.name)) if reuse_nav and theme.name is not None else None
    below = theme.dirs[theme.dirs.index(str(TEMPLATES)) + 1 :]
    parent = jinja2.PrefixLoader({PARENT: jinja2.FileSystemLoader(below)})
    env.loader = jinja2.ChoiceLoader([loader for loader in (env.loader, parent) if loader is not None])
    env.filters["bitext_search_worker"] = _search_worker_once()
    env.globals["bitext_search"] = search
    return memo


def _search_worker_once() -> Callable[[jinja2.Environment, str, str], str]:
    """``_search_worker`` done once per block and URL of the pass: pages of one folder depth have the same."""
    done: dict[tuple[str, str], str] = {}

    @jinja2.pass_environment
    def search_worker(env: jinja2.Environment, block: str, url: str) -> str:
        out = done.get((block, url))
        if out is None:
            out = done[(block, url)] = _search_worker(env, block, url)
        return out

    return search_worker


def _search_worker(env: jinja2.Environment, block: str, url: str) -> str:
    """Material's ``__config`` script (its ``config`` block) with ``url`` as its search worker.

    The rest of the configuration is Material's, whatever its version puts there,
    written back as Material's ``tojson`` writes it.
    """
    script = lxml.html.fragment_fromstring(block.strip())
    if script.tag != "script" or script.get("id") != "__config":
        raise PluginError("bitext: the theme's 'config' block does not hold Material's __config script")
    config = json.loads(script.text)
    config["search"] = url
    script.text = htmlsafe_json_dumps(
        config, dumps=env.policies["json.dumps_function"], **env.policies["json.dumps_kwargs"]
    )
    return lxml.html.tostring(script, encoding="unicode")


def strings(env: jinja2.Environment, lang: str, overrides: Mapping | None = None) -> dict[str, str]:
    """The UI strings for ``lang``: English, then the language's partial (without region), then ``overrides``."""
    out = _partial_strings(env, FALLBACK_LANGUAGE)
    base = lang.split("-", maxsplit=1)[0].lower()
    if base != FALLBACK_LANGUAGE:
        with contextlib.suppress(jinja2.TemplateNotFound):  # a language without a partial: English
            out.update(_partial_strings(env, base))
    out.update((overrides or {}).get(lang, {}))
    return out


def _partial_strings(env: jinja2.Environment, lang: str) -> dict[str, str]:
    name = f"{LANGUAGES}/{lang}.html"
    table = getattr(env.get_template(name).module, "strings", None)
    if not isinstance(table, Mapping):
        raise PluginError(f"bitext: the template {name} must set 'strings' to a mapping of UI strings")
    return dict(table)


def labels_css(env: jinja2.Environment, languages: list[str], overrides: Mapping | None = None) -> str:
    """The popup labels of ``languages`` as CSS variables (``bitext.css`` shows them), ``:lang()`` by page."""
    rules = []
    for lang in [FALLBACK_LANGUAGE, *sorted(set(languages) - {FALLBACK_LANGUAGE})]:
        text = strings(env, lang, overrides)
        values = "; ".join(
            f"--bt-label-{key.replace('_', '-')}: {_css_string(text[key])}"
            for key in ("original", "original_mt", "untranslated")
        )
        selector = ":root" if lang == FALLBACK_LANGUAGE else f":root:lang({lang})"
        rules.append(f"{selector} {{ {values}; }}")
    return "\n".join(rules) + "\n"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def notice(env: jinja2.Environment, **context: object) -> str:
    """``partials/bitext/notice.html`` (its context is described there)."""
    return env.get_template(NOTICE).render(**context)
