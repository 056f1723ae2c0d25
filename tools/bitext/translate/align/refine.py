"""Boundaries between neighbouring targets moved by a few words, where both pairs fit better.

Machine translation sometimes moves the tail of a sentence behind its stop
("… 삭제 됩니다. 준수 센터"), so the splitter gives the fragment to the next
sentence; a cut inside a translated sentence may also miss by a word or two.
``refine`` looks at every two units whose targets touch in the translation
(only spaces between them) and tries moving up to ``MAX_MOVED`` words across
their boundary: a move is kept when both pairs together fit better (length,
anchors and word pairs, as the aligner scores a pair) by more than the
boundary it gives up is worth (``Endings``: how much the words around a
place look like the end and the start of a sentence in this translation;
a boundary inside brackets, opened before it and closed after it, is no
sentence boundary whatever stop precedes it).
A word of markup only goes with the unit whose English holds that markup
(``MARKUP``).
Only boundaries next to a word that one unit lacks and the other has too
many of (an anchor, markup only the other's English holds, or the usual
partner of an English word the unit's target lacks), inside brackets, or
after a stop followed within a few words by a word that opens this
translation's sentences more than the first one does (the words before it
may be the tail machine translation put behind the stop), are tried: most
boundaries are right, and trying every one would cost as much as the
alignment.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, pairwise

from bitext.translate.align.aligner import pair_score
from bitext.translate.align.anchors import SAME, WEAK, Features, features
from bitext.translate.align.cut import CUT, Endings, stopped, word_spans
from bitext.translate.align.lexicon import Lexicon, english_words, translated_words
from bitext.translate.align.sentences import Piece

# At most this many words cross a boundary.
MAX_MOVED = 4
# What a boundary inside brackets (opened before it, closed after it) costs.
BRACKET = 6.0
# After a stop, a word opening sentences by this much more than the first word of the next target is tried as
# its start.
OPENS = 1.0
# A word of markup only ("****![", "\\<**": machine translation scatters the markup of a sentence it broke) counts
# this much for the side whose English holds that markup: a translation adds no markup its English lacks.
MARKUP = 10.0
# A move must win by this much (log-score): a boundary the splitter found is kept unless the evidence is clear.
MARGIN = 1.0


@dataclass
class Target:
    """An English unit's aligned text: ``text[start:end]`` of the translation (``features``: its own, when known)."""

    english: Piece
    start: int
    end: int
    features: Features | None = None


@lru_cache(maxsize=1 << 14)
def _word(word: str) -> tuple[Counter, int, frozenset[str]]:
    """A word's anchors (its whole text left out: a part is never the whole), visible length and lexicon words."""
    found = features(word)
    anchors = Counter({k: n for k, n in found.anchors.items() if not k.startswith(SAME)})
    return anchors, found.length, translated_words(word)


class _Side:
    """One target: the anchors and words it holds, and the English words whose usual translation it lacks."""

    def __init__(self, target: Target, text: str, lexicon: Lexicon | None):
        self.target = target
        self.text = text[target.start : target.end]
        found = target.features if target.features is not None else features(self.text)
        self.anchors = found.anchors
        self.english = english_words(target.english.text)
        self.lexicon_words = translated_words(self.text)
        self.missing = (
            {
                w
                for w in self.english
                if (known := lexicon.english.get(w)) is not None and known[1].isdisjoint(self.lexicon_words)
            }
            if lexicon
            else set()
        )

    def lacks(self, anchors: Counter) -> bool:
        wanted = self.target.english.features.anchors
        return any(not k.startswith(WEAK) and wanted[k] > self.anchors[k] for k in anchors)

    def surplus(self, anchors: Counter) -> bool:
        wanted = self.target.english.features.anchors
        return any(not k.startswith(WEAK) and self.anchors[k] > wanted[k] for k in anchors)


def _belongs(word: str, home: _Side, other: _Side, lexicon: Lexicon | None) -> bool:
    """True when a word of ``home`` looks like it belongs with ``other``: an anchor ``home`` has too many of and
    ``other`` lacks, or the usual partner of an English word ``other`` lacks and ``home``'s English has not."""
    anchors, _, words = _word(word)
    if anchors and home.surplus(anchors) and other.lacks(anchors):
        return True
    mark = _markup(word)
    if mark and mark in other.target.english.text and mark not in home.target.english.text:
        return True
    if lexicon and other.missing:
        for w in words:
            known = lexicon.translated.get(w)
            if known is not None and not known[1].isdisjoint(other.missing) and known[1].isdisjoint(home.english):
                return True
    return False


