"""Where outputs go and how they are written: all files of a run land complete, or not at all."""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from pathlib import Path
from typing import IO, Callable, Mapping

from translate.errors import EXIT_FAILURE, UserError

_LANG_SUFFIX = re.compile(r"\.(fr|fra|fre|fr[-_][A-Za-z]{2})$", re.IGNORECASE)
_TEXT_EXT = re.compile(r"\.(txt|text)$", re.IGNORECASE)


def output_stem(input_path: Path) -> str:
    """`article.fr.txt` → `article`, `article.txt` → `article`: the name outputs are built on."""
    name = _TEXT_EXT.sub("", input_path.name)
    return _LANG_SUFFIX.sub("", name) or input_path.name


TEMP_SUFFIX = ".part"
_OUR_TEMP = re.compile(r"^\..*\.translate-(?P<pid>\d+)-[A-Za-z0-9_]+\.part$")
"""Hidden temporaries this tool makes: `.NAME.translate-PID-RANDOM.part` (PID: the process writing it)."""
ABANDONED_AFTER_S = 6 * 3600
"""A temporary of ours not modified for this long is stale even if its PID is alive (PIDs are reused)."""
OLD_STYLE_AFTER_S = 3600
"""Temporaries of earlier versions (`.NAME.RANDOM.part`, no PID) are stale after this long untouched."""
_DEFAULT_NAME_MAX = 255


def check_targets(paths: list[Path], inputs: list[Path], overwrite: bool) -> list[str]:
    """Refuse before any work when an output would clobber an input or an existing file, or cannot be
    made; remove stale temporaries of earlier interrupted runs. Returns warnings (what was removed)."""
    resolved_inputs = {p.resolve() for p in inputs}
    for path in paths:
        _check_name_length(path)
        try:
            if path.resolve() in resolved_inputs:
                raise UserError(f"output {path} would overwrite its own input; use --output-dir")
            exists = path.exists()
        except OSError as err:
            raise UserError(f"cannot use output {path}: {err.strerror}") from None
        if exists and not overwrite:
            raise UserError(f"{path} already exists; use --overwrite to replace it")
    warnings: list[str] = []
    for directory in {p.parent for p in paths}:
        if directory.exists() and not directory.is_dir():
            raise UserError(f"output directory {directory} is a file, not a directory")
        if not directory.exists():
            try:
                directory.mkdir(parents=True)
            except OSError as err:
                raise UserError(f"cannot create output directory {directory}: {err.strerror}") from None
        _probe_writable(directory)
        removed = clean_stale_temps(directory, [p.name for p in paths if p.parent == directory])
        if removed:
            warnings.append(f"removed {removed} temporary file(s) left in {directory} by an interrupted run")
    return warnings


def _name_max(directory: Path) -> int:
    """The longest file name (bytes) the file system at `directory` (or its nearest existing parent) allows."""
    while not _exists(directory) and directory != directory.parent:
        directory = directory.parent
    try:
        return os.pathconf(directory, "PC_NAME_MAX")
    except (OSError, ValueError):
        return _DEFAULT_NAME_MAX


def _exists(path: Path) -> bool:
    """`path.exists()`, False where the question cannot be asked (a name too long, a loop of links)."""
    try:
        return path.exists()
    except OSError:
        return False


def _check_name_length(path: Path) -> None:
    """Refuse an output name the file system cannot hold, before the work rather than at the write."""
    limit = _name_max(path.parent)
    size = len(os.fsencode(path.name))
    if size > limit:
        raise UserError(f"output name {path.name[:40]}… is {size} bytes, longer than the {limit} the file system "
                        "allows; rename the input or choose shorter --source-locale/--target-locale")


def _temp_prefix(path: Path) -> str:
    """`.NAME.translate-PID-`, with NAME shortened when the whole temporary name would be too long."""
    tag = f".translate-{os.getpid()}-"
    room = _name_max(path.parent) - len(tag) - len(TEMP_SUFFIX) - 1 - 12  # the dot, mkstemp's random part
    name = path.name
    while len(os.fsencode(name)) > room:
        name = name[:-1]
    return f".{name}{tag}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def clean_stale_temps(directory: Path, names: list[str], now: float | None = None) -> int:
    """Remove temporaries our interrupted runs left in `directory` (hard kill, power loss); returns how many.

    Only names of our own pattern are touched, and only stale ones: the writing process is gone, or
    nothing has written to it for `ABANDONED_AFTER_S`; older-style names only for this run's outputs.
    """
    now = time.time() if now is None else now
    old_style = [re.compile(rf"^\.{re.escape(n)}\.[A-Za-z0-9_]{{8}}\.part$") for n in names]
    old_style.append(re.compile(r"^\.translate-probe\.[A-Za-z0-9_]{8}\.part$"))
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.endswith(TEMP_SUFFIX) or not entry.name.startswith("."):
            continue
        ours = _OUR_TEMP.match(entry.name)
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if ours:
            pid = int(ours.group("pid"))
            stale = pid != os.getpid() and (not _pid_alive(pid) or age > ABANDONED_AFTER_S)
        else:
            stale = age > OLD_STYLE_AFTER_S and any(p.match(entry.name) for p in old_style)
        if stale:
            removed += _unlink(entry.path)
    return removed


def remove_abandoned_temps(targets: list[Path]) -> int:
    """Remove our temporaries for exactly these outputs, whatever process made them; returns how many.

    For a finished distributed run: a worker killed mid-write (and retried elsewhere) leaves its `.part`
    behind, and its PID may belong to another machine, so the PID rule cannot judge it; once the run is
    over nothing of this run still writes to these names."""
    removed = 0
    for directory in {t.parent for t in targets}:
        names = {t.name for t in targets if t.parent == directory}
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            ours = _OUR_TEMP.match(entry.name)
            if ours and entry.name[1:].rsplit(".translate-", 1)[0] in names:
                removed += _unlink(entry.path)
    return removed


