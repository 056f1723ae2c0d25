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

import queue
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from bitext.lang.ko import HANGUL, HANGUL_RUN, SPLIT_MIN_PIECES, SPLIT_SYLLABLES

CONTENT_TAGS = frozenset({"NNG", "NNP", "XR", "VV", "VA", "NR"})
NOUN_TAGS = frozenset({"NNG", "NNP"})
# Verbs and adjectives too common to tell pages apart (하다, 되다, 있다 …) and bound nouns.
LIGHT_STEMS = frozenset(
    {"하", "되", "있", "없", "같", "이", "않", "말", "대하", "위하", "통하", "따르", "보", "주", "나", "들", "수"}
)
BOUND_NOUNS = frozenset({"수", "것", "등", "때", "중"})
# Query words that mean nothing on their own: 없어요 = 없 + 어요, 할 = 하 + ㄹ.
EMPTY_STEMS = LIGHT_STEMS | BOUND_NOUNS
# Endings of questions as readers type them, which formal docs never write (the docset gives the others).
QUERY_ENDINGS = frozenset(
    {
        "요",
        "어요",
        "아요",
        "여요",
        "해요",
        "에요",
        "예요",
        "나요",
        "까요",
        "죠",
        "지요",
        "는지",
        "은지",
        "는데",
        "은데",
        "어야",
        "아야",
        "해야",
        "하나요",
        "할까요",
        "하죠",
        "돼요",
        "되나요",
        "될까요",
        "인가요",
        "인지",
        "가요",
        "거나",
        "려고",
        "하려고",
    }
)
TAIL_MAX = 6
# kiwipiepy (and its model, ~100 MB) is an optional dependency: only a Korean site's search needs it.
INSTALL_KO = "pip install 'bitext[ko]'"


def is_korean(lang: str) -> bool:
    return lang.split("-", maxsplit=1)[0].lower() == "ko"


def load_kiwi() -> type:
    """kiwipiepy's ``Kiwi`` class; an ImportError naming the extra to install when it is missing."""
    try:
        from kiwipiepy import Kiwi
    except ImportError as exc:
        raise ImportError(f"Korean search needs kiwipiepy, which is not installed: {INSTALL_KO}") from exc
    return Kiwi


class Morph(NamedTuple):
    form: str
    tag: str
    start: int
    end: int


def is_content(form: str, tag: str) -> bool:
    if tag not in CONTENT_TAGS or not HANGUL.search(form):
        return False
    if tag in ("VV", "VA") and form in LIGHT_STEMS:
        return False
    return not (tag in NOUN_TAGS and form in BOUND_NOUNS)


class Reading(NamedTuple):
    """What kiwi says about one line: its content morphemes, and each word's content forms and tail."""

    content: tuple[Morph, ...]
    words: tuple[tuple[str, tuple[str, ...], str], ...]  # (word, content forms, particles/endings after them)


def _reading(line: str, tokens) -> Reading:
    # The tag first: most tokens are particles, endings and Latin, and each attribute is a call into kiwi.
    content = tuple(
        Morph(t.form, tag, t.start, t.start + t.len)
        for t in tokens
        if (tag := t.tag) in CONTENT_TAGS and is_content(t.form, tag)
    )
    words = []
    k = 0
    for w in HANGUL_RUN.finditer(line):
        while k < len(content) and content[k].start < w.start():
            k += 1
        inside = []
        while k < len(content) and content[k].start < w.end():
            inside.append(content[k])
            k += 1
        last = max((m.end for m in inside), default=w.start())
        words.append((w.group(0), tuple(m.form for m in inside), line[last : w.end()] if last < w.end() else ""))
    return Reading(content, tuple(words))


# Kiwi instances made before a fork, in the forked process (``Analyzer.forked``): never freed.
_ORPHANED: list = []


