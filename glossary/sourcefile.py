"""Reading glossary files as UTF-8 text, with errors that name the file and the line."""

from __future__ import annotations

from pathlib import Path

from glossary.errors import GlossaryError


def read_utf8(path: Path) -> str:
    """The whole file as text; a missing, binary or non-UTF-8 file raises GlossaryError with the line."""
    try:
        data = path.read_bytes()
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


def where(path: Path | str, line: int) -> str:
    """`file:line` prefix for messages."""
    return f"{path}:{line}"


def split_rows(text: str) -> list[str]:
    """Lines of a TSV/CSV glossary: only LF and CRLF end a row (U+2028, U+0085, form feed do not)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]
