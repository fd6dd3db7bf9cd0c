"""`translate run` single-process vs `--ray` (1 and 2 engine actors): documents/s, sentences/s, overhead.

Usage: ``python -m bench.ray_scale [--model base|tiny] [--docs 100] [--per-doc 20] [--rounds 3]``

A Ray head is started on 127.0.0.1 for the whole benchmark (as `ray start --head` on a cluster) and
the `--ray` runs join it with `--ray-address`, so each figure is what one job costs on a running
cluster; one extra row times `--ray` starting its own local Ray. Runs alternate (A B C A B C …) and
the median wall time of each is kept; `uptime` is printed before and after. Ray's own per-task and
per-actor-call overhead is measured with no-op calls, for the scaling estimate in bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "bench" / "results"


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def write_docs(folder: Path, docs: int, per_doc: int) -> int:
    """`docs` French files of `per_doc` sentences (two paragraphs each) from the bench corpus; sentences written."""
    from bench.synthetic import read_corpus

    lines = [fr for fr, _ in read_corpus()]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(docs):
        chunk = [lines[(i * 13 + k) % len(lines)] for k in range(per_doc)]
        half = per_doc // 2
        (folder / f"doc{i:04d}.fr.txt").write_text(" ".join(chunk[:half]) + "\n\n" + " ".join(chunk[half:]) + "\n",
                                                   encoding="utf-8")
    return docs * per_doc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_head(cpus: int, temp: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """A Ray head on 127.0.0.1 (own temp dir and ports, small object store); its process and address."""
    port = free_port()
    args = [str(Path(sys.executable).with_name("ray")), "start", "--head", "--block", "--node-ip-address", "127.0.0.1",
            "--port", str(port), "--num-cpus", str(cpus), "--num-gpus", "0", "--include-dashboard=false",
            "--disable-usage-stats", "--object-store-memory", str(200 * 1024 * 1024), "--temp-dir", str(temp)]
    for flag in ("dashboard-agent-listen-port", "dashboard-agent-grpc-port", "runtime-env-agent-port",
                 "metrics-export-port", "node-manager-port", "object-manager-port"):
        args += [f"--{flag}", str(free_port())]
    head = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(300):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return head, f"127.0.0.1:{port}"
        time.sleep(0.3)
    stop_head(head)
    raise SystemExit("the Ray head did not start")


def stop_head(head: subprocess.Popen) -> None:
    head.send_signal(signal.SIGTERM)
    try:
        head.wait(10)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(head.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    head.wait()


def timed_run(args: list[str], out: Path, env: dict[str, str]) -> float:
    """Wall seconds of one `translate run` into a fresh output folder (process start included)."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "translate.cli", "run", *args, "-o", str(out)], env=env,
                            cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"failed: {' '.join(args)}\n{result.stderr}")
    return seconds


