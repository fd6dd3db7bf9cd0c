"""A corpus of documents (JSONL or Parquet rows with `id`, `text`, optional metadata) → aligned segments.

Ray Data reads the corpus and writes the segments dataset (Parquet or JSONL files in a directory,
written next to it under a temporary name and renamed when complete); one row per sentence:
document id, paragraph, sentence id, source, target, origin, score, QA findings and the document's
other columns as JSON. With `tmx` in --formats a merged TMX of every segment is written as well.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translate.distributed.cluster import READ_CPUS, RaySettings, connected, engine_actors, resolve_gpu
from translate.distributed.engines import EngineRecipe
from translate.distributed.work import segment_text, translate_together
from translate.errors import UserError

CORPUS_FORMATS = ("parquet", "jsonl", "tmx")
SEGMENT_COLUMNS = ("doc_id", "paragraph", "sentence", "source", "target", "origin", "score", "translatable",
                   "qa", "glossary_hits", "glossary_repairs", "unknown_words", "meta")


@dataclass
class CorpusResult:
    documents: int = 0
    sentences: int = 0
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def check_corpus_formats(formats: tuple[str, ...]) -> None:
    """One segments format (parquet or jsonl), optionally tmx; anything else is refused up front."""
    bad = [f for f in formats if f not in CORPUS_FORMATS]
    if bad:
        raise UserError(f"format {', '.join(bad)} is not for a corpus; choose from {', '.join(CORPUS_FORMATS)}")
    if sum(f in ("parquet", "jsonl") for f in formats) != 1:
        raise UserError("a corpus run writes its segments as exactly one of parquet or jsonl (--formats)")


def corpus_targets(corpus: Path, output_dir: Path, formats: tuple[str, ...], write: Any) -> dict[str, Path]:
    """Output paths: `STEM.fr-en.segments.parquet/` (a directory of files) and `STEM.fr-en.tmx`."""
    from translate.formats import pair_code

    stem = corpus.name[: -len(corpus.suffix)] if corpus.suffix else corpus.name
    pair = pair_code(write)
    return {f: output_dir / (f"{stem}.{pair}.tmx" if f == "tmx" else f"{stem}.{pair}.segments.{f}") for f in formats}


def read_corpus_row(row: dict[str, Any], force: bool) -> dict[str, Any]:
    """Ray Data task: one document segmented (checked for French unless --force); errors kept, not raised."""
    from translate.job import check_french

    doc_id = str(row["id"])
    meta = {k: v for k, v in row.items() if k not in ("id", "text")}
    out = {"doc_id": doc_id, "doc": b"", "error": "", "meta": json.dumps(meta, ensure_ascii=False, default=str)}
    text = row.get("text")
    try:
        if not isinstance(text, str) or not text.strip():
            raise UserError(f"document {doc_id} has no text")
        if not force:
            check_french(text, Path(f"document {doc_id}"))
        out["doc"] = pickle.dumps(segment_text(text, doc_id), protocol=pickle.HIGHEST_PROTOCOL)
    except UserError as err:
        out["error"] = str(err)
    return out


@dataclass
class Tally:
    """Ray actor on the driver's node: engine actors report finished documents, the driver polls it."""

    documents: int = 0
    sentences: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, documents: int, sentences: int, failures: list[str]) -> None:
        self.documents += documents
        self.sentences += sentences
        self.failures.extend(failures)

    def read(self) -> tuple[int, int, list[str]]:
        return self.documents, self.sentences, list(self.failures)


class CorpusActor:
    """Ray Data actor: one loaded engine; a batch of documents in, their segments out, one row each."""

    def __init__(self, recipe: EngineRecipe, tally: Any) -> None:
        self.pipeline = recipe.build_pipeline()
        self.tally = tally

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        rows = [dict(zip(batch, values)) for values in zip(*batch.values())]
        failures = [str(r["error"]) for r in rows if r["error"]]
        ready = [r for r in rows if not r["error"]]
        documents = [pickle.loads(r["doc"]) for r in ready]
        if documents:
            translate_together(self.pipeline, documents)
        out: dict[str, list] = {k: [] for k in SEGMENT_COLUMNS}
        for row, document in zip(ready, documents):
            for s in document:
                record = {"doc_id": str(row["doc_id"]), "paragraph": s.paragraph, "sentence": s.id,
                          "source": s.source, "target": s.target, "origin": s.origin, "score": s.score,
                          "translatable": s.translatable, "qa": _records(s.qa), "glossary_hits": _records(s.glossary_hits),
                          "glossary_repairs": _records(s.glossary_repairs), "unknown_words": _json(s.unknown_words),
                          "meta": str(row["meta"])}
                for key in SEGMENT_COLUMNS:
                    out[key].append(record[key])
        self.tally.add.remote(len(documents), sum(len(d) for d in documents), failures)
        return segments_table(out)


