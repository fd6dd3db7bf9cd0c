"""Bounded resources for the cache and translation memories (issue 14: 8, 9, 11, 13), through the real command.

Poisoned cache values are dropped with one warning; TSV memories split rows at LF only; TMX memories
are parsed by libxml2 with its size limits (no quadratic expat), and every error is one line.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from support import run_cli
from translate.cache import DB_NAME

SENTENCES = [f"Le conseil numéro {n} se réunit à Bruxelles." for n in range(1, 10)]
COMMAND_TIMEOUT = 120


def run(*args: object) -> subprocess.CompletedProcess:
    return run_cli("run", *map(str, args), timeout=COMMAND_TIMEOUT)


def one_error_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


# ---------------------------------------------------------------- 14.8 poisoned cache values

POISONS = [
    '{"text": null, "score": -0.5, "unknown": []}',
    "[1, 2]",
    "null",
    '{"text": "x", "unknown": ' + "[" * 100_000 + "]" * 100_000 + "}",
    '{"text": "x", "unknown": "abc"}',
    '{"text": "x", "score": ' + "9" * 5000 + "}",
    "not json at all",
    '{"text": "x", "score": null, "unknown": [], "attention": [[0.5]], "tokens": []}',
    '{"text": "The council\\u0000 meets.", "unknown": []}',  # a NUL would reach the TXT and TSV outputs
]


def test_poisoned_cache_entries_are_dropped_with_one_warning(tmp_path: Path, cache_dir: Path,
                                                              synthetic_package: Path) -> None:
    article = tmp_path / "a.fr.txt"
    article.write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")
    common = ["--model", synthetic_package, "--formats", "txt,jsonl", "--quiet"]
    first = run(article, *common, "-o", tmp_path / "one")
    assert first.returncode == 0, first.stderr
    with sqlite3.connect(cache_dir / DB_NAME) as db:
        rows = db.execute("SELECT scope, source FROM entries ORDER BY source").fetchall()
        assert len(rows) == len(SENTENCES) == len(POISONS)
        db.executemany("UPDATE entries SET value = ? WHERE scope = ? AND source = ?",
                       [(poison, scope, source) for poison, (scope, source) in zip(POISONS, rows)])
    db.close()

    second = run(article, *common, "-o", tmp_path / "two")
    assert second.returncode == 0, second.stderr
    warnings = second.stderr.splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("warning: translation cache ")
    assert f"dropped {len(POISONS)} unreadable entries; translating them again" in warnings[0]
    for name in ("a.en.txt", "a.fr-en.jsonl"):
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()

    third = run(article, "--model", synthetic_package, "--formats", "txt", "-o", tmp_path / "three")
    assert third.returncode == 0 and "warning" not in third.stderr
    assert f"{len(SENTENCES)} from cache" in third.stderr  # the dropped entries were stored again


def test_good_entries_still_serve_when_one_is_poisoned(tmp_path: Path, cache_dir: Path,
                                                       synthetic_package: Path) -> None:
    article = tmp_path / "a.fr.txt"
    article.write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")
    assert run(article, "--model", synthetic_package, "--formats", "txt", "-o", tmp_path / "one").returncode == 0
    with sqlite3.connect(cache_dir / DB_NAME) as db:
        db.execute("UPDATE entries SET value = '[]' WHERE source = (SELECT MIN(source) FROM entries)")
    db.close()
    second = run(article, "--model", synthetic_package, "--formats", "txt", "-o", tmp_path / "two")
    assert second.returncode == 0, second.stderr
    assert f"{len(SENTENCES) - 1} from cache" in second.stderr  # not a cache given up for one bad value


# ---------------------------------------------------------------- 14.9 TSV rows split at LF only


@pytest.mark.parametrize("separator", ["\u2028", "\u0085", "\x0c", "\u2029", "\x1e"])
def test_tsv_memory_rows_are_not_cut_at_unicode_line_separators(tmp_path: Path, synthetic_package: Path,
                                                                 separator: str) -> None:
    memory = tmp_path / "memory.tsv"
    memory.write_bytes(("fr\ten\r\n"
                        f"Le maire a dit.\tThe mayor said{separator} it twice.\r\n"
                        "Il pleut.\tIt rains.\n").encode("utf-8"))
    article = tmp_path / "a.fr.txt"
    article.write_text("Le maire a dit. Il pleut.\n", encoding="utf-8")
    result = run(article, "--model", synthetic_package, "--tm", memory, "--formats", "jsonl", "-o", tmp_path / "out",
                 "--quiet")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in (tmp_path / "out" / "a.fr-en.jsonl").read_text(encoding="utf-8").split("\n") if line]
    targets = [row.get("target") for row in rows if row.get("source")]
    assert f"The mayor said{separator} it twice." in targets and "It rains." in targets


# ---------------------------------------------------------------- 14.11 TMX size limits, one-line errors


def tmx(units: str, doctype: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<tmx version="1.4"><header srclang="fr" '
            f'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" '
            f'creationtoolversion="1"/>\n<body>\n{units}</body></tmx>\n')


def unit(french: str, english: str, attributes: str = "") -> str:
    return (f'<tu{attributes}><tuv xml:lang="fr"><seg>{french}</seg></tuv>'
            f'<tuv xml:lang="en"><seg>{english}</seg></tuv></tu>\n')


def test_tmx_with_a_huge_attribute_is_refused_in_one_line(tmp_path: Path, synthetic_package: Path) -> None:
    memory = tmp_path / "huge.tmx"
    memory.write_text(tmx(unit("Le maire a dit.", "The mayor said.", f' note="{"a" * 11_000_000}"')),
                      encoding="utf-8")
    article = tmp_path / "a.fr.txt"
    article.write_text("Le maire a dit.\n", encoding="utf-8")
    result = run(article, "--model", synthetic_package, "--tm", memory, "-o", tmp_path / "out")
    assert result.returncode == 2
    line = one_error_line(result)
    assert line.startswith(f"error: {memory}:")
    assert line.endswith(": too large to read safely (a text or attribute over 10 MB, or elements nested over 256 deep)")
    assert not (tmp_path / "out").exists()


def test_tmx_with_a_large_attribute_under_the_limit_is_read(tmp_path: Path, synthetic_package: Path) -> None:
    memory = tmp_path / "large.tmx"
    memory.write_text(tmx(unit("Le maire a dit.", "The mayor said.", f' note="{"a" * 4_000_000}"')),
                      encoding="utf-8")
    article = tmp_path / "a.fr.txt"
    article.write_text("Le maire a dit.\n", encoding="utf-8")
    result = run(article, "--model", synthetic_package, "--tm", memory, "--formats", "txt", "-o", tmp_path / "out",
                 "--quiet")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "a.en.txt").read_text(encoding="utf-8") == "The mayor said.\n"


@pytest.mark.parametrize("body, doctype, expected", [
    (unit("Le &net; dit.", "The NET said."), '<!DOCTYPE tmx [<!ENTITY net "NET">]>\n',
     "entity reference &net; in a segment; translation memories must not use DTD entities"),
    (unit("Le &undefined; dit.", "x"), "", "not valid XML (Entity 'undefined' not defined)"),
    (unit("<hi>" * 300 + "x" + "</hi>" * 300, "x"), "", "too large to read safely"),
    ("<tu><tuv xml:lang='fr'><seg>Le maire", "", "not valid XML (Premature end of data"),
])
def test_tmx_errors_are_one_clear_line(tmp_path: Path, synthetic_package: Path, body: str, doctype: str,
                                       expected: str) -> None:
    memory = tmp_path / "bad.tmx"
    text = tmx(body, doctype)
    memory.write_text(text if "Premature" not in expected else text.split("</body>")[0], encoding="utf-8")
    article = tmp_path / "a.fr.txt"
    article.write_text("Le maire a dit.\n", encoding="utf-8")
    result = run(article, "--model", synthetic_package, "--tm", memory, "-o", tmp_path / "out")
    assert result.returncode == 2
    line = one_error_line(result)
    assert line.startswith(f"error: {memory}:") and expected in line
