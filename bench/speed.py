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

This file is also the worker run inside each child process (``--worker NAME``); its top-level
imports are the standard library alone so the argostranslate venv can run it by path.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Sequence

REPO = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO / "bench" / "results"
"""Git-ignored: cached package, argostranslate venv, inputs, outputs and the JSON report."""
ARGOS_TORCH = "torch==2.13.0"
"""Installed first in the argos venv: a CPU wheel on disk; a bare `torch` would fetch a CUDA build."""
RESULT_PREFIX = "RESULT "
"""A worker's last stdout line: this prefix and a JSON object."""

OPENERS = (
    ("", ""),
    ("Selon le ministère, ", "According to the ministry, "),
    ("Mardi soir, ", "On Tuesday evening, "),
    ("D'après l'AFP, ", "According to AFP, "),
    ("Par ailleurs, ", "Meanwhile, "),
    ("En outre, ", "In addition, "),
    ("Lundi, ", "On Monday, "),
    ("Dans la région, ", "In the region, "),
    ("Comme prévu, ", "As expected, "),
    ("De son côté, ", "For its part, "),
    ("Jeudi matin, ", "On Thursday morning, "),
    ("Pour sa part, ", "For its part, "),
)
"""Sentence openers that turn the corpus into more distinct sentences (no two inputs are equal,
so no cache can skip work)."""
LOWER_FIRST = {
    "fr": {"Le", "La", "Les", "Un", "Une", "Des", "Ce", "Cette", "Ces", "Ses", "Son", "Sa", "Il", "Elle",
           "Plusieurs", "Trois", "Aucune", "Plus", "Près", "Dans"},
    "en": {"The", "A", "An", "Its", "His", "Her", "This", "These", "Several", "Three", "No", "More", "Nearly", "In"},
}
"""First words that take a small letter after an opener (proper nouns keep their capital)."""
PARAGRAPH_SIZES = (3, 5, 2, 4, 6, 1, 4, 3)
"""Sentences per paragraph, cycled, so the text has a press article's mixed paragraph lengths."""


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchText:
    """The benchmark document: its sentences (French and the matching English) and its text."""

    fr: list[str]
    en: list[str]
    paragraphs: list[int]
    """Paragraph index of each sentence."""

    @property
    def text(self) -> str:
        """French text, one paragraph a line, a blank line between paragraphs."""
        lines: list[list[str]] = []
        for sentence, paragraph in zip(self.fr, self.paragraphs):
            if paragraph == len(lines):
                lines.append([])
            lines[-1].append(sentence)
        return "\n\n".join(" ".join(line) for line in lines) + "\n"


def _with_opener(sentence: str, opener: str, lang: str) -> str:
    if not opener:
        return sentence
    first = sentence.split(" ", 1)[0].split("'", 1)[0]
    if first in LOWER_FIRST[lang] or (lang == "fr" and first == "L"):
        sentence = sentence[0].lower() + sentence[1:]
    return opener + sentence


