"""``bitext check`` against Translate Toolkit's pofilter on the same segment files.

Runs pofilter's urls, numbers, xmltags, doublespacing and untranslated tests
(through ``translate.filters.checks``, as ``pofilter --test=...`` does) and
bitext's corresponding checks on every unit of the imported corpus, prints
per-check counts, and sorts every unit flagged by one tool only into a named
reason, with an example of each.  Needs Translate Toolkit (``pip install -e
'.[test]'``).
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from bitext.bench.qa import corpus_project
from bitext.core import markup
from bitext.formats.xliff import load
from bitext.project.project import Project
from bitext.translate.qa import runner
from bitext.translate.qa.glossary import GLOSSARY, read_glossary
from bitext.translate.qa.pair import Pair

TESTS = ("urls", "numbers", "xmltags", "doublespacing", "untranslated")
# bitext's checks that look for what each pofilter test looks for.
OURS = {
    "urls": ("links", "link-locale"),
    "numbers": ("numbers", "filenames"),
    "xmltags": ("markup", "tags", "placeholders"),
    "doublespacing": ("doublespacing",),
    "untranslated": ("untranslated",),
}
_URL_END = re.compile(r"[)\]*\s\u1100-\uffff].*")


def pofilter_flags(root: Path, tests: tuple[str, ...] | None = TESTS) -> tuple[dict[str, set], int]:
    """{test: {(segment file, unit id)}} for pofilter's ``tests`` (None: all its default tests),
    and the number of units it read."""
    from translate.filters import checks
    from translate.storage import factory

    checker = checks.StandardChecker(
        checks.CheckerConfig(targetlanguage="ko"), excludefilters={}, limitfilters=list(tests) if tests else None
    )
    flags: dict[str, set] = defaultdict(set)
    units = 0
    for path in sorted((root / "locales").rglob("*.xlf")):
        rel = path.relative_to(root).as_posix()
        for unit in factory.getobject(str(path)).units:
            if unit.isheader():
                continue
            units += 1
            for test in checker.run_filters(unit):
                flags[test].add((rel, unit.getid().split("\x04")[-1]))
    return flags, units


def _tt_urls(text: str) -> list[str]:
    from translate.filters import decoration

    return decoration.geturls(text)


def _tt_numbers(text: str) -> list[str]:
    from translate.filters import decoration

    return decoration.getnumbers(text)


def why_pofilter_only(test: str, seg, pair: Pair) -> str:
    """Why pofilter flags a unit that bitext does not."""
    if not seg.source.strip():
        return "the English side is empty (front matter or an anchor Microsoft moved): nothing to compare"
    if test == "urls":
        cut = (
            [markup.comparable_url(_URL_END.sub("", u).rstrip(".,;:!?")) for u in _tt_urls(seg.source)],
            [markup.comparable_url(_URL_END.sub("", u).rstrip(".,;:!?")) for u in _tt_urls(seg.target)],
        )
        if sorted(cut[0]) == sorted(cut[1]):
            return "same destinations: pofilter's URL runs on into Markdown and Korean ('…)를', '…).')"
        inside = [
            u
            for u in _tt_urls(seg.source)
            if any(link.text_start <= seg.source.find(u) < link.text_end for link in pair.source.links)
        ]
        if inside:
            return "a URL typed inside link text (words of the link, not a destination) was left out"
        return "other URL difference"
    if test == "numbers":
        missing = Counter(_tt_numbers(seg.source)) - Counter(_tt_numbers(seg.target))
        if not missing:
            return (
                "the target has more numbers (dates '8월' for 'August', '7일 (7)', counters): bitext checks "
                "that the source's numbers survive"
            )
        digit = next(iter(missing))
        if any(digit in url for url in re.findall(r"(?i:https?|ftp)://\S+", seg.source)):
            return "digits inside a URL (the links check compares URLs as a whole)"
        if re.search(rf"\b{digit}(?:st|nd|rd|th)\b", seg.source):
            return "an ordinal translated as a word ('3rd party' = '타사')"
        if pair.source.numbers.keys() <= pair.target.numbers.keys() | pair.target.code_numbers:
            return "the same value written the Korean way ('10,000' = '1만', '1,000' = '1000') or moved into code"
        return (
            "the number of a product name translated as a whole ('Office 365 Security & Compliance "
            "Center' = '보안 및 준수 센터')"
        )
    if test == "xmltags":
        if pair.source.tags and Counter(t.signature for t in pair.source.tags) == Counter(
            t.signature for t in pair.target.tags
        ):
            return "same HTML tags, other attribute values or order"
        return "not HTML: a placeholder or escaped '\\<…\\>' in prose, or a tag's translatable text"
    if test == "doublespacing":
        if seg.source.count("  ") > seg.target.count("  "):
            return "the source's doubled space is gone in the target (an improvement)"
        return "the doubled space is in code, around markup, or where the source has it too"
    return "other"


def why_bitext_only(test: str, seg, flagged: dict[str, list[str]]) -> str:
    """Why bitext flags a unit that pofilter does not; ``flagged`` = {check: messages} for the unit."""
    if test == "urls":
        if "link-locale" in flagged and "links" not in flagged:
            return "locale folder changed (link-locale); pofilter's URL tokens differ on other grounds too"
        if not _tt_urls(seg.source) and not _tt_urls(seg.target):
            return "relative links and images (media/x.png, page.md#anchor): pofilter sees only scheme URLs"
        return "a link broken by machine translation ('아이콘](media/x.gif) **편집** ![을')"
    if test == "numbers":
        if "filenames" in flagged:
            return (
                "a file or domain name mangled ('Results.csv' → '결과 .csv', 'AzCopy.exe' → 'AzCopy'): "
                "pofilter sees only its digits, if any"
            )
        if any(re.search(r"[a-z]", m.split("lacks", 1)[-1]) for m in flagged.get("numbers", [])):
            return (
                "a code with letters broken ('5.7.7xx' → '5.7.7 xx', 'E5' → 'e 5', 'v8.1' → 'v 8.1'): "
                "pofilter only compares digits"
            )
        return "a number dropped while another was added, or repeated: pofilter compares digit lists only"
    if test == "xmltags":
        return "placeholder translated ('\\<Form\\>' → '\\<양식\\>') or markup added: pofilter counts tags only"
    return "other"


def _print_reasons(label: str, reasons: dict[tuple, str]) -> None:
    """Units grouped by reason, largest group first, with the first unit of each as an example."""
    groups: dict[str, list] = defaultdict(list)
    for key in sorted(reasons):
        groups[reasons[key]].append(key)
    for reason, keys in sorted(groups.items(), key=lambda g: -len(g[1])):
        path, unit = keys[0]
        print(f"  {label} {len(keys):5,}: {reason}\n        e.g. {path} unit {unit}")


def run(corpus: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = corpus_project(corpus, Path(tmp))
        tt, tt_units = pofilter_flags(root)
        project = Project(root)
        report = runner.check_project(project, ["ko"], runner.severities())
        ours: dict[str, set] = defaultdict(set)
        flagged: dict[tuple, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for flag in report.flags:
            ours[flag.code].add((flag.path, flag.unit))
            flagged[(flag.path, flag.unit)][flag.code].append(flag.message)
        segments = {}
        for rel in project.segment_files("ko"):
            path = project.segment_path(rel, "ko")
            for seg in load(path).segments:
                segments[(project.display(path), seg.id)] = seg
        resources = runner.build_resources(
            "ko", segments.values(), read_glossary(root / "locales" / "ko" / GLOSSARY, GLOSSARY)
        )

        print(f"units: pofilter read {tt_units:,}, bitext checked {report.units:,}")
        tt_all = set().union(*tt.values()) if tt else set()
        print(f"units flagged by pofilter ({', '.join(TESTS)}): {len(tt_all):,} ({100 * len(tt_all) / tt_units:.1f}%)")
        print(
            f"units flagged by bitext check (all checks): {report.flagged_units:,} "
            f"({100 * report.flagged_units / report.units:.1f}%)"
        )
        every, _ = pofilter_flags(root, None)
        every_all = set().union(*every.values())
        print(
            f"units flagged by pofilter with all its default tests: {len(every_all):,} "
            f"({100 * len(every_all) / tt_units:.1f}%)"
        )
        pair = ("locales/ko/security-dashboard.xlf", "3d696-150")
        print(
            f"the misaligned pair {pair[1]} ('Metric' = '192.168.1.0'): bitext "
            f"{', '.join(sorted(c for c, units in ours.items() if pair in units)) or 'nothing'}; pofilter "
            f"{', '.join(sorted(t for t, units in every.items() if pair in units)) or 'nothing'}"
        )
        for check in ("empty-emphasis", "misaligned"):
            mine = ours.get(check, set())
            print(
                f"{check}: bitext {len(mine):,} units; pofilter flags {len(mine & tt_all):,} of them with "
                f"{', '.join(TESTS)}, {len(mine & every_all):,} with all its tests"
            )
        for test in TESTS:
            theirs = tt.get(test, set())
            mine = set().union(*(ours.get(c, set()) for c in OURS[test]))
            print(
                f"\n{test} (pofilter) vs {' + '.join(OURS[test])} (bitext): pofilter {len(theirs):,}, "
                f"bitext {len(mine):,}, both {len(theirs & mine):,}"
            )
            _print_reasons(
                "pofilter only",
                {key: why_pofilter_only(test, segments[key], Pair(segments[key], resources)) for key in theirs - mine},
            )
            _print_reasons(
                "bitext only", {key: why_bitext_only(test, segments[key], flagged[key]) for key in mine - theirs}
            )
    return 0
