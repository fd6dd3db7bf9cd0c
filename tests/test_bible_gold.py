"""bench/bible.py's sentence-level gold: what it links, next to the verse-group gold it refines."""

from __future__ import annotations

from bench.align_eval import link_row
from bench.bible import SentenceLinks, _groups, bead_links, link_scores

V1, V2, V3 = (1, 1, 1), (1, 1, 2), (1, 1, 3)


def links_data(fr_verses: list[set], en_verses: list[set]) -> SentenceLinks:
    """Sentences with the given verse sets (texts unused) and their group gold, as bible_set builds it."""
    fv = [frozenset(v) for v in fr_verses]
    ev = [frozenset(v) for v in en_verses]
    return SentenceLinks(fr=[f"f{k}" for k in range(len(fv))], en=[f"e{k}" for k in range(len(ev))],
                         fr_paragraphs=[0] * len(fv), en_paragraphs=[0] * len(ev),
                         fr_verses=fv, en_verses=ev, gold=_groups(fv, ev))


def test_a_verse_cut_alike_on_both_sides_pairs_its_pieces_in_order() -> None:
    data = links_data([{V1}, {V1}, {V2}], [{V1}, {V1}, {V2}])
    assert data.sentence_links() == {(0, 0), (1, 1), (2, 2)}
    assert data.gold_links() == {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2)}  # the group gold keeps the cross pairs


def test_a_verse_cut_differently_links_every_pair_of_it() -> None:
    data = links_data([{V1}, {V1}, {V1}], [{V1}, {V1}])
    assert data.sentence_links() == {(i, j) for i in range(3) for j in range(2)}


def test_sentences_sharing_no_verse_are_not_linked_even_in_one_group() -> None:
    # French: V1 | V2 V3; English: V1 V2 | V3: one group of four, but f0 and e1 share no verse.
    data = links_data([{V1}, {V2, V3}], [{V1, V2}, {V3}])
    assert data.gold == [((0, 1), (0, 1))]
    assert (0, 1) in data.gold_links()
    assert data.sentence_links() == {(0, 0), (1, 0), (1, 1)}


def test_a_sentence_spanning_two_verses_takes_its_place_in_each() -> None:
    # French and English both cut V1 V2 as "V1 + start of V2 | rest of V2".
    data = links_data([{V1, V2}, {V2}], [{V1, V2}, {V2}])
    assert data.sentence_links() == {(0, 0), (1, 1)}


def test_a_group_split_into_its_sentence_pairs_is_full_recall_on_the_sentence_gold_only() -> None:
    data = links_data([{V1}, {V1}, {V2}], [{V1}, {V1}, {V2}])
    hyp = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    assert link_scores(bead_links(hyp), data.sentence_links()) == (1.0, 1.0, 1.0)
    p, r, _ = link_scores(bead_links(hyp), data.gold_links())
    assert p == 1.0 and r == 3 / 5
    row = link_row("dev", "split", hyp, data, 0.0)
    assert (row.precision, row.recall) == (1.0, 3 / 5)
    assert (row.sent_link_p, row.sent_link_r, row.sent_link_f1) == (1.0, 1.0, 1.0)
    # the verse as one 2-2 bead: full recall on both, but two false links on the sentence gold
    merged = link_row("dev", "merged", [((0, 1), (0, 1)), ((2,), (2,))], data, 0.0)
    assert merged.recall == 1.0 and merged.sent_link_r == 1.0 and merged.sent_link_p == 3 / 5
