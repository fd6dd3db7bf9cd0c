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
from dataclasses import dataclass
from glossary.collection import Glossary
from glossary.english import english_plural, fit_term, term_pattern
from glossary.match import Hit
from translate.document import Document, Segment, TermHit, TermRepair

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


def _hit_record(hit: Hit, placeholder: str, text: str) -> TermHit:
    following = _NEXT_WORD.match(text, hit.end)
    next_word = following.group(1) if following else ""
    entry = hit.entry
    synonyms = None
    if entry.synonyms:
        synonyms = tuple(english_plural(s) for s in entry.synonyms) if hit.plural else tuple(entry.synonyms)
    return TermHit(
        source=hit.text,
        target=(entry.plural or english_plural(entry.target)) if hit.plural else entry.target,
        start=hit.start,
        end=hit.end,
        entry=entry.id,
        article=_article(hit),
        determiner=hit.determiner,
        compound=hit.compound,
        next_word=next_word,
        plural=hit.plural,
        synonyms=synonyms,
        placeholder=placeholder,
    )


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
        if not segment.translatable or segment.placeholders is not None:
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
        if segment.translated:
            for record in records:
                record.placeholder = ""  # translated before the engine: nothing hidden, nothing to restore
            continue
        segment.engine_input = "".join(pieces) + text[cursor:]
        segment.placeholders = {r.placeholder: r.target for r in records}


def _count(text: str, term: str) -> int:
    return len(term_pattern(term).findall(text))


def _source_ratio(segment: Segment, hit: TermHit, where: dict[str, int] | None = None) -> float:
    """Where the hit stood in the engine's input, as a fraction of its length."""
    text = segment.text_for_engine
    at = where.get(hit.placeholder, -1) if where is not None else text.find(hit.placeholder)
    return (at if at >= 0 else hit.start) / max(1, len(text))


def _attention_spot(
    segment: Segment, hit: TermHit, where: dict[str, int] | None = None, starts: list[int] | None = None
) -> int | None:
    """Start of the target word that attended most to the placeholder's source position, if known.

    The pipeline leaves `Translation.attention` (target × source tokens) and the target tokens in
    `segment.attention` / `segment.target_tokens`; the source column is taken proportionally, the word from SentencePiece `▁` marks."""
    attention, tokens = segment.attention, segment.target_tokens
    if not attention or not tokens or len(attention) != len(tokens) or not attention[0]:
        return None
    column = min(len(attention[0]) - 1, int(_source_ratio(segment, hit, where) * len(attention[0])))
    row = max(range(len(attention)), key=lambda r: attention[r][column])
    word = sum(1 for t in tokens[1 : row + 1] if t.startswith("▁"))
    if starts is None:
        starts = [m.start() for m in re.finditer(r"\S+", segment.target)]
    return starts[word] if word < len(starts) else None


@dataclass
class _Edit:
    """One repair to apply to the target: replace [start, end) with the term, or insert it at start."""

    start: int
    end: int
    kind: str
    """`replace` (a copied French source), `insert` (term + space before start), `append` (space + term)."""
    order: int
    hit: TermHit


def _copied_source(hit: TermHit) -> re.Pattern[str]:
    """The French source as an engine may have copied it (either apostrophe, any case unless an acronym)."""
    flags = 0 if hit.source.isupper() else re.IGNORECASE
    source = "['’]".join(re.escape(part) for part in re.split(r"['’]", hit.source))
    return re.compile(r"(?<!\w)" + source + r"(?!\w)", flags)


