"""Gold alignments from the Debian Administrator's Handbook (Debian package `debian-handbook`).

The package ships the same book in html/fr-FR and html/en-US, one HTML file per section, with
the same block structure. Paragraph gold pairs blocks by position inside files whose structure
really matches; sentence gold is made from those paragraphs by splitting them into sentences,
keeping paragraphs whose sentence counts agree (1-1 gold), then merging, splitting, deleting
and inserting sentences with a fixed seed to create 2-1, 1-2, 1-0 and 0-1 gold beads.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HANDBOOK_HTML = Path("/usr/share/doc/debian-handbook/html")
BLOCKS_XPATH = (
    '//div[@class="para"]|//h1|//h2|//h3|//h4|//p[@class="title"]|//dt|//th|//td'
)
MAX_BAD_BLOCK_SHARE = 0.05
"""A file whose blocks disagree (inline code count, wild length ratio) more often is dropped."""

GoldBead = tuple[tuple[int, ...], tuple[int, ...]]
Splitter = Callable[[str, str], list[str]]
"""(paragraph text, language code) -> sentences."""


def bead_counts(gold: list[GoldBead]) -> dict[str, int]:
    """How many gold beads of each shape ("1-1", "2-1", …): the set's profile in the reports."""
    kinds: dict[str, int] = {}
    for src, tgt in gold:
        key = f"{len(src)}-{len(tgt)}"
        kinds[key] = kinds.get(key, 0) + 1
    return kinds


@dataclass
class Block:
    tag: str
    text: str
    codes: int


@dataclass
class ParagraphSet:
    """Paragraph pairs in book order; gold is 1-1 by construction."""

    fr: list[str]
    en: list[str]
    files: list[str]
    """Source file of each pair."""
    kept_files: int = 0
    dropped_files: list[str] = field(default_factory=list)
    dropped_identical: int = 0
    """Pairs left out because the French block is the untranslated English text."""

    @property
    def gold(self) -> list[GoldBead]:
        return [((i,), (i,)) for i in range(len(self.fr))]


@dataclass
class SentenceSet:
    """Sentence lists of both sides with paragraph indices and the gold beads between them."""

    fr: list[str]
    en: list[str]
    fr_paragraphs: list[int]
    en_paragraphs: list[int]
    gold: list[GoldBead]

    def counts(self) -> dict[str, int]:
        return bead_counts(self.gold)


# --------------------------------------------------------------------------------------------
# Paragraph level
# --------------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_blocks(path: Path) -> list[Block]:
    """Text blocks of one HTML file in document order (blocks holding other blocks are skipped)."""
    import lxml.html

    root = lxml.html.parse(str(path)).getroot()
    blocks = []
    for el in root.xpath(BLOCKS_XPATH):
        if el.xpath('.//div[@class="para"]'):
            continue
        blocks.append(Block(tag=f"{el.tag}.{el.get('class')}", text=_clean(el.text_content()),
                            codes=len(el.xpath(".//code"))))
    return blocks


def _block_disagrees(fr: Block, en: Block) -> bool:
    if fr.codes != en.codes:
        return True
    short, long_ = sorted((len(fr.text), len(en.text)))
    return long_ > 40 and long_ > 3 * max(short, 1)


def paragraph_set(root: Path = HANDBOOK_HTML, limit_files: int | None = None) -> ParagraphSet:
    """Pair blocks of fr-FR and en-US files that share their structure; drop files that don't."""
    fr_dir, en_dir = root / "fr-FR", root / "en-US"
    if not fr_dir.is_dir() or not en_dir.is_dir():
        raise SystemExit(f"debian-handbook not found under {root} (apt-get install debian-handbook)")
    out = ParagraphSet(fr=[], en=[], files=[])
    names = sorted(p.name for p in fr_dir.glob("*.html") if (en_dir / p.name).exists())
    for name in names[:limit_files]:
        fr_blocks, en_blocks = read_blocks(fr_dir / name), read_blocks(en_dir / name)
        same_shape = [b.tag for b in fr_blocks] == [b.tag for b in en_blocks]
        bad = sum(_block_disagrees(f, e) for f, e in zip(fr_blocks, en_blocks)) if same_shape else 0
        if not same_shape or bad > MAX_BAD_BLOCK_SHARE * len(fr_blocks):
            out.dropped_files.append(name)
            continue
        out.kept_files += 1
        for f, e in zip(fr_blocks, en_blocks):
            if not f.text or not e.text or len(f.text.split()) < 2:
                continue
            if f.text == e.text:
                out.dropped_identical += 1
                continue
            out.fr.append(f.text)
            out.en.append(e.text)
            out.files.append(name)
    return out


