"""Real MkDocs builds of bilingual sites: the repository's own site and a fixture site of ours.

What a reader gets is checked in the built HTML and search index; what a
browser does with it is in test_site_browser.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bitext.formats import xliff
from bitext.search.korean import Analyzer
from bitext.site.plugin import passes
from conftest import REPO
from site_helpers import ENV, SEED_PAGE, article, built_fixture_site, heading_ids, mkdocs, page, search_texts

PAGES = ["", SEED_PAGE, "alerts", "untranslated"]


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory, seed_path) -> tuple[Path, Path]:
    return built_fixture_site(tmp_path_factory, seed_path)


def _snapshot(*folders: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha1(p.read_bytes()).hexdigest() for folder in folders for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.slow
def test_readme_command_builds_the_repository_site(tmp_path):
    before = _snapshot(REPO / "docs", REPO / "locales")
    result = mkdocs(REPO, "build", site_dir=tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "ERROR" not in result.stderr
    assert _snapshot(REPO / "docs", REPO / "locales") == before  # nothing written into docs/ or locales/
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "docs", "locales"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert status.returncode == 0, status.stderr  # the tests run in a git checkout
    assert status.stdout == ""
    site = tmp_path / "site"
    en, ko = page(site, SEED_PAGE), page(site, f"ko/{SEED_PAGE}")
    assert '<html lang="en"' in en and '<html lang="ko"' in ko
    assert "Fix email delivery issues for error code 5.7.7xx in Exchange Online" in en
    assert "Exchange Online에서 오류 코드 5.7.7 xx에 해당 하는 전자 메일 배달 문제 수정" in ko
    assert heading_ids(ko) == heading_ids(en)
    assert heading_ids(en)[:3] == [
        "fix-email-delivery-issues-for-error-code-577xx-in-exchange-online",
        "57705-tenant-has-exceeded-threshold-restriction-what-you-need-to-know",
        "57750-unregistered-domain-email-restriction-what-you-need-to-know",
    ]
    assert (site / "index.html").is_file() and (site / "ko" / "index.html").is_file()
    # No TOC.md here: the navigation is the file tree, with the Korean title on Korean pages.
    assert re.search(
        r'<span class="md-ellipsis">\s*Exchange Online에서 오류 코드 5.7.7 xx에 해당 하는 전자 메일 배달 문제 수정'
        r"\s*</span>",
        ko,
    )


def test_korean_heading_ids_are_the_english_ones(fixture_site):
    _, site = fixture_site
    for rel in PAGES:
        en, ko = heading_ids(page(site, rel)), heading_ids(page(site, f"ko/{rel}" if rel else "ko"))
        assert en and ko == en, rel
    assert heading_ids(page(site, "ko/alerts"))[:4] == ["alerts-and-notes", "overview", "overview_1", "shared-steps"]


class _TocLabels(HTMLParser):
    """The labels of the page's table of contents (Material's secondary navigation)."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.labels: list[str] = []
        self.in_label = False

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if tag == "nav" and "md-nav--secondary" in cls:
            self.depth = 1
        elif self.depth and tag == "nav":
            self.depth += 1
        if self.depth and tag == "span" and "md-ellipsis" in cls:
            self.in_label = True
            self.labels.append("")

    def handle_endtag(self, tag):
        if self.depth and tag == "nav":
            self.depth -= 1
        if tag == "span":
            self.in_label = False

    def handle_data(self, data):
        if self.in_label:
            self.labels[-1] += data


def _toc_labels(html: str) -> list[str]:
    parser = _TocLabels()
    parser.feed(html[html.rfind('<nav class="md-nav md-nav--secondary"') :])  # the sidebar's copy
    return [" ".join(label.split()) for label in parser.labels]


