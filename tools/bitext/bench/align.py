"""Alignment quality, speed and memory on the corpus (issue 13): ``python -m bitext.bench align``.

Three sets, all scored on targets as ``bitext align`` writes them:

* **real**: ``en/`` (September English, segmented as ``bitext update`` does)
  aligned against ``ko/`` (Microsoft's Korean).  Gold-known units are those whose English equals the English of
  an sxs pair of the article; their correct target is that pair's Korean.
  English and targets are compared as a reader sees them
  (``rendered.comparable``: ``ko/`` spells some escapes differently from the
  sxs spans it was made from).
  Units whose English is no sxs pair's English nor part of one (new or edited
  since the translation) should get no confident target.  Units that are one
  sentence of a multi-sentence sxs pair are counted, not scored.
  The confident new/edited ones are broken down: the sxs English spells
  product names as the localisation pipeline's variables ("Office365",
  "O365ComplianceCenter", "Microsoft exExchangeOnline") where ``en/`` has the
  names, and some sxs Korean already translates the newer English, so the
  bench also counts the units whose English equals an sxs English but for
  spaces, and those whose target is an sxs pair's Korean whose names,
  numbers and link targets fit the unit's English better than that pair's
  own English.
  Every ``ko/`` file names the English it was made from
  (``ms.openlocfilehash``, see ``provenance``): the bench counts those that
  name exactly the ``en/`` file they are aligned to, and splits the
  new/edited figures by provenance.  Where the Korean was made from this
  very English, its "new/edited" units are spellings the sxs pipeline
  differs in (product-name variables, alt texts sxs does not segment), not
  edits.
* **stale**: ``en/`` (September) aligned against the Korean Microsoft
  published in March (``sxs-2019-03/``: the Korean of each bilingual file,
  as ``sxs.translation`` gives it, front matter and fingerprint kept), made
  from the March English.  Gold-known units are the ``en/`` units whose
  English equals a March sxs English (their target: that pair's Korean);
  new/edited are the rest.  Scored as the real set is.
* **synthetic**: the English and units of each sxs file, its Korean with 5 %
  of the pairs' translations deleted and 3 % of adjacent pairs merged into one
  sentence (fixed seed).  A deleted pair's correct answer is no target; a
  merged pair is found when the first unit holds the merged sentence and the
  second none, or when the first holds its own part and the second the rest
  (scored apart).

All sets are aligned as ``bitext align`` aligns a project: word pairs and
sentence ends learned first over a sample of the set's articles (its CPU time counted in
the aligner's), then every article with them.

Precision = correct targets / units given a target; recall = correct
targets / units with a gold target.  NLTK's Gale–Church aligner runs on the
same units and the same translated sentences (whole article, its
parameters with the article's own character ratio, as a user would set it
for a language pair), its targets scored the same way.  Time and peak memory are those
of ``bitext align`` run on the whole corpus as a command.
"""

from __future__ import annotations

import collections
import random
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bitext.bench import bitext, measure
from bitext.core import states
from bitext.core.model import Segment, SegmentFile
from bitext.core.rendered import comparable
from bitext.core.states import State
from bitext.formats import sxs
from bitext.translate.align.cut import Endings
from bitext.translate.align.lexicon import Lexicon
from bitext.translate.align.merge import MOVES, align_article, project_learning, taught
from bitext.translate.align.provenance import Origin, Provenance, origin
from bitext.translate.align.run import PROJECT_FROM, project_sample
from bitext.translate.align.sentences import translation_blocks

SEED = 13
DELETE = 0.05
MERGE = 0.03
_STOP = re.compile(r"[.!?\u3002\uff01\uff1f]+\s*$")
# What a translation keeps of its English: link targets (placeholders), Latin words, numbers.
_KEPT = re.compile(r"\u27e6[^\u27e7]*\u27e7|[A-Za-z][A-Za-z0-9.-]*[A-Za-z0-9]|\d+")


