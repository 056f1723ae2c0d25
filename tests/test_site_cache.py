"""The build cache (``.cache/bitext``): a cached or incremental build is the site a cold build makes.

Real ``mkdocs build`` runs of the fixture site (includes, a docfx TOC,
redirects): built with the cache, edited, built again with it, then built
cold (``BITEXT_CACHE=off``); the two sites must be the same bytes.  MkDocs
dates the sitemap with the build day, so every build here pins
``SOURCE_DATE_EPOCH``: with it, nothing may differ.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_helpers import ENV, make_site, page, same_site

pytestmark = pytest.mark.slow

REUSED = re.compile(r"build cache: (\d+) of (\d+) pages' Markdown and (\d+) of (\d+) pages' HTML reused")


def _build(
    root: Path, site: Path, *, cache: bool = True, python: list[str] | None = None
) -> subprocess.CompletedProcess:
    env = {**ENV, "SOURCE_DATE_EPOCH": "1700000000", "BITEXT_CACHE": "on" if cache else "off"}
    argv = [*(python or [sys.executable, "-m", "mkdocs"]), "build", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    return subprocess.run(argv, cwd=root, capture_output=True, text=True, env=env, check=False)


def _reused(result: subprocess.CompletedProcess) -> tuple[int, int, int, int]:
    found = REUSED.findall(result.stderr)
    assert found, result.stderr[-3000:]
    markdown, pages, html, html_pages = (int(n) for n in found[-1])
    return markdown, pages, html, html_pages


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project(tmp_path, seed_path) -> Path:
    root = make_site(tmp_path / "project", seed_path)
    # One process: the reuse counts in the log then cover both languages.
    _edit(root / "mkdocs.yml", "  - bitext:\n", "  - bitext:\n      parallel: false\n")
    return root


def test_cold_incremental_cold(project, tmp_path):
    first = _build(project, tmp_path / "first")
    assert first.returncode == 0, first.stderr
    assert (project / ".cache" / "bitext" / "FORMAT").is_file()
    assert (project / ".cache" / "bitext" / ".gitignore").read_text() == "*\n"

    warm = _build(project, tmp_path / "warm")
    assert warm.returncode == 0, warm.stderr
    markdown, pages, html, html_pages = _reused(warm)
    assert html == html_pages and markdown >= pages - 2  # all but the generated home pages
    same_site(tmp_path / "first", tmp_path / "warm")

    # Edits of every kind of input: an English sentence, a Korean target, an include's
    # Korean target, a Korean title (every Korean page's navigation), the redirect map.
    docs, ko = project / "docs" / "en", project / "locales" / "ko"
    _edit(docs / "untranslated.md", "Nothing more.", "Nothing more, and one new sentence.")
    _edit(ko / "alerts.xlf", "팁 내용입니다.", "팁 내용이 바뀌었습니다.")
    _edit(ko / "includes" / "shared.xlf", "공통 단계", "공유 단계")
    _edit(ko / "alerts.xlf", '<target state="translated">경고 및 알림', '<target state="translated">알림과 경고')
    _edit(
        project / ".openpublishing.redirection.json",
        "https://www.example.com/elsewhere",
        "https://www.example.com/moved",
    )
    incremental = _build(project, tmp_path / "incremental")
    assert incremental.returncode == 0, incremental.stderr
    markdown, pages, html, _ = _reused(incremental)
    assert 0 < markdown < pages and html > 0
    cold = _build(project, tmp_path / "cold", cache=False)
    assert cold.returncode == 0, cold.stderr
    assert "build cache:" not in cold.stderr or _reused(cold)[0] == 0
    same_site(tmp_path / "incremental", tmp_path / "cold")
    site = tmp_path / "incremental"
    assert "one new sentence" in page(site, "untranslated") and "one new sentence" in page(site, "ko/untranslated")
    assert "팁 내용이 바뀌었습니다." in page(site, "ko/alerts")
    assert "공유 단계" in page(site, "ko/alerts")
    assert "알림과 경고" in page(site, "ko/untranslated")  # the navigation of another page
    assert any("https://www.example.com/moved" in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))

    # A broken segment file stops the build as it does without a cache, with its file:line.
    _edit(ko / "alerts.xlf", "</target>", "</targt>")
    broken = _build(project, tmp_path / "broken")
    broken_cold = _build(project, tmp_path / "broken-cold", cache=False)
    assert broken.returncode == broken_cold.returncode == 1
    error = re.findall(r"ERROR.*locales/ko/alerts\.xlf:\d+:.*", broken_cold.stderr)
    assert error and error[0] in broken.stderr


def test_plugin_option_include_and_version_invalidate(project, tmp_path):
    assert _build(project, tmp_path / "first").returncode == 0

    _edit(project / "mkdocs.yml", "  - bitext:\n", "  - bitext:\n      strings: {ko: {tip: 도움말}}\n")
    option = _build(project, tmp_path / "option")
    assert option.returncode == 0, option.stderr
    assert _reused(option)[0] == 0  # every page depends on the options
    assert "도움말" in page(tmp_path / "option", "ko/alerts")

    _edit(project / "docs" / "en" / "includes" / "shared.md", "Go back to", "Return to")
    include = _build(project, tmp_path / "include")
    assert include.returncode == 0, include.stderr
    markdown, pages, _, _ = _reused(include)
    assert markdown == pages - 4  # the page that includes it, in both languages, and the home pages
    assert "Return to" in page(tmp_path / "include", "alerts")

    # Another bitext version: nothing of the old one is trusted.
    other = [
        sys.executable,
        "-c",
        "import bitext, sys; bitext.__version__ = '99'; from mkdocs.__main__ import cli; cli()",
    ]
    version = _build(project, tmp_path / "version", python=other)
    assert version.returncode == 0, version.stderr
    assert _reused(version)[0] == 0 and _reused(version)[2] == 0
    # Another kiwipiepy: the Korean readings in the cache are its analyzer's, so none is trusted.
    analyzer = [
        sys.executable,
        "-c",
        "from importlib import metadata; installed = metadata.version; "
        "metadata.version = lambda name: '0.0.1' if name == 'kiwipiepy' else installed(name); "
        "from mkdocs.__main__ import cli; cli()",
    ]
    kiwi = _build(project, tmp_path / "kiwi", python=analyzer)
    assert kiwi.returncode == 0, kiwi.stderr
    assert _reused(kiwi)[0] == 0 and _reused(kiwi)[2] == 0
    assert _build(project, tmp_path / "cold", cache=False).returncode == 0
    same_site(tmp_path / "version", tmp_path / "cold")


def test_damaged_or_foreign_cache_is_ignored_with_a_warning(project, tmp_path):
    assert _build(project, tmp_path / "first").returncode == 0
    folder = project / ".cache" / "bitext"
    entries = sorted((folder / "page").rglob("*"))
    damaged = next(p for p in entries if p.is_file())
    data = bytearray(damaged.read_bytes())
    data[-5] ^= 0xFF
    damaged.write_bytes(bytes(data))
    for html in (folder / "html").rglob("*"):
        if html.is_file():
            html.write_bytes(b"BTC1" + b"\0" * 40)
    result = _build(project, tmp_path / "damaged")
    assert result.returncode == 0, result.stderr
    assert re.search(r"WARNING.*build cache: .* is damaged", result.stderr)
    same_site(tmp_path / "first", tmp_path / "damaged")

    (folder / "FORMAT").write_text("something else 7\n", encoding="utf-8")
    foreign = _build(project, tmp_path / "foreign")
    assert foreign.returncode == 0, foreign.stderr
    assert "not a cache this bitext wrote" in foreign.stderr
    assert _reused(foreign)[0] == 0
    same_site(tmp_path / "first", tmp_path / "foreign")


def test_a_cache_restored_at_another_path_is_reused(project, tmp_path):
    """CI saves ``.cache/bitext`` and restores it into a checkout at another path: nothing in a key is absolute."""
    (project / "overrides" / "partials").mkdir(parents=True, exist_ok=True)
    (project / "overrides" / "partials" / "bitext-extra.html").write_text("<!-- site's own -->\n", encoding="utf-8")
    first = _build(project, tmp_path / "first")
    assert first.returncode == 0, first.stderr
    moved = tmp_path / "elsewhere" / "checkout"
    shutil.copytree(project, moved, symlinks=True)
    again = _build(moved, tmp_path / "again")
    assert again.returncode == 0, again.stderr
    markdown, pages, html, html_pages = _reused(again)
    assert html == html_pages and markdown >= pages - 2  # all but the generated home pages
    same_site(tmp_path / "first", tmp_path / "again")


def test_deferred_writes_are_read_back_before_they_reach_the_disk(tmp_path):
    """mkdocs serve defers the cache's writes to after the reload: nothing stored is lost or unread meanwhile."""
    import logging

    from bitext.site.cache import BuildCache

    folder = tmp_path / "cache"
    cache = BuildCache(folder, "salt", logging.getLogger("test"))
    cache.defer()
    cache.put_bytes("html", "k1", b"<p>one</p>")
    cache.put("page", "k2", {"title": "two"}, keep=False)
    on_disk = {p for p in folder.rglob("*") if p.is_file() and p.parent != folder}
    assert on_disk == set()  # the rebuild did not wait for the disk
    assert cache.get_bytes("html", "k1") == b"<p>one</p>" and cache.get("page", "k2") == {"title": "two"}

    calls = iter([False, True])
    cache.flush(stop=lambda: next(calls))  # a newer build arrives after the first write
    assert cache.pending is not None and len(cache.pending) == 1
    cache.flush()
    assert cache.pending == {}
    fresh = BuildCache(folder, "salt", logging.getLogger("test"))  # another process: from the disk
    assert fresh.get_bytes("html", "k1") == b"<p>one</p>" and fresh.get("page", "k2") == {"title": "two"}


