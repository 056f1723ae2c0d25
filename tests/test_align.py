"""``bitext align``: translated Markdown without ids aligned to the English units."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bitext.core.compile import compile_article
from bitext.core.model import Segment, SegmentFile
from bitext.core.states import State
from bitext.formats import xliff
from bitext.project.project import Project
from bitext.translate.align import run as align_run
from bitext.translate.align.anchors import features
from bitext.translate.align.cut import Endings
from bitext.translate.align.lexicon import english_words
from bitext.translate.align.merge import AUTHOR, align_article
from bitext.translate.align.refine import Target, refine
from bitext.translate.align.sentences import Piece, dashed, english_blocks, english_code, translation_blocks
from bitext.translate.update import update_article
from conftest import run_bitext


def aligned(english: str, translation: str, old: SegmentFile | None = None, force: bool = False):
    done = align_article(
        english, translation, old, path="a.md", language="ko-KR", translation_path="ko/a.md", force=force
    )
    return done, {s.source: s for s in done.segment_file.segments}


def untranslated(*units: tuple[str, str, int, int]) -> SegmentFile:
    """A segment file of ``(id, source, line, column)`` units with no translation yet."""
    old = SegmentFile("a.md", "ko")
    for unit_id, source, line, column in units:
        old.segments.append(Segment(unit_id, source, "", State.NEEDS_TRANSLATION, line=line, column=column))
    return old


def target(units, source: str) -> str | None:
    seg = units[source]
    return seg.target if seg.target and seg.state != "needs-translation" else None


ENGLISH = """---
title: Set up spam filters
---

# Set up spam filters

Spam filters protect every mailbox in your organization. They run on each message that arrives.

## Configure the policy

1. Open the **Security & Compliance Center**.
2. Run `Set-HostedContentFilterPolicy -Identity Default` in PowerShell.

For more information, see [Spam filter policies](spam-policies.md).
"""

KOREAN = """---
title: 스팸 필터 설정
---

# 스팸 필터 설정

스팸 필터는 조직의 모든 사서함을 보호합니다. 도착하는 각 메시지에서 실행됩니다.

## 정책 구성

1. **보안 및 준수 센터**를 엽니다.
2. PowerShell에서 `Set-HostedContentFilterPolicy -Identity Default`를 실행합니다.

자세한 내용은 [스팸 필터 정책](spam-policies.md)을 참조하세요.
"""


def test_one_to_one_pairs_every_unit_with_its_sentence():
    done, units = aligned(ENGLISH, KOREAN)
    assert (
        target(units, "Spam filters protect every mailbox in your organization.")
        == "스팸 필터는 조직의 모든 사서함을 보호합니다."
    )
    assert target(units, "They run on each message that arrives.") == "도착하는 각 메시지에서 실행됩니다."
    assert target(units, "Open the **Security & Compliance Center**.") == "**보안 및 준수 센터**를 엽니다."
    assert units["For more information, see [Spam filter policies](spam-policies.md)."].target == (
        "자세한 내용은 [스팸 필터 정책](spam-policies.md)을 참조하세요."
    )
    title = next(s for s in done.segment_file.segments if s.key == "title")
    assert title.target == "스팸 필터 설정" and title.state == "translated"
    assert done.moves["1-1"] == 8 and done.translated == 8 and not done.unaligned
    seg = units["They run on each message that arrives."]
    assert seg.state == "translated" and seg.state_qualifier == "x-aligned"
    assert any(n.author == AUTHOR and "ko/a.md:7" in n.text for n in seg.notes)


def test_one_english_sentence_translated_as_two():
    english = "# Title\n\nThe filter checks each message and it marks the spam ones so that users never see them.\n"
    korean = "# 제목\n\n필터는 각 메시지를 검사합니다. 그리고 스팸 메시지를 표시하여 사용자가 보지 않도록 합니다.\n"
    done, units = aligned(english, korean)
    assert done.moves["1-2"] == 1
    assert target(units, english.split("\n\n")[1].strip()) == korean.split("\n\n")[1].strip()


def test_two_english_sentences_translated_as_one_are_cut_where_each_part_fits_and_both_go_to_review():
    english = "# Title\n\nOpen the page. Then select **Save** to keep the settings you changed today in the form.\n"
    korean = "# 제목\n\n페이지를 열고 **Save**를 선택하여 오늘 양식에서 변경한 설정을 유지합니다.\n"
    done, units = aligned(english, korean)
    assert done.moves["2-1"] == 1
    first, second = (
        units["Open the page."],
        units["Then select **Save** to keep the settings you changed today in the form."],
    )
    assert first.target == "페이지를 열고"
    assert second.target == "**Save**를 선택하여 오늘 양식에서 변경한 설정을 유지합니다."
    assert first.state == second.state == "needs-review-translation"
    assert any("cut from a longer translated sentence" in n.text for n in second.notes)


def test_a_translation_that_lost_its_stop_is_cut_after_the_word_that_ends_its_sentences():
    # Machine translation dropped the stop after the first sentence: this translation's sentences end on "다"
    # and start with words like "이러한" (these), which tell where the boundary was.
    english = (
        "# Overview\n\nTasks to accomplish in the first 30 days. These have immediate effect and are low-impact.\n\n"
        "These settings apply to every user.\n\nThe report shows the results.\n"
    )
    korean = (
        "# 개요\n\n처음 30일 이내에 수행할 작업 이러한 작업은 즉각적인 영향을 미치며 사용자에게 영향을 주지 않습니다.\n\n"
        "이러한 설정은 모든 사용자에게 적용됩니다.\n\n보고서에 결과가 표시됩니다.\n"
    )
    _, units = aligned(english, korean)
    assert target(units, "Tasks to accomplish in the first 30 days.") == "처음 30일 이내에 수행할 작업"
    assert target(units, "These have immediate effect and are low-impact.") == (
        "이러한 작업은 즉각적인 영향을 미치며 사용자에게 영향을 주지 않습니다."
    )


def test_a_block_only_in_the_english_shifts_nothing():
    english = ENGLISH.replace(
        "## Configure the policy\n",
        "## Configure the policy\n\nThis paragraph was added after the translation was made.\n",
    )
    done, units = aligned(english, KOREAN)
    assert units["This paragraph was added after the translation was made."].state == "needs-translation"
    assert target(units, "Open the **Security & Compliance Center**.") == "**보안 및 준수 센터**를 엽니다."
    assert done.moves["1-0"] == 1 and done.untranslated == 1


def test_a_block_only_in_the_translation_is_kept_in_the_archive():
    korean = KOREAN.replace("## 정책 구성\n", "## 정책 구성\n\n영어에서 삭제된 문단입니다.\n")
    done, units = aligned(ENGLISH, korean)
    assert done.unaligned == 1 and done.moves["0-1"] == 1
    archived = [s for s in done.segment_file.archive if s.target == "영어에서 삭제된 문단입니다."]
    assert archived and archived[0].source == "" and "ko/a.md:11" in archived[0].notes[0].text
    assert target(units, "Open the **Security & Compliance Center**.") == "**보안 및 준수 센터**를 엽니다."


def test_reordered_table_rows_pair_by_their_anchors():
    english = (
        "# Codes\n\n| Code | Meaning |\n|---|---|\n| 5.7.700 | The tenant is blocked for `SendAs`. |\n"
        "| 5.7.750 | Unregistered domain `contoso.com` is blocked. |\n| 4.4.316 | The connection timed out. |\n"
    )
    korean = (
        "# 코드\n\n| 코드 | 의미 |\n|---|---|\n| 4.4.316 | 연결 시간이 초과되었습니다. |\n"
        "| 5.7.700 | `SendAs`에 대해 테넌트가 차단되었습니다. |\n| 5.7.750 | 등록되지 않은 도메인 `contoso.com`이 차단되었습니다. |\n"
    )
    _, units = aligned(english, korean)
    assert target(units, "The tenant is blocked for `SendAs`.") == "`SendAs`에 대해 테넌트가 차단되었습니다."
    assert (
        target(units, "Unregistered domain `contoso.com` is blocked.")
        == "등록되지 않은 도메인 `contoso.com`이 차단되었습니다."
    )
    assert target(units, "The connection timed out.") == "연결 시간이 초과되었습니다."


def test_code_and_links_decide_between_sentences_of_equal_length():
    english = (
        "# Title\n\nSee [the first guide](first.md) for details.\nSee [the second guide](second.md) for details.\n\n"
        "Run `Get-Mailbox` to list them.\n"
    )
    korean = (
        "# 제목\n\n자세한 내용은 [두 번째 가이드](second.md)를 참조하세요.\n\n`Get-Mailbox`를 실행하여 나열합니다.\n"
    )
    _, units = aligned(english, korean)
    assert target(units, "See [the first guide](first.md) for details.") is None
    assert (
        target(units, "See [the second guide](second.md) for details.")
        == "자세한 내용은 [두 번째 가이드](second.md)를 참조하세요."
    )
    assert target(units, "Run `Get-Mailbox` to list them.") == "`Get-Mailbox`를 실행하여 나열합니다."


def test_the_same_sentence_twice_gets_each_its_own_translation():
    english = "# Title\n\nSelect **Save**.\n\n## Next\n\nSelect **Save**.\n"
    korean = "# 제목\n\n**저장**을 선택합니다.\n\n## 다음\n\n**저장** 단추를 선택합니다.\n"
    done, _ = aligned(english, korean)
    saves = [s for s in done.segment_file.segments if s.source == "Select **Save**."]
    assert [s.target for s in saves] == ["**저장**을 선택합니다.", "**저장** 단추를 선택합니다."]


def test_a_translators_translation_is_never_overwritten_without_force():
    old = update_article(ENGLISH, None, path="a.md", language="ko-KR").segment_file
    mine = next(s for s in old.segments if s.source == "They run on each message that arrives.")
    mine.target, mine.state = "번역자의 번역입니다.", "final"
    done, units = aligned(ENGLISH, KOREAN, old)
    seg = units["They run on each message that arrives."]
    assert seg.target == "번역자의 번역입니다." and seg.state == "final"
    assert [a.target for a in seg.alternatives] == ["도착하는 각 메시지에서 실행됩니다."]
    assert done.kept == 1 and seg.id == mine.id
    assert target(units, "Open the **Security & Compliance Center**.") == "**보안 및 준수 센터**를 엽니다."
    forced, units = aligned(ENGLISH, KOREAN, old, force=True)
    seg = units["They run on each message that arrives."]
    assert seg.target == "도착하는 각 메시지에서 실행됩니다." and forced.replaced == 1
    assert "번역자의 번역입니다." in [a.target for a in seg.alternatives]


def test_aligning_twice_changes_nothing():
    first, _ = aligned(ENGLISH, KOREAN)
    again = align_article(
        ENGLISH, KOREAN, first.segment_file, path="a.md", language="ko-KR", translation_path="ko/a.md"
    )
    assert not again.modified


def project(tmp_path: Path, articles: dict[str, tuple[str, bytes]]) -> tuple[Path, Path]:
    root, source = tmp_path / "p", tmp_path / "ko"
    for rel, (english, korean) in articles.items():
        (root / "docs" / "en" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / "en" / rel).write_text(english, encoding="utf-8")
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_bytes(korean)
    return root, source


def test_cli_writes_segment_files_and_reports(tmp_path: Path, xliff_schema):
    root, source = project(tmp_path, {"a.md": (ENGLISH, KOREAN.encode()), "sub/b.md": (ENGLISH, KOREAN.encode())})
    result = run_bitext("align", "--lang", "ko", "--from", str(source), "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert "locales/ko/sub/b.xlf: new segment file; 1-1 8" in result.stdout
    assert "align ko: 2 articles aligned" in result.stdout
    from lxml import etree

    for rel in ("a.xlf", "sub/b.xlf"):
        assert xliff_schema.validate(etree.parse(str(root / "locales" / "ko" / rel)))
    result = run_bitext("align", "--lang", "ko", "--from", str(source), "--root", str(root), "--format", "json")
    import json

    data = json.loads(result.stdout)
    assert data["summary"]["written"] == 0 and data["summary"]["kept"] == 16
    assert data["articles"][0]["moves"]["1-1"] == 8


def test_bad_input_is_reported_at_its_line_and_nothing_is_written(tmp_path: Path):
    broken = KOREAN.encode().replace("도착하는".encode(), b"\xff\xfe")
    root, source = project(tmp_path, {"a.md": (ENGLISH, broken), "b.md": (ENGLISH, KOREAN.encode())})
    result = run_bitext("align", "--lang", "ko", "--from", str(source), "--root", str(root))
    assert result.returncode == 1
    assert f"{source / 'a.md'}:7: encoding: invalid UTF-8" in result.stderr
    assert not (root / "locales" / "ko" / "a.xlf").exists()
    assert (root / "locales" / "ko" / "b.xlf").exists()
    (source / "a.md").write_bytes(b"# x\n\x00\x01binary")
    result = run_bitext("align", "--lang", "ko", "--from", str(source), "--root", str(root))
    assert result.returncode == 1 and f"{source / 'a.md'}:2: not-text" in result.stderr
    result = run_bitext("align", "--lang", "ko", "--from", str(tmp_path / "nowhere"), "--root", str(root))
    assert result.returncode == 2


def test_a_project_is_aligned_with_rare_garbage_collection(tmp_path: Path):
    """The collector does not walk what the run keeps after every article (``run._rare_gc_rounds``), and
    its thresholds are the caller's again afterwards."""
    # Articles of a hundred units: what each leaves alive is more than the default threshold's 700 objects.
    english = ENGLISH + "".join(f"\n## Part {k}\n\n" + ENGLISH.rsplit("---\n", maxsplit=1)[-1] for k in range(12))
    korean = KOREAN + "".join(f"\n## 부분 {k}\n\n" + KOREAN.rsplit("---\n", maxsplit=1)[-1] for k in range(12))
    articles = {f"a{k}.md": (english, korean.encode()) for k in range(12)}
    root, source = project(tmp_path, articles)
    before = gc.get_threshold()
    rounds: list[int] = []

    def counted(phase: str, info: dict) -> None:
        if phase == "start":
            rounds.append(info["generation"])

    gc.collect()
    gc.callbacks.append(counted)
    try:
        result = align_run.align_language(Project.open(root), "ko", source)
    finally:
        gc.callbacks.remove(counted)
    assert len(result.articles) == 12 and not result.findings
    assert len(rounds) <= 1, rounds
    assert gc.get_threshold() == before


