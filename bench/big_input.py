"""Time and peak memory of `translate run` on big inputs: `python -m bench.big_input [SIZES_MB…]`.

Each run is the real command in its own process (wall time, peak RSS of that process) on the
synthetic copy model that the tests use (bench/synthetic.py; small, so decoding is cheap). The input
repeats the benchmark document (bench/speed.py: 2,772 distinct sentences in paragraphs of 1–6) until
the size is reached, so by default (`--cache`) every repetition after the first comes from the
engine cache and the figures measure reading, segmentation, glossary, QA and writing; `--no-cache`
sends every sentence to the engine. Streaming should give time linear in the size and flat memory.

`--baseline DIR` also runs the command from another checkout (e.g. an export of the previous
commit), alternating A B A B, to compare side by side; `--repeat N` runs each case N times (medians).
The load (`uptime`) is printed before and after: on a shared machine it changes the times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO / "bench" / "results"
MB = 1_000_000


@dataclass(frozen=True)
class Run:
    """One command: which code, which input size, its wall time and peak resident memory."""

    code: str
    size_mb: float
    seconds: float
    peak_rss_mb: float
    sentences: int


def load() -> str:
    """The machine's load averages, to print with every figure."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def make_input(path: Path, size_mb: float) -> Path:
    """The benchmark document repeated (blank line between copies) until `size_mb` megabytes."""
    if path.exists() and abs(path.stat().st_size - size_mb * MB) < 200_000:
        return path
    sys.path.insert(0, str(REPO))
    from bench.speed import bench_text

    block = bench_text(2772).text + "\n"
    target = int(size_mb * MB)
    with open(path, "w", encoding="utf-8") as out:
        written = 0
        while written < target:
            out.write(block)
            written += len(block.encode("utf-8"))
    return path


def measure(code_dir: Path, source: Path, package: Path, out: Path, cache: Path | None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and sentences of one `translate run`, in a fresh child process."""
    probe = ("import resource, subprocess, sys, time\n"
             "t = time.perf_counter()\n"
             "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
             "t = time.perf_counter() - t\n"
             "assert r.returncode == 0, r.stderr[-3000:]\n"
             "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, repr(r.stderr))\n")
    args = [sys.executable, "-c", probe, sys.executable, "-m", "translate.cli", "run", str(source),
            "--model", str(package), "-o", str(out), "--overwrite"]
    args += ["--no-cache"] if cache is None else []
    env = {**os.environ, "PYTHONPATH": str(code_dir)}
    if cache is not None:
        env["TRANSLATE_CACHE_DIR"] = str(cache)
    done = subprocess.run(args, capture_output=True, text=True, cwd=code_dir, env=env)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    seconds, rss_kb, stderr = done.stdout.split(" ", 2)
    sentences = int(stderr.split(": ", 1)[1].split(" sentences", 1)[0]) if " sentences in " in stderr else 0
    return float(seconds), int(rss_kb) / 1024, sentences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=float, default=[2, 20, 200], help="input sizes in MB")
    parser.add_argument("--no-cache", action="store_true", help="send every sentence to the engine")
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with (runs alternate)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--work", type=Path, default=RESULTS_DIR / "big_input")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO))
    from bench.synthetic import build_package

    args.work.mkdir(parents=True, exist_ok=True)
    package = args.work / "translate-fr_en-synthetic_copy"
    if not package.exists():
        package = build_package(args.work)
    codes = [("new", REPO)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    print(f"load before: {load()}; cache: {'off' if args.no_cache else 'on (warmed by a first run)'}")
    runs: list[Run] = []
    for size in args.sizes:
        source = make_input(args.work / f"input-{size:g}MB.fr.txt", size)
        with tempfile.TemporaryDirectory(dir=args.work) as scratch:
            cache = None if args.no_cache else Path(scratch) / "cache"
            if cache is not None:  # warm the cache with one copy of the document, so runs are comparable
                warm = make_input(Path(scratch) / "warm.fr.txt", 0.2)
                measure(REPO, warm, package, Path(scratch) / "warm-out", cache)
            for _ in range(args.repeat):
                for name, code_dir in codes:
                    seconds, rss, sentences = measure(code_dir, source, package, Path(scratch) / name, cache)
                    runs.append(Run(name, size, seconds, rss, sentences))
                    print(f"{name:8} {size:7g} MB  {seconds:8.1f} s  {size / seconds:6.2f} MB/s  "
                          f"peak RSS {rss:7.0f} MB  {sentences} sentences  (load {load()})", flush=True)
    print(f"load after: {load()}")
    print("\nmedians:")
    for name, _ in codes:
        for size in args.sizes:
            mine = [r for r in runs if r.code == name and r.size_mb == size]
            if mine:
                seconds = statistics.median(r.seconds for r in mine)
                rss = statistics.median(r.peak_rss_mb for r in mine)
                print(f"{name:8} {size:7g} MB  {seconds:8.1f} s  {seconds / size:6.2f} s/MB  peak RSS {rss:7.0f} MB")
    (args.work / "report.json").write_text(json.dumps([asdict(r) for r in runs], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
