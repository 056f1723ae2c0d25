"""External URLs: offline syntax checks, and HTTP(S) checks with a persistent result cache.

``UrlChecker.check(urls)`` fetches each URL once, several at a time
(``concurrency`` threads, one ``requests`` session per thread), never starting
two requests to one host closer than ``host_interval`` seconds apart, with a
timeout, retries with exponential back-off (``Retry-After`` honoured) for
answers that may change (timeouts, connection errors, 429, 5xx), and ``HEAD``
first with a ``GET`` when a server refuses ``HEAD``.  Definitive results are
kept in a JSON cache file for ``cache_max_age`` seconds so repeated runs only
fetch what is new or expired.

Retries, the per-host pacing and the cache are written here rather than taken
from urllib3's ``Retry`` or requests-cache: a retry must wait for the host's
next slot like any other request, and a link checker caches verdicts (this URL
answered 404 an hour ago), not HTTP responses with their own freshness rules.
"""

from __future__ import annotations

import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bitext.core.files import atomic_write

if TYPE_CHECKING:
    import requests

USER_AGENT = "bitext-links/0.1 (documentation link checker)"
CACHE_VERSION = 1
# Answers that a later request may not repeat: not cached, retried.
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
# Host name labels; "_" is outside RFC 1123 but browsers and DNS accept it.
_HOST = re.compile(r"^(?:[\w](?:[\w-]{0,61}[\w])?\.)*[\w](?:[\w-]{0,61}[\w])?\.?$", re.A)
_DOUBLED_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:/*[a-z][a-z0-9+.-]*://", re.I)
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Characters RFC 3986 never allows in a URL unencoded; a page that writes such a URL into HTML or
# JavaScript as it is (a redirect page) can be broken out of with them.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"<>`]')


def unsafe_character(url: str) -> str | None:
    """The first character of ``url`` that a URL must percent-encode, if any (white space and ``\\`` aside)."""
    m = _UNSAFE.search(url)
    return m.group() if m else None


def syntax_problem(url: str) -> str | None:
    """Why an http(s) URL cannot work as written, or None when its syntax is valid."""
    if any(c.isspace() for c in url):
        return "contains white space"
    if "\\" in url:
        return "contains a backslash"
    unsafe = unsafe_character(url)
    if unsafe is not None:
        return f"contains {unsafe!r}, which a URL must percent-encode"
    if _DOUBLED_SCHEME.match(url):
        return "the scheme is written twice"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"invalid URL ({exc})"
    if parts.scheme.lower() not in ("http", "https", ""):
        return f"unsupported scheme {parts.scheme!r}"
    host = parts.hostname or ""
    if not host:
        return "no host name"
    if port is None and parts.netloc.endswith(":"):
        return "empty port"
    if not parts.netloc.rsplit("@", 1)[-1].startswith("["):  # urlsplit checks IPv6 literals itself
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return f"invalid host name {host!r}"
        if not _HOST.match(ascii_host):
            return f"invalid host name {host!r}"
    if _BAD_ESCAPE.search(url):
        return "'%' not followed by two hex digits"
    return None


def defragment(url: str) -> str:
    return url.split("#", 1)[0]


@dataclass
class HttpSettings:
    """How external URLs are fetched (the ``links: http:`` options)."""

    concurrency: int = 8
    timeout: float = 10.0  # seconds, per request
    retries: int = 2  # extra attempts after a transient failure
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_wait: float = 30.0  # longest Retry-After honoured
    host_interval: float = 0.5  # seconds between two request starts to one host
    cache: str = ".cache/bitext/links.json"  # relative to the project root; "" = no cache
    cache_max_age: float = 86400.0  # seconds a cached verdict stays valid
    user_agent: str = USER_AGENT
    accept: tuple[int, ...] = ()  # extra status codes that count as working (e.g. 403)


@dataclass
class UrlResult:
    """What fetching one URL gave: an HTTP ``status`` or a network ``error``."""

    url: str
    status: int | None = None
    error: str | None = None
    method: str = "HEAD"
    attempts: int = 0
    checked_at: float = 0.0
    cached: bool = False
    retry_after: float | None = None  # seconds the server asked us to wait (not cached)

    @property
    def transient(self) -> bool:
        return self.status is None or self.status in RETRY_STATUS

    def ok(self, accept: tuple[int, ...] = ()) -> bool:
        return self.status is not None and (200 <= self.status < 400 or self.status in accept)


@dataclass
class ResultCache:
    """Verdicts of earlier runs, one JSON file: ``{"version": 1, "urls": {url: result}}``."""

    path: Path | None
    max_age: float
    entries: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None, max_age: float) -> ResultCache:
        cache = cls(path, max_age)
        if path is None or not path.is_file():
            return cache
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return cache  # a damaged cache only costs a re-check
        if isinstance(data, dict) and data.get("version") == CACHE_VERSION and isinstance(data.get("urls"), dict):
            cache.entries = {k: v for k, v in data["urls"].items() if isinstance(v, dict)}
        return cache

    def get(self, url: str, now: float) -> UrlResult | None:
        entry = self.entries.get(url)
        if entry is None or now - float(entry.get("checked_at", 0)) > self.max_age:
            return None
        return UrlResult(
            url,
            entry.get("status"),
            entry.get("error"),
            entry.get("method", "HEAD"),
            entry.get("attempts", 0),
            float(entry.get("checked_at", 0)),
            cached=True,
        )

    def put(self, result: UrlResult) -> None:
        if result.transient:
            return
        entry = asdict(result)
        del entry["url"], entry["cached"], entry["retry_after"]
        self.entries[result.url] = entry

    def save(self, now: float) -> None:
        if self.path is None:
            return
        fresh = {k: v for k, v in sorted(self.entries.items()) if now - float(v.get("checked_at", 0)) <= self.max_age}
        atomic_write(
            self.path, json.dumps({"version": CACHE_VERSION, "urls": fresh}, indent=1, ensure_ascii=False) + "\n"
        )


class HostPacer:
    """Spaces the requests to each host at least ``interval`` seconds apart."""

    def __init__(self, interval: float):
        self.interval = interval
        self.next_slot: dict[str, float] = {}
        self.lock = threading.Lock()

    def wait(self, host: str) -> None:
        with self.lock:
            now = time.monotonic()
            slot = max(now, self.next_slot.get(host, now))
            self.next_slot[host] = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


class UrlChecker:
    def __init__(self, settings: HttpSettings, cache_path: Path | None = None):
        self.settings = settings
        self.cache = ResultCache.load(cache_path, settings.cache_max_age)
        self.pacer = HostPacer(settings.host_interval)
        self.local = threading.local()
        self.fetched = 0  # URLs fetched over the network by the last check()

    def check(self, urls) -> dict[str, UrlResult]:
        """The result for every URL (fragments ignored), from the cache or the network."""
        now = time.time()
        results: dict[str, UrlResult] = {}
        todo = []
        for url in dict.fromkeys(defragment(u) for u in urls):
            cached = self.cache.get(url, now)
            if cached is not None:
                results[url] = cached
            else:
                todo.append(url)
        self.fetched = len(todo)
        if todo:
            with ThreadPoolExecutor(
                max_workers=max(1, self.settings.concurrency), thread_name_prefix="bitext-url"
            ) as pool:
                for result in pool.map(self.fetch, todo):
                    results[result.url] = result
                    self.cache.put(result)
            self.cache.save(time.time())
        return results

    def session(self) -> requests.Session:
        # requests documents no thread-safety for Session: one per worker thread.
        session = getattr(self.local, "session", None)
        if session is None:
            session = _requests().Session()
            session.headers["User-Agent"] = self.settings.user_agent
            self.local.session = session
        return session

    def fetch(self, url: str) -> UrlResult:
        host = (urlsplit(url).hostname or "").lower()
        result = UrlResult(url)
        wait = 0.0
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(wait)
            result = self._attempt(url, host)
            result.attempts = attempt + 1
            if not result.transient:
                break
            wait = self._retry_wait(result, attempt)
        result.checked_at = time.time()
        return result

    def _attempt(self, url: str, host: str) -> UrlResult:
        requests = _requests()
        session = self.session()
        timeout = self.settings.timeout
        try:
            self.pacer.wait(host)
            response = session.head(url, allow_redirects=True, timeout=timeout)
            response.close()
            if response.status_code < 400 or response.status_code in RETRY_STATUS:
                return _result(url, response, "HEAD")
            # Many servers answer HEAD with 403/404/405/501 while GET works.
            self.pacer.wait(host)
            with session.get(url, allow_redirects=True, timeout=timeout, stream=True) as response:
                return _result(url, response, "GET")
        except requests.Timeout:
            return UrlResult(url, error=f"no answer within {timeout:g} s")
        except requests.TooManyRedirects:
            return UrlResult(url, error="too many redirects")
        except requests.RequestException as exc:
            return UrlResult(url, error=_reason(exc))

    def _retry_wait(self, result: UrlResult, attempt: int) -> float:
        wait = self.settings.backoff * (2**attempt)
        if result.retry_after is not None:
            wait = max(wait, result.retry_after)
        return min(wait, self.settings.max_wait)


def _requests():
    """requests, imported when a URL is fetched: most commands never fetch one, and importing it
    is a fifth of the command line's start-up."""
    import requests

    return requests


def _result(url: str, response: requests.Response, method: str) -> UrlResult:
    header = response.headers.get("Retry-After")
    return UrlResult(
        url, response.status_code, method=method, retry_after=_retry_after_seconds(header) if header else None
    )


def _retry_after_seconds(value: str) -> float | None:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _reason(exc: Exception) -> str:
    """What went wrong, without the wrappers: requests wraps urllib3's error, which wraps the cause."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    inner = getattr(inner, "reason", None) or inner
    text = re.sub(r"^(?:<[^>]*>|\w+\([^)]*\)):\s*", "", str(inner))  # urllib3 starts with the connection's repr
    return text or type(exc).__name__


def cache_path(root: Path, settings: HttpSettings) -> Path | None:
    if not settings.cache:
        return None
    path = Path(settings.cache)
    return path if path.is_absolute() else root / path


def settings_from(options: dict) -> HttpSettings:
    """``HttpSettings`` from the ``http:`` mapping of the ``links`` options (ValueError names a bad key)."""
    settings = HttpSettings()
    for key, value in options.items():
        name = str(key).replace("-", "_")
        if not hasattr(settings, name):
            raise ValueError(f"unknown links.http option {key!r}")
        default = getattr(settings, name)
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
                raise ValueError(f"links.http.{key} must be a list of status codes")
            value = tuple(value)
        elif isinstance(default, str):
            if not isinstance(value, str):
                raise ValueError(f"links.http.{key} must be a string")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ValueError(f"links.http.{key} must be a non-negative number")
        else:
            value = type(default)(value)
        setattr(settings, name, value)
    return settings