def test_dry_run_writes_nothing(tmp_path: Path):
    root, source = project(tmp_path, {"a.md": (ENGLISH, KOREAN.encode())})
    result = run_bitext("align", "--lang", "ko", "--from", str(source), "--root", str(root), "--dry-run")
    assert result.returncode == 0 and "1 segment file to write" in result.stdout
    assert not (root / "locales").exists()


# ------------------------------------------------------------ property: an article against its own compiled translation

_WORDS = ["policy", "mailbox", "message", "filter", "tenant", "user", "rule", "report", "alert", "domain", "setting"]
_KO = {
    w: k
    for w, k in zip(
        _WORDS,
        ["정책", "사서함", "메시지", "필터", "테넌트", "사용자", "규칙", "보고서", "경고", "도메인", "설정"],
        strict=True,
    )
}
_ANCHORS = ["`Get-Mailbox`", "5.7.705", "[the guide](guide.md)", "**Save**", "web.config", "EOP", "2019"]

sentence = st.builds(
    lambda words, anchor, end: " ".join(words).capitalize() + (f" {anchor}" if anchor else "") + end,
    st.lists(st.sampled_from(_WORDS), min_size=2, max_size=12),
    st.one_of(st.none(), st.sampled_from(_ANCHORS)),
    st.sampled_from([".", "?", "!"]),
)
block = st.tuples(st.sampled_from(["p", "h2", "li", "cell"]), st.lists(sentence, min_size=1, max_size=4))


def _article(blocks) -> str:
    out = ["---\ntitle: Generated article\n---\n\n# Generated article\n"]
    for kind, sentences in blocks:
        if kind == "h2":
            out.append(f"## {sentences[0].rstrip('.?!')}\n")
        elif kind == "li":
            out.append("".join(f"- {s}\n" for s in sentences))
        elif kind == "cell":
            out.append("| A | B |\n|---|---|\n" + "".join(f"| {s} | x {i} |\n" for i, s in enumerate(sentences)))
        else:
            out.append(" ".join(sentences) + "\n")
    return "\n".join(out)


def _translate(source: str) -> str:
    """A stand-in translation: words replaced and reordered, the anchor kept whole and moved first."""
    anchor = next((a for a in _ANCHORS if a in source), "")
    words = (source.replace(anchor, " ") if anchor else source).rstrip(".?!").split()
    return (f"{anchor} " if anchor else "") + " ".join(_KO.get(w.lower(), w) for w in reversed(words)) + "니다."


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(block, min_size=1, max_size=12))
def test_an_article_against_its_own_compiled_translation_gives_back_every_pair(blocks):
    english = _article(blocks)
    sf = update_article(english, None, path="a.md", language="ko-KR").segment_file
    for seg in sf.segments:
        seg.target, seg.state = _translate(seg.source), "translated"
    compiled = compile_article(english, sf, path="a.md")
    done, _ = aligned(english, compiled)
    got = [(s.id, s.target) for s in done.segment_file.segments]
    assert got == [(s.id, s.target) for s in sf.segments]
    assert not done.unaligned and done.moves["1-1"] == len(sf.segments)


def test_the_seed_article_against_its_compiled_translation(seed_project: Path, tmp_path: Path):
    out = tmp_path / "compiled"
    assert run_bitext("compile", "--lang", "ko", "--out", str(out), "--root", str(seed_project)).returncode == 0
    before = {p: xliff.load(p) for p in (seed_project / "locales" / "ko").rglob("*.xlf")}
    for path in before:
        emptied = xliff.load(path)
        for seg in emptied.segments:
            seg.target, seg.state, seg.state_qualifier = "", "needs-translation", None
        path.write_text(xliff.dumps(emptied), encoding="utf-8")
    result = run_bitext("align", "--lang", "ko", "--from", str(out), "--root", str(seed_project))
    assert result.returncode == 0, result.stderr
    for path, sf in before.items():
        after = {s.id: s for s in xliff.load(path).segments}
        wanted = [(s.id, s.target) for s in sf.segments if s.target]
        got = [(i, after[i].target) for i, _ in wanted]
        assert got == wanted


def test_the_memory_fills_what_the_translation_lacks_as_update_would():
    from bitext.core.states import Qualifier
    from bitext.translate.tm import TranslationMemory

    other = update_article(
        "# Other\n\nThis paragraph was added after the translation was made\\.\n", None, path="b.md", language="ko"
    ).segment_file
    for seg in other.segments:
        seg.target, seg.state = f"KO({seg.source})", "translated"
    english = ENGLISH.replace(
        "## Configure the policy\n",
        "## Configure the policy\n\nThis paragraph was added after the translation was made.\n",
    )
    done = align_article(
        english,
        KOREAN,
        None,
        path="a.md",
        language="ko",
        translation_path="ko/a.md",
        memory=TranslationMemory.of([("b.xlf", other)]),
    )
    units = {s.source: s for s in done.segment_file.segments}
    seg = units["This paragraph was added after the translation was made."]
    assert seg.target == "KO(This paragraph was added after the translation was made\\.)"
    assert seg.state_qualifier == Qualifier.RENDERED_MATCH
    assert units["Open the **Security & Compliance Center**."].target == "**보안 및 준수 센터**를 엽니다."


def test_a_unit_that_is_a_whole_image_link_gets_the_whole_translated_link():
    whole = "[![Files in OneDrive](media/a.png)](https://example.com/a)"
    english = f"# Title\n\n{whole}\n\nSee the files.\n"
    korean = "# 제목\n\n[![OneDrive의 파일](media/a.png)](https://example.com/a)\n\n파일을 봅니다.\n"
    old = untranslated(("1", "Title", 1, 3), ("2", whole, 3, 1), ("3", "See the files.", 5, 1))
    _, units = aligned(english, korean, old)
    assert target(units, whole) == "[![OneDrive의 파일](media/a.png)](https://example.com/a)"
    assert target(units, "See the files.") == "파일을 봅니다."


