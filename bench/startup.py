"""CLI start-up cost: `translate --help`, and what `translate run` adds over loading the model.

`python -m bench.startup [--model PACKAGE_DIR]` prints the medians and the heaviest imports
of `translate.cli` (from ``python -X importtime``). bench/speed.py includes the same report.
It also prints `translate --help` over a bare `python -c "import typer, rich"`, measured paired
(A B A B …, median of each); `--baseline OTHER_TREE` adds before/after pairs of `--help` and of
`translate run` on one line with Apertium, the other checkout against this one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parent.parent
HELP_TARGET = 0.25
"""Seconds `translate --help` may take."""
RUN_OVERHEAD_TARGET = 0.5
"""Seconds `translate run` may add over loading the model, on one paragraph."""
HELP_RATIO_TARGET = 1.6
"""`translate --help` may cost this many times a bare `import typer, rich` (issue 12)."""
BARE_TYPER = [sys.executable, "-c", "import typer, rich"]
"""The reference of issue 12: the interpreter plus those two imports."""
RICH_HELP_FLOOR = [sys.executable, "-c", "import typer, rich, typer.rich_utils"]
"""What any typer app pays to print rich help: typer.rich_utils imports rich.markdown (markdown-it,
pygments) and rich.traceback whatever the app does."""
INDEX_ENV = "TRANSLATE_WORDLIST_INDEX_DIR"
"""translate.wordindex.INDEX_ENV (not imported: the baseline checkout may not have that module)."""
WORDLIST_INDEX = Path(tempfile.gettempdir()) / "translate-bench-wordlist-index"
"""Where the runs keep the word-list index between them (its file name says which lists it indexes)."""
ONE_LINE = "Le gouvernement a présenté mardi un projet de loi sur le logement social.\n"
PARAGRAPH = (
    "Le gouvernement a présenté mardi un projet de loi sur le logement social. "
    "Le Premier ministre s'est rendu à Lyon pour rencontrer les élus locaux. "
    "L'Assemblée nationale a adopté le texte en première lecture par 312 voix contre 204.\n"
)


@dataclass
class ImportCost:
    """One module's import time from `python -X importtime` (microseconds)."""

    module: str
    self_us: int
    cumulative_us: int
    depth: int
    """Nesting level: 0 = imported by the top module itself."""


@dataclass
class StartupReport:
    """Medians (seconds) of the start-up measurements and the heaviest imports."""

    entry: list[str]
    help_runs: list[float]
    python_runs: list[float]
    load_runs: list[float] = field(default_factory=list)
    run_runs: list[float] = field(default_factory=list)
    offenders: list[dict] = field(default_factory=list)

    @property
    def help_seconds(self) -> float:
        return statistics.median(self.help_runs)

    @property
    def run_overhead(self) -> float | None:
        if not self.run_runs or not self.load_runs:
            return None
        return statistics.median(self.run_runs) - statistics.median(self.load_runs)

    def lines(self) -> list[str]:
        out = [
            f"Start-up (median of {len(self.help_runs)}; `{' '.join(self.entry)}`):", "",
            f"- `translate --help`: **{self.help_seconds:.3f} s** (target ≤ {HELP_TARGET}); "
            f"bare `python -c pass`: {statistics.median(self.python_runs):.3f} s",
        ]
        if self.run_overhead is not None:
            out.append(
                f"- `translate run` on one paragraph: {statistics.median(self.run_runs):.3f} s; loading the model "
                f"alone (python + ctranslate2 + sentencepiece, no translation): {statistics.median(self.load_runs):.3f} s; "
                f"**overhead {self.run_overhead:.3f} s** (target ≤ {RUN_OVERHEAD_TARGET}; includes translating the paragraph "
                "and writing five outputs)"
            )
        if self.offenders:
            out += ["", "Heaviest imports of `translate.cli` (`python -X importtime`, cumulative ms):", ""]
            out += [f"- `{o['module']}`: {o['cumulative_us'] / 1000:.1f} ms (self {o['self_us'] / 1000:.1f} ms)"
                    for o in self.offenders]
        return out + [""]


def cli_entry() -> list[str]:
    """How users start the CLI: the console script next to this interpreter, else `python -m`."""
    script = Path(sys.executable).parent / "translate"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "translate.cli"]