def bench_text(n: int, pairs: Sequence[tuple[str, str]] | None = None) -> BenchText:
    """`n` distinct French sentences (with their English) recombined from bench/corpus.fr-en.txt.

    Round r over the corpus puts opener r in front of every sentence, so the result is
    deterministic and no sentence repeats.
    """
    if pairs is None:
        pairs = _read_corpus()
    most = len(pairs) * len(OPENERS)
    if n > most:
        raise ValueError(f"at most {most} distinct sentences can be made from {len(pairs)} pairs")
    fr, en, paragraphs = [], [], []
    paragraph, left, sizes = -1, 0, 0
    for k in range(n):
        (fr_open, en_open), (fr_text, en_text) = OPENERS[k // len(pairs)], pairs[k % len(pairs)]
        fr.append(_with_opener(fr_text, fr_open, "fr"))
        en.append(_with_opener(en_text, en_open, "en"))
        if left == 0:
            paragraph += 1
            left = PARAGRAPH_SIZES[sizes % len(PARAGRAPH_SIZES)]
            sizes += 1
        paragraphs.append(paragraph)
        left -= 1
    return BenchText(fr, en, paragraphs)


def _read_corpus() -> list[tuple[str, str]]:
    from bench.synthetic import read_corpus

    return read_corpus()


def ensure_package(results_dir: Path, *, base: bool = True, log: Callable[[str], None] = print) -> Path:
    """The random synthetic package (extracted dir; its .argosmodel beside it), built once and reused.

    A stamp holding the hash of bench/synthetic.py makes a changed builder rebuild the package.
    """
    import hashlib

    from bench import synthetic

    builder_hash = hashlib.sha256(Path(synthetic.__file__).read_bytes()).hexdigest()[:16]
    out_dir = results_dir / "packages"
    name = synthetic.package_name("random", base)
    package_dir = out_dir / name
    stamp = out_dir / f"{name}.stamp"
    if package_dir.is_dir() and synthetic.argosmodel_path(package_dir).is_file() and stamp.is_file() \
            and stamp.read_text().strip() == builder_hash:
        return package_dir
    dims = synthetic.BASE if base else synthetic.TINY
    log(f"building the synthetic {'base' if base else 'tiny'} package in {out_dir} …")
    out_dir.mkdir(parents=True, exist_ok=True)
    synthetic.build_package(
        out_dir, kind="random", vocab_size=dims.vocab_size, d_model=dims.d_model, num_layers=dims.num_layers,
        num_heads=dims.num_heads, ffn=dims.ffn, name=name,
    )
    stamp.write_text(builder_hash + "\n")
    return package_dir


def count_tokens(package_dir: Path, texts: Sequence[str]) -> int:
    """SentencePiece tokens of `texts` under the package's model (checks equal decode lengths)."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    return sum(len(t) for t in sp.encode([t for t in texts if t.strip()], out_type=str))


# --------------------------------------------------------------------------------------------
# Child processes: wall time and peak RSS of one process
# --------------------------------------------------------------------------------------------


LAUNCHER = """
import json, os, subprocess, sys, time
report, cmd = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
proc = subprocess.Popen(cmd)
_, status, usage = os.wait4(proc.pid, 0)
seconds = time.perf_counter() - started
with open(report, "w") as handle:
    json.dump({"code": os.waitstatus_to_exitcode(status), "seconds": seconds, "maxrss_kib": usage.ru_maxrss,
               "cpu": usage.ru_utime + usage.ru_stime}, handle)
"""
"""Runs one command and writes its exit code, wall time and rusage. Children are started through
it because Linux carries the forking process's RSS high-water mark into a child's ru_maxrss
(measured: a bare `python -c pass` forked from an 800 MiB parent reports 813 MiB); the launcher
is a fresh small interpreter, so what it reports is the child's own peak."""


@dataclass
class ChildRun:
    """One finished child process."""

    returncode: int
    seconds: float
    """Wall time from spawn to exit, measured by the launcher."""
    peak_rss_mib: float
    """ru_maxrss of this child alone (os.wait4 in the launcher), in MiB."""
    cpu_seconds: float
    stdout: str
    stderr: str

    def result(self) -> dict[str, Any]:
        """The worker's RESULT line as a dict; RuntimeError with the child's stderr tail if none."""
        for line in reversed(self.stdout.splitlines()):
            if line.startswith(RESULT_PREFIX):
                return json.loads(line[len(RESULT_PREFIX):])
        tail = "\n".join(self.stderr.strip().splitlines()[-8:])
        raise RuntimeError(f"child exited {self.returncode} without a result:\n{tail}")


def run_child(cmd: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
              timeout: float | None = None) -> ChildRun:
    """Run `cmd` to completion through `LAUNCHER`; its wall time, peak RSS, CPU time and output."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "rusage.json"
        with open(Path(tmp) / "out", "w+b") as out, open(Path(tmp) / "err", "w+b") as err:
            proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(report), *cmd], stdout=out, stderr=err,
                                    env=env, cwd=cwd, start_new_session=True)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
        if not report.is_file():
            return ChildRun(proc.returncode or -9, float("nan"), 0.0, 0.0, stdout, stderr + "\n(killed: timeout)")
        usage = json.loads(report.read_text())
    return ChildRun(usage["code"], usage["seconds"], usage["maxrss_kib"] / 1024, usage["cpu"], stdout, stderr)


def worker_command(name: str, args: dict[str, Any], python: str | None = None) -> list[str]:
    """Command line running worker `name` of this file; by path when another interpreter runs it."""
    payload = json.dumps(args)
    if python is None:
        return [sys.executable, "-m", "bench.speed", "--worker", name, payload]
    return [python, str(Path(__file__).resolve()), "--worker", name, payload]


def _child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.update(extra or {})
    return env


# --------------------------------------------------------------------------------------------
# Workers (run inside the child processes)
# --------------------------------------------------------------------------------------------


def _emit(result: dict[str, Any]) -> None:
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def worker_ceiling(args: dict[str, Any]) -> None:
    """(c): one translate_batch call over pre-tokenised sentences, after a small warm-up."""
    import ctranslate2

    tokens = json.loads(Path(args["tokens"]).read_text(encoding="utf-8"))
    started = time.perf_counter()
    translator = ctranslate2.Translator(
        args["model_dir"], device="cpu", compute_type=args["compute_type"],
        inter_threads=args["inter_threads"], intra_threads=args["intra_threads"],
    )
    load = time.perf_counter() - started
    options = dict(max_batch_size=args["batch_size"], batch_type=args["batch_type"], beam_size=args["beam"],
                   max_decoding_length=args.get("max_decoding_length", 512), return_scores=False)
    translator.translate_batch(tokens[:8], **options)
    started = time.perf_counter()
    results = translator.translate_batch(tokens, **options)
    seconds = time.perf_counter() - started
    out_tokens = sum(len(r.hypotheses[0]) for r in results)
    _emit({"seconds": seconds, "load_seconds": load, "sentences": len(tokens), "out_tokens": out_tokens,
           "compute_type": translator.compute_type})


def _argos_env(home: Path, beam: int) -> dict[str, str]:
    """Isolated, offline argostranslate settings: own packages/data/config/cache dirs, spaCy splitter."""
    return {
        "ARGOS_PACKAGES_DIR": str(home / "packages"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "ARGOS_CHUNK_TYPE": "SPACY",
        "ARGOS_BEAM_SIZE": str(beam),
        "ARGOS_DEVICE_TYPE": "cpu",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }


def worker_argos_install(args: dict[str, Any]) -> None:
    """Install the .argosmodel with argostranslate itself and give it an offline spaCy sentencizer.

    ARGOS_CHUNK_TYPE=SPACY loads a spaCy pipeline from the package's `spacy/` folder when there is
    one (else it downloads xx_sent_ud_sm); a blank French pipeline saved there, to which argos adds
    the rule-based "sentencizer", needs no model download. argostranslate.sbd also runs its spaCy
    cache check at import; the empty cache folder it looks for is made first so it never downloads.
    """
    home = Path(os.environ["XDG_CACHE_HOME"])
    (home / "argos-translate" / "spacy" / "senter" / "model").mkdir(parents=True, exist_ok=True)
    import argostranslate.package
    import spacy

    argostranslate.package.install_from_path(Path(args["argosmodel"]))
    package_dir = Path(os.environ["ARGOS_PACKAGES_DIR"]) / args["name"]
    spacy.blank("fr").to_disk(package_dir / "spacy")
    installed = [p.package_path.name for p in argostranslate.package.get_installed_packages()]
    _emit({"package_dir": str(package_dir), "installed": installed})


def worker_argos(args: dict[str, Any]) -> None:
    """(b): argostranslate's translate path over the whole text; the call alone is timed."""
    import argostranslate.translate as argos_translate

    text = Path(args["text"]).read_text(encoding="utf-8")
    translation = argos_translate.get_translation_from_codes("fr", "en")
    translation.translate("Bonjour à tous.")  # loads the CTranslate2 model (argos loads it lazily)
    started = time.perf_counter()
    output = translation.translate(text)
    seconds = time.perf_counter() - started
    Path(args["output"]).write_text(output, encoding="utf-8")
    sentencizer = translation.underlying.sentencizer
    found = sum(len(sentencizer.split_sentences(p)) for p in text.split("\n") if p.strip())
    from argostranslate import settings

    _emit({"seconds": seconds, "sentences_found": found, "beam": settings.beam_size,
           "batch_size": settings.batch_size, "chunk_type": settings.chunk_type.name})


def worker_argos_emulated(args: dict[str, Any]) -> None:
    """(b'): argostranslate's batching emulated with CTranslate2 (per paragraph, 32-token batches)."""
    import ctranslate2
    import sentencepiece as spm

    from translate.segment import segment_document

    text = Path(args["text"]).read_text(encoding="utf-8")
    sp = spm.SentencePieceProcessor(model_file=args["spm"])
    translator = ctranslate2.Translator(args["model_dir"], compute_type="auto")
    started = time.perf_counter()
    document = segment_document(text, lang="fr")
    out_tokens = 0
    for paragraph in document.paragraphs:
        tokens = [sp.encode(s.source, out_type=str) for s in paragraph.segments]
        results = translator.translate_batch(tokens, max_batch_size=32, batch_type="tokens", beam_size=args["beam"],
                                             length_penalty=0.2, replace_unknowns=True, return_scores=True)
        out_tokens += sum(len(r.hypotheses[0]) for r in results)
    _emit({"seconds": time.perf_counter() - started, "out_tokens": out_tokens, "sentences_found": len(document)})


def worker_apertium(args: dict[str, Any]) -> None:
    """Apertium engine over the benchmark sentences (two pipelines of subprocesses)."""
    from translate.engines.apertium import ApertiumEngine, apertium_status

    ok, why = apertium_status()
    if not ok:
        _emit({"error": why})
        return
    sentences = json.loads(Path(args["sentences"]).read_text(encoding="utf-8"))
    started = time.perf_counter()
    results = ApertiumEngine().translate(sentences)
    _emit({"seconds": time.perf_counter() - started, "sentences": len(results)})


def worker_align(args: dict[str, Any]) -> None:
    """Sentence alignment: real USE embeddings on the bench text, or synthetic ones for scaling."""
    from translate.align import AlignOptions, SearchStats, align

    stats = SearchStats()
    if args["embeddings"] == "use":
        from translate.embed import UseEmbedder

        text = bench_text(args["n"])
        started = time.perf_counter()
        beads = align(text.fr, text.en, src_paragraphs=text.paragraphs, tgt_paragraphs=text.paragraphs,
                      embedder=UseEmbedder(), stats=stats)
        correct = sum(1 for b in beads if b.src == b.tgt and len(b.src) == 1)
        seconds, m = time.perf_counter() - started, len(text.en)
    else:
        from bench.align_eval import synthetic_pair

        src, tgt, embedder = synthetic_pair(args["n"])
        started = time.perf_counter()
        beads = align(src, tgt, options=AlignOptions(concat="sum"), embedder=embedder, stats=stats)
        seconds, m, correct = time.perf_counter() - started, len(tgt), None
    _emit({"seconds": seconds, "n": args["n"], "m": m, "beads": len(beads), "cells": stats.cells,
           "exact_1_1": correct})


WORKERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "ceiling": worker_ceiling,
    "argos-install": worker_argos_install,
    "argos": worker_argos,
    "argos-emulated": worker_argos_emulated,
    "apertium": worker_apertium,
    "align": worker_align,
}


