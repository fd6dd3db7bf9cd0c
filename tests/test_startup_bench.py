"""bench/startup.py's paired measurements (A B A B …): the ratio, the commands compared, the report lines.
No timing asserts: only that each side ran as often as asked and that the right commands were timed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench import startup

QUICK = [sys.executable, "-c", "pass"]


def test_paired_alternates_and_gives_the_ratio_of_medians() -> None:
    result = startup.paired("pass / pass", QUICK, QUICK, runs=3)
    assert len(result.a_runs) == len(result.b_runs) == 3 and result.ratio > 0
    half = startup.Paired("x", [1.0, 3.0, 2.0], [4.0, 4.0, 5.0])
    assert half.ratio == 0.5
    assert half.line("A", "B") == "- x: A 2.000 s, B 4.000 s, ratio **0.50** (median of 3 pairs)"


def test_paired_alternates_a_and_b(monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[str] = []
    monkeypatch.setattr(startup, "wall", lambda cmd, cwd=startup.REPO, first_run=False: order.append(cmd[-1]) or 1.0)
    startup.paired("t", ["a"], ["b"], runs=2)
    assert order == ["a", "b"] * 3  # one untimed run of each, then A B A B


def test_compare_trees_times_the_same_commands_in_each_checkout(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    calls = []
    monkeypatch.setattr(startup, "paired", lambda label, a, b, runs, a_cwd, b_cwd, first_run=False:
                        calls.append((a, b, a_cwd, b_cwd, first_run)) or startup.Paired(label, [1.0], [1.0]))
    pairs = startup.compare_trees(tmp_path, runs=1)
    assert len(pairs) == 3 and all(a == b and a_cwd == startup.REPO and b_cwd == tmp_path for a, b, a_cwd, b_cwd, _ in calls)
    assert calls[0][0][-1] == "--help"
    assert calls[1][0][3] == "run" and calls[1][0][5:7] == ["--engine", "apertium"]
    assert calls[2][:4] == calls[1][:4] and [c[4] for c in calls] == [False, False, True]  # then a first run


def test_runs_share_one_word_list_index_unless_timing_a_first_run(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    seen: list[str | None] = []
    script = [sys.executable, "-c", f"import os; print(os.environ.get({startup.INDEX_ENV!r}))"]
    real_run = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: seen.append(real_run(cmd, **kw).stdout.decode().strip())
                        or real_run(cmd, **kw))
    monkeypatch.setenv(startup.INDEX_ENV, str(tmp_path / "mine"))
    startup.wall(script)
    monkeypatch.delenv(startup.INDEX_ENV)
    startup.wall(script), startup.wall(script, first_run=True)
    assert seen == [str(tmp_path / "mine"), str(startup.WORDLIST_INDEX), "None"]


def test_main_prints_the_help_ratio_floor_and_baseline_pairs(monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    monkeypatch.setattr(startup, "measure_startup", lambda model, runs: startup.StartupReport(["translate"], [0.1], [0.02]))
    monkeypatch.setattr(startup, "paired", lambda label, a, b, runs=9, a_cwd=None, b_cwd=None, first_run=False:
                        startup.Paired(label, [2.0] * runs, [1.0] * runs))
    assert startup.main(["--pairs", "2", "--baseline", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "ratio **2.00** (median of 2 pairs) (target ≤ 1.6)" in out
    assert "rich-help floor" in out and "this tree / baseline" in out
