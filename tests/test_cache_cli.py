"""`translate cache info|clear` and the engine cache's size limit, through the real command.

The cache is one SQLite file per machine that every run grows: `info` says where it is and how big,
`clear` empties it (or removes a file SQLite cannot read), and past `$TRANSLATE_CACHE_MAX_MB` the
oldest entries are deleted so the file stops growing.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from support import run_cli
from translate.cache import DB_NAME

WORDS = "conseil maire budget ville région député ministre accord projet réforme élection santé école".split()


def article(path: Path, count: int, tag: str) -> Path:
    """`count` distinct sentences of about 250 characters, one paragraph each."""
    lines = []
    for n in range(count):
        words = " ".join(WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(30))
        lines.append(f"Le {tag} numéro {n} parle de {words}.")
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def translate(source: Path, package: Path, out: Path, env: dict | None = None) -> int:
    """Run `translate run` and return how many sentences came from the cache."""
    result = run_cli("run", str(source), "--model", str(package), "-o", str(out), "-f", "txt", "--force", env=env)
    assert result.returncode == 0, result.stderr
    return int(re.search(r"(\d+) from cache", result.stderr).group(1))


def info(env: dict | None = None) -> dict[str, str]:
    result = run_cli("cache", "info", env=env)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return dict(line.split(None, 1) for line in result.stdout.splitlines())


def one_error_line(result: subprocess.CompletedProcess, code: int) -> str:
    lines = result.stderr.splitlines()
    assert result.returncode == code, result.stderr
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_info_without_a_cache_creates_nothing(cache_dir: Path) -> None:
    shown = info()
    assert shown["path"] == f"{cache_dir / DB_NAME} (not created yet)"
    assert shown["entries"] == "0" and shown["size"].startswith("0 bytes (limit 1 GiB")
    assert not cache_dir.exists()
    cleared = run_cli("cache", "clear")
    assert cleared.returncode == 0 and "cleared 0 cached translations" in cleared.stdout, cleared.stderr
    assert not cache_dir.exists()


def test_info_counts_what_runs_stored_and_clear_empties_it(tmp_path: Path, cache_dir: Path,
                                                           synthetic_package: Path) -> None:
    source = article(tmp_path / "a.fr.txt", 12, "conseil")
    assert translate(source, synthetic_package, tmp_path / "one") == 0
    shown = info()
    assert shown["path"] == str(cache_dir / DB_NAME) and shown["entries"] == "12"
    assert translate(source, synthetic_package, tmp_path / "two") == 12

    cleared = run_cli("cache", "clear")
    assert cleared.returncode == 0, cleared.stderr
    assert re.fullmatch(rf"cleared 12 cached translations from {re.escape(str(cache_dir / DB_NAME))} "
                        r"\([\d.]+ (bytes|KiB) freed\)\n", cleared.stdout), cleared.stdout
    assert info()["entries"] == "0"
    assert translate(source, synthetic_package, tmp_path / "three") == 0  # translated again, and stored again
    assert info()["entries"] == "12"


def test_an_unreadable_cache_file_is_named_and_clear_removes_it(cache_dir: Path) -> None:
    cache_dir.mkdir()
    (cache_dir / DB_NAME).write_bytes(b"this is not a database, just some bytes" * 100)
    line = one_error_line(run_cli("cache", "info"), 1)
    assert "is unreadable (file is not a database); `translate cache clear` removes it" in line
    cleared = run_cli("cache", "clear")
    assert cleared.returncode == 0, cleared.stderr
    assert cleared.stdout == f"removed unreadable cache file {cache_dir / DB_NAME} (3.8 KiB)\n"
    assert list(cache_dir.iterdir()) == []


def test_a_cache_held_by_a_run_is_one_line_and_kept(tmp_path: Path, cache_dir: Path, synthetic_package: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("translate.cli_cache.LOCK_TIMEOUT", 0.2)  # the command waits 5 s for a lock; the test need not
    translate(article(tmp_path / "a.fr.txt", 3, "maire"), synthetic_package, tmp_path / "one")
    holder = sqlite3.connect(cache_dir / DB_NAME)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # what a run holds while it stores (here for the whole command)
        line = one_error_line(run_cli("cache", "clear"), 1)
        assert "database is locked" in line and "try again when the run using it has ended" in line
    finally:
        holder.close()
    assert info()["entries"] == "3"


def test_a_bad_size_limit_is_one_line(tmp_path: Path, synthetic_package: Path) -> None:
    source = article(tmp_path / "a.fr.txt", 2, "maire")
    for value in ("lots", "-1", "nan"):
        result = run_cli("run", str(source), "--model", str(synthetic_package), "-o", str(tmp_path / "out"),
                         env={"TRANSLATE_CACHE_MAX_MB": value})
        assert f"$TRANSLATE_CACHE_MAX_MB must be a size in MiB (0 = no limit), not '{value}'" in one_error_line(result, 2)
        assert one_error_line(run_cli("cache", "info", env={"TRANSLATE_CACHE_MAX_MB": value}), 2)


def test_past_the_size_limit_the_oldest_entries_go(tmp_path: Path, cache_dir: Path, synthetic_package: Path) -> None:
    limit = {"TRANSLATE_CACHE_MAX_MB": "0.08", "TRANSLATE_CACHE_CHUNK": "20"}  # 82 KiB; an article takes ~40 KiB
    older = article(tmp_path / "older.fr.txt", 80, "maire")
    newer = article(tmp_path / "newer.fr.txt", 80, "conseil")
    translate(older, synthetic_package, tmp_path / "o1", limit)
    assert int(info(limit)["entries"]) == 80  # under the limit: nothing evicted
    translate(newer, synthetic_package, tmp_path / "n1", limit)
    assert translate(newer, synthetic_package, tmp_path / "n2", limit) == 80  # the newest are all kept
    kept_older = translate(older, synthetic_package, tmp_path / "o2", limit)
    assert kept_older < 60, kept_older  # the oldest went first
    for n in range(3):  # the file stops growing near the limit (freed pages are reused), run after run
        translate(article(tmp_path / f"more{n}.fr.txt", 80, f"ministre{n}"), synthetic_package, tmp_path / f"m{n}", limit)
        assert (cache_dir / DB_NAME).stat().st_size <= 0.08 * 2**20 * 1.3

    unlimited = {"TRANSLATE_CACHE_MAX_MB": "0"}
    assert run_cli("cache", "clear").returncode == 0
    translate(older, synthetic_package, tmp_path / "o3", unlimited)
    translate(newer, synthetic_package, tmp_path / "n3", unlimited)
    assert int(info(unlimited)["entries"]) == 160 and info(unlimited)["size"].endswith("(limit none, "
                                                                                      "$TRANSLATE_CACHE_MAX_MB; "
                                                                                      "past it the oldest entries go)")


def test_entries_of_a_cache_written_before_the_limit_go_first(tmp_path: Path, cache_dir: Path,
                                                              synthetic_package: Path) -> None:
    """A cache file from before entries were stamped: its entries count as the oldest."""
    limit = {"TRANSLATE_CACHE_MAX_MB": "0.08"}
    older = article(tmp_path / "older.fr.txt", 80, "maire")
    translate(older, synthetic_package, tmp_path / "o1", limit)
    with sqlite3.connect(cache_dir / DB_NAME) as db:
        db.execute("DROP TABLE stamps")  # as an older version left it
    db.close()
    translate(article(tmp_path / "newer.fr.txt", 80, "conseil"), synthetic_package, tmp_path / "n1", limit)
    assert translate(older, synthetic_package, tmp_path / "o2", limit) < 60


def test_the_cache_sub_app_is_loaded_only_when_invoked(tmp_path: Path) -> None:
    """`translate --help` lists `cache` without importing it (start-up stays lean, as for models/glossary)."""
    import json
    import os
    import sys

    from support import ROOT

    report = tmp_path / "modules.json"
    probe = ("import atexit, json, sys\n"
             "report = sys.argv.pop(1)\n"
             "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=open(report, 'w')))\n"
             "sys.argv[0] = 'translate'\n"
             "from translate.cli import main\n"
             "main()\n")
    for args, loaded in ((["--help"], False), (["cache", "info"], True)):
        done = subprocess.run([sys.executable, "-c", probe, str(report), *args], capture_output=True, text=True,
                              cwd=ROOT, env=dict(os.environ), timeout=120)
        assert done.returncode == 0, done.stderr
        modules = set(json.loads(report.read_text(encoding="utf-8")))
        assert ("translate.cli_cache" in modules) == loaded and ("sqlite3" in modules) == loaded, args
        if not loaded:
            assert "cache " in done.stdout  # listed all the same
