"""The 583-article corpus built into a full bilingual site (``site_helpers.built_corpus_site``)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bitext.formats import xliff
from site_helpers import article, built_corpus_site, heading_ids, page, search_texts

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory, corpus_project: Path, corpus: Path) -> dict:
    return built_corpus_site(tmp_path_factory, corpus_project, corpus)


def _pages(site: Path) -> list[str]:
    return sorted(
        str(p.parent.relative_to(site))
        for p in site.rglob("index.html")
        if p.parent.relative_to(site).parts[:1] != ("ko",)
        and "Redirecting..." not in p.read_text(encoding="utf-8")[:400]
    )


def test_corpus_builds_every_page_in_both_languages_without_error(corpus_site):
    site, log = corpus_site["site"], corpus_site["log"]
    assert not [line for line in log.splitlines() if line.startswith("ERROR")]
    english = _pages(site)
    assert len(english) >= 583  # every article but the one include, plus the home page
    missing = [rel for rel in english if not (site / "ko" / rel / "index.html").is_file()]
    assert missing == []
    assert "ko: 582 pages compiled" in log


def test_korean_heading_ids_are_the_english_ids_on_every_page(corpus_site):
    site = corpus_site["site"]
    compared = own_suffixes = 0
    for rel in _pages(site):
        en = heading_ids(page(site, "" if rel == "." else rel))
        ko = heading_ids(page(site, "ko" if rel == "." else f"ko/{rel}"))
        assert ko == en, rel
        # The only _N ids are those of English pages that repeat a heading ("Format", "Pattern" ...).
        own_suffixes += sum(1 for i in set(ko) - set(en) if re.search(r"_\d+$", i))
        compared += 1
    assert compared >= 583 and own_suffixes == 0


def test_korean_search_index_and_heading_labels_hold_no_english_original(corpus_site):
    root, site = corpus_site["root"], corpus_site["site"]
    korean = {url[3:]: html.unescape(text) for url, text in search_texts(site, "ko").items()}
    checked, leaks = 0, []
    for xlf in sorted((root / "locales" / "ko").rglob("*.xlf")):
        rel = xlf.relative_to(root / "locales" / "ko").with_suffix("").as_posix()
        text = korean.get(f"{rel}/")
        if text is None:
            continue
        segments = xliff.load(xlf)
        # What a reader of the Korean page sees without any original: English there is
        # legitimate (untranslated sentences, code, a translation that kept the English).
        korean_page = page(site, f"ko/{rel}")
        title = html.unescape(re.search(r"<title>(.*?)</title>", korean_page).group(1))
        reader_text = _plain(title + " " + _visible_text(article(korean_page)))
        for seg in segments.body_segments():
            plain = _plain(seg.source)
            if seg.usable_target() and len(plain) > 40 and plain[:40] not in reader_text:
                checked += 1
                if plain[:40] in _plain(text):
                    leaks.append((rel, seg.id))
    assert checked > 30_000
    assert leaks == []


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[*`_\\\[\]()<>]", "", text).split())


class _Visible(HTMLParser):
    """The text of an HTML fragment, without the hidden originals (class bt-s)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.hidden or "bt-s" in (dict(attrs).get("class") or "").split():
            self.hidden += tag not in VOID

    def handle_endtag(self, tag):
        if self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


VOID = {"br", "img", "hr", "input", "wbr", "col", "area", "source"}


def _visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


def test_redirects_from_the_stub_and_the_redirect_map(corpus_site):
    site = corpus_site["site"]
    for prefix in ("", "ko/"):
        assert 'url=eop-features/"' in page(site, f"{prefix}eop")  # eop/index.md stub
        assert 'url=../retention-policies/"' in page(site, f"{prefix}recover-deleted-items-from-retention")
        assert "url=https://support.office.com/article/0c03e6b3-e73f-4316-9e2b-bf4091ae96bb" in page(
            site, f"{prefix}office-365-certificate-chains"
        )


def test_home_page_indexes_the_documented_status_codes(corpus_site):
    site = corpus_site["site"]
    for prefix in ("", "ko/"):
        home = article(page(site, prefix.rstrip("/")))
        codes = re.findall(r"<td><code>([^<]+)</code></td>", home)
        assert {"5.7.705", "5.7.750", "4.4.312", "4.7.320", "5.7.7xx", "4.7.25"} <= set(codes)
        assert not {"4.4.0", "5.1.3", "5.2.4"} & set(codes)  # a version, a library version, a clause
        for target, anchor in re.findall(r'href="([^"#]+)#([^"]+)"', home):
            assert f'id="{anchor}"' in (site / prefix / target / "index.html").read_text(encoding="utf-8")
    assert "5.7.705: 테 넌 트가 임계값 제한을 초과 했습니다. 확인 해야 할 사항" in article(page(site, "ko"))


def test_korean_navigation_uses_the_translated_titles(corpus_site):
    site = corpus_site["site"]
    labels = re.compile(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', re.S)
    assert "Office 365 security roadmap" in labels.findall(page(site, "security-roadmap"))
    title = xliff.load(corpus_site["root"] / "locales" / "ko" / "security-roadmap.xlf").front_matter_segments()["title"]
    assert title.target in labels.findall(page(site, "ko/security-roadmap"))
