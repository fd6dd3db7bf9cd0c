"""The absorb pass weighs the length fit next to the cosine: a short split-off sentence barely moves
the embedding of its neighbour's bead, but it completes the bead's length (translate/align.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from translate.align import AlignOptions, _CostModel, _make_side, align, merge_gain

DIM = 4


def _model(src_lengths: list[int], tgt_lengths: list[int], options: AlignOptions) -> _CostModel:
    """Runs whose cosines are fixed by hand: every French run points along e0, English runs too,
    except that the 2-sentence French run starting at 0 is slightly off (cosine 0.98)."""
    def runs(n: int, off: bool) -> list[np.ndarray]:
        out = []
        for k in range(1, 3):
            vecs = np.zeros((n, DIM), dtype=np.float32)
            vecs[:, 0] = 1.0
            if off and k == 2:
                vecs[0] = [0.98, np.sqrt(1 - 0.98**2), 0.0, 0.0]
            out.append(vecs)
        return out

    return _CostModel(src=_make_side(runs(len(src_lengths), True), src_lengths, None),
                      tgt=_make_side(runs(len(tgt_lengths), False), tgt_lengths, None),
                      options=options, ratio=1.0)


def test_merge_gain_adds_the_length_fit_to_the_cosine_gain() -> None:
    options = AlignOptions(absorb_length_weight=0.05)
    before, after = (0, 0, 1, 1), (0, 0, 2, 1)  # French sentence 1 joins the 1-1 bead (0, 0)
    # The English sentence is as long as both French ones: joining completes the length.
    completes = merge_gain(_model([60, 15], [75], options), before, after)
    # The English sentence is as long as the first French one: joining spoils the length.
    spoils = merge_gain(_model([60, 15], [60], options), before, after)
    cosine_only = merge_gain(_model([60, 15], [75], replace(options, absorb_length_weight=0.0)), before, after)
    assert cosine_only == pytest.approx(-0.02, abs=1e-4)  # 0.98 - 1.0
    assert completes > 0.0 > cosine_only > spoils
    # The length term is capped: a wildly better length fit cannot outweigh a real cosine drop.
    huge = merge_gain(_model([60, 3000], [3060], replace(options, absorb_length_weight=1.0)), before, after)
    assert huge == pytest.approx(-0.02 + 5.0, abs=1e-3)


class _TableEmbedder:
    """Vectors chosen per text (joined runs included), so the test sets each bead's cosine by hand."""

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table

    def __call__(self, texts):
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self.table.get(text, [0.0, 0.0, 0.0, 1.0])
        return out


def test_split_off_sentence_joins_when_it_completes_the_length() -> None:
    fr = ["Le roi parla longuement au peuple rassemblé devant le palais ce matin-là.", "Ils obéirent.",
          "Puis chacun rentra chez soi."]
    en = ["The king spoke at length to the people gathered before the palace that morning, and they obeyed.",
          "Then everyone went home."]
    a, b, c = [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]
    table = {fr[0]: a, en[0]: a, fr[2]: b, en[1]: b, fr[1]: c,
             # The joined French run is a hair less like the English sentence than the first alone.
             f"{fr[0]} {fr[1]}": [0.997, 0.0, float(np.sqrt(1 - 0.997**2)), 0.0]}
    strict = AlignOptions(many_penalty=3.0, skip_cost=0.3)  # the DP leaves "Ils obéirent." out
    cosine_only = align(fr, en, options=replace(strict, absorb_length_weight=0.0), embedder=_TableEmbedder(table))
    assert [(x.src, x.tgt) for x in cosine_only] == [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    with_length = align(fr, en, options=strict, embedder=_TableEmbedder(table))
    assert [(x.src, x.tgt) for x in with_length] == [((0, 1), (0,)), ((2,), (1,))]
