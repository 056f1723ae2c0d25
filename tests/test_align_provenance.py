"""``bitext align`` and the English a translation names (``provenance``): made from older English, nothing
is confident."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bitext.core.states import State
from bitext.formats import sxs, xliff
from bitext.translate.align.provenance import Provenance, origin
from conftest import run_bitext
from test_align import ENGLISH, KOREAN, project


def crlf_sha1(text: str) -> str:
    """Microsoft's ``ms.openlocfilehash``: the SHA-1 of the English file with CRLF line ends."""
    return hashlib.sha1(text.replace("\n", "\r\n").encode("utf-8")).hexdigest()


def naming(fingerprint: str) -> bytes:
    """The Korean article with a localisation header naming the English ``fingerprint``."""
    header = f"ms.openlocfilehash: {fingerprint}\nms.translationtype: HT\nms.contentlocale: ko-KR\n"
    return KOREAN.replace("title: 스팸 필터 설정\n", "title: 스팸 필터 설정\n" + header, 1).encode("utf-8")


def align(root: Path, source: Path) -> tuple[dict, str]:
    """The JSON report of a dry run, then the text report of the run that writes."""
    args = ("align", "--lang", "ko", "--from", str(source), "--root", str(root))
    dry = run_bitext(*args, "--format", "json", "--dry-run")
    text = run_bitext(*args)
    assert text.returncode == 0, text.stderr
    return json.loads(dry.stdout), text.stdout


def units(root: Path, rel: str = "a.xlf"):
    return xliff.load(root / "locales" / "ko" / rel).segments


def test_a_translation_naming_this_english_keeps_its_confident_targets(tmp_path: Path):
    root, source = project(tmp_path, {"a.md": (ENGLISH, naming(crlf_sha1(ENGLISH)))})
    data, text = align(root, source)
    assert data["articles"][0]["origin"] == {
        "provenance": "current",
        "key": "ms.openlocfilehash",
        "named": crlf_sha1(ENGLISH),
        "english": crlf_sha1(ENGLISH),
        "in_history": False,
    }
    assert data["summary"]["provenance"] == {"current": 1, "older": 0, "unknown": 0}
    assert "made from the English now: 1, from older English: 0" in text
    assert "8 translated, 0 to review, 0 without counterpart, made from this English (ms.openlocfilehash)\n" in text
    segments = units(root)
    assert sum(s.state == State.TRANSLATED for s in segments) == 8
    assert not any("English changed" in n.text for s in segments for n in s.notes)


def test_a_translation_naming_another_english_keeps_every_target_but_none_confident(tmp_path: Path):
    older = ENGLISH.replace("in your organization", "in your tenant")
    root, source = project(tmp_path, {"a.md": (ENGLISH, naming(crlf_sha1(older)))})
    plain = tmp_path / "plain"
    plain_root, plain_source = project(plain, {"a.md": (ENGLISH, KOREAN.encode("utf-8"))})
    data, text = align(root, source)
    align(plain_root, plain_source)

    article = data["articles"][0]
    assert article["origin"]["provenance"] == "older"
    assert article["origin"]["named"] == crlf_sha1(older) and article["origin"]["english"] == crlf_sha1(ENGLISH)
    assert article["translated"] == 0 and article["held_for_review"] == 8 and article["low_confidence"] == []
    assert data["summary"]["provenance"] == {"current": 0, "older": 1, "unknown": 0}
    assert "made from older English (ms.openlocfilehash): 8 confident pairs to review" in text
    segments, without = units(root), units(plain_root)
    # Nothing lost: every target the same article gets without a fingerprint, only its state changed.
    assert [s.target for s in segments] == [s.target for s in without]
    assert sum(s.state == State.TRANSLATED for s in without) == 8
    for seg in segments:
        if seg.target:
            assert seg.state == State.NEEDS_REVIEW_TRANSLATION
            (note,) = [n.text for n in seg.notes if n.author == "bitext-align"]
            assert (
                f"the English changed since this translation was made (ms.openlocfilehash {crlf_sha1(older)}; "
                f"the English now is {crlf_sha1(ENGLISH)})"
            ) in note


