"""Re-syncing segment files with the current English articles (``bitext update``).

Writers edit ``docs/en``; ``update_article`` brings one article's segment
file in line without losing a translator's work:

* units whose English is still there keep their id, translation and state,
  wherever in the article it moved;
* a sentence whose English changed keeps its unit id, its old translation as
  a proposal (``<alt-trans>`` with the previous source and the match %) and
  is ``needs-review-translation`` with the old target, or
  ``needs-translation`` below the fuzzy threshold;
* a sentence whose English changed only in how its markup is spelled
  (escapes, entities, emphasis markers: ``rendered.comparable``) keeps its
  unit and translation (``state-qualifier`` ``x-rendered-match``);
* new sentences, cut by ``segment``, take an exact match from the
  translation memory (``state-qualifier`` ``exact-match``, ``x-rendered-match``
  when only the markup spelling differs, or ``leveraged-mt`` for reused
  machine translation) or are ``needs-translation`` with the memory's best
  fuzzy matches (≥ 75 %, ranked as a CAT tool ranks them) as ``<alt-trans
  origin="bitext-tm">`` proposals;
* units whose English disappeared go to the file's archive, from which they
  come back if the sentence does.

An article whose English did not change since its last sync is left exactly
as it is.  Otherwise the segmenter only cuts text that no existing unit
covers, so imported files keep Microsoft's segmentation and ids.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bitext.core import segment
from bitext.core.errors import BitextError
from bitext.core.files import ABSENT, LineIndex, Snapshot
from bitext.core.model import SOURCE_LANGUAGE, AltTrans, Finding, Note, Segment, SegmentFile
from bitext.core.rendered import comparable
from bitext.core.severity import Severity
from bitext.core.skeleton import fingerprint, locate
from bitext.core.states import Qualifier, State
from bitext.formats import xliff
from bitext.project.project import Project
from bitext.project.sitefiles import SiteFiles
from bitext.translate.tm import Entry, FuzzyMatcher, TranslationMemory

# At or above this match % an edited sentence keeps its old target, for review.
FUZZY_THRESHOLD = 75
# Below this match % an old unit is not the same sentence any more.
PROPOSAL_FLOOR = 50

ORIGIN = "bitext-update"  # alt-trans origin of a previous translation
TM_ORIGIN = "bitext-tm"  # alt-trans origin of a fuzzy match from the project's memory
PROPOSALS = 3  # fuzzy proposals kept for a new sentence


@dataclass
class ArticleUpdate:
    """What ``update_article`` did to one article's segment file."""

    path: str
    segment_file: SegmentFile
    created: bool = False
    modified: bool = False
    kept: int = 0  # units whose English is unchanged, in place
    moved: int = 0  # units whose English is unchanged, now in another order
    restored: int = 0  # archived units whose English came back
    changed: int = 0  # English edited: the old translation kept as a proposal
    leveraged: int = 0  # new sentences filled in from the translation memory
    respelled: int = 0  # English re-spelled (renders the same): translation kept
    new: int = 0  # new sentences left to translate
    proposed: int = 0  # ... of which with fuzzy proposals from the memory
    archived: int = 0  # units whose English disappeared

    def summary(self) -> str:
        parts = ["new segment file"] if self.created else []
        for count, label in (
            (self.changed, "changed (previous translation kept as proposal)"),
            (self.new + self.leveraged, "new"),
            (self.leveraged, "from translation memory"),
            (self.proposed, "with fuzzy proposals"),
            (self.respelled, "re-spelled (translation kept)"),
            (self.moved, "moved"),
            (self.restored, "restored from archive"),
            (self.archived, "archived"),
        ):
            if count:
                parts.append(f"{count} {label}")
        return ", ".join(parts) or "positions refreshed"


def update_article(
    english: str,
    old: SegmentFile | None,
    *,
    path: str,
    language: str,
    source_language: str = SOURCE_LANGUAGE,
    memory: TranslationMemory | None = None,
    english_path: str = "",
) -> ArticleUpdate:
    """The segment file of ``path`` re-synced with ``english``; ``old`` is not modified.

    ``language`` (and ``source_language``) are the languages of a segment file created here;
    ``english_path`` names the English file in error messages.
    """
    if old is not None and old.skeleton_hash == fingerprint(english) and not locate(english, old).stale:
        return ArticleUpdate(path, old, kept=len(old.segments))
    base = old or SegmentFile(original=path, target_language=language, source_language=source_language)
    result = _Sync(
        english,
        base,
        memory or TranslationMemory(),
        ArticleUpdate(path, base, created=old is None),
        english_path or path,
    ).run()
    result.modified = result.segment_file != old
    return result


