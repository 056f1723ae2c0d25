"""External URLs: offline syntax checks, and HTTP(S) checks with a persistent result cache.

``UrlChecker.check(urls)`` fetches each URL once, several at a time
(``concurrency`` threads), never starting two requests to one host closer
than ``host_interval`` seconds apart, with a timeout per read and a
wall-clock ``deadline`` per URL, retries with exponential back-off
(``Retry-After`` honoured) for answers that may change (timeouts, connection
errors, 408, 429, 5xx) and none for those that will not (other 4xx, unknown
host names, refused URLs), and ``HEAD`` first with a ``GET`` when a server
refuses ``HEAD``.  Definitive results are kept in a JSON cache file for
``cache_max_age`` seconds so repeated runs only fetch what is new or expired.

The URLs come from documents, translations included: the checker must not
become a way into the network it runs in.  Every URL and every redirect is
refused unless it is http(s) and its host name resolves only to public
addresses (not loopback, private, link-local, shared, multicast or reserved
ones, such as a cloud's metadata service at 169.254.169.254); the
connection then goes to the address that was checked (urllib3 with the host
name for TLS and the Host header), so a second DNS answer cannot swap it.
``allow_hosts`` names internal hosts that may be fetched all the same.
Redirects are followed here, one hop at a time, for that reason.

The numbers are the ``links: http:`` options (``bitext.links.config.HttpConfig``).

Retries, the per-host pacing and the cache are written here rather than taken
from urllib3's ``Retry`` or requests-cache: a retry must wait for the host's
next slot like any other request, and a link checker caches verdicts (this URL
answered 404 an hour ago), not HTTP responses with their own freshness rules.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import threading
import time
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from bitext.core.files import atomic_write
from bitext.links.config import HttpConfig

if TYPE_CHECKING:
    from bitext.links.pinned import Deadline


CACHE_VERSION = 1
# Answers that a later request may not repeat: not cached, retried.
RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10
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
    permanent: bool = False  # an error a retry cannot change (unknown host, refused URL)
    refused: bool = False  # not fetched: an internal address or a scheme other than http(s) (not cached)

    @property
    def transient(self) -> bool:
        if self.permanent:
            return False
        return self.status is None or self.status in RETRY_STATUS

    def ok(self, accept: Collection[int] = ()) -> bool:
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
            permanent=bool(entry.get("permanent", False)),
        )

    def put(self, result: UrlResult) -> None:
        if result.transient or result.refused:  # allow_hosts may change before the next run
            return
        entry = asdict(result)
        del entry["url"], entry["cached"], entry["retry_after"], entry["refused"]
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


class Refused(Exception):
    """A URL the checker does not fetch: not http(s), or a host inside the network."""


def public_address(address: str) -> bool:
    """Whether an IP address is on the public internet: not loopback, private, link-local,
    shared, multicast, reserved or unspecified (an IPv4-mapped IPv6 address counts as its IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class UrlChecker:
    def __init__(self, settings: HttpConfig, cache_path: Path | None = None):
        self.settings = settings
        self.cache = ResultCache.load(cache_path, settings.cache_max_age)
        self.pacer = HostPacer(settings.host_interval)
        self.allowed = {h.lower().strip("[]") for h in settings.allow_hosts}
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

    def fetch(self, url: str) -> UrlResult:
        from bitext.links.pinned import Deadline

        deadline = Deadline(self.settings.deadline)
        try:
            result = UrlResult(url)
            wait = 0.0
            for attempt in range(self.settings.retries + 1):
                if attempt:
                    if wait >= deadline.left():
                        break
                    time.sleep(wait)
                result = self._attempt(url, deadline)
                result.attempts = attempt + 1
                if not result.transient or deadline.expired:
                    break
                wait = self._retry_wait(result, attempt)
        finally:
            deadline.cancel()
        result.checked_at = time.time()
        return result

    def _attempt(self, url: str, deadline: Deadline) -> UrlResult:
        # urllib3 is imported when a URL is fetched: most commands never fetch one.
        from bitext.links import pinned

        timeout = self.settings.timeout
        try:
            status, retry_after = self._request(url, "HEAD", deadline)
            method = "HEAD"
            # Many servers answer HEAD with 403/404/405/501 while GET works.
            if status >= 400 and status not in RETRY_STATUS:
                status, retry_after = self._request(url, "GET", deadline)
                method = "GET"
            return UrlResult(url, status, method=method, retry_after=retry_after)
        except Refused as exc:
            return UrlResult(url, error=str(exc), permanent=True, refused=True)
        except socket.gaierror as exc:
            return UrlResult(url, error=f"host name not found ({exc.strerror or exc})", permanent=True)
        except (pinned.HTTPError, OSError) as exc:
            if deadline.expired:
                return UrlResult(url, error=f"no complete answer within the {deadline.seconds:g} s deadline")
            if pinned.timed_out(exc):
                return UrlResult(url, error=f"no answer within {timeout:g} s")
            return UrlResult(url, error=_reason(exc), permanent=isinstance(exc, pinned.SSLError))

    def _request(self, url: str, method: str, deadline: Deadline) -> tuple[int, float | None]:
        """Status and Retry-After of ``url``, redirects followed one checked hop at a time."""
        from bitext.links import pinned

        current = url
        for hop in range(MAX_REDIRECTS + 1):
            parts = urlsplit(current)
            if parts.scheme.lower() not in ("http", "https"):
                raise Refused(f"redirected to {current!r}: only http and https URLs are fetched")
            host = (parts.hostname or "").lower()
            address = self._address(host, parts.port or pinned.DEFAULT_PORTS[parts.scheme.lower()], redirected=hop > 0)
            self.pacer.wait(host)
            status, headers = pinned.request(
                method,
                parts,
                address,
                timeout=self.settings.timeout,
                deadline=deadline,
                user_agent=self.settings.user_agent,
            )
            location = headers.get("Location")
            if status in REDIRECT_STATUS and location:
                current = urljoin(current, location)
                continue
            header = headers.get("Retry-After")
            return status, _retry_after_seconds(header) if header else None
        raise Refused(f"more than {MAX_REDIRECTS} redirects")

    def _address(self, host: str, port: int, *, redirected: bool) -> str:
        """The address to connect to for ``host``: every address it resolves to must be public unless allowed."""
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = [str(info[4][0]) for info in infos]
        if host not in self.allowed:
            inside = next((a for a in addresses if not public_address(a)), None)
            if inside is not None:
                what = "" if inside == host else f" resolves to {inside}, which"
                raise Refused(
                    f"{'redirected to ' if redirected else ''}{host}{what} is an internal address (loopback, private, "
                    f"link-local or reserved): not fetched; links: http: allow_hosts names hosts that may be"
                )
        return addresses[0]

    def _retry_wait(self, result: UrlResult, attempt: int) -> float:
        wait = self.settings.backoff * (2**attempt)
        if result.retry_after is not None:
            wait = max(wait, result.retry_after)
        return min(wait, self.settings.max_wait)


def _retry_after_seconds(value: str) -> float | None:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _reason(exc: Exception) -> str:
    """What went wrong, without the wrappers: urllib3's error wraps the cause."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    inner = getattr(inner, "reason", None) or inner
    text = re.sub(r"^(?:<[^>]*>|\w+\([^)]*\)):\s*", "", str(inner))  # urllib3 starts with the connection's repr
    return text or type(exc).__name__


def cache_path(root: Path, settings: HttpConfig) -> Path | None:
    if not settings.cache:
        return None
    path = Path(settings.cache)
    return path if path.is_absolute() else root / path
