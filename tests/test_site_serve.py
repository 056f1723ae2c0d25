"""``mkdocs serve`` rebuilds the site a cold ``mkdocs build`` makes, save after save.

A real ``mkdocs serve`` of the fixture site (includes, a docfx TOC, redirects)
is edited the ways writers and translators edit it: a Korean target, an
English sentence, a new page, the page deleted again, the docfx redirect map at
the project root.  After each rebuild, once the work left for after the reload
(search indexes, link check) is done, the folder serve writes into is compared
with a cold build (``BITEXT_CACHE=off``) of the same files with the same
``site_url``: every file of the cold site must be there with the same bytes, and
the search indexes must be the same folders.  Saves reach serve through the
system's file events (``watch``).  The one allowed difference: a
deleted page's old HTML stays in the preview until serve restarts (README).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from bitext.search import INDEX_DIR
from bitext.site.plugin.fast_render import RENDERED_LATER
from bitext.site.plugin.plugin import AFTER_RELOAD
from bitext.site.plugin.watch import NATIVE
from site_helpers import ENV, built_fixture_site

pytestmark = pytest.mark.slow

REBUILT = "Reloading browsers"
BUILDING = "Building documentation..."
LEFT = "left for after the reload"
SITE_DIR = re.compile(r"Building 'en' documentation to directory: (\S+)")
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
EXTRA_PAGES = 300
TITLE = re.compile(r'(<trans-unit id="title".*?<target[^>]*>)', re.S)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory, seed_path) -> tuple[Path, Path]:
    return built_fixture_site(tmp_path_factory, seed_path)


class Serve:
    def __init__(self, project: Path, env: dict[str, str] | None = None):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=project,
            env={**ENV, **EPOCH, "PYTHONUNBUFFERED": "1", **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.log: list[str] = []
        out = self.proc.stdout
        assert out is not None
        threading.Thread(target=lambda: self.log.extend(iter(out.readline, "")), daemon=True).start()
        self.wait("Serving on", 1, 180)
        found = SITE_DIR.search("".join(self.log))
        assert found, "".join(self.log)
        self.site = Path(found.group(1))

    def count(self, needle: str) -> int:
        return sum(needle in line for line in list(self.log))

    def wait(self, needle: str, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count(needle) >= count:
                return
            time.sleep(0.1)
        pytest.fail(f"no {needle!r} from mkdocs serve:\n{''.join(self.log[-40:])}")

    def save(self, path: Path, text: str | None) -> str:
        """Write (None: delete) ``path``; wait for the rebuild and the work after it; the rebuild's log."""
        rebuilt, done, start = self.count(REBUILT), self.count(AFTER_RELOAD), len(self.log)
        time.sleep(1.5)  # the watcher sees a new modification time
        if text is None:
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")
        self.wait(REBUILT, rebuilt + 1, 120)
        self.wait(AFTER_RELOAD, done + 1, 120)
        return "".join(self.log[start:])

    def get(self, rel: str) -> str:
        with urllib.request.urlopen(self.url + rel, timeout=30) as response:
            return response.read().decode("utf-8")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _cold(project: Path, url: str, out: Path) -> Path:
    """A cold build of the project's files as they are now, with serve's site_url."""
    copy = out.with_name(out.name + "-project")
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".cache", "site"))
    config = copy / "mkdocs.yml"
    config.write_text(f"site_url: {url}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(out)],
        cwd=copy,
        capture_output=True,
        text=True,
        env={**ENV, **EPOCH, "BITEXT_CACHE": "off"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


def _add_pages(docs: Path) -> None:
    """Pages enough that rendering those a title save leaves for later takes a while (listed in the TOC)."""
    for n in range(EXTRA_PAGES):
        (docs / f"extra-{n}.md").write_text(f"# Extra page {n}\n\nA sentence about page {n}.\n", encoding="utf-8")
    toc = docs / "TOC.md"
    toc.write_text(
        toc.read_text(encoding="utf-8") + "".join(f"## [Extra {n}](extra-{n}.md)\n" for n in range(EXTRA_PAGES)),
        encoding="utf-8",
    )


def _retitled(xlf: str, prefix: str) -> str:
    """A segment file with ``prefix`` before its title's translation."""
    edited, found = TITLE.subn(lambda m: m.group(1) + prefix, xlf, count=1)
    assert found, xlf
    return edited


def _cache_files(project: Path) -> set[str]:
    folder = project / ".cache" / "bitext"
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")}


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _same(served: Path, cold: Path, deleted: tuple[str, ...] = ()) -> None:
    left, right = _files(served), _files(cold)
    assert f"{INDEX_DIR}/ko/meta.json" in right and "ko/alerts/index.html" in right
    assert [name for name in right if left.get(name) != right[name]] == []
    extra = [name for name in left if name not in right]
    assert [name for name in extra if not name.startswith(deleted)] == []
    for lang in ("en", "ko"):
        index = f"{INDEX_DIR}/{lang}/"
        assert sorted(n for n in left if n.startswith(index)) == sorted(n for n in right if n.startswith(index))


def test_every_save_serves_the_site_a_cold_build_makes(fixture_site, tmp_path):
    root, _ = fixture_site
    project = tmp_path / "served"
    shutil.copytree(root, project, ignore=shutil.ignore_patterns("site", ".cache"))
    docs, ko = project / "docs" / "en", project / "locales" / "ko"
    server = Serve(project)
    try:
        # Every save below reaches the rebuild through the system's file events: MkDocs' polling is gone.
        assert server.count(NATIVE) == 1, "".join(server.log)
        xlf = ko / "alerts.xlf"
        cached = _cache_files(project)
        log = server.save(xlf, xlf.read_text(encoding="utf-8").replace("팁 내용입니다.", "팁 내용이 바뀌었습니다.", 1))
        assert re.search(r"[1-9]\d* of \d+ file lists reused", log), log
        indexed = re.search(r"ko: search index of (\d+) pages.*\((\d+) analysed\)", log)
        assert indexed and int(indexed.group(2)) < int(indexed.group(1)), log  # the edited page, not every page
        assert "팁 내용이 바뀌었습니다." in server.get("ko/alerts/")
        # The rebuild left its cache writes for after the reload; they are on disk once that work is done.
        assert _cache_files(project) > cached
        _same(server.site, _cold(project, server.url, tmp_path / "cold-1"))

        # A title is in the navigation of every Korean page: those are rendered after the reload.
        log = server.save(xlf, _retitled(xlf.read_text(encoding="utf-8"), "새 제목 "))
        left = re.search(r"(\d+) left for after the reload", log)
        assert left and int(left.group(1)) > 0, log
        assert "새 제목 " in server.get("ko/alerts/")
        _same(server.site, _cold(project, server.url, tmp_path / "cold-title"))

        md = docs / "untranslated.md"
        server.save(md, md.read_text(encoding="utf-8").replace("Nothing more.", "Nothing more, and a new sentence."))
        _same(server.site, _cold(project, server.url, tmp_path / "cold-2"))

        added = docs / "added.md"
        server.save(added, "---\ntitle: Added page\n---\n\n# Added page\n\nA sentence about mailbox quotas.\n")
        assert "mailbox quotas" in server.get("added/")
        _same(server.site, _cold(project, server.url, tmp_path / "cold-3"))

        server.save(added, None)
        _same(server.site, _cold(project, server.url, tmp_path / "cold-4"), deleted=("added/", "ko/added/"))

        # The docfx redirect map is at the project root, outside what MkDocs watches itself.
        redirection = project / ".openpublishing.redirection.json"
        moved = redirection.read_text(encoding="utf-8").replace(
            "https://www.example.com/elsewhere", "https://www.example.com/moved"
        )
        server.save(redirection, moved)
        assert "https://www.example.com/moved" in server.get("gone/")
        _same(server.site, _cold(project, server.url, tmp_path / "cold-5"), deleted=("added/", "ko/added/"))
    finally:
        server.stop()


def test_a_page_asked_for_right_after_a_title_save_has_the_new_title(fixture_site, tmp_path):
    """A title save leaves the Korean pages no browser asked for lately for after the reload; one asked for
    meanwhile is rendered first, never served stale."""
    root, _ = fixture_site
    project = tmp_path / "served"
    shutil.copytree(root, project, ignore=shutil.ignore_patterns("site", ".cache"))
    _add_pages(project / "docs" / "en")
    xlf = project / "locales" / "ko" / "alerts.xlf"
    other = "ko/extra-99/"  # the last of them in the build's order: rendered late after the reload
    server = Serve(project)
    try:
        # Asked for before the save, so it is rendered before the reload; the page below is not asked for.
        shown = "ko/extra-98/"
        assert "경고 및 알림" in server.get(shown)
        before = (server.site / other / "index.html").read_text(encoding="utf-8")
        assert "경고 및 알림" in before and "새 제목" not in before
        left, done, start = server.count(LEFT), server.count(AFTER_RELOAD), len(server.log)
        time.sleep(1.5)
        xlf.write_text(_retitled(xlf.read_text(encoding="utf-8"), "새 제목 "), encoding="utf-8")
        # Once the build has left the page for later (asked for earlier, it would have been rendered in the build).
        server.wait(LEFT, left + 1, 120)
        assert "새 제목 경고 및 알림" in (server.site / shown / "index.html").read_text(encoding="utf-8")
        answers = [server.get(other)]
        while server.count(AFTER_RELOAD) == done:
            answers.append(server.get(other))
        assert all("새 제목 경고 및 알림" in answer for answer in answers)
        log = "".join(server.log[start:])
        found = re.search(r"(\d+) left for after the reload", log)
        assert found and int(found.group(1)) > 0, log
        asked = re.search(rf"(\d+) pages {RENDERED_LATER} \((\d+) first because a browser asked", log)
        assert asked and int(asked.group(2)) >= 1, log
        assert "새 제목 경고 및 알림" in server.get("ko/alerts/")
        _same(server.site, _cold(project, server.url, tmp_path / "cold"))
    finally:
        server.stop()


def test_pages_left_for_after_the_reload_survive_a_newer_save(fixture_site, tmp_path):
    """A save while pages wait for after the reload: the next build renders them, none is left stale."""
    root, _ = fixture_site
    project = tmp_path / "served"
    shutil.copytree(root, project, ignore=shutil.ignore_patterns("site", ".cache"))
    docs = project / "docs" / "en"
    _add_pages(docs)
    xlf = project / "locales" / "ko" / "alerts.xlf"
    md = docs / "untranslated.md"
    server = Serve(project)
    try:
        rebuilt, building, done = server.count(REBUILT), server.count(BUILDING), server.count(AFTER_RELOAD)
        start = len(server.log)
        time.sleep(1.5)
        xlf.write_text(_retitled(xlf.read_text(encoding="utf-8"), "새 제목 "), encoding="utf-8")
        server.wait(BUILDING, building + 1, 120)
        # Saved while the title's build runs: built right after it, while its pages wait.
        md.write_text(md.read_text(encoding="utf-8").replace("Nothing more.", "Nothing more, again."), encoding="utf-8")
        server.wait(REBUILT, rebuilt + 2, 240)
        log = "".join(server.log[start:])
        stopped = re.search(r"(\d+) pages not rendered yet: a newer save is being built", log)
        assert stopped and int(stopped.group(1)) > 0, log
        server.wait(AFTER_RELOAD, done + 1, 240)
        # The second build saw those pages' files still hold the old navigation: it left them for later again
        # (but the page whose text the second save changed).
        second = "".join(server.log[start:])[stopped.end() :]
        left = re.search(r"(\d+) left for after the reload", second)
        assert left and int(left.group(1)) >= int(stopped.group(1)) - 1, second
        _same(server.site, _cold(project, server.url, tmp_path / "cold"))
        assert "새 제목 경고 및 알림" in (server.site / "ko" / f"extra-{EXTRA_PAGES - 1}" / "index.html").read_text(
            encoding="utf-8"
        )
    finally:
        server.stop()


# Loaded by the serve process below (sitecustomize): a line in its log at the end of every full collection.
_FULL_COLLECTIONS = """
import gc, sys
def _report(phase, info):
    if phase == "stop" and info["generation"] == 2:
        print("FULL-COLLECTION", file=sys.stderr, flush=True)
gc.callbacks.append(_report)
"""


def test_a_rebuild_leaves_the_full_collections_for_after_the_reload(fixture_site, tmp_path):
    """The cyclic collector's walks of every live object (seconds on a large docset) are not part of a save's
    rebuild: one runs in the work after the reload, before the writer's next save."""
    root, _ = fixture_site
    project = tmp_path / "served"
    shutil.copytree(root, project, ignore=shutil.ignore_patterns("site", ".cache"))
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_FULL_COLLECTIONS, encoding="utf-8")
    _add_pages(project / "docs" / "en")  # enough live objects that Python's own thresholds walk them all
    path = os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))
    xlf = project / "locales" / "ko" / "alerts.xlf"
    server = Serve(project, env={"PYTHONPATH": path})
    try:
        for n in range(3):
            log = server.save(xlf, xlf.read_text(encoding="utf-8").replace("팁 내용", f"팁 {n} 내용", 1))
            building, rebuilt, done = log.index(BUILDING), log.index(REBUILT), log.index(AFTER_RELOAD)
            assert "FULL-COLLECTION" not in log[building:rebuilt], log
            assert "FULL-COLLECTION" in log[rebuilt:done], log
    finally:
        server.stop()
