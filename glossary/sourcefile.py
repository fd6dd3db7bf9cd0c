"""Reading glossary files as UTF-8 text, with errors that name the file and the line."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from glossary.errors import GlossaryError

MAX_UNSIZED_BYTES = 64 * 2**20
"""The most read from a pipe or FIFO (a file whose size is not known beforehand): `yes` never ends."""
_ENDLESS_KINDS = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                  (stat.S_ISSOCK, "a socket"))


def read_utf8(path: Path) -> str:
    """The whole file as text; a missing, binary or non-UTF-8 file raises GlossaryError with the line.

    Devices and sockets (/dev/zero, /dev/urandom) are refused before a byte is read, and a pipe or FIFO
    that gives more than MAX_UNSIZED_BYTES is refused, so that no endless input fills the memory."""
    try:
        data = _read_bounded(Path(path))
    except FileNotFoundError:
        raise GlossaryError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise GlossaryError(f"{path}: is a directory, not a glossary file") from None
    except OSError as exc:
        raise GlossaryError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GlossaryError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise GlossaryError(f"{path}:{line}: binary data (NUL byte); expected a text glossary")
    return text.removeprefix("\ufeff")


def _read_bounded(path: Path) -> bytes:
    """A regular file whole; a pipe up to MAX_UNSIZED_BYTES; GlossaryError for what may never end."""
    mode = os.stat(path).st_mode
    for test, kind in _ENDLESS_KINDS:
        if test(mode):
            raise GlossaryError(f"{path} is {kind}, not a file (it may never end); save the text to a file first")
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return path.read_bytes()  # a directory raises IsADirectoryError, as before
    with open(path, "rb") as handle:
        data = handle.read(MAX_UNSIZED_BYTES + 1)
    if len(data) > MAX_UNSIZED_BYTES:
        raise GlossaryError(f"{path} is not a regular file and gave more than {MAX_UNSIZED_BYTES // 2**20} MiB "
                            "without ending; save it to a file first")
    return data


def where(path: Path | str, line: int) -> str:
    """`file:line` prefix for messages."""
    return f"{path}:{line}"


def split_rows(text: str) -> list[str]:
    """Lines of a TSV/CSV glossary: only LF and CRLF end a row (U+2028, U+0085, form feed do not)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]
