"""bench/bible.py's breakdown of missed gold links by what happened to their verse group."""

from __future__ import annotations

from bench.bible import SentenceLinks, link_losses


def test_link_losses_sorts_missed_links_by_cause() -> None:
    gold = [((0, 1), (0, 1)), ((2, 3), (2,)), ((4,), (3,)), ((5,), (4,)), ((6, 7, 8), (5, 6))]
    data = SentenceLinks(fr=[""] * 9, en=[""] * 7, fr_paragraphs=[0] * 9, en_paragraphs=[0] * 7, gold=gold)
    hyp = [((0,), (0,)), ((1,), (1,)),  # 2-2 group as two 1-1 beads: 2 links lost
           ((2,), (2,)), ((3,), ()),  # 2-1 group with a skip: 1 link lost
           ((4, 5), (3, 4)),  # two 1-1 groups in one bead: nothing lost (a precision error)
           ((6, 7), (5,)), ((8,), (6,))]  # 3-2 group as 2-1 + 1-1: 6 - 3 = 3 links lost
    assert link_losses(data, hyp) == {"skip": 1, "split n-n into 1-1": 2, "split other": 3, "mixed": 0}
    # English sentence 1 goes with the next group: group 0 loses its two links to it.
    mixed = [((0, 1), (0,)), ((2, 3), (1, 2)), ((4,), (3,)), ((5,), (4,)), ((6, 7, 8), (5, 6))]
    assert link_losses(data, mixed) == {"skip": 0, "split n-n into 1-1": 0, "split other": 0, "mixed": 2}