class Analyzer:
    """kiwipiepy and a cache of its readings; one per process, reused by every build."""

    def __init__(self, num_workers: int = -1):
        self.num_workers = num_workers
        self._kiwi = None
        self._lines: dict[str, Reading] = {}
        self._runs: dict[str, Morph | None] = {}
        self._ahead: threading.Thread | None = None
        self._queue: queue.SimpleQueue[set[str] | None] = queue.SimpleQueue()
        self._read: dict[str, Reading] = {}  # by the read-ahead thread
        self._single = False  # forked: kiwi's workers are gone, it reads one text at a time (``forked``)

    def kiwi(self):
        if self._kiwi is None:
            # Without the typo and multi-word dictionaries: a third faster, and the same
            # content morphemes on the corpus (measured: no line of 6,757 read differently).
            self._kiwi = load_kiwi()(num_workers=self.num_workers, load_typo_dict=False, load_multi_dict=False)
        return self._kiwi

    def forked(self) -> None:
        """In a process forked from this analyzer's: its threads and kiwi's workers stayed in the other one.

        What the read-ahead thread had read at the fork is kept; lines it had not
        read yet are read when they are needed.  A kiwi made before the fork would
        wait for its workers forever when given a list of texts, and in its
        destructor; a single text it reads in the calling thread.  So it is kept,
        never freed, and reads one text at a time: loading another model was
        ~0.5 s CPU in the process that writes the forked pass's index, which ends last.
        """
        self._ahead = None
        self._queue = queue.SimpleQueue()
        self._lines.update(self._read)
        self._read = {}
        if self._kiwi is not None:
            _ORPHANED.append(self._kiwi)
            self._single = True

    def _tokenize(self, texts: list[str]):
        """kiwi's tokens of each text, in order."""
        kiwi = self.kiwi()
        if self._single:
            return (kiwi.tokenize(text) for text in texts)
        return kiwi.tokenize(texts)

    def readings(self, lines: set[str]) -> dict[str, Reading]:
        """The reading of each line; lines of the previous call are reused, older ones dropped."""
        self.wait()
        new = sorted(line for line in lines if line not in self._lines)
        cache = {line: self._lines[line] for line in lines if line in self._lines}
        if new:
            for line, tokens in zip(new, self._tokenize(new), strict=False):
                cache[line] = _reading(line, tokens)
        self._lines = cache
        return cache

    def first_nouns(self, words: set[str]) -> dict[str, Morph | None]:
        """The noun each word starts with, if kiwi reads one there (for split syllables joined back)."""
        self.wait()
        new = sorted(w for w in words if w not in self._runs)
        if new:
            for word, tokens in zip(new, self._tokenize(new), strict=False):
                first = tokens[0] if tokens else None
                noun = first is not None and first.tag in NOUN_TAGS and first.start == 0
                self._runs[word] = Morph(first.form, first.tag, 0, first.len) if first is not None and noun else None
        return {w: self._runs[w] for w in words}

    def known(self, lines: list[str] | None = None) -> list:
        """The readings kept from the last call (or those of ``lines`` it has), for ``json.dumps`` (a build cache).

        Readings are tuples, which JSON writes as arrays: they are not copied into lists
        (on the corpus that copy was ~0.4 s of the ~0.6 s this takes).
        """
        self.wait()
        kept = self._lines.items() if lines is None else ((line, self._lines.get(line)) for line in lines)
        found = [[line, r.content, r.words] for line, r in kept if r is not None]
        runs = [[word, m] for word, m in self._runs.items()] if lines is None else []
        return [found, runs]

    def read(self, lines: list[str]) -> None:
        """kiwi reads ``lines`` now, in the caller's thread; their readings join the others (``known``)."""
        self.wait()
        new = [line for line in lines if line not in self._lines]
        for line, tokens in zip(new, self._tokenize(new), strict=False):
            self._lines[line] = _reading(line, tokens)

    def preload(self, known: list) -> None:
        """Readings ``known`` gave (of another process, the same kiwi), so those lines are not read again."""
        self.wait()
        lines, runs = known
        for line, content, words in lines:
            self._lines.setdefault(
                line, Reading(tuple(Morph(*m) for m in content), tuple((w, tuple(f), t) for w, f, t in words))
            )
        for word, morph in runs:
            self._runs.setdefault(word, Morph(*morph) if morph else None)

    def unread(self, texts: list[str]) -> list[str]:
        """The Korean lines of ``texts`` this analyzer has no reading of (read ahead or not)."""
        return sorted(line for line in korean_lines(texts) if line not in self._lines)

    def read_ahead(self, texts: list[str]) -> None:
        """Have kiwi read the Korean lines of ``texts`` in a thread, while the caller goes on.

        A build calls it with each page it renders; kiwi's workers run outside
        the GIL, so the analysis that ``analyse`` would start after the last page
        (on the corpus, a third of the Korean pass) is done alongside the pages.
        Every other method waits for the thread to be done first.
        """
        lines = korean_lines(texts)
        if not lines:
            return
        if self._ahead is None:
            self._queue = queue.SimpleQueue()
            self._ahead = threading.Thread(target=self._read_queued, name="bitext-kiwi", daemon=True)
            self._ahead.start()
        self._queue.put(lines)

    def _read_queued(self) -> None:
        known = set(self._lines)
        more = True
        while more:
            items = [self._queue.get()]  # what came since the last batch is read as one
            while not self._queue.empty():
                items.append(self._queue.get())
            more = None not in items
            batch = set().union(*(item for item in items if item is not None))
            new = sorted(line for line in batch if line not in known and line not in self._read)
            try:
                for line, tokens in zip(new, self._tokenize(new), strict=False):
                    self._read[line] = _reading(line, tokens)
            except Exception:  # analyse() reads these lines again and reports the failure itself
                return

    def wait(self) -> None:
        """What ``read_ahead`` was given is read: its readings join the others."""
        if self._ahead is not None:
            self._queue.put(None)
            self._ahead.join()
            self._ahead = None
            self._lines.update(self._read)
            self._read = {}

    def analyse(self, texts: list[str], counts: Callable[[dict[str, Reading]], list[Counts]] | None = None) -> Analysis:
        """Each text's Korean terms, and the statistics the query tables are made of.

        ``counts``: the statistics of the texts in groups (each page's, ``count_texts``), given the readings,
        for a caller that keeps them from one analysis to the next; their sum is the docset's.
        """
        self.wait()
        analysis = Analysis(self, texts, self.readings(korean_lines(texts)))
        analysis.count(counts(analysis.readings) if counts is not None else None)
        return analysis