def _unlink(path: str) -> int:
    """1 when the file was removed, 0 when it could not be (gone already, no permission)."""
    try:
        os.unlink(path)
        return 1
    except OSError:
        return 0


def _probe_writable(directory: Path) -> None:
    """Create and remove a scratch file: `os.access` says yes to root even where writes fail
    (/proc, read-only mounts), and finding out after a long translation would waste it."""
    try:
        fd, scratch = tempfile.mkstemp(prefix=f".translate-probe.translate-{os.getpid()}-", suffix=TEMP_SUFFIX,
                                       dir=directory)
    except OSError as err:
        raise UserError(f"output directory {directory} is not writable: {err.strerror}") from None
    os.close(fd)
    Path(scratch).unlink(missing_ok=True)


class OutputAppeared(UserError):
    """A target that did not exist when the run started was there when its outputs were placed."""


class StagedFiles:
    """Output files written piece by piece to hidden temporaries, then put in place together or not at all.

    Use as a context manager: `write` appends text, `commit` syncs and moves every file into place.
    Leaving the block without a commit (an error, Ctrl-C, SIGTERM) removes the temporaries. Without
    `overwrite`, a file that appeared at a target meanwhile (another run, a person) is never replaced:
    placing is a hard link, which fails when the name exists, and the files already placed are taken back.
    """

    def __init__(self, targets: list[Path], overwrite: bool = False) -> None:
        self.targets = list(targets)
        self.overwrite = overwrite
        self._temps: dict[Path, Path] = {}
        self._handles: dict[Path, IO[str]] = {}
        self._current: Path | None = None

    def __enter__(self) -> "StagedFiles":
        mode = 0o666 & ~_current_umask()
        try:
            for path in self.targets:
                self._current = path
                fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
                self._temps[path] = Path(tmp)
                os.fchmod(fd, mode)  # mkstemp makes 0600 files; outputs get the usual umask-based mode
                self._handles[path] = os.fdopen(fd, "w", encoding="utf-8", newline="")
        except OSError as err:
            self._discard()
            raise self._error(err) from None
        except BaseException:
            self._discard()
            raise
        return self

    def write(self, path: Path, text: str) -> None:
        """Append text to the output that will become `path`."""
        self._current = path
        try:
            self._handles[path].write(text)
        except OSError as err:
            raise self._error(err) from None

    def write_bytes(self, path: Path, data: bytes) -> None:
        """Append bytes (a translated DOCX, an HTML page in its own encoding) to the output `path`."""
        self._current = path
        try:
            handle = self._handles[path]
            handle.flush()
            handle.buffer.write(data)  # type: ignore[attr-defined]
        except OSError as err:
            raise self._error(err) from None

    def commit(self) -> None:
        """Flush and sync every file, then move them all into place."""
        try:
            for path, handle in self._handles.items():
                self._current = path
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()
            if self.overwrite:
                for path, tmp in self._temps.items():
                    self._current = path
                    os.replace(tmp, path)
                self._temps.clear()
            else:
                self._place_new()
        except OSError as err:
            raise self._error(err) from None

    def _place_new(self) -> None:
        placed: list[tuple[Path, tuple[int, int]]] = []
        try:
            for path, tmp in self._temps.items():
                self._current = path
                info = os.stat(tmp)
                _link_new(tmp, path)
                placed.append((path, (info.st_dev, info.st_ino)))
        except FileExistsError:
            for path, identity in placed:
                _unlink_if_ours(path, identity)
            raise OutputAppeared(f"{self._current} appeared while this run was working (another run or a person made "
                            "it) and was kept; nothing was written; use --overwrite to replace it") from None

    def __exit__(self, *exc: object) -> None:
        self._discard()

    def _discard(self) -> None:
        for handle in self._handles.values():
            try:
                handle.close()
            except OSError:
                pass
        for tmp in self._temps.values():
            tmp.unlink(missing_ok=True)
        self._temps.clear()

    def _error(self, err: OSError) -> UserError:
        # name the output the user asked for, not the hidden temporary it was being staged in
        return UserError(f"cannot write {self._current or err.filename or 'output'}: {err.strerror}", EXIT_FAILURE)


_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS}


def _link_new(tmp: Path, path: Path) -> None:
    """Give `tmp`'s file the name `path` unless that name exists (then FileExistsError)."""
    try:
        os.link(tmp, path)
    except OSError as err:
        if err.errno not in _NO_HARD_LINKS:
            raise
        # a file system without hard links (FAT, some network mounts): check, then rename (a small window)
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        os.rename(tmp, path)


def _unlink_if_ours(path: Path, identity: tuple[int, int]) -> None:
    """Take back a placed output, only if the name still holds the file this run placed there."""
    try:
        info = os.stat(path, follow_symlinks=False)
        if (info.st_dev, info.st_ino) == identity:
            path.unlink()
    except OSError:
        pass


def write_all(files: Mapping[Path, str | Callable[[], str]], overwrite: bool = True) -> None:
    """Write every file to a temporary sibling, then move them all into place (see StagedFiles).

    Content may be a function making it, called just before its file is written, so that only one
    rendered output is held in memory at a time (the TMX or JSONL of a long book is each 100 MB or more).
    """
    with StagedFiles(list(files), overwrite) as staged:
        for path, content in files.items():
            staged.write(path, content() if callable(content) else content)
        staged.commit()


def _current_umask() -> int:
    """The process umask (reading it means setting it, so it is put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
