"""Korean terms: kiwipiepy at build time, and the tables the browser needs to repeat it on queries.

Documents are analysed by kiwipiepy (its model ships on PyPI; it is loaded
once per process and kept across ``mkdocs serve`` rebuilds, with the
analyses of unchanged lines).  A text's terms are its content morphemes
(nouns, roots, verb and adjective stems other than light verbs such as 하,
되), so ``테넌트가``, ``테넌트를`` and ``테넌트`` share ``테넌트``, and
``내보내려면`` and ``내보내기`` share ``내보내``.  Three repairs for machine
translated text: compound nouns are also indexed by their parts (보존레이블 →
보존, 레이블), two nouns one space apart also glued when the glued form is a
noun elsewhere (아웃 바운드 → 아웃바운드), and runs of single syllables that
kiwi reads as a known noun once joined (테 넌 트가 → 테넌트).

The browser has no model.  It segments a query word (``segment``, twin of
``segmentEojeol`` in the worker) into index terms plus a final tail — the
particles and endings kiwi left after content morphemes in this docset —
and uses kiwi's own reading for the words where that segmentation would
differ (the exceptions table).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

HANGUL = re.compile(r"[\uac00-\ud7a3]")
EOJEOL = re.compile(r"[\uac00-\ud7a3]+")
# Single syllables separated by spaces, as machine translation splits words: 테 넌 트가.
_SPLIT_WORD = re.compile(r"(?<![\uac00-\ud7a3])(?:[\uac00-\ud7a3] )+[\uac00-\ud7a3]+")

CONTENT_TAGS = frozenset({"NNG", "NNP", "XR", "VV", "VA", "NR"})
NOUN_TAGS = frozenset({"NNG", "NNP"})
# Verbs and adjectives too common to tell pages apart (하다, 되다, 있다 …) and bound nouns.
LIGHT_STEMS = frozenset({"하", "되", "있", "없", "같", "이", "않", "말", "대하", "위하", "통하", "따르", "보", "주", "나",
                         "들", "수"})
BOUND_NOUNS = frozenset({"수", "것", "등", "때", "중"})
# Query words that mean nothing on their own: 없어요 = 없 + 어요, 할 = 하 + ㄹ.
EMPTY_STEMS = LIGHT_STEMS | BOUND_NOUNS
# Endings of questions as readers type them, which formal docs never write (the docset gives the others).
QUERY_ENDINGS = frozenset({"요", "어요", "아요", "여요", "해요", "에요", "예요", "나요", "까요", "죠", "지요", "는지", "은지",
                           "는데", "은데", "어야", "아야", "해야", "하나요", "할까요", "하죠", "돼요", "되나요", "될까요",
                           "인가요", "인지", "가요", "거나", "려고", "하려고"})
TAIL_MAX = 6


class Morph(NamedTuple):
    form: str
    tag: str
    start: int
    length: int

    @property
    def end(self) -> int:
        return self.start + self.length


def is_content(m: Morph) -> bool:
    if m.tag not in CONTENT_TAGS or not HANGUL.search(m.form):
        return False
    if m.tag in ("VV", "VA") and m.form in LIGHT_STEMS:
        return False
    return not (m.tag in NOUN_TAGS and m.form in BOUND_NOUNS)


class Analyzer:
    """kiwipiepy and a cache of its analyses; one per process, reused by every build."""

    def __init__(self, num_workers: int = -1):
        self.num_workers = num_workers
        self._kiwi = None
        self._lines: dict[str, tuple[Morph, ...]] = {}
        self._words: dict[str, tuple[Morph, ...]] = {}

    def kiwi(self):
        if self._kiwi is None:
            from kiwipiepy import Kiwi
            self._kiwi = Kiwi(num_workers=self.num_workers)
        return self._kiwi

    def morphs(self, lines: list[str]) -> dict[str, tuple[Morph, ...]]:
        """The analysis of each distinct line; lines of the previous call are reused, older ones dropped."""
        wanted = set(lines)
        new = sorted(line for line in wanted if line not in self._lines)
        cache = {line: self._lines[line] for line in wanted if line in self._lines}
        if new:
            for line, tokens in zip(new, self.kiwi().tokenize(new)):
                cache[line] = tuple(Morph(t.form, t.tag, t.start, t.len) for t in tokens)
        self._lines = cache
        return cache

    def morphs_of(self, word: str) -> tuple[Morph, ...]:
        if word not in self._words:
            self._words[word] = tuple(Morph(t.form, t.tag, t.start, t.len) for t in self.kiwi().tokenize(word))
        return self._words[word]

    def analyse(self, texts: list[str]) -> Analysis:
        """Each text's Korean terms, and the statistics the query tables are made of."""
        lines = {line for text in texts for line in text.split("\n") if HANGUL.search(line)}
        by_line = self.morphs(sorted(lines))
        analysis = Analysis(self)
        for text in texts:
            morphs: list[Morph] = []
            offset = 0
            for line in text.split("\n"):
                for m in by_line.get(line, ()):
                    morphs.append(m._replace(start=m.start + offset))
                offset += len(line) + 1
            analysis.add(text, morphs)
        analysis.close()
        return analysis


