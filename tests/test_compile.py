"""Compiling localized Markdown: replacement, fallback, stale sources, markup guard."""

from __future__ import annotations

import pytest

from bitext.core.compile import compile_article, compile_report
from bitext.core.errors import BitextError
from bitext.core.markup import injected_markup
from bitext.formats import sxs


def P(seg_id: str, ko: str, en: str) -> str:
    return sxs.pair(seg_id, ko, en)


def article(*lines: str):
    text = "\n".join(lines) + "\n"
    return sxs.parse(text, "a.md", language="ko-KR")


def test_targets_replace_sources_and_fallback_keeps_english():
    art = article(P("a-1", "안녕하세요.", "Hello."), "", P("a-2", "", "Untranslated."))
    report = compile_report(art.english, art.segment_file, path="a.md")
    assert report.text == "안녕하세요.\n\nUntranslated.\n"
    assert (report.translated, report.fallback) == (1, 1)


def test_review_state_falls_back_unless_allowed():
    art = article(P("a-1", "옛 번역", "Changed English."))
    art.segment_file.segments[0].state = "needs-review-translation"
    assert compile_article(art.english, art.segment_file) == "Changed English.\n"
    assert compile_article(art.english, art.segment_file, allow_review=True) == "옛 번역\n"


def test_front_matter_is_localized_with_metadata():
    text = (
        "---\ntitle: 제목\nauthor: me\ndescription: '설명: 있음'\nms.contentlocale: ko-KR\n---\n"
        + P("a-1", "제목", "Title")
        + "\n"
    )
    art = sxs.parse(text, "a.md")
    assert art.english == "---\ntitle: Title\nauthor: me\n---\nTitle\n"
    assert compile_article(art.english, art.segment_file) == text.replace(P("a-1", "제목", "Title"), "제목")


def test_wrap_sees_each_segment():
    art = article(P("a-1", "하나.", "One.") + " " + P("a-2", "", "Two."))
    out = compile_article(
        art.english, art.segment_file, wrap=lambda seg, text, translated: f"[{seg.id}:{int(translated)}:{text}]"
    )
    assert out == "[a-1:1:하나.] [a-2:0:Two.]\n"


def test_edited_english_still_compiles_and_says_stale():
    art = article("Intro line.", "", P("a-1", "첫째.", "First."), "", P("a-2", "둘째.", "Second."))
    edited = "New paragraph at the top.\n\n" + art.english.replace("First.", "First, rewritten.")
    report = compile_report(edited, art.segment_file, path="a.md")
    out = report.text
    assert out == "New paragraph at the top.\n\nIntro line.\n\nFirst, rewritten.\n\n둘째.\n"
    [finding] = report.findings
    assert finding.code == "stale-segments" and "1 unit(s) not found" in finding.message
    with pytest.raises(BitextError, match="run `bitext update`"):
        sxs.write(edited, art.segment_file)


def test_stale_search_prefers_the_occurrence_near_the_old_line():
    art = article("```", "Keywords", "```", "", "## " + P("a-1", "키워드", "Keywords"))
    edited = "Added.\n\n" + art.english
    assert compile_article(edited, art.segment_file).endswith("```\nKeywords\n```\n\n## 키워드\n")


@pytest.mark.parametrize(
    "target,shown",
    [
        ("<script>alert(1)</script>설명", r"\<script\>alert(1)\</script\>설명"),
        ('<img src="https://evil.example/t.gif">', r'\<img src="https://evil.example/t.gif"\>'),
        ("[여기](javascript:alert(1))", r"\[여기\](javascript:alert(1))"),
        ("![추적](https://evil.example/p.png)", r"\!\[추적\](https://evil.example/p.png)"),
        ("<!-- 숨김 -->보임", r"\<\!-- 숨김 --\>보임"),
        ("<svg/onload=alert(1)>", r"\<svg/onload=alert(1)\>"),
        ('*안녕*{: onmouseover="alert(1)"}', r'*안녕*\{: onmouseover="alert(1)"\}'),
        ("[x](javascript&#58;alert(1))", r"\[x\](javascript&#58;alert(1))"),
        ("[x](java\tscript:alert(1))", "\\[x\\](java\tscript:alert(1))"),
        ("[x](java\nscript:alert(1))", "\\[x\\](java\nscript:alert(1))"),
    ],
)
def test_injected_markup_becomes_text(target, shown):
    art = article(P("a-1", target, "Plain English."))
    report = compile_report(art.english, art.segment_file, path="a.md")
    assert report.text == shown + "\n"
    assert report.findings and all(f.code == "markup-injection" for f in report.findings)


def test_raw_html_as_python_markdown_reads_it_is_escaped_as_entities():
    # CommonMark ends the <div> block at the blank line; Python-Markdown (the site) keeps
    # everything up to </div> raw, where a backslash would not escape anything.
    art = article("<div>", "", P("a-1", "<script>x()</script>본문", "Body"), "", "</div>")
    assert "&lt;script&gt;x()&lt;/script&gt;본문" in compile_article(art.english, art.segment_file)


def test_front_matter_translation_is_plain_text():
    text = "---\ntitle: 제목\ndescription: 설명\nms.contentlocale: ko-KR\n---\n" + P("a-1", "제목", "Title") + "\n"
    art = sxs.parse(text, "a.md")
    units = art.segment_file.front_matter_segments()
    units["title"].target = "제목</title><script>alert(1)</script>"
    units["description"].target = '설명" onfocus="alert(2)'
    report = compile_report(art.english, art.segment_file, path="a.md")
    out = report.text
    assert "<script>" not in out and "onfocus" not in out
    assert out.startswith("---\ntitle: Title\n")  # the English title instead
    assert "description" not in out.split("---")[1]  # no English description to fall back on
    assert [f.code for f in report.findings] == ["markup-injection", "markup-injection"]


def test_injected_markup_in_html_block_is_escaped_as_entities():
    art = article("<table><tr><td>", P("a-1", "<b0>굵게</b0>", "Bold"), "</td></tr></table>")
    out = compile_article(art.english, art.segment_file)
    assert "&lt;b0&gt;굵게&lt;/b0&gt;" in out


@pytest.mark.parametrize(
    "source,target",
    [
        ("See [docs](https://example.com/en-us/x).", "[문서](https://example.com/ko-kr/x)를 참조하세요."),
        ("Click the **Add** icon.", "![추가](media/add.png) **추가** 아이콘을 클릭합니다."),
        ("", '<a name="Beforeyoustart"> </a>'),
        ("Use <br/> here", "여기 <br/> 사용"),
        ("Run `Get-Mailbox <identity>`.", "`Get-Mailbox <identity>`를 실행합니다."),
        (r"Type \<Name\>.", r"\<이름\>을 입력합니다."),
    ],
)
def test_legitimate_markup_is_kept(source, target):
    assert injected_markup(source, target) == []
