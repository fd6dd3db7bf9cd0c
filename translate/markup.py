"""Inline codes carried through an engine that moves markup itself (Apertium), instead of placed afterwards.

A sentence with codes goes to such an engine as light tags around HTML-escaped text: `<g7>`…`</g7>` for
the open/close pair with id 7, `<x7/>` for an isolated code. The engine's English comes back with the
tags where it put them; `read_tags` turns it into plain English and code positions. The later stages
(glossary verification, title restoration, typography) still edit that English, so the pipeline's
codes stage maps the engine's positions through a character diff to the final English
(`engine_codes`), and lets translate/codes.py's projection place any code the engine lost, repeated
or emptied, so every code still comes back exactly once.
"""

from __future__ import annotations

import html
import re
from difflib import SequenceMatcher

from translate.document import InlineCode, Segment

TAG = re.compile(r"<(/?)g(\d+)>|<x(\d+)/>")
"""A light tag in a marked sentence: open or close of a pair (`g`), or an isolated code (`x`)."""


def _tag(code: InlineCode) -> str:
    if code.kind == "open":
        return f"<g{code.id}>"
    if code.kind == "close":
        return f"</g{code.id}>"
    return f"<x{code.id}/>"


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def edit_map(before: str, after: str) -> list[tuple[str, int, int, int, int]]:
    """Character diff from `before` to `after` (difflib opcodes), for mapping offsets."""
    if before == after:
        return [("equal", 0, len(before), 0, len(after))]
    return SequenceMatcher(None, before, after, autojunk=False).get_opcodes()


def map_position(opcodes: list[tuple[str, int, int, int, int]], position: int, kind: str) -> int:
    """An offset in the old text → the same place in the new one; inside rewritten text an open or
    isolated code goes before the rewrite and a close after it (a tag never splits a term)."""
    for tag, i1, i2, j1, j2 in opcodes:
        if not i1 <= position <= i2:
            continue
        if tag == "equal":
            return j1 + position - i1
        if position == i1:
            return j1
        if position == i2:
            return j2
        return j2 if kind == "close" else j1
    return opcodes[-1][4] if opcodes else 0


def tag_sentence(segment: Segment) -> str:
    """The segment's engine input with its codes as light tags and its text HTML-escaped."""
    text = segment.text_for_engine
    opcodes = edit_map(segment.source, text)
    placed = sorted(((map_position(opcodes, c.position, c.kind), n, c) for n, c in enumerate(segment.codes)),
                    key=lambda item: (item[0], item[1]))
    out: list[str] = []
    cursor = 0
    for position, _, code in placed:
        position = min(max(position, cursor), len(text))
        out += [_escape(text[cursor:position]), _tag(code)]
        cursor = position
    out.append(_escape(text[cursor:]))
    return "".join(out)


def read_tags(marked: str) -> tuple[str, list[tuple[int, str, int]]]:
    """Marked English → (plain English, [(id, kind, offset)]) in the order the tags stand."""
    text: list[str] = []
    tags: list[tuple[int, str, int]] = []
    length = 0
    cursor = 0
    for m in TAG.finditer(marked):
        piece = html.unescape(marked[cursor:m.start()])
        text.append(piece)
        length += len(piece)
        if m[3] is not None:
            tags.append((int(m[3]), "isolated", length))
        else:
            tags.append((int(m[2]), "close" if m[1] else "open", length))
        cursor = m.end()
    text.append(html.unescape(marked[cursor:]))
    return "".join(text), tags


def fill_from_marked(segment: Segment, marked: str) -> None:
    """Set the segment's target from the engine's marked English and remember where the engine put
    the codes (positions in that English); the codes stage maps them to the final English."""
    plain, tags = read_tags(marked)
    # Tags at the edges of the engine's spacing: keep them on the stripped text's own edges.
    lead = len(plain) - len(plain.lstrip())
    stripped = plain.strip()
    segment.target = stripped
    segment.engine_target = stripped
    segment.engine_codes = [(i, k, min(max(p - lead, 0), len(stripped))) for i, k, p in tags]


