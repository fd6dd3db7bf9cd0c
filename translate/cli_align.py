"""`translate align FR EN`: a sentence-aligned translation memory from two existing texts."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

import typer

if TYPE_CHECKING:
    from translate.document import Document
    from translate.engines.base import Engine
    from translate.formats import WriteOptions
    from translate.parallel import ParallelOptions

ALIGN_FORMATS = ("tsv", "tmx", "jsonl", "xliff", "report", "html")
MT_ASSIST_CHOICES = ("auto", "on", "off")
MAX_ALIGN_BYTES = 8 * 2**20
"""Largest text `align` takes: both texts are aligned whole, in memory; beyond this, split the texts by chapter."""


def check_align_options(formats: str, min_score: float) -> tuple[str, ...]:
    """The requested align outputs, or a UserError for an unknown format or a --min-score out of range."""
    from translate.errors import UserError

    wanted = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    bad = [f for f in wanted if f not in ALIGN_FORMATS]
    if bad or not wanted:
        raise UserError(f"unknown format {', '.join(bad) or '(none)'}; choose from {', '.join(ALIGN_FORMATS)}")
    if not 0.0 <= min_score <= 1.0:
        raise UserError("--min-score is a cosine between 0 and 1")
    return wanted


class _MissingArgument(typer.BadParameter):
    """A usage error worded as typer words a missing argument (FRENCH and ENGLISH are optional for --pairs)."""

    def format_message(self) -> str:
        return self.message


def align_command(
    french: Optional[Path] = typer.Argument(None, help="The French text."),
    english: Optional[Path] = typer.Argument(None, help="Its English version."),
    output_dir: Optional[Path] = typer.Option(None, "--output-dir", "-o", help="Write outputs here instead of next to the French file."),
    formats: str = typer.Option("tsv,tmx,jsonl,report", "--formats", "-f", help="Comma-separated outputs: tsv, tmx, jsonl, xliff, report, html (review page)."),
    min_score: float = typer.Option(0.5, "--min-score", help="Pairs scoring below this (cosine) stay out of TSV/TMX/XLIFF and go to the report."),
    max_side: int = typer.Option(3, "--max-side", min=1, max=6, help="Most sentences on one side of a bead (3 allows 1-3, 3-1, 2-2)."),
    bead_column: bool = typer.Option(False, "--bead-column", help="Add the bead type and score as TSV columns."),
    source_locale: str = typer.Option("fr", "--source-locale", help="Source locale written in TSV/TMX (e.g. fr-FR)."),
    target_locale: str = typer.Option("en", "--target-locale", help="Target locale written in TSV/TMX (e.g. en-US)."),
    no_header: bool = typer.Option(False, "--no-header", help="Omit the TSV header row."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace outputs that already exist."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Input encoding when it is not UTF-8."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary line."),
    force: bool = typer.Option(False, "--force", help="Align even when the English side does not look English (with --pairs: every pair)."),
    mt_assist: str = typer.Option("auto", "--mt-assist", help="Also compare a machine draft of the French with the English (chrF): on (best engine, neural if installed), off, or auto (on with Apertium when it is installed)."),
    # --- many pairs on Ray (translate/distributed/pairs.py, the optional `ray` extra) ---
    pairs: Optional[Path] = typer.Option(None, "--pairs", help="A TSV of FRENCH<TAB>ENGLISH file paths to align one after the other (in parallel with --ray); pairs already aligned are skipped."),
    ray: bool = typer.Option(False, "--ray", help="With --pairs: run on a local Ray started for this run, or on --ray-address."),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="Join a running Ray cluster: auto or HOST:PORT (implies --ray)."),
    ray_actors: int = typer.Option(0, "--ray-actors", min=0, help="Encoder actors under --ray (0 = one per 2 CPUs)."),
    ray_batch_docs: int = typer.Option(4, "--ray-batch-docs", min=1, help="Pairs handed to an actor at once under --ray."),
) -> None:
    """Align a French text with its English version into TSV/TMX/JSONL (offline)."""
    on_ray = ray or ray_address is not None
    _check_mt_assist(mt_assist, on_ray)
    if on_ray:
        from translate.distributed.command import align_pairs_command

        code = align_pairs_command(
            pairs=pairs, files=(french, english), ray=ray or ray_address is not None, address=ray_address,
            actors=ray_actors, batch_docs=ray_batch_docs, formats=formats, min_score=min_score, max_side=max_side,
            bead_column=bead_column, source_locale=source_locale, target_locale=target_locale, no_header=no_header,
            overwrite=overwrite, encoding=encoding, output_dir=output_dir, quiet=quiet, force=force)
        if code:
            raise typer.Exit(code)
        return
    from translate.errors import UserError
    from translate.jobloop import Job, Resources

    if pairs is not None:
        if french is not None or english is not None:
            raise UserError("give either FRENCH ENGLISH or --pairs, not both")
        from translate.manifest import read_pairs

        listed = read_pairs(pairs)
    elif french is None or english is None:  # optional only for --pairs: otherwise the usual usage error
        raise _MissingArgument(f"Missing argument '{'FRENCH' if french is None else 'ENGLISH'}'.")
    else:
        listed = [(french, english)]
    wanted = check_align_options(formats, min_score)
    resources = Resources()
    request = _PairRequest(wanted, output_dir, align_write_options(source_locale, target_locale, no_header, bead_column),
                           pair_options(max_side, min_score), overwrite, encoding, force,
                           engine=resources.lazy(lambda: _mt_engine(mt_assist)), embedder=_shared_encoder())
    todo = listed if pairs is None else _not_done(listed, request, quiet)
    code = Job(todo, lambda pair: _align_pair(pair, request), resources=resources,
               report=lambda pair, done: _report(done, quiet),
               summary=lambda done: _pairs_summary(done, len(listed), quiet) if pairs is not None else None).run()
    if code:
        raise typer.Exit(code)


def _shared_encoder() -> Callable[[], Any]:
    """A fresh embedder per pair (its own text cache) on weights read once for the whole run."""
    loaded: list[Any] = []

    def fresh() -> Any:
        if not loaded:
            from translate.embed import UseEmbedder

            loaded.append(UseEmbedder())
        return loaded[0].fresh()

    return fresh


def pairs_left(pairs: list[tuple[Path, Path]], targets_of: Callable[[Path], dict[str, Path]],
               overwrite: bool) -> list[tuple[Path, Path]]:
    """The pairs still to align: without --overwrite, a pair whose outputs all exist is skipped (a rerun
    resumes). `targets_of(french)` names a pair's outputs. Also for `align --pairs --ray`."""
    if overwrite:
        return list(pairs)
    return [(fr, en) for fr, en in pairs if not all(t.exists() for t in targets_of(fr).values())]


