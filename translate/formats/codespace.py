"""Spacing around an inline code in a unit's English, shared by the HTML and Markdown writers.

The engine never sees a code, so the English may glue one to its neighbour (`see`README``, `$<code>make`).
Where the French had a space on that side of the code, the space is put back, unless the neighbour is
a mark that English writes against the code: an opening bracket or quote before it, a closing one or
punctuation after it (`(`x`)`, `“`x`”`, `` `x`; ``).
"""

from __future__ import annotations

OPENING = "([{“‘«/-"
"""Characters a code follows without a space (an opening bracket or quote, a slash, a hyphen)."""
CLOSING = ".,;:!?)]}”’»…%"
"""Characters that follow a code without a space (punctuation, a closing bracket or quote, a percent sign)."""
_STRAIGHT = "\"'"


def space_before(before: str) -> bool:
    """Whether a code that had a space before it in French needs one after the English text `before`.

    A straight quote closes when a word or a closing mark precedes it (`authors' `x``), else it opens."""
    last = before[-1:]
    if not last or last.isspace() or last in OPENING:
        return False
    if last in _STRAIGHT:
        previous = before[-2:-1]
        return bool(previous) and (previous.isalnum() or previous in CLOSING)
    return True


def space_after(after: str) -> bool:
    """Whether a code that had a space after it in French needs one before the English text `after`.

    A straight double quote opens when a word follows it; an apostrophe is taken as closing (`x`'s)."""
    first = after[:1]
    if not first or first.isspace() or first in CLOSING:
        return False
    if first in _STRAIGHT:
        return first == '"' and after[1:2].isalnum()
    return True