# --------------------------------------------------------------------------------------------
# Measurements (run in the parent)
# --------------------------------------------------------------------------------------------


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


def _median_run(make: Callable[[], Measurement], repeats: int) -> Measurement:
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
    child = run_child(cmd, env=_child_env({"TRANSLATE_CACHE_DIR": str(cache_dir)}), cwd=REPO)
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
    child = run_child(worker_command("ceiling", args), env=_child_env(), cwd=REPO)
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


def argos_requirement() -> str:
    """The `argos` optional extra of pyproject.toml: what the comparison venv installs."""
    import tomllib

    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    return " ".join(extras["argos"])


def ensure_argos_venv(results_dir: Path, log: Callable[[str], None] = print) -> tuple[Path | None, str]:
    """(python of the venv, "") when argostranslate imports there, else (None, why not).

    Installs torch (CPU wheel on disk) first, then our `argos` extra's requirement.
    """
    venv = results_dir / "venv-argos"
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import argostranslate.translate, spacy"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python, ""
    log(f"creating {venv} (torch CPU wheel, then {argos_requirement()}) …")
    steps = [[sys.executable, "-m", "venv", str(venv)],
             [str(python), "-m", "pip", "install", "-q", ARGOS_TORCH],
             [str(python), "-m", "pip", "install", "-q", *argos_requirement().split()]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            lines = [ln for ln in done.stderr.splitlines() if "WARNING" not in ln]
            return None, f"`{' '.join(step[-2:])}` failed: {' '.join(lines[-2:])}"
    done = subprocess.run(probe, capture_output=True, text=True)
    if done.returncode != 0:
        return None, f"argostranslate does not import: {done.stderr.strip().splitlines()[-1:]}"
    return python, ""


def install_argos_package(python: Path, argosmodel: Path, home: Path) -> Path:
    """Install the package into the isolated ARGOS_PACKAGES_DIR (fresh each time); its folder."""
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    args = {"argosmodel": str(argosmodel), "name": argosmodel.stem}
    child = run_child(worker_command("argos-install", args, python=str(python)), env=_child_env(_argos_env(home, 4)))
    return Path(child.result()["package_dir"])


def measure_argos(python: Path, home: Path, text_path: Path, package_dir: Path, n: int, beam: int,
                  out_path: Path) -> Measurement:
    """(b): argostranslate in its venv; the translate call timed, the process total reported."""
    args = {"text": str(text_path), "output": str(out_path)}
    child = run_child(worker_command("argos", args, python=str(python)), env=_child_env(_argos_env(home, beam)))
    result = child.result()
    out_tokens = count_tokens(package_dir, out_path.read_text(encoding="utf-8").splitlines())
    return Measurement("b", f"argostranslate translate (beam {beam})", n, result["seconds"], "translate call",
                       child.seconds, child.peak_rss_mib, beam=result["beam"], cpu_seconds=child.cpu_seconds, out_tokens=out_tokens,
                       settings={"batch_size": result["batch_size"], "batch_type": "tokens",
                                 "chunk_type": result["chunk_type"]},
                       note=f"{result['sentences_found']} sentences found by its splitter")


def measure_argos_emulated(text_path: Path, package_dir: Path, n: int, beam: int, why: str) -> Measurement:
    """(b'): used only when argostranslate cannot run; says why in the note."""
    args = {"text": str(text_path), "model_dir": str(package_dir / "model"),
            "spm": str(package_dir / "sentencepiece.model"), "beam": beam}
    child = run_child(worker_command("argos-emulated", args), env=_child_env(), cwd=REPO)
    result = child.result()
    return Measurement("b'", f"argos batching emulated with ctranslate2 (beam {beam})", n, result["seconds"],
                       "translate call", child.seconds, child.peak_rss_mib, beam=beam, cpu_seconds=child.cpu_seconds,
                       out_tokens=result["out_tokens"], settings={"batch_size": 32, "batch_type": "tokens"},
                       note=f"EMULATION: argostranslate could not run: {why}")


def measure_apertium(sentences_path: Path, n: int) -> Measurement | str:
    child = run_child(worker_command("apertium", {"sentences": str(sentences_path)}), env=_child_env(), cwd=REPO)
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
    child = run_child(worker_command("align", {"n": n, "embeddings": embeddings}), env=_child_env(), cwd=REPO)
    r = child.result()
    return AlignRun(embeddings, r["n"], r["m"], r["seconds"], child.peak_rss_mib, r["cells"], r["exact_1_1"])


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def system_table(rows: Sequence[Measurement]) -> str:
    """Markdown table of translation measurements."""
    lines = ["| system | beam | sentences/s | timed | seconds (runs) | process s | process CPU s | peak RSS MiB | out tokens | settings / note |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for m in rows:
        runs = ", ".join(f"{s:.1f}" for s in m.runs) if len(m.runs) > 1 else f"{m.seconds:.1f}"
        extra = "; ".join(x for x in (_settings_text(m.settings), m.note) if x)
        lines.append(f"| ({m.system}) {m.label} | {m.beam or '-'} | {m.rate:.1f} | {m.timed} | {runs} | "
                     f"{m.process_seconds:.1f} | {m.cpu_seconds:.1f} | {m.peak_rss_mib:.0f} | {m.out_tokens if m.out_tokens is not None else '-'} | {extra} |")
    return "\n".join(lines)


def _settings_text(settings: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in settings.items() if v is not None)


def align_table(runs: Sequence[AlignRun]) -> str:
    lines = ["| embeddings | fr sentences | en sentences | seconds | sentences/s (both sides) | peak RSS MiB | DP cells | cells per fr sentence |",
             "|---|---|---|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {r.embeddings} | {r.n} | {r.m} | {r.seconds:.2f} | {r.rate:.0f} | {r.peak_rss_mib:.0f} | "
                     f"{r.cells} | {r.cells / r.n:.0f} |")
    return "\n".join(lines)


@dataclass
class Ratios:
    """The targets: a/b ≥ 3, a/c ≥ 0.9, RSS(a) ≤ 1.2 × RSS(c)."""

    a_over_b: float
    a_over_b_same_beam: float | None
    a_over_c: float
    rss_a_over_c: float

    def lines(self) -> list[str]:
        same = f"{self.a_over_b_same_beam:.2f}" if self.a_over_b_same_beam is not None else "-"
        return [
            f"- a/b (argostranslate at its defaults, beam 4): **{self.a_over_b:.2f}** (target ≥ 3)",
            f"- a/b (argostranslate at our beam): **{same}**",
            f"- a/c (same beam): **{self.a_over_c:.2f}** (target ≥ 0.9)",
            f"- peak RSS a/c: **{self.rss_a_over_c:.2f}** (target ≤ 1.2)",
        ]


def ratios(a: Measurement, b_default: Measurement, b_same: Measurement | None, c: Measurement) -> Ratios:
    return Ratios(a.rate / b_default.rate, a.rate / b_same.rate if b_same else None, a.rate / c.rate,
                  a.peak_rss_mib / c.peak_rss_mib)


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


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
    a = _median_run(iter(a_runs).__next__, len(a_runs))
    c = _median_run(iter(c_runs).__next__, len(c_runs))
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


def render(report: dict[str, Any], rows: Sequence[Measurement], align_runs: Sequence[AlignRun]) -> str:
    """The whole report as markdown."""
    parts = [f"Model: synthetic transformer-base ({Path(report['package']).name}), {report['cores']} cores, "
             f"{report['plan']['sentences']} sentences ({report['source_tokens']} source tokens).", "",
             system_table(rows), ""]
    if "ratios" in report:
        parts += Ratios(**report["ratios"]).lines() + [""]
    if report.get("grid"):
        parts += ["CTranslate2 grid (sample of "
                  f"{report['plan']['grid_sentences']} sentences, beam {report['default_beam']}):", "",
                  "| settings | sentences/s | peak RSS MiB |", "|---|---|---|"]
        parts += [f"| {g['label']} | {g['sentences'] / g['seconds']:.1f} | {g['peak_rss_mib']:.0f} |"
                  for g in report["grid"]]
        parts.append("")
    apertium = report.get("apertium")
    if isinstance(apertium, dict):
        parts += [f"Apertium: {apertium['rate']:.1f} sentences/s ({apertium['sentences']} sentences in "
                  f"{apertium['seconds']:.1f} s, process {apertium['process_seconds']:.1f} s, "
                  f"peak RSS {apertium['peak_rss_mib']:.0f} MiB of the Python process).", ""]
    elif apertium:
        parts += [f"Apertium: not measured: {apertium}", ""]
    if align_runs:
        parts += ["Alignment (`translate.align.align`; synthetic = table embeddings, search only; "
                  "use = real USE multilingual embeddings included):", "", align_table(align_runs), ""]
    if "startup" in report:
        from bench.startup import StartupReport

        parts += StartupReport(**report["startup"]).lines()
    return "\n".join(parts) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--worker"]:
        WORKERS[argv[1]](json.loads(argv[2]))
        return 0
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
