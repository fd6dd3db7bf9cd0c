"""Issue 14 audit: the gaps an item-by-item replay of the issue's scenarios found, each through the real command.

A model folder whose metadata holds a 5,000-digit number (item 13: Python's own message leaked); cache
values that pass the type checks but break a later stage (item 8: exit 1 on every retry); names too long
for the file system given to --tm, --model and -o (item 13: `OSError: ...`); the `align --pairs` TSV
split at U+2028 (item 9); glossary files read from /dev/zero or an endless FIFO (item 2: out of memory);
a long unpunctuated paragraph inside a document (items 1 and 2: the attention table grew with the
square of the sentence); TBX and XLIFF past libxml2's limits (items 11 and 13: "try XML_PARSE_HUGE").
"""

from __future__ import annotations

import importlib.util
import sqlite3
import subprocess
from pathlib import Path

import pytest

from support import run_cli, run_cli_process
from translate.cache import DB_NAME

SENTENCES = "Le conseil se réunit à Bruxelles. Le maire a parlé. Il pleut."


def one_error_line(result: subprocess.CompletedProcess, code: int = 2) -> str:
    """stderr, asserted to be exactly one `error: ...` line, with the expected exit code."""
    lines = result.stderr.removesuffix("\n").split("\n")  # not splitlines(): a name may hold U+2028
    assert result.returncode == code, result.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr, result.stderr  # no Python class name
    return lines[0]


# ---------------------------------------------------------------- 14.3 / 14.13: --model with a huge number


def test_model_folder_whose_metadata_has_a_huge_number_is_one_clear_line(tmp_path: Path,
                                                                          synthetic_package: Path) -> None:
    import shutil

    model = tmp_path / "model"
    shutil.copytree(synthetic_package, model)
    (model / "metadata.json").write_text('{"from_code": "fr", "to_code": "en", "package_version": '
                                         + "9" * 5000 + "}", encoding="utf-8")
    article = tmp_path / "a.fr.txt"
    article.write_text(SENTENCES + "\n", encoding="utf-8")
    result = run_cli("run", str(article), "--model", str(model), "-o", str(tmp_path / "out"))
    line = one_error_line(result)
    assert "thousands of digits" in line and "4300" not in line and "set_int_max_str_digits" not in line, line
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# ---------------------------------------------------------------- 14.8: values that pass JSON but break later

LATE_POISONS = {
    "400-digit score": '{"text": "x", "score": 1' + "0" * 400 + "}",
    "400-digit attention": '{"text": "x", "attention": [[1' + "0" * 400 + ']], "tokens": ["a"]}',
    "lone surrogate in text": '{"text": "a\\ud800b"}',
    "lone surrogate in unknown": '{"text": "x", "unknown": ["\\udfff"]}',
    "lone surrogate in tokens": '{"text": "x", "attention": [[0.5]], "tokens": ["\\udc80"]}',
}


@pytest.mark.parametrize("poison", LATE_POISONS)
def test_cache_values_that_would_break_a_later_stage_are_dropped(tmp_path: Path, cache_dir: Path,
                                                                 synthetic_package: Path, poison: str) -> None:
    article = tmp_path / "a.fr.txt"
    article.write_text(SENTENCES + "\n", encoding="utf-8")
    common = ["--model", str(synthetic_package), "--formats", "txt,tsv,tmx,jsonl", "--quiet"]
    first = run_cli("run", str(article), *common, "-o", str(tmp_path / "one"))
    assert first.returncode == 0, first.stderr
    with sqlite3.connect(cache_dir / DB_NAME) as db:
        db.execute("UPDATE entries SET value = ?", (LATE_POISONS[poison],))
    db.close()
    for attempt in ("two", "three"):  # the promise: a warning, then the cache works again
        again = run_cli("run", str(article), *common, "-o", str(tmp_path / attempt))
        assert again.returncode == 0, again.stderr
        if attempt == "two":
            assert again.stderr.count("\n") == 1 and "dropped 3 unreadable entries" in again.stderr, again.stderr
        else:
            assert again.stderr == "", again.stderr
        for name in ("a.en.txt", "a.fr-en.tsv", "a.fr-en.jsonl"):
            assert (tmp_path / attempt / name).read_bytes() == (tmp_path / "one" / name).read_bytes()


# ---------------------------------------------------------------- 14.13: names too long, everywhere a path is given

LONG = "x" * 300


