"""Build cost of the bilingual site on the corpus, against plain mkdocs-static-i18n (issue: reading site).

Both builds use the same pages, theme, Markdown extensions, navigation (from
the corpus' English TOC) and redirects.  The bitext site compiles the Korean
pages from ``locales/ko`` while it builds, with every original sentence
beside its translation; the baseline is static-i18n over Korean Markdown
pre-compiled by ``bitext compile`` into ``docs/ko`` (no plugin, no originals).
The bitext site is built three times: cold (no build cache yet: it is
written), warm with nothing changed, and warm after one Korean sentence of
one article was saved.  Then the rebuild time of ``mkdocs serve`` on the seed site after one segment
file is edited.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

from bitext.bench import bitext, measure
from bitext.project.project import Project
from bitext.project.sitefiles import SiteFiles, SiteOptions
from bitext.site.source import read_site

MKDOCS = [sys.executable, "-m", "mkdocs"]
REPO = Path(__file__).resolve().parents[3]


def _env() -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def _corpus_site(corpus: Path, root: Path) -> None:
    """``bitext new`` + import of the corpus + its TOC and redirect map, as the corpus bar prescribes."""
    for argv in (
        bitext("new", str(root), "--name", "Office 365 Security & Compliance"),
        bitext("import-sxs", str(corpus / "sxs"), "--root", str(root)),
    ):
        subprocess.run(argv, check=True, capture_output=True)
    shutil.copy(corpus / "en" / "TOC.md", root / "docs" / "en" / "TOC.md")
    shutil.copy(corpus / "redirection.json", root / ".openpublishing.redirection.json")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "docset_urls: []", "docset_urls: [https://docs.microsoft.com/office365/securitycompliance/]"
        ),
        encoding="utf-8",
    )


def _baseline_site(site_root: Path, root: Path) -> None:
    """The same pages for plain static-i18n: docs/en as imported, docs/ko compiled beforehand."""
    shutil.copytree(site_root / "docs" / "en", root / "docs" / "en", ignore=shutil.ignore_patterns("TOC.md"))
    subprocess.run(
        bitext("compile", "--lang", "ko", "--out", str(root / "docs" / "ko"), "--root", str(site_root)),
        check=True,
        capture_output=True,
    )
    files = SiteFiles.read(
        Project(site_root), SiteOptions(docset_urls=("https://docs.microsoft.com/office365/securitycompliance/",))
    )
    source = read_site(files, ["ko"])
    redirects = files.published_redirects()
    config = yaml.safe_load((site_root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"].pop("custom_dir")
    config["nav"] = source.nav(None, redirects)
    maps = {r.source: (f"en/{r.target}" if r.internal else r.target) for r in redirects}
    config["plugins"] = ["search", config["plugins"][1], {"redirects": {"redirect_maps": maps}}]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _count(site_dir: Path) -> int:
    return sum(1 for _ in site_dir.rglob("index.html"))


EDITS = 3
EDITED = "configure-the-anti-spam-policies"  # the article whose Korean text the warm build sees edited


def body_target(xlf: Path) -> str:
    """The start tag and text of the first translated target of the article's body found nowhere else in the file.

    Unique, so that replacing it edits that unit only: the article's heading often
    has the same translation as its title (a front-matter unit, which comes first),
    and editing the title instead changes every Korean page's navigation.
    """
    text = xlf.read_text(encoding="utf-8")
    for unit in re.finditer(r"<trans-unit\b[^>]*>.*?</trans-unit>", text, re.S):
        if "x-front-matter" in unit.group(0):
            continue
        m = re.search(r'(<target state="translated"[^>]*>)([^<]{8,})', unit.group(0))
        if m and text.count(m.group(0)) == 1:
            return m.group(0)
    raise SystemExit(f"{xlf}: no translated target in the body")


def _edit_target(xlf: Path) -> None:
    """One Korean sentence of the article's body changed, as a translator saves it."""
    text = xlf.read_text(encoding="utf-8")
    target = body_target(xlf)
    xlf.write_text(text.replace(target, target.replace(">", ">(bench) ", 1), 1), encoding="utf-8")


