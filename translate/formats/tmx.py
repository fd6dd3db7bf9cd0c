"""TMX 1.4b translation memory: one `<tu>` per sentence pair, the form every CAT tool imports."""

from __future__ import annotations

import json
import tempfile
from typing import IO, Iterator

from translate.document import Document, InlineCode, Origin, Paragraph, Segment
from translate.formats import WriteOptions, pair_code
from translate.formats.xmltext import xml_text

# --- CAT-tool safety (XLIFF/TMX/OmegaT task) ---------------------------------------------------
CAT_SAFE_CHARS = 1000
"""Longest segment written without a warning. Press sentences stay far below it; a longer one is
almost always a list or table the segmenter could not split, which CAT tools match slowly and badly.
Such units are written whole (never truncated) with `<prop type="x-warning">long-segment: …</prop>`."""

NOT_ENGINES = Origin.NOT_ENGINES
"""Origins that are not an engine name, so they get no x-engine property."""


def _warnings(segment: Segment) -> list[tuple[str, str]]:
    longest = max(len(segment.source), len(segment.target))
    if longest > CAT_SAFE_CHARS:
        return [("x-warning", f"long-segment: {longest} characters (CAT-safe limit {CAT_SAFE_CHARS})")]
    return []


def paragraph_runs(paragraph: Paragraph) -> list[tuple[str, str]]:
    """(French, English) for each run of 2+ sentences on one line of a paragraph.

    A CAT tool that segments by paragraph (OmegaT with sentence segmentation off) sees these runs as
    its segments; a unit for each gives it exact matches. Runs end where the French had a line break.
    """
    runs: list[list[Segment]] = [[]]
    for segment in paragraph.segments:
        runs[-1].append(segment)
        if "\n" in segment.space_after:
            runs.append([])
    found = []
    for run in runs:
        if len(run) < 2:
            continue
        source = "".join(s.source + s.space_after for s in run).strip()
        target = Document([Paragraph(0, run, separator="")]).target_text.strip()
        found.append((source, target))
    return found
# ------------------------------------------------------------------------------------------------


def seg_content(text: str, codes: list[InlineCode]) -> str:
    """A `<seg>`'s content: the text with its inline codes as TMX 1.4b elements holding the escaped original
    markup: a pair within the segment as `<bpt i x>`/`<ept i>`, an isolated code as `<ph x>`, half of a
    pair that straddles segments as `<it pos="begin|end" x>`. `x` is the code's id, the same in both tuv's."""
    if not codes:
        return xml_text(text)
    opens = {c.id for c in codes if c.kind == "open"}
    closes = {c.id for c in codes if c.kind == "close"}
    out, cursor = [], 0
    for code in sorted(codes, key=lambda c: c.position):  # stable: the list's order at one position is kept
        at = min(max(code.position, cursor), len(text))
        out.append(xml_text(text[cursor:at]))
        cursor = at
        data = xml_text(code.data)
        if code.kind == "isolated":
            out.append(f'<ph x="{code.id}">{data}</ph>')
        elif code.kind == "open" and code.id in closes:
            out.append(f'<bpt i="{code.id}" x="{code.id}">{data}</bpt>')
        elif code.kind == "close" and code.id in opens:
            out.append(f'<ept i="{code.id}">{data}</ept>')
        else:
            out.append(f'<it pos="{"begin" if code.kind == "open" else "end"}" x="{code.id}">{data}</it>')
    out.append(xml_text(text[cursor:]))
    return "".join(out)


def tmx_date(options: WriteOptions) -> str:
    """TMX dates are ISO 8601 basic format in UTC: YYYYMMDDThhmmssZ."""
    return options.created.strftime("%Y%m%dT%H%M%SZ")


def _props(segment: Segment) -> list[tuple[str, str]]:
    props = [("x-origin", segment.origin or "")]
    if segment.origin not in NOT_ENGINES:
        props.append(("x-engine", segment.origin))
    if segment.score is not None:
        props.append(("x-score", f"{segment.score:.4f}"))
    if segment.glossary_hits:
        props.append(("x-glossary", json.dumps([h.target for h in segment.glossary_hits], ensure_ascii=False)))
    if segment.qa:
        props.append(("x-qa", ",".join(sorted({q.check for q in segment.qa}))))
    return props + _warnings(segment)


