"""Translating files: read, run the pipeline, write every requested format atomically, report."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from translate.document import Document
from translate.errors import UserError
from translate.formats import WriteOptions, writers
from translate.memory import MEMORY_ORIGIN
from translate.outputs import check_targets, output_stem, write_all
from translate.pipeline import Pipeline
from translate.textio import read_input

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
        if self._pipeline is None:
            self._pipeline = self._make()
        return self._pipeline(text, name)


def check_formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    """Validate `--formats` names early, with the list of valid ones in the error."""
    known = writers()
    bad = [f for f in formats if f not in known]
    if bad:
        raise UserError(f"unknown format {', '.join(bad)}; choose from {', '.join(known)}")
    if not formats:
        raise UserError("--formats is empty")
    return formats


def is_translation_output(path: Path) -> bool:
    """True for `*.en.txt`: the English `translate run` writes, which must not be read back as French input."""
    return path.name.lower().endswith(".en.txt")


def expand_inputs(paths: list[Path], warn: Callable[[str], None] | None = None) -> list[Path]:
    """Files as given; a directory stands for the `.txt` files in it (sorted), except earlier English outputs."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
            english = [p for p in inside if is_translation_output(p)]
            inside = [p for p in inside if not is_translation_output(p)]
            if not inside:
                what = "only English outputs (*.en.txt)" if english else "no .txt files"
                raise UserError(f"{path} is a directory with {what}")
            if english and warn is not None:
                warn(f"skipped {len(english)} file(s) in {path} named *.en.txt (translations, not French input)")
            found.extend(inside)
        elif not path.exists():
            raise UserError(f"no such file: {path}")
        else:
            found.append(path)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)  # a file named twice (or via its folder) is translated once
    return list(unique.values())


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
    """Each format's output path for one input."""
    directory = options.output_dir or path.parent
    stem = output_stem(path)
    table = writers()
    return {name: directory / table[name].filename(stem, options.write) for name in options.formats}


def document_counts(document: Document) -> dict[str, int]:
    """The numbers the summary line reports besides sentences and seconds."""
    segments = document.segments
    return {
        "from memory": sum(1 for s in segments if s.origin == MEMORY_ORIGIN),
        "from cache": int(document.meta.get("cache_hits", 0)),
        "terms": sum(len(s.glossary_hits) for s in segments),
        "term repairs": sum(len(s.glossary_repairs) for s in segments),
        "QA findings": sum(len(s.qa) for s in segments),
        "foreign words": sum(1 for s in segments for f in s.qa if f.get("check") == "foreign-word"),
        "unknown words": sum(len(s.unknown_words) for s in segments),
    }


def check_french(text: str, path: Path) -> None:
    """Refuse text that clearly is not French: an fr→en engine would turn it into confident garbage."""
    from translate.langid import looks_french

    french, guess = looks_french(text)
    if not french:
        raise UserError(f"{path} looks like {guess.language}, not French; use --force to translate it anyway")


def translate_file(path: Path, pipeline: Pipeline | LazyPipeline, options: FileOptions) -> FileResult:
    """Translate one file and write its outputs; nothing is written unless everything succeeded."""
    started = time.perf_counter()
    source = read_input(path, options.encoding)
    if not options.force:
        check_french(source.text, path)
    targets = output_paths(path, options)
    check_targets(list(targets.values()), [path], options.overwrite)
    document = pipeline(source.text, name=path.name)
    table = writers()
    files = {target: partial(table[name].render, document, options.write) for name, target in targets.items()}
    write_all(files)
    counts = document_counts(document)
    warnings = source.warnings + list(dict.fromkeys(document.meta.get("warnings", [])))
    return FileResult(path, list(targets.values()), len(document), time.perf_counter() - started, warnings, counts)
