"""Translation QA findings per segment: glossary terms, untranslated French, numbers, quotes, emptiness.

`qa` appends `{"check": name, "message": text}` dicts to `segment.qa`; `format_qa_tsv` turns every
finding of a document into the rows of `article.qa.tsv`.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

from glossary.enforce import term_pattern
from glossary.entry import Glossary
from translate.document import Document, Segment

QA_COLUMNS = ("segment", "check", "message", "source", "target")
_FRENCH_NUMBER = re.compile(r"(?<![\w,.])(\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\w])")
_ENGLISH_NUMBER = re.compile(r"(?<![\w,.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w])")
_PAIRS = (("(", ")"), ("[", "]"), ("«", "»"), ("“", "”"))
_WORD = re.compile(r"[^\W\d_]{3,}")


def _canonical(number: str) -> str:
    try:
        value = Decimal(number)
    except InvalidOperation:
        return number
    return format(value.normalize(), "f")


def french_numbers(text: str) -> Counter[str]:
    """Numbers in French notation (10 000 ; 3,5) as canonical strings (10000, 3.5)."""
    return Counter(_canonical("".join(m.split()).replace(",", ".")) for m in _FRENCH_NUMBER.findall(text))


def english_numbers(text: str) -> Counter[str]:
    """Numbers in English notation (10,000; 3.5) as canonical strings."""
    return Counter(_canonical(m.replace(",", "")) for m in _ENGLISH_NUMBER.findall(text))


def _finding(segment: Segment, check: str, message: str) -> None:
    segment.qa.append({"check": check, "message": message})


def _check_terms(segment: Segment, glossary: Glossary) -> None:
    wanted: Counter[str] = Counter(h["target"] for h in segment.glossary_hits)
    for term, needed in wanted.items():
        present = len(term_pattern(term).findall(segment.target))
        if present < needed:
            sources = sorted({h["source"] for h in segment.glossary_hits if h["target"] == term})
            _finding(segment, "missing-term", f"{' / '.join(sources)} → {term!r} missing from the translation")
    for hit in glossary.matcher.find(segment.target):
        if hit.text.casefold() != hit.entry.target.casefold() and hit.entry.target not in hit.text:
            _finding(segment, "untranslated-term", f"French term {hit.text!r} left in the translation (use {hit.entry.target!r})")


def _check_numbers(segment: Segment) -> None:
    source, target = french_numbers(segment.source), english_numbers(segment.target)
    if source != target:
        lost = ", ".join(sorted((source - target).elements()))
        added = ", ".join(sorted((target - source).elements()))
        _finding(segment, "number-mismatch", f"numbers differ: source only [{lost}], target only [{added}]")


def _unbalanced(text: str) -> list[str]:
    found = [f"{a}{b}" for a, b in _PAIRS if text.count(a) != text.count(b)]
    if text.count('"') % 2:
        found.append('""')
    return found


def _check_pairs(segment: Segment) -> None:
    if _unbalanced(segment.source):
        return  # a quotation spanning sentences: the source is not balanced either
    for pair in _unbalanced(segment.target):
        _finding(segment, "unpaired-quote" if pair[0] in "«“\"" else "unpaired-bracket", f"unpaired {pair} in the translation")


def qa(document: Document, glossary: Glossary) -> None:
    """Add QA findings to each translated segment."""
    for segment in document:
        if not segment.translatable:
            continue
        target = segment.target.strip()
        if not target:
            if _WORD.search(segment.source):
                _finding(segment, "empty-target", "the translation is empty")
            continue
        common_words = [w for w in _WORD.findall(segment.source) if w.islower()]
        if target == segment.source.strip() and len(common_words) >= 2 and segment.origin != "copy":
            _finding(segment, "identical-target", "the translation is identical to the source")
        _check_terms(segment, glossary)
        _check_numbers(segment)
        _check_pairs(segment)


def _cell(text: str) -> str:
    return " ".join(str(text).split())


def qa_rows(document: Document) -> list[tuple[str, ...]]:
    """One row per finding, in document order, with the columns of QA_COLUMNS."""
    return [
        (str(s.id), f["check"], _cell(f["message"]), _cell(s.source), _cell(s.target))
        for s in document
        for f in s.qa
    ]


def format_qa_tsv(document: Document) -> str:
    lines = ["\t".join(QA_COLUMNS)] + ["\t".join(row) for row in qa_rows(document)]
    return "\n".join(lines) + "\n"


def write_qa_tsv(document: Document, path: Path) -> None:
    path.write_text(format_qa_tsv(document), encoding="utf-8")


def qa_counts(document: Document) -> Counter[str]:
    """Number of findings per check, for summaries and benchmarks."""
    return Counter(f["check"] for s in document for f in s.qa)
