"""Re-syncing a segment file with the current English article (``bitext update``).

Writers edit ``docs/en``; ``update_article`` brings the article's segment
file in line without losing a translator's work:

* units whose English is still there keep their id, translation and state
  (found by text where the article moved them);
* a sentence whose English changed keeps its id and the old translation as a
  proposal (``<alt-trans>`` with the previous source and a match %); its
  target is ``needs-review-translation``, or ``needs-translation`` below the
  fuzzy threshold;
* new sentences (cut by ``segment``) take an exact match from the translation
  memory when there is one, otherwise ``needs-translation``;
* units whose English disappeared go to the file's archive, from which they
  come back if the sentence does.

An article whose English did not change since the last sync is left exactly
as it is: the segmenter only cuts text that no existing unit covers, so
imported files keep Microsoft's segmentation and ids.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import segment, xliff
from .errors import BitextError
from .files import LineIndex, atomic_write
from .model import AltTrans, Finding, Note, Segment, SegmentFile
from .project import Project
from .skeleton import fingerprint, locate
from .tm import FuzzyMatcher, TranslationMemory

# Below this match % the old translation is only a proposal (target emptied).
FUZZY_THRESHOLD = 75
# Below this match % an old unit is not the same sentence any more.
PROPOSAL_FLOOR = 50

NEEDS_TRANSLATION = "needs-translation"
NEEDS_REVIEW = "needs-review-translation"


@dataclass
class ArticleUpdate:
    """What ``update_article`` did to one article's segment file."""

    path: str
    segment_file: SegmentFile
    created: bool = False
    modified: bool = False
    kept: int = 0  # units whose English is still there (in place or moved)
    moved: int = 0  # of those, found somewhere else in the article
    restored: int = 0  # archived units whose English came back
    changed: int = 0  # English edited: the old translation kept as a proposal
    leveraged: int = 0  # new sentences filled in from the translation memory
    new: int = 0  # new sentences left to translate
    archived: int = 0  # units whose English disappeared

    def summary(self) -> str:
        parts = []
        if self.created:
            parts.append("new segment file")
        for count, label in ((self.changed, "changed (old translation kept as proposal)"),
                             (self.new + self.leveraged, "new"), (self.leveraged, "from translation memory"),
                             (self.moved, "moved"), (self.restored, "restored from archive"),
                             (self.archived, "archived")):
            if count:
                parts.append(f"{count} {label}")
        return ", ".join(parts) or "positions refreshed"


def update_article(english: str, old: SegmentFile | None, *, path: str, language: str,
                   memory: TranslationMemory | None = None) -> ArticleUpdate:
    """The segment file of ``path`` re-synced with ``english`` (``old`` is never modified)."""
    if old is not None and old.skeleton_hash == fingerprint(english) and not locate(english, old).stale:
        return ArticleUpdate(path, old, kept=len(old.segments))
    base = old or SegmentFile(original=path, target_language=language)
    sync = _Sync(english, base, memory or TranslationMemory(), ArticleUpdate(path, base, created=old is None))
    result = sync.run()
    result.modified = result.segment_file != old
    return result


def _copy(seg: Segment) -> Segment:
    return Segment(seg.id, seg.source, seg.target, seg.state, seg.state_qualifier, seg.line, seg.column, seg.key,
                   list(seg.notes), list(seg.alternatives), seg.approved, seg.xliff_line)


@dataclass
class _Placed:
    start: int
    end: int
    unit: Segment


@dataclass
class _Old:
    """A unit of the old file that lost its place, waiting for a sentence to match."""

    unit: Segment
    order: int  # position among the old body units
    archived: bool = False