def _copy(seg: Segment) -> Segment:
    return dataclasses.replace(seg, notes=list(seg.notes), alternatives=list(seg.alternatives))


@dataclass
class _Placed:
    start: int
    end: int
    unit: Segment


@dataclass
class _Loose:
    """An old unit without a place yet, waiting for a sentence to claim it."""

    unit: Segment
    archived: bool = False


class _Sync:
    """One article's re-sync: place old units, cut new sentences, match them, archive the rest."""

    def __init__(self, english: str, old: SegmentFile, memory: TranslationMemory, result: ArticleUpdate, path: str):
        self.english = english
        self.path = path
        self.old = old
        self.memory = memory
        self.result = result
        self.lines = LineIndex(english)
        self.runs = segment.runs(english)
        self.run_starts = [r.start for r in self.runs]
        self.placed: list[_Placed] = []  # sorted by start
        self.starts: list[int] = []
        self.loose: list[_Loose] = []
        self.archive = [_copy(s) for s in old.archive]
        self.taken = {s.id for s in old.segments} | {s.id for s in old.archive}
        self.fuzzy = FuzzyMatcher()

    def run(self) -> ArticleUpdate:
        front = self.front_matter()
        empty = self.place_old_units()
        self.match(self.new_sentences())
        for loose in self.loose:
            self._archive(loose.unit)
        self.place_empty_units(empty)
        body = []
        for placed in self.placed:
            placed.unit.line, placed.unit.column = self.lines.position(placed.start)
            body.append(placed.unit)
        r = self.result
        r.moved = self._moved(body)
        r.kept = len(front) + len(body) - r.changed - r.new - r.leveraged - r.restored - r.moved - r.respelled
        # dataclasses.replace keeps what a CAT tool put on <file> and in <header>.
        r.segment_file = dataclasses.replace(
            self.old,
            skeleton_hash=fingerprint(self.english),
            segments=front + body,
            archive=self.archive,
            extra_attributes=dict(self.old.extra_attributes),
            extra_header=list(self.old.extra_header),
        )
        if locate(self.english, r.segment_file).stale:
            raise BitextError.at(
                self.old.original,
                1,
                "update could not place every unit exactly; the segment file is left as it was (please report this)",
                "update",
            )
        return r

    def _moved(self, body: list[Segment]) -> int:
        """How many unchanged old units changed places: those off the longest run kept in the old order."""
        order = {s.id: i for i, s in enumerate(self.old.body_segments())}
        old = {s.id: s.source for s in self.old.body_segments()}
        sequence = [order[u.id] for u in body if u.id in order and u.source == old[u.id]]
        tails: list[int] = []  # patience sorting: the longest increasing subsequence
        for value in sequence:
            k = bisect.bisect_left(tails, value)
            tails[k : k + 1] = [value]
        return len(sequence) - len(tails)

    # ------------------------------------------------------------ placing old units

    def _fits(self, start: int, end: int) -> bool:
        """True when [start, end) can be a unit's place: whole words inside one run, not taken."""
        text = self.english
        k = bisect.bisect_right(self.run_starts, start) - 1
        if k < 0 or end > self.runs[k].end:
            return False
        if start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            return False
        if end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
            return False
        return self._free(start, end)

    def _free(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.starts, end)
        if k and self.placed[k - 1].end > start:
            return False
        return start < end or k == len(self.placed) or self.placed[k].start >= start

    def _place(self, start: int, end: int, unit: Segment) -> None:
        k = bisect.bisect_left(self.starts, start)
        self.starts.insert(k, start)
        self.placed.insert(k, _Placed(start, end, unit))

    def _unplace(self, placed: _Placed) -> None:
        k = self.placed.index(placed)
        del self.placed[k]
        del self.starts[k]

    def place_old_units(self) -> list[Segment]:
        """Put every old body unit whose source is still in the article in its place.

        ``skeleton.locate`` finds sources in order, nearest their old line;
        units it cannot place (moved above an earlier one) are searched again
        in the text left free.  Returns the units without English, placed last.
        """
        body = self.old.body_segments()
        layout = locate(self.english, SegmentFile(self.old.original, self.old.target_language, segments=body))
        empty = []
        for placement in layout.placements:
            if placement.start < placement.end and self._fits(placement.start, placement.end):
                self._place(placement.start, placement.end, _copy(placement.segment))
            else:
                self.loose.append(_Loose(_copy(placement.segment)))
        for seg in layout.unplaced:
            if seg.source.strip():
                self.loose.append(_Loose(_copy(seg)))
            else:
                empty.append(seg)
        for loose in list(self.loose):
            at = self._find_free(loose.unit)
            if at is not None:
                self.loose.remove(loose)
                self._place(at, at + len(loose.unit.source), loose.unit)
        return empty

    def _find_free(self, unit: Segment) -> int | None:
        """The free place of ``unit``'s source nearest its old line and column."""
        text, source = self.english, unit.source
        hint = self.lines.offset(unit.line, unit.column) or 0
        best = None
        pos = text.find(source)
        while pos != -1:
            if self._fits(pos, pos + len(source)) and (best is None or abs(pos - hint) < abs(best - hint)):
                best = pos
            pos = text.find(source, pos + 1)
        return best

    def place_empty_units(self, empty: list[Segment]) -> None:
        """Units without English (anchors Microsoft moved into targets) follow the unit before them.

        Such a unit keeps the same distance after it (same line) or the same
        line and column offset, when only markup stands between; else it is
        archived.
        """
        body = self.old.body_segments()
        where = {p.unit.id: p for p in self.placed}
        for seg in empty:
            index = next(i for i, s in enumerate(body) if s is seg)
            before = next((s for s in reversed(body[:index]) if s.id in where), None)
            at = self._after(seg, before, where[before.id]) if before is not None else None
            if at is None:
                self._archive(_copy(seg))
            else:
                self._place(at, at, _copy(seg))

    def _after(self, seg: Segment, before: Segment, placed: _Placed) -> int | None:
        text = self.english
        at: int | None
        if seg.line == before.line and "\n" not in before.source:
            at = placed.end + seg.column - before.column - len(before.source)
            between = text[placed.end : at] if at >= placed.end else "\n"
        else:
            line = self.lines.line_of(placed.start) + seg.line - before.line
            at = self.lines.offset(line, seg.column)
            between = text[self.lines.offset(line, 1) : at] if at is not None else "\n"
        if at is None or at > len(text) or "\n" in between or any(c.isalnum() for c in between):
            return None
        return at if self._free(at, at) else None

    # ------------------------------------------------------------ new text

    def new_sentences(self) -> list[segment.Sentence]:
        """Sentences no placed unit covers, cut by the segmenter.

        A placed unit lying inside a sentence that also holds new words is a
        fragment of an edited sentence ("Yes" of "Yes, it does."): it loses
        its place and the whole sentence is new.  Text between units that
        holds no words (an icon, a code span) stays skeleton.
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
                if not any(segment.has_words(english[a:b]) for a, b in _gaps(sentence.start, sentence.end, here)):
                    continue
                within = [p for p in here if sentence.start <= p.start and p.end <= sentence.end]
                for p in within:
                    self._unplace(p)
                    self.loose.append(_Loose(p.unit))
                rest = [p for p in here if p not in within]
                for a, b in _gaps(sentence.start, sentence.end, rest):
                    found = segment.piece(english, a, b)
                    if found is not None:
                        out.append(found)
        return out

    def match(self, sentences: list[segment.Sentence]) -> None:
        """Give each new sentence a unit: its own moved or archived one, a memory match, an edited one, or a new one.

        Exact English first (its own unit, then the memory), then English a
        reader sees the same way (its own unit re-spelled, then the memory).
        """
        same_source: dict[str, list[_Loose]] = {}
        same_rendering: dict[str, list[_Loose]] = {}
        for loose in [*self.loose, *(_Loose(s, archived=True) for s in self.archive)]:
            same_source.setdefault(segment.normalize(loose.unit.source), []).append(loose)
            if loose.unit.source.strip():
                same_rendering.setdefault(comparable(loose.unit.source), []).append(loose)
        waiting = []
        for sentence in sentences:
            candidates = same_source.get(segment.normalize(sentence.text))
            if candidates:
                self._claim(candidates.pop(0), sentence, same_rendering)
                continue
            entry = self.memory.exact(sentence.text)
            if entry is not None:
                unit = self._new_unit(sentence.text)
                self._leverage(unit, entry)
                self._place(sentence.start, sentence.end, unit)
                continue
            # No old unit waiting (a new segment file): no rendering to compare.
            rendering = same_rendering.get(comparable(sentence.text), []) if same_rendering else []
            candidates = [c for c in rendering if c.unit.target]
            if candidates:
                loose = candidates[0]
                same_source[segment.normalize(loose.unit.source)].remove(loose)
                self._claim(loose, sentence, same_rendering)
                self._respelled(loose.unit, counted=loose.archived)
                continue
            entry = self.memory.rendered(sentence.text)
            if entry is not None:
                unit = self._new_unit(sentence.text)
                self._leverage(unit, entry, rendered=True)
                self._place(sentence.start, sentence.end, unit)
                continue
            waiting.append(sentence)
        self._pair_edited(waiting)

    def _claim(self, loose: _Loose, sentence: segment.Sentence, same_rendering: dict[str, list[_Loose]]) -> None:
        """Put an old unit (moved or archived) on a sentence of the new English."""
        if loose.unit.source.strip():
            same_rendering[comparable(loose.unit.source)].remove(loose)
        loose.unit.set_source(sentence.text)
        if loose.archived:
            self.archive.remove(loose.unit)
            self.result.restored += 1
        else:
            self.loose.remove(loose)
        self._place(sentence.start, sentence.end, loose.unit)

    def _respelled(self, unit: Segment, *, counted: bool) -> None:
        """The unit's English changed only in how its markup is spelled: its translation stands.

        ``counted``: the unit was restored from the archive and counts as that.
        """
        if unit.usable_target() is not None and not unit.is_machine_translated:
            unit.state_qualifier = Qualifier.RENDERED_MATCH
        unit.notes.append(Note("English re-spelled, renders the same: translation kept", "bitext"))
        self.result.respelled += not counted

    def _pair_edited(self, sentences: list[segment.Sentence]) -> None:
        """Pair edited sentences with the old units they came from, most alike first.

        A sentence no old unit claims is new: the memory's best fuzzy matches
        become its proposals.
        """
        choices = [self.fuzzy.encode(comparable(loose.unit.source)) for loose in self.loose]
        pairs = []
        for i, sentence in enumerate(sentences if choices else ()):  # no old unit left: nothing to compare
            line = self.lines.line_of(sentence.start)
            for score, j in self.fuzzy.best(comparable(sentence.text), choices, PROPOSAL_FLOOR):
                # Equally alike: the old unit that stood nearest wins.
                pairs.append((-score, abs(self.loose[j].unit.line - line), i, j))
        pairs.sort()
        claimed: dict[int, tuple[int, int]] = {}  # sentence -> (old unit, score)
        used = set()
        for negative, _, i, j in pairs:
            if i not in claimed and j not in used:
                claimed[i] = (j, -negative)
                used.add(j)
        for i, sentence in enumerate(sentences):
            if i in claimed:
                j, score = claimed[i]
                unit = self.loose[j].unit
                self._edited(unit, sentence.text, score)
                self.result.changed += 1
            else:
                unit = self._new_unit(sentence.text)
                self._propose(unit)
                self.result.new += 1
            self._place(sentence.start, sentence.end, unit)
        self.loose = [loose for j, loose in enumerate(self.loose) if j not in used]

    def _propose(self, unit: Segment) -> None:
        """The memory's best fuzzy matches of a new sentence, as ``<alt-trans>`` proposals with their match %."""
        for score, entry in self.memory.fuzzy(unit.source, FUZZY_THRESHOLD, PROPOSALS):
            unit.alternatives.append(AltTrans(entry.source, entry.target, score, TM_ORIGIN))
        self.result.proposed += bool(unit.alternatives)

    def _edited(self, unit: Segment, source: str, score: int | None) -> None:
        """``unit``'s English became ``source``: its translation is kept as a proposal.

        ``score`` None means the unit had no English to compare (a translated
        title imported without its English): its target stays, for review.
        """
        previous = unit.target if unit.target else None
        if previous is not None and score is not None:
            unit.alternatives.insert(0, AltTrans(unit.source, previous, score, ORIGIN))
        unit.set_source(source)
        if previous is not None and (score is None or score >= FUZZY_THRESHOLD):
            unit.state, unit.state_qualifier = (
                State.NEEDS_REVIEW_TRANSLATION,
                Qualifier.FUZZY_MATCH if score is not None else None,
            )
        else:
            unit.target, unit.state, unit.state_qualifier = "", State.NEEDS_TRANSLATION, None

    def _leverage(self, unit: Segment, entry: Entry, *, rendered: bool = False) -> None:
        """Fill a unit with an exact (or rendered-identical) match from the memory, saying where it came from."""
        unit.target, unit.state = entry.target, State.TRANSLATED
        unit.state_qualifier = (
            Qualifier.LEVERAGED_MT if entry.machine else Qualifier.RENDERED_MATCH if rendered else Qualifier.EXACT_MATCH
        )
        what = "rendered-identical match" if rendered else "exact match"
        unit.notes.append(Note(f"translation memory: {what} from {entry.origin}", "bitext"))
        self.result.leveraged += 1

    def _new_unit(self, source: str) -> Segment:
        unit_id = segment.unit_id(source, self.taken)
        self.taken.add(unit_id)
        return Segment(unit_id, source, "", State.NEEDS_TRANSLATION)

    def _archive(self, unit: Segment) -> None:
        self.archive.append(unit)
        self.result.archived += 1

    # ------------------------------------------------------------ front matter

    def front_matter(self) -> list[Segment]:
        """Front-matter units, one per translatable key, matched to the old ones by key."""
        old = {s.key: s for s in self.old.segments if s.key is not None}
        out = []
        for value in segment.front_matter(self.english, self.path):
            if value.key is None:  # front-matter sentences always carry their key; this narrows the type
                continue
            unit = _copy(old.pop(value.key)) if value.key in old else None
            entry = self.memory.exact(value.text)
            if unit is None:
                unit = Segment(
                    value.key if value.key not in self.taken else segment.unit_id(value.text, self.taken),
                    value.text,
                    "",
                    State.NEEDS_TRANSLATION,
                    key=value.key,
                )
                self.taken.add(unit.id)
                if entry is not None:
                    self._leverage(unit, entry)
                else:
                    self.result.new += 1
            elif unit.source != value.text:
                score = self.fuzzy.similarity(value.text, unit.source) if unit.source else None
                if entry is not None:
                    if unit.target and unit.target != entry.target:
                        unit.alternatives.insert(0, AltTrans(unit.source, unit.target, score, ORIGIN))
                    unit.set_source(value.text)
                    self._leverage(unit, entry)
                else:
                    self._edited(unit, value.text, score)
                    self.result.changed += 1
            unit.line, unit.column = self.lines.line_of(value.start), 1
            out.append(unit)
        for unit in old.values():
            if unit.source.strip():
                self._archive(_copy(unit))
            else:
                out.append(_copy(unit))  # a translated key the English does not have
        return out


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


