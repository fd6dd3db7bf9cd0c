"""Rule-based sentence segmentation for French and English, in the spirit of SRX.

Reading order: abbreviation data, then the candidate tokenizer, then the ordered break/no-break
rules (first rule that answers wins), then the forced breaks that need no punctuation (news
metadata prefix, read-more labels), then paragraphs (lines, hard-wrapped lines joined) and the
`Document` builder. Every split is lossless: whitespace is recorded, never dropped.

Decisions worth knowing:
- "etc." (and other `enders` such as "Cie.", "Inc.", "env.") ends the sentence when the next word
  starts with a capital, a quote or a dash: a capitalised word after "etc." almost always opens a new
  sentence, because "etc." closes an enumeration. It never ends one before a lowercase word or a digit.
- A single capital initial ("J.", "J.-P.") or a dotted acronym ("U.S.A.", "O.N.U.") ends the sentence
  only when the next word is a typical sentence opener (pronoun, conjunction, determiner), so
  "J. K. Rowling" and "l'O.N.U. New York" stay whole but "aux U.S.A. Il" is split. Titles ("M.",
  "Dr.", "St.") are held to the stricter list (pronouns, conjunctions), so "Main St. The house" splits.
- Hard-wrapped lines are joined into one paragraph; a sentence that spans lines keeps its newline in
  `Segment.source` (lossless) and gets `engine_input` with the line break replaced by one space.
- Text inside « » is split like any other text (« Il part. Elle reste. » gives two sentences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from translate.document import Document, Paragraph, Segment
from translate.errors import UserError


def _words(spec: str, capitalised: bool = True) -> frozenset[str]:
    """A frozenset from a space-separated list; lowercase words of 2+ letters also get a capital form,
    and an elided word written with ' ("j'") also gets the typographic apostrophe ("j’")."""
    words = set(spec.split())
    words |= {w.replace("'", "’") for w in words}
    if capitalised:
        words |= {w[0].upper() + w[1:] for w in list(words) if len(w) > 1 and w.islower()}
    return frozenset(words)


# ---------------------------------------------------------------------------------------------
# Data: abbreviation and word lists (exact match on the word before the final period, without it).
# ---------------------------------------------------------------------------------------------

FR_TITLES = _words(
    "M MM Mme Mmes Mlle Mlles Dr Drs Dre Pr Pre Me Mgr St Ste Sts Stes Ph Ch Th Vve Gal Cdt Cne Lt Sgt",
    capitalised=False,
)
"""Titles and name prefixes: end a sentence only before a pronoun or conjunction (case-sensitive:
"Me" is Maître, not "me")."""
FR_PREFIXES = _words("cf av apr ex op c.-à-d c-à-d coll éd trad préf bd boul fg resp vs e.g i.e")
"""Abbreviations that always introduce something else: never end a sentence."""
FR_NUMBER_PREFIXES = _words(
    "p pp vol chap ch art n no nos fig t tab réf tél janv févr fév avr juil sept oct nov déc h"
)
"""Abbreviations that do not end a sentence before a number ("p. 12", "art. L. 121-1", "12 sept. 2023",
"9 h. 30")."""
FR_ENDERS = _words("etc cie ibid id cit al env hab suiv sq sqq inc ltd min max s", capitalised=True)
"""Abbreviations that may end a sentence: break before a capitalised word, not before a digit."""
FR_ERA = frozenset({"J.-C", "J-C", "J.C"})
"""Era markers ("av. J.-C."): end a sentence like an ender."""
FR_NOTES = frozenset({"N.B", "NB", "N.-B", "P.-S", "P.S", "PS"})
"""Note markers: the note that follows belongs to the same segment ("P.-S. Je t'aime.")."""
FR_STRONG_STARTERS = _words(
    "il elle ils elles on je j' tu nous vous mais et puis ensuite enfin alors cependant pourtant "
    "toutefois néanmoins donc car or ce cet cette ces cela ceci c' ça son sa ses leur leurs selon "
    "depuis après avant quand lorsque lorsqu' si dans pour par sur avec en un une aucun aucune chaque "
    "parmi malgré pendant comme aujourd' hier demain ici voici voilà certains plusieurs qui que qu' quoi "
    "comment pourquoi où quel quelle quels quelles"
)
"""Words that open a sentence and are never part of a name: a period before them after an initial breaks."""
FR_STARTERS = FR_STRONG_STARTERS | _words("le la les l' un une des du de d' au aux")
"""All sentence openers, determiners included: a period before them after an acronym breaks."""
FR_CONTINUATION_WORDS = _words(
    "de du des le la les un une et ou à au aux en pour par avec sur sous dans que qui dont ne se sa son "
    "ses ce cette leur leurs mais car plus très entre vers chez sans contre selon d l qu",
    capitalised=False,
)
"""A line ending with one of these words continues on the next line (hard-wrapped text)."""