def test_korean_toc_labels_title_and_description_have_no_english(fixture_site):
    _, site = fixture_site
    ko = page(site, f"ko/{SEED_PAGE}")
    labels = _toc_labels(ko)
    assert labels == [
        "5.7.705: 테 넌 트가 임계값 제한을 초과 했습니다. 확인 해야 할 사항",
        "5.7.750: 등록 되지 않은 도메인 전자 메일 제한: 알아야 할 사항",
        "등록 되지 않은 도메인 문제",
        "다시 보내기 위해 테 넌 트의 차단을 해제 하는 방법",
        "자세한 내용",
    ]
    assert (
        "<title>Exchange Online에서 오류 코드 5.7.7 xx에 해당 하는 전자 메일 배달 문제 수정 - Fixture site</title>"
        in ko
    )
    assert (
        '<meta name="description" content="Exchange Online에서 오류 코드 5.7.7 xx의 전자 메일 문제를 해결 하는 '
        '방법에 대해 알아봅니다 (테 넌 트 차단 됨).">'
    ) in ko
    assert _toc_labels(page(site, "ko/alerts"))[:3] == ["개요", "개요", "공통 단계"]


def _english_sources(root: Path, rel: str) -> list[str]:
    sf = xliff.load(root / "locales" / "ko" / f"{rel}.xlf")
    return [
        s.source
        for s in sf.body_segments()
        if s.usable_target() and s.usable_target() != s.source and len(s.source) > 12
    ]


def test_korean_search_index_holds_no_english_original(fixture_site):
    root, site = fixture_site
    korean, english = search_texts(site, "ko"), search_texts(site, "en")
    assert set(korean) == {f"ko/{p}/" for p in PAGES if p} and set(english) == {f"{p}/" for p in PAGES if p}
    text = korean[f"ko/{SEED_PAGE}/"]
    sources = _english_sources(root, SEED_PAGE)
    assert len(sources) > 30
    leaked = [s for s in sources if re.sub(r"[*`\[\]]", "", s)[:40] in text]
    assert leaked == []
    assert "테 넌 트가 임계값 제한을 초과" in text
    assert "영어 원문 모두 보기" not in text  # the notice is not content
    # Material's own index is an empty shell: no page downloads every language's text.
    assert json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"] == []


def test_originals_are_hidden_english_spans_in_the_page(fixture_site):
    _, site = fixture_site
    ko = article(page(site, f"ko/{SEED_PAGE}"))
    originals = re.findall(r'<span class="bt-s" hidden="hidden" lang="en">(.*?)</span></span>', ko)
    assert len(originals) == 46
    assert "Users will receive an NDR that states:" in originals
    assert "bt-s" not in article(page(site, SEED_PAGE))


def test_docfx_alerts_video_table_and_image(fixture_site):
    _, site = fixture_site
    ko, en = article(page(site, "ko/alerts")), article(page(site, "alerts"))
    for kind, ko_title, en_title in [
        ("note", "참고", "Note"),
        ("tip", "팁", "Tip"),
        ("important", "중요", "Important"),
        ("caution", "주의", "Caution"),
        ("warning", "경고", "Warning"),
    ]:
        assert f'<div class="admonition {kind}">\n<p class="admonition-title">{ko_title}</p>' in ko
        assert f'<div class="admonition {kind}">\n<p class="admonition-title">{en_title}</p>' in en
    assert '<a href="https://www.example.com/videoplayer/embed/RE1VV3o" rel="noopener">동영상 보기</a>' in ko
    assert "<iframe" not in ko
    assert re.search(r"<td>.*첫 줄.*<br\s*/?>.*둘째 줄.*</td>", ko)
    assert '<img alt="작은 그림" src="../../media/dot.png"' in ko
    assert '<img alt="A small picture" src="../media/dot.png"' in en


def test_machine_human_and_untranslated_notices(fixture_site):
    _, site = fixture_site
    seed = article(page(site, f"ko/{SEED_PAGE}"))
    assert "이 문서는 기계 번역되었습니다." in seed
    assert f'<a href="../../{SEED_PAGE}/" hreflang="en">영어 원문 페이지 보기</a>' in seed
    alerts = article(page(site, "ko/alerts"))
    assert "이 문서는 번역된 문서입니다. 문장 1개는 아직 번역되지 않아 영어로 표시됩니다." in alerts
    assert '<span class="bt-u" lang="en">This sentence is not translated yet.</span>' in alerts
    assert "bt-mt" not in alerts
    fallback = page(site, "ko/untranslated")
    assert "이 문서는 아직 번역되지 않아 영어로 표시됩니다." in fallback
    assert '<div lang="en"><h1 id="not-translated-yet">Not translated yet' in fallback
    assert "bt-notice" not in article(page(site, "untranslated"))


