"""Search as a reader uses it: queries typed into Material's search box of built sites, in headless Chromium.

The small fixture site (seed article, alerts, an untranslated page) shows
what a result looks like; the corpus site (built once per session, shared
with test_site_corpus.py) is searched through the benchmark's harness, the
way the figures of ``python -m bitext.bench search`` are measured.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from bitext.bench import search_harness as harness
from bitext.lang.ko import HANGUL_RUN
from bitext.search import latin
from bitext.search.korean import segment
from site_helpers import SEED_PAGE, built_corpus_site
from site_helpers import run_worker as node


@pytest.fixture
def reader(browser):
    """A page of a fresh browser context, and the paths of every request it made."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(urlsplit(request.url).path))
    yield page, requests
    context.close()


def _search(page: Page, query: str) -> list[str]:
    """Type ``query`` into the search box; the result links once the list settles."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press("Control+a")
    box.press("Backspace")
    page.keyboard.type(query, delay=20)
    page.keyboard.press("End")
    page.locator(".md-search-result__list a.md-search-result__link").first.wait_for()
    previous = None
    for _ in range(50):
        links = page.eval_on_selector_all(
            ".md-search-result__list a.md-search-result__link", "els => els.map(a => a.getAttribute('href'))"
        )
        if links == previous:
            return [urlsplit(link).path for link in links]
        previous = links
        page.wait_for_timeout(100)
    pytest.fail(f"results for {query!r} never settled")


@pytest.mark.browser
def test_korean_word_finds_the_page_written_with_machine_translation_spacing(reader, base_url):
    page, requests = reader
    page.goto(f"{base_url}ko/")
    links = _search(page, "테넌트")
    assert links[0] == f"/ko/{SEED_PAGE}/"
    snippet = page.locator(".md-search-result__list .md-search-result__article p mark").first
    assert snippet.inner_text() == "테 넌 트"  # the match is highlighted where the page spells it apart
    assert page.locator(".md-search-result__meta").inner_text() == "1개의 일치하는 문서"
    assert all(link.startswith("/ko/") for link in links)
    index = {p for p in requests if p.startswith("/search/")}
    assert "/search/bitext/ko/meta.json" in index and not [p for p in index if p.startswith("/search/bitext/en/")]


@pytest.mark.browser
def test_english_page_finds_the_status_code_in_english_only(reader, base_url):
    page, requests = reader
    page.goto(f"{base_url}alerts/")
    links = _search(page, "550 5.7.750")
    assert links[0] == f"/{SEED_PAGE}/"
    assert not [link for link in links if link.startswith("/ko/")]
    marks = page.locator(".md-search-result__list mark").all_inner_texts()
    assert "5.7.750" in marks and "550" in marks
    assert not [p for p in requests if p.startswith("/search/bitext/ko/")]
    worker = [p for p in requests if re.fullmatch(r"/assets/bitext/search\.[0-9a-f]{8}\.js", p)]
    assert len(worker) == 1


@pytest.mark.browser
def test_untranslated_page_is_found_in_english_from_the_korean_site(reader, base_url):
    page, _ = reader
    page.goto(f"{base_url}ko/{SEED_PAGE}/")
    assert _search(page, "translation")[0] == "/ko/untranslated/"


# -- the corpus site --------------------------------------------------------------------------------

QUERIES = [  # (lang, query, expected page, kind): what readers of the issue type
    ("en", "550 5.7.750", "fix-error-code-5-7-7xx-in-exchange-online/", "code"),
    ("en", "SFV:SPM", "anti-spam-message-headers/", "code"),
    ("en", "Set-HostedContentFilterPolicy", "configure-your-spam-filter-policies/", "cmdlet"),
    ("en", "New-ElevatedAccessRequest", "privileged-access-management-configuration/", "cmdlet"),
    ("ko", "DKIM을 설정하려면", "ko/use-dkim-to-validate-outbound-email/", "particle-ko"),
    ("ko", "5.7.705", "ko/fix-error-code-5-7-7xx-in-exchange-online/", "code"),
    ("ko", "스팸 필터 정책을 구성하려면", "ko/configure-your-spam-filter-policies/", "particle-ko"),
]


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory, corpus_project: Path, corpus: Path) -> Path:
    return built_corpus_site(tmp_path_factory, corpus_project, corpus)["site"]


@pytest.mark.browser
@pytest.mark.corpus
def test_corpus_site_answers_codes_cmdlets_and_korean_questions(corpus_site, browser):
    queries = [harness.Query(lang, query, [expected], kind, "test") for lang, query, expected, kind in QUERIES]
    result = harness.run(corpus_site, queries, "bitext", browser=browser)
    assert [o.query.query for o in result.outcomes if o.rank is None] == []  # all in the top 5
    assert sum(1 / o.rank for o in result.outcomes) / len(queries) > 0.8
    assert not [o.query.query for o in result.outcomes if o.other_language({"en", "ko"})]
    for lang in ("en", "ko"):
        fetched = {p for p in result.fetched[lang] if p.startswith("/search/bitext/")}
        assert fetched and all(p.startswith(f"/search/bitext/{lang}/") for p in fetched)
        assert result.first[lang].bytes < 2_000_000
    assert result.errors == []


@pytest.mark.corpus
def test_worker_analysis_is_the_builds_on_the_whole_corpus(corpus_site, tmp_path):
    """Parity on every Latin token and Korean word the corpus index holds."""
    folder = corpus_site / "search" / "bitext"
    texts = [
        section
        for lang in ("en", "ko")
        for p in (folder / lang / "text").glob("*.json")
        for section in json.loads(p.read_text(encoding="utf-8"))
    ]
    tokens = sorted({m.group(0) for _, heading, text in texts for m in latin.TOKEN.finditer(f"{heading}\n{text}")})
    words = sorted({m.group(0) for _, heading, text in texts for m in HANGUL_RUN.finditer(f"{heading}\n{text}")})
    meta = json.loads((folder / "ko" / "meta.json").read_text(encoding="utf-8"))
    vocab, tails, empty = meta["vocab"].split("\n"), meta["tails"], frozenset(meta["empty"])
    assert len(tokens) > 10_000 and len(words) > 10_000
    out = node(
        corpus_site,
        "ko",
        {"tokens": tokens, "words": words, "vocab": vocab, "tails": tails, "empty": sorted(empty)},
        tmp_path,
    )
    assert [
        t for t, js in zip(tokens, out["tokens"], strict=False) if js != [list(p) for p in latin.token_terms(t)]
    ] == []
    known, tail_set = set(vocab), set(tails)
    assert [
        w
        for w, js in zip(words, out["words"], strict=False)
        if js != list(segment(w, known.__contains__, tail_set, empty))
    ] == []
