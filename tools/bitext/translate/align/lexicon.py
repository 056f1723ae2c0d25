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
that ends a sentence is a word too (``_lead_in``).  A project's table learned
over many articles takes each article's own sure pairs into its counts for
that article (``with_article``): a translation renders a word one way
throughout an article, the project's articles another way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from operator import add

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
# An article's pairs counted into a project's table (``with_article``): its counting is paid per article, and
# more pairs weigh the article more against the project (on the synthetic set 150 did better than 100 and 250).
ARTICLE_PAIRS = 150
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
            out.update(map(add, w, w[1:]))  # its pairs of characters, in order
    return frozenset(out) | _lead_in(text)


class _Counts:
    """In how many pairs each word of the vocabulary occurs (``_vocabulary``), and the (English word, translated
    word) cells that occur in at least ``MIN_TOGETHER`` of them: keys ``row << 32 | column``, sorted."""

    def __init__(self, pairs: list[tuple[frozenset[str], frozenset[str]]]):
        self.pairs = len(pairs)
        self.e_vocab = _vocabulary([e for e, _ in pairs])
        self.t_vocab = _vocabulary([t for _, t in pairs])
        self.e_index = {w: k for k, w in enumerate(self.e_vocab)}
        self.t_index = {w: k for k, w in enumerate(self.t_vocab)}
        # Only the cells that occur are counted: a project's sure pairs make a table of millions of cells, most
        # of them empty.  (A matrix product would go to BLAS, whose threads crawl on a busy machine.)
        rows, row_counts = _indices([e for e, _ in pairs], self.e_index)
        cols, col_counts = _indices([t for _, t in pairs], self.t_index)
        self.e_count = np.bincount(rows, minlength=len(self.e_vocab))
        self.t_count = np.bincount(cols, minlength=len(self.t_vocab))
        # Each pair's cells, all pairs at once: its rows each repeated once per column, its columns in turn.
        sizes = row_counts * col_counts
        pair = np.repeat(np.arange(len(pairs)), sizes)
        at = np.arange(len(pair)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        row_starts, col_starts = np.cumsum(row_counts) - row_counts, np.cumsum(col_counts) - col_counts
        row_at, col_at = row_starts[pair] + at // col_counts[pair], col_starts[pair] + at % col_counts[pair]
        cells = (rows[row_at] << _SHIFT) | cols[col_at]
        keys, together = np.unique(cells, return_counts=True)
        counted = together >= MIN_TOGETHER
        self.keys, self.together = keys[counted], together[counted]


_SHIFT = 32
_COLUMN = (1 << _SHIFT) - 1


def _indices(sets: list[frozenset[str]], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """The indices of the words of every set that ``index`` has, one after the other, and how many each set has."""
    found = [[index[w] for w in words if w in index] for words in sets]
    return np.fromiter(chain.from_iterable(found), dtype=np.int64), np.array([len(f) for f in found], dtype=np.int64)


def _in(keys: np.ndarray, values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The values of the sorted ``keys`` that are ``wanted``, 0 for those it lacks."""
    if not len(keys):
        return np.zeros(len(wanted), dtype=np.int64)
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return np.where(keys[at] == wanted, values[at], 0)


def _associations(
    rows: np.ndarray, cols: np.ndarray, dice: np.ndarray, e_size: int, t_size: int
) -> tuple[dict[int, tuple[float, list[tuple[float, int]]]], dict[int, tuple[float, list[int]]]]:
    """Each word's best coefficient (over every cell given) and its partners (cells from ``MIN_DICE`` on), by
    index: the English words' with each partner's coefficient, for the words that have a partner."""
    best_e = np.zeros(e_size)
    best_t = np.zeros(t_size)
    np.maximum.at(best_e, rows, dice)
    np.maximum.at(best_t, cols, dice)
    strong = dice >= MIN_DICE
    english: dict[int, tuple[float, list[tuple[float, int]]]] = {}
    translated: dict[int, tuple[float, list[int]]] = {}
    for k, c, d in zip(rows[strong].tolist(), cols[strong].tolist(), dice[strong].tolist(), strict=True):
        english.setdefault(k, (float(best_e[k]), []))[1].append((d, c))
        translated.setdefault(c, (float(best_t[c]), []))[1].append(k)
    return english, translated


def _known(entry: tuple[float, list[tuple[float, int]]], t_names: list[str]) -> Known:
    """An English word's entry from its ``_associations``: its best coefficient, partners and ranked partners."""
    best, partners = entry
    ranked = tuple((t_names[c], d) for d, c in sorted(partners, reverse=True))
    return best, frozenset(t_names[c] for _, c in partners), ranked


def _reverse(entry: tuple[float, list[int]], e_names: list[str]) -> tuple[float, frozenset[str]]:
    """A translated word's entry from its ``_associations``: its best coefficient and its English partners."""
    best, found = entry
    return best, frozenset(e_names[k] for k in found)


class Lexicon:
    """English word → (its best Dice coefficient, the translated words associated with it, those words with
    their own coefficients, the strongest first: ``Known``); and the reverse (without the ranking)."""

    def __init__(self, pairs: Iterable[tuple[frozenset[str], frozenset[str]]], limit: int = MAX_PAIRS):
        pairs = _spread(list(pairs), limit)
        # The ranking: a word that often comes with another (in a name) is also a partner of the other's
        # translation, more weakly.
        self.english: dict[str, Known] = {}
        self.translated: dict[str, tuple[float, frozenset[str]]] = {}
        self.copy_rate = 0.0
        # What the table was learned from and its partner cells (``row << 32 | column``), for ``with_article``.
        self._counts: _Counts | None = None
        self._strong = np.zeros(0, dtype=np.int64)
        if len(pairs) < MIN_PAIRS:
            return
        copied = latin = 0
        for e, t in pairs:
            kept = [w for w in t if w.isascii() and len(w) > 1]
            latin += len(kept)
            copied += sum(w in e for w in kept)
        # How often a word in Latin letters in the translation is an English word of its pair.
        self.copy_rate = copied / latin if latin else 0.0
        counts = _Counts(pairs)
        if not counts.e_vocab or not counts.t_vocab:
            return
        self._counts = counts
        rows, cols = counts.keys >> _SHIFT, counts.keys & _COLUMN
        dice = 2 * counts.together / (counts.e_count[rows] + counts.t_count[cols])
        self._strong = counts.keys[dice >= MIN_DICE]
        e_vocab, t_vocab = counts.e_vocab, counts.t_vocab
        english, translated = _associations(rows, cols, dice, len(e_vocab), len(t_vocab))
        for k, entry in english.items():
            self.english[e_vocab[k]] = _known(entry, t_vocab)
        for c, found in translated.items():
            self.translated[t_vocab[c]] = _reverse(found, e_vocab)

    def with_article(self, pairs: Iterable[tuple[frozenset[str], frozenset[str]]]) -> Lexicon:
        """This table with one article's sure pairs counted in: the words of that article's pairs scored as
        the project and the article use them together.

        A translation is consistent within an article in ways the project is
        not ("license" translated one way here, another in most articles):
        where the article's own pairs say so, its sense of a word joins the
        project's.  Only the entries of the article's words are counted again,
        from the cells that can reach ``MIN_DICE`` (the project's partners
        and the article's cells; a cell the article lacks only weakens).
        """
        base = self._counts
        own_pairs = _spread(list(pairs), ARTICLE_PAIRS)
        if base is None or len(own_pairs) < MIN_PAIRS:
            return self
        own = _Counts(own_pairs)
        if not len(own.keys):
            return self
        new_e = [w for w in own.e_vocab if w not in base.e_index]
        new_t = [w for w in own.t_vocab if w not in base.t_index]
        e_names, t_names = base.e_vocab + new_e, base.t_vocab + new_t
        e_to = np.array([base.e_index.get(w, -1) for w in own.e_vocab], dtype=np.int64)
        t_to = np.array([base.t_index.get(w, -1) for w in own.t_vocab], dtype=np.int64)
        e_to[e_to < 0] = np.arange(len(base.e_vocab), len(e_names))
        t_to[t_to < 0] = np.arange(len(base.t_vocab), len(t_names))
        e_count = np.concatenate([base.e_count, np.zeros(len(new_e), dtype=np.int64)])
        t_count = np.concatenate([base.t_count, np.zeros(len(new_t), dtype=np.int64)])
        e_count[e_to] += own.e_count
        t_count[t_to] += own.t_count
        own_rows, own_cols = e_to[own.keys >> _SHIFT], t_to[own.keys & _COLUMN]
        own_keys = (own_rows << _SHIFT) | own_cols
        order = np.argsort(own_keys)
        own_keys, own_together = own_keys[order], own.together[order]
        strong = self._strong
        near = np.isin(strong >> _SHIFT, own_rows) | np.isin(strong & _COLUMN, own_cols)
        keys = np.union1d(own_keys, strong[near])
        together = _in(base.keys, base.together, keys) + _in(own_keys, own_together, keys)
        rows, cols = keys >> _SHIFT, keys & _COLUMN
        dice = 2 * together / (e_count[rows] + t_count[cols])
        # An entry changes where the article changes which words are partners; an entry whose partners stay
        # keeps the project's coefficients (the article's few pairs move them little).
        changed = (dice >= MIN_DICE) != np.isin(keys, strong[near])
        rows_touched, cols_touched = np.unique(rows[changed]), np.unique(cols[changed])
        in_rows, in_cols = np.isin(rows, rows_touched), np.isin(cols, cols_touched)
        english = _associations(rows[in_rows], cols[in_rows], dice[in_rows], len(e_names), len(t_names))[0]
        translated = _associations(rows[in_cols], cols[in_cols], dice[in_cols], len(e_names), len(t_names))[1]
        out = Lexicon(())
        out.copy_rate = self.copy_rate
        out.english = dict(self.english)
        out.translated = dict(self.translated)
        for k in rows_touched.tolist():
            if (entry := english.get(k)) is None:
                out.english.pop(e_names[k], None)
            else:
                out.english[e_names[k]] = _known(entry, t_names)
        for c in cols_touched.tolist():
            if (found := translated.get(c)) is None:
                out.translated.pop(t_names[c], None)
            else:
                out.translated[t_names[c]] = _reverse(found, e_names)
        return out

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


_Pairs = list[tuple[frozenset[str], frozenset[str]]]


def _spread(pairs: _Pairs, limit: int) -> _Pairs:
    """At most ``limit`` pairs spread over all of them: enough to count, and the count stays cheap."""
    if len(pairs) <= limit:
        return pairs
    return [pairs[k * len(pairs) // limit] for k in range(limit)]


def _vocabulary(sets: list[frozenset[str]]) -> list[str]:
    """The words of at least ``MIN_TOGETHER`` pairs and at most half of them (the rest go with everything)."""
    seen = Counter(chain.from_iterable(sets))
    return [w for w, n in seen.items() if MIN_TOGETHER <= n <= len(sets) / 2]


def project(pairs: Iterable[tuple[frozenset[str], frozenset[str]]]) -> Lexicon:
    """The word pairs of many articles' sure pairs together.

    One article's sure pairs rarely hold a phrase twice ("To do this" /
    "이렇게 하려면"); a project's do, so its table knows the words that tell
    neighbouring sentences and the two ends of a cut apart.
    """
    return Lexicon(pairs, PROJECT_PAIRS)