class _Sync:
    def __init__(self, english: str, old: SegmentFile, memory: TranslationMemory, result: ArticleUpdate):
        self.english = english
        self.old = old
        self.memory = memory
        self.result = result
        self.lines = LineIndex(english)
        self.runs = segment.runs(english)
        self.run_starts = [r.start for r in self.runs]
        self.placed: list[_Placed] = []
        self.starts: list[int] = []
        self.pool: list[_Old] = []
        self.archive: list[Segment] = [_copy(s) for s in old.archive]
        self.taken = {s.id for s in old.segments} | {s.id for s in old.archive}
        self.fuzzy = FuzzyMatcher()

    # ------------------------------------------------------------ placing old units

    def _run_of(self, start: int, end: int) -> segment.Run | None:
        k = bisect.bisect_right(self.run_starts, start) - 1
        if k >= 0 and end <= self.runs[k].end:
            return self.runs[k]
        return None

    def _fits(self, start: int, end: int) -> bool:
        """A source found at [start, end) may be its unit's place: inside one run, whole words, free."""
        text = self.english
        if self._run_of(start, end) is None:
            return False
        if start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            return False
        if end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
            return False
        k = bisect.bisect_left(self.starts, end)
        return k == 0 or self.placed[k - 1].end <= start

    def _place(self, start: int, end: int, unit: Segment) -> None:
        k = bisect.bisect_left(self.starts, start)
        self.starts.insert(k, start)
        self.placed.insert(k, _Placed(start, end, unit))

    def _unplace(self, placed: _Placed) -> None:
        k = self.placed.index(placed)
        del self.placed[k]
        del self.starts[k]

    def place_old_units(self) -> list[Segment]:
        """Put every old body unit whose source is still in the article back in place.

        ``skeleton.locate`` finds sources in order, nearest their old line;
        what it cannot place (moved above an earlier unit) is searched again
        in the remaining free text.  Returns the units with an empty source.
        """
        body = self.old.body_segments()
        order = {id(s): i for i, s in enumerate(body)}
        layout = locate(self.english, SegmentFile(self.old.original, self.old.target_language,
                                                  skeleton_hash=None, segments=body))
        empty = []
        for placement in layout.placements:
            if placement.start < placement.end and self._fits(placement.start, placement.end):
                self._place(placement.start, placement.end, _copy(placement.segment))
            else:
                self.pool.append(_Old(_copy(placement.segment), order[id(placement.segment)]))
        for seg in layout.unplaced:
            if seg.source.strip():
                self.pool.append(_Old(_copy(seg), order[id(seg)]))
            else:
                empty.append(seg)
        self.pool.sort(key=lambda o: o.order)
        for old in list(self.pool):
            at = self._find_free(old.unit)
            if at is not None:
                self.pool.remove(old)
                self._place(at, at + len(old.unit.source), old.unit)
                self.result.moved += 1
        return empty

    def _find_free(self, unit: Segment) -> int | None:
        text, source = self.english, unit.source
        hint = self.lines.offset(unit.line, unit.column) if unit.line else None
        best = None
        pos = text.find(source)
        while pos != -1:
            if self._fits(pos, pos + len(source)):
                if hint is None:
                    return pos
                if best is None or abs(pos - hint) < abs(best - hint):
                    best = pos
            pos = text.find(source, pos + 1)
        return best

    def place_empty_units(self, empty: list[Segment]) -> None:
        """Units without English (anchors Microsoft moved into targets) keep their place
        after the unit before them when that place is still an empty line; else archived."""
        old_body = self.old.body_segments()
        where = {p.unit.id: p for p in self.placed}
        for seg in empty:
            index = next(i for i, s in enumerate(old_body) if s is seg)
            before = next((s for s in reversed(old_body[:index]) if s.id in where), None)
            at = None
            if before is not None and seg.line > before.line:
                anchor_line = self.lines.line_of(where[before.id].start)
                line = anchor_line + seg.line - before.line
                at = self.lines.offset(line, seg.column)
                if at is not None and (self.english[at:at + 1] not in ("\n", "") or seg.column != 1):
                    at = None
            if at is None or not self._free(at):
                self._archive(_copy(seg))
                continue
            self._place(at, at, _copy(seg))

    def _free(self, at: int) -> bool:
        k = bisect.bisect_right(self.starts, at)
        return (k == 0 or self.placed[k - 1].end <= at) and (k == len(self.placed) or self.placed[k].start >= at)

    # ------------------------------------------------------------ new text

    def new_sentences(self) -> list[segment.Sentence]:
        """Sentences of the article that no placed unit covers, cut by the segmenter.

        A placed unit lying inside a sentence that also holds new words is a
        fragment of an edited sentence ("Yes" of "Yes, it does."): it loses
        its place and the whole sentence is new.
        """
        out = []
        english = self.english
        for run in self.runs:
            lo = bisect.bisect_left(self.starts, run.start)
            hi = bisect.bisect_left(self.starts, run.end)
            inside = self.placed[lo:hi]
            if not any(segment.has_words(english[a:b]) for a, b in _gaps(run.start, run.end, inside)):
                continue
            if not inside:
                out.extend(segment.split(english, run))
                continue
            for sentence in segment.split(english, run):
                here = [p for p in inside if p.start < sentence.end and p.end > sentence.start]
                if not any(segment.has_words(english[a:b])
                           for a, b in _gaps(sentence.start, sentence.end, here)):
                    continue
                for p in here:
                    if sentence.start <= p.start and p.end <= sentence.end:
                        self._unplace(p)
                        self.pool.append(_Old(p.unit, -1))
                rest = [p for p in here if not (sentence.start <= p.start and p.end <= sentence.end)]
                for a, b in _gaps(sentence.start, sentence.end, rest):
                    found = segment.piece(english, a, b)
                    if found is not None:
                        out.append(found)
        return out

    def match(self, sentences: list[segment.Sentence]) -> None:
        """Give each new sentence its unit: moved or archived unit, memory, proposal, or a new one."""
        by_source: dict[str, list[_Old]] = {}
        for old in [*self.pool, *(_Old(s, -1, archived=True) for s in self.archive)]:
            by_source.setdefault(segment.normalize(old.unit.source), []).append(old)
        waiting = []
        for sentence in sentences:
            same = by_source.get(segment.normalize(sentence.text))
            if same:
                old = same.pop(0)
                unit = old.unit
                unit.source = sentence.text
                if old.archived:
                    self.archive.remove(unit)
                    self.result.restored += 1
                else:
                    self.pool.remove(old)
                    self.result.moved += 1
                self._place(sentence.start, sentence.end, unit)
                continue
            entry = self.memory.exact(sentence.text)
            if entry is not None:
                unit = self._new_unit(sentence.text)
                self._leverage(unit, entry)
                self._place(sentence.start, sentence.end, unit)
                continue
            waiting.append(sentence)
        self._fuzzy(waiting)

    def _fuzzy(self, sentences: list[segment.Sentence]) -> None:
        """Pair edited sentences with the old units they came from, most alike first."""
        pool = self.pool
        choices = [self.fuzzy.encode(o.unit.source) for o in pool]
        pairs = []
        for i, sentence in enumerate(sentences):
            for score, j in self.fuzzy.best(sentence.text, choices, PROPOSAL_FLOOR):
                pairs.append((-score, i, j))
        pairs.sort()
        used_sentence, used_old = set(), set()
        for negative, i, j in pairs:
            if i in used_sentence or j in used_old:
                continue
            used_sentence.add(i)
            used_old.add(j)
            self._changed(sentences[i], pool[j].unit, -negative)
        self.pool = [o for j, o in enumerate(pool) if j not in used_old]
        for i, sentence in enumerate(sentences):
            if i not in used_sentence:
                unit = self._new_unit(sentence.text)
                self._place(sentence.start, sentence.end, unit)
                self.result.new += 1

    def _changed(self, sentence: segment.Sentence, unit: Segment, score: int) -> None:
        previous = unit.target if unit.target and unit.source.strip() else None
        if previous is not None:
            unit.alternatives.insert(0, AltTrans(unit.source, previous, score, "bitext-update"))
        unit.source = sentence.text
        self._review(unit, previous, score)
        self._place(sentence.start, sentence.end, unit)
        self.result.changed += 1

    def _review(self, unit: Segment, previous: str | None, score: int) -> None:
        if previous is not None and score >= FUZZY_THRESHOLD:
            unit.target = previous
            unit.state = NEEDS_REVIEW
            unit.state_qualifier = "fuzzy-match"
        else:
            unit.target = ""
            unit.state = NEEDS_TRANSLATION
            unit.state_qualifier = None

    def _new_unit(self, source: str) -> Segment:
        unit_id = segment.unit_id(source, self.taken)
        self.taken.add(unit_id)
        return Segment(unit_id, source, "", NEEDS_TRANSLATION)

    def _archive(self, unit: Segment) -> None:
        self.archive.append(unit)
        self.result.archived += 1

    # ------------------------------------------------------------ front matter

    def front_matter(self) -> list[Segment]:
        """Front-matter units, one per translatable key, matched to the old ones by key."""
        old = {s.key: s for s in self.old.segments if s.key is not None}
        out = []
        for sentence in segment.front_matter(self.english):
            key = sentence.key
            unit = _copy(old.pop(key)) if key in old else None
            entry = self.memory.exact(sentence.text)
            if unit is None:
                unit = Segment(key, sentence.text, "", NEEDS_TRANSLATION, key=key)
                if key in self.taken:
                    unit.id = segment.unit_id(sentence.text, self.taken)
                self.taken.add(unit.id)
                if entry is not None:
                    self._leverage(unit, entry)
                else:
                    self.result.new += 1
            elif unit.source != sentence.text:
                previous = unit.target or None
                score = self.fuzzy.similarity(sentence.text, unit.source) if unit.source else None
                if previous is not None and previous != (entry.target if entry else None):
                    unit.alternatives.insert(0, AltTrans(unit.source, previous, score, "bitext-update"))
                unit.source = sentence.text
                if entry is not None:
                    self._leverage(unit, entry)
                elif score is None:
                    # Imported without its English: the translation stays, to be checked against it.
                    if previous is not None:
                        unit.state, unit.state_qualifier = NEEDS_REVIEW, None
                    self.result.changed += 1
                else:
                    self._review(unit, previous, score)
                    self.result.changed += 1
            unit.line, unit.column = self.lines.line_of(sentence.start), 1
            out.append(unit)
        for unit in old.values():
            if unit.source.strip():
                self._archive(_copy(unit))
            else:
                out.append(_copy(unit))  # a translated key the English does not have
        return out

    def _leverage(self, unit: Segment, entry) -> None:
        """Fill a unit with an exact match from the translation memory, saying where it came from."""
        unit.target, unit.state = entry.target, "translated"
        unit.state_qualifier = "leveraged-mt" if entry.machine else "exact-match"
        unit.notes.append(Note(f"translation memory: exact match from {entry.origin}", "bitext"))
        self.result.leveraged += 1

    # ------------------------------------------------------------ all together

    def run(self) -> ArticleUpdate:
        front = self.front_matter()
        empty = self.place_old_units()
        self.match(self.new_sentences())
        for old in self.pool:
            self._archive(old.unit)
        self.place_empty_units(empty)
        body = []
        for placed in self.placed:
            placed.unit.line, placed.unit.column = self.lines.position(placed.start)
            body.append(placed.unit)
        r = self.result
        r.kept = len(front) + len(body) - r.changed - r.new - r.leveraged - r.restored - r.moved
        sf = SegmentFile(self.old.original, self.old.target_language, self.old.source_language,
                         fingerprint(self.english), self.old.metadata, front + body, self.archive)
        if locate(self.english, sf).stale:
            raise BitextError.at(self.old.original, 1, "update could not place every unit exactly "
                                 "(a bug: the segment file was not changed)", "update")
        self.result.segment_file = sf
        return self.result


