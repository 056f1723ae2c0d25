"""Pairing English units with translated sentences by dynamic programming.

Two levels, as a translator reads: blocks first (a heading with a heading of
the same level, a table cell with the cell of the same column, a paragraph
with a paragraph), then the sentences inside each pair of blocks.  Both
levels maximise a sum of log-scores over moves 1-1, 1-0 and 0-1 (blocks) and
1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-0, 0-1 and 1-4 to 1-6 (sentences).  A pair's score is

* its length fit, as Gale and Church model it (translated length is the
  article's own ratio times the English length, with a variance growing with
  length), and
* its anchors: what both sides share (code, link targets, numbers, names)
  counts for the pair, what the translation has and the English lacks counts
  hard against it (the translation of another sentence), what the English
  has and the translation lacks a little (an edited English sentence).

Blocks the monotone pass left unpaired on both sides are then paired
best-first across the article when their kind and anchors agree (reordered
table rows, a moved paragraph).  Each English unit gets a confidence in
[0, 1] from its own pair's fit.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from bitext.translate.align.anchors import SAME, WEAK, Features, strong_items
from bitext.translate.align.lexicon import Known, Lexicon, english_words, translated_words
from bitext.translate.align.sentences import Block, Piece

# Gale–Church's variance of the translated length per English character.
VARIANCE = 6.8
# Log-priors of the sentence moves (after Gale and Church, with more room for edits).
_MOVES = {
    (1, 1): math.log(0.85),
    (1, 2): math.log(0.05),
    (2, 1): math.log(0.05),
    (2, 2): math.log(0.005),
    (1, 3): math.log(0.005),
    (3, 1): math.log(0.005),
    # A paragraph kept as one unit (Microsoft's merged units) against its translated sentences.
    (1, 4): math.log(0.002),
    (1, 5): math.log(0.001),
    (1, 6): math.log(0.001),
    (1, 0): math.log(0.02),
    (0, 1): math.log(0.02),
}
_BLOCK_SKIP = math.log(0.02)
# Numbers alone (a table's "1") or a code block: a block only one side may have, that says little.
_BARE_SKIP = -0.5
# How far (in blocks) beyond the difference in block counts a block is sought from its place.
BAND = 60
_BLOCK_ANCHOR_FLOOR = -6.0
_SHARED = 1.5
_SHARED_WEAK = 0.4
# Both sides the same text: an untranslated sentence, or a name; its absence says nothing.
_SHARED_SAME = 3.0
_EXTRA_TARGET = 2.5
_EXTRA_SOURCE = 0.7
# Code, link targets and numbers survive translation almost always: missing ones count more than names.
_EXTRA_SOURCE_HARD = 2.0
_HARD = ("`", "@", "#")


@dataclass
class Bead:
    """One alignment step: English pieces (units) and the translated pieces they took."""

    english: list[Piece]
    translation: list[Piece]
    confidence: float = 0.0

    @property
    def kind(self) -> str:
        return f"{min(len(self.english), 2)}-{min(len(self.translation), 2)}"


@lru_cache(maxsize=1 << 16)  # the block search asks for the same lengths again and again
def length_score(ex: int, ty: int, ratio: float) -> float:
    """log P(lengths | a true pair): Gale and Church's two-tailed normal."""
    if ex == 0 and ty == 0:
        return 0.0
    mean = (ex + ty / ratio) / 2
    delta = (ty - ratio * ex) / math.sqrt(VARIANCE * ratio * max(mean, 1.0))
    return math.log(max(math.erfc(abs(delta) / _SQRT2), 1e-12))


_SQRT2 = math.sqrt(2)


