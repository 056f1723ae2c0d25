"""Options of the ``bitext`` plugin entry in mkdocs.yml: the stages' own option classes gathered in one.

``mkdocs build`` validates them as it loads the plugin; the commands read the
same classes from mkdocs.yml without a build (``load``).  Either way a
misspelt option is an error naming it (``bitext.project.options``).
"""

from __future__ import annotations

from mkdocs.config import config_options as c

from bitext.links.config import LinksConfig
from bitext.project import options
from bitext.project.options import Options
from bitext.project.settings import PLUGIN, ConfigFile
from bitext.translate.qa.config import CheckConfig

# Where the plugin generates the troubleshooting home page unless its ``home_page`` option says otherwise.
HOME_PAGE = "index.md"


class SearchConfig(Options):
    """``search:``: the per-language search engine behind Material's search box (``bitext.search``)."""

    prefix = "search"

    enabled = c.Type(bool, default=True)
    # Pages left out of the index, as globs of their path under docs/en (archive/*.md).
    exclude = c.ListOfItems(c.Type(str), default=[])
    # Fetch the index on the first keystroke instead of when a page loads.
    lazy = c.Type(bool, default=False)
    # Query words readers type that the docs spell another way, per language:
    # {ko: {이메일: [메일]}, en: {signin: [sign]}}; added to bitext.search.synonyms.BUILT_IN.
    synonyms = c.Type(dict, default={})


class BitextConfig(Options):
    prefix = PLUGIN
    enabled = c.Type(bool, default=True)
    # The docfx Markdown table of contents under docs/en that gives the navigation
    # (when mkdocs.yml has no nav of its own); without it, the file tree does.
    toc = c.Type(str, default="TOC.md")
    # Where the troubleshooting home page (error/status code index) is generated;
    # "" turns it off.  A real page at that path wins.
    home_page = c.Type(str, default=HOME_PAGE)
    # The docfx redirect map, relative to the project root; by default
    # .openpublishing.redirection.json (or redirection.json) when present.
    redirection_file = c.Optional(c.Type(str))
    # Public base URLs of the docset, so absolute links and redirects into it
    # (https://docs.microsoft.com/office365/securitycompliance/x) map to pages.
    docset_urls = c.ListOfItems(c.Type(str), default=[])
    # Publish targets in state needs-review-translation too.
    allow_review = c.Type(bool, default=False)
    # Embed > [!VIDEO url] in an iframe (a third-party request) instead of linking to it.
    video_embed = c.Type(bool, default=False)
    # `mkdocs build`: build the other languages in a second process while the default
    # language builds (machines with more than one core; `mkdocs serve` never does).
    parallel = c.Type(bool, default=True)
    # Keep what a build made in .cache/bitext (by content hash) for the next build to reuse;
    # false (or the environment variable BITEXT_CACHE=off) builds everything afresh.
    cache = c.Type(bool, default=True)
    # Render the parts of the theme's navigation a page is not in once per language pass and
    # reuse them on every page (the same HTML); false renders it whole for every page.
    reuse_nav = c.Type(bool, default=True)
    # `mkdocs serve`: notice saves by the system's file events (inotify, FSEvents) instead of
    # MkDocs' polling every half second; false keeps the polling (file systems without events).
    native_watch = c.Type(bool, default=True)
    # UI strings per language, over the theme's partials/bitext/languages/LANG.html: {ko: {note: 참고, ...}}.
    strings = c.DictOfItems(c.DictOfItems(c.Type(str)), default={})
    # `bitext check` and `bitext links`, configured where the site is.
    check = c.SubConfig(CheckConfig)
    links = c.SubConfig(LinksConfig)
    search = c.SubConfig(SearchConfig)


def load(config: ConfigFile | None) -> BitextConfig:
    """The ``bitext`` entry of a project's mkdocs.yml (None: the project has none), validated as
    ``mkdocs build`` validates it; a bad option raises BitextError at its line."""
    if config is None:
        return options.defaults(BitextConfig)
    return options.validate(BitextConfig, config.plugin_options, config.display, config.text, ("plugins", PLUGIN))
