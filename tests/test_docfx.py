"""DocFX docset files: Markdown TOC, redirect map, site base paths."""

from __future__ import annotations

import json

import pytest

from bitext.core.errors import BitextError
from bitext.formats import docfx


def test_toc_tree_with_groups_and_links():
    toc = docfx.parse_toc(
        "# [Home](index.md)\n\n# Get started\n## [A](a.md)\n### [A1](a1.md)\n## [Ext](https://x.org/)\n"
    )
    assert [(e.title, e.href, e.line) for e in toc] == [("Home", "index.md", 1), ("Get started", None, 3)]
    assert [e.title for e in toc[1].children] == ["A", "Ext"]
    assert toc[1].children[0].children[0].href == "a1.md"
    assert len(list(docfx.walk(toc))) == 5


@pytest.mark.corpus
def test_corpus_toc(corpus):
    toc = docfx.parse_toc((corpus / "en" / "TOC.md").read_text(encoding="utf-8"))
    entries = list(docfx.walk(toc))
    assert toc[0].href == "index.md" and len(entries) > 500
    assert any(e.href == "ediscovery-cases.md#step-4-place-content-locations-on-hold" for e in entries)


def test_empty_title_names_the_line():
    with pytest.raises(BitextError, match=r"TOC.md:2: toc:"):
        docfx.parse_toc("# [A](a.md)\n## []()\n")


@pytest.mark.corpus
def test_site_paths_map_to_pages(corpus):
    docset = docfx.read_docset(
        corpus / "sxs" / "docfx.json", ("https://docs.microsoft.com/office365/securitycompliance/",)
    )
    assert docset.to_page("/Office365/SecurityCompliance/threat-explorer") == "threat-explorer"
    assert docset.to_page("https://docs.microsoft.com/en-us/office365/securitycompliance/eop/x#y") == "eop/x"
    assert docset.to_page("https://docs.microsoft.com/exchange/x") is None
    assert docfx.resolve_page("eop/x", {"eop/x.md"}) == "eop/x.md"
    assert docfx.resolve_page("eop/", {"eop/index.md"}) == "eop/index.md"


def test_redirections_are_docs_relative(tmp_path):
    path = tmp_path / ".openpublishing.redirection.json"
    path.write_text(
        json.dumps(
            {
                "redirections": [
                    {
                        "source_path": "docset/old.md",
                        "redirect_url": "https://learn.example/docset/new",
                        "redirect_document_id": True,
                    },
                    {"source_path": "docset/gone.md", "redirect_url": "https://elsewhere.example/page"},
                ]
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    docset = docfx.read_docset(None, ("https://learn.example/docset/",))
    redirects = docfx.read_redirections(path, {"new.md"}, docset)
    assert [(r.source, r.target, r.internal) for r in redirects] == [
        ("old.md", "new.md", True),
        ("gone.md", "https://elsewhere.example/page", False),
    ]
    assert redirects[1].line == 9


def test_bad_redirection_file(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{"redirections": [\n {"source_path": "a.md"}\n]}', encoding="utf-8")
    with pytest.raises(BitextError, match=r"r.json:2: redirection:"):
        docfx.read_redirections(path, set(), docfx.Docset())


def test_unreadable_docfx_files_are_errors_not_crashes(tmp_path):
    bad = tmp_path / "docfx.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    assert docfx.read_docset(bad).base_paths == ()  # valid JSON of another shape: nothing to learn
    bad.write_bytes(b'{"build":\n \xff}')
    with pytest.raises(BitextError, match=r"docfx.json:2: encoding:"):
        docfx.read_docset(bad)
    with pytest.raises(BitextError, match=r"none.json:1: redirection: redirect map not found"):
        docfx.read_redirections(tmp_path / "none.json", set(), docfx.Docset())
