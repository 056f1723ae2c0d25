"""The other languages' passes, built in a forked process while the default language builds.

mkdocs-static-i18n builds the languages one after the other; on a machine
with more than one core, ``mkdocs build`` here forks once the default pass
has its files (the site folder is clean, static-i18n's config and alternates
are set) and the child runs the other passes exactly as static-i18n would,
into the same site folder.  What those passes leave in memory that the
default pass needs is sent back in a file: their search entries (static-i18n
merges every pass into one index), their sitemap entries, and their
warnings, which the parent logs itself so ``--strict`` counts them and
repeats are dropped as in a sequential build.  ``mkdocs serve`` (threads,
rebuilds) and machines without ``fork`` build sequentially.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import queue
import tempfile
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import IO

from lxml import etree
from mkdocs import utils
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from bitext.search.korean import Analyzer

SITEMAP = "sitemap.xml"
# Lines a nested build prints that static-i18n silences in its own nested builds.
_QUIET = ("Documentation built in", "Building documentation to directory", "Cleaning site directory")
# Sitemaps are written by this build's own passes; still, nothing in them is fetched or expanded.
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'  # as the sitemap templates write it


# The share of its pages the child has its own analyzer read, from cold builds of the corpus measured per
# process (CPU after the fork, two runs each): a third kept, child 31.5 / parent 28.9 s; two in seven,
# child 28.9 / parent 30.9 s.  The child's main thread is ~21 s, the parent's ~14 s, kiwi ~25 s between them.
KEPT = Fraction(4, 13)


def can_fork() -> bool:
    return hasattr(os, "fork") and len(os.sched_getaffinity(0)) > 1


class Readings:
    """The forked pass's Korean text read by kiwi in the parent, whose own pass is the shorter one.

    The Korean pass is the longer one: its pages hold two languages, and its
    index needs kiwi's reading of every line (on the corpus ~25 s CPU, a third of
    the whole build).  Of the pages it renders, the child has a share (``KEPT``) read
    by its own analyzer (``korean.Analyzer.read_ahead``) and sends the lines of the
    others, that no page before had, down a pipe; a thread of the parent has them
    read while the parent builds its own pass and checks the links, and sends each
    page's readings back as soon as it has them (a thread of the child collects
    them).  When the child writes its index, the pages the parent has not read
    yet are shared: the child reads them from the last one back (claiming each,
    so that the parent skips it) while the parent goes on from the first, until
    they meet.  How much each process reads so adapts to how busy the parent is.
    If anything goes wrong on the way, the index reads what it lacks itself.
    The parent gives ``keep`` the readings it sent, as JSON (``Analyzer.known()``'s
    form), once the child wants no more: the build cache keeps them, so that the
    child need not write them again.
    """

    def __init__(self, analyzer: Analyzer, keep: Callable[[str], None] | None = None):
        self.analyzer = analyzer  # the parent's, and after the fork the child's copy
        self._keep = keep
        self._texts_r, self._texts_w = os.pipe()
        self._back_r, self._back_w = os.pipe()
        self._threads: list[threading.Thread] = []
        self._child = False
        # The child's side: the lines of each page sent, the pages answered and their readings.
        self._out: IO[str] | None = None
        self._count = 0  # pages with lines to read
        self._pages: list[list[str]] = []
        self._sent: set[str] = set()
        self._answered: set[int] = set()
        self._found: list[list] = []
        # The parent's side: the pages to read, and those the child reads itself.
        self._queue: queue.SimpleQueue[tuple[int, list[str]] | None] = queue.SimpleQueue()
        self._claimed: set[int] = set()
        self._stop = threading.Event()

    def in_parent(self) -> None:
        os.close(self._texts_w)
        os.close(self._back_r)
        self._start(self._receive_pages, self._answer)

    def in_child(self) -> None:
        os.close(self._texts_r)
        os.close(self._back_w)
        self._child = True
        self._out = open(self._texts_w, "w", encoding="utf-8")  # noqa: SIM115 - open until readings()
        self._start(self._receive_readings)

    def _start(self, *targets) -> None:
        for target in targets:
            thread = threading.Thread(target=target, name=f"bitext-{target.__name__.strip('_')}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _receive_pages(self) -> None:
        """The parent: pages to read, and the numbers of those the child claims, until the child is done."""
        try:
            with open(self._texts_r, encoding="utf-8") as texts:
                for line in texts:
                    number, lines = json.loads(line)
                    if lines is None:
                        self._claimed.add(number)
                    else:
                        self._queue.put((number, lines))
        except Exception:  # the child reads what was not answered
            pass
        finally:
            self._stop.set()
            self._queue.put(None)

    def _answer(self) -> None:
        """The parent: each page read in turn, its readings sent back at once (and then kept)."""
        sent: list[str] = []  # the JSON of each page's readings, without its brackets
        try:
            with open(self._back_w, "w", encoding="utf-8") as back:
                while not self._stop.is_set():
                    item = self._queue.get()
                    if item is None:
                        break
                    number, lines = item
                    if number in self._claimed:
                        continue
                    self.analyzer.read(lines)
                    found = json.dumps(self.analyzer.known(lines)[0], ensure_ascii=False)
                    back.write(f"[{number},{found}]\n")
                    back.flush()
                    if found != "[]":
                        sent.append(found[1:-1])
        except Exception:  # the pipe closes: the child reads what was not answered
            pass
        if sent and self._keep is not None:
            self._keep(f"[[{','.join(sent)}],[]]")

    def _receive_readings(self) -> None:
        """The child: the parent's readings, page by page."""
        try:
            with open(self._back_r, encoding="utf-8") as back:
                for line in back:
                    number, found = json.loads(line)
                    self._found.extend(found)
                    self._answered.add(number)
        except (OSError, ValueError):
            return

    def send(self, texts: list[str]) -> None:
        """The child: one page's texts, for the parent to read."""
        lines = [line for line in self.analyzer.unread(texts) if line not in self._sent]
        if not lines:
            return
        self._sent.update(lines)
        self._count += 1
        if self._out is not None and int(self._count * KEPT) == int((self._count - 1) * KEPT):
            try:
                self._out.write(json.dumps([len(self._pages), lines], ensure_ascii=False) + "\n")
                self._out.flush()
                self._pages.append(lines)
                return
            except OSError:  # the parent's thread is gone
                self._out = None
        self.analyzer.read_ahead(lines)

    @property
    def sending(self) -> bool:
        """In the child, until ``readings`` is called."""
        return self._out is not None

    def readings(self) -> list | None:
        """The child: the readings of every line sent (``Analyzer.known()``'s form), read here or in the parent."""
        if not self._child or not self._threads:
            return None
        out, self._out = self._out, None
        for number in range(len(self._pages) - 1, -1, -1):
            if number in self._answered:
                break  # the parent read every page before this one, or is reading it
            if out is not None:
                try:
                    out.write(json.dumps([number, None]) + "\n")
                    out.flush()
                except OSError:
                    out = None
            self.analyzer.read(self._pages[number])
        if out is not None:
            with contextlib.suppress(OSError):
                out.close()  # the parent's thread stops after the page it is reading, and closes its pipe
        self.close()
        return [self._found, []]

    def close(self) -> None:
        """Both sides, once the child is done: the threads have ended."""
        for thread in self._threads:
            thread.join()
        self._threads = []