def test_a_translation_without_fingerprint_is_aligned_as_before(tmp_path: Path):
    root, source = project(tmp_path, {"a.md": (ENGLISH, KOREAN.encode("utf-8"))})
    data, text = align(root, source)
    assert "0 without counterpart, no fingerprint of the English it was made from\n" in text
    assert data["articles"][0]["origin"]["provenance"] == "unknown"
    assert data["summary"]["provenance"] == {"current": 0, "older": 0, "unknown": 1}
    assert sum(s.state == State.TRANSLATED for s in units(root)) == 8


def test_a_translators_translation_in_an_older_article_is_left_as_it_is(tmp_path: Path):
    root, source = project(tmp_path, {"a.md": (ENGLISH, KOREAN.encode("utf-8"))})
    align(root, source)
    (source / "a.md").write_bytes(naming("0" * 40))
    data, _ = align(root, source)
    assert data["articles"][0]["origin"]["provenance"] == "older" and data["articles"][0]["kept"] == 8
    assert sum(s.state == State.TRANSLATED for s in units(root)) == 8


@pytest.mark.parametrize("stored", ["lf", "crlf", "bom", "bom-crlf"])
@pytest.mark.parametrize("hashed", ["crlf", "lf"])
def test_the_fingerprint_matches_however_the_english_file_is_stored(stored: str, hashed: str):
    data = ENGLISH.replace("\n", "\r\n") if "crlf" in stored else ENGLISH
    english = (b"\xef\xbb\xbf" if "bom" in stored else b"") + data.encode("utf-8")
    lines = ENGLISH.replace("\n", "\r\n") if hashed == "crlf" else ENGLISH
    fingerprint = hashlib.sha1(lines.encode("utf-8")).hexdigest()
    translation = naming(fingerprint.upper() if stored == "bom" else fingerprint).decode("utf-8")
    assert origin(translation, english).provenance == Provenance.CURRENT
    edited = english.replace(b"every mailbox", b"each mailbox")
    assert origin(translation, edited).provenance == Provenance.OLDER


def test_values_that_are_no_fingerprint_name_nothing():
    english = ENGLISH.encode("utf-8")
    for value in ("", "abc", "'" + "g" * 40 + "'", crlf_sha1(ENGLISH) + "0"):
        assert origin(naming(value).decode("utf-8"), english).provenance == Provenance.UNKNOWN
    assert origin(naming(f'"{crlf_sha1(ENGLISH)}"').decode("utf-8"), english).provenance == Provenance.CURRENT
    assert origin(KOREAN.split("---\n", 2)[2], english).provenance == Provenance.UNKNOWN


def git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "w", "GIT_AUTHOR_EMAIL": "w@x", "GIT_COMMITTER_NAME": "w", "GIT_COMMITTER_EMAIL": "w@x"}
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


OLDER = ENGLISH.replace("in your organization", "in your tenant")


def history(tmp_path: Path, translation: bytes) -> tuple[Path, Path, str, str]:
    """A project whose git history holds the older English, then the English now: (root, source, commits)."""
    root, source = project(tmp_path, {"a.md": (OLDER, translation)})
    git(root, "init", "-q")
    git(root, "add", "docs")
    git(root, "commit", "-qm", "older")
    before = git(root, "rev-parse", "HEAD")
    (root / "docs" / "en" / "a.md").write_text(ENGLISH, encoding="utf-8")
    git(root, "commit", "-qam", "edited")
    return root, source, before, git(root, "rev-parse", "HEAD")


def states(root: Path) -> list[tuple[str, str]]:
    return [(s.source, s.state) for s in units(root) if s.target]


EDITED = "Spam filters protect every mailbox in your organization."


def test_with_the_older_english_in_the_projects_history_only_the_edited_units_are_held(tmp_path: Path):
    root, source, _, _ = history(tmp_path, naming(crlf_sha1(OLDER)))
    data, text = align(root, source)
    assert "(ms.openlocfilehash, the older English found in the project's history): 1 confident pairs" in text
    article = data["articles"][0]
    assert article["origin"]["provenance"] == "older" and article["origin"]["in_history"] is True
    assert article["translated"] == 7 and article["held_for_review"] == 1
    assert [state for source, state in states(root) if source == EDITED] == [State.NEEDS_REVIEW_TRANSLATION]
    assert [state for source, state in states(root) if source != EDITED] == [State.TRANSLATED] * 7
    notes = {s.source: next(n.text for n in s.notes if n.author == "bitext-align") for s in units(root) if s.target}
    assert notes[EDITED].endswith("the project's history holds it: this unit's English is new or edited since")
    assert notes["They run on each message that arrives."].endswith("this unit's English is unchanged")


