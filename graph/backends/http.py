"""HTTP requests with a deadline that holds, to the one server the user named.

Each request has a socket-level timeout (no single connect, send or receive
waits longer than what is left of the deadline) and a watchdog that shuts the
socket down when the deadline passes, so neither a server that accepts and
never answers nor one that drips a byte a second can hold the caller longer
than the deadline.  Only ``http`` and ``https`` URLs are accepted, and a
redirect is followed only when it stays on the same scheme, host and port.

A :class:`ConnectionPool` keeps up to :data:`PARALLEL` such connections to the
one server, so that the batches of one read (a view's hop, the classes of the
nodes it leaves out) are asked at once rather than one after another.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

from ..errors import EndpointError, EndpointTimeout, TooLarge

__all__ = [
    "PARALLEL",
    "Connection",
    "ConnectionPool",
    "Response",
    "check_endpoint_allowed",
    "check_url",
]

#: Requests one read sends to the server at once (its batches), at most.
PARALLEL = 4
#: Largest response body read before giving up (a runaway result), unless a request says less.
MAX_BODY = 512 * 1024 * 1024
_MAX_REDIRECTS = 3
_CHUNK = 1 << 16
#: Response headers read at most.  Virtuoso echoes each graph of a request's dataset as a
#: header of its answer (``X-SPARQL-default-graph``, ``X-SPARQL-named-graph``): two per
#: graph, past http.client's own cap of 100 once a request names 50 graphs.
MAX_HEADERS = 5000
http.client._MAXHEADERS = max(http.client._MAXHEADERS, MAX_HEADERS)


@dataclass(frozen=True)
class Response:
    """A complete HTTP response."""

    status: int
    content_type: str
    body: bytes
    #: The response's headers, names in lower case.
    headers: dict[str, str] = field(default_factory=dict)


def check_url(url: str) -> tuple[str, str, int, str]:
    """Split an endpoint URL into scheme, host, port and path; refuse anything but http(s).

    >>> check_url("http://127.0.0.1:7878/query")
    ('http', '127.0.0.1', 7878, '/query')
    >>> check_url("file:///etc/passwd")
    Traceback (most recent call last):
    ...
    graph.errors.EndpointError: only http and https endpoints are supported, not 'file:///etc/passwd'
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as err:
        raise EndpointError(f"not a valid endpoint address: {url!r} ({err})") from err
    if parts.scheme not in ("http", "https"):
        raise EndpointError(f"only http and https endpoints are supported, not {url!r}")
    if not parts.hostname:
        raise EndpointError(f"the endpoint address {url!r} names no host")
    if parts.username or parts.password:
        raise EndpointError("credentials in the endpoint address are not supported")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, parts.hostname, port or default, path


def check_endpoint_allowed(url: str, allowed: Sequence[str]) -> None:
    """Refuse ``url`` unless it starts with one of the ``allowed`` addresses (``*``: any).

    Scheme, host and port must be the same; the path must start with the allowed
    one.  This is what an app served to others lets visitors reach: without it,
    anyone could make the server fetch an address of their choosing.

    >>> check_endpoint_allowed("http://127.0.0.1:7878/query", ["http://127.0.0.1:7878/"])
    >>> check_endpoint_allowed("http://169.254.169.254/latest", ["http://127.0.0.1:7878/"])
    Traceback (most recent call last):
    ...
    graph.errors.EndpointError: http://169.254.169.254/latest is not among the endpoints this \
app allows (http://127.0.0.1:7878/)
    """
    if "*" in allowed:
        return
    scheme, host, port, path = check_url(url)
    for entry in allowed:
        a_scheme, a_host, a_port, a_path = check_url(entry)
        same_origin = (scheme, host.lower(), port) == (a_scheme, a_host.lower(), a_port)
        if same_origin and path.startswith(a_path):
            return
    shown = ", ".join(allowed) if allowed else "none"
    raise EndpointError(f"{url} is not among the endpoints this app allows ({shown})")


