"""``bitext links`` against MkDocs' own link validation, on the English pages of the corpus.

MkDocs is run with every ``validation`` setting at ``warn``; each warning it
prints about a link is looked up among bitext's findings for the same page
and target.  A warning bitext does not report must have a reason bitext can
show (a redirect it followed, an absolute site path it mapped to a page, the
HTML ``#top`` fragment); anything else is printed as UNEXPLAINED.
"""

from __future__ import annotations

import html
import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import markdown

from bitext.bench import bitext, measure
from bitext.bench.links import CORPUS_BASE_URL, import_corpus
from bitext.core import frontmatter
from bitext.links import check as links
from bitext.links import scan as linkscan
from bitext.links.resolve import Site
from bitext.project.project import Project
from bitext.project.sitefiles import SiteFiles

_WARNING = re.compile(
    r"Doc file '(?P<page>[^']+)' contains (?:a|an (?P<kind>absolute|unrecognized relative)) "
    r"link '(?P<target>[^']*)'(?P<rest>.*)"
)

MKDOCS_YML = """\
site_name: corpus (English)
docs_dir: {docs}
site_dir: {site}
theme: mkdocs
validation:
  absolute_links: warn
  unrecognized_links: warn
  not_found: warn
  anchors: warn
"""


@dataclass(frozen=True)
class MkDocsWarning:
    page: str
    target: str
    kind: str  # not-found, anchor, absolute, unrecognized
    text: str


def mkdocs_warnings(docs: Path, workdir: Path) -> tuple[list[MkDocsWarning], float]:
    """Build ``docs`` with MkDocs (validation at warn level): its link warnings, and the build time."""
    config = workdir / "mkdocs.yml"
    config.write_text(MKDOCS_YML.format(docs=docs, site=workdir / "site"), encoding="utf-8")
    run = measure([sys.executable, "-m", "mkdocs", "build", "-f", str(config)])
    found = []
    for line in run.stderr.splitlines():
        m = _WARNING.search(line)
        if not m:
            continue
        kind = {"absolute": "absolute", "unrecognized relative": "unrecognized"}.get(m.group("kind") or "", "")
        if not kind:
            kind = "anchor" if "anchor" in m.group("rest") else "not-found"
        found.append(MkDocsWarning(m.group("page"), m.group("target"), kind, line.strip()))
    return found, run.seconds


@dataclass
class Comparison:
    warnings: list[MkDocsWarning]
    matched: list[tuple[MkDocsWarning, dict]]
    explained: list[tuple[MkDocsWarning, str]]
    unexplained: list[MkDocsWarning]
    beyond: Counter  # (lang, code) of bitext findings MkDocs has no warning for


def _same(a: str, b: str) -> bool:
    return html.unescape(unquote(a)).strip() == html.unescape(unquote(b)).strip()


def compare(
    project: Project, settings: links.LinkSettings, warnings: list[MkDocsWarning], findings: list[dict]
) -> Comparison:
    site = Site(SiteFiles.read(project, links.site_options(settings)))
    english = [f for f in findings if f["lang"] == project.source_language]
    by_page: dict[str, list[dict]] = {}
    for f in english:
        by_page.setdefault(f["page"], []).append(f)
    matched, explained, unexplained = [], [], []
    used: set[int] = set()
    for w in warnings:
        hits = [f for f in by_page.get(w.page, []) if _same(f["target"], w.target)]
        if hits:
            matched.append((w, hits[0]))
            used.update(id(f) for f in hits)  # MkDocs names a link once per page, bitext each place
            continue
        reason = _reason(project, site, w)
        (explained.append((w, reason)) if reason else unexplained.append(w))
    beyond = Counter((f["lang"], f["code"]) for f in findings if id(f) not in used)
    return Comparison(warnings, matched, explained, unexplained, beyond)


