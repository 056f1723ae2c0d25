"""External URL checks over HTTP, against a local server on 127.0.0.1 (never the network)."""

from __future__ import annotations

import itertools
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bitext.links import http as urlcheck
from bitext.links.config import HttpConfig
from bitext.project import options
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
        self.redirects: dict[str, str] = {}  # path -> Location of a 302
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
        if path == "/request-timeout":
            return 408, {}
        if path in self.redirects:
            return 302, {"Location": self.redirects[path]}
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


def settings(**kw) -> HttpConfig:
    # The test server is on loopback, which the checker refuses unless the host is allowed by name.
    values = dict(
        concurrency=4,
        timeout=0.5,
        retries=2,
        backoff=0.05,
        host_interval=0.0,
        cache="",
        allow_hosts=["127.0.0.1", "localhost"],
    )
    values.update(kw)
    # As mkdocs.yml gives them: YAML sequences are lists.
    values = {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
    return options.validate(HttpConfig, values, "test", "")


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
        "          retries: 0\n          timeout: 2\n          host_interval: 0\n          cache: .cache/links.json\n"
        "          allow_hosts: [127.0.0.1]\n",
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


# -- what the checker must not do: reach into the network it runs in, hang, retry in vain -------------


class Trap:
    """A listening socket that counts the connections it gets (it should get none)."""

    def __init__(self, host: str, family: int = socket.AF_INET):
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind((host, 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def stop(self):
        self.stopped.set()
        self.thread.join()
        self.sock.close()


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def test_redirects_to_internal_addresses_and_other_schemes_are_refused_without_connecting(server):
    """The server (allowed by name: localhost) redirects to loopback, link-local, private, multicast,
    metadata and non-HTTP URLs; none is requested, none is retried, each is reported."""
    trap = Trap("127.0.0.2")
    trap6 = Trap("::1", socket.AF_INET6) if _ipv6_loopback() else None
    targets = {
        "/to/loopback": f"http://127.0.0.2:{trap.port}/admin/delete?all=1",
        "/to/metadata": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "/to/link-local6": "http://[fe80::1]/",
        "/to/private": "http://10.1.2.3:6379/",
        "/to/shared": "http://100.64.0.1/",
        "/to/multicast": "http://224.0.0.251/",
        "/to/unspecified": "http://0.0.0.0:8080/",
        "/to/mapped": "http://[::ffff:127.0.0.2]/",
        "/to/file": "file:///etc/passwd",
        "/to/gopher": "gopher://127.0.0.1:6379/_FLUSHALL",
    }
    if trap6 is not None:
        targets["/to/loopback6"] = f"http://[::1]:{trap6.port}/"
    server.redirects = targets
    try:
        checker = urlcheck.UrlChecker(settings(allow_hosts=("localhost",)))
        urls = [server.url(path, host="localhost") for path in targets]
        results = checker.check(urls)
    finally:
        trap.stop()
        if trap6 is not None:
            trap6.stop()
    assert trap.connections == 0
    assert trap6 is None or trap6.connections == 0
    for path, target in targets.items():
        result = results[server.url(path, host="localhost")]
        assert result.status is None and result.refused and result.attempts == 1, (path, result)
        if target.startswith("http:"):
            host = urlsplit(target).hostname
            assert result.error.startswith(f"redirected to {host} is an internal address"), result.error
        else:
            assert result.error == f"redirected to {target!r}: only http and https URLs are fetched"
    # One request each, to the allowed host: the redirect was never followed, nor retried.
    assert sorted(p for _, p, _, _ in server.requests) == sorted(targets)


def test_an_internal_url_in_a_document_is_refused_unless_its_host_is_allowed(server):
    url = server.url("/ok")
    result = urlcheck.UrlChecker(settings(allow_hosts=())).check([url])[url]
    assert result.refused and result.error.startswith("127.0.0.1 is an internal address")
    by_name = server.url("/ok", host="localhost")
    result = urlcheck.UrlChecker(settings(allow_hosts=())).check([by_name])[by_name]
    assert result.refused and result.error.startswith("localhost resolves to ")
    assert server.requests == []
    assert urlcheck.UrlChecker(settings(allow_hosts=("localhost",))).check([by_name])[by_name].status == 200


def test_public_addresses():
    for address in ("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "8.8.8.8"):
        assert urlcheck.public_address(address), address
    for address in (
        "127.0.0.1",
        "127.0.0.2",
        "::1",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "fe80::1%1",
        "fc00::1",
        "100.64.0.1",
        "224.0.0.1",
        "ff02::1",
        "0.0.0.0",
        "::",
        "240.0.0.1",
        "255.255.255.255",
        "::ffff:10.0.0.1",
    ):
        assert not urlcheck.public_address(address), address


class Drip:
    """A server that answers every connection with one byte of its status line every ``interval`` seconds."""

    def __init__(self, interval: float):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.interval = interval
        self.connections = 0
        self.stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn):
        with conn:
            for byte in itertools.cycle(b"HTTP/1.1 200 OK\r\nX-Slow: "):
                if self.stopped.wait(self.interval):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    def stop(self):
        self.stopped.set()
        self.sock.close()


def test_a_server_dripping_bytes_is_cut_at_the_deadline(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    drip = Drip(interval=0.2)  # each read gets a byte well within the 1 s timeout
    url = f"http://127.0.0.1:{drip.port}/slow"
    try:
        started = time.monotonic()
        result = urlcheck.UrlChecker(settings(timeout=1.0, deadline=1.5, retries=3)).check([url])[url]
        elapsed = time.monotonic() - started
    finally:
        drip.stop()
    assert result.status is None and result.error == "no complete answer within the 1.5 s deadline"
    assert 1.4 <= elapsed < 2.5, elapsed
    assert drip.connections == 1  # the deadline covers the retries too


def test_errors_a_retry_cannot_change_are_not_retried(server):
    checker = urlcheck.UrlChecker(settings(retries=3, backoff=0.01))
    missing = checker.check([server.url("/missing")])[server.url("/missing")]
    assert (missing.status, missing.attempts) == (404, 1)
    unknown = "http://no-such-host.invalid/x"
    result = checker.check([unknown])[unknown]
    assert result.error.startswith("host name not found") and result.attempts == 1
    timeout = checker.check([server.url("/request-timeout")])[server.url("/request-timeout")]
    assert (timeout.status, timeout.attempts) == (408, 4)  # 408: the server asks for another try


def test_cli_refuses_internal_hosts_and_fetches_translation_only_urls_when_told(server, tmp_path):
    root = tmp_path / "site"
    docs = root / "docs" / "en"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text(f"# Home\n\nSee [the docs]({server.url('/ok/english')}).\n", encoding="utf-8")
    config = (
        "site_name: x\nplugins:\n  - bitext:\n      links:\n        http:\n"
        "          retries: 0\n          host_interval: 0\n          cache: ''\n"
    )
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert run_bitext("update", "--lang", "ko", "--root", str(root)).returncode == 0
    segments = root / "locales/ko/index.xlf"
    text = segments.read_text(encoding="utf-8")
    text = re.sub(
        r'(<source>See \[the docs\]\((.*?)\)\.</source>\s*)<target state="needs-translation"></target>',
        lambda m: (
            f'{m.group(1)}<target state="translated">[문서]({m.group(2)})와 '
            f"[번역자 링크]({server.url('/ok/korean')})를 보세요.</target>"
        ),
        text,
    )
    assert "/ok/korean" in text
    segments.write_text(text, encoding="utf-8")

    result = run_bitext("links", "--root", str(root), "--external")
    assert result.returncode == 1
    assert (
        f"docs/en/index.md:3:16: external-refused: link {server.url('/ok/english')!r}: 127.0.0.1 is an internal address"
        in result.stdout
    )
    assert server.requests == []

    (root / "mkdocs.yml").write_text(config + "          allow_hosts: [127.0.0.1]\n", encoding="utf-8")
    result = run_bitext("links", "--root", str(root), "--external")
    assert {p for _, p, _, _ in server.requests} == {"/ok/english"}  # the Korean-only URL is not fetched
    assert "external-refused" not in result.stdout

    (root / "mkdocs.yml").write_text(
        config + "          allow_hosts: [127.0.0.1]\n          translated: true\n", encoding="utf-8"
    )
    run_bitext("links", "--root", str(root), "--external")
    assert {p for _, p, _, _ in server.requests} == {"/ok/english", "/ok/korean"}
