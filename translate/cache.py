"""A local store of engine outputs, so an interrupted run resumes and a repeated run costs nothing.

What is cached is the engine's raw `Translation` for one engine input (the French after glossary
protection), under a *scope*: engine name + engine version + a context fingerprint (glossary,
options that change what the engine is given or returns). Everything after the engine (glossary
verification, typography, QA) runs again on a cache hit, so a resumed run gives byte-identical
outputs. The store is one SQLite file; any error (corrupt file, lock held too long, unwritable
directory) is reported once through `warn` and the run carries on without the cache. An entry whose
value is not what `_dump` writes (edited, damaged) is dropped and its sentence translated again, with
one warning per run. The file is kept under a size limit (`$TRANSLATE_CACHE_MAX_MB`, default 1 GiB):
past it the oldest entries go first. `CachedEngine` (translate/engines/cached.py) puts this store in
front of an engine; `translate cache info|clear` (translate/cli_cache.py) shows and empties it.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from translate.engines.base import Engine, Translation
from translate.errors import UserError

CACHE_ENV = "TRANSLATE_CACHE_DIR"
APP_DIR = "translate-fr-en"
DB_NAME = "engine-cache.sqlite3"
SCHEMA = 1
DEFAULT_CHUNK = 2000
"""Sentences per engine call when caching: each call's results are stored before the next starts.
Large enough that the neural engine's length-sorted token batches stay full (a 2,048-token batch holds
about 60 press sentences; 500-sentence calls cost about 10% of throughput in bench/speed.py), small
enough that an interrupted long document keeps most of its work."""
_SELECT_BATCH = 400
"""Keys per SELECT … IN (…), below SQLite's oldest limit of 999 bound parameters."""
MAX_MB_ENV = "TRANSLATE_CACHE_MAX_MB"
DEFAULT_MAX_MB = 1024
"""The cache file's size limit: about two million press sentences (~500 bytes each with its keys);
0 in the variable means no limit."""
EVICT_TO = 0.9
"""Past the limit, the oldest entries are deleted until the data fills this share of it, so that the
next stores do not each have to evict again."""

Warn = Callable[[str], None]
STAMPS_TABLE = ("CREATE TABLE IF NOT EXISTS stamps (scope TEXT, source BLOB, stored REAL,"
                " PRIMARY KEY (scope, source)) WITHOUT ROWID")
"""When each entry was stored, for oldest-first eviction; a table of its own, so that a cache file
written by this version stays readable and writable by versions that know only `entries`."""


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """`$TRANSLATE_CACHE_DIR`, else `$XDG_CACHE_HOME/translate-fr-en`, else `~/.cache/translate-fr-en`."""
    env = os.environ if env is None else env
    if env.get(CACHE_ENV):
        return Path(env[CACHE_ENV]).expanduser()
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]).expanduser() / APP_DIR
    return Path.home() / ".cache" / APP_DIR


def default_max_bytes(env: Mapping[str, str] | None = None) -> int:
    """`$TRANSLATE_CACHE_MAX_MB` in bytes when set (MiB, fractions allowed; 0 = no limit), else DEFAULT_MAX_MB."""
    value = (os.environ if env is None else env).get(MAX_MB_ENV, "").strip()
    if not value:
        return DEFAULT_MAX_MB * 2**20
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = -1.0
    if not 0 <= megabytes < 2**40:  # NaN and inf fail too
        raise UserError(f"${MAX_MB_ENV} must be a size in MiB (0 = no limit), not {value!r}")
    return int(megabytes * 2**20)


def fingerprint(*parts: Any) -> str:
    """A short stable hash of JSON-able parts (order matters)."""
    data = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def glossary_fingerprint(entries: Iterable[Any]) -> str:
    """Hash of every glossary entry's forms, target and rules, in priority order (ids and notes excluded)."""
    return fingerprint([[list(e.sources), e.target, e.case, e.accents, e.article] for e in entries])


def engine_scope(engine: Engine, context: str) -> str | None:
    """The cache scope of an engine, or None when it has no `version` to invalidate entries by.

    Read leniently: an engine object written before `Engine` declared `version` and `options` runs
    uncached (no version) or is taken to return no attention (no options)."""
    version = getattr(engine, "version", None)
    if not version:
        return None
    wants_attention = bool(getattr(getattr(engine, "options", None), "return_attention", False))
    return fingerprint(engine.name, str(version), context, wants_attention)


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def _dump(result: Translation) -> str:
    value: dict[str, Any] = {"text": result.text, "score": result.score, "unknown": list(result.unknown_words)}
    if result.attention is not None:
        value["attention"], value["tokens"] = result.attention, result.tokens
    return json.dumps(value, ensure_ascii=False)


class BadEntry(ValueError):
    """A stored value that is not a translation as `_dump` writes it."""


