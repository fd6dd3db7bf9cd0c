"""`translate run --ray`: a real Ray cluster on 127.0.0.1 gives the single-process outputs, byte for byte.

One cluster (`ray start --head --block`, 2 CPUs, a small object store) serves the whole module and is
stopped by terminating the process that started it. Skip these tests with `-m "not ray"`.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.support import need, run_cli

pytestmark = [pytest.mark.ray, pytest.mark.xdist_group("ray")]  # one worker holds the cluster under xdist

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "bench" / "corpus.fr-en.txt"
DATES = re.compile(r"\d{8}T\d{6}Z|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
"""TMX and XLIFF creation dates: the only bytes allowed to differ between two runs."""

try:
    import ray  # noqa: F401
except ImportError:
    need(False, "the ray extra is not installed (pip install -e '.[ray]')", module=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def cluster() -> str:
    """A 2-CPU Ray head on 127.0.0.1 for the whole session; its address."""
    port = _free_port()
    temp = tempfile.mkdtemp(prefix="ray-t", dir="/tmp")  # socket paths must stay short
    ray_bin = Path(sys.executable).with_name("ray")
    ports = {f"--{name}": str(_free_port()) for name in (
        "dashboard-agent-listen-port", "dashboard-agent-grpc-port",
        "runtime-env-agent-port", "metrics-export-port", "node-manager-port", "object-manager-port")}
    args = [str(ray_bin), "start", "--head", "--block", "--node-ip-address", "127.0.0.1", "--port", str(port),
            "--num-cpus", "2", "--num-gpus", "0", "--include-dashboard=false", "--disable-usage-stats",
            "--object-store-memory", str(100 * 1024 * 1024), "--temp-dir", temp]
    for flag, value in ports.items():
        args += [flag, value]
    # token authentication (Ray's default) with a token of our own, so that ~/.ray/auth_token is not involved
    saved = {k: os.environ.get(k) for k in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH")}
    os.environ.pop("RAY_AUTH_TOKEN_PATH", None)
    os.environ.update(RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=secrets.token_hex(32))
    head = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    address = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if head.poll() is not None:
            pytest.fail(f"ray start failed: {head.stderr.read().decode()[-2000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.3)
    else:
        head.kill()
        pytest.fail("the Ray head did not open its port within 90 s")
    yield address
    head.send_signal(signal.SIGTERM)  # `ray start --block` stops the processes it started...
    try:
        head.wait(3)  # it takes 2 s when it does; at the end of a suite it often never did (10 s lost waiting)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(head.pid, signal.SIGKILL)  # ...and whatever is left of its own process group goes now
    except ProcessLookupError:
        pass
    head.wait()
    shutil.rmtree(temp, ignore_errors=True)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _translate(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """The command: a Ray run in its own process (it is Ray's driver), a single-process one in this one."""
    if any(flag in args for flag in ("--ray", "--ray-address", "--pairs")):
        result = subprocess.run([sys.executable, "-m", "translate.cli", *args], capture_output=True, text=True,
                                cwd=ROOT, timeout=300)
    else:
        result = run_cli(*args)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def _sentences() -> list[str]:
    return [line.split("\t")[0] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _texts(count: int, per_doc: int) -> list[str]:
    """`count` French documents of `per_doc` sentences in two paragraphs, each a different slice of the corpus."""
    lines = _sentences()
    texts = []
    for i in range(count):
        chunk = [lines[(i * 7 + k) % len(lines)] for k in range(per_doc)]
        half = max(1, per_doc // 2)
        texts.append(" ".join(chunk[:half]) + "\n\n" + " ".join(chunk[half:]) + "\n")
    return texts


def _write_docs(folder: Path, texts: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (folder / f"article{i:02d}.fr.txt").write_text(text, encoding="utf-8")
    return folder


def _outputs(folder: Path) -> dict[str, str]:
    return {p.name: DATES.sub("DATE", p.read_text(encoding="utf-8")) for p in sorted(folder.iterdir())}


def _same_outputs(single: Path, distributed: Path) -> None:
    expected, got = _outputs(single), _outputs(distributed)
    assert sorted(got) == sorted(expected)
    for name in expected:
        assert got[name] == expected[name], name


def _model_args(synthetic_package: Path) -> list[str]:
    return ["--model", str(synthetic_package), "--no-default-glossary"]


def test_directory_gives_the_single_process_outputs(tmp_path, cluster, synthetic_package):
    docs = _write_docs(tmp_path / "in", _texts(24, 8))
    formats = ["--formats", "txt,tsv,tmx,jsonl,xliff,qa"]
    _translate("run", str(docs), "-o", str(tmp_path / "single"), *formats, *_model_args(synthetic_package), "-q")
    result = _translate("run", str(docs), "-o", str(tmp_path / "ray"), *formats, *_model_args(synthetic_package),
                        "--ray-address", cluster, "--ray-batch-docs", "5")
    assert "24 of 24 documents translated on Ray" in result.stderr
    assert "Traceback" not in result.stderr and "core_worker" not in result.stderr, result.stderr
    _same_outputs(tmp_path / "single", tmp_path / "ray")


def test_apertium_directory_gives_the_single_process_outputs(tmp_path, cluster):
    from translate.engines.apertium import apertium_status

    ok, why = apertium_status()
    need(ok, f"Apertium is not usable here: {why}")
    docs = _write_docs(tmp_path / "in", _texts(20, 2))
    _translate("run", str(docs), "-o", str(tmp_path / "single"), "--engine", "apertium", "-q")
    _translate("run", str(docs), "-o", str(tmp_path / "ray"), "--engine", "apertium", "--ray-address", cluster, "-q")
    _same_outputs(tmp_path / "single", tmp_path / "ray")


def test_rerun_skips_finished_documents(tmp_path, cluster, synthetic_package):
    docs = _write_docs(tmp_path / "in", _texts(20, 4))
    out = tmp_path / "out"
    run = ["run", str(docs), "-o", str(out), *_model_args(synthetic_package), "--ray-address", cluster]
    _translate(*run, "-q")
    before = {p.name: p.stat().st_ino for p in out.iterdir()}
    gone = sorted(out.glob("article03.*")) + sorted(out.glob("article11.*"))
    for path in gone:
        path.unlink()
    result = _translate(*run)
    assert "resuming: 18 of 20 documents already have all their outputs" in result.stderr
    assert "2 of 20 documents translated on Ray, 18 already done" in result.stderr
    after = {p.name: p.stat().st_ino for p in out.iterdir()}
    assert sorted(after) == sorted(before)
    redone = {p.name for p in gone}
    assert all(after[n] == before[n] for n in after if n not in redone)  # finished documents untouched
    _translate("run", str(docs), "-o", str(tmp_path / "single"), *_model_args(synthetic_package), "-q")
    _same_outputs(tmp_path / "single", out)


def test_partly_written_document_is_refused_without_overwrite(tmp_path, cluster, synthetic_package):
    docs = _write_docs(tmp_path / "in", _texts(2, 2))
    out = tmp_path / "out"
    out.mkdir()
    (out / "article01.en.txt").write_text("stale\n", encoding="utf-8")
    result = _translate("run", str(docs), "-o", str(out), *_model_args(synthetic_package), "--ray-address", cluster,
                        check=False)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: {out / 'article01.en.txt'} already exists; "
                                                  "use --overwrite to replace it"]


def _actor_pids(marker: str) -> list[int]:
    """Processes of this user whose command line (Ray's process title) names the actor class."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if cmdline.startswith("ray::") and marker in cmdline:
            pids.append(int(entry.name))
    return pids


def test_killed_engine_actor_is_retried_and_outputs_are_identical(tmp_path, cluster, synthetic_package):
    docs = _write_docs(tmp_path / "in", _texts(30, 30))
    out = tmp_path / "ray"
    env = dict(os.environ)
    command = [sys.executable, "-m", "translate.cli", "run", str(docs), "-o", str(out), "--formats", "txt,jsonl",
               *_model_args(synthetic_package), "--ray-address", cluster, "--ray-batch-docs", "2", "--no-cache"]
    run = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed_at = None
    deadline = time.monotonic() + 240
    while run.poll() is None and time.monotonic() < deadline:
        written = len(list(out.glob("*.en.txt"))) if out.exists() else 0
        pids = _actor_pids("FileActor")
        if written and pids:
            os.kill(pids[0], signal.SIGKILL)
            killed_at = written
            break
        time.sleep(0.02)
    stdout, stderr = run.communicate(timeout=240)
    assert killed_at is not None and killed_at < 30, f"no engine actor was killed mid-run: {stderr}"
    assert run.returncode == 0, stderr
    assert "30 of 30 documents translated on Ray" in stderr
    _translate("run", str(docs), "-o", str(tmp_path / "single"), "--formats", "txt,jsonl",
               *_model_args(synthetic_package), "-q", "--no-cache")
    _same_outputs(tmp_path / "single", out)


def test_jsonl_corpus_gives_the_single_process_segments(tmp_path, cluster, synthetic_package):
    texts = _texts(20, 6)
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"n{i}", "text": t, "source": "wire"}, ensure_ascii=False) + "\n"
                              for i, t in enumerate(texts)), encoding="utf-8")
    out = tmp_path / "out"
    result = _translate("run", str(corpus), "-o", str(out), "--formats", "parquet,tmx",
                        *_model_args(synthetic_package), "--ray-address", cluster, "--ray-batch-docs", "4")
    assert "20 documents, 120 segments" in result.stderr, result.stderr
    import pyarrow.parquet as pq

    rows = pq.read_table(out / "news.fr-en.segments.parquet").to_pylist()
    assert not list(out.glob(".*.part"))
    docs = _write_docs(tmp_path / "in", texts)
    _translate("run", str(docs), "-o", str(tmp_path / "single"), "--formats", "jsonl",
               *_model_args(synthetic_package), "-q")
    expected = []
    for i in range(len(texts)):
        for line in (tmp_path / "single" / f"article{i:02d}.fr-en.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            expected.append((f"n{i}", record["paragraph"], record["id"], record["source"], record["target"],
                             record["origin"], record["score"], record["qa"]))
    got = [(r["doc_id"], r["paragraph"], r["sentence"], r["source"], r["target"], r["origin"], r["score"],
            json.loads(r["qa"])) for r in rows]
    assert sorted(got, key=repr) == sorted(expected, key=repr)
    assert all(json.loads(r["meta"]) == {"source": "wire"} for r in rows)
    tmx = (out / "news.fr-en.tmx").read_text(encoding="utf-8")
    assert tmx.count("<tu ") == 120 and 'tuid="120"' in tmx


def test_parquet_corpus_without_text_column_is_one_line(tmp_path, cluster, synthetic_package):
    import pyarrow as pa
    import pyarrow.parquet as pq

    corpus = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"id": ["a"], "body": ["Le chat dort."]}), corpus)
    result = _translate("run", str(corpus), "-o", str(tmp_path / "out"), *_model_args(synthetic_package),
                        "--ray-address", cluster, check=False)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: {corpus} needs columns id and text (it has body, id)"]
    assert not (tmp_path / "out" / "bad.fr-en.segments.parquet").exists()


def test_align_pairs_give_the_single_pair_outputs(tmp_path, cluster):
    french = (ROOT / "examples" / "sommet-otsc.fr.txt").read_text(encoding="utf-8").split("\n\n")
    english = (ROOT / "examples" / "english" / "sommet-otsc.en.txt").read_text(encoding="utf-8").split("\n\n")
    folder = tmp_path / "pairs"
    folder.mkdir()
    lines = []
    for i in range(2):  # two different pairs: the article from its i-th paragraph on
        (folder / f"text{i}.fr.txt").write_text("\n\n".join(french[i:]), encoding="utf-8")
        (folder / f"text{i}.en.txt").write_text("\n\n".join(english[i:]), encoding="utf-8")
        lines.append(f"text{i}.fr.txt\ttext{i}.en.txt")
    (folder / "pairs.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _translate("align", "--pairs", str(folder / "pairs.tsv"), "-o", str(tmp_path / "ray"),
                        "--ray-address", cluster, "--ray-batch-docs", "2")
    assert "2 of 2 pairs aligned on Ray" in result.stderr, result.stderr
    for i in range(2):
        _translate("align", str(folder / f"text{i}.fr.txt"), str(folder / f"text{i}.en.txt"),
                   "-o", str(tmp_path / "single"), "-q")
    _same_outputs(tmp_path / "single", tmp_path / "ray")
    again = _translate("align", "--pairs", str(folder / "pairs.tsv"), "-o", str(tmp_path / "ray"),
                       "--ray-address", cluster)
    assert "resuming: 2 of 2 pairs already have all their outputs" in again.stderr


def test_align_pairs_without_ray_is_one_line(tmp_path):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("a.fr.txt\ta.en.txt\n", encoding="utf-8")
    result = _translate("align", "--pairs", str(pairs), check=False)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["error: --pairs aligns on Ray: add --ray (or --ray-address)"]


def test_ray_is_imported_only_under_the_flag():
    code = "import sys, translate.cli, translate.distributed.command\nprint('ray' in sys.modules, 'pyarrow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.split() == ["False", "False"]


def test_missing_ray_extra_is_one_line(tmp_path):
    (tmp_path / "a.txt").write_text("Le gouvernement a présenté mardi un projet de loi.\n", encoding="utf-8")
    code = ("import sys\nsys.modules['ray'] = None  # as if the extra were not installed\n"
            "from translate.cli import main\nsys.argv = ['translate', 'run', sys.argv[1], '--ray']\nmain()\n")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "a.txt")], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: --ray needs Ray: pip install 'translate-fr-en[ray]' (or pip install 'ray[data]')"]
    assert not list(tmp_path.glob("a.*.*"))


def test_incomplete_model_is_refused_before_ray_as_without_it(tmp_path, cluster):
    broken = tmp_path / "broken-model"
    (broken / "model").mkdir(parents=True)
    (broken / "model" / "model.bin").write_bytes(b"not a model")
    docs = _write_docs(tmp_path / "in", _texts(2, 2))
    args = ["run", str(docs), "-o", str(tmp_path / "out"), "--model", str(broken)]
    single = _translate(*args, check=False)
    distributed = _translate(*args, "--ray-address", cluster, check=False)
    assert distributed.returncode == single.returncode == 2
    assert distributed.stderr.strip().splitlines() == single.stderr.strip().splitlines()
    assert len(single.stderr.strip().splitlines()) == 1


def test_engine_failing_in_its_actor_is_one_line(tmp_path, cluster, synthetic_package):
    broken = tmp_path / "corrupt-model"
    shutil.copytree(synthetic_package, broken)
    (broken / "model" / "model.bin").write_bytes(b"not a model")  # every file there, but unloadable
    docs = _write_docs(tmp_path / "in", _texts(2, 2))
    result = _translate("run", str(docs), "-o", str(tmp_path / "out"), "--model", str(broken), "--ray-address",
                        cluster, check=False)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the Ray run failed: "), result.stderr
    assert result.stdout == ""
    kept = re.search(r"\(Ray's messages: (\S+\.log)\)$", lines[0])
    assert kept and Path(kept.group(1)).is_file()  # Ray's log of the failed run is kept and named
    Path(kept.group(1)).unlink()
    assert not list((tmp_path / "out").glob("*.en.txt"))