def anchor_score(e: Features, t: Features) -> float:
    """Shared anchors count for the pair, anchors on one side only against it.

    Written as the one-side-only penalty of every strong anchor of both sides
    (``_totals``) corrected over the anchors they share, so that a pair costs
    the size of the smaller anchor set, not of both: the block search asks
    this for millions of pairs.
    """
    ea, ta = e.anchors, t.anchors
    score = -(t.totals or _totals(t))[0] * _EXTRA_TARGET - (e.totals or _totals(e))[1]
    small, large = (ea, ta) if len(ea) <= len(ta) else (ta, ea)
    if small.keys().isdisjoint(large.keys()):  # most pairs the block search asks for share nothing
        return score
    for key in small:
        if key in large:
            shared = min(ea[key], ta[key])
            if key.startswith(WEAK):
                score += shared * _SHARED_WEAK
            elif key.startswith(SAME):
                score += shared * _SHARED_SAME
            else:
                score += shared * (_SHARED + _EXTRA_TARGET + _source_penalty(key))
    return score


def _source_penalty(key: str) -> float:
    return _EXTRA_SOURCE_HARD if key.startswith(_HARD) else _EXTRA_SOURCE


def _totals(f: Features) -> tuple[int, float]:
    """The strong anchors of ``f``: how many, and what they cost when the other side lacks them all."""
    if f.totals is None:
        kept = strong_items(f.anchors)  # asked once for the joined features of every range of sentences
        f.totals = (sum(n for _, n in kept), sum(n * _source_penalty(key) for key, n in kept))
    return f.totals


def pair_score(e: Features, t: Features, ratio: float) -> float:
    return length_score(e.length, t.length, ratio) + anchor_score(e, t)


def block_score(e: Features, t: Features, ratio: float) -> float:
    """A block pair's score: missing or extra anchors count against it up to a bound.

    A long block gathers many anchors, and a few edited ones (a renamed
    cmdlet) must not outweigh a length that fits and the anchors it shares.
    """
    return length_score(e.length, t.length, ratio) + max(anchor_score(e, t), _BLOCK_ANCHOR_FLOOR)


def ratio_of(english: list[Block], translation: list[Block]) -> float:
    """Translated characters per English character, over the whole article."""
    ex = sum(b.features.length for b in english if b.features)
    ty = sum(b.features.length for b in translation if b.features)
    if not ex or not ty:
        return 1.0
    return min(max(ty / ex, 0.2), 5.0)