def resuming_line(skipped: int, total: int) -> str:
    return f"resuming: {skipped} of {total} pairs already have all their outputs; skipped"


def _not_done(pairs: list[tuple[Path, Path]], request: _PairRequest, quiet: bool) -> list[tuple[Path, Path]]:
    todo = pairs_left(pairs, lambda fr: pair_targets(fr, request.output_dir or fr.parent, request.formats,
                                                     request.write), request.overwrite)
    if len(todo) < len(pairs) and not quiet:
        print(resuming_line(len(pairs) - len(todo), len(pairs)), file=sys.stderr)
    return todo


def _pairs_summary(done: Any, listed: int, quiet: bool) -> None:
    if not quiet:
        print(f"{len(done.results)} of {listed} pairs aligned in {done.seconds:.2f} s", file=sys.stderr)


def align_write_options(source_locale: str, target_locale: str, no_header: bool, bead_column: bool) -> WriteOptions:
    """How `align` writes its TSV/TMX: the locales, the header, and the bead/score columns on request."""
    from translate.formats import WriteOptions

    return WriteOptions(source_locale=source_locale, target_locale=target_locale, header=not no_header,
                        extra_columns=("bead", "score") if bead_column else ())


def pair_options(max_side: int, min_score: float) -> ParallelOptions:
    """The aligner's settings from `--max-side` and `--min-score`."""
    from dataclasses import replace

    from translate.align import AlignOptions
    from translate.parallel import ParallelOptions

    return ParallelOptions(align=replace(AlignOptions(), max_side=max_side, max_total=max(4, max_side + 1)),
                           min_score=min_score)


@dataclass(frozen=True)
class _PairRequest:
    """The `translate align` options that say how one pair is read, aligned and written."""

    formats: tuple[str, ...]
    output_dir: Optional[Path]
    write: WriteOptions
    options: ParallelOptions
    overwrite: bool
    encoding: Optional[str]
    force: bool
    engine: Callable[[], Optional[Engine]]
    """The MT-assist engine, made on first use (after the inputs and targets are checked), or None."""
    embedder: Callable[[], Any]
    """A sentence embedder for one pair (translate.embed.UseEmbedder)."""


@dataclass
class _Aligned:
    """One aligned pair: what its summary line and warnings need."""

    french: Path
    english: Path
    document: Document
    kept: int
    directory: Path
    warnings: list[str]
    engine: str | None
    seconds: float