def test_entries_are_stored_as_they_are_and_still_checked(tmp_path):
    """Entries are stored uncompressed, a page's HTML and JSON values alike (compressing a docset's pages and
    readings cost more CPU than the build's other cache writes); a checksum still turns a damaged entry into
    a miss, with a warning."""
    import json
    import logging

    from bitext.site.cache import BuildCache

    folder = tmp_path / "cache"
    page = ("<nav>" + "<li><a href='x/'>Item</a></li>" * 200 + "</nav><p>one</p>").encode()
    value = {"content": page.decode(), "readings": [["보존 레이블", [["보존", "NNG", 0, 2]]]] * 50}
    cache = BuildCache(folder, "salt", logging.getLogger("test"))
    cache.put_bytes("html", "k1", page)
    cache.put("page", "k2", value, keep=False)
    (entry,) = (p for p in (folder / "html").rglob("*") if p.is_file())
    assert entry.read_bytes().endswith(page)
    (stored,) = (p for p in (folder / "page").rglob("*") if p.is_file())
    assert stored.read_bytes().endswith(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    fresh = BuildCache(folder, "salt", logging.getLogger("test"))
    assert fresh.get_bytes("html", "k1") == page and fresh.get("page", "k2") == value

    for damaged in (entry, stored):
        data = bytearray(damaged.read_bytes())
        data[-5] ^= 0xFF
        damaged.write_bytes(bytes(data))
    records: list[logging.LogRecord] = []
    log = logging.getLogger("test-damaged")
    log.addHandler(type("H", (logging.Handler,), {"emit": lambda self, record: records.append(record)})())
    damaged_cache = BuildCache(folder, "salt", log)
    assert damaged_cache.get_bytes("html", "k1") is None and damaged_cache.get("page", "k2") is None
    assert any("damaged" in r.getMessage() for r in records)
    assert not entry.exists() and not stored.exists()
