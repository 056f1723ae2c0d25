"""Segmentation agreement with Microsoft and ``bitext update`` on the corpus (issue 6).

* Agreement: every English article of ``en/`` that ``sxs/`` also has is
  segmented; Microsoft's English segments are the sources of the sxs spans.
  Both sides are whitespace-normalized and compared as multisets per
  article; the figure is the share of Microsoft's segments we reproduce.
* Six months of edits: ``sxs-2019-03/`` is imported, its English replaced by
  ``en/`` (September), and ``bitext update`` run.  Every September unit whose
  exact English (whitespace aside) was the source of a translated March unit
  must hold one of March's translations of it, and every March unit's
  translation must still be in its segment file under its unit id: as the
  target, an ``<alt-trans>`` proposal or an archived unit.
"""

from __future__ import annotations

import collections
import resource
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bitext.bench import bitext, measure
from bitext.core import segment
from bitext.formats import sxs, xliff


def agreement(corpus: Path) -> tuple[int, int]:
    """(Microsoft segments reproduced, Microsoft segments) over the articles of ``en/`` and ``sxs/``."""
    total = matched = 0
    for path in sorted((corpus / "en").rglob("*.md")):
        rel = path.relative_to(corpus / "en").as_posix()
        bilingual = corpus / "sxs" / rel
        if not bilingual.exists():
            continue
        article = sxs.parse(bilingual.read_text(encoding="utf-8"), rel)
        gold = collections.Counter(
            segment.normalize(s.source) for s in article.segment_file.body_segments() if s.source.strip()
        )
        # Two en/ files start with a byte order mark: read past it, as an editor would.
        ours = collections.Counter(
            segment.normalize(s.text) for s in segment.sentences(path.read_text(encoding="utf-8-sig")) if s.key is None
        )
        total += sum(gold.values())
        matched += sum((gold & ours).values())
    return matched, total


def replace_english(corpus: Path, root: Path) -> int:
    """Put the September English (``en/``) in place of the project's articles."""
    docs = root / "docs" / "en"
    for old in docs.rglob("*.md"):
        old.unlink()
    count = 0
    for path in (corpus / "en").rglob("*.md"):
        if path.name == "TOC.md":
            continue
        target = docs / path.relative_to(corpus / "en")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        count += 1
    return count


@dataclass
class CarryOver:
    """How March's translations fared in the updated project."""

    eligible: int = 0  # September units whose exact English had a March translation
    carried: int = 0  # ... that hold one of March's translations of it
    march: int = 0  # March units with a translation
    lost: list[tuple[str, str]] = field(default_factory=list)  # (segment file, unit id) whose translation is gone
    proposals: int = 0  # units with a proposal from the update (edited English)
    states: collections.Counter = field(default_factory=collections.Counter)
    units: int = 0  # September units
    matched: int = 0  # ... with a published translation (exact) or a proposal of at least 75 %
    fresh: int = 0  # September units whose English no March unit had (whitespace aside)
    fresh_exact: int = 0  # ... given a published translation (rendered-identical or memory match)
    fresh_proposal: int = 0  # ... given only a proposal of at least 75 %


def carry_over(before: Path, after: Path) -> CarryOver:
    """Compare ``locales/`` folders before and after the update.

    A March unit's translation is kept when the same segment file still has
    it under the same unit id: as the target, as an ``<alt-trans>`` proposal
    (its English was edited) or in the archive (its English is gone).  Update
    never moves a translation to another id: a sentence that comes back is
    matched to its own old unit (moved or archived) before the translation
    memory is asked, and a memory-filled unit is a new id beside the old one,
    which stays in the file's archive.
    """
    result = CarryOver()
    march: dict[str, set[str]] = collections.defaultdict(set)
    march_units: dict[tuple[str, str], str] = {}
    for path in before.rglob("*.xlf"):
        rel = path.relative_to(before).as_posix()
        for seg in xliff.load(path).segments:
            if seg.target:
                march_units[(rel, seg.id)] = seg.target
                if seg.source.strip():
                    march[segment.normalize(seg.source)].add(seg.target)
    present: set[tuple[str, str, str | None]] = set()  # (segment file, unit id, translation)
    for path in after.rglob("*.xlf"):
        rel = path.relative_to(after).as_posix()
        sf = xliff.load(path)
        for seg in (*sf.segments, *sf.archive):
            present.add((rel, seg.id, seg.target))
            present.update((rel, seg.id, alt.target) for alt in seg.alternatives)
        for seg in sf.segments:
            result.states[(seg.state, seg.state_qualifier)] += 1
            result.proposals += any(alt.origin == "bitext-update" for alt in seg.alternatives)
            exact = seg.usable_target() is not None
            proposal = any((alt.match_quality or 0) >= 75 for alt in seg.alternatives)
            result.units += 1
            result.matched += exact or proposal
            if seg.source.strip() and segment.normalize(seg.source) not in march:
                result.fresh += 1
                result.fresh_exact += exact
                result.fresh_proposal += proposal and not exact
            known = march.get(segment.normalize(seg.source))
            if known:
                result.eligible += 1
                result.carried += seg.target in known
    result.march = len(march_units)
    result.lost = sorted(key for key, target in march_units.items() if (*key, target) not in present)
    return result


