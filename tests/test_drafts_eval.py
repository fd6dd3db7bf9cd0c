"""bench/drafts_eval.py and its metrics: BLEU/chrF agree with known values, the evaluation runs end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.mtmetrics import corpus_bleu, corpus_chrf, tokenize_13a
from support import need
from translate.engines.apertium import apertium_status


def test_metrics_bounds_and_a_value_checked_against_sacrebleu() -> None:
    refs = ["The cat sat on the mat.", "NATO leaders met in Vilnius on Tuesday."]
    assert corpus_bleu(refs, refs) == pytest.approx(100) and corpus_chrf(refs, refs) == pytest.approx(100)
    assert corpus_bleu(["xyz qqq"], ["The cat sat."]) == 0
    # sacrebleu 2.6.0 gives BLEU 51.335 and chrF 69.687 on this pair
    hyp, ref = ["The cat is sitting on the mat today."], ["The cat sat on the mat today."]
    assert corpus_bleu(hyp, ref) == pytest.approx(51.335, abs=0.01)
    assert corpus_chrf(hyp, ref) == pytest.approx(69.687, abs=0.01)
    assert tokenize_13a("It costs 3.5% (10,000 euros).") == ["It", "costs", "3.5", "%", "(", "10,000", "euros", ")", "."]


def test_drafts_eval_runs_on_a_small_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    need(*apertium_status())
    from bench.drafts_eval import main

    news = tmp_path / "news"
    news.mkdir()
    (news / "a.fr.txt").write_text("Des ONG et la CEDEAO veulent contrer la gouvernance actuelle à 9 h 30.\n", encoding="utf-8")
    assert main(["--news", str(news), "--handbook", "none", "--out", str(tmp_path / "out")]) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["news"]["sentences"] == 1 and summary["news"]["number_mismatches"] == 0
    assert summary["news"]["foreign_words"] >= 2 and "ONG (plural)" in summary["news"]["expected_terms"]
    rows = (tmp_path / "out" / "news-leftover.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t")[-1] == "mark" and {"contrer", "gouvernance"} <= {r.split("\t")[2] for r in rows[1:]}
    assert "foreign-word findings" in capsys.readouterr().out
