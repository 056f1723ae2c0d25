"""The search engine in real MkDocs builds: the files it publishes and the options of the plugin entry."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bitext.search import worker
from bitext.search.korean import Analyzer
from site_helpers import ENV, SEED_PAGE, built_fixture_site, mkdocs, page


def _config(html: str) -> dict:
    return json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S).group(1))


def test_each_page_points_material_at_the_worker_of_its_language(tmp_path_factory, seed_path):
    _, site = built_fixture_site(tmp_path_factory, seed_path)
    path, source = worker()
    assert (site / path).read_text(encoding="utf-8") == source
    assert _config(page(site, SEED_PAGE))["search"] == f"../{path}?lang=en"
    assert _config(page(site, f"ko/{SEED_PAGE}"))["search"] == f"../../{path}?lang=ko"
    assert _config(page(site, "ko"))["search"] == f"../{path}?lang=ko"
    assert _config((site / "404.html").read_text(encoding="utf-8"))["search"].endswith(path + "?lang=ko")
    for lang in ("en", "ko"):
        meta = json.loads((site / "search" / "bitext" / lang / "meta.json").read_text(encoding="utf-8"))
        urls = [url for url, _ in meta["pages"]]
        prefix = "" if lang == "en" else "ko/"
        assert urls == [f"{prefix}{p}/" for p in ("alerts", SEED_PAGE, "untranslated")]  # not the home page
        assert meta["pages"][1][1] == (
            "Fix email delivery issues for error code 5.7.7xx in Exchange Online"
            if lang == "en"
            else "Exchange Online에서 오류 코드 5.7.7 xx에 해당 하는 전자 메일 배달 문제 수정"
        )


def _variant(tmp_path_factory, seed_path, name: str, options: str) -> Path:
    root, _ = built_fixture_site(tmp_path_factory, seed_path)
    copy = tmp_path_factory.mktemp(name) / "site-project"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site"))
    config = copy / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("      links: {}\n", f"      links: {{}}\n{options}"),
        encoding="utf-8",
    )
    result = mkdocs(copy, "build")
    assert result.returncode == 0, result.stderr
    return copy / "site"


@pytest.mark.slow
def test_options_exclude_pages_and_load_the_index_lazily(tmp_path_factory, seed_path):
    site = _variant(
        tmp_path_factory,
        seed_path,
        "search-options",
        "      search:\n        exclude: [untranslated.md]\n        lazy: true\n"
        "        synonyms: {ko: {거부: [차단]}}\n",
    )
    meta = json.loads((site / "search" / "bitext" / "ko" / "meta.json").read_text(encoding="utf-8"))
    assert [url for url, _ in meta["pages"]] == ["ko/alerts/", f"ko/{SEED_PAGE}/"]
    assert meta["syn"]["거부"] == ["차단"]
    assert _config(page(site, "alerts"))["search"].endswith("?lang=en&lazy=1")


@pytest.mark.slow
def test_disabled_search_leaves_materials_own(tmp_path_factory, seed_path):
    site = _variant(tmp_path_factory, seed_path, "search-off", "      search:\n        enabled: false\n")
    assert not (site / "search" / "bitext").exists()
    assert "assets/javascripts/workers/search." in _config(page(site, "alerts"))["search"]
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert {d["location"].split("#")[0] for d in docs} >= {"alerts/", "ko/alerts/"}


# mkdocs build in a Python where kiwipiepy cannot be imported, as on a machine without the ``ko`` extra.
_WITHOUT_KIWI = (
    "import sys; sys.modules['kiwipiepy'] = None; from mkdocs.__main__ import cli; "
    "sys.argv = ['mkdocs', *sys.argv[1:]]; cli()"
)


def test_a_korean_site_without_kiwipiepy_fails_naming_the_extra(tmp_path_factory, seed_path):
    root, _ = built_fixture_site(tmp_path_factory, seed_path)
    copy = tmp_path_factory.mktemp("no-kiwi") / "site-project"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site"))
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT_KIWI, "build", "-f", str(copy / "mkdocs.yml")],
        cwd=copy,
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    assert result.returncode == 1
    assert "Korean search needs kiwipiepy, which is not installed: pip install 'bitext[ko]'" in result.stderr
    assert not (copy / "site" / "ko").exists()  # it failed before building anything


def test_the_analyzer_names_the_extra_when_kiwipiepy_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "kiwipiepy", None)
    with pytest.raises(ImportError, match=r"pip install 'bitext\[ko\]'"):
        Analyzer().analyse(["테넌트가 차단되었습니다."])
