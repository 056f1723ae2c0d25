"""bitext stats: progress per state, words as CAT tools count them, per article and in total."""

from __future__ import annotations

import json

import pytest

from bitext.core.model import Segment
from bitext.formats import xliff
from conftest import run_bitext
from test_qa import make_project, unit

CLASSES = ("translated", "machine_translated", "needs_review", "untranslated")


def _units():
    mt = {"state_qualifier": "mt-suggestion"}
    return [
        unit("t1", "Run `Get-Mailbox` in [PowerShell](https://example.com/ps).", "…"),  # 3 words
        unit("t2", "Select **OK**.", "…", state="final"),  # 2
        unit("m1", "Click the button.", "…", **mt),  # 3
        unit("r1", "The policy changed.", "…", state="needs-review-translation"),  # 3
        unit("n1", "Not yet translated.", "…", state="needs-translation"),  # 3
        unit("n2", "No target at all.", None, state=None),  # 4
        unit("n3", "Empty target here.", ""),  # 3
        unit("x1", "", "설명", key="description"),  # no English: not counted
    ]


def test_counts_per_class_and_article(tmp_path):
    root = make_project(
        tmp_path, {"a.md": _units(), "b.md": [unit("m2", "One more sentence.", "…", state_qualifier="mt-suggestion")]}
    )
    (root / "docs" / "en").mkdir(parents=True)
    for name in ("a.md", "b.md", "c.md"):
        (root / "docs" / "en" / name).write_text("# x\n", encoding="utf-8")
    result = run_bitext("stats", "--root", str(root), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["ko"]
    a, b, c = data["articles"]
    assert (a["article"], a["path"], a["segments"], a["words"]) == ("a.md", "locales/ko/a.xlf", 7, 21)
    assert {k: (a[k]["segments"], a[k]["words"]) for k in CLASSES} == {
        "translated": (2, 5),
        "machine_translated": (1, 3),
        "needs_review": (1, 3),
        "untranslated": (3, 10),
    }
    assert (b["segments"], b["machine_translated"]["words"]) == (1, 3)
    # no segment file yet: its heading counts as untranslated work
    assert (c["article"], c["path"], c["segments"], c["untranslated"]["words"]) == ("c.md", None, 1, 1)
    total = data["total"]
    assert (total["segments"], total["words"]) == (9, 25)
    assert sum(total[k]["segments"] for k in CLASSES) == total["segments"]
    assert sum(total[k]["words"] for k in CLASSES) == total["words"]

    text = run_bitext("stats", "--root", str(root)).stdout.splitlines()
    assert text[0] == "ko: 3 articles, 1 without a segment file (run `bitext update`)"
    assert text[2].split() == ["a.md", "7", "21", "2/5", "1/3", "1/3", "3/10", "38.1%"]
    assert text[4].split() == ["c.md", "(no", "segment", "file)", "1", "1", "0/0", "0/0", "0/0", "1/1", "0.0%"]
    assert text[5].split() == ["total", "9", "25", "2/5", "2/6", "1/3", "4/11", "44.0%"]


def test_archived_units_are_not_work(tmp_path):
    root = make_project(tmp_path, {"a.md": [unit("t1", "Kept sentence.", "유지")]})
    path = root / "locales/ko/a.xlf"
    sf = xliff.load(path)
    sf.archive.append(Segment("old", "Removed sentence here.", "삭제", "translated"))
    path.write_text(xliff.dumps(sf), encoding="utf-8")
    data = json.loads(run_bitext("stats", "--root", str(root), "--format", "json").stdout)["ko"]["total"]
    assert (data["segments"], data["words"]) == (1, 2)


def test_unknown_language_and_bad_file(tmp_path):
    root = make_project(tmp_path, {"a.md": [unit("t1", "Kept sentence.", "유지")]})
    assert run_bitext("stats", "--root", str(root), "--lang", "ja").returncode == 2
    (root / "locales/ko/b.xlf").write_text("<xliff>", encoding="utf-8")
    result = run_bitext("stats", "--root", str(root), "--lang", "ko-KR")
    assert result.returncode == 1
    assert result.stderr.startswith("locales/ko/b.xlf:1: xml: not well-formed XML")
    assert "total" in result.stdout


@pytest.mark.corpus
def test_corpus_totals_match_the_segment_files(corpus_project):
    result = run_bitext("stats", "--root", str(corpus_project), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["ko"]
    expected = {"segments": 0, "machine": 0}
    for path in (corpus_project / "locales" / "ko").rglob("*.xlf"):
        for seg in xliff.load(path).segments:
            if seg.source.strip():
                expected["segments"] += 1
                expected["machine"] += seg.state_qualifier == "mt-suggestion"
    total = data["total"]
    assert len(data["articles"]) == 583
    assert total["segments"] == expected["segments"] == 55035
    assert total["machine_translated"]["segments"] == expected["machine"]
    assert total["untranslated"]["segments"] == 0 and total["needs_review"]["segments"] == 0
    assert sum(total[k]["words"] for k in CLASSES) == total["words"] > 500_000


def test_article_without_segment_file_counts_as_untranslated(tmp_path):
    root = tmp_path / "p"
    (root / "docs/en").mkdir(parents=True)
    (root / "locales/ko").mkdir(parents=True)
    (root / "docs/en/new.md").write_text(
        "---\ntitle: New page\n---\n# New page\n\nOne sentence. Two words.\n", encoding="utf-8"
    )
    (root / "docs/en/stub.md").write_text("---\nredirect_url: new\n---\n", encoding="utf-8")
    result = run_bitext("stats", "--root", str(root), "--format", "json")
    assert result.returncode == 0, result.stderr
    [article] = json.loads(result.stdout)["ko"]["articles"]
    assert article["article"] == "new.md" and article["path"] is None
    assert article["segments"] == 4 and article["untranslated"]["segments"] == 4
    text = run_bitext("stats", "--root", str(root)).stdout
    assert "new.md (no segment file)" in text and "stub.md" not in text


def test_docfx_toc_is_navigation_not_an_article(tmp_path):
    root = tmp_path / "p"
    (root / "docs/en").mkdir(parents=True)
    (root / "locales/ko").mkdir(parents=True)
    (root / "docs/en/TOC.md").write_text("# [Home](index.md)\n## [A page](a.md)\n", encoding="utf-8")
    (root / "docs/en/a.md").write_text("# A page\n", encoding="utf-8")
    data = json.loads(run_bitext("stats", "--root", str(root), "--format", "json").stdout)["ko"]
    assert [a["article"] for a in data["articles"]] == ["a.md"]
    assert run_bitext("update", "--root", str(root)).returncode == 0
    assert sorted(p.name for p in (root / "locales/ko").iterdir()) == ["a.xlf"]