def _timed(argv: list[str]):
    """``measure`` plus the CPU time the command used: wall time is pessimistic on a shared machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = measure(argv)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return result, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def run(corpus: Path) -> int:
    start = time.process_time()
    wall = time.perf_counter()
    matched, total = agreement(corpus)
    print(
        f"segmentation agreement with Microsoft: {matched:,}/{total:,} = {matched / total:.2%} of sxs/ English "
        f"segments reproduced from en/  ({time.perf_counter() - wall:.1f} s, "
        f"{time.process_time() - start:.1f} s CPU)"
    )
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        measure(bitext("import-sxs", str(corpus / "sxs"), "--root", str(root)))
        run_, cpu = _timed(bitext("update", "--root", str(root)))
        failed |= run_.returncode
        print(
            f"update, imported corpus unchanged: {run_.seconds:6.2f} s ({cpu:.2f} s CPU)  "
            f"peak {run_.max_rss_mb:4.0f} MB  exit {run_.returncode} | {run_.stdout.strip().splitlines()[-1]}"
        )

        root = Path(tmp) / "march"
        measure(bitext("import-sxs", str(corpus / "sxs-2019-03"), "--root", str(root)))
        before = Path(tmp) / "march-locales"
        shutil.copytree(root / "locales", before)
        articles = replace_english(corpus, root)
        run_, cpu = _timed(bitext("update", "--root", str(root)))
        print(
            f"update, March 2019 + September English ({articles} articles): {run_.seconds:6.2f} s "
            f"({cpu:.2f} s CPU)  peak {run_.max_rss_mb:4.0f} MB  exit {run_.returncode} "
            f"| {run_.stdout.strip().splitlines()[-1]}"
        )
        for line in run_.stderr.splitlines():
            if "missing-source" not in line:
                print(f"    reported: {line}")
        orphans = sum("missing-source" in line for line in run_.stderr.splitlines())
        print(f"    reported: {orphans} segment files without a September article (kept as they are)")
        result = carry_over(before, root / "locales")
        print(
            f"September units whose exact English had a March translation: {result.carried:,}/{result.eligible:,} "
            f"carry it ({result.carried / result.eligible:.2%})"
        )
        print(
            f"March translations kept in their own unit (target, proposal or archive): "
            f"{result.march - len(result.lost):,}/{result.march:,}; lost: {len(result.lost)}"
        )
        for rel, unit in result.lost[:10]:
            print(f"    lost: {rel} unit {unit}")
        print(f"units with a proposal from an edited sentence: {result.proposals:,}")
        print(
            f"September units with an exact match or a >= 75 % proposal: {result.matched:,}/{result.units:,}; "
            f"of the {result.fresh:,} whose English no March unit had: {result.fresh_exact:,} exact "
            f"(rendered-identical or memory), {result.fresh_proposal:,} with a >= 75 % proposal only, "
            f"{result.fresh - result.fresh_exact - result.fresh_proposal:,} with neither"
        )
        for (state, qualifier), count in result.states.most_common():
            print(f"    {count:7,}  {state}{' / ' + qualifier if qualifier else ''}")
        failed |= bool(result.lost) or result.carried != result.eligible
    return 1 if failed else 0
