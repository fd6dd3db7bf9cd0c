"""One definition each: the apostrophe marks (glossary and memory agree) and the SentencePiece layout search
(`translate models` calls a model ok exactly when the engine can load it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from glossary.entry import APOSTROPHES, source_key, straight_apostrophes
from translate.engines.argos import find_model_files, find_spm
from translate.memory import normalise
from translate.models import load_model


@pytest.mark.parametrize("mark", list(APOSTROPHES))
def test_memory_and_glossary_straighten_the_same_apostrophes(mark: str) -> None:
    typed = f"L{mark}OTAN et l{mark}ONU se réunissent."
    assert straight_apostrophes(typed) == "L'OTAN et l'ONU se réunissent."
    assert normalise(typed) == normalise("L'OTAN et l'ONU se réunissent.")  # ` and ´ were not straightened
    assert source_key(f"l{mark}ONU") == source_key("l'ONU")


def test_other_marks_stay() -> None:
    assert straight_apostrophes("« “x” »") == "« “x” »"


def _plain_model(tmp_path: Path, package: Path) -> Path:
    plain = tmp_path / "opus-mt-fr-en"
    shutil.copytree(package / "model", plain)
    return plain


def test_a_half_layout_does_not_hide_a_complete_one(tmp_path: Path, synthetic_package: Path) -> None:
    plain = _plain_model(tmp_path, synthetic_package)
    shutil.copy(synthetic_package / "sentencepiece.model", plain / "source.spm")  # no target.spm beside it
    shutil.copy(synthetic_package / "sentencepiece.model", plain / "spm.model")
    assert find_spm(plain) == (plain / "spm.model", plain / "spm.model")
    files = find_model_files(plain)  # the engine used to stop at the half layout: "target.spm missing"
    assert files.source_spm == files.target_spm == plain / "spm.model"
    assert load_model(plain, tmp_path).source_spm == plain / "spm.model"


def test_no_layout_is_none_for_models_and_an_error_for_the_engine(tmp_path: Path, synthetic_package: Path) -> None:
    from translate.errors import UserError

    plain = _plain_model(tmp_path, synthetic_package)
    assert find_spm(plain) is None
    assert load_model(plain, tmp_path).source_spm is None
    with pytest.raises(UserError, match="sentencepiece.model missing in"):
        find_model_files(plain)