@pytest.mark.parametrize("where", ["--tm", "--model", "-o", "-o nested", "align -o"])
def test_names_too_long_for_the_file_system_are_one_line(tmp_path: Path, synthetic_package: Path,
                                                         where: str) -> None:
    article = tmp_path / "a.fr.txt"
    article.write_text(SENTENCES + "\n", encoding="utf-8")
    english = tmp_path / "a.en.txt"
    english.write_text("The council meets in Brussels. The mayor spoke. It is raining.\n", encoding="utf-8")
    long = tmp_path / LONG
    args = {
        "--tm": ["run", article, "--model", synthetic_package, "--tm", f"{long}.tmx", "-o", tmp_path / "out"],
        "--model": ["run", article, "--model", long, "-o", tmp_path / "out"],
        "-o": ["run", article, "--model", synthetic_package, "-o", long],
        "-o nested": ["run", article, "--model", synthetic_package, "-o", long / "sub"],
        "align -o": ["align", article, english, "-o", long],
    }[where]
    line = one_error_line(run_cli(*map(str, args)))
    assert line.endswith("File name too long"), line
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "out") == ["a.en.txt", "a.fr.txt"]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())  # nothing written


# ---------------------------------------------------------------- 14.9: the align --pairs TSV splits at LF only


@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="align --pairs needs the ray extra")
def test_align_pairs_rows_are_not_cut_at_unicode_line_separators(tmp_path: Path) -> None:
    article = tmp_path / "a.fr.txt"
    article.write_text(SENTENCES + "\n", encoding="utf-8")
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("a.fr.txt\tb\u2028c.en.txt\n", encoding="utf-8")  # a legal file name; it does not exist
    result = run_cli_process("align", "--pairs", str(pairs), "--ray", timeout=120)
    missing = tmp_path / "b\u2028c.en.txt"
    assert one_error_line(result) == f"error: {pairs}:1: no such file: {missing}", result.stderr


# ---------------------------------------------------------------- 14.2: glossary files that never end

MEMORY_LIMIT = 2 * 2**30
"""Address-space cap for the children below: before the fix they read /dev/zero until MemoryError."""


def capped(script: str) -> subprocess.CompletedProcess:
    """`script` in bash (it calls `translate` as "$T"), its processes limited to MEMORY_LIMIT, at most 120 s."""
    import os
    import resource
    import sys

    from support import ROOT

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          preexec_fn=cap, env={**os.environ, "T": f"{sys.executable} -m translate.cli"})


@pytest.mark.parametrize("args, kind", [
    ("glossary check /dev/zero --format tsv", "character device"),
    ("glossary check /dev/urandom --format tbx", "character device"),
    ("glossary extract /dev/zero", "character device"),
])
def test_glossary_commands_refuse_devices_at_once(args: str, kind: str) -> None:
    line = one_error_line(capped(f"$T {args}"))
    assert kind in line and "it may never end" in line, line


def test_a_glossary_fifo_that_never_ends_is_refused(tmp_path: Path, synthetic_package: Path) -> None:
    article = tmp_path / "a.fr.txt"
    article.write_text(SENTENCES + "\n", encoding="utf-8")
    fifo = tmp_path / "terms.tsv"
    out = tmp_path / "out"
    script = (f'mkfifo "{fifo}"; (timeout 60 bash -c \'yes "ONU\tUN" > "$0"\' "{fifo}" 2>/dev/null &); '
              f'$T run "{article}" --model "{synthetic_package}" -o "{out}" -g "{fifo}"')
    line = one_error_line(capped(script))
    assert "not a regular file and gave more than 64 MiB without ending" in line, line
    assert not out.exists() or not any(out.iterdir())


def test_a_short_glossary_pipe_is_read() -> None:
    result = capped("$T glossary check <(printf 'ONU\\tUN\\nOTAN\\tNATO\\n') --format tsv")
    assert result.returncode == 0 and "OK, 2 entries" in result.stdout, result.stderr


# ---------------------------------------------------------------- 14.1 / 14.2: a long paragraph in a document


