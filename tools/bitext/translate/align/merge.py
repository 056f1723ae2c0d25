"""One article's alignment turned into its segment file, merged with what is already there.

The English is segmented exactly as ``bitext update`` does it (an existing
segment file is first re-synced with the English, so its units and ids stay);
each unit then takes the translated sentences its bead holds:

* confident pairs are ``translated`` with the state-qualifier ``x-aligned``
  (``mt-suggestion`` when the translation declares itself machine
  translation), less sure ones ``needs-review-translation``; a note says which
  line of the translation they came from and how sure the pairing is;
* units with no counterpart stay ``needs-translation``;
* when one translated sentence covers several English units (2-1), it is
  cut where each part fits its unit (``cut.divide``) and every part is to
  review; when no cut fits, the unit that fits best takes it for review and
  the others are left untranslated with a note: a page never shows one
  translation twice;
* when the translation names another English than this one (``provenance``:
  the English changed since it was made), every target is kept but none is
  ``translated``: the confident ones are to review too, their note saying
  the English changed.  When the project's history holds the English it was
  made from, that English is segmented too, and only the units whose English
  is not in it (new or edited since) are held for review;
* where two units' targets touch, their boundary may move by a few words
  (``refine``: a fragment machine translation put behind a stop goes back
  to the unit it belongs to);
* a sentence of numbers only right after a target (a footnote mark or a
  version the splitter cut off after a stop) goes with that target when its
  English ends with that number and the target lacks it;
* what the splitter left out of every sentence right after a target (code,
  a link or a URL with no word of its own: "… 다음과 같습니다. `https://…`.")
  goes with that target when its English holds those anchors and the target
  lacks them; a heading's number the splitter cut off before a target goes
  with it when its English starts with that number; a translated sentence
  that is only a link's text keeps the whole link when the unit's English
  holds that link;
* translated sentences no English unit took go to the archive group (empty
  source, the text as target, for review), where a translator finds them;
  a sentence that is a whole image or link the English holds as it is,
  outside every unit, is no translation and is not aligned
  (``sentences.without_kept``);
* a unit that already has a translation keeps it (the aligned text is added
  as a proposal when it differs), unless ``force``, which replaces it and
  keeps the old one as a proposal.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from bitext.core import frontmatter, markup, segment, states
from bitext.core.errors import BitextError
from bitext.core.model import AltTrans, Note, Segment, SegmentFile
from bitext.core.states import Qualifier, State
from bitext.formats.sxs import LOCALISATION_KEYS
from bitext.translate.align.aligner import THRESHOLD, Bead, align, confidence, first_pass
from bitext.translate.align.anchors import features, strong
from bitext.translate.align.cut import Endings, divide
from bitext.translate.align.lexicon import Lexicon, english_words
from bitext.translate.align.lexicon import project as project_pairs
from bitext.translate.align.provenance import UNKNOWN, Origin, Provenance
from bitext.translate.align.refine import Target, refine
from bitext.translate.align.sentences import (
    Block,
    Piece,
    dashed,
    english_blocks,
    english_code,
    labelled,
    translation_blocks,
    widen,
    without_kept,
)
from bitext.translate.tm import TranslationMemory
from bitext.translate.update import update_article

AUTHOR = "bitext-align"
MOVES = ("1-1", "1-2", "2-1", "1-0", "0-1")


@dataclass
class LowConfidence:
    unit: str
    line: int  # of the English unit in the article
    confidence: float


@dataclass
class ArticleAlignment:
    """What aligning one article did."""

    path: str
    segment_file: SegmentFile
    created: bool = False
    modified: bool = False
    moves: Counter = field(default_factory=Counter)  # bead kinds: 1-1, 1-2, 2-1, 1-0, 0-1
    translated: int = 0  # units given a confident target
    review: int = 0  # units given a target to review
    untranslated: int = 0  # units with no counterpart in the translation
    unaligned: int = 0  # translated sentences no unit took (kept in the archive)
    kept: int = 0  # units whose existing translation was kept
    replaced: int = 0  # existing translations replaced (--force)
    low: list[LowConfidence] = field(default_factory=list)
    ratio: float = 1.0
    origin: Origin = UNKNOWN  # which English the translation was made from
    held: int = 0  # confident pairs to review because the translation was made from older English

    def as_json(self) -> dict:
        return {
            "path": self.path,
            "created": self.created,
            "modified": self.modified,
            "moves": {k: self.moves.get(k, 0) for k in MOVES},
            "translated": self.translated,
            "review": self.review,
            "untranslated": self.untranslated,
            "unaligned": self.unaligned,
            "kept": self.kept,
            "replaced": self.replaced,
            "held_for_review": self.held,
            "origin": self.origin.as_json(),
            "low_confidence": [dataclasses.asdict(x) for x in self.low],
        }

    def summary(self) -> str:
        moves = " ".join(f"{k} {self.moves.get(k, 0)}" for k in MOVES)
        parts = [f"{moves}", f"{self.translated} translated", f"{self.review} to review"]
        parts.append(f"{self.untranslated} without counterpart")
        if self.unaligned:
            parts.append(f"{self.unaligned} translated sentences kept in the archive")
        if self.kept:
            parts.append(f"{self.kept} existing translations kept")
        if self.replaced:
            parts.append(f"{self.replaced} replaced (--force)")
        if self.origin.provenance == Provenance.OLDER:
            history = ", the older English found in the project's history" if self.origin.then is not None else ""
            parts.append(f"made from older English ({self.origin.key}{history}): {self.held} confident pairs to review")
        elif self.origin.provenance == Provenance.CURRENT:
            parts.append(f"made from this English ({self.origin.key})")
        else:
            parts.append("no fingerprint of the English it was made from")
        return ("new segment file; " if self.created else "") + ", ".join(parts)


def _front_matter(translation: str, path: str) -> tuple[dict[str, tuple[str, int]], str, bool]:
    """Translated front-matter values by key (with their line), the localisation metadata, and MT or not."""
    fm = frontmatter.split(translation)
    if fm is None:
        return {}, "", False
    values = {}
    for block in fm.blocks:
        if block.key in frontmatter.TRANSLATABLE_KEYS:
            value = frontmatter.value(block, path)
            if isinstance(value, str) and value.strip():
                values[block.key] = (value, block.line)
    blocks = list(fm.blocks)
    metadata = ""
    while blocks and blocks[-1].key in LOCALISATION_KEYS:
        metadata = blocks.pop().text + metadata
    machine = any(
        b.key == "ms.translationtype" and b.text.split(":", 1)[1].strip().strip("'\"") == "MT" for b in fm.blocks
    )
    return values, metadata, machine


def _has_translation(seg: Segment) -> bool:
    return bool(seg.target) and seg.state not in states.PROPOSALS


def align_article(
    english: str,
    translation: str,
    old: SegmentFile | None,
    *,
    path: str,
    language: str,
    translation_path: str,
    force: bool = False,
    memory: TranslationMemory | None = None,
    lexicon: Lexicon | None = None,
    origin: Origin = UNKNOWN,
    endings: Endings | None = None,
) -> ArticleAlignment:
    """The segment file of ``path`` with ``translation`` aligned into it; ``old`` is not modified.

    ``memory`` is the project's translation memory: units are first matched
    against it exactly as ``bitext update`` does (exact and rendered-identical
    matches, fuzzy proposals), and the alignment then fills what it left.
    ``lexicon``: word pairs learned over the project (``taught`` by a
    sample of its articles); without it the article's own are learned.
    ``endings``: how the project's translated sentences end and start (the
    same sample's ``Endings``), added to the article's own counts.
    ``origin``: which English the translation was made from
    (``provenance.origin``); when ``older``, no target is ``translated``.
    """
    synced = update_article(english, old, path=path, language=language, english_path=path, memory=memory).segment_file
    sf = dataclasses.replace(
        synced,
        segments=[_copy(s) for s in synced.segments],
        archive=[_copy(s) for s in synced.archive],
    )
    result = ArticleAlignment(path, sf, created=old is None, origin=origin)
    older = origin.provenance == Provenance.OLDER
    then = _english_then(origin, path, language) if older else None
    values, metadata, machine = _front_matter(translation, translation_path)
    if old is None and metadata:
        sf.metadata = metadata
    qualifier = Qualifier.MT_SUGGESTION if machine else Qualifier.ALIGNED

    def give(unit: Segment, text: str, conf: float, where: str, why: str = "") -> None:
        """``why``: what makes the pair doubtful whatever its fit (it is then to review)."""
        sure = conf >= THRESHOLD and not why
        held = older and (then is None or unit.source not in then)
        state = State.TRANSLATED if sure and not held else State.NEEDS_REVIEW_TRANSLATION
        if not older:
            stale = ""
        elif then is None:
            stale = f"; {origin.note()}"
        else:
            edited = "new or edited since" if held else "unchanged"
            stale = f"; {origin.note()}, the project's history holds it: this unit's English is {edited}"
        note = Note(f"aligned from {where} (confidence {conf:.2f}{'; ' + why if why else ''}){stale}", AUTHOR)
        if _apply(
            unit, text, state, qualifier if state == State.TRANSLATED else Qualifier.ALIGNED, note, force, result
        ):
            if state == State.TRANSLATED:
                result.translated += 1
            elif sure:
                result.review += 1
                result.held += 1
            else:
                result.review += 1
                result.low.append(LowConfidence(unit.id, unit.line, round(conf, 2)))

    def left_out(unit: Segment, taker: Segment, where: str) -> None:
        result.untranslated += 1
        if not _has_translation(unit) and not any(n.author == AUTHOR for n in unit.notes):
            unit.notes.append(Note(f"translated together with unit {taker.id} ({where})", AUTHOR))

    english_side, blocks = _sides(english, sf, translation)
    beads, result.ratio, lexicon = align(english_side, blocks, lexicon)
    endings = Endings((p for b in blocks for p in b.pieces), *([endings] if endings else []))
    for unit in sf.segments:
        if unit.key is None:
            continue
        found = values.get(unit.key)
        if found is None:
            result.untranslated += 1
            continue
        value, line = found
        bead = Bead([Piece(unit.source, 0, 0, unit.line, features(unit.source), unit)], [])
        bead.translation = [Piece(value, 0, 0, line, features(value))]
        result.moves["1-1"] += 1
        give(unit, value, confidence(bead, result.ratio, 0.0), f"{translation_path}:{line}")

    archived = {s.target for s in sf.archive if not s.source}
    taken = {s.id for s in sf.segments} | {s.id for s in sf.archive}
    # What each unit takes, given once the boundaries between touching targets are refined.
    pending: list[tuple[Segment, Target, float, str, str]] = []
    loose: list[tuple[int, int]] = []  # sentences of numbers only that no unit took
    for bead in beads:
        result.moves[bead.kind] += 1
        units = [p.unit for p in bead.english if p.unit is not None]
        if not bead.translation:
            result.untranslated += len(units)
            continue
        first, last = bead.translation[0], bead.translation[-1]
        start, end = first.start, last.end
        if units:
            # A sentence that is a link's text at either end: the whole link, as for a single sentence.
            start = _widened(bead.english[0], translation, first.start, first.end)[0]
            end = _widened(bead.english[-1], translation, last.start, last.end)[1]
        text = translation[start:end]
        where = f"{translation_path}:{bead.translation[0].line}"
        if len(units) == 1:
            piece = bead.translation[0]
            own = piece.features if len(bead.translation) == 1 and (start, end) == (piece.start, piece.end) else None
            pending.append((units[0], Target(bead.english[0], start, end, own), bead.confidence, where, ""))
            continue
        if units:
            spans = divide(bead, result.ratio, translation, endings, lexicon)
            given = [(u, p, s) for u, p, s in zip(units, bead.english, spans, strict=True) if s is not None]
            why = "cut from a longer translated sentence" if len(given) > 1 else "a neighbour shares its sentence"
            for unit, piece, (a, b) in given:
                line = bead.translation[0].line
                part = Bead([piece], [Piece(translation[a:b], a, b, line, features(translation[a:b]))])
                pending.append((unit, Target(piece, a, b), confidence(part, result.ratio, 0.0), where, why))
            for unit, span in zip(units, spans, strict=True):
                if span is None:
                    left_out(unit, given[0][0], where)
            continue
        if all(p.bare for p in bead.translation):
            if pending and _trailing_number(pending[-1][1], start, end, translation):
                pending[-1][1].end = end
            else:
                loose.append((start, end))
            continue  # numbers only, where the English segmentation has no unit
        if pending and _kept_tail(pending[-1][1], start, end, translation):
            pending[-1][1].end = end
            continue
        result.unaligned += 1
        if text in archived:
            continue
        archived.add(text)
        unit_id = _archive_id(text, taken)
        taken.add(unit_id)
        sf.archive.append(
            Segment(
                unit_id,
                "",
                text,
                State.NEEDS_REVIEW_TRANSLATION,
                Qualifier.ALIGNED,
                notes=[
                    Note(f"translated text no English unit took: {translation_path}:{bead.translation[0].line}", AUTHOR)
                ],
            )
        )
    _take_leading_numbers([t for _, t, _, _, _ in pending], loose, translation)
    starts = {p.start for b in blocks for p in b.pieces}
    refine([t for _, t, _, _, _ in pending], translation, result.ratio, endings, lexicon, starts)
    _take_held_tails([t for _, t, _, _, _ in pending], translation, starts)
    for unit, t, conf, where, why in pending:
        give(unit, translation[t.start : t.end], conf, where, why)
    result.modified = sf != old
    return result


def _english_then(origin: Origin, path: str, language: str) -> set[str] | None:
    """The English units of the version the translation was made from, when the project's history holds it."""
    if origin.then is None:
        return None
    try:
        units = update_article(origin.then, None, path=path, language=language).segment_file.segments
    except BitextError:
        return None  # an old English bitext cannot segment: nothing known of it
    return {s.source for s in units}