class Connection:
    """A keep-alive connection to one endpoint, every request bounded by a deadline.

    Parameters
    ----------
    url : str
        The endpoint's address (http or https).
    """

    def __init__(self, url: str) -> None:
        self.url = url.strip()
        self.scheme, self.host, self.port, self.path = check_url(self.url)
        self._conn: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()
        self._timeout_s = 0.0

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float,
        max_bytes: int = MAX_BODY,
    ) -> Response:
        """Send one request and read the whole answer before ``timeout`` seconds pass.

        An answer longer than ``max_bytes`` is not read past that size.

        Raises
        ------
        EndpointTimeout
            When the answer is not complete in time.
        EndpointError
            When the endpoint cannot be reached, redirects elsewhere or answers too much.
        """
        deadline = time.monotonic() + timeout
        self._timeout_s = timeout
        with self._lock:
            for _ in range(_MAX_REDIRECTS + 1):
                response, location = self._once(
                    method, path, body, headers or {}, (deadline, max_bytes)
                )
                if location is None:
                    return response
                path = self._same_origin(location)
        raise EndpointError(f"{self.url} redirected too many times")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _same_origin(self, location: str) -> str:
        target = urljoin(f"{self.scheme}://{self.host}:{self.port}{self.path}", location)
        scheme, host, port, path = check_url(target)
        if (scheme, host, port) != (self.scheme, self.host, self.port):
            raise EndpointError(f"{self.url} redirected to {target}, another server; not followed")
        return path

    def _connection(self, remaining: float) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = (
                http.client.HTTPSConnection
                if self.scheme == "https"
                else http.client.HTTPConnection
            )
            self._conn = cls(self.host, self.port, timeout=remaining)
        return self._conn

    def _once(
        self,
        method: str,
        path: str,
        body: bytes | None,
        headers: dict[str, str],
        limits: tuple[float, int],
    ) -> tuple[Response, str | None]:
        fresh = self._conn is None
        try:
            return self._exchange(method, path, body, headers, limits)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.close()
            if fresh:
                raise EndpointError(f"{self.url} closed the connection without answering") from None
            # A kept-alive connection the server had already closed: one retry.
            return self._exchange(method, path, body, headers, limits)

    def _exchange(
        self,
        method: str,
        path: str,
        body: bytes | None,
        headers: dict[str, str],
        limits: tuple[float, int],
    ) -> tuple[Response, str | None]:
        deadline, max_bytes = limits
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise self._timeout(deadline)
        conn = self._connection(remaining)
        watchdog = threading.Timer(remaining, self._abort, args=(conn,))
        watchdog.daemon = True
        watchdog.start()
        try:
            conn.timeout = remaining
            if conn.sock is None:
                conn.connect()
            conn.sock.settimeout(remaining)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = _read_body(response, conn, deadline, max_bytes)
        except TimeoutError as err:
            self.close()
            raise self._timeout(deadline) from err
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.close()
            if time.monotonic() >= deadline:
                raise self._timeout(deadline) from None
            raise
        except (OSError, http.client.HTTPException) as err:
            self.close()
            if time.monotonic() >= deadline:
                raise self._timeout(deadline) from err
            raise EndpointError(f"cannot reach {self.url}: {_reason(err)}") from err
        finally:
            watchdog.cancel()
        if response.will_close:
            self.close()
        location = response.getheader("Location")
        if response.status in (301, 302, 303, 307, 308) and location:
            return Response(response.status, "", data), location
        content_type = (response.getheader("Content-Type") or "").split(";")[0].strip()
        received = {name.lower(): value for name, value in response.getheaders()}
        return Response(response.status, content_type.lower(), data, received), None

    def _abort(self, conn: http.client.HTTPConnection) -> None:
        """Called by the watchdog at the deadline: unblock any read or write."""
        sock = conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _timeout(self, deadline: float) -> EndpointTimeout:
        return EndpointTimeout(
            f"{self.url} did not answer within {self._timeout_s:g} s; the endpoint is slow"
            " or not answering (try again, or a larger timeout)"
        )


_T = TypeVar("_T")
_R = TypeVar("_R")


class ConnectionPool:
    """Up to ``size`` keep-alive :class:`Connection` objects to one endpoint.

    :meth:`request` takes a free connection (opening one while fewer than
    ``size`` are open, else waiting for one); :meth:`map` asks a read's
    batches at once, at most ``size`` together, and gives their answers in
    order.

    >>> pool = ConnectionPool("http://127.0.0.1:9/sparql")
    >>> pool.map(str.upper, ["a", "b", "c"])
    ['A', 'B', 'C']
    """

    def __init__(self, url: str, size: int = PARALLEL) -> None:
        first = Connection(url)
        self.url, self.path = first.url, first.path
        self.size = max(1, size)
        self._open = [first]
        self._free = [first]
        self._cond = threading.Condition()

    def request(self, method: str, path: str, **options: object) -> Response:
        """:meth:`Connection.request` on a free connection."""
        conn = self._take()
        try:
            return conn.request(method, path, **options)  # type: ignore[arg-type]
        finally:
            with self._cond:
                self._free.append(conn)
                self._cond.notify()

    def map(self, fn: Callable[[_T], _R], items: Iterable[_T]) -> list[_R]:
        """``[fn(item) for item in items]``, up to ``size`` at once; the first error is raised."""
        items = list(items)
        if len(items) <= 1 or self.size == 1:
            return [fn(item) for item in items]
        with ThreadPoolExecutor(min(self.size, len(items)), "endpoint") as workers:
            return list(workers.map(fn, items))

    def close(self) -> None:
        with self._cond:
            for conn in self._open:
                conn.close()

    def _take(self) -> Connection:
        with self._cond:
            while not self._free and len(self._open) >= self.size:
                self._cond.wait()
            if self._free:
                return self._free.pop()
            conn = Connection(self.url)
            self._open.append(conn)
            return conn


def _read_body(
    response: http.client.HTTPResponse,
    conn: http.client.HTTPConnection,
    deadline: float,
    max_bytes: int,
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        if conn.sock is not None:
            conn.sock.settimeout(remaining)
        chunk = response.read(_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            conn.close()
            raise TooLarge(
                f"the endpoint's answer is larger than {max_bytes / 2**20:,.0f} MiB; not read"
                " (ask for less: a LIMIT, fewer hops, or --graph)"
            )
        chunks.append(chunk)
    if time.monotonic() > deadline:
        raise TimeoutError
    return b"".join(chunks)


def _reason(err: BaseException) -> str:
    if isinstance(err, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(err, socket.gaierror):
        return "unknown host"
    return str(err) or type(err).__name__