def test_a_long_unpunctuated_paragraph_in_a_document_keeps_memory_bounded(tmp_path: Path,
                                                                          synthetic_package: Path) -> None:
    """Documents ask the engine for attention (to place inline codes): the table of a sentence cut into
    chunks spanned all of them, target × source tokens, so a 50 KB paragraph took over 2.5 GB."""
    from bench.long_line import long_line

    page = tmp_path / "ocr.fr.html"
    page.write_text(f"<html><body><p>Le <b>conseil</b> {long_line(50)}</p><p>Le maire a <i>parlé</i>.</p>"
                    "</body></html>\n", encoding="utf-8")
    out = tmp_path / "out"
    result = capped(f'$T run "{page}" --model "{synthetic_package}" -o "{out}" -f doc -q --no-cache')
    assert result.returncode == 0, result.stderr
    english = (out / "ocr.en.html").read_text(encoding="utf-8")
    assert "<b>" in english and "<i>" in english and "NATO" in english


# ---------------------------------------------------------------- 14.11 / 14.13: libxml2's limits in words, not its C flag

HUGE = "a" * 11_000_000
"""Over libxml2's 10 MB limit for one text or attribute."""


def test_a_tbx_glossary_over_libxml2_limits_is_one_clear_line(tmp_path: Path) -> None:
    tbx = tmp_path / "huge.tbx"
    tbx.write_text(f'<?xml version="1.0"?>\n<martif type="TBX" note="{HUGE}"><text><body/></text></martif>\n',
                   encoding="utf-8")
    line = one_error_line(run_cli("glossary", "check", str(tbx)))
    assert line == (f"error: {tbx}:2: too large to read safely (a text or attribute over 10 MB, "
                    "or elements nested over 256 deep)"), line[:300]


def test_an_xliff_over_libxml2_limits_is_one_clear_line(tmp_path: Path, synthetic_package: Path) -> None:
    xliff = tmp_path / "huge.fr.xlf"
    xliff.write_text('<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
                     '<file source-language="fr" target-language="en" datatype="plaintext" original="x"><body>'
                     f'<trans-unit id="1" resname="{HUGE}"><source>Le maire a dit.</source></trans-unit>'
                     "</body></file></xliff>\n", encoding="utf-8")
    out = tmp_path / "out"
    line = one_error_line(run_cli("run", str(xliff), "--model", str(synthetic_package), "-o", str(out)))
    assert line.endswith(": too large to read safely (a text or attribute over 10 MB, or elements nested over 256 "
                         "deep)") and "XML_PARSE_HUGE" not in line, line[:300]
    assert not out.exists() or not any(out.iterdir())


# ---------------------------------------------------------------- 14.3: a package whose metadata holds half a character

SURROGATE_METADATA = '{"from_code": "fr", "to_code": "en", "package_version": "1.\\ud800"}'
"""Valid JSON whose escape parses to a lone surrogate: no UTF-8 output or table can show the version."""


def test_a_package_with_a_lone_surrogate_is_listed_broken_and_skipped(tmp_path: Path,
                                                                      synthetic_package: Path) -> None:
    import shutil
    import zipfile

    pkgdir = tmp_path / "packages"
    shutil.copytree(synthetic_package, pkgdir / "good")
    shutil.copytree(synthetic_package, pkgdir / "half")
    (pkgdir / "half" / "metadata.json").write_text(SURROGATE_METADATA, encoding="utf-8")
    listed = run_cli("models", "list", "--packages-dir", str(pkgdir))
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if " half " in line)
    assert "broken: metadata.json unreadable: a \\u escape names half a character" in row, row
    assert run_cli("engines", "--packages-dir", str(pkgdir)).returncode == 0

    article = tmp_path / "a.fr.txt"
    article.write_text(SENTENCES + "\n", encoding="utf-8")
    auto = run_cli("run", str(article), "--packages-dir", str(pkgdir), "-o", str(tmp_path / "auto"), "-f", "txt")
    assert auto.returncode == 0 and "engine argos:good" in auto.stderr, auto.stderr
    named = run_cli("run", str(article), "--model", str(pkgdir / "half"), "-o", str(tmp_path / "named"))
    assert "a \\u escape names half a character (a lone surrogate)" in one_error_line(named)

    archive = tmp_path / "half.argosmodel"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted((pkgdir / "half").rglob("*")):
            if path.is_file():
                zipped.write(path, f"translate-fr_en-half/{path.relative_to(pkgdir / 'half')}")
    installed = run_cli("models", "install", str(archive), "--packages-dir", str(tmp_path / "fresh"))
    assert "half a character" in one_error_line(installed)
    assert not (tmp_path / "fresh" / "translate-fr_en-half").exists()
