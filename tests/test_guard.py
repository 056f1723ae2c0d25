"""The markup guard: a target is judged on what the page would contain (real Python-Markdown, real lxml).

Each payload is compiled into an article as the site compiles it, the result
rendered by Python-Markdown with the site's extensions, and the HTML parsed
with lxml: no ``on*`` attribute, no script URL, no element the English lacks.
"""

from __future__ import annotations

import json

import lxml.html
import pytest
from markdown import Markdown

from bitext.core.compile import CompileReport, compile_report, front_matter_value
from bitext.core.guard import DEFAULT_EXTENSIONS, guard_for, url_scheme
from bitext.core.model import Segment, SegmentFile
from bitext.core.skeleton import fingerprint
from bitext.formats import xliff
from conftest import run_bitext

# (English line with the unit's source in {}, source, hostile target): from issue 11 and the classic lists.
ATTACKS = [
    ("{}", "![x](a.png)", '![x](nonexistent.png){: x onerror="alert(1)"}'),
    ("{}", "**bold** text", '**굵게**{: x onclick="alert(1)"} 텍스트'),
    ("{}", "*italic* text", '*기울임*{:x onmouseover="alert(1)"} 텍스트'),
    ("{}", "Plain text.", '<x_y tabindex="0" autofocus onfocus="alert(2)">본문</x_y>'),
    ("{}", "Plain text.", "<x:y onmouseover=alert(2)>본문</x:y>"),
    ("{}", "A <b>bold</b> word.", '<b 1=">" onmouseover="alert(3)">굵은</b> 단어.'),
    (
        "{}",
        'See <a href="https://example.org/">this</a>.',
        '<a href="https://example.org/" 1=">" onfocus="alert(3)" autofocus>이것</a>을 보세요.',
    ),
    ("{}", "[Click][r1] here.", "[클릭][r1]\n[r1]: javascript:alert(4)"),
    ("{}", "Plain text.", "[클릭](java&#10;script:alert(5))"),
    ("{}", "Plain text.", "[클릭](<javascript:alert(5)>)"),
    ("{}", "Plain text.", "<javascript:alert(5)>"),
    ("{}", "Plain text.", '<a href="&#x6A;avascript&colon;alert(5)">x</a>'),
    ("{}", "Plain text.", '<a href=" vbscript:msgbox(1)">x</a>'),
    ("{}", "Plain text.", '<iframe src="data:text/html,<script>alert(6)</script>"></iframe>'),
    ("{}", "Plain text.", "<svg/onload=alert(6)>"),
    ("{}", "Plain text.", '<img src=x onerror="alert(6)">'),
    ("{}", "Plain text.", "<script>alert(6)</script>"),
    ("{}", "Plain text.", '<body onload="alert(6)">'),
    ("{}", "Plain text.", '<object data="javascript:alert(6)"></object>'),
    ("{}", "Plain text.", '<base href="javascript:alert(6)//">'),
    ("{}", "Plain text.", '<meta http-equiv="refresh" content="0;url=javascript:alert(6)">'),
    ("{}", "Plain text.", '<style>*{background:url("javascript:alert(6)")}</style>'),
    ("# {}", "Title", '제목 {: onclick="alert(7)"}'),
    ("| a | {} |", "Cell", '<x_y onmouseover="alert(8)">셀</x_y>'),
    ("1. {}", "Step one.", '첫 단계. {: onclick="alert(10)"}'),
]


def _segments(english: str, *units: tuple[str, str, str]) -> SegmentFile:
    """A segment file in sync with ``english``: each (id, source, target) at its place in it."""
    segments = []
    for seg_id, source, target in units:
        at = english.index(source)
        line = english.count("\n", 0, at) + 1
        segments.append(
            Segment(seg_id, source, target, "translated", line=line, column=at - english.rfind("\n", 0, at))
        )
    return SegmentFile("a.md", "ko-KR", segments=segments, skeleton_hash=fingerprint(english))


def _compiled_page(line: str, source: str, target: str) -> tuple[str, str, CompileReport]:
    english = "Intro.\n\n" + line.replace("{}", source) + "\n\n[r1]: https://example.org/\n"
    sf = _segments(english, ("u1", source, target))
    report = compile_report(english, sf, path="a.md")
    return english, report.text, report


def _rendered(text: str):
    md = Markdown(extensions=list(DEFAULT_EXTENSIONS))
    return lxml.html.document_fromstring("<html><body>" + md.convert(text) + "</body></html>")


def _capabilities(root) -> set[tuple[str, str]]:
    found = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            found.add(("comment", ""))
            continue
        found.add((el.tag, ""))
        for name, value in el.attrib.items():
            found.add((el.tag, name))
            if name in ("href", "src", "data", "action") and url_scheme(value) not in (None, "http", "https"):
                found.add(("scheme", url_scheme(value) or ""))
    return found