@dataclass
class Score:
    gold: int = 0  # units with a gold target
    given: int = 0  # scored units given a target
    correct: int = 0
    confident_given: int = 0
    confident_correct: int = 0
    fresh: int = 0  # new or edited English units
    fresh_confident: int = 0
    fresh_spacing: int = 0  # confident, English equal to an sxs English but for spaces
    fresh_follows: int = 0  # confident, target an sxs Korean that fits this English better than its own
    partial: int = 0  # units that are a sentence of a multi-sentence pair (not scored)
    merged: int = 0
    merged_found: int = 0
    skipped: int = 0  # articles too large for NLTK's Gale–Church
    origins: collections.Counter = field(default_factory=collections.Counter)  # articles per provenance
    fresh_by: collections.Counter = field(default_factory=collections.Counter)  # new/edited units per provenance
    fresh_confident_by: collections.Counter = field(default_factory=collections.Counter)
    moves: collections.Counter = field(default_factory=collections.Counter)

    def line(self, name: str) -> str:
        p = self.correct / self.given if self.given else 0.0
        r = self.correct / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        cp = self.confident_correct / self.confident_given if self.confident_given else 0.0
        cr = self.confident_correct / self.gold if self.gold else 0.0
        cf = 2 * cp * cr / (cp + cr) if cp + cr else 0.0
        return (
            f"  {name:12} P {p:.4f}  R {r:.4f}  F1 {f:.4f}   (confident only: P {cp:.4f} R {cr:.4f} F1 {cf:.4f}; "
            f"{self.correct:,}/{self.gold:,} gold targets found, {self.given:,} given)"
        )


def _score_unit(score: Score, target: str | None, confident: bool, gold: set[str]) -> None:
    if target:
        score.given += 1
        ok = comparable(target) in gold
        score.correct += ok
        if confident:
            score.confident_given += 1
            score.confident_correct += ok


def _target(seg: Segment) -> str | None:
    return seg.target if seg.target and seg.state not in states.PROPOSALS else None


# NLTK's Gale–Church fills the whole units × sentences table in Python dicts: above this
# many cells an article takes minutes and gigabytes, so it is compared on the others.
GC_CELLS = 1_000_000


def _gale_church(sf: SegmentFile, translation: str) -> dict[str, str] | None:
    """Unit id → target from NLTK's Gale–Church over the whole article (body units, translated sentences).

    None when the article is too large for it (``GC_CELLS``).
    """
    from nltk.translate.gale_church import LanguageIndependent, align_blocks

    units = [s for s in sf.body_segments() if s.source.strip()]
    pieces = [p for b in translation_blocks(translation) for p in b.pieces]
    if len(units) * len(pieces) > GC_CELLS:
        return None
    if not units or not pieces:
        return {}
    english, translated = [max(len(u.source), 1) for u in units], [max(len(p.text), 1) for p in pieces]

    class Params(LanguageIndependent):
        # What a user sets for a language pair: translated characters per English one (here the article's own).
        AVERAGE_CHARACTERS = sum(translated) / sum(english)

    links = align_blocks(english, translated, Params)
    by_unit: dict[int, list[int]] = collections.defaultdict(list)
    for i, j in links:
        by_unit[i].append(j)
    out = {}
    for i, js in by_unit.items():
        out[units[i].id] = translation[pieces[min(js)].start : pieces[max(js)].end]
    return out


def _squash(text: str) -> str:
    return re.sub(r"[\s_]+", "", text).casefold()


def _fit(translation: str, english: str) -> int:
    """Kept words, numbers and link targets the translation shares with ``english``, less those it lacks."""
    kept = collections.Counter(t.casefold() for t in _KEPT.findall(translation))
    wanted = collections.Counter(t.casefold() for t in _KEPT.findall(english))
    return sum((kept & wanted).values()) - sum((wanted - kept).values())


def _follows(target: str, english: str, pairs: list[tuple[str, str]]) -> bool:
    """True when ``target`` is an sxs pair's Korean that fits ``english`` better than that pair's own English."""
    olds = [e for e, k in pairs if k == target]
    return bool(olds) and _fit(target, english) > max(_fit(target, e) for e in olds)


def learned(articles: dict[str, tuple[str, str]]) -> tuple[Lexicon | None, Endings | None, float]:
    """The project's word pairs and sentence ends as ``bitext align`` learns them (rel → English, translation),
    and the CPU it took."""
    if len(articles) < PROJECT_FROM:
        return None, None, 0.0
    start = time.process_time()
    sample = [taught(*articles[rel], path=rel, language="ko-KR") for rel in project_sample(list(articles))]
    table, endings = project_learning(sample)
    return table, endings, time.process_time() - start


@dataclass
class Paired:
    """One article of a set scored against sxs pairs: ``en/``'s English, the translation aligned to it, which
    English the translation names (``provenance``) and the bilingual file whose pairs are the gold."""

    english: str
    translation: str
    origin: Origin
    bilingual: Path