@dataclass
class Taught:
    """What one article teaches a project: the words of the pairs its first pass is sure of (for the project's
    ``Lexicon``) and how its translated sentences end and start (for the project's ``Endings``)."""

    pairs: list[tuple[frozenset, frozenset]]
    endings: Endings


def project_learning(sample: list[Taught]) -> tuple[Lexicon | None, Endings]:
    """The project's word pairs (None when too few) and sentence ends, from what its sample's articles taught."""
    table = project_pairs(pair for one in sample for pair in one.pairs) or None
    return table, Endings((), *(one.endings for one in sample))


def taught(english: str, translation: str, *, path: str, language: str) -> Taught:
    """What aligning an article against its translation teaches the project (``Taught``)."""
    units = update_article(english, None, path=path, language=language, english_path=path).segment_file
    english_side, blocks = _sides(english, units, translation)
    return Taught(first_pass(english_side, blocks).sure(), Endings(p for b in blocks for p in b.pieces))


def _sides(english: str, units: SegmentFile, translation: str) -> tuple[list[Block], list[Block]]:
    """The blocks of both sides as the alignment reads them: the English units', and the translation's without
    what the English holds as it is (``without_kept``)."""
    english_side = english_blocks(english, units.body_segments())
    rows = any(b.row for b in english_side)
    translated = translation_blocks(translation, english_code(english), rows, labelled(english_side), dashed(english))
    return english_side, without_kept(english, english_side, translation, translated)