EN_TITLES = _words(
    "Mr Mrs Ms Mssrs Messrs Dr Drs Prof St Mt Ft Gen Gov Sen Rep Rev Hon Capt Lt Col Maj Sgt Cpl "
    "Pres Supt Fr Adm Cmdr",
    capitalised=False,
)
EN_PREFIXES = _words("e.g i.e cf vs viz approx ca")
EN_NUMBER_PREFIXES = _words(
    "no nos vol vols p pp fig figs ch chap sec art para jan feb mar apr jun jul aug sep sept oct nov dec"
)
EN_ENDERS = _words("etc inc ltd co corp jr sr al ed eds bros llc plc dept")
EN_ERA = frozenset({"B.C", "A.D", "B.C.E", "C.E"})
EN_NOTES = frozenset({"N.B", "NB", "P.S", "PS"})
EN_STRONG_STARTERS = _words(
    "the this that these those he she it they we you but and or so yet however in on at for if when "
    "while after before his her its their our my there here what why how who as although though then "
    "now meanwhile still some many most all each every one two three according during since despite "
    "under over with without from by"
)
EN_STARTERS = EN_STRONG_STARTERS | frozenset({"A", "An", "I"})
EN_NOT_INITIALS = frozenset({"I"})
"""Capitals that end a sentence as a word ("Neither did I. John left.") rather than an initial."""
EN_CONTINUATION_WORDS = _words(
    "the a an of to in on and or for with by at from that which who is are was were be as his her "
    "their its but not into than",
    capitalised=False,
)

FR_LABELS = (
    "En savoir plus", "EN SAVOIR PLUS", "Pour en savoir plus", "Lire aussi", "LIRE AUSSI", "À lire aussi",
    "A lire aussi", "À LIRE AUSSI", "Lire également", "À lire également", "Voir aussi", "À voir aussi",
)
"""Read-more teaser labels of scraped French news: split off as their own segment."""
EN_LABELS = ("Read more", "READ MORE", "Read also", "READ ALSO")

OPENERS = frozenset("«“\"‘'([{—–-¿¡")
"""Characters that start a new sentence or quoted speech after a period."""
CONTINUATION_CHARS = frozenset(",;:)]}»”%…")
"""Characters that, starting the next token, show the sentence goes on."""


@dataclass(frozen=True)
class LangRules:
    """Everything language-specific the segmenter needs; the rule functions below read it."""

    lang: str
    titles: frozenset[str]
    prefixes: frozenset[str]
    number_prefixes: frozenset[str]
    enders: frozenset[str]
    era: frozenset[str]
    notes: frozenset[str]
    strong_starters: frozenset[str]
    starters: frozenset[str]
    continuation_words: frozenset[str]
    labels: re.Pattern[str]
    not_initials: frozenset[str] = frozenset()


def _label_pattern(labels: Iterable[str]) -> re.Pattern[str]:
    """A label at a word start, optionally followed by a colon, then whitespace and more text."""
    alternatives = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?<!\S)(?:{alternatives})(?P<colon>[ \u00a0\u202f]*:)?(?=\s+\S)")


FRENCH = LangRules(
    "fr", FR_TITLES, FR_PREFIXES, FR_NUMBER_PREFIXES, FR_ENDERS, FR_ERA, FR_NOTES,
    FR_STRONG_STARTERS, FR_STARTERS, FR_CONTINUATION_WORDS, _label_pattern(FR_LABELS),
)
ENGLISH = LangRules(
    "en", EN_TITLES, EN_PREFIXES, EN_NUMBER_PREFIXES, EN_ENDERS, EN_ERA, EN_NOTES,
    EN_STRONG_STARTERS, EN_STARTERS, EN_CONTINUATION_WORDS, _label_pattern(EN_LABELS), EN_NOT_INITIALS,
)
_RULES_BY_LANG = {"fr": FRENCH, "en": ENGLISH}


