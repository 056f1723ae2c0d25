"""Property tests: random edits of the English never lose a translation.

Hypothesis writes an article (front matter, headings, paragraphs, list items,
table cells), a translator translates every unit, then a writer edits,
inserts, deletes and reorders sentences and edits the title and description
at random, and ``update_article`` re-syncs the file.  Every translation names
its unit, so "kept" means that unit's own translation survived, not an equal
string from another unit.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bitext.core.segment import normalize
from bitext.core.skeleton import locate
from bitext.translate.tm import TranslationMemory
from bitext.translate.update import update_article

WORDS = [
    "alert",
    "policy",
    "tenant",
    "mailbox",
    "admin",
    "search",
    "label",
    "report",
    "rule",
    "message",
    "`Get-Mailbox`",
    "**Save**",
    "[the guide](guide.md)",
    "e.g.",
    "5.7.705",
    "web.config",
    "U.S.",
]

# Front-matter values are plain YAML scalars: no word that starts with markup.
PLAIN_WORDS = [w for w in WORDS if w[0].isalpha()]

words = st.lists(st.sampled_from(WORDS), min_size=2, max_size=7)
sentences = words.map(lambda w: " ".join(w).capitalize() + ".")
titles = words.map(lambda w: " ".join(w).capitalize())
plain = st.lists(st.sampled_from(PLAIN_WORDS), min_size=2, max_size=6).map(lambda w: " ".join(w).capitalize())
front_matter = st.tuples(plain, st.one_of(st.none(), plain.map(lambda t: t + ".")))


@st.composite
def articles(draw):
    """(kind, items) blocks: a heading, a paragraph, a list or a table row of sentences."""
    blocks = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("h"), st.lists(titles, min_size=1, max_size=1)),
                st.tuples(st.just("p"), st.lists(sentences, min_size=1, max_size=4)),
                st.tuples(st.just("li"), st.lists(sentences, min_size=1, max_size=3)),
                st.tuples(st.just("row"), st.lists(titles, min_size=2, max_size=2)),
            ),
            min_size=1,
            max_size=6,
        )
    )
    return [(kind, list(items)) for kind, items in blocks]


def render(front, blocks) -> str:
    title, description = front
    out = [f"---\ntitle: {title}\n" + (f"description: {description}\n" if description else "") + "---\n"]
    for kind, items in blocks:
        if kind == "h":
            out.append(f"## {items[0]}\n")
        elif kind == "p":
            out.append(" ".join(items) + "\n")
        elif kind == "li":
            out.append("".join(f"- {item}\n" for item in items))
        else:
            out.append(f"| Name | Value |\n|---|---|\n| {items[0]} | {items[1]} |\n")
    return "\n".join(out)


def edit_front_matter(draw, front):
    """The title and description after an edit of either, or both, or neither."""
    title, description = front
    if draw(st.booleans()):
        parts = title.split(" ")
        parts[draw(st.integers(0, len(parts) - 1))] = draw(st.sampled_from(PLAIN_WORDS))
        title = " ".join(parts).capitalize()
    if draw(st.booleans()):
        description = draw(st.one_of(st.none(), plain.map(lambda t: t + ".")))
    return title, description


@st.composite
def edits(draw, blocks):
    """The article after a few random edits: change a word, insert, delete, move a sentence."""
    blocks = [(kind, list(items)) for kind, items in blocks]
    for _ in range(draw(st.integers(1, 5))):
        b = draw(st.integers(0, len(blocks) - 1))
        kind, items = blocks[b]
        i = draw(st.integers(0, len(items) - 1))
        op = draw(st.sampled_from(["edit", "insert", "delete", "move"]))
        if op == "edit":
            parts = items[i].rstrip(".").split(" ")
            parts[draw(st.integers(0, len(parts) - 1))] = draw(st.sampled_from(WORDS))
            items[i] = " ".join(parts).capitalize() + ("" if kind in ("h", "row") else ".")
        elif op == "insert" and kind in ("p", "li"):
            items.insert(i, draw(sentences))
        elif op == "delete" and len(items) > 1 and kind in ("p", "li"):
            del items[i]
        elif op == "move" and len(blocks) > 1:
            kind2, items2 = blocks[draw(st.integers(0, len(blocks) - 1))]
            if kind in ("p", "li") and kind2 in ("p", "li") and len(items) > 1:
                items2.insert(draw(st.integers(0, len(items2))), items.pop(i))
        if draw(st.booleans()) and len(blocks) > 1:
            blocks.insert(draw(st.integers(0, len(blocks) - 1)), blocks.pop(b))  # reorder whole blocks
    return blocks


@st.composite
def scenarios(draw):
    front, before = draw(front_matter), draw(articles())
    return render(front, before), render(edit_front_matter(draw, front), draw(edits(before)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
# A title edited to the text of a heading: the memory's translation of that heading, not the old title's.
@example(
    scenario=(
        "---\ntitle: Alert alert\n---\n\n## Alert alert\n\n## Policy alert\n",
        "---\ntitle: Policy alert\n---\n\n## Alert alert\n\n## Policy alert\n",
    )
)
def test_random_edits_never_lose_a_translation(scenario):
    english, edited = scenario
    old = update_article(english, None, path="a.md", language="ko-KR").segment_file
    assert {"title"} <= {s.key for s in old.segments}
    for seg in old.segments:
        seg.target, seg.state = f"KO[{seg.id}]({normalize(seg.source)})", "translated"
    translation = {seg.id: seg.target for seg in old.segments}

    memory = TranslationMemory.of([("locales/ko/a.xlf", old)])
    done = update_article(edited, old, path="a.md", language="ko-KR", memory=memory)
    new = done.segment_file

    # Each old unit's own translation is still under its id: target, proposal or archived unit.
    kept = {(s.id, s.target) for s in (*new.segments, *new.archive)}
    kept |= {(s.id, alt.target) for s in (*new.segments, *new.archive) for alt in s.alternatives}
    assert [seg.id for seg in old.segments if (seg.id, seg.target) not in kept] == []

    assert not locate(edited, new).stale  # every unit exactly in place: compile and export are exact
    by_source: dict[str, set[str]] = {}
    for seg in old.segments:
        by_source.setdefault(normalize(seg.source), set()).add(seg.target)
    old_source = {seg.id: normalize(seg.source) for seg in old.segments}
    for seg in new.segments:
        # An old unit whose English is unchanged (a front-matter unit keeps its id, the key, when its value changes).
        if old_source.get(seg.id) == normalize(seg.source):
            assert (seg.target, seg.state) == (translation[seg.id], "translated"), seg
        elif normalize(seg.source) in by_source:  # a new unit for English translated before: the memory fills it
            assert seg.state == "translated" and seg.target in by_source[normalize(seg.source)], seg
    assert len({s.id for s in (*new.segments, *new.archive)}) == len(new.segments) + len(new.archive)

    again = update_article(edited, new, path="a.md", language="ko-KR", memory=memory)
    assert not again.modified  # a second run changes nothing
