"""What a reader sees: the built fixture site in headless Chromium (Debian's, driven by Playwright).

Screenshots of the seed article (Korean, English, Korean with every original
shown) are saved in tests/artifacts/.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from conftest import REPO
from site_helpers import SEED_PAGE

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "tests" / "artifacts"
ANCHOR = "57705-tenant-has-exceeded-threshold-restriction-what-you-need-to-know"


@pytest.fixture(scope="module")
def requests_seen() -> list[str]:
    """Every URL any page of this module requested."""
    return []


@pytest.fixture
def context_factory(browser, requests_seen):
    contexts = []

    def make(**options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, "locale": "ko-KR", **options})
        context.on("request", lambda request: requests_seen.append(request.url))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(context_factory) -> Page:
    return context_factory().new_page()


def _screenshot(target, name: str, min_bytes: int = 20_000, **options) -> None:
    """Save a screenshot artifact (look at them: tests/artifacts/) and check it holds a real picture."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    target.screenshot(path=str(path), **options)
    assert path.stat().st_size > min_bytes, name


def _original(page: Page, index: int = 3):
    segment = page.locator("article .bt").nth(index)
    return segment, segment.locator(":scope > .bt-s")


def test_korean_page_is_plain_korean_until_asked(page, base_url):
    page.goto(f"{base_url}ko/{SEED_PAGE}/")
    assert page.locator("html").get_attribute("lang") == "ko"
    segments = page.locator("article .bt")
    assert segments.count() == 46
    assert page.locator("article .bt-s:visible").count() == 0
    assert page.locator("article .bt-s[lang=en]").count() == 46
    _screenshot(page, "seed-ko.png", full_page=True)


def test_hover_reveals_the_english_original(page, base_url):
    page.goto(f"{base_url}ko/{SEED_PAGE}/")
    segment, original = _original(page)
    segment.hover()
    expect(original).to_be_visible()
    expect(original).to_have_text("These error codes will usually come in as 705 or 750.")
    box, anchor = original.bounding_box(), segment.bounding_box()
    assert box["y"] >= anchor["y"] + anchor["height"] - 2  # below the sentence, not over it
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
    _screenshot(page, "seed-ko-hover.png")
    page.mouse.move(5, 5)
    expect(original).to_be_hidden()


