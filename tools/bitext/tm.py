"""Translation memory: what the project's segment files already know how to translate.

``TranslationMemory`` indexes every usable translation of one language (live
and archived units of every segment file) by its whitespace-normalized
source, for exact-match leverage; ``FuzzyMatcher`` scores how alike two
sources are, the way CAT tools do, as a word-level percentage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Indel

from .model import Segment, SegmentFile
from .segment import normalize

# States a translator has confirmed: their translations win over plain "translated" ones.
_CONFIRMED = frozenset({"final", "signed-off"})


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


class TranslationMemory:
    def __init__(self) -> None:
        self._by_source: dict[str, dict[str, _Candidate]] = {}
        self._order = 0

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
        known = self._by_source.setdefault(normalize(seg.source), {})
        candidate = known.get(target)
        if candidate is None:
            self._order += 1
            known[target] = _Candidate(Entry(seg.source, target, machine, origin), seg.state in _CONFIRMED, 1,
                                       self._order)
            return
        candidate.uses += 1
        candidate.confirmed |= seg.state in _CONFIRMED
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
        best = min(known.values(), key=lambda c: (c.entry.machine, not c.confirmed, -c.uses, c.order))
        return best.entry

    @classmethod
    def of(cls, files: Iterable[tuple[str, SegmentFile]]) -> "TranslationMemory":
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
        return round(Indel.normalized_similarity(self.encode(a), self.encode(b)) * 100)

    def best(self, query: str, choices: list[str], floor: int) -> list[tuple[int, int]]:
        """(score, index) of the choices at least ``floor`` % alike, best first."""
        if not choices:
            return []
        encoded = self.encode(query)
        found = process.extract(encoded, choices, scorer=Indel.normalized_similarity,
                                score_cutoff=floor / 100, limit=None)
        return sorted(((round(score * 100), index) for _, score, index in found), key=lambda x: (-x[0], x[1]))
