"""The Korean facts QA and search share (bitext.lang.ko), and that both read them from there."""

from __future__ import annotations

from bitext.lang import ko
from bitext.translate.qa.checks import split_words
from bitext.translate.qa.pair import Side


def test_split_syllables_finds_machine_translation_spacing_with_positions():
    text = "이 테 넌 트가 차단된 각 사용자"
    found = [(m.group(), ko.split_pieces(m)) for m in ko.SPLIT_SYLLABLES.finditer(text)]
    assert found == [
        ("이 테 넌 트가", [("이", 0, 1), ("테", 2, 3), ("넌", 4, 5), ("트가", 6, 8)]),
        ("각 사용자", [("각", 13, 14), ("사용자", 15, 18)]),
    ]
    assert all(text[s:e] == piece for _, pieces in found for piece, s, e in pieces)


def test_qa_and_search_agree_on_what_a_split_word_is(korean_analyzer):
    # Three pieces or more are one word split up; two pieces are two words.
    vocabulary = frozenset({"테넌트", "사용자"})
    assert list(split_words("테 넌 트가 차단되었습니다.", vocabulary)) == [("테 넌 트", "테넌트")]
    assert list(split_words("각 사용자", frozenset({"각사용자"}))) == []
    texts = ["테넌트가 차단되었습니다.", "테 넌 트가 차단되었습니다."]
    analysis = korean_analyzer.analyse(texts)
    assert "테넌트" in analysis.terms(1)


def test_korean_magnitudes_make_numbers_equal():
    assert Side("50,000개").numbers.keys() == Side("5만개").numbers.keys() == {"50000"}
    assert Side("3억").numbers.keys() == {str(3 * ko.MAGNITUDES["억"])} == {"300000000"}
    assert Side("5천 명").numbers.keys() == Side("5 thousand people").numbers.keys()