def align_blocks(english: list[Block], translation: list[Block], ratio: float) -> list[tuple[int | None, int | None]]:
    """Monotone block pairs (i, j); None on one side for a block only the other has.

    Blocks of different kinds never pair (two skips cost less than any such
    pair), and the search keeps to a band around the diagonal as wide as the
    difference in block counts plus ``BAND``: a block is never sought further
    from its place than that; only the band is kept.
    """
    n, m = len(english), len(translation)
    neg = -math.inf
    ef = [b.features for b in english]
    tf = [b.features for b in translation]
    ek = [b.kind for b in english]
    tk = [b.kind for b in translation]
    eskip = [_BARE_SKIP if b.bare else _BLOCK_SKIP for b in english]
    tskip = [_BARE_SKIP if b.bare else _BLOCK_SKIP for b in translation]
    width = abs(n - m) + BAND
    # The translated blocks of each kind, by position: a row scores pairs only with its own kind.
    of_kind: dict[str, list[int]] = {}
    for j, block_kind in enumerate(tk, 1):
        of_kind.setdefault(block_kind, []).append(j)
    # What a pair costs for the translated block's anchors the English lacks (anchor_score's first term).
    t_extra = [-_totals(f)[0] * _EXTRA_TARGET for f in tf]  # type: ignore[arg-type]
    t_keys = [f.anchors.keys() for f in tf]  # type: ignore[union-attr]
    t_length = [f.length for f in tf]  # type: ignore[union-attr]
    # The length fits by English length, then translated length: the same lengths meet again and again.
    fits_of: dict[int, dict[int, float]] = {}
    # Row i holds columns lows[i] .. lows[i] + len(rows[i]) - 1 of the full table; the band only moves right.
    lows: list[int] = [0]
    rows: list[list[float]] = []
    backs: list[list[int]] = []
    lo, hi = 0, min(m, width)
    row = [0.0]
    for j in range(1, hi + 1):
        row.append(row[-1] + tskip[j - 1])
    rows.append(row)
    backs.append([0] + [3] * hi)
    for i in range(1, n + 1):
        prev, plo, phi = row, lo, hi
        center = i * m // n
        lo, hi = max(0, center - width), min(m, center + width)
        e, kind, skip = ef[i - 1], ek[i - 1], eskip[i - 1]
        # The English block skipped (from above): columns the previous row holds.
        row = [prev[j - plo] + skip for j in range(lo, min(hi, phi) + 1)]
        row += [neg] * (hi - lo + 1 - len(row))
        brow = [2 if v > neg else 0 for v in row]
        # The pairs: columns of this block's kind whose diagonal neighbour the previous row holds.
        pairs_at = {}
        same = of_kind.get(kind, ())
        first, last = max(lo, plo + 1, 1), min(hi, phi + 1)
        e_keys, e_length, e_missing = e.anchors.keys(), e.length, _totals(e)[1]  # type: ignore[union-attr, arg-type]
        fits = fits_of.get(e_length)
        if fits is None:
            fits = fits_of[e_length] = {}
        for j in same[bisect_left(same, first) : bisect_right(same, last)]:
            before = prev[j - 1 - plo]
            if before > neg:
                # block_score inlined: the search asks for millions of pairs.
                anchors = (
                    t_extra[j - 1] - e_missing if e_keys.isdisjoint(t_keys[j - 1]) else anchor_score(e, tf[j - 1])  # type: ignore[arg-type]
                )
                length = t_length[j - 1]
                fit = fits.get(length)
                if fit is None:
                    fit = fits[length] = length_score(e_length, length, ratio)
                pairs_at[j - lo] = before + (fit + (anchors if anchors > _BLOCK_ANCHOR_FLOOR else _BLOCK_ANCHOR_FLOOR))
        # Left to right: the translated block skipped, then the pair, which wins ties (as scoring it first).
        pair = pairs_at.get(0)
        if pair is not None and pair >= row[0]:
            row[0], brow[0] = pair, 1
        left = row[0]
        at = pairs_at.get
        for k, skipped in enumerate(tskip[lo:hi], 1):  # column lo + k, its translated block lo + k - 1
            score = row[k]
            skipped += left
            if skipped > score:
                score = skipped
                brow[k] = 3
            pair = at(k)
            if pair is not None and pair >= score:
                score = pair
                brow[k] = 1
            row[k] = left = score
        lows.append(lo)
        rows.append(row)
        backs.append(brow)
    pairs: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i or j:
        move = backs[i][j - lows[i]]
        if move == 1:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif move == 2:
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    pairs.reverse()
    return pairs


def pair_leftovers(
    english: list[Block], translation: list[Block], pairs: list[tuple[int | None, int | None]], ratio: float
) -> list[tuple[int | None, int | None]]:
    """Pair blocks left alone on both sides when kind and anchors agree, wherever they are (moved blocks)."""
    lone_e = [i for i, j in pairs if j is None and i is not None]
    lone_t = [j for i, j in pairs if i is None and j is not None]
    if not lone_e or not lone_t:
        return pairs
    candidates = []
    for i in lone_e:
        for j in lone_t:
            e, t = english[i], translation[j]
            if e.kind != t.kind or e.features is None or t.features is None:
                continue
            context = sum((e.context & t.context).values()) * _SHARED
            score = pair_score(e.features, t.features, ratio) + context
            if score > 0 and anchor_score(e.features, t.features) + context > 0:
                candidates.append((-score, i, j))
    candidates.sort()
    taken_e, taken_t = set(), set()
    moved = {}
    for _, i, j in candidates:
        if i not in taken_e and j not in taken_t:
            taken_e.add(i)
            taken_t.add(j)
            moved[i] = j
    if not moved:
        return pairs
    out: list[tuple[int | None, int | None]] = []
    for a, b in pairs:
        if a is not None and a in moved:
            out.append((a, moved[a]))
        elif a is None and b in taken_t:
            continue
        else:
            out.append((a, b))
    return out