@dataclass
class Analysis:
    """One build's Korean texts: their morphemes and the docset's statistics."""

    analyzer: Analyzer
    texts: list[str] = field(default_factory=list)
    morphs: list[list[Morph]] = field(default_factory=list)
    nouns: Counter = field(default_factory=Counter)
    eojeol_reading: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    eojeol_count: Counter = field(default_factory=Counter)
    tails: Counter = field(default_factory=Counter)
    known_nouns: set[str] = field(default_factory=set)
    _joined: dict[str, str | None] = field(default_factory=dict)

    def add(self, text: str, morphs: list[Morph]) -> None:
        self.texts.append(text)
        self.morphs.append(morphs)
        for m in morphs:
            if m.tag in NOUN_TAGS and is_content(m):
                self.nouns[m.form] += 1
        words = [(w.start(), w.end()) for w in EOJEOL.finditer(text)]
        in_word: dict[int, list[Morph]] = defaultdict(list)
        k = 0
        for m in morphs:
            while k < len(words) and words[k][1] <= m.start:
                k += 1
            if k < len(words) and words[k][0] <= m.start < words[k][1]:
                in_word[k].append(m)
        for k, ms in in_word.items():
            start, end = words[k]
            word = text[start:end]
            content = [m for m in ms if is_content(m)]
            self.eojeol_count[word] += 1
            self.eojeol_reading[word][tuple(m.form for m in content)] += 1
            last = max((m.end for m in content), default=start)
            if last < end:
                self.tails[text[last:end]] += 1

    def close(self) -> None:
        self.known_nouns = {n for n, c in self.nouns.items() if c >= 2 and len(n) >= 2}

    def terms(self, i: int) -> list[str]:
        """Korean terms of text ``i``, in order: content morphemes, then the repairs."""
        text, out = self.texts[i], []
        content = [m for m in self.morphs[i] if is_content(m)]
        for k, m in enumerate(content):
            out.append(m.form)
            if m.tag not in NOUN_TAGS:
                continue
            out += self.decompound(m.form)
            following = content[k + 1] if k + 1 < len(content) else None
            if following is not None and following.tag in NOUN_TAGS and following.start == m.end + 1 \
                    and text[m.end] == " " and m.form + following.form in self.known_nouns:
                out.append(m.form + following.form)
        for run in _SPLIT_WORD.finditer(text):
            noun = self._rejoined(run.group(0))
            if noun:
                out.append(noun)
        return out

    def decompound(self, noun: str) -> list[str]:
        """An unknown compound noun as two or more known nouns of two syllables or more (else [])."""
        n = len(noun)
        if n < 4:
            return []
        best: dict[int, list[str]] = {0: []}
        for i in range(n):
            if i not in best:
                continue
            for j in range(i + 2, n + 1):
                if j - i < n and noun[i:j] in self.known_nouns:
                    candidate = best[i] + [noun[i:j]]
                    if j not in best or len(candidate) < len(best[j]):
                        best[j] = candidate
        parts = best.get(n, [])
        return parts if len(parts) >= 2 else []

    def _rejoined(self, run: str) -> str | None:
        """The noun a run of split syllables spells: one the docset writes whole, or three syllables or more.

        Two pieces are often real words (각 사용자, 전 세계), so they need the
        docset's own spelling; three or more (테 넌 트가) are machine translation.
        """
        if run not in self._joined:
            joined = run.replace(" ", "")
            morphs = self.analyzer.morphs_of(joined)
            first = morphs[0] if morphs else None
            ok = first is not None and first.tag in NOUN_TAGS and len(first.form) >= 2 and joined.startswith(first.form)
            if ok and not (first.form in self.known_nouns and self.nouns[first.form] >= 3):
                ok = run.count(" ") >= 2 and len(first.form) >= 3
            self._joined[run] = first.form if ok else None
        return self._joined[run]

    def query_tables(self, vocabulary: set[str], tail_min: int = 2, exception_min: int = 2
                     ) -> tuple[list[str], dict[str, list[str]]]:
        """The worker's tails, and the words whose segmentation must be kiwi's reading instead."""
        tails = sorted({t for t, c in self.tails.items() if c >= tail_min and len(t) <= TAIL_MAX} | QUERY_ENDINGS)
        tail_set = set(tails)
        exceptions = {}
        for word, count in sorted(self.eojeol_count.items()):
            if count < exception_min:
                continue
            reading = [t for t in self.eojeol_reading[word].most_common(1)[0][0] if t in vocabulary]
            if reading and segment(word, vocabulary.__contains__, tail_set, EMPTY_STEMS)[0] != reading:
                exceptions[word] = reading
        return tails, exceptions


