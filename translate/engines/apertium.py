"""French→English with Apertium, pivoting through Spanish (fr-es, then spa-eng), fully offline.

The whole batch goes through two subprocesses (one per stage). Sentences are sent as one Apertium
stream, each ended by a NUL so every program flushes and resets between sentences (`-z`), and each
opened by a numbered superblank `[<s:N>]` so the outputs can be matched back by number. Literal
characters that Apertium uses as marks (`* # @ ~`) travel inside superblanks, so any bare mark left
in the output is an Apertium unknown-word mark and can be stripped and recorded safely.
Between the stages, *haber* that fr-es glued to a participle ("hadeclarado") is split again, but only
where Apertium's own Spanish analyser confirms it (one short extra process, only when such a word
appears). Progress is reported as sentences come out of each stage.
Short quotations (« x », “x”, "x", ‹ x ›) travel as word-bound blanks (`[[q:N]]x[[/]]`, as apertium-deshtml
sends inline formatting): the quote marks leave the stream and are put back around the words that carry
the blank, since the transfer rules move bare quote marks away from their words ("sous « pression »"
came out as "under pressure « »").
"""

from __future__ import annotations

import html
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, Callable, Collection, Iterable, Mapping, NamedTuple, Sequence

from translate.engines.base import EngineError, EngineOptions, Progress, Translation
from translate.engines.demonyms import carry, restore
from translate.engines.prefixes import Compound, compound_stream, place_prefixes, stage_two_marks

DEFAULT_DATA_DIR = Path("/usr/share/apertium")
STAGES = ("fr-es", "spa-eng")
"""Apertium modes run one after the other: French→Spanish, then Spanish→English."""
PACKAGES = ("apertium", "apertium-fr-es", "apertium-eng-spa")
MODE_PACKAGE = {"fr-es": "apertium-fr-es", "spa-eng": "apertium-eng-spa"}
RELAY_REVISION = 6
"""Bumped when the relay between the stages changes its output (2: analyser-checked ungluing, 3: quotes
as word-bound blanks, 4: hyphenated letters and codes verbatim, 5: prefix compounds, prefixes.py,
6: nationalities fr-es lacks, demonyms.py), so that cached translations made by an older relay are not reused."""
WBLANK_PROGRAMS = ("apertium-wblank-attach", "apertium-wblank-detach")
"""Apertium's word-bound blank helpers (apertium ≥ 3.8); without them quotes travel as plain text."""

_ESCAPED = set("\\[]^$/<>{}")
"""Stream characters that are backslash-escaped inside text, as apertium-destxt does."""
_PROTECTED = set("*#@~")
"""Characters Apertium prints or consumes as marks: they travel inside superblanks instead."""
_MARKS = "*#@"
_UNKNOWN_MARKS = "*@"
"""`*` = not in the dictionary, `@` = no bilingual entry; `#` (generation slip) is only stripped."""

