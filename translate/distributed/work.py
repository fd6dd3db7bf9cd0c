"""The steps workers run on documents: read and segment (tasks), translate and write (engine actors).

They call the library the single-process run uses — `read_input`, `segment_document`, the pipeline
from `build_pipeline`, the writers and `write_all` — so outputs are the same bytes. The one change is
batching: the engine stage gets the sentences of several documents in one call.
"""

from __future__ import annotations

import json
import pickle
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.document import Document
from translate.errors import EXIT_FAILURE, UserError
from translate.pipeline import EngineStage, Pipeline


def segment_text(text: str, name: str) -> Document:
    """What `Pipeline.__call__` does before its components: segment, set the target language."""
    from translate.segment import segment_document

    document = segment_document(text, lang="fr", name=name)
    document.target_lang = "en"
    return document


def read_file_row(row: dict[str, Any], encoding: str | None, force: bool) -> dict[str, Any]:
    """Ray Data task: one input file read, checked for French and segmented, as in `translate_file`."""
    from translate.job import check_french
    from translate.textio import read_input

    path = Path(row["path"])
    out = {"path": row["path"], "doc": b"", "error": "", "code": 0, "warnings": "[]", "sentences": 0}
    try:
        source = read_input(path, encoding)
        if not force:
            check_french(source.text, path)
        document = segment_text(source.text, path.name)
    except UserError as err:
        out.update(error=str(err), code=err.code)
        return out
    out.update(doc=pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL),
               warnings=json.dumps(source.warnings), sentences=len(document))
    return out


def translate_together(pipeline: Pipeline, documents: list[Document]) -> None:
    """Run the pipeline's components over several documents, with one engine call for all of them.

    Components before the engine stage (memory, term protection) and after it (term verification,
    typography, QA) run per document exactly as `Pipeline.__call__` runs them; the engine stage runs
    once over a document made of every document's paragraphs (the same Segment objects).
    """
    components = pipeline.components
    at = next(i for i, c in enumerate(components) if isinstance(c, EngineStage))
    for document in documents:
        for component in components[:at]:
            component(document)
    # the engine stage records its name only on documents that sent it something (see EngineStage)
    sent = [any(s.translatable and not s.translated for s in d) for d in documents]
    merged = Document([p for d in documents for p in d.paragraphs])
    components[at](merged)
    for document, used in zip(documents, sent):
        if used and merged.meta.engine:
            document.meta.engine = merged.meta.engine
        for component in components[at + 1:]:
            component(document)
        for segment in document:
            segment.drop_engine_data()


@dataclass(frozen=True)
class FileJob:
    """What the file actors need to write outputs as `translate_file` does."""

    options: Any
    """translate.job.FileOptions (its WriteOptions carry the one creation date of the run)."""


def write_document(document: Document, path: Path, job: FileJob) -> None:
    """Render every requested format and write them together, atomically (`write_all`)."""
    from functools import partial

    from translate.formats import writers
    from translate.job import output_paths
    from translate.outputs import OutputAppeared, write_all

    table = writers()
    targets = output_paths(path, job.options)
    files = {target: partial(table[name].render, document, job.options.write) for name, target in targets.items()}
    try:
        write_all(files, overwrite=job.options.overwrite)
    except OutputAppeared:
        if not _written_before(files):
            raise


def _written_before(files: dict[Path, Any]) -> bool:
    """Whether every target already holds exactly these bytes: Ray retries the batch of an actor that died,
    and the retry finds the outputs the dead attempt placed (same run, same creation date, same bytes).
    Anything else at a target appeared from elsewhere during the run and is kept, as without Ray."""
    for target, render in files.items():
        try:
            if target.read_bytes() != render().encode("utf-8"):
                return False
        except OSError:
            return False
    return True


class FileActor:
    """Ray Data actor: holds one loaded engine; translates a batch of documents and writes each one."""

    def __init__(self, recipe: Any, job: FileJob) -> None:
        self.pipeline = recipe.build_pipeline()
        self.job = job

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        started = time.perf_counter()
        rows = [dict(zip(batch, values)) for values in zip(*batch.values())]
        ready = [r for r in rows if not r["error"]]
        documents = [pickle.loads(r["doc"]) for r in ready]
        if documents:
            translate_together(self.pipeline, documents)
        for row, document in zip(ready, documents):
            try:
                write_document(document, Path(row["path"]), self.job)
            except UserError as err:
                row.update(error=str(err), code=err.code or EXIT_FAILURE)
        seconds = time.perf_counter() - started
        return {
            "path": [str(r["path"]) for r in rows],
            "error": [str(r["error"]) for r in rows],
            "code": [int(r["code"]) for r in rows],
            "warnings": [str(r["warnings"]) for r in rows],
            "sentences": [int(r["sentences"]) for r in rows],
            "seconds": [seconds] * len(rows),
        }
