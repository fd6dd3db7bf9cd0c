"""`translate cache info|clear`: where the engine-output cache lives, how big it is, and emptying it.

The cache (translate/cache.py) is one SQLite file per machine that every run reads and grows; it is
kept under a size limit, and these commands let a user see and free the space. Errors are one line:
a file SQLite cannot read or a lock held by a running `translate run` exit 1.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import typer

from translate.cache import (DB_NAME, MAX_MB_ENV, cache_facts, clear_cache, default_cache_dir, default_max_bytes,
                             remove_cache_file)
from translate.errors import EXIT_FAILURE, UserError

cache_app = typer.Typer(no_args_is_help=True, add_completion=False)

LOCK_TIMEOUT = 5.0
"""Seconds to wait for a run that holds the cache's lock, as a run itself waits."""


def _size(nbytes: float) -> str:
    """'2 GiB', '3.4 MiB', '900 bytes'."""
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if nbytes >= scale:
            return f"{nbytes / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{int(nbytes)} bytes"


def _cache_file() -> Path:
    return default_cache_dir() / DB_NAME


@contextmanager
def _one_line_errors(path: Path) -> Iterator[None]:
    """SQLite and file errors as one line that says what to do; UserError's own message and code."""
    try:
        yield
    except UserError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(err.code) from None
    except sqlite3.OperationalError as err:  # locked by a run, no permission, an I/O error
        hint = "; try again when the run using it has ended" if "locked" in str(err) else ""
        typer.echo(f"error: cannot use cache file {path} ({err}){hint}", err=True)
        raise typer.Exit(EXIT_FAILURE) from None
    except sqlite3.DatabaseError as err:  # not a database, or a damaged one
        typer.echo(f"error: cache file {path} is unreadable ({err}); `translate cache clear` removes it", err=True)
        raise typer.Exit(EXIT_FAILURE) from None
    except OSError as err:
        typer.echo(f"error: cannot use cache file {path}: {err.strerror or err}", err=True)
        raise typer.Exit(EXIT_FAILURE) from None


@cache_app.command("info")
def info() -> None:
    """Show where the engine cache is, how many translations it holds, its size and its limit."""
    path = _cache_file()
    with _one_line_errors(path):
        facts = cache_facts(path, default_max_bytes(), LOCK_TIMEOUT)
    limit = _size(facts.max_bytes) if facts.max_bytes else "none"
    typer.echo(f"path     {facts.path}{'' if facts.exists else ' (not created yet)'}")
    typer.echo(f"entries  {facts.entries}")
    typer.echo(f"size     {_size(facts.file_bytes)} (limit {limit}, ${MAX_MB_ENV}; past it the oldest entries go)")


@cache_app.command("clear")
def clear() -> None:
    """Delete every cached translation and give the disk space back (a damaged cache file is removed)."""
    path = _cache_file()
    with _one_line_errors(path):
        try:
            deleted, freed = clear_cache(path, LOCK_TIMEOUT)
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError:  # nothing in it can be read: the file itself goes
            freed = remove_cache_file(path)
            typer.echo(f"removed unreadable cache file {path} ({_size(freed)})")
            return
    typer.echo(f"cleared {deleted} cached translation{'' if deleted == 1 else 's'} from {path} ({_size(freed)} freed)")