def _align_pair(pair: tuple[Path, Path], request: _PairRequest) -> _Aligned:
    """Read, check, align and write one French/English pair; nothing is written unless all of it succeeded."""
    from translate.outputs import check_targets
    from translate.parallel import align_texts
    from translate.textio import read_input

    french, english = pair
    started = time.perf_counter()
    fr_text = read_input(french, request.encoding, max_bytes=MAX_ALIGN_BYTES)
    en_text = read_input(english, request.encoding, max_bytes=MAX_ALIGN_BYTES)
    if not request.force:
        check_english(en_text.text, english)
    write, min_score = request.write, request.options.min_score
    directory = request.output_dir or french.parent
    targets = pair_targets(french, directory, request.formats, write)
    cleaned = check_targets(list(targets.values()), [french, english], request.overwrite)
    engine = request.engine()
    translator = None if engine is None else _drafts_of(engine)
    document = align_texts(fr_text.text, en_text.text, request.options, embedder=request.embedder(), name=french.name,
                           translator=translator)
    kept = write_pair(document, targets, write, min_score, request.overwrite)
    return _Aligned(french, english, document, len(kept), directory, fr_text.warnings + en_text.warnings + cleaned,
                    None if engine is None else engine.name, time.perf_counter() - started)


def pair_targets(french: Path, directory: Path, formats: tuple[str, ...], write: WriteOptions) -> dict[str, Path]:
    """Each format's output for one pair, in `directory`: the writers' names on the French file's stem, and
    the report as STEM.fr-en.align-report.tsv (also for `align --pairs --ray`)."""
    from translate.formats import pair_code, writers
    from translate.outputs import output_stem

    stem = output_stem(french)
    table = writers()
    return {f: directory / (f"{stem}.{pair_code(write)}.align-report.tsv" if f == "report"
                            else table[f].filename(stem, write)) for f in formats}


def write_pair(document: Document, targets: dict[str, Path], write: WriteOptions, min_score: float,
               overwrite: bool) -> Document:
    """Render and write a pair's outputs together: the report, JSONL and review page show every bead, the
    other formats the confident ones (returned); nothing is written unless all of it is."""
    from translate.formats import writers
    from translate.outputs import write_all
    from translate.parallel import confident, report_tsv

    document.meta.min_score = min_score
    kept = confident(document, min_score)
    table = writers()
    files: dict[Path, str] = {}
    for fmt, path in targets.items():
        if fmt == "report":
            files[path] = report_tsv(document, min_score)
        elif fmt in ("jsonl", "html"):
            files[path] = table[fmt].render(document, write)
        else:
            files[path] = table[fmt].render(kept, write)
    write_all(files, overwrite=overwrite)
    return kept


def _report(done: _Aligned, quiet: bool) -> None:
    """The pair's warnings, then (unless quiet) its summary line."""
    for warning in done.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if quiet:
        return
    total = len(done.document)
    fr_count = sum(len(s.extra["fr_sentences"]) for s in done.document)
    en_count = sum(len(s.extra["en_sentences"]) for s in done.document)
    print(f"{done.french} + {done.english}: {fr_count} French and {en_count} English sentences in {total} beads, "
          f"{done.kept} confident pairs, {total - done.kept} to the report, {done.seconds:.2f} s"
          f"{'' if done.engine is None else f', MT-assisted ({done.engine})'} → {done.directory}/", file=sys.stderr)


def _check_mt_assist(mode: str, on_ray: bool) -> None:
    """Refuse an unknown --mt-assist, and `on` under --ray, before any file is touched."""
    from translate.errors import UserError

    if mode not in MT_ASSIST_CHOICES:
        raise UserError(f"unknown --mt-assist {mode!r}; choose one of {', '.join(MT_ASSIST_CHOICES)}")
    if on_ray and mode == "on":  # `auto` means off there: the workers hold no translation engine
        raise UserError("--mt-assist on is not supported with --ray (its workers align without MT drafts)")


def _mt_engine(mode: str) -> Engine | None:
    """The engine whose drafts assist the alignment: `on` the best one (error if none), `auto` Apertium if installed."""
    from translate.errors import NoModelError

    if mode == "off":
        return None
    from translate.engines.base import EngineOptions
    from translate.engines.registry import apertium_choice, select_engine

    if mode == "auto":
        choice = apertium_choice()  # measured to help (bench/README.md); fast enough for any input
        return choice.make() if choice.available and choice.make is not None else None

    try:
        return select_engine("auto", None, EngineOptions())
    except NoModelError as err:  # raised by the choice only, never by loading the chosen engine
        raise NoModelError(f"--mt-assist on needs a translation engine; {err}") from None


def _drafts_of(engine: Engine) -> Callable[[list[str]], list[str]]:
    """French sentences → one English draft each, through `engine`."""
    def translate(sentences: list[str]) -> list[str]:
        return [t.text for t in engine.translate(sentences)]

    return translate


def check_english(text: str, path: Path) -> None:
    """Refuse an "English" side that clearly is another language (fr.txt given twice pairs up perfectly)."""
    from translate.errors import UserError
    from translate.langid import looks_english

    english, guess = looks_english(text)
    if not english:
        raise UserError(f"{path} looks like {guess.language}, not English; use --force to align it anyway")