def test_includes_are_translated_and_never_pages(fixture_site):
    _, site = fixture_site
    assert "공통 단계" in article(page(site, "ko/alerts")) and "Shared steps" in article(page(site, "alerts"))
    assert '<span class="bt" tabindex="0"><a href="./">경고 문서</a>로 돌아갑니다.' in article(page(site, "ko/alerts"))
    for gone in ("includes/shared", "ko/includes/shared", "TOC", "ko/TOC"):
        assert not (site / gone).exists()


def test_navigation_comes_from_the_docfx_toc_with_korean_titles(fixture_site):
    _, site = fixture_site
    en_nav, ko_nav = _primary_nav(page(site, "untranslated")), _primary_nav(page(site, "ko/untranslated"))
    # "Retired page" is redirected to alerts.md, which the nav already lists: it is not listed twice.
    assert en_nav == [
        ("..", "Home"),
        ("section", "Alerts and notes"),
        ("../alerts/", "Alerts and notes"),
        (f"../{SEED_PAGE}/", "Fix 5.7.7xx errors"),
        ("section", "Reference"),
        ("./", "Not translated yet"),
        ("https://www.example.com/", "Product site"),
    ]
    assert ko_nav == [
        ("../", "문제 해결"),
        ("section", "경고 및 알림"),
        ("../alerts/", "경고 및 알림"),
        (f"../{SEED_PAGE}/", "Exchange Online에서 오류 코드 5.7.7 xx에 해당 하는 전자 메일 배달 문제 수정"),
        ("section", "Reference"),
        ("./", "Not translated yet"),
        ("https://www.example.com/", "Product site"),
    ]


class _NavLinks(HTMLParser):
    """Links and section labels of Material's primary navigation, without the page's own TOC."""

    def __init__(self):
        super().__init__()
        self.items: list[tuple[str, str]] = []
        self.secondary = 0
        self.current: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class") or ""
        if tag == "nav" and "md-nav--secondary" in cls:
            self.secondary += 1
        if self.secondary or "md-nav__link" not in cls.split():
            return
        if tag == "a":
            self.current = [a["href"], ""]
        elif tag == "label" and (a.get("for") or "").startswith("__nav_"):
            self.current = ["section", ""]

    def handle_endtag(self, tag):
        if tag == "nav" and self.secondary:
            self.secondary -= 1
        if tag in ("a", "label") and self.current is not None:
            self.items.append((self.current[0], " ".join(self.current[1].split())))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current[1] += data


def _primary_nav(html: str) -> list[tuple[str, str]]:
    start = html.find('<nav class="md-nav md-nav--primary"')
    parser = _NavLinks()
    parser.feed(html[start : html.find('<div class="md-sidebar md-sidebar--secondary"', start)])
    return parser.items


def test_redirect_stubs_and_redirect_map_in_both_languages(fixture_site):
    _, site = fixture_site
    for rel, target in [
        ("old-alerts", "../alerts/"),
        ("ko/old-alerts", "../alerts/"),
        ("retired", "../alerts/"),
        ("ko/retired", "../alerts/"),
        ("gone", "https://www.example.com/elsewhere"),
        ("ko/gone", "https://www.example.com/elsewhere"),
    ]:
        html = page(site, rel)
        assert f'<meta http-equiv="refresh" content="0; url={target}">' in html, rel


def test_home_page_indexes_the_status_codes_of_the_articles(fixture_site):
    _, site = fixture_site
    for prefix, heading in (("", "Error and status codes"), ("ko/", "오류 및 상태 코드")):
        home = article(page(site, prefix.rstrip("/")))
        assert heading in home
        rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*</tr>", home, re.S)
        codes = [re.sub(r"<[^>]+>", "", r[0]) for r in rows if r[0]]
        assert codes == ["5.7.7xx", "5.7.705", "5.7.750"]
        for _, _, section in rows:
            m = re.search(r'href="([^"#]+)#([^"]+)"', section)
            if m:
                target = site / prefix / m.group(1) / "index.html"
                assert f'id="{m.group(2)}"' in target.read_text(encoding="utf-8"), m.group(0)
    assert "5.7.705: 테 넌 트가 임계값 제한을 초과 했습니다. 확인 해야 할 사항" in article(page(site, "ko"))