@dataclass
class Child:
    pid: int
    result: Path
    what: str  # for the error message: "the pass building ko"


@dataclass
class Rendered:
    """What the child's passes produce that the parent writes: theme templates, warnings.

    Theme templates (sitemap.xml, 404.html) have one path for every language:
    in a sequential build the last pass writes them, so the parent writes the
    child's after its own, and merges the sitemaps.
    """

    capturing: bool = False
    templates: dict[str, str] = field(default_factory=dict)
    captured: list[tuple[str, int, str]] = field(default_factory=list)


class _Capture(logging.Handler):
    def __init__(self, into: list, level: int = logging.WARNING):
        super().__init__(level)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append((record.name, record.levelno, record.getMessage()))


def start(
    config: MkDocsConfig, i18n, languages: list[str], rendered: Rendered, dirty: bool, readings: Readings | None
) -> Child:
    """Fork; the child builds ``languages`` and exits, the parent goes on with the default pass."""

    def run() -> dict:
        if readings is not None:
            readings.in_child()
        return _run_child(config, i18n, languages, rendered, dirty)

    child = _fork(run, f"the pass building {', '.join(languages)}")
    if readings is not None:
        readings.in_parent()
    return child


def aside(work: Callable[[], None], what: str) -> Child:
    """Fork; ``work`` runs in the new process while this one goes on, until ``join``.

    What ``work`` logs is kept and logged by ``join`` in this process, through
    its handlers: in the forked pass, its warnings so reach the build's parent.
    Threads do not survive a fork: ``work`` must not need any this process runs.
    """

    def run() -> dict:
        captured: list[tuple[str, int, str]] = []
        logging.getLogger("mkdocs").handlers = [_Capture(captured, logging.NOTSET)]
        work()
        return {"log": captured}

    return _fork(run, what)


