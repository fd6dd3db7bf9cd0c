"""A ZIP archive with some members replaced and every other member's stored bytes copied as they were.

Office packages (.docx) are ZIP archives: a translated document must differ from its original only in
the parts that hold text. Python's zipfile can only recompress what it copies, so this writes the
archive itself: each kept member's local record (header, compressed data, data descriptor) is copied
byte for byte, replaced members are deflated (or stored, as their original was), and a new central
directory lists every member in its original order with the original metadata.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Iterator, Mapping

_LOCAL = struct.Struct("<4sBBHHHHLLLHH")
"""Local file header: signature, version needed, its system, flags, method, time, date, CRC, sizes, name and
extra lengths."""
_CENTRAL = struct.Struct("<4sBBBBHHHHLLLHHHHHLL")
_END = struct.Struct("<4sHHHHLLH")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG, _DESCRIPTOR_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"PK\x07\x08"
_UTF8_FLAG, _DESCRIPTOR_FLAG = 0x800, 0x8
_ZIP64_EXTRA = 0x0001
_LIMIT_32 = 0xFFFFFFFF


class ZipCopyError(Exception):
    """The archive cannot be copied record by record (the caller may fall back to recompressing)."""


def _dos_time(date_time: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def _extra_fields(extra: bytes) -> Iterator[tuple[int, bytes]]:
    """(header id, the whole field) for each extra field of a ZIP record."""
    index = 0
    while index + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, index)
        yield kind, extra[index:index + 4 + size]
        index += 4 + size


def _without_zip64(extra: bytes) -> bytes:
    """Extra fields minus the ZIP64 one: the sizes and offsets we write always fit in 32 bits."""
    return b"".join(field for kind, field in _extra_fields(extra) if kind != _ZIP64_EXTRA)


def _has_zip64(extra: bytes) -> bool:
    return any(kind == _ZIP64_EXTRA for kind, _ in _extra_fields(extra))


def _local_record(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """A kept member's local header, compressed bytes and data descriptor, exactly as in `data`."""
    start = info.header_offset
    if data[start:start + 4] != _LOCAL_SIG:
        raise ZipCopyError(f"no local header for {info.filename!r}")
    fields = _LOCAL.unpack_from(data, start)
    name_len, extra_len = fields[10], fields[11]
    extra = data[start + _LOCAL.size + name_len:start + _LOCAL.size + name_len + extra_len]
    end = start + _LOCAL.size + name_len + extra_len + info.compress_size
    if fields[3] & _DESCRIPTOR_FLAG:
        size_bytes = 8 if _has_zip64(extra) else 4
        end += (4 if data[end:end + 4] == _DESCRIPTOR_SIG else 0) + 4 + 2 * size_bytes
    if end > len(data):
        raise ZipCopyError(f"{info.filename!r} runs past the end of the archive")
    return data[start:end]


def _name_bytes(info: zipfile.ZipInfo) -> bytes:
    return info.orig_filename.encode("utf-8" if info.flag_bits & _UTF8_FLAG else "cp437")


def _deflated(payload: bytes) -> bytes:
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(payload) + compressor.flush()


def copy_with(data: bytes, replaced: Mapping[str, bytes]) -> bytes:
    """`data` (a ZIP archive) with the members named in `replaced` holding new content; the rest as it was.

    Raises ZipCopyError when the archive's records cannot be copied as they are (ZIP64, odd layouts)."""
    out = io.BytesIO()
    central = bytearray()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        comment = archive.comment
        if len(infos) >= 0xFFFF:
            raise ZipCopyError("too many members for a plain ZIP")
        for info in infos:
            offset = out.tell()
            time, date = _dos_time(info.date_time)
            if info.filename in replaced:
                payload = replaced[info.filename]
                method = zipfile.ZIP_STORED if info.compress_type == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED
                stored = payload if method == zipfile.ZIP_STORED else _deflated(payload)
                try:
                    name = info.filename.encode("ascii")
                    flags = 0
                except UnicodeEncodeError:
                    name, flags = info.filename.encode("utf-8"), _UTF8_FLAG
                crc, extra, version = zlib.crc32(payload), b"", 20
                out.write(_LOCAL.pack(_LOCAL_SIG, version, 0, flags, method, time, date, crc, len(stored),
                                      len(payload), len(name), 0) + name + stored)
                sizes = (crc, len(stored), len(payload))
            else:
                out.write(_local_record(data, info))
                name, flags, method = _name_bytes(info), info.flag_bits, info.compress_type
                extra, version = _without_zip64(info.extra), info.extract_version
                sizes = (info.CRC, info.compress_size, info.file_size)
            if offset > _LIMIT_32 or max(sizes[1:]) > _LIMIT_32:
                raise ZipCopyError("the archive needs ZIP64")
            comment_bytes = info.comment or b""
            central += _CENTRAL.pack(_CENTRAL_SIG, info.create_version, info.create_system, version, info.reserved,
                                     flags, method, time, date, *sizes, len(name), len(extra), len(comment_bytes),
                                     0, info.internal_attr, info.external_attr, offset)
            central += name + extra + comment_bytes
    start = out.tell()
    out.write(bytes(central))
    out.write(_END.pack(_END_SIG, 0, 0, len(infos), len(infos), len(central), start, len(comment)) + comment)
    result = out.getvalue()
    _check(result, [i.filename for i in infos])
    return result


def _check(result: bytes, names: list[str]) -> None:
    """The copy reads back: same members in the same order, every local header where the directory says."""
    try:
        with zipfile.ZipFile(io.BytesIO(result)) as archive:
            if [i.filename for i in archive.infolist()] != names:
                raise ZipCopyError("the copy lists other members")
            for info in archive.infolist():
                archive.open(info).close()  # checks the local header's signature and name
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ZipCopyError(str(exc)) from exc
