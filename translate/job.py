"""Translating files: read, run the pipeline, write every requested format atomically, report.

A file is read, translated and written in paragraph-aligned chunks (translate/chunks.py), so memory
stays flat however long it is; the outputs grow in hidden `.part` files and are put in place together
at the end, or removed on any error or interruption.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from translate.chunks import paragraph_chunks
from translate.document import Document
from translate.errors import UserError
from translate.formats import WriteOptions, open_stream, writers
from translate.memory import MEMORY_ORIGIN
from translate.outputs import StagedFiles, check_targets, output_stem
from translate.pipeline import Pipeline
from translate.textio import InputStream

if TYPE_CHECKING:
    from translate.formats.detect import FormatRegistry

DEFAULT_FORMATS = ("txt", "tsv", "tmx", "jsonl", "qa")


@dataclass
class FileOptions:
    """How input files are read and where and what outputs are written."""

    output_dir: Path | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS
    write: WriteOptions = field(default_factory=WriteOptions)
    overwrite: bool = False
    encoding: str | None = None
    force: bool = False
    """Translate even when the input does not look French."""


@dataclass
class FileResult:
    """What one input gave: the outputs written and the numbers for the summary line."""

    input: Path
    outputs: list[Path]
    sentences: int
    seconds: float
    warnings: list[str]
    counts: dict[str, int] = field(default_factory=dict)


class LazyPipeline:
    """A pipeline built on first use, so that bad input is reported before an engine is loaded."""

    def __init__(self, make: Callable[[], Pipeline]) -> None:
        self._make = make
        self._pipeline: Pipeline | None = None

    def __call__(self, text: str, name: str = "") -> Document:
        return self._get()(text, name)

    def stream(self, chunks: Iterable[str], name: str = "") -> Iterator[Document]:
        """See Pipeline.stream; the pipeline is made when the first chunk is needed."""
        return self._get().stream(chunks, name)

    def run_document(self, document: Document) -> Document:
        """See Pipeline.run_document."""
        return self._get().run_document(document)

    def _get(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = self._make()
        return self._pipeline


def check_formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    """Validate `--formats` names early, with the list of valid ones in the error."""
    from translate.docjob import DOCUMENT

    known = [*writers(), DOCUMENT]
    bad = [f for f in formats if f not in known]
    if bad:
        raise UserError(f"unknown format {', '.join(bad)}; choose from {', '.join(known)}")
    if not formats:
        raise UserError("--formats is empty")
    return formats


_OUR_OUTPUT = re.compile(r"\.(en(?:[-_][a-z]{2,4})?|[a-z]{2,3}-en(?:\.review)?)\.[^.]+$")
"""`x.en.txt`, `x.en.html`, `x.en-us.docx` (English documents); `x.fr-en.xlf`, `x.fr-en.review.html`
(aligned outputs)."""


def is_translation_output(path: Path) -> bool:
    """True for `*.en.*` and `*.fr-en.*`: files `translate run` writes, which must not be read back as French input."""
    return bool(_OUR_OUTPUT.search(path.name.lower()))


def _wanted_in_directory(path: Path, registry: "FormatRegistry") -> bool | None:
    """True for a file a directory run translates (text or a supported document), None for a document
    type it refuses (said in a warning), False for anything else."""
    from translate.formats.detect import BUILTIN, REFUSED, TEXT_SUFFIXES, suffix_of

    suffix = suffix_of(path)
    if suffix in TEXT_SUFFIXES or registry.claimed(suffix):
        return True
    if suffix in REFUSED or any(suffix in claimed for claimed in BUILTIN.values()):
        return None
    return False


CORPUS_SUFFIXES = (".jsonl", ".parquet")
"""A corpus of documents (`translate run corpus.jsonl --ray`), never a French text."""

def expand_inputs(paths: list[Path], warn: Callable[[str], None] | None = None) -> list[Path]:
    """Files as given; a directory stands for the `.txt` files and supported documents (`.html`, `.xlf`, …)
    in it (sorted), except earlier outputs (`*.en.*`, `*.fr-en.*`); a `.manifest` for what it lists.
    A JSONL/Parquet corpus is refused: only `--ray` reads those."""
    from translate.formats.detect import FormatRegistry
    from translate.manifest import expand_manifests

    registry = FormatRegistry()
    found: list[Path] = []
    for path in expand_manifests(paths):
        try:
            path.stat()
        except FileNotFoundError:
            pass  # said below
        except OSError as err:  # a name too long for the file system, a loop of links, …
            raise UserError(f"cannot read {str(path)[:60]}…: {err.strerror}" if len(str(path)) > 80
                            else f"cannot read {path}: {err.strerror}") from None
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file())
            kinds = {p: _wanted_in_directory(p, registry) for p in files}
            inside = [p for p in files if kinds[p]]
            refused = [p for p in files if kinds[p] is None and not is_translation_output(p)]
            english = [p for p in inside if is_translation_output(p)]
            inside = [p for p in inside if not is_translation_output(p)]
            if not inside:
                what = "only English outputs of earlier runs (*.en.*, *.fr-en.*)" if english else \
                    "no .txt files nor supported documents"
                raise UserError(f"{path} is a directory with {what}")
            if english and warn is not None:
                only_text = all(p.name.lower().endswith(".en.txt") for p in english)
                named = "*.en.txt" if only_text else "*.en.* or *.fr-en.*"
                warn(f"skipped {len(english)} file(s) in {path} named {named} (translations, not French input)")
            if refused and warn is not None:
                kinds_seen = ", ".join(sorted({p.suffix.lower() for p in refused}))
                warn(f"skipped {len(refused)} file(s) in {path} of a type this tool does not translate ({kinds_seen})")
            found.extend(inside)
        elif not path.exists():
            raise UserError(f"no such file: {path}")
        elif path.suffix.lower() in CORPUS_SUFFIXES:
            raise UserError(f"{path} is a corpus of documents ({path.suffix.lower()}): it is translated with --ray "
                            "(pip install '.[ray]'), which reads it with Ray Data")
        else:
            found.append(path)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)  # a file named twice (or via its folder) is translated once
    return list(unique.values())


def has_documents(inputs: list[Path]) -> bool:
    """Whether any input is a structured document (HTML, XLIFF, …) rather than text, by its name."""
    from translate.formats.detect import FormatRegistry, detect_by_name

    registry = FormatRegistry()
    return any(detect_by_name(path, registry).suffix for path in inputs)


def check_distinct_outputs(inputs: list[Path], options: FileOptions) -> None:
    """Refuse a run where two inputs would write the same output, or one input's output is another input."""
    owners: dict[Path, Path] = {}
    resolved_inputs = {p.resolve(): p for p in inputs}
    for path in inputs:
        for target in output_paths(path, options).values():
            key = target.resolve()
            other = owners.setdefault(key, path)
            if other.resolve() != path.resolve():
                raise UserError(f"{other} and {path} would both write {target}; "
                                "rename one or use separate --output-dir runs")
            clobbered = resolved_inputs.get(key)
            if clobbered is not None:
                raise UserError(f"output {target} of {path} would overwrite the input {clobbered}; use --output-dir")