def segment(word: str, known: Callable[[str], bool], tails: set[str], empty: frozenset[str] = frozenset(),
            max_piece: int = 12) -> tuple[list[str], list[str]]:
    """A query word as index terms: ``(terms, unknown runs)``.

    Dynamic programming over the word: a piece is an index term (cost 1), a
    final tail (0.3 + 0.05 a syllable, so the shorter tail and the longer term
    win ties), an empty stem that ends the word or stands before its tail
    (cost 1, no term: 없어요, 수) or an unknown syllable (2.5).
    """
    n = len(word)
    inf = 1e9
    best = [inf] * (n + 1)
    back: list[tuple[int, str] | None] = [None] * (n + 1)
    best[0] = 0.0
    for i in range(n):
        if best[i] >= inf:
            continue
        for j in range(i + 1, min(n, i + max_piece) + 1):
            piece = word[i:j]
            if known(piece):
                if best[i] + 1.0 < best[j]:
                    best[j], back[j] = best[i] + 1.0, (i, "term")
            elif piece in empty and (j == n or word[j:] in tails) and best[i] + 1.0 < best[j]:
                best[j], back[j] = best[i] + 1.0, (i, "empty")
            if j == n and piece in tails and (i > 0 or not known(word)):
                cost = best[i] + 0.3 + 0.05 * (j - i)
                if cost < best[j]:
                    best[j], back[j] = cost, (i, "tail")
        if best[i] + 2.5 < best[i + 1]:
            best[i + 1], back[i + 1] = best[i] + 2.5, (i, "unknown")
    pieces = []
    j = n
    while j > 0:
        i, kind = back[j]
        pieces.append((word[i:j], kind))
        j = i
    pieces.reverse()
    terms, unknown, run = [], [], ""
    for piece, kind in pieces:
        if kind == "unknown":
            run += piece
            continue
        if run:
            unknown.append(run)
            run = ""
        if kind == "term":
            terms.append(piece)
    if run:
        unknown.append(run)
    return terms, unknown
