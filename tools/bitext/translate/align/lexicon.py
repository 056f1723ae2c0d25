"""Which translated words go with which English words, learned from the article's own sure pairs.

Length and anchors cannot tell two neighbouring sentences of similar length
apart when one of them was deleted from the translation.  The pairs the
first pass is sure of say which words translate which: ``Lexicon`` counts,
over those pairs, how often an English word and a translated word occur in
the same pair (Dice's coefficient), and scores a candidate pair by the
English words whose usual translation it holds or lacks, and the translated
words whose usual English it lacks; a word kept in Latin letters counts
for the pair when the English has it, against it when not, as much as
the translation keeps English words (``copy_rate``).  Words are cut without knowing the
language: English words by their first letters, translated words in a Latin
script the same way, words of other scripts as pairs of characters (Korean
words carry their particles, Chinese and Japanese have no spaces).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

_SCRIPT_RUN = re.compile(r"[A-Za-z]+|[^\W\d_A-Za-z]+")
_STEM = 6  # English words and Latin words compared by their first letters (mailbox, mailboxes)
# An association counts from this Dice coefficient and this many shared pairs on.
MIN_DICE = 0.35
MIN_TOGETHER = 2
# Too few sure pairs and the counts say nothing.
MIN_PAIRS = 8
HIT = 1.0
MISS = 0.6
# A word the translation kept in Latin letters that the English has (a name, a term, an untranslated word).
COPIED = 1.0


# Each sentence's words are asked for by the first pass's sure pairs and again by the second pass.
@lru_cache(maxsize=1 << 14)
def english_words(text: str) -> frozenset[str]:
    return frozenset(w.lower()[:_STEM] for w in _SCRIPT_RUN.findall(text) if len(w) > 1 and w.isascii())


@lru_cache(maxsize=1 << 14)
def translated_words(text: str) -> frozenset[str]:
    out = set()
    for w in _SCRIPT_RUN.findall(text):
        if w.isascii():
            if len(w) > 1:
                out.add(w.lower()[:_STEM])
        elif len(w) == 1:
            out.add(w)
        else:
            out.update(w[k : k + 2] for k in range(len(w) - 1))
    return frozenset(out)


class Lexicon:
    """English word → (its best Dice coefficient, the translated words associated with it); and the reverse."""

    def __init__(self, pairs: Iterable[tuple[frozenset[str], frozenset[str]]]):
        pairs = list(pairs)
        self.english: dict[str, tuple[float, frozenset[str]]] = {}
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
        e_rows = np.zeros((len(pairs), len(e_vocab)), dtype=np.float32)
        t_rows = np.zeros((len(pairs), len(t_vocab)), dtype=np.float32)
        for row, (e, t) in enumerate(pairs):
            e_rows[row, [e_index[w] for w in e if w in e_index]] = 1
            t_rows[row, [t_index[w] for w in t if w in t_index]] = 1
        together = e_rows.T @ t_rows
        dice = 2 * together / (e_rows.sum(0)[:, None] + t_rows.sum(0)[None, :])
        dice[together < MIN_TOGETHER] = 0
        strong = dice >= MIN_DICE
        for k in np.flatnonzero(strong.any(1)):
            cols = np.flatnonzero(strong[k])
            self.english[e_vocab[k]] = (float(dice[k, cols].max()), frozenset(t_vocab[c] for c in cols))
        for c in np.flatnonzero(strong.any(0)):
            rows = np.flatnonzero(strong[:, c])
            self.translated[t_vocab[c]] = (float(dice[rows, c].max()), frozenset(e_vocab[k] for k in rows))

    def __bool__(self) -> bool:
        return bool(self.english)

    def score(self, english: frozenset[str], translated: frozenset[str]) -> float:
        """English words whose translation the pair holds count for it; words with no partner, against it."""
        score = 0.0
        for w in english:
            known = self.english.get(w)
            if known is not None:
                score += known[0] * (HIT if not known[1].isdisjoint(translated) else -MISS)
        for w in translated:
            if w.isascii() and len(w) > 1:
                score += self.copy_rate * (COPIED if w in english else -MISS)
                continue
            known = self.translated.get(w)
            if known is not None and known[1].isdisjoint(english):
                score -= known[0] * MISS
        return score


def _vocabulary(sets: list[frozenset[str]]) -> list[str]:
    """The words of at least ``MIN_TOGETHER`` pairs and at most half of them (the rest go with everything)."""
    seen: dict[str, int] = {}
    for words in sets:
        for w in words:
            seen[w] = seen.get(w, 0) + 1
    return [w for w, n in seen.items() if MIN_TOGETHER <= n <= len(sets) / 2]