_NUMBER = re.compile(r"\d+")


def _right_after(target: Target, start: int, text: str) -> bool:
    """True when ``start`` follows ``target`` on its line with only blanks between."""
    between = text[target.end : start]
    return target.end <= start and not between.strip() and "\n" not in between


def _trailing_number(target: Target, start: int, end: int, text: str) -> bool:
    """True when ``text[start:end]`` (numbers only, on the line of ``target``, right after it) is the number
    the target's English ends with and the target lacks: a footnote mark or a version the splitter cut off
    ("… 필드입니다. <sup>1</sup>")."""
    if not _right_after(target, start, text):
        return False
    english = _NUMBER.findall(target.english.text)
    number = _NUMBER.findall(text[start:end])
    if not english or number != english[-1:]:
        return False
    return _NUMBER.findall(text[target.start : target.end]).count(number[0]) < english.count(number[0])


def _kept_tail(target: Target, start: int, end: int, text: str) -> bool:
    """True when ``text[start:end]``, right after ``target`` on its line, is only words kept in Latin letters
    that the target's English holds: the end of a name or term the splitter cut off behind a stop
    ("속성: value1.. value2", "Edm. Int32")."""
    if not _right_after(target, start, text):
        return False
    tail = text[start:end]
    words = english_words(tail)
    return tail.isascii() and bool(words) and words <= english_words(target.english.text)


