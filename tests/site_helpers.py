"""Helpers of the site tests: a small bilingual site of our own, MkDocs builds, a local server, Chromium.

The fixture site is made the way users make one: ``bitext new``, then
``bitext import-sxs`` of bilingual files (the seed article plus articles
written here that exercise alerts, includes, untranslated sentences, redirects
and a docfx TOC).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import run_bitext

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
SEED_PAGE = "fix-error-code-5-7-7xx-in-exchange-online"
DOCSET = "https://docs.example.com/product/"


def pair(seg_id: str, ko: str, en: str) -> str:
    return f'<span data-ttu-id="{seg_id}">{ko}</span><span class="sxs-lookup"><span data-stu-id="{seg_id}">{en}</span></span>'


def _front(title_ko: str, kind: str, locfileid: str) -> str:
    return (
        f"---\ntitle: {title_ko}\ndescription: {title_ko} 설명\nms.translationtype: {kind}\n"
        f'ms.contentlocale: ko-KR\nms.locfileid: "{locfileid}"\n---\n'
    )


# A human-translated article with every DocFX block the site renders; one sentence left untranslated.
ALERTS_SXS = (
    _front("경고 및 알림", "HT", "1")
    + f"""\
# <a name="alerts-and-notes"></a>{pair("b1-101", "경고 및 알림", "Alerts and notes")}

{pair("b1-102", "이 문서는 모든 알림 유형을 보여 줍니다.", "This article shows every alert type.")} \
{pair("b1-103", "", "This sentence is not translated yet.")}

## {pair("b1-104", "개요", "Overview")}

> [!NOTE]
> {pair("b1-105", "참고 내용입니다.", "This is a note.")}

> [!TIP]
> {pair("b1-106", "팁 내용입니다.", "This is a tip.")}

> [!IMPORTANT]
> {pair("b1-107", "중요한 내용입니다.", "This is important.")}

> [!CAUTION]
> {pair("b1-108", "주의할 내용입니다.", "This needs caution.")}

> [!WARNING]
> {pair("b1-109", "경고 내용입니다.", "This is a warning.")}

## {pair("b1-110", "개요", "Overview")}

