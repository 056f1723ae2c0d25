"""Running the checks over a project: severities, ignore notes, which units are checked, the report."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from bitext.core import states
from bitext.core.compile import compile_report
from bitext.core.errors import BitextError
from bitext.core.guard import MarkupGuard, guard_for
from bitext.core.model import Finding, Segment, SegmentFile, plural
from bitext.core.severity import Severity
from bitext.core.skeleton import locate
from bitext.lang import ko
from bitext.project import settings
from bitext.project.project import Project
from bitext.translate.qa.checks import CHECKS
from bitext.translate.qa.glossary import GLOSSARY, Term, read_glossary
from bitext.translate.qa.pair import OWN_LETTER, Pair, Resources

# The author of a translator's note that silences checks on one unit.
IGNORE_NOTE = "bitext-check"
_CAPITALIZED = re.compile(r"\b[A-Z][A-Za-z]+\b")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def as_json(flag: Finding) -> dict:
    """A flag as ``bitext check --format json`` writes it."""
    return {
        "path": flag.path,
        "line": flag.line,
        "unit": flag.unit or "",
        "check": flag.code,
        "severity": flag.severity,
        "message": flag.message,
        "lang": flag.lang,
    }


@dataclass
class Report:
    """What ``check`` found in a project: flags (findings whose code is the check), how many units were checked."""

    flags: list[Finding] = field(default_factory=list)
    units: int = 0  # units checked
    files: int = 0

    @property
    def flagged_units(self) -> int:
        return len({(f.path, f.unit) for f in self.flags if f.unit})

    @property
    def errors(self) -> int:
        return sum(1 for f in self.flags if f.severity == Severity.ERROR)

    def counts(self) -> Counter:
        return Counter(f.code for f in self.flags)

    def summary(self) -> str:
        """One line: units checked and flagged, errors, findings per check."""
        share = 100 * self.flagged_units / self.units if self.units else 0.0
        counts = ", ".join(f"{name} {n:,}" for name, n in self.counts().most_common())
        return (
            f"checked {plural(self.units, 'unit')} in {plural(self.files, 'file')}: "
            f"{plural(self.flagged_units, 'unit')} flagged ({share:.1f}%), {plural(self.errors, 'error')}"
            + (f"; {counts}" if counts else "")
        )


def severities(
    configured: Mapping[str, Severity] | None = None, overrides: Mapping[str, str] | None = None
) -> dict[str, Severity]:
    """Each check's severity: the default, then the project's (``check: severity:``, validated by
    ``CheckConfig``), then the command line's ``overrides`` (ValueError names a bad one)."""
    result = {name: c.severity for name, c in CHECKS.items()}
    result.update(configured or {})
    for name, level in (overrides or {}).items():
        if name not in CHECKS:
            raise ValueError(f"unknown check {name!r} (checks: {', '.join(sorted(CHECKS))})")
        try:
            result[name] = Severity.parse(level)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    return result


def ignored_checks(segment: Segment) -> set[str]:
    """Checks a translator silenced on this unit with ``<note from="bitext-check">ignore ...</note>``."""
    found: set[str] = set()
    for note in segment.notes:
        if note.author == IGNORE_NOTE and note.text.strip().startswith("ignore"):
            found.update(n.strip() for n in note.text.strip()[len("ignore") :].replace(",", " ").split())
    return found


def checkable(segment: Segment) -> bool:
    """Units whose target is published or reviewed; untranslated proposals are not checked."""
    return segment.target is not None and segment.state not in states.PROPOSALS


def check_segment(segment: Segment, resources: Resources, levels: dict[str, Severity]) -> Iterator[tuple[str, str]]:
    """(check, message) for every problem found in one unit."""
    pair = Pair(segment, resources)
    skip = ignored_checks(segment)
    has_source = bool(segment.source.strip())
    for name, c in CHECKS.items():
        if levels[name] == Severity.OFF or name in skip or (c.needs_source and not has_source):
            continue
        for message in c.func(pair):
            yield name, message