def _take_leading_numbers(targets: list[Target], loose: list[tuple[int, int]], text: str) -> None:
    """Each target (in place) with the sentence of numbers only right before it on its line when its English
    starts with those numbers and the target lacks them (a heading's "1." the splitter cut off)."""
    by_start = {t.start: t for t in targets}
    for start, end in loose:
        after = end
        while text[after : after + 1] in (" ", "\t"):
            after += 1
        target = by_start.get(after)
        if target is None:
            continue
        numbers = _NUMBER.findall(text[start:end])
        english = _NUMBER.findall(target.english.text)
        own = _NUMBER.findall(text[target.start : target.end])
        if numbers and english[: len(numbers)] == numbers and own[: len(numbers)] != numbers:
            target.start = start


def _take_held_tails(targets: list[Target], text: str, starts: set[int]) -> None:
    """Each target (in place) with what follows it on its line, up to the next sentence, when that is text the
    splitter left out of every sentence (code, a link or a URL, no word of its own: "… 다음과 같습니다.
    `https://…`.") whose anchors the unit's English holds and the target lacks."""
    bounds = sorted(starts | {t.start for t in targets})
    for target in targets:
        line_end = text.find("\n", target.end)
        limit = len(text) if line_end == -1 else line_end
        after = bisect_right(bounds, target.end - 1)
        if after < len(bounds):
            limit = min(limit, bounds[after])
        if not text[target.end : limit].strip():
            continue
        rest = _up_to_break(text[target.end : limit]).rstrip()
        if not rest.strip() or segment.has_letters(rest) or _inside_link(text, target.end):
            continue
        extra = strong(features(rest).anchors)
        wanted = target.english.features.anchors
        have = features(text[target.start : target.end]).anchors
        if extra and all(wanted[key] >= have[key] + n for key, n in extra.items()):
            target.end += len(rest)