def _serve_rebuild(root: Path) -> tuple[float | None, list[float]]:
    """`mkdocs serve` on the repository's seed site: first build, then a segment file saved, a few times.

    Returns the first build's time and each wall time from saving the file to
    "Reloading browsers", the end of the rebuild (the file watcher's wait for
    the writes to settle included).  MkDocs' own "Documentation built in"
    line cannot time rebuilds: its logger drops a message it has printed
    before, so two rebuilds of equal duration print it once.
    """
    site = root / "seed"
    site.mkdir()
    for name in ("mkdocs.yml", "docs", "locales", "overrides"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
    xlf = next((site / "locales" / "ko").glob("*.xlf"))
    port = 8000 + os.getpid() % 1000
    proc = subprocess.Popen(
        [*MKDOCS, "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site,
        env={**_env(), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    out = proc.stdout
    assert out is not None  # stdout=PIPE
    threading.Thread(target=lambda: lines.extend(iter(out.readline, "")), daemon=True).start()
    try:
        if not _wait_for(lines, "Serving on", 1, 120):
            return None, []
        first = next(
            (float(m.group(1)) for line in lines if (m := re.search(r"Documentation built in ([\d.]+) seconds", line))),
            None,
        )
        walls = []
        for n in range(EDITS):
            time.sleep(1)  # the previous rebuild is over, the watcher is idle
            done = sum("Reloading browsers" in line for line in lines)
            text = xlf.read_text(encoding="utf-8")
            start = time.perf_counter()
            xlf.write_text(re.sub(r"(<target[^>]*>)", rf"\1({n}) ", text, count=1), encoding="utf-8")
            if not _wait_for(lines, "Reloading browsers", done + 1, 60):
                break
            walls.append(time.perf_counter() - start)
        return first, walls
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _wait_for(lines: list[str], needle: str, count: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(needle in line for line in list(lines)) >= count:
            return True
        time.sleep(0.01)
    return False


def run(corpus: Path) -> int:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        site_root, base_root = tmp / "bitext-site", tmp / "baseline"
        _corpus_site(corpus, site_root)
        _baseline_site(site_root, base_root)
        print(
            f"corpus: {corpus} ({sum(1 for _ in (site_root / 'docs' / 'en').rglob('*.md'))} Markdown files "
            f"in docs/en); machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
        )
        runs, cpu = {}, {}
        xlf = site_root / "locales" / "ko" / f"{EDITED}.xlf"
        builds = (
            ("static-i18n over pre-compiled Markdown", base_root, None),
            ("bitext site, cold (empty build cache)", site_root, None),
            ("bitext site, warm, nothing changed", site_root, None),
            ("bitext site, warm, one article edited", site_root, lambda: _edit_target(xlf)),
        )
        for name, root, edit in builds:
            if edit is not None:
                edit()
            result = measure([*MKDOCS, "build", "-q"], cwd=root, env=_env())
            runs[name] = result
            cpu[name] = result.cpu_seconds
            print(
                f"{name:40s} {result.seconds:7.1f} s wall  {cpu[name]:7.1f} s CPU  peak {result.max_rss_mb:5.0f} MB  "
                f"pages {_count(root / 'site'):5d}  exit {result.returncode}"
            )
            if result.returncode:
                print(result.stderr[-2000:])
        base, cold, warm, edited = runs.values()
        base_cpu, cold_cpu, warm_cpu, edited_cpu = cpu.values()
        for label, run_, cpu_, target in (
            ("cold", cold, cold_cpu, 1.0),
            ("warm, nothing changed", warm, warm_cpu, 0.4),
            ("warm, one article edited", edited, edited_cpu, 0.5),
        ):
            ratio = run_.seconds / base.seconds
            print(
                f"ratio bitext {label} / static-i18n: {ratio:.2f} wall, {cpu_ / base_cpu:.2f} CPU "
                f"(target <= {target}){'' if ratio <= target else '  NOT MET'}"
            )
        first, walls = _serve_rebuild(tmp)
        print(
            f"mkdocs serve, seed site: first build {first} s; from saving one segment file to the rebuilt site "
            f"({len(walls)} times): {', '.join(f'{w:.2f}' for w in walls)} s (target <= 2 s)"
        )
        return int(bool(any(r.returncode for r in runs.values()) or len(walls) < EDITS))
