"""The search harness: reader queries typed into a built site's real search box in headless Chromium.

A query file is a TSV with a header: ``lang``, ``query``, ``expected``,
``kind``; ``expected`` is the page's URL path relative to the site root
(``x/`` in English, ``ko/x/`` in Korean), several accepted pages separated by
``|``.  Per language, a fresh browser context (cold cache) opens a page
of the language (the first query's answer), and each query is typed key by key into
``input.md-search__input`` (``--fill`` sets it at once: one search per query,
for engines too slow to be typed at), then End is pressed: Playwright's
Hangul typing fires no keyup, and Material searches on keyup.

Results are read when every query the page sent the worker (Material's
protocol: QUERY 2, RESULT 3) has been answered, the last answer came after
the last keystroke and the result list has been calm for a moment.  Latency
is the time from the last keyup that changed the input to the last change of
the result list (``performance.now()`` in the page).  Top 5 = the first five
distinct pages among ``a.md-search-result__link`` in DOM order (Material shows
one list item per page, its sections inside).  Bytes: every response of the
local server under ``search/`` or a search worker, from opening the page to
the first query's results; decoded size, and what gzip would send.
"""

from __future__ import annotations

import gzip
import http.server
import json
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

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
SEARCH_PATHS = ("/search/", "/assets/javascripts/workers/", "/assets/bitext/search.")
FIRST_TIMEOUT, TIMEOUT = 120.0, 30.0


@dataclass
class Query:
    lang: str
    query: str
    expected: list[str]
    kind: str
    set: str


@dataclass
class Outcome:
    query: Query
    pages: list[str]  # distinct result pages, in order
    latency_ms: float | None  # None: no result list rendered in time

    @property
    def rank(self) -> int | None:
        return next((i + 1 for i, p in enumerate(self.pages[:5]) if p in self.query.expected), None)

    def other_language(self, languages: set[str]) -> bool:
        """A page of another language in the top 5 (pages of language L are under L/, English at the root)."""
        return any(page_language(p, languages) != self.query.lang for p in self.pages[:5])


def page_language(path: str, languages: set[str]) -> str:
    first = path.split("/", maxsplit=1)[0]
    return first if first in languages - {"en"} else "en"


@dataclass
class FirstSearch:
    bytes: int = 0
    gzip_bytes: int = 0
    files: list[str] = field(default_factory=list)


@dataclass
class Run:
    engine: str
    outcomes: list[Outcome] = field(default_factory=list)
    first: dict[str, FirstSearch] = field(default_factory=dict)
    fetched: dict[str, set[str]] = field(default_factory=dict)  # language → every search file its pages fetched
    errors: list[str] = field(default_factory=list)
    typed: bool = True


def read_queries(paths: list[Path]) -> list[Query]:
    queries = []
    for path in paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[0].split("\t")
        for number, line in enumerate(lines[1:], 2):
            if not line.strip():
                continue
            row = dict(zip(header, line.split("\t"), strict=False))
            if not all(row.get(k) for k in ("lang", "query", "expected", "kind")):
                raise SystemExit(f"{path}:{number}: a query needs lang, query, expected and kind")
            queries.append(Query(row["lang"], row["query"], row["expected"].split("|"), row["kind"], path.stem))
    return queries


