"""Glossary enforcement around any engine: hide terms behind placeholders, then put targets back.

`protect` replaces every matched French term with a four-digit number (9001, 9002…; another
thousand if the sentence already holds one of those). Numbers are the form every engine carries
through: Apertium tags them as numerals, so "La 9001 a adopté" keeps its subject and word order
(a nonce name such as "Zxq1" is an unknown word, and Apertium's tagger then reads "la"/"les" as
pronouns: "It has Zxq1 adopted it"), and neural models copy digits. `verify` turns placeholders
into target terms (tolerating "9,001", "9 001", unknown-word marks), then checks every hit and
repairs misses: the engine's own correct translation is accepted, a French term copied through is
replaced, otherwise the term goes where attention or the source position points. Each repair is
recorded with its method in `segment.glossary_repairs`.
"""

from __future__ import annotations

import re
from typing import Any

from glossary.english import english_plural, fit_term
from glossary.entry import Glossary
from glossary.match import Hit
from translate.document import Document, Segment

PLACEHOLDERS_KEY = "glossary_placeholders"
_MARKS = "*#@~"
_ANY_PLACEHOLDER = re.compile(rf"[{_MARKS}]{{0,2}}(?<![\d.,])(\d{{1,3}})([ ,.\u00a0\u202f]?)(\d{{3}})(?!\d)")
"""Any 4–6-digit number as an engine may return a placeholder (9001, 9,001, 9 001, *9001, 90,001): one scan
finds them all, and the digits (without separator) name the placeholder."""
_ANY_NUMBER_AT = re.compile(r"(?=(?<![\d.,])(\d{1,3})[ ,.\u00a0\u202f]?(\d{3})(?!\d))")
_WINDOW = 200
"""Characters of context on each side of a term that `fit_term` may read or change."""


def placeholders_for(text: str, count: int) -> list[str]:
    """`count` distinct placeholders (9001, 9002…; 90001… past 999 terms) none of which occurs in `text`.

    One scan collects every 4–6-digit number the text holds (with or without a separator)."""
    used = {a + b for a, b in _ANY_NUMBER_AT.findall(text)}
    for width in (4, 5, 6):
        step = 10 ** (width - 1)
        if count >= step:
            continue  # 9001…9999 hold 999 terms; longer lines get 90001… (engines carry any number)
        for base in range(9 * step, step - 1, -step):
            names = [str(base + n) for n in range(1, count + 1)]
            if not any(name in used for name in names):
                return names
    raise ValueError(f"{count} glossary terms in one sentence: no free placeholder numbers")


_NEXT_WORD = re.compile(r"[\s,;:]*(\w+)")


def _article(hit: Hit) -> str:
    """The entry's article rule; `keep` becomes `the` when the French l’ was hidden with the term,
    since the engine then never saw the article it would have kept (l’organisation → the organization)."""
    elided = hit.hide_start < hit.start and hit.determiner.endswith("l'")
    return "the" if hit.entry.article == "keep" and elided else hit.entry.article


def _hit_record(hit: Hit, placeholder: str, text: str) -> dict[str, Any]:
    following = _NEXT_WORD.match(text, hit.end)
    next_word = following.group(1) if following else ""
    entry = hit.entry
    record = {
        "source": hit.text,
        "target": (entry.plural or english_plural(entry.target)) if hit.plural else entry.target,
        "start": hit.start,
        "end": hit.end,
        "entry": entry.id,
        "placeholder": placeholder,
        "article": _article(hit),
        "determiner": hit.determiner,
        "compound": hit.compound,
        "next_word": next_word,
        "plural": hit.plural,
    }
    if entry.synonyms:
        record["synonyms"] = [english_plural(s) for s in entry.synonyms] if hit.plural else list(entry.synonyms)
    return record


def protect(document: Document, glossary: Glossary) -> None:
    """Find terms in each translatable segment, record them in `glossary_hits`, hide them from the engine.

    Offsets are in `segment.text_for_engine` as it stood (the source unless an earlier stage rewrote it).
    An elided article (l’, d’) or an indefinite "des" before a term is hidden with it, so the engine
    never reads "l’9001" as a pronoun; the article logic of `fit_term` puts the English one back.
    A segment translated already (e.g. from a translation memory) only gets its hits recorded, for QA;
    its text is not rewritten and `verify` leaves it alone.
    """
    matcher = glossary.matcher
    for segment in document:
        if not segment.translatable or PLACEHOLDERS_KEY in segment.extra:
            continue
        text = segment.text_for_engine
        hits = matcher.find(text)
        if not hits:
            continue
        pieces: list[str] = []
        cursor = 0
        records = []
        for hit, placeholder in zip(hits, placeholders_for(text, len(hits))):
            hide_start = max(cursor, hit.hide_start if hit.hide_start >= 0 else hit.start)
            pieces += [text[cursor:hide_start], hit.hide_prefix if hide_start < hit.start else "", placeholder]
            cursor = hit.end
            records.append(_hit_record(hit, placeholder, text))
        segment.glossary_hits = records
        if segment.target and segment.origin:
            for record in records:
                del record["placeholder"]  # translated before the engine: nothing hidden, nothing to restore
            continue
        segment.engine_input = "".join(pieces) + text[cursor:]
        segment.extra[PLACEHOLDERS_KEY] = {r["placeholder"]: r["target"] for r in records}


