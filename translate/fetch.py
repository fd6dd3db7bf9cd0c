"""The only module that touches the network: fetch the Argos package index and download packages.

Everything else in `translate/` runs offline; `translate models install LANG LANG` is the one
command that comes here. Failures become one-line `UserError`s (exit code 1: the user did nothing
wrong, the network or the server did).
"""

from __future__ import annotations

import http.client
import json
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from pathlib import Path
from typing import Any, Callable

from translate.errors import EXIT_FAILURE, UserError
from translate.models import DownloadLimits

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
INDEX_URL_ENV = "TRANSLATE_PACKAGE_INDEX"
MAX_INDEX_BYTES = 32 * 1024 * 1024
"""The real index is ~100 kB; anything far bigger is not an index."""
ALLOWED_SCHEMES = ("http", "https", "file")
"""Schemes a URL given to us may use; `file` only where the index itself is a local file."""
REDIRECT_SCHEMES = ("http", "https")
"""Schemes a redirect may lead to: a web server never gets to send us to ftp:// or a local file."""
MAX_REDIRECTS = 10
CHUNK_BYTES = 256 * 1024


def fetch_index(url: str, limits: DownloadLimits = DownloadLimits()) -> list[dict[str, Any]]:
    """Download and parse the package index: a JSON list of package objects."""
    _check_scheme(url, "package index", allow_file=True)
    raw = bytearray()

    def keep(chunk: bytes) -> None:
        raw.extend(chunk)
        if len(raw) > MAX_INDEX_BYTES:
            raise UserError(f"the package index at {url} is larger than {MAX_INDEX_BYTES} bytes", EXIT_FAILURE)

    _transfer(url, f"cannot reach the package index at {url}", limits, allow_file=True, on_start=None, sink=keep)
    try:
        index = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"the package index at {url} is not valid JSON: {_one_line(str(exc))}", EXIT_FAILURE) from exc
    except (RecursionError, ValueError):  # nesting or numbers beyond what Python parses
        raise UserError(f"the package index at {url} is not valid JSON: nested too deeply or huge numbers",
                        EXIT_FAILURE) from None
    if not isinstance(index, list):
        raise UserError(f"the package index at {url} is not a JSON list of packages", EXIT_FAILURE)
    return [entry for entry in index if isinstance(entry, dict)]


def download(
    url: str,
    dest: Path,
    progress: bool = True,
    limits: DownloadLimits = DownloadLimits(),
    max_bytes: int | None = None,
    allow_file: bool = False,
) -> Path:
    """Stream `url` into `dest`, with a progress bar on stderr unless `progress` is False.

    A failed download leaves no file behind. `max_bytes` stops a server that sends too much;
    `limits` one that is too slow; `allow_file` permits a file:// URL (links of a local index).
    """
    _check_scheme(url, "package", allow_file)
    failure = f"cannot download {url}"
    label = Path(urllib.parse.urlparse(url).path).name or url
    try:
        with open(dest, "wb") as out, _progress_bar(label, progress) as bar:
            written = 0

            def start(total: int | None) -> None:
                if max_bytes is not None and total is not None and total > max_bytes:
                    raise UserError(f"{url} is {total} bytes, more than the {max_bytes}-byte limit", EXIT_FAILURE)
                bar.set_total(total)

            def keep(chunk: bytes) -> None:
                nonlocal written
                written += len(chunk)
                if max_bytes is not None and written > max_bytes:
                    raise UserError(f"{url} sent more than the {max_bytes}-byte limit", EXIT_FAILURE)
                out.write(chunk)
                bar.advance(len(chunk))

            total = _transfer(url, failure, limits, allow_file, start, keep)
            if total is not None and written != total:
                raise UserError(f"{failure}: got {written} of {total} bytes", EXIT_FAILURE)
    except OSError as exc:  # writing dest failed
        dest.unlink(missing_ok=True)
        raise UserError(f"{failure}: cannot write {dest}: {exc.strerror or exc}", EXIT_FAILURE) from exc
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return dest


