"""External URL checks over HTTP, against a local server on 127.0.0.1 (never the network)."""

from __future__ import annotations

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bitext.links import http as urlcheck
from conftest import run_bitext


class Server:
    """A loopback HTTP server whose paths misbehave on purpose; it records every request."""

    def __init__(self):
        self.requests: list[tuple[str, str, str, float]] = []  # method, path, host, start time
        self.lock = threading.Lock()
        self.hits: dict[str, int] = {}
        self.in_flight = 0  # of /concurrent/ requests only: a slow request of another test may linger
        self.max_in_flight = 0
        self.together = threading.Barrier(2, timeout=5)  # /together/ requests wait for each other
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_HEAD(self):
                server.handle(self, "HEAD")

            def do_GET(self):
                server.handle(self, "GET")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        path = h.path
        with self.lock:
            self.requests.append((method, path, h.headers.get("Host", "").split(":")[0], time.monotonic()))
            self.hits[path] = self.hits.get(path, 0) + 1
            hits = self.hits[path]
            counted = path.startswith("/concurrent")
            if counted:
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            status, headers = self.answer(path, method, hits)
        finally:
            # Counted out before answering: once the client has its answer it may start
            # its next request before this thread would get to run again.
            if counted:
                with self.lock:
                    self.in_flight -= 1
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", "2")
        h.end_headers()
        if method == "GET":
            h.wfile.write(b"ok")

    def answer(self, path: str, method: str, hits: int) -> tuple[int, dict]:
        if path.startswith("/ok") or path.startswith("/paced"):
            return 200, {}
        if path == "/missing":
            return 404, {}
        if path == "/gone":
            return 410, {}
        if path == "/no-head":
            return (405 if method == "HEAD" else 200), {}
        if path == "/slow":
            time.sleep(1.0)
            return 200, {}
        if path == "/flaky":
            return (503 if hits <= 2 else 200), {}
        if path == "/down":
            return 503, {}
        if path == "/limited":
            return (429, {"Retry-After": "1"}) if hits == 1 else (200, {})
        if path.startswith("/concurrent/"):
            time.sleep(0.3)
            return 200, {}
        if path.startswith("/together/"):
            try:
                self.together.wait()
            except threading.BrokenBarrierError:
                return 500, {}
            return 200, {}
        if path == "/redirect":
            return 301, {"Location": "/ok/after-redirect"}
        return 404, {}

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    s = Server()
    yield s
    s.stop()


def settings(**kw) -> urlcheck.HttpSettings:
    values = dict(concurrency=4, timeout=0.5, retries=2, backoff=0.05, host_interval=0.0, cache="")
    values.update(kw)
    return urlcheck.HttpSettings(**values)


def test_statuses_redirects_and_head_to_get_fallback(server):
    checker = urlcheck.UrlChecker(settings())
    r = checker.check(
        [
            server.url("/ok"),
            server.url("/missing"),
            server.url("/gone"),
            server.url("/no-head"),
            server.url("/redirect"),
        ]
    )
    assert r[server.url("/ok")].status == 200 and r[server.url("/ok")].method == "HEAD"
    assert r[server.url("/missing")].status == 404 and r[server.url("/missing")].method == "GET"
    assert r[server.url("/gone")].status == 410
    no_head = r[server.url("/no-head")]
    assert (no_head.status, no_head.method) == (200, "GET")
    assert [m for m, p, _, _ in server.requests if p == "/no-head"] == ["HEAD", "GET"]
    assert r[server.url("/redirect")].status == 200  # followed to /ok/after-redirect
    assert ("HEAD", "/ok/after-redirect") in {(m, p) for m, p, _, _ in server.requests}


def test_timeout_is_reported_after_retries(server):
    result = urlcheck.UrlChecker(settings(timeout=0.2, retries=1)).check([server.url("/slow")])[server.url("/slow")]
    assert result.status is None and result.error == "no answer within 0.2 s"
    assert result.attempts == 2
    assert [m for m, p, _, _ in server.requests if p == "/slow"] == ["HEAD", "HEAD"]  # one request per attempt


def test_connection_refused_says_so():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    url = f"http://127.0.0.1:{port}/x"
    result = urlcheck.UrlChecker(settings(retries=0)).check([url])[url]
    assert result.status is None
    assert result.error.startswith("Failed to establish a new connection") and "refused" in result.error


def test_retries_transient_failures_with_backoff(server):
    result = urlcheck.UrlChecker(settings(retries=2, backoff=0.1)).check([server.url("/flaky")])[server.url("/flaky")]
    assert (result.status, result.attempts) == (200, 3)
    times = [t for m, p, _, t in server.requests if p == "/flaky"]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.1 and times[2] - times[1] >= 0.2  # back-off doubles
    down = urlcheck.UrlChecker(settings(retries=1)).check([server.url("/down")])[server.url("/down")]
    assert (down.status, down.attempts) == (503, 2)


def test_retry_after_is_honoured(server):
    result = urlcheck.UrlChecker(settings(backoff=0.01)).check([server.url("/limited")])[server.url("/limited")]
    assert (result.status, result.attempts) == (200, 2)
    times = [t for _, p, _, t in server.requests if p == "/limited"]
    assert times[1] - times[0] >= 0.95


def test_concurrency_is_bounded(server):
    urls = [server.url(f"/concurrent/{i}") for i in range(8)]
    results = urlcheck.UrlChecker(settings(concurrency=4)).check(urls)
    assert all(r.status == 200 for r in results.values())
    assert sorted(p for _, p, _, _ in server.requests) == sorted(f"/concurrent/{i}" for i in range(8))
    assert server.max_in_flight == 4  # four at once (not one after another), never more


