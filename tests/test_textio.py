"""Input decoding and output writing: encodings, binary files, empty files, atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from translate.errors import UserError
from translate.outputs import check_targets, output_stem, write_all
from translate.textio import decode, read_input

FRENCH = "L’été à Genève : 3,5 % de hausse."


def test_utf8_plain_and_with_bom():
    assert decode(FRENCH.encode(), "a").text == FRENCH
    result = decode(b"\xef\xbb\xbf" + FRENCH.encode(), "a")
    assert result.text == FRENCH and result.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec):
    data = FRENCH.encode(codec)
    if codec != "utf-16":
        data = ("\ufeff" + FRENCH).encode(codec)
    assert decode(data, "a").text == FRENCH


def test_cp1252_is_read_with_a_warning():
    result = decode("L’été « chaud »".encode("cp1252"), "old.txt")
    assert result.text == "L’été « chaud »" and result.encoding == "cp1252"
    assert "Windows-1252" in result.warnings[0]


def test_ambiguous_bytes_are_refused_with_the_way_out():
    with pytest.raises(UserError, match="--encoding"):
        decode(b"caf\xe9 \x81 \x8d", "weird.txt")


def test_explicit_encoding_wins():
    assert decode("été".encode("latin-1"), "a", "latin-1").text == "été"
    with pytest.raises(UserError, match="unknown encoding"):
        decode(b"abc", "a", "no-such-codec")


@pytest.mark.parametrize("data, message", [(b"", "is empty"), (b" \n\t\n", "only whitespace"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")])
def test_empty_blank_and_binary_refused(data, message):
    with pytest.raises(UserError, match=message):
        decode(data, "x")


def test_control_characters_replaced_with_warning():
    result = decode(b"Bonjour\x07 le monde\x1b.", "c.txt")
    assert result.text == "Bonjour  le monde ." and "control" in result.warnings[0]


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        read_input(tmp_path / "nope.txt")
    with pytest.raises(UserError, match="is a directory"):
        read_input(tmp_path)


@pytest.mark.parametrize("name, stem", [("a.fr.txt", "a"), ("a.txt", "a"), ("a.FR.TXT", "a"), ("a.fr-FR.txt", "a"), ("notes", "notes"), ("x.y.txt", "x.y")])
def test_output_stem(name, stem):
    assert output_stem(Path(name)) == stem


def test_existing_output_refused_unless_overwrite(tmp_path):
    target = tmp_path / "a.en.txt"
    target.write_text("old")
    with pytest.raises(UserError, match="--overwrite"):
        check_targets([target], [tmp_path / "a.fr.txt"], overwrite=False)
    check_targets([target], [tmp_path / "a.fr.txt"], overwrite=True)
    with pytest.raises(UserError, match="its own input"):
        check_targets([target], [target], overwrite=True)


def test_output_directory_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UserError, match="cannot create output directory"):
        check_targets([blocker / "sub" / "a.en.txt"], [], overwrite=False)


def test_unwritable_location_is_one_clean_error():
    # /proc refuses new files even for root, so this holds whoever runs the tests.
    with pytest.raises(UserError, match="cannot write"):
        write_all({Path("/proc/a.en.txt"): "x"})


def test_write_all_is_all_or_nothing(tmp_path, monkeypatch):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("previous")
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(UserError, match="cannot write"):
        write_all({first: "new", second: "new"})
    monkeypatch.setattr(os, "replace", real_replace)
    assert first.read_text() == "previous" and not second.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    write_all({first: "new", second: "new2"})
    assert first.read_text() == "new" and second.read_text() == "new2"