@pytest.mark.parametrize("line,source,target", ATTACKS, ids=[f"attack-{i}" for i in range(len(ATTACKS))])
def test_hostile_target_adds_nothing_to_the_page(line, source, target):
    english, compiled, report = _compiled_page(line, source, target)
    assert report.findings and {f.code for f in report.findings} == {"markup-injection"}
    assert all(f.unit == "u1" for f in report.findings)
    page, original = _capabilities(_rendered(compiled)), _capabilities(_rendered(english))
    assert page <= original, (compiled, page - original)


@pytest.mark.parametrize(
    "line,source,target",
    [
        ("{}", "Plain text.", "<!-- 닫히지 않은 주석"),  # Python-Markdown shows it as text
        ('!!! note "{}"', "Note title", 'x" onclick="alert(9)'),  # an admonition title is text
    ],
)
def test_markup_the_renderer_shows_as_text_is_no_finding(line, source, target):
    english, compiled, report = _compiled_page(line, source, target)
    assert report.findings == [] and target in compiled
    assert _capabilities(_rendered(compiled)) <= _capabilities(_rendered(english))


@pytest.mark.parametrize(
    "source,target",
    [
        ("Click **Save**.", "**저장**을 클릭합니다."),
        ("Click Save.", "**저장**을 클릭합니다 (`Ctrl+S`)."),
        ("See the guide.", "[가이드](guide.md)를 참조하세요."),
        ("Go to https://example.org/x now.", "지금 <https://example.org/x>로 이동합니다."),
        ("First<br/>second.", "첫째<br/>둘째."),
        ("Open the file.", '<a name="anchor"></a>파일을 엽니다.'),
        ("Security & Compliance", "보안 및 준수: 예 1, 예 2"),
    ],
)
def test_plain_translations_pass(source, target):
    _, compiled, report = _compiled_page("{}", source, target)
    assert report.findings == []
    assert target in compiled


def test_block_a_translation_starts_is_kept_in_its_line():
    # Machine translation turned "– x" into "- x" (a list item) and "＃3" into "#3" (a heading).
    for source, target in (("– **tenantId** – the ID.", "- **tenantId** - ID입니다."), ("＃3 and ＃4.", "#3와 #4.")):
        english, compiled, report = _compiled_page("{}", source, target)
        assert report.findings and all(f.message.endswith("shown as text") for f in report.findings)
        assert _capabilities(_rendered(compiled)) <= _capabilities(_rendered(english))
        assert target.lstrip("-#") in compiled


def test_renderings_are_cached_and_plain_text_is_not_rendered():
    guard = guard_for(["attr_list"])
    guard.extras("Plain.", "평범한 문장입니다: 예.")
    guard.extras("See [a](a.md).", "[가](a.md)를 보세요.")
    assert guard._render.cache_info().currsize == 0
    guard.extras("A.", "<b>가</b>")
    guard.extras("A.", "<b>가</b>")
    assert guard._render.cache_info().hits >= 1


def test_front_matter_refuses_markup_and_references_for_it():
    for target in ("제목 <script>", '제목 "인용"', "제목 &lt;/title&gt;", "제목 &#60;b&#62;"):
        value, problem = front_matter_value(Segment("title", "Title", target, "translated", key="title"))
        assert value == "Title" and problem
    assert front_matter_value(Segment("title", "A & B", "가 &amp; 나", "translated", key="title")) == (
        "가 &amp; 나",
        None,
    )


def _project(root, target: str):
    english = "# Title\n\n[Click][r1] here.\n\n[r1]: https://example.org/\n"
    (root / "docs" / "en").mkdir(parents=True)
    (root / "docs" / "en" / "a.md").write_text(english, encoding="utf-8")
    sf = _segments(english, ("u0", "Title", "제목"), ("u1", "[Click][r1] here.", target))
    (root / "locales" / "ko").mkdir(parents=True)
    (root / "locales" / "ko" / "a.xlf").write_text(xliff.dumps(sf), encoding="utf-8")
    return root


def test_check_and_links_report_what_the_build_refuses(tmp_path):
    root = _project(tmp_path, "[클릭][r1]\n[r1]: javascript:alert(4)")
    check = run_bitext("check", "--root", str(root), "--only", "markup", "--format", "json")
    assert check.returncode == 1, check.stderr
    flags = json.loads(check.stdout)
    assert [(f["unit"], f["check"]) for f in flags] == [("u1", "markup")]
    assert "javascript: URL" in flags[0]["message"] and "reference definition [r1]" in flags[0]["message"]
    links = run_bitext("links", "--root", str(root), "--format", "json")
    found = [f for f in json.loads(links.stdout) if f["code"] == "markup-injection"]
    assert {f["path"] for f in found} == {"locales/ko/a.xlf"} and any("javascript:" in f["message"] for f in found)
    assert links.returncode == 1


def test_clean_project_has_no_markup_findings(tmp_path):
    root = _project(tmp_path, "[클릭][r1]하세요.")
    check = run_bitext("check", "--root", str(root), "--only", "markup", "--format", "json")
    assert check.returncode == 0 and json.loads(check.stdout) == []
