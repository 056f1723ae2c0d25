"""``bitext update``: re-syncing segment files with edited English, never losing a translation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from bitext.core.model import SegmentFile
from bitext.core.skeleton import locate
from bitext.formats import sxs, xliff
from bitext.project.project import Project
from bitext.translate.tm import TranslationMemory
from bitext.translate.update import update_article
from conftest import run_bitext

ARTICLE = """---
title: Manage alert policies
ms.author: someone
---

# Manage alert policies

You can create alert policies in the security center. Alerts are sent by email. Each alert has a severity.

## Turn on alerts

1. Open the **Alerts** page.
2. Click **New alert policy**, e.g. for malware.

| Setting | Meaning |
|---|---|
| Severity | How serious the alert is. |
"""


def translated(english: str, path: str = "alerts.md", memory: TranslationMemory | None = None) -> SegmentFile:
    """A fresh segment file for ``english`` with every unit translated as ``KO(source)``."""
    sf = update_article(english, None, path=path, language="ko-KR", memory=memory).segment_file
    for seg in sf.segments:
        seg.target, seg.state, seg.state_qualifier = f"KO({seg.source})", "translated", None
    return sf


def units(sf: SegmentFile) -> dict[str, object]:
    return {s.source: s for s in sf.segments}


def test_new_article_gets_a_segment_file_with_every_unit_to_translate():
    done = update_article(ARTICLE, None, path="alerts.md", language="ko-KR")
    sf = done.segment_file
    assert done.created and done.modified and done.new == len(sf.segments) == 12
    assert [s.source for s in sf.segments][:4] == [
        "Manage alert policies",
        "Manage alert policies",
        "You can create alert policies in the security center.",
        "Alerts are sent by email.",
    ]
    assert sf.segments[0].key == "title" and sf.segments[0].id == "title"
    assert all(s.state == "needs-translation" and s.target == "" for s in sf.segments)
    assert not locate(ARTICLE, sf).stale
    again = update_article(ARTICLE, None, path="alerts.md", language="ko-KR").segment_file
    assert [s.id for s in again.segments] == [s.id for s in sf.segments]  # ids are stable


def test_unchanged_english_is_a_no_op():
    sf = translated(ARTICLE)
    done = update_article(ARTICLE, sf, path="alerts.md", language="ko-KR")
    assert not done.modified and done.segment_file is sf and done.kept == len(sf.segments)


def test_edited_sentence_keeps_its_translation_as_a_proposal():
    sf = translated(ARTICLE)
    edited = ARTICLE.replace("Alerts are sent by email.", "Alerts are sent by email and text message.")
    edited = edited.replace("Each alert has a severity.", "Policies can be exported to a file.")
    done = update_article(edited, sf, path="alerts.md", language="ko-KR")
    new = units(done.segment_file)
    close = new["Alerts are sent by email and text message."]
    assert close.id == units(sf)["Alerts are sent by email."].id
    assert (close.state, close.state_qualifier, close.target) == (
        "needs-review-translation",
        "fuzzy-match",
        "KO(Alerts are sent by email.)",
    )
    assert [(a.source, a.target, a.origin) for a in close.alternatives] == [
        ("Alerts are sent by email.", "KO(Alerts are sent by email.)", "bitext-update")
    ]
    assert 75 <= close.alternatives[0].match_quality < 100
    far = new["Policies can be exported to a file."]
    assert far.state == "needs-translation" and far.target == ""
    assert "Each alert has a severity." in [s.source for s in done.segment_file.archive]
    assert new["You can create alert policies in the security center."].state == "translated"
    assert (done.kept, done.changed, done.new, done.archived) == (10, 1, 1, 1)
    assert not locate(edited, done.segment_file).stale


def test_a_proposal_below_the_threshold_is_kept_but_not_used():
    sf = translated(ARTICLE)
    edited = ARTICLE.replace("Alerts are sent by email.", "Alerts are sent to the admins by email every hour.")
    unit = units(update_article(edited, sf, path="alerts.md", language="ko-KR").segment_file)[
        "Alerts are sent to the admins by email every hour."
    ]
    assert unit.alternatives[0].match_quality < 75
    assert (unit.state, unit.target, unit.alternatives[0].target) == (
        "needs-translation",
        "",
        "KO(Alerts are sent by email.)",
    )


def test_an_old_unit_found_inside_a_longer_sentence_is_an_edit_not_a_match():
    sf = translated(ARTICLE)
    longer = ARTICLE.replace("## Turn on alerts\n", "## Turn on alerts for every user\n")
    done = update_article(longer, sf, path="alerts.md", language="ko-KR")
    heading = units(done.segment_file)["Turn on alerts for every user"]
    assert heading.id == units(sf)["Turn on alerts"].id
    assert [(a.source, a.target) for a in heading.alternatives] == [("Turn on alerts", "KO(Turn on alerts)")]
    assert "Turn on alerts" not in units(done.segment_file) and (done.changed, done.new) == (1, 0)


def test_removed_sentences_are_archived_and_come_back():
    sf = translated(ARTICLE)
    removed = ARTICLE.replace(" Each alert has a severity.", "")
    done = update_article(removed, sf, path="alerts.md", language="ko-KR")
    assert done.archived == 1
    archived = done.segment_file.archive[0]
    assert (archived.source, archived.target) == ("Each alert has a severity.", "KO(Each alert has a severity.)")
    text = xliff.dumps(done.segment_file)
    assert '<group id="bitext-archive" restype="x-archive" translate="no">' in text
    back = update_article(ARTICLE, xliff.loads(text.encode(), "alerts.xlf"), path="alerts.md", language="ko-KR")
    assert back.restored == 1 and not back.segment_file.archive
    unit = units(back.segment_file)["Each alert has a severity."]
    assert (unit.id, unit.target, unit.state) == (archived.id, archived.target, "translated")


def test_moved_and_rewrapped_sentences_keep_id_translation_and_state():
    sf = translated(ARTICLE)
    moved = ARTICLE.replace(
        "You can create alert policies in the security center. Alerts are sent by email. Each alert has a severity.",
        "Each alert has a severity. Alerts are sent\nby email. You can create alert policies in the security center.",
    )
    done = update_article(moved, sf, path="alerts.md", language="ko-KR")
    before = {segment_key(s): (s.id, s.target, s.state) for s in sf.segments}
    after = {segment_key(s): (s.id, s.target, s.state) for s in done.segment_file.segments}
    assert after == before
    assert done.new == done.changed == done.archived == 0 and done.moved >= 1


def segment_key(seg) -> str:
    return " ".join(seg.source.split())


def test_new_sentences_take_exact_matches_from_the_translation_memory():
    other = translated("# Other\n\nAlerts are sent by email.\n", path="other.md")
    other.segments[1].state_qualifier = "mt-suggestion"
    memory = TranslationMemory.of([("locales/ko/other.xlf", other)])
    fresh = update_article(
        "# Other\n\nAlerts are sent by email. Nobody translated this yet.\n",
        None,
        path="new.md",
        language="ko-KR",
        memory=memory,
    )
    assert (fresh.leveraged, fresh.new) == (2, 1)
    assert [(s.source, s.target, s.state, s.state_qualifier) for s in fresh.segment_file.segments] == [
        ("Other", "KO(Other)", "translated", "exact-match"),
        ("Alerts are sent by email.", "KO(Alerts are sent by email.)", "translated", "leveraged-mt"),
        ("Nobody translated this yet.", "", "needs-translation", None),
    ]
    leveraged = fresh.segment_file.segments[1]
    origin = f"locales/ko/other.xlf#{other.segments[1].id}"
    assert leveraged.notes[0].text == f"translation memory: exact match from {origin}"
    assert leveraged.is_machine_translated

    sf = translated(ARTICLE)
    memory.add(sf, "locales/ko/alerts.xlf")
    repeated = ARTICLE.replace("## Turn on alerts\n", "## Turn on alerts\n\nEach alert has a severity.\n")
    done = update_article(repeated, sf, path="alerts.md", language="ko-KR", memory=memory)
    copy = [s for s in done.segment_file.segments if s.source == "Each alert has a severity."]
    assert done.leveraged == 1 and [s.target for s in copy] == ["KO(Each alert has a severity.)"] * 2
    assert copy[0].id != copy[1].id


def test_front_matter_title_imported_without_english_then_given_one():
    bilingual = (
        "---\ntitle: 오류 코드 5.7.7xx 해결\nms.translationtype: MT\nms.contentlocale: ko-KR\n---\n\n# "
        + sxs.pair("a-1", "경고 정책 관리", "Manage alert policies")
        + "\n"
    )
    article = sxs.parse(bilingual, "seed.md")
    title = next(s for s in article.segment_file.segments if s.key == "title")
    assert (title.source, title.target) == ("", "오류 코드 5.7.7xx 해결")  # the file has only the Korean title
    english = article.english.replace("---\n", "---\ntitle: Fix error code 5.7.7xx\n", 1)
    done = update_article(english, article.segment_file, path="seed.md", language="ko-KR")
    given = next(s for s in done.segment_file.segments if s.key == "title")
    assert (given.id, given.source, given.target, given.state) == (
        title.id,
        "Fix error code 5.7.7xx",
        title.target,
        "needs-review-translation",
    )

    edited = english.replace("title: Fix error code 5.7.7xx", "title: Fix error code 5.7.7xx in Exchange Online")
    done = update_article(edited, done.segment_file, path="seed.md", language="ko-KR")
    changed = next(s for s in done.segment_file.segments if s.key == "title")
    assert changed.source == "Fix error code 5.7.7xx in Exchange Online"
    assert [(a.source, a.target) for a in changed.alternatives] == [("Fix error code 5.7.7xx", title.target)]

    removed = edited.replace("title: Fix error code 5.7.7xx in Exchange Online\n", "")
    done = update_article(removed, done.segment_file, path="seed.md", language="ko-KR")
    assert not any(s.key == "title" for s in done.segment_file.segments)
    assert [s.key for s in done.segment_file.archive] == ["title"]


# ------------------------------------------------------------------ the command line


def locales(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (root / "locales").rglob("*.xlf")}


def test_update_on_an_imported_project_changes_no_byte(seed_project):
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in seed_project.rglob("*") if p.is_file()}
    result = run_bitext("update", "--root", str(seed_project))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "update ko: 0 segment files updated (0 new), 1 unchanged; units: 48 kept, "
        "0 changed, 0 new (0 from translation memory), 0 archived"
    )
    assert before == {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in seed_project.rglob("*") if p.is_file()}


def edit_seed(root: Path) -> Path:
    english = root / "docs/en/fix-error-code-5-7-7xx-in-exchange-online.md"
    text = english.read_text(encoding="utf-8")
    text = text.replace("5.7.705: Tenant has exceeded", "5.7.705: The tenant has exceeded")
    text += "\nThis is a brand new closing sentence. It has two parts.\n"
    english.write_text(text, encoding="utf-8")
    (root / "docs/en/new-article.md").write_text(
        "# New article\n\nThe tenant has exceeded its limit.\n", encoding="utf-8"
    )
    return english


def test_dry_run_reports_and_writes_nothing(seed_project):
    edit_seed(seed_project)
    before = locales(seed_project)
    result = run_bitext("update", "--root", str(seed_project), "--dry-run", "--lang", "ko")
    assert result.returncode == 0, result.stderr
    assert before == locales(seed_project)
    assert result.stdout.splitlines() == [
        "locales/ko/fix-error-code-5-7-7xx-in-exchange-online.xlf: 1 changed (previous translation kept as "
        "proposal), 2 new",
        "locales/ko/new-article.xlf: new segment file, 2 new",
        "update ko: 2 segment files to update (1 new), 0 unchanged; units: 47 kept, 1 changed, 4 new "
        "(0 from translation memory), 0 archived; dry run, nothing written",
    ]


def test_update_then_compile_and_export_follow_the_new_english(seed_project, tmp_path, xliff_schema):
    english = edit_seed(seed_project)
    result = run_bitext("update", "--root", str(seed_project))
    assert result.returncode == 0, result.stderr
    xlf = seed_project / "locales/ko/fix-error-code-5-7-7xx-in-exchange-online.xlf"
    for path in (xlf, seed_project / "locales/ko/new-article.xlf"):
        assert xliff_schema.validate(etree.parse(str(path))), xliff_schema.error_log
    from translate.storage import factory

    store = factory.getobject(str(xlf))
    changed = next(u for u in store.units if u.source.startswith("5.7.705: The tenant"))
    assert [alt.source for alt in changed.getalttrans()] == [
        "5.7.705: Tenant has exceeded threshold restriction: What you need to know"
    ]
    assert changed.target.startswith("5.7.705: 테 넌 트가")

    ko = tmp_path / "ko"
    result = run_bitext("compile", "--lang", "ko", "--out", str(ko), "--root", str(seed_project))
    assert result.returncode == 0 and "stale" not in result.stderr, result.stderr
    compiled = (ko / english.name).read_text(encoding="utf-8")
    assert "5.7.705: The tenant has exceeded" in compiled  # in review: English until approved
    assert "This is a brand new closing sentence. It has two parts." in compiled
    assert "사용자가 서비스를 통해" in compiled

    out = tmp_path / "sxs"
    result = run_bitext("export-sxs", "--lang", "ko", "--out", str(out), "--root", str(seed_project))
    assert result.returncode == 0, result.stderr
    article = sxs.parse((out / english.name).read_text(encoding="utf-8"), english.name)
    assert article.english == english.read_text(encoding="utf-8")  # the bilingual file is the new English

    before = locales(seed_project)
    result = run_bitext("update", "--root", str(seed_project))
    assert "0 segment files updated" in result.stdout
    assert before == locales(seed_project)


def test_bad_files_are_reported_left_alone_and_the_others_updated(seed_project):
    edit_seed(seed_project)
    (seed_project / "docs/en/latin1.md").write_bytes(b"# Caf\xe9\n")
    (seed_project / "docs/en/yaml.md").write_text("---\nauthor: me\ntitle: a: b\n---\n\nText.\n", encoding="utf-8")
    broken = seed_project / "locales/ko/new-article.xlf"
    broken.write_text("<xliff>\n<unclosed>\n", encoding="utf-8")
    orphan = seed_project / "locales/ko/gone.xlf"
    shutil.copy(seed_project / "locales/ko/fix-error-code-5-7-7xx-in-exchange-online.xlf", orphan)
    result = run_bitext("update", "--root", str(seed_project))
    assert result.returncode == 1
    assert "docs/en/latin1.md:1: encoding: invalid UTF-8" in result.stderr
    assert "docs/en/yaml.md:3: front-matter: front matter key 'title': invalid YAML" in result.stderr
    assert "locales/ko/new-article.xlf:3: xml: not well-formed XML" in result.stderr
    assert (
        "locales/ko/gone.xlf:1: missing-source: no English article docs/en/gone.md; segment file kept as it is"
        in result.stderr
    )
    assert broken.read_text(encoding="utf-8") == "<xliff>\n<unclosed>\n"
    assert not (seed_project / "locales/ko/latin1.xlf").exists()
    assert not (seed_project / "locales/ko/yaml.xlf").exists()
    assert orphan.exists()
    assert "alt-trans" in (seed_project / "locales/ko/fix-error-code-5-7-7xx-in-exchange-online.xlf").read_text(
        encoding="utf-8"
    )
    assert not list(seed_project.rglob("*.tmp"))


def test_a_segment_file_without_english_is_kept_by_update_and_refused_by_export(seed_project, tmp_path):
    """One code for both: update keeps the file (a warning, exit 0), export cannot write it (an error, exit 1)."""
    orphan = seed_project / "locales/ko/gone.xlf"
    shutil.copy(seed_project / "locales/ko/fix-error-code-5-7-7xx-in-exchange-online.xlf", orphan)
    kept = orphan.read_bytes()
    update = run_bitext("update", "--root", str(seed_project))
    assert update.returncode == 0, update.stderr
    assert "locales/ko/gone.xlf:1: missing-source: no English article docs/en/gone.md" in update.stderr
    assert orphan.read_bytes() == kept
    out = tmp_path / "sxs"
    export = run_bitext("export-sxs", "--lang", "ko", "--out", str(out), "--root", str(seed_project))
    assert export.returncode == 1
    assert "locales/ko/gone.xlf:1: missing-source: no English article docs/en/gone.md" in export.stderr
    assert "errors 1" in export.stdout
    assert (out / "fix-error-code-5-7-7xx-in-exchange-online.md").is_file() and not (out / "gone.md").exists()


@pytest.mark.corpus
def test_update_of_the_imported_corpus_is_a_no_op(corpus_project):
    result = run_bitext("update", "--root", str(corpus_project), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("update ko: 0 segment files to update (0 new), 583 unchanged")


@pytest.mark.corpus
def test_an_edit_elsewhere_keeps_microsofts_units(corpus_project):
    """Every imported article, re-synced as if edited: Microsoft's units keep their place and translation."""
    project = Project(corpus_project)
    total = kept = lost = 0
    for rel in project.segment_files("ko"):
        english = project.read_english(rel) + "\n\nA sentence a writer added.\n"
        old = project.read_segments(rel, "ko")
        done = update_article(english, old, path=rel, language="ko-KR")
        assert not locate(english, done.segment_file).stale
        assert done.segment_file.segments[-1].source == "A sentence a writer added."
        total += len(old.segments)
        kept += done.kept
        present = {s.target for s in (*done.segment_file.segments, *done.segment_file.archive)}
        present |= {a.target for s in done.segment_file.segments for a in s.alternatives}
        lost += sum(1 for s in old.segments if s.target not in present)
    assert lost == 0
    assert kept / total > 0.999, (kept, total)


