"""The core pipeline on the real corpus: lossless, same Korean as Microsoft, real XLIFF."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from bitext.formats import xliff
from conftest import run_bitext

pytestmark = pytest.mark.corpus

# Markdown backslash escapes (the sxs spans escape `\<`, `\*` ... where the published Korean does not).
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~\"'&])")


def _sxs_articles(corpus):
    return sorted(p.relative_to(corpus / "sxs").as_posix() for p in (corpus / "sxs").rglob("*.md"))


def test_import_reports_skipped_files(corpus, tmp_path):
    result = run_bitext("import-sxs", str(corpus / "sxs"), "--root", str(tmp_path / "p"))
    assert result.returncode == 0, result.stderr
    skipped = sorted(line.split()[1] for line in result.stdout.splitlines() if line.startswith("skipped "))
    assert [p.removeprefix(str(corpus / "sxs") + "/").rstrip(":") for p in skipped] == [
        "TOC.md",
        "eop/index.md",
        "index.md",
    ]
    assert result.stdout.strip().splitlines()[-1].startswith("imported 583 articles: 54,786 segments + ")


def test_export_reproduces_every_article_byte_for_byte(corpus, corpus_project, tmp_path):
    out = tmp_path / "sxs"
    result = run_bitext("export-sxs", "--lang", "ko", "--out", str(out), "--root", str(corpus_project))
    assert result.returncode == 0, result.stderr
    articles = [rel for rel in _sxs_articles(corpus) if (out / rel).exists()]
    same = [rel for rel in articles if (out / rel).read_bytes() == (corpus / "sxs" / rel).read_bytes()]
    assert len(articles) == len(same) == 583


def test_compiled_korean_matches_microsoft(corpus, corpus_project, tmp_path):
    out = tmp_path / "ko"
    result = run_bitext("compile", "--lang", "ko", "--out", str(out), "--root", str(corpus_project))
    assert result.returncode == 0, result.stderr
    compiled = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*.md")
        if (corpus_project / "locales/ko" / p.relative_to(out).with_suffix(".xlf")).exists()
    )
    assert len(compiled) == 583
    assert (out / "eop/index.md").read_text(encoding="utf-8").startswith("---\nredirect_url: eop-features\n")
    ours = {rel: _ESCAPE.sub(r"\1", (out / rel).read_text(encoding="utf-8")) for rel in compiled}
    theirs = {rel: _ESCAPE.sub(r"\1", (corpus / "ko" / rel).read_text(encoding="utf-8")) for rel in compiled}
    differ = [rel for rel in compiled if ours[rel] != theirs[rel]]
    in_words = [rel for rel in differ if re.sub(r"\s+", "", ours[rel]) != re.sub(r"\s+", "", theirs[rel])]
    # The one known difference in words: Microsoft's Korean drops a backslash before a space ("\ ****").
    assert len(compiled) - len(in_words) >= 582, in_words
    # The others differ in white space only: targets whose machine translation starts with a new line
    # and an indent (an indented code block on a page), kept in their line by the guard, which says so.
    repaired = {rel for rel in differ if rel not in in_words}
    reported = {
        m.group(1) for m in re.finditer(r"^locales/ko/(\S+)\.xlf:\d+: markup-injection: .*<pre>", result.stderr, re.M)
    }
    assert {rel.removesuffix(".md") for rel in repaired} <= reported, (repaired, reported)


def test_every_segment_file_is_strict_xliff_and_read_by_translate_toolkit(corpus_project, xliff_schema):
    from translate.storage import factory

    files = sorted((corpus_project / "locales" / "ko").rglob("*.xlf"))
    assert len(files) == 583
    body_units = 0
    for path in files:
        assert xliff_schema.validate(etree.parse(str(path))), f"{path}: {xliff_schema.error_log}"
        ours = xliff.load(path)
        body_units += len(ours.body_segments())
        units = [u for u in factory.getobject(str(path)).units if not u.isheader()]
        assert [(u.getid().split("\x04")[-1], u.source, u.target) for u in units] == [
            (s.id, s.source, s.target) for s in ours.segments
        ], path
    assert body_units == 54786