class _Repairer:
    """Decides how each lost hit gets into the target, then applies every edit in one windowed pass.

    Counting, source search and word starts are done once per segment (not once per lost term), so a
    long line whose engine dropped many placeholders is repaired in linear time."""

    def __init__(self, segment: Segment, lost: list[TermHit], placed: dict[str, int]) -> None:
        self.segment, self.target, self.placed = segment, segment.target, placed
        terms = {h.target for h in lost} | {t for h in lost for t in (h.synonyms or ())}
        self.available = {t: _count(self.target, t) - placed.get(t, 0) for t in terms}
        self.where = {}
        for m in _ANY_PLACEHOLDER.finditer(segment.text_for_engine):
            self.where.setdefault(m.group(1) + m.group(3), m.start())
        self.spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
        self.claimed: list[tuple[int, int]] = []
        self.body = self.target.rstrip()
        self.starts: list[int] | None = None
        self.edits: list[_Edit] = []

    def decide(self, order: int, hit: TermHit) -> str:
        """The repair method for one lost hit; edits are queued, not applied."""
        term = hit.target
        if self.available.get(term, 0) > 0:
            self.available[term] -= 1
            return "present"
        for synonym in (hit.synonyms or ()):
            if self.available.get(synonym, 0) > 0:
                self.available[synonym] -= 1
                hit.target = synonym  # an accepted English form: QA and accuracy check that one
                return "present-synonym"
        span = self._free_source_span(hit)
        if span:
            self.edits.append(_Edit(span[0], span[1], "replace", order, hit))
            return "source-replaced"
        return self._insertion(order, hit)

    def _free_source_span(self, hit: TermHit) -> tuple[int, int] | None:
        key = (hit.source if hit.source.isupper() else hit.source.casefold(), 0)
        if key not in self.spans:
            self.spans[key] = [m.span() for m in _copied_source(hit).finditer(self.target)][::-1]
        free = self.spans[key]
        while free:
            start, end = free.pop()
            if not any(a < end and start < b for a, b in self.claimed[-8:]):
                self.claimed.append((start, end))
                return start, end
        return None

    def _insertion(self, order: int, hit: TermHit) -> str:
        body = self.body
        if not body:
            self.edits.append(_Edit(0, 0, "append", order, hit))
            return "append"
        if self.starts is None and self.segment.attention:
            self.starts = [m.start() for m in re.finditer(r"\S+", body)]
        spot = _attention_spot(self.segment, hit, self.where, self.starts) if self.starts is not None else None
        method = "attention"
        if spot is None:
            method, spot = "position", round(_source_ratio(self.segment, hit, self.where) * len(body))
            while 0 < spot < len(body) and not body[spot - 1].isspace():
                spot += 1
        if spot >= len(body):
            self.edits.append(_Edit(len(body.rstrip(".!?…»” ")), 0, "append", order, hit))
            return "append"
        self.edits.append(_Edit(spot, spot, "insert", order, hit))
        return method

    def apply(self) -> None:
        """Write every queued edit into the target, fitting each term within a bounded window."""
        if not self.edits:
            return
        inserts = [e for e in self.edits if e.kind != "replace"]
        target = self.body if inserts else self.target
        if not target:
            self.segment.target = " ".join(e.hit.target for e in sorted(self.edits, key=lambda e: e.order))
            return
        edits = sorted(self.edits, key=lambda e: (e.start, e.kind == "replace", e.order))
        out: list[str] = []
        tail, carry, carry_end = "", "", 0
        for i, edit in enumerate(edits):
            tail += carry + target[carry_end : edit.start]
            if len(tail) > 2 * _WINDOW:
                out.append(tail[:-_WINDOW])
                tail = tail[-_WINDOW:]
            resume = max(carry_end, edit.end if edit.kind == "replace" else edit.start)
            next_start = edits[i + 1].start if i + 1 < len(edits) else len(target)
            after_end = max(resume, min(resume + _WINDOW, next_start))
            after = target[resume:after_end]
            if edit.kind == "insert" and edit.start >= carry_end:
                after = " " + after
            elif edit.kind != "replace" and (tail or out) and not tail[-1:].isspace():
                tail += " "  # an append, or an insert that fell inside a replaced French source
            tail, _, carry = _fit_window(tail, bool(out), edit.hit.target, after, edit.hit)
            carry_end = after_end
        self.segment.target = "".join(out) + tail + carry + target[carry_end:]


