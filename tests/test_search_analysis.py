"""The build-time analysis of the search index: Latin terms, acronyms, Korean (real kiwipiepy), sections."""

from __future__ import annotations

import json
import os
import signal

import pytest

from bitext.search import acronyms, index, korean, latin, sections
from bitext.search.korean import EMPTY_STEMS, QUERY_ENDINGS, Analyzer, segment


def test_stemmer_conflates_inflections_only():
    assert latin.stem("policies") == latin.stem("policy")
    assert latin.stem("configured") == latin.stem("configure") == latin.stem("configuring") == latin.stem("configures")
    assert latin.stem("blocked") == latin.stem("blocking") == latin.stem("block")
    assert latin.stem("status") == "status" and latin.stem("address") == "address"


def test_cmdlet_is_one_term_and_its_parts():
    terms = dict(latin.token_terms("Set-HostedContentFilterPolicy"))
    assert terms["set-hostedcontentfilterpolicy"] is True  # the whole cmdlet, never split into "set"
    assert {"set", "hostedcontentfilterpolicy", "host", "content", "filter", "policy"} <= set(terms)
    assert not any(whole for term, whole in latin.token_terms("Set-HostedContentFilterPolicy")[1:])


def test_status_codes_and_header_tokens_stay_whole():
    assert latin.token_terms("5.7.705")[0] == ("5.7.705", True)
    assert latin.token_terms("SFV:SPM")[0] == ("sfv:spm", True)
    assert {"sfv", "spm"} <= {t for t, _ in latin.token_terms("SFV:SPM")}
    assert list(latin.terms("550 5.7.750 Access denied"))[:2] == ["550", "5.7.750"]
    assert ("antispam", False) in latin.token_terms("anti-spam")
    assert list(latin.terms("What is the tenant?")) == ["tenant"]  # stop words left out


def test_acronyms_are_learned_from_the_docs_and_added_where_the_long_form_stands():
    texts = [
        "Exchange Online Protection (EOP) filters mail.",
        "Use Exchange Online Protection (EOP) here.",
        "Spam confidence level (SCL) values",
        "the spam confidence level (SCL) of a message",
        "Once only (OO)",
    ]
    found = acronyms.find(texts)
    assert found == {"exchange online protection": "eop", "spam confidence level": "scl"}
    expander = acronyms.Expander(found)
    assert expander.terms("Mail flow in Exchange  Online Protection") == ["eop"]
    assert expander.terms("Exchange Online 보호에서 스팸 신뢰 수준") == []
    assert expander.terms("EOP의 Spam Confidence Level 값") == ["scl"]


VOCABULARY = {"테넌트", "차단", "보존", "레이블", "내보내", "설정", "사용자", "관리자"}
TAILS = {"가", "를", "을", "려면", "하려면", "기", "의", "에서"}


@pytest.mark.parametrize(
    "word, terms",
    [
        ("테넌트가", ["테넌트"]),
        ("보존레이블", ["보존", "레이블"]),
        ("내보내려면", ["내보내"]),
        ("내보내기", ["내보내"]),
        ("설정하려면", ["설정"]),
        ("관리자가", ["관리자"]),
        ("사용자", ["사용자"]),
    ],
)
def test_query_words_lose_their_particles_and_endings(word, terms):
    assert segment(word, VOCABULARY.__contains__, TAILS) == (terms, [])


def test_unknown_syllables_are_reported_for_prefix_matching():
    assert segment("테넌트봇", VOCABULARY.__contains__, TAILS) == (["테넌트"], ["봇"])


def test_words_without_content_give_no_term():
    assert segment("없어요", VOCABULARY.__contains__, TAILS | QUERY_ENDINGS, EMPTY_STEMS) == ([], [])
    assert segment("수", VOCABULARY.__contains__, TAILS, EMPTY_STEMS) == ([], [])
    assert segment("보내려면", VOCABULARY.__contains__, TAILS, EMPTY_STEMS) == ([], ["보내"])  # 보 only before a tail


@pytest.fixture
def analyzer(korean_analyzer) -> Analyzer:
    return korean_analyzer


def test_kiwi_gives_content_morphemes_without_particles(analyzer):
    texts = [
        "테넌트가 차단되었습니다.",
        "테넌트를 관리하려면 관리자는 설정을 내보내기 전에 확인합니다.",
        "데이터를 내보내려면",
    ]
    analysis = analyzer.analyse(texts)
    assert analysis.terms(0)[:2] == ["테넌트", "차단"]
    second = analysis.terms(1)
    assert {"테넌트", "관리", "관리자", "설정", "내보내", "확인"} <= set(second)
    assert not {"하", "되", "를", "가"} & set(second)
    assert "내보내" in analysis.terms(2)
    tails, _ = analysis.query_tables(set(second) | set(analysis.terms(0)), tail_min=1)
    assert {"가", "를"} <= set(tails)


