"""``bitext links`` on the real corpus: MkDocs' own link validation as the floor, the published defects found."""

from __future__ import annotations

import json
import shutil

import pytest

from bitext.bench.links import CORPUS_BASE_URL, add_docset_files
from bitext.bench.links_mkdocs import compare, mkdocs_warnings
from bitext.links import check as links
from bitext.project.project import Project
from bitext.translate.qa import runner
from conftest import run_bitext

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="session")
def links_corpus(tmp_path_factory, corpus_project, corpus):
    """The imported corpus plus its redirect map and English TOC (a copy: the shared project stays as is)."""
    root = tmp_path_factory.mktemp("links-corpus") / "project"
    shutil.copytree(corpus_project, root)
    add_docset_files(corpus, root)
    return root


@pytest.fixture(scope="session")
def corpus_findings(links_corpus) -> list[dict]:
    result = run_bitext("links", "--root", str(links_corpus), "--base-url", CORPUS_BASE_URL, "--format", "json")
    assert result.returncode == 1, result.stderr  # the corpus has real broken links
    return json.loads(result.stdout)


def test_everything_mkdocs_reports_is_found_or_rightly_resolved(links_corpus, corpus_findings, tmp_path):
    warnings, _ = mkdocs_warnings(links_corpus / "docs" / "en", tmp_path)
    c = compare(Project(links_corpus), links.LinkSettings(base_urls=(CORPUS_BASE_URL,)), warnings, corpus_findings)
    assert len(warnings) > 300
    assert [w.text for w in c.unexplained] == []
    assert len(c.matched) >= 150
    reasons = {reason.split(":")[0] for _, reason in c.explained}
    assert {"redirect followed", "absolute site path of the docset"} <= reasons
    # What MkDocs cannot see: the Korean pages' link parity.
    assert c.beyond[("ko", "link-parity")] >= 80


def find(findings, **kw):
    return [f for f in findings if all(f[k] == v for k, v in kw.items())]


def test_published_defects_are_found(corpus_findings):
    f = find(corpus_findings, page="apply-labels-to-personal-data-in-office-365.md", code="case-mismatch")
    assert f and "exists as media/Apply-labels-to-personal-data-in-Office-365-image1.png" in f[0]["message"]
    assert find(
        corpus_findings,
        page="controlling-your-data-using-customer-key.md",
        code="missing-anchor",
        target="controlling-your-data-using-customer-key.md#Create2newsubs",
        lang="en",
    )
    assert find(corpus_findings, page="office-365-customer-managed-encryption-features.md", code="bad-url")
    damaged = find(corpus_findings, page="manage-ediscovery-cases.md", code="link-parity", unit="dba3f-211")
    assert [d["path"] for d in damaged] == ["locales/ko/manage-ediscovery-cases.xlf"]
    assert damaged[0]["target"] == "media/ITPro-EAC-AddIcon.gif"
    # Missing pages in the TOC are found; a TOC entry for a redirected page is not a defect.
    toc = {f["target"] for f in find(corpus_findings, path="docs/en/TOC.md")}
    assert "apply_sensitivity_label_automatically.md" in toc
    assert "use-explorer-in-security-and-compliance.md" not in toc


def test_translation_findings_point_into_the_unit(links_corpus, corpus_findings):
    in_xlf = [f for f in corpus_findings if f["path"].endswith(".xlf")]
    assert in_xlf and all(f["lang"] == "ko" and f["unit"] for f in in_xlf)
    for f in in_xlf[:40]:
        lines = (links_corpus / f["path"]).read_text(encoding="utf-8").splitlines()
        unit_line = max(i for i in range(f["line"]) if f'<trans-unit id="{f["unit"]}"' in lines[i])
        assert f["line"] - unit_line <= 3 and "<target" in lines[f["line"] - 1]


def test_no_finding_for_links_that_work(corpus_findings):
    targets = {f["target"] for f in corpus_findings}
    # An absolute site path and a full docs URL of pages that exist; a locale swapped by the translator.
    assert "/Office365/SecurityCompliance/retention-policies" not in targets
    assert "https://docs.microsoft.com/ko-KR/azure/information-protection/reports-aip" not in targets
    assert not find(corpus_findings, code="missing-anchor", lang="ko")  # headings keep the English ids


def test_link_parity_agrees_with_bitext_check(links_corpus, corpus_findings):
    """``bitext links`` and ``bitext check`` judge a translation's destinations with one function:
    the same units, and the locale swaps only ``check`` reports (as link-locale)."""
    project = Project(links_corpus)
    levels = runner.severities()
    report = runner.check_project(project, ["ko"], levels, only={"links", "link-locale"})
    checked = {(f.path, f.unit) for f in report.flags if f.code == "links"}
    localized = {(f.path, f.unit) for f in report.flags if f.code == "link-locale"}
    parity = {(f["path"], f["unit"]) for f in corpus_findings if f["code"] == "link-parity"}
    assert len(parity) >= 80
    assert checked == parity
    assert localized and not localized & parity
    # A typed URL counts: the translator dropped it (MT damage), or made it a link (no finding).
    units = {u for p, u in parity if p == "locales/ko/enable-archive-mailboxes.xlf"}
    assert "9adf4-185" in units
    assert ("locales/ko/search-the-audit-log-in-security-and-compliance.xlf", "e9422-1535") not in parity
