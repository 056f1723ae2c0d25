"""``mkdocs serve``'s fast render: pages whose only change is the navigation are rendered after the reload.

A saved title is in the navigation of every page of its language, so every
page's HTML changes; rendering them all through the theme before the browsers
reload takes seconds on a docset of hundreds of articles.  As ``hugo server``
does in its fast render mode, a serve rebuild renders first only what a reader
can be looking at: the pages whose own content changed, and the pages the
browsers showed or asked for recently (``note``).  The build's page step
(``incremental.Steps``) hands every other page whose only change is the
navigation to ``defer``, and they are rendered:

- after the reload, by ``run``, the first of the plugin's after-reload jobs;
- or first, when a browser asks for one: ``app`` wraps the serve's WSGI app,
  and a request for a page still waiting renders it before the file is read.
  If a newer build started while the request was answered, it is answered
  again from that build's site (``builds``), so no stale page is ever served.

A newer save drops what is waiting (``start_build``): ``Steps`` knows what
each file of the site folder holds, so the next build renders or defers those
pages again with its own navigation, and nothing is lost.

Only the last language pass of a build defers (the plugin decides):
mkdocs-static-i18n builds the languages one after the other on one
configuration and plugin state, and after the build these are the last pass's,
the only ones in which a page renders later exactly as it would have during the
build.  One lock keeps the renders of the request threads and of ``run`` apart,
and a waiting request goes before ``run``'s next page.
"""

from __future__ import annotations

import logging
import os
import posixpath
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from urllib.parse import unquote, urlsplit

log = logging.getLogger("mkdocs.plugins.bitext")

# How many of the pages browsers asked for last are rendered before the reload.
RECENT = 16
# Logged when ``run`` is done.
RENDERED_LATER = "rendered after the reload"


class FastRender:
    def __init__(self) -> None:
        self.root: str | None = None  # the served folder, once ``app`` wraps the server
        self.mount = "/"
        self.building = False
        self.builds = 0  # builds started: a request answered across one is answered again
        self.pending: dict[str, Callable[[], None]] = {}  # output file -> renders it
        self.recent: OrderedDict[str, None] = OrderedDict()  # output files browsers asked for, last at the end
        self.on_request = 0  # pages of this build rendered because a browser asked for them
        self._lock = threading.Condition()  # the pages, ``building``, ``builds``
        self._asking = threading.Condition()  # ``waiting``, ``recent``
        self.waiting = 0  # page requests being answered: ``run`` lets them go first

    @property
    def enabled(self) -> bool:
        """Requests go through ``app``: a page may wait."""
        return self.root is not None

    # -- the build ----------------------------------------------------------------------------------

    def start_build(self) -> None:
        """A build starts: what waits is dropped (it renders or defers those pages again)."""
        with self._lock:
            self.builds += 1
            self.building = True
            self.pending.clear()
            self.on_request = 0

    def end_build(self, failed: bool = False) -> None:
        """The build is done (a failed one renders nothing later: the next build starts from a clean folder)."""
        with self._lock:
            self.building = False
            if failed:
                self.pending.clear()
            self._lock.notify_all()

    def defer(self, path: str, render: Callable[[], None]) -> bool:
        """Keep ``render`` (which writes ``path``) for later; False when a browser asked for the page lately."""
        path = os.path.normpath(path)
        with self._asking:
            if path in self.recent:
                return False
        with self._lock:
            self.pending[path] = render
        return True

    # -- after the reload ---------------------------------------------------------------------------

    def run(self, stop: Callable[[], bool]) -> None:
        """The after-reload job: every page still waiting, until a newer build wants the process."""
        start = time.perf_counter()
        done = 0
        while not stop():
            with self._asking:
                # A request may be waiting for the newer build, which waits for this job: stop() is looked at too.
                while self.waiting and not stop():
                    self._asking.wait(0.05)
            with self._lock:
                if not self.pending or stop():
                    break
                path = next(iter(self.pending))
                _render(path, self.pending.pop(path))
                done += 1
        if stop():
            log.info(f"{len(self.pending)} pages not rendered yet: a newer save is being built")
        else:
            log.info(
                f"{done + self.on_request} pages {RENDERED_LATER} ({self.on_request} first because a browser "
                f"asked for them) in {time.perf_counter() - start:.1f} s"
            )

    # -- requests -----------------------------------------------------------------------------------

    def app(self, inner: Callable, root: str, mount: str) -> Callable:
        """``inner`` (the serve's WSGI app, serving ``root`` at ``mount``) rendering a waiting page first."""
        self.root, self.mount = os.path.normpath(root), mount

        def serve(environ: dict, start_response: Callable) -> Iterable[bytes]:
            url = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
            if url.startswith("/livereload/"):
                # Polled by every open page: the pages the browsers show.
                self.note(self._file(unquote(urlsplit(environ.get("HTTP_REFERER", "")).path)))
                return inner(environ, start_response)
            path = self._file(url)
            if path is None:
                return inner(environ, start_response)
            self.note(path)
            # Until it is answered, ``run`` waits: a reader's page goes first.
            with self._asking:
                self.waiting += 1
            started: list = []

            def record(status: str, headers: list, exc_info=None) -> Callable[[bytes], None]:
                started[:] = [status, headers, exc_info]
                return _no_write

            try:
                while True:
                    builds = self._ready(path)
                    result = inner(environ, record)
                    if builds == self.builds:
                        start_response(*started)
                        return result
                    close = getattr(result, "close", None)
                    if close is not None:
                        close()
            finally:
                with self._asking:
                    self.waiting -= 1
                    self._asking.notify_all()

        return serve

    def note(self, path: str | None) -> None:
        """A browser asked for (or shows) the page written to ``path``."""
        if path is None:
            return
        with self._asking:
            self.recent[path] = None
            self.recent.move_to_end(path)
            while len(self.recent) > RECENT:
                self.recent.popitem(last=False)

    def _ready(self, path: str) -> int:
        """Once no build runs: ``path`` rendered if it waits; the number of builds started so far."""
        with self._lock:
            self._lock.wait_for(lambda: not self.building)
            render = self.pending.pop(path, None)
            if render is not None:
                _render(path, render)
                self.on_request += 1
            return self.builds

    def _file(self, url: str) -> str | None:
        """The HTML file the server answers ``url`` with (as ``mkdocs.livereload`` maps it); None for others."""
        if self.root is None or not (url + "/").startswith(self.mount):
            return None
        rel = url[len(self.mount) :] + ("index.html" if url.endswith("/") else "")
        if not rel.endswith(".html"):
            return None
        return os.path.normpath(os.path.join(self.root, posixpath.normpath("/" + rel).lstrip("/")))


def _no_write(data: bytes) -> None:
    raise RuntimeError("mkdocs.livereload answers through its result, not start_response's write")


def _render(path: str, render: Callable[[], None]) -> None:
    try:
        render()
    except Exception as exc:  # MkDocs has logged which page; the others still render
        log.error(f"{path}: not rendered after the reload: {exc}")
