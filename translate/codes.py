"""Inline codes (links, bold, XLIFF placeholders) through the pipeline: split into sentences, projected
into the English, merged back per unit.

The engine never sees a code: it translates plain text. Afterwards each segment's codes are placed in
its English by a word alignment built from what is reliable without a model of the language pair:
identical words (names, numbers, acronyms), the glossary's known translations, the engine's attention
where a CTranslate2 model returned it, and otherwise relative position between those anchors. A
pair (open, close) wraps the English of the words it wrapped in the French.

Boundary rule when splitting a unit into sentences: an opening code standing between two sentences
goes to the sentence after it (it opens what follows), a closing or isolated code goes to the
sentence before it (it closes, or follows, what precedes); before the first sentence everything goes
to the first, after the last everything goes to the last. An open/close pair may straddle sentences:
each sentence then holds one half, which wraps up to its end or from its start.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from translate.document import Document, InlineCode, Paragraph, Segment

_WORD = re.compile(r"\w+", re.UNICODE)


# ---------------------------------------------------------------------------------------------
# Splitting a unit's codes into its sentences, and merging the English back.
# ---------------------------------------------------------------------------------------------

def split_codes(codes: list[InlineCode], spans: list[tuple[int, int]]) -> list[list[InlineCode]]:
    """Each sentence's codes, positions rebased to the sentence; `spans` are the sentences' [start, end)
    in the unit text, in order. Every code goes to exactly one sentence (see the module's boundary rule)."""
    if not spans:
        return []
    out: list[list[InlineCode]] = [[] for _ in spans]
    starts = [s for s, _ in spans]
    for code in codes:
        p = code.position
        inside = bisect_right(starts, p) - 1  # last sentence starting at or before p
        if inside >= 0 and p < spans[inside][1]:
            index = inside if p > spans[inside][0] or code.kind == "open" or inside == 0 else \
                _at_start(code, inside)
        elif inside < 0:
            index = 0
        elif inside + 1 >= len(spans):
            index = inside
        else:  # in the gap after sentence `inside` (or at its very end)
            index = inside + 1 if code.kind == "open" else inside
        start, end = spans[index]
        out[index].append(code.at(min(max(p - start, 0), end - start)))
    return out


def _at_start(code: InlineCode, index: int) -> int:
    """A close or isolated code exactly at a sentence's start (no gap before it) belongs to the one before."""
    return index - 1


def merge_codes(pieces: list[tuple[int, list[InlineCode]]], length: int) -> list[InlineCode]:
    """The unit's codes from each sentence's (offset in the unit's English, target codes); sorted by position."""
    merged = [c.at(min(max(offset + c.position, 0), length)) for offset, codes in pieces for c in codes]
    return order_codes(merged)


def order_codes(codes: list[InlineCode]) -> list[InlineCode]:
    """Codes sorted by position; at one position closes of earlier opens come first, then isolated codes,
    then opens, then closes of pairs opened at that same position (empty pairs), each group in input order."""
    opened_at: dict[int, int] = {}
    for code in codes:
        if code.kind == "open":
            opened_at.setdefault(code.id, code.position)

    def rank(code: InlineCode) -> int:
        if code.kind == "close":
            return 3 if opened_at.get(code.id, -1) == code.position else 0
        return 1 if code.kind == "isolated" else 2

    indexed = list(enumerate(codes))
    indexed.sort(key=lambda item: (item[1].position, rank(item[1]), item[0]))
    return [c for _, c in indexed]


# ---------------------------------------------------------------------------------------------
# Projection: where each code of a segment goes in its English.
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str


def _words(text: str) -> list[_Word]:
    return [_Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _identical_anchors(source: list[_Word], target: list[_Word]) -> list[tuple[int, int]]:
    """(source word, target word) pairs of words written the same in both (names, numbers, acronyms),
    matched in order of occurrence; common short lowercase words are not evidence."""
    where: dict[str, list[int]] = {}
    for j, word in enumerate(target):
        where.setdefault(word.text, []).append(j)
    pairs = []
    used: dict[str, int] = {}
    for i, word in enumerate(source):
        key = word.text
        if key not in where or (key.islower() and len(key) < 4 and not key.isdigit()):
            continue
        k = used.get(key, 0)
        if k < len(where[key]):
            pairs.append((i, where[key][k]))
            used[key] = k + 1
    return pairs


def _term_anchors(segment: Segment, source: list[_Word], target: list[_Word]) -> list[tuple[int, int]]:
    """Glossary terms: each word of a French term anchored to the first word of its English term."""
    pairs = []
    for hit in segment.glossary_hits:
        s_at = segment.source.find(hit.source)
        t_at = _find_word_seq(segment.target, hit.target)
        if s_at < 0 or t_at < 0:
            continue
        t_index = next((j for j, w in enumerate(target) if w.start >= t_at), None)
        if t_index is None:
            continue
        t_last = t_index
        while t_last + 1 < len(target) and target[t_last + 1].end <= t_at + len(hit.target):
            t_last += 1
        s_words = [i for i, w in enumerate(source) if s_at <= w.start < s_at + len(hit.source)]
        for n, i in enumerate(s_words):
            pairs.append((i, t_index if n == 0 else t_last))
    return pairs


def _find_word_seq(text: str, term: str) -> int:
    found = re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text)
    return found.start() if found else -1


def _monotone(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of anchors increasing on both sides (crossing anchors are not used to
    interpolate): a longest increasing subsequence, O(n log n)."""
    ordered = sorted(set(pairs), key=lambda p: (p[0], -p[1]))  # one source word: at most one anchor kept
    tails: list[int] = []
    tail_index: list[int] = []
    parent: list[int] = []
    for n, (_, j) in enumerate(ordered):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(n)
        else:
            tails[k], tail_index[k] = j, n
        parent.append(tail_index[k - 1] if k else -1)
    chain: list[tuple[int, int]] = []
    n = tail_index[-1] if tail_index else -1
    while n >= 0:
        chain.append(ordered[n])
        n = parent[n]
    return chain[::-1]


def _attention_words(segment: Segment, source: list[_Word], target: list[_Word]) -> dict[int, int]:
    """Source word → target word with the most attention, when the engine returned attention for this
    segment's English as it stands (source columns taken proportionally to the engine input's length)."""
    attention, tokens = segment.attention, segment.target_tokens
    if not attention or not tokens or len(attention) != len(tokens) or not attention[0]:
        return {}
    word_of_row: list[int] = []
    word = -1
    for token in tokens:
        if token.startswith("▁") or word < 0:
            word += 1
        word_of_row.append(word)
    if word + 1 != len(target):
        return {}  # the English was changed after the engine (terms, typography): rows no longer match words
    text = segment.text_for_engine
    columns = len(attention[0])
    found: dict[int, int] = {}
    for i, w in enumerate(source):
        at = w.start if text == segment.source else text.find(w.text)
        if at < 0:
            continue  # the word was hidden from the engine (a glossary term): anchored otherwise
        column = min(columns - 1, int(at / max(1, len(text)) * columns))
        row = max(range(len(attention)), key=lambda r: attention[r][column])
        found[i] = word_of_row[row]
    return found


def align_words(segment: Segment) -> list[int]:
    """For each word of the source, the index of the target word it most likely became."""
    source, target = _words(segment.source), _words(segment.target)
    if not source or not target:
        return [0] * len(source)
    anchors = _monotone(_term_anchors(segment, source, target) + _identical_anchors(source, target))
    fixed = dict(anchors)
    attended = _attention_words(segment, source, target)
    chain = [(-1, -1)] + anchors + [(len(source), len(target))]
    out: list[int] = []
    for i in range(len(source)):
        if i in fixed:
            out.append(fixed[i])
            continue
        if i in attended:
            out.append(attended[i])
            continue
        k = bisect_left(chain, (i, -2)) - 1
        (s0, t0), (s1, t1) = chain[k], chain[k + 1]
        guess = t0 + (i - s0) * (t1 - t0) / (s1 - s0)
        out.append(min(len(target) - 1, max(0, round(guess))))
    return out


def project_segment(segment: Segment) -> list[InlineCode]:
    """The segment's codes placed in its English: every code once, sorted, opens before their closes."""
    codes = segment.codes
    if not codes:
        return []
    target = segment.target
    if target == segment.source:
        return order_codes([c.at(min(c.position, len(target))) for c in codes])
    if not target.strip():
        return order_codes([c.at(0) for c in codes])
    source_words, target_words = _words(segment.source), _words(target)
    if not source_words or not target_words:
        ratio = len(target) / max(1, len(segment.source))
        return order_codes([c.at(min(len(target), round(c.position * ratio))) for c in codes])
    mapped = align_words(segment)
    spans = _pair_spans(codes)
    placed: dict[int, int] = {}
    for index, code in enumerate(codes):
        if index in placed:
            continue
        partner = spans.get(index)
        if partner is not None:
            start, end = _wrapped(code.position, codes[partner].position, source_words, target_words, mapped)
            if start is not None:
                if code.position <= _lead(segment.source):
                    start = _lead(target)  # the pair opened the sentence: it opens the English
                if codes[partner].position >= len(segment.source.rstrip()):
                    end = len(target.rstrip())  # it closed the sentence, final punctuation included
                placed[index], placed[partner] = start, max(start, end)
                continue
        placed[index] = _point(code, segment.source, source_words, target_words, mapped, target)
    _nest(codes, spans, placed)
    return order_codes([c.at(placed[i]) for i, c in enumerate(codes)])


def _pair_spans(codes: list[InlineCode]) -> dict[int, int]:
    """Index of each open's close (and each close's open) within the same segment."""
    opens: dict[int, int] = {}
    pairs: dict[int, int] = {}
    for index, code in enumerate(codes):
        if code.kind == "open":
            opens[code.id] = index
        elif code.kind == "close" and code.id in opens:
            other = opens.pop(code.id)
            pairs[other], pairs[index] = index, other
    return pairs


def _wrapped(start: int, end: int, source: list[_Word], target: list[_Word],
             mapped: list[int]) -> tuple[int | None, int]:
    """The English span of the source words inside [start, end); (None, 0) when it wraps no word."""
    inside = [i for i, w in enumerate(source) if w.start >= start and w.end <= end]
    if not inside:
        return None, 0
    chosen = [mapped[i] for i in inside]
    first, last = min(chosen), max(chosen)
    return target[first].start, target[last].end


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


def _point(code: InlineCode, source_text: str, source: list[_Word], target: list[_Word], mapped: list[int],
           target_text: str) -> int:
    """Where a code that wraps no word goes: at the sentence's start or end when it stood there; else an
    open before the English of the next word, a close or an isolated code after the English of the
    word before it (before the first word when none precedes)."""
    p = code.position
    if p >= len(source_text.rstrip()):
        return len(target_text.rstrip())
    if p <= _lead(source_text):
        return _lead(target_text)
    before = [i for i, w in enumerate(source) if w.end <= p]
    after = [i for i, w in enumerate(source) if w.start >= p]
    if code.kind == "open" and after:
        return target[mapped[after[0]]].start
    if before:
        return target[mapped[before[-1]]].end
    if after:
        return target[mapped[after[0]]].start
    return 0


def _nest(codes: list[InlineCode], pairs: dict[int, int], placed: dict[int, int]) -> None:
    """Keep pairs nested in the English as they were in the French: an inner pair is clamped inside its
    outer pair; two disjoint pairs that ended up overlapping are cut apart at the first one's end."""
    spans = sorted((i, j) for i, j in pairs.items() if codes[i].kind == "open")
    for a, (oa, ca) in enumerate(spans):
        for ob, cb in spans[a + 1:]:
            sa, ea, sb, eb = codes[oa].position, codes[ca].position, codes[ob].position, codes[cb].position
            if sa <= sb and eb <= ea:  # b inside a in the French
                placed[ob] = min(max(placed[ob], placed[oa]), placed[ca])
                placed[cb] = min(max(placed[cb], placed[ob]), placed[ca])
            elif ea <= sb or eb <= sa:  # disjoint in the French
                x0, x1, y0, y1 = placed[oa], placed[ca], placed[ob], placed[cb]
                if x0 < y1 and y0 < x1:  # overlapping in the English
                    if x0 <= y0:
                        placed[ob] = min(max(y0, x1), y1) if y1 > x1 else x1
                        placed[cb] = max(placed[cb], placed[ob])
                    else:
                        placed[oa] = min(max(x0, y1), x1) if x1 > y1 else y1
                        placed[ca] = max(placed[ca], placed[oa])


def project_codes(document: Document) -> None:
    """Pipeline stage: fill `target_codes` of every segment that has codes (a no-op for plain text)."""
    for segment in document:
        if segment.codes:
            segment.target_codes = project_segment(segment)


# ---------------------------------------------------------------------------------------------
# Units as paragraphs.
# ---------------------------------------------------------------------------------------------

def unit_paragraph(index: int, first_id: int, text: str, codes: list[InlineCode], one_segment: bool,
                   lang: str = "fr") -> Paragraph:
    """A unit of a structured file as a Paragraph: its sentences (one when `one_segment`), codes split."""
    from translate.segment import _LINE_BREAK_IN_SENTENCE, is_translatable, split_sentences

    lead_len = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    if end <= lead_len:
        return Paragraph(index, [], lead=text, separator="\n")
    if one_segment:
        pairs = [(text[lead_len:end], text[end:])]
    else:
        pairs = split_sentences(text, lang)
    segments: list[Segment] = []
    spans: list[tuple[int, int]] = []
    at = lead_len
    for n, (sentence, space) in enumerate(pairs):
        segment = Segment(id=first_id + n, paragraph=index, source=sentence, space_after=space,
                          translatable=is_translatable(sentence))
        if "\n" in sentence or "\r" in sentence:
            segment.engine_input = _LINE_BREAK_IN_SENTENCE.sub(" ", sentence)
        segments.append(segment)
        spans.append((at, at + len(sentence)))
        at += len(sentence) + len(space)
    for segment, own in zip(segments, split_codes(codes, spans)):
        segment.codes = own
    return Paragraph(index, segments, lead=text[:lead_len], separator="\n")


def unit_english(paragraph: Paragraph, unit_text: str, unit_codes: list[InlineCode]) -> tuple[str, list[InlineCode]]:
    """The unit's English (targets joined with the French whitespace) and its codes merged and sorted."""
    if not paragraph.segments:
        return unit_text, order_codes(list(unit_codes))
    parts = [paragraph.lead]
    pieces: list[tuple[int, list[InlineCode]]] = []
    offset = len(paragraph.lead)
    for segment in paragraph.segments:
        target = segment.target
        codes = segment.target_codes if len(segment.target_codes) == len(segment.codes) else \
            project_segment(segment)
        pieces.append((offset, codes))
        parts.append(target + segment.space_after)
        offset += len(target) + len(segment.space_after)
    text = "".join(parts)
    return text, merge_codes(pieces, len(text))
