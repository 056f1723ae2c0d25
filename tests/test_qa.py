"""bitext check: each check on hand-made pairs, severities, suppression, output formats, bad input."""

from __future__ import annotations

import json
import re

import pytest

from bitext.core.model import Note, Segment, SegmentFile
from bitext.formats import xliff
from bitext.translate.qa.checks import CHECKS
from conftest import run_bitext

GLOSSARY = "# test glossary\ntenant\t테넌트\nmailbox\t사서함\teveryday term\neDiscovery\teDiscovery\n"


def make_project(root, files: dict[str, list[Segment]], glossary: str | None = GLOSSARY, lang: str = "ko"):
    """A project whose segment files hold ``files`` ({article: units}), written by the real XLIFF writer."""
    for rel, segments in files.items():
        path = root / "locales" / lang / rel.replace(".md", ".xlf")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(xliff.dumps(SegmentFile(rel, "ko-KR", segments=segments)), encoding="utf-8")
    if glossary is not None:
        (root / "locales" / lang / "glossary.tsv").write_text(glossary, encoding="utf-8")
    return root


def unit(seg_id: str, source: str, target: str | None, state: str | None = "translated", **kw) -> Segment:
    return Segment(seg_id, source, target, state, **kw)


# (check, source, damaged target, clean target): the damaged target must raise the check,
# the clean one must raise nothing at all.
CASES = [
    ("markup", "Click **Save**.", "<script>alert(1)</script> **저장**을 클릭합니다.", "**저장**을 클릭합니다."),
    ("tags", "First line<br/>second line", "첫 줄 둘째 줄", "첫 줄<br/>둘째 줄"),
    ("links", "See [the guide](guide.md).", "[가이드](other.md)를 참조하세요.", "[가이드](guide.md)를 참조하세요."),
    (
        "links",
        "Click **Edit** ![Edit icon](media/edit.gif).",
        "편집 아이콘](media/edit.gif) **편집** ![을 클릭합니다.",
        "**편집** ![편집 아이콘](media/edit.gif)을 클릭합니다.",
    ),
    (
        "link-locale",
        "See [docs](https://docs.microsoft.com/en-us/a).",
        "[문서](https://docs.microsoft.com/ko-kr/a)를 참조하세요.",
        "[문서](https://docs.microsoft.com/en-us/a)를 참조하세요.",
    ),
    ("code", "Run `Get-Mailbox` now.", "지금 `Get-사서함`을 실행합니다.", "지금 `Get-Mailbox`를 실행합니다."),
    (
        "empty-emphasis",
        "Click **Search** to start.",
        "검색 \\*\\*\\*\\* 을 클릭하여 시작합니다.",
        "**검색**을 클릭하여 시작합니다.",
    ),
    (
        "emphasis",
        "Click **Save** and **Close**.",
        "**저장** 및 \\*\\*닫기\\*\\*를 클릭합니다.",
        "**저장** 및 **닫기**를 클릭합니다.",
    ),
    (
        "numbers",
        "Error 5.7.705 means more than 50,000 messages.",
        "오류 5.7.7 05는 5만 개가 넘는 메시지를 뜻합니다.",
        "오류 5.7.705는 5만 개가 넘는 메시지를 뜻합니다.",
    ),
    ("filenames", "Open the Results.csv file.", "결과 .csv 파일을 엽니다.", "Results.csv 파일을 엽니다."),
    (
        "placeholders",
        "Replace \\<YourTenantName\\> with the name.",
        "\\<테넌트이름\\>을 이름으로 바꿉니다.",
        "\\<YourTenantName\\>을 이름으로 바꿉니다.",
    ),
    (
        "placeholders",
        "Click **\\<site name> Owners**.",
        "**사이트 이름> 소유자**를 클릭합니다.",
        "**\\<사이트 이름> 소유자**를 클릭합니다.",
    ),
    ("untranslated", "Select the check box.", "", "확인란을 선택합니다."),
    (
        "unchanged",
        "Select the check box to continue.",
        "Select the check box to continue.",
        "계속하려면 확인란을 선택합니다.",
    ),
    ("whitespace", "Click OK.", " 확인을 클릭합니다.", "확인을 클릭합니다."),
    ("doublespacing", "Click OK.", "확인을  클릭합니다.", "확인을 클릭합니다."),
    ("ko-spacing", "The tenant is blocked.", "테 넌 트가 차단되었습니다.", "테넌트가 차단되었습니다."),
    ("glossary", "The mailbox is full.", "메일함이 가득 찼습니다.", "사서함이 가득 찼습니다."),
    ("glossary", "Use eDiscovery tools.", "ediscovery 도구를 사용합니다.", "eDiscovery 도구를 사용합니다."),
    ("misaligned", "Metric", "192.168.1.0", "메트릭"),
]