class _Server:
    """The built site on 127.0.0.1, with a log of every response's path and size."""

    def __init__(self, root: Path):
        self.log: list[tuple[str, int, int]] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(root), **kwargs)

            def log_message(self, *args):
                pass

            def end_headers(self):
                self.send_header("Cache-Control", "no-cache")
                super().end_headers()

            def do_GET(self):
                super().do_GET()
                path = unquote(urlsplit(self.path).path)
                file = root / path.lstrip("/")
                if file.is_file() and any(marker in path for marker in SEARCH_PATHS):
                    data = file.read_bytes()
                    with outer.lock:
                        outer.log.append((path, len(data), len(gzip.compress(data, 6))))

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def mark(self) -> int:
        with self.lock:
            return len(self.log)

    def since(self, mark: int) -> list[tuple[str, int, int]]:
        with self.lock:
            return list(self.log[mark:])

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# Counts the worker's QUERY and RESULT messages (registered before Material's own listener).
_INIT = """
(() => {
  const h = window.__h = {lastKey: 0, lastMut: 0, sent: 0, answered: 0, lastAnswer: 0, value: null};
  const W = window.Worker;
  window.Worker = function (url, options) {
    const worker = new W(url, options);
    worker.addEventListener('message', ev => {
      if (ev.data && ev.data.type === 3) { h.answered++; h.lastAnswer = performance.now(); }
    });
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (m, ...rest) => { if (m && m.type === 2) h.sent++; return post(m, ...rest); };
    return worker;
  };
  window.Worker.prototype = W.prototype;
})();
"""
_INSTRUMENT = """
() => {
  const h = window.__h, input = document.querySelector('input.md-search__input');
  input.addEventListener('keyup', () => {
    if (input.value !== h.value) { h.value = input.value; h.lastKey = performance.now(); }
  }, true);
  new MutationObserver(() => { h.lastMut = performance.now(); })
    .observe(document.querySelector('.md-search-result'), {childList: true, subtree: true, characterData: true});
}
"""
_STATE = (
    "() => { const h = window.__h; "
    "return [h.lastKey, h.lastMut, h.sent, h.answered, h.lastAnswer, performance.now()]; }"
)
_LINKS = "() => [...document.querySelectorAll('.md-search-result__list a.md-search-result__link')].map(a => a.href)"
QUIET_MS = 60


def _page_path(href: str) -> str:
    path = unquote(urlsplit(href).path).lstrip("/")
    return path[: -len("index.html")] if path.endswith("index.html") else path