def test_a_history_above_the_project_is_not_read(tmp_path: Path):
    root, source = project(tmp_path, {"a.md": (OLDER, naming(crlf_sha1(OLDER)))})
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "p")
    git(tmp_path, "commit", "-qm", "older")
    (root / "docs" / "en" / "a.md").write_text(ENGLISH, encoding="utf-8")
    data, _ = align(root, source)
    assert data["articles"][0]["origin"]["in_history"] is False and data["articles"][0]["translated"] == 0


def source_commit(commit: str) -> bytes:
    header = f"l10n:\n  sourceCommit: {commit}\n"
    return KOREAN.replace("title: 스팸 필터 설정\n", "title: 스팸 필터 설정\n" + header, 1).encode("utf-8")


def test_mdns_source_commit_names_the_english_of_that_commit(tmp_path: Path):
    root, source, before, after = history(tmp_path / "one", source_commit("0" * 40))
    for commit, provenance, translated in ((after, "current", 8), (before, "older", 7), ("0" * 40, "unknown", 8)):
        (source / "a.md").write_bytes(source_commit(commit))
        data, _ = align(root, source)
        article = data["articles"][0]
        assert article["origin"]["provenance"] == provenance and article["translated"] == translated
        shutil.rmtree(root / "locales")
    assert article["origin"]["key"] is None
    plain_root, plain_source = project(tmp_path / "two", {"a.md": (ENGLISH, source_commit(after))})
    assert align(plain_root, plain_source)[0]["articles"][0]["origin"]["provenance"] == "unknown"


@pytest.mark.corpus
def test_microsofts_korean_names_the_english_it_was_made_from(corpus: Path):
    """``ko/`` was made from ``en/`` (September); the March bilingual files name the March English."""
    found: dict[str, list[Provenance]] = {"ko": [], "sxs-2019-03": []}
    for folder, seen in found.items():
        for path in sorted((corpus / folder).rglob("*.md"))[::20]:
            english = corpus / "en" / path.relative_to(corpus / folder)
            if not english.exists() or path.name == "TOC.md":
                continue
            translation = path.read_text(encoding="utf-8-sig")
            if folder != "ko":
                translation = sxs.translation(translation, str(path))
            seen.append(origin(translation, english.read_bytes()).provenance)
    assert len(found["ko"]) >= 25 and set(found["ko"]) == {Provenance.CURRENT}
    assert len(found["sxs-2019-03"]) >= 20 and found["sxs-2019-03"].count(Provenance.OLDER) >= 0.9 * len(
        found["sxs-2019-03"]
    )


@pytest.mark.corpus
def test_microsofts_march_korean_aligned_to_the_september_english_has_no_confident_target(corpus: Path, tmp_path: Path):
    march = corpus / "sxs-2019-03"
    rels = [
        p.relative_to(march).as_posix()
        for p in sorted(march.glob("*.md"))
        if (corpus / "en" / p.name).exists() and sxs.has_pairs(p.read_text(encoding="utf-8"))
    ][::60]
    root, source = project(
        tmp_path,
        {
            rel: (
                (corpus / "en" / rel).read_text(encoding="utf-8-sig"),
                sxs.translation((march / rel).read_text(encoding="utf-8"), rel).encode("utf-8"),
            )
            for rel in rels
        },
    )
    data, _ = align(root, source)
    older = [a for a in data["articles"] if a["origin"]["provenance"] == "older"]
    assert len(older) >= 0.9 * len(rels) >= 5
    assert sum(a["held_for_review"] for a in older) > 100 and not any(a["translated"] for a in older)
    for article in older:
        sf = xliff.load(root / "locales" / "ko" / Path(article["path"]).with_suffix(".xlf"))
        assert not any(s.state == State.TRANSLATED for s in sf.segments)
        assert sum(bool(s.target) for s in sf.segments) == article["review"] + article["kept"]