def output_paths(path: Path, options: FileOptions) -> dict[str, Path]:
    """Each format's output path for one input (`doc`: the translated document; `txt` stands for it for a
    structured input, whose English keeps its format: `x.fr.html` → `x.en.html`)."""
    from translate.docjob import DOCUMENT
    from translate.formats.detect import FormatRegistry, detect_by_name

    directory = options.output_dir or path.parent
    table = writers()
    detected = detect_by_name(path, FormatRegistry())
    if not detected.suffix:
        stem = output_stem(path)
        names = dict.fromkeys("txt" if name == DOCUMENT else name for name in options.formats)
        return {name: directory / table[name].filename(stem, options.write) for name in names}
    stem = structured_stem(path)
    language = options.write.target_locale.split("-")[0].lower()
    out: dict[str, Path] = {}
    for name in options.formats:
        if name in ("txt", DOCUMENT):
            out[DOCUMENT] = directory / f"{stem}.{language}{path.suffix}"
        else:
            out[name] = directory / table[name].filename(stem, options.write)
    return out


def structured_stem(path: Path) -> str:
    """`x.fr.html` → `x`, `x.xlf` → `x`: the name a structured input's outputs are built on."""
    return output_stem(Path(path.stem)) if path.suffix else output_stem(path)


def document_counts(document: Document) -> dict[str, int]:
    """The numbers the summary line reports besides sentences and seconds."""
    segments = document.segments
    return {
        "from memory": sum(1 for s in segments if s.origin == MEMORY_ORIGIN),
        "from cache": document.meta.cache_hits,
        "terms": sum(len(s.glossary_hits) for s in segments),
        "term repairs": sum(len(s.glossary_repairs) for s in segments),
        "QA findings": sum(len(s.qa) for s in segments),
        "foreign words": sum(1 for s in segments for f in s.qa if f.check == "foreign-word"),
        "unknown words": sum(len(s.unknown_words) for s in segments),
    }


