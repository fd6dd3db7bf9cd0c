"""Candidate extraction, glossary validation and export, and the `translate glossary` sub-commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from glossary.builtin import builtin_glossary
from glossary.errors import GlossaryError
from glossary.extract import check_glossary, extract_candidates, format_candidates
from glossary.load import read_glossary
from glossary.tsv import parse_tsv
from translate.cli_glossary import glossary_app
from translate.errors import UserError

TEXT = (
    "Le président Joe Biden a reçu Sadyr Japarov à New York. Selon l’ONG Human Rights Watch, l’OTAN et la "
    "Maison Blanche se taisent. Joe Biden a ensuite rencontré le chef du SVR. Cependant, la Communauté des "
    "États indépendants se réunira au chapitre XII."
)


def test_candidates_skip_known_terms_and_count() -> None:
    found = {c.term: (c.kind, c.count) for c in extract_candidates([TEXT], builtin_glossary())}
    assert found == {
        "Joe Biden": ("name", 2), "Sadyr Japarov": ("name", 1), "New York": ("name", 1),
        "Human Rights Watch": ("name", 1), "SVR": ("acronym", 1),
    }


def test_candidates_tsv_is_a_fillable_glossary() -> None:
    candidates = extract_candidates([TEXT], builtin_glossary(), min_count=2)
    text = format_candidates(candidates)
    assert text.splitlines()[1].startswith("Joe Biden\t\tname; 2×; Le président Joe Biden")
    with pytest.raises(GlossaryError, match=r"cands\.tsv:2: empty source or target"):
        parse_tsv(text, "cands.tsv")
    filled = text.replace("Joe Biden\t\t", "Joe Biden\tJoe Biden\t")
    assert parse_tsv(filled, "cands.tsv").entries[0].target == "Joe Biden"


def test_check_reports_entries_and_warnings(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("OTAN\tNATO\nété\tsummer\n", encoding="utf-8")
    report = check_glossary(path)
    assert (report.entries, report.forms) == (2, 2)
    assert len(report.warnings) == 1 and "g.tsv:2" in report.warnings[0]


def test_cli_check_export_extract(tmp_path: Path) -> None:
    runner = CliRunner()
    good = tmp_path / "g.tsv"
    good.write_text("OTAN\tNATO\n", encoding="utf-8")
    result = runner.invoke(glossary_app, ["check", str(good)])
    assert result.exit_code == 0 and "OK, 1 entries" in result.output

    bad = tmp_path / "bad.csv"
    bad.write_text("fr,en\nONU,UN\nONU,United Nations\n", encoding="utf-8")
    result = runner.invoke(glossary_app, ["check", str(bad)])
    assert isinstance(result.exception, UserError) and "bad.csv:3" in result.output

    tbx = tmp_path / "news.tbx"
    result = runner.invoke(glossary_app, ["export", str(tbx)])
    assert result.exit_code == 0 and len(read_glossary(tbx)) == len(builtin_glossary())
    omegat = tmp_path / "mine.txt"
    assert runner.invoke(glossary_app, ["export", str(omegat), "--from", str(good), "--format", "tsv"]).exit_code == 0
    assert omegat.read_text(encoding="utf-8") == "OTAN\tNATO\n"

    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "cands.tsv"
    result = runner.invoke(glossary_app, ["extract", str(article), "-g", str(good), "-o", str(out), "--min-count", "2"])
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in out.read_text(encoding="utf-8").splitlines()[1:]] == ["Joe Biden"]