def test_a_paragraph_of_table_rows_aligns_cell_by_cell_when_the_units_are_its_cells():
    # The delimiter row has more columns than the header and a row lost its first pipe, so the Markdown reads
    # no table but one paragraph.  An sxs file's units are its cells; the translation's paragraph is then read
    # as cells of their columns too, not as sentences running across the pipes.
    english = (
        "# Changes\n\n|**Control**|**Change**|\n|:---|:---|:---|\n"
        "|AC-1|Added a control for access reviews. |\nAC-2| Removed the audit step from the review. |\n|\n\n"
        "Review the changes every month.\n"
    )
    korean = (
        "# 변경 내용\n\n|**컨트롤**|**변경**|\n|:---|:---|:---|\n"
        "|AC-1|액세스 검토를 위한 컨트롤이 추가되었습니다. |\nAC-2| 검토에서 감사 단계가 제거되었습니다. |\n|\n\n"
        "매달 변경 내용을 검토합니다.\n"
    )
    cells = [
        ("1", "Changes", 1, 3),
        ("2", "**Control**", 3, 2),
        ("3", "**Change**", 3, 14),
        ("4", "AC-1", 5, 2),
        ("5", "Added a control for access reviews.", 5, 7),
        ("6", "AC-2", 6, 1),
        ("7", "Removed the audit step from the review.", 6, 7),
        ("8", "Review the changes every month.", 9, 1),
    ]
    lines = english.split("\n")
    assert all(lines[n - 1][c - 1 :].startswith(text) for _, text, n, c in cells)
    _, units = aligned(english, korean, untranslated(*cells))
    assert target(units, "**Control**") == "**컨트롤**"
    assert target(units, "**Change**") == "**변경**"
    assert target(units, "Added a control for access reviews.") == "액세스 검토를 위한 컨트롤이 추가되었습니다."
    assert target(units, "AC-2") == "AC-2"
    assert target(units, "Removed the audit step from the review.") == "검토에서 감사 단계가 제거되었습니다."
    assert target(units, "Review the changes every month.") == "매달 변경 내용을 검토합니다."
    # Units that are the paragraph's own sentences cross its pipes: the translation's paragraph stays sentences.
    _, own = aligned(english, korean)
    assert (
        target(own, "|\nAC-2| Removed the audit step from the review.")
        == "|\nAC-2| 검토에서 감사 단계가 제거되었습니다."
    )


def test_code_blocks_hold_the_alignment_around_a_missing_paragraph():
    english = (
        "# Title\n\nThe first step opens the shell on your computer.\n\n```powershell\nConnect-ExchangeOnline\n```\n\n"
        "The second step loads the module into the session.\n\n```powershell\nImport-Module Foo\n```\n\n"
        "The third step checks that the module answers you.\n"
    )
    korean = (
        "# 제목\n\n첫 번째 단계에서는 컴퓨터에서 셸을 엽니다.\n\n```powershell\nConnect-ExchangeOnline\n```\n\n"
        "```powershell\nImport-Module Foo\n```\n\n세 번째 단계에서는 모듈이 응답하는지 확인합니다.\n"
    )
    _, units = aligned(english, korean)
    assert target(units, "The second step loads the module into the session.") is None
    assert (
        target(units, "The third step checks that the module answers you.")
        == "세 번째 단계에서는 모듈이 응답하는지 확인합니다."
    )
    assert (
        target(units, "The first step opens the shell on your computer.")
        == "첫 번째 단계에서는 컴퓨터에서 셸을 엽니다."
    )


# Sentence pairs that keep product names in Latin letters, as Korean documentation does: enough sure pairs
# for the second pass to learn which words translate which and how often names are kept.
PRODUCTS = [
    ("Open **Outlook** and select the message.", "**Outlook**을 열고 메시지를 선택합니다."),
    ("Open **Teams** and select the channel.", "**Teams**를 열고 채널을 선택합니다."),
    ("Open **SharePoint** and select the site.", "**SharePoint**를 열고 사이트를 선택합니다."),
    ("Open **OneDrive** and select the file.", "**OneDrive**를 열고 파일을 선택합니다."),
    ("Open **Exchange** and select the mailbox.", "**Exchange**를 열고 사서함을 선택합니다."),
    ("The message is kept in **Outlook** for every user.", "메시지는 모든 사용자의 **Outlook**에 보관됩니다."),
    ("The channel is kept in **Teams** for every user.", "채널은 모든 사용자의 **Teams**에 보관됩니다."),
    ("The site is kept in **SharePoint** for every user.", "사이트는 모든 사용자의 **SharePoint**에 보관됩니다."),
    ("The file is kept in **OneDrive** for every user.", "파일은 모든 사용자의 **OneDrive**에 보관됩니다."),
    ("The mailbox is kept in **Exchange** for every user.", "사서함은 모든 사용자의 **Exchange**에 보관됩니다."),
    ("Select the message and the channel.", "메시지와 채널을 선택합니다."),
    ("Select the site and the mailbox.", "사이트와 사서함을 선택합니다."),
]


def products(extra_english: str, extra_korean: str) -> tuple[str, str]:
    english = "# Products\n\n" + "".join(f"{e}\n\n" for e, _ in PRODUCTS) + extra_english
    korean = "# 제품\n\n" + "".join(f"{k}\n\n" for _, k in PRODUCTS) + extra_korean
    return english, korean


def test_an_english_sentence_whose_kept_name_changed_after_translation_goes_to_review():
    english, korean = products("Open **Yammer** and select the group.\n", "**Teams**를 열고 그룹을 선택합니다.\n")
    _, units = aligned(english, korean)
    edited = units["Open **Yammer** and select the group."]
    assert edited.target == "**Teams**를 열고 그룹을 선택합니다."
    assert edited.state == "needs-review-translation"
    assert units["Open **Teams** and select the channel."].state == "translated"


def test_an_english_sentence_whose_number_changed_after_translation_goes_to_review():
    english, korean = products(
        "Keep the message for 30 days in **Outlook**.\n", "메시지를 **Outlook**에 90일 동안 보관합니다.\n"
    )
    _, units = aligned(english, korean)
    assert units["Keep the message for 30 days in **Outlook**."].state == "needs-review-translation"


def test_a_block_whose_translation_lost_a_long_sentence_keeps_the_others():
    # The lost sentence is long and full of anchors: the block no longer fits its translation as a whole.
    english, korean = products(
        "The mailbox keeps every message. Archived items move to the archive mailbox after 30 days unless "
        "`Set-RetentionCompliancePolicy`, `Set-Mailbox -LitigationHoldEnabled` or `New-CaseHoldPolicy` holds "
        "them for the 365 days or the 2,000 items of the organization's default policy, see "
        "[Retention](retention.md) and [Holds](holds.md). Select the file and the site.\n",
        "사서함은 모든 메시지를 보관합니다. 파일과 사이트를 선택합니다.\n",
    )
    _, units = aligned(english, korean)
    assert target(units, "The mailbox keeps every message.") == "사서함은 모든 메시지를 보관합니다."
    assert target(units, "Select the file and the site.") == "파일과 사이트를 선택합니다."
    assert target(units, next(s for s in units if s.startswith("Archived items"))) is None


def test_untranslated_list_items_pair_with_their_own_text_when_one_was_dropped():
    items = ["atm card", "atmcard", "atm cards", "atmcards", "enroute"]
    english = "# Keywords\n\nThe keyword list:\n\n" + "".join(f"- {w}\n" for w in items)
    korean = "# 키워드\n\n키워드 목록:\n\n" + "".join(f"- {w}\n" for w in items if w != "atm cards")
    _, units = aligned(english, korean)
    assert target(units, "atm cards") is None
    assert all(target(units, w) == w for w in items if w != "atm cards")


# Sentences built from words whose translations never change: what a project's sure pairs teach.
_NOUNS = [
    ("mailbox", "사서함"),
    ("retention", "보존"),
    ("policy", "정책"),
    ("label", "레이블"),
    ("report", "보고서"),
    ("user", "사용자"),
    ("message", "메시지"),
    ("folder", "폴더"),
    ("search", "검색"),
    ("rule", "규칙"),
    ("archive", "보관"),
    ("alert", "경고"),
]
_VERBS = [
    ("Open", "엽니다"),
    ("Select", "선택합니다"),
    ("Save", "저장합니다"),
    ("Delete", "삭제합니다"),
    ("Create", "만듭니다"),
    ("Review", "검토합니다"),
    ("Export", "내보냅니다"),
    ("Copy", "복사합니다"),
]


_Words = tuple[str, str]


def _project_table(special: Callable[[int, _Words, _Words, _Words], _Words | None] = lambda *_: None):
    """A project's word table learned from 240 sure pairs of ``_VERBS`` and ``_NOUNS`` sentences (seed 1):
    "{verb} the {a} {b}." and its translation, or what ``special(k, verb, a, b)`` makes of the k-th pair's words
    instead, when it makes something (each word an (English, Korean) pair)."""
    import random

    from bitext.translate.align import lexicon
    from bitext.translate.align.lexicon import english_words, translated_words

    rng = random.Random(1)
    learned = []
    for k in range(240):
        verb, a, b = rng.choice(_VERBS), *rng.sample(_NOUNS, 2)
        english, korean = special(k, verb, a, b) or (f"{verb[0]} the {a[0]} {b[0]}.", f"{a[1]} {b[1]}을 {verb[1]}.")
        learned.append((english_words(english), translated_words(korean)))
    return lexicon.project(learned)


def _aligned_with_project_pairs(english: str, korean: str) -> dict[str, str]:
    """Source → target of the article aligned with a word table learned from 240 sure pairs of those words."""
    done = align_article(
        english, korean, None, path="a.md", language="ko-KR", translation_path="k.md", lexicon=_project_table()
    )
    return {s.source: s.target for s in done.segment_file.segments}


def test_word_pairs_learned_over_the_project_tell_which_of_two_sentences_the_translation_dropped(tmp_path: Path):
    import random

    rng = random.Random(1)
    articles = {}
    for k in range(24):
        pairs = []
        for _ in range(10):
            (verb, verb_ko), (a, a_ko), (b, b_ko) = rng.choice(_VERBS), *rng.sample(_NOUNS, 2)
            pairs.append((f"{verb} the {a} {b}.", f"{a_ko} {b_ko}을 {verb_ko}."))
        english = "# Title\n\n" + "\n\n".join(e for e, _ in pairs) + "\n"
        korean = "# 제목\n\n" + "\n\n".join(t for _, t in pairs) + "\n"
        articles[f"a{k:02}.md"] = (english, korean.encode())
    # Alone, this article has too few sure pairs to learn from, and the lengths prefer the wrong sentence.
    english = "# Title\n\nCreate the alert user. Open the folder label.\n"
    korean = "# 제목\n\n경고 사용자을 만듭니다.\n"
    _, units = aligned(english, korean)
    assert target(units, "Create the alert user.") != "경고 사용자을 만듭니다."
    articles["z.md"] = (english, korean.encode())
    root, source = project(tmp_path, articles)
    result = run_bitext("align", "--lang", "ko", "--from", str(source), "--root", str(root))
    assert result.returncode == 0, result.stderr
    found = {s.source: s for s in xliff.load(root / "locales" / "ko" / "z.xlf").segments}
    assert found["Create the alert user."].target == "경고 사용자을 만듭니다."
    assert not found["Open the folder label."].target