def test_machine_translation_spacing_is_repaired(analyzer):
    texts = ["테 넌 트가 임계값을 초과 했습니다.", "사서함 크기", "사서함 크기 제한", "사서 함 크기"]
    analysis = analyzer.analyse(texts)
    assert "테넌트" in analysis.terms(0)  # three split syllables: machine translation
    assert "사서함" in analysis.terms(3)  # two nouns glued as the docset writes them elsewhere
    assert "각사용자" not in analyzer.analyse(["각 사용자", "각 사용자"]).terms(0)


def test_compound_nouns_are_indexed_by_their_parts(analyzer):
    analysis = analyzer.analyse(["보존 레이블", "보존 정책과 레이블", "보존 기간"])
    assert analysis.decompound("보존레이블") == ["보존", "레이블"]
    assert analysis.decompound("보존") == []


def test_the_counts_of_texts_give_what_their_terms_ask_of_the_docset(analyzer):
    """``count_texts`` also gives the texts' probes (the index keeps a page's terms while they do not change):
    nouns in a row, long nouns, runs of split syllables, from the same pass over the lines."""
    texts = ["보존레이블을 사서 함 크기에 적용합니다.", "테 넌 트가 메일 흐름 규칙을 만듭니다.", "Latin only"]
    analysis = analyzer.analyse(texts)
    counts = korean.count_texts(texts, analysis.readings)
    assert {"보존레이블", "메일흐름", "흐름규칙"} <= counts.probes.pairs
    assert counts.probes.runs == {"테 넌 트가", "함 크기에"} == counts.runs
    assert all(len(form) >= 4 for form in counts.probes.compounds)
    assert korean.count_texts(["관리 정책의 데이터보존정책"], analysis.readings).probes == korean.Probes(
        frozenset(), frozenset(), frozenset()
    )  # a line the analysis did not read asks nothing
    long = analyzer.analyse(["데이터보존정책을 바꿉니다"])
    content = long.readings["데이터보존정책을 바꿉니다"].content
    assert {m.form for m in content if m.tag in korean.NOUN_TAGS and len(m.form) >= 4} == set(
        korean.count_texts(["데이터보존정책을 바꿉니다"], long.readings).probes.compounds
    )


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_an_index_made_again_after_edits_is_the_index_made_afresh(analyzer, tmp_path):
    """``index.Index`` (mkdocs serve) analyses again only the pages an edit can change, and writes the same files."""
    page, section = sections.Page, sections.Section
    spaced = page("a/", "크기 확인", "", [section("", "", 1, "사서 함 크기를 확인합니다. 테 넌 트가 차단되었습니다.")])
    whole = page("c/", "사서함 크기 제한", "", [section("", "", 1, "테넌트 사서함 크기 제한을 바꿉니다.")])
    other = page("b/", "사서함 크기", "", [section("s", "크기 제한", 2, "Set-Mailbox 명령으로 크기를 설정합니다.")])
    flow = page("d/", "메일 흐름", "", [section("", "", 1, "메일 흐름 규칙을 만듭니다.")])
    edited = page("d/", "메일 흐름", "", [section("", "", 1, "메일 흐름 규칙을 만듭니다. Get-TransportRule")])
    kept = index.Index("ko", analyzer)
    steps = [
        ([spaced, other, flow], 3),
        ([spaced, other, edited], 1),  # a Latin word: the docset's statistics are the same
        # A second 사서함 makes it a noun of the docset: the spaced page's 사서 함 is glued to it.
        ([spaced, other, whole, edited], 2),
        ([spaced, other, edited], 1),  # and no more
        ([spaced, other], 0),  # 메일 and 흐름 are no noun of the docset now: no other page asked for them
    ]
    for n, (pages, analysed) in enumerate(steps):
        kept.build(pages, tmp_path / "kept")
        index.build(pages, "ko", tmp_path / f"afresh-{n}", korean=analyzer)
        assert _files(tmp_path / "kept") == _files(tmp_path / f"afresh-{n}")
        assert kept.analysed == analysed, n


def test_analyzer_reuses_the_lines_it_has_seen(analyzer):
    analyzer.analyse(["메일 흐름 규칙을 만듭니다"])
    cached = analyzer.readings({"메일 흐름 규칙을 만듭니다"})["메일 흐름 규칙을 만듭니다"]
    assert [m.form for m in cached.content] == ["메일", "흐름", "규칙", "만들"]
    assert cached.words[2] == ("규칙을", ("규칙",), "을")
    assert analyzer.readings({"메일 흐름 규칙을 만듭니다"})["메일 흐름 규칙을 만듭니다"] is cached