def _gaps(start: int, end: int, placed: list[_Placed]) -> list[tuple[int, int]]:
    """The parts of [start, end) that none of ``placed`` (sorted) covers."""
    out = []
    pos = start
    for p in placed:
        if p.start > pos:
            out.append((pos, min(p.start, end)))
        pos = max(pos, p.end)
    if pos < end:
        out.append((pos, end))
    return out


@dataclass
class UpdateResult:
    """``bitext update`` for one language."""

    language: str
    articles: list[ArticleUpdate] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(a, name) for a in self.articles)


def update_language(project: Project, lang: str, *, write: bool = True,
                    progress: Callable[[Iterable], Iterable] = lambda it: it) -> UpdateResult:
    """Re-sync every segment file of ``locales/LANG`` with ``docs/en``; ``write=False`` is a dry run.

    A segment file that cannot be read is reported and left alone; one whose
    English article is gone is kept (its translations are the memory's too)
    and reported.
    """
    result = UpdateResult(lang)
    existing: dict[str, SegmentFile] = {}
    broken = set()
    for rel in project.segment_files(lang):
        try:
            existing[rel] = project.read_segments(rel, lang)
        except BitextError as exc:
            result.findings.extend(exc.findings)
            broken.add(rel)
    memory = TranslationMemory.of((project.display(project.segment_path(rel, lang)), sf)
                                  for rel, sf in existing.items())
    tags = [sf.target_language for sf in existing.values() if sf.target_language]
    tag = max(set(tags), key=tags.count) if tags else lang
    articles = project.articles()
    for rel in progress(articles):
        if rel in broken:
            continue
        try:
            english = project.read_english(rel)
            done = update_article(english, existing.get(rel), path=rel, language=tag, memory=memory)
        except BitextError as exc:
            result.findings.extend(exc.findings)
            continue
        if done.modified and write:
            atomic_write(project.segment_path(rel, lang), xliff.dumps(done.segment_file))
        result.articles.append(done)
    known = set(articles)
    for rel in sorted(set(existing) - known):
        result.findings.append(Finding(project.display(project.segment_path(rel, lang)), 1,
                                       f"no English article docs/en/{rel}: segment file kept as it is",
                                       severity="warning", code="orphan-segment-file"))
    return result