def test_an_article_that_translates_a_word_its_own_way_counts_its_sure_pairs_into_the_project_word_pairs():
    # The project's articles translate "license" 라이선스; this article's translation says 면허, and its sure
    # pairs show it.  A keyword list lost an item in translation: with the project's word pairs alone, "면허 번호"
    # lacks the partner of "license" and goes to the item before; counted with the article's own pairs it goes
    # to "License number", and the dropped item gets nothing.

    def license(k: int, verb: _Words, a: _Words, b: _Words) -> _Words | None:
        return (f"{verb[0]} the {a[0]} license.", f"{a[1]} 라이선스를 {verb[1]}.") if k % 24 == 0 else None

    table = _project_table(license)
    assert "라이" in table.english["licens"][1] and "면허" not in table.english["licens"][1]
    sentences = []
    for k in range(16):
        (verb, verb_ko), (a, a_ko) = _VERBS[k % len(_VERBS)], _NOUNS[k % len(_NOUNS)]
        if k % 3 == 0:
            sentences.append((f"{verb} the license of the {a}.", f"{a_ko}의 면허를 {verb_ko}."))
        else:
            sentences.append((f"{verb} the {a}.", f"{a_ko}을 {verb_ko}."))
    items = ["Permit number", "License number", "Plate number", "Card number"]
    english = "# Title\n\n" + "\n\n".join(e for e, _ in sentences) + "\n\nKeywords:\n\n"
    english += "".join(f"- {item}\n" for item in items)
    korean = (
        "# 제목\n\n" + "\n\n".join(k for _, k in sentences) + "\n\n키워드:\n\n- 면허 번호\n- 번호판 번호\n- 카드 번호\n"
    )
    done = align_article(english, korean, None, path="a.md", language="ko-KR", translation_path="k.md", lexicon=table)
    units = {s.source: s.target for s in done.segment_file.segments}
    assert [units[item] for item in items] == ["", "면허 번호", "번호판 번호", "카드 번호"]


def _touching(text: str, first: str, second: str):
    """The translation's first two sentences after its title, targets of ``first`` and ``second`` on them, and
    a call that refines those targets' boundary (without word pairs)."""
    pieces = [p for b in translation_blocks(text) for p in b.pieces]
    one, two = pieces[1], pieces[2]
    targets = [
        Target(Piece(first, 0, 0, 1, features(first)), one.start, one.end),
        Target(Piece(second, 0, 0, 1, features(second)), two.start, two.end),
    ]
    ratio = len(one.text + two.text) / len(first + second)

    def refined() -> None:
        refine(targets, text, ratio, Endings(pieces), None, {p.start for p in pieces})

    return one, two, targets, refined


def test_a_fragment_the_translation_moved_behind_its_stop_goes_back_to_its_sentence():
    # Machine translation put the end of the first sentence ("SharePoint 2016") after its stop: the splitter
    # gives it to the second sentence, whose English lacks it, while the first one's English has it.
    text = (
        "# 제목\n\n사용자 지정 커넥터를 제공 하는 Microsoft 파트너와 함께 작업 하 여 항목을 저장 합니다. "
        "SharePoint 2016 또한 파트너 커넥터는 각 항목을 전자 메일 메시지로 변환 합니다.\n"
    )
    first = "Work with a Microsoft partner who provides a custom connector that stores those items in SharePoint 2016."
    second = "The partner connector also converts each item to an email message."
    _, two, targets, refined = _touching(text, first, second)
    assert two.text.startswith("SharePoint 2016 또한")
    refined()
    assert text[targets[0].start : targets[0].end].endswith("저장 합니다. SharePoint 2016")
    assert text[targets[1].start : targets[1].end].startswith("또한 파트너")
    # Where every word near the boundary belongs where it is, it stays.
    moved = (targets[0].end, targets[1].start)
    refined()
    assert (targets[0].end, targets[1].start) == moved


def test_a_boundary_inside_brackets_moves_to_where_they_close():
    # The translation put a stop inside the brackets of the first sentence: the splitter ends the sentence there,
    # and the rest of the brackets opens the second one.
    text = (
        "# 제목\n\n너무 많은 조회는 오류를 일으킬 수 있습니다 (조회 루프. 시간 제한) "
        "이를 방지 하는 방법에 대 한 팁은 다음 섹션을 참조 하세요.\n"
    )
    first = "Too many lookups can cause failures (lookup loops and timeouts)."
    second = "For tips on how to avoid this, see the next section."
    one, _, targets, refined = _touching(text, first, second)
    assert one.text.endswith("(조회 루프.")
    refined()
    assert text[targets[0].start : targets[0].end].endswith("(조회 루프. 시간 제한)")
    assert text[targets[1].start : targets[1].end].startswith("이를 방지")


def test_paragraphs_the_translation_indented_into_code_are_read_as_text():
    # The translation's list item lost its first line, so its indented paragraph became an indented code block;
    # code is never translated, and no English code block holds this text: it is prose.
    english = (
        "# Title\n\n1. Open the page.\n\n2. Select the container you want to process.\n\n"
        "    Use seed files to speed up the training. Seed files should be reviewed by the person who trains it.\n\n"
        "    ```powershell\n    Get-Mailbox -Identity admin\n    ```\n\n3. Save the settings.\n"
    )
    korean = (
        "# 제목\n\n1. 페이지를 엽니다.\n\n2.\n\n"
        "    시드 파일을 사용 하 여 교육을 가속화할 수 있습니다. 시드 파일은 문제를 훈련 받을 사용자가 검토 해야 합니다.\n\n"
        "    ```powershell\n    Get-Mailbox -Identity admin\n    ```\n\n3. 설정을 저장 합니다.\n"
    )
    _, units = aligned(english, korean)
    assert (
        target(units, "Use seed files to speed up the training.")
        == "시드 파일을 사용 하 여 교육을 가속화할 수 있습니다."
    )
    assert target(units, "Seed files should be reviewed by the person who trains it.") == (
        "시드 파일은 문제를 훈련 받을 사용자가 검토 해야 합니다."
    )
    assert target(units, "Select the container you want to process.") is None
    # A code block both sides share stays code.
    assert [
        b.kind
        for b in translation_blocks(KOREAN.replace("## 정책 구성", "    Get-Mailbox\n\n## 정책 구성"), {"Get-Mailbox"})
    ].count("code") == 1


def test_list_items_the_translation_indented_into_code_keep_their_kind():
    # The translation's step lost its text, so its nested list became an indented code block read as prose:
    # its items' markers still say they are list items, and they pair with the English items.
    english = (
        "# Title\n\n1. Open the page.\n\n2. Choose what to export.\n\n"
        "    - Under **Emails**, select the emails you want to export.\n\n"
        "    - **All emails**: (default) All emails are selected.\n"
    )
    korean = (
        "# 제목\n\n1. 페이지를 엽니다.\n\n2.\n\n"
        "    - **전자 메일**에서 내보낼 전자 메일을 선택 합니다.\n\n"
        "    - **모든 전자 메일**: (기본값) 모든 전자 메일이 선택 됩니다.\n"
    )
    blocks = translation_blocks(korean, set())
    assert [b.kind for b in blocks][-2:] == ["li", "li"]
    assert blocks[-1].pieces[0].text == "**모든 전자 메일**: (기본값) 모든 전자 메일이 선택 됩니다."
    _, units = aligned(english, korean)
    assert target(units, "Under **Emails**, select the emails you want to export.") == (
        "**전자 메일**에서 내보낼 전자 메일을 선택 합니다."
    )
    assert target(units, "**All emails**: (default) All emails are selected.") == (
        "**모든 전자 메일**: (기본값) 모든 전자 메일이 선택 됩니다."
    )


def test_an_english_unit_in_a_paragraph_the_markdown_reads_as_code_is_its_own_block():
    # Units imported with their places (an sxs file) may sit in an indented paragraph after a list, which the
    # Markdown reads as code: it is its own block, as the translation's same paragraph is, not the list item's.
    english = (
        "# Title\n\n  -  `$false` disables safety tips.\n\n"
        "    For example, to disable safety tips, run the following command:\n\n"
        "```\nSet-Policy -Tips $false\n```\n"
    )
    korean = (
        "# 제목\n\n  -  `$false` 보안 팁을 사용 하지 않도록 설정 합니다.\n\n"
        "    예를 들어 보안 팁을 사용 하지 않도록 설정 하려면 다음 명령을 실행 합니다.\n\n"
        "```\nSet-Policy -Tips $false\n```\n"
    )
    lines = english.split("\n")
    units = [
        Segment(f"u{k}", text, "", State.NEEDS_TRANSLATION, line=n, column=lines[n - 1].index(text) + 1)
        for k, (n, text) in enumerate([(1, "Title"), (3, "`$false` disables safety tips."), (5, lines[4].strip())])
    ]
    en = english_blocks(english, units)
    ko = translation_blocks(korean, english_code(english))
    assert [b.kind for b in en] == [b.kind for b in ko] == ["h1", "li", "nested", "code"]
    assert [len(b.pieces) for b in en] == [1, 1, 1, 0]


