"""XLIFF 1.2 bilingual file: one `<trans-unit>` per sentence, grouped by paragraph, ready for review in a CAT tool.

The `state` says what a reviser still has to do and `state-qualifier` where the target came from:
machine output is a draft (`needs-review-translation`, `leveraged-mt`), an exact translation-memory
match is `translated` with `exact-match` (or `needs-review-translation` when QA found something),
material copied verbatim is `final` and `translate="no"`, an empty target `needs-translation`.
Each unit carries a `<note>` per reason to look at it first (low score, QA finding, glossary repair).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from translate.document import Document, Origin, QaFinding, Segment, TermRepair
from translate.formats import WriteOptions, pair_code
from translate.formats.xmltext import xml_text
from translate.memory import MEMORY_ORIGIN

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
EXTRA_NS = "urn:translate-fr-en:xliff-extras"
"""Namespace of our own attributes (engine score, origin); XLIFF 1.2 allows foreign attributes on trans-unit."""

REVIEW_BELOW_SCORE = -1.0
"""Mean log-probability per token under which a neural translation gets a low-confidence note.

-1.0 means the model's geometric-mean token probability is below e^-1 ≈ 0.37: well-translated press
sentences score about -0.1 to -0.6 with the Argos/OPUS models, so this flags outliers, not routine text.
"""

STATE_OK = "translated"
STATE_REVIEW = "needs-review-translation"
STATE_EMPTY = "needs-translation"
STATE_VERBATIM = "final"
QUALIFIER_MT = "leveraged-mt"
QUALIFIER_TM = "exact-match"
COPY_ORIGIN = Origin.COPY

_REPAIR_METHODS = {
    "placeholder-fuzzy": "the engine altered the term's placeholder; the term was put back in its place",
    "present": "the engine dropped the term's placeholder but wrote the term itself",
    "source-replaced": "the engine copied the French term; it was replaced",
    "attention": "the engine dropped the term; it was inserted where the model's attention points",
    "position": "the engine dropped the term; it was inserted at the same relative position as in the French",
    "append": "the engine dropped the term; it was added at the end of the sentence",
}
"""What each `method` of a glossary repair (glossary/enforce.py) means, for a reviser."""

_WHITESPACE_MATTERS = re.compile(r"^\s|\s$|\s\s|[\t\n\r]")


@dataclass(frozen=True)
class ReviewDecision:
    """The XLIFF state of one segment, where the target came from, and the notes explaining the state."""

    state: str
    notes: list[tuple[str, str]]
    """(from, text) pairs, one `<note>` each."""
    qualifier: str | None = None
    """`state-qualifier`: leveraged-mt for machine output, exact-match for memory matches."""


def _finding_text(finding: QaFinding) -> str:
    """One QA finding as a line a translator can read: `check: message`, else the raw fields."""
    check, message = finding.check, finding.message
    if check and message:
        return f"{check}: {message}"
    if message:
        return str(message)
    return json.dumps(finding.to_json(), ensure_ascii=False, sort_keys=True)


def _repair_text(repair: TermRepair) -> str:
    """A glossary repair as recorded by translate/terms.py (source, target, entry, method) in words."""
    source, target, method = repair.source, repair.target, repair.method
    if not (source and target):
        return "glossary repair: " + json.dumps(repair.to_json(), ensure_ascii=False, sort_keys=True)
    how = _REPAIR_METHODS.get(str(method), f"method {method}" if method else "")
    return f"glossary repair: {source} → {target}" + (f" ({how})" if how else "")


def review_decision(segment: Segment, review_below: float = REVIEW_BELOW_SCORE) -> ReviewDecision:
    """The segment's state and qualifier by origin, and the notes saying why it needs a look first."""
    if not segment.translatable:
        return ReviewDecision(STATE_VERBATIM, [])
    notes: list[tuple[str, str]] = []
    if segment.score is not None and segment.score < review_below:
        notes.append(("engine", f"low engine confidence: score {segment.score:.3f} < {review_below:.3f}"))
    notes.extend(("qa", _finding_text(f)) for f in segment.qa)
    notes.extend(("glossary", _repair_text(r)) for r in segment.glossary_repairs)
    if segment.unknown_words:
        notes.append(("engine", "unknown words: " + ", ".join(segment.unknown_words)))
    if not segment.target:
        return ReviewDecision(STATE_EMPTY, notes)
    if segment.origin == MEMORY_ORIGIN:
        # a translator's own translation: done, unless QA found something in this context
        flagged = any(origin == "qa" for origin, _ in notes)
        return ReviewDecision(STATE_REVIEW if flagged else STATE_OK, notes, QUALIFIER_TM)
    if segment.origin == COPY_ORIGIN:
        return ReviewDecision(STATE_REVIEW, notes)  # copied through untranslated: someone must confirm
    return ReviewDecision(STATE_REVIEW, notes, QUALIFIER_MT)  # machine output is a draft, never finished


