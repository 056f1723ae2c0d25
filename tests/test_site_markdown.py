"""The site's Markdown: side-by-side segments, DocFX alerts/videos/includes, the status-code index.

Rendered with real Python-Markdown and the same extensions as the site.
"""

from __future__ import annotations

import re

import markdown
import pytest

from bitext.core.model import Segment
from bitext.project.project import Project
from bitext.project.sitefiles import SiteFiles
from bitext.site import home as troubleshooting
from bitext.site.docfx_markdown import DocfxExtension, Included, expand_includes, rebase_links
from bitext.site.plugin import theme
from bitext.site.sidebyside import SideBySideExtension, marker
from bitext.site.source import read_site

EXTENSIONS = ["toc", "tables", "attr_list", "md_in_html"]


def strings(lang: str) -> dict[str, str]:
    """The plugin's own UI strings: its template folder, no site of ours overriding them."""
    return theme.strings(theme.own_templates(), lang)


def render(text: str, **docfx) -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=[*EXTENSIONS, SideBySideExtension(), DocfxExtension(**docfx)],
        extension_configs={"toc": {"permalink": True}},
    )
    md.html = md.convert(text)
    return md


def seg(source: str, target: str | None, *, mt: bool = False, state: str = "translated") -> str:
    s = Segment(
        "x",
        source,
        target,
        state=state if target else "needs-translation",
        state_qualifier="mt-suggestion" if mt else None,
    )
    usable = s.usable_target()
    return marker(s, usable if usable is not None else source, usable is not None)


def test_translation_carries_its_hidden_original_with_inline_markdown():
    md = render(
        f"Intro {seg('Use **bold** and `code` [here](a.md).', '**굵게**와 `code`를 [여기](a.md)에서 사용합니다.')}"
    )
    span = re.search(r'<span class="bt" tabindex="0">(.*?)<span class="bt-s"([^>]*)>(.*?)</span></span>', md.html)
    assert span, md.html
    assert span.group(1) == '<strong>굵게</strong>와 <code>code</code>를 <a href="a.md">여기</a>에서 사용합니다.'
    assert 'lang="en"' in span.group(2) and "hidden" in span.group(2) and "data-search-exclude" in span.group(2)
    assert span.group(3) == 'Use <strong>bold</strong> and <code>code</code> <a href="a.md">here</a>.'


def test_plain_and_marked_up_texts_mix_in_either_language():
    md = render(f"{seg('Use **bold** here.', '여기에서 사용합니다')} {seg('Plain English.', '**굵은** 한국어')}")
    assert ">여기에서 사용합니다<span" in md.html and ">Use <strong>bold</strong> here.</span>" in md.html
    assert "><strong>굵은</strong> 한국어<span" in md.html and ">Plain English.</span>" in md.html


def test_machine_translation_and_untranslated_sentences_are_marked():
    md = render(f"{seg('Machine.', '기계.', mt=True)} {seg('Not yet.', None)}")
    assert '<span class="bt bt-mt" tabindex="0">기계.' in md.html
    assert '<span class="bt-u" lang="en">Not yet.</span>' in md.html


def test_headings_get_the_english_ids_and_korean_labels():
    english = '# Fix error 5.7.7xx\n\n## Overview\n\n## Overview\n\n### <a name="x"></a>Next steps\n'
    korean = (
        f"# {seg('Fix error 5.7.7xx', '오류 5.7.7 xx 수정')}\n\n## {seg('Overview', '개요')}\n\n"
        f'## {seg("Overview", "개요")}\n\n### <a name="x"></a>{seg("Next steps", "다음 단계")}\n'
    )
    en, ko = render(english), render(korean)
    ids = [t["id"] for t in _flat(en.toc_tokens)]
    assert ids == ["fix-error-577xx", "overview", "overview_1", "next-steps"]
    assert [t["id"] for t in _flat(ko.toc_tokens)] == ids
    assert [t["name"] for t in _flat(ko.toc_tokens)] == ["오류 5.7.7 xx 수정", "개요", "개요", "다음 단계"]
    assert re.findall(r'<h\d id="([^"]+)"', ko.html) == ids
    # The original is back in the heading for the reader, after the labels were taken.
    assert '<span class="bt-s" data-search-exclude="true" hidden="hidden" lang="en">Overview</span>' in ko.html


