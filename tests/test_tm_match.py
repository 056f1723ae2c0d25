"""Translation memory as a reader sees it: rendered-identical matches and ranked fuzzy proposals (issue 13)."""

from __future__ import annotations

from bitext.core.model import Segment, SegmentFile
from bitext.core.states import Qualifier
from bitext.translate.tm import TranslationMemory
from bitext.translate.update import TM_ORIGIN, update_article

ENGLISH = "# Title\n\n\\*\\*\\*\\*Recommendation\\*\\*\\*\\* Turn on the filter for every mailbox.\n"


def translated(english: str, path: str = "a.md") -> SegmentFile:
    sf = update_article(english, None, path=path, language="ko-KR").segment_file
    for seg in sf.segments:
        seg.target, seg.state = f"KO({seg.source})", "translated"
    return sf


def test_an_escape_only_edit_keeps_the_unit_and_its_translation():
    old = translated(ENGLISH)
    unit = old.segments[1]
    done = update_article(ENGLISH.replace("\\*", "*"), old, path="a.md", language="ko-KR")
    seg = done.segment_file.segments[1]
    assert seg.id == unit.id and seg.target == unit.target and seg.state == "translated"
    assert seg.state_qualifier == Qualifier.RENDERED_MATCH and seg.source.startswith("****Recommendation****")
    assert done.respelled == 1 and done.changed == 0


def test_a_new_sentence_rendered_like_a_memory_entry_is_an_exact_match():
    memory = TranslationMemory.of([("other.xlf", translated("# Other\n\nUse **Security &amp; Compliance** now.\n"))])
    done = update_article(
        "# Title\n\nUse __Security & Compliance__ now.\n", None, path="a.md", language="ko", memory=memory
    )
    seg = done.segment_file.segments[1]
    assert seg.target == "KO(Use **Security &amp; Compliance** now.)" and seg.state == "translated"
    assert seg.state_qualifier == Qualifier.RENDERED_MATCH and "rendered-identical" in seg.notes[0].text


def test_a_new_sentence_gets_the_memorys_best_fuzzy_matches_ranked():
    sf = SegmentFile("other.md", "ko")
    sources = [
        ("s1", "Turn on the spam filter for every mailbox in the organization.", "translated", None),
        ("s2", "Turn on the spam filter for every mailbox in your organization.", "translated", "mt-suggestion"),
        ("s3", "Turn on the spam filter for every mailbox in your organization.", "final", None),
        ("s4", "Remove the old connector before you start.", "translated", None),
    ]
    for unit_id, source, state, qualifier in sources:
        sf.segments.append(Segment(unit_id, source, f"KO-{unit_id}", state, qualifier))
    memory = TranslationMemory.of([("other.xlf", sf)])
    english = "# Title\n\nTurn on the spam filter for each mailbox in your organization.\n"
    seg = update_article(english, None, path="a.md", language="ko", memory=memory).segment_file.segments[1]
    assert seg.state == "needs-translation" and not seg.target
    assert [(a.target, a.origin) for a in seg.alternatives] == [("KO-s3", TM_ORIGIN), ("KO-s1", TM_ORIGIN)]
    assert seg.alternatives[0].match_quality > seg.alternatives[1].match_quality >= 75


def test_the_fuzzy_index_finds_exactly_what_scoring_every_entry_finds():
    import random

    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    from bitext.translate.tm import _FuzzyIndex

    words = [
        "the",
        "a",
        "filter",
        "mailbox",
        "spam",
        "policy",
        "user",
        "turn",
        "on",
        "off",
        "every",
        "in",
        "your",
        "organization",
        "rule",
        "report",
    ]
    rng = random.Random(3)
    memory = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))) for _ in range(2000)]
    index = _FuzzyIndex(memory)
    for _ in range(200):
        query = " ".join(rng.choice(words) for _ in range(rng.randint(1, 14)))
        code = index.matcher.encode(query)
        every = process.extract(code, index.codes, scorer=Indel.normalized_similarity, score_cutoff=0.75, limit=None)
        wanted = sorted((round(s * 100), index.texts[i]) for _, s, i in every if round(s * 100) >= 75)
        assert sorted(index.search(query, 75)) == wanted
