"""Finding glossary terms in French text: word boundaries, longest match first, one pass.

Text is cut into word tokens (`\\w+` runs); an index maps each form's first token (lower-cased,
without accents) to the forms starting with it, longest first. At every token the first form whose
tokens and separators fit wins and the scan jumps past it, so "Organisation du traité de sécurité
collective" beats any shorter term inside it. Because hyphens and apostrophes separate tokens,
"pro-OTAN" and "l’OTAN" contain the token "OTAN". Separators compare loosely: any whitespace
(NBSP included) for a space, ' or ’ for an apostrophe, and a hyphen may stand for a space.

Number: common-noun forms (lower-case first letter) also match their French plural
("organisations non gouvernementales"); a form whose plural is itself (acronyms such as ONG,
cessez-le-feu, words in -s) is plural after a plural determiner (les, des, ces, plusieurs…).
Such hits are `plural` and take the entry's English plural.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from glossary.entry import APOSTROPHES, TermEntry, fold_accents, is_acronym

_TOKEN = re.compile(r"\w+")
_HYPHENS = "-‐‑–"
_DETERMINER = re.compile(
    r"(?<![\w'’])(de\s+la\s+|de\s+l['’]\s*|l['’]\s*|d['’]\s*|le\s+|la\s+|les\s+|du\s+|des\s+|au\s+|aux\s+|de\s+)$",
    re.IGNORECASE,
)
_INDEFINITE = {"d'", "de"}
_PLURAL_CUE = re.compile(
    r"(?<![\w'’])(?:les|des|aux|ces|mes|tes|ses|nos|vos|leurs|plusieurs|quelques|certains|certaines|nombreux|"
    r"nombreuses|différents|différentes|divers|diverses|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|vingt|"
    r"cent|mille|[2-9]|\d\d+)(?:\s+[^\W\d_]+[sx])?\s+$",
    re.IGNORECASE,
)
"""A plural determiner or number before the term, perhaps with one plural adjective (les principales ONG)."""
_DES_INDEFINITE_AFTER = frozenset(
    """avec pour par contre entre sur dans chez sans vers selon parmi comme et ou a ont avait avaient aura auront
    est sont était étaient sera seront que qu y""".split()
)
"""Words after which "des" is the indefinite plural article (with NGOs), not "of the" (the role of NGOs)."""
_CONNECTORS = frozenset("de du des d à au aux en pour sur contre l la le les".split())


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
    plural: bool = False
    """The French term is plural (a plural form, or an invariable one after les/des/ces…)."""
    hide_start: int = -1
    """Start of what the placeholder hides: before `start` when an article travels with the term
    (l’, d’, indefinite des), so the engine never sees an article glued to a number."""
    hide_prefix: str = ""
    """What the engine sees before the placeholder instead (`de ` for d’)."""

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
    if len(stripped) == 1 and stripped in "'" + APOSTROPHES:
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
    plural: bool = False
    """A generated French plural of a source form."""
    invariable: bool = False
    """The form's plural is itself (ONG, cessez-le-feu, droits de l'homme): number comes from the determiner."""


def _plural_word(word: str) -> str:
    """French plural of one noun or adjective (regular rules: -s, -x, -al → -aux, -eau/-eu → -x)."""
    lower = word.lower()
    if "-" in word or lower.endswith(("s", "x", "z")) or (len(word) > 1 and word.isupper()):
        return word  # an acronym inside a term stays as it is (francs CFA)
    if lower.endswith("al"):
        return word[:-1] + "ux"
    if lower.endswith(("eau", "au", "eu")):
        return word + "x"
    return word + "s"


def french_plural(form: str) -> str:
    """Plural of a French noun phrase: the words before the first preposition change (organisations
    non gouvernementales, groupes de réflexion); `non` and the complement stay."""
    words = form.split(" ")
    out: list[str] = []
    for i, word in enumerate(words):
        if word.lower() in _CONNECTORS or re.match(r"[dl]['’]", word, re.IGNORECASE):
            return " ".join(out + words[i:])
        out.append(word if word.lower() == "non" else _plural_word(word))
    return " ".join(out)


def countable(form: str) -> bool:
    """Whether a form can be plural: acronyms (ONG) and common nouns (lower-case first letter)."""
    return is_acronym(form) or form[:1].islower()


def _compile(entry: TermEntry, form: str, plural: bool = False) -> _Form | None:
    spans = list(_TOKEN.finditer(form))
    if not spans:
        return None
    sensitive = entry.case_sensitive(form)
    fold = entry.accents == "fold"
    tokens = tuple(_token_key(m.group(), sensitive, fold) for m in spans)
    separators = tuple(_separator_kind(form[a.end() : b.start()]) for a, b in zip(spans, spans[1:]))
    invariable = not plural and countable(form) and (is_acronym(form) or french_plural(form) == form)
    return _Form(entry, tokens, separators, sensitive, fold, plural, invariable)


class Matcher:
    """Index over a glossary's source forms; `find(text)` returns non-overlapping hits, left to right."""

    def __init__(self, entries: Iterable[TermEntry]) -> None:
        index: dict[str, list[_Form]] = {}
        entries = list(entries)
        for entry in entries:
            for form in entry.sources:
                compiled = _compile(entry, form)
                if compiled:
                    index.setdefault(_index_key(_TOKEN.search(form).group()), []).append(compiled)
        for entry in entries:
            known = {f.casefold() for f in entry.sources}
            for form in entry.sources:
                plural = french_plural(form) if countable(form) and not is_acronym(form) else form
                if plural.casefold() in known:
                    continue
                known.add(plural.casefold())
                compiled = _compile(entry, plural, plural=True)
                if compiled:
                    index.setdefault(_index_key(_TOKEN.search(plural).group()), []).append(compiled)
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
            hits.append(self._hit(text, tokens[i][0], tokens[last][1], matched))
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
    def _hit(text: str, start: int, end: int, form: _Form) -> Hit:
        found = _DETERMINER.search(text, max(0, start - 12), start)
        determiner = " ".join(found.group(1).lower().replace("’", "'").split()) if found else ""
        before = start >= 2 and text[start - 1] in _HYPHENS and text[start - 2].isalnum()
        after = end + 1 < len(text) and text[end] in _HYPHENS and text[end + 1].isalnum()
        plural = form.plural or (form.invariable and bool(_PLURAL_CUE.search(text, max(0, start - 40), start)))
        hide_start, prefix = start, ""
        if found and determiner.endswith("'"):
            hide_start = _elided_start(text, found.start(1), start)
            prefix = "de " if determiner == "d'" else ""
        elif found and determiner == "des" and plural and _indefinite_des(text, found.start(1)):
            hide_start, determiner = found.start(1), ""
        return Hit(start, end, text[start:end], form.entry, determiner, before or after, plural, hide_start, prefix)


def _elided_start(text: str, determiner_start: int, start: int) -> int:
    """Start of the elided article (the `l’` of `de l’`, or `d’`) in the determiner before `start`."""
    at = start
    while at > determiner_start and text[at - 1].isspace():
        at -= 1
    return at - 2 if at - 2 >= determiner_start else start


def _indefinite_des(text: str, at: int) -> bool:
    """Whether the `des` at `at` is the indefinite plural article: sentence start, after punctuation,
    a preposition, a conjunction or an auxiliary (not after a noun, where it means "of the")."""
    before = text[max(0, at - 40) : at].rstrip()
    if not before or before[-1] in ".!?:;,«»\"“”()—–":
        return True
    word = re.search(r"[\w'’]+$", before)
    return bool(word) and word.group().lower().replace("’", "'").split("'")[-1] in _DES_INDEFINITE_AFTER