def rules_for(lang: str) -> LangRules:
    """The rules for a language code such as "fr", "fr-FR" or "en_GB"; UserError for others."""
    key = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
    try:
        return _RULES_BY_LANG[key]
    except KeyError:
        raise UserError(f"no sentence segmentation rules for language {lang!r}; use 'fr' or 'en'") from None


# ---------------------------------------------------------------------------------------------
# Tokenizer: candidate break points.
# ---------------------------------------------------------------------------------------------

_PUNCT = r"(?:[!?][ \u00a0\u202f](?=[!?])|[.!?…])+"
_CLOSE = r"(?:[ \u00a0\u202f]?»|[”\"’')\]}])*"
_CANDIDATE = re.compile(rf"(?P<punct>{_PUNCT})(?P<close>{_CLOSE})(?P<ws>\s+)")
"""Sentence-final punctuation run ("." "?!" "…" "? !"), closing quotes/brackets, then whitespace."""
_TRAILING_CANDIDATE = re.compile(rf"{_PUNCT}{_CLOSE}$")
_LEADING_JUNK = re.compile(r"^.*['’]|^[(\[{«“\"‘—–-]+")
_TRAILING_JUNK = re.compile(r"[)\]}»”\"’]+$")
_NEXT_WORD = re.compile(r"[^\W\d_]+['’]?")
_NUMERIC_NEXT = re.compile(r"\d|[IVXLCDM]+\b|[A-Z]\.")
_LIST_MARKER = re.compile(r"\(?(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,5}|[a-zA-Z])")
"""A list item or numbered heading at a sentence start: "1.", "a.", "IV.", "10.8.", "6.1.2."."""
_INITIAL = re.compile(r"[A-ZÀ-ÖØ-Þ](?:\.-[A-ZÀ-ÖØ-Þ])*")
_ACRONYM = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")


@dataclass(slots=True)
class Candidate:
    """What the rules see at one candidate break point."""

    punct: str
    """The punctuation run (". " "?!" "…" "...")."""
    close: str
    """Closing quotes/brackets right after it (may be empty)."""
    prev: str
    """The word before the punctuation, without opening quotes, elided article or closers."""
    prev_starts_sentence: bool
    """True when nothing but that word stands between the sentence start and the punctuation."""
    char_before_prev: str
    """Last non-space character before the word, "" at sentence start (list markers after ':')."""
    elided: bool
    """True when the punctuation stands alone inside brackets: "(…)", "[...]"."""
    next_char: str
    next_word: str
    """Letters at the start of the next token, with an elision apostrophe ("C'" of "C'est"); "" for digits."""
    next_token: str
    """The start of the next token (up to 12 characters)."""


Rule = Callable[[Candidate, LangRules], "bool | None"]
"""A rule answers True (break), False (no break) or None (does not apply)."""


def _next_lowercase(c: Candidate, r: LangRules) -> bool | None:
    return False if c.next_char.islower() else None


def _next_continues(c: Candidate, r: LangRules) -> bool | None:
    return False if c.next_char in CONTINUATION_CHARS else None


def _elision_mark(c: Candidate, r: LangRules) -> bool | None:
    return False if c.elided else None


def _strong_punctuation(c: Candidate, r: LangRules) -> bool | None:
    return True if c.punct != "." else None


def _closed_after_period(c: Candidate, r: LangRules) -> bool | None:
    return True if c.close else None


def _note_marker(c: Candidate, r: LangRules) -> bool | None:
    return False if c.prev in r.notes else None


def _era_marker(c: Candidate, r: LangRules) -> bool | None:
    if c.prev in r.era:
        return not c.next_char.isdigit()
    return None


def _title(c: Candidate, r: LangRules) -> bool | None:
    if c.prev in r.titles:  # "Main St. The house" breaks: no name starts with a pronoun or conjunction
        return c.next_word in r.strong_starters
    return None


def _prefix_abbreviation(c: Candidate, r: LangRules) -> bool | None:
    return False if c.prev in r.prefixes else None


