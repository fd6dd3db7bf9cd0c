"""`translate run … --ray`: the command's options turned into a distributed run, and its summary."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from translate.errors import UserError

"""An input with one of these suffixes, given alone under --ray, is a corpus of documents (see corpus.py)."""


@dataclass(frozen=True)
class RayRequest:
    """The `translate run` options the distributed run uses (the same meaning as without --ray)."""

    files: list[Path]
    output_dir: Path | None
    formats: tuple[str, ...]
    formats_given: bool
    engine: str
    model: Path | None
    packages_dir: Path | None
    neural: object
    """translate.engines.base.EngineOptions."""
    write: object
    """translate.formats.WriteOptions: one creation date for every document of the run."""
    glossaries: tuple[Path, ...] = ()
    default_glossary: bool = True
    typography: bool = True
    tm: tuple[Path, ...] = ()
    no_cache: bool = False
    overwrite: bool = False
    encoding: str | None = None
    force: bool = False
    quiet: bool = False
    settings: object = None
    """translate.distributed.cluster.RaySettings."""


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def is_corpus(files: list[Path]) -> bool:
    from translate.job import CORPUS_SUFFIXES

    return len(files) == 1 and files[0].suffix.lower() in CORPUS_SUFFIXES and files[0].is_file()


def run_command(request: RayRequest) -> int:
    """Run the request on Ray; the exit code (0, or the worst per-document error code)."""
    from translate.api import PipelineOptions
    from translate.distributed.cluster import require_ray
    from translate.distributed.engines import EngineRecipe, resolve
    from translate.memory import load_memories

    require_ray()
    corpus = is_corpus(request.files)
    if corpus:
        from translate.distributed.corpus import check_corpus_formats

        check_corpus_formats(request.formats if request.formats_given else ("parquet",))
    memories = load_memories(list(request.tm))
    for memory in memories:
        if not len(memory):
            _err(f"warning: translation memory {memory.name} holds no French–English pairs")
    stages = PipelineOptions(glossaries=tuple(p.resolve() for p in request.glossaries),
                             default_glossary=request.default_glossary, typography=request.typography,
                             memories=memories, cache=None)
    if corpus:
        return _run_corpus(request, stages)
    from translate.job import FileOptions, check_distinct_outputs, check_formats, expand_inputs

    options = FileOptions(output_dir=request.output_dir.absolute() if request.output_dir else None,
                          formats=check_formats(request.formats), write=request.write,
                          overwrite=request.overwrite, encoding=request.encoding, force=request.force)
    inputs = expand_inputs(request.files, warn=lambda m: _err(f"warning: {m}"))  # manifests expanded there
    _refuse_documents(inputs)
    check_distinct_outputs(inputs, options)
    kind, model = resolve(request.engine, request.model, request.neural, request.packages_dir,
                          warn=lambda m: _err(f"warning: {m}"))
    recipe = EngineRecipe(kind, model, request.neural, stages, use_cache=not request.no_cache)
    from translate.distributed.files import run_files

    from translate.jobloop import interrupts_as, worst_code

    gpu = gpu_request(request.neural, kind)
    with interrupts_as("interrupted; finished documents are complete, run it again to resume"):
        summary = run_files(inputs, options, recipe, request.settings, gpu, request.quiet, _err)
    if not request.quiet:
        total = len(inputs)
        rate = summary.sentences / summary.seconds if summary.seconds else 0.0
        skipped = f", {summary.skipped} already done" if summary.skipped else ""
        _err(f"{summary.done} of {total} documents translated on Ray{skipped}, {summary.sentences} sentences "
             f"in {summary.seconds:.2f} s ({rate:.1f} sentences/s, engine {kind})")
    return worst_code(code for _, _, code in summary.failures)


def gpu_request(neural: object, kind: str) -> bool | None:
    """Whether engine actors take a GPU each: yes with --device cuda, no with cpu or a rule-based engine,
    None with auto (the cluster decides: a GPU each when it has GPUs, as a lone run takes the machine's)."""
    device = getattr(neural, "device", "cpu")
    if kind != "argos" or device == "cpu":
        return False
    return True if device == "cuda" else None


def _refuse_documents(inputs: list[Path]) -> None:
    """Ray runs translate plain text only: a structured document (HTML, XLIFF, …) is refused in one line."""
    from translate.docjob import require_structured
    from translate.formats.detect import FormatRegistry, detect_by_name

    registry = FormatRegistry()
    for path in inputs:
        if detect_by_name(path, registry).suffix:
            require_structured(str(path))


def _run_corpus(request: RayRequest, stages: object) -> int:
    from translate.distributed.corpus import run_corpus
    from translate.distributed.engines import EngineRecipe, resolve

    if request.output_dir is None:
        raise UserError("a corpus run needs --output-dir for its segments dataset")
    kind, model = resolve(request.engine, request.model, request.neural, request.packages_dir,
                          warn=lambda m: _err(f"warning: {m}"))
    recipe = EngineRecipe(kind, model, request.neural, stages, use_cache=not request.no_cache)
    gpu = gpu_request(request.neural, kind)
    formats = request.formats if request.formats_given else ("parquet",)
    result = run_corpus(request.files[0].absolute(), request.output_dir.absolute(), formats, request.write,
                        recipe, request.settings, gpu, request.overwrite, request.force, request.quiet)
    for failure in result.failures:
        _err(f"error: {failure}")
    if not request.quiet:
        rate = result.sentences / result.seconds if result.seconds else 0.0
        _err(f"{result.documents} documents, {result.sentences} segments in {result.seconds:.2f} s "
             f"({rate:.1f} sentences/s, engine {kind}) → {', '.join(str(p) for p in result.outputs)}")
    return 1 if result.failures else 0


def align_pairs_command(*, pairs: Path | None, files: tuple[Path | None, Path | None], ray: bool,
                        address: str | None, actors: int, batch_docs: int, formats: str, min_score: float,
                        max_side: int, bead_column: bool, source_locale: str, target_locale: str, no_header: bool,
                        overwrite: bool, encoding: str | None, output_dir: Path | None, quiet: bool,
                        force: bool = False) -> int:
    """`translate align --pairs PAIRS.tsv --ray`: the exit code (0, or the worst failed pair's code)."""
    from translate.cli_align import align_write_options, check_align_options, pair_options
    from translate.distributed.cluster import RaySettings, require_ray
    from translate.distributed.pairs import AlignJob, run_pairs
    from translate.manifest import read_pairs
    from translate.jobloop import interrupts_as, worst_code

    if pairs is None:
        raise UserError("--ray with translate align needs --pairs PAIRS.tsv")
    if any(f is not None for f in files):
        raise UserError("give either FRENCH ENGLISH or --pairs, not both")
    wanted = check_align_options(formats, min_score)
    require_ray()
    listed = read_pairs(pairs)
    job = AlignJob(
        formats=wanted, output_dir=output_dir.absolute() if output_dir else None,
        write=align_write_options(source_locale, target_locale, no_header, bead_column),
        options=pair_options(max_side, min_score),
        encoding=encoding, overwrite=overwrite, force=force)
    settings = RaySettings(address=address, actors=actors, batch_docs=batch_docs)
    with interrupts_as("interrupted; finished pairs are complete, run it again to resume"):
        done, skipped, errors, seconds = run_pairs(listed, job, settings, quiet, _err)
    if not quiet:
        extra = f", {skipped} already done" if skipped else ""
        _err(f"{done} of {len(listed)} pairs aligned on Ray{extra} in {seconds:.2f} s")
    return worst_code(code for _, code in errors)