def engine_codes(segment: Segment) -> list[InlineCode] | None:
    """The segment's codes where the engine put them, mapped to the final English; codes the engine
    lost, repeated or emptied are placed by the projection. None when the engine placed none."""
    from translate.codes import order_codes, project_segment, well_nested

    if segment.engine_codes is None or segment.engine_target is None:
        return None
    found: dict[tuple[int, str], list[int]] = {}
    for code_id, kind, position in segment.engine_codes:
        found.setdefault((code_id, kind), []).append(position)
    opcodes = edit_map(segment.engine_target, segment.target)
    mine = {(c.id, c.kind) for c in segment.codes}
    kept: dict[tuple[int, str], int] = {}
    for key, positions in found.items():
        if key in mine and len(positions) == 1:
            kept[key] = map_position(opcodes, positions[0], key[1])
    source_of = {(c.id, c.kind): c.position for c in segment.codes}
    for code in segment.codes:  # a pair must keep both halves, and wrap words if it wrapped words
        if code.kind != "open" or (code.id, "close") not in source_of:
            continue
        both = [(code.id, "open"), (code.id, "close")]
        if not all(k in kept for k in both):
            for k in both:
                kept.pop(k, None)
            continue
        french = segment.source[source_of[both[0]]:source_of[both[1]]]
        english = segment.target[kept[both[0]]:kept[both[1]]]
        if kept[both[0]] > kept[both[1]] or (french.strip() and not english.strip()):
            for k in both:
                kept.pop(k, None)
            continue
        kept[both[0]], kept[both[1]] = _trim(french, segment.target, kept[both[0]], kept[both[1]])
    for key in list(kept):
        code = next(c for c in segment.codes if (c.id, c.kind) == key)
        kept[key] = _title_side(segment.source, segment.target, code, kept[key])
    for code in segment.codes:  # a pair around no French text stays around no English text
        both = [(code.id, "open"), (code.id, "close")]
        if code.kind == "open" and all(k in kept for k in both):
            if not segment.source[source_of[both[0]]:source_of[both[1]]].strip():
                kept[both[1]] = kept[both[0]]
    if not kept:
        return None
    projected = {(c.id, c.kind): c.position for c in project_segment(segment)} if len(kept) < len(mine) else {}
    codes = [c.at(kept.get((c.id, c.kind), projected.get((c.id, c.kind), 0))) for c in segment.codes]
    english_order = {key: n for n, key in enumerate(k for k in _engine_order(segment) if k in kept)}
    codes.sort(key=lambda c: (c.position, english_order.get((c.id, c.kind), -1)))
    ordered = order_codes(codes)
    return ordered if well_nested(ordered) else None


def _title_side(french: str, english: str, code: InlineCode, position: int) -> int:
    """A code next to a French title ("M.<br> Dupont", "<b></b> Mme Dupont") stays on the same side of the
    English title: the title is put back in front of the name after the engine, so the diff alone cannot
    tell whether a code at that spot came before or after it."""
    from translate.titles import find_titles

    for m, title in find_titles(french):
        if not m.start("title") <= code.position <= m.start("name") and not (
                code.position < m.start("title") and not french[code.position:m.start("title")].strip()):
            continue
        after = code.position > m.start("title")
        inserted = title.english + " "
        gap = len(english[position:]) - len(english[position:].lstrip())
        if after and english.startswith(inserted, position + gap):
            return position + gap + len(title.english) + (0 if code.position <= m.end("title") else 1)
        if not after and english[:position].endswith(inserted):
            return position - len(inserted)
    return position


def _trim(french: str, english: str, start: int, end: int) -> tuple[int, int]:
    """A span that wraps words at its edges in the French does so in the English too: Apertium can leave
    a closing quote or a space inside it (the superblank stays after punctuation it moved)."""
    if french[:1].isalnum():
        while start < end and not english[start].isalnum():
            start += 1
    if french[-1:].isalnum():
        while end > start and not english[end - 1].isalnum():
            end -= 1
    return start, end


def _engine_order(segment: Segment) -> list[tuple[int, str]]:
    return [(i, k) for i, k, _ in segment.engine_codes or []]
