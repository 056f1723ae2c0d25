"""Material's navigation rendered once per pass (``bitext.site.plugin.navigation``): the same site, byte for byte.

Real ``mkdocs build`` runs.  First plain Material sites (no i18n, no bitext
plugin) with the memo installed by an MkDocs hook, against the same site
without it, over nested sections, pages at several folder depths, section
index pages, pages outside the navigation, absolute and relative links, an
empty section, with and without ``use_directory_urls`` and with Material's
navigation features toggled.  Then the bitext fixture site, both language
passes, with the plugin's ``reuse_nav`` on and off, a site whose own
``overrides/partials/nav-item.html`` must win over the memo, and the
583-article corpus on and off (marked corpus).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bitext.site.plugin import navigation
from conftest import run_bitext
from site_helpers import ENV, make_site, page, same_site

pytestmark = pytest.mark.slow

PAGES = {
    "index.md": "# Home\n\nWelcome.\n",
    "a.md": "# A\n\n## First\n\ntext\n\n## Second\n\ntext\n",
    "guide/index.md": "# Guide\n\nAbout the guide.\n",
    "guide/install.md": "# Install\n\n## Steps\n\nDo it.\n",
    "guide/deep/index.md": "# Deep\n\nDeeper.\n",
    "guide/deep/tuning.md": "# Tuning\n\n## Knobs\n\nTurn them.\n",
    "guide/deep/more/leaf.md": "# Leaf\n\nThe deepest page.\n",
    "guide-notes.md": "# Guide notes\n\nNotes.\n",
    "other/page.md": "# Other page\n\nElsewhere.\n",
    "other/second.md": "# Second other\n\nElsewhere too.\n",
    "orphan.md": "# Orphan\n\nNot in the navigation.\n",
    "sub/deeper/orphan2.md": "# Deeper orphan\n\nNot in the navigation either.\n",
}

NAV = [
    {"Home": "index.md"},
    {"A": "a.md"},
    {
        "Guide": [
            "guide/index.md",
            {"Install": "guide/install.md"},
            {"Deep": ["guide/deep/index.md", "guide/deep/tuning.md", {"More": ["guide/deep/more/leaf.md"]}]},
            {"Other": "other/page.md"},
            {"Example": "https://example.com/"},
            {"Up": "../up/"},
        ]
    },
    {"Notes": "guide-notes.md"},
    {"Others": [{"Second": "other/second.md"}, {"Empty": []}]},
    {"Site root": "/"},
]

HOOK = """\
import logging

from mkdocs.utils import get_theme_dir

from bitext.site.plugin import navigation

log = logging.getLogger("mkdocs.hooks.nav_memo")
memos = []


def on_env(env, config, files):
    memos.append(navigation.install(env, get_theme_dir(config.theme.name)))
    return env


def on_post_build(config):
    log.info(f"nav memo: {sum(m.rendered for m in memos)} rendered, {sum(m.reused for m in memos)} reused")