def test_a_table_row_the_translation_broke_into_code_keeps_its_cells():
    # A newline after the row's first pipe indents the rest of the row: an indented code block.  The cells of
    # its line are cells of their columns, as the English row's are, not one paragraph no English block fits.
    english = (
        "# Reports\n\n| Report | Description |\n|---|---|\n"
        "|**Mail reports** | Shows the mail your organization sent. It is updated daily. |\n"
        "|**Audit reports** | Tracks the changes made by your administrators. Logging is on by default. |\n\n"
        "## Next steps\n\nRead the reports every week.\n"
    )
    korean = (
        "# 보고서\n\n| 보고서 | 설명 |\n|---|---|\n"
        "|**메일 보고서** | 조직에서 보낸 메일을 표시 합니다. 매일 업데이트 됩니다. |\n|\n"
        "            감사 보고서 | 관리자가 수행한 변경 내용을 추적 합니다. 로깅은 기본적으로 켜져 있습니다. |\n\n"
        "## 다음 단계\n\n매주 보고서를 읽습니다.\n"
    )
    assert "code" in [b.kind for b in translation_blocks(korean)]  # as code, the row would hold no sentence
    _, units = aligned(english, korean)
    assert target(units, "**Audit reports**") == "감사 보고서"
    assert (
        target(units, "Tracks the changes made by your administrators.") == "관리자가 수행한 변경 내용을 추적 합니다."
    )
    assert target(units, "Logging is on by default.") == "로깅은 기본적으로 켜져 있습니다."
    assert target(units, "Read the reports every week.") == "매주 보고서를 읽습니다."


def test_word_pairs_tell_which_list_item_the_translation_dropped_where_the_lengths_shift_them():
    items = [
        ("Open the retention alert.", "보존 경고을 엽니다."),
        ("Review the policy archive.", "정책 보관을 검토합니다."),
        ("Create the report rule.", "보고서 규칙을 만듭니다."),
        ("Delete the rule mailbox.", "규칙 사서함을 삭제합니다."),
        ("Save the message archive.", "메시지 보관을 저장합니다."),
        ("Export the alert search.", "경고 검색을 내보냅니다."),
        ("Review the search folder.", "검색 폴더을 검토합니다."),
    ]
    # Every item is a block of its own, all of about the same length: the block search, which has no word
    # pairs, pairs the items after the dropped one each with the next one's translation, all fitting well.
    english = "# Title\n\nThe steps:\n\n" + "".join(f"- {e}\n" for e, _ in items) + "\nDone.\n"
    korean = "# 제목\n\n단계:\n\n" + "".join(f"- {k}\n" for n, (_, k) in enumerate(items) if n != 1) + "\n완료.\n"
    found = _aligned_with_project_pairs(english, korean)
    assert found["Review the policy archive."] == ""
    assert all(found[e] == k for n, (e, k) in enumerate(items) if n != 1)


def test_a_note_the_translation_indented_into_code_is_read_as_a_quote():
    # The translation's list item lost its text, so the note inside it became an indented code block: its
    # quote markers and alert line say what it is, and it pairs with the English note.
    english = (
        "# Title\n\n- **Save the token**: Select this option to keep the token for later sessions.\n\n"
        "    > [!NOTE]\n    > The token expires after a month. Export again after that.\n\n"
        "- Select **Export**.\n"
    )
    korean = (
        "# 제목\n\n- \n\n"
        "    > [!NOTE]\n    > 토큰은 한 달 후에 만료 됩니다. 그 후에는 다시 내보냅니다.\n\n"
        "- **내보내기**를 선택 합니다.\n"
    )
    assert ">p" in [b.kind for b in translation_blocks(korean, english_code(english))]
    _, units = aligned(english, korean)
    assert target(units, "The token expires after a month.") == "토큰은 한 달 후에 만료 됩니다."
    assert target(units, "Export again after that.") == "그 후에는 다시 내보냅니다."
    assert target(units, "Select **Export**.") == "**내보내기**를 선택 합니다."


def test_an_image_the_english_holds_as_it_is_is_no_translation_of_a_unit():
    # The English holds the image with its text already in Korean (as an sxs file's English does), outside every
    # unit: the translated paragraph that is only that image translates no unit, so the sentence the translation
    # dropped before it gets nothing.  An image whose text was translated stays a sentence of the translation.
    english = (
        "# Import\n\nYou can use network upload to import many files at once to the mailboxes of your organization.\n\n"
        "Network upload means that you upload the files to a storage area.\n\nHere's how it works:\n\n"
        "![파일 가져오기 워크플로](media/workflow.png)\n\n"
        "1. Download the tool and the key that you use to upload the files.\n\n"
        "2. Upload the files to the storage area in the cloud.\n"
    )
    korean = (
        "# 가져오기\n\n네트워크 업로드를 사용하여 조직의 사서함으로 많은 파일을 한 번에 가져올 수 있습니다.\n\n"
        "네트워크 업로드는 파일을 저장 영역으로 업로드하는 것을 의미합니다.\n\n"
        "![파일 가져오기 워크플로](media/workflow.png)\n\n"
        "1. 파일을 업로드하는 데 사용하는 도구와 키를 다운로드 합니다.\n\n"
        "2. 클라우드의 저장 영역에 파일을 업로드 합니다.\n"
    )
    done, units = aligned(english, korean)
    assert target(units, "Here's how it works:") is None
    assert target(units, "Network upload means that you upload the files to a storage area.") == (
        "네트워크 업로드는 파일을 저장 영역으로 업로드하는 것을 의미합니다."
    )
    assert not done.segment_file.archive
    done, _ = aligned(english, korean.replace("파일 가져오기 워크플로", "업로드 과정"))
    assert "업로드 과정" in [s.target for s in done.segment_file.segments + done.segment_file.archive]


def test_words_behind_a_stop_go_back_when_the_next_word_opens_sentences():
    # Machine translation put the last word of the first sentence ("온라인.", Exchange Online) behind its stop,
    # with a stop of its own: the splitter makes it a sentence, and the second target starts with it.  Nothing
    # else tells the two boundaries apart (no anchor, no word pairs), but "또한" opens this translation's
    # sentences: the boundary goes before it.
    text = (
        "# 제목\n\n보관 사서함을 설정 하 고 자동 확장 보관 기능을 켜면 됩니다. 온라인. "
        "또한 이렇게 하면 복구 가능한 항목 폴더의 저장 용량이 늘어납니다.\n\n"
        "또한 보존 정책은 계속 적용 됩니다. 또한 사용자는 보관 사서함에 액세스할 수 있습니다.\n"
    )
    first = "You can turn on the archive mailbox and then the auto-expanding archiving feature in Exchange Online."
    second = "Moreover, this increases the storage quota of the Recoverable Items folder."
    pieces = [p for b in translation_blocks(text) for p in b.pieces]
    assert [p.text for p in pieces[1:4]][1] == "온라인."
    targets = [
        Target(Piece(first, 0, 0, 1, features(first)), pieces[1].start, pieces[1].end),
        Target(Piece(second, 0, 0, 1, features(second)), pieces[2].start, pieces[3].end),
    ]
    ratio = len(text) / len(first + second + "Retention policies still apply. Users can still open the archive.")
    refine(targets, text, ratio, Endings(pieces), None, {p.start for p in pieces})
    assert text[targets[0].start : targets[0].end].endswith("켜면 됩니다. 온라인.")
    assert text[targets[1].start : targets[1].end].startswith("또한 이렇게 하면")


def test_a_number_the_splitter_cut_off_after_a_stop_goes_with_the_sentence_whose_english_ends_with_it():
    # A footnote mark after a space, and a version after the stop: the splitter makes sentences of numbers only.
    english = (
        "# Properties\n\n| Property | Description |\n|---|---|\n"
        "|Bcc|The Bcc field of an email message.<sup>1</sup>|\n"
        "|Cc|The Cc field of an email message.|\n\n"
        "Documents of the type application/vnd.ms-excel.sheet.macroenabled.12\n\n"
        "See the notes below.\n"
    )
    korean = (
        "# 속성\n\n| 속성 | 설명 |\n|---|---|\n"
        "|숨은 참조|전자 메일 메시지의 숨은 참조 필드입니다. <sup>1</sup>|\n"
        "|참조|전자 메일 메시지의 참조 필드입니다.|\n\n"
        "형식의 문서 application/vnd macroenabled. 12\n\n"
        "아래 참고 사항을 참조 하세요. 3\n"
    )
    _, units = aligned(english, korean)
    assert target(units, "The Bcc field of an email message.<sup>1</sup>") == (
        "전자 메일 메시지의 숨은 참조 필드입니다. <sup>1</sup>"
    )
    assert target(units, "The Cc field of an email message.") == "전자 메일 메시지의 참조 필드입니다."
    assert target(units, "Documents of the type application/vnd.ms-excel.sheet.macroenabled.12") == (
        "형식의 문서 application/vnd macroenabled. 12"
    )
    # A number the English sentence does not end with stays out.
    assert target(units, "See the notes below.") == "아래 참고 사항을 참조 하세요."


def test_punctuation_the_splitter_left_after_the_last_sentence_of_a_paragraph_stays_with_it():
    # The translation put the stop apart (" ."), or left a quote after the sentence: no sentence holds it, and
    # the unit's target would lose the end the translation wrote.
    english = (
        "# Title\n\nYou can organize the evidence by people of interest. The report lists them all.\n\n"
        'The dialog asks, "*Do you want to continue?*"\n'
    )
    korean = (
        "# 제목\n\n관심 있는 사용자 별로 증거를 구성할 수 있습니다. 보고서에는 모두 나열 됩니다. .\n\n"
        '대화 상자에서 "*계속 하 시겠습니까?* "\n'
    )
    blocks = translation_blocks(korean)
    assert blocks[1].pieces[-1].text == "보고서에는 모두 나열 됩니다. ."
    _, units = aligned(english, korean)
    assert target(units, "The report lists them all.") == "보고서에는 모두 나열 됩니다. ."
    assert target(units, "You can organize the evidence by people of interest.") == (
        "관심 있는 사용자 별로 증거를 구성할 수 있습니다."
    )
    assert target(units, 'The dialog asks, "*Do you want to continue?*"') == '대화 상자에서 "*계속 하 시겠습니까?* "'


def test_stops_the_splitter_left_between_two_sentences_stay_with_the_first():
    # " ." between two sentences of a paragraph: no sentence holds it, and a stop closes the sentence before it.
    english = (
        "# Title\n\nYou can organize the evidence by people of interest. The report lists them all.\n\n"
        "Export the report when the review is done.\n"
    )
    korean = (
        "# 제목\n\n관심 있는 사용자 별로 증거를 구성할 수 있습니다. . 보고서에는 모두 나열 됩니다.\n\n"
        "검토가 끝나면 보고서를 내보냅니다.\n"
    )
    assert [p.text for p in translation_blocks(korean)[1].pieces] == [
        "관심 있는 사용자 별로 증거를 구성할 수 있습니다. .",
        "보고서에는 모두 나열 됩니다.",
    ]
    _, units = aligned(english, korean)
    assert target(units, "You can organize the evidence by people of interest.") == (
        "관심 있는 사용자 별로 증거를 구성할 수 있습니다. ."
    )
    assert target(units, "The report lists them all.") == "보고서에는 모두 나열 됩니다."


