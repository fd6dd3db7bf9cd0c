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
to the first, after the last everything goes to the last. In the English such a code stands in the
same whitespace as in the French (the whitespace between sentences is kept as it was). An open/close
pair may straddle sentences: each sentence then holds one half, which wraps up to its end or from its
start (TMX `<it>`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from translate.document import Document, InlineCode, Paragraph, QaFinding, Segment
from translate.phrase_tags import find_placeholders, is_placeholder
from translate.segment import _LINE_BREAK_IN_SENTENCE, is_translatable, split_sentences

_WORD = re.compile(r"\w+|[%‰€$£¥°]|[«»“”()\[\]]", re.UNICODE)
"""Words, the symbols that stand for one (3,5 % → 3.5%: a code around the French % goes around the English
%), and quotes and brackets, which both languages keep around the same words (anchors for what they hold)."""
_SAME_MARK = {"«": "“", "»": "”"}
"""French quotes and the English ones typography turns them into."""


# ---------------------------------------------------------------------------------------------
# Splitting a unit's codes into its sentences, and merging the English back.
# ---------------------------------------------------------------------------------------------

def split_codes(codes: list[InlineCode], spans: list[tuple[int, int]]) -> list[list[InlineCode]]:
    """Each sentence's codes, positions rebased to the sentence; `spans` are the sentences' [start, end)
    in the unit text, in order. Every code goes to exactly one sentence (see the module's boundary rule)."""
    out: list[list[InlineCode]] = [[] for _ in spans]
    for index, code, _ in _assignments(codes, spans):
        out[index].append(code)
    return out


def _assignments(codes: list[InlineCode], spans: list[tuple[int, int]]) -> list[tuple[int, InlineCode, int]]:
    """(sentence index, code rebased to it, shift) per code; the shift is how far into the whitespace around
    the sentence the code stood (negative: before its start), so that the English keeps it there too."""
    if not spans:
        return []
    starts = [s for s, _ in spans]
    out = []
    for code in codes:
        p = code.position
        inside = bisect_right(starts, p) - 1  # last sentence starting at or before p
        if inside >= 0 and p < spans[inside][1]:
            at_start = p == spans[inside][0] and code.kind != "open" and inside > 0
            index = inside - 1 if at_start else inside  # a close or isolated code at a start ends the sentence before
        elif inside < 0:
            index = 0
        elif inside + 1 >= len(spans):
            index = inside
        else:  # in the gap after sentence `inside` (or at its very end)
            index = inside + 1 if code.kind == "open" else inside
        start, end = spans[index]
        rebased = min(max(p - start, 0), end - start)
        out.append((index, code.at(rebased), p - start - rebased))
    return out


def order_codes(codes: list[InlineCode]) -> list[InlineCode]:
    """Codes sorted by position, in the given order at one position when that order is well nested (the
    French order, for codes that kept their neighbours), else in a canonical well-nested order."""
    given = sorted(codes, key=lambda c: c.position)
    return given if well_nested(given) else _canonical_order(codes)


def well_nested(codes: list[InlineCode]) -> bool:
    """Whether the codes, in this order, nest like balanced markup: a close ends the innermost open code;
    a close whose open is elsewhere (an earlier sentence) comes while nothing is open."""
    has_open = {c.id for c in codes if c.kind == "open"}
    stack: list[int] = []
    for c in codes:
        if c.kind == "open":
            stack.append(c.id)
        elif c.kind == "close":
            if c.id not in has_open:
                if stack:
                    return False
            elif not stack or stack.pop() != c.id:
                return False
    return True


def _canonical_order(codes: list[InlineCode]) -> list[InlineCode]:
    """Codes sorted by position and well nested at each position: closes of codes opened before (innermost
    first; a close whose open is in another segment before those), isolated codes, empty pairs (open then
    close), then opens, the one closing last first."""
    by_position: dict[int, list[InlineCode]] = {}
    for c in codes:
        by_position.setdefault(c.position, []).append(c)
    close_at = {c.id: c.position for c in codes if c.kind == "close"}
    has_open = {c.id for c in codes if c.kind == "open"}
    stack: list[int] = []
    out: list[InlineCode] = []
    for position in sorted(by_position):
        group = by_position[position]
        opens = [c for c in group if c.kind == "open"]
        empty = {c.id for c in opens if close_at.get(c.id) == position}
        closes = [c for c in group if c.kind == "close"]
        foreign = [c for c in closes if c.id not in has_open]
        earlier = sorted((c for c in closes if c.id in stack), key=lambda c: -stack.index(c.id))
        for c in earlier:
            stack.remove(c.id)
        out += foreign + earlier + [c for c in group if c.kind == "isolated"]
        for c in opens:
            if c.id in empty:
                out += [c] + [d for d in closes if d.id == c.id]
        rest = [c for c in opens if c.id not in empty]
        rest.sort(key=lambda c: -close_at.get(c.id, 2**62))  # stable: equal spans keep the given order
        out += rest
        stack.extend(c.id for c in rest)
    return out


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
        where.setdefault(_SAME_MARK.get(word.text, word.text), []).append(j)
    pairs = []
    used: dict[str, int] = {}
    for i, word in enumerate(source):
        key = _SAME_MARK.get(word.text, word.text)
        if key not in where or (key.islower() and len(key) < 4 and not key.isdigit()):
            continue
        k = used.get(key, 0)
        if k < len(where[key]):
            pairs.append((i, where[key][k]))
            used[key] = k + 1
    return pairs


def _identical_runs(source: list[_Word], target: list[_Word]) -> list[tuple[int, int]]:
    """Words inside runs of two or more words written the same in both, in order (a name with its title,
    a quoted phrase, a sentence an engine copied): evidence even for short common words, which alone are not."""
    from difflib import SequenceMatcher

    keys = [_SAME_MARK.get(w.text, w.text) for w in target]
    matcher = SequenceMatcher(None, [_SAME_MARK.get(w.text, w.text) for w in source], keys, autojunk=False)
    return [(i + k, j + k) for i, j, size in matcher.get_matching_blocks() if size >= 2 for k in range(size)]


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


def _token_words(tokens: list[str], target: str, words: list[_Word]) -> list[int] | None:
    """The target word each SentencePiece token falls in; None when the pieces no longer spell the
    target (a stage changed the English after the engine: restored terms, typography)."""
    pieces = [t.replace("▁", " ") for t in tokens]
    spelled = "".join(pieces)
    if spelled.strip() != target.strip():
        return None
    shift = len(spelled) - len(spelled.lstrip()) - (len(target) - len(target.lstrip()))
    starts = [w.start for w in words]
    out, at = [], 0
    for piece in pieces:
        offset = at + (len(piece) - len(piece.lstrip())) - shift
        out.append(max(0, bisect_right(starts, offset) - 1))
        at += len(piece)
    return out


def _attention_words(segment: Segment, source: list[_Word], target: list[_Word]) -> dict[int, int]:
    """Source word → target word with the most attention, when the engine returned attention for this
    segment's English as it stands (source columns taken in proportion to the engine input's length,
    since the source tokens are not kept)."""
    attention, tokens = segment.attention, segment.target_tokens
    if not attention or not tokens or len(attention) != len(tokens) or not attention[0]:
        return {}
    word_of_row = _token_words(tokens, segment.target, target)
    if word_of_row is None:
        return {}
    text = segment.text_for_engine
    columns = len(attention[0])
    found: dict[int, int] = {}
    for i, w in enumerate(source):
        at = w.start if text == segment.source else text.find(w.text)
        if at < 0:
            continue  # the word was hidden from the engine (a glossary term): anchored otherwise
        first = int(at / max(1, len(text)) * columns)
        last = max(first, int(w.end / max(1, len(text)) * columns) - 1) if text == segment.source else first
        cols = range(min(first, columns - 1), min(last, columns - 1) + 1)
        row = max(range(len(attention)), key=lambda r: sum(attention[r][c] for c in cols))
        found[i] = word_of_row[row]
    return found


def align_words(segment: Segment) -> list[int]:
    """For each word of the source, the index of the target word it most likely became."""
    source, target = _words(segment.source), _words(segment.target)
    if not source or not target:
        return [0] * len(source)
    evidence = _term_anchors(segment, source, target) + _identical_runs(source, target) + \
        _identical_anchors(source, target)
    fixed: dict[int, int] = {}
    for i, j in evidence:
        fixed.setdefault(i, j)  # a word's own anchor holds even where the English reorders the sentence
    anchors = _monotone(list(fixed.items()))  # interpolation between anchors needs them in order
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
                if code.position <= _lead(segment.source) and start == target_words[0].start:
                    start = _lead(target)  # the pair opened both sentences
                if codes[partner].position >= len(segment.source.rstrip()) and end == target_words[-1].end:
                    end = len(target.rstrip())  # it closed both, final punctuation included
                placed[index], placed[partner] = start, max(start, end)
                continue
            # A pair around no word (an italic ", " between two names): each half finds its place by its
            # neighbours, the open before the next word and the close after the word before; swapped, they
            # wrap the English between those two words instead of ending before they begin.
            here = _point(code, segment.source, source_words, target_words, mapped, target)
            there = _point(codes[partner], segment.source, source_words, target_words, mapped, target)
            placed[index], placed[partner] = min(here, there), max(here, there)
            continue
        placed[index] = _point(code, segment.source, source_words, target_words, mapped, target)
    _nest(codes, spans, placed, len(target))
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
    open before the English of the next word, a close after the English of the word before it, an
    isolated code with the word it touches (the next one when a space precedes it and none follows)."""
    p = code.position
    if p >= len(source_text.rstrip()):
        return len(target_text.rstrip())
    if p <= _lead(source_text):
        return _lead(target_text)
    before = [i for i, w in enumerate(source) if w.end <= p]
    after = [i for i, w in enumerate(source) if w.start >= p]
    touches_next = source_text[p - 1].isspace() and not source_text[p].isspace()
    if after and (code.kind == "open" or (code.kind == "isolated" and touches_next)):
        return target[mapped[after[0]]].start
    if before:
        return target[mapped[before[-1]]].end
    if after:
        return target[mapped[after[0]]].start
    return 0


def _nest(codes: list[InlineCode], pairs: dict[int, int], placed: dict[int, int], length: int) -> None:
    """Keep the markup well nested in the English (writers need it): taking spans outer first in the
    French, a span that crosses one placed before it is cut to lie inside it (when it was inside it in
    the French) or beside it (otherwise); one that still crosses becomes empty at its start. Half of a
    pair whose other half is in another sentence spans to the sentence's end (an open) or from its start
    (a close)."""
    far = length + 1
    spans: list[tuple[int, int, int | None, int | None]] = []  # French start, end; open index, close index
    for index, code in enumerate(codes):
        if code.kind == "open":
            partner = pairs.get(index)
            spans.append((code.position, 2**62 if partner is None else codes[partner].position, index, partner))
        elif code.kind == "close" and index not in pairs:
            spans.append((-1, code.position, None, index))
    spans.sort(key=lambda span: (span[0], -span[1]))
    kept: list[tuple[int, int, int, int]] = []  # English start, end; French start, end
    for fa, fb, o, c in spans:
        a = placed[o] if o is not None else -1
        b = placed[c] if c is not None else far
        for _ in range(len(kept) + 1):
            crossing = next(((x, y, fx, fy) for x, y, fx, fy in kept if _crosses(a, b, x, y, fx <= fa and fb <= fy)),
                            None)
            if crossing is None:
                break
            x, y, fx, fy = crossing
            inside_in_french = fx <= fa and fb <= fy
            a, b = (max(a, x), min(b, y)) if inside_in_french else ((a, x) if a < x else (y, b))
            if a > b:
                a = b
        else:
            a = b = placed[o] if o is not None else placed[c]  # type: ignore[index]
        if a > b:
            a = b  # never an open after its close: a writer would lose the close
        if o is not None:
            placed[o] = min(max(a, 0), length)
        if c is not None:
            placed[c] = min(max(b, 0), length)
        kept.append((a, b, fa, fb))


def _crosses(a: int, b: int, x: int, y: int, inside_in_french: bool) -> bool:
    """Whether span [a, b] must be cut against [x, y]: they cross, or [a, b] was inside [x, y] in the French
    and is not in the English while sharing an end with it (two halves of pairs from other sentences)."""
    if x < a < y < b or a < x < b < y:
        return True
    return inside_in_french and (a == x or b == y) and not (x <= a and b <= y)


def project_codes(document: Document) -> None:
    """Pipeline stage: fill `target_codes` of every segment that has codes (a no-op for plain text, which
    never loads translate/markup.py: only a segment an engine carried codes through needs it)."""
    for segment in document:
        if segment.codes:
            placed = None
            if segment.engine_codes is not None:
                from translate.markup import engine_codes

                placed = engine_codes(segment)
            segment.target_codes = project_segment(segment) if placed is None else placed
            _check_phrase_tags(segment)


def _check_phrase_tags(segment: Segment) -> None:
    """QA findings for the Phrase MXLIFF tags of a segment (`{1}`, `{b>`…`<b}`, codes only a Phrase file has):
    one the engine dropped or repeated (put back once by the projection: the reviser checks where), and
    one written in the English text, which would stand twice in the target, or stand there unasked."""
    tags = [c for c in segment.codes if is_placeholder(c.data)]
    if not tags:
        return
    if segment.engine_codes is not None:
        returned: dict[tuple[int, str], int] = {}
        for code_id, kind, _ in segment.engine_codes:
            returned[(code_id, kind)] = returned.get((code_id, kind), 0) + 1
        for code in tags:
            count = returned.get((code.id, code.kind), 0)
            if count == 0:
                segment.qa.append(QaFinding("tag-dropped", f"the engine dropped the tag {code.data}; "
                                                           "it was put back by word alignment: check where it stands"))
            elif count > 1:
                segment.qa.append(QaFinding("tag-repeated", f"the engine wrote the tag {code.data} {count} times; "
                                                            "it is kept once: check where it stands"))
        for pair in _emptied_pairs(segment, tags):
            segment.qa.append(QaFinding("tag-emptied", f"the engine left no words inside {pair}; "
                                                       "it was put around words by word alignment: check which"))
    own = {c.data for c in tags}
    for stray in find_placeholders(segment.target):
        why = "the target holds it twice" if stray.text in own else "it is not a tag of this source segment"
        segment.qa.append(QaFinding("tag-in-text", f"the tag {stray.text} is written in the English text: {why}"))


def _emptied_pairs(segment: Segment, tags: list[InlineCode]) -> list[str]:
    """Tag pairs (`{7>…<7}`) that wrapped words in the French and that the engine returned, each half once,
    around no words or reversed: the English placement is then the projection's guess."""
    returned: dict[tuple[int, str], list[int]] = {}
    for code_id, kind, position in segment.engine_codes or []:
        returned.setdefault((code_id, kind), []).append(position)
    french = {(c.id, c.kind): c.position for c in segment.codes}
    english = segment.engine_target or ""
    out = []
    for code in tags:
        if code.kind != "open" or (code.id, "close") not in french:
            continue
        start, end = returned.get((code.id, "open"), []), returned.get((code.id, "close"), [])
        if len(start) != 1 or len(end) != 1:
            continue  # dropped or repeated: said already
        wrapped = segment.source[french[(code.id, "open")]:french[(code.id, "close")]].strip()
        if wrapped and (start[0] > end[0] or not english[start[0]:end[0]].strip()):
            close = next(c.data for c in tags if c.id == code.id and c.kind == "close")
            out.append(f"{code.data}…{close}")
    return out


# ---------------------------------------------------------------------------------------------
# Units as paragraphs.
# ---------------------------------------------------------------------------------------------

def unit_paragraph(index: int, first_id: int, text: str, codes: list[InlineCode], one_segment: bool,
                   lang: str = "fr") -> Paragraph:
    """A unit of a structured file as a Paragraph: its sentences (one when `one_segment`), codes split."""
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
    """The unit's English (targets joined with the French whitespace) and its codes merged and sorted.

    A code that stood in the whitespace between sentences stands in the same whitespace in the English,
    unless that would break the nesting of the English markup (then it stays at the sentence's edge)."""
    if not paragraph.segments:
        return unit_text, order_codes([c.at(min(max(c.position, 0), len(unit_text))) for c in unit_codes])
    spans, at = [], len(paragraph.lead)
    for segment in paragraph.segments:
        spans.append((at, at + len(segment.source)))
        at += len(segment.source) + len(segment.space_after)
    shifts = {(code.id, code.kind): shift for _, code, shift in _assignments(unit_codes, spans) if shift}
    text = paragraph.lead + "".join(s.target + s.space_after for s in paragraph.segments)
    french_order = {(c.id, c.kind): n for n, c in enumerate(unit_codes)}
    placed = _unit_positions(paragraph, shifts)
    placed.sort(key=lambda c: french_order.get((c.id, c.kind), 0))  # ties keep the French order
    ordered = order_codes([c.at(min(max(c.position, 0), len(text))) for c in placed])
    if shifts and not well_nested(ordered):
        placed = _unit_positions(paragraph, {})
        placed.sort(key=lambda c: french_order.get((c.id, c.kind), 0))
        ordered = order_codes([c.at(min(max(c.position, 0), len(text))) for c in placed])
    return text, ordered


def _unit_positions(paragraph: Paragraph, shifts: dict[tuple[int, str], int]) -> list[InlineCode]:
    """Every sentence's target codes at their offsets in the unit's English, moved by `shifts` into the
    whitespace around their sentence as far as that whitespace goes."""
    out: list[InlineCode] = []
    offset = len(paragraph.lead)
    before = paragraph.lead  # the whitespace before the current sentence
    for segment in paragraph.segments:
        target = segment.target
        codes = segment.target_codes if len(segment.target_codes) == len(segment.codes) else \
            project_segment(segment)
        for c in codes:
            position = offset + c.position
            shift = shifts.get((c.id, c.kind), 0)
            if shift > 0 and c.position >= len(target.rstrip()):
                position += min(shift, len(segment.space_after))
            elif shift < 0 and c.position <= len(target) - len(target.lstrip()):
                position -= min(-shift, len(before))
            out.append(c.at(position))
        offset += len(target) + len(segment.space_after)
        before = segment.space_after
    return out