# --------------------------------------------------------------------------------------------
# Sentence level
# --------------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?…:;])[»”\"')\]]*\s+(?=[«“\"(\[]?[A-ZÀ-ÖØ-Þ0-9])")


def regex_split(text: str, lang: str = "fr") -> list[str]:
    """Stand-in splitter: break after . ! ? … followed by space and a capital or digit."""
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    return [p for p in parts if p]


def default_splitter(name: str = "auto") -> Splitter:
    """translate.segment.split_sentences when it exists (name "auto" or "segment"), else regex."""
    if name in ("auto", "segment"):
        try:
            from translate.segment import split_sentences  # written by another developer

            def split(text: str, lang: str) -> list[str]:
                pieces = split_sentences(text, lang)
                return [p if isinstance(p, str) else p[0] for p in pieces]

            split("Un essai. Deux essais.", "fr")
            return split
        except Exception:
            if name == "segment":
                raise
    return regex_split


def _split_near_middle(sentence: str, rng: random.Random) -> tuple[str, str] | None:
    """Cut a sentence in two at a comma near the middle, else at a word boundary."""
    words = sentence.split()
    if len(words) < 6:
        return None
    commas = [i for i, w in enumerate(words[:-2]) if w.endswith(",") and i >= 2]
    cut = min(commas, key=lambda i: abs(i - len(words) / 2)) + 1 if commas else len(words) // 2
    return " ".join(words[:cut]), " ".join(words[cut:])


@dataclass(frozen=True)
class Perturbation:
    """Probabilities, per 1-1 sentence pair, of each edit made to build many-to-one gold."""

    merge_en: float = 0.06
    merge_fr: float = 0.06
    split_en: float = 0.04
    delete_en: float = 0.04
    delete_fr: float = 0.04
    insert_en: float = 0.04


def sentence_set(
    paragraphs: ParagraphSet, split: Splitter, seed: int = 13, rates: Perturbation = Perturbation()
) -> SentenceSet:
    """Sentence gold from paragraphs whose two sides split into the same number of sentences."""
    rng = random.Random(seed)
    kept: list[tuple[list[str], list[str]]] = []
    for fr, en in zip(paragraphs.fr, paragraphs.en):
        fs, es = split(fr, "fr"), split(en, "en")
        if fs and len(fs) == len(es):
            kept.append((fs, es))
    all_en = [s for _, es in kept for s in es]
    out = SentenceSet(fr=[], en=[], fr_paragraphs=[], en_paragraphs=[], gold=[])

    def emit(fr_sents: list[str], en_sents: list[str], para: int) -> None:
        fi = tuple(range(len(out.fr), len(out.fr) + len(fr_sents)))
        ei = tuple(range(len(out.en), len(out.en) + len(en_sents)))
        out.fr.extend(fr_sents)
        out.en.extend(en_sents)
        out.fr_paragraphs.extend([para] * len(fr_sents))
        out.en_paragraphs.extend([para] * len(en_sents))
        out.gold.append((fi, ei))

    for para, (fs, es) in enumerate(kept):
        k = 0
        while k < len(fs):
            roll = rng.random()
            edge = rates.merge_en
            has_next = k + 1 < len(fs)
            if roll < edge and has_next:
                emit([fs[k], fs[k + 1]], [es[k] + " " + es[k + 1]], para)
                k += 2
                continue
            edge += rates.merge_fr
            if roll < edge and has_next:
                emit([fs[k] + " " + fs[k + 1]], [es[k], es[k + 1]], para)
                k += 2
                continue
            edge += rates.split_en
            halves = _split_near_middle(es[k], rng) if roll < edge else None
            if halves:
                emit([fs[k]], list(halves), para)
                k += 1
                continue
            edge += rates.delete_en
            if roll < edge:
                emit([fs[k]], [], para)
                k += 1
                continue
            edge += rates.delete_fr
            if roll < edge:
                emit([], [es[k]], para)
                k += 1
                continue
            edge += rates.insert_en
            emit([fs[k]], [es[k]], para)
            if roll < edge:
                emit([], [rng.choice(all_en)], para)
            k += 1
    return out
