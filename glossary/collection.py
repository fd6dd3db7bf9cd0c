"""A glossary: the entries of one or more files, merged by priority, with its term matcher built once."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Iterable

from glossary.entry import Problems, Row, TermEntry, default_article, source_key
from glossary.match import Matcher


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
    def matcher(self) -> Matcher:
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
                    entry = replace(entry, sources=forms)
                merged.append(entry)
        return cls(merged, name)


def build_glossary(rows: Iterable[Row], path: str, problems: Problems | None = None) -> Glossary:
    """Check rows (no empty cells, no source with two targets) and merge rows sharing a target.

    Bad rows go to `problems` (raised at once by default) and are left out. An acronym target without
    an `article=` flag gets the article rule built-in acronyms have (see `acronym_article`)."""
    problems = problems or Problems()
    by_source: dict[str, tuple[str, int]] = {}
    by_target: dict[tuple[str, str], int] = {}
    entries: list[TermEntry] = []
    name = path.rsplit("/", 1)[-1]
    for row in rows:
        place = f"{path}:{row.line}"
        sources = [s.strip() for s in row.sources]
        target = row.target.strip()
        if not target or any(not s for s in sources) or not sources:
            problems.add(f"{place}: empty source or target cell")
            continue
        clash = None
        for form in sources:
            seen = by_source.get(source_key(form))
            if seen and seen[0] != target:
                clash = f"{place}: {form!r} already translated as {seen[0]!r} on line {seen[1]}; one source, one target"
                break
        if clash:
            problems.add(clash)
            continue
        for form in sources:
            by_source.setdefault(source_key(form), (target, row.line))
        flags = dict(row.flags)
        flags.setdefault("article", default_article(sources, target))
        synonyms = tuple(dict.fromkeys(s.strip() for s in row.synonyms if s.strip() and s.strip() != target))
        group = (target, repr(sorted(flags.items())))
        if group in by_target:
            i = by_target[group]
            old = entries[i]
            extra = tuple(s for s in sources if source_key(s) not in {source_key(f) for f in old.sources})
            note = old.note if not row.note or row.note == old.note else f"{old.note}; {row.note}".strip("; ")
            more = tuple(s for s in synonyms if s not in old.synonyms)
            entries[i] = replace(old, sources=old.sources + extra, note=note, synonyms=old.synonyms + more)
            continue
        by_target[group] = len(entries)
        unique = tuple(dict.fromkeys(sources))
        entries.append(TermEntry(unique, target, row.note.strip(), id=f"{name}:{row.line}", synonyms=synonyms, **flags))
    return Glossary(entries, name)