def test_sections_split_at_headings_without_excluded_text():
    html = (
        '<h1 id="title">Title</h1><p>Intro <span class="bt">번역<span class="bt-s" data-search-exclude="true">'
        'Original</span></span></p><div class="bt-notice" data-search-exclude="true">notice</div>'
        '<h2 id="first">First <a class="headerlink" href="#first">¶</a></h2><p>One</p>'
        "<table><tr><td>a</td><td>b</td></tr></table>"
        '<div class="admonition"><h3 id="inner">Inner</h3><p>Two</p></div><script>x()</script>'
    )
    page = sections.page_sections(html, "ko/x/", "Title", "Desc")
    assert [(s.anchor, s.heading, s.level) for s in page.sections] == [
        ("", "", 1),
        ("first", "First", 2),
        ("inner", "Inner", 3),
    ]
    assert page.sections[0].text == "Intro 번역"
    assert page.sections[1].text.split() == ["One", "a", "b"]
    assert page.sections[2].text == "Two"


def test_sections_read_the_page_as_lxml_html_reads_a_fragment():
    """The page's HTML is parsed without lxml.html's element classes: the same tree, text and blanks included."""
    from lxml import etree
    from lxml import html as lxml_html

    pages = [
        "Leading text <b>bold</b><p>One\u00a0 two\t three</p>\n \n<p> Four </p>tail",
        "  \n<!-- a comment --><h2 id='a'>A</h2><p>x<!-- inner -->y</p><?pi x?>",
        "<html><body><p>a whole document</p></body></html>",
        "<table><tr><td>a</td></tr></table><li>stray</li><p>unclosed",
    ]
    for html in pages:
        expected = lxml_html.fragment_fromstring(html, create_parent="div")
        assert etree.tostring(sections._fragment(html)) == etree.tostring(expected), html


def test_a_heading_unlike_the_title_heads_the_top_section():
    page = sections.page_sections('<h1 id="h">Fix error 5.7.705</h1><p>Text</p>', "x/", "Error codes")
    assert (page.sections[0].anchor, page.sections[0].heading) == ("", "Fix error 5.7.705")


def test_read_ahead_reads_the_korean_lines_in_a_thread_and_analyse_gives_the_same_terms(analyzer):
    """What a build's read-ahead thread read is what analyse uses: same terms as without it."""
    texts = ["테넌트의 보존 레이블을 구성합니다.\nOnly Latin here", "사서 함 크기를 확인합니다", "English only"]
    expected = [analyzer.analyse(texts).terms(i) for i in range(len(texts))]
    analyzer.readings(set())  # forget every reading
    assert analyzer.known()[0] == []
    for text in texts:  # as a build gives it its pages, one after the other
        analyzer.read_ahead([text])
    analyzer.wait()
    read = {line for line, _, _ in analyzer.known()[0]}
    assert read == {"테넌트의 보존 레이블을 구성합니다.", "사서 함 크기를 확인합니다"}
    analysis = analyzer.analyse(texts)
    assert [analysis.terms(i) for i in range(len(texts))] == expected
    assert "레이블" in expected[0]


def test_a_forked_analyzer_reads_with_the_kiwi_it_inherited(tmp_path):
    """After a fork, the analyzer's kiwi (its workers left in the other process) reads one text at a time:
    no second model is loaded, the readings are the same, and nothing waits for the lost workers."""
    texts = ["테넌트의 보존 레이블을 구성합니다.", "테 넌 트가 임계값을 초과 했습니다.", "사서 함 크기를 확인합니다"]
    analyzer = Analyzer()
    analyzer.read(["메일 흐름 규칙을 만듭니다", "스팸 정책을 설정합니다"])  # kiwi's workers start
    expected = Analyzer()
    expected_terms = [expected.analyse(texts).terms(i) for i in range(len(texts))]
    result = tmp_path / "child.json"
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            signal.alarm(60)  # a kiwi waiting for its workers would wait forever
            analyzer.forked()
            korean.load_kiwi = None  # a second model would be loaded through it
            analysis = analyzer.analyse(texts)
            terms = [analysis.terms(i) for i in range(len(texts))]
            result.write_text(json.dumps({"terms": terms, "known": analyzer.known(texts)}), encoding="utf-8")
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    child = json.loads(result.read_text(encoding="utf-8"))
    assert child["terms"] == expected_terms
    assert "테넌트" in expected_terms[1]
    assert child["known"] == json.loads(json.dumps(expected.known(texts)))