def refine(
    targets: list[Target],
    text: str,
    ratio: float,
    endings: Endings,
    lexicon: Lexicon | None,
    sentence_starts: set[int],
) -> None:
    """Move the boundary between each two touching targets (in place) where both fit better."""
    sides: dict[int, _Side] = {}

    def side(target: Target) -> _Side:
        found = sides.get(id(target))
        if found is None or found.text != text[target.start : target.end]:
            found = sides[id(target)] = _Side(target, text, lexicon)
        return found

    for one, two in pairwise(targets):
        between = text[one.end : two.start]
        if one.end > two.start or between.strip() or "\n" in between:
            continue
        left, right = side(one), side(two)
        # Whitespace words are enough to see whether a word near the boundary belongs on the other side,
        # and how far the boundary may move: up to the last such word.
        heads = right.text.split()[:MAX_MOVED]
        ends = left.text.split()[-MAX_MOVED:][::-1]
        to_left = max((k + 1 for k, w in enumerate(heads) if _belongs(w, right, left, lexicon)), default=0)
        to_right = max((k + 1 for k, w in enumerate(ends) if _belongs(w, left, right, lexicon)), default=0)
        # A bracket closed after the boundary that was opened before it: the words up to it belong before.
        if _unclosed(left.text):
            to_left = max(to_left, next((k + 1 for k in range(len(heads)) if _unopened(" ".join(heads[: k + 1]))), 0))
        if _unopened(right.text):
            to_right = max(to_right, next((k + 1 for k in range(len(ends)) if _unclosed(" ".join(ends[k::-1]))), 0))
        # After a stop, a word that opens sentences more than the first one: the words before it may be the
        # tail of the sentence before, which machine translation put behind its stop.
        if stopped(left.text) and heads:
            first = max(endings.opens(heads[0]), 0.0) + OPENS
            to_left = max(to_left, max((k for k in range(1, len(heads)) if endings.opens(heads[k]) > first), default=0))
        if not to_left and not to_right:
            continue
        at = _best_boundary(left, right, text, ratio, endings, lexicon, sentence_starts, to_left, to_right)
        if at is not None:
            one.end, two.start = at


def _best_boundary(
    left: _Side,
    right: _Side,
    text: str,
    ratio: float,
    endings: Endings,
    lexicon: Lexicon | None,
    sentence_starts: set[int],
    to_left: int,
    to_right: int,
) -> tuple[int, int] | None:
    """The end of the first target and the start of the second where both fit best, or None to leave them.

    At most ``to_left`` words of the second may go to the first, ``to_right`` words of the first to the second.
    """
    first = word_spans(text, left.target.start, left.target.end)
    second = word_spans(text, right.target.start, right.target.end)
    n1, n2 = len(first), len(second)
    if n1 + n2 < 3:
        return None
    spans = first + second
    words = [_word(text[a:b]) for a, b in spans]
    marks = [_markup(text[a:b]) for a, b in spans]
    # Lexicon words of the first i words, and of the words from i on.
    empty: frozenset[str] = frozenset()
    heads: list[frozenset[str]] = list(accumulate((w for _, _, w in words), _union, initial=empty))
    tails: list[frozenset[str]] = list(accumulate((w for _, _, w in reversed(words)), _union, initial=empty))[::-1]

    def fit(side: _Side, a: int, b: int) -> float:
        """The pair of ``side``'s English and the words a..b-1 of both targets."""
        anchors: Counter = Counter()
        for found, _, _ in words[a:b]:
            anchors.update(found)
        length = sum(n for _, n, _ in words[a:b]) + (b - a - 1)
        score = pair_score(side.target.english.features, Features(anchors, length), ratio)
        score += MARKUP * sum(1 for m in marks[a:b] if m and m in side.target.english.text)
        if lexicon:
            score += lexicon.score(side.english, heads[b] if a == 0 else tails[a])
        return score

    def boundary(at: int) -> float:
        (a, b), (c, d) = spans[at - 1], spans[at]
        cue = endings.cue(text[a:b], text[c:d]) + (0.0 if c in sentence_starts else CUT)
        start, end = spans[0][0], spans[-1][1]
        if _unclosed(text[start:b]) and _unopened(text[c:end]):
            cue -= BRACKET
        return cue

    total = n1 + n2
    best, chosen = fit(left, 0, n1) + fit(right, n1, total) + boundary(n1) + MARGIN, n1
    for at in range(max(1, n1 - to_right), min(total - 1, n1 + to_left) + 1):
        if at != n1:
            score = fit(left, 0, at) + fit(right, at, total) + boundary(at)
            if score > best:
                best, chosen = score, at
    return None if chosen == n1 else (spans[chosen - 1][1], spans[chosen][0])


def _markup(word: str) -> str:
    """The markup a word of no letter or digit holds, emphasis marks aside ("****![" → "!["), or ""."""
    if any(c.isalnum() for c in word):
        return ""
    return word.replace("*", "").replace("_", "").strip()


def _union(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    return a | b


def _unclosed(text: str) -> bool:
    """True when ``text`` opens a bracket it does not close."""
    depth = 0
    for c in text:
        if c == "(":
            depth += 1
        elif c == ")" and depth:
            depth -= 1
    return depth > 0


def _unopened(text: str) -> bool:
    """True when ``text`` closes a bracket it did not open."""
    depth = 0
    for c in text:
        if c == "(":
            depth += 1
        elif c == ")":
            if not depth:
                return True
            depth -= 1
    return False
