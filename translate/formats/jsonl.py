"""One JSON object per segment with everything the pipeline learnt about it, for programs."""

from __future__ import annotations

import json

from translate.document import Document, Segment
from translate.formats import WriteOptions, pair_code


def segment_record(segment: Segment) -> dict:
    """The JSON-ready view of a segment; keys are stable, later stages only add keys."""
    record = {
        "id": segment.id,
        "paragraph": segment.paragraph,
        "source": segment.source,
        "target": segment.target,
        "score": segment.score,
        "origin": segment.origin,
        "translatable": segment.translatable,
        "unknown_words": segment.unknown_words,
        "glossary_hits": [h.to_json() for h in segment.glossary_hits],
        "glossary_repairs": [r.to_json() for r in segment.glossary_repairs],
        "qa": [f.to_json() for f in segment.qa],
    }
    if segment.codes:  # structured inputs only: the inline markup of the French, and where it went in the English
        record["codes"] = [c.to_json() for c in segment.codes]
        record["target_codes"] = [c.to_json() for c in segment.target_codes]
    record.update(segment.extra)
    return record


class JsonlWriter:
    name = "jsonl"

    def filename(self, stem: str, options: WriteOptions) -> str:
        return f"{stem}.{pair_code(options)}.jsonl"

    def render(self, document: Document, options: WriteOptions) -> str:
        return self.body(document, options)

    def head(self, document: Document, options: WriteOptions) -> str:
        return ""

    def body(self, document: Document, options: WriteOptions) -> str:
        return "".join(json.dumps(segment_record(s), ensure_ascii=False) + "\n" for s in document)

    def tail(self, options: WriteOptions) -> str:
        return ""
