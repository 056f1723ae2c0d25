"""The import/compile/export commands as a user runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

from bitext.formats import sxs
from conftest import run_bitext


def make_sxs(folder: Path, seed_path: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(seed_path, folder / seed_path.name)
    (folder / "media").mkdir()
    (folder / "media" / "pic.png").write_bytes(b"\x89PNG fake")
    (folder / "includes").mkdir()
    (folder / "includes" / "note.md").write_text(
        sxs.pair("inc-1", "포함된 문장.", "Included sentence.") + "\n", encoding="utf-8"
    )
    (folder / "TOC.md").write_text("# [Home](index.md)\n", encoding="utf-8")
    return folder


def test_import_writes_english_segments_assets_and_summary(tmp_path, seed_path):
    src = make_sxs(tmp_path / "in", seed_path)
    root = tmp_path / "site"
    result = run_bitext("import-sxs", str(src), "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert (root / "docs/en" / seed_path.name).is_file()
    assert (root / "locales/ko/fix-error-code-5-7-7xx-in-exchange-online.xlf").is_file()
    assert (root / "locales/ko/includes/note.xlf").is_file()  # no front matter: language of the import
    assert (root / "docs/en/media/pic.png").read_bytes() == b"\x89PNG fake"
    assert not (root / "docs/en/TOC.md").exists()
    assert f"skipped {src / 'TOC.md'}: no sentence pairs" in result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    assert summary == ("imported 2 articles: 47 segments + 2 front-matter units, 1 asset; skipped 1; errors 0")
    assert not list(root.rglob("*.tmp"))


def test_reimport_changes_no_byte(tmp_path, seed_path):
    src = make_sxs(tmp_path / "in", seed_path)
    root = tmp_path / "site"
    run_bitext("import-sxs", str(src), "--root", str(root))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}
    assert run_bitext("import-sxs", str(src), "--root", str(root)).returncode == 0
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}
    assert before == after


def test_round_trip_compile_and_export(seed_project, seed_path, tmp_path):
    out = tmp_path / "sxs-out"
    result = run_bitext("export-sxs", "--lang", "ko", "--out", str(out), "--root", str(seed_project))
    assert result.returncode == 0, result.stderr
    assert (out / seed_path.name).read_bytes() == seed_path.read_bytes()
    ko = tmp_path / "ko"
    result = run_bitext("compile", "--lang", "ko", "--out", str(ko), "--root", str(seed_project))
    assert result.returncode == 0, result.stderr
    text = (ko / seed_path.name).read_text(encoding="utf-8")
    assert "span" not in text and "테 넌 트가 임계값 제한을 초과 했습니다" in text
    assert text.startswith("---\ntitle: Exchange Online에서 오류 코드 5.7.7 xx에")
    assert 'ms.locfileid: "40962307"' in text


def test_bad_file_is_reported_and_the_others_go_through(tmp_path, seed_path):
    src = make_sxs(tmp_path / "in", seed_path)
    (src / "broken.md").write_text(
        "fine\n" + sxs.pair("b-1", "가", "A").replace('b-1">A', 'b-2">A') + "\n", encoding="utf-8"
    )
    (src / "crlf.md").write_bytes(b"ok\r\n" + sxs.pair("c-1", "가", "A").encode() + b"\r\n")
    root = tmp_path / "site"
    result = run_bitext("import-sxs", str(src), "--root", str(root))
    assert result.returncode == 1
    assert f"{src / 'broken.md'}:2: mismatched-id: " in result.stderr
    assert f"{src / 'crlf.md'}:1: line-ending: CRLF line ending" in result.stderr
    assert result.stdout.strip().endswith("errors 2")
    assert (root / "docs/en" / seed_path.name).exists()
    assert not (root / "docs/en/broken.md").exists() and not (root / "locales/ko/broken.xlf").exists()


def test_language_for_files_without_locale(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "inc.md").write_text(sxs.pair("i-1", "文.", "Sentence.") + "\n", encoding="utf-8")
    root = tmp_path / "site"
    result = run_bitext("import-sxs", str(src / "inc.md"), "--root", str(root))
    assert result.returncode == 1 and "inc.md:1: language: no ms.contentlocale" in result.stderr
    result = run_bitext("import-sxs", str(src / "inc.md"), "--root", str(root), "--lang", "ja-JP")
    assert result.returncode == 0, result.stderr
    assert 'target-language="ja-JP"' in (root / "locales/ja/inc.xlf").read_text(encoding="utf-8")


def test_broken_segment_file_fails_compile_with_its_line(seed_project, tmp_path):
    xlf = seed_project / "locales/ko/fix-error-code-5-7-7xx-in-exchange-online.xlf"
    lines = xlf.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[20] = lines[20].replace("</target>", "")
    xlf.write_text("".join(lines), encoding="utf-8")
    result = run_bitext("compile", "--lang", "ko", "--out", str(tmp_path / "ko"), "--root", str(seed_project))
    assert result.returncode == 1
    assert "locales/ko/fix-error-code-5-7-7xx-in-exchange-online.xlf:" in result.stderr
    assert ": xml: not well-formed XML" in result.stderr


def test_usage_errors_exit_2(tmp_path):
    assert run_bitext("compile", "--out", str(tmp_path)).returncode == 2
    assert run_bitext("import-sxs", str(tmp_path / "nope")).returncode == 2
    assert run_bitext("no-such-command").returncode == 2


def test_language_tags_and_unknown_languages(seed_project, tmp_path):
    result = run_bitext("compile", "--lang", "ko-KR", "--out", str(tmp_path / "ko"), "--root", str(seed_project))
    assert result.returncode == 0, result.stderr
    assert "테 넌 트" in (tmp_path / "ko/fix-error-code-5-7-7xx-in-exchange-online.md").read_text(encoding="utf-8")
    for command in ("compile", "export-sxs"):
        result = run_bitext(command, "--lang", "fr", "--out", str(tmp_path / "fr"), "--root", str(seed_project))
        assert result.returncode == 2 and "no segment files for fr" in result.stderr
        assert not (tmp_path / "fr").exists()


def test_redirect_stub_is_skipped_but_kept_as_english_stub(tmp_path):
    src = tmp_path / "in"
    (src / "eop").mkdir(parents=True)
    (src / "eop" / "index.md").write_text(
        "---\nredirect_url: eop-features\nredirect_document_id: true\nms.contentlocale: ko-KR\n"
        'ms.locfileid: "1"\n---\n',
        encoding="utf-8",
    )
    root = tmp_path / "site"
    result = run_bitext("import-sxs", str(src), "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert "no sentence pairs; a redirect stub, copied to docs/en" in result.stdout
    assert (root / "docs/en/eop/index.md").read_text(
        encoding="utf-8"
    ) == "---\nredirect_url: eop-features\nredirect_document_id: true\n---\n"
    assert not (root / "locales").exists()


def test_update_takes_every_lang_flag(seed_project):
    result = run_bitext("update", "--root", str(seed_project), "--lang", "ko", "--lang", "ja-JP", "--dry-run")
    assert result.returncode == 0, result.stderr
    summaries = [line.split(":")[0] for line in result.stdout.splitlines() if line.startswith("update ")]
    assert summaries == ["update ko", "update ja"]
    assert not (seed_project / "locales/ja").exists()  # a dry run writes nothing


def test_reimport_never_silently_replaces_translations(tmp_path, seed_path):
    src = make_sxs(tmp_path / "in", seed_path)
    root = tmp_path / "site"
    run_bitext("import-sxs", str(src), "--root", str(root))
    xlf = root / "locales/ko/fix-error-code-5-7-7xx-in-exchange-online.xlf"
    edited = xlf.read_text(encoding="utf-8").replace("이러한 오류 코드는", "이 오류 코드는")
    xlf.write_text(edited, encoding="utf-8")
    result = run_bitext("import-sxs", str(src), "--root", str(root))
    assert result.returncode == 1
    assert (
        f"{src / seed_path.name}:1: would-overwrite: locales/ko/fix-error-code-5-7-7xx-in-exchange-online.xlf "
        f"exist and differ from this import"
    ) in result.stderr
    assert xlf.read_text(encoding="utf-8") == edited
    assert run_bitext("import-sxs", str(src), "--root", str(root), "--force").returncode == 0
    assert "이러한 오류 코드는" in xlf.read_text(encoding="utf-8")
