"""Without --ray: a manifest lists the inputs as it does under --ray; a JSONL/Parquet corpus is refused, not translated."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import run_cli


def test_a_manifest_runs_its_documents_in_one_process(tmp_path: Path, synthetic_package: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "more").mkdir(parents=True)
    (docs / "a.fr.txt").write_text("Le conseil se réunit mardi.\n", encoding="utf-8")
    (docs / "more" / "b.fr.txt").write_text("Le rapport est publié.\n", encoding="utf-8")
    (docs / "skipped.fr.txt").write_text("Pas dans la liste.\n", encoding="utf-8")
    manifest = tmp_path / "week.manifest"
    manifest.write_text("# this week\ndocs/a.fr.txt\n\ndocs/more\n", encoding="utf-8")
    result = run_cli("run", str(manifest), "--model", str(synthetic_package), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.en.txt")) == ["a.en.txt", "b.en.txt"]
    assert (tmp_path / "out" / "a.en.txt").read_text(encoding="utf-8") == "Le conseil se réunit mardi.\n"


def test_a_manifest_line_naming_nothing_is_one_line_before_any_work(tmp_path: Path, synthetic_package: Path) -> None:
    (tmp_path / "a.fr.txt").write_text("Le conseil se réunit mardi.\n", encoding="utf-8")
    manifest = tmp_path / "week.manifest"
    manifest.write_text("a.fr.txt\nmissing.fr.txt\n", encoding="utf-8")
    result = run_cli("run", str(manifest), "--model", str(synthetic_package), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: {manifest}:2: no such file or folder: {tmp_path / 'missing.fr.txt'}"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["articles.jsonl", "articles.PARQUET"])
def test_a_corpus_without_ray_is_refused_not_translated_as_french(tmp_path: Path, synthetic_package: Path,
                                                                    name: str) -> None:
    corpus = tmp_path / name
    corpus.write_text('{"id": "1", "text": "Le conseil se réunit mardi."}\n', encoding="utf-8")
    result = run_cli("run", str(corpus), "--model", str(synthetic_package), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is a corpus of documents" in lines[0] and "--ray" in lines[0], lines
    assert not (tmp_path / "out").exists()


def test_a_manifest_line_is_cut_at_newlines_only(tmp_path: Path, synthetic_package: Path) -> None:
    """U+2028 is a legal character of a file name, not a line break (as the TSV readers of issue 14 do)."""
    odd = tmp_path / "a\u2028b.fr.txt"
    odd.write_text("Le conseil se réunit mardi.\n", encoding="utf-8")
    manifest = tmp_path / "week.manifest"
    manifest.write_bytes(f"{odd.name}\r\n".encode("utf-8"))  # a CRLF line too
    result = run_cli("run", str(manifest), "--model", str(synthetic_package), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "a\u2028b.en.txt").is_file()
