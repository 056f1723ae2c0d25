"""Translation memory: what the project's segment files already know how to translate.

``TranslationMemory`` indexes every usable translation of one language (live
and archived units of every segment file) by its whitespace-normalized
source, for exact-match leverage, and by what a reader sees of it
(``rendered.comparable``: escapes, entities, whitespace and emphasis
spelling aside), for rendered-identical matches; ``fuzzy`` ranks the whole
memory against a new sentence as a CAT tool does (match %, then human over
machine, confirmed, most used, first seen).  ``FuzzyMatcher`` scores how
alike two sources are, as a word-level percentage of what a reader sees.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel

from bitext.core import states
from bitext.core.errors import BitextError
from bitext.core.files import atomic_write
from bitext.core.model import Finding, Segment, SegmentFile
from bitext.core.rendered import comparable
from bitext.core.segment import normalize
from bitext.formats import tmx
from bitext.project.project import Project


@dataclass(frozen=True)
class Entry:
    """One translation in the memory and where it was first seen (``REL.xlf#unit``)."""

    source: str
    target: str
    machine: bool
    origin: str


@dataclass
class _Candidate:
    entry: Entry
    confirmed: bool
    uses: int
    order: int


def _rank(c: _Candidate) -> tuple:
    """Best first: human over machine, confirmed over merely translated, most used, first seen."""
    return (c.entry.machine, not c.confirmed, -c.uses, c.order)


class TranslationMemory:
    def __init__(self) -> None:
        self._by_source: dict[str, dict[str, _Candidate]] = {}
        self._by_rendering: dict[str, list[str]] = {}  # comparable(source) -> normalized sources
        self._order = 0
        self._fuzzy: _FuzzyIndex | None = None

    def __len__(self) -> int:
        return len(self._by_source)

    def add(self, segment_file: SegmentFile, origin: str) -> None:
        """Index the usable translations of a segment file, archived units included."""
        for seg in (*segment_file.segments, *segment_file.archive):
            self.add_unit(seg, f"{origin}#{seg.id}")

    def add_unit(self, seg: Segment, origin: str) -> None:
        target = seg.usable_target()
        if not seg.source.strip() or not target:
            return
        machine = seg.is_machine_translated
        key = normalize(seg.source)
        if key not in self._by_source:
            self._by_rendering.setdefault(comparable(seg.source), []).append(key)
            self._fuzzy = None
        known = self._by_source.setdefault(key, {})
        candidate = known.get(target)
        if candidate is None:
            self._order += 1
            known[target] = _Candidate(
                Entry(seg.source, target, machine, origin), seg.state in states.CONFIRMED, 1, self._order
            )
            return
        candidate.uses += 1
        candidate.confirmed |= seg.state in states.CONFIRMED
        if candidate.entry.machine and not machine:
            candidate.entry = Entry(seg.source, target, False, origin)

    def exact(self, source: str) -> Entry | None:
        """The best translation of exactly this source (whitespace aside), if any.

        Best: human over machine, confirmed over merely translated, then the
        most used, then the first seen.
        """
        known = self._by_source.get(normalize(source))
        if not known:
            return None
        return min(known.values(), key=_rank).entry

    def rendered(self, source: str) -> Entry | None:
        """The best translation of a source a reader sees exactly as ``source`` (markup spelling aside)."""
        if not self._by_rendering:
            return None
        keys = self._by_rendering.get(comparable(source))
        if not keys:
            return None
        return min((c for key in keys for c in self._by_source[key].values()), key=_rank).entry

    def fuzzy(self, source: str, floor: int, limit: int = 3) -> list[tuple[int, Entry]]:
        """The ``limit`` best memory entries at least ``floor`` % alike, ranked as a CAT tool ranks them."""
        if not self._by_rendering:
            return []
        if self._fuzzy is None:
            self._fuzzy = _FuzzyIndex(self._by_rendering)
        found = []
        for score, rendering in self._fuzzy.search(comparable(source), floor):
            best = min((c for key in self._by_rendering[rendering] for c in self._by_source[key].values()), key=_rank)
            found.append((score, best))
        found.sort(key=lambda x: (-x[0], *_rank(x[1])))
        return [(score, c.entry) for score, c in found[:limit]]

    @classmethod
    def of(cls, files: Iterable[tuple[str, SegmentFile]]) -> TranslationMemory:
        memory = cls()
        for origin, segment_file in files:
            memory.add(segment_file, origin)
        return memory


_WORD = re.compile(r"\w+|[^\w\s]")


class FuzzyMatcher:
    """Word-level similarity of sources, in percent (100 = same words in the same order).

    rapidfuzz compares characters; each distinct word is given a character of
    its own so that one edit means one word, as in a CAT tool's fuzzy match.
    """

    def __init__(self) -> None:
        self._codes: dict[str, str] = {}

    def encode(self, text: str) -> str:
        out = []
        for word in _WORD.findall(text.lower()):
            code = self._codes.get(word)
            if code is None:
                code = self._codes[word] = chr(0x10000 + len(self._codes))
            out.append(code)
        return "".join(out)

    def similarity(self, a: str, b: str) -> int:
        """How alike two sources read, in percent (markup spelling aside, placeholders compared)."""
        return round(Indel.normalized_similarity(self.encode(comparable(a)), self.encode(comparable(b))) * 100)

    def best(self, query: str, choices: list[str], floor: int) -> list[tuple[int, int]]:
        """(score, index) of the choices at least ``floor`` % alike, best first."""
        if not choices:
            return []
        encoded = self.encode(query)
        found = process.extract(
            encoded, choices, scorer=Indel.normalized_similarity, score_cutoff=floor / 100, limit=None
        )
        return sorted(((round(score * 100), index) for _, score, index in found), key=lambda x: (-x[0], x[1]))


class _FuzzyIndex:
    """The memory's renderings, encoded word by word, for fuzzy search.

    Word-level similarity ``f`` (``2 · common / (la + lb)``) needs the
    lengths within a factor ``f / (2 - f)`` of each other and at least
    ``t = ⌈f · la / (2 - f)⌉`` words of the query in common; so a match
    shares one of the query's ``la - t + 1`` rarest words (prefix filtering).
    Only the entries listed under those words, and of a fitting length, are
    scored.
    """

    def __init__(self, renderings: Iterable[str]) -> None:
        self.matcher = FuzzyMatcher()
        self.texts = list(renderings)
        self.codes = [self.matcher.encode(text) for text in self.texts]
        found: dict[str, list[int]] = {}
        for i, code in enumerate(self.codes):
            for word in set(code):
                found.setdefault(word, []).append(i)
        # Each word's entries by length, so that those of a fitting length are a slice.
        lengths = np.array([len(code) for code in self.codes])
        self.postings: dict[str, np.ndarray] = {}
        self.lengths: dict[str, np.ndarray] = {}
        for word, entries in found.items():
            ids = np.array(entries)
            ids = ids[np.argsort(lengths[ids], kind="stable")]
            self.postings[word], self.lengths[word] = ids, lengths[ids]

    def search(self, text: str, floor: int) -> list[tuple[int, str]]:
        code = self.matcher.encode(text)
        if not code:
            return []
        f = floor / 100
        common = math.ceil(f * len(code) / (2 - f) - 1e-9)
        rarest = sorted(code, key=lambda word: len(self.postings.get(word, ())))[: len(code) - common + 1]
        low, high = len(code) * f / (2 - f), len(code) * (2 - f) / f
        fitting = [
            self.postings[word][
                np.searchsorted(self.lengths[word], low, "left") : np.searchsorted(self.lengths[word], high, "right")
            ]
            for word in set(rarest)
            if word in self.postings
        ]
        candidates = np.unique(np.concatenate(fitting)).tolist() if fitting else []
        if not candidates:
            return []
        found = process.extract(
            code, [self.codes[i] for i in candidates], scorer=Indel.normalized_similarity, score_cutoff=f, limit=None
        )
        return [(round(score * 100), self.texts[candidates[k]]) for _, score, k in found if round(score * 100) >= floor]


# The project's memory as TMX (``bitext tm export``).


@dataclass
class TmxResult:
    target_language: str = ""  # as the segment files declare it (ko-KR)
    entries: int = 0
    units: int = 0  # trans-units that went into the entries
    machine: int = 0  # entries that are machine translations
    files: int = 0
    written: bool = False
    findings: list[Finding] = field(default_factory=list)


def exportable(segment: Segment, *, machine: bool = True) -> bool:
    """A unit worth remembering: English and a translation of it that is published.

    A ``needs-review-translation`` target is left out: after an English edit
    it is the translation of the old sentence, not of this source.
    """
    if not segment.source.strip() or segment.usable_target() is None:
        return False
    return machine or not segment.is_machine_translated


def collect(project: Project, lang: str, *, machine: bool = True) -> tuple[list[tmx.Entry], TmxResult]:
    """The distinct pairs of a language, in article and unit order; unreadable files become findings."""
    result = TmxResult()
    entries: dict[tuple[str, str], tmx.Entry] = {}
    for rel in project.segment_files(lang):
        try:
            sf = project.read_listed_segments(rel, lang)
        except BitextError as exc:
            result.findings.extend(exc.findings)
            continue
        result.files += 1
        result.target_language = result.target_language or sf.target_language
        for archived, units in ((False, sf.segments), (True, sf.archive)):
            for seg in units:
                if not exportable(seg, machine=machine) or seg.target is None:
                    continue
                result.units += 1
                key = (seg.source, seg.target)
                if key in entries:
                    entries[key].occurrences += 1
                else:
                    entries[key] = tmx.Entry(
                        seg.source, seg.target, rel, seg.id, seg.state, seg.state_qualifier, archived
                    )
    result.entries = len(entries)
    result.machine = sum(1 for e in entries.values() if e.state_qualifier in states.MACHINE)
    return list(entries.values()), result


def export_tm(project: Project, lang: str, out: Path, *, machine: bool = True) -> TmxResult:
    """Write the translation memory of ``lang`` (a ``locales/`` folder) to ``out``, atomically."""
    entries, result = collect(project, lang, machine=machine)
    data = tmx.dumps(entries, result.target_language or lang, project.source_language)
    result.written = atomic_write(out, data)
    return result
