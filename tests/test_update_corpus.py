"""Six months of real edits: March 2019 translations re-synced with September's English."""

from __future__ import annotations

import shutil

import pytest

from bitext.bench.update import carry_over, replace_english
from bitext.core.model import AltTrans, Segment, SegmentFile
from bitext.formats import xliff
from conftest import run_bitext

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def six_months(corpus, tmp_path_factory):
    root = tmp_path_factory.mktemp("march") / "project"
    result = run_bitext("import-sxs", str(corpus / "sxs-2019-03"), "--root", str(root))
    assert result.returncode == 0, result.stderr
    before = root.parent / "march-locales"
    shutil.copytree(root / "locales", before)
    assert replace_english(corpus, root) == 581
    return root, before, run_bitext("update", "--root", str(root))


def test_update_reports_retired_articles_and_reads_english_with_a_bom(six_months):
    root, _, result = six_months
    assert result.returncode == 0, result.stderr
    errors = [line for line in result.stderr.splitlines() if "missing-source" not in line]
    assert errors == []  # records-management.md and tuning-anti-phishing.md start with a BOM, as MkDocs allows
    orphans = [line for line in result.stderr.splitlines() if "missing-source" in line]
    assert len(orphans) == 53 and all((root / line.split(":")[0]).exists() for line in orphans)
    assert result.stdout.splitlines()[-1].startswith("update ko: 580 segment files updated (96 new), 0 unchanged;")
    assert (root / "locales/ko/records-management.xlf").is_file()


def test_every_march_translation_is_carried_over_or_kept(six_months):
    root, before, _ = six_months
    result = carry_over(before, root / "locales")
    assert result.eligible > 45000
    assert result.carried == result.eligible  # exact English from March: March's translation, 100 %
    assert result.march > 45000
    assert result.lost == []  # every March unit's translation is its target, a proposal or archived
    assert result.proposals > 2500  # edited sentences keep the old translation as a proposal


def test_compile_export_and_a_second_update_after_six_months(six_months, tmp_path):
    root, _, _ = six_months
    result = run_bitext("compile", "--lang", "ko", "--out", str(tmp_path / "ko"), "--root", str(root))
    assert "stale-segments" not in result.stderr
    assert result.stdout.strip() == f"compiled 581 articles to {tmp_path / 'ko'}; errors 0"
    compiled = (tmp_path / "ko" / "alert-policies.md").read_text(encoding="utf-8")
    assert "경고 정책" in compiled and "<span" not in compiled

    result = run_bitext("export-sxs", "--lang", "ko", "--out", str(tmp_path / "sxs"), "--root", str(root))
    # Not exported: the 53 retired articles and the redirect stub eop/index.md (nothing to translate,
    # so no segment file). The two articles whose English starts with a BOM are exported.
    assert result.stdout.strip() == f"exported 580 articles to {tmp_path / 'sxs'}; errors 53"
    assert "stale-segments" not in result.stderr and "bom" not in result.stderr
    assert (tmp_path / "sxs" / "tuning-anti-phishing.md").is_file()

    result = run_bitext("update", "--root", str(root), "--dry-run")
    assert "update ko: 0 segment files to update (0 new), 580 unchanged;" in result.stdout


def test_a_translation_found_only_in_another_unit_counts_as_lost(tmp_path):
    """Kept means kept in its own unit: a short translation that other units share is no alibi."""

    def write(folder, segments, archive=()):
        folder.mkdir(parents=True, exist_ok=True)
        sf = SegmentFile("a.md", "ko-KR", segments=list(segments), archive=list(archive))
        (folder / "a.xlf").write_bytes(xliff.dumps(sf).encode("utf-8"))

    march = [
        Segment("u1", "Select **OK**.", "**확인**을 선택합니다.", "translated"),
        Segment("u2", "Select OK.", "확인", "translated"),
        Segment("u3", "OK", "확인", "translated"),
    ]
    write(tmp_path / "before", march)
    write(
        tmp_path / "kept",
        [
            Segment(
                "u1",
                "Select **OK** now.",
                "",
                "needs-translation",
                alternatives=[AltTrans("Select **OK**.", "**확인**을 선택합니다.", 90)],
            ),
            Segment("u3", "OK", "확인", "translated"),
        ],
        archive=[Segment("u2", "Select OK.", "확인", "translated")],
    )
    assert carry_over(tmp_path / "before", tmp_path / "kept").lost == []
    write(tmp_path / "dropped", [march[0], march[2]])  # u2 gone; its translation lives on only in u3
    result = carry_over(tmp_path / "before", tmp_path / "dropped")
    assert result.march == 3 and result.lost == [("a.xlf", "u2")]
