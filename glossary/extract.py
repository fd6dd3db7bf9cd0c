"""Glossary work for users: candidate terms to fill in, file validation, export to other formats."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from glossary.collection import Glossary
from glossary.entry import Problems
from glossary.english import english_plural
from glossary.load import read_glossary, write_glossary

_ACRONYM = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ0-9]{1,7}(?![\w])")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_WORD = re.compile(r"\w+")
_CONNECTORS = frozenset("de du des la le les l d".split())
_LEADING = frozenset(
    """le la les l un une des du de d ce cet cette ces selon en au aux pour par dans sur et mais ou si
    alors que qu lors depuis avec sans chez entre après avant il elle ils elles on nous vous à plusieurs
    quelques certains certaines tous toutes chaque""".split()
)
_TITLES = frozenset("m mm mme mmes mlle mlles me mes dr pr mgr".split())
"""Courtesy titles (Mme Dupont): never part of a name candidate."""
_ADJECTIVE = re.compile(
    r"^[a-zà-ÿœ]+(?:ique|iques|ale|ales|al|aux|elle|elles|el|els|ienne|iennes|ien|iens|aire|aires|ive|ives|"
    r"if|ifs|ère|ères|ier|iers|ière|ières|aine|aines|ain|ains|aise|aises|ais|oise|oises|ois|ale|ane|anes|an|ans|"
    r"ée|ées|é|és|ile|iles|ble|bles)$"
)
"""Lower-case adjectives inside institutional names (Communauté économique des États…, Banque centrale de…)."""
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_LINE = re.compile(r":(\d+): ")


@dataclass
class Candidate:
    """A term the glossary lacks, how often it occurs and where it first occurs."""

    term: str
    kind: str
    """`acronym` or `name`."""
    count: int = 0
    context: str = ""


def _joined(sentence: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Two words belong to one name only if just spaces, an apostrophe or a hyphen separate them."""
    return sentence[left.end() : right.start()].strip() in ("", "'", "’", "-")


def _continues(words: list[re.Match[str]], j: int) -> bool:
    """Whether word j+1 extends a name: a capitalised word, a connector, or an adjective after a capital
    or another adjective (Communauté économique des États…)."""
    word = words[j + 1].group()
    if word[0].isupper() or word in _CONNECTORS:
        return True
    previous = words[j].group()
    return bool(_ADJECTIVE.match(word)) and (previous[0].isupper() or bool(_ADJECTIVE.match(previous)))


def _after_elided_de(sentence: str, word: re.Match[str]) -> bool:
    """`chef d’État`, `coup d’État`: a capitalised word right after d’ continues a common noun."""
    return sentence[: word.start()].endswith(("d’", "d'"))


def _portfolio(words: list[re.Match[str]], i: int) -> bool:
    """`ministre des Finances`, `ministère de l’Intérieur`: a capitalised portfolio, not a name."""
    j = i - 1
    while j >= 0 and words[j].group().lower() in _CONNECTORS:
        j -= 1
    return j < i - 1 and j >= 0 and words[j].group().lower().startswith(("ministre", "ministère", "secrétaire"))


def _names(sentence: str) -> list[tuple[int, int]]:
    """Spans of capitalised words joined by de/du/des/la/l' and adjectives (Joe Biden, Banque de France,
    Communauté économique des États de l’Afrique de l’Ouest); leading titles (Mme) are left out."""
    words = list(_WORD.finditer(sentence))
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        if not words[i].group()[0].isupper() or _after_elided_de(sentence, words[i]) or _portfolio(words, i):
            i += 1
            continue
        j, last_cap = i, i
        while j + 1 < len(words) and _joined(sentence, words[j], words[j + 1]) and _continues(words, j):
            j += 1
            if words[j].group()[0].isupper():
                last_cap = j
        run = words[i : last_cap + 1]
        while run and (
            run[0].group().lower() in _LEADING
            or run[0].group().lower() in _TITLES
            or (run[0].group().isupper() and len(run[0].group()) > 1)
        ):
            run = run[1:]
        capitals = [w for w in run if w.group()[0].isupper()]
        if len(capitals) >= 2 and not all(w.group().isupper() for w in capitals):
            found.append((run[0].start(), run[-1].end()))
        i = last_cap + 1
    return found


def extract_candidates(texts: Iterable[str], glossary: Glossary, min_count: int = 1) -> list[Candidate]:
    """Acronyms and capitalised multi-word names not in (nor inside a term of) `glossary`, most frequent first."""
    found: dict[str, Candidate] = {}
    for text in texts:
        for sentence in _SENTENCE.findall(text):
            known = [(h.start, h.end) for h in glossary.matcher.find(sentence)]
            spans = [(m.start(), m.end(), "acronym") for m in _ACRONYM.finditer(sentence) if not _ROMAN.match(m.group())]
            spans += [(a, b, "name") for a, b in _names(sentence)]
            for start, end, kind in spans:
                if any(start < b and a < end for a, b in known):
                    continue
                term = sentence[start:end]
                candidate = found.get(term)
                if candidate is None:
                    candidate = found[term] = Candidate(term, kind, context=" ".join(sentence.split())[:200])
                candidate.count += 1
    kept = [c for c in found.values() if c.count >= min_count]
    return sorted(kept, key=lambda c: (-c.count, c.term))


def format_candidates(candidates: list[Candidate]) -> str:
    """OmegaT-layout TSV (source, empty target, comment) for the user to fill in and pass with --glossary."""
    lines = ["# Fill in the second column (English), delete rows you do not want, then use as a glossary."]
    for c in candidates:
        comment = f"{c.kind}; {c.count}×; {c.context}".replace("\t", " ")
        lines.append(f"{c.term}\t\t{comment}")
    return "\n".join(lines) + "\n"


@dataclass
class CheckReport:
    """What `translate glossary check` prints: every error (file:line), warnings, and counts."""

    entries: int
    forms: int
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _entry_warnings(glossary: Glossary) -> list[str]:
    """What is legal but suspicious: forms that never match or match ordinary words, plurals as synonyms."""
    warnings: list[str] = []
    for entry in glossary:
        for form in entry.sources:
            if not _WORD.search(form):
                warnings.append(f"{entry.id}: source {form!r} has no letters or digits; it can never match")
            elif len(form) <= 3 and not entry.case_sensitive(form) and form.islower():
                warnings.append(f"{entry.id}: short lower-case source {form!r} will also match ordinary words")
        for synonym in entry.synonyms:
            if synonym == english_plural(entry.target):
                warnings.append(
                    f"{entry.id}: {synonym!r} is the plural of {entry.target!r}; plurals are made by rule, "
                    f"so write only {entry.target!r} (or plural=… in the flags column when irregular)"
                )
    return warnings


def check_glossary(path: Path, fmt: str | None = None) -> CheckReport:
    """Load a glossary, collecting every bad row (file:line) instead of stopping at the first."""
    problems = Problems(collect=True)
    glossary = read_glossary(path, fmt, problems)
    forms = sum(len(e.sources) for e in glossary)
    errors = sorted(problems.found, key=lambda m: int(_LINE.search(m).group(1)) if _LINE.search(m) else 0)
    return CheckReport(len(glossary), forms, _entry_warnings(glossary), errors)


def export_glossary(glossary: Glossary, path: Path, fmt: str | None = None, tbx_version: int = 2) -> None:
    """Write `glossary` as OmegaT TSV, CSV or TBX (TBX-Basic v2, or v3 when asked; format from `fmt` or extension)."""
    write_glossary(glossary, path, fmt, tbx_version)
