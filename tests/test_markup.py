"""Where a sentence points: the destinations and parity that ``bitext check`` and ``bitext links`` share."""

from __future__ import annotations

import pytest

from bitext.core import markup
from bitext.formats import docfx


def targets(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.url) for t in markup.link_targets(text)]


def test_link_targets_finds_every_kind_of_destination_in_order():
    text = (
        'See [guide](guide.md "Guide"), ![icon](media/i.png), <https://a.example/x>, '
        "<a href=\"page.html#top\">here</a>, <img src='x.gif'> and https://b.example/y."
    )
    assert targets(text) == [
        ("link", "guide.md"),
        ("image", "media/i.png"),
        ("autolink", "https://a.example/x"),
        ("attribute", "page.html#top"),
        ("attribute", "x.gif"),
        ("text", "https://b.example/y"),
    ]
    starts = [t.start for t in markup.link_targets(text)]
    assert [text[s : s + 5] for s in starts] == ["[guid", "![ico", "<http", "page.", "x.gif", "https"]


def test_an_attribute_destination_starts_where_its_value_does():
    text = '<a title=\'a\' href=a>a</a> <img alt="x.png" src="x.png">'
    found = markup.link_targets(text)
    assert [(t.url, t.start) for t in found] == [("a", text.index("href=") + 5), ("x.png", text.index("src=") + 5)]


def test_link_targets_leaves_out_code_link_text_and_empty_destinations():
    text = "Run `curl https://c.example` or see [https://d.example](https://e.example) and [x]()."
    assert targets(text) == [("link", "https://e.example")]


@pytest.mark.parametrize(
    "text, url",
    [
        ("Go to https://contoso.com.", "https://contoso.com"),
        ("Go to www.contoso.com, then", "www.contoso.com"),
        ("**https://fabrikam.example/**", "https://fabrikam.example/"),
        (r"Open https://\<tenant\>.sharepoint.com (your site)", r"https://\<tenant\>.sharepoint.com"),
        (r"Https://\<AzureAppResourceName> (여기에서", r"Https://\<AzureAppResourceName>"),
        ("https://x.example/a를 참조", "https://x.example/a"),
        ("Analyzerhttp://go.example/fwlink", "http://go.example/fwlink"),
    ],
)
def test_a_typed_url_ends_where_a_reader_sees_it_end(text, url):
    assert [m.group() for m in markup.BARE_URL.finditer(text)] == [url]


def test_a_url_scheme_alone_is_no_url():
    assert markup.BARE_URL.search("type https:// and then the name") is None


@pytest.mark.parametrize(
    "url, locale, neutral",
    [
        ("https://docs.example.com/en-us/a/b", "en-us", "//docs.example.com/a/b"),
        ("HTTP://Docs.Example.com/ko-KR/a", "ko-kr", "//docs.example.com/a"),
        ("https://host.example/zh-hant-tw/x", "zh-hant-tw", "//host.example/x"),
        ("https://docs.example.com/windows/it-pro/x", "", "//docs.example.com/windows/it-pro/x"),
        ("https://host.example/in-app/x", "", "//host.example/in-app/x"),
        ("https://host.example/docs/en-us/x", "", "//host.example/docs/en-us/x"),  # only the first folder is a locale
        ("/en-us/office365/x", "en-us", "/office365/x"),
        ("media/en-us/x.png", "", "media/en-us/x.png"),
    ],
)
def test_comparable_url_ignores_scheme_host_case_and_the_locale_folder(url, locale, neutral):
    assert markup.url_locale(url) == locale
    assert markup.comparable_url(url) == neutral


def issues(source: str, target: str) -> list[tuple[str, str, str]]:
    return [(i.kind, i.source, i.target) for i in markup.link_parity(source, target)]


def test_parity_reports_a_locale_swap_as_localized_not_as_a_change():
    src = "See [x](https://docs.example.com/en-us/a/b) and [y](y.md)."
    assert issues(src, "[x](https://docs.example.com/ko-kr/a/b), [y](y.md)") == [
        ("localized", "https://docs.example.com/en-us/a/b", "https://docs.example.com/ko-kr/a/b")
    ]
    assert issues(src, "[x](https://docs.example.com/ko-kr/a/c)") == [
        ("changed", "https://docs.example.com/en-us/a/b", "https://docs.example.com/ko-kr/a/c"),
        ("dropped", "y.md", ""),
    ]


def test_parity_matches_a_typed_url_with_the_link_a_translator_made_of_it():
    src = "See Administrator audit logging http://go.example.com/fwlink/p/?LinkID=619225 ."
    assert issues(src, "[관리자 감사 로깅](https://go.example.com/fwlink/p/?LinkID=619225)을 참조하세요.") == []
    assert issues(src, "관리자 감사 로깅을 참조하세요.") == [
        ("dropped", "http://go.example.com/fwlink/p/?LinkID=619225", "")
    ]


def test_parity_counts_repeated_destinations_and_places_what_the_translation_added():
    src = "[a](x.md) or [b](x.md)"
    target = "[a](x.md) 또는 [b](y.md) <a href='z.md'>z</a>"
    found = markup.link_parity(src, target)
    assert [(i.kind, i.source, i.target) for i in found] == [("changed", "x.md", "y.md"), ("added", "", "z.md")]
    assert [target[i.offset : i.offset + 4] for i in found] == ["[b](", "z.md"]


def test_same_locale_rule_maps_docset_urls_to_pages():
    docset = docfx.Docset(
        ("/office365/securitycompliance/",), ("https://docs.example.com/office365/securitycompliance/",)
    )
    assert docset.to_page("https://docs.example.com/zh-hans/office365/securitycompliance/x") == "x"
    assert docset.to_page("/en-us/office365/securitycompliance/y#z") == "y"
    assert docset.to_page("/it-pro/office365/securitycompliance/y") is None
