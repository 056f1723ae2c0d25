"""Translation progress: segments and source words per state, per article and language.

The numbers a CAT tool shows (Translate Toolkit's pocount, memoQ's and
Trados' analysis): every unit with English falls in exactly one class, so the
classes add up to the total.

- translated: a usable translation that a person made or confirmed;
- machine-translated: a usable translation still marked ``mt-suggestion``;
- needs review: ``needs-review-*`` states (changed English, reviewer asked);
- untranslated: no target, an empty one, or ``new``/``needs-translation``.

Words are source words outside markup (code spans, link destinations, tags
and URLs count as placeables, as CAT tools count tags: no words).  Units
without English (front matter Microsoft translated without a source) and
archived units are not work to do and are not counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bitext.core import segment, states
from bitext.core.errors import BitextError
from bitext.core.model import Finding, Segment, SegmentFile, plural
from bitext.project.project import Project
from bitext.project.sitefiles import SiteFiles
from bitext.translate.qa.pair import Side

CLASSES = ("translated", "machine_translated", "needs_review", "untranslated")


def classify(segment: Segment) -> str:
    """The progress class of one unit."""
    if segment.state in states.REVIEW:
        return "needs_review"
    if segment.usable_target(allow_review=True) is None:
        return "untranslated"
    if segment.is_machine_translated:
        return "machine_translated"
    return "translated"


def source_words(text: str) -> int:
    """Words of a source as CAT tools count them: markup is a placeable, not words."""
    return len(Side(text).words)


@dataclass
class Counts:
    """Segments and source words, in total and per progress class."""

    segments: int = 0
    words: int = 0
    by_class: dict[str, list[int]] = field(default_factory=lambda: {c: [0, 0] for c in CLASSES})

    def add(self, segment: Segment) -> None:
        words = source_words(segment.source)
        self.segments += 1
        self.words += words
        entry = self.by_class[classify(segment)]
        entry[0] += 1
        entry[1] += words

    def merge(self, other: Counts) -> None:
        self.segments += other.segments
        self.words += other.words
        for name in CLASSES:
            self.by_class[name][0] += other.by_class[name][0]
            self.by_class[name][1] += other.by_class[name][1]

    def percent_done(self) -> float:
        """Share of source words with a usable translation (human or machine), as CAT tools report progress."""
        done = self.by_class["translated"][1] + self.by_class["machine_translated"][1]
        return 100.0 * done / self.words if self.words else 100.0

    def as_dict(self) -> dict:
        out: dict[str, int | dict[str, int]] = {"segments": self.segments, "words": self.words}
        for name in CLASSES:
            out[name] = {"segments": self.by_class[name][0], "words": self.by_class[name][1]}
        return out


@dataclass
class ArticleStats:
    article: str  # path of the English article, relative to docs/en
    path: str | None  # the segment file, relative to the project root; None when there is none
    counts: Counts


@dataclass
class LanguageStats:
    lang: str
    articles: list[ArticleStats] = field(default_factory=list)
    total: Counts = field(default_factory=Counts)

    @property
    def missing(self) -> list[str]:
        """English articles without a segment file in this language."""
        return [a.article for a in self.articles if a.path is None]


def count_file(segment_file: SegmentFile) -> Counts:
    counts = Counts()
    for seg in segment_file.segments:
        if seg.source.strip():
            counts.add(seg)
    return counts


@dataclass
class ProjectStats:
    """``bitext stats``: progress per language, and the files that could not be read."""

    languages: list[LanguageStats] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def project_stats(project: Project, languages: Iterable[str]) -> ProjectStats:
    """Progress of every article in each language; unreadable files become findings."""
    files = SiteFiles.read(project)
    result = ProjectStats(findings=[f for found in files.unreadable.values() for f in found])
    for lang in languages:
        stats = LanguageStats(lang)
        with_files = set(project.segment_files(lang))
        for rel in sorted(with_files | set(files.texts)):
            if rel not in with_files:
                # Not started: every sentence the English has is untranslated
                # (an article with nothing to translate is left out).
                pending = segment.sentences(files.texts[rel], rel)
                if pending:
                    counts = Counts()
                    for sentence in pending:
                        counts.add(Segment(sentence.key or "", sentence.text))
                    stats.articles.append(ArticleStats(rel, None, counts))
                    stats.total.merge(counts)
                continue
            try:
                counts = count_file(project.read_listed_segments(rel, lang))
            except BitextError as exc:
                result.findings.extend(exc.findings)
                continue
            stats.articles.append(ArticleStats(rel, project.display(project.segment_path(rel, lang)), counts))
            stats.total.merge(counts)
        result.languages.append(stats)
    return result


def as_json(languages: list[LanguageStats]) -> dict:
    """``{lang: {"total": counts, "articles": [{"article", "path", counts...}]}}``."""
    return {
        s.lang: {
            "total": s.total.as_dict(),
            "articles": [{"article": a.article, "path": a.path, **a.counts.as_dict()} for a in s.articles],
        }
        for s in languages
    }


def as_text(languages: list[LanguageStats]) -> str:
    """A table per language: one row per article, then the totals; classes as segments/words."""
    heads = ("segments", "words", "translated", "MT", "review", "untranslated", "done")
    lines = []
    for s in languages:
        rows = [(a.article if a.path else f"{a.article} (no segment file)", a.counts) for a in s.articles]
        rows.append(("total", s.total))
        width = max(len(name) for name, _ in rows)
        lines.append(
            f"{s.lang}: {plural(len(s.articles), 'article')}"
            + (f", {len(s.missing):,} without a segment file (run `bitext update`)" if s.missing else "")
        )
        lines.append(f"{'article':{width}}  " + "  ".join(f"{h:>13}" for h in heads))
        for name, c in rows:
            cells = [f"{c.segments:,}", f"{c.words:,}"]
            cells += [f"{c.by_class[n][0]:,}/{c.by_class[n][1]:,}" for n in CLASSES]
            cells.append(f"{c.percent_done():.1f}%")
            lines.append(f"{name:{width}}  " + "  ".join(f"{cell:>13}" for cell in cells))
        lines.append("classes are segments/words; done = words with a usable translation (human or machine)")
    return "\n".join(lines) + "\n"
