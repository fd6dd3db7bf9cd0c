"""The `translate` command: a thin typer layer over the library; heavy imports happen inside commands.

User errors print one line on stderr and exit 2 (bad usage or input) or 1 (failure during work);
tracebacks only with --debug.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from translate.engines.base import EngineError
from translate.errors import EXIT_FAILURE, EXIT_USAGE, UserError
from translate.interrupt import Terminated, interrupted_code, stop_on_sigterm

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: rich panels label every flag `<bool>`
    help="Offline French→English translation and alignment: English text, aligned TSV/TMX/JSONL, glossary-checked.",
)


def _mount_subcommands() -> None:
    """`align` now; `models`, `glossary` and `cache` listed here but imported only when invoked (fast --help, run)."""
    from translate.cli_align import align_command
    from translate.cli_lazy import lazy_typer

    app.command("align")(align_command)

    app.add_typer(lazy_typer("translate.cli_models:models_app"), name="models",
                  help="List, install and remove translation models.")
    app.add_typer(lazy_typer("translate.cli_glossary:glossary_app"), name="glossary",
                  help="Extract, check and export terminology glossaries.")
    app.add_typer(lazy_typer("translate.cli_cache:cache_app"), name="cache",
                  help="Show the engine-output cache (path, entries, size) or clear it.")


def _print_version(value: bool) -> None:
    if value:
        from translate import __version__

        print(f"translate-fr-en {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
    version: bool = typer.Option(False, "--version", help="Print the version and exit.", is_eager=True,
                                 callback=_print_version),
) -> None:
    """Offline French→English translation and alignment."""


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _split_formats(value: str) -> tuple[str, ...]:
    return tuple(f.strip().lower() for f in value.split(",") if f.strip())


@app.command()
def run(
    files: List[Path] = typer.Argument(..., help="French text files or documents (.html, .xlf, .docx, .md, .srt, .vtt), or directories of them."),
    output_dir: Optional[Path] = typer.Option(None, "--output-dir", "-o", help="Write outputs here instead of next to each input."),
    formats: str = typer.Option("txt,tsv,tmx,jsonl,qa", "--formats", "-f", help="Comma-separated outputs: txt, tsv, tmx, jsonl, xliff, qa, html (review page); doc (or txt): a document input's English in its own format."),
    engine: str = typer.Option("auto", "--engine", "-e", help="auto, argos (neural) or apertium."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="A CTranslate2 model directory (Argos package or converted model)."),
    beam_size: int = typer.Option(2, "--beam-size", min=1, help="Beam size for neural models (1 = greedy)."),
    threads: int = typer.Option(0, "--threads", min=0, help="Threads per batch (0 = the cores shared between parallel batches)."),
    inter_threads: int = typer.Option(0, "--inter-threads", min=0, help="Batches translated in parallel (0 = 2 when there are 2+ cores)."),
    device: str = typer.Option("cpu", "--device", help="cpu, cuda or auto."),
    compute_type: str = typer.Option("int8", "--compute-type", help="CTranslate2 compute type: int8, int8_float32, float32, …"),
    max_batch_tokens: int = typer.Option(2048, "--max-batch-tokens", min=1, help="Tokens per neural batch."),
    source_locale: str = typer.Option("fr", "--source-locale", help="Source locale written in TSV/TMX (e.g. fr-FR)."),
    target_locale: str = typer.Option("en", "--target-locale", help="Target locale written in TSV/TMX (e.g. en-US)."),
    no_header: bool = typer.Option(False, "--no-header", help="Omit the TSV header row."),
    tmx_paragraph_units: bool = typer.Option(False, "--tmx-paragraph-units", help="Also write a TMX unit per multi-sentence paragraph (OmegaT with paragraph segmentation)."),
    glossary: List[Path] = typer.Option([], "--glossary", "-g", help="A glossary (TSV, CSV or TBX); repeatable; wins over the built-in one."),
    no_default_glossary: bool = typer.Option(False, "--no-default-glossary", help="Do not use the built-in news glossary."),
    no_typography: bool = typer.Option(False, "--no-typography", help="Keep French number and quote typography in the English."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace outputs that already exist."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Input encoding when it is not UTF-8 (e.g. latin-1)."),
    packages_dir: Optional[Path] = typer.Option(None, "--packages-dir", help="Argos package directory to read models from."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary."),
    tm: List[Path] = typer.Option([], "--tm", help="A translation memory (TMX or TSV) whose exact matches are reused; repeatable, earlier wins."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor store engine outputs in the local cache."),
    force: bool = typer.Option(False, "--force", help="Translate input even when it does not look French."),
    # --- distributed runs (translate/distributed/, the optional `ray` extra) ---
    ray: bool = typer.Option(False, "--ray", help="Run on Ray: a local Ray started for this run, or the cluster of --ray-address."),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="Join a running Ray cluster: auto or HOST:PORT (implies --ray)."),
    ray_actors: int = typer.Option(0, "--ray-actors", min=0, help="Engine actors under --ray (0 = one per GPU, or one per 2 CPUs)."),
    ray_batch_docs: int = typer.Option(16, "--ray-batch-docs", min=1, help="Documents whose sentences go to the engine together under --ray."),
) -> None:
    """Translate French text files to English and write the aligned outputs."""
    if ray or ray_address is not None:
        from translate.engines.base import EngineOptions
        from translate.distributed.cluster import RaySettings
        from translate.distributed.command import RayRequest, run_command
        from translate.formats import WriteOptions

        code = run_command(RayRequest(
            files=list(files), output_dir=output_dir, formats=_split_formats(formats),
            formats_given=formats != "txt,tsv,tmx,jsonl,qa", engine=engine, model=model, packages_dir=packages_dir,
            neural=EngineOptions(device=device, compute_type=compute_type, beam_size=beam_size, intra_threads=threads,
                                 inter_threads=inter_threads, max_batch_tokens=max_batch_tokens),
            write=WriteOptions(source_locale=source_locale, target_locale=target_locale, header=not no_header,
                               paragraph_units=tmx_paragraph_units),
            glossaries=tuple(glossary), default_glossary=not no_default_glossary, typography=not no_typography,
            tm=tuple(tm), no_cache=no_cache, overwrite=overwrite, encoding=encoding, force=force, quiet=quiet,
            settings=RaySettings(address=ray_address, actors=ray_actors, batch_docs=ray_batch_docs),
        ))
        if code:
            raise typer.Exit(code)
        return
    from translate.engines.base import EngineOptions
    from translate.formats import WriteOptions
    from translate.job import (FileOptions, FileResult, LazyPipeline, check_distinct_outputs, check_formats,
                               expand_inputs, has_documents, translate_file)
    from translate.jobloop import INTERRUPTED, Job, Outcome, Resources
    from translate.api import PipelineOptions, build_pipeline
    from translate.progress import ProgressReporter
    from translate.engines.registry import select_engine

    options = FileOptions(
        output_dir=output_dir,
        formats=check_formats(_split_formats(formats)),
        write=WriteOptions(source_locale=source_locale, target_locale=target_locale, header=not no_header,
                           paragraph_units=tmx_paragraph_units),
        overwrite=overwrite,
        encoding=encoding,
        force=force,
    )
    inputs = expand_inputs(files, warn=lambda m: _err(f"warning: {m}"))
    check_distinct_outputs(inputs, options)
    neural = EngineOptions(
        device=device, compute_type=compute_type, beam_size=beam_size,
        intra_threads=threads, inter_threads=inter_threads, max_batch_tokens=max_batch_tokens,
        return_attention=has_documents(inputs),  # a neural engine's attention places inline markup
    )
    # --- translation memories (read before any engine loads) and the engine-output cache ---
    from translate.cache import TranslationCache
    from translate.memory import load_memories

    memories = load_memories(tm)
    for memory in memories:
        if not len(memory):
            _err(f"warning: translation memory {memory.name} holds no French–English pairs")
    resources = Resources()  # the cache and the engine: opened once, closed once when the job ends
    cache = None if no_cache else resources.add(TranslationCache.in_directory(warn=lambda m: _err(f"warning: {m}")))
    stages = PipelineOptions(glossaries=tuple(glossary), default_glossary=not no_default_glossary,
                             typography=not no_typography, memories=memories, cache=cache)
    reporter = ProgressReporter(enabled=not quiet)
    engines_made: list = []
    engine_failed: list[UserError] = []

    def make_pipeline():
        try:
            chosen = select_engine(engine, model, neural, packages_dir,
                                   warn=None if quiet else lambda m: _err(f"warning: {m}"))
        except UserError as err:
            engine_failed.append(err)
            raise
        engines_made.append(resources.add(chosen))
        return build_pipeline(chosen, stages, progress=reporter.advance, on_total=reporter.set_total)

    pipeline = LazyPipeline(make_pipeline)

    def translate_one(path: Path) -> FileResult:
        reporter.start(path.name)
        try:
            return translate_file(path, pipeline, options, on_share=reporter.set_share)
        finally:
            reporter.stop()

    def report(path: Path, result: FileResult) -> None:
        for warning in result.warnings:
            _err(f"warning: {warning}")
        if not quiet:
            rate = result.sentences / result.seconds if result.seconds else 0.0
            counts = ", ".join(f"{n} {label}" for label, n in result.counts.items())
            _err(f"{path}: {result.sentences} sentences in {result.seconds:.2f} s "
                 f"({rate:.1f} sentences/s, engine {engines_made[0].name}; {counts}) → {result.outputs[0].parent}/")

    def summary(done: Outcome[Path, FileResult]) -> None:
        if len(inputs) > 1 and not quiet:
            sentences = sum(result.sentences for _, result in done.results)
            rate = sentences / done.seconds if done.seconds else 0
            _err(f"{len(done.results)} of {len(inputs)} files translated, {sentences} sentences "
                 f"in {done.seconds:.2f} s ({rate:.1f} sentences/s)")

    code = Job(inputs, translate_one, report=report, summary=summary, resources=resources,
               fatal=lambda err: bool(engine_failed),  # no engine for one file: none for the others
               interrupted=INTERRUPTED if no_cache else f"{INTERRUPTED}; run it again to resume from the cache").run()
    if code:
        raise typer.Exit(code)


@app.command()
def engines(
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Also check this CTranslate2 model directory."),
    packages_dir: Optional[Path] = typer.Option(None, "--packages-dir", help="Argos package directory to look in."),
) -> None:
    """Show which engines can translate here, and why the others cannot."""
    from translate.engines.base import EngineOptions
    from translate.engines.registry import engine_choices

    for choice in engine_choices(model, EngineOptions(), packages_dir):
        state = "available" if choice.available else "unavailable"
        print(f"{choice.name:9} {state:11} {choice.detail}")


_mount_subcommands()


def _terminated(error: BaseException) -> bool:
    """True when SIGTERM is among the causes of this exception."""
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, Terminated):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def main() -> None:
    """Console entry point: runs the app and turns errors into one line and an exit code."""
    # --debug may stand anywhere on the line; typer only knows it before the subcommand.
    debug = "--debug" in sys.argv[1:]
    args = [a for a in sys.argv[1:] if a != "--debug"]
    stop_on_sigterm()
    try:
        app(args=args)
    except UserError as err:
        if debug:
            raise
        _err(f"error: {err}")
        sys.exit(err.code)
    except KeyboardInterrupt as stop:
        _err("interrupted; no partial outputs were written")
        sys.exit(interrupted_code(stop))
    except SystemExit as done:
        if not _terminated(done):
            raise
        # typer turns an interrupt inside a command into a silent exit 130; SIGTERM gets its line and 143
        _err("interrupted; no partial outputs were written")
        sys.exit(interrupted_code(Terminated()))
    except MemoryError:
        if debug:
            raise
        _err("error: out of memory; see \"Limits\" in the README for the input sizes each command takes")
        sys.exit(EXIT_FAILURE)
    except EngineError as err:
        if debug:
            raise
        _err(f"error: {err} (run with --debug for details)")
        sys.exit(EXIT_FAILURE)
    except Exception as err:  # noqa: BLE001 - the last line of defence against tracebacks
        if debug:
            raise
        _err(f"error: {type(err).__name__}: {err} (run with --debug for details)")
        sys.exit(EXIT_FAILURE)


if __name__ == "__main__":
    main()

__all__ = ["app", "main", "EXIT_USAGE"]
