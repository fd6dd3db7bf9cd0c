"""End to end through the real command: outputs exist, agree with each other and keep the layout.

The synthetic copy model returns its input, so every sentence's English must be its French (after the
glossary and English typography); that makes order and content checkable without a real model.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from translate.engines.apertium import apertium_status

from support import need, run_cli

ARTICLE = """\
 date 2024-03 Le sommet de l’OTSC s’ouvre à Erevan

Les ministres de l’Organisation du traité de sécurité collective (OTSC) se réunissent mardi. M. Petrossian, porte-parole, a parlé de l’OTAN.
Le budget a augmenté de 3,5 % pour atteindre 10 000 roubles… Personne ne s’y attendait.

« Nous ne partirons pas », a-t-il dit. La CEI et l’ONU observent.

Lire aussi : L’UE et l’Asie centrale
"""


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    path = tmp_path / "sommet.fr.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def read_outputs(directory: Path, stem: str = "sommet"):
    english = (directory / f"{stem}.en.txt").read_text(encoding="utf-8")
    tsv = (directory / f"{stem}.fr-en.tsv").read_text(encoding="utf-8").splitlines()
    tmx = ET.parse(directory / f"{stem}.fr-en.tmx").getroot()
    jsonl = [json.loads(line) for line in (directory / f"{stem}.fr-en.jsonl").read_text(encoding="utf-8").splitlines()]
    return english, tsv, tmx, jsonl


def check_consistent(english: str, tsv: list[str], tmx, jsonl: list[dict], source: str) -> None:
    units = tmx.findall("body/tu")
    assert tsv[0] == "fr\ten"
    assert len(tsv) - 1 == len(units) == len(jsonl) > 0
    assert [r["id"] for r in jsonl] == list(range(1, len(jsonl) + 1))
    for row, unit, record in zip(tsv[1:], units, jsonl):
        src, tgt = row.split("\t")
        segs = [t.find("seg").text or "" for t in unit.findall("tuv")]
        assert segs == [record["source"], record["target"]]
        assert src == " ".join(record["source"].split()) and tgt == " ".join(record["target"].split())
        assert record["target"].strip()
    blocks = lambda text: [b for b in text.split("\n\n") if b.strip()]  # noqa: E731
    assert len(blocks(english)) == len(blocks(source))
    assert [len(b.splitlines()) for b in blocks(english)] == [len(b.splitlines()) for b in blocks(source)]


def test_run_with_synthetic_model_writes_consistent_outputs(tmp_path, article, synthetic_package):
    out = tmp_path / "out"
    result = run_cli("run", str(article), "--model", str(synthetic_package), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "sentences/s" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "sommet.en.txt", "sommet.fr-en.jsonl", "sommet.fr-en.tmx", "sommet.fr-en.tsv", "sommet.qa.tsv"]
    english, tsv, tmx, jsonl = read_outputs(out)
    check_consistent(english, tsv, tmx, jsonl, ARTICLE)
    by_source = {r["source"]: r for r in jsonl}
    assert by_source["date 2024-03"]["origin"] == "copy"
    assert english.startswith(" date 2024-03 ")
    # the copy model returns its input: content and order survive, terms and numbers are localised
    assert "the Collective Security Treaty Organization (CSTO)" in english
    assert "3.5%" in english and "10,000" in english and "“Nous ne partirons pas”" in english
    assert "Lire aussi:" in english
    plain = [r for r in jsonl if not r["glossary_hits"] and r["translatable"] and not any(c.isdigit() or c in "«»:;?!" for c in r["source"])]
    assert plain and all(r["target"] == r["source"] for r in plain)
    hits = [h for r in jsonl for h in r["glossary_hits"]]
    assert {h["target"] for h in hits} >= {"CSTO", "NATO", "CIS", "UN", "EU", "Central Asia"}
    assert all(isinstance(r["score"], float) for r in jsonl if r["origin"].startswith("argos"))


def test_formats_locales_and_no_header(tmp_path, article, synthetic_package):
    out = tmp_path / "o"
    result = run_cli("run", str(article), "--model", str(synthetic_package), "-o", str(out), "--formats", "tsv,tmx",
                     "--no-header", "--source-locale", "fr-FR", "--target-locale", "en-US", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert sorted(p.name for p in out.iterdir()) == ["sommet.fr-en.tmx", "sommet.fr-en.tsv"]
    first = (out / "sommet.fr-en.tsv").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("date 2024-03\t")
    tmx = ET.parse(out / "sommet.fr-en.tmx").getroot()
    assert tmx.find("header").get("srclang") == "fr-FR"


def test_existing_outputs_refused_then_overwritten(tmp_path, article, synthetic_package):
    args = ["run", str(article), "--model", str(synthetic_package), "--quiet"]
    assert run_cli(*args).returncode == 0
    again = run_cli(*args)
    assert again.returncode == 2 and "already exists" in again.stderr and "--overwrite" in again.stderr
    assert run_cli(*args, "--overwrite").returncode == 0


def test_no_engine_says_how_to_get_one(tmp_path, article):
    result = run_cli("run", str(article), "--engine", "argos", "--packages-dir", str(tmp_path / "empty"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "translate models install fr en" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("sommet.en.txt"))


@pytest.mark.parametrize(
    "content, message",
    [(b"", "is empty")],  # whitespace-only and binary: tests/test_textio.py (detection), test_reliability.py (command)
)
def test_bad_inputs_give_one_line_and_exit_2(tmp_path, synthetic_package, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = run_cli("run", str(bad), "--model", str(synthetic_package), "-o", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_missing_file_and_unknown_format(tmp_path, synthetic_package):
    missing = run_cli("run", str(tmp_path / "nope.txt"), "--model", str(synthetic_package))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    fmt = run_cli("run", str(tmp_path / "nope.txt"), "--model", str(synthetic_package), "--formats", "docx")
    assert fmt.returncode == 2 and "unknown format docx" in fmt.stderr


def test_directory_input_continues_past_bad_files(tmp_path, synthetic_package):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.fr.txt").write_text("Bonjour. Au revoir.\n", encoding="utf-8")
    (folder / "0-empty.txt").write_bytes(b"")
    (folder / "b.txt").write_bytes(b"\x00\x01binary")
    (folder / "c.txt").write_text("Le sommet de l’OTAN.\n", encoding="utf-8")
    result = run_cli("run", str(folder), "--model", str(synthetic_package), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "0-empty.txt is empty" in result.stderr and "b.txt looks like a binary" in result.stderr
    assert "2 of 4 files translated" in result.stderr
    assert (tmp_path / "out" / "a.en.txt").exists() and (tmp_path / "out" / "c.en.txt").exists()
    assert not (tmp_path / "out" / "b.en.txt").exists()


def test_library_api_without_cli(synthetic_package):
    import translate

    doc = translate.translate_text("Le sommet de l’OTAN. Il pleut.\n\nFin", model=synthetic_package, engine="argos")
    assert [s.source for s in doc] == ["Le sommet de l’OTAN.", "Il pleut.", "Fin"]
    assert doc.segments[0].target == "Le sommet de NATO."
    assert doc.target_text == "Le sommet de NATO. Il pleut.\n\nFin"


def test_run_with_apertium_end_to_end(tmp_path, article):
    need(*apertium_status())
    out = tmp_path / "ap"
    result = run_cli("run", str(article), "--engine", "apertium", "-o", str(out))
    assert result.returncode == 0, result.stderr
    english, tsv, tmx, jsonl = read_outputs(out)
    check_consistent(english, tsv, tmx, jsonl, ARTICLE)
    words = {w.strip(".,;:!?“”()") for w in english.lower().split()}
    assert {"the", "of", "ministers", "tuesday"} <= words
    assert "CSTO" in english and "NATO" in english and "OTSC" not in english
    assert all(r["origin"] in ("apertium", "copy") for r in jsonl)


def test_non_french_input_refused_unless_forced(tmp_path, synthetic_package):
    english = tmp_path / "news.txt"
    english.write_text("The summit of the alliance opened on Tuesday and the ministers of the six member states "
                       "discussed the future of the organisation with their partners.\n", encoding="utf-8")
    refused = run_cli("run", str(english), "--model", str(synthetic_package), "-o", str(tmp_path / "out"))
    assert refused.returncode == 2 and "looks like English, not French" in refused.stderr and "--force" in refused.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    forced = run_cli("run", str(english), "--model", str(synthetic_package), "-o", str(tmp_path / "out"), "--force", "-q")
    assert forced.returncode == 0, forced.stderr