def test_heading_ids_follow_a_custom_toc_slugify():
    md = markdown.Markdown(
        extensions=["toc", SideBySideExtension()],
        extension_configs={"toc": {"slugify": lambda v, sep: "s-" + v.lower().replace(" ", sep)}},
    )
    html = md.convert(f"## {seg('Two Words', '두 단어')}")
    assert 'id="s-two-words"' in html


def test_untranslated_heading_keeps_english_id_and_label():
    md = render(f"## {seg('Only English', None)}")
    assert _flat(md.toc_tokens)[0] == {**_flat(md.toc_tokens)[0], "id": "only-english", "name": "Only English"}


def test_segments_in_raw_html_blocks_and_image_alt_text():
    md = render(f"<div>\n<strong>{seg('Raw', '원시')}</strong>\n</div>\n\n![{seg('A picture', '그림')}](p.png)\n")
    assert (
        '<strong><span class="bt" tabindex="0">원시<span class="bt-s" lang="en" hidden="hidden" '
        'data-search-exclude="true">Raw</span></span></strong>' in md.html
    )
    assert '<img alt="그림" src="p.png" />' in md.html


def test_delimiters_inside_a_translation_cannot_break_the_page():
    hostile = "하나\ue002\ue000t\ue001<b>둘</b>"
    md = render(seg("One.", hostile) + " after")
    assert "\ue000" not in md.html and "\ue002" not in md.html
    assert md.html.count('class="bt"') == 1


def test_placeholders_that_look_like_tags_do_not_swallow_the_page():
    md = render(
        f"{seg('Go to https://<AppName>.example.net and <b>read</b> <br/>.', '<AppName> 으로 <b>이동</b>')}\n\nNext."
    )
    assert "&lt;AppName&gt; 으로 <b>이동</b><span" in md.html
    assert ">Go to https://&lt;AppName&gt;.example.net and <b>read</b> <br/>.</span>" in md.html
    assert "<appname" not in md.html.lower()


def test_english_pages_are_untouched():
    text = "# Title\n\n## Title\n\nSome *text* <b>raw</b>.\n\n| a |\n|---|\n| b |\n"
    without = markdown.Markdown(
        extensions=[*EXTENSIONS, DocfxExtension()], extension_configs={"toc": {"permalink": True}}
    )
    assert render(text).html == without.convert(text)


@pytest.mark.parametrize(
    "kind,title,css",
    [
        ("NOTE", "참고", "note"),
        ("TIP", "팁", "tip"),
        ("IMPORTANT", "중요", "important"),
        ("CAUTION", "주의", "caution"),
        ("WARNING", "경고", "warning"),
    ],
)
def test_docfx_alerts_become_admonitions_with_localized_titles(kind, title, css):
    md = render(f"Before.\n\n> [!{kind}]\n> Body with **bold**.\n>\n> - item\n\nAfter.\n", titles=strings("ko"))
    assert (
        f'<div class="admonition {css}">\n<p class="admonition-title">{title}</p>\n'
        f"<p>Body with <strong>bold</strong>.</p>\n<ul>\n<li>item</li>\n</ul>\n</div>"
    ) in md.html
    assert "<blockquote>" not in md.html


def test_alerts_in_lists_lowercase_and_without_space_and_plain_quotes():
    md = render("1. Step\n\n    > [!tip]\n    > Nested.\n\n>[!Note]\n> Tight.\n\n> Just a quote.\n")
    assert re.search(r'<li>\s*<p>Step</p>\s*<div class="admonition tip">', md.html)
    assert '<div class="admonition note">' in md.html
    assert "<blockquote>\n<p>Just a quote.</p>\n</blockquote>" in md.html


