"""The sxs reader/writer: pairs, front matter, defects, lossless round trip."""

from __future__ import annotations

import pytest
import yaml

from bitext.core.errors import BitextError
from bitext.core.files import decode_strict
from bitext.formats import sxs


def P(seg_id: str, ko: str, en: str) -> str:
    return sxs.pair(seg_id, ko, en)


HEADER = """---
title: 시작하기
ms.author: someone
description: '설명: 콜론'
ms.translationtype: MT
ms.contentlocale: ko-KR
ms.locfileid: "123"
---
"""


def sample() -> str:
    return (
        HEADER + f'# <a name="getting-started"></a>{P("x-101", "시작하기", "Getting started")}\n\n'
        f"{P('x-102', '첫 문장입니다.', 'First sentence.')} {P('x-103', '둘째.', 'Second.')}\n\n"
        "```powershell\nGet-Mailbox\n```\n"
    )


def test_english_article_has_no_spans_and_keeps_anchors():
    article = sxs.parse(sample(), "a.md")
    assert "span" not in article.english
    assert '# <a name="getting-started"></a>Getting started\n' in article.english
    assert "First sentence. Second.\n" in article.english
    assert "ms.locfileid" not in article.english and "ms.contentlocale" not in article.english
    # title's English is known from the heading pair with the same translation
    assert article.english.startswith("---\ntitle: Getting started\nms.author: someone\n---\n")


def test_segment_file_holds_pairs_metadata_and_front_matter_units():
    sf = sxs.parse(sample(), "a.md").segment_file
    assert sf.target_language == "ko-KR"
    assert sf.metadata == 'ms.translationtype: MT\nms.contentlocale: ko-KR\nms.locfileid: "123"\n'
    units = {s.id: s for s in sf.segments}
    assert units["x-102"].source == "First sentence." and units["x-102"].target == "첫 문장입니다."
    assert units["x-102"].state == "translated" and units["x-102"].state_qualifier == "mt-suggestion"
    assert (units["x-102"].line, units["x-102"].column) == (7, 1)
    assert (units["x-103"].line, units["x-103"].column) == (7, 17)
    assert units["title"].key == "title" and units["title"].source == "Getting started"
    assert units["description"].source == "" and units["description"].target == "설명: 콜론"


def test_round_trip_is_byte_exact():
    text = sample()
    article = sxs.parse(text, "a.md")
    assert sxs.write(article.english, article.segment_file) == text


def test_double_quoted_front_matter_round_trips_and_the_english_follows_its_style():
    """Another pipeline may double-quote every title; the English and the translation keep the quotes."""
    text = sample().replace("title: 시작하기", 'title: "시작하기"')
    article = sxs.parse(text, "a.md")
    assert article.english.startswith('---\ntitle: "Getting started"\n')
    assert sxs.write(article.english, article.segment_file) == text
    # A translation with a quote or backslash is escaped as YAML's double-quoted style requires.
    unit = next(s for s in article.segment_file.segments if s.key == "title")
    unit.target = '"따옴표" \\ 시작'
    written = sxs.write(article.english, article.segment_file)
    assert 'title: "\\"따옴표\\" \\\\ 시작"\n' in written
    line = next(row for row in written.splitlines() if row.startswith("title:"))
    assert yaml.safe_load(line) == {"title": '"따옴표" \\ 시작'}


def test_human_translation_has_no_mt_qualifier():
    article = sxs.parse(sample().replace("translationtype: MT", "translationtype: HT"), "a.md")
    assert all(s.state_qualifier is None for s in article.segment_file.segments)


def test_empty_target_needs_translation():
    text = P("x-1", "", "Only English.") + "\n"
    seg = sxs.parse(text, "inc.md", language="ko-KR").segment_file.segments[0]
    assert seg.target == "" and seg.state == "needs-translation"


def test_multiline_span_and_seed_round_trip(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    article = sxs.parse(text, seed_path.name)
    assert len(article.segment_file.body_segments()) == text.count("data-ttu-id=") == 46
    assert sxs.write(article.english, article.segment_file) == text
    multi = P("m-1", "한 줄\n두 줄", "one line\ntwo lines") + "\n"
    art = sxs.parse(multi, "m.md", language="ko-KR")
    assert art.english == "one line\ntwo lines\n"
    assert sxs.write(art.english, art.segment_file) == multi


def errors_of(text: str) -> list[str]:
    with pytest.raises(BitextError) as exc:
        sxs.parse(text, "bad.md", language="ko-KR")
    return [str(f) for f in exc.value.findings]


def test_unpaired_span_names_its_line():
    text = "line one\n\n" + '<span data-ttu-id="a-1">한국어</span> no English here\n'
    [message] = errors_of(text)
    assert message.startswith("bad.md:3: unpaired-span:") and "a-1" in message


def test_lookup_without_target_is_unpaired():
    text = 'x\n<span class="sxs-lookup"><span data-stu-id="a-1">English</span></span>\n'
    [message] = errors_of(text)
    assert message.startswith("bad.md:2: unpaired-span:")


def test_mismatched_ids():
    text = "\n" + '<span data-ttu-id="a-1">가</span><span class="sxs-lookup"><span data-stu-id="a-2">A</span></span>\n'
    [message] = errors_of(text)
    assert message.startswith("bad.md:2: mismatched-id:") and "'a-1'" in message and "'a-2'" in message


def test_unclosed_span():
    text = '<span data-ttu-id="a-1">가 never closed\n\n' + P("a-2", "나", "B") + "\n"
    messages = errors_of(text)
    assert messages[0].startswith("bad.md:1: unclosed-span:")


def test_duplicate_ids():
    text = P("a-1", "가", "A") + "\n\n" + P("a-1", "나", "B") + "\n"
    [message] = errors_of(text)
    assert message.startswith("bad.md:3: duplicate-id:") and "line 1" in message


def test_every_defect_is_reported_not_just_the_first():
    text = P("a-1", "가", "A") + "\n" + P("a-1", "나", "B") + "\n" + '<span data-ttu-id="z">고아</span>\n'
    assert len(errors_of(text)) == 2


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"\xef\xbb\xbf---\n", "bad.md:1: bom:"),
        (b"ok\nok\n\xff\xfe\n", "bad.md:3: encoding:"),
        (b"one\ntwo\r\nthree\n", "bad.md:2: line-ending: CRLF"),
    ],
)
def test_encoding_defects(data, expected):
    with pytest.raises(BitextError) as exc:
        decode_strict(data, "bad.md")
    assert str(exc.value).startswith(expected)


def test_the_published_translation_is_every_pair_replaced_by_its_target_with_the_header_kept():
    assert sxs.translation(sample(), "a.md") == (
        HEADER + '# <a name="getting-started"></a>시작하기\n\n첫 문장입니다. 둘째.\n\n```powershell\nGet-Mailbox\n```\n'
    )
    with pytest.raises(BitextError, match="unclosed span"):
        sxs.translation(sample().replace("첫 문장입니다.</span>", "첫 문장입니다."), "a.md")


def test_pairs_are_the_spans_in_order_with_where_each_whole_pair_stands():
    text = sample()
    found = sxs.pairs(text, "a.md")
    assert [(p.id, p.target, p.source) for p in found] == [
        ("x-101", "시작하기", "Getting started"),
        ("x-102", "첫 문장입니다.", "First sentence."),
        ("x-103", "둘째.", "Second."),
    ]
    assert [text[p.start : p.end] for p in found] == [P(p.id, p.target, p.source) for p in found]
    with pytest.raises(BitextError, match="duplicate id"):
        sxs.pairs(text.replace('"x-103"', '"x-102"'), "a.md")