def test_a_word_kept_in_latin_letters_behind_a_stop_goes_with_the_unit_whose_english_holds_it():
    # The translation put a space after "..": the splitter makes "value2" a sentence of its own, which no unit
    # takes alone; it is the end of the term the unit before it holds.
    english = (
        "# Ranges\n\nUse this syntax for a range of values.\n\nproperty:value1..value2\n\n"
        "The range includes both values.\n"
    )
    korean = (
        "# 범위\n\n값 범위에는 이 구문을 사용합니다.\n\n속성: value1.. value2\n\n범위에는 두 값이 모두 포함됩니다.\n"
    )
    assert [p.text for p in translation_blocks(korean)[2].pieces] == ["속성: value1..", "value2"]
    done, units = aligned(english, korean)
    assert target(units, "property:value1..value2") == "속성: value1.. value2"
    assert target(units, "The range includes both values.") == "범위에는 두 값이 모두 포함됩니다."
    assert not done.segment_file.archive


def test_stops_that_open_a_table_cell_stay_with_its_sentence():
    # The translation wrote the file extension apart (". xhtml"): the splitter starts the cell's sentence after
    # the stop, and the unit's target would lose it.
    english = "# Types\n\n| Type | Extension |\n|---|---|\n| XHTML page | .xhtml |\n| SVG image | .svg |\n"
    korean = "# 형식\n\n| 형식 | 확장명 |\n|---|---|\n| XHTML 페이지 | . xhtml |\n| SVG 이미지 | .svg |\n"
    assert translation_blocks(korean)[-3].pieces[0].text == ". xhtml"
    _, units = aligned(english, korean)
    assert target(units, ".xhtml") == ". xhtml"
    assert target(units, ".svg") == ".svg"


def test_a_list_item_whose_first_line_the_translation_lost_pairs_with_what_it_left_in_code():
    # "2. " lost its text, so the item's lettered lines became an indented code block read as a paragraph (kind
    # "nested"); the English keeps them in the list item.  In the gap the two blocks pair by their sentences.
    english = (
        "# Title\n\n1. Open the mailbox report.\n\n2. Review the retention policy and do the following:\n"
        "    a. Save the alert folder.\n    b. Export the user message.\n\n3. Delete the archive rule.\n"
    )
    korean = (
        "# 제목\n\n1. 사서함 보고서을 엽니다.\n\n2. \n\n"
        "    a. 경고 폴더을 저장합니다.\n    b. 사용자 메시지을 내보냅니다.\n\n3. 보관 규칙을 삭제합니다.\n"
    )
    found = _aligned_with_project_pairs(english, korean)
    assert found["a. Save the alert folder."] == "a. 경고 폴더을 저장합니다."
    assert found["b. Export the user message."] == "b. 사용자 메시지을 내보냅니다."
    assert found["Review the retention policy and do the following:"] == ""
    assert found["Delete the archive rule."] == "보관 규칙을 삭제합니다."


def test_markup_the_translation_scattered_goes_with_the_sentence_whose_english_holds_it():
    # Machine translation broke the first sentence's image and left its opening "![" (with emphasis marks)
    # at the head of the next sentence, whose English has no image.
    text = (
        "# 제목\n\n추가 아이콘](media/add.gif) 추가를 클릭 하 여 사서함을 지정 합니다. "
        "****![ 검색 상자를 사용 하 여 사용자를 찾습니다.\n"
    )
    first = "Click **Add**![Add Icon](media/add.gif) to specify mailboxes."
    second = "Use the search box to find users."
    _, two, targets, refined = _touching(text, first, second)
    assert two.text.startswith("****![")
    refined()
    assert text[targets[0].start : targets[0].end].endswith("지정 합니다. ****![")
    assert text[targets[1].start : targets[1].end] == "검색 상자를 사용 하 여 사용자를 찾습니다."


def test_code_or_a_link_the_splitter_left_after_a_stop_goes_with_the_sentence_whose_english_holds_it():
    # A sentence of code or a URL only has no letter: the splitter makes no sentence of it, and the unit whose
    # English holds it would lose it.  In a table cell it ends at the tag that ends the sentence.
    english = (
        "# Title\n\nHere is an example of a site URL: `https://contoso.sharepoint.com/sites/a`.\n\n"
        "To go to the page directly, use this URL: "
        "[https://protection.office.com/quarantine](https://protection.office.com/quarantine)\n\n"
        "| Name | Value |\n|---|---|\n"
        "|Identity|(You can also run it for one user: `Get-Status -Identity <value>`) <p>It returns the user.|\n\n"
        "The filter runs on every message.\n"
    )
    korean = (
        "# 제목\n\n사이트 URL의 예는 다음과 같습니다. `https://contoso.sharepoint.com/sites/a`.\n\n"
        "페이지로 바로 이동하려면 다음 URL을 사용합니다. "
        "[https://protection.office.com/quarantine](https://protection.office.com/quarantine)\n\n"
        "| 이름 | 값 |\n|---|---|\n"
        "|Identity|(한 사용자에 대해 실행할 수도 있습니다. `Get-Status -Identity <value>`) <p>사용자를 반환 합니다.|\n\n"
        "필터는 모든 메시지에서 실행됩니다.\n"
    )
    _, units = aligned(english, korean)
    assert target(units, "Here is an example of a site URL: `https://contoso.sharepoint.com/sites/a`.") == (
        "사이트 URL의 예는 다음과 같습니다. `https://contoso.sharepoint.com/sites/a`."
    )
    assert target(
        units,
        "To go to the page directly, use this URL: "
        "[https://protection.office.com/quarantine](https://protection.office.com/quarantine)",
    ) == (
        "페이지로 바로 이동하려면 다음 URL을 사용합니다. "
        "[https://protection.office.com/quarantine](https://protection.office.com/quarantine)"
    )
    assert target(units, "(You can also run it for one user: `Get-Status -Identity <value>`)") == (
        "(한 사용자에 대해 실행할 수도 있습니다. `Get-Status -Identity <value>`)"
    )
    assert target(units, "The filter runs on every message.") == "필터는 모든 메시지에서 실행됩니다."


def test_a_translation_that_is_only_a_links_text_keeps_the_link_the_english_holds():
    english = (
        "# Title\n\nFor more information, see [Spam filter policies](spam-policies.md).\n\n"
        "The filter runs on every message.\n"
    )
    korean = "# 제목\n\n[스팸 필터 정책](spam-policies.md)\n\n필터는 모든 메시지에서 실행됩니다.\n"
    _, units = aligned(english, korean)
    assert target(units, "For more information, see [Spam filter policies](spam-policies.md).") == (
        "[스팸 필터 정책](spam-policies.md)"
    )
    # A unit that is a link's text (a segmentation that cuts links' texts apart) takes the text only.
    old = untranslated(("1", "Title", 1, 3), ("2", "Spam filter policies", 3, 2))
    _, units = aligned(
        "# Title\n\n[Spam filter policies](spam-policies.md)\n", "# 제목\n\n[스팸 필터 정책](spam-policies.md)\n", old
    )
    assert target(units, "Spam filter policies") == "스팸 필터 정책"


def test_a_number_the_splitter_cut_off_before_a_heading_goes_with_it_when_its_english_starts_with_it():
    # After an anchor tag the splitter makes a sentence of the heading's "1.": a unit that holds it (a
    # segmentation that keeps it) takes it back.
    english = '# Title\n\n## <a name="spoofed"></a>1. Spoofed messages deceive users\n\nThey look real.\n'
    korean = '# 제목\n\n## <a name="spoofed"></a>1. 위조 메시지의 사용자 기만\n\n진짜처럼 보입니다.\n'
    old = untranslated(
        ("1", "Title", 1, 3),
        ("2", "1. Spoofed messages deceive users", 3, 26),
        ("3", "They look real.", 5, 1),
    )
    _, units = aligned(english, korean, old)
    assert target(units, "1. Spoofed messages deceive users") == "1. 위조 메시지의 사용자 기만"
    assert target(units, "They look real.") == "진짜처럼 보입니다."


def test_word_pairs_tell_which_list_items_the_translation_dropped_where_three_drops_make_one_wide_gap():
    items = [
        ("Open the retention alert.", "보존 경고을 엽니다."),
        ("Review the policy archive.", "정책 보관을 검토합니다."),
        ("Create the report rule.", "보고서 규칙을 만듭니다."),
        ("Delete the rule mailbox.", "규칙 사서함을 삭제합니다."),
        ("Save the message archive.", "메시지 보관을 저장합니다."),
        ("Export the alert search.", "경고 검색을 내보냅니다."),
        ("Review the search folder.", "검색 폴더을 검토합니다."),
        ("Copy the user label.", "사용자 레이블을 복사합니다."),
        ("Open the mailbox report.", "사서함 보고서을 엽니다."),
        ("Select the folder policy.", "폴더 정책을 선택합니다."),
        ("Save the label rule.", "레이블 규칙을 저장합니다."),
        ("Delete the search user.", "검색 사용자을 삭제합니다."),
    ]
    # The pairs near each dropped item are paired again with the word pairs; near three drops four places apart
    # they make one gap of 12 English items by 9 translated ones, which must still be searched as one.
    dropped = {1, 5, 9}
    english = "# Title\n\nThe steps:\n\n" + "".join(f"- {e}\n" for e, _ in items) + "\nDone.\n"
    korean = (
        "# 제목\n\n단계:\n\n" + "".join(f"- {k}\n" for n, (_, k) in enumerate(items) if n not in dropped) + "\n완료.\n"
    )
    found = _aligned_with_project_pairs(english, korean)
    assert all(found[e] == ("" if n in dropped else k) for n, (e, k) in enumerate(items))