def _tab_to_sentence(page: Page) -> str:
    """Press Tab until a sentence has the focus; its English original."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('bt')"):
            return page.evaluate("document.activeElement.querySelector(':scope > .bt-s').textContent")
    pytest.fail("Tab never reached a sentence")


def test_keyboard_focus_reveals_the_original(page, base_url):
    page.goto(f"{base_url}ko/{SEED_PAGE}/")
    first = _tab_to_sentence(page)
    visible = page.locator("article .bt-s:visible")
    expect(visible).to_have_text([first])
    second = _tab_to_sentence(page)
    assert second != first
    expect(visible).to_have_text([second])  # only the sentence that has the focus
    page.keyboard.press("Escape")
    expect(visible).to_have_count(0)


def test_tap_reveals_the_original(context_factory, base_url):
    page = context_factory(has_touch=True, is_mobile=True, viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{base_url}ko/{SEED_PAGE}/")
    segment, original = _original(page, 4)
    segment.scroll_into_view_if_needed()
    segment.tap()
    expect(original).to_be_visible()
    box = original.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.locator("h1").tap()
    expect(original).to_be_hidden()


def test_toggle_shows_all_originals_and_the_choice_persists(page, base_url):
    page.goto(f"{base_url}ko/{SEED_PAGE}/")
    toggle = page.get_by_role("button", name="영어 원문 모두 보기")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("article .bt-s:visible")).to_have_count(46)
    _screenshot(page, "seed-ko-originals.png", full_page=True)
    page.goto(f"{base_url}ko/alerts/")
    expect(page.locator("article .bt-s:visible")).to_have_count(page.locator("article .bt-s").count())
    page.reload()
    expect(page.get_by_role("button", name="영어 원문 모두 보기")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="영어 원문 모두 보기").click()
    page.goto(f"{base_url}ko/{SEED_PAGE}/")
    expect(page.get_by_role("button", name="영어 원문 모두 보기")).to_have_attribute("aria-pressed", "false")
    assert page.locator("article .bt-s:visible").count() == 0


def test_without_javascript_the_page_is_plain_korean(context_factory, base_url):
    page = context_factory(java_script_enabled=False).new_page()
    page.goto(f"{base_url}ko/{SEED_PAGE}/")
    assert page.locator("article .bt-s:visible").count() == 0
    assert page.locator(".bt-toggle:visible").count() == 0
    text = page.locator("article").inner_text()
    assert "사용자에 게 다음을 알리는 NDR이 수신 됩니다." in text
    assert "Users will receive an NDR" not in text


def test_english_page(page, base_url):
    page.goto(f"{base_url}{SEED_PAGE}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("article .bt").count() == 0
    expect(page.locator("article h1")).to_contain_text("Fix email delivery issues for error code 5.7.7xx")
    _screenshot(page, "seed-en.png", full_page=True)


def test_language_switcher_keeps_the_page(page, base_url):
    page.goto(f"{base_url}ko/alerts/")
    page.locator(".md-header .md-select").hover()
    page.locator(".md-select__link[hreflang=en]").click()
    assert urlsplit(page.url).path == "/alerts/"
    page.locator(".md-header .md-select").hover()
    page.locator(".md-select__link[hreflang=ko]").click()
    assert urlsplit(page.url).path == "/ko/alerts/"
    expect(page.locator("article h1")).to_contain_text("경고 및 알림")


@pytest.mark.parametrize("prefix", ["", "ko/"])
def test_anchors_resolve_in_both_languages(page, base_url, prefix):
    page.goto(f"{base_url}{prefix}{SEED_PAGE}/#{ANCHOR}")
    heading = page.locator(f"[id='{ANCHOR}']").first
    expect(heading).to_be_in_viewport()
    assert page.evaluate(f"document.getElementById('{ANCHOR}').getBoundingClientRect().top") < 150
    page.goto(f"{base_url}{prefix}alerts/")
    page.locator(f"article a[href$='#{ANCHOR}']").first.click()
    assert urlsplit(page.url).path == f"/{prefix}{SEED_PAGE}/"
    expect(page.locator(f"[id='{ANCHOR}']").first).to_be_in_viewport()
    toc_link = page.locator(f".md-sidebar--secondary a[href='#{ANCHOR}']")
    expect(toc_link).to_have_count(1)


def test_admonitions_render_as_material_boxes(page, base_url):
    page.goto(f"{base_url}ko/alerts/")
    titles = page.locator("article .admonition .admonition-title")
    expect(titles).to_have_text(["참고", "팁", "중요", "주의", "경고"])
    for kind, colour in [("important", "rgb(124, 77, 255)"), ("caution", "rgb(255, 23, 68)")]:
        box = page.locator(f"article .admonition.{kind}")
        assert box.evaluate("el => getComputedStyle(el).borderLeftColor") == colour
        assert box.evaluate("el => getComputedStyle(el.firstElementChild, '::before').maskImage") != "none"
    _screenshot(page.locator("article .admonition.tip"), "alerts-ko-tip.png", min_bytes=1_000)


def test_search_and_every_page_stay_on_the_site(page, base_url, requests_seen):
    page.goto(f"{base_url}ko/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").fill("테넌트")
    page.wait_for_timeout(1500)
    for path in ("", "alerts/", "untranslated/", "ko/alerts/", "ko/untranslated/"):
        page.goto(f"{base_url}{path}")
    hosts = {urlsplit(url).hostname for url in requests_seen if not url.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, sorted(set(requests_seen))[:20]
    assert any("search_index.json" in url for url in requests_seen)