def test_requests_to_one_host_are_paced(server):
    interval = 0.4
    urls = [server.url(f"/paced/{i}") for i in range(3)] + [
        server.url(f"/paced/{i}", host="localhost") for i in range(3, 6)
    ]
    urlcheck.UrlChecker(settings(concurrency=6, host_interval=interval)).check(urls)
    for host in ("127.0.0.1", "localhost"):
        starts = sorted(t for _, p, h, t in server.requests if h == host and p.startswith("/paced"))
        assert len(starts) == 3
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert min(gaps) >= interval - 0.02, gaps  # the pacer's minimum


def test_hosts_are_paced_separately(server):
    # Each host's first request waits in the server until the other host's arrives: both get
    # their answer only if one host's pacing does not hold back the other's requests.
    urls = [server.url("/together/1"), server.url("/together/2", host="localhost")]
    results = urlcheck.UrlChecker(settings(concurrency=2, host_interval=30.0, timeout=10, retries=0)).check(urls)
    assert [results[u].status for u in urls] == [200, 200]
    assert sorted(h for _, p, h, _ in server.requests if p.startswith("/together/")) == ["127.0.0.1", "localhost"]


def test_persistent_cache_with_expiry(server, tmp_path):
    cache = tmp_path / "cache" / "links.json"
    urls = [server.url("/ok"), server.url("/missing"), server.url("/down")]
    first = urlcheck.UrlChecker(settings(retries=0), cache)
    first.check(urls)
    assert first.fetched == 3
    stored = json.loads(cache.read_text(encoding="utf-8"))
    # Verdicts are kept; a 503 may be gone tomorrow, so it is not.
    assert set(stored["urls"]) == {server.url("/ok"), server.url("/missing")}
    before = len(server.requests)
    second = urlcheck.UrlChecker(settings(retries=0), cache)
    results = second.check(urls)
    assert second.fetched == 1  # only /down
    assert results[server.url("/missing")].status == 404 and results[server.url("/missing")].cached
    assert {p for _, p, _, _ in server.requests[before:]} == {"/down"}
    expired = urlcheck.UrlChecker(settings(retries=0, cache_max_age=0), cache)
    time.sleep(0.01)
    expired.check(urls)
    assert expired.fetched == 3


def test_damaged_cache_is_ignored(server, tmp_path):
    cache = tmp_path / "links.json"
    cache.write_text("{not json", encoding="utf-8")
    checker = urlcheck.UrlChecker(settings(), cache)
    assert checker.check([server.url("/ok")])[server.url("/ok")].status == 200
    assert json.loads(cache.read_text(encoding="utf-8"))["version"] == urlcheck.CACHE_VERSION


def test_syntax_only_offline():
    assert urlcheck.syntax_problem("https://example.org/a?b=c#d") is None
    assert urlcheck.syntax_problem("https://münchen.example/x") is None
    assert urlcheck.syntax_problem("http://[::1]:8080/x") is None
    assert urlcheck.syntax_problem("https://https://example.org/") == "the scheme is written twice"
    assert urlcheck.syntax_problem("https://example.org/a b") == "contains white space"
    assert urlcheck.syntax_problem("https://example.org/%zz") == "'%' not followed by two hex digits"
    assert urlcheck.syntax_problem("https:///path") == "no host name"
    assert urlcheck.syntax_problem("https://exa!mple.org/") == "invalid host name 'exa!mple.org'"
    assert urlcheck.syntax_problem("https://example.org:99999/").startswith("invalid URL")


def test_cli_external_reports_each_place(server, tmp_path):
    root = tmp_path / "site"
    docs = root / "docs" / "en"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text(
        f"# Home\n\n[fine]({server.url('/ok')}) and [gone]({server.url('/missing')}#part).\n\n"
        f"- <{server.url('/missing')}>\n- [busy]({server.url('/down')})\n- [skipped]({server.url('/skip')})\n",
        encoding="utf-8",
    )
    (root / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - bitext:\n      links:\n        exclude: ['/skip$']\n        http:\n"
        "          retries: 0\n          timeout: 2\n          host_interval: 0\n          cache: .cache/links.json\n",
        encoding="utf-8",
    )
    offline = run_bitext("links", "--root", str(root))
    assert offline.returncode == 0 and len(server.requests) == 0
    assert "4 external URLs (syntax only; --external fetches them)" in offline.stdout
    result = run_bitext("links", "--root", str(root), "--external", "--format", "json")
    assert result.returncode == 1
    col = (docs / "index.md").read_text(encoding="utf-8").splitlines()[2].index(server.url("/missing")) + 1
    found = [(f["line"], f["col"], f["code"], f["severity"]) for f in json.loads(result.stdout)]
    assert found == [
        (3, col, "external-4xx", "error"),
        (5, 4, "external-4xx", "error"),
        (6, 10, "external-5xx", "warning"),
    ]
    assert "/skip" not in {p for _, p, _, _ in server.requests}
    assert Path(root / ".cache" / "links.json").is_file()
    text = run_bitext("links", "--root", str(root), "--external")
    assert f"docs/en/index.md:3:{col}: external-4xx: link '{server.url('/missing')}#part': HTTP 404" in text.stdout
    # /ok and /missing came from the cache; /down (503) is never cached.
    assert "4 external URLs: 3 checked (1 fetched, 2 from the cache), 1 excluded" in text.stdout