def _number_abbreviation(c: Candidate, r: LangRules) -> bool | None:
    if c.prev in r.number_prefixes and _NUMERIC_NEXT.match(c.next_token):
        return False
    return None


def _ending_abbreviation(c: Candidate, r: LangRules) -> bool | None:
    if c.prev in r.enders:
        return not c.next_char.isdigit()
    return None


def _list_marker(c: Candidate, r: LangRules) -> bool | None:
    if (c.prev_starts_sentence or c.char_before_prev in ":;") and _LIST_MARKER.fullmatch(c.prev):
        return False
    return None


def _opener_follows(c: Candidate, r: LangRules) -> bool | None:
    return True if c.next_char in OPENERS else None


def _initial(c: Candidate, r: LangRules) -> bool | None:
    if _INITIAL.fullmatch(c.prev) and c.prev not in r.not_initials:
        return c.next_word in r.strong_starters
    return None


def _dotted_acronym(c: Candidate, r: LangRules) -> bool | None:
    if _ACRONYM.fullmatch(c.prev):
        return c.next_word in r.starters
    return None


def _default_break(c: Candidate, r: LangRules) -> bool | None:
    return True


RULES: tuple[tuple[str, Rule], ...] = (
    ("next_lowercase", _next_lowercase),  # "… puis", "M. de Villepin", "? » demanda-t-il"
    ("next_continues", _next_continues),  # next token starts with , ; : ) » %
    ("elision_mark", _elision_mark),  # "(…)" / "[...]" cut marks inside a quotation
    ("strong_punctuation", _strong_punctuation),  # ! ? … ... ?! runs end the sentence
    ("closed_after_period", _closed_after_period),  # ". »" ".)" ".”": the quote/bracket closed
    ("note_marker", _note_marker),  # N.B. / P.-S. keep their note
    ("era_marker", _era_marker),  # "av. J.-C. Rome" breaks, "J.-C. 12" does not
    ("title", _title),  # M. Mme Dr Pr Me St, unless a pronoun/conjunction follows
    ("prefix_abbreviation", _prefix_abbreviation),  # cf. av. apr. e.g. i.e.
    ("number_abbreviation", _number_abbreviation),  # p. 12, art. 3, No. 5, sept. 2023, 9 h. 30
    ("ending_abbreviation", _ending_abbreviation),  # etc. Cie. Inc. env.
    ("list_marker", _list_marker),  # "1. Premier point", ": a. …", "10.8. DHCP"
    ("opener_follows", _opener_follows),  # ". « Bonjour", ". — Salut"
    ("initial", _initial),  # J. K. Rowling, J.-P. Sartre, but "vitamine C. Elle"
    ("dotted_acronym", _dotted_acronym),  # U.S.A. O.N.U. a.m.
    ("default_break", _default_break),
)
"""The ordered rule list: the first rule that answers decides."""


def _candidate(text: str, m: re.Match[str], sent_start: int) -> Candidate:
    """Gather the context of the candidate match `m` in `text` (sentence starting at sent_start)."""
    punct_start = m.start()
    i = punct_start
    while i > sent_start and not text[i - 1].isspace():
        i -= 1
    raw = text[i:punct_start]
    prev = _TRAILING_JUNK.sub("", _LEADING_JUNK.sub("", raw))
    j = i
    while j > sent_start and text[j - 1].isspace():
        j -= 1
    punct = m.group("punct")
    close = m.group("close")
    elided = punct[0] in ".…" and raw in ("(", "[") and close[:1] in (")", "]")
    next_pos = m.end()
    next_token = text[next_pos:next_pos + 12]
    word = _NEXT_WORD.match(text, next_pos)
    return Candidate(
        punct=punct,
        close=close,
        prev=prev,
        prev_starts_sentence=j == sent_start,
        char_before_prev=text[j - 1] if j > sent_start else "",
        elided=elided,
        next_char=next_token[:1],
        next_word=word.group() if word else "",
        next_token=next_token,
    )


def decide(c: Candidate, rules: LangRules) -> tuple[str, bool]:
    """Apply RULES in order; return the name of the deciding rule and whether to break."""
    for name, rule in RULES:
        verdict = rule(c, rules)
        if verdict is not None:
            return name, verdict
    return "default_break", True  # unreachable: the last rule always answers


