"""``bitext links`` on small sites made for it: one where every kind of link resolves, one with each defect.

The sites are written as Microsoft bilingual (sxs) files and imported with
``bitext import-sxs``, so the English, the XLIFF segment files and the
compiled Korean are the real ones.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bitext.formats import xliff
from bitext.formats.sxs import pair as P
from bitext.links import check as links
from bitext.links import scan as linkscan
from bitext.links.resolve import Site
from bitext.project import settings as settings_file
from bitext.project.project import Project
from bitext.project.sitefiles import SiteFiles
from bitext.site.plugin import config as plugin_config
from conftest import run_bitext

BASE_URL = "https://learn.example.org/docset/"

CLEAN = {
    "a.md": f"""\
# <a name="overview"></a>{P("a-1", "개요", "Overview")}

{P("a-2", "[B 페이지](b.md)와 [확장자 없는 B](b)를 보세요.", "See [page B](b.md) and [B without extension](b).")}

{
        P(
            "a-3",
            "[가이드 폴더](guide/), [절대 경로](/docset/b), [전체 URL](https://learn.example.org/docset/b#options), [사이트 경로](/docs/b/).",
            "The [guide folder](guide/), an [absolute path](/docset/b), a [full URL](https://learn.example.org/docset/b#options), a [site path](/docs/b/).",
        )
    }

- {P("a-4", "[옛 페이지](old.md)는 옮겨졌습니다.", "The [old page](old.md) has moved.")}
- {P("a-5", "[옮긴 페이지](moved.md)도 그렇습니다.", "So has the [moved page](moved.md).")}
- {P("a-6", "[스텁](stub.md)은 리디렉션 스텁입니다.", "The [stub](stub.md) is a redirect stub.")}
- {
        P(
            "a-7",
            "[B의 옵션](b.md#options), [사용자 앵커](b.md#custom), [속성 ID](b.md#attr-id), [두 번째 FAQ](b.md#faq_1).",
            "[Options of B](b.md#options), [a custom anchor](b.md#custom), [an attr_list id](b.md#attr-id), [the second FAQ](b.md#faq_1).",
        )
    }
- {
        P(
            "a-8",
            "[이 페이지 위](#overview), [맨 위](#top), [포함된 메모](#included-note).",
            "[Top of this page](#overview), [the very top](#top), [the included note](#included-note).",
        )
    }

{P("a-9", "![그림](media/pic.png) 그림입니다.", "![A picture](media/pic.png) This is a picture.")}

<p><img src="media/pic.png" alt="picture"> <a href="guide/setup.md#install">setup</a></p>

[!INCLUDE [note](includes/note.md)]

{
        P(
            "a-10",
            "[외부 사이트](https://example.org/page), <https://example.org/auto>, [메일](mailto:docs@example.org).",
            "An [external site](https://example.org/page), <https://example.org/auto>, [mail](mailto:docs@example.org).",
        )
    }

{P("a-11", "[정의된 링크][setup]를 보세요.", "See the [defined link][setup].")}

[setup]: guide/setup.md#install

```text
[not a link](nowhere.md) <a name="no">
```

    [indented code](nowhere-either.md)
""",
    "b.md": f"""\
# {P("b-1", "B 페이지", "Page B")}

## <a name="custom"></a>{P("b-2", "옵션", "Options")}

{P("b-3", "[돌아가기](a.md#overview).", "[Back](a.md#overview).")}

## {P("b-4", "설정", "Settings")} {{#attr-id}}

## {P("b-5", "FAQ", "FAQ")}

## {P("b-6", "FAQ", "FAQ")}
""",
    "guide/index.md": f"""\
# {P("g-1", "가이드", "Guide")}

{P("g-2", "[돌아가기](../a.md), [설정](setup.md), [사이트의 B](/docs/b/).", "[Back](../a.md), [setup](setup.md), [B on the site](/docs/b/).")}
""",
    "guide/setup.md": f"""\
# {P("s-1", "설정", "Setup")}

## <a name="install"></a>{P("s-2", "설치", "Install")}

