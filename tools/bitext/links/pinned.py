"""HTTP requests to an address that was checked, under a wall-clock deadline (for ``bitext.links.http``).

The connection goes to the IP address ``bitext.links.http`` resolved and
judged, never to a second DNS answer: urllib3's pool is opened on the
address, with the host name for TLS (``server_hostname``, certificate
checked against it) and for the ``Host`` header.  Every socket is handed to
the URL's ``Deadline``, which shuts it down when the time is up, whatever
read it is in.  Kept apart so that urllib3 is imported only when a URL is
fetched.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any
from urllib.parse import SplitResult, urlunsplit

import certifi
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError, NewConnectionError, SSLError
from urllib3.exceptions import TimeoutError as UrllibTimeout

__all__ = ["DEFAULT_PORTS", "Deadline", "HTTPError", "SSLError", "request", "timed_out"]

DEFAULT_PORTS = {"http": 80, "https": 443}


class Deadline:
    """A wall-clock limit on checking one URL: at the end, the sockets still open are shut down.

    Socket timeouts bound each read, not a server that sends one byte every
    few seconds; shutting the socket down ends the read wherever it is.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.timer = threading.Timer(seconds, self._cut)
        self.timer.daemon = True
        self.timer.start()

    def left(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self.lock:
            if self.expired:
                _shut(sock)
            else:
                self.sockets.append(sock)

    def _cut(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                _shut(sock)

    def cancel(self) -> None:
        self.timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _Watched:
    """A urllib3 connection whose socket a Deadline can shut down."""

    deadline: Deadline

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        self.deadline.watch(sock)
        return sock


class _HTTPConnection(_Watched, HTTPConnection):
    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.deadline = deadline


class _HTTPSConnection(_Watched, HTTPSConnection):
    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.deadline = deadline


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


def request(
    method: str, parts: SplitResult, address: str, *, timeout: float, deadline: Deadline, user_agent: str
) -> tuple[int, dict[str, str]]:
    """One request, no redirect followed: the status and headers of the answer (its body is not read)."""
    left = deadline.left()
    if not left:
        raise UrllibTimeout("deadline")
    scheme = parts.scheme.lower()
    step = urllib3.Timeout(connect=min(timeout, left), read=min(timeout, left))
    options: dict[str, Any] = {"timeout": step, "retries": False, "deadline": deadline}
    port = parts.port or DEFAULT_PORTS[scheme]
    host = (parts.hostname or "").lower()
    pool: urllib3.HTTPConnectionPool
    if scheme == "https":
        options.update(server_hostname=host, assert_hostname=host, cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())
        pool = _HTTPSPool(address, port, **options)
    else:
        pool = _HTTPPool(address, port, **options)
    target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    headers = {"Host": parts.netloc.rsplit("@", 1)[-1], "User-Agent": user_agent}
    try:
        response = pool.urlopen(
            method, target, headers=headers, redirect=False, preload_content=False, assert_same_host=False
        )
        response.release_conn()
    finally:
        pool.close()
    return response.status, dict(response.headers)


def timed_out(exc: BaseException) -> bool:
    """Whether an error is a connect or read timeout (urllib3's NewConnectionError, a refused or
    unreachable address, is a ConnectTimeoutError too, but not a timeout)."""
    return isinstance(exc, UrllibTimeout | TimeoutError) and not isinstance(exc, NewConnectionError)
