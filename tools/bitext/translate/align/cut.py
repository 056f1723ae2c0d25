"""A translated sentence that covers several English units, cut where each part fits its unit.

Machine translation often drops the stop between two sentences, and a
translator sometimes joins two sentences with a comma: the translated text
then holds the translation of two English units with no boundary the
splitter can see.  ``divide`` tries the word boundaries outside inline
markup (code, links, tags, bold text) and keeps the cuts where each part fits
its unit best: length and anchors as the aligner scores a pair, plus how much
the word before a cut looks like the end of a sentence in this translation
(``Endings``, learned from the translation's own sentences, so nothing here
knows the language).  When no cut fits better than one unit taking the whole
sentence, that unit takes it and the others none.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from bitext.core import markup
from bitext.translate.align.aligner import Bead, pair_score
from bitext.translate.align.anchors import Features, features
from bitext.translate.align.lexicon import Lexicon, english_words, translated_words
from bitext.translate.align.sentences import Piece

# A word that ends with a sentence stop (the splitter left it alone: inside bold text, before a lower-case word).
_STOP = re.compile(r"[.!?\u3002\uff01\uff1f][\"'\u2019\u201d)\]*_]*$")
_SPACE = re.compile(r"\s+")
_BOLD = re.compile(r"\*\*|__")
# Log-prior of a cut where the translation has no sentence boundary, and of a unit left without text.
CUT = math.log(0.5)
LEFT_OUT = math.log(0.02)
_STOP_CUE = 2.0
_CUE_BOUND = 2.0
# A word seen fewer times than this in the translation says nothing about where sentences start: a word seen
# once opens the one sentence it is in as often as not (the splitter made a sentence of the fragment it heads).
MIN_SEEN = 2
# More words than this and the sentence is not cut (a table row written as one line, a list glued together).
MAX_WORDS = 120
# How many words' worth of weight ``Endings.follows`` gives a word's own rate against what follows one word.
FOLLOWS_PRIOR = 2.0


def _last_letter(word: str) -> str:
    for c in reversed(word):
        if c.isalnum():
            return c
    return ""


class Endings:
    """How much a place between two words looks like a sentence boundary in this translation.

    Counts the last letter of the words that end the translation's sentences
    against the last letter of all its words (in Korean most sentences end on
    the same syllable; in a language whose sentences can end on any word the
    cue stays near zero), and the words that start its sentences against all
    its words ("These", "For example"), and which word follows which inside
    its sentences.

    ``also``: counts of other translations into the same language added to
    these (the project's, ``Endings`` of a sample of its articles): one
    article's sentences are too few to tell a rare letter or word from one
    that never ends or opens a sentence, and a letter seen once would look
    like a sentence end.
    """

    def __init__(self, pieces: Iterable[Piece] = (), *also: Endings):
        self.end: Counter = Counter()
        self.every: Counter = Counter()
        self.start: Counter = Counter()
        self.words: Counter = Counter()
        self.pairs: Counter = Counter()
        pieces = list(pieces)
        # Which translations were counted, and how often these ones are (an article of the project's sample
        # is counted in both): ``follows`` leaves the pair at hand out as often.
        mine = hashlib.blake2b("\n".join(p.text for p in pieces).encode(), digest_size=16).digest()
        self.counted: frozenset[bytes] = frozenset([mine] if pieces else []).union(*(o.counted for o in also))
        self.times = 1 + sum(mine in other.counted for other in also)
        for other in also:
            self.end.update(other.end)
            self.every.update(other.every)
            self.start.update(other.start)
            self.words.update(other.words)
        for p in pieces:
            words = p.text.split()
            if not words:
                continue
            lower = [w.lower() for w in words]
            self.every.update(_last_letter(w) for w in words)
            self.words.update(lower)
            self.pairs.update(pairwise(lower))
            if _STOP.search(words[-1]):
                self.end[_last_letter(words[-1])] += 1
            self.start[lower[0]] += 1
        # An article's pairs beside the project's: the project's are looked up where they are, not copied for
        # every article (``cue`` asks for few of them).
        others = [c for other in also for c in (other.pairs, *other.shared)]
        self.shared: tuple[Counter, ...] = ()
        if self.pairs:
            self.shared = tuple(others)
        else:
            for c in others:
                self.pairs.update(c)
        self.n_end = sum(self.end.values())
        self.n_every = sum(self.every.values())
        self.n_start = sum(self.start.values())
        self.n_words = sum(self.words.values())

    def cue(self, before: str, after: str) -> float:
        """The cue for a sentence boundary between the words ``before`` and ``after``.

        After a stop it is the stop's cue plus how much ``after`` opens
        sentences: machine translation sometimes puts a few words of a
        sentence behind its stop ("… 있습니다. 보존 기간 또한 …"), and the
        boundary then belongs before the word that opens the next ("또한").
        """
        if _STOP.search(before):
            return _STOP_CUE + self.opens(after)
        c = _last_letter(before)
        ends = _ratio(self.end[c], self.n_end, self.every[c], self.n_every)
        return ends + min(self.opens(after), self.follows(before, after))

    def opens(self, word: str) -> float:
        """How much ``word`` looks like the start of a sentence; nothing for a word seen once (``MIN_SEEN``)."""
        w = word.lower()
        if self.words[w] < MIN_SEEN:
            return 0.0
        return _ratio(self.start[w], self.n_start, self.words[w], self.n_words)

    def follows(self, before: str, after: str) -> float:
        """How much ``after`` looks like the start of a sentence where ``before`` precedes it.

        ``opens`` against how often ``after`` follows ``before`` inside this
        translation's sentences, the pair at hand left out (the article's own
        sentences are always counted, and ``divide`` and ``refine`` only cut
        them): a word that opens many sentences ("Exchange") is no start
        after the word it usually follows inside them ("또는 Exchange").
        ``cue`` takes the lower of the two: a pair that is never seen says
        less than a pair that is, and falls back to ``opens``.
        """
        b, w = before.lower(), after.lower()
        if self.words[w] < MIN_SEEN:
            return 0.0
        anywhere = (self.words[w] + 0.1) / (self.n_words + 1)
        seen = self.pairs[b, w] + sum(c[b, w] for c in self.shared)
        after_before = (max(seen - self.times, 0) + FOLLOWS_PRIOR * anywhere) / (
            max(self.words[b] - self.times, 0) + FOLLOWS_PRIOR
        )
        at_start = (self.start[w] + 0.1) / (self.n_start + 1)
        return max(-_CUE_BOUND, min(_CUE_BOUND, math.log(at_start / after_before)))


def stopped(text: str) -> bool:
    """True when ``text`` ends with a sentence stop (closing quotes, brackets and emphasis aside)."""
    return _STOP.search(text) is not None


def _ratio(at_boundary: int, boundaries: int, anywhere: int, words: int) -> float:
    """log(P(x | at a sentence boundary) / P(x)), lightly smoothed and bounded."""
    cue = math.log((at_boundary + 0.1) / (boundaries + 1) * (words + 1) / (anywhere + 0.1))
    return max(-_CUE_BOUND, min(_CUE_BOUND, cue))


def word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The words of ``text[start:end]`` with inline code, links, tags and bold text kept whole.

    An HTML comment is no part of a word: it parts the words around it as a
    space does ("testacs입니다.<!--no-hyperlink-->ccw", where the English has
    two units on both sides of the same comment).
    """
    piece = text[start:end]
    code = markup.code_spans(piece)
    held = list(code)
    held += [(link.start, link.end) for link in markup.links(piece, code)]
    tags = markup.html_tags(piece, code)
    comments = [(tag.start, tag.end) for tag in tags if piece.startswith("<!--", tag.start)]
    held += [(tag.start, tag.end) for tag in tags if not piece.startswith("<!--", tag.start)]
    marks = [m.start() for m in _BOLD.finditer(piece) if not any(a <= m.start() < b for a, b in code)]
    held += [(marks[k], marks[k + 1] + 2) for k in range(0, len(marks) - 1, 2)]
    words = []
    pos = 0
    for m in _SPACE.finditer(markup.blank(piece, comments)):
        if m.start() == 0 or any(a < m.start() < b for a, b in held):
            continue
        words.append((pos, m.start()))
        pos = m.end()
    if pos < len(piece):
        words.append((pos, len(piece)))
    return [(start + a, start + b) for a, b in words if a < b]


