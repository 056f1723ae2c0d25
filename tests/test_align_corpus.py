"""``bitext align`` on the real corpus: ``en/`` (September) against Microsoft's ``ko/``, scored with ``sxs/``."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from bitext.core.rendered import comparable
from bitext.formats import sxs
from bitext.translate.align.merge import align_article

pytestmark = pytest.mark.corpus


def test_units_whose_english_microsoft_translated_get_microsofts_translation(corpus: Path):
    given = correct = gold_units = 0
    for path in sorted((corpus / "en").rglob("*.md"))[::25]:
        rel = path.relative_to(corpus / "en").as_posix()
        if path.name == "TOC.md" or not (corpus / "sxs" / rel).exists() or not (corpus / "ko" / rel).exists():
            continue
        gold: dict[str, set[str]] = collections.defaultdict(set)
        for seg in sxs.parse((corpus / "sxs" / rel).read_text(encoding="utf-8"), rel).segment_file.body_segments():
            gold[comparable(seg.source)].add(comparable(seg.target or ""))
        done = align_article(
            path.read_text(encoding="utf-8-sig"),
            (corpus / "ko" / rel).read_text(encoding="utf-8-sig"),
            None,
            path=rel,
            language="ko-KR",
            translation_path=rel,
        )
        for seg in done.segment_file.body_segments():
            key = comparable(seg.source)
            if key not in gold:
                continue
            gold_units += 1
            if seg.target and seg.state != "needs-translation":
                given += 1
                correct += comparable(seg.target) in gold[key]
    precision, recall = correct / given, correct / gold_units
    assert gold_units > 1500
    assert precision > 0.98 and recall > 0.97, (precision, recall)