def test_update_starts_a_new_language_with_the_same_segmentation(seed_project):
    ko = locales(seed_project)
    result = run_bitext("update", "--root", str(seed_project), "--lang", "ja")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "locales/ja/fix-error-code-5-7-7xx-in-exchange-online.xlf: new segment file, 47 new"
    )
    ja = xliff.load(seed_project / "locales/ja/fix-error-code-5-7-7xx-in-exchange-online.xlf")
    microsoft = xliff.load(seed_project / "locales/ko/fix-error-code-5-7-7xx-in-exchange-online.xlf")
    assert ja.target_language == "ja"
    assert all((s.target, s.state) == ("", "needs-translation") for s in ja.segments)
    # Our segmenter cuts the seed article exactly as Microsoft did (its description has no English).
    assert [s.source for s in ja.segments] == [s.source for s in microsoft.segments if s.source]
    assert {p: b for p, b in locales(seed_project).items() if "/ko/" in p.as_posix()} == ko


def test_update_keeps_what_a_cat_tool_added_and_drops_a_stale_seg_source(tmp_path):
    from bitext.formats import sxs, xliff
    from bitext.translate import update

    article = sxs.parse(
        sxs.pair("u-1", "하나입니다.", "One.") + " " + sxs.pair("u-2", "둘입니다.", "Two.") + "\n",
        "a.md",
        language="ko-KR",
    )
    first, second = article.segment_file.segments
    first.extra_attributes = {"target": {"xml:lang": "ko-KR"}}
    first.extra_elements = [
        '<count-group name="w"><count count-type="x-words">1</count></count-group>',
        '<seg-source><mrk mtype="seg" mid="1">One.</mrk></seg-source>',
    ]
    second.extra_elements = ['<seg-source><mrk mtype="seg" mid="1">Two.</mrk></seg-source>']
    done = update.update_article("One. Two, edited.\n", article.segment_file, path="a.md", language="ko-KR")
    text = xliff.dumps(done.segment_file)
    assert '<target state="translated" xml:lang="ko-KR">하나입니다.</target>' in text
    assert '<count-group name="w">' in text and "One.</mrk></seg-source>" in text
    assert "Two.</mrk>" not in text  # the English changed: its old segmentation is gone