def test_video_is_a_link_unless_embeds_are_enabled():
    text = "> [!VIDEO https://www.example.com/embed/1]\n"
    linked = render(text, titles=strings("ko")).html
    assert '<a href="https://www.example.com/embed/1" rel="noopener">동영상 보기</a>' in linked
    assert "<iframe" not in linked
    assert (
        '<iframe allowfullscreen="allowfullscreen" class="docfx-video" loading="lazy" '
        'src="https://www.example.com/embed/1"' in render(text, video_embed=True).html
    )
    assert "javascript" not in render("> [!VIDEO javascript:alert(1)]\n").html.replace("<p>javascript", "")


def test_includes_are_expanded_nested_rebased_and_reported():
    files = {
        "includes/a.md": Included(
            "---\ntitle: x\n---\nSee [x](../x.md) and ![i](media/i.png).\n\n"
            "[!INCLUDE [b](b.md)]\n\n[!INCLUDE [gone](gone.md)]\n",
            "includes/a.md",
        ),
        "includes/b.md": Included("B [y](y.md#part) [site](https://example.com/) [top](#top)\n", "includes/b.md"),
        "includes/loop.md": Included("[!INCLUDE [loop](loop.md)]\n", "includes/loop.md"),
    }
    text = (
        "Top\n\n- item\n\n    [!INCLUDE [a](../includes/a.md)]\n\n[!INCLUDE [m](../missing.md)]\n\n"
        "[!INCLUDE [loop](../includes/loop.md)]\n"
    )
    expanded = expand_includes(text, "sub/page.md", files.get)
    out, findings = expanded.text, expanded.findings
    assert "    See [x](../x.md) and ![i](../includes/media/i.png).\n" in out
    assert "    B [y](../includes/y.md#part) [site](https://example.com/) [top](#top)" in out
    assert "title: x" not in out
    # Each finding names the English file that holds the include and its line there (front matter counted).
    assert [str(f) for f in findings] == [
        "docs/en/includes/a.md:8: missing-include: include gone.md not found",
        "docs/en/sub/page.md:7: missing-include: include ../missing.md not found",
        "docs/en/includes/loop.md:1: include-cycle: include loop.md includes itself",
    ]
    assert "[!INCLUDE [m](../missing.md)]" in out


def test_include_findings_of_a_translation_name_the_english_line():
    english = "---\ntitle: Page\n---\n\n# Page\n\nText.\n\n[!INCLUDE [m](missing.md)]\n"
    # The compiled page has more front matter (localisation metadata) and a two-line translation.
    korean = (
        "---\ntitle: 페이지\nms.locfileid: x\nms.translationtype: MT\n---\n\n# 페이지\n\n"
        "텍스트\n입니다.\n\n[!INCLUDE [m](missing.md)]\n"
    )
    findings = expand_includes(korean, "page.md", {}.get, english=english).findings
    assert [str(f) for f in findings] == ["docs/en/page.md:9: missing-include: include missing.md not found"]
    translated = Included(
        "---\ntitle: 포함\nms.locfileid: y\n---\n[!INCLUDE [n](none.md)]\n",
        "inc.md",
        english="---\ntitle: Inc\n---\n[!INCLUDE [n](none.md)]\n",
    )
    findings = expand_includes("[!INCLUDE [i](inc.md)]\n", "page.md", {"inc.md": translated}.get).findings
    assert [(f.path, f.line) for f in findings] == [("docs/en/inc.md", 4)]


def test_rebase_reference_definitions():
    assert rebase_links("[a]: img/a.png\n", "includes", "") == "[a]: includes/img/a.png\n"


