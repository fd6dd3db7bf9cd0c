"""Term entries and the rows readers make of them: the data every glossary format reads into and writes from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from glossary.errors import GlossaryError

CASE_RULES = ("auto", "sensitive", "insensitive")
"""auto: all-capital forms (acronyms) are case-sensitive, the others case-insensitive."""
ACCENT_RULES = ("strict", "fold")
"""fold: a form also matches the text written with or without accents (Etats-Unis, États-Unis)."""
ARTICLE_RULES = ("keep", "the", "none")
"""English article before the target: `the` (the UN), `none` (NATO), `keep` whatever the engine wrote."""

APOSTROPHES = "’ʼ‘`´"
"""The marks written in place of the straight apostrophe ' (typographic, modifier letter, quote, grave, acute)."""
_STRAIGHT = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def straight_apostrophes(text: str) -> str:
    """`text` with every mark of APOSTROPHES written as ', so that l’ONU, lʼONU and l'ONU compare equal."""
    return text.translate(_STRAIGHT)


def source_key(form: str) -> str:
    """Normalised form used to spot duplicate sources: casefolded, one apostrophe, single spaces."""
    return _SPACES.sub(" ", straight_apostrophes(form)).strip().casefold()


def fold_accents(text: str) -> str:
    """Text without combining accents (é→e, Ç→C); œ and æ are left alone."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class TermEntry:
    """One concept: French forms (variants, plurals, elided forms) and the one English form to use."""

    sources: tuple[str, ...]
    target: str
    note: str = ""
    case: str = "auto"
    accents: str = "strict"
    article: str = "keep"
    id: str = ""
    """Where the entry comes from, `file:line`, shown in hits, repairs and QA."""
    synonyms: tuple[str, ...] = ()
    """Other English forms (TSV `target|synonym`, TBX admitted terms): accepted in the output and exported."""
    plural: str = ""
    """English plural when it is not the regular one (`plural=Taliban`); empty: made by rule."""

    def case_sensitive(self, form: str) -> bool:
        """Whether `form` must match with its exact capitals."""
        if self.case != "auto":
            return self.case == "sensitive"
        letters = [c for c in form if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)

    @property
    def flags(self) -> str:
        """Non-default rules as `key=value;…` (the fourth TSV column)."""
        parts = []
        if self.case != "auto":
            parts.append(f"case={self.case}")
        if self.accents != "strict":
            parts.append(f"accents={self.accents}")
        if self.article != default_article(self.sources, self.target):
            parts.append(f"article={self.article}")
        if self.plural:
            parts.append(f"plural={self.plural}")
        return ";".join(parts)

    @property
    def targets(self) -> tuple[str, ...]:
        """The target first, then its synonyms."""
        return (self.target,) + self.synonyms


def parse_flags(text: str, place: str) -> dict[str, str]:
    """`case=sensitive;article=none;plural=Taliban` → keyword arguments for TermEntry; bad flags raise GlossaryError."""
    allowed = {"case": CASE_RULES, "accents": ACCENT_RULES, "article": ARTICLE_RULES}
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[;,]", text))):
        key, _, value = (s.strip() for s in part.partition("="))
        key = key.lower()
        if key == "plural" and value:
            out[key] = value
            continue
        value = value.lower()
        if key not in allowed or value not in allowed[key]:
            choices = "; ".join(f"{k}={'|'.join(v)}" for k, v in allowed.items())
            raise GlossaryError(f"{place}: unknown flag {part!r} (expected {choices}; plural=English plural)")
        out[key] = value
    return out


def is_acronym(form: str) -> bool:
    """All-capital single word of two or more letters (ONU, CEDEAO, G20): case-sensitive, number-invariable."""
    letters = [c for c in form if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and not any(c.isspace() for c in form)


_VOWELS = set("AEIOUY")


def acronym_article(acronym: str) -> str:
    """`none` for acronyms read as words (NATO, ECOWAS, UNESCO), `the` for ones spelt out (UN, CSTO, OSCE).

    Read as a word: four letters or more, no run of three consonants or three vowels, not starting
    with two consonants, two vowels or a vowel before two consonants, and not ending in two consonants."""
    word = "".join(c for c in acronym.upper() if c.isalpha())
    if len(word) < 4:
        return "the"
    kinds = "".join("v" if c in _VOWELS else "c" for c in word)
    if "ccc" in kinds or "vvv" in kinds or kinds.endswith("cc") or kinds.startswith(("vcc", "vv", "cc")):
        return "the"
    return "none"


def default_article(sources: Iterable[str], target: str) -> str:
    """Article rule of an entry without an `article=` flag: inferred for acronyms, else `keep`."""
    if is_acronym(target) and all(is_acronym(s) for s in sources):
        return acronym_article(target)
    return "keep"


@dataclass
class Problems:
    """Errors found while reading glossary files; `collect=False` raises the first one as a GlossaryError."""

    collect: bool = False
    found: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        """Record one `file:line: what` problem (or raise it when not collecting)."""
        if not self.collect:
            raise GlossaryError(message)
        self.found.append(message)


@dataclass
class Row:
    """One raw entry as a reader found it, before conflict checks."""

    sources: list[str]
    target: str
    note: str
    line: int
    flags: dict[str, str] = field(default_factory=dict)
    synonyms: list[str] = field(default_factory=list)


TARGET_SEPARATOR = "|"
"""In a TSV or CSV target cell, `NGO|non-governmental organisation`: the first is used, the others are synonyms."""


def split_target(cell: str) -> tuple[str, list[str]]:
    """A target cell as (target, synonyms)."""
    parts = [p.strip() for p in cell.split(TARGET_SEPARATOR)]
    return parts[0], [p for p in parts[1:] if p]