_TOKEN = re.compile(
    r"""(?P<wblank>\[\[(?:\\.|[^\]\\])*\]\])  # word-bound blank: [[q:1]] … [[/]]
      | (?P<blank>\[(?:\\.|[^\]\\])*\])   # superblank, kept verbatim by every program
      | (?P<esc>\\.)                      # one escaped character
      | (?P<mark>[*#@])(?P<word>(?:\w|[-'’](?=\w))*)(?P<tags>(?:\\<[^\\>]*\\>)*)
      | (?P<text>[^\[\\*#@]+)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
HABER_FORMS = frozenset(
    "ha han has he hemos habéis había habías habíamos habíais habían habrá habrán habrás habré habremos "
    "habréis habría habrías habríamos habríais habrían hube hubo hubimos hubiste hubisteis hubieron "
    "haya hayan hayas hayamos hayáis hubiera hubieran hubiese hubiesen".split()
)
"""Spanish forms of the auxiliary *haber* that fr-es can glue to a participle."""
_GLUE_CANDIDATE = re.compile(
    r"(?<![\w-])(?P<aux>h[a-záéíóúñ]{1,8}?)(?P<hyphen>-?)(?P<rest>[a-záéíóúñ]{2,}(?:[dt]|ch|s)[oa]s?)(?![\w-])",
    re.IGNORECASE,
)
"""A word that may be *haber* glued to a participle: "hadeclarado", "habrádeclarado", "han-declarado".
Only a candidate: `unglue_map` splits it only when Apertium's Spanish analyser confirms (see there)."""
_SENTENCE_ID = re.compile(r"\[<s:(\d+)>\]")
_SENTINEL_MARK = "[<e>]"
_SENTINEL = _SENTINEL_MARK + ".[]"
"""Appended to every sentence and cut off at the end. The full stop guarantees each chunk holds a
word-like unit (lrx-proc merges a chunk made of blanks alone into the next one); the empty
superblank keeps the pipeline from swallowing the chunk's last unit at the NUL."""


def apertium_status(data_dir: Path = DEFAULT_DATA_DIR) -> tuple[bool, str]:
    """Whether the fr→es→en Apertium pipeline can run here, and if not, what to install."""
    if shutil.which("lt-proc") is None or shutil.which("apertium-tagger") is None:
        return False, "Apertium is not installed: run `sudo apt-get install " + " ".join(PACKAGES) + "`"
    for mode in STAGES:
        mode_file = data_dir / "modes" / f"{mode}.mode"
        if not mode_file.is_file():
            package = MODE_PACKAGE[mode]
            return False, (
                f"Apertium mode {mode} is missing ({mode_file}): run `sudo apt-get install {package}`"
            )
        for program in _programs(mode_file.read_text(encoding="utf-8")):
            if shutil.which(program) is None:
                return False, (
                    f"Apertium program {program} (needed by mode {mode}) is missing: "
                    "run `sudo apt-get install apertium`"
                )
    return True, f"Apertium ready ({' → '.join(STAGES)}, data in {data_dir})"


def _programs(mode_line: str) -> list[str]:
    return [shlex.split(part)[0] for part in mode_line.strip().split("|") if part.strip()]


def null_flush_command(mode_line: str, wordbound: bool = False) -> str:
    """Turn a `.mode` pipeline into a shell line with null-flush on every program and marks on.
    With `wordbound`, word-bound blanks are attached after the analyser and detached before the
    generator, as `apertium-wblank-mode` does (transfer refuses them otherwise)."""
    commands = []
    for n, part in enumerate(p for p in mode_line.strip().split("|") if p.strip()):
        program, *args = shlex.split(part)
        if wordbound and "$1" in args:
            commands.append(WBLANK_PROGRAMS[1])
        args = ["-g" if a == "$1" else a for a in args if a != "$2"]
        commands.append(shlex.join([program, "-z", *args]))
        if wordbound and n == 0:
            commands.append(WBLANK_PROGRAMS[0])
    return "set -o pipefail; " + " | ".join(commands)


def wordbound_available() -> bool:
    """Whether Apertium's word-bound blank helpers are installed (quotes then travel with their words)."""
    return all(shutil.which(program) for program in WBLANK_PROGRAMS)


def normalise(sentence: str) -> str:
    """Collapse every run of whitespace or control characters (newlines, tabs, NUL) to one space."""
    return " ".join("".join(" " if ord(c) < 32 or c == "\x7f" else c for c in sentence).split())


_MARKUP_TAG = re.compile(r"</?g\d+>|<x\d+/>")
"""A light tag of a marked sentence (translate/markup.py); it travels as a superblank, as
apertium-deshtml sends HTML tags, so the modes carry it along with the words around it."""


def encode(sentence_id: int, text: str, markup: bool = False,
           quotes: list[Quote] | None = None, compounds: list[Compound] | None = None) -> str:
    """One sentence as an Apertium stream chunk: numbered superblank, escaped text, sentinel.
    With `markup`, the text is HTML-escaped and its light tags go as superblanks. With a `quotes`
    list, short quotations go as word-bound blanks and their marks are appended to the list (the
    n-th as `[[q:n]]`), for `finish` to put back. Prefix compounds outside quotations lose their
    prefix, which goes to `compounds` (translate/engines/prefixes.py; hinted by word-bound blanks
    when quotes are)."""
    found = compounds if compounds is not None else []
    if markup:
        return f"[<s:{sentence_id}>]" + _marked_stream(text, quotes, found) + _SENTINEL
    return f"[<s:{sentence_id}>]" + _quoted_stream(text, quotes, found) + _SENTINEL


def _marked_stream(text: str, quotes: list[Quote] | None = None, compounds: list[Compound] | None = None) -> str:
    """A marked sentence as stream text: its light tags as superblanks, which Apertium keeps between
    the words around them (as apertium-deshtml does with HTML tags)."""
    parts: list[str] = []
    cursor = 0
    for m in _MARKUP_TAG.finditer(text):
        parts += [_quoted_stream(html.unescape(text[cursor:m.start()]), quotes, compounds),
                  "[" + m.group().replace("/", "\\/") + "]"]
        cursor = m.end()
    parts.append(_quoted_stream(html.unescape(text[cursor:]), quotes, compounds))
    return "".join(parts)


_QUOTATION = re.compile(
    r"""(?P<open>«[ \u00a0\u202f]*|“|‹[ \u00a0\u202f]*|(?<![\w"])")
        (?P<body>[^\W_](?:[^«»“”‹›"*#@~\\\[\]^$/<>{}\n]{0,200}?[^\s«»“”‹›"*#@~\\\[\]^$/<>{}])?)
        (?P<close>[ \u00a0\u202f]*»|”|[ \u00a0\u202f]*›|"(?![\w"]))""",
    re.VERBOSE,
)
"""A quotation held in one piece of text: its body starts with a letter or digit and holds no other quote
mark and no character the stream escapes or protects (a word-bound blank must be followed by a word)."""
_PAIRED = {"«": "»", "“": "”", "‹": "›", '"': '"'}
_FRENCH_SUBJECT = re.compile(r"(?:je|j['’]|tu|il|elle|on|nous|vous|ils|elles)\b", re.IGNORECASE)
_ENGLISH_SUBJECT = re.compile(r"\b(?:I|we|you|he|she|it|they)[ ]*$", re.IGNORECASE)


class Quote(NamedTuple):
    """A quotation's marks as written in the French, and whether its body opens with a subject pronoun
    (Apertium drops it in Spanish and the English one it makes again carries no word-bound blank)."""

    open: str
    close: str
    subject: bool = False
    tail: str = ""
    """What ends the body after its last letter or digit (" %", " !"): signs Apertium passes as blanks,
    outside any word, so the closing mark goes after them."""


def _quoted_stream(text: str, quotes: list[Quote] | None, compounds: list[Compound] | None = None) -> str:
    """Stream text in which each quotation, when `quotes` is a list, becomes `[[q:n]]body[[/]]`, and
    prefix compounds outside quotations, when `compounds` is a list, lose their prefix to it."""
    def outside(piece: str) -> str:
        if compounds is None:
            return _guarded(piece)
        return compound_stream(piece, _guarded, compounds, hint=quotes is not None)

    if quotes is None:
        return outside(text)
    parts: list[str] = []
    cursor = 0
    for m in _QUOTATION.finditer(text):
        if _PAIRED[m["open"][0]] != m["close"].strip(" \u00a0\u202f") or letter_codes(m["body"]):
            continue  # a word-bound blank must be followed by a word, not by a verbatim code
        body = _stream_text(m["body"]) if compounds is None else compound_stream(m["body"], _stream_text, compounds)
        parts += [outside(text[cursor:m.start()]), f"[[q:{len(quotes)}]]", body, "[[/]]"]
        tail = re.search(r"\W*$", m["body"]).group()
        quotes.append(Quote(m["open"], m["close"], bool(_FRENCH_SUBJECT.match(m["body"])), tail))
        cursor = m.end()
    parts.append(outside(text[cursor:]))
    return "".join(parts)


_COMPOUND = re.compile(r"(?<![\w.\-])\w+(?:\.?-\w+|\.\w+)+\.?")
"""Letters and digits joined by hyphens or full stops: "A-1", "m-a", "B.A.-BA", "J.-A.", "a-t-il"."""
_MISREAD = frozenset("aAyY")
"""Single letters Apertium reads as words (the verb *a* → "has", *y* → "there") when a hyphen cuts them out."""
_FRENCH_HYPHENS = re.compile(r"-t-(?:il|elle|on|ils|elles)$|-y$|^y-", re.IGNORECASE)
"""Hyphenated French verb forms with those letters: "a-t-il", "allez-y"; Apertium knows them."""
_LONE_CAPITAL_A = re.compile(r"(?<![\w.\-’'])A(?:\.(?=[ \u00a0]*[A-Z]))?(?![\w\-’'])")


def letter_codes(text: str) -> list[tuple[int, int]]:
    """Spans Apertium would misread as the verb *a* (or *y*) and that go through verbatim instead:
    hyphenated or dotted letters and codes ("A-1", "m-a a-i", "B.A.-BA", "J.-A."), and a capital A that
    is no sentence's first word ("le groupe A", "J. A. Martin")."""
    spans: list[tuple[int, int]] = []
    for m in _COMPOUND.finditer(text):
        token = m.group()
        pieces = [p for p in re.split(r"[.\-]", token) if p]
        if token.endswith(".") and (len(pieces[-1]) > 1 or not text[m.end():].strip(" \u00a0»”\")")):
            token = token[:-1]  # a sentence's full stop, not an initial's
        if _MISREAD.isdisjoint(pieces) or _FRENCH_HYPHENS.search(token.rstrip(".")):
            continue
        spans.append((m.start(), m.start() + len(token)))
    for m in _LONE_CAPITAL_A.finditer(text):
        before = text[:m.start()].rstrip()
        initial = re.search(r"(?<![\w.])[A-Z]\.$", before)
        if before and (before[-1] not in ".!?:;«“\"—–-(" or initial) and not any(a <= m.start() < b for a, b in spans):
            spans.append((m.start(), m.end()))
    return sorted(spans)


def _guarded(text: str) -> str:
    """Stream text in which `letter_codes` go as superblanks, which every program copies untouched."""
    parts: list[str] = []
    cursor = 0
    for start, end in letter_codes(text):
        parts += [_stream_text(text[cursor:start]), "[" + _escape_blank(text[start:end]) + "]"]
        cursor = end
    parts.append(_stream_text(text[cursor:]))
    return "".join(parts)


def _stream_text(text: str) -> str:
    """Text escaped for the Apertium stream; Apertium's own marks travel inside superblanks."""
    parts = []
    for char in text:
        if char in _PROTECTED:
            parts.append(f"[\\{char}]")
        elif char in _ESCAPED:
            parts.append("\\" + char)
        else:
            parts.append(char)
    return "".join(parts)


@dataclass
class StageOutput:
    """What one stage made of one sentence: its text (the next stage's input, or the final English)
    and the words that stage did not know."""

    text: str
    unknown: list[str] = field(default_factory=list)


def relay(chunk: str, glued: Mapping[str, str] | None = None) -> StageOutput:
    """Stage-1 output → stage-2 input: strip marks; unknown words go on verbatim inside superblanks;
    words in `glued` (from `unglue_map`) are replaced by their split form."""
    out: list[str] = []
    unknown: list[str] = []
    bound = ""  # the word-bound blank the current word carries, if any
    skip_close = False
    for m in _TOKEN.finditer(chunk):
        if m["wblank"] is not None:
            if m["wblank"] == _WBLANK_END and skip_close:
                skip_close = False
                continue
            bound = "" if m["wblank"] == _WBLANK_END else m["wblank"]
            out.append(m.group())
            continue
        if m["text"] is not None and glued:
            out.append(_GLUE_CANDIDATE.sub(lambda g: glued.get(g.group(), g.group()), m.group()))
            continue
        if m["mark"] is None:
            out.append(m.group())
            continue
        word = m["word"]
        if m["mark"] in _UNKNOWN_MARKS and word:
            unknown.append(word)
            if bound and out and out[-1] == bound:
                # a superblank cannot carry a word-bound blank: its text goes inside, for `finish`
                out.pop()
                out.append("[" + _escape_blank(bound + word + _WBLANK_END) + "]")
                skip_close, bound = True, ""
            else:
                out.append("[" + _escape_blank(word) + "]")
        else:
            out.append(word)
    return StageOutput("".join(out), unknown)


_WBLANK_END = "[[/]]"
_WBLANK_OPEN = re.compile(r"\[\[((?:\\.|[^\]\\])*)\]\]")
_QUOTE_ID = re.compile(r"(?<![\w:])q:(\d+)\b")


def _escape_blank(text: str) -> str:
    return "".join("\\" + c if c in "\\[]" else c for c in text)


def glue_candidates(texts: Iterable[str]) -> set[str]:
    """Words of stage-1 output that could be *haber* glued to a participle (to check with the analyser)."""
    found: set[str] = set()
    for text in texts:
        for m in _GLUE_CANDIDATE.finditer(text):
            if _splits(m.group()):
                found.add(m.group())
    return found


def _splits(word: str) -> list[tuple[str, str]]:
    """Every (auxiliary, participle) reading of a candidate word, the hyphen dropped."""
    pairs = []
    for end in range(2, min(len(word) - 3, 10)):
        aux, rest = word[:end], word[end:]
        if rest.startswith("-"):
            rest = rest[1:]
        if aux.lower() in HABER_FORMS and len(rest) >= 4 and "-" not in rest:
            pairs.append((aux, rest))
    return pairs


def unglue_map(candidates: set[str], analyse: Callable[[list[str]], dict[str, list[str]]]) -> dict[str, str]:
    """The candidates Apertium really glued, each mapped to "auxiliary participle".

    A word is split only when the Spanish analyser does not know it as a whole (so "hablado",
    "herramienta", "habilitados" stay) and knows the remainder as a past participle (`<pp>`).
    `analyse` maps surface words to their analyses (`lemma<tags>` strings, none when unknown).
    """
    queries = sorted({w.lower() for w in candidates} | {rest.lower() for w in candidates for _, rest in _splits(w)})
    readings = analyse(queries) if queries else {}
    result: dict[str, str] = {}
    for word in candidates:
        if "-" not in word and readings.get(word.lower()):
            continue  # a real Spanish word
        for aux, rest in _splits(word):
            if any("<pp>" in r for r in readings.get(rest.lower(), [])):
                result[word] = f"{aux} {rest}"
                break
    return result


_ANALYSIS = re.compile(r"\^((?:\\.|[^/$\\])*)((?:/(?:\\.|[^/$\\])*)*)\$")


def parse_analyses(output: str) -> dict[str, list[str]]:
    """lt-proc analyser output (`^word/lemma<tags>/…$`) → {word: [analyses]}; unknown words get []."""
    result: dict[str, list[str]] = {}
    for m in _ANALYSIS.finditer(output):
        readings = [r for r in m.group(2).split("/")[1:] if r and not r.startswith("*")]
        result[m.group(1)] = readings
    return result


def finish(chunk: str, markup: bool = False, quotes: Sequence[Quote] = ()) -> StageOutput:
    """Stage-2 output → plain English: strip marks and stream syntax, collect unknown words.
    With `markup`, the English is HTML-escaped and the light tags stand where Apertium put them."""
    out: list[str] = []
    unknown: list[str] = []
    chunk = stage_two_marks(chunk.split(_SENTINEL_MARK, 1)[0])
    text: Callable[[str], str] = (lambda t: html.escape(t, quote=False)) if markup else (lambda t: t)
    for m in _TOKEN.finditer(chunk):
        if m["wblank"] is not None:
            out.append(_carrier_mark(m["wblank"]))
        elif m["blank"] is not None:
            if not _SENTENCE_ID.fullmatch(m["blank"]):
                content = _unescape(m["blank"][1:-1])
                if content.startswith("[[") and content.endswith(_WBLANK_END):  # an unknown word relayed
                    opening = _WBLANK_OPEN.match(content)
                    if opening:
                        inner = content[opening.end():-len(_WBLANK_END)]
                        out.append(_carrier_mark(opening.group()) + text(inner) + _CARRIER_END)
                        continue
                out.append(content if markup and _MARKUP_TAG.fullmatch(content) else text(content))
        elif m["esc"] is not None:
            out.append(text(m["esc"][1]))
        elif m["mark"] is not None:
            if m["mark"] in _UNKNOWN_MARKS and m["word"]:
                unknown.append(m["word"])
            out.append(m["word"])
        else:
            out.append(text(m.group()))
    return StageOutput(" ".join(place_quotes("".join(out), quotes).split()), unknown)


_CARRIER_START, _CARRIER_SEP, _CARRIER_END = "\ue000", "\ue001", "\ue002"
"""Private-use marks that stand for word-bound blanks in `finish` until `place_quotes` reads them."""
_CARRIER = re.compile("\ue000([^\ue001]*)\ue001([^\ue000\ue002]*)\ue002?")


def _carrier_mark(wblank: str) -> str:
    """A word-bound blank as private-use marks: its end, or its start with the quotation numbers it holds."""
    if wblank == _WBLANK_END:
        return _CARRIER_END
    return _CARRIER_START + ",".join(_QUOTE_ID.findall(wblank)) + _CARRIER_SEP


def place_quotes(marked: str, quotes: Sequence[Quote] = ()) -> str:
    """Text with carrier marks → text with each quotation's marks around the words that carry it.
    A quotation whose words all vanished gets no marks (QA reports the lost quotation)."""
    spans: dict[int, list[int]] = {}
    plain: list[str] = []
    length = 0
    cursor = 0
    for m in _CARRIER.finditer(marked):
        before = marked[cursor:m.start()].replace(_CARRIER_END, "")
        plain.append(before)
        length += len(before)
        body = m.group(2)
        start, end = length + len(body) - len(body.lstrip()), length + len(body.rstrip())
        plain.append(body)
        length += len(body)
        cursor = m.end()
        if end <= start:
            continue
        for number in (int(n) for n in m.group(1).split(",") if n):
            if number < len(quotes):
                span = spans.setdefault(number, [start, end])
                span[0], span[1] = min(span[0], start), max(span[1], end)
    plain.append(marked[cursor:].replace(_CARRIER_END, ""))
    result = "".join(plain)
    for number, span in spans.items():
        subject = _ENGLISH_SUBJECT.search(result[:span[0]]) if quotes[number].subject else None
        if subject:
            span[0] = subject.start()
        tail = quotes[number].tail.strip()
        gap = len(result[span[1]:]) - len(result[span[1]:].lstrip())
        reach = span[1] + gap + len(tail)
        if tail and result.startswith(tail, span[1] + gap) and not any(span[1] <= a < reach for a, _ in spans.values()):
            span[1] = reach
    inserts = sorted(((pos, n, mark) for number, (a, b) in spans.items()
                      for pos, n, mark in ((a, 1, quotes[number].open), (b, 0, quotes[number].close))),
                     key=lambda item: (item[0], item[1]), reverse=True)
    for position, _, mark in inserts:
        result = result[:position] + mark + result[position:]
    return result


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def split_chunks(output: str, expected: int) -> dict[int, str]:
    """Split a null-flushed stream into chunks keyed by their sentence number."""
    chunks: dict[int, str] = {}
    for chunk in output.split("\0"):
        ids = _SENTENCE_ID.findall(chunk)
        if not ids:
            if chunk.strip():
                raise EngineError(f"Apertium returned text outside any sentence: {chunk[:60]!r}")
            continue
        if len(ids) > 1:
            raise EngineError(f"Apertium merged sentences {', '.join(ids)}")
        chunks[int(ids[0])] = chunk
    if len(chunks) != expected:
        raise EngineError(f"Apertium returned {len(chunks)} sentences for {expected}")
    return chunks


def _dedupe(words: list[str]) -> list[str]:
    return list(dict.fromkeys(words))


class ApertiumEngine:
    """Rule-based French→English through Spanish; two subprocesses per batch, no state between."""

    name = "apertium"
    carries_markup = True
    """`translate(..., marked=...)` takes sentences with light tags (translate/markup.py) and carries
    them through both modes between the words around them, as `apertium -f html` carries HTML tags."""
    options = EngineOptions()
    """Apertium has no loading or decoding settings: the defaults stand (no attention)."""

    def __init__(self, data_dir: Path = DEFAULT_DATA_DIR) -> None:
        self.data_dir = data_dir

    @cached_property
    def version(self) -> str:
        """Debian versions of the Apertium packages and our relay's revision, so caches change when
        the data or the relay between the stages change."""
        try:
            result = subprocess.run(
                ["dpkg-query", "-W", "-f=${Package}=${Version} ", *PACKAGES],
                capture_output=True, text=True, check=False,
            )
        except OSError:
            return f"unknown relay={RELAY_REVISION}"
        return f"{result.stdout.strip() or 'unknown'} relay={RELAY_REVISION}"

    def translate(self, sentences: Sequence[str], progress: Progress | None = None,
                  marked: Collection[int] = ()) -> list[Translation]:
        """Translate all sentences in one fr-es run and one spa-eng run; order and count are kept.
        Sentences whose index is in `marked` hold light tags around HTML-escaped text, and so does
        their English."""
        texts = [normalise(s) for s in sentences]
        todo = [i for i, t in enumerate(texts) if t]
        results = [Translation(text="") for _ in texts]
        steps = _HalfSteps(len(texts), progress)
        if todo:
            wordbound = wordbound_available()
            try:
                results = self._translate(texts, todo, marked, steps, wordbound)
            except EngineError:
                if not wordbound:
                    raise
                # Apertium refused a word-bound blank: the quotes go as plain text, as before (progress
                # already reported stays reported: `_HalfSteps` only reports what goes beyond it)
                steps.stage_done = [0, 0]
                results = self._translate(texts, todo, marked, steps, False)
        steps.finish()
        return results

    def _translate(self, texts: list[str], todo: list[int], marked: Collection[int], steps: "_HalfSteps",
                   wordbound: bool) -> list[Translation]:
        """Both stages over the non-empty sentences; with `wordbound`, quotations travel as word-bound blanks."""
        results = [Translation(text="") for _ in texts]
        quotes: dict[int, list[Quote]] = {i: [] for i in todo}
        compounds: dict[int, list[Compound]] = {i: [] for i in todo}
        carried = {i: carry(texts[i]) for i in todo}  # nationalities fr-es lacks go as ones it knows
        stream = "".join(encode(i, carried[i][0], i in marked, quotes[i] if wordbound else None, compounds[i])
                         + "\0" for i in todo)
        # each prefix compound's head also goes alone, to know its English (prefixes.place_prefixes)
        heads = dict(enumerate(sorted({c.head for found in compounds.values() for c in found}), len(texts)))
        stream += "".join(encode(k, head) + "\0" for k, head in heads.items())
        order = todo + list(heads)
        stage1 = self._run(STAGES[0], stream, steps.stage(0), wordbound)
        chunks = split_chunks(stage1, len(order))
        glued = unglue_map(glue_candidates(chunks.values()), self.analyse_spanish)
        relayed = {i: relay(c, glued) for i, c in chunks.items()}
        stage2 = split_chunks(self._run(STAGES[1], "".join(relayed[i].text + "\0" for i in order), steps.stage(1),
                                        wordbound), len(order))
        head_english = {head: finish(stage2[k]).text for k, head in heads.items()}
        for i in todo:
            english = finish(stage2[i], i in marked, quotes[i])
            text = place_prefixes(english.text, compounds[i], head_english) if compounds[i] else english.text
            text = restore(text, carried[i][1]) if carried[i][1] else text
            results[i] = Translation(text=text, unknown_words=_dedupe(relayed[i].unknown + english.unknown))
        return results

    def close(self) -> None:
        """Nothing to release: each batch starts and ends its own processes."""

    def analyse_spanish(self, words: list[str]) -> dict[str, list[str]]:
        """Analyses of Spanish words by the morphological analyser stage 2 starts with (one process)."""
        mode_file = self.data_dir / "modes" / f"{STAGES[1]}.mode"
        try:
            first = mode_file.read_text(encoding="utf-8").strip().split("|")[0]
        except OSError as exc:
            raise EngineError(f"Apertium mode {STAGES[1]} unreadable: {exc}") from exc
        program, *args = shlex.split(first)
        stream = "".join(w + "\n" for w in words if w.isalpha())
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        try:
            result = subprocess.run([program, *args], input=stream.encode("utf-8"), capture_output=True,
                                    env=env, check=False)
        except OSError as exc:
            raise EngineError(f"Apertium could not start: {exc}") from exc
        if result.returncode != 0:
            raise EngineError(f"Apertium analyser failed: exit status {result.returncode}")
        return parse_analyses(result.stdout.decode("utf-8", "replace"))

    def _run(self, mode: str, stream: str, done: Callable[[int], None] | None = None, wordbound: bool = False) -> str:
        """Run one mode over the stream; `done(k)` is told each time k more sentences (NULs) came out."""
        mode_file = self.data_dir / "modes" / f"{mode}.mode"
        try:
            command = null_flush_command(mode_file.read_text(encoding="utf-8"), wordbound)
        except OSError as exc:
            raise EngineError(f"Apertium mode {mode} unreadable: {exc}") from exc
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        with tempfile.TemporaryFile() as errors:
            try:
                process = subprocess.Popen(["bash", "-c", command], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, stderr=errors, env=env)
            except OSError as exc:
                raise EngineError(f"Apertium could not start: {exc}") from exc
            writer = threading.Thread(target=_feed, args=(process.stdin, stream.encode("utf-8")), daemon=True)
            writer.start()
            blocks: list[bytes] = []
            try:
                assert process.stdout is not None
                while block := process.stdout.read1(1 << 16):
                    blocks.append(block)
                    if done is not None and block.count(b"\0"):
                        done(block.count(b"\0"))
                returncode = process.wait()
            except BaseException:  # Ctrl-C or a failing callback: leave no process behind
                process.kill()
                process.wait()
                raise
            finally:
                writer.join()
                if process.stdout is not None:
                    process.stdout.close()
            if returncode != 0:
                errors.seek(0)
                lines = errors.read().decode("utf-8", "replace").strip().splitlines()
                first = lines[0] if lines else f"exit status {returncode}"
                raise EngineError(f"Apertium {mode} failed: {first}")
        return b"".join(blocks).decode("utf-8", "replace")


def _feed(pipe: IO[bytes] | None, data: bytes) -> None:
    """Write the whole stream to a process and close its input (in a thread, so output can be read)."""
    if pipe is None:
        return
    try:
        pipe.write(data)
    except BrokenPipeError:  # the process died; its exit status says why
        pass
    finally:
        try:
            pipe.close()
        except BrokenPipeError:
            pass


@dataclass
class _HalfSteps:
    """Progress over two stages: each sentence counts half when stage 1 emits it, half at stage 2."""

    total: int
    progress: Progress | None
    reported: int = 0
    stage_done: list[int] = field(default_factory=lambda: [0, 0])

    def stage(self, index: int) -> Callable[[int], None]:
        def done(count: int) -> None:
            self.stage_done[index] += count
            self._report()
        return done

    def _report(self) -> None:
        due = min(self.total, sum(min(d, self.total) for d in self.stage_done) // 2)
        if self.progress is not None and due > self.reported:
            self.progress(due - self.reported)
        self.reported = max(self.reported, due)

    def finish(self) -> None:
        self.stage_done = [self.total, self.total]
        self._report()