def korean_lines(texts: list[str]) -> set[str]:
    """The lines of ``texts`` an analyzer reads (those with Hangul)."""
    return {line for text in texts for line in text.split("\n") if HANGUL.search(line)}


@dataclass(frozen=True)
class Probes:
    """What a text's terms ask of the docset's statistics (``Analysis.text_terms``)."""

    compounds: frozenset[str]  # nouns of four syllables or more: split into the known nouns they hold
    pairs: frozenset[str]  # two nouns in a row: glued when the glued form is a known noun
    runs: frozenset[str]  # runs of split syllables: joined as the docset says


@dataclass
class Counts:
    """What some texts add to the docset's statistics (``Analysis.count``), in the order they are met,
    and what their terms ask of those statistics (their ``Probes``)."""

    nouns: Counter = field(default_factory=Counter)
    eojeol_count: Counter = field(default_factory=Counter)
    eojeol_reading: Counter = field(default_factory=Counter)  # (word, its content forms) -> occurrences
    tails: Counter = field(default_factory=Counter)
    runs: set[str] = field(default_factory=set)  # runs of split syllables
    probes: Probes = field(default_factory=lambda: Probes(frozenset(), frozenset(), frozenset()))


def count_texts(texts: list[str], readings: dict[str, Reading]) -> Counts:
    """The statistics of every occurrence of every line of ``texts``: noun and word frequencies, tails;
    and their probes, met on the same lines (one pass: the index makes both for every page)."""
    nouns: list[str] = []
    words: list[str] = []
    word_readings: list[tuple[str, tuple[str, ...]]] = []
    tails: list[str] = []
    runs: set[str] = set()
    compounds: set[str] = set()
    pairs: set[str] = set()
    for text in texts:
        for line in text.split("\n"):
            reading = readings.get(line)
            if reading is None:
                continue
            content = reading.content
            last = len(content) - 1
            for k, m in enumerate(content):
                if m.tag not in NOUN_TAGS:
                    continue
                nouns.append(m.form)
                if len(m.form) >= 4:
                    compounds.add(m.form)
                if k < last and content[k + 1].tag in NOUN_TAGS:
                    pairs.add(m.form + content[k + 1].form)
            for word, forms, tail in reading.words:
                words.append(word)
                word_readings.append((word, forms))
                if tail:
                    tails.append(tail)
            runs.update(run.group(0) for run in SPLIT_SYLLABLES.finditer(line))
    # Counted at once, in the order met: a Counter keeps its keys in the order of their first occurrence.
    probes = Probes(frozenset(compounds), frozenset(pairs), frozenset(runs))
    return Counts(Counter(nouns), Counter(words), Counter(word_readings), Counter(tails), runs, probes)