def _fit_window(tail: str, truncated: bool, term: str, after: str, hit: TermHit) -> tuple[str, str, str]:
    """`fit_term` on a bounded window; (new tail ending with the term, the term as written, new after)."""
    sentinel = "\x00" if truncated else ""  # a cut window must not look like the start of the text
    window = sentinel + tail + term + after
    start = len(sentinel) + len(tail)
    fitted, new_start = fit_term(
        window, start, start + len(term), hit.article, hit.determiner, hit.compound, hit.next_word
    )
    written = fitted[new_start : new_start + len(term)]
    return fitted[len(sentinel) : new_start + len(term)], written, fitted[new_start + len(term) :]


def _restore_all(segment: Segment, by_name: dict[str, TermHit]) -> dict[str, str]:
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
        tail, _, carry = _fit_window(tail, bool(out), hit.target, target[match.end() : after_end], hit)
        carry_end = after_end
        if name not in methods:
            methods[name] = "placeholder-fuzzy" if match.group(2) else "placeholder"
    if found:
        segment.target = "".join(out) + tail + carry + target[carry_end:]
    return methods


def _unknown_without_placeholders(words: list[str], by_name: dict[str, TermHit]) -> list[str]:
    """Unknown words with placeholders turned back into the French (pro-9002 → pro-OTAN); bare ones dropped."""
    kept: list[str] = []
    for word in words:
        if word.strip(_MARKS) in by_name:
            continue
        kept.append(
            _ANY_PLACEHOLDER.sub(
                lambda m: by_name[m.group(1) + m.group(3)].source if m.group(1) + m.group(3) in by_name else m.group(),
                word,
            )
        )
    return kept


def verify(document: Document, glossary: Glossary) -> None:
    """After the engine: restore placeholders, check every hit's target is there, repair and record.

    Afterwards no placeholder is left anywhere a writer reads: not in the target, the unknown words,
    the hit records or `segment.placeholders`."""
    del glossary  # hits carry what is needed; the parameter keeps the stage signature uniform
    for segment in document:
        if not segment.glossary_hits or segment.placeholders is None:
            continue  # no terms, or a target `protect` hid no terms for (translation memory)
        by_name = {hit.placeholder: hit for hit in segment.glossary_hits}
        methods = _restore_all(segment, by_name)
        placed: dict[str, int] = {}
        lost: list[TermHit] = []
        for hit in segment.glossary_hits:
            method = methods.get(hit.placeholder)
            if method is None:
                lost.append(hit)
                continue
            placed[hit.target] = placed.get(hit.target, 0) + 1
            if method != "placeholder":
                segment.glossary_repairs.append(_repair_record(hit, method))
        repairer = _Repairer(segment, lost, placed)
        for order, hit in enumerate(lost):
            method = repairer.decide(order, hit)
            placed[hit.target] = placed.get(hit.target, 0) + 1
            segment.glossary_repairs.append(_repair_record(hit, method))
        repairer.apply()
        segment.unknown_words = _unknown_without_placeholders(segment.unknown_words, by_name)
        segment.placeholders = None
        for hit in segment.glossary_hits:
            hit.placeholder = ""


def _repair_record(hit: TermHit, method: str) -> TermRepair:
    return TermRepair(hit.source, hit.target, hit.entry, method)


def term_accuracy(document: Document) -> tuple[int, int]:
    """(hits whose target term is in the segment's translation, all hits) — engine-agnostic check."""
    ok = total = 0
    for segment in document:
        wanted: dict[str, int] = {}
        for hit in segment.glossary_hits:
            wanted[hit.target] = wanted.get(hit.target, 0) + 1
        for term, needed in wanted.items():
            total += needed
            ok += min(needed, _count(segment.target, term))
    return ok, total
