"""Reading user input files: encodings, BOMs, binary data, empty files, endless or huge inputs — each with a clear answer."""

from __future__ import annotations

import codecs
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

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


HEAD_BYTES = 8 * 2**20
"""Bytes read before anything is decided: an input up to this size is decoded whole (the encoding,
binary and emptiness checks see all of it); the encoding of a longer one is chosen on this head."""
BLOCK_BYTES = 2**20
"""Bytes read at a time after the head."""
MAX_UNSIZED_BYTES = 64 * 2**20
"""Most bytes read from a pipe, FIFO or other input that is not a regular file: it may never end."""


@dataclass
class InputText:
    """A decoded input file and what had to be done to read it."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)
    decoder: codecs.IncrementalDecoder | None = field(default=None, repr=False)
    """For the head of a longer input: the decoder to read on with (it holds a character cut in two)."""
    controls: int = 0
    """Control characters replaced with spaces."""


def _to_text(data: bytes, codec: str, final: bool) -> tuple[str, codecs.IncrementalDecoder | None]:
    """All of `data` decoded (final), or the head of a longer input and the decoder to read on with."""
    if final:
        return data.decode(codec), None
    decoder = codecs.getincrementaldecoder(codec)()
    return decoder.decode(data, final=False), decoder


def decode(data: bytes, name: str, encoding: str | None = None, final: bool = True) -> InputText:
    """Decode bytes as a French text file, refusing what is not text or cannot be read without guessing.

    With `final=False`, `data` is the head of a longer input: a character cut at its end is left to the
    returned decoder, and emptiness is not judged (the rest may hold text).
    """
    warnings: list[str] = []
    decoder: codecs.IncrementalDecoder | None = None
    if encoding:
        try:
            (text, decoder), used = _to_text(data, encoding, final), encoding
        except LookupError:
            raise UserError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as err:
            raise UserError(f"{name} is not valid {encoding} (byte {err.start})") from None
    elif data.startswith(codecs.BOM_UTF8):
        try:
            (text, decoder), used = _to_text(data[len(codecs.BOM_UTF8):], "utf-8", final), "utf-8-sig"
        except UnicodeDecodeError as err:
            raise UserError(f"{name} has a UTF-8 byte-order mark but is not valid UTF-8 (byte {err.start}); "
                            "give its encoding with --encoding") from None
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            (text, decoder), used = _to_text(data, "utf-16", final), "utf-16"
        except UnicodeDecodeError:
            raise UserError(f"{name} has a UTF-16 byte-order mark but is not valid UTF-16") from None
    else:
        _refuse_known_binary(data, name)
        text, used, decoder = _decode_without_bom(data, name, warnings, final)
    controls = len(_CONTROL.findall(text))
    if controls > max(8, MAX_CONTROL_SHARE * len(text)):
        raise UserError(f"{name} looks like a binary file ({controls} control characters), not text")
    if controls:
        text = _CONTROL.sub(" ", text)
        if final:
            warnings.append(control_warning(name, controls))
    if final and not text.strip():
        raise UserError(f"{name} is empty" if not text else f"{name} holds only whitespace")
    if len(_DOUBLE_ENCODED.findall(text)) >= 2:
        warnings.append(f"{name} looks encoded twice (“Ã©” for “é”, “â€™” for “’”): accented words will be garbled; "
                        "re-save it as plain UTF-8")
    return InputText(text=text, encoding=used, warnings=warnings, decoder=decoder, controls=controls)


def control_warning(name: str, controls: int) -> str:
    """The warning for control characters read as spaces."""
    return f"{name}: replaced {controls} control character(s) with spaces"


def binary_kind(data: bytes) -> str | None:
    """What the bytes start like when they are an image, a PDF, an office document, an archive (None if not)."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def _refuse_known_binary(data: bytes, name: str) -> None:
    """Name the file type when the bytes start like an image, a PDF, an office document or an archive."""
    kind = binary_kind(data)
    if kind:
        raise UserError(f"{name} looks like a binary file, not text: {kind}; export it as plain text (.txt) first")


