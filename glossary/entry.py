"""Term entries and glossaries: the data every glossary format reads into and writes from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Iterable

from translate.errors import UserError

if TYPE_CHECKING:
    from glossary.match import Matcher

CASE_RULES = ("auto", "sensitive", "insensitive")
"""auto: all-capital forms (acronyms) are case-sensitive, the others case-insensitive."""
ACCENT_RULES = ("strict", "fold")
"""fold: a form also matches the text written with or without accents (Etats-Unis, États-Unis)."""
ARTICLE_RULES = ("keep", "the", "none")
"""English article before the target: `the` (the UN), `none` (NATO), `keep` whatever the engine wrote."""

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def source_key(form: str) -> str:
    """Normalised form used to spot duplicate sources: casefolded, one apostrophe, single spaces."""
    return _SPACES.sub(" ", form.translate(_APOSTROPHES)).strip().casefold()


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
        if self.article != "keep":
            parts.append(f"article={self.article}")
        return ";".join(parts)


def parse_flags(text: str, place: str) -> dict[str, str]:
    """`case=sensitive;article=none` → keyword arguments for TermEntry; bad flags raise UserError."""
    allowed = {"case": CASE_RULES, "accents": ACCENT_RULES, "article": ARTICLE_RULES}
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[;,]", text))):
        key, _, value = (s.strip().lower() for s in part.partition("="))
        if key not in allowed or value not in allowed[key]:
            choices = "; ".join(f"{k}={'|'.join(v)}" for k, v in allowed.items())
            raise UserError(f"{place}: unknown flag {part!r} (expected {choices})")
        out[key] = value
    return out


@dataclass
class Glossary:
    """Entries from one or more files; matching and enforcement use `matcher`, built once."""

    entries: list[TermEntry] = field(default_factory=list)
    name: str = ""

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    @cached_property
    def matcher(self) -> "Matcher":
        from glossary.match import Matcher

        return Matcher(self.entries)

    @classmethod
    def merge(cls, glossaries: Iterable["Glossary"], name: str = "") -> "Glossary":
        """One glossary from several, first has priority: a source form already claimed is dropped."""
        claimed: set[str] = set()
        merged: list[TermEntry] = []
        for glossary in glossaries:
            for entry in glossary.entries:
                forms = tuple(f for f in entry.sources if source_key(f) not in claimed)
                if not forms:
                    continue
                claimed.update(source_key(f) for f in entry.sources)
                if forms != entry.sources:
                    entry = TermEntry(forms, entry.target, entry.note, entry.case, entry.accents, entry.article, entry.id)
                merged.append(entry)
        return cls(merged, name)


@dataclass
class Row:
    """One raw entry as a reader found it, before conflict checks."""

    sources: list[str]
    target: str
    note: str
    line: int
    flags: dict[str, str] = field(default_factory=dict)


def build_glossary(rows: Iterable[Row], path: str) -> Glossary:
    """Check rows (no empty cells, no source with two targets) and merge rows sharing a target."""
    by_source: dict[str, tuple[str, int]] = {}
    by_target: dict[tuple[str, str], int] = {}
    entries: list[TermEntry] = []
    name = path.rsplit("/", 1)[-1]
    for row in rows:
        place = f"{path}:{row.line}"
        sources = [s.strip() for s in row.sources]
        target = row.target.strip()
        if not target or any(not s for s in sources) or not sources:
            raise UserError(f"{place}: empty source or target cell")
        for form in sources:
            key = source_key(form)
            seen = by_source.get(key)
            if seen and seen[0] != target:
                raise UserError(
                    f"{place}: {form!r} already translated as {seen[0]!r} on line {seen[1]}; one source, one target"
                )
            by_source.setdefault(key, (target, row.line))
        flags = dict(row.flags)
        group = (target, repr(sorted(flags.items())))
        if group in by_target:
            i = by_target[group]
            old = entries[i]
            extra = tuple(s for s in sources if source_key(s) not in {source_key(f) for f in old.sources})
            note = old.note if not row.note or row.note == old.note else f"{old.note}; {row.note}".strip("; ")
            entries[i] = TermEntry(old.sources + extra, old.target, note, old.case, old.accents, old.article, old.id)
            continue
        by_target[group] = len(entries)
        unique = tuple(dict.fromkeys(sources))
        entries.append(TermEntry(unique, target, row.note.strip(), id=f"{name}:{row.line}", **flags))
    return Glossary(entries, name)