def xliff_date(options: WriteOptions) -> str:
    """XLIFF 1.2 `date` attributes are xsd:dateTime; UTC with a Z."""
    return options.created.strftime("%Y-%m-%dT%H:%M:%SZ")


class XliffWriter:
    """Renders a Document as an XLIFF 1.2 file with one `<group>` per paragraph."""

    name = "xliff"

    def __init__(self, review_below: float = REVIEW_BELOW_SCORE) -> None:
        self.review_below = review_below

    def filename(self, stem: str, options: WriteOptions) -> str:
        return f"{stem}.{pair_code(options)}.xlf"

    def render(self, document: Document, options: WriteOptions) -> str:
        return self.head(document, options) + self.body(document, options) + self.tail(options)

    def head(self, document: Document, options: WriteOptions) -> str:
        """Up to `<body>`; name and engine come from `document` (the first chunk when streaming)."""
        src, tgt = xml_text(options.source_locale), xml_text(options.target_locale)
        tool = xml_text(options.tool)
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<xliff version="1.2" xmlns="{XLIFF_NS}" xmlns:tr="{EXTRA_NS}">\n',
            f'  <file original="{xml_text(document.name or "text")}" source-language="{src}" target-language="{tgt}"'
            f' datatype="plaintext" tool-id="{tool}" date="{xliff_date(options)}">\n',
            "    <header>\n",
            f'      <tool tool-id="{tool}" tool-name="{tool}" tool-version="{xml_text(options.tool_version)}"/>\n',
        ]
        engine = document.meta.engine
        if engine:
            out.append(f'      <note from="{tool}">engine: {xml_text(str(engine))}</note>\n')
        out.append("    </header>\n    <body>\n")
        return "".join(out)

    def body(self, document: Document, options: WriteOptions) -> str:
        """One `<group>` per paragraph of the document or chunk."""
        src, tgt = xml_text(options.source_locale), xml_text(options.target_locale)
        out = []
        for paragraph in document.paragraphs:
            if not paragraph.segments:
                continue
            out.append(f'      <group id="p{paragraph.index + 1}" restype="x-paragraph">\n')
            for segment in paragraph.segments:
                out.append(self._unit(segment, src, tgt))
            out.append("      </group>\n")
        return "".join(out)

    def tail(self, options: WriteOptions) -> str:
        return "    </body>\n  </file>\n</xliff>\n"

    def _unit(self, segment: Segment, src: str, tgt: str) -> str:
        decision = review_decision(segment, self.review_below)
        attributes = f'id="{segment.id}"'
        if not segment.translatable:
            attributes += ' translate="no"'
        if segment.origin:
            attributes += f' tr:origin="{xml_text(segment.origin)}"'
        if segment.score is not None:
            attributes += f' tr:score="{segment.score:.4f}"'
        if _WHITESPACE_MATTERS.search(segment.source) or _WHITESPACE_MATTERS.search(segment.target):
            attributes += ' xml:space="preserve"'
        target = f'state="{decision.state}"'
        if decision.qualifier:
            target += f' state-qualifier="{decision.qualifier}"'
        lines = [
            f"        <trans-unit {attributes}>\n",
            f'          <source xml:lang="{src}">{xml_text(segment.source)}</source>\n',
            f'          <target xml:lang="{tgt}" {target}>{xml_text(segment.target)}</target>\n',
        ]
        for origin, text in decision.notes:
            lines.append(f'          <note from="{xml_text(origin)}" annotates="target">{xml_text(text)}</note>\n')
        lines.append("        </trans-unit>\n")
        return "".join(lines)
