"""Subtitle layout: where a unit's English is cut between its cues and where each cue's lines break.

Pure text functions over a plain text and its `InlineCode`s, shared by the SRT and WebVTT writers.
Cuts and line breaks fall on runs of ASCII spaces only (never inside a word); a cut takes the space
away, closing codes standing at it stay on the left, opening and isolated ones go right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translate.document import InlineCode

LINE_WIDTH = 42
"""Characters a subtitle line should hold at most (the usual broadcast and streaming limit)."""
MAX_LINES = 2
"""Lines a cue may hold: never more, even when that makes a line longer than LINE_WIDTH."""

_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_CLAUSE_END = re.compile(r"[,;:][\"'”’»)\]]*$")
_WEAK_ENDS = frozenset("a an the of to in on at for and or but with by from as that my your his her our their its".split())
"""English words a line or a cue should not end on when another break is about as good."""
SPEAKER_DASH = re.compile(r"^[-‐–—]\s*$")
"""The data of the isolated code a reader makes of a speaker dash ("- ") at the start of a line."""


@dataclass(frozen=True)
class Gap:
    """A run of spaces [start, end) in a text where it may be cut; the spaces go away."""

    start: int
    end: int


def gaps(text: str) -> list[Gap]:
    """Every run of ASCII spaces strictly inside `text` (leading and trailing spaces are not cut points)."""
    return [Gap(m.start(), m.end()) for m in re.finditer(r" +", text)
            if m.start() > 0 and m.end() < len(text)]


def pieces(text: str, codes: list[InlineCode], cuts: list[Gap]) -> list[tuple[str, list[InlineCode]]]:
    """`text` cut at `cuts` (in order), each piece with its codes at offsets in the piece.

    A code at a cut's spaces goes to the left piece when it closes (unless its open went right), to the
    right one otherwise."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for cut in cuts:
        bounds.append((start, cut.start))
        start = cut.end
    bounds.append((start, len(text)))
    out: list[tuple[str, list[InlineCode]]] = [(text[a:b], []) for a, b in bounds]
    opened: dict[int, int] = {}
    for code in codes:
        index = len(bounds) - 1
        for i, cut in enumerate(cuts):
            if code.position < cut.start or (code.position <= cut.end and code.kind == "close"):
                index = i
                break
        if code.kind == "open":
            opened[code.id] = index
        elif code.kind == "close":
            index = max(index, opened.get(code.id, 0))  # never before its own open
        a, b = bounds[index]
        out[index][1].append(code.at(min(max(code.position - a, 0), b - a)))
    return out


def _weak_end(text: str, gap: Gap) -> bool:
    words = text[:gap.start].split()
    return bool(words) and words[-1].lower() in _WEAK_ENDS


def choose_cuts(text: str, shares: list[float], preferred: list[set[int]]) -> list[Gap]:
    """Where to cut `text` into len(shares) pieces of about those shares of its length.

    `shares[k]` is the share of the French text the k-th cue held; `preferred[k]` holds offsets in
    `text` where a cut after piece k would put back what stood at that French cue boundary (a speaker
    dash, the edge of an italic span). A cut near the proportional point is best, a sentence or clause
    end or a preferred offset pulls it, a cut after "the"/"of"… pushes it away. Every piece gets at
    least one word while the text has enough words; with fewer words the last pieces stay empty."""
    n = len(shares)
    candidates = gaps(text)
    if n <= 1:
        return []
    if not candidates:
        return []
    size = max(len(text), 1)
    total = sum(shares) or 1.0
    cuts: list[Gap] = []
    done = 0.0
    lowest = 0
    for k in range(n - 1):
        done += shares[k]
        target = done / total * len(text)
        highest = len(candidates) - (n - 2 - k) - 1
        if lowest > highest:
            break
        best: tuple[float, int] | None = None
        for i in range(lowest, highest + 1):
            gap = candidates[i]
            cost = abs((gap.start + gap.end) / 2 - target) / size
            before = text[:gap.start]
            if _SENTENCE_END.search(before):
                cost -= 0.08
            elif _CLAUSE_END.search(before):
                cost -= 0.04
            if _weak_end(text, gap):
                cost += 0.03
            if any(gap.start <= p <= gap.end for p in preferred[k]):
                cost -= 0.15
            if best is None or cost < best[0]:
                best = (cost, i)
        assert best is not None
        cuts.append(candidates[best[1]])
        lowest = best[1] + 1
    return cuts


def line_breaks(text: str, codes: list[InlineCode], width: int = LINE_WIDTH, max_lines: int = MAX_LINES) -> list[Gap]:
    """Where one cue's text breaks into lines: before each speaker dash after the first, else in two
    balanced lines when it is longer than `width`; never more than `max_lines` lines (a line may then be
    longer than `width`: the cue's time is fixed, and a third line would cover the picture)."""
    forced: list[Gap] = []
    for code in codes:
        if code.kind == "isolated" and SPEAKER_DASH.match(code.data) and 0 < code.position:
            p = code.position
            start = p
            while start > 0 and text[start - 1] == " ":
                start -= 1
            if start > 0 and (not forced or forced[-1].start < start):
                forced.append(Gap(start, p))
    if forced:
        return forced[:max(max_lines, 1) - 1]
    if len(text) <= width or max_lines < 2:
        return []
    best: tuple[float, Gap] | None = None
    for gap in gaps(text):
        first, second = gap.start, len(text) - gap.end
        cost = float(max(first, second))
        before = text[:gap.start]
        if _SENTENCE_END.search(before):
            cost -= 4
        elif _CLAUSE_END.search(before):
            cost -= 3
        if _weak_end(text, gap):
            cost += 4
        if best is None or cost < best[0]:
            best = (cost, gap)
    return [best[1]] if best else []