def test_no_request_leaves_the_site_and_content_is_attributed(fixture_site):
    _, site = fixture_site
    for html_file in site.rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        fetched = re.findall(
            r'<(?:script|img|iframe|video|audio|source|embed)\b[^>]*\bsrc="((?:https?:)?//[^"]+)"'
            r'|<link\b(?=[^>]*\brel="(?:stylesheet|icon|preload|modulepreload|manifest)")'
            r'[^>]*\bhref="((?:https?:)?//[^"]+)"',
            html,
        )
        assert fetched == [], html_file
    for rel in ("alerts", "ko/alerts"):
        assert "Microsoft Docs contributors" in page(site, rel)
        assert "CC-BY-4.0" in page(site, rel)


def test_language_switcher_links_to_the_same_page(fixture_site):
    _, site = fixture_site
    en, ko = page(site, "alerts"), page(site, "ko/alerts")
    assert re.search(r'<a href="[^"]*ko/alerts/" hreflang="ko"', en), re.findall(r"<a [^>]*hreflang[^>]*>", en)
    assert re.search(r'<a href="[^"]*\.\./alerts/" hreflang="en"', ko), re.findall(r"<a [^>]*hreflang[^>]*>", ko)


def test_a_broken_segment_file_fails_the_build_naming_file_and_line(fixture_site, tmp_path):
    root, _site = fixture_site
    broken = tmp_path / "broken"
    shutil.copytree(root, broken, ignore=shutil.ignore_patterns("site"))
    xlf = broken / "locales" / "ko" / "alerts.xlf"
    lines = xlf.read_text(encoding="utf-8").split("\n")
    bad = next(i for i, line in enumerate(lines) if "<target" in line)
    lines[bad] = lines[bad].replace("</target>", "</targt>")
    xlf.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    (out / "keep").mkdir(parents=True)
    (out / "keep" / "index.html").write_text("previous site", encoding="utf-8")
    result = mkdocs(broken, "build", site_dir=out)
    assert result.returncode == 1
    assert re.search(rf"locales/ko/alerts\.xlf:{bad + 1}:", result.stderr), result.stderr
    assert "nothing was built" in result.stderr
    assert (out / "keep" / "index.html").read_text(encoding="utf-8") == "previous site"
    assert not (out / "alerts").exists()