def _reason(project: Project, site: Site, w: MkDocsWarning) -> str | None:
    """Why bitext rightly has no finding for a link MkDocs warns about, or None."""
    r = site.resolve(w.page, w.target)
    if r.problem:
        return None
    if w.kind == "anchor" and r.fragment.lower() == "top":
        return "'#top' is the top of every HTML page (HTML standard), not an anchor to define"
    if w.kind == "anchor" and r.kind == "page" and _rendered_anchor(project, r.path, r.fragment):
        return (
            f"anchor present: Python-Markdown's HTML of {r.path} has #{r.fragment}; MkDocs' raw-HTML anchor "
            f"scan (html.parser over the whole file) lost it, e.g. after a '<' inside a code span"
        )
    if r.redirects and r.kind == "page":
        return f"redirect followed: {' -> '.join(r.redirects)} -> {r.path} (exists)"
    if r.redirects and r.kind == "external":
        return f"redirect followed: {' -> '.join(r.redirects)} -> {r.url} (leaves the docset; --external checks it)"
    if w.kind == "absolute" and r.kind in ("page", "file"):
        return f"absolute site path of the docset: {r.path} exists"
    if w.kind == "absolute" and r.kind == "external":
        return f"absolute path outside the docset, on the docset's host: {r.url} (--external checks it)"
    return None


def _rendered_anchor(project: Project, page: str, fragment: str) -> bool:
    """True when the page as MkDocs' Markdown renders it has an element with this id or <a name>."""
    rendered = markdown.markdown(project.read_english(page), extensions=["toc", "tables", "fenced_code"])
    quoted = re.escape(html.escape(fragment, quote=True))
    return re.search(rf'\b(?:id|name)="{quoted}"', rendered) is not None


def heading_agreement(project: Project) -> tuple[int, int]:
    """On how many English pages bitext's heading ids equal those of a Python-Markdown render (and of how many)."""
    md = markdown.Markdown(extensions=["toc", "tables", "fenced_code", "attr_list"])
    same = total = 0
    files = SiteFiles.read(project)
    for rel in sorted(set(files.texts) | set(files.stubs)):
        text = files.markdown(rel)
        fm = frontmatter.split(text)
        md.reset()
        md.convert(text[fm.end :] if fm else text)
        _, headings = linkscan.blocks(text, fm.end if fm else 0)
        same += linkscan.heading_ids(headings) == linkscan.toc_ids(md.toc_tokens)
        total += 1
    return same, total


def report(c: Comparison) -> str:
    out = []
    kinds = Counter(w.kind for w in c.warnings)
    out.append(
        f"MkDocs link warnings on the English pages: {len(c.warnings)} "
        f"({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})"
    )
    codes = Counter(f["code"] for _, f in c.matched)
    out.append(
        f"  found by bitext links, same page and target: {len(c.matched)} "
        f"({', '.join(f'{k} {n}' for k, n in sorted(codes.items()))})"
    )
    reasons = Counter(reason.split(":")[0] for _, reason in c.explained)
    out.append(
        f"  rightly not reported by bitext: {len(c.explained)} "
        f"({', '.join(f'{k} {n}' for k, n in sorted(reasons.items()))})"
    )
    for w, reason in c.explained:
        out.append(f"    {w.page}: {w.target} — {reason}")
    out.append(f"  UNEXPLAINED (missed by bitext): {len(c.unexplained)}")
    for w in c.unexplained:
        out.append(f"    {w.text}")
    total = sum(c.beyond.values())
    out.append(f"bitext findings MkDocs does not report: {total}")
    for (lang, code), n in sorted(c.beyond.items()):
        out.append(f"  {lang:3s} {code:18s} {n:5d}")
    return "\n".join(out)


def run(corpus: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        import_corpus(corpus, root)
        ours = measure(bitext("links", "--root", str(root), "--base-url", CORPUS_BASE_URL, "--format", "json"))
        if ours.returncode not in (0, 1):
            print(ours.stderr)
            return ours.returncode
        work = Path(tmp) / "mkdocs"
        work.mkdir()
        warnings, seconds = mkdocs_warnings(root / "docs" / "en", work)
        project = Project(root)
        settings = links.LinkSettings(base_urls=(CORPUS_BASE_URL,))
        comparison = compare(project, settings, warnings, json.loads(ours.stdout))
        same, total = heading_agreement(project)
    print(f"corpus: {corpus}")
    print(f"bitext links (en + ko): {ours.seconds:.2f} s; mkdocs build (en only): {seconds:.2f} s")
    print(report(comparison))
    print(
        f"heading ids equal to a Python-Markdown render (toc, tables, fenced_code, attr_list): {same}/{total} "
        f"pages (the others: a heading indented by a space after a list, or fenced code in a list item, which plain "
        f"Python-Markdown reads differently from CommonMark)"
    )
    return 1 if comparison.unexplained else 0
