"""`translate run FILES --ray`: text files translated across a Ray cluster, outputs as without Ray.

Resume: a document whose every requested output exists is skipped (outputs are written together and
atomically, so existing means complete); `--overwrite` redoes everything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from translate.distributed.cluster import READ_CPUS, RaySettings, connected, engine_actors, resolve_gpu
from translate.distributed.engines import EngineRecipe
from translate.distributed.work import FileActor, FileJob, read_file_row

# A dead engine actor (node lost, process killed, out of memory) is restarted by Ray Data and its
# batch retried: its actor pools default to max_restarts=-1 and max_task_retries=-1. An actor whose
# constructor fails (model unreadable) is not restarted: that error ends the run.


@dataclass
class RunSummary:
    """What the driver saw: documents done, skipped and failed, sentences, seconds."""

    done: int = 0
    skipped: int = 0
    sentences: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str, int]] = field(default_factory=list)


def plan(inputs: list[Path], options: Any) -> tuple[list[Path], list[Path]]:
    """(to translate, already complete): refuses partly present outputs as the single-process run does."""
    from translate.job import output_paths
    from translate.outputs import check_targets

    todo, complete = [], []
    for path in inputs:
        targets = list(output_paths(path, options).values())
        if not options.overwrite and all(t.exists() for t in targets):
            complete.append(path)
        else:
            todo.append(path)
    targets = [t for path in todo for t in output_paths(path, options).values()]
    check_targets(targets, inputs, options.overwrite)
    return todo, complete


def run_files(inputs: list[Path], options: Any, recipe: EngineRecipe, settings: RaySettings,
              gpu: bool | None, quiet: bool, err: Callable[[str], None]) -> RunSummary:
    """Translate every input not already complete; per-document errors are collected, not fatal."""
    from translate.distributed.bar import CollectionBar
    from translate.job import output_paths

    inputs = [p.absolute() for p in inputs]
    todo, complete = plan(inputs, options)
    summary = RunSummary(skipped=len(complete))
    if complete and not quiet:
        err(f"resuming: {len(complete)} of {len(inputs)} documents already have all their outputs; skipped")
    if not todo:
        return summary
    with connected(settings) as ray:
        gpu = resolve_gpu(ray, gpu)
        actors = engine_actors(ray, settings, gpu)
        ds = ray.data.from_items([{"path": str(p)} for p in todo], override_num_blocks=min(len(todo), 4 * actors + 4))
        ds = ds.map(read_file_row, fn_kwargs={"encoding": options.encoding, "force": options.force}, num_cpus=READ_CPUS)
        ds = ds.map_batches(
            FileActor, fn_constructor_kwargs={"recipe": recipe, "job": FileJob(options)},
            batch_size=settings.batch_docs, compute=ray.data.ActorPoolStrategy(size=actors),
            num_cpus=settings.cpus_per_actor, num_gpus=1 if gpu else 0,
           
        )
        with CollectionBar(len(todo), enabled=not quiet) as bar:
            for row in ds.iter_rows():
                for warning in json.loads(row["warnings"]):
                    err(f"warning: {warning}")
                if row["error"]:
                    summary.failures.append((row["path"], row["error"], int(row["code"])))
                    err(f"error: {row['error']}")
                    bar.advance(1, 0)
                    continue
                summary.done += 1
                summary.sentences += int(row["sentences"])
                bar.advance(1, int(row["sentences"]))
            summary.seconds = bar.seconds
    from translate.outputs import remove_abandoned_temps

    remove_abandoned_temps([t for path in todo for t in output_paths(path, options).values()])
    return summary