def test_word_pairs_know_a_short_words_other_forms():
    # The table learned "user", "label", "policy"; the article has them in the plural, where the first six
    # letters of "users", "labels", "policies" are not those of the word.  Every item has the same verb, so
    # only the nouns tell which item the translation dropped.
    items = [
        ("Review the labels and alerts.", "레이블 경고을 검토합니다."),
        ("Review the policies and rules.", "정책 규칙을 검토합니다."),
        ("Review the users and labels.", "사용자 레이블을 검토합니다."),
        ("Review the rules and users.", "규칙 사용자을 검토합니다."),
        ("Review the alerts and policies.", "경고 정책을 검토합니다."),
        ("Review the labels and rules.", "레이블 규칙을 검토합니다."),
        ("Review the users and alerts.", "사용자 경고을 검토합니다."),
    ]
    english = "# Title\n\nThe steps:\n\n" + "".join(f"- {e}\n" for e, _ in items) + "\nDone.\n"
    korean = "# 제목\n\n단계:\n\n" + "".join(f"- {k}\n" for n, (_, k) in enumerate(items) if n != 1) + "\n완료.\n"
    found = _aligned_with_project_pairs(english, korean)
    assert all(found[e] == ("" if n == 1 else k) for n, (e, k) in enumerate(items))
    assert english_words("Enabling enabled policies") == english_words("enable policy")
    assert english_words("access status this") == {"access", "status", "this"}


def test_a_colon_ending_a_lead_in_is_a_word_the_translation_says_in_words():
    # A unit of two sentences whose second is a lead-in to a list ("You can:"): the translation says the colon in
    # words ("다음과 같은 ... 수 있습니다"), which the project's lead-ins teach ("follow these steps:" is "다음
    # 단계를 따르세요").  Without the colon as a word, those words only lack their partners ("follow", "step")
    # and the second translated sentence looks like one the translation added.
    def lead_ins(k: int, verb: _Words, a: _Words, b: _Words) -> _Words | None:
        if k % 8 == 0:
            return f"For the {a[0]} {b[0]}, follow these steps:", f"{a[1]} {b[1]}의 경우 다음 단계를 따르세요."
        if k % 8 == 1:
            return f"Perform the {a[0]} {b[0]} action.", f"{a[1]} {b[1]} 작업을 수행합니다."
        return None

    assert ":" in english_words("You **can**:") and ":" not in english_words("Open the rule.")
    english = "# Title\n\nOpen the alert rules. You can:\n\n- Review the policies.\n- Delete the users.\n"
    korean = (
        "# 제목\n\n경고 규칙을 엽니다. 경고 규칙으로 다음과 같은 작업을 수행할 수 있습니다.\n\n"
        "- 정책을 검토합니다.\n- 사용자을 삭제합니다.\n"
    )
    old = untranslated(
        ("1", "Title", 1, 3),
        ("2", "Open the alert rules. You can:", 3, 1),
        ("3", "Review the policies.", 5, 3),
        ("4", "Delete the users.", 6, 3),
    )
    done = align_article(
        english, korean, old, path="a.md", language="ko-KR", translation_path="k.md", lexicon=_project_table(lead_ins)
    )
    units = {s.source: s for s in done.segment_file.segments}
    assert units["Open the alert rules. You can:"].target == (
        "경고 규칙을 엽니다. 경고 규칙으로 다음과 같은 작업을 수행할 수 있습니다."
    )
    assert units["Delete the users."].target == "사용자을 삭제합니다."


def test_sentence_ends_learned_over_the_project_tell_a_rare_word_from_a_sentence_end():
    # One translated sentence for two English ones: in this article alone "검토" is seen once and never inside a
    # sentence, so a cut after it looks like a sentence end; the project's translations show it never ends one.
    english = (
        "# Remediate files\n\nUpload the files that you fixed.\n\n"
        "When processing is complete. You can return to the review set and see the remediated file.\n\n"
        "The metadata is kept.\n"
    )
    korean = (
        "# 파일 수정\n\n수정한 파일을 업로드 합니다.\n\n"
        "처리가 완료 되 면 검토 집합으로 돌아가 재구성 된 파일을 볼 수 있습니다.\n\n메타 데이터는 유지 됩니다.\n"
    )
    others = "\n\n".join(
        [
            "설정을 검토 하 고 저장 합니다.",
            "검토 집합을 만든 다음 파일을 추가 합니다.",
            "문서를 검토 하 여 태그를 지정 합니다.",
            "검토 집합에서 파일을 엽니다.",
            "작업이 완료 되 면 알림이 표시 됩니다.",
            "내보내기가 완료 되 면 파일을 다운로드 합니다.",
            "검색이 완료 되 면 결과를 검토 합니다.",
            "검토 후 사례를 닫습니다.",
        ]
    )
    project = Endings(p for b in translation_blocks(others) for p in b.pieces)
    done = align_article(
        english, korean, None, path="a.md", language="ko-KR", translation_path="ko/a.md", endings=project
    )
    units = {s.source: s for s in done.segment_file.segments}
    assert target(units, "When processing is complete.") == "처리가 완료 되 면"
    assert target(units, "You can return to the review set and see the remediated file.") == (
        "검토 집합으로 돌아가 재구성 된 파일을 볼 수 있습니다."
    )
    # The article alone cuts after the word it saw once.
    _, alone = aligned(english, korean)
    assert target(alone, "When processing is complete.") == "처리가 완료 되 면 검토"


def test_a_word_that_opens_sentences_is_no_start_where_it_follows_the_word_it_usually_follows():
    # One translated sentence for two English ones, cut with no stop: "Exchange" opens many of the project's
    # sentences, but inside them it follows "또는" (or), which itself opens some: the cut falls before "또는".
    english = (
        "# Retention\n\nChange the period back to its old value. Or leave Exchange Online at the maximum of 30 days.\n"
    )
    korean = "# 보존\n\n보존 기간을 이전 값으로 변경 또는 Exchange Online에서 최대 30 일로 그대로 둡니다.\n"
    others = "\n\n".join(
        [
            "Exchange Online은 메일을 보호 합니다.",
            "Exchange 관리 센터를 엽니다.",
            "Exchange Online에서 사서함을 만듭니다.",
            "사서함 또는 Exchange 서버를 선택 합니다.",
            "SharePoint 또는 Exchange 설정을 확인 합니다.",
            "정책 또는 Exchange 규칙을 변경 합니다.",
            "또는 설정을 그대로 둡니다.",
            "또는 정책을 삭제 합니다.",
        ]
    )
    project = Endings(p for b in translation_blocks(others) for p in b.pieces)
    done = align_article(
        english, korean, None, path="a.md", language="ko-KR", translation_path="ko/a.md", endings=project
    )
    units = {s.source: s for s in done.segment_file.segments}
    assert target(units, "Change the period back to its old value.") == "보존 기간을 이전 값으로 변경"
    assert target(units, "Or leave Exchange Online at the maximum of 30 days.") == (
        "또는 Exchange Online에서 최대 30 일로 그대로 둡니다."
    )


def test_the_word_pair_at_a_cut_is_no_evidence_of_itself_even_when_the_article_is_in_the_projects_sample():
    # An article of the project's sample is counted twice (its own sentences and the project's): the pair of
    # words at a cut is left out as often, so a pair seen nowhere else falls back to how much the word opens
    # sentences, while a pair seen inside other sentences says the word is no start there.
    korean = (
        "# 보존\n\n보존 기간을 이전 값으로 변경 Exchange Online은 항목을 30 일 동안 보관 합니다.\n\n"
        "규칙 또는 Exchange 설정을 확인 합니다.\n"
    )
    others = "\n\n".join(
        [
            "Exchange Online은 메일을 보호 합니다.",
            "Exchange 관리 센터를 엽니다.",
            "설정 또는 Exchange 규칙을 확인 합니다.",
        ]
    )

    def pieces(text: str) -> list[Piece]:
        return [p for b in translation_blocks(text) for p in b.pieces]

    for project in (
        Endings((), Endings(pieces(others))),
        Endings((), Endings(pieces(others)), Endings(pieces(korean))),
    ):
        article = Endings(pieces(korean), project)
        assert article.follows("변경", "Exchange") == article.opens("Exchange") > 0
        assert article.follows("또는", "Exchange") < article.opens("Exchange") - 1


def test_a_projects_word_pairs_are_learned_from_a_tenth_of_its_articles_spread_over_all():
    from bitext.translate.align.run import project_sample

    rels = [f"a{k:04}.md" for k in range(100)]
    assert project_sample(rels) == rels[5::10]
    # A large project is sampled as widely, up to 200 articles.
    assert len(project_sample([f"a{k:04}.md" for k in range(5000)])) == 200


def test_a_comment_inside_a_translated_sentence_parts_the_words_around_it():
    # The English has two units on both sides of a comment; the translation glued its words to the comment:
    # the cut between the units falls at the comment, which neither takes.
    english = "# Strings\n\nThe string testacs.<!--no-hyperlink-->com is kept.\n\nThe string is checked.\n"
    korean = "# 문자열\n\n문자열 testacs입니다.<!--no-hyperlink-->ccw 유지 됩니다.\n\n문자열이 확인 됩니다.\n"
    old = untranslated(
        ("1", "Strings", 1, 3),
        ("2", "The string testacs.", 3, 1),
        ("3", "com is kept.", 3, 39),
        ("4", "The string is checked.", 5, 1),
    )
    _, units = aligned(english, korean, old)
    assert target(units, "The string testacs.") == "문자열 testacs입니다."
    assert target(units, "com is kept.") == "ccw 유지 됩니다."
    assert target(units, "The string is checked.") == "문자열이 확인 됩니다."


def test_a_word_counts_for_a_pair_as_strongly_as_it_goes_with_the_partner_the_pair_holds():
    from bitext.translate.align.lexicon import Lexicon, translated_words

    # "Compliance" mostly comes in the name "Security & Compliance Center", so it goes with "보안" (security)
    # too, though half as often as with "준수": a translation of "security" must not count as much for it.
    learned = [
        *[("Open the Security & Compliance Center.", "보안 및 준수 센터를 엽니다.")] * 20,
        *[("Review the compliance policy.", "준수 정책을 검토합니다.")] * 20,
        *[("Review the security alert.", "보안 경고를 검토합니다.")] * 20,
        *[("Open the user mailbox.", "사용자 사서함을 엽니다.")] * 20,
    ]
    table = Lexicon([(english_words(e), translated_words(k)) for e, k in learned])
    korean = translated_words("보안 경고")
    assert (
        table.score(english_words("Security alert"), korean)
        > table.score(english_words("Compliance alert"), korean) + 0.4
    )


