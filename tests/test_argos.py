"""The CTranslate2 engine on the synthetic copy package: text must come back unchanged."""

from __future__ import annotations

import json
import math
import shutil
import zipfile
from pathlib import Path

import pytest

from bench.synthetic import build_package, read_corpus
from translate.engines.argos import CTranslate2Engine, find_model_files, load_package_metadata, split_tokens
from translate.engines.base import Engine, EngineOptions
from translate.errors import UserError

FRENCH = [fr for fr, _ in read_corpus()]


@pytest.fixture(scope="module")
def engine(synthetic_package: Path) -> CTranslate2Engine:
    engine = CTranslate2Engine(synthetic_package)
    yield engine
    engine.close()


def texts(translations) -> list[str]:
    return [t.text for t in translations]


def test_copy_model_returns_french_sentences_unchanged(engine):
    assert texts(engine.translate(FRENCH)) == FRENCH


def test_text_outside_the_training_corpus_survives(engine):
    odd = ["Ça coûte 12,50 € — « vraiment » ? Oui… naïve Œuvre 東京 x² 🙂", "L’Insee : +0,3 % (T3).", "a"]
    assert texts(engine.translate(odd)) == odd


def test_order_is_kept_although_batches_are_sorted_by_length(engine):
    mixed = ["Oui.", FRENCH[2] + " " + FRENCH[3], "Non merci.", FRENCH[10], "Ah !", FRENCH[0] * 3]
    assert texts(engine.translate(mixed)) == mixed


def test_empty_sentences_map_to_empty_without_a_score(engine):
    progress: list[int] = []
    out = engine.translate(["", "Bonjour.", "   ", ""], progress=progress.append)
    assert texts(out) == ["", "Bonjour.", "", ""]
    assert out[0].score is None and out[2].score is None and out[1].score is not None
    assert sum(progress) == 4
    assert engine.translate([]) == []


def test_progress_counts_every_sentence_once(engine):
    progress: list[int] = []
    engine.translate(FRENCH[:40], progress=progress.append)
    assert sum(progress) == 40


def test_scores_are_finite_mean_log_probabilities(engine):
    scores = [t.score for t in engine.translate(FRENCH[:30])]
    assert all(s is not None and math.isfinite(s) and -1.0 < s < 0.0 for s in scores)


def test_long_input_is_split_into_chunks_and_not_truncated(synthetic_package):
    long = " ".join(FRENCH[:12])
    small = CTranslate2Engine(synthetic_package, EngineOptions(max_input_length=16, max_decoding_length=24))
    try:
        assert len(small._source_sp.encode(long)) > 10 * 16
        out = small.translate([long, "Court."])
    finally:
        small.close()
    assert texts(out) == [long, "Court."]
    assert math.isfinite(out[0].score)


def test_split_tokens_keeps_every_token_and_prefers_word_starts():
    tokens = ["▁Le", "▁gou", "vern", "ement", "▁a", "▁pré", "sent", "é", "▁un", "▁projet"] * 5
    chunks = split_tokens(tokens, 8)
    assert sum(chunks, []) == tokens
    assert all(0 < len(c) <= 8 for c in chunks)
    assert all(c[0].startswith("▁") for c in chunks)
    assert split_tokens(["x"] * 5, 8) == [["x"] * 5]
    assert [len(c) for c in split_tokens(["x"] * 20, 8)] == [8, 8, 4]


def test_small_token_batches_give_the_same_output_as_big_ones(synthetic_package):
    sample = FRENCH[:60]
    outputs = []
    for tokens in (8, 4096):
        eng = CTranslate2Engine(synthetic_package, EngineOptions(max_batch_tokens=tokens))
        outputs.append(eng.translate(sample))
        eng.close()
    assert texts(outputs[0]) == texts(outputs[1]) == sample
    assert [t.score for t in outputs[0]] == pytest.approx([t.score for t in outputs[1]], abs=1e-4)


def test_target_prefix_from_metadata_is_forced_and_removed(tmp_path):
    package = build_package(tmp_path, target_prefix="__en__")
    assert load_package_metadata(package)["target_prefix"] == "__en__"
    eng = CTranslate2Engine(package)
    try:
        assert texts(eng.translate(FRENCH[:20])) == FRENCH[:20]
        # The model was built to expect the prefix: decoding without it shifts every token,
        # so the check above really depends on the engine sending it.
        tokens = eng._source_sp.encode(FRENCH[0], out_type=str)
        raw = eng._translator.translate_batch([tokens])[0].hypotheses[0]
        assert eng._target_sp.decode(raw) != FRENCH[0]
    finally:
        eng.close()


def test_model_is_loaded_with_int8_on_cpu(engine):
    assert engine.device == "cpu"
    assert engine.compute_type.startswith("int8")


def test_unsupported_compute_type_falls_back(synthetic_package):
    eng = CTranslate2Engine(synthetic_package, EngineOptions(compute_type="float16"))
    try:
        assert eng.translate(["Bonjour."])[0].text == "Bonjour."
    finally:
        eng.close()


def test_engine_name_version_and_protocol(engine, synthetic_package):
    assert isinstance(engine, Engine)
    assert engine.name == f"argos:{synthetic_package.name}"
    other = CTranslate2Engine(synthetic_package, EngineOptions(beam_size=1))
    try:
        assert other.version != engine.version
        assert other.version.startswith("1.0+")
    finally:
        other.close()