def _transfer(
    url: str,
    failure: str,
    limits: DownloadLimits,
    allow_file: bool,
    on_start: Callable[[int | None], None] | None,
    sink: Callable[[bytes], None],
) -> int | None:
    """Open `url` and feed its body to `sink` chunk by chunk within `limits`; return Content-Length.

    Every failure of the network, the server or a limit becomes `UserError("{failure}: reason")`.
    """
    with _Watchdog(limits) as watchdog:
        try:
            with _opener(watchdog, allow_file).open(url, timeout=limits.read_timeout or None) as response:
                total = _content_length(response)
                if on_start is not None:
                    on_start(total)
                read = getattr(response, "read1", None) or response.read
                while chunk := read(CHUNK_BYTES):
                    watchdog.received += len(chunk)
                    sink(chunk)
        except _Refused as exc:
            raise UserError(f"{failure}: {exc}", EXIT_FAILURE) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            if watchdog.reason:  # the watchdog cut the connection: say why, not how the socket died
                raise UserError(f"{failure}: {watchdog.reason}", EXIT_FAILURE) from None
            raise UserError(f"{failure}: {_reason(exc)}", EXIT_FAILURE) from exc
        if watchdog.reason:  # cut connections can also look like a clean end of the body
            raise UserError(f"{failure}: {watchdog.reason}", EXIT_FAILURE)
    return total


def _check_scheme(url: str, what: str, allow_file: bool = True) -> None:
    scheme = urllib.parse.urlparse(url).scheme.lower()
    allowed = ALLOWED_SCHEMES if allow_file else REDIRECT_SCHEMES
    if scheme not in allowed:
        if scheme == "file":
            raise UserError(f"the {what} URL {url!r} is a local file, allowed only in a local (file://) index",
                            EXIT_FAILURE)
        raise UserError(f"the {what} URL {url!r} must start with {', '.join(s + '://' for s in allowed)}")


class _Refused(Exception):
    """A redirect we will not follow; its message says why."""


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow at most MAX_REDIRECTS redirects, each to http:// or https:// only."""

    max_repeats = max_redirections = MAX_REDIRECTS + 1  # our own count below speaks first, in one line

    def http_error_302(self, req, fp, code, msg, headers):  # noqa: ANN001, ANN201 - urllib's signature
        location = headers.get("location") or headers.get("uri")
        if location:
            target = urllib.parse.urljoin(req.full_url, location)
            scheme = urllib.parse.urlparse(target).scheme.lower()
            hops = sum(getattr(req, "redirect_dict", {}).values())
            if scheme not in REDIRECT_SCHEMES:
                fp.close()
                raise _Refused(f"the server redirected to {_clip(target)!r}; only http:// and https:// are followed")
            if hops >= MAX_REDIRECTS:
                fp.close()
                raise _Refused(f"more than {MAX_REDIRECTS} redirects (a redirect loop?), the last to {_clip(target)!r}")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(watchdog: "_Watchdog", allow_file: bool) -> urllib.request.OpenerDirector:
    """urllib with only the handlers we need: no ftp:// or data:, file:// only when allowed."""
    opener = urllib.request.OpenerDirector()
    handlers: list[urllib.request.BaseHandler] = [
        urllib.request.ProxyHandler(),
        _WatchedHTTP(watchdog),
        _WatchedHTTPS(watchdog),
        _Redirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.UnknownHandler(),
    ]
    if allow_file:
        handlers.append(urllib.request.FileHandler())
    for handler in handlers:
        opener.add_handler(handler)
    return opener


def _watched(base: type[http.client.HTTPConnection], watchdog: "_Watchdog") -> type[http.client.HTTPConnection]:
    """`base` whose every new socket is shown to `watchdog`, so it can cut a transfer that overruns."""

    class Watched(base):  # type: ignore[valid-type, misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            create = self._create_connection

            def create_and_watch(*a: Any, **k: Any) -> socket.socket:
                sock = create(*a, **k)
                watchdog.watch(sock)
                return sock

            self._create_connection = create_and_watch

    return Watched