def test_lines_of_a_list_item_whose_first_line_the_translation_lost_pair_with_the_english_item():
    # The translated step lost its first line: its next lines start a block of their own, indented under the
    # list, where the English keeps them in the step's block; the two blocks pair when nothing else is left.
    english = (
        "# Title\n\n1. Open the page.\n"
        "2. In **Policy mode**, choose the following settings, and then click **Next**.  \n"
        "    a. Select the option for **Test it out first**  \n"
        "    b. Select the check box for **Show policy tips while in test mode**\n"
        "3. Review your settings, and then click **Create**.\n"
    )
    korean = (
        "# 제목\n\n1. 페이지를 엽니다.\n"
        "2.   \n"
        "    a. **먼저 테스트 수행**에 대한 옵션 선택  \n"
        "    b. **테스트 모드인 경우 정책 팁 표시**에 대한 확인란 선택\n"
        "3. 설정을 검토한 다음 **만들기**를 클릭합니다.\n"
    )
    found = _aligned_with_project_pairs(english, korean)
    assert found["a. Select the option for **Test it out first**"] == "a. **먼저 테스트 수행**에 대한 옵션 선택"
    assert found["b. Select the check box for **Show policy tips while in test mode**"] == (
        "b. **테스트 모드인 경우 정책 팁 표시**에 대한 확인란 선택"
    )
    assert found["In **Policy mode**, choose the following settings, and then click **Next**."] == ""


def test_a_translated_line_of_plain_text_with_no_letter_is_a_sentence_for_a_unit_that_is_that_text():
    # A script shown as text: its braces are units of their own (as in an sxs file), and the translation's
    # braces, lines with no letter, are its sentences too; a link or code with no letter is still none.
    english = "# Title\n\nRun this:\n\ntry\n\n{\n\nGet the event\n\n}\n\nDone.\n"
    korean = "# 제목\n\n다음을 실행 합니다.\n\ntry\n\n{\n\n이벤트 가져오기\n\n}\n\n[](https://example.com)\n\n완료.\n"
    old = untranslated(
        ("1", "Title", 1, 3),
        ("2", "Run this:", 3, 1),
        ("3", "try", 5, 1),
        ("4", "{", 7, 1),
        ("5", "Get the event", 9, 1),
        ("6", "}", 11, 1),
        ("7", "Done.", 13, 1),
    )
    _, units = aligned(english, korean, old)
    assert target(units, "{") == "{"
    assert target(units, "}") == "}"
    assert target(units, "Get the event") == "이벤트 가져오기"
    assert target(units, "Done.") == "완료."


_LETTERED = (
    "# Title\n\n1. Configure the search:\n\n"
    "    a. **Activities:** Open the mailbox report. Select the retention policy.\n\n"
    "    b. **Start date:** Save the alert folder. Export the user message.\n\n"
    "    c. **Users:** Delete the archive rule. Copy the search label.\n\n"
    "    d. **Sites:** Create the user folder. Review the alert message.\n\n"
    "2. Open the archive report.\n"
)


def test_a_list_label_that_is_a_unit_of_its_own_takes_the_label_opening_the_translated_item():
    # The English segmenter makes a unit of a label opening a paragraph.  The translation keeps the label ("a."),
    # writes it in its own script ("가."), mangles it ("&.": no letter) or lost the sentence after it ("b."
    # before the second sentence): the label is the label unit's, never the next unit's head.
    korean = (
        "# 제목\n\n1. 검색을 구성합니다.\n\n"
        "    가. **활동:** 사서함 보고서을 엽니다. 보존 정책을 선택합니다.\n\n"
        "    b.  사용자 메시지을 내보냅니다.\n\n"
        "    &. **사용자:** 보관 규칙을 삭제합니다. 검색 레이블을 복사합니다.\n\n"
        "    d. **사이트:** 사용자 폴더을 만듭니다. 경고 메시지을 검토합니다.\n\n"
        "2. 보관 보고서을 엽니다.\n"
    )
    found = _aligned_with_project_pairs(_LETTERED, korean)
    assert [found[label] for label in ("a.", "b.", "c.", "d.")] == ["가.", "b.", "&.", "d."]
    assert found["**Activities:** Open the mailbox report."] == "**활동:** 사서함 보고서을 엽니다."
    assert found["**Start date:** Save the alert folder."] == ""
    assert found["Export the user message."] == "사용자 메시지을 내보냅니다."
    assert found["**Users:** Delete the archive rule."] == "**사용자:** 보관 규칙을 삭제합니다."
    assert found["**Sites:** Create the user folder."] == "**사이트:** 사용자 폴더을 만듭니다."


def test_a_list_label_opening_a_line_of_a_paragraph_is_the_label_units_when_the_english_has_one():
    # A lettered sub-item continuing its step's paragraph (no blank line), segmented as an sxs file segments it:
    # the label is a unit.  The translated label, mangled ("&.": no letter), opens a line, not the run.
    english = (
        "# Title\n\n1. Open the mailbox report. If it is: a. Save the alert folder.\n    b. Export the user message.\n"
    )
    korean = "# 제목\n\n1. 사서함 보고서을 엽니다. 다음과 같은 경우: a. 경고 폴더을 저장합니다.\n    &. 사용자 메시지을 내보냅니다.\n"
    lines = english.split("\n")
    sources = [(1, "Title"), (3, "Open the mailbox report."), (3, "If it is: a."), (3, "Save the alert folder.")]
    sources += [(4, "b."), (4, "Export the user message.")]
    old = untranslated(*((str(k), text, n, lines[n - 1].index(text) + 1) for k, (n, text) in enumerate(sources)))
    _, units = aligned(english, korean, old)
    assert target(units, "b.") == "&."
    assert target(units, "Export the user message.") == "사용자 메시지을 내보냅니다."
    assert target(units, "Save the alert folder.") == "경고 폴더을 저장합니다."


def test_translated_list_labels_stay_with_their_sentence_when_the_english_keeps_its_own_there():
    # The English segmenter keeps a label with its sentence on a line after a hard break: no label unit, so the
    # translation's labels stay where they are, not with the sentence before them.
    english = (
        "# Title\n\n1. Review the retention policy:  \n    a. Save the alert folder  \n"
        "    b. Export the user message\n2. Open the archive report.\n"
    )
    korean = "# 제목\n\n1. 보존 정책을 검토합니다.  \n    a. 경고 폴더을 저장합니다  \n    b. 사용자 메시지을 내보냅니다\n2. 보관 보고서을 엽니다.\n"
    found = _aligned_with_project_pairs(english, korean)
    assert "a." not in found
    assert found["Review the retention policy:"] == "보존 정책을 검토합니다."
    assert found["a. Save the alert folder"] == "a. 경고 폴더을 저장합니다"
    assert found["b. Export the user message"] == "b. 사용자 메시지을 내보냅니다"


def test_bullets_of_an_item_whose_first_line_the_translation_lost_are_items_without_their_markers():
    # "2. " lost its text, so its bullets became an indented code block read as text: each bullet line starts
    # a block of its own, as the Markdown of a list reads it, and its marker is no text of the unit's.
    english = (
        "# Title\n\n1. Open the mailbox report.\n\n2. Do one of the following:\n\n"
        "    - Save the alert folder.\n    - Export the user message.\n\n3. Delete the archive rule.\n"
    )
    korean = (
        "# 제목\n\n1. 사서함 보고서을 엽니다.\n\n2. \n\n"
        "    - 경고 폴더을 저장합니다.\n    - 사용자 메시지을 내보냅니다.\n\n3. 보관 규칙을 삭제합니다.\n"
    )
    blocks = translation_blocks(korean, english_code(english))
    assert [[p.text for p in b.pieces] for b in blocks[-3:-1]] == [
        ["경고 폴더을 저장합니다."],
        ["사용자 메시지을 내보냅니다."],
    ]
    found = _aligned_with_project_pairs(english, korean)
    assert found["Save the alert folder."] == "경고 폴더을 저장합니다."
    assert found["Export the user message."] == "사용자 메시지을 내보냅니다."


def test_a_hyphen_item_the_translation_made_of_a_dash_the_english_writes_as_text_is_that_paragraph():
    # The English writes its bullets as en dashes, text to Markdown; machine translation made them hyphens, list
    # items.  They are the English's paragraphs, the hyphen where the English has its dash.
    english = (
        "# Title\n\n1. Add the following settings:\n\n"
        "    \u2013 **Folder** \u2013 Save the alert folder.\n\n"
        "    \u2013 **Message** \u2013 Export the user message.\n\n2. Open the archive report.\n"
    )
    korean = (
        "# 제목\n\n1. 다음 설정을 추가합니다.\n\n"
        "    - **폴더** -경고 폴더을 저장합니다.\n\n"
        "    \u2013 **메시지** -사용자 메시지을 내보냅니다.\n\n2. 보관 보고서을 엽니다.\n"
    )
    found = _aligned_with_project_pairs(english, korean)
    assert found["\u2013 **Folder** \u2013 Save the alert folder."] == "- **폴더** -경고 폴더을 저장합니다."
    assert (
        found["\u2013 **Message** \u2013 Export the user message."] == "\u2013 **메시지** -사용자 메시지을 내보냅니다."
    )
    # With bullet items of its own, the English's hyphen items are lists: the translation's are read as such.
    bulleted = english.replace("2. Open the archive report.\n", "2. Open the archive report:\n\n    - Copy it.\n")
    assert translation_blocks(korean, dashes=dashed(bulleted))[2].kind == "li"


def test_a_target_of_two_sentences_ending_with_a_links_text_keeps_the_link():
    # The translation put a stop inside the link's text, so its last sentence is that text alone; the unit's
    # English holds the link, and its target ends with the whole link as a one-sentence target would.
    english = "# Title\n\nOpen the mailbox report: [Save the alert folder](https://example.com/a.html)\n\nDelete it.\n"
    korean = "# 제목\n\n사서함 보고서을 엽니다. [경고 폴더을 저장합니다. ](https://example.com/a.html)\n\n삭제합니다.\n"
    _, units = aligned(english, korean)
    assert target(units, "Open the mailbox report: [Save the alert folder](https://example.com/a.html)") == (
        "사서함 보고서을 엽니다. [경고 폴더을 저장합니다. ](https://example.com/a.html)"
    )