@pytest.mark.slow
def test_serve_keeps_the_last_good_page_and_does_not_loop(fixture_site, tmp_path):
    root, _ = fixture_site
    project = tmp_path / "served"
    shutil.copytree(root, project, ignore=shutil.ignore_patterns("site"))
    xlf = project / "locales" / "ko" / "alerts.xlf"
    good = xlf.read_text(encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env={**ENV, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(iter(proc.stdout.readline, "")), daemon=True).start()
    url = f"http://127.0.0.1:{port}/ko/alerts/"

    def edit(text: str, path: Path = xlf) -> None:
        builds = _count(log, REBUILT)
        time.sleep(1.5)  # the file watcher is up, and sees a new modification time
        path.write_text(text, encoding="utf-8")
        _wait(log, REBUILT, builds + 1, 60)

    def stubs_point_at(target: str) -> None:
        for rel in ("old-alerts", "ko/old-alerts"):
            stub = _get(f"http://127.0.0.1:{port}/{rel}/")
            assert f'<meta http-equiv="refresh" content="0; url={target}">' in stub, rel

    try:
        _wait(log, "Serving on", 1, 120)
        assert "팁 내용입니다." in _get(url)
        edit(good.replace("팁 내용입니다.", "팁 내용입니다!"))
        assert "팁 내용입니다!" in _get(url)
        # Redirect stubs are written again only when their target changes (serve keeps the site folder).
        stubs_point_at("../alerts/")
        edit("---\nredirect_url: untranslated\n---\n", project / "docs" / "en" / "old-alerts.md")
        stubs_point_at("../untranslated/")
        edit(good.replace("</target>", "</targt>", 1))
        served = _get(url)
        assert "팁 내용입니다!" in served  # the last good translation
        assert re.search(r'<p class="bt-error">locales/ko/alerts\.xlf:\d+: ', served)
        assert any("ERROR" in line and "locales/ko/alerts.xlf:" in line for line in log)
        changes = _count(log, "Detected file changes")
        time.sleep(4)
        assert _count(log, "Detected file changes") == changes  # no reload loop
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


REBUILT = "Reloading browsers"  # what mkdocs serve logs once a rebuild has succeeded


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def _count(log: list[str], needle: str) -> int:
    return sum(needle in line for line in list(log))


def _wait(log: list[str], needle: str, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _count(log, needle) >= count:
            return
        time.sleep(0.1)
    pytest.fail(f"no {needle!r} from mkdocs serve:\n{''.join(log[-40:])}")


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


# mkdocs build with every page write recorded per process (marker folder: one file per pid),
# the Korean texts each process's analyzer was given to read (read-<pid>.txt: one count a call),
# and the language of each search index a process wrote (index-<pid>.txt).
# The fork is not left to the core count (passes.can_fork is False on one core), so it always happens.
_RECORDING_BUILD = """
import os, sys
from pathlib import Path
from mkdocs import utils
from mkdocs.__main__ import cli
from bitext.search.korean import Analyzer
from bitext.site.plugin import passes
from bitext.site.plugin.search_index import SiteSearch

marker = Path(sys.argv[1])
write_file = utils.write_file
read_ahead, read = Analyzer.read_ahead, Analyzer.read

def recorded(content, path):
    with open(marker / f"{os.getpid()}.txt", "a", encoding="utf-8") as f:
        f.write(path + "\\n")
    write_file(content, path)

def recording(method):
    def reading(self, texts):
        with open(marker / f"read-{os.getpid()}.txt", "a", encoding="utf-8") as f:
            f.write(f"{len(texts)}\\n")
        method(self, texts)
    return reading

def indexing(self, site_dir, lang, *args, **kwargs):
    with open(marker / f"index-{os.getpid()}.txt", "a", encoding="utf-8") as f:
        f.write(lang + "\\n")
    return write_index(self, site_dir, lang, *args, **kwargs)

utils.write_file = recorded
Analyzer.read_ahead, Analyzer.read = recording(read_ahead), recording(read)
write_index, SiteSearch.write = SiteSearch.write, indexing
passes.can_fork = lambda: hasattr(os, "fork")
sys.argv = ["mkdocs", *sys.argv[2:]]
cli()
"""


@pytest.mark.slow
def test_the_forked_pass_builds_the_same_site_as_static_i18n_alone(fixture_site, tmp_path):
    """By default the Korean pass runs in a forked process; parallel: false is static-i18n's own sequence."""
    root, _ = fixture_site
    forked_root, sequential = tmp_path / "forked", tmp_path / "sequential"
    for copy in (forked_root, sequential):  # both cold: every page is rendered and read by kiwi
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", ".cache"))
    marker = tmp_path / "writes"
    marker.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", _RECORDING_BUILD, str(marker), "build", "-f", str(forked_root / "mkdocs.yml")],
        cwd=forked_root,
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # Two processes wrote pages: the build (English), and the child that built every Korean page.
    writers = {
        p.stem: [
            Path(line).relative_to(forked_root / "site").as_posix()
            for line in p.read_text(encoding="utf-8").splitlines()
        ]
        for p in marker.iterdir()
        if not p.stem.startswith(("read-", "index-"))
    }
    assert len(writers) == 2, writers.keys()
    child = next(pid for pid, written in writers.items() if any(w.startswith("ko/") for w in written))
    parent = next(pid for pid in writers if pid != child)
    assert {f"ko/{rel}/index.html" if rel else "ko/index.html" for rel in PAGES} <= set(writers[child])
    assert [w for w in writers[child] if w.endswith(".html") and not w.startswith("ko/")] == []
    assert [w for w in writers[parent] if w.startswith("ko/")] == []
    # kiwi read the Korean pages' text in the parent (passes.Readings): the index is still the same
    read = {p.stem.removeprefix("read-"): p.read_text().split() for p in marker.glob("read-*.txt")}
    assert read.keys() <= {parent, child}
    assert sum(map(int, read.get(parent, []))) > 0
    # The Korean index was written by a third process, forked by the child once its pages were populated.
    indexes = {p.stem.removeprefix("index-"): p.read_text().split() for p in marker.glob("index-*.txt")}
    assert indexes.pop(parent) == ["en"]
    assert child not in indexes
    assert list(indexes.values()) == [["ko"]]
    config = sequential / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - bitext:\n", "  - bitext:\n      parallel: false\n"),
        encoding="utf-8",
    )
    result = mkdocs(sequential, "build")
    assert result.returncode == 0, result.stderr
    forked, alone = _tree(forked_root / "site"), _tree(sequential / "site")
    assert forked.keys() == alone.keys()
    assert [name for name in forked if forked[name] != alone[name]] == []


@pytest.mark.slow
def test_warnings_of_the_korean_pass_fail_a_strict_build(fixture_site, tmp_path):
    root, _ = fixture_site
    project = tmp_path / "strict"
    shutil.copytree(root, project, ignore=shutil.ignore_patterns("site"))
    xlf = project / "locales" / "ko" / "alerts.xlf"
    xlf.write_text(
        xlf.read_text(encoding="utf-8").replace("팁 내용입니다.", "팁 &lt;script&gt;alert(1)&lt;/script&gt;"),
        encoding="utf-8",
    )
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    assert re.search(
        r"WARNING .*locales/ko/alerts\.xlf:\d+: markup-injection: unit b1-106: <script> not in the "
        r"source; shown as text",
        result.stderr,
    ), result.stderr[-2000:]
    # 2 for the refused markup, 2 for the seed article's links to pages this site does not have
    assert "Aborted with 4 warnings in strict mode" in result.stdout + result.stderr
    shown = article(page(project / "site", "ko/alerts"))
    assert "<script>alert" not in shown
    # readers see the refused markup as text, without the escaping backslashes
    assert "팁 &lt;script&gt;alert(1)&lt;/script&gt;" in shown


@pytest.mark.slow
def test_a_sites_overrides_win_over_the_plugins_templates(fixture_site, tmp_path):
    """The plugin's partials sit between a site's custom_dir and Material: the site's own version is used."""
    root, site = fixture_site
    project = tmp_path / "overridden"
    shutil.copytree(root, project, ignore=shutil.ignore_patterns("site"))
    partials = project / "overrides" / "partials" / "bitext"
    (partials / "languages").mkdir(parents=True)
    (partials / "notice.html").write_text(
        '<aside class="site-notice">{{ strings.notice_mt | e }} ({{ text.machine }})</aside>', encoding="utf-8"
    )
    (partials / "languages" / "ko.html").write_text(
        '{% set strings = {"notice_mt": "기계 번역 문서", "note": "메모", "tip": "도움말"} %}', encoding="utf-8"
    )
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - bitext:\n", "  - bitext:\n      strings: {ko: {tip: 힌트}}\n"),
        encoding="utf-8",
    )
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    built = project / "site"
    seed = article(page(built, f"ko/{SEED_PAGE}"))
    assert re.search(r'<aside class="site-notice">기계 번역 문서 \(\d+\)</aside>', seed), seed[:2000]
    assert "bt-notice" not in seed
    assert "bt-notice" in article(page(site, f"ko/{SEED_PAGE}"))  # the plugin's own notice, without overrides
    alerts = article(page(built, "ko/alerts"))
    assert '<p class="admonition-title">메모</p>' in alerts  # the site's language partial
    assert '<p class="admonition-title">힌트</p>' in alerts  # the plugin's strings: option, over the partial
    assert '<p class="admonition-title">Important</p>' in alerts  # a key the site's partial leaves out
    assert "영어 원문" not in (built / "assets" / "bitext" / "labels.css").read_text(encoding="utf-8")
    # The site's main.html (extending base.html) still gets the plugin's layer: assets and the search worker.
    ko = page(built, "ko/alerts")
    assert '<link rel="stylesheet" href="../../assets/bitext/bitext.css">' in ko
    assert '<script src="../../assets/bitext/bitext.js"></script>' in ko
    assert re.search(r'"search": "\.\./\.\./assets/bitext/search\.\w+\.js\?lang=ko"', ko)


