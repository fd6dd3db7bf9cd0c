"""Reading user input files: encodings, BOMs, binary data, empty files — each with a clear answer."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from translate.errors import UserError

_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
"""C0 controls except tab and line breaks, DEL, and C1 controls (what is left of cp1252 read as Latin-1)."""
_CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
_CP1252_ONLY = re.compile(b"[\x80-\x9f]")
"""Bytes that Windows-1252 and Latin-1 read differently; without them both give the same text."""
_NOT_FRENCH_8BIT = set("‚ƒ„†‡ˆŠ‹Žšž˜›¤¦¨¸¼½¾")
"""Characters a legacy-encoded French file almost never holds, but which DOS (cp850), Mac Roman or
Latin-9 French text turns into when read as Windows-1252 (é → ‚ or Ž, œ → ½, € → ¤): seeing one
means the guess would be mojibake."""
_DOUBLE_ENCODED = re.compile("Ã[\u00a0-\u00bf]|â€[™œ“”¦\u009d]")
"""UTF-8 read as Windows-1252 and saved again as UTF-8 ("Ã©" for "é", "â€™" for "’")."""
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive such as a .docx or .odt file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office document (.doc)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program (ELF binary)"),
)
"""File signatures of what users most often point at by mistake, so the refusal can name it."""
MAX_CONTROL_SHARE = 0.01
"""Above this share of control characters (and more than a handful) a file is binary, not text."""


@dataclass
class InputText:
    """A decoded input file and what had to be done to read it."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, name: str, encoding: str | None = None) -> InputText:
    """Decode bytes as a French text file, refusing what is not text or cannot be read without guessing."""
    warnings: list[str] = []
    if encoding:
        try:
            text, used = data.decode(encoding), encoding
        except LookupError:
            raise UserError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as err:
            raise UserError(f"{name} is not valid {encoding} (byte {err.start})") from None
    elif data.startswith(codecs.BOM_UTF8):
        try:
            text, used = data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            raise UserError(f"{name} has a UTF-8 byte-order mark but is not valid UTF-8 (byte {err.start}); "
                            "give its encoding with --encoding") from None
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, used = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise UserError(f"{name} has a UTF-16 byte-order mark but is not valid UTF-16") from None
    else:
        _refuse_known_binary(data, name)
        text, used = _decode_without_bom(data, name, warnings)
    controls = len(_CONTROL.findall(text))
    if controls > max(8, MAX_CONTROL_SHARE * len(text)):
        raise UserError(f"{name} looks like a binary file ({controls} control characters), not text")
    if controls:
        text = _CONTROL.sub(" ", text)
        warnings.append(f"{name}: replaced {controls} control character(s) with spaces")
    if not text.strip():
        raise UserError(f"{name} is empty" if not text else f"{name} holds only whitespace")
    if len(_DOUBLE_ENCODED.findall(text)) >= 2:
        warnings.append(f"{name} looks encoded twice (“Ã©” for “é”, “â€™” for “’”): accented words will be garbled; "
                        "re-save it as plain UTF-8")
    return InputText(text=text, encoding=used, warnings=warnings)


def _refuse_known_binary(data: bytes, name: str) -> None:
    """Name the file type when the bytes start like an image, a PDF, an office document or an archive."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise UserError(f"{name} looks like a binary file, not text: {kind}; export it as plain text (.txt) first")


def _decode_without_bom(data: bytes, name: str, warnings: list[str]) -> tuple[str, str]:
    """UTF-8, else UTF-16 without a BOM, else Latin-1/Windows-1252 when the result is plausible French."""
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise UserError(f"{name} looks like a binary file (it contains NUL bytes), not text")
        text, used = utf16
        warnings.append(f"{name} has no byte-order mark; read it as {used.upper()} (use --encoding to override)")
        return text, used
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        first_bad = err.start
    unclear = UserError(f"{name} is not UTF-8 (byte {first_bad}) and its encoding is unclear; "
                        "give it with --encoding (e.g. --encoding cp1252, latin-1, cp850 or mac-roman)")
    if any(b in _CP1252_HOLES for b in data):
        raise unclear
    text = data.decode("cp1252")
    if any(c in _NOT_FRENCH_8BIT for c in text):
        raise unclear
    if _CP1252_ONLY.search(data):
        warnings.append(f"{name} is not UTF-8; read it as Windows-1252 (use --encoding to override)")
        return text, "cp1252"
    warnings.append(f"{name} is not UTF-8; read it as Latin-1 (ISO-8859-1, the same as Windows-1252 for this file; "
                    "use --encoding to override)")
    return text, "latin-1"


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Text and codec when NUL bytes sit at every other position, as in mostly-Latin UTF-16; else None."""
    if len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    half = len(data) // 2
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) >= 0.9 * half:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                return None
    return None


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