def segments_table(columns: dict[str, list]) -> Any:
    """The segment rows as Arrow with one fixed schema, so every written file has the same columns and types."""
    import pyarrow as pa

    types = {"paragraph": pa.int64(), "sentence": pa.int64(), "score": pa.float64(), "translatable": pa.bool_()}
    schema = pa.schema([(k, types.get(k, pa.string())) for k in SEGMENT_COLUMNS])
    return pa.table(columns, schema=schema)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _records(records: list[Any]) -> str:
    """Typed segment records (hits, repairs, findings) as the JSON list the JSONL writer would give."""
    return _json([r.to_json() for r in records])


def run_corpus(corpus: Path, output_dir: Path, formats: tuple[str, ...], write: Any, recipe: EngineRecipe,
               settings: RaySettings, gpu: bool | None, overwrite: bool, force: bool, quiet: bool) -> CorpusResult:
    """Translate the corpus; the segments dataset appears complete under its final name, or not at all."""
    import threading

    from translate.distributed.bar import CollectionBar

    targets = corpus_targets(corpus, output_dir, formats, write)
    for path in targets.values():
        if path.exists() and not overwrite:
            raise UserError(f"{path} already exists; use --overwrite to replace it")
    output_dir.mkdir(parents=True, exist_ok=True)
    segments_format = next(f for f in formats if f != "tmx")
    final = targets[segments_format]
    staging = final.with_name(f".{final.name}.part")
    shutil.rmtree(staging, ignore_errors=True)
    result = CorpusResult(outputs=list(targets.values()))
    with connected(settings) as ray:
        ds = ray.data.read_parquet(str(corpus)) if corpus.suffix.lower() == ".parquet" else ray.data.read_json(str(corpus))
        names = set(ds.schema().names)
        if not {"id", "text"} <= names:
            raise UserError(f"{corpus} needs columns id and text (it has {', '.join(sorted(names))})")
        total = ds.count()
        gpu = resolve_gpu(ray, gpu)
        actors = engine_actors(ray, settings, gpu)
        tally = ray.remote(Tally).options(num_cpus=0).remote()
        ds = ds.map(read_corpus_row, fn_kwargs={"force": force}, num_cpus=READ_CPUS)
        ds = ds.map_batches(
            CorpusActor, fn_constructor_kwargs={"recipe": recipe, "tally": tally}, batch_size=settings.batch_docs,
            compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=settings.cpus_per_actor,
            num_gpus=1 if gpu else 0,
        )
        done = threading.Event()
        with CollectionBar(total, enabled=not quiet) as bar:
            def poll() -> None:
                while not done.wait(0.5):
                    docs, sentences, _ = ray.get(tally.read.remote())
                    bar.advance(docs - bar.docs, sentences - bar.sentences)

            watcher = threading.Thread(target=poll, daemon=True)
            watcher.start()
            try:
                if segments_format == "parquet":
                    ds.write_parquet(str(staging))
                else:
                    ds.write_json(str(staging), force_ascii=False, double_precision=15)  # pandas: 15 digits at most
            finally:
                done.set()
                watcher.join()
            result.documents, result.sentences, result.failures = ray.get(tally.read.remote())
            result.seconds = bar.seconds
        if overwrite and final.exists():
            shutil.rmtree(final) if final.is_dir() else final.unlink()
        os.replace(staging, final)
        if "tmx" in targets:
            write_merged_tmx(ray.data, final, segments_format, targets["tmx"], write)
    return result


def write_merged_tmx(data: Any, segments: Path, fmt: str, target: Path, write: Any) -> None:
    """One TMX of every segment of the corpus, in corpus order, written atomically."""
    from translate.document import Document, Origin, Paragraph, QaFinding, RunFacts, Segment, TermHit
    from translate.formats.tmx import TmxWriter
    from translate.outputs import write_all

    ds = data.read_parquet(str(segments)) if fmt == "parquet" else data.read_json(str(segments))
    units: list[Segment] = []
    engines: set[str] = set()
    for row in ds.iter_rows():
        units.append(Segment(id=len(units) + 1, paragraph=0, source=row["source"], target=row["target"],
                             score=row["score"], origin=row["origin"], translatable=bool(row["translatable"]),
                             qa=[QaFinding.from_json(f) for f in json.loads(row["qa"])],
                             glossary_hits=[TermHit.from_json(h) for h in json.loads(row["glossary_hits"])]))
        if row["origin"] not in Origin.NOT_ENGINES:
            engines.add(row["origin"])
    meta = RunFacts(engine=engines.pop() if len(engines) == 1 else "")
    document = Document([Paragraph(0, units)], meta=meta)
    write_all({target: lambda: TmxWriter().render(document, write)})