class _WatchedHTTP(urllib.request.HTTPHandler):
    def __init__(self, watchdog: "_Watchdog") -> None:
        super().__init__()
        self.watchdog = watchdog

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPConnection, self.watchdog), req)


class _WatchedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: "_Watchdog") -> None:
        super().__init__()
        self.watchdog = watchdog

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPSConnection, self.watchdog), req, context=self._context)


class _Watchdog:
    """A thread that cuts the transfer's sockets once it overruns its deadline or falls below the minimum rate.

    The reader adds to `received`; after a cut, `reason` says which limit was hit.
    """

    def __init__(self, limits: DownloadLimits) -> None:
        self.limits = limits
        self.received = 0
        self.reason: str | None = None
        self._socks: list[socket.socket] = []
        self._guard = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="download-watchdog", daemon=True)
        self._started = 0.0

    def __enter__(self) -> "_Watchdog":
        self._started = time.monotonic()
        if self.limits.deadline or self.limits.min_rate:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        with self._guard:
            for sock in self._socks:
                sock.close()
            self._socks.clear()

    def watch(self, sock: socket.socket) -> None:
        """Keep a duplicate of `sock`: shutting it down ends the connection even after TLS took the original."""
        with self._guard:
            self._socks.append(sock.dup())
            if self.reason:
                self._cut()

    def _run(self) -> None:
        deadline, min_rate, window = self.limits.deadline, self.limits.min_rate, self.limits.rate_window
        tick = max(0.02, min(1.0, window / 10 if min_rate else 1.0, deadline / 20 if deadline else 1.0))
        samples: deque[tuple[float, int]] = deque([(self._started, 0)])
        while not self._stop.wait(tick):
            now = time.monotonic()
            received = self.received
            if deadline and now - self._started > deadline:
                self._abort(f"not finished after {deadline:g} s (the download deadline; --deadline changes it)")
                return
            samples.append((now, received))
            while len(samples) > 1 and samples[1][0] <= now - window:
                samples.popleft()
            if min_rate and now - self._started >= window:
                then, before = samples[0]
                rate = (received - before) / max(now - then, 1e-9)
                if rate < min_rate:
                    self._abort(f"slower than {min_rate:g} bytes/s over the last {window:g} s ({rate:.0f} bytes/s; "
                                "--min-rate changes the limit)")
                    return

    def _abort(self, reason: str) -> None:
        with self._guard:
            self.reason = reason
            self._cut()

    def _cut(self) -> None:
        for sock in self._socks:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _content_length(response: Any) -> int | None:
    value = response.headers.get("Content-Length") if getattr(response, "headers", None) else None
    try:
        return int(value) if value is not None and len(value) <= 20 else None
    except ValueError:
        return None


def _reason(exc: BaseException) -> str:
    """The human part of a urllib error on one line: 'Connection refused', 'HTTP 404 Not Found', ..."""
    if isinstance(exc, urllib.error.HTTPError):
        return _one_line(f"HTTP {exc.code} {exc.reason}")
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, OSError) and reason.strerror:
            return _one_line(reason.strerror)
        return _one_line(str(reason)) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        return _one_line(exc.strerror)
    return _one_line(str(exc)) or type(exc).__name__


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _progress_bar:
    """Context manager yielding a bar with `set_total(n)` and `advance(n)`; drawn on stderr if enabled."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label, self.enabled = label, enabled
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> "_progress_bar":
        return self

    def set_total(self, total: int | None) -> None:
        """Start drawing, now that the size (or its absence) is known."""
        if not self.enabled or self._progress is not None:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
        )
        self._progress.start()
        self._task = self._progress.add_task(self.label, total=total)

    def advance(self, nbytes: int) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, nbytes)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