def update_language(
    project: Project, lang: str, *, write: bool = True, progress: Callable[[Iterable], Iterable] = lambda it: it
) -> UpdateResult:
    """Re-sync every segment file of ``locales/LANG`` with ``docs/en``; ``write=False`` is a dry run.

    A segment file that cannot be read is reported and left alone.  One whose
    English article is gone is kept as it is (its translations still serve
    the memory) and reported.  Writing holds the project's write lock, and a
    segment file saved by someone else since it was read is not overwritten:
    it is reported (``changed-on-disk``, an error) and left for the next run.
    """
    if not write:
        return _update_language(project, lang, write, progress)
    with project.write_lock():
        return _update_language(project, lang, write, progress)


def _update_language(
    project: Project, lang: str, write: bool, progress: Callable[[Iterable], Iterable]
) -> UpdateResult:
    result = UpdateResult(lang)
    existing: dict[str, SegmentFile] = {}
    read: dict[str, Snapshot] = {}
    broken = set()
    for rel in project.segment_files(lang):
        try:
            segment_file, read[rel] = project.load_segments(rel, lang)
        except BitextError as exc:
            result.findings.extend(exc.findings)
            broken.add(rel)
            continue
        if segment_file is not None:
            existing[rel] = segment_file
    memory = TranslationMemory.of(
        (project.display(project.segment_path(rel, lang)), sf) for rel, sf in existing.items()
    )
    tags = [sf.target_language for sf in existing.values() if sf.target_language]
    tag = max(sorted(set(tags)), key=tags.count) if tags else lang
    files = SiteFiles.read(project)
    for found in files.unreadable.values():
        result.findings.extend(found)
    articles = sorted(set(files.texts) | set(files.unreadable))  # redirect stubs and TOCs: nothing to translate
    for rel in progress(articles):
        if rel in broken or rel in files.unreadable:
            continue
        try:
            done = update_article(
                files.texts[rel],
                existing.get(rel),
                path=rel,
                language=tag,
                source_language=project.source_language,
                memory=memory,
                english_path=project.display(project.english_path(rel)),
            )
        except BitextError as exc:
            result.findings.extend(exc.findings)
            continue
        if done.created and not done.segment_file.segments:
            continue  # nothing to translate: no segment file
        if done.modified and write:
            try:
                project.write(
                    project.segment_path(rel, lang),
                    xliff.dumps(done.segment_file, project.layout.source_dir),
                    expect=read.get(rel, ABSENT),
                )
            except BitextError as exc:
                result.findings.extend(exc.findings)
                continue
        result.articles.append(done)
    for rel in sorted(set(existing) - set(articles)):
        result.findings.append(project.missing_source(rel, lang, Severity.WARNING, "segment file kept as it is"))
    return result
