"""French prefix compounds (post-soviétique, contre-offensive, mi-juin) through the Apertium pipeline.

fr-es reads the prefix of a hyphenated compound as a word of its own, so post- became "puesto" ("put"),
pré- "prado" ("meadow"), contre- "contra" ("against"), mi- the possessive "mi" ("my"), and compounds
it did not know reached the English in Spanish ("mi-junio", "anti-inflación"). Here the prefix leaves
the text: the head word is translated in its sentence, and the English prefix is put back in front of
the head's English. Where that is, Apertium tells by carrying a word-bound blank
(`[[pfx:0]]soviétiques[[/]]`, where its word-bound blank helpers are installed) along with the head when
it reorders words ("un bloc de nations
post-soviétiques" → "a bloc of post-Soviet nations"); as its transfer rules sometimes drop such a blank
or move it to the start of a phrase, a place is only taken when the word there is the head's English
(the head translated alone, in the same batch), else the occurrences of that English in the sentence
when there are as many as compounds with that head, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

PREFIXES = {
    "post": "post", "pré": "pre", "pre": "pre", "mi": "mid", "contre": "counter", "non": "non",
    "néo": "neo", "neo": "neo", "anti": "anti", "pro": "pro", "ex": "ex", "semi": "semi", "multi": "multi",
    "auto": "self", "co": "co", "ultra": "ultra", "quasi": "quasi",
}
"""French prefix → English prefix, for prefixes written with a hyphen before a word of their own.
Left out: sous- (sub- or under-) and demi- (half- or semi-), which Apertium's dictionaries mostly know whole."""

_AN = {"anti", "ex", "ultra"}
"""English prefixes that take "an" rather than "a"."""

_COMPOUND = re.compile(
    r"(?<![\w-])(?P<prefix>" + "|".join(sorted(PREFIXES, key=len, reverse=True)) + r")-(?P<head>[^\W\d_]{2,})(?![\w-])",
    re.IGNORECASE,
)
"""A known prefix, a hyphen and one word of letters (after an elided article too: l’ex-président)."""

_NOT_HEADS = frozenset("a an the this that these those some his her its their our my your of to in on at by for and or".split())
"""Words a prefix never goes on: a transfer rule that moves a word-bound blank puts it on a phrase's first word."""

_PFX_ID = re.compile(r"(?<![\w:])pfx:(\d+)\b;?\s*")
_WORD_BOUND = re.compile(r"\[\[((?:\\.|[^\]\\])*)\]\]")
_MARK = "\ue010{}\ue011"
"""Where stage 2 left compound n's blank, in the finished English (private-use characters, apart from
the ones apertium.py uses for quotations)."""
_MARK_RE = re.compile("\ue010(\\d+)\ue011")
_SPOT = "\ue012"
_WORD = re.compile(r"[^\W\d_][\w’'-]*")


@dataclass(frozen=True)
class Compound:
    """One prefix compound of a sentence: the English prefix and the French head word."""

    english_prefix: str
    head: str


def compound_stream(text: str, escape: Callable[[str], str], found: list[Compound], hint: bool = True) -> str:
    """`text` as Apertium stream (each piece through `escape`) with each prefix compound's prefix taken out
    and appended to `found`; with `hint`, its head carries a word-bound blank numbered by its index
    (`[[pfx:0]]soviétiques[[/]]`: the pipeline must then run Apertium's word-bound blank helpers)."""
    parts: list[str] = []
    cursor = 0
    for m in _COMPOUND.finditer(text):
        head = escape(m["head"])
        parts += [escape(text[cursor:m.start()]), f"[[pfx:{len(found)}]]{head}[[/]]" if hint else head]
        found.append(Compound(PREFIXES[m["prefix"].lower()], m["head"]))
        cursor = m.end()
    parts.append(escape(text[cursor:]))
    return "".join(parts)


def stage_two_marks(chunk: str) -> str:
    """Stage-2 output with each compound number a word-bound blank holds put before the blank as a
    superblank of private marks (kept by `finish` as text, glued to the word after it); what else
    the blank holds (a quotation's number) stays for `finish`."""
    def split(m: re.Match[str]) -> str:
        numbers = _PFX_ID.findall(m.group(1))
        if not numbers:
            return m.group()
        rest = _PFX_ID.sub("", m.group(1)).strip("; ")
        return "[" + "".join(_MARK.format(n) for n in numbers) + "]" + (f"[[{rest}]]" if rest else "")

    return _WORD_BOUND.sub(split, chunk)


def place_prefixes(english: str, compounds: list[Compound], heads: dict[str, str]) -> str:
    """The finished English with each compound's prefix in front of its head's English (`heads`: French
    head → its English alone). A prefix whose head cannot be found is left out, as the old pipeline's
    mistranslated prefix would have misled more."""
    where: dict[int, int] = {}  # compound number → offset of its mark in `text`
    pieces: list[str] = []
    size = last = 0
    for m in _MARK_RE.finditer(english):
        pieces.append(english[last:m.start()])
        size += m.start() - last
        where.setdefault(int(m.group(1)), size)
        pieces.append(_SPOT)  # one placeholder character per mark
        size += 1
        last = m.end()
    pieces.append(english[last:])
    text = "".join(pieces)
    inserts: list[tuple[int, str]] = []
    taken: set[int] = set()
    for n, compound in enumerate(compounds):
        target = (heads.get(compound.head) or "").split()
        if not target:
            continue
        wanted = target[0].casefold()
        words = [m for m in _WORD.finditer(text) if m.group().casefold() == wanted and m.start() not in taken
                 and not text[:m.start()].endswith("-")]
        at = where.get(n)
        chosen = None
        if at is not None:
            after = [w for w in words if w.start() == at + 1]
            chosen = after[0] if after else None
            if chosen is None and not words:  # the head's English differs alone (pouvoir: "can" / "power")
                there = _WORD.match(text, at + 1)
                if there and there.group().casefold() not in _NOT_HEADS and at + 1 not in taken:
                    chosen = there
        if chosen is None and words and len(words) == sum(c.head == compound.head for c in compounds[n:]):
            chosen = words[0]  # as many places as compounds left with this head: they go in order
        if chosen is None and at is not None and words:
            chosen = min(words, key=lambda w: abs(w.start() - at))
        if chosen is None:
            continue
        taken.add(chosen.start())
        inserts.append((chosen.start(), compound.english_prefix))
    out = text
    for start, prefix in sorted(inserts, reverse=True):
        opening = not re.search(r"[^\W_]", out[:start].replace(_SPOT, ""))
        word = prefix.capitalize() if opening else prefix
        out = _fix_article(out[:start], prefix) + word + "-" + out[start:]
    return " ".join(out.replace(_SPOT, "").split()) if _SPOT in out else out


def _fix_article(before: str, prefix: str) -> str:
    """The text before a prefixed word, its article "a"/"an" made to fit the prefix."""
    m = re.search(r"(?<![\w’'])([Aa])(n?)(\s+\ue012*)$", before)
    if not m:
        return before
    article = m.group(1) + ("n" if prefix in _AN else "")
    return before[:m.start()] + article + m.group(3)