def check_french(text: str, path: Path) -> None:
    """Refuse text that clearly is not French: an fr→en engine would turn it into confident garbage."""
    from translate.langid import looks_french

    french, guess = looks_french(text)
    if not french:
        raise UserError(f"{path} looks like {guess.language}, not French; use --force to translate it anyway")


def translate_file(path: Path, pipeline: Pipeline | LazyPipeline, options: FileOptions,
                   on_share: Callable[[float], None] | None = None) -> FileResult:
    """Translate one file and write its outputs; nothing is written unless everything succeeded.

    `on_share` is told, before each chunk is translated, the share of the input it reaches (0–1].
    """
    from translate.formats.detect import FormatRegistry, detect

    registry = FormatRegistry()
    detected = detect(path, registry)
    if detected.suffix:
        from translate.docjob import translate_structured

        return translate_structured(detected, registry, pipeline, options, output_paths(path, options), on_share)
    started = time.perf_counter()
    source = InputStream(path, options.encoding)
    try:
        if not options.force:
            check_french(source.head, path)
        targets = output_paths(path, options)
        warnings = check_targets(list(targets.values()), [path], options.overwrite)
        table = writers()
        streams = {target: open_stream(table[name], options.write) for name, target in targets.items()}
        counts: dict[str, int] = {}
        sentences = 0
        stage_warnings: list[str] = []
        with StagedFiles(list(targets.values()), options.overwrite) as staged:
            chunks = _reporting(paragraph_chunks(source.texts(), name=str(path)), source, on_share)
            for document in pipeline.stream(chunks, name=path.name):
                sentences += len(document)
                for label, number in document_counts(document).items():
                    counts[label] = counts.get(label, 0) + number
                stage_warnings.extend(document.meta.warnings)
                for target, stream in streams.items():
                    for text in stream.chunk(document):
                        staged.write(target, text)
            for target, stream in streams.items():
                for text in stream.finish():
                    staged.write(target, text)
            staged.commit()
    finally:
        source.close()
    seconds = time.perf_counter() - started
    warnings += list(dict.fromkeys(stage_warnings))  # a stage's warning (e.g. no word lists) once, not per chunk
    return FileResult(path, list(targets.values()), sentences, seconds, source.warnings + warnings, counts)


def _reporting(chunks: Iterable[str], source: InputStream, on_share: Callable[[float], None] | None) -> Iterator[str]:
    """The chunks, telling `on_share` how far into the input each one reaches (for the progress bar)."""
    done = 0
    for chunk in chunks:
        done += len(chunk)
        if on_share is not None:
            on_share(source.share(done))
        yield chunk