def test_attention_rows_follow_the_copied_tokens(synthetic_package):
    eng = CTranslate2Engine(synthetic_package, EngineOptions(return_attention=True))
    try:
        out = eng.translate([FRENCH[5]])[0]
    finally:
        eng.close()
    assert out.text == FRENCH[5]
    assert out.tokens and out.attention and len(out.attention) >= len(out.tokens)
    assert [max(range(len(row)), key=row.__getitem__) for row in out.attention[: len(out.tokens)]] == list(
        range(len(out.tokens))
    )


@pytest.mark.parametrize("layout", ["sentencepiece.model", "source.spm"])
def test_plain_ctranslate2_dir_is_accepted(tmp_path, synthetic_package, layout):
    plain = tmp_path / "opus-mt-fr-en"
    shutil.copytree(synthetic_package / "model", plain)
    spm_file = synthetic_package / "sentencepiece.model"
    if layout == "source.spm":
        shutil.copy(spm_file, plain / "source.spm")
        shutil.copy(spm_file, plain / "target.spm")
    else:
        shutil.copy(spm_file, plain / layout)
    eng = CTranslate2Engine(plain)
    try:
        assert eng.name == "ct2:opus-mt-fr-en"
        assert texts(eng.translate(FRENCH[:3])) == FRENCH[:3]
    finally:
        eng.close()


def _broken_copy(tmp_path: Path, package: Path) -> Path:
    copy = tmp_path / package.name
    shutil.copytree(package, copy)
    return copy


@pytest.mark.parametrize(
    ("remove", "expected"),
    [
        ("model/model.bin", "model.bin missing in"),
        ("sentencepiece.model", "sentencepiece.model missing in"),
        ("model/shared_vocabulary.json", "shared_vocabulary.json missing in"),
        ("model", "model folder missing in"),
    ],
)
def test_missing_files_are_user_errors_naming_the_file(tmp_path, synthetic_package, remove, expected):
    package = _broken_copy(tmp_path, synthetic_package)
    target = package / remove
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    with pytest.raises(UserError, match=expected) as info:
        CTranslate2Engine(package)
    assert str(package) in str(info.value)


def test_target_spm_missing_is_named(tmp_path, synthetic_package):
    plain = tmp_path / "ct2"
    shutil.copytree(synthetic_package / "model", plain)
    shutil.copy(synthetic_package / "sentencepiece.model", plain / "source.spm")
    with pytest.raises(UserError, match="target.spm missing in"):
        find_model_files(plain)


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ("metadata.json", "metadata.json unreadable in"),
        ("sentencepiece.model", "sentencepiece.model unreadable in"),
        ("model/model.bin", "model.bin unreadable in"),
    ],
)
def test_unreadable_files_are_user_errors_naming_the_file(tmp_path, synthetic_package, damage, expected):
    package = _broken_copy(tmp_path, synthetic_package)
    (package / damage).write_bytes(b"\x00not what it should be{")
    with pytest.raises(UserError, match=expected):
        CTranslate2Engine(package)


def test_missing_directory_and_zip_file_are_user_errors(tmp_path, synthetic_argosmodel):
    with pytest.raises(UserError, match="model directory not found"):
        CTranslate2Engine(tmp_path / "nowhere")
    with pytest.raises(UserError, match="not a model directory.*install"):
        CTranslate2Engine(synthetic_argosmodel)


def test_argosmodel_zip_has_the_argos_layout(synthetic_argosmodel, synthetic_package):
    with zipfile.ZipFile(synthetic_argosmodel) as zf:
        names = set(zf.namelist())
        meta = json.loads(zf.read(f"{synthetic_package.name}/metadata.json"))
    top = {n.split("/")[0] for n in names}
    assert top == {synthetic_package.name}
    for member in ("metadata.json", "sentencepiece.model", "model/model.bin", "model/config.json"):
        assert f"{synthetic_package.name}/{member}" in names
    assert (meta["from_code"], meta["to_code"]) == ("fr", "en")


def test_package_build_is_reproducible(tmp_path, synthetic_argosmodel):
    again = build_package(tmp_path)
    zip_again = again.parent / f"{again.name}.argosmodel"
    assert zip_again.read_bytes() == synthetic_argosmodel.read_bytes()


def test_random_kind_computes_with_random_weights_and_stops_at_input_length(tmp_path, synthetic_package):
    package = build_package(tmp_path, kind="random", num_layers=2, d_model=64, num_heads=2, ffn=128, seed=3)
    copy_bin = (synthetic_package / "model" / "model.bin").read_bytes()
    assert (package / "model" / "model.bin").read_bytes() != copy_bin
    eng = CTranslate2Engine(package)
    try:
        out = eng.translate(FRENCH[:10])
    finally:
        eng.close()
    lengths = [len(eng._target_sp.encode(t.text)) for t in out]
    assert lengths == [len(eng._source_sp.encode(s)) for s in FRENCH[:10]]


def test_command_line_writes_the_package_and_zip(tmp_path, capsys):
    from bench.synthetic import main

    assert main([str(tmp_path), "--kind", "copy"]) == 0
    assert (tmp_path / "translate-fr_en-synthetic_copy" / "model" / "model.bin").is_file()
    assert (tmp_path / "translate-fr_en-synthetic_copy.argosmodel").is_file()
    assert "built in" in capsys.readouterr().out


def test_thread_plan_shares_cores_between_two_parallel_batches():
    from translate.engines.argos import thread_plan

    assert thread_plan(EngineOptions(), cores=2) == (2, 1)
    assert thread_plan(EngineOptions(), cores=8) == (2, 4)
    assert thread_plan(EngineOptions(), cores=1) == (1, 1)
    assert thread_plan(EngineOptions(inter_threads=1), cores=2) == (1, 2)
    assert thread_plan(EngineOptions(inter_threads=3, intra_threads=5), cores=2) == (3, 5)