def term_pattern(term: str) -> re.Pattern[str]:
    """The term as a whole word, allowing only its first letter to change case (sentence start)."""
    first = term[:1]
    head = f"[{re.escape(first.upper())}{re.escape(first.lower())}]" if first.isalpha() else re.escape(first)
    return re.compile(r"(?<!\w)" + head + re.escape(term[1:]) + r"(?!\w)")


def _fit(segment: Segment, start: int, end: int, hit: dict[str, Any]) -> int:
    segment.target, new_start = fit_term(
        segment.target, start, end, hit["article"], hit["determiner"], hit["compound"], hit["next_word"]
    )
    return new_start


def _count(text: str, term: str) -> int:
    return len(term_pattern(term).findall(text))


def _source_ratio(segment: Segment, hit: dict[str, Any]) -> float:
    """Where the hit stood in the engine's input, as a fraction of its length."""
    text = segment.text_for_engine
    at = text.find(hit["placeholder"])
    return (at if at >= 0 else hit["start"]) / max(1, len(text))


def _attention_spot(segment: Segment, hit: dict[str, Any]) -> int | None:
    """Start of the target word that attended most to the placeholder's source position, if known.

    The pipeline leaves `Translation.attention` (target × source tokens) and the target tokens in
    `segment.extra`; the source column is taken proportionally, the word from SentencePiece `▁` marks."""
    attention, tokens = segment.extra.get("_attention"), segment.extra.get("_target_tokens")
    if not attention or not tokens or len(attention) != len(tokens) or not attention[0]:
        return None
    column = min(len(attention[0]) - 1, int(_source_ratio(segment, hit) * len(attention[0])))
    row = max(range(len(attention)), key=lambda r: attention[r][column])
    word = sum(1 for t in tokens[1 : row + 1] if t.startswith("▁"))
    starts = [m.start() for m in re.finditer(r"\S+", segment.target)]
    return starts[word] if word < len(starts) else None


def _insert_at_position(segment: Segment, hit: dict[str, Any]) -> str:
    """Put the term where attention or the source position maps to in the target, at a word boundary."""
    term, target = hit["target"], segment.target.rstrip()
    if not target:
        segment.target = term
        return "append"
    segment.target = target
    spot = _attention_spot(segment, hit)
    method = "attention"
    if spot is None:
        method, spot = "position", round(_source_ratio(segment, hit) * len(target))
        while 0 < spot < len(target) and not target[spot - 1].isspace():
            spot += 1
    if spot >= len(target):
        body = target.rstrip(".!?…»” ")
        segment.target = body + (" " if body else "") + term + target[len(body) :]
        _fit(segment, len(body) + (1 if body else 0), len(body) + (1 if body else 0) + len(term), hit)
        return "append"
    segment.target = target[:spot] + term + " " + target[spot:]
    _fit(segment, spot, spot + len(term), hit)
    return method


def _repair(segment: Segment, hit: dict[str, Any], placed: dict[str, int]) -> str:
    """Make a hit whose placeholder was lost appear in the target; the method used."""
    term = hit["target"]
    if _count(segment.target, term) > placed.get(term, 0):
        return "present"
    for synonym in hit.get("synonyms", ()):
        if _count(segment.target, synonym) > placed.get(synonym, 0):
            hit["target"] = synonym  # an accepted English form: QA and accuracy check that one
            return "present-synonym"
    flags = 0 if hit["source"].isupper() else re.IGNORECASE
    source = "['’]".join(re.escape(part) for part in re.split(r"['’]", hit["source"]))
    copied = re.compile(r"(?<!\w)" + source + r"(?!\w)", flags)
    found = copied.search(segment.target)
    if found:
        segment.target = segment.target[: found.start()] + term + segment.target[found.end() :]
        _fit(segment, found.start(), found.start() + len(term), hit)
        return "source-replaced"
    return _insert_at_position(segment, hit)