def _paired(corpus: Path, gold: str, translation_of: Callable[[str, Path], str | None]) -> dict[str, Paired]:
    """The articles of ``en/`` that have a bilingual file in ``gold`` and a translation (``translation_of``:
    rel, bilingual file → the translated Markdown, None when there is none)."""
    articles = {}
    for path in sorted((corpus / "en").rglob("*.md")):
        rel = path.relative_to(corpus / "en").as_posix()
        bilingual = corpus / gold / rel
        if path.name == "TOC.md" or not bilingual.exists():
            continue
        translation = translation_of(rel, bilingual)
        if translation is not None:
            made_from = origin(translation, path.read_bytes())
            articles[rel] = Paired(path.read_text(encoding="utf-8-sig"), translation, made_from, bilingual)
    return articles


def real_set(corpus: Path) -> tuple[Score, Score, Score, float]:
    def published(rel: str, _bilingual: Path) -> str | None:
        korean = corpus / "ko" / rel
        return korean.read_text(encoding="utf-8-sig") if korean.exists() else None

    return scored_set(_paired(corpus, "sxs", published))


def stale_set(corpus: Path, march: str = "sxs-2019-03") -> tuple[Score, Score, Score, float]:
    """``en/`` (September) against the Korean Microsoft published in March, made from the March English:
    the Korean of each March sxs file (its front matter, fingerprint included, as it is), gold from its pairs."""

    def published(rel: str, bilingual: Path) -> str | None:
        text = bilingual.read_text(encoding="utf-8")
        return sxs.translation(text, rel) if sxs.has_pairs(text) else None

    return scored_set(_paired(corpus, march, published))


def scored_set(articles: dict[str, Paired]) -> tuple[Score, Score, Score, float]:
    """Every article aligned as ``bitext align`` aligns it and scored on the units whose English is an sxs
    pair's English: (bitext, bitext on the articles Gale–Church can take, Gale–Church, aligner CPU seconds)."""
    ours, ours_sub, gc = Score(), Score(), Score()
    table, endings, seconds = learned({rel: (a.english, a.translation) for rel, a in articles.items()})
    for rel, article in articles.items():
        english, translation, made_from = article.english, article.translation, article.origin
        gold_sf = sxs.parse(article.bilingual.read_text(encoding="utf-8"), rel).segment_file
        ours.origins[made_from.provenance] += 1
        gold: dict[str, set[str]] = collections.defaultdict(set)
        multi = []
        pairs = []
        for s in gold_sf.body_segments():
            if s.source.strip():
                gold[comparable(s.source)].add(comparable(s.target or ""))
                multi.append(comparable(s.source))
                pairs.append((comparable(s.source), comparable(s.target or "")))
        spaced = {_squash(e) for e in gold}
        start = time.process_time()
        done = align_article(
            english,
            translation,
            None,
            path=rel,
            language="ko-KR",
            translation_path=rel,
            lexicon=table,
            endings=endings,
            origin=made_from,
        )
        seconds += time.process_time() - start
        ours.moves.update(done.moves)
        theirs = _gale_church(done.segment_file, translation)
        compared = [] if theirs is None else [ours_sub]
        for seg in done.segment_file.body_segments():
            key = comparable(seg.source)
            target = _target(seg)
            if key in gold:
                scored = [(s, target, seg.state == State.TRANSLATED) for s in (ours, *compared)]
                if theirs is not None:
                    scored.append((gc, theirs.get(seg.id), True))
                for score, t, confident in scored:
                    score.gold += 1
                    _score_unit(score, t, confident, gold[key])
            elif any(key in m for m in multi):
                ours.partial += 1
            else:
                confident = seg.state == State.TRANSLATED
                spacing = confident and _squash(key) in spaced
                follows = confident and not spacing and _follows(comparable(seg.target or ""), key, pairs)
                for score in (ours, *compared):
                    score.fresh += 1
                    score.fresh_confident += confident
                    score.fresh_spacing += spacing
                    score.fresh_follows += follows
                ours.fresh_by[made_from.provenance] += 1
                ours.fresh_confident_by[made_from.provenance] += confident
                if theirs is not None:
                    gc.fresh += 1
                    gc.fresh_confident += seg.id in theirs
        if theirs is None:
            gc.skipped += 1
    return ours, ours_sub, gc, seconds


