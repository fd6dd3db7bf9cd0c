"""French titles before a name ("M. Karapetian", "Mme Dupont") come out as English ones ("Mr Karapetian").

Engines handle them badly (Apertium gives "Sra Dupont", leaves "M."), so the title is taken out of the
engine input, which then holds the bare name that every engine copies, and the English title is put
back in front of that name in the English. Convention: British, no full stop (Mr, Ms, Dr, Prof).
A name that cannot be found in the English gets a QA finding instead of a guess.
"""

from __future__ import annotations

import re

from translate.document import Document, QaFinding, Segment, Title

ENGLISH_TITLES: dict[str, str] = {
    "M": "Mr", "MM": "Messrs",
    "Mme": "Ms", "Mmes": "Mses",
    "Mlle": "Miss", "Mlles": "Misses",
    "Me": "Maître",
    "Dr": "Dr", "Dre": "Dr", "Drs": "Drs",
    "Pr": "Prof", "Pre": "Prof", "Prs": "Profs",
}
"""French title (without its full stop) → English title. Maître (a lawyer's title) has no English
counterpart and is kept; Mme becomes the neutral Ms, as English press usage has it."""

_UPPER = "A-ZÀ-ÖØ-Þ"
_NAME_WORD = rf"[{_UPPER}][^\W\d_]*(?:[-’'][{_UPPER}]?[^\W\d_]+)*"
_PARTICLE = r"(?:(?:de|du|des|van|von|da|di|del|ben|bin|al|el|le|la)[ \u00a0]+|d['’])"
_NAME = rf"(?:{_PARTICLE})?{_NAME_WORD}(?:[ \u00a0]+(?:{_PARTICLE})?{_NAME_WORD})*"
_TITLE = re.compile(
    r"(?:(?<!\w)(?P<det>[Ll]es|[Ll]e|[Ll]a|[Dd]u|[Aa]ux|[Aa]u|[Dd]es)[ \u00a0]+)?"  # "le Dr X", "du Pr X"
    rf"(?<![\w.])(?<![{_UPPER}]\. )"  # not inside a word, not after an initial ("J. M. Dupont")
    r"(?P<title>MM\.|M\.|Mmes\.?|Mme\.?|Mlles\.?|Mlle\.?|Me|Drs\.?|Dre\.?|Dr\.?|Prs\.?|Pre\.?|Pr\.?)"
    rf"(?P<space>[ \u00a0\u202f]+)(?P<name>{_NAME})"
)
_DETERMINER_LEFT = {"du": "de ", "des": "de ", "au": "à ", "aux": "à "}
"""What stays of a determiner before a title ("le Dr Martin" → "Martin", "du Pr Durand" → "de Durand")."""


def find_titles(text: str) -> list[tuple[re.Match[str], Title]]:
    """Every French title followed by a capitalised name, with its English title."""
    found = []
    for m in _TITLE.finditer(text):
        key = m["title"].rstrip(".")
        if key == "M" and not m["title"].endswith("."):
            continue
        found.append((m, Title(m["title"], ENGLISH_TITLES[key], m["name"])))
    return found


def protect_titles(document: Document) -> None:
    """Take titles out of each translatable segment's engine input; remember them for `restore_titles`."""
    for segment in document:
        if not segment.translatable or segment.translated:
            continue
        text = segment.text_for_engine
        found = find_titles(text)
        if not found:
            continue
        pieces, cursor = [], 0
        for m, _ in found:
            pieces.append(text[cursor:m.start()])
            if m["det"]:
                left = _DETERMINER_LEFT.get(m["det"].lower(), "")
                pieces.append(left[:1].upper() + left[1:] if m["det"][0].isupper() else left)
            cursor = m.start("name")
        segment.engine_input = "".join(pieces) + text[cursor:]
        segment.titles = [title for _, title in found]


def restore_titles(document: Document) -> None:
    """Put each English title before its name in the English; a QA finding where the name is gone."""
    for segment in document:
        if segment.titles and segment.target:
            segment.target = _restore(segment, segment.titles)
        segment.titles = []


def _restore(segment: Segment, records: list[Title]) -> str:
    target, cursor = segment.target, 0
    for record in records:
        spot = _find_name(target, record.name, cursor)
        if spot is None:
            segment.qa.append(QaFinding("title", (
                f"{record.french} {record.name}: the name is not in the English; "
                f"add the title {record.english!r} by hand")))
            continue
        start, end = spot
        title = record.english
        if target[:start].rstrip().endswith(title):
            cursor = end
            continue
        target = target[:start] + title + " " + target[start:]
        cursor = end + len(title) + 1
    return target


def _find_name(text: str, name: str, start: int) -> tuple[int, int] | None:
    """Where the name (or else its last word) stands in the English, at or after `start`."""
    for wanted in (name, name.split()[-1]):
        m = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)").search(text, start)
        if m:
            return m.start(), m.end()
    return None
