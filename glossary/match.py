"""Finding glossary terms in French text: word boundaries, longest match first, one pass.

Text is cut into word tokens (`\\w+` runs); an index maps each form's first token (lower-cased,
without accents) to the forms starting with it, longest first. At every token the first form whose
tokens and separators fit wins and the scan jumps past it, so "Organisation du traité de sécurité
collective" beats any shorter term inside it. Because hyphens and apostrophes separate tokens,
"pro-OTAN" and "l’OTAN" contain the token "OTAN". Separators compare loosely: any whitespace
(NBSP included) for a space, ' or ’ for an apostrophe, and a hyphen may stand for a space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from glossary.entry import TermEntry, fold_accents

_TOKEN = re.compile(r"\w+")
_HYPHENS = "-‐‑–"
_APOSTROPHES = "'’ʼ‘`´"
_DETERMINER = re.compile(
    r"(?<![\w'’])(de\s+la\s+|de\s+l['’]\s*|l['’]\s*|d['’]\s*|le\s+|la\s+|les\s+|du\s+|des\s+|au\s+|aux\s+|de\s+)$",
    re.IGNORECASE,
)
_INDEFINITE = {"d'", "de"}


@dataclass(frozen=True)
class Hit:
    """One glossary term found in a text."""

    start: int
    end: int
    text: str
    entry: TermEntry
    determiner: str = ""
    """French article or contraction right before the term (`l'`, `du`, `aux`…), normalised."""
    compound: bool = False
    """The term is part of a hyphenated compound such as pro-OTAN."""

    @property
    def definite(self) -> bool:
        """Whether the French used a definite article (le, la, l', du, des, au, aux) before the term."""
        return bool(self.determiner) and self.determiner not in _INDEFINITE


def _separator_kind(separator: str) -> str:
    stripped = "".join(separator.split())
    if not stripped:
        return " "
    if len(stripped) == 1 and stripped in _HYPHENS:
        return "-"
    if len(stripped) == 1 and stripped in _APOSTROPHES:
        return "'"
    return stripped


def _compatible(form_kind: str, text_kind: str) -> bool:
    return form_kind == text_kind or (form_kind in " -" and text_kind in " -")


def _index_key(token: str) -> str:
    """Lower-case, accent-free first-token key (ASCII tokens skip the slow accent folding)."""
    lowered = token.casefold()
    return lowered if lowered.isascii() else fold_accents(lowered)


def _token_key(token: str, sensitive: bool, fold: bool) -> str:
    key = token if sensitive else token.casefold()
    return fold_accents(key) if fold else key


@dataclass(frozen=True)
class _Form:
    entry: TermEntry
    tokens: tuple[str, ...]
    separators: tuple[str, ...]
    sensitive: bool
    fold: bool


def _compile(entry: TermEntry, form: str) -> _Form | None:
    spans = list(_TOKEN.finditer(form))
    if not spans:
        return None
    sensitive = entry.case_sensitive(form)
    fold = entry.accents == "fold"
    tokens = tuple(_token_key(m.group(), sensitive, fold) for m in spans)
    separators = tuple(_separator_kind(form[a.end() : b.start()]) for a, b in zip(spans, spans[1:]))
    return _Form(entry, tokens, separators, sensitive, fold)


class Matcher:
    """Index over a glossary's source forms; `find(text)` returns non-overlapping hits, left to right."""

    def __init__(self, entries: Iterable[TermEntry]) -> None:
        index: dict[str, list[_Form]] = {}
        for entry in entries:
            for form in entry.sources:
                compiled = _compile(entry, form)
                if compiled:
                    index.setdefault(_index_key(_TOKEN.search(form).group()), []).append(compiled)
        for forms in index.values():
            forms.sort(key=lambda f: (len(f.tokens), sum(map(len, f.tokens))), reverse=True)
        self._index = index

    def find(self, text: str) -> list[Hit]:
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        hits: list[Hit] = []
        i = 0
        while i < len(tokens):
            forms = self._index.get(_index_key(tokens[i][2]))
            matched = next((f for f in forms if self._fits(f, text, tokens, i)), None) if forms else None
            if matched is None:
                i += 1
                continue
            last = i + len(matched.tokens) - 1
            hits.append(self._hit(text, tokens[i][0], tokens[last][1], matched.entry))
            i = last + 1
        return hits

    @staticmethod
    def _fits(form: _Form, text: str, tokens: list[tuple[int, int, str]], i: int) -> bool:
        if i + len(form.tokens) > len(tokens):
            return False
        for j, expected in enumerate(form.tokens):
            start, _, word = tokens[i + j]
            if _token_key(word, form.sensitive, form.fold) != expected:
                return False
            if j and not _compatible(form.separators[j - 1], _separator_kind(text[tokens[i + j - 1][1] : start])):
                return False
        return True

    @staticmethod
    def _hit(text: str, start: int, end: int, entry: TermEntry) -> Hit:
        found = _DETERMINER.search(text, max(0, start - 12), start)
        determiner = " ".join(found.group(1).lower().replace("’", "'").split()) if found else ""
        before = start >= 2 and text[start - 1] in _HYPHENS and text[start - 2].isalnum()
        after = end + 1 < len(text) and text[end] in _HYPHENS and text[end + 1].isalnum()
        return Hit(start, end, text[start:end], entry, determiner, before or after)