def _reshapes(text: str, start: int, end: int) -> bool:
    """True when deleting ``text[start:end]`` would change the Markdown around it, not just drop a sentence.

    A span that opens an indented line with more after it (a table's first
    cell inside a list item) would leave the rest of the line indented as
    code: the table would be gone, which no translator's omission does.
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    before = text[line_start:start]
    after = text[end : len(text) if line_end == -1 else line_end]
    return before != "" and not before.strip() and after.strip() != ""


def synthetic_article(
    text: str, path: str, rng: random.Random
) -> tuple[str, dict[str, str | None], list[tuple[str, str, str]]]:
    """The Korean of an sxs file with pairs deleted and merged: (text, gold target by unit id, merges)."""
    matches = sxs.pairs(text, path)
    fate: dict[int, str] = {}
    for k, m in enumerate(matches):
        roll = rng.random()
        if roll < DELETE:
            if not _reshapes(text, m.start, m.end):
                fate[k] = "delete"
        elif roll < DELETE + MERGE and k + 1 < len(matches) and k - 1 not in fate:
            between = text[m.end : matches[k + 1].start]
            if between.strip() == "" and "\n" not in between and _STOP.search(m.target):
                fate[k] = "merge"
    gold: dict[str, str | None] = {}
    merges = []
    out, last = [], 0
    for k, m in enumerate(matches):
        out.append(text[last : m.start])
        target = m.target
        what = fate.get(k)
        if what == "delete":
            gold[m.id] = None
            target = ""
        elif what == "merge":
            # One sentence: the first loses its stop, the second follows after a comma.
            target = _STOP.sub("", target) + ","
            nxt = matches[k + 1]
            merges.append((m.id, nxt.id, target + " " + nxt.target))
        else:
            gold[m.id] = target
        out.append(target)
        last = m.end
    out.append(text[last:])
    for first, second, _ in merges:
        gold.pop(first, None)
        gold.pop(second, None)
    return "".join(out), gold, merges


def synthetic_set(corpus: Path) -> tuple[Score, Score, Score, float]:
    rng = random.Random(SEED)
    ours, ours_sub, gc = Score(), Score(), Score()
    made = {}
    for path in sorted((corpus / "sxs").rglob("*.md")):
        rel = path.relative_to(corpus / "sxs").as_posix()
        text = path.read_text(encoding="utf-8")
        if not sxs.has_pairs(text):
            continue
        made[rel] = (sxs.parse(text, rel), *synthetic_article(text, rel, rng))
    table, endings, seconds = learned(
        {rel: (article.english, translation) for rel, (article, translation, _, _) in made.items()}
    )
    for rel, (article, translation, gold, merges) in made.items():
        empty = SegmentFile(
            rel,
            article.segment_file.target_language,
            skeleton_hash=article.segment_file.skeleton_hash,
            segments=[
                Segment(s.id, s.source, "", State.NEEDS_TRANSLATION, line=s.line, column=s.column, key=s.key)
                for s in article.segment_file.segments
            ],
        )
        start = time.process_time()
        done = align_article(
            article.english,
            translation,
            empty,
            path=rel,
            language="ko-KR",
            translation_path=rel,
            lexicon=table,
            endings=endings,
        )
        seconds += time.process_time() - start
        ours.moves.update(done.moves)
        theirs = _gale_church(done.segment_file, translation)
        compared = [] if theirs is None else [ours_sub]
        if theirs is None:
            gc.skipped += 1
        units = {s.id: s for s in done.segment_file.body_segments()}
        for seg in done.segment_file.body_segments():
            if seg.id not in gold or not seg.source.strip():
                continue
            want = gold[seg.id]
            expected = {comparable(want)} if want else set()
            scored = [(s, _target(seg), seg.state == State.TRANSLATED) for s in (ours, *compared)]
            if theirs is not None:
                scored.append((gc, theirs.get(seg.id), True))
            for score, t, confident in scored:
                score.gold += want is not None
                _score_unit(score, t, confident, expected)
        for first, second, joined in merges:
            if first in units and second in units:
                one, two = _target(units[first]) or "", _target(units[second]) or ""
                # Found whole (the first unit holds it) or cut at the join (each unit its own part).
                found = (comparable(one) == comparable(joined) and not two) or (
                    bool(one and two) and comparable(f"{one} {two}") == comparable(joined)
                )
                for score in (ours, *compared):
                    score.merged += 1
                    score.merged_found += found
                if theirs is not None:
                    gc.merged += 1
                    gc.merged_found += theirs.get(first) == theirs.get(second) == joined
    return ours, ours_sub, gc, seconds


def whole_corpus(corpus: Path) -> str:
    """``bitext align`` on a project holding ``en/`` as its English: time and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        docs = root / "docs" / "en"
        for path in (corpus / "en").rglob("*.md"):
            target = docs / path.relative_to(corpus / "en")
            target.parent.mkdir(parents=True, exist_ok=True)
            # Two en/ files start with a byte order mark, which bitext refuses in English articles.
            target.write_text(path.read_text(encoding="utf-8-sig"), encoding="utf-8")
        run = measure(bitext("align", "--lang", "ko", "--from", str(corpus / "ko"), "--root", str(root)))
        written = len(list((root / "locales" / "ko").rglob("*.xlf")))
        last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr.strip()[-300:]
        return (
            f"bitext align, whole corpus ({written} segment files written): {run.seconds:.2f} s wall, "
            f"{run.cpu_seconds:.2f} s CPU, peak {run.max_rss_mb:.0f} MB, exit {run.returncode}\n    {last}"
        )