def align_sentences(
    english: list[Piece],
    translation: list[Piece],
    ratio: float,
    lexicon: Lexicon | None = None,
    ranges: _Ranges | None = None,
) -> list[Bead]:
    """The best beads between the sentences of two paired blocks (``lexicon``: the second pass's word pairs;
    ``ranges``: what an earlier search of the same blocks joined)."""
    if len(english) == 1 and len(translation) == 1:
        return [Bead(english, translation)]
    return _sentence_dp(english, translation, ratio, lexicon, ranges)[0]


def _sentence_dp(
    english: list[Piece], translation: list[Piece], ratio: float, lexicon: Lexicon | None, ranges: _Ranges | None = None
) -> tuple[list[Bead], float]:
    """The best beads and their total log-score (``ranges``: what an earlier search of the same blocks joined)."""
    n, m = len(english), len(translation)
    neg = -math.inf
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    known = ranges if ranges is not None else _Ranges()
    fits, e_runs, t_runs, e_words, t_words = known.fits, known.english, known.translated, known.e_words, known.t_words

    def score(i0: int, i1: int, j0: int, j1: int) -> float:
        fit = fits.get((i0, i1, j0, j1))
        if fit is None:
            e = e_runs.get((i0, i1))
            if e is None:
                e = e_runs[i0, i1] = _joined(english[i0:i1])
            t = t_runs.get((j0, j1))
            if t is None:
                t = t_runs[j0, j1] = _joined(translation[j0:j1])
            # pair_score inlined: the search's most frequent call.
            fit = fits[i0, i1, j0, j1] = length_score(e.length, t.length, ratio) + anchor_score(e, t)
        if not lexicon:
            return fit
        # Words never span two sentences: a range's words are its sentences' words together.
        ew = e_words.get((i0, i1))
        if ew is None:
            words = frozenset().union(*(english_words(p.text) for p in english[i0:i1]))
            ew = e_words[i0, i1] = (words, lexicon.known(words))
        tw = t_words.get((j0, j1))
        if tw is None:
            words = frozenset().union(*(translated_words(p.text) for p in translation[j0:j1]))
            tw = t_words[j0, j1] = (words, lexicon.counted(words))
        return fit + lexicon.scored(ew[1], ew[0], tw[1], tw[0])

    bare = [p.bare for p in translation]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            top, move = neg, (0, 0)
            for di, dj, prior in _MOVES_AT[min(i, _MOST_E)][min(j, _MOST_T)]:
                s = best[i - di][j - dj]
                if s == neg:
                    continue
                if not di and bare[j - 1]:
                    prior = _BARE_SKIP
                s += prior
                if di and dj:
                    s += score(i - di, i, j - dj, j)
                if s > top:
                    top, move = s, (di, dj)
            best[i][j], back[i][j] = top, move
    beads = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]
        beads.append(Bead(english[i - di : i], translation[j - dj : j]))
        i, j = i - di, j - dj
    beads.reverse()
    return beads, best[n][m]


_MOVE_LIST = tuple((di, dj, prior) for (di, dj), prior in _MOVES.items())
# The moves that fit in the first i English and j translated sentences, in _MOVE_LIST's order (ties go to the
# first), for i and j up to the largest move: every move fits beyond.
_MOST_E = max(di for di, _ in _MOVES)
_MOST_T = max(dj for _, dj in _MOVES)
_MOVES_AT = [
    [tuple(move for move in _MOVE_LIST if move[0] <= i and move[1] <= j) for j in range(_MOST_T + 1)]
    for i in range(_MOST_E + 1)
]