def _fork(run: Callable[[], dict], what: str) -> Child:
    """``run`` in a forked process, which writes what it returns (or its error) to a file and exits."""
    fd, name = tempfile.mkstemp(prefix="bitext-pass-", suffix=".json")
    os.close(fd)
    pid = os.fork()
    if pid:
        return Child(pid, Path(name), what)
    try:
        data = run()
        code = 0
    except BaseException:  # the child must never return into the parent's build
        data = {"error": traceback.format_exc()}
        code = 1
    try:
        Path(name).write_text(json.dumps(data), encoding="utf-8")
    finally:
        logging.shutdown()
        os._exit(code)


def _run_child(config: MkDocsConfig, i18n, languages: list[str], rendered: Rendered, dirty: bool) -> dict:
    logger = logging.getLogger("mkdocs")
    for handler in logger.handlers:
        handler.addFilter(lambda r: r.levelno < logging.WARNING and not r.getMessage().startswith(_QUIET))
    logger.addHandler(_Capture(rendered.captured))
    utils.clean_directory = lambda directory: None  # the parent cleaned it; static-i18n does the same
    config.strict = False  # the parent counts the warnings it is sent
    rendered.capturing = True  # the parent writes the theme templates (on_post_template)
    i18n.building = True
    for language in languages:
        i18n.current_language = language
        mkdocs_build(config, dirty=dirty)
    return {"search": i18n.search_entries, "templates": rendered.templates, "log": rendered.captured}


def join(child: Child) -> dict:
    """Wait for the child and log what it logged; what it returned is returned (a pass: its search
    entries and sitemap entries)."""
    _, status = os.waitpid(child.pid, 0)
    try:
        data = json.loads(child.result.read_text(encoding="utf-8") or "{}")
    finally:
        child.result.unlink(missing_ok=True)
    code = os.waitstatus_to_exitcode(status)
    if "error" in data or code != 0:
        raise PluginError(f"bitext: {child.what} failed (exit status {code}):\n{data.get('error', 'no report')}")
    for name, level, message in data["log"]:
        logger = logging.getLogger(name)
        logger.handle(logger.makeRecord(name, level, "(pass)", 0, message, (), None))
    return data


def write_templates(config: MkDocsConfig, templates: dict[str, str]) -> None:
    """The child's theme templates over the parent's, its sitemap entries added to the parent's."""
    for name, output in templates.items():
        if name == SITEMAP:
            _merge_sitemap(config, output)
        else:
            utils.write_file(output.encode("utf-8"), os.path.join(config.site_dir, name))


def _merge_sitemap(config: MkDocsConfig, child: str) -> None:
    """The child's ``<url>`` entries after the parent's, in sitemap.xml and sitemap.xml.gz.

    There is no hook for this: static-i18n's sitemap template lists the pages
    of every pass that ran in the process, so each process rendered only its
    own languages; a sequential build's last pass lists them all, in pass order.
    """
    path = Path(config.site_dir) / SITEMAP
    if not path.is_file() or not child.strip():
        return
    entries = list(etree.fromstring(child.encode("utf-8"), _XML))
    if not entries:
        return
    urlset = etree.parse(str(path), _XML).getroot()
    urlset.extend(entries)
    etree.indent(urlset, space="    ")  # the template's layout, so the file is the sequential build's
    data = (_XML_DECLARATION + etree.tostring(urlset, encoding="unicode")).encode("utf-8")
    utils.write_file(data, str(path))
    packed = Path(f"{path}.gz")
    # MkDocs dates the archive from the pages (or SOURCE_DATE_EPOCH): keep the date it gave it.
    mtime = None
    if packed.is_file():
        with gzip.open(packed) as previous:
            previous.read()
            mtime = previous.mtime
    with open(packed, "wb") as raw, gzip.GzipFile(fileobj=raw, filename=str(packed), mode="wb", mtime=mtime) as gz:
        gz.write(data)