{P("s-3", "![그림](../media/pic.png) 설치합니다.", "![A picture](../media/pic.png) Install it.")}
""",
    "includes/note.md": f"""\
## {P("n-1", "포함된 메모", "Included note")}

{P("n-2", "[B](../b.md#custom)를 보세요.", "See [B](../b.md#custom).")}
""",
}

TOC = """\
# [Home](a.md)
# Guide
## [Setup](guide/setup.md#install)
## [Old page](old.md)
"""

MKDOCS_YML = f"""\
site_name: Fixture
site_url: https://site.example.org/docs/
docs_dir: docs/en
nav:
  - Home: a.md
  - Guide:
      - guide/index.md
      - Setup: guide/setup.md
plugins:
  - search
  - redirects:
      redirect_maps:
        moved.md: guide/setup.md
  - bitext:
      links:
        base_urls:
          - {BASE_URL}
markdown_extensions:
  - toc:
      permalink: !!python/name:builtins.str
"""

REDIRECTIONS = {
    "redirections": [
        {"source_path": "docset/old.md", "redirect_url": BASE_URL + "b", "redirect_document_id": True},
    ]
}

BROKEN = {
    "broken.md": f"""\
# {P("x-1", "고장", "Broken")}

{P("x-2", "[없는 페이지](missing.md)", "[A missing page](missing.md)")}

{P("x-3", "![그림](Media/pic.png) 그림", "![A picture](Media/pic.png) A picture")}

{P("x-4", "[B](b.md#nowhere), [B](b.md#Options)", "[B](b.md#nowhere), [B](b.md#Options)")}

{P("x-5", "[설정](guide/setpu.md)을 보세요.", "See [setup](guide/setup.md).")}

{P("x-6", "링크가 없습니다.", "See [page B](b.md).")}

{P("x-7", "[추가](a.md)된 링크.", "An added link.")}

{P("x-8", "[나쁜 URL](https://https://example.org/)", "[A bad URL](https://https://example.org/)")}

{P("x-9", "![없는 그림](media/none.png)", "![A missing picture](media/none.png)")}

[!INCLUDE [none](includes/none.md)]

{P("x-10", "[루프](loop-a.md), [번역 안 된 페이지](plain.md)", "[A loop](loop-a.md), [an untranslated page](plain.md)")}

