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

import gzip
import json
import logging
import os
import tempfile
import threading
import traceback
from dataclasses import dataclass, field
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


def can_fork() -> bool:
    return hasattr(os, "fork") and len(os.sched_getaffinity(0)) > 1


class Readings:
    """Half the forked pass's Korean text read by kiwi in the parent, whose pass is the shorter one.

    The Korean pass is the longer one (its pages hold two languages, its index
    needs kiwi's reading of every line, a third of the pass on the corpus).
    The child has every other page it renders read by its own analyzer
    (``korean.Analyzer.read_ahead``) and sends the lines of the others, that
    it has no reading of yet, down a pipe to a thread of the parent, whose
    analyzer reads them while the parent builds its own pass.  When the child
    writes its index it asks for the parent's readings and gets them back as
    JSON (``Analyzer.known``).  If anything goes wrong on the way, the child
    reads those lines itself.
    """

    def __init__(self, analyzer: Analyzer):
        self.analyzer = analyzer  # the parent's, and after the fork the child's copy
        self._texts_r, self._texts_w = os.pipe()
        self._back_r, self._back_w = os.pipe()
        self._out: IO[str] | None = None
        self._thread: threading.Thread | None = None
        self._pages = 0

    def in_parent(self) -> None:
        os.close(self._texts_w)
        os.close(self._back_r)
        self._thread = threading.Thread(target=self._serve, name="bitext-readings", daemon=True)
        self._thread.start()

    def in_child(self) -> None:
        os.close(self._texts_r)
        os.close(self._back_w)
        self._out = open(self._texts_w, "w", encoding="utf-8")  # noqa: SIM115 - open until readings()

    def _serve(self) -> None:
        try:
            with open(self._texts_r, encoding="utf-8") as texts, open(self._back_w, "w", encoding="utf-8") as back:
                for line in texts:
                    if line == "\n":  # the child asks for the readings
                        json.dump(self.analyzer.known(), back, ensure_ascii=False)
                        return
                    self.analyzer.read_ahead(json.loads(line))
        except Exception:  # the pipes close: the child reads its lines itself
            return

    def send(self, texts: list[str]) -> None:
        """The child: one page's texts, read here or in the parent, page by page in turn."""
        self._pages += 1
        if self._out is None or self._pages % 2:
            self.analyzer.read_ahead(texts)
            return
        try:
            self._out.write(json.dumps(self.analyzer.unread(texts), ensure_ascii=False) + "\n")
        except OSError:  # the parent's thread is gone
            self._out = None
            self.analyzer.read_ahead(texts)

    @property
    def sending(self) -> bool:
        """In the child, until ``readings`` is called."""
        return self._out is not None

    def readings(self) -> list | None:
        """The child: the parent's readings, of every line sent among them (``Analyzer.known()``), or None."""
        if self._out is None:
            return None
        out, self._out = self._out, None
        try:
            out.write("\n")
            out.close()  # the parent's thread has every line: it answers
            with open(self._back_r, encoding="utf-8") as back:
                found = json.load(back)
        except (OSError, ValueError):
            return None
        return found if isinstance(found, list) and len(found) == 2 else None

    def close(self) -> None:
        """The parent, once the child is done: the thread has ended."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None


@dataclass
class Child:
    pid: int
    result: Path
    languages: list[str]


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
    def __init__(self, into: list):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append((record.name, record.levelno, record.getMessage()))


def start(
    config: MkDocsConfig, i18n, languages: list[str], rendered: Rendered, dirty: bool, readings: Readings | None
) -> Child:
    """Fork; the child builds ``languages`` and exits, the parent goes on with the default pass."""
    fd, name = tempfile.mkstemp(prefix="bitext-pass-", suffix=".json")
    os.close(fd)
    pid = os.fork()
    if pid:
        if readings is not None:
            readings.in_parent()
        return Child(pid, Path(name), languages)
    if readings is not None:
        readings.in_child()
    try:
        _run_child(config, i18n, languages, rendered, dirty, Path(name))
        code = 0
    except BaseException:  # the child must never return into the parent's build
        Path(name).write_text(json.dumps({"error": traceback.format_exc()}), encoding="utf-8")
        code = 1
    logging.shutdown()
    os._exit(code)


def _run_child(config: MkDocsConfig, i18n, languages: list[str], rendered: Rendered, dirty: bool, result: Path) -> None:
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
    result.write_text(
        json.dumps({"search": i18n.search_entries, "templates": rendered.templates, "log": rendered.captured}),
        encoding="utf-8",
    )


def join(child: Child) -> dict:
    """Wait for the child and log its warnings; its search entries and sitemap entries are returned."""
    _, status = os.waitpid(child.pid, 0)
    try:
        data = json.loads(child.result.read_text(encoding="utf-8") or "{}")
    finally:
        child.result.unlink(missing_ok=True)
    code = os.waitstatus_to_exitcode(status)
    if "error" in data or code != 0:
        raise PluginError(
            f"bitext: the pass building {', '.join(child.languages)} failed (exit status {code}):\n"
            f"{data.get('error', 'no report')}"
        )
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
