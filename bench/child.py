"""Child processes: one command's wall time, peak RSS and CPU time, and how to start a worker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from bench import workers
from bench.workers import RESULT_PREFIX

REPO = Path(__file__).resolve().parent.parent


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
    """Command line running worker `name` of bench/workers.py; by path when another interpreter runs it."""
    payload = json.dumps(args)
    if python is None:
        return [sys.executable, "-m", "bench.workers", name, payload]
    return [python, str(Path(workers.__file__).resolve()), name, payload]


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.update(extra or {})
    return env