def _decode_without_bom(data: bytes, name: str, warnings: list[str],
                        final: bool = True) -> tuple[str, str, codecs.IncrementalDecoder | None]:
    """UTF-8, else UTF-16 without a BOM, else Latin-1/Windows-1252 when the result is plausible French.

    A head (`final=False`) without the bytes that tell the two apart reads on as Windows-1252: French
    text further on (’, œ, €) needs it, and the two agree on everything else."""
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data, final)
        if utf16 is None:
            raise UserError(f"{name} looks like a binary file (it contains NUL bytes), not text")
        text, used, decoder = utf16
        warnings.append(f"{name} has no byte-order mark; read it as {used.upper()} (use --encoding to override)")
        return text, used, decoder
    try:
        text, decoder = _to_text(data, "utf-8", final)
        return text, "utf-8", decoder
    except UnicodeDecodeError as err:
        first_bad = err.start
    unclear = UserError(f"{name} is not UTF-8 (byte {first_bad}) and its encoding is unclear; "
                        "give it with --encoding (e.g. --encoding cp1252, latin-1, cp850 or mac-roman)")
    if any(b in _CP1252_HOLES for b in data):
        raise unclear
    text, decoder = _to_text(data, "cp1252", final)
    if any(c in _NOT_FRENCH_8BIT for c in text):
        raise unclear
    if _CP1252_ONLY.search(data) or not final:
        warnings.append(f"{name} is not UTF-8; read it as Windows-1252 (use --encoding to override)")
        return text, "cp1252", decoder
    warnings.append(f"{name} is not UTF-8; read it as Latin-1 (ISO-8859-1, the same as Windows-1252 for this file; "
                    "use --encoding to override)")
    return text, "latin-1", decoder


def _utf16_without_bom(data: bytes, final: bool = True) -> tuple[str, str, codecs.IncrementalDecoder | None] | None:
    """Text, codec and decoder when NUL bytes sit at every other position, as in mostly-Latin UTF-16; else None."""
    if len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    half = len(data) // 2
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) >= 0.9 * half:
            try:
                text, decoder = _to_text(data, codec, final)
                return text, codec, decoder
            except UnicodeDecodeError:
                return None
    return None


