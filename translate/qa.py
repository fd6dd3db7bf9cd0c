"""Translation QA findings per segment: glossary terms, untranslated French, numbers, quotes, emptiness.

Quotes: unpaired marks, quotation marks left empty (the engine moved the quoted words out) or lost.

`qa` appends `QaFinding(check, message)` records to `segment.qa`; `format_qa_tsv` turns every
finding of a document into the rows of `article.qa.tsv`.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable

from glossary.collection import Glossary
from glossary.english import term_pattern
from translate.document import Document, Origin, QaFinding, Segment

QA_COLUMNS = ("segment", "check", "message", "source", "target")
_SPACE = "[ \u00a0\u202f\u2009]"
_TIME = re.compile(
    rf"(?<![\w,.:])(\d{{1,2}}){_SPACE}?(?:h|heures?)\.?(?:{_SPACE}?(\d{{2}}))?(?![\w])"  # 9 h 30, 21h, 9 heures
    r"|(?<![\w,.:])(\d{1,2})(?:[:.](\d{2}))?\s?([ap])\.?m\b\.?"  # 9.30 am, 9 p.m.
    r"|(?<![\w,.:])(\d{1,2}):(\d{2})(?![\d:])",  # 9:30
    re.IGNORECASE,
)
_VERSION = re.compile(r"(?<![\w,.])\d+(?:\.\d+){2,}[a-z]?(?![\w])|(?<![\w,.])\d+(?:\.\d+)+[a-z](?![\w])")
"""Version and section numbers with two dots or more, or a letter suffix: 1.1.1k, 10.8.2, 2.6a — one token."""
_FRENCH_NUMBER = re.compile(
    rf"(?<![\w,.])(\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?(?:\.\d+)?)(?![\w])")
"""10 000 ; 3,5 ; and 6.4 (a section number: French decimals take a comma)."""
_ENGLISH_NUMBER = re.compile(r"(?<![\w,.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w])")
_PAIRS = (("(", ")"), ("[", "]"), ("«", "»"), ("“", "”"))
_WORD = re.compile(r"[^\W\d_]{3,}")


def _canonical(number: str) -> str:
    try:
        value = Decimal(number)
    except InvalidOperation:
        return number
    return format(value.normalize(), "f")


def _time(match: re.Match[str]) -> str:
    """A clock time as H:MM on the 24-hour clock, whichever way it was written."""
    groups = match.groups()
    if groups[0] is not None:
        hour, minute = int(groups[0]), groups[1] or "00"
    elif groups[2] is not None:
        hour, minute = int(groups[2]) % 12 + (12 if groups[4].lower() == "p" else 0), groups[3] or "00"
    else:
        hour, minute = int(groups[5]), groups[6]
    return f"{hour}:{minute}"


def _tokens(text: str, number: re.Pattern[str], canonical: Callable[[str], str]) -> Counter[str]:
    """Times, then version numbers, then plain numbers; each piece of text counts once."""
    found: Counter[str] = Counter()
    for pattern, convert in ((_TIME, _time), (_VERSION, lambda m: m.group(0))):
        for match in pattern.finditer(text):
            found[convert(match)] += 1
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    found.update(canonical(m) for m in number.findall(text))
    return found


def french_numbers(text: str) -> Counter[str]:
    """Numbers in French notation (10 000 ; 3,5 ; 9 h 30 ; 6.4 ; 1.1.1k) as canonical strings (10000, 3.5, 9:30…)."""
    return _tokens(text, _FRENCH_NUMBER, lambda m: _canonical("".join(m.split()).replace(",", ".")))


def english_numbers(text: str) -> Counter[str]:
    """Numbers in English notation (10,000; 3.5; 9:30 am; 6.4; 1.1.1k) as canonical strings."""
    return _tokens(text, _ENGLISH_NUMBER, lambda m: _canonical(m.replace(",", "")))


def _finding(segment: Segment, check: str, message: str) -> None:
    segment.qa.append(QaFinding(check, message))


def _check_terms(segment: Segment, glossary: Glossary) -> None:
    wanted: Counter[str] = Counter(h.target for h in segment.glossary_hits)
    for term, needed in wanted.items():
        present = len(term_pattern(term).findall(segment.target))
        if present < needed:
            sources = sorted({h.source for h in segment.glossary_hits if h.target == term})
            _finding(segment, "missing-term", f"{' / '.join(sources)} → {term!r} missing from the translation")
    for hit in glossary.matcher.find(segment.target):
        if hit.text.casefold() != hit.entry.target.casefold() and hit.entry.target not in hit.text:
            _finding(segment, "untranslated-term", f"French term {hit.text!r} left in the translation (use {hit.entry.target!r})")


def _alternatives(token: str) -> set[str]:
    """Other readings of a token: a time H:00 may be a duration (9 heures → 9 hours), H:MM a British 9.30."""
    hour, colon, minute = token.partition(":")
    if not colon:
        return set()
    return {hour, _canonical(f"{hour}.{minute}")} if minute == "00" else {_canonical(f"{hour}.{minute}")}


def _reconcile(source: Counter[str], target: Counter[str]) -> tuple[Counter[str], Counter[str]]:
    """The numbers left on each side once tokens that are another reading of each other are paired off."""
    lost, added = source - target, target - source
    for one, other in ((lost, added), (added, lost)):
        for token in list(one.elements()):
            match = next((t for t in _alternatives(token) if other[t] > 0), None)
            if match is not None and one[token] > 0:
                one[token] -= 1
                other[match] -= 1
    return +lost, +added


def _check_numbers(segment: Segment) -> None:
    source, target = _reconcile(french_numbers(segment.source), english_numbers(segment.target))
    if source or target:
        lost = ", ".join(sorted(source.elements()))
        added = ", ".join(sorted(target.elements()))
        _finding(segment, "number-mismatch", f"numbers differ: source only [{lost}], target only [{added}]")


def _unbalanced(text: str) -> list[str]:
    found = [f"{a}{b}" for a, b in _PAIRS if text.count(a) != text.count(b)]
    if text.count('"') % 2:
        found.append('""')
    return found


_QUOTATION = re.compile(r'«([^«»]*)»|“([^“”]*)”|‹([^‹›]*)›|(?<![\w"])"([^"]*)"')
"""A quotation of one piece, whatever its marks; the group that matched holds its body."""


def _quotations(text: str) -> tuple[int, int]:
    """How many quotations the text holds with words inside, and how many with none."""
    bodies = ["".join(g for g in m.groups() if g) for m in _QUOTATION.finditer(text)]
    full = sum(1 for b in bodies if any(c.isalnum() for c in b))
    return full, len(bodies) - full


def _check_pairs(segment: Segment) -> None:
    if _unbalanced(segment.source):
        return  # a quotation spanning sentences: the source is not balanced either
    for pair in _unbalanced(segment.target):
        _finding(segment, "unpaired-quote" if pair[0] in "«“\"" else "unpaired-bracket", f"unpaired {pair} in the translation")
    if _unbalanced(segment.target):
        return
    french_full, french_empty = _quotations(segment.source)
    english_full, english_empty = _quotations(segment.target)
    if english_empty > french_empty:
        _finding(segment, "empty-quote", "quotation marks left empty in the translation: the quoted words moved out")
    elif english_full < french_full:
        _finding(segment, "lost-quote", f"{french_full - english_full} of the French quotation(s) lost their "
                 "quotation marks in the translation")


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
        if target == segment.source.strip() and len(common_words) >= 2 and segment.origin != Origin.COPY:
            _finding(segment, "identical-target", "the translation is identical to the source")
        _check_terms(segment, glossary)
        _check_numbers(segment)
        _check_pairs(segment)


def _cell(text: str) -> str:
    return " ".join(str(text).split())


def qa_rows(document: Document) -> list[tuple[str, ...]]:
    """One row per finding, in document order, with the columns of QA_COLUMNS."""
    return [
        (str(s.id), f.check, _cell(f.message), _cell(s.source), _cell(s.target))
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
    return Counter(f.check for s in document for f in s.qa)
