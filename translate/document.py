"""The one object that flows through the pipeline: a document of paragraphs of aligned segments.

Every stage reads and fills fields of the same `Document`; writers only read it. Keeping the
source layout (whitespace between sentences, blank lines between paragraphs) in the document is
what lets the English text come out with the French text's structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator


class Origin:
    """The `Segment.origin` values that are not engine names (an engine's origin is its free-form name)."""

    NONE = ""
    """Not translated yet."""
    MEMORY = "tm"
    """An exact translation-memory match."""
    COPY = "copy"
    """Copied verbatim: untranslatable material, English passages, code lines."""

    NOT_ENGINES = frozenset({NONE, MEMORY, COPY})
    """Origins that name no engine."""


@dataclass
class TermHit:
    """A glossary term found in a segment's source, and the English it must have in the target."""

    source: str
    """The French term as it stands in the source."""
    target: str
    """The English term wanted (an accepted synonym once verification found that one instead)."""
    start: int
    end: int
    """[start, end) of the term in the engine input as it stood when terms were protected."""
    entry: str
    """Glossary entry id (file:line)."""
    article: str
    """English article before the term: the, none, or keep (whatever the engine wrote)."""
    determiner: str
    """The French determiner before the term (l', des…), empty if none."""
    compound: bool
    """The term is part of a hyphenated compound (pro-OTAN)."""
    next_word: str
    """The French word after the term (to fit the English around it)."""
    plural: bool
    """The term is plural in the French: `target` is the English plural."""
    synonyms: tuple[str, ...] | None = None
    """Other accepted English forms, None when the entry has none."""
    placeholder: str = ""
    """Transient: the number standing for the term in the engine input until verification; never written."""

    def to_json(self) -> dict[str, Any]:
        """The JSONL view (placeholder left out; synonyms only when the entry has some)."""
        record: dict[str, Any] = {
            "source": self.source, "target": self.target, "start": self.start, "end": self.end,
            "entry": self.entry, "article": self.article, "determiner": self.determiner,
            "compound": self.compound, "next_word": self.next_word, "plural": self.plural,
        }
        if self.synonyms is not None:
            record["synonyms"] = list(self.synonyms)
        return record

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> "TermHit":
        """Back from `to_json` (e.g. rows of a distributed run)."""
        synonyms = record.get("synonyms")
        return cls(record["source"], record["target"], record["start"], record["end"], record["entry"],
                   record["article"], record["determiner"], record["compound"], record["next_word"],
                   record["plural"], tuple(synonyms) if synonyms is not None else None)


@dataclass(frozen=True)
class TermRepair:
    """How verification got a term into the target the engine had not kept it in."""

    source: str
    target: str
    entry: str
    method: str
    """placeholder-fuzzy, present, present-synonym, source-replaced, attention, position, append."""

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "entry": self.entry, "method": self.method}

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> "TermRepair":
        return cls(record["source"], record["target"], record["entry"], record["method"])


@dataclass(frozen=True)
class QaFinding:
    """One thing QA found wrong with a segment's translation."""

    check: str
    """The check's name (missing-term, number-mismatch, foreign-word…), a column of the QA TSV."""
    message: str
    """What is wrong, in words for a translator."""
    word: str | None = None
    """The word concerned, for checks about one word (foreign-word)."""

    def to_json(self) -> dict[str, Any]:
        record = {"check": self.check, "message": self.message}
        if self.word is not None:
            record["word"] = self.word
        return record

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> "QaFinding":
        return cls(record["check"], record["message"], record.get("word"))


@dataclass(frozen=True)
class Title:
    """A French title found before a name (M. Dupont), with the English title to put back (Mr)."""

    french: str
    english: str
    name: str


@dataclass(frozen=True)
class InlineCode:
    """Markup inside a sentence (a link, bold, an XLIFF `<x/>`), kept out of the engine's text and put back
    around the same words in the English. Positions are character offsets in the plain text."""

    id: int
    """Number of the code within its unit (1-based); an open and its close share the id."""
    kind: str
    """"open", "close" or "isolated" (TMX 1.4b `<bpt>`, `<ept>`, `<ph>`)."""
    data: str
    """The original markup, opaque to the pipeline: '<a href="x">', '**', an XLIFF element, a DOCX run key."""
    position: int
    """Where the code stands in the plain text it belongs to (before the character at this offset)."""

    def at(self, position: int) -> "InlineCode":
        """The same code at another offset (in another text: a sentence, the English)."""
        return InlineCode(self.id, self.kind, self.data, position)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "data": self.data, "position": self.position}

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> "InlineCode":
        return cls(record["id"], record["kind"], record["data"], record["position"])