def _flags(root, *args):
    result = run_bitext("check", "--root", str(root), "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout), result


def test_every_check_has_a_case():
    assert {c[0] for c in CASES} == set(CHECKS)
    assert all(c.purpose and "\n" not in c.purpose for c in CHECKS.values())


@pytest.mark.parametrize("check,source,bad,good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_check_catches_damage_and_passes_clean_translation(tmp_path, check, source, bad, good):
    root = make_project(tmp_path, {"a.md": [unit("u1", source, bad), unit("u2", source, good)]})
    flags, result = _flags(root)
    by_unit = {u: {f["check"] for f in flags if f["unit"] == u} for u in ("u1", "u2")}
    assert check in by_unit["u1"], (by_unit, flags)
    assert by_unit["u2"] == set(), flags
    assert result.returncode == (1 if any(f["severity"] == "error" for f in flags) else 0)


def test_korean_number_formats_are_the_same_numbers(tmp_path):
    pairs = [
        ("You can export more than 50,000 items.", "5만 개가 넘는 항목을 내보낼 수 있습니다."),
        ("Up to 67 million characters.", "최대 6700만 자입니다."),
        ("Files larger than 10 GB are split.", "10GB보다 큰 파일은 분할됩니다."),
        ("The top 1,000 locations are shown.", "상위 1000개 위치가 표시됩니다."),
        ("Use a 3rd party tool.", "타사 도구를 사용합니다."),
        ("Go to the Office 365 Security & Compliance Center.", "보안 및 준수 센터로 이동합니다."),
        ("Office 365 keeps the data.", "Office 365에서 데이터를 보관합니다."),
        ("Office 365 encrypts it.", "Office 365에서 암호화합니다."),
        ("Step 7: Create the file", "4단계: 파일 만들기"),
        ("Use AzCopy v8.1.", "AzCopy v 8.1을 사용합니다."),
    ]
    root = make_project(tmp_path, {"a.md": [unit(f"u{i}", s, t) for i, (s, t) in enumerate(pairs)]})
    flags, _ = _flags(root, "--only", "numbers")
    assert {(f["unit"], f["message"]) for f in flags} == {("u8", "target lacks 7"), ("u9", "target lacks v8.1")}


def test_text_output_names_the_segment_file_and_trans_unit_line(tmp_path):
    root = make_project(
        tmp_path,
        {
            "sub/a.md": [
                unit("u1", "Click **Search**.", "검색 \\*\\*\\*\\* 을 클릭합니다."),
                unit("u2", "Go to [docs](docs.md).", "[문서](other.md)로 이동합니다."),
            ]
        },
    )
    result = run_bitext("check", "--root", str(root))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    findings = [line for line in lines if line.startswith("locales/")]
    assert len(findings) == 2
    xlf = (root / "locales/ko/sub/a.xlf").read_text(encoding="utf-8").splitlines()
    for line, (check, unit_id) in zip(findings, [("empty-emphasis", "u1"), ("links", "u2")], strict=False):
        m = re.match(r"^(locales/ko/sub/a\.xlf):(\d+): ([a-z-]+): unit (\S+): .+", line)
        assert m and m.group(3) == check and m.group(4) == unit_id, line
        assert f'<trans-unit id="{unit_id}"' in xlf[int(m.group(2)) - 1]
    assert lines[-1].startswith("checked 2 units in 1 file: 2 units flagged (100.0%), 2 errors")


def test_json_fields(tmp_path):
    root = make_project(tmp_path, {"a.md": [unit("u1", "Metric", "192.168.1.0"), unit("u2", "Value", "값")]})
    flags, result = _flags(root)
    assert result.returncode == 1
    assert flags == [
        {
            "path": "locales/ko/a.xlf",
            "line": flags[0]["line"],
            "unit": "u1",
            "check": "misaligned",
            "severity": "error",
            "message": flags[0]["message"],
            "lang": "ko",
        }
    ]
    assert "192.168.1.0" in flags[0]["message"]
    assert result.stderr.startswith("checked 2 units in 1 file: 1 unit flagged (50.0%), 1 error")


def test_severities_from_mkdocs_yml_and_command_line(tmp_path):
    root = make_project(
        tmp_path,
        {
            "a.md": [
                unit("u1", "Click **Search**.", "검색 \\*\\*\\*\\* 을 클릭합니다."),
                unit("u2", "The mailbox is full.", "메일함이 가득 찼습니다."),
            ]
        },
    )
    (root / "mkdocs.yml").write_text(
        "site_name: !ENV [SITE_NAME, 'Docs']\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n"
        "  - search\n"
        "  - bitext:\n"
        "      check:\n"
        "        severity:\n"
        "          empty-emphasis: warning\n"
        "          glossary: off\n",
        encoding="utf-8",
    )
    flags, result = _flags(root)
    assert result.returncode == 0
    assert [(f["unit"], f["check"], f["severity"]) for f in flags] == [("u1", "empty-emphasis", "warning")]
    flags, result = _flags(root, "--severity", "glossary=error")
    assert result.returncode == 1
    assert {(f["check"], f["severity"]) for f in flags} == {("empty-emphasis", "warning"), ("glossary", "error")}


def test_unknown_check_or_severity_is_a_usage_error(tmp_path):
    root = make_project(tmp_path, {"a.md": [unit("u1", "Click OK.", "확인을 클릭합니다.")]})
    result = run_bitext("check", "--root", str(root), "--severity", "nonsense=error")
    assert result.returncode == 2 and "unknown check 'nonsense'" in result.stderr
    result = run_bitext("check", "--root", str(root), "--severity", "links=fatal")
    assert result.returncode == 2 and "unknown severity 'fatal'" in result.stderr
    result = run_bitext("check", "--root", str(root), "--lang", "fr")
    assert result.returncode == 2 and "no segment files for fr" in result.stderr


def test_a_translator_silences_a_check_on_one_unit(tmp_path):
    source, target = "Error 550 5.7.705.", "오류 550."
    root = make_project(
        tmp_path,
        {
            "a.md": [
                unit("u1", source, target, notes=[Note("ignore numbers", "bitext-check")]),
                unit("u2", source, target),
            ]
        },
    )
    flags, _ = _flags(root)
    assert [(f["unit"], f["check"]) for f in flags] == [("u2", "numbers")]


def test_proposals_and_untranslated_units_are_not_checked(tmp_path):
    root = make_project(
        tmp_path,
        {
            "a.md": [
                unit("u1", "Click **Search**.", "검색 \\*\\*\\*\\*", state="needs-translation"),
                unit("u2", "Click **Search**.", None, state=None),
                unit("u3", "Click **Search**.", "검색 \\*\\*\\*\\*", state="needs-review-translation"),
            ]
        },
    )
    flags, _ = _flags(root)
    assert {f["unit"] for f in flags} == {"u3"}


def test_units_without_english_get_only_target_checks(tmp_path):
    root = make_project(
        tmp_path,
        {
            "a.md": [
                unit("description", "", "<img src=x onerror=alert(1)> 테 넌 트 설명", key="description"),
                unit("u1", "The tenant is here.", "테넌트는 여기 있습니다."),
            ]
        },
    )
    flags, _ = _flags(root)
    assert {f["check"] for f in flags if f["unit"] == "description"} == {"markup", "ko-spacing"}


def test_unreadable_segment_file_is_reported_and_the_others_checked(tmp_path):
    root = make_project(tmp_path, {"a.md": [unit("u1", "Metric", "192.168.1.0"), unit("u2", "Value", "값")]})
    (root / "locales/ko/broken.xlf").write_text('<?xml version="1.0"?>\n<xliff>\n<file>\n</xliff>\n', encoding="utf-8")
    flags, result = _flags(root)
    assert result.returncode == 1
    broken = [f for f in flags if f["path"] == "locales/ko/broken.xlf"]
    assert len(broken) == 1 and broken[0]["line"] == 4 and broken[0]["severity"] == "error"
    assert any(f["unit"] == "u1" and f["check"] == "misaligned" for f in flags)


def test_bad_glossary_line_is_reported(tmp_path):
    root = make_project(
        tmp_path,
        {"a.md": [unit("u1", "Click OK.", "확인을 클릭합니다.")]},
        glossary="tenant\t테넌트\nmailbox without a tab\n",
    )
    result = run_bitext("check", "--root", str(root))
    assert result.returncode == 1
    assert "locales/ko/glossary.tsv:2: glossary: " in result.stdout


def test_list_checks(tmp_path):
    result = run_bitext("check", "--list-checks")
    assert result.returncode == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == list(CHECKS)


def test_glossary_alternatives_and_inflected_terms(tmp_path):
    glossary = "mailbox\t사서함 | 편지함\nMailbox\t메일 상자\t(listed twice: both kept)\n"
    root = make_project(
        tmp_path,
        {
            "a.md": [
                unit("u1", "Open the mailboxes.", "편지함을 엽니다."),
                unit("u2", "The mailbox's size.", "메일 상자 크기."),
                unit("u3", "The Mailbox is full.", "우편함이 가득 찼습니다."),
                unit("u4", "Mailboxing is a verb here.", "여기서는 동사입니다."),
            ]
        },
        glossary=glossary,
    )
    flags, _ = _flags(root, "--only", "glossary")
    assert [(f["unit"], f["message"]) for f in flags] == [
        ("u3", "'mailbox' is translated '사서함' or '편지함' or '메일 상자'")
    ]