def _report(name: str, ours: Score, ours_sub: Score, gc: Score, seconds: float, wall: float) -> None:
    print(f"{name} set (aligner CPU time {seconds:.2f} s; the whole set, Gale-Church included, {wall:.1f} s wall):")
    if ours.origins:
        print(
            f"  translations naming exactly the en/ file they are aligned to: "
            f"{ours.origins[Provenance.CURRENT]}/{ours.origins.total()}; naming another English: "
            f"{ours.origins[Provenance.OLDER]}; no fingerprint: {ours.origins[Provenance.UNKNOWN]}"
        )
    print(ours.line("bitext"))
    print(f"  on the articles Gale-Church can take ({gc.skipped} larger than {GC_CELLS:,} cells left out):")
    print(ours_sub.line("bitext"))
    print(gc.line("Gale-Church"))
    moves = "  ".join(f"{k} {ours.moves.get(k, 0):,}" for k in MOVES)
    print(f"  alignment types (bitext beads): {moves}")
    for label, score in (("bitext", ours), ("bitext, same articles", ours_sub), ("Gale-Church (every target)", gc)):
        if score.fresh:
            print(
                f"  new/edited English units with a confident target, {label}: "
                f"{score.fresh_confident:,}/{score.fresh:,} = {score.fresh_confident / score.fresh:.2%}"
            )
            if score.fresh_spacing or score.fresh_follows:
                rest = score.fresh_confident - score.fresh_spacing - score.fresh_follows
                print(
                    f"    of which English equal to an sxs English but for spaces: {score.fresh_spacing:,}; "
                    f"target an sxs Korean that fits this English better than its own: {score.fresh_follows:,}; "
                    f"the rest: {rest:,}/{score.fresh:,} = {rest / score.fresh:.2%}"
                )
        if score.fresh_by:
            print(
                "    by provenance of the translation: "
                + "; ".join(
                    f"{p} {score.fresh_confident_by[p]:,}/{score.fresh_by[p]:,} = "
                    f"{score.fresh_confident_by[p] / score.fresh_by[p]:.2%}"
                    for p in Provenance
                    if score.fresh_by[p]
                )
            )
        if score.merged:
            print(f"  merged pairs found, {label}: {score.merged_found}/{score.merged}")
    if ours.partial:
        print(f"  units that are one sentence of a multi-sentence sxs pair (not scored): {ours.partial:,}")


def run(corpus: Path) -> int:
    # First, while this process is small: the command's peak memory is measured as its process's
    # ru_maxrss, and Linux counts in it the size of the process that forked it (kept at exec).
    whole = whole_corpus(corpus)
    for name, make in (
        ("real (en/ vs ko/, gold from sxs/)", real_set),
        (f"synthetic (sxs/ pairs, {DELETE:.0%} deleted, {MERGE:.0%} merged, seed {SEED})", synthetic_set),
        ("stale (en/ vs the Korean of sxs-2019-03/, gold from its pairs)", stale_set),
    ):
        start = time.perf_counter()
        figures = make(corpus)
        _report(name, *figures, time.perf_counter() - start)
    print(whole)
    return 0
