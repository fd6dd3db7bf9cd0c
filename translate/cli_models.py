"""`translate models list|install|remove`: manage the models the pipeline translates with.

Each command turns a `UserError` into one line on stderr and its exit code, so the sub-app
behaves the same mounted under `translate` or run alone (as the tests do).
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console
from rich.table import Table

from translate import models
from translate.errors import EXIT_FAILURE, EXIT_USAGE, UserError
from translate.interrupt import Terminated, interrupted_code

models_app = typer.Typer(
    help="List, install and remove translation models (shared with argostranslate).",
    no_args_is_help=True,
)

PackagesDirOption = typer.Option(
    None,
    "--packages-dir",
    help="Argos package dir (default: $ARGOS_PACKAGES_DIR, else $XDG_DATA_HOME/argos-translate/packages).",
    file_okay=False,
)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Print a UserError as `error: message` on stderr and exit with its code."""
    try:
        yield
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.code) from None
    except OSError as exc:  # e.g. a path too long for the filesystem, given as an argument
        typer.echo(f"error: {_os_error(exc)}", err=True)
        raise typer.Exit(EXIT_USAGE if exc.errno in _USER_ERRNOS else EXIT_FAILURE) from None


_USER_ERRNOS = (errno.ENAMETOOLONG, errno.ENOENT, errno.ENOTDIR, errno.ELOOP)


def _os_error(exc: OSError) -> str:
    """'NAME: File name too long', the name cut to a readable length."""
    name = str(exc.filename) if exc.filename is not None else ""
    if len(name) > 80:
        name = f"{name[:60]}…({len(name)} characters)"
    reason = exc.strerror or str(exc)
    return f"{name}: {reason}" if name else reason


@contextmanager
def _terminate_like_interrupt() -> Iterator[None]:
    """While installing, SIGTERM unwinds like Ctrl-C, so temp folders are removed on the way out.

    (kill -9 cannot be caught: the next install removes what it left, see `models.clean_stale_temps`.)
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _clean_stale_temps(directory: Path, quiet: bool) -> None:
    """Remove what a killed install left; say so on stderr unless quiet."""
    for path, size in models.clean_stale_temps(directory):
        if not quiet:
            typer.echo(f"note: removed {path} ({models.human_size(size)}), left by an interrupted install", err=True)


@models_app.command("list")
def list_models(packages_dir: Optional[Path] = PackagesDirOption) -> None:
    """Show every model found, usable or broken, and which one translates fr→en."""
    with _user_errors():
        directory = models.packages_dir(packages_dir)
        found = models.find_packages(directory)
        if not found:
            typer.echo(f"No models in {directory}. Install one with: translate models install fr en", err=True)
            return
        best = models.best_model("fr", "en", found)
        table = Table("name", "from→to", "version", "kind", "path", "status")
        for column in (table.columns[0], table.columns[4], table.columns[5]):  # never cut names, paths, reasons
            column.overflow = "fold"
        for model in found:
            status = model.status + (" (used for fr→en)" if model is best else "")
            table.add_row(
                model.name,
                f"{model.from_code or '?'}→{model.to_code or '?'}",
                model.version or "-",
                model.kind,
                str(model.path),
                status,
                style=None if model.ok else "red",
            )
        # piped output (grep, less) gets full rows instead of 80 columns
        Console(file=sys.stdout, width=None if sys.stdout.isatty() else 1000).print(table)


@models_app.command("install")
def install(
    source: str = typer.Argument(..., help="An .argosmodel file, or the source language code (fr)."),
    target: Optional[str] = typer.Argument(None, help="Target language code (en) when installing from the index."),
    index_url: Optional[str] = typer.Option(
        None, "--index-url", help="Package index URL (default: $TRANSLATE_PACKAGE_INDEX, else the public Argos index)."
    ),
    packages_dir: Optional[Path] = PackagesDirOption,
    force: bool = typer.Option(False, "--force", help="Replace a package that is already installed."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No download progress bar and no notes."),
    max_size: int = typer.Option(
        models.InstallLimits.max_total_bytes, "--max-size", min=1, metavar="BYTES",
        help="Refuse a package that unpacks to more than this (default 2 GiB; real ones are under 400 MB).",
    ),
    deadline: float = typer.Option(
        models.DownloadLimits.deadline, "--deadline", min=0, metavar="SECONDS",
        help="Give up a download (index or package) not finished after this long (0 = never).",
    ),
    min_rate: float = typer.Option(
        models.DownloadLimits.min_rate, "--min-rate", min=0, metavar="BYTES/S",
        help="Give up a download slower than this over --rate-window seconds (0 = never).",
    ),
    rate_window: float = typer.Option(
        models.DownloadLimits.rate_window, "--rate-window", min=0.1, metavar="SECONDS",
        help="Seconds the download rate is averaged over before --min-rate applies.",
    ),
) -> None:
    """Install `FILE.argosmodel`, or download the newest package for `FROM TO` (e.g. `fr en`)."""
    limits = models.InstallLimits(max_total_bytes=max_size)
    download_limits = models.DownloadLimits(deadline=deadline, min_rate=min_rate, rate_window=rate_window)
    with _user_errors(), _terminate_like_interrupt():
        stopped = 0
        try:
            directory = models.packages_dir(packages_dir)
            if target is None:
                if not Path(source).exists() and len(source) <= 3 and source.isalpha():
                    raise UserError(f"give both languages, e.g.: translate models install {source} en")
                _clean_stale_temps(directory, quiet)
                model = models.install_file(Path(source), directory, overwrite=force, limits=limits)
            else:
                _clean_stale_temps(directory, quiet)
                url = models.resolve_index_url(index_url, os.environ)
                model = models.install_from_index(source, target, url, directory, progress=not quiet,
                                                  overwrite=force, limits=limits, download_limits=download_limits)
        except KeyboardInterrupt as stop:  # as `translate run`: 130 for Ctrl-C, 143 for SIGTERM
            stopped = interrupted_code(stop)
        if stopped:  # raised out here, so no SIGTERM hangs on the error's context for `main` to report again
            raise UserError("interrupted; nothing was installed", stopped)
        typer.echo(f"installed {model.name} ({model.from_code}→{model.to_code} {model.version}) in {model.path}")
        if not model.ok:
            typer.echo(f"warning: {model.name} is {model.status}", err=True)


@models_app.command("remove")
def remove(
    name: str = typer.Argument(..., help="Package folder name (as shown by `translate models list`) or its path."),
    packages_dir: Optional[Path] = PackagesDirOption,
) -> None:
    """Delete one installed package from the Argos package dir."""
    with _user_errors():
        removed = models.remove(name, models.packages_dir(packages_dir))
        typer.echo(f"removed {removed}")
