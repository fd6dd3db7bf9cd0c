"""`translate align --pairs pairs.tsv --ray`: many French/English document pairs aligned in parallel.

Each Ray Data actor loads the sentence encoder once and aligns the pairs of its batches; each pair's
files are rendered and written exactly as `translate align FR EN` writes them (all at once, atomically).
A pair whose outputs all exist is skipped on rerun, as in `translate run --ray`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from translate.distributed.cluster import RaySettings, connected, engine_actors
from translate.errors import UserError


@dataclass(frozen=True)
class AlignJob:
    """The `translate align` options every pair is aligned and written with."""

    formats: tuple[str, ...]
    output_dir: Path | None
    write: Any
    """translate.formats.WriteOptions (one creation date for the whole run)."""
    options: Any
    """translate.parallel.ParallelOptions."""
    encoding: str | None = None
    overwrite: bool = False
    force: bool = False
    """Align a pair even when its English side does not look English (`translate align --force`)."""


def pair_targets(french: Path, job: AlignJob) -> dict[str, Path]:
    """Each format's output for one pair: the names `translate align` gives them."""
    from translate.cli_align import pair_targets as targets_in

    return targets_in(french, (job.output_dir or french.parent).absolute(), job.formats, job.write)


def align_pair(french: Path, english: Path, job: AlignJob, embedder: Any) -> int:
    """Read, check, align and write one pair as `translate align` does (an English side that is clearly
    another language is refused unless --force, before any encoding); the number of beads."""
    from translate.cli_align import MAX_ALIGN_BYTES, check_english, write_pair
    from translate.parallel import align_texts
    from translate.textio import read_input

    fr_text = read_input(french, job.encoding, max_bytes=MAX_ALIGN_BYTES)
    en_text = read_input(english, job.encoding, max_bytes=MAX_ALIGN_BYTES)
    if not job.force:
        check_english(en_text.text, english)
    document = align_texts(fr_text.text, en_text.text, job.options, embedder=embedder, name=french.name)
    write_pair(document, pair_targets(french, job), job.write, job.options.min_score, overwrite=True)
    return len(document)


class AlignActor:
    """Ray Data actor: the sentence encoder loaded once; aligns and writes the pairs of each batch."""

    def __init__(self, job: AlignJob) -> None:
        from translate.embed import UseEmbedder

        self.embedder = UseEmbedder()  # its weights are read once; each pair gets a fresh text cache
        self.job = job

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        out: dict[str, list] = {"french": [], "beads": [], "error": [], "code": []}
        for french, english in zip(batch["french"], batch["english"]):
            beads, error, code = 0, "", 0
            try:
                beads = align_pair(Path(str(french)), Path(str(english)), self.job, self.embedder.fresh())
            except UserError as err:
                error, code = str(err), err.code
            out["french"].append(str(french))
            out["beads"].append(beads)
            out["error"].append(error)
            out["code"].append(code)
        return out


def run_pairs(pairs: list[tuple[Path, Path]], job: AlignJob, settings: RaySettings, quiet: bool,
              err: Callable[[str], None]) -> tuple[int, int, list[tuple[str, int]], float]:
    """(pairs aligned, pairs skipped as complete, (error, exit code) of each failed pair, seconds); existing
    partial outputs are refused. A failed pair (unreadable, not English) is reported in one line as it
    comes back and the other pairs go on: with hundreds of pairs, one bad line of the TSV should not cost
    the others, and a rerun once it is fixed (or with --force) aligns only what is missing."""
    from translate.distributed.bar import CollectionBar
    from translate.outputs import check_targets, remove_abandoned_temps

    from translate.cli_align import pairs_left, resuming_line

    todo = pairs_left(pairs, lambda fr: pair_targets(fr, job), job.overwrite)
    skipped = len(pairs) - len(todo)
    targets = [t for fr, _ in todo for t in pair_targets(fr, job).values()]
    if len(set(targets)) != len(targets):
        raise UserError("two pairs would write the same outputs (same French file name); use separate --output-dir runs")
    check_targets(targets, [p for pair in pairs for p in pair], job.overwrite)
    if skipped and not quiet:
        err(resuming_line(skipped, len(pairs)))
    errors: list[tuple[str, int]] = []
    done, started = 0, time.perf_counter()
    if not todo:
        return done, skipped, errors, 0.0
    with connected(settings) as ray:
        actors = engine_actors(ray, settings, gpu=False, reading=0.0, kind="encoder")
        ds = ray.data.from_items([{"french": str(fr), "english": str(en)} for fr, en in todo],
                                 override_num_blocks=min(len(todo), 4 * actors + 4))
        ds = ds.map_batches(AlignActor, fn_constructor_kwargs={"job": job}, batch_size=settings.batch_docs,
                            compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1)
        with CollectionBar(len(todo), enabled=not quiet) as bar:
            for row in ds.iter_rows():
                if row["error"]:
                    errors.append((str(row["error"]), int(row["code"])))
                    err(f"error: {row['error']}")
                else:
                    done += 1
                bar.advance(1, int(row["beads"]))
    remove_abandoned_temps(targets)  # a killed, retried worker leaves its temporaries behind
    return done, skipped, errors, time.perf_counter() - started
