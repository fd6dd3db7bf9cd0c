"""Translating one structured file (HTML, XLIFF, DOCX, Markdown, subtitles): its format reads it into
units, the units become the paragraphs of one Document, the pipeline translates it, and the same
format writes the English file while the aligned TSV/TMX/JSONL/QA come from the Document as for text.

All outputs are staged and placed together (translate/outputs.py): any error leaves nothing behind.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from translate.codes import unit_english, unit_paragraph
from translate.document import Document, Origin
from translate.errors import UserError
from translate.formats import open_stream, writers
from translate.formats.detect import HEAD_BYTES, Detected, FormatRegistry, confirm
from translate.formats.structured import ParsedFile, UnitTranslation
from translate.outputs import StagedFiles, check_targets
from translate.textio import read_input_bytes

if TYPE_CHECKING:
    from translate.job import FileOptions, FileResult

DOCUMENT = "doc"
"""The `--formats` name of the translated document in the input's own format (`txt` stands for it too)."""
MAX_DOCUMENT_BYTES = 64 * 2**20
"""Largest structured file read: it is parsed whole (a news page or a Word file is far smaller)."""
FRENCH_CHECK_CHARS = 64 * 1024
"""Characters of unit text the language check reads."""


def build_document(parsed: ParsedFile, name: str, lang: str = "fr") -> Document:
    """One paragraph per unit (index = unit index), segmented unless the file segmented it already,
    each unit's codes split into its sentences."""
    paragraphs = []
    next_id = 1
    for index, unit in enumerate(parsed.units):
        paragraph = unit_paragraph(index, next_id, unit.text, list(unit.codes), unit.one_segment, lang)
        next_id += len(paragraph.segments)
        paragraphs.append(paragraph)
    return Document(paragraphs, source_lang=lang, name=name)


def unit_translations(parsed: ParsedFile, document: Document) -> list[UnitTranslation]:
    """Each unit's English, codes merged, with origin, lowest score and whether a person should look."""
    out = []
    for unit, paragraph in zip(parsed.units, document.paragraphs):
        text, codes = unit_english(paragraph, unit.text, list(unit.codes))
        _check_codes(unit.codes, codes, len(text), unit.note or unit.key)
        origins = [s.origin for s in paragraph.segments]
        engines = [o for o in origins if o not in Origin.NOT_ENGINES]
        origin = engines[0] if engines else (origins[0] if origins else Origin.COPY)
        scores = [s.score for s in paragraph.segments if s.score is not None]
        review = any(s.qa or s.glossary_repairs for s in paragraph.segments)
        out.append(UnitTranslation(text, codes, origin, min(scores) if scores else None, review))
    return out


def _check_codes(before: list, after: list, length: int, where: str) -> None:
    """The core's promise to format writers: every code once, within the text, sorted, opens before closes."""
    if sorted((c.id, c.kind, c.data) for c in before) != sorted((c.id, c.kind, c.data) for c in after):
        raise RuntimeError(f"inline codes of unit {where} were lost or duplicated")
    opened: dict[int, int] = {}
    last = 0
    for code in after:
        if not 0 <= code.position <= length or code.position < last:
            raise RuntimeError(f"inline code {code.id} of unit {where} misplaced")
        last = code.position
        if code.kind == "open":
            opened[code.id] = code.position
        elif code.kind == "close" and code.id in {c.id for c in before if c.kind == "open"} and code.id not in opened:
            raise RuntimeError(f"inline code {code.id} of unit {where} closes before it opens")


def read_structured(detected: Detected, registry: FormatRegistry) -> tuple[Detected, ParsedFile]:
    """The file's bytes checked against its format and parsed; UserError for what cannot be read."""
    data = read_input_bytes(detected.path, MAX_DOCUMENT_BYTES)
    detected = confirm(detected, data[:HEAD_BYTES], registry)
    assert detected.format is not None
    parsed = detected.format.read(data, detected.path)
    return detected, parsed


def translate_structured(detected: Detected, registry: FormatRegistry, pipeline: object, options: "FileOptions",
                         targets: dict[str, Path], on_share: Callable[[float], None] | None = None) -> "FileResult":
    """Translate one structured file and write its outputs (`targets`: format name → path, `doc` for the
    document); nothing is written unless everything succeeded."""
    from translate.job import FileResult, check_french, document_counts

    started = time.perf_counter()
    path = detected.path
    detected, parsed = read_structured(detected, registry)
    assert detected.format is not None
    warnings = list(parsed.warnings)
    if options.encoding:
        warnings.append(f"--encoding is for text files; {path} is read as {detected.format.name}, "
                        "which says its own encoding")
    text = "\n".join(u.text for u in parsed.units)
    if not text.strip():
        warnings.append(f"{path} holds no text to translate; its English copy is unchanged")
    elif not options.force:
        check_french(text[:FRENCH_CHECK_CHARS], path)
    warnings += check_targets(list(targets.values()), [path], options.overwrite)
    document = build_document(parsed, path.name)
    if len(document):
        pipeline.run_document(document)  # type: ignore[attr-defined]
    if on_share is not None:
        on_share(1.0)
    translations = unit_translations(parsed, document)
    content = detected.format.write(parsed, translations, options.write.target_locale)
    table = writers()
    with StagedFiles(list(targets.values()), options.overwrite) as staged:
        for name, target in targets.items():
            if name == DOCUMENT:
                staged.write_bytes(target, content)
                continue
            stream = open_stream(table[name], options.write)
            for piece in stream.chunk(document):
                staged.write(target, piece)
            for piece in stream.finish():
                staged.write(target, piece)
        staged.commit()
    seconds = time.perf_counter() - started
    warnings += list(dict.fromkeys(document.meta.warnings))
    return FileResult(path, list(targets.values()), len(document), seconds, warnings, document_counts(document))


def require_structured(name: str) -> None:
    """For commands that translate plain text only (e.g. --ray): refuse a structured input in one line."""
    raise UserError(f"{name} is a structured document; --ray translates plain text only, run without --ray")