def _forked_pass(
    readings: passes.Readings, pages: list[list[str]], result: Path, report: Callable[[], object], settle: float = 0
) -> int:
    """A forked child that sends ``pages`` as the forked pass does, waits ``settle`` seconds and writes
    ``report()`` to ``result`` as JSON (exit status 0 when it could); its pid."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            readings.in_child()
            for page in pages:
                readings.send(page)
            time.sleep(settle)
            result.write_text(json.dumps(report()), encoding="utf-8")
            code = 0
        finally:
            os._exit(code)
    return pid


def test_the_forked_pass_reads_the_pages_the_parent_has_not_read_yet(tmp_path, monkeypatch):
    """passes.Readings with a busy parent: the child reads its pages from the last one back, claiming each.

    The parent's analyzer is held on the first page until the child has claimed every page; then the
    child has read them all itself, the parent skips what was claimed, and the readings the child ends
    with are kiwi's own (real kiwi, real fork, real pipes).
    """
    pages = [
        ["테넌트의 보존 레이블을 구성합니다."],
        ["사서 함 크기를 확인합니다"],
        ["메일 흐름 규칙을 만듭니다"],
        ["스팸 정책을 설정합니다"],
    ]
    lines = [line for page in pages for line in page]
    readings = passes.Readings(Analyzer())
    monkeypatch.setattr(passes, "KEPT", 0)  # every page goes to the parent
    result = tmp_path / "child.json"
    pid = _forked_pass(
        readings, pages, result, lambda: {"found": readings.readings(), "known": readings.analyzer.known()}
    )
    release = threading.Event()
    read = readings.analyzer.read

    def held(page: list[str]) -> None:
        release.wait(60)
        read(page)

    readings.analyzer.read = held  # type: ignore[method-assign]
    readings.in_parent()
    deadline = time.monotonic() + 60
    while len(readings._claimed) < len(pages) and time.monotonic() < deadline:
        time.sleep(0.01)
    claimed = set(readings._claimed)
    release.set()
    _, status = os.waitpid(pid, 0)
    readings.close()
    assert os.waitstatus_to_exitcode(status) == 0
    assert claimed == {0, 1, 2, 3}
    expected = Analyzer()
    expected.read(lines)
    child = json.loads(result.read_text(encoding="utf-8"))
    known = {line: [content, words] for line, content, words in child["known"][0]}
    assert set(known) == set(lines)
    expected_known = json.loads(json.dumps(expected.known(lines)))  # as the child sent it
    assert all(known[line] == [content, words] for line, content, words in expected_known[0])
    # What the parent sent back (the page it was reading when the child claimed it, or nothing) is kiwi's too.
    assert all(known[line] == [content, words] for line, content, words in child["found"][0])


def test_the_parent_keeps_the_readings_it_sent_the_forked_pass(tmp_path, monkeypatch):
    """passes.Readings: what the parent read for the child is given to ``keep`` as the JSON it sent, in
    ``Analyzer.known()``'s form (the build cache stores it; the child does not write it again)."""
    pages = [["테넌트의 보존 레이블을 구성합니다."], ["사서 함 크기를 확인합니다"], ["메일 흐름 규칙을 만듭니다"]]
    kept: list[str] = []
    readings = passes.Readings(Analyzer(), kept.append)
    monkeypatch.setattr(passes, "KEPT", 0)  # every page goes to the parent
    result = tmp_path / "child.json"
    # The parent answers in the half second (a page it has not answered yet, the child reads itself).
    pid = _forked_pass(readings, pages, result, readings.readings, settle=0.5)
    readings.in_parent()
    _, status = os.waitpid(pid, 0)
    readings.close()
    assert os.waitstatus_to_exitcode(status) == 0
    found = json.loads(result.read_text(encoding="utf-8"))[0]
    assert found  # the parent answered
    (text,) = kept
    lines, runs = json.loads(text)
    assert runs == [] and sorted(lines) == sorted(found)
    expected = Analyzer()
    expected.read([line for page in pages for line in page])
    assert sorted(lines) == sorted(json.loads(json.dumps(expected.known([line for line, _, _ in lines])[0])))