def divide(
    bead: Bead, ratio: float, text: str, endings: Endings, lexicon: Lexicon | None = None
) -> list[tuple[int, int] | None]:
    """Each English unit of ``bead``: the span of ``text`` it takes, or None when it takes nothing.

    Cuts between the bead's translated sentences count as sentence ends; cuts
    inside a sentence are scored by ``Endings`` and cost ``CUT`` each.
    """
    n = len(bead.english)
    words: list[tuple[int, int]] = []
    ends: list[float] = []  # the cue for a cut after each word
    for p in bead.translation:
        found = word_spans(text, p.start, p.end)
        words.extend(found)
        ends.extend(endings.cue(text[a:b], text[c:d]) + CUT for (a, b), (c, d) in pairwise(found))
        if found:
            ends.append(_STOP_CUE)
    whole = (bead.translation[0].start, bead.translation[-1].end)
    e_words = [english_words(e.text) for e in bead.english] if lexicon else []

    def fit(i: int, part: Features, words: frozenset[str]) -> float:
        score = pair_score(bead.english[i].features, part, ratio)
        return score + lexicon.score(e_words[i], words) if lexicon else score

    scores = [fit(i, _whole(bead), translated_words(text[whole[0] : whole[1]])) for i in range(n)]
    best_one = max(range(n), key=scores.__getitem__)
    alone = scores[best_one] + (n - 1) * LEFT_OUT
    alone_spans: list[tuple[int, int] | None] = [whole if i == best_one else None for i in range(n)]
    if len(words) < n or len(words) > MAX_WORDS:
        return alone_spans
    parts = [features(text[a:b]) for a, b in words]
    part_words = [translated_words(text[a:b]) for a, b in words] if lexicon else []
    neg = -math.inf
    # best[i][k]: the first i units took the first k words; back[i][k] the k where unit i-1 started.
    best = [[neg] * (len(words) + 1) for _ in range(n + 1)]
    back = [[0] * (len(words) + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n):
        last = i == n - 1
        for k in range(i, len(words)):
            if best[i][k] == neg:
                continue
            joined = Features()
            joined_words: frozenset[str] = frozenset()
            for k2 in range(k + 1, len(words) + 1):
                joined = _add(joined, parts[k2 - 1])
                if lexicon:
                    joined_words = joined_words | part_words[k2 - 1]
                if last and k2 < len(words):
                    continue
                score = best[i][k] + fit(i, joined, joined_words)
                if not last:
                    score += ends[k2 - 1]
                if score > best[i + 1][k2]:
                    best[i + 1][k2], back[i + 1][k2] = score, k
    if best[n][len(words)] <= alone:
        return alone_spans
    spans: list[tuple[int, int] | None] = []
    k2 = len(words)
    for i in range(n, 0, -1):
        k = back[i][k2]
        spans.append((words[k][0], words[k2 - 1][1]))
        k2 = k
    spans.reverse()
    return spans


def _add(total: Features, part: Features) -> Features:
    # A copy updated (C's dict copy, then the part's few anchors) is ``total.anchors + part.anchors`` (counts
    # are positive, the order the same) without a loop over all of the total's.
    anchors = total.anchors
    if part.anchors:
        anchors = anchors.copy()
        anchors.update(part.anchors)
    return Features(anchors, total.length + part.length + (1 if total.length else 0))


def _whole(bead: Bead) -> Features:
    pieces = bead.translation
    return pieces[0].features if len(pieces) == 1 else Features.join([p.features for p in pieces])
