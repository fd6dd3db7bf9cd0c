"""The report: markdown tables of the measurements and the ratios against their targets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from bench.measure import AlignRun, Measurement


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
