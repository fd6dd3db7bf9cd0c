"""Phrase (Memsource) MXLIFF tags written as text: `{1}`, `{2>` … `<2}`, `{b>` … `<b}`.

Phrase exports a document's inline formatting not as XLIFF elements but as short placeholders inside
the `<source>` text: `{n}` stands alone (a footnote, an image), `{n>` opens and `<n}` closes a span
(a link), and `{b>`/`<b}`, `{i>`/`<i}`, `{u>`/`<u}`, `{sup>`/`<sup}`… wrap bold, italic and the like.
The XLIFF reader turns each into an `InlineCode` whose data is the placeholder itself, so the engine
never sees it and the English gets every one exactly once. Only the reader of Phrase files uses this:
in plain text `{1}` stays text.

Not placeholders: braces around spaced words (`{ not a tag }`), JSON or template text (`{"a": 1}`,
`{name}`), and anything doubled (`{{1}}`, `{{b>`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = r"\d{1,5}|[a-z]{1,6}"
PLACEHOLDER = re.compile(
    r"(?<!\{)\{(?P<isolated>\d{1,5})\}(?!\})"  # {1}
    rf"|(?<!\{{)\{{(?P<open>{_NAME})>"  # {1>  {b>
    rf"|<(?P<close>{_NAME})\}}(?!\}})"  # <1}  <b}
)
"""One Phrase placeholder; a numbered one stands alone, a numbered or named one opens or closes a span."""


@dataclass(frozen=True)
class Placeholder:
    """A placeholder found in a text: where it stands, what it says, its kind and its name (`1`, `b`)."""

    start: int
    end: int
    text: str
    kind: str
    """"open", "close" or "isolated", as `InlineCode.kind` (halves are paired by the reader)."""
    name: str


def find_placeholders(text: str) -> list[Placeholder]:
    """Every placeholder of the text, in order."""
    out = []
    for match in PLACEHOLDER.finditer(text):
        kind = next(k for k in ("isolated", "open", "close") if match.group(k) is not None)
        out.append(Placeholder(match.start(), match.end(), match.group(0), kind, match.group(kind)))
    return out


def is_placeholder(data: str) -> bool:
    """Whether an inline code's data is exactly one placeholder (not XLIFF element markup)."""
    return PLACEHOLDER.fullmatch(data) is not None