def build_resources(language: str, segments: Iterable[Segment], glossary: list[Term]) -> Resources:
    """The language's resources, learnt from every target of the project plus the glossary."""
    words: set[str] = set()
    in_source: Counter = Counter()
    in_target: Counter = Counter()
    own = latin = 0
    for seg in segments:
        text = seg.target or ""
        words.update(w for w in ko.HANGUL_RUN.findall(text) if len(w) >= ko.SPLIT_MIN_PIECES)
        if OWN_LETTER.search(text):
            own += 1
        elif _LATIN_LETTER.search(text):
            latin += 1
        in_source.update(_CAPITALIZED.findall(seg.source))
        in_target.update(_CAPITALIZED.findall(text))
    words.update(
        t for term in glossary for t in term.targets if ko.HANGUL_RUN.fullmatch(t) and len(t) >= ko.SPLIT_MIN_PIECES
    )
    kept = frozenset(w for w, n in in_target.items() if n >= 2 and 2 * n >= in_source[w])
    return Resources(language, glossary, frozenset(words), 0 < own >= latin, kept)


def refused_markup(project: Project, sf: SegmentFile, guard: MarkupGuard) -> dict[int, list[str]]:
    """What the build refuses in each unit of ``sf`` (by ``id()``), judged where the unit sits in its
    English article; units it cannot place are left out."""
    if not project.english_path(sf.original).is_file():
        return {}
    try:
        english = project.read_english(sf.original)
    except BitextError:
        return {}
    report = compile_report(english, sf, allow_review=True, guard=guard)
    found: dict[tuple[int, str | None], list[str]] = defaultdict(list)
    for f in report.findings:
        if f.code == "markup-injection":
            found[f.line, f.unit].append(f.message)
    placed = {p.segment.id for p in locate(english, sf).placements} | {s.id for s in sf.segments if s.is_front_matter}
    return {id(seg): found.get((seg.target_finding_line, seg.id), []) for seg in sf.segments if seg.id in placed}


def check_project(
    project: Project, languages: Iterable[str], levels: dict[str, Severity], only: set[str] | None = None
) -> Report:
    """Run the checks ``levels`` enables (those in ``only``, if given) on every checkable unit of
    ``languages``; unreadable segment files and glossary lines become error flags."""
    report = Report()
    active = {name: level if only is None or name in only else Severity.OFF for name, level in levels.items()}

    def unreadable(exc: BitextError, lang: str) -> None:
        report.flags.extend(
            dataclasses.replace(f, code=f.code or "xliff", severity=Severity.ERROR, lang=lang) for f in exc.findings
        )

    for lang in languages:
        files = []
        for rel in project.segment_files(lang):
            try:
                files.append(
                    (project.display(project.segment_path(rel, lang)), project.read_listed_segments(rel, lang))
                )
            except BitextError as exc:
                unreadable(exc, lang)
        report.files += len(files)
        terms: list[Term] = []
        glossary_path = project.locales_dir / lang / GLOSSARY
        if glossary_path.is_file():
            try:
                terms = read_glossary(glossary_path, project.display(glossary_path))
            except BitextError as exc:
                unreadable(exc, lang)
        resources = build_resources(lang, (s for _, sf in files for s in sf.segments), terms)
        if active.get("markup", Severity.OFF) != Severity.OFF:
            resources.guard = guard_for(*settings.markdown(project.root))
            for _, sf in files:
                resources.refused.update(refused_markup(project, sf, resources.guard))
        for display, sf in files:
            for seg in filter(checkable, sf.segments):
                report.units += 1
                for name, message in check_segment(seg, resources, active):
                    report.flags.append(
                        Finding(display, seg.xliff_line, message, active[name], name, unit=seg.id, lang=lang)
                    )
    return report