class TmxWriter:
    """TMX 1.4b; `paragraph_units` adds `segtype="paragraph"` units for CAT tools segmenting by paragraph."""

    name = "tmx"

    def __init__(self, paragraph_units: bool = False) -> None:
        self.paragraph_units = paragraph_units

    def filename(self, stem: str, options: WriteOptions) -> str:
        return f"{stem}.{pair_code(options)}.tmx"

    def _units_by_paragraph(self, options: WriteOptions) -> bool:
        return self.paragraph_units or options.paragraph_units

    def render(self, document: Document, options: WriteOptions) -> str:
        out = [self.head(document, options), self.body(document, options)]
        if self._units_by_paragraph(options):
            out.append(self.paragraph_body(document, options))
        out.append(self.tail(options))
        return "".join(out)

    def head(self, document: Document, options: WriteOptions) -> str:
        """Everything up to `<body>`; the engine property comes from `document` (the first chunk when streaming)."""
        date = tmx_date(options)
        src = xml_text(options.source_locale)
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n',
            '<tmx version="1.4">\n',
            f'  <header creationtool="{xml_text(options.tool)}" creationtoolversion="{xml_text(options.tool_version)}"'
            f' segtype="sentence" o-tmf="{xml_text(options.tool)}" adminlang="en" srclang="{src}"'
            f' datatype="plaintext" creationdate="{date}">\n',
        ]
        engine = document.meta.engine
        if engine:
            out.append(f'    <prop type="x-engine">{xml_text(str(engine))}</prop>\n')
        out.append("  </header>\n  <body>\n")
        return "".join(out)

    def body(self, document: Document, options: WriteOptions) -> str:
        """The sentence units of one document or chunk."""
        date = tmx_date(options)
        src, tgt = xml_text(options.source_locale), xml_text(options.target_locale)
        out = []
        for s in document:
            out.append(f'    <tu tuid="{s.id}" creationdate="{date}">\n')
            for kind, value in _props(s):
                out.append(f'      <prop type="{kind}">{xml_text(value)}</prop>\n')
            out.append(f'      <tuv xml:lang="{src}"><seg>{seg_content(s.source, s.codes)}</seg></tuv>\n')
            out.append(f'      <tuv xml:lang="{tgt}"><seg>{seg_content(s.target, s.target_codes)}</seg></tuv>\n')
            out.append("    </tu>\n")
        return "".join(out)

    def paragraph_body(self, document: Document, options: WriteOptions) -> str:
        """The paragraph units of one document or chunk (they follow all sentence units)."""
        src, tgt = xml_text(options.source_locale), xml_text(options.target_locale)
        return "".join(_paragraph_units(document, src, tgt, tmx_date(options)))

    def tail(self, options: WriteOptions) -> str:
        return "  </body>\n</tmx>\n"

    def stream(self, options: WriteOptions) -> "TmxStream":
        """Chunk by chunk; paragraph units wait in a spool file until the sentence units are all written."""
        return TmxStream(self, options)


class TmxStream:
    """A TMX written chunk by chunk with the same bytes as `TmxWriter.render` of the whole document."""

    SPOOL_IN_MEMORY = 4 * 2**20
    """Paragraph units up to this size wait in memory, beyond it in an anonymous temporary file."""

    def __init__(self, writer: TmxWriter, options: WriteOptions) -> None:
        self.writer, self.options = writer, options
        self.started = False
        self.spool: IO[str] | None = None
        if writer._units_by_paragraph(options):
            self.spool = tempfile.SpooledTemporaryFile(self.SPOOL_IN_MEMORY, mode="w+", encoding="utf-8", newline="")

    def chunk(self, document: Document) -> Iterator[str]:
        if not self.started:
            self.started = True
            yield self.writer.head(document, self.options)
        yield self.writer.body(document, self.options)
        if self.spool is not None:
            self.spool.write(self.writer.paragraph_body(document, self.options))

    def finish(self) -> Iterator[str]:
        if not self.started:
            self.started = True
            yield self.writer.head(Document([]), self.options)
        if self.spool is not None:
            self.spool.seek(0)
            while piece := self.spool.read(2**20):
                yield piece
            self.spool.close()
        yield self.writer.tail(self.options)


def _paragraph_units(document: Document, src: str, tgt: str, date: str) -> list[str]:
    out = []
    for paragraph in document.paragraphs:
        for number, (source, target) in enumerate(paragraph_runs(paragraph), start=1):
            out.append(f'    <tu tuid="p{paragraph.index + 1}.{number}" segtype="paragraph" creationdate="{date}">\n')
            out.append(f'      <tuv xml:lang="{src}"><seg>{xml_text(source)}</seg></tuv>\n')
            out.append(f'      <tuv xml:lang="{tgt}"><seg>{xml_text(target)}</seg></tuv>\n')
            out.append("    </tu>\n")
    return out
