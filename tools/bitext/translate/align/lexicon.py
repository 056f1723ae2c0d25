"""Which translated words go with which English words, learned from the article's own sure pairs.

Length and anchors cannot tell two neighbouring sentences of similar length
apart when one of them was deleted from the translation.  The pairs the
first pass is sure of say which words translate which: ``Lexicon`` counts,
over those pairs, how often an English word and a translated word occur in
the same pair (Dice's coefficient), and scores a candidate pair by the
English words whose usual translation it holds (as strongly as they go with
the partner it holds) or lacks, and the translated
words whose usual English it lacks; a word kept in Latin letters counts
for the pair when the English has it, against it when not, as much as
the translation keeps English words (``copy_rate``).  Words are cut without knowing the
language: English words by the first letters of their stem (``_stem``), translated words in a Latin
script the same way, words of other scripts as pairs of characters (Korean
words carry their particles, Chinese and Japanese have no spaces); a colon
that ends a sentence is a word too (``_lead_in``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

_SCRIPT_RUN = re.compile(r"[A-Za-z]+|[^\W\d_A-Za-z]+")
_STEM = 6  # English words and Latin words compared by their stem's first letters (mailbox, mailboxes)
# An association counts from this Dice coefficient and this many shared pairs on.
MIN_DICE = 0.35
MIN_TOGETHER = 2
# Too few sure pairs and the counts say nothing.
MIN_PAIRS = 8
# At most this many pairs are counted (the table grows with pairs × English words × translated words):
# an article's, and a project's (``project``).
MAX_PAIRS = 250
PROJECT_PAIRS = 10_000
HIT = 1.0
MISS = 0.6
# How much one missing partner word lowers a pair's confidence (the first pass's pairs show it separates
# wrong pairs better than edited English, which mostly differs by a word or two from what was translated).
DOUBT = 0.25
# A word kept in Latin letters in the translation and absent from the English: on the first pass's pairs
# of the corpus, 1.7 % of right pairs have one, against 8-10 % of wrong pairs and edited English sentences,
# so one such word is enough to send a well-fitting pair to review (when the translation keeps such words).
KEPT_ALONE = 4.0
# A word the translation kept in Latin letters that the English has (a name, a term, an untranslated word).
COPIED = 1.0

# An English word's entry for scoring: its best coefficient, its partners, and each partner's coefficient
# (the strongest first).
Known = tuple[float, frozenset[str], tuple[tuple[str, float], ...]]


# Each sentence's words are asked for by the first pass's sure pairs and again by the second pass.
@lru_cache(maxsize=1 << 14)
def english_words(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in _SCRIPT_RUN.findall(text) if len(w) > 1 and w.isascii()) | _lead_in(text)


LEAD_IN = frozenset({":"})


def _lead_in(text: str) -> frozenset[str]:
    """A colon ending the text (emphasis aside) as a word of its own: a lead-in to a list or table, which a
    translation often says in words ("다음과 같습니다", "folgende") where the English has only the colon."""
    return LEAD_IN if text.rstrip(" *_").endswith(":") else frozenset()


@lru_cache(maxsize=1 << 16)  # an article's words are few and come again in every sentence
def _stem(word: str) -> str:
    """An English word's first letters without its plural, -ing, -ed or final e: a short word's forms
    ("user", "users"; "enable", "enabled", "enabling") are one word, as the first letters make a long one's."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w[-1] == "s" and w[-2] not in "siu":  # not "access", "this", "status"
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    if len(w) > 3 and w[-1] == "e":
        w = w[:-1]
    return w[:_STEM]


@lru_cache(maxsize=1 << 14)
def translated_words(text: str) -> frozenset[str]:
    out = set()
    for w in _SCRIPT_RUN.findall(text):
        if w.isascii():
            if len(w) > 1:
                out.add(_stem(w))
        elif len(w) == 1:
            out.add(w)
        else:
            out.update(w[k : k + 2] for k in range(len(w) - 1))
    return frozenset(out) | _lead_in(text)