_DEVICES = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def not_a_file(path: Path) -> str | None:
    """None for a regular file, else what `path` is in words ("missing", "a directory", "a character
    device", "a named pipe (FIFO)"…), for inputs that are read whole by name and must be files.
    OSError (a name too long, a loop of links) goes to the caller, which names the input."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "missing"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    return next((kind for test, kind in _DEVICES if test(mode)), "not a regular file")


def _open_checked(path: Path) -> tuple[BinaryIO, int | None]:
    """Open an input for reading; its size when it is a regular file, None for a pipe or FIFO.

    Devices are refused: /dev/zero or /dev/urandom never end, and a terminal is not a file.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UserError(f"no such file: {path}") from None
    except OSError as err:
        raise UserError(f"cannot read {path}: {err.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UserError(f"{path} is a directory")
    for test, kind in _DEVICES:
        if test(info.st_mode):
            raise UserError(f"{path} is {kind}, not a text file (it may never end); save the text to a file first")
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the caller
    except OSError as err:
        raise UserError(f"cannot read {path}: {err.strerror}") from None
    return handle, (info.st_size if stat.S_ISREG(info.st_mode) else None)


def _spooled(handle: BinaryIO, path: Path, limit: int) -> tuple[BinaryIO, int]:
    """A pipe's whole content copied to an anonymous temporary file, refused beyond `limit` bytes.

    Reading a pipe to its end first means an endless one (`yes`, a FIFO nobody closes) is refused in
    seconds instead of being translated for hours; the disk holds it, not memory.
    """
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - returned to the caller, who closes it
    try:
        with handle:
            copied = 0
            while copied <= limit:
                block = _read_up_to(handle, BLOCK_BYTES, path)
                if not block:
                    break
                spool.write(block)
                copied += len(block)
        if copied > limit:
            raise _too_long(path, limit)
        spool.seek(0)
    except OSError as err:
        spool.close()
        raise UserError(f"cannot read {path}: {err.strerror}") from None
    except BaseException:
        spool.close()
        raise
    return spool, copied  # type: ignore[return-value]


def _read_up_to(handle: BinaryIO, size: int, path: Path) -> bytes:
    """Up to `size` bytes (fewer only at the end of the input), with a one-line error on a read failure."""
    parts: list[bytes] = []
    left = size
    try:
        while left > 0:
            part = handle.read(min(left, 2**30))
            if not part:
                break
            parts.append(part)
            left -= len(part)
    except OSError as err:
        raise UserError(f"cannot read {path}: {err.strerror}") from None
    return b"".join(parts)


def _too_long(path: Path, limit: int) -> UserError:
    return UserError(f"{path} is not a regular file and gave more than {limit // 2**20} MiB without ending; "
                     "save it to a file first")


class InputStream:
    """An input decoded as it is read: the head decides the encoding, the rest follows in blocks.

    Memory stays the size of a block whatever the input's size. A pipe or FIFO is first copied to a
    temporary file, at most `MAX_UNSIZED_BYTES`. Problems found after the head (a byte the chosen encoding cannot read, binary
    data, an input of whitespace only) raise UserError while reading, so callers must not have written
    anything final before the end.
    """

    def __init__(self, path: Path, encoding: str | None = None, head_bytes: int = HEAD_BYTES,
                 max_unsized: int = MAX_UNSIZED_BYTES) -> None:
        self.path = path
        self.name = str(path)
        handle, size = _open_checked(path)
        if size is None:
            handle, size = _spooled(handle, path, max_unsized)
        self._handle, self.size = handle, size
        try:
            data = _read_up_to(self._handle, head_bytes, path)
            self._ended = len(data) < head_bytes
            self.bytes_read = len(data)
            first = decode(data, self.name, encoding, final=self._ended)
        except BaseException:
            self._handle.close()
            raise
        self.head = first.text
        """The decoded head (all the text when the input ended within it): enough to judge the language."""
        self.encoding = first.encoding
        self._warnings = first.warnings
        self._decoder = first.decoder
        self._controls = first.controls
        self._chars = len(first.text)
        self._any_text = bool(first.text.strip())
        self._single_read = self._ended

    @property
    def warnings(self) -> list[str]:
        """What had to be done to read the input (complete once the text has been read to the end)."""
        if self._controls and not self._single_read:
            return [*self._warnings, control_warning(self.name, self._controls)]
        return list(self._warnings)

    def share(self, chars: int) -> float:
        """Roughly which share of the input the first `chars` characters are (1.0 when the size is unknown)."""
        if not self.size or not self._chars:
            return 1.0
        return min(1.0, chars * (self.bytes_read / self._chars) / self.size)

    def texts(self) -> Iterator[str]:
        """The text in pieces, head first; raises UserError where the input stops being readable text."""
        try:
            if self.head:
                yield self.head
            self.head = ""  # read once; the pieces are not kept
            while not self._ended:
                yield self._next_block()
            if not self._any_text:
                raise UserError(f"{self.name} holds only whitespace")
        finally:
            self.close()

    def _next_block(self) -> str:
        data = _read_up_to(self._handle, BLOCK_BYTES, self.path)
        self.bytes_read += len(data)
        self._ended = not data
        assert self._decoder is not None
        try:
            text = self._decoder.decode(data, final=self._ended)
        except UnicodeDecodeError as err:
            at = self.bytes_read - len(data) + max(0, err.start)
            raise UserError(f"{self.name} is not valid {self.encoding} (near byte {at}); "
                            "give its encoding with --encoding") from None
        controls = len(_CONTROL.findall(text))
        if controls:
            self._controls += controls
            text = _CONTROL.sub(" ", text)
        self._chars += len(text)
        if self._controls > max(8, MAX_CONTROL_SHARE * self._chars):
            raise UserError(f"{self.name} looks like a binary file ({self._controls} control characters), not text")
        if not self._any_text and text.strip():
            self._any_text = True
        return text

    def close(self) -> None:
        self._handle.close()


def read_input(path: Path, encoding: str | None = None, max_bytes: int | None = None) -> InputText:
    """Read and decode one whole input file, with one-line errors for missing, unreadable, endless or
    (beyond `max_bytes`) too large files."""
    handle, size = _open_checked(path)
    with handle:
        limit = MAX_UNSIZED_BYTES if size is None else None
        if max_bytes is not None:
            limit = max_bytes if limit is None else min(limit, max_bytes)
        if limit is not None and size is not None and size > limit:
            raise UserError(f"{path} is {size / 2**20:.1f} MiB, more than the {limit // 2**20} MiB this command "
                            "reads whole; split it (by chapter, say)")
        data = _read_up_to(handle, 2**62 if limit is None else limit + 1, path)
        if limit is not None and len(data) > limit:
            if size is None:
                raise _too_long(path, limit)
            raise UserError(f"{path} grew past {limit // 2**20} MiB while being read; this command reads at most "
                            f"{limit // 2**20} MiB")
    return decode(data, str(path), encoding)


def read_input_bytes(path: Path, max_bytes: int) -> bytes:
    """A whole input's bytes (structured files are parsed whole), with the same one-line errors as
    `read_input` for missing, unreadable, endless or too large files."""
    handle, size = _open_checked(path)
    with handle:
        if size is not None and size > max_bytes:
            raise UserError(f"{path} is {size / 2**20:.1f} MiB, more than the {max_bytes // 2**20} MiB a structured "
                            "document may have; split it")
        data = _read_up_to(handle, max_bytes + 1, path)
    if len(data) > max_bytes:
        raise _too_long(path, max_bytes) if size is None else UserError(
            f"{path} grew past {max_bytes // 2**20} MiB while being read")
    if not data:
        raise UserError(f"{path} is empty")
    return data