def _load(data: Any) -> Translation:
    """The Translation stored in `data`; BadEntry for anything else, however odd (never another exception)."""
    if not isinstance(data, (str, bytes)):
        raise BadEntry(f"value is {type(data).__name__}, not JSON text")
    try:
        value = json.loads(data)
    except (ValueError, RecursionError) as err:  # bad JSON, nesting or numbers beyond Python's limits
        raise BadEntry("value is not readable JSON") from err
    if not isinstance(value, dict):
        raise BadEntry(f"value is a JSON {type(value).__name__}, not an object")
    text, score = value.get("text"), value.get("score")
    unknown, attention, tokens = value.get("unknown", []), value.get("attention"), value.get("tokens")
    if not _is_text(text):
        raise BadEntry("text is not a string of Unicode characters")
    if score is not None and not _is_number(score):
        raise BadEntry("score is not a number")
    if not _is_strings(unknown):
        raise BadEntry("unknown is not a list of strings")
    if (attention is None) != (tokens is None):
        raise BadEntry("attention and tokens must come together")
    if attention is not None:
        if not _is_strings(tokens) or not isinstance(attention, list) or len(attention) != len(tokens):
            raise BadEntry("tokens do not match the attention rows")
        if not all(isinstance(row, list) and all(_is_number(x) for x in row) for row in attention):
            raise BadEntry("attention is not a table of numbers")
    return Translation(text, score, list(unknown), attention, tokens)


def _is_number(value: Any) -> bool:
    """A finite int or float that converts to float (a 400-digit integer does not: OverflowError later)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _is_text(value: Any) -> bool:
    """A str that can be written as UTF-8 (JSON's `\\ud800` escapes give lone surrogates, which cannot) and
    holds no NUL, which no engine writes and which would reach the TXT and TSV outputs."""
    if not isinstance(value, str) or "\0" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_strings(value: Any) -> bool:
    return isinstance(value, list) and all(_is_text(item) for item in value)


def _ignore(message: str) -> None:
    del message


class TranslationCache:
    """Engine outputs in an SQLite file; opened on first use, disabled for good after its first error."""

    def __init__(self, path: Path, warn: Warn = _ignore, timeout: float = 5.0,
                 max_bytes: int = DEFAULT_MAX_MB * 2**20) -> None:
        self.path = Path(path)
        self.warn = warn
        self.timeout = timeout
        """Seconds to wait for another process's lock before giving up on the cache."""
        self.max_bytes = max_bytes
        """Size limit of the data in the file (0 = none); past it the oldest entries are deleted."""
        self.evicted = 0
        """Entries deleted to keep under `max_bytes`."""
        self.hits = 0
        self.stored = 0
        self._db: sqlite3.Connection | None = None
        self._failed = False
        self.dropped = 0
        """Entries found unreadable and deleted (their sentences go to the engine again)."""

    @classmethod
    def in_directory(cls, directory: Path | None = None, warn: Warn = _ignore, timeout: float = 5.0) -> "TranslationCache":
        """The cache file in `directory` (default: `default_cache_dir()`), limited to `default_max_bytes()`;
        nothing is touched yet."""
        return cls((directory or default_cache_dir()) / DB_NAME, warn, timeout, default_max_bytes())

    @property
    def usable(self) -> bool:
        return not self._failed

    def _fail(self, err: Exception) -> None:
        if not self._failed:
            self._failed = True
            self.warn(f"translation cache {self.path} unusable ({err}); continuing without it (--no-cache hides this)")
        self.close()

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=self.timeout)
            try:
                db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
                db.execute("CREATE TABLE IF NOT EXISTS entries (scope TEXT, source BLOB, value TEXT,"
                           " PRIMARY KEY (scope, source)) WITHOUT ROWID")
                db.execute(STAMPS_TABLE)
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
                db.commit()
                row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if row is None or row[0] != str(SCHEMA):
                    raise sqlite3.DatabaseError(f"schema {row[0] if row else '?'}, expected {SCHEMA}")
            except BaseException:
                db.close()
                raise
            self._db = db
        return self._db

    def lookup(self, scope: str, texts: Sequence[str]) -> dict[int, Translation]:
        """Cached results by position in `texts`; empty when nothing is cached or the cache fails."""
        if self._failed or not texts:
            return {}
        found: dict[bytes, Translation] = {}
        bad: list[bytes] = []
        keys = [_key(t) for t in texts]
        try:
            db = self._connect()
            unique = list(dict.fromkeys(keys))
            for start in range(0, len(unique), _SELECT_BATCH):
                part = unique[start : start + _SELECT_BATCH]
                marks = ",".join("?" * len(part))
                rows = db.execute(f"SELECT source, value FROM entries WHERE scope = ? AND source IN ({marks})",
                                  (scope, *part))
                for key, value in rows:
                    try:
                        found[bytes(key)] = _load(value)
                    except BadEntry:
                        bad.append(bytes(key))
            if bad:
                self._drop(db, scope, bad)
        except (sqlite3.Error, OSError, ValueError, KeyError, TypeError) as err:
            self._fail(err)
            return {}
        hits = {i: found[k] for i, k in enumerate(keys) if k in found}
        self.hits += len(hits)
        return hits

    def _drop(self, db: sqlite3.Connection, scope: str, keys: list[bytes]) -> None:
        """Delete unreadable entries, warning the first time in this cache's life."""
        with db:
            db.executemany("DELETE FROM entries WHERE scope = ? AND source = ?", [(scope, key) for key in keys])
            db.executemany("DELETE FROM stamps WHERE scope = ? AND source = ?", [(scope, key) for key in keys])
        if not self.dropped:
            self.warn(f"translation cache {self.path}: dropped {len(keys)} unreadable "
                      f"entr{'y' if len(keys) == 1 else 'ies'}; translating {'it' if len(keys) == 1 else 'them'} again")
        self.dropped += len(keys)

    def store(self, scope: str, pairs: Sequence[tuple[str, Translation]]) -> None:
        """Save engine results at once (one transaction), so they survive an interruption after this call."""
        if self._failed or not pairs:
            return
        now = time.time()
        try:
            db = self._connect()
            with db:
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)",
                               [(scope, _key(text), _dump(result)) for text, result in pairs])
                db.executemany("INSERT OR REPLACE INTO stamps VALUES (?, ?, ?)",
                               [(scope, _key(text), now) for text, _ in pairs])
            self._keep_under_limit(db)
        except (sqlite3.Error, OSError) as err:
            self._fail(err)
            return
        self.stored += len(pairs)

    def _keep_under_limit(self, db: sqlite3.Connection) -> None:
        """Past `max_bytes`, delete the oldest entries (by when they were stored) down to EVICT_TO of it.

        Entries stored by versions that kept no stamps count as the oldest. Deleted pages are reused
        by later stores, so the file itself stops growing at about the limit."""
        if not self.max_bytes:
            return
        used = used_bytes(db)
        if used <= self.max_bytes:
            return
        count = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        if not count:
            return
        target = int(self.max_bytes * EVICT_TO)
        doomed = min(count, math.ceil((used - target) / (used / count)))
        rows = db.execute("SELECT e.scope, e.source FROM entries e LEFT JOIN stamps s"
                          " ON s.scope = e.scope AND s.source = e.source"
                          " ORDER BY COALESCE(s.stored, 0) LIMIT ?", (doomed,)).fetchall()
        with db:
            db.executemany("DELETE FROM entries WHERE scope = ? AND source = ?", rows)
            db.executemany("DELETE FROM stamps WHERE scope = ? AND source = ?", rows)
        self.evicted += len(rows)

    def close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None