# ---------------------------------------------------------------------------------------------
# Forced breaks that need no punctuation (scraped news).
# ---------------------------------------------------------------------------------------------

_DATE = (
    r"(?:\d{4}-\d{2}(?:-\d{2})?(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}/\d{1,2}/\d{4})"
)
_METADATA_PREFIX = re.compile(rf"[Dd]ate[ \t\u00a0]+{_DATE}(?=\s+\S)")
"""Metadata prefix of scraped articles: "date 2023-09 Washington a intensifié …"."""
_METADATA_ONLY = re.compile(rf"[Dd]ate[ \t\u00a0]+{_DATE}")
_URL_ONLY = re.compile(r"(?:https?://|ftp://|www\.)\S+", re.IGNORECASE)
_EMAIL_ONLY = re.compile(r"(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\.?")


def _forced_breaks(text: str, start: int, end: int, rules: LangRules) -> list[tuple[int, int]]:
    """(sentence_end, next_start) pairs for the metadata prefix and read-more labels."""
    breaks: list[tuple[int, int]] = []
    m = _METADATA_PREFIX.match(text, start, end)
    if m:
        breaks.append(_break_at(text, m.end(), end))
    for m in rules.labels.finditer(text, start, end):
        after = _break_at(text, m.end(), end)
        nxt = text[after[1]:after[1] + 1]
        if not m.group("colon") and not (nxt.isupper() or nxt.isdigit() or nxt in OPENERS):
            continue
        if m.start() > start:
            ws_start = m.start()
            while ws_start > start and text[ws_start - 1].isspace():
                ws_start -= 1
            breaks.append((ws_start, m.start()))
        breaks.append(after)
    return breaks


def _break_at(text: str, pos: int, end: int) -> tuple[int, int]:
    """A break ending a sentence at pos, the next one starting after the whitespace run."""
    nxt = pos
    while nxt < end and text[nxt].isspace():
        nxt += 1
    return pos, nxt


# ---------------------------------------------------------------------------------------------
# Sentences.
# ---------------------------------------------------------------------------------------------


def _boundaries(text: str, start: int, end: int, rules: LangRules,
                trace: list[tuple[int, str, bool]] | None = None) -> list[tuple[int, int]]:
    """Sorted (sentence_end, next_start) pairs for text[start:end] (no outer whitespace)."""
    forced = sorted(_forced_breaks(text, start, end, rules))
    found: list[tuple[int, int]] = []
    sent_start = start
    fi = 0
    for m in _CANDIDATE.finditer(text, start, end):
        while fi < len(forced) and forced[fi][0] <= m.start():
            found.append(forced[fi])
            sent_start = max(sent_start, forced[fi][1])
            fi += 1
        if m.end() >= end or m.start() < sent_start:
            continue
        name, brk = decide(_candidate(text, m, sent_start), rules)
        if trace is not None:
            trace.append((m.end("close"), name, brk))
        if brk:
            found.append((m.end("close"), m.end()))
            sent_start = m.end()
    found.extend(forced[fi:])
    return sorted(set(found))


def split_sentences(text: str, lang: str = "fr") -> list[tuple[str, str]]:
    """Split one paragraph into (sentence, whitespace_after) pairs; lossless: joining sentence+ws for all
    pairs, after any leading whitespace, gives back the paragraph exactly."""
    rules = rules_for(lang)
    end = len(text.rstrip())
    start = len(text) - len(text.lstrip())
    if start >= end:
        return []
    pairs: list[tuple[str, str]] = []
    pos = start
    for sent_end, next_start in _boundaries(text, start, end, rules):
        if sent_end <= pos:
            continue
        pairs.append((text[pos:sent_end], text[sent_end:next_start]))
        pos = next_start
    pairs.append((text[pos:end], text[end:]))
    return pairs


def break_decisions(text: str, lang: str = "fr") -> list[tuple[int, str, bool]]:
    """For debugging rules: (offset after the punctuation, deciding rule, broke?) per candidate."""
    rules = rules_for(lang)
    end = len(text.rstrip())
    start = len(text) - len(text.lstrip())
    trace: list[tuple[int, str, bool]] = []
    if start < end:
        _boundaries(text, start, end, rules, trace)
    return trace