class _Ranges:
    """What the sentence search of two blocks joins per range of sentences, and each pair's length and anchor fit.

    The second pass searches the blocks the first pass was unsure of again, with
    the word pairs added: it starts from what the first search joined.
    """

    def __init__(self) -> None:
        self.fits: dict[tuple[int, int, int, int], float] = {}
        self.english: dict[tuple[int, int], Features] = {}
        self.translated: dict[tuple[int, int], Features] = {}
        # A range's words, and those of them that count for the word pairs (``Lexicon.known``, ``counted``).
        self.e_words: dict[tuple[int, int], tuple[frozenset[str], list[Known]]] = {}
        self.t_words: dict[tuple[int, int], tuple[frozenset[str], list[tuple[float | None, str | frozenset[str]]]]] = {}


def _joined(pieces: list[Piece]) -> Features:
    """The features of consecutive pieces; a single piece's own (and its cached totals)."""
    return pieces[0].features if len(pieces) == 1 else Features.join([p.features for p in pieces])


def confidence(bead: Bead, ratio: float, block_fit: float) -> float:
    """How sure the pairing is, in [0, 1]: the pair's own fit, its move and its blocks' fit."""
    if not bead.english or not bead.translation:
        return 0.0
    e, t = _joined(bead.english), _joined(bead.translation)
    fit = length_score(e.length, t.length, ratio) + min(anchor_score(e, t), 0.0) + min(block_fit, 0.0) / 2
    if len(bead.english) != 1 or len(bead.translation) != 1:
        fit -= 2.0
    return 1 / (1 + math.exp(-(fit + 3.0)))


@dataclass
class FirstPass:
    """The first pass over an article: its length ratio, block pairs and each block pair's sentence beads."""

    ratio: float
    pairs: list[tuple[int | None, int | None]]
    beads: dict[tuple[int, int], list[Bead]]
    # What the sentence search joined for the block pairs not all sure: the second pass may search them again.
    unsure: dict[tuple[int, int], _Ranges] = field(default_factory=dict)

    def sure(self) -> list[tuple[frozenset[str], frozenset[str]]]:
        """The words of the 1-1 pairs the first pass is sure of: what a ``Lexicon`` learns from."""
        return [
            (english_words(b.english[0].text), translated_words(b.translation[0].text))
            for beads in self.beads.values()
            for b in beads
            if _sure(b)
        ]


def first_pass(english: list[Block], translation: list[Block]) -> FirstPass:
    """Blocks paired by length and anchors, then the sentences of each block pair."""
    ratio = ratio_of(english, translation)
    pairs = align_blocks(english, translation, ratio)
    beads = {}
    unsure: dict[tuple[int, int], _Ranges] = {}
    for i, j in pairs:
        if i is not None and j is not None:
            ranges = _Ranges()
            beads[i, j] = _beads(english[i], translation[j], ratio, None, ranges)
            if not all(_sure(b) for b in beads[i, j]):
                unsure[i, j] = ranges
    return FirstPass(ratio, pairs, beads, unsure)


