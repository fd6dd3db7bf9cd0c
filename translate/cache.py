"""A local store of engine outputs, so an interrupted run resumes and a repeated run costs nothing.

What is cached is the engine's raw `Translation` for one engine input (the French after glossary
protection), under a *scope*: engine name + engine version + a context fingerprint (glossary,
options that change what the engine is given or returns). Everything after the engine (glossary
verification, typography, QA) runs again on a cache hit, so a resumed run gives byte-identical
outputs. The store is one SQLite file; any error (corrupt file, lock held too long, unwritable
directory) is reported once through `warn` and the run carries on without the cache. An entry whose
value is not what `_dump` writes (edited, damaged) is dropped and its sentence translated again, with
one warning per run. `CachedEngine` (translate/engines/cached.py) puts this store in front of an engine.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from translate.engines.base import Engine, Translation

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

Warn = Callable[[str], None]


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """`$TRANSLATE_CACHE_DIR`, else `$XDG_CACHE_HOME/translate-fr-en`, else `~/.cache/translate-fr-en`."""
    env = os.environ if env is None else env
    if env.get(CACHE_ENV):
        return Path(env[CACHE_ENV]).expanduser()
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]).expanduser() / APP_DIR
    return Path.home() / ".cache" / APP_DIR


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
    """A str that can be written as UTF-8: JSON's `\\ud800` escapes give lone surrogates, which cannot."""
    if not isinstance(value, str):
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

    def __init__(self, path: Path, warn: Warn = _ignore, timeout: float = 5.0) -> None:
        self.path = Path(path)
        self.warn = warn
        self.timeout = timeout
        """Seconds to wait for another process's lock before giving up on the cache."""
        self.hits = 0
        self.stored = 0
        self._db: sqlite3.Connection | None = None
        self._failed = False
        self.dropped = 0
        """Entries found unreadable and deleted (their sentences go to the engine again)."""

    @classmethod
    def in_directory(cls, directory: Path | None = None, warn: Warn = _ignore, timeout: float = 5.0) -> "TranslationCache":
        """The cache file in `directory` (default: `default_cache_dir()`); nothing is touched yet."""
        return cls((directory or default_cache_dir()) / DB_NAME, warn, timeout)

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
        if not self.dropped:
            self.warn(f"translation cache {self.path}: dropped {len(keys)} unreadable "
                      f"entr{'y' if len(keys) == 1 else 'ies'}; translating {'it' if len(keys) == 1 else 'them'} again")
        self.dropped += len(keys)

    def store(self, scope: str, pairs: Sequence[tuple[str, Translation]]) -> None:
        """Save engine results at once (one transaction), so they survive an interruption after this call."""
        if self._failed or not pairs:
            return
        try:
            db = self._connect()
            with db:
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)",
                               [(scope, _key(text), _dump(result)) for text, result in pairs])
        except (sqlite3.Error, OSError) as err:
            self._fail(err)
            return
        self.stored += len(pairs)

    def close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None