def _up_to_break(rest: str) -> str:
    """``rest`` up to its first tag or table pipe outside code (a ``<br/>`` or ``<p>`` ends a sentence, a pipe a
    cell)."""
    code = markup.code_spans(rest)
    ends = [tag.start for tag in markup.html_tags(rest, code)]
    masked = markup.blank(rest, code)
    ends += [k for k, c in enumerate(masked) if c == "|" and not markup.escaped(masked, k)]
    return rest[: min(ends)] if ends else rest


def _inside_link(text: str, at: int) -> bool:
    """True when ``at`` falls inside a link or image of its line (a target that is a link's text ends there)."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    return any(link.start < at - line_start < link.end for link in markup.links(line))


def _widened(english: Piece, text: str, start: int, end: int) -> tuple[int, int]:
    """The whole link whose text is ``text[start:end]`` when the unit's English holds that link (its target, or
    the unit is one link), else the span itself: a translation that is only a link's text ("See [x](y)." →
    "[x'](y)") keeps the link."""
    a, b = widen(text, start, end)
    if (a, b) == (start, end) or _whole_link(english.text):
        return a, b
    added = strong(features(text[a:b]).anchors) - strong(features(text[start:end]).anchors)
    wanted = features(english.text).anchors  # its own text: a unit that is a link's text has the target too
    return (a, b) if added and all(wanted[k] >= n for k, n in added.items()) else (start, end)


def _whole_link(source: str) -> bool:
    """True when the English unit is one link or image, markup and target included."""
    text = source.strip()
    found = markup.links(text)
    return bool(found) and found[0].start == 0 and found[0].end == len(text)


def _copy(seg: Segment) -> Segment:
    return dataclasses.replace(seg, notes=list(seg.notes), alternatives=list(seg.alternatives))


def _archive_id(text: str, taken: set[str]) -> str:
    base = "a" + hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:10]
    unit_id, n = base, 2
    while unit_id in taken:
        unit_id, n = f"{base}-{n}", n + 1
    return unit_id


def _apply(
    unit: Segment, text: str, state: str, qualifier: str, note: Note, force: bool, result: ArticleAlignment
) -> bool:
    """Give ``unit`` the aligned ``text`` unless a translator's translation is there (``force`` replaces it)."""
    if _has_translation(unit):
        if unit.target == text:
            result.kept += 1
            return False
        if not force:
            result.kept += 1
            if not any(a.target == text and a.origin == AUTHOR for a in unit.alternatives):
                unit.alternatives.append(AltTrans(unit.source, text, None, AUTHOR))
            return False
        unit.alternatives.insert(0, AltTrans(unit.source, unit.target or "", None, "previous"))
        result.replaced += 1
    unit.target, unit.state, unit.state_qualifier = text, state, qualifier
    unit.notes = [n for n in unit.notes if n.author != AUTHOR] + [note]
    return True
