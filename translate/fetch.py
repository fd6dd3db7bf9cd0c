"""The only module that touches the network: fetch the Argos package index and download packages.

Everything else in `translate/` runs offline; `translate models install LANG LANG` is the one
command that comes here. Failures become one-line `UserError`s (exit code 1: the user did nothing
wrong, the network or the server did).
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from translate.errors import EXIT_FAILURE, UserError

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
INDEX_URL_ENV = "TRANSLATE_PACKAGE_INDEX"
MAX_INDEX_BYTES = 32 * 1024 * 1024
"""The real index is ~100 kB; anything far bigger is not an index."""
ALLOWED_SCHEMES = ("http", "https", "file")
CHUNK_BYTES = 256 * 1024


def fetch_index(url: str, timeout: float = 30.0) -> list[dict[str, Any]]:
    """Download and parse the package index: a JSON list of package objects."""
    _check_scheme(url, "package index")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            raw = response.read(MAX_INDEX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise UserError(f"cannot reach the package index at {url}: {_reason(exc)}", EXIT_FAILURE) from exc
    if len(raw) > MAX_INDEX_BYTES:
        raise UserError(f"the package index at {url} is larger than {MAX_INDEX_BYTES} bytes", EXIT_FAILURE)
    try:
        index = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"the package index at {url} is not valid JSON: {exc}", EXIT_FAILURE) from exc
    if not isinstance(index, list):
        raise UserError(f"the package index at {url} is not a JSON list of packages", EXIT_FAILURE)
    return [entry for entry in index if isinstance(entry, dict)]


def download(
    url: str,
    dest: Path,
    progress: bool = True,
    timeout: float = 60.0,
    max_bytes: int | None = None,
) -> Path:
    """Stream `url` into `dest`, with a progress bar on stderr unless `progress` is False.

    A failed download leaves no file behind. `max_bytes` stops a server that sends too much.
    """
    _check_scheme(url, "package")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(dest, "wb") as out:
            total = _content_length(response)
            if max_bytes is not None and total is not None and total > max_bytes:
                raise UserError(f"{url} is {total} bytes, more than the {max_bytes}-byte limit", EXIT_FAILURE)
            with _progress_bar(Path(urllib.parse.urlparse(url).path).name or url, total, progress) as advance:
                written = 0
                while chunk := response.read(CHUNK_BYTES):
                    written += len(chunk)
                    if max_bytes is not None and written > max_bytes:
                        raise UserError(f"{url} sent more than the {max_bytes}-byte limit", EXIT_FAILURE)
                    out.write(chunk)
                    advance(len(chunk))
            if total is not None and written != total:
                raise UserError(f"cannot download {url}: got {written} of {total} bytes", EXIT_FAILURE)
    except UserError:
        dest.unlink(missing_ok=True)
        raise
    except (urllib.error.URLError, OSError, ValueError) as exc:
        dest.unlink(missing_ok=True)
        raise UserError(f"cannot download {url}: {_reason(exc)}", EXIT_FAILURE) from exc
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return dest


def _check_scheme(url: str, what: str) -> None:
    scheme = urllib.parse.urlparse(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise UserError(f"the {what} URL {url!r} must start with http://, https:// or file://")


def _content_length(response: Any) -> int | None:
    value = response.headers.get("Content-Length") if getattr(response, "headers", None) else None
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _reason(exc: BaseException) -> str:
    """The human part of a urllib error: 'Connection refused', 'HTTP 404 Not Found', ..."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, OSError) and reason.strerror:
            return reason.strerror
        return str(reason)
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


class _progress_bar:
    """Context manager yielding an `advance(nbytes)` callable; draws a rich bar on stderr if enabled."""

    def __init__(self, label: str, total: int | None, enabled: bool) -> None:
        self.label, self.total, self.enabled = label, total, enabled
        self._progress: Any = None

    def __enter__(self):  # noqa: ANN204 - returns a callable
        if not self.enabled:
            return lambda n: None
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
        task = self._progress.add_task(self.label, total=self.total)
        return lambda n: self._progress.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