def align(
    english: list[Block], translation: list[Block], project: Lexicon | None = None
) -> tuple[list[Bead], float, Lexicon | None]:
    """Every English piece and every translated piece in exactly one bead, English order first.

    A second pass, with word pairs (``Lexicon``), pairs blocks left alone
    between two paired blocks by their sentences (a block that lost a
    sentence in translation no longer fits as a whole) and realigns the
    sentences of the block pairs the first pass was not sure of; then it
    pairs the blocks near a block still alone again (``_near_lone``: the
    blocks after a dropped one may each have taken the next one's
    translation).  The word pairs are ``project``'s, learned over many articles, when given, with the
    pairs this article's first pass was sure of counted in (``Lexicon.with_article``); else those pairs'
    alone.
    """
    found = first_pass(english, translation)
    ratio, pairs, first, unsure = found.ratio, found.pairs, found.beads, found.unsure
    lexicon = project.with_article(found.sure()) if project else Lexicon(found.sure())
    doubted: dict[int, float] = {}  # a first-pass bead's confidence with the word pairs' doubt, by id
    if lexicon:
        for found_first in first.values():
            for b in found_first:
                doubted[id(b)] = _doubted(b, lexicon)
        weak = {pair for pair, bs in first.items() if min((doubted[id(b)] for b in bs), default=1.0) < THRESHOLD}
        pairs = repair_gaps(english, translation, pairs, ratio, lexicon, weak)
        # Then around the blocks still alone (a wider gap, so a gap too wide for it keeps the first repair).
        pairs = repair_gaps(english, translation, pairs, ratio, lexicon, weak | _near_lone(pairs))
    pairs = pair_leftovers(english, translation, pairs, ratio)
    out: list[Bead] = []
    for i, j in pairs:
        if i is None:
            out.extend(Bead([], [p]) for p in translation[j].pieces)  # type: ignore[index]
        elif j is None:
            out.extend(Bead([p], []) for p in english[i].pieces)
        else:
            beads = first.get((i, j))
            if beads is None or (lexicon and not all(_sure(b) for b in beads)):
                beads = _beads(english[i], translation[j], ratio, lexicon or None, unsure.get((i, j)))
            out.extend(beads)
    if lexicon:
        for bead in out:
            known = doubted.get(id(bead))
            bead.confidence = _doubted(bead, lexicon) if known is None else known
    return out, ratio, lexicon if lexicon else None


# How many block pairs on each side of a block left alone are paired again with the word pairs (repair_gaps).
NEAR_LONE = 2


def _near_lone(pairs: list[tuple[int | None, int | None]]) -> set[tuple[int, int]]:
    """The block pairs within ``NEAR_LONE`` places of a block only one side has.

    Where a block is missing from one side, lengths alone cannot tell which of
    a run of similar blocks (list items, table cells) it was: the block search
    may pair each with its neighbour's translation up to the next block that
    does not fit.  Near such a block the word pairs decide again.
    """
    near: set[tuple[int, int]] = set()
    for k, (i, j) in enumerate(pairs):
        if i is None or j is None:
            for i2, j2 in pairs[max(0, k - NEAR_LONE) : k + NEAR_LONE + 1]:
                if i2 is not None and j2 is not None:
                    near.add((i2, j2))
    return near


def _doubted(bead: Bead, lexicon: Lexicon) -> float:
    """The bead's confidence once the word pairs have said what they hold against it."""
    if not bead.english or not bead.translation:
        return bead.confidence
    doubt = lexicon.against(
        frozenset().union(*(english_words(p.text) for p in bead.english)),
        frozenset().union(*(translated_words(p.text) for p in bead.translation)),
    )
    return _shifted(bead.confidence, doubt)


def _shifted(confidence: float, evidence: float) -> float:
    """``confidence`` with ``evidence`` added to its log-odds."""
    p = min(max(confidence, 1e-9), 1 - 1e-9)
    return 1 / (1 + math.exp(-(math.log(p / (1 - p)) + evidence)))


def _beads(e: Block, t: Block, ratio: float, lexicon: Lexicon | None, ranges: _Ranges | None = None) -> list[Bead]:
    fit = pair_score(e.features, t.features, ratio)  # type: ignore[arg-type]
    beads = align_sentences(e.pieces, t.pieces, ratio, lexicon, ranges)
    for bead in beads:
        bead.confidence = confidence(bead, ratio, fit)
    return beads


# Blocks left alone between two block pairs: at most this many English × translated ones are paired by sentences.
GAP_CELLS = 256


