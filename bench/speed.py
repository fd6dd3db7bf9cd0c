"""Translation speed, side by side on one synthetic transformer-base model: `python -m bench.speed`.

Systems, each run in its own process (wall time and peak RSS per process, one after the other):

(a) ``translate run`` end to end: the CLI in a subprocess, start-up, model load, segmentation,
    glossary, QA and every output file included.
(b) argostranslate's own ``translate`` path on the same package, from a separate venv
    (bench/results/venv-argos) with an offline spaCy sentencizer; only the translation call is
    timed, the process total is reported too. Run at its defaults (beam 4, 32-token batches)
    and at our beam. If it cannot run, (b') emulates its batching with CTranslate2, labelled so.
(c) raw ``ctranslate2.Translator.translate_batch`` on pre-tokenised sentences with the best
    settings of a small grid: the ceiling.

Plus Apertium throughput, sentence-alignment throughput and CLI start-up (bench/startup.py).
The random synthetic model copies its input, so every system decodes exactly as many tokens as
it reads; the report checks that with the output token counts.

This module plans the run and writes the report; the parts live beside it, one job each:
bench/inputs.py (text and package), bench/child.py (child processes, wall time and peak RSS),
bench/workers.py (the code measured inside each child), bench/measure.py (systems a, c, b',
Apertium, alignment), bench/argos_venv.py (system b) and bench/report.py (tables and ratios).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from bench import workers
from bench.argos_venv import ARGOS_TORCH, argos_requirement, ensure_argos_venv, install_argos_package, measure_argos
from bench.child import REPO, ChildRun, child_env, run_child, worker_command
from bench.inputs import BenchText, bench_text, count_tokens, ensure_package
from bench.measure import (AlignRun, CeilingSettings, CliSettings, Measurement, ceiling_grid, measure_align,
                           measure_apertium, measure_argos_emulated, measure_ceiling, measure_cli, median_run)
from bench.report import Ratios, align_table, ratios, render, system_table
from bench.workers import RESULT_PREFIX, WORKERS, argos_env

_argos_env = argos_env
"""The former private name (tests and old scripts)."""
__all__ = [  # the parts, importable from here as before the split
    "ARGOS_TORCH", "RESULT_PREFIX", "WORKERS", "AlignRun", "BenchText", "CeilingSettings", "ChildRun", "CliSettings",
    "Measurement", "Ratios", "align_table", "argos_requirement", "bench_text", "ceiling_grid", "child_env",
    "count_tokens", "ensure_package", "measure_align", "measure_apertium", "measure_argos", "measure_argos_emulated",
    "measure_ceiling", "measure_cli", "ratios", "render", "run_bench", "run_child", "system_table", "worker_command",
    "BenchPlan", "QUICK", "main",
]
RESULTS_DIR = REPO / "bench" / "results"
"""Git-ignored: cached package, argostranslate venv, inputs, outputs and the JSON report."""


@dataclass(frozen=True)
class BenchPlan:
    """Sizes and repeats of one bench run (`--quick` makes everything small)."""

    sentences: int = 2000
    grid_sentences: int = 500
    repeats: int = 3
    argos_sentences: int = 2000
    beams: tuple[int, ...] = (1, 2, 4)
    align_sizes: tuple[int, ...] = (1000, 10000, 20000)
    align_use_sentences: int = 1000
    startup_runs: int = 5
    base: bool = True


QUICK = BenchPlan(sentences=300, grid_sentences=120, repeats=1, argos_sentences=300, beams=(2,),
                  align_sizes=(1000, 5000), align_use_sentences=0, startup_runs=3)


def default_beam() -> int:
    from translate.engines.base import EngineOptions

    return EngineOptions().beam_size


def run_bench(plan: BenchPlan, results_dir: Path, *, skip_argos: bool = False, skip_extras: bool = False,
              log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run every measurement in turn and return the report as a dict (also written as JSON)."""
    from bench import startup

    results_dir.mkdir(parents=True, exist_ok=True)
    work = results_dir / "speed"
    work.mkdir(exist_ok=True)
    cores = os.cpu_count() or 1
    package_dir = ensure_package(results_dir, base=plan.base, log=log)
    beam = default_beam()
    text = bench_text(plan.sentences)
    text_path = work / "bench.fr.txt"
    text_path.write_text(text.text, encoding="utf-8")
    argos_text = bench_text(plan.argos_sentences)
    argos_path = work / "bench-argos.fr.txt"
    argos_path.write_text(argos_text.text, encoding="utf-8")
    tokens_path, grid_tokens_path = work / "tokens.json", work / "tokens-grid.json"
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    tokens = sp.encode(text.fr, out_type=str)
    tokens_path.write_text(json.dumps(tokens), encoding="utf-8")
    grid_tokens_path.write_text(json.dumps(tokens[: plan.grid_sentences]), encoding="utf-8")
    source_tokens = sum(map(len, tokens))
    log(f"{plan.sentences} sentences, {len(text.text.encode()) / 1024:.0f} KiB, {source_tokens} source tokens; "
        f"model {package_dir.name}; our default beam {beam}; {cores} cores")

    report: dict[str, Any] = {"plan": asdict(plan), "cores": cores, "source_tokens": source_tokens,
                              "default_beam": beam, "package": str(package_dir)}
    log("(c) grid on a sample …")
    best, grid = ceiling_grid(grid_tokens_path, package_dir / "model", plan.grid_sentences, beam, cores, log)
    report["grid"] = [asdict(m) for m in grid]

    rows: list[Measurement] = []
    log("(a) and (c) on the full text, alternating …")
    a_runs, c_runs = [], []
    for _ in range(plan.repeats):
        a_runs.append(measure_cli(text_path, package_dir, work / "out-cli", plan.sentences, CliSettings(beam=beam)))
        c_runs.append(measure_ceiling(tokens_path, package_dir / "model", plan.sentences, best))
        log(f"  a {a_runs[-1].rate:.1f}/s, c {c_runs[-1].rate:.1f}/s")
    a = median_run(iter(a_runs).__next__, len(a_runs))
    c = median_run(iter(c_runs).__next__, len(c_runs))
    warm = measure_cli(text_path, package_dir, work / "out-cli", plan.sentences, CliSettings(beam=beam),
                       label="translate run, rerun (warm engine cache)", keep_cache=True)
    log(f"  a rerun with warm cache {warm.rate:.1f}/s")
    rows += [a, c, warm]
    for other in plan.beams:
        if other != beam:
            m = measure_ceiling(tokens_path, package_dir / "model", plan.sentences, replace(best, beam=other),
                                label=f"ctranslate2 translate_batch, beam {other}")
            log(f"  c beam {other}: {m.rate:.1f}/s")
            rows.append(m)

    b_default = b_same = None
    if not skip_argos:
        python, why = ensure_argos_venv(results_dir, log)
        if python is not None:
            home = results_dir / "argos-home"
            try:
                installed = install_argos_package(python, package_dir.parent / f"{package_dir.name}.argosmodel", home)
                for b_beam in sorted({4, beam}, reverse=True):
                    log(f"(b) argostranslate, beam {b_beam}, {plan.argos_sentences} sentences …")
                    m = measure_argos(python, home, argos_path, installed, plan.argos_sentences, b_beam,
                                      work / f"argos-beam{b_beam}.en.txt")
                    log(f"  {m.rate:.1f}/s ({m.note})")
                    rows.append(m)
                    if b_beam == 4:
                        b_default = m
                    if b_beam == beam:
                        b_same = m
            except RuntimeError as err:
                why = f"argostranslate failed: {err}"
                python = None
        if python is None:
            log(f"(b') emulation: {why}")
            for b_beam in sorted({4, beam}, reverse=True):
                m = measure_argos_emulated(argos_path, package_dir, plan.argos_sentences, b_beam, why)
                rows.append(m)
                b_default = m if b_beam == 4 else b_default
                b_same = m if b_beam == beam else b_same
    report["systems"] = [asdict(m) | {"rate": m.rate} for m in rows]
    if b_default is not None:
        r = ratios(a, b_default, b_same, c)
        report["ratios"] = asdict(r)

    if not skip_extras:
        log("Apertium …")
        sentences_path = work / "sentences.json"
        sentences_path.write_text(json.dumps(text.fr), encoding="utf-8")
        apertium = measure_apertium(sentences_path, plan.sentences)
        report["apertium"] = apertium if isinstance(apertium, str) else asdict(apertium) | {"rate": apertium.rate}
        log("alignment …")
        align_runs = []
        if plan.align_use_sentences:
            align_runs.append(measure_align(plan.align_use_sentences, "use"))
        align_runs += [measure_align(n, "synthetic") for n in plan.align_sizes]
        report["align"] = [asdict(r) | {"rate": r.rate} for r in align_runs]
        log("start-up …")
        report["startup"] = asdict(startup.measure_startup(package_dir, runs=plan.startup_runs))

    markdown = render(report, rows, align_runs if not skip_extras else [])
    report["markdown"] = markdown
    (results_dir / "speed.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (results_dir / "speed.md").write_text(markdown, encoding="utf-8")
    return report


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--worker"]:  # the former worker entry point, kept for old command lines
        return workers.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat (about two minutes)")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    parser.add_argument("--sentences", type=int, default=None, help="override the number of sentences")
    parser.add_argument("--repeats", type=int, default=None, help="repeats of (a) and (c) (median kept)")
    parser.add_argument("--skip-argos", action="store_true", help="do not run argostranslate")
    parser.add_argument("--skip-extras", action="store_true", help="no Apertium, alignment or start-up")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else BenchPlan()
    if args.sentences:
        plan = replace(plan, sentences=args.sentences, argos_sentences=args.sentences,
                       grid_sentences=min(plan.grid_sentences, args.sentences))
    if args.repeats:
        plan = replace(plan, repeats=args.repeats)
    report = run_bench(plan, args.results_dir, skip_argos=args.skip_argos, skip_extras=args.skip_extras,
                       log=lambda m: print(m, file=sys.stderr, flush=True))
    print(report["markdown"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