def used_bytes(db: sqlite3.Connection) -> int:
    """Bytes of the file that hold data (its pages less the free ones a deletion left for reuse)."""
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    free = db.execute("PRAGMA freelist_count").fetchone()[0]
    return int(page_size) * (int(pages) - int(free))


@dataclass(frozen=True)
class CacheFacts:
    """What `translate cache info` shows about one cache file."""

    path: Path
    exists: bool
    entries: int
    file_bytes: int
    """The file with its write-ahead/journal files, as on disk."""
    max_bytes: int


def cache_facts(path: Path, max_bytes: int, timeout: float = 5.0) -> CacheFacts:
    """Entries and size of the cache file at `path`, opened read-only (a missing file is not created).

    sqlite3.Error or OSError when the file is no database or is locked longer than `timeout`."""
    if not path.exists():
        return CacheFacts(path, False, 0, 0, max_bytes)
    db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=timeout)
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        entries = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0] if "entries" in tables else 0
    finally:
        db.close()
    return CacheFacts(path, True, int(entries), _file_bytes(path), max_bytes)


def clear_cache(path: Path, timeout: float = 5.0) -> tuple[int, int]:
    """Delete every entry and give the space back (VACUUM); (entries deleted, bytes freed).

    sqlite3.Error or OSError when the file is no database or is locked longer than `timeout`;
    nothing is created when there is no file."""
    if not path.exists():
        return 0, 0
    before = _file_bytes(path)
    db = sqlite3.connect(path, timeout=timeout)
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        with db:
            deleted = db.execute("DELETE FROM entries").rowcount if "entries" in tables else 0
            if "stamps" in tables:
                db.execute("DELETE FROM stamps")
        db.execute("VACUUM")
    finally:
        db.close()
    return max(deleted, 0), max(before - _file_bytes(path), 0)


def remove_cache_file(path: Path) -> int:
    """Delete a cache file SQLite cannot read, with its journal files; the bytes removed."""
    removed = 0
    for part in (path, *(path.with_name(path.name + suffix) for suffix in _SIDE_FILES)):
        try:
            size = part.stat().st_size
            part.unlink()
        except FileNotFoundError:
            continue
        removed += size
    return removed


_SIDE_FILES = ("-journal", "-wal", "-shm")


def _file_bytes(path: Path) -> int:
    total = 0
    for part in (path, *(path.with_name(path.name + suffix) for suffix in _SIDE_FILES)):
        try:
            total += part.stat().st_size
        except FileNotFoundError:
            pass
    return total
