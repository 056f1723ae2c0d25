"""bitext check on the real corpus: it finds Microsoft's published MT damage and flags few units."""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict

import pytest

from bitext.formats import xliff
from conftest import REPO, run_bitext

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def corpus_check(corpus_project, tmp_path_factory):
    """The imported corpus with this repository's glossary, checked once: (root, flags, summary).

    The English comes along: the markup check judges each target where its unit sits in the article."""
    root = tmp_path_factory.mktemp("qa-corpus")
    shutil.copytree(corpus_project / "locales", root / "locales")
    shutil.copytree(corpus_project / "docs", root / "docs")
    shutil.copy(REPO / "locales" / "ko" / "glossary.tsv", root / "locales" / "ko" / "glossary.tsv")
    result = run_bitext("check", "--root", str(root), "--format", "json")
    assert result.returncode == 1, result.stderr  # the corpus has errors
    return root, json.loads(result.stdout), result.stderr.strip().splitlines()[-1]


def _units(flags, *checks):
    return {(f["path"], f["unit"]) for f in flags if f["check"] in checks}


def test_finds_the_empty_emphasis_machine_translation_left(corpus_check):
    root, flags, _ = corpus_check
    found = _units(flags, "empty-emphasis")
    assert 180 <= len(found) <= 220, len(found)
    targets = {}
    for path in {p for p, _ in found}:
        for seg in xliff.load(root / path).segments:
            targets[(path, seg.id)] = seg.target
    assert all(re.search(r"(\\?\*){4}", targets[key]) for key in found)


def test_finds_links_that_differ_from_the_source(corpus_check):
    _, flags, _ = corpus_check
    found = _units(flags, "links", "link-locale")
    assert 50 <= len(found) <= 150, len(found)
    # label-analytics.md: the translation points Microsoft's links at the Korean site.
    assert {u for p, u in found if p == "locales/ko/label-analytics.xlf"} == {"19e6e-115", "19e6e-116", "19e6e-155"}
    changed = [f for f in flags if f["check"] == "link-locale" and f["path"] == "locales/ko/label-analytics.xlf"]
    assert changed and all("/en-us/" in f["message"] and "/ko-KR/" in f["message"] for f in changed)


def test_finds_the_misaligned_pair(corpus_check):
    root, flags, _ = corpus_check
    pair = [f for f in flags if f["path"] == "locales/ko/security-dashboard.xlf" and f["unit"] == "3d696-150"]
    assert [f["check"] for f in pair] == ["misaligned"] and "192.168.1.0" in pair[0]["message"]
    line = (root / pair[0]["path"]).read_text(encoding="utf-8").splitlines()[pair[0]["line"] - 1]
    assert '<trans-unit id="3d696-150"' in line


def test_flags_at_most_five_percent_of_units(corpus_check):
    _, flags, summary = corpus_check
    m = re.match(r"checked ([\d,]+) units in 583 files: ([\d,]+) units flagged", summary)
    checked, flagged = (int(g.replace(",", "")) for g in m.groups())
    assert checked == 55957
    assert flagged == len({(f["path"], f["unit"]) for f in flags if f["unit"]})
    assert flagged <= 0.05 * checked, flagged


def test_markup_check_agrees_with_the_compilers_guard(corpus_check, corpus_project, tmp_path):
    """Every unit whose markup the compiler refuses is reported by check, and only those."""
    _, flags, _ = corpus_check
    result = run_bitext("compile", "--lang", "ko", "--out", str(tmp_path / "ko"), "--root", str(corpus_project))
    refused = defaultdict(set)
    for line in result.stderr.splitlines():
        m = re.match(r"(locales/\S+\.xlf):\d+: markup-injection: unit (\S+):", line)
        if m:
            refused[m.group(1)].add(m.group(2))
    compiled = {(p, u) for p, units in refused.items() for u in units}
    checked = _units(flags, "markup")
    assert compiled and compiled <= checked
    # check also sees units the compiler never places (no English side): the rest are those.
    for path, unit in checked - compiled:
        seg = next(s for s in xliff.load(corpus_check[0] / path).segments if s.id == unit)
        assert not seg.source.strip(), (path, unit)
