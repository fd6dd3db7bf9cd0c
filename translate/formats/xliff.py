"""XLIFF 1.2 bilingual file: one `<trans-unit>` per sentence, grouped by paragraph, ready for review in a CAT tool.

Segments a reviser should look at first are marked `state="needs-review-translation"` and carry a
`<note>` saying why; everything else is `state="translated"`. Material copied verbatim is `translate="no"`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from translate.document import Document, Segment
from translate.formats import WriteOptions, pair_code
from translate.formats.xmltext import xml_text

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
EXTRA_NS = "urn:translate-fr-en:xliff-extras"
"""Namespace of our own attributes (engine score, origin); XLIFF 1.2 allows foreign attributes on trans-unit."""

REVIEW_BELOW_SCORE = -1.0
"""Mean log-probability per token under which a neural translation needs review.

-1.0 means the model's geometric-mean token probability is below e^-1 ≈ 0.37: well-translated press
sentences score about -0.1 to -0.6 with the Argos/OPUS models, so this flags outliers, not routine text.
"""

STATE_OK = "translated"
STATE_REVIEW = "needs-review-translation"
STATE_EMPTY = "needs-translation"
STATE_VERBATIM = "final"


@dataclass(frozen=True)
class ReviewDecision:
    """The XLIFF state of one segment and the notes explaining it."""

    state: str
    notes: list[tuple[str, str]]
    """(from, text) pairs, one `<note>` each."""


def _finding_text(finding: dict[str, Any]) -> str:
    """One QA finding as a line a translator can read: `check: message`, else the raw fields."""
    check, message = finding.get("check"), finding.get("message")
    if check and message:
        return f"{check}: {message}"
    if message:
        return str(message)
    return json.dumps(finding, ensure_ascii=False, sort_keys=True)


def _repair_text(repair: dict[str, Any]) -> str:
    before, after = repair.get("before") or repair.get("found"), repair.get("after") or repair.get("target")
    if before and after:
        return f"glossary repair: {before} → {after}"
    return "glossary repair: " + json.dumps(repair, ensure_ascii=False, sort_keys=True)


def review_decision(segment: Segment, review_below: float = REVIEW_BELOW_SCORE) -> ReviewDecision:
    """Whether a segment needs review (low score, QA finding, glossary repair, empty target) and why."""
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
    # unknown words alone do not force review: rule-based engines mark names and numbers too
    needs_review = any(origin != "engine" or text.startswith("low") for origin, text in notes)
    return ReviewDecision(STATE_REVIEW if needs_review else STATE_OK, notes)


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
        engine = document.meta.get("engine")
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
        lines = [
            f"        <trans-unit {attributes}>\n",
            f'          <source xml:lang="{src}">{xml_text(segment.source)}</source>\n',
            f'          <target xml:lang="{tgt}" state="{decision.state}">{xml_text(segment.target)}</target>\n',
        ]
        for origin, text in decision.notes:
            lines.append(f'          <note from="{xml_text(origin)}" annotates="target">{xml_text(text)}</note>\n')
        lines.append("        </trans-unit>\n")
        return "".join(lines)