def test_status_codes_are_found_in_text_not_attributes():
    index = troubleshooting.CodeIndex()
    html = (
        '<h1 id="top">Fix NDR 5.7.7xx</h1><p>See 550 5.7.705 and <a href="v/5.7.1">link</a>, '
        'versions 1.2.3.4, 4.0.30319, 10.5.7.7</p><h2 id="a">5.7.750: thing</h2><p>x 5.7.750.</p>'
    )
    troubleshooting.find_codes(html, "en/x.md", index)
    assert [(code, [(s.page, s.anchor) for s in sections]) for code, sections in index.sorted()] == [
        ("5.7.7xx", [("en/x.md", "top")]),
        ("5.7.705", [("en/x.md", "top")]),
        ("5.7.750", [("en/x.md", "a")]),
    ]


def test_versions_and_clause_numbers_are_not_status_codes():
    index = troubleshooting.CodeIndex()
    troubleshooting.find_codes(
        '<h1 id="p">Cloud</h1><p>Use version 4.4.0. See clause 5.2.1.</p>'
        "<p><code>450 4.7.25 Service unavailable</code></p>",
        "en/p.md",
        index,
    )
    assert [code for code, _ in index.sorted()] == ["4.7.25"]  # after its SMTP reply code


def test_home_page_lists_codes_with_localized_titles():
    index = troubleshooting.CodeIndex()
    index.add("5.7.750", troubleshooting.Section("en/x.md", "a"))
    index.add("5.7.750", troubleshooting.Section("en/gone.md", "b"))
    text = troubleshooting.home_markdown(
        index,
        strings("ko"),
        lambda s: s.page[3:] + (f"#{s.anchor}" if s.anchor else ""),
        lambda s: troubleshooting.Titles("문서 [x] | 제목", "섹션") if s.page == "en/x.md" else None,
    )
    assert text.startswith("# 문제 해결 {#troubleshooting}\n")
    assert "| `5.7.750` | [문서 \\[x\\] \\| 제목](x.md) | [섹션](x.md#a) |" in text
    assert "gone" not in text


def _flat(tokens):
    out = []
    for t in tokens:
        out.append({k: v for k, v in t.items() if k != "children"})
        out.extend(_flat(t["children"]))
    return out


def test_commonmark_list_contents_stay_in_their_item():
    text = (
        "1. First step.\n\n   ![img](a.png)\n\n   > [!TIP]\n   > A tip.\n\n       indented code\n\n"
        "2. Second step.\n\n   - nested\n\n     Nested para.\n\n3. Third.\n\nAfter.\n"
    )
    html = render(text).html
    assert re.search(
        r"<li>\s*<p>First step.</p>\s*<p><img alt=\"img\" src=\"a.png\" /></p>\s*"
        r"<div class=\"admonition tip\">.*?</div>\s*<pre><code>indented code\s*</code></pre>\s*</li>",
        html,
        re.S,
    ), html
    assert re.search(r"<li>\s*<p>Second step.</p>\s*<ul>\s*<li>\s*<p>nested</p>\s*<p>Nested para.</p>", html), html
    assert html.count("<ol>") == 1 and html.endswith("<p>After.</p>")


def test_backslash_escapes_as_commonmark_reads_them():
    html = render(r"Type \<YourTenant\> or \{0\} in C:\Temp \*now\*.").html
    assert html == r"<p>Type &lt;YourTenant&gt; or {0} in C:\Temp *now*.</p>"


def test_a_segment_file_without_its_english_article_is_reported_as_update_and_export_do(tmp_path):
    (tmp_path / "docs" / "en").mkdir(parents=True)
    (tmp_path / "docs" / "en" / "a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "locales" / "ko").mkdir(parents=True)
    (tmp_path / "locales" / "ko" / "gone.xlf").write_text("", encoding="utf-8")
    site = read_site(SiteFiles.read(Project(tmp_path)), ["ko"])
    assert [str(f) for f in site.findings] == [
        "locales/ko/gone.xlf:1: missing-source: no English article docs/en/gone.md; not published"
    ]
    assert site.segments["ko"] == {}
