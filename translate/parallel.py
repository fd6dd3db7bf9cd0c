"""Translation memories from texts that already exist in both languages (`translate align`).

Both texts are segmented, aligned into beads (translate/align.py), and each bead becomes one Segment
whose source is its French sentences and whose target is its English sentences, so that the same
writers as `translate run` produce TSV, TMX, JSONL and XLIFF. Beads without a counterpart or with a low
score are kept in the JSONL and the report, and left out of the CAT-tool files.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from translate.align import AlignOptions, Bead, align_documents
from translate.document import Document, Paragraph, RunFacts, Segment
from translate.embed import Embedder
from translate.segment import segment_document

DEFAULT_MIN_SCORE = 0.5
"""Cosine below which a pair is not trusted for a CAT tool: true pairs of USE multilingual
embeddings score about 0.6–0.95, unrelated sentences about 0.0–0.35 (bench/align_eval.py)."""

REPORT_COLUMNS = ("bead", "type", "score", "reason", "french", "english")


@dataclass(frozen=True)
class ParallelOptions:
    align: AlignOptions = field(default_factory=AlignOptions)
    min_score: float = DEFAULT_MIN_SCORE


def bead_type(bead: Bead) -> str:
    return f"{len(bead.src)}-{len(bead.tgt)}"


def _joined(segments: list[Segment], indices: tuple[int, ...]) -> str:
    return " ".join(segments[i].source for i in indices)


def beads_document(fr: Document, en: Document, beads: list[Bead]) -> Document:
    """One Segment per bead, grouped into the French paragraphs (English ones for 0-1 beads)."""
    fr_segments, en_segments = fr.segments, en.segments
    paragraphs: list[Paragraph] = []
    last_key: int | None = None
    for number, bead in enumerate(beads, start=1):
        key = fr_segments[bead.src[0]].paragraph if bead.src else (last_key if last_key is not None else -1)
        segment = Segment(
            id=number,
            paragraph=0,
            source=_joined(fr_segments, bead.src),
            target=_joined(en_segments, bead.tgt),
            score=round(float(bead.score), 4),
            origin="aligned",
            extra={
                "bead": bead_type(bead),
                "fr_sentences": [fr_segments[i].id for i in bead.src],
                "en_sentences": [en_segments[i].id for i in bead.tgt],
            },
        )
        if key != last_key or not paragraphs:
            paragraphs.append(Paragraph(len(paragraphs), [], separator="\n\n"))
            last_key = key
        segment.paragraph = paragraphs[-1].index
        paragraphs[-1].segments.append(segment)
    return Document(paragraphs, name=fr.name, meta=RunFacts(engine="aligned"))


def rejection(segment: Segment, min_score: float) -> str:
    """Why a bead is kept out of the CAT-tool files, or "" when it is a confident pair."""
    if not segment.source:
        return "no French counterpart"
    if not segment.target:
        return "no English counterpart"
    if segment.score is not None and segment.score < min_score:
        return f"score {segment.score:.2f} below {min_score:.2f}"
    return ""


def confident(document: Document, min_score: float) -> Document:
    """The document restricted to confident pairs (what TSV/TMX/XLIFF get)."""
    paragraphs = []
    for paragraph in document.paragraphs:
        kept = [s for s in paragraph.segments if not rejection(s, min_score)]
        if kept:
            paragraphs.append(Paragraph(paragraph.index, kept, separator=paragraph.separator))
    return Document(paragraphs, name=document.name, meta=replace(document.meta, warnings=list(document.meta.warnings)))


def report_tsv(document: Document, min_score: float) -> str:
    """Every bead left out of the CAT-tool files, with the reason: nothing is dropped silently."""
    rows = ["\t".join(REPORT_COLUMNS)]
    for s in document:
        reason = rejection(s, min_score)
        if reason:
            cells = [str(s.id), s.extra["bead"], f"{s.score:.4f}", reason, s.source, s.target]
            rows.append("\t".join(" ".join(c.split()) for c in cells))
    return "\n".join(rows) + "\n"


def align_texts(
    french: str, english: str, options: ParallelOptions = ParallelOptions(),
    embedder: Embedder | None = None, name: str = "",
    translator: Callable[[list[str]], list[str]] | None = None,
) -> Document:
    """Segment and align a French text with its English version; every sentence is in one bead.

    `translator` (French sentences to English drafts, one each) switches MT assistance on.
    """
    fr = segment_document(french, lang="fr", name=name)
    en = segment_document(english, lang="en")
    drafts = translator([s.source for s in fr.segments]) if translator is not None and fr.segments else None
    beads = align_documents(fr, en, options.align, embedder=embedder, drafts=drafts)
    return beads_document(fr, en, beads)