def run(site: Path, queries: list[Query], engine: str, *, fill: bool = False, delay_ms: int = 30, browser=None) -> Run:
    """Type every query into ``site``'s search box, one browser context per language.

    ``browser``: a Playwright Chromium to use (else one is launched for the run).
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return run(site, queries, engine, fill=fill, delay_ms=delay_ms, browser=chromium)
            finally:
                chromium.close()
    server = _Server(site)
    result = Run(engine, typed=not fill)
    try:
        for lang in sorted({q.lang for q in queries}):
            _run_language(browser, server, lang, [q for q in queries if q.lang == lang], result, fill, delay_ms)
    finally:
        server.close()
    return result


def _run_language(
    browser, server: _Server, lang: str, queries: list[Query], result: Run, fill: bool, delay_ms: int
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US" if lang == "en" else lang)
    context.add_init_script(_INIT)
    page = context.new_page()
    page.on("pageerror", lambda e: result.errors.append(f"{lang}: {e}"))
    mark = server.mark()
    page.goto(server.url + queries[0].expected[0], wait_until="load")  # a page every site of the corpus has
    page.evaluate(_INSTRUMENT)
    box = page.locator("input.md-search__input")
    box.click()
    for i, query in enumerate(queries):
        box.press("Control+a")
        box.press("Backspace")
        page.wait_for_timeout(100)
        if fill:
            box.fill(query.query)
        else:
            page.keyboard.type(query.query, delay=delay_ms)
        page.keyboard.press("End")
        deadline = time.monotonic() + (FIRST_TIMEOUT if i == 0 else TIMEOUT)
        timed_out = False
        while True:
            last_key, last_mut, sent, answered, last_answer, now = page.evaluate(_STATE)
            if (
                sent
                and answered == sent
                and last_answer > last_key
                and last_mut >= last_answer
                and now - last_mut >= QUIET_MS
            ):
                break
            if time.monotonic() > deadline:
                timed_out = True
                break
            page.wait_for_timeout(15)
        pages: list[str] = []
        for href in page.evaluate(_LINKS):
            path = _page_path(href)
            if path not in pages:
                pages.append(path)
        latency = None if timed_out or last_mut <= last_key else last_mut - last_key
        result.outcomes.append(Outcome(query, pages, latency))
        if i == 0:
            files = server.since(mark)
            result.first[lang] = FirstSearch(
                sum(f[1] for f in files), sum(f[2] for f in files), sorted({f[0] for f in files})
            )
    result.fetched[lang] = {f[0] for f in server.since(mark)}
    context.close()


# -- scores ---------------------------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def scores(outcomes: list[Outcome]) -> tuple[int, float, float]:
    """(n, recall@5, MRR@5)."""
    n = len(outcomes)
    if not n:
        return 0, 0.0, 0.0
    ranks = [o.rank for o in outcomes]
    return n, sum(1 for r in ranks if r) / n, sum(1 / r for r in ranks if r) / n


def report(runs: list[Run]) -> str:
    """The figures of every run side by side: overall, per language, per kind, per query set."""
    lines = []
    header = f"{'':32}" + "".join(f"{r.engine:>26}" for r in runs)
    lines.append(header + "   (n, recall@5, MRR@5)")

    def row(label: str, pick) -> None:
        cells = []
        for r in runs:
            n, recall, mrr = scores([o for o in r.outcomes if pick(o)])
            cells.append(f"{n:>7} {recall * 100:6.1f}% {mrr:6.3f}    " if n else f"{'-':>26}")
        lines.append(f"{label:32}" + "".join(f"{c:>26}" for c in cells))

    outcomes = runs[0].outcomes
    row("all", lambda o: True)
    for lang in sorted({o.query.lang for o in outcomes}):
        row(f"lang={lang}", lambda o, lang=lang: o.query.lang == lang)
    for kind in sorted({o.query.kind for o in outcomes}):
        row(f"kind={kind}", lambda o, kind=kind: o.query.kind == kind)
    sets = sorted({o.query.set for o in outcomes})
    if len(sets) > 1:
        for name in sets:
            row(f"set={name}", lambda o, name=name: o.query.set == name)
    languages = {o.query.lang for o in outcomes}
    for r in runs:
        lines.append(f"\n{r.engine} ({'typed key by key' if r.typed else 'query set at once'}):")
        for lang in sorted(r.first):
            mine = [o for o in r.outcomes if o.query.lang == lang]
            other = sum(1 for o in mine if o.other_language(languages))
            first = r.first[lang]
            lines.append(f"  {lang}: queries with other-language pages in the top 5: {other} of {len(mine)}")
            lines.append(
                f"  {lang}: first search downloaded {first.bytes / 1e6:.3f} MB of search files "
                f"({first.gzip_bytes / 1e6:.3f} MB gzipped): {', '.join(first.files[:4])}"
                f"{' …' if len(first.files) > 4 else ''}"
            )
            latencies = [o.latency_ms for o in mine if o.latency_ms is not None]
            missing = len(mine) - len(latencies)
            if latencies:
                lines.append(
                    f"  {lang}: last keystroke → results: median {statistics.median(latencies):.0f} ms, "
                    f"p95 {_percentile(latencies, 0.95):.0f} ms, max {max(latencies):.0f} ms"
                    f"{f'; {missing} never rendered' if missing else ''}"
                )
            others = sorted(p for p in r.fetched.get(lang, ()) if "/search/" in p and not _own_index(p, lang))
            lines.append(f"  {lang}: index files of another language fetched: {len(others)} {others[:3]}")
        if r.errors:
            lines.append(f"  page errors: {r.errors[:3]}")
    return "\n".join(lines)


def _own_index(path: str, lang: str) -> bool:
    return path.startswith(f"/search/bitext/{lang}/") or path == "/search/search_index.json"


def write_outcomes(path: Path, runs: list[Run]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for r in runs:
            for o in r.outcomes:
                out.write(
                    json.dumps(
                        {
                            "engine": r.engine,
                            "lang": o.query.lang,
                            "query": o.query.query,
                            "expected": o.query.expected,
                            "kind": o.query.kind,
                            "set": o.query.set,
                            "rank": o.rank,
                            "top5": o.pages[:5],
                            "latency_ms": o.latency_ms,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
