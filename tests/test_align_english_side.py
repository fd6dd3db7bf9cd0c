"""`translate align` checks that the English side is English, as `run` checks the French side."""

from __future__ import annotations

from pathlib import Path

from translate.langid import looks_english
from support import run_cli

ROOT = Path(__file__).resolve().parents[1]
FRENCH = (ROOT / "examples" / "sommet-otsc.fr.txt").read_text(encoding="utf-8")



def test_french_given_as_english_is_refused_in_one_line(tmp_path: Path) -> None:
    fr = tmp_path / "a.fr.txt"
    fr.write_text(FRENCH, encoding="utf-8")
    result = run_cli("align", str(fr), str(fr), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "looks like French, not English" in result.stderr
    assert "--force" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_force_aligns_anyway(tmp_path: Path) -> None:
    fr = tmp_path / "a.fr.txt"
    fr.write_text("Le ministre est arrivé à Erevan mardi pour une réunion avec les délégations étrangères "
                  "et les observateurs de la CEI.\n", encoding="utf-8")
    result = run_cli("align", str(fr), str(fr), "-o", str(tmp_path / "out"), "--force", "-q")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "a.fr-en.tsv").exists()


def test_looks_english() -> None:
    english = (ROOT / "examples" / "english" / "sommet-otsc.en.txt").read_text(encoding="utf-8")
    assert looks_english(english)[0]
    assert not looks_english(FRENCH)[0]
    assert looks_english("Too short to judge.")[0]
