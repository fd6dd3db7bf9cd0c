"""Reading user input files: encodings, BOMs, binary data, empty files — each with a clear answer."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from translate.errors import UserError

_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


@dataclass
class InputText:
    """A decoded input file and what had to be done to read it."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, name: str, encoding: str | None = None) -> InputText:
    """Decode bytes as a French text file, refusing what is not text."""
    warnings: list[str] = []
    if encoding:
        try:
            text, used = data.decode(encoding), encoding
        except LookupError:
            raise UserError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as err:
            raise UserError(f"{name} is not valid {encoding} (byte {err.start})") from None
    elif data.startswith(codecs.BOM_UTF8):
        text, used = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, used = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise UserError(f"{name} has a UTF-16 byte-order mark but is not valid UTF-16") from None
    elif b"\x00" in data:
        raise UserError(f"{name} looks like a binary file (it contains NUL bytes), not text")
    else:
        try:
            text, used = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as err:
            if any(b in _CP1252_HOLES for b in data):
                raise UserError(
                    f"{name} is not UTF-8 (byte {err.start}) and its encoding is unclear; "
                    "give it with --encoding (e.g. --encoding latin-1)"
                ) from None
            text, used = data.decode("cp1252"), "cp1252"
            warnings.append(f"{name} is not UTF-8; read it as Windows-1252 (use --encoding to override)")
    controls = len(_CONTROL.findall(text))
    if controls:
        text = _CONTROL.sub(" ", text)
        warnings.append(f"{name}: replaced {controls} control character(s) with spaces")
    if not text.strip():
        raise UserError(f"{name} is empty" if not text else f"{name} holds only whitespace")
    return InputText(text=text, encoding=used, warnings=warnings)


def read_input(path: Path, encoding: str | None = None) -> InputText:
    """Read and decode one input file, with one-line errors for missing or unreadable files."""
    if not path.exists():
        raise UserError(f"no such file: {path}")
    if path.is_dir():
        raise UserError(f"{path} is a directory")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UserError(f"cannot read {path}: {err.strerror}") from None
    return decode(data, str(path), encoding)
