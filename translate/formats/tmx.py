"""TMX 1.4b translation memory: one `<tu>` per sentence pair, the form every CAT tool imports."""

from __future__ import annotations

import json

from translate.document import Document, Segment
from translate.formats import WriteOptions, pair_code
from translate.formats.xmltext import xml_text


def tmx_date(options: WriteOptions) -> str:
    """TMX dates are ISO 8601 basic format in UTC: YYYYMMDDThhmmssZ."""
    return options.created.strftime("%Y%m%dT%H%M%SZ")


def _props(segment: Segment) -> list[tuple[str, str]]:
    props = [("x-origin", segment.origin or "")]
    if segment.score is not None:
        props.append(("x-score", f"{segment.score:.4f}"))
    if segment.glossary_hits:
        props.append(("x-glossary", json.dumps([h.get("target") for h in segment.glossary_hits], ensure_ascii=False)))
    if segment.qa:
        props.append(("x-qa", ",".join(sorted({q.get("check", "") for q in segment.qa}))))
    return props


class TmxWriter:
    name = "tmx"

    def filename(self, stem: str, options: WriteOptions) -> str:
        return f"{stem}.{pair_code(options)}.tmx"

    def render(self, document: Document, options: WriteOptions) -> str:
        date = tmx_date(options)
        src, tgt = xml_text(options.source_locale), xml_text(options.target_locale)
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n',
            '<tmx version="1.4">\n',
            f'  <header creationtool="{xml_text(options.tool)}" creationtoolversion="{xml_text(options.tool_version)}"'
            f' segtype="sentence" o-tmf="{xml_text(options.tool)}" adminlang="en" srclang="{src}"'
            f' datatype="plaintext" creationdate="{date}">\n',
        ]
        engine = document.meta.get("engine")
        if engine:
            out.append(f'    <prop type="x-engine">{xml_text(str(engine))}</prop>\n')
        out.append("  </header>\n  <body>\n")
        for s in document:
            out.append(f'    <tu tuid="{s.id}" creationdate="{date}">\n')
            for kind, value in _props(s):
                out.append(f'      <prop type="{kind}">{xml_text(value)}</prop>\n')
            out.append(f'      <tuv xml:lang="{src}"><seg>{xml_text(s.source)}</seg></tuv>\n')
            out.append(f'      <tuv xml:lang="{tgt}"><seg>{xml_text(s.target)}</seg></tuv>\n')
            out.append("    </tu>\n")
        out.append("  </body>\n</tmx>\n")
        return "".join(out)
