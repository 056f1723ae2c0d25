"""``bitext new DIR``: a ready bilingual site.

Writes ``mkdocs.yml`` (Material, mkdocs-static-i18n with the English default
and one target language, mkdocs-redirects, the ``bitext`` plugin), the empty
``docs/en/`` and ``locales/LANG/`` folders and ``overrides/``, so that
``bitext import-sxs CORPUS --root DIR && mkdocs build -f DIR/mkdocs.yml``
builds any sxs corpus.  An existing file is never overwritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from bitext.core.errors import BitextError
from bitext.core.files import atomic_write
from bitext.project.project import Project, is_language_tag, language_dir

# Language names for the language switcher, in their own language.
NATIVE_NAMES = {
    "ko": "한국어",
    "ja": "日本語",
    "zh": "中文",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "it": "Italiano",
    "ru": "Русский",
    "en": "English",
}

_MKDOCS_YML = """\
# A bilingual site made by `bitext new`.  English articles: docs/en/*.md;
# translations: locales/{folder}/*.xlf, compiled into the {name} pages at build
# time (nothing is generated into docs/).  Build: mkdocs build; preview: mkdocs serve.
site_name: {site_name}
docs_dir: docs
site_dir: site
# Attribution of the content shown (sxs files are Microsoft Docs localisation
# files, published under CC-BY-4.0); edit it for content of your own.
copyright: {copyright}

theme:
  name: material
  custom_dir: overrides
  language: en
  font: false  # no Google Fonts: no request leaves the site

plugins:
  - search
  - i18n:
      docs_structure: folder
      fallback_to_default: true
      languages:
        - locale: en
          name: English
          default: true
        - locale: {locale}
          name: {name}
          copyright: {copyright}
  - redirects
  - bitext:
      # The docset's public base URLs, so absolute links and redirects into it map to pages.
      docset_urls: []
      check: {{}}
      links: {{}}

# `bitext links` (run by the bitext plugin after every build) checks links,
# anchors, redirects and docset paths in every language; MkDocs' own link
# checks would report the same links again, or wrongly (redirects, docset paths).
validation:
  links:
    not_found: info
    anchors: info
    absolute_links: info
    unrecognized_links: info

markdown_extensions:
  # Heading ids: toc's default slugify of the English heading text, also on the
  # translated pages (the bitext plugin keeps the English ids there).
  - toc:
      permalink: true
  - admonition
  - attr_list
  - tables
  - md_in_html
  # Ordered lists keep their first number (a step list interrupted by an alert goes on at 6.).
  - sane_lists
  # ``` code fences, also inside list steps, highlighted at build time (no script, no CDN).
  - pymdownx.highlight
  - pymdownx.superfences
"""

COPYRIGHT = 'Content: Microsoft Docs contributors, <a href="https://creativecommons.org/licenses/by/4.0/">CC-BY-4.0</a>'

_MAIN_HTML = """\
{% extends "base.html" %}

{#- Template overrides of this site (Material for MkDocs: "customization").
    The bitext plugin needs none: "base.html" is its layer over Material's, so
    call {{ super() }} in the blocks it fills (styles, extrahead, config,
    scripts); its partials (overrides/partials/bitext/) and UI strings
    (overrides/partials/bitext/languages/LANG.html) are overridden by path. -#}
"""

_GITIGNORE = "/site/\n/.cache/\n"  # .cache/bitext: the write lock and the links cache


@dataclass
class Scaffold:
    root: Path
    written: list[Path] = field(default_factory=list)


def new_site(root: Path, *, language: str = "ko", site_name: str | None = None) -> Scaffold:
    """Create the site in ``root`` (which may exist, but must not hold an mkdocs.yml)."""
    config = root / "mkdocs.yml"
    if config.exists():
        raise BitextError.at(str(config), 1, "a site already exists here; bitext new never overwrites it", "exists")
    if not is_language_tag(language):
        raise BitextError.at(str(config), 1, f"--lang {language!r} is not a BCP 47 language tag", "language")
    folder = language_dir(language)
    locale = folder if "-" not in folder else folder.split("-")[0] + "-" + folder.split("-")[1].upper()
    name = NATIVE_NAMES.get(folder.split("-")[0], language)
    project = Project(root)
    result = Scaffold(root)
    text = _MKDOCS_YML.format(
        site_name=json.dumps(site_name or root.resolve().name, ensure_ascii=False),
        folder=folder,
        locale=locale,
        name=name,
        copyright=json.dumps(COPYRIGHT),
    )
    for path, content in (
        (config, text),
        (root / "overrides" / "main.html", _MAIN_HTML),
        (root / ".gitignore", _GITIGNORE),
    ):
        if not path.exists():
            atomic_write(path, content, root=root)
            result.written.append(path)
    for folder_path in (project.docs_dir, project.locales_dir / folder):
        folder_path.mkdir(parents=True, exist_ok=True)
        result.written.append(folder_path)
    return result