def ray_call_overhead(address: str, calls: int = 200) -> tuple[float, float]:
    """Milliseconds per no-op Ray task and per no-op actor method call, each waited for in turn."""
    import ray

    ray.init(address=address, logging_level="ERROR", log_to_driver=False)
    try:
        @ray.remote(num_cpus=0)
        def noop(x: int) -> int:
            return x

        @ray.remote(num_cpus=0)
        class Echo:
            def call(self, x: int) -> int:
                return x

        ray.get(noop.remote(0))
        actor = Echo.remote()
        ray.get(actor.call.remote(0))
        started = time.perf_counter()
        for i in range(calls):
            ray.get(noop.remote(i))
        task_ms = (time.perf_counter() - started) * 1000 / calls
        started = time.perf_counter()
        for i in range(calls):
            ray.get(actor.call.remote(i))
        actor_ms = (time.perf_counter() - started) * 1000 / calls
        return task_ms, actor_ms
    finally:
        ray.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("base", "tiny"), default="base",
                        help="synthetic random package: transformer-base (realistic cost) or tiny")
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--per-doc", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-docs", type=int, default=16)
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    parser.add_argument("--no-local", action="store_true", help="skip the row where --ray starts its own Ray")
    opts = parser.parse_args()

    from bench.speed import ensure_package

    package = ensure_package(opts.results_dir, base=opts.model == "base")
    work = Path(tempfile.mkdtemp(prefix="ray-scale-", dir=opts.results_dir))
    docs = work / "docs"
    sentences = write_docs(docs, opts.docs, opts.per_doc)
    env = dict(os.environ, TRANSLATE_CACHE_DIR=str(work / "cache"), RAY_AUTH_MODE="token",
               RAY_AUTH_TOKEN=secrets.token_hex(32))
    env.pop("RAY_AUTH_TOKEN_PATH", None)
    common = [str(docs), "--model", str(package), "--no-cache", "-q", "--formats", "txt,tsv,tmx,jsonl,qa"]
    ray_temp = Path(tempfile.mkdtemp(prefix="ray-b", dir="/tmp"))
    print(f"load before: {uptime()}")
    print(f"model {package.name}; {opts.docs} documents × {opts.per_doc} sentences = {sentences} sentences")
    head, address = start_head(4, ray_temp, env)  # 4 logical CPUs: 2 actors + readers on 2 real cores
    try:
        os.environ.update({k: env[k] for k in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN")})
        task_ms, actor_ms = ray_call_overhead(address)
        variants = {
            "single process": [],
            "--ray, 1 actor": ["--ray-address", address, "--ray-actors", "1", "--ray-batch-docs", str(opts.batch_docs)],
            "--ray, 2 actors": ["--ray-address", address, "--ray-actors", "2", "--ray-batch-docs", str(opts.batch_docs)],
        }
        one_doc = work / "one"
        write_docs(one_doc, 1, 1)
        fixed = {"--ray, 1 actor (1 document of 1 sentence)":
                 [str(one_doc), "--model", str(package), "--no-cache", "-q", "--ray-address", address, "--ray-actors", "1"]}
        times: dict[str, list[float]] = {name: [] for name in [*variants, *fixed]}
        for _ in range(opts.rounds):
            for name, extra in variants.items():
                times[name].append(timed_run([*common, *extra], work / "out", env))
            for name, args in fixed.items():
                times[name].append(timed_run(args, work / "out", env))
    finally:
        stop_head(head)
        shutil.rmtree(ray_temp, ignore_errors=True)
    if not opts.no_local:
        local_env = dict(env)
        times["--ray, local Ray started for the run (1 actor)"] = [
            timed_run([*common, "--ray", "--ray-actors", "1"], work / "out", local_env)]
    print(f"load after: {uptime()}")
    base = statistics.median(times["single process"])
    print("\n| run | seconds (runs) | median s | documents/s | sentences/s | vs single process |")
    print("|---|---|---|---|---|---|")
    for name, runs in times.items():
        median = statistics.median(runs)
        one = name.startswith("--ray, 1 actor (1 document")
        n_docs, n_sent = (1, 1) if one else (opts.docs, sentences)
        ratio = "" if one else f"{median / base - 1:+.0%}"
        print(f"| {name} | {', '.join(f'{t:.1f}' for t in runs)} | {median:.2f} | {n_docs / median:.1f} | "
              f"{n_sent / median:.1f} | {ratio} |")
    fixed_s = statistics.median(times["--ray, 1 actor (1 document of 1 sentence)"])
    one_actor = statistics.median(times["--ray, 1 actor"])
    per_actor = sentences / max(one_actor - fixed_s, 1e-9)
    print(f"\nRay no-op task: {task_ms:.2f} ms; no-op actor call: {actor_ms:.2f} ms (sequential round trips)")
    print(f"fixed cost of a --ray job on a running cluster (1 sentence): {fixed_s:.2f} s")
    print(f"per-actor rate, fixed cost removed: {per_actor:.1f} sentences/s")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
