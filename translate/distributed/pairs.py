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


def read_pairs(path: Path) -> list[tuple[Path, Path]]:
    """`FRENCH<TAB>ENGLISH` per line (paths relative to the TSV's folder); blank lines and `#` comments skipped."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")  # not splitlines(): U+2028 may sit in a file name
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"cannot read {path}: {getattr(err, 'strerror', None) or err}") from None
    pairs = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.removesuffix("\r").split("\t")
        if len(cells) != 2 or not all(c.strip() for c in cells):
            raise UserError(f"{path}:{number}: expected FRENCH<TAB>ENGLISH file paths")
        fr, en = ((path.parent / c.strip()).absolute() for c in cells)
        for file in (fr, en):
            if not file.is_file():
                raise UserError(f"{path}:{number}: no such file: {file}")
        pairs.append((fr, en))
    if not pairs:
        raise UserError(f"{path} lists no pairs")
    return pairs


def pair_targets(french: Path, job: AlignJob) -> dict[str, Path]:
    """Each format's output for one pair: the names `translate align` gives them."""
    from translate.cli_align import pair_targets as targets_in

    return targets_in(french, (job.output_dir or french.parent).absolute(), job.formats, job.write)


def align_pair(french: Path, english: Path, job: AlignJob, embedder: Any) -> int:
    """Align one pair and write its files as `translate align` does; the number of beads."""
    from translate.cli_align import MAX_ALIGN_BYTES, write_pair
    from translate.parallel import align_texts
    from translate.textio import read_input

    fr_text = read_input(french, job.encoding, max_bytes=MAX_ALIGN_BYTES)
    en_text = read_input(english, job.encoding, max_bytes=MAX_ALIGN_BYTES)
    document = align_texts(fr_text.text, en_text.text, job.options, embedder=embedder, name=french.name)
    write_pair(document, pair_targets(french, job), job.write, job.options.min_score, overwrite=True)
    return len(document)


class AlignActor:
    """Ray Data actor: the sentence encoder loaded once; aligns and writes the pairs of each batch."""

    def __init__(self, job: AlignJob) -> None:
        from translate.embed import UseEmbedder

        self.embedder = UseEmbedder()
        self.job = job

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        out: dict[str, list] = {"french": [], "beads": [], "error": []}
        for french, english in zip(batch["french"], batch["english"]):
            beads, error = 0, ""
            try:
                beads = align_pair(Path(str(french)), Path(str(english)), self.job, self.embedder)
            except UserError as err:
                error = str(err)
            out["french"].append(str(french))
            out["beads"].append(beads)
            out["error"].append(error)
        return out


def run_pairs(pairs: list[tuple[Path, Path]], job: AlignJob, settings: RaySettings, quiet: bool,
              err: Callable[[str], None]) -> tuple[int, int, list[str], float]:
    """(pairs aligned, pairs skipped as complete, errors, seconds); existing partial outputs are refused."""
    from translate.distributed.bar import CollectionBar
    from translate.outputs import check_targets, remove_abandoned_temps

    todo = [(fr, en) for fr, en in pairs
            if job.overwrite or not all(t.exists() for t in pair_targets(fr, job).values())]
    skipped = len(pairs) - len(todo)
    targets = [t for fr, _ in todo for t in pair_targets(fr, job).values()]
    if len(set(targets)) != len(targets):
        raise UserError("two pairs would write the same outputs (same French file name); use separate --output-dir runs")
    check_targets(targets, [p for pair in pairs for p in pair], job.overwrite)
    if skipped and not quiet:
        err(f"resuming: {skipped} of {len(pairs)} pairs already have all their outputs; skipped")
    errors: list[str] = []
    done, started = 0, time.perf_counter()
    if not todo:
        return done, skipped, errors, 0.0
    with connected(settings) as ray:
        actors = engine_actors(ray, settings, gpu=False)
        ds = ray.data.from_items([{"french": str(fr), "english": str(en)} for fr, en in todo],
                                 override_num_blocks=min(len(todo), 4 * actors + 4))
        ds = ds.map_batches(AlignActor, fn_constructor_kwargs={"job": job}, batch_size=settings.batch_docs,
                            compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1)
        with CollectionBar(len(todo), enabled=not quiet) as bar:
            for row in ds.iter_rows():
                if row["error"]:
                    errors.append(str(row["error"]))
                    err(f"error: {row['error']}")
                else:
                    done += 1
                bar.advance(1, int(row["beads"]))
    remove_abandoned_temps(targets)  # a killed, retried worker leaves its temporaries behind
    return done, skipped, errors, time.perf_counter() - started