def wall(cmd: Sequence[str], cwd: Path = REPO, first_run: bool = False) -> float:
    """Seconds from spawn to exit, with an empty engine cache; RuntimeError on a non-zero exit.

    The foreign-word check's word-list index (translate/wordindex.py) is built by a machine's first run
    and read by every later one: it is kept between runs in `$TRANSLATE_WORDLIST_INDEX_DIR` or WORDLIST_INDEX,
    unless `first_run` (then the empty cache directory holds it and each run builds it)."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "TRANSLATE_CACHE_DIR": cache}
        if first_run:
            env.pop(INDEX_ENV, None)
        else:
            env.setdefault(INDEX_ENV, str(WORDLIST_INDEX))
        started = time.perf_counter()
        done = subprocess.run(list(cmd), cwd=cwd, capture_output=True, env=env)
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.decode()[-400:]}")
    return seconds


def parse_importtime(stderr: str) -> list[ImportCost]:
    """Rows of `-X importtime` output ("import time: self | cumulative | name", indented by depth)."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:"):].split("|", 2)
        name = name.rstrip()
        indent = len(name) - len(name.lstrip())
        rows.append(ImportCost(name.strip(), int(self_us), int(cumulative_us), max(0, (indent - 1) // 2)))
    return rows


def import_offenders(module: str = "translate.cli", top: int = 8) -> list[ImportCost]:
    """The imports that take longest when `module` is imported (depth ≤ 1, interpreter start-up excluded)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], cwd=REPO,
                          capture_output=True, text=True)
    baseline = subprocess.run([sys.executable, "-X", "importtime", "-c", "pass"], capture_output=True, text=True)
    at_start = {r.module for r in parse_importtime(baseline.stderr)}
    rows = [r for r in parse_importtime(done.stderr)
            if r.depth <= 1 and r.module != module and r.module not in at_start]
    return sorted(rows, key=lambda r: -r.cumulative_us)[:top]


def load_command(package_dir: Path) -> list[str]:
    """A process that only loads the model and its SentencePiece model (the floor for `run`)."""
    code = (
        "import ctranslate2, sentencepiece as spm; "
        f"ctranslate2.Translator({str(package_dir / 'model')!r}, compute_type='int8'); "
        f"spm.SentencePieceProcessor(model_file={str(package_dir / 'sentencepiece.model')!r})"
    )
    return [sys.executable, "-c", code]


def measure_startup(package_dir: Path | None, runs: int = 5) -> StartupReport:
    """Medians of `runs` runs each, one command after the other (first run of each discarded as warm-up)."""
    entry = cli_entry()

    def median_runs(cmd: list[str], count: int) -> list[float]:
        wall(cmd)  # warm the page cache
        return [wall(cmd) for _ in range(count)]

    report = StartupReport(entry, median_runs([*entry, "--help"], runs), median_runs([sys.executable, "-c", "pass"], runs))
    if package_dir is not None:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "paragraph.fr.txt"
            source.write_text(PARAGRAPH, encoding="utf-8")
            out = Path(tmp) / "out"
            run = [*entry, "run", str(source), "--model", str(package_dir), "-o", str(out), "--overwrite", "--quiet"]
            count = max(min(3, runs), runs // 2 + 1)  # 3 of 5 by default; the smoke test's runs=1 takes 1
            report.load_runs = median_runs(load_command(package_dir), count)
            report.run_runs = median_runs(run, count)
            shutil.rmtree(out, ignore_errors=True)
    report.offenders = [vars(o) for o in import_offenders()]
    return report


@dataclass
class Paired:
    """Two commands timed alternately (A B A B …) so that load changes hit both alike."""

    label: str
    a_runs: list[float]
    b_runs: list[float]

    @property
    def ratio(self) -> float:
        """Median of A over median of B."""
        return statistics.median(self.a_runs) / statistics.median(self.b_runs)

    def line(self, a_name: str, b_name: str) -> str:
        return (f"- {self.label}: {a_name} {statistics.median(self.a_runs):.3f} s, {b_name} "
                f"{statistics.median(self.b_runs):.3f} s, ratio **{self.ratio:.2f}** (median of {len(self.a_runs)} pairs)")


def paired(label: str, a: Sequence[str], b: Sequence[str], runs: int = 9,
           a_cwd: Path = REPO, b_cwd: Path = REPO, first_run: bool = False) -> Paired:
    """Time `a` and `b` alternately `runs` times each, after one untimed run of each (page cache)."""
    wall(a, a_cwd, first_run), wall(b, b_cwd, first_run)
    result = Paired(label, [], [])
    for _ in range(runs):
        result.a_runs.append(wall(a, a_cwd, first_run))
        result.b_runs.append(wall(b, b_cwd, first_run))
    return result


def help_ratio(runs: int = 9) -> Paired:
    """`translate --help` (the console script) against a bare `import typer, rich`."""
    return paired("`translate --help` / `python -c \"import typer, rich\"`", [*cli_entry(), "--help"], BARE_TYPER, runs)


def compare_trees(baseline: Path, runs: int = 9) -> list[Paired]:
    """This checkout (A) against `baseline` (B), both as `python -m translate.cli` run in their own tree:
    `--help`, and `run` of one line with Apertium into a scratch folder."""
    module = [sys.executable, "-m", "translate.cli"]
    out = [paired("`translate --help`, this tree / baseline", [*module, "--help"], [*module, "--help"], runs,
                  REPO, baseline.resolve())]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "line.fr.txt"
        source.write_text(ONE_LINE, encoding="utf-8")
        run = [*module, "run", str(source), "--engine", "apertium", "-o", str(Path(tmp) / "out"), "--overwrite",
               "--quiet"]
        out.append(paired("`translate run` one line, Apertium, this tree / baseline", run, run, runs,
                          REPO, baseline.resolve()))
        out.append(paired("the same, a machine's first run (word-list index built), this tree / baseline", run, run,
                          max(3, runs // 3), REPO, baseline.resolve(), first_run=True))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="package dir for the `translate run` overhead")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pairs", type=int, default=9, help="A B pairs for the ratios (median of each side)")
    parser.add_argument("--baseline", type=Path, default=None, help="another checkout to compare this one with")
    args = parser.parse_args(argv)
    print("\n".join(measure_startup(args.model, args.runs).lines()))
    ratio = help_ratio(args.pairs)
    print(ratio.line("translate --help", "bare") + f" (target ≤ {HELP_RATIO_TARGET})")
    floor = paired("typer's rich-help floor: `import typer, rich, typer.rich_utils` / bare", RICH_HELP_FLOOR,
                   BARE_TYPER, args.pairs)
    print(floor.line("floor", "bare"))
    above = paired("what translate adds to typer's rich help: `translate --help` / floor", [*cli_entry(), "--help"],
                   RICH_HELP_FLOOR, args.pairs)
    print(above.line("translate --help", "floor"))
    if args.baseline is not None:
        for pair in compare_trees(args.baseline, args.pairs):
            print(pair.line("this tree", "baseline"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