See [the kept anchor](c.md#kept).
""",
    "c.md": f"""\
# {P("c-1", "C", "C")}

{P("c-2", "앵커가 사라졌습니다.", '<a name="kept"></a>The anchor is kept.')}
""",
}


def write_sxs(folder: Path, pages: dict[str, str]) -> None:
    for rel, text in pages.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "media").mkdir(exist_ok=True)
    (folder / "media" / "pic.png").write_bytes(b"\x89PNG fixture")


def make_site(tmp: Path, *, broken: bool = False) -> Path:
    """A project with every link kind: imported from sxs, plus TOC, docfx.json, redirects, mkdocs.yml."""
    src = tmp / "sxs"
    root = tmp / "site"
    write_sxs(src, CLEAN | (BROKEN if broken else {}))
    result = run_bitext("import-sxs", str(src), "--root", str(root), "--lang", "ko-KR")
    assert result.returncode == 0, result.stderr
    docs = root / "docs" / "en"
    (docs / "stub.md").write_text("---\nredirect_url: guide/setup\n---\n", encoding="utf-8")
    (docs / "docfx.json").write_text(
        json.dumps({"build": {"globalMetadata": {"breadcrumb_path": "/docset/breadcrumb/toc.json"}}}), encoding="utf-8"
    )
    toc = TOC + ("## [Missing](missing-toc.md)\n" if broken else "")
    (docs / "TOC.md").write_text(toc, encoding="utf-8")
    redirections = json.loads(json.dumps(REDIRECTIONS))
    config = MKDOCS_YML
    if broken:
        (docs / "plain.md").write_text("# Plain\n\nNot translated.\n", encoding="utf-8")
        redirections["redirections"].append(
            {"source_path": "docset/gone.md", "redirect_url": BASE_URL + "nothing-here"}
        )
        config = config.replace(
            "        moved.md: guide/setup.md\n",
            "        moved.md: guide/setup.md\n        loop-a.md: loop-b.md\n        loop-b.md: loop-a.md\n",
        )
        config = config.replace(
            "      - Setup: guide/setup.md\n", "      - Setup: guide/setup.md\n      - Missing: nav-missing.md\n"
        )
    (root / ".openpublishing.redirection.json").write_text(json.dumps(redirections, indent=2), encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built_sites(tmp_path_factory) -> dict[str, Path]:
    """Each site imported once per module; tests get their own copy."""
    return {
        "clean": make_site(tmp_path_factory.mktemp("clean")),
        "broken": make_site(tmp_path_factory.mktemp("broken"), broken=True),
    }


@pytest.fixture
def clean_site(built_sites, tmp_path) -> Path:
    return Path(shutil.copytree(built_sites["clean"], tmp_path / "site"))


@pytest.fixture
def broken_site(built_sites, tmp_path) -> Path:
    return Path(shutil.copytree(built_sites["broken"], tmp_path / "site"))


def load_settings(root: Path) -> links.LinkSettings:
    """The settings ``bitext links`` reads: mkdocs.yml's options validated by the plugin's Config classes."""
    config = settings_file.read(root)
    return links.load_settings(plugin_config.load(config), config)


def check(root: Path) -> links.LinkReport:
    return links.run(Project(root), None, load_settings(root))


# --- the clean site --------------------------------------------------------------------------------


def test_clean_site_has_no_finding_in_either_language(clean_site):
    report = check(clean_site)
    assert [str(f) for f in report.findings] == []
    assert report.languages == ["en", "ko"]
    assert report.pages == {"en": 5, "ko": 5}
    # Every link kind was really looked at, in both languages.
    assert report.references == 2 * 30
    assert report.anchors_checked == 2 * 11
    assert report.segments_compared == 13
    assert report.external_urls == 2


def test_segment_files_read_by_the_caller_are_the_ones_checked(clean_site):
    """A site build passes the segment files it renders; the check must judge those, not re-read the disk."""
    project = Project(clean_site)
    sf = project.read_segments("a.md", "ko")
    seg = next(s for s in sf.body_segments() if "b.md" in s.source)
    seg.target = seg.target.replace("b.md", "bb.md")
    report = links.run(project, None, load_settings(clean_site), {"ko": {"a.md": sf}})
    assert any(f.code == "link-parity" and f.lang == "ko" and "'bb.md'" in f.message for f in report.findings)
    assert not [f for f in check(clean_site).findings]


def test_a_check_told_to_stop_stops_between_pages(clean_site):
    """mkdocs serve stops the check a newer save supersedes; asked every page, the check ends at the first one."""
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(links.Cancelled):
        links.run(Project(clean_site), None, load_settings(clean_site), stop=stop)
    assert len(asked) == 3
    assert not links.run(Project(clean_site), None, load_settings(clean_site), stop=lambda: False).findings


def test_clean_site_cli_exits_0_with_summary(clean_site):
    result = run_bitext("links", "--root", str(clean_site))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("checked pages: en 5, ko 5;")
    assert "2 external URLs (syntax only; --external fetches them)" in lines[0]
    assert lines[1] == "errors 0, warnings 0, info 0 in 0 pages"


# --- every defect, where it is --------------------------------------------------------------------


EXPECTED = {
    # (path, lang, code, target)
    ("docs/en/broken.md", "en", "missing-page", "missing.md"),
    ("docs/en/broken.md", "en", "case-mismatch", "Media/pic.png"),
    ("docs/en/broken.md", "en", "missing-anchor", "b.md#nowhere"),
    ("docs/en/broken.md", "en", "missing-anchor", "b.md#Options"),
    ("docs/en/broken.md", "en", "bad-url", "https://https://example.org/"),
    ("docs/en/broken.md", "en", "missing-image", "media/none.png"),
    ("docs/en/broken.md", "en", "missing-include", "includes/none.md"),
    ("docs/en/broken.md", "en", "redirect-loop", "loop-a.md"),
    ("docs/en/broken.md", "ko", "missing-anchor", "c.md#kept"),
    ("locales/ko/broken.xlf", "ko", "untranslated-page", "plain.md"),
    ("locales/ko/broken.xlf", "ko", "link-parity", "guide/setpu.md"),
    ("locales/ko/broken.xlf", "ko", "missing-page", "guide/setpu.md"),
    ("locales/ko/broken.xlf", "ko", "link-parity", "b.md"),
    ("locales/ko/broken.xlf", "ko", "link-parity", "a.md"),
    ("locales/ko/c.xlf", "ko", "anchor-parity", "#kept"),
    ("docs/en/TOC.md", "en", "missing-page", "missing-toc.md"),
    ("mkdocs.yml", "en", "missing-page", "nav-missing.md"),
    ("mkdocs.yml", "en", "redirect-loop", "loop-b.md"),
    ("mkdocs.yml", "en", "redirect-loop", "loop-a.md"),
    (".openpublishing.redirection.json", "en", "broken-redirect", BASE_URL + "nothing-here"),
}


def test_broken_site_reports_each_defect_once(broken_site):
    report = check(broken_site)
    got = [(f.path, f.lang, f.code, f.target) for f in report.findings]
    assert sorted(got) == sorted(EXPECTED), "\n".join(map(str, report.findings))


def test_findings_point_at_the_link_in_the_file(broken_site):
    """``path:line:col`` of a finding in a Markdown or XLIFF file is where its link starts."""
    for f in check(broken_site).findings:
        lines = (broken_site / f.path).read_text(encoding="utf-8").splitlines()
        at = lines[f.line - 1][f.column - 1 :]
        if f.path == ".openpublishing.redirection.json":
            assert at == '"source_path": "docset/gone.md",', str(f)  # the entry that redirects
            continue
        if f.path == "mkdocs.yml" and f.code == "redirect-loop":
            assert at.endswith(f": {f.target}") and at.startswith("loop-"), str(f)
            continue
        if f.code in ("link-parity", "anchor-parity"):
            # the link in the translation, or the start of the <target> text when a link was dropped
            assert f.unit is not None, str(f)
            assert at.startswith(("[", "!")) or lines[f.line - 1][: f.column - 1].endswith(">"), str(f)
        else:
            assert at.startswith(f.target), f"{f}: {at[:40]!r}"


def test_messages_say_what_is_wrong(broken_site):
    text = "\n".join(str(f) for f in check(broken_site).findings)
    assert (
        "docs/en/broken.md:5:14: case-mismatch: image 'Media/pic.png': not found; exists as media/pic.png "
        "(works on Windows and macOS, breaks on Linux servers)"
    ) in text
    assert (
        "missing-anchor: link 'b.md#Options': b.md has no anchor #Options; did you mean #options? "
        "(anchors are case-sensitive)"
    ) in text
    assert "link-parity: unit x-5: link target 'guide/setup.md' changed to 'guide/setpu.md'" in text
    assert "link-parity: unit x-6: link target 'b.md' dropped from the translation" in text
    assert "link-parity: unit x-7: link target 'a.md' is not in the source" in text
    assert "anchor-parity: unit c-2: anchor 'kept' dropped from the translation; links to #kept break in ko" in text
    assert "missing-anchor: (ko) link 'c.md#kept': c.md has no anchor #kept in ko; the English page has it" in text
    assert "redirect-loop: link 'loop-a.md': redirect loop: loop-a.md -> loop-b.md -> loop-a.md" in text
    assert "bad-url: link 'https://https://example.org/': invalid URL: the scheme is written twice" in text
    assert "untranslated-page: unit x-10: link 'plain.md': plain.md is not translated into ko" in text


def test_severities_exit_status_and_strict(broken_site):
    report = check(broken_site)
    severity = {(f.code, f.target): f.severity for f in report.findings}
    assert severity[("link-parity", "a.md")] == "warning"  # added by the translator
    assert severity[("link-parity", "b.md")] == "error"  # dropped
    assert severity[("anchor-parity", "#kept")] == "warning"
    assert severity[("untranslated-page", "plain.md")] == "info"
    assert run_bitext("links", "--root", str(broken_site)).returncode == 1


def test_strict_fails_on_warnings_only_site(clean_site):
    # A translator's extra link is a warning: exit 0, but 1 with --strict.
    xlf = clean_site / "locales" / "ko" / "b.xlf"
    text = xlf.read_text(encoding="utf-8")
    xlf.write_text(text.replace(">설정</target>", ">[설정](a.md)</target>"), encoding="utf-8")
    assert run_bitext("links", "--root", str(clean_site)).returncode == 0
    result = run_bitext("links", "--root", str(clean_site), "--strict")
    assert result.returncode == 1
    assert "warnings 1" in result.stdout


def test_configured_severity_and_off(broken_site):
    config = broken_site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "        base_urls:\n",
            "        severity:\n          untranslated-page: off\n          case-mismatch: warning\n"
            "        base_urls:\n",
        ),
        encoding="utf-8",
    )
    findings = check(broken_site).findings
    assert not [f for f in findings if f.code == "untranslated-page"]
    assert {f.severity for f in findings if f.code == "case-mismatch"} == {"warning"}


def test_json_output_fields(broken_site):
    result = run_bitext("links", "--root", str(broken_site), "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert len(data) == len(EXPECTED)
    for item in data:
        assert {"path", "line", "col", "lang", "code", "target", "severity", "message"} <= item.keys()
        assert not Path(item["path"]).is_absolute()
    parity = next(i for i in data if i["code"] == "link-parity" and i["target"] == "guide/setpu.md")
    assert parity["path"] == "locales/ko/broken.xlf" and parity["unit"] == "x-5" and parity["lang"] == "ko"


def test_text_output_grouped_per_page(broken_site):
    out = run_bitext("links", "--root", str(broken_site)).stdout
    groups = out.strip().split("\n\n")
    pages = [{line.split(":", 1)[0] for line in g.splitlines()} for g in groups[:-1]]
    # broken.md's English and Korean findings sit together; TOC, mkdocs.yml, redirect map on their own.
    assert {"docs/en/broken.md", "locales/ko/broken.xlf"} in pages
    assert {"locales/ko/c.xlf"} in pages and {"docs/en/TOC.md"} in pages
    summary = groups[-1].splitlines()
    assert summary[1].startswith("errors 17, warnings 2, info 1 in 5 pages (")


def test_lang_selects_languages(broken_site):
    english = links.run(Project(broken_site), ["en"], load_settings(broken_site))
    assert {f.lang for f in english.findings} == {"en"}
    korean_only = links.run(Project(broken_site), ["ko"], load_settings(broken_site))
    assert {f.lang for f in korean_only.findings} == {"ko"}
    # Without English findings to defer to, Korean reports all that is broken in Korean.
    found = {(f.path, f.code, f.target) for f in korean_only.findings}
    assert ("locales/ko/broken.xlf", "missing-page", "missing.md") in found
    assert ("docs/en/broken.md", "missing-include", "includes/none.md") in found


# --- bad input -------------------------------------------------------------------------------------


def test_bad_option_names_the_config_line(clean_site):
    config = clean_site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("        base_urls:", "        bse_urls:"), encoding="utf-8"
    )
    result = run_bitext("links", "--root", str(clean_site))
    assert result.returncode == 1  # an input error, named by file and line
    assert result.stderr.strip() == "mkdocs.yml:16: config: unknown links option 'bse_urls'"


def test_bad_yaml_names_the_line(clean_site):
    (clean_site / "mkdocs.yml").write_text("site_name: x\nnav: [a.md\n", encoding="utf-8")
    result = run_bitext("links", "--root", str(clean_site))
    assert result.returncode == 1 and result.stderr.startswith("mkdocs.yml:3: config: not valid YAML")


def test_unknown_language_is_a_usage_error(clean_site):
    result = run_bitext("links", "--root", str(clean_site), "--lang", "fr")
    assert result.returncode == 2 and "no segment files for fr" in result.stderr
    assert run_bitext("links", "--root", str(clean_site), "--lang", "ko-KR").returncode == 0


def test_unreadable_files_are_findings_not_crashes(clean_site):
    (clean_site / "docs/en/b.md").write_bytes(b"# B\n\xff\n")
    (clean_site / "locales/ko/a.xlf").write_text("<xliff", encoding="utf-8")
    (clean_site / ".openpublishing.redirection.json").write_text(
        '{"redirections": [\n  {"source_path": 1}\n]}', encoding="utf-8"
    )
    report = check(clean_site)
    found = {(f.path, f.line, f.code) for f in report.findings}
    assert ("docs/en/b.md", 2, "encoding") in found
    assert ("locales/ko/a.xlf", 1, "xml") in found
    assert (".openpublishing.redirection.json", 1, "redirection") in found
    # Links that only worked through the broken files are reported, the rest still checked.
    assert {f.code for f in report.findings} >= {"missing-page", "missing-anchor"}
    assert run_bitext("links", "--root", str(clean_site)).returncode == 1


# --- the scanner and heading ids -------------------------------------------------------------------


def test_scan_finds_references_with_offsets_and_skips_code():
    text = (
        '# Title <a name="t"></a>\n\n[a](x.md "t") ![i](m.png) <https://e.org/>\n\n'
        "[!INCLUDE [n](inc.md)]\n\n> [!VIDEO https://v.example/1]\n\n[d]: <y.md#z>\n\n"
        '<div id="blk"><a href="h.md">h</a></div>\n\n```\n[c](code.md)\n```\n\n`[s](span.md)` \\[e](esc.md)\n'
        "Text {: #attr }\n"
    )
    scan = linkscan.scan(text)
    got = [(r.kind, r.target, text[r.offset : r.offset + len(r.target)]) for r in scan.references]
    assert [(k, t) for k, t, _ in got] == [
        ("link", "x.md"),
        ("image", "m.png"),
        ("autolink", "https://e.org/"),
        ("include", "inc.md"),
        ("video", "https://v.example/1"),
        ("definition", "y.md#z"),
        ("href", "h.md"),
    ]
    assert all(t == at for _, t, at in got)
    assert [a.name for a in scan.anchors] == ["t", "blk", "attr"]
    assert [(h.level, h.text) for h in scan.headings] == [(1, 'Title <a name="t"></a>')]


def test_reference_url_decodes_escapes_and_entities():
    assert linkscan.Reference("link", r"a\(b\)&amp;c.md", 0).url == "a(b)&c.md"
    assert linkscan.Reference("href", "a&amp;b", 0).url == "a&b"


def test_heading_ids_are_python_markdowns():
    page = (
        "# Intro\n\n## <a name='x'></a>Set up *the* `tool`\n\n## FAQ\n\n## FAQ\n\n### FAQ_1\n\n"
        "## Custom {#mine}\n\n## Café & Co.\n\nSetext\n------\n"
    )
    md = markdown.Markdown(extensions=["toc", "attr_list"])
    md.convert(page)

    def flatten(tokens):
        return [i for t in tokens for i in [t["id"], *flatten(t["children"])]]

    expected = flatten(md.toc_tokens)
    assert linkscan.heading_ids(linkscan.scan(page).headings) == expected
    assert expected == ["intro", "set-up-the-tool", "faq", "faq_1", "faq_2", "mine", "cafe-co", "setext"]


def test_plain_heading_ids_are_python_markdowns():
    """Headings of plain text (after empty named anchors) get their ids without rendering: the same ids."""
    pages = [
        "# Intro\n\n## FAQ\n\n## FAQ\n\n## FAQ 1\n\n## faq-1\n\n## (What's new?)\n\n## ...\n\n## 1. Step one: sign in\n",
        '# <a name="intro"></a>Intro\n\n## <a name="see-also"></a>See Also\n\n## Step 2 - set "Enabled" = 100%\n',
        "# Office 365 dev/test environment\n\n## A -- B\n\n## Q+A; C, D\n\n### Phase 1: Create\n\n### Phase 1: Create\n",
    ]

    def flatten(tokens):
        return [i for t in tokens for i in [t["id"], *flatten(t["children"])]]

    for page in pages:
        md = markdown.Markdown(extensions=["toc", "attr_list"])
        md.convert(page)
        assert linkscan.heading_ids(linkscan.scan(page).headings) == flatten(md.toc_tokens), page


# --- the MkDocs build ------------------------------------------------------------------------------


def site_config(broken: bool) -> str:
    """A real bitext site configuration (static-i18n, redirects, the bitext plugin) for a fixture project."""
    loops = "        loop-a.md: loop-b.md\n        loop-b.md: loop-a.md\n" if broken else ""
    return f"""\
site_name: Fixture
site_url: https://site.example.org/docs/
docs_dir: docs
theme:
  name: material
  font: false
plugins:
  - search
  - i18n:
      docs_structure: folder
      fallback_to_default: true
      languages:
        - locale: en
          name: English
          default: true
        - locale: ko
          name: 한국어
  - redirects:
      redirect_maps:
        moved.md: guide/setup.md
{loops}  - bitext:
      links:
        base_urls:
          - {BASE_URL}
validation:
  links:
    not_found: info
    anchors: info
    absolute_links: info
    unrecognized_links: info
markdown_extensions:
  - toc:
      permalink: true
"""


def mkdocs_build(root: Path, broken: bool, *args: str) -> subprocess.CompletedProcess:
    (root / "mkdocs.yml").write_text(site_config(broken), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )


@pytest.mark.slow
def test_mkdocs_build_reports_the_same_findings_and_strict_fails(broken_site):
    result = mkdocs_build(broken_site, True, "--strict")
    assert result.returncode == 1, result.stderr
    logged = {
        line.removeprefix("WARNING -  bitext: ")
        for line in result.stderr.splitlines()
        if line.startswith("WARNING -  bitext: ")
    }
    # The plugin runs the library's check: exactly what `bitext links` finds with the same mkdocs.yml.
    expected = {str(f) for f in check(broken_site).findings if f.severity in ("error", "warning")}
    assert "docs/en/broken.md:3:18: missing-page: link 'missing.md': no page missing.md" in expected
    assert any(": link-parity: " in f and f.startswith("locales/ko/") for f in expected)
    assert logged == expected


@pytest.mark.slow
def test_mkdocs_build_strict_passes_on_clean_site(clean_site):
    result = mkdocs_build(clean_site, False, "--strict")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr and "Documentation built" in result.stderr
    # redirect_maps name docs/en pages; each redirect exists in both languages
    for lang, prefix in (("en", ""), ("ko", "ko/")):
        page = (clean_site / "site" / prefix / "moved" / "index.html").read_text(encoding="utf-8")
        href = re.search(r'<a href="([^"]+)">', page).group(1)
        assert urljoin(f"https://x/{prefix}moved/", href) == f"https://x/{prefix}guide/setup/", lang


def test_no_copy_of_the_site_is_written(clean_site):
    before = sorted(p.relative_to(clean_site) for p in clean_site.rglob("*"))
    check(clean_site)
    assert sorted(p.relative_to(clean_site) for p in clean_site.rglob("*")) == before
    shutil.rmtree(clean_site / "locales")  # English alone still checks
    assert [str(f) for f in check(clean_site).findings] == []


@settings(max_examples=300, deadline=None)
@example(["#", " ", "\\"])  # a heading Python-Markdown does not read as one
@example(["#", " ", "a", "\\", "\n\n", "#", "#", " ", "a"])
@given(
    st.lists(
        st.sampled_from(
            [
                "[",
                "]",
                "(",
                ")",
                "!",
                "<",
                ">",
                "`",
                "#",
                "\\",
                " ",
                "\n",
                "\n\n",
                "    ",
                "a",
                "x.md",
                "#h",
                '<a name="n">',
                '<a href="h.md">',
                "[!INCLUDE",
                "{#i}",
                "```",
                "> ",
                "- ",
                "[d]: ",
                "https://e.org",
            ]
        ),
        max_size=40,
    )
)
def test_scan_never_fails_and_offsets_point_at_targets(parts):
    text = "".join(parts)
    result = linkscan.scan(text)
    for ref in result.references:
        if ref.target:
            assert text[ref.offset : ref.offset + len(ref.target)] == ref.target
    for anchor in result.anchors:
        assert text[anchor.offset : anchor.offset + len(anchor.name)] == anchor.name
    linkscan.heading_ids(result.headings)
    linkscan.heading_ids(result.headings)  # ids for every heading, even odd ones


def test_the_generated_home_page_is_a_page(clean_site):
    (clean_site / "mkdocs.yml").write_text(site_config(False), encoding="utf-8")
    assert not (clean_site / "docs/en/index.md").exists()
    (clean_site / "docs/en/TOC.md").write_text("# [Home](index.md)\n# [A](a.md)\n", encoding="utf-8")
    # The bitext plugin makes index.md (its home_page option): a link to it resolves.
    assert not [f for f in check(clean_site).findings if "index.md" in f.message]
    config = site_config(False).replace("  - bitext:\n", "  - bitext:\n      home_page: ''\n")
    (clean_site / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert [f.code for f in check(clean_site).findings if "index.md" in f.message] == ["missing-page"]


def test_redirect_maps_win_over_stubs_as_on_the_site(clean_site):
    # docs/en/stub.md is a redirect stub to guide/setup; mkdocs.yml maps the same page elsewhere:
    # the site publishes mkdocs.yml's redirect, so that is the one links follow.
    config = site_config(False).replace(
        "        moved.md: guide/setup.md\n", "        moved.md: guide/setup.md\n        stub.md: nowhere.md\n"
    )
    (clean_site / "mkdocs.yml").write_text(config, encoding="utf-8")
    findings = [f for f in check(clean_site).findings if "nowhere" in f.message]
    assert findings and all(f.code in ("broken-redirect", "missing-page") for f in findings)


def test_targets_awaiting_review_are_checked_when_the_site_shows_them(clean_site):
    xlf = clean_site / "locales/ko/a.xlf"
    sf = xliff.load(xlf)
    unit = next(s for s in sf.segments if "](" in s.source and s.target)
    unit.target = "링크 없음"  # the translation dropped the link
    unit.state = "needs-review-translation"
    xlf.write_text(xliff.dumps(sf), encoding="utf-8")
    (clean_site / "mkdocs.yml").write_text(site_config(False), encoding="utf-8")
    assert not [f for f in check(clean_site).findings if f.code == "link-parity"]
    (clean_site / "mkdocs.yml").write_text(
        site_config(False).replace("  - bitext:\n", "  - bitext:\n      allow_review: true\n"), encoding="utf-8"
    )
    parity = [f for f in check(clean_site).findings if f.code == "link-parity"]
    assert parity and all(f.unit == unit.id and f": unit {unit.id}: link target" in str(f) for f in parity)


@pytest.mark.slow
def test_docfx_json_at_the_root_gives_the_build_and_links_the_same_docset(clean_site):
    # A docfx repository keeps docfx.json at its root, not beside the articles: the build and
    # `bitext links` look it up in the same places, so both map the docset's addresses to pages.
    (clean_site / "docs/en/docfx.json").unlink()
    breadcrumb = {"build": {"globalMetadata": {"breadcrumb_path": "/rootset/breadcrumb/toc.json"}}}
    (clean_site / "docfx.json").write_text(json.dumps(breadcrumb), encoding="utf-8")
    (clean_site / "docs/en/retired.md").write_text("---\nredirect_url: /rootset/guide/setup\n---\n", encoding="utf-8")
    result = mkdocs_build(clean_site, False, "--strict")
    assert result.returncode == 0, result.stderr
    for lang, prefix in (("en", ""), ("ko", "ko/")):
        page = (clean_site / "site" / prefix / "retired" / "index.html").read_text(encoding="utf-8")
        href = re.search(r'<a href="([^"]+)">', page).group(1)
        assert urljoin(f"https://x/{prefix}retired/", href) == f"https://x/{prefix}guide/setup/", lang
    assert [str(f) for f in check(clean_site).findings] == []
    files = SiteFiles.read(Project(clean_site), links.site_options(load_settings(clean_site)))
    assert files.docfx_json == clean_site / "docfx.json"
    assert Site(files).resolve("a.md", "/rootset/guide/setup").path == "guide/setup.md"
