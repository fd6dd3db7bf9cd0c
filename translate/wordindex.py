"""An on-disk index of the QA word lists, built once per version of the lists, so a run looks up its words.

Loading Debian's English, French and Spanish lists into Python sets costs about half a second and
200 MB on every run (600,000 words read, normalised and case-folded) for a check that then looks up a
few thousand words. The first run with a writable cache directory writes what `leftover.load_lists`
computes into one SQLite file (word → which lists hold it); later runs open it read-only and query
only the words they meet. The file's name carries a fingerprint of the list files (path, size,
modification time), so an upgraded list builds a new index and the old one is removed. Any failure
(unwritable directory, damaged file) falls back to loading the lists into memory: slower, same
findings.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

INDEX_ENV = "TRANSLATE_WORDLIST_INDEX_DIR"
"""Environment variable naming the index directory instead of `<cache dir>/wordlists`."""
FORMAT = 1
"""Bumped when what the index holds changes (the lists' reading rules in translate/leftover.py)."""
PREFIX = "wordlists-"
SUFFIX = ".sqlite3"
SETS = ("english", "english_folded", "french", "spanish", "borrowed")
"""The WordLists fields an index holds; bit i of a word's `bits` says it is in SETS[i]."""


def default_index_dir(env: Mapping[str, str] | None = None) -> Path:
    """`$TRANSLATE_WORDLIST_INDEX_DIR`, else `wordlists/` in the engine-output cache directory."""
    from translate.cache import default_cache_dir

    env = os.environ if env is None else env
    if env.get(INDEX_ENV):
        return Path(env[INDEX_ENV]).expanduser()
    return default_cache_dir(env) / "wordlists"


def index_name(directory: Path, names: Iterable[str]) -> str:
    """The index file name for the lists `names` in `directory`: changes whenever one of them does."""
    from translate.cache import fingerprint

    stamps = []
    for name in names:
        try:
            info = (directory / name).stat()
            stamps.append([name, info.st_size, info.st_mtime_ns])
        except OSError:
            stamps.append([name, None, None])
    return f"{PREFIX}{fingerprint(FORMAT, str(directory.resolve()), stamps)}{SUFFIX}"


@dataclass
class WordIndex:
    """Read-only lookups in an index file; each distinct word is queried once."""

    connection: sqlite3.Connection
    _seen: dict[str, int] = field(default_factory=dict)

    @classmethod
    def open(cls, path: Path) -> "WordIndex | None":
        """The index at `path`, or None when there is none or it cannot be read."""
        if not path.is_file():
            return None
        try:
            connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True,
                                         check_same_thread=False)
        except sqlite3.Error:
            return None
        try:
            connection.execute("SELECT bits FROM words WHERE word = ''").fetchall()  # the table is there
        except sqlite3.Error:
            connection.close()
            return None
        return cls(connection)

    def bits(self, word: str) -> int:
        found = self._seen.get(word)
        if found is None:
            row = self.connection.execute("SELECT bits FROM words WHERE word = ?", (word,)).fetchone()
            found = self._seen[word] = row[0] if row else 0
        return found


@dataclass(frozen=True)
class IndexedSet:
    """One of the indexed lists, answering `word in lists.french` like the frozenset it replaces."""

    index: WordIndex = field(repr=False, compare=False)
    bit: int

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and bool(self.index.bits(word) & self.bit)


def indexed_sets(index: WordIndex) -> dict[str, IndexedSet]:
    """The WordLists fields as views on `index`."""
    return {name: IndexedSet(index, 1 << i) for i, name in enumerate(SETS)}


def write_index(path: Path, sets: Mapping[str, Iterable[str]]) -> None:
    """Write the index for `sets` (SETS → words) to `path` through a hidden temporary, then swap it in."""
    from translate.outputs import TEMP_SUFFIX, _temp_prefix, clean_stale_temps

    path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temps(path.parent, [path.name])
    bits: dict[str, int] = {}
    for i, name in enumerate(SETS):
        for word in sets[name]:
            bits[word] = bits.get(word, 0) | (1 << i)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)  # outputs' naming
    os.close(fd)
    try:
        connection = sqlite3.connect(tmp)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("CREATE TABLE words (word TEXT PRIMARY KEY, bits INTEGER NOT NULL) WITHOUT ROWID")
            connection.executemany("INSERT INTO words VALUES (?, ?)", sorted(bits.items()))
            connection.commit()
        finally:
            connection.close()
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    for other in path.parent.glob(f"{PREFIX}*{SUFFIX}"):
        if other.name != path.name:  # an index of lists since upgraded
            try:
                other.unlink()
            except OSError:
                pass