@dataclass
class Analysis:
    """One build's Korean texts: their readings and the docset's statistics."""

    analyzer: Analyzer
    texts: list[str]
    readings: dict[str, Reading]
    nouns: Counter = field(default_factory=Counter)
    eojeol_reading: Counter = field(default_factory=Counter)  # (word, its content forms) -> occurrences
    eojeol_count: Counter = field(default_factory=Counter)
    tails: Counter = field(default_factory=Counter)
    known_nouns: set[str] = field(default_factory=set)
    _line_terms: dict[str, list[str]] = field(default_factory=dict)
    _rejoined: dict[str, str | None] = field(default_factory=dict)

    def count(self, groups: list[Counts] | None = None) -> None:
        """Statistics over every occurrence of every text, from ``groups`` of them in order when given.

        Summed in the texts' order, a word's readings are met in the same order
        as in one pass over the texts: the most common one wins ties the same way.
        """
        runs: set[str] = set()
        for counts in groups if groups is not None else [count_texts(self.texts, self.readings)]:
            self.nouns.update(counts.nouns)
            self.eojeol_count.update(counts.eojeol_count)
            self.eojeol_reading.update(counts.eojeol_reading)
            self.tails.update(counts.tails)
            runs |= counts.runs
        self.known_nouns = {n for n, c in self.nouns.items() if c >= 2 and len(n) >= 2}
        # A run of two pieces (각 사용자) is looked at only when a noun of the docset could start it.
        runs = {run for run in runs if _pieces(run) >= SPLIT_MIN_PIECES or self._may_start_noun(run.replace(" ", ""))}
        joined = self.analyzer.first_nouns({run.replace(" ", "") for run in runs})
        self._rejoined = {run: self._noun_of_run(run, joined[run.replace(" ", "")]) for run in runs}

    def _may_start_noun(self, joined: str) -> bool:
        return any(joined[:k] in self.known_nouns for k in range(2, len(joined) + 1))

    def _noun_of_run(self, run: str, first: Morph | None) -> str | None:
        """The noun a run of split syllables spells: one the docset writes whole, or three syllables or more.

        Two pieces are often real words (각 사용자, 전 세계), so they need the
        docset's own spelling; three or more (테 넌 트가) are machine translation.
        """
        if first is None or len(first.form) < 2:
            return None
        if first.form in self.known_nouns and self.nouns[first.form] >= 3:
            return first.form
        return first.form if _pieces(run) >= SPLIT_MIN_PIECES and len(first.form) >= SPLIT_MIN_PIECES else None

    def context(self) -> tuple:
        """Everything ``text_terms`` depends on besides the text: the same context, the same terms."""
        return frozenset(self.known_nouns), self._rejoined

    def changed(self, old: tuple) -> Callable[[Probes], bool]:
        """Whether texts with these probes may have other terms in this analysis than in the ``old`` context."""
        old_known, old_rejoined = old
        delta = old_known ^ frozenset(self.known_nouns)
        runs = {r for r in old_rejoined.keys() | self._rejoined.keys() if old_rejoined.get(r) != self._rejoined.get(r)}

        def affected(probes: Probes) -> bool:
            return (
                bool(probes.pairs & delta)
                or bool(probes.runs & runs)
                or any(known in form for known in delta for form in probes.compounds)
            )

        return affected

    def terms(self, i: int) -> list[str]:
        """Korean terms of text ``i``, in order: content morphemes, then the repairs."""
        return self.text_terms(self.texts[i])

    def text_terms(self, text: str) -> list[str]:
        """Korean terms of one of the texts analysed."""
        out = []
        for line in text.split("\n"):
            if line in self.readings:
                if line not in self._line_terms:
                    self._line_terms[line] = self._terms_of_line(line, self.readings[line])
                out += self._line_terms[line]
        return out

    def _terms_of_line(self, line: str, reading: Reading) -> list[str]:
        out = []
        content = reading.content
        for k, m in enumerate(content):
            out.append(m.form)
            if m.tag not in NOUN_TAGS:
                continue
            out += self.decompound(m.form)
            following = content[k + 1] if k + 1 < len(content) else None
            if (
                following is not None
                and following.tag in NOUN_TAGS
                and following.start == m.end + 1
                and line[m.end] == " "
                and m.form + following.form in self.known_nouns
            ):
                out.append(m.form + following.form)
        for run in SPLIT_SYLLABLES.finditer(line):
            noun = self._rejoined.get(run.group(0))
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

    def query_tables(
        self, vocabulary: set[str], tail_min: int = 2, exception_min: int = 2
    ) -> tuple[list[str], dict[str, list[str]]]:
        """The worker's tails, and the words whose segmentation must be kiwi's reading instead."""
        tails = sorted({t for t, c in self.tails.items() if c >= tail_min and len(t) <= TAIL_MAX} | QUERY_ENDINGS)
        tail_set = set(tails)
        # Each word's most common reading; of equally common ones, the first met.
        usual: dict[str, tuple[tuple[str, ...], int]] = {}
        for (word, forms), n in self.eojeol_reading.items():
            found = usual.get(word)
            if found is None or n > found[1]:
                usual[word] = (forms, n)
        exceptions = {}
        for word, count in sorted(self.eojeol_count.items()):
            if count < exception_min:
                continue
            reading = [t for t in usual[word][0] if t in vocabulary]
            if reading and segment(word, vocabulary.__contains__, tail_set, EMPTY_STEMS)[0] != reading:
                exceptions[word] = reading
        return tails, exceptions


def _pieces(run: str) -> int:
    return run.count(" ") + 1


def segment(
    word: str, known: Callable[[str], bool], tails: set[str], empty: frozenset[str] = frozenset(), max_piece: int = 12
) -> tuple[list[str], list[str]]:
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
        step = back[j]
        if step is None:  # best[n] < inf above: every position on the way back has a step
            break
        i, kind = step
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
