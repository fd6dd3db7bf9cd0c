"""Time of glossary protection + restoration on one long unpunctuated line (OCR output, minified exports).

The line repeats French news words with glossary terms and no sentence end, so the whole line is one
segment holding thousands of terms. An identity engine stands in for translation: what is timed is
`protect` → engine → `verify`, the stages whose cost used to grow with the square of the line.
Sizes run alternately, `--repeat` rounds, medians reported with time per KB and the ratio to the
smallest size (linear work keeps the ratio of time per KB near 1).

Usage: ``python -m bench.long_line [--sizes 25,100,400] [--repeat 3] [--glossary-root DIR] [--run PACKAGE]``
(`--glossary-root` imports `glossary` from another checkout, to compare an older version side by side;
`--run PACKAGE` times the whole `translate run LINE --model PACKAGE --no-cache` command instead, each
run its own process, e.g. on the synthetic copy model of bench/synthetic.py).

Measured 2026-12-01 on the shared 2-core machine (load average 14–15, other sessions running):
this version 25/100/400 KB → 0.23/0.96/3.58 s (ms per KB ratio 1.00/1.04/0.98: linear); the
version before (commit bde4899, `--glossary-root`) 12/25/50 KB → 2.7/9.5/35.4 s (ratio
1.00/1.68/3.12: quadratic). Whole `translate run` on the 100 KB line with the synthetic copy model,
`--no-cache`: 8.4 s and 16.6 s now against 133.9 s before (same load).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHRASE = (
    "le conseil de l’OTAN et la CEDEAO ont reçu des ONG de Moscou et de Pékin avec les talibans "
    "pendant que l’Occident et les organisations non gouvernementales soutiennent les cessez-le-feu "
    "de la Commission européenne et du Fonds monétaire international "
)


def long_line(kilobytes: int) -> str:
    """An unpunctuated French line of about `kilobytes` KB (UTF-8)."""
    target = kilobytes * 1000
    words = PHRASE.split()
    out: list[str] = []
    size = 0
    i = 0
    while size < target:
        word = words[i % len(words)]
        out.append(word)
        size += len(word.encode("utf-8")) + 1
        i += 1
    return " ".join(out)


def time_once(text: str) -> tuple[float, int]:
    """Seconds for protect → identity engine → verify on one segment, and the number of terms."""
    from glossary.builtin import builtin_glossary
    from translate.terms import protect, verify
    from translate.document import Document, Paragraph, Segment

    glossary = builtin_glossary()
    glossary.matcher  # built outside the timing
    document = Document([Paragraph(0, [Segment(1, 0, text)])])
    started = time.perf_counter()
    protect(document, glossary)
    segment = document.segments[0]
    segment.target = segment.text_for_engine
    verify(document, glossary)
    return time.perf_counter() - started, len(segment.glossary_hits)


def time_run(text: str, package: Path) -> tuple[float, int]:
    """Seconds for the whole `translate run` on `text` saved as a file (its own process, no cache), and 0 terms
    (the command does not report them per line)."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "line.fr.txt"
        source.write_text(text + "\n", encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "translate.cli", "run", str(source), "--model", str(package),
                               "--no-cache", "-f", "txt", "-q", "--force", "-o", str(Path(scratch) / "out")],
                              capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
        seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"translate run failed: {done.stderr.strip()}")
    return seconds, 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="25,100,400", help="Line sizes in KB, comma-separated.")
    parser.add_argument("--repeat", type=int, default=3, help="Rounds over all sizes (alternating).")
    parser.add_argument("--glossary-root", type=Path, help="Import glossary/ from this directory instead.")
    parser.add_argument("--run", type=Path, metavar="PACKAGE", help="Time the whole command with this model.")
    args = parser.parse_args(argv)
    if args.glossary_root:
        sys.path.insert(0, str(args.glossary_root))
    sizes = [int(s) for s in args.sizes.split(",")]
    texts = {size: long_line(size) for size in sizes}
    times: dict[int, list[float]] = {size: [] for size in sizes}
    terms: dict[int, int] = {}
    for _ in range(args.repeat):
        for size in sizes:
            seconds, terms[size] = time_run(texts[size], args.run) if args.run else time_once(texts[size])
            times[size].append(seconds)
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} CPUs; median of {args.repeat}")
    print("KB\tterms\tseconds\tms per KB\tratio of ms/KB to the smallest")
    base = statistics.median(times[sizes[0]]) / sizes[0]
    for size in sizes:
        median = statistics.median(times[size])
        print(f"{size}\t{terms[size]}\t{median:.3f}\t{1000 * median / size:.2f}\t{median / size / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