"""

COUNTS = re.compile(r"nav memo: (\d+) rendered, (\d+) reused")
NAV_LOG = re.compile(r"(\w+): navigation: (\d+) parts rendered once, reused (\d+) times")

FEATURES = [
    [],
    ["navigation.sections"],
    ["navigation.indexes", "navigation.sections"],
    ["navigation.tabs", "navigation.sections", "navigation.indexes"],
    ["navigation.tabs", "navigation.prune"],
    ["navigation.prune", "navigation.expand", "navigation.indexes"],
    ["navigation.tabs", "navigation.sections", "navigation.prune", "navigation.indexes", "toc.integrate"],
]


def _plain_site(root: Path, features: list[str], directory_urls: bool, memo: bool) -> Path:
    for rel, text in PAGES.items():
        path = root / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config: dict = {
        "site_name": "Nav memo",
        "site_url": "https://example.com/docs/",
        "use_directory_urls": directory_urls,
        "theme": {"name": "material", "features": features},
        "nav": NAV,
        "markdown_extensions": ["toc"],
        "validation": {"nav": {"not_found": "info", "absolute_links": "info"}},
    }
    if memo:
        (root / "nav_memo_hook.py").write_text(HOOK, encoding="utf-8")
        config["hooks"] = ["nav_memo_hook.py"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


def _build(root: Path, site: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**ENV, "SOURCE_DATE_EPOCH": "1700000000", "BITEXT_CACHE": "off"}
    argv = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(site), *args]
    result = subprocess.run(argv, cwd=root, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_the_installed_material_has_the_macro_the_memo_routes() -> None:
    """A Material release that renamed or reshaped ``render`` would leave the navigation unmemoised: fail here."""
    import material

    source = (Path(material.__file__).parent / "templates" / navigation.TEMPLATE).read_text(encoding="utf-8")
    patched = navigation.patch(source)
    assert patched is not None
    # Only the macro's name changed; Material's body is kept whole, its recursion calls the new render.
    assert patched.replace(navigation.RENAMED, navigation.MACRO).startswith(source)
    assert '{{ render(item, path ~ "_" ~ loop.index, level + 1, nav_item) }}' in patched
    assert navigation.patch(source.replace(navigation.MACRO, "{% macro render(nav_item, path, level) %}")) is None


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "file-urls"])
@pytest.mark.parametrize("features", FEATURES, ids=lambda f: "+".join(f) or "no-features")
def test_plain_material_site_is_the_same_with_the_memo(tmp_path: Path, features: list[str], directory_urls: bool):
    plain = _plain_site(tmp_path / "plain", features, directory_urls, memo=False)
    memo = _plain_site(tmp_path / "memo", features, directory_urls, memo=True)
    _build(plain, tmp_path / "site-plain")
    result = _build(memo, tmp_path / "site-memo")
    same_site(tmp_path / "site-plain", tmp_path / "site-memo")
    rendered, reused = (int(n) for n in COUNTS.findall(result.stderr)[-1])
    # The memo was used: subtrees rendered once and given to other pages.
    assert rendered > 0
    assert reused > 0


def _bitext_fixture(root: Path, seed_path: Path, *, reuse_nav: bool, features: list[str], directory_urls: bool):
    make_site(root, seed_path)
    docs = root / "docs" / "en"
    for rel, text in PAGES.items():
        if rel != "index.md":
            path = docs / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    toc = (docs / "TOC.md").read_text(encoding="utf-8")
    (docs / "TOC.md").write_text(
        toc
        + "# Guide\n## [Guide](guide/index.md)\n## [Install](guide/install.md)\n## Deep\n"
        + "### [Deep](guide/deep/index.md)\n### [Tuning](guide/deep/tuning.md)\n### More\n"
        + "#### [Leaf](guide/deep/more/leaf.md)\n## [Other](other/page.md)\n# [Notes](guide-notes.md)\n"
        + "## [Second other](other/second.md)\n",
        encoding="utf-8",
    )
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("  - bitext:\n", f"  - bitext:\n      reuse_nav: {str(reuse_nav).lower()}\n", 1)
    text = text.replace("theme:\n", f"use_directory_urls: {str(directory_urls).lower()}\ntheme:\n", 1)
    text = text.replace("  name: material\n", f"  name: material\n  features: {features}\n", 1)
    config.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("features", "directory_urls"),
    [([], True), (["navigation.tabs", "navigation.sections", "navigation.indexes", "navigation.prune"], False)],
    ids=["plain-directory-urls", "tabs-sections-indexes-prune-file-urls"],
)
def test_bitext_site_is_the_same_with_reuse_nav_on_and_off(
    tmp_path: Path, seed_path: Path, features: list[str], directory_urls: bool
):
    on = _bitext_fixture(tmp_path / "on", seed_path, reuse_nav=True, features=features, directory_urls=directory_urls)
    off = _bitext_fixture(
        tmp_path / "off", seed_path, reuse_nav=False, features=features, directory_urls=directory_urls
    )
    result = _build(on, tmp_path / "site-on", "--verbose")
    _build(off, tmp_path / "site-off")
    same_site(tmp_path / "site-on", tmp_path / "site-off")
    # Both language passes reused the navigation's parts (the Korean one in the forked pass or not).
    counts = {lang: (int(rendered), int(reused)) for lang, rendered, reused in NAV_LOG.findall(result.stderr)}
    assert sorted(counts) == ["en", "ko"], result.stderr[-3000:]
    assert all(rendered > 0 and reused > 0 for rendered, reused in counts.values()), counts


def test_a_sites_own_nav_item_override_wins(tmp_path: Path, seed_path: Path):
    root = _bitext_fixture(tmp_path / "site", seed_path, reuse_nav=True, features=[], directory_urls=True)
    import material

    source = (Path(material.__file__).parent / "templates" / navigation.TEMPLATE).read_text(encoding="utf-8")
    marked = source.replace('<li class="{{ class }}">', '<li class="{{ class }}" data-site-override>')
    assert marked != source
    (root / "overrides" / "partials").mkdir(parents=True, exist_ok=True)
    (root / "overrides" / "partials" / "nav-item.html").write_text(marked, encoding="utf-8")
    _build(root, tmp_path / "out")
    for rel in ("", "ko/", "guide/install/", "ko/guide/install/"):
        html = page(tmp_path / "out", rel.rstrip("/"))
        assert html.count("data-site-override") >= len(PAGES) - 2, rel


@pytest.mark.corpus
def test_corpus_site_is_the_same_with_reuse_nav_on_and_off(tmp_path: Path, corpus_project: Path, corpus: Path):
    """The 583-article corpus (both languages, forked Korean pass): the memo changes no byte of the site."""
    roots = {}
    for reuse in (True, False):
        root = tmp_path / f"reuse-{reuse}"
        shutil.copytree(corpus_project, root)
        result = run_bitext("new", str(root), "--name", "Office 365 Security & Compliance")
        assert result.returncode == 0, result.stderr
        shutil.copy(corpus / "en" / "TOC.md", root / "docs" / "en" / "TOC.md")
        shutil.copy(corpus / "redirection.json", root / ".openpublishing.redirection.json")
        config = root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8").replace(
            "docset_urls: []", "docset_urls: [https://docs.microsoft.com/office365/securitycompliance/]"
        )
        text = text.replace("  - bitext:\n", f"  - bitext:\n      reuse_nav: {str(reuse).lower()}\n")
        config.write_text(text, encoding="utf-8")
        roots[reuse] = root
    result = _build(roots[True], tmp_path / "site-on", "--verbose")
    _build(roots[False], tmp_path / "site-off")
    same_site(tmp_path / "site-on", tmp_path / "site-off")
    counts = {lang: (int(rendered), int(reused)) for lang, rendered, reused in NAV_LOG.findall(result.stderr)}
    assert sorted(counts) == ["en", "ko"]
    pages = sum(
        1 for p in (tmp_path / "site-on").rglob("index.html") if p.relative_to(tmp_path / "site-on").parts[0] != "ko"
    )
    # Without the memo every page renders every part; with it a part is rendered once per page
    # folder it fits (a handful), and given from the memo to the other pages.
    assert all(rendered < 10 * pages and reused > rendered for rendered, reused in counts.values()), (counts, pages)