def is_translatable(sentence: str) -> bool:
    """False for material to copy verbatim: metadata prefix, bare URL or e-mail, no letters at all."""
    s = sentence.strip()
    if not any(ch.isalpha() for ch in s):
        return False
    return not (_METADATA_ONLY.fullmatch(s) or _URL_ONLY.fullmatch(s) or _EMAIL_ONLY.fullmatch(s))


# ---------------------------------------------------------------------------------------------
# Paragraphs and documents.
# ---------------------------------------------------------------------------------------------

_NEWLINE = re.compile(r"\r\n|\n|\r")
_LAST_WORD = re.compile(r"([^\W\d_]+)['’]?$")
_LINE_BREAK_IN_SENTENCE = re.compile(r"[ \t\u00a0\u202f]*(?:\r\n|\n|\r)\s*")


@dataclass(frozen=True)
class _Line:
    """One input line: start, content start/end (inline whitespace trimmed), end before the newline."""

    start: int
    content_start: int
    content_end: int
    end: int


def _split_lines(text: str) -> list[_Line]:
    """Every non-blank line of text, with offsets."""
    lines: list[_Line] = []
    pos = 0
    ends = [(m.start(), m.end()) for m in _NEWLINE.finditer(text)] + [(len(text), len(text))]
    for line_end, next_pos in ends:
        body = text[pos:line_end]
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            lines.append(_Line(pos, pos + lead, pos + lead + len(stripped), line_end))
        pos = next_pos
    return lines


def line_continues(line: str, next_line: str, lang: str = "fr") -> bool:
    """True when next_line carries on the sentence of line (hard-wrapped text), so both form one paragraph."""
    return _continues(line.strip(), next_line.strip(), rules_for(lang))


def _continues(last: str, first: str, rules: LangRules) -> bool:
    if not last or not first:
        return False
    return _looks_continued(last, first, rules) and is_translatable(last) and is_translatable(first)


def _looks_continued(last: str, first: str, rules: LangRules) -> bool:
    """The hard-wrap test proper; lines that are a bare URL, e-mail or number are excluded by the caller."""
    m = _TRAILING_CANDIDATE.search(last)
    if m:
        joined = last + "\n" + first[:40]
        cand = _CANDIDATE.match(joined, m.start())
        if cand is None:
            return False
        return not decide(_candidate(joined, cand, 0), rules)[1]
    head = first[0]
    if head.islower() or head in CONTINUATION_CHARS:
        return True
    if last[-1] in ",(«“" or (last[-1] == "-" and len(last) > 1 and last[-2].isalpha()):
        return True
    word = _LAST_WORD.search(last)
    return bool(word) and word.group(1) in rules.continuation_words


def segment_document(text: str, lang: str = "fr", name: str = "") -> Document:
    """Parse a whole text into Paragraphs of Segments (ids 1-based, paragraph indices 0-based),
    such that Document.source_text == text exactly (lossless; see document.py: head, lead, separator,
    space_after)."""
    rules = rules_for(lang)
    lines = _split_lines(text)
    groups: list[list[_Line]] = []
    for line in lines:
        prev = groups[-1][-1] if groups else None
        if prev and _NEWLINE.fullmatch(text, prev.end, line.start) and _continues(
            text[prev.content_start:prev.content_end],
            text[line.content_start:line.content_end],
            rules,
        ):
            groups[-1].append(line)
        else:
            groups.append([line])

    paragraphs: list[Paragraph] = []
    next_id = 1
    for index, group in enumerate(groups):
        first, last = group[0], group[-1]
        sep_end = groups[index + 1][0].start if index + 1 < len(groups) else len(text)
        body = text[first.content_start:last.end]
        segments = []
        for sentence, space in split_sentences(body, rules.lang):
            seg = Segment(id=next_id, paragraph=index, source=sentence, space_after=space,
                          translatable=is_translatable(sentence))
            if "\n" in sentence or "\r" in sentence:
                seg.engine_input = _LINE_BREAK_IN_SENTENCE.sub(" ", sentence)
            segments.append(seg)
            next_id += 1
        paragraphs.append(Paragraph(
            index=index,
            segments=segments,
            lead=text[first.start:first.content_start],
            separator=text[last.end:sep_end],
        ))
    head = text[:groups[0][0].start] if groups else text
    return Document(paragraphs=paragraphs, source_lang=rules.lang, name=name, head=head)