> [!VIDEO https://www.example.com/videoplayer/embed/RE1VV3o]

| {pair("b1-111", "항목", "Item")} | {pair("b1-112", "설명", "Description")} |
|---|---|
| `550 5.7.750` | {pair("b1-113", "첫 줄", "First line")} <br/> {pair("b1-114", "둘째 줄", "Second line")} |

![{pair("b1-115", "작은 그림", "A small picture")}](media/dot.png)

{pair("b1-116", "[오류 5.7.705](fix-error-code-5-7-7xx-in-exchange-online.md#57705-tenant-has-exceeded-threshold-restriction-what-you-need-to-know)를 참조하세요.", "See [error 5.7.705](fix-error-code-5-7-7xx-in-exchange-online.md#57705-tenant-has-exceeded-threshold-restriction-what-you-need-to-know).")}

[!INCLUDE [shared](includes/shared.md)]
"""
)

SHARED_SXS = f"""\
## <a name="shared-steps"></a>{pair("c1-101", "공통 단계", "Shared steps")}

{pair("c1-102", "[경고 문서](../alerts.md)로 돌아갑니다.", "Go back to [the alerts article](../alerts.md).")}
"""

UNTRANSLATED_MD = """\
---
title: Not translated yet
---
# Not translated yet

This article has no Korean translation; the Korean site shows it in English.

## Details

Nothing more.
"""

TOC_MD = """\
# [Home](index.md)
# [Alerts and notes](alerts.md)
## [Fix 5.7.7xx errors](fix-error-code-5-7-7xx-in-exchange-online.md)
# Reference
## [Not translated yet](untranslated.md)
## [Retired page](retired.md)
## [Product site](https://www.example.com/)
"""

# A 1x1 PNG.
DOT_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8cfc0f01f0005000201e2a12a3e0000000049454e44ae426082"
)


def make_site(root: Path, seed_path: Path) -> Path:
    """The fixture site: ``bitext new`` + import of the seed and our own bilingual articles."""
    result = run_bitext("new", str(root), "--name", "Fixture site")
    assert result.returncode == 0, result.stderr
    sxs = root.parent / f"{root.name}-sxs"
    (sxs / "includes").mkdir(parents=True)
    (sxs / "media").mkdir()
    (sxs / seed_path.name).write_bytes(seed_path.read_bytes())
    (sxs / "alerts.md").write_text(ALERTS_SXS, encoding="utf-8")
    (sxs / "includes" / "shared.md").write_text(SHARED_SXS, encoding="utf-8")
    (sxs / "media" / "dot.png").write_bytes(DOT_PNG)
    result = run_bitext("import-sxs", str(sxs), "--root", str(root), "--lang", "ko-KR")
    assert result.returncode == 0, result.stdout + result.stderr
    docs = root / "docs" / "en"
    (docs / "untranslated.md").write_text(UNTRANSLATED_MD, encoding="utf-8")
    (docs / "old-alerts.md").write_text("---\nredirect_url: alerts\n---\n", encoding="utf-8")
    (docs / "TOC.md").write_text(TOC_MD, encoding="utf-8")
    (root / ".openpublishing.redirection.json").write_text(
        json.dumps(
            {
                "redirections": [
                    {
                        "source_path": "product/retired.md",
                        "redirect_url": DOCSET + "alerts",
                        "redirect_document_id": True,
                    },
                    {"source_path": "product/gone.md", "redirect_url": "https://www.example.com/elsewhere"},
                ]
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("docset_urls: []", f"docset_urls: [{DOCSET}]"), encoding="utf-8"
    )
    return root


def mkdocs(root: Path, *args: str, site_dir: Path | None = None) -> subprocess.CompletedProcess:
    """``mkdocs build`` (or another command) on a site, as a user runs it."""
    argv = [sys.executable, "-m", "mkdocs", *args, "-f", str(root / "mkdocs.yml")]
    if site_dir is not None:
        argv += ["-d", str(site_dir)]
    return subprocess.run(argv, cwd=root, capture_output=True, text=True, env=ENV, check=False)


def site_files(site: Path) -> dict[str, str]:
    """Every file of a built site, by path, as a hash of its bytes."""
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()
    }


def same_site(a: Path, b: Path) -> None:
    """Two built sites hold the same files with the same bytes."""
    left, right = site_files(a), site_files(b)
    assert sorted(left) == sorted(right)
    assert [name for name in left if left[name] != right[name]] == []


def page(site: Path, rel: str) -> str:
    return (
        (site / rel / "index.html").read_text(encoding="utf-8")
        if rel
        else (site / "index.html").read_text(encoding="utf-8")
    )


def article(html: str) -> str:
    """The page's content area (no navigation, no header)."""
    start = html.find('<article class="md-content__inner')
    return html[start : html.find("</article>", start)]


def heading_ids(html: str) -> list[str]:
    return re.findall(r'<h[1-6][^>]*\bid="([^"]+)"', article(html))


@contextlib.contextmanager
def serve(directory: Path):
    """A static HTTP server for a built site on 127.0.0.1; yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def run_worker(site: Path, lang: str, request: dict, tmp_path: Path) -> dict:
    """The site's search worker run by node over its index on disk (``search_node.js``)."""
    from bitext.search import WORKER_SOURCE

    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run the search worker outside a browser")
    path = tmp_path / f"request-{lang}.json"
    path.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [node, str(Path(__file__).parent / "search_node.js"), str(WORKER_SOURCE), str(site), lang, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def search_texts(site: Path, lang: str) -> dict[str, str]:
    """What the built site's search index of ``lang`` holds, page URL → titles, headings and text."""
    folder = site / "search" / "bitext" / lang
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    texts = {}
    for number, (url, title) in enumerate(meta["pages"]):
        files = sorted((folder / "text").glob(f"{number}.json")) or sorted(
            (folder / "text").glob(f"{number}-*.json"), key=lambda p: int(p.stem.split("-")[1])
        )
        sections = [section for p in files for section in json.loads(p.read_text(encoding="utf-8"))]
        texts[url] = "\n".join([title] + [f"{heading}\n{text}" for _, heading, text in sections])
    return texts


_BUILT: dict[Path, tuple[Path, Path]] = {}


def built_corpus_site(tmp_path_factory, corpus_project: Path, corpus: Path) -> dict:
    """The 583-article corpus site, built once per test session (about a minute).

    Made as the site issue prescribes: ``bitext new``, the imported corpus, the
    English docfx TOC in docs/en, the docset's redirect map at the root (the
    corpus' redirect stub ``eop/index.md`` comes with the import, language-neutral).
    """
    if corpus not in _BUILT_CORPUS:
        root = tmp_path_factory.mktemp("corpus-site") / "site-project"
        shutil.copytree(corpus_project, root)
        result = run_bitext("new", str(root), "--name", "Office 365 Security & Compliance")
        assert result.returncode == 0, result.stderr
        shutil.copy(corpus / "en" / "TOC.md", root / "docs" / "en" / "TOC.md")
        shutil.copy(corpus / "redirection.json", root / ".openpublishing.redirection.json")
        assert (
            (root / "docs" / "en" / "eop" / "index.md")
            .read_text(encoding="utf-8")
            .startswith("---\nredirect_url: eop-features\n")
        )  # the corpus' redirect stub, as import-sxs keeps it
        config = root / "mkdocs.yml"
        config.write_text(
            config.read_text(encoding="utf-8").replace(
                "docset_urls: []", "docset_urls: [https://docs.microsoft.com/office365/securitycompliance/]"
            ),
            encoding="utf-8",
        )
        start = time.perf_counter()
        build = mkdocs(root, "build")
        seconds = time.perf_counter() - start
        print(f"\ncorpus site built in {seconds:.1f} s")
        assert build.returncode == 0, build.stderr[-3000:]
        _BUILT_CORPUS[corpus] = {"root": root, "site": root / "site", "log": build.stderr, "seconds": seconds}
    return _BUILT_CORPUS[corpus]


_BUILT_CORPUS: dict[Path, dict] = {}


def built_fixture_site(tmp_path_factory, seed_path: Path) -> tuple[Path, Path]:
    """(project root, built site) of the fixture site, built once per test session."""
    if seed_path not in _BUILT:
        root = make_site(tmp_path_factory.mktemp("fixture") / "site-project", seed_path)
        result = mkdocs(root, "build")
        assert result.returncode == 0, result.stderr
        _BUILT[seed_path] = (root, root / "site")
    return _BUILT[seed_path]