@dataclass
class Segment:
    """One source sentence and everything learnt about it on the way through the pipeline."""

    id: int
    """1-based position of the segment in the whole document."""
    paragraph: int
    """0-based index of the paragraph holding the segment."""
    source: str
    """The French sentence exactly as it stands in the input (no surrounding whitespace)."""
    space_after: str = ""
    """Whitespace that followed the sentence inside its paragraph (lossless rebuild)."""
    translatable: bool = True
    """False for material copied verbatim: metadata prefixes, bare URLs, numbers only."""
    engine_input: str | None = None
    """What the engine is asked to translate when a stage rewrote the source (term protection)."""
    target: str = ""
    score: float | None = None
    """Engine's score: mean log-probability per token for neural engines, None when unknown."""
    origin: str = ""
    """Where the target came from: an engine name, `Origin.MEMORY` ("tm"), `Origin.COPY` ("copy")."""
    unknown_words: list[str] = field(default_factory=list)
    glossary_hits: list[TermHit] = field(default_factory=list)
    glossary_repairs: list[TermRepair] = field(default_factory=list)
    qa: list[QaFinding] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    """Data writers show as extra JSONL keys / TSV columns (alignment: bead, fr_sentences, en_sentences)."""
    codes: list[InlineCode] = field(default_factory=list)
    """Inline markup in the source, positions in `source` (structured inputs: HTML, XLIFF, DOCX, Markdown)."""
    target_codes: list[InlineCode] = field(default_factory=list)
    """The same codes placed in the English, positions in `target` (filled after the engine)."""
    # --- transient stage data below: typed, never written by any writer ---
    placeholders: dict[str, str] | None = None
    """Placeholder → English term while terms are hidden from the engine; None when none are (or once restored)."""
    titles: list[Title] = field(default_factory=list)
    """Titles taken out of the engine input, in order, until they are restored."""
    attention: list[list[float]] | None = None
    """The engine's attention (target × source tokens), kept only until the pipeline ends."""
    target_tokens: list[str] | None = None
    """The engine's target tokens matching `attention` rows."""
    engine_target: str | None = None
    """The English as an engine that carries markup returned it (translate/markup.py), until the codes stage."""
    engine_codes: list[tuple[int, str, int]] | None = None
    """Where that engine put the codes: (id, kind, offset in `engine_target`); None when it placed none."""

    @property
    def text_for_engine(self) -> str:
        return self.source if self.engine_input is None else self.engine_input

    @property
    def translated(self) -> bool:
        """Whether a stage has filled the target already (memory, copy, engine): later ones leave it."""
        return bool(self.target and self.origin)

    def drop_engine_data(self) -> None:
        """Forget the engine's attention and tokens once no stage needs them."""
        self.attention = None
        self.target_tokens = None
        self.engine_target = None
        self.engine_codes = None


@dataclass
class RunFacts:
    """What the run learnt about a whole document, for writers and the summary line."""

    engine: str = ""
    """Name of the engine that translated part of the document ("aligned" for `translate align`); empty if none."""
    cache_hits: int = 0
    """Sentences whose engine output came from the cache."""
    memory_matches: int = 0
    """Sentences taken from a translation memory."""
    warnings: list[str] = field(default_factory=list)
    """Stage warnings to show once (e.g. a word list is missing)."""
    min_score: float | None = None
    """`translate align`: the cosine under which a bead needs review."""


@dataclass
class Paragraph:
    """A block of the input: one line of text (or lines joined because they were hard-wrapped)."""

    index: int
    segments: list[Segment]
    lead: str = ""
    """Whitespace before the first segment (indentation) kept as in the input."""
    separator: str = "\n"
    """Exact text between this paragraph and the next one (newlines and blank lines)."""

    @property
    def source(self) -> str:
        return self.lead + "".join(s.source + s.space_after for s in self.segments)


@dataclass
class Document:
    """A whole input text, split into paragraphs and segments, with its translation once done."""

    paragraphs: list[Paragraph]
    source_lang: str = "fr"
    target_lang: str = "en"
    name: str = ""
    """Name of the input (file stem) for writers and messages; empty for text given in code."""
    head: str = ""
    """Text (blank lines) before the first paragraph, kept to rebuild the input exactly."""
    meta: RunFacts = field(default_factory=RunFacts)
    """Run facts writers may record: engine name, cache and memory use, warnings."""

    @property
    def segments(self) -> list[Segment]:
        return [s for p in self.paragraphs for s in p.segments]

    def __iter__(self) -> Iterator[Segment]:
        for p in self.paragraphs:
            yield from p.segments

    def __len__(self) -> int:
        return sum(len(p.segments) for p in self.paragraphs)

    @property
    def source_text(self) -> str:
        """The input rebuilt from the segments: equals the segmented text, character for character."""
        return self.head + "".join(p.source + p.separator for p in self.paragraphs)

    @property
    def target_text(self) -> str:
        """The translation laid out like the input: same paragraphs, same blank lines."""
        parts = [self.head]
        for p in self.paragraphs:
            line = p.lead
            for i, s in enumerate(p.segments):
                line += s.target
                if i < len(p.segments) - 1:
                    line += _target_space(s.space_after)
            parts.append(line.rstrip() + p.separator)
        return "".join(parts)


def _target_space(space: str) -> str:
    """Spacing between two English sentences: a newline where the French had one, else a space."""
    if "\n" in space:
        return "\n"
    return " "