def _fit_window(tail: str, truncated: bool, term: str, after: str, hit: dict[str, Any]) -> tuple[str, str, str]:
    """`fit_term` on a bounded window; (new tail ending with the term, the term as written, new after)."""
    sentinel = "\x00" if truncated else ""  # a cut window must not look like the start of the text
    window = sentinel + tail + term + after
    start = len(sentinel) + len(tail)
    fitted, new_start = fit_term(
        window, start, start + len(term), hit["article"], hit["determiner"], hit["compound"], hit["next_word"]
    )
    written = fitted[new_start : new_start + len(term)]
    return fitted[len(sentinel) : new_start + len(term)], written, fitted[new_start + len(term) :]


def _restore_all(segment: Segment, by_name: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Put every placeholder's term into the target in one left-to-right pass; the method per placeholder.

    Each term's context is fitted within `_WINDOW` characters on either side, so the work is linear in
    the length of the target however many terms it holds."""
    target = segment.target
    found = [m for m in _ANY_PLACEHOLDER.finditer(target) if m.group(1) + m.group(3) in by_name]
    methods: dict[str, str] = {}
    out: list[str] = []
    tail, carry, carry_end = "", "", 0
    for i, match in enumerate(found):
        name = match.group(1) + match.group(3)
        hit = by_name[name]
        tail += carry + target[carry_end : match.start()]
        if len(tail) > 2 * _WINDOW:
            out.append(tail[:-_WINDOW])
            tail = tail[-_WINDOW:]
        after_end = min(match.end() + _WINDOW, found[i + 1].start() if i + 1 < len(found) else len(target))
        tail, _, carry = _fit_window(tail, bool(out), hit["target"], target[match.end() : after_end], hit)
        carry_end = after_end
        if name not in methods:
            methods[name] = "placeholder-fuzzy" if match.group(2) else "placeholder"
    if found:
        segment.target = "".join(out) + tail + carry + target[carry_end:]
    return methods


def _unknown_without_placeholders(words: list[str], by_name: dict[str, dict[str, Any]]) -> list[str]:
    """Unknown words with placeholders turned back into the French (pro-9002 → pro-OTAN); bare ones dropped."""
    kept: list[str] = []
    for word in words:
        if word.strip(_MARKS) in by_name:
            continue
        kept.append(
            _ANY_PLACEHOLDER.sub(
                lambda m: by_name[m.group(1) + m.group(3)]["source"] if m.group(1) + m.group(3) in by_name else m.group(),
                word,
            )
        )
    return kept


def verify(document: Document, glossary: Glossary) -> None:
    """After the engine: restore placeholders, check every hit's target is there, repair and record.

    Afterwards no placeholder is left anywhere a writer reads: not in the target, the unknown words,
    the hit records or `segment.extra`."""
    del glossary  # hits carry what is needed; the parameter keeps the stage signature uniform
    for segment in document:
        if not segment.glossary_hits or PLACEHOLDERS_KEY not in segment.extra:
            continue  # no terms, or a target `protect` hid no terms for (translation memory)
        by_name = {hit["placeholder"]: hit for hit in segment.glossary_hits}
        methods = _restore_all(segment, by_name)
        placed: dict[str, int] = {}
        lost: list[dict[str, Any]] = []
        for hit in segment.glossary_hits:
            method = methods.get(hit["placeholder"])
            if method is None:
                lost.append(hit)
                continue
            placed[hit["target"]] = placed.get(hit["target"], 0) + 1
            if method != "placeholder":
                segment.glossary_repairs.append(_repair_record(hit, method))
        for hit in lost:
            method = _repair(segment, hit, placed)
            placed[hit["target"]] = placed.get(hit["target"], 0) + 1
            segment.glossary_repairs.append(_repair_record(hit, method))
        segment.unknown_words = _unknown_without_placeholders(segment.unknown_words, by_name)
        del segment.extra[PLACEHOLDERS_KEY]
        for hit in segment.glossary_hits:
            hit.pop("placeholder", None)


def _repair_record(hit: dict[str, Any], method: str) -> dict[str, Any]:
    return {"source": hit["source"], "target": hit["target"], "entry": hit["entry"], "method": method}


def term_accuracy(document: Document) -> tuple[int, int]:
    """(hits whose target term is in the segment's translation, all hits) — engine-agnostic check."""
    ok = total = 0
    for segment in document:
        wanted: dict[str, int] = {}
        for hit in segment.glossary_hits:
            wanted[hit["target"]] = wanted.get(hit["target"], 0) + 1
        for term, needed in wanted.items():
            total += needed
            ok += min(needed, _count(segment.target, term))
    return ok, total