class Lexicon:
    """English word → (its best Dice coefficient, the translated words associated with it, those words with
    their own coefficients, the strongest first: ``Known``); and the reverse (without the ranking)."""

    def __init__(self, pairs: Iterable[tuple[frozenset[str], frozenset[str]]], limit: int = MAX_PAIRS):
        pairs = list(pairs)
        if len(pairs) > limit:  # spread over the article: enough to count, and the count stays cheap
            pairs = [pairs[k * len(pairs) // limit] for k in range(limit)]
        # The ranking: a word that often comes with another (in a name) is also a partner of the other's
        # translation, more weakly.
        self.english: dict[str, Known] = {}
        self.translated: dict[str, tuple[float, frozenset[str]]] = {}
        self.copy_rate = 0.0
        if len(pairs) < MIN_PAIRS:
            return
        e_vocab = _vocabulary([e for e, _ in pairs])
        t_vocab = _vocabulary([t for _, t in pairs])
        copied = latin = 0
        for e, t in pairs:
            kept = [w for w in t if w.isascii() and len(w) > 1]
            latin += len(kept)
            copied += sum(w in e for w in kept)
        # How often a word in Latin letters in the translation is an English word of its pair.
        self.copy_rate = copied / latin if latin else 0.0
        if not e_vocab or not t_vocab:
            return
        e_index = {w: k for k, w in enumerate(e_vocab)}
        t_index = {w: k for k, w in enumerate(t_vocab)}
        # Only the (English word, translated word) cells that occur are counted: a project's sure pairs make
        # a table of millions of cells, most of them empty.  (A matrix product would go to BLAS, whose
        # threads crawl on a busy machine.)
        width = len(t_vocab)
        e_count = np.zeros(len(e_vocab), dtype=np.int64)
        t_count = np.zeros(width, dtype=np.int64)
        cells = []
        for e, t in pairs:
            rows = np.array([e_index[w] for w in e if w in e_index], dtype=np.int64)
            cols = np.array([t_index[w] for w in t if w in t_index], dtype=np.int64)
            e_count[rows] += 1
            t_count[cols] += 1
            cells.append((rows[:, None] * width + cols[None, :]).ravel())
        found_cells, together = np.unique(np.concatenate(cells), return_counts=True)  # sorted: row by row
        counted = together >= MIN_TOGETHER
        found_cells, together = found_cells[counted], together[counted]
        rows, cols = found_cells // width, found_cells % width
        dice = 2 * together / (e_count[rows] + t_count[cols])
        # Each word's best coefficient (0 when it has none counted, as over the whole table).
        best_e_table = np.zeros(len(e_vocab))
        best_t_table = np.zeros(width)
        np.maximum.at(best_e_table, rows, dice)
        np.maximum.at(best_t_table, cols, dice)
        strong = dice >= MIN_DICE
        e_assoc: dict[int, list[tuple[float, int]]] = {}
        t_assoc: dict[int, list[int]] = {}
        for k, c, d in zip(rows[strong].tolist(), cols[strong].tolist(), dice[strong].tolist(), strict=True):
            e_assoc.setdefault(k, []).append((d, c))
            t_assoc.setdefault(c, []).append(k)
        best_e = best_e_table.tolist()
        best_t = best_t_table.tolist()
        for k, partners in e_assoc.items():
            ranked = tuple((t_vocab[c], d) for d, c in sorted(partners, reverse=True))
            self.english[e_vocab[k]] = (best_e[k], frozenset(t_vocab[c] for _, c in partners), ranked)
        for c, found in t_assoc.items():
            self.translated[t_vocab[c]] = (best_t[c], frozenset(e_vocab[k] for k in found))

    def __bool__(self) -> bool:
        return bool(self.english)

    def score(self, english: frozenset[str], translated: frozenset[str]) -> float:
        """English words whose translation the pair holds count for it; words with no partner, against it."""
        return self.scored(self.known(english), english, self.counted(translated), translated)

    def scored(
        self,
        known: list[Known],
        english: frozenset[str],
        counted: list[tuple[float | None, str | frozenset[str]]],
        translated: frozenset[str],
    ) -> float:
        """``score`` from the words of each side that count (``known``, ``counted``), sorted out beforehand:
        the sentence search scores each range of sentences against many others."""
        score = 0.0
        for dice, partners, ranked in known:
            if partners.isdisjoint(translated):
                score -= dice * MISS
            else:
                for w, d in ranked:  # the partner the pair holds: a word's weaker partners count less
                    if w in translated:
                        score += HIT * d
                        break
        for weight, found in counted:
            if weight is None:
                score += self.copy_rate * (COPIED if found in english else -MISS)
            elif found.isdisjoint(english):  # type: ignore[union-attr]
                score -= weight * MISS
        return score

    def known(self, english: frozenset[str]) -> list[Known]:
        """The entries of the English words the table knows, in the set's order (the order of the sum)."""
        return [known for known in map(self.english.get, english) if known is not None]

    def counted(self, translated: frozenset[str]) -> list[tuple[float | None, str | frozenset[str]]]:
        """The translated words that count, in the set's order: (None, word) for one kept in Latin letters."""
        found: list[tuple[float | None, str | frozenset[str]]] = []
        for w in translated:
            if w.isascii() and len(w) > 1:
                found.append((None, w))
            elif (known := self.translated.get(w)) is not None:
                found.append(known)
        return found

    def against(self, english: frozenset[str], translated: frozenset[str]) -> float:
        """The evidence against a pair (<= 0), for its confidence: words whose partner it lacks.

        An English word whose usual translation is missing, a translated word
        whose usual English is missing (each by its Dice coefficient, weighed
        ``DOUBT`` as one word says little), and a word kept in Latin letters that
        the English does not have (``KEPT_ALONE``, times how much this
        translation keeps such words):
        the signs of an English sentence edited after it was translated.
        """
        score = 0.0
        for known in map(self.english.get, english):
            if known is not None and known[1].isdisjoint(translated):
                score -= DOUBT * known[0]
        kept_alone = KEPT_ALONE * self.copy_rate
        partners = self.translated.get
        for w in translated:
            if w.isascii() and len(w) > 1:
                if w not in english:
                    score -= kept_alone
                continue
            entry = partners(w)
            if entry is not None and entry[1].isdisjoint(english):
                score -= DOUBT * entry[0]
        return score


def _vocabulary(sets: list[frozenset[str]]) -> list[str]:
    """The words of at least ``MIN_TOGETHER`` pairs and at most half of them (the rest go with everything)."""
    seen: dict[str, int] = {}
    for words in sets:
        for w in words:
            seen[w] = seen.get(w, 0) + 1
    return [w for w, n in seen.items() if MIN_TOGETHER <= n <= len(sets) / 2]


def project(pairs: Iterable[tuple[frozenset[str], frozenset[str]]]) -> Lexicon:
    """The word pairs of many articles' sure pairs together.

    One article's sure pairs rarely hold a phrase twice ("To do this" /
    "이렇게 하려면"); a project's do, so its table knows the words that tell
    neighbouring sentences and the two ends of a cut apart.
    """
    return Lexicon(pairs, PROJECT_PAIRS)
