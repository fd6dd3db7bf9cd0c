"""Measurements run from the parent: each system in its own child process, as one `Measurement` row."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from bench.child import REPO, child_env, run_child, worker_command
from bench.inputs import count_tokens


@dataclass
class Measurement:
    """One system on the benchmark text."""

    system: str
    label: str
    sentences: int
    seconds: float
    """Time counted for sentences/s (see `timed`)."""
    timed: str
    """What `seconds` covers: "end to end" or "translate call"."""
    process_seconds: float
    peak_rss_mib: float
    beam: int | None = None
    cpu_seconds: float = 0.0
    """User + system CPU time of the whole process."""
    out_tokens: int | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    runs: list[float] = field(default_factory=list)
    """Every repeat's `seconds` (the median is reported)."""
    note: str = ""

    @property
    def rate(self) -> float:
        return self.sentences / self.seconds if self.seconds else 0.0


def median_run(make: Callable[[], Measurement], repeats: int) -> Measurement:
    """Run a measurement `repeats` times; keep the one with the median time, listing all times."""
    done = sorted((make() for _ in range(max(1, repeats))), key=lambda m: m.seconds)
    chosen = done[len(done) // 2]
    return replace(chosen, runs=[m.seconds for m in done], peak_rss_mib=max(m.peak_rss_mib for m in done))


@dataclass(frozen=True)
class CliSettings:
    """Options passed to `translate run` (None = the CLI's own default)."""

    beam: int | None = None
    max_batch_tokens: int | None = None
    threads: int | None = None
    inter_threads: int | None = None
    compute_type: str | None = None

    def args(self) -> list[str]:
        pairs = (("--beam-size", self.beam), ("--max-batch-tokens", self.max_batch_tokens),
                 ("--threads", self.threads), ("--inter-threads", self.inter_threads),
                 ("--compute-type", self.compute_type))
        return [part for flag, value in pairs if value is not None for part in (flag, str(value))]


def measure_cli(text_path: Path, package_dir: Path, out_dir: Path, n: int, settings: CliSettings = CliSettings(),
                label: str = "translate run", keep_cache: bool = False) -> Measurement:
    """(a): `translate run` in a subprocess, default formats, glossary and engine cache; process wall time.

    The engine-output cache lives in `out_dir`/cache (TRANSLATE_CACHE_DIR), emptied first unless
    `keep_cache`: a cold cache measures a first translation, a kept one a rerun.
    """
    cache_dir = out_dir.parent / f"{out_dir.name}-cache"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    if cache_dir.exists() and not keep_cache:
        shutil.rmtree(cache_dir)
    out_dir.mkdir(parents=True)
    cmd = [sys.executable, "-m", "translate.cli", "run", str(text_path), "--model", str(package_dir),
           "-o", str(out_dir), "--quiet", *settings.args()]
    child = run_child(cmd, env=child_env({"TRANSLATE_CACHE_DIR": str(cache_dir)}), cwd=REPO)
    if child.returncode != 0:
        raise RuntimeError(f"translate run failed ({child.returncode}): {child.stderr.strip()[-600:]}")
    txt = next(out_dir.glob("*.txt"))
    records = [json.loads(line) for line in next(out_dir.glob("*.jsonl")).read_text(encoding="utf-8").splitlines()
               if line.strip()]
    targets = [str(r.get("target", "")) for r in records if "target" in r]
    out_tokens = count_tokens(package_dir, targets) if targets else count_tokens(package_dir, [txt.read_text()])
    return Measurement("a", label, n, child.seconds, "end to end", child.seconds, child.peak_rss_mib,
                       beam=settings.beam, cpu_seconds=child.cpu_seconds, out_tokens=out_tokens, settings=asdict(settings),
                       note=f"{len(targets)} segments")


@dataclass(frozen=True)
class CeilingSettings:
    """One point of the CTranslate2 grid."""

    beam: int
    batch_size: int = 2048
    batch_type: str = "tokens"
    inter_threads: int = 1
    intra_threads: int = 0
    compute_type: str = "int8"

    def short(self) -> str:
        return (f"beam {self.beam}, {self.batch_size} {self.batch_type}, inter {self.inter_threads} × "
                f"intra {self.intra_threads or 'auto'}, {self.compute_type}")


def measure_ceiling(tokens_path: Path, model_dir: Path, n: int, settings: CeilingSettings,
                    label: str = "ctranslate2 translate_batch") -> Measurement:
    """(c): one process, one translate_batch call on pre-tokenised input; the call alone is timed."""
    args = {"tokens": str(tokens_path), "model_dir": str(model_dir), **asdict(settings)}
    child = run_child(worker_command("ceiling", args), env=child_env(), cwd=REPO)
    result = child.result()
    return Measurement("c", label, n, result["seconds"], "translate call", child.seconds, child.peak_rss_mib,
                       beam=settings.beam, cpu_seconds=child.cpu_seconds, out_tokens=result["out_tokens"],
                       settings={**asdict(settings), "actual_compute_type": result["compute_type"]})


def ceiling_grid(tokens_path: Path, model_dir: Path, n: int, beam: int, cores: int,
                 log: Callable[[str], None] = print) -> tuple[CeilingSettings, list[Measurement]]:
    """Greedy search on a sample: batch size/type, then thread split, then compute type."""
    tried: list[Measurement] = []

    def run(settings: CeilingSettings) -> Measurement:
        m = measure_ceiling(tokens_path, model_dir, n, settings, label=settings.short())
        tried.append(m)
        log(f"  grid {settings.short()}: {m.rate:.1f} sentences/s, {m.peak_rss_mib:.0f} MiB")
        return m

    best = max((run(CeilingSettings(beam, size, kind)) for size, kind in
                ((1024, "tokens"), (2048, "tokens"), (4096, "tokens"), (8192, "tokens"), (32, "examples"),
                 (64, "examples"))), key=lambda m: m.rate)
    start = CeilingSettings(**{k: v for k, v in best.settings.items() if k != "actual_compute_type"})
    candidates = [replace(start, inter_threads=1, intra_threads=cores)]
    if cores > 1:
        candidates.append(replace(start, inter_threads=cores, intra_threads=1))
    best = max([best, *(run(c) for c in candidates)], key=lambda m: m.rate)
    start = CeilingSettings(**{k: v for k, v in best.settings.items() if k != "actual_compute_type"})
    best = max([best, run(replace(start, compute_type="float32"))], key=lambda m: m.rate)
    return CeilingSettings(**{k: v for k, v in best.settings.items() if k != "actual_compute_type"}), tried


def measure_argos_emulated(text_path: Path, package_dir: Path, n: int, beam: int, why: str) -> Measurement:
    """(b'): used only when argostranslate cannot run; says why in the note."""
    args = {"text": str(text_path), "model_dir": str(package_dir / "model"),
            "spm": str(package_dir / "sentencepiece.model"), "beam": beam}
    child = run_child(worker_command("argos-emulated", args), env=child_env(), cwd=REPO)
    result = child.result()
    return Measurement("b'", f"argos batching emulated with ctranslate2 (beam {beam})", n, result["seconds"],
                       "translate call", child.seconds, child.peak_rss_mib, beam=beam, cpu_seconds=child.cpu_seconds,
                       out_tokens=result["out_tokens"], settings={"batch_size": 32, "batch_type": "tokens"},
                       note=f"EMULATION: argostranslate could not run: {why}")


def measure_apertium(sentences_path: Path, n: int) -> Measurement | str:
    child = run_child(worker_command("apertium", {"sentences": str(sentences_path)}), env=child_env(), cwd=REPO)
    result = child.result()
    if "error" in result:
        return str(result["error"])
    return Measurement("apertium", "ApertiumEngine.translate", n, result["seconds"], "translate call",
                       child.seconds, child.peak_rss_mib, cpu_seconds=child.cpu_seconds, note="fr→es→en, two subprocess pipelines")


@dataclass
class AlignRun:
    """One alignment measurement."""

    embeddings: str
    n: int
    m: int
    seconds: float
    peak_rss_mib: float
    cells: int
    exact_1_1: int | None

    @property
    def rate(self) -> float:
        """Sentences per second, counting both sides."""
        return (self.n + self.m) / self.seconds if self.seconds else 0.0


def measure_align(n: int, embeddings: str) -> AlignRun:
    child = run_child(worker_command("align", {"n": n, "embeddings": embeddings}), env=child_env(), cwd=REPO)
    r = child.result()
    return AlignRun(embeddings, r["n"], r["m"], r["seconds"], child.peak_rss_mib, r["cells"], r["exact_1_1"])