def repair_gaps(
    english: list[Block],
    translation: list[Block],
    pairs: list[tuple[int | None, int | None]],
    ratio: float,
    lexicon: Lexicon,
    weak: set[tuple[int, int]],
) -> list[tuple[int | None, int | None]]:
    """Blocks left alone on both sides between two block pairs, paired when their sentences fit.

    A block whose translation lost a sentence (or gained one) no longer fits
    as a whole, so the block search leaves it and its translation alone; here
    such blocks (of the same kind, or ``_kinds_meet``, in the same gap) are scored by their
    best sentence alignment, which may leave sentences out, against leaving
    every sentence of both out.  Block pairs the first pass doubts
    (``weak``) are taken apart and paired again with the blocks around them:
    a block missing from the translation makes its neighbours pair with the
    wrong blocks until the lengths no longer fit.
    """
    out: list[tuple[int | None, int | None]] = []
    gap: list[tuple[int | None, int | None]] = []
    for pair in [*pairs, (None, None)]:
        if pair == (None, None) or (pair[0] is not None and pair[1] is not None and pair not in weak):
            out.extend(_repair(english, translation, gap, ratio, lexicon))
            gap = []
            if pair != (None, None):
                out.append(pair)
        else:
            gap.append(pair)
    return out


def _repair(
    english: list[Block],
    translation: list[Block],
    gap: list[tuple[int | None, int | None]],
    ratio: float,
    lexicon: Lexicon,
) -> list[tuple[int | None, int | None]]:
    lone_e = [i for i, _ in gap if i is not None]
    lone_t = [j for _, j in gap if j is not None]
    alone = any(i is None or j is None for i, j in gap)
    if not alone or not lone_e or not lone_t or len(lone_e) * len(lone_t) > GAP_CELLS:
        return gap
    skip_e = [_skip(english[i]) for i in lone_e]
    skip_t = [_skip(translation[j]) for j in lone_t]
    n, m = len(lone_e), len(lone_t)
    neg = -math.inf
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for a in range(n + 1):
        for b in range(m + 1):
            if a == 0 and b == 0:
                continue
            top, move = neg, 0
            if a and b and _kinds_meet(english[lone_e[a - 1]], translation[lone_t[b - 1]]):
                e, t = english[lone_e[a - 1]], translation[lone_t[b - 1]]
                top, move = best[a - 1][b - 1] + _sentence_dp(e.pieces, t.pieces, ratio, lexicon)[1], 1
            if a and best[a - 1][b] + skip_e[a - 1] > top:
                top, move = best[a - 1][b] + skip_e[a - 1], 2
            if b and best[a][b - 1] + skip_t[b - 1] > top:
                top, move = best[a][b - 1] + skip_t[b - 1], 3
            best[a][b], back[a][b] = top, move
    found: list[tuple[int | None, int | None]] = []
    a, b = n, m
    while a or b:
        move = back[a][b]
        if move == 1:
            found.append((lone_e[a - 1], lone_t[b - 1]))
            a, b = a - 1, b - 1
        elif move == 2:
            found.append((lone_e[a - 1], None))
            a -= 1
        else:
            found.append((None, lone_t[b - 1]))
            b -= 1
    found.reverse()
    return found


def _kinds_meet(english: Block, translated: Block) -> bool:
    """True when two blocks left alone in a gap may pair: the same kind, or an indented translated paragraph
    against English text of a list or paragraph: a list item whose first line the translation lost leaves the
    rest of it indented, a block of its own (under the list, or code read as text), where the English keeps it
    in the item."""
    if english.kind == translated.kind:
        return True
    return translated.kind == "nested" and english.kind in ("li", "nested", "p")


def _skip(block: Block) -> float:
    """What leaving every sentence of a block out costs in the sentence search."""
    return sum(_BARE_SKIP if p.bare else _MOVES[1, 0] for p in block.pieces)


# A pair below this confidence is published for review (merge) and its blocks are paired again (repair_gaps).
THRESHOLD = 0.5
# A 1-1 pair at least this confident teaches the second pass its word pairs.
SURE = 0.8


def _sure(bead: Bead) -> bool:
    return len(bead.english) == 1 and len(bead.translation) == 1 and bead.confidence >= SURE
