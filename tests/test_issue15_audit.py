"""Issue 15 audit: the gaps found between the issue and `translate run/align --ray`, each pinned.

The tests marked `ray` start Ray (one 2-CPU head for this module, started as tests/test_ray.py starts its
own); the others need neither a cluster nor, mostly, the extra. Plain `pytest` skips the Ray ones; `--with-ray` runs them.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.support import need, run_cli

ROOT = Path(__file__).resolve().parents[1]
FRENCH = (ROOT / "examples" / "sommet-otsc.fr.txt").read_text(encoding="utf-8")
ENGLISH = (ROOT / "examples" / "english" / "sommet-otsc.en.txt").read_text(encoding="utf-8")


def _have_ray() -> bool:
    try:
        import ray  # noqa: F401
        import ray.data  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """tests/test_ray.py's 2-CPU head on 127.0.0.1 (same start, ports, token and stop), for this module only."""
    need(_have_ray(), "the ray extra is not installed (pip install -e '.[ray]')")
    from tests import test_ray

    yield from test_ray.cluster.__wrapped__()


def _driver(address: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m translate.cli ARGS` joining the module's cluster with one actor (it is Ray's driver)."""
    import os

    return subprocess.run([sys.executable, "-m", "translate.cli", *args, "--ray-address", address, "--ray-actors", "1"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300, env={**os.environ, **(env or {})})


def _own_home(base: Path) -> dict[str, str]:
    """A run's own cache and config dirs (Ray forwards them to its workers)."""
    return {"TRANSLATE_CACHE_DIR": str(base / "cache"), "TRANSLATE_HOME": str(base / "config")}


# --- align --pairs: the English-side check of `translate align`, per pair, and --force ----------------------

def _pairs_folder(folder: Path) -> Path:
    """A pairs.tsv of two pairs: a real French/English pair, and one whose "English" is the French text."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.fr.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "good.en.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "twice.fr.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "pairs.tsv").write_text("good.fr.txt\tgood.en.txt\ntwice.fr.txt\ttwice.fr.txt\n", encoding="utf-8")
    return folder / "pairs.tsv"


def test_a_pair_whose_english_side_is_french_is_refused_before_aligning(tmp_path: Path):
    from translate.cli_align import align_write_options, pair_options
    from translate.distributed.pairs import AlignJob, align_pair
    from translate.errors import UserError

    _pairs_folder(tmp_path)
    french = tmp_path / "twice.fr.txt"
    job = AlignJob(formats=("tsv", "report"), output_dir=tmp_path / "out", write=align_write_options("fr", "en", False, False),
                   options=pair_options(3, 0.5))
    (tmp_path / "out").mkdir()
    with pytest.raises(UserError) as refused:
        align_pair(french, french, job, embedder=None)  # refused before the encoder is needed
    assert str(refused.value) == f"{french} looks like French, not English; use --force to align it anyway"
    assert not list((tmp_path / "out").iterdir())


def test_single_align_refuses_the_same_pair_in_the_same_words(tmp_path: Path):
    """The reference the pairs check must match: `translate align fr.txt fr.txt`."""
    _pairs_folder(tmp_path)
    french = tmp_path / "twice.fr.txt"
    result = run_cli("align", str(french), str(french), "-o", str(tmp_path / "out"), "--mt-assist", "off")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {french} looks like French, not English; use --force to align it anyway"]


@pytest.mark.ray
@pytest.mark.xdist_group("ray")  # one xdist worker runs every test that starts Ray (as in tests/test_ray.py)
def test_align_pairs_reports_a_french_english_side_and_aligns_the_others_then_force(tmp_path: Path, cluster: str):
    pairs = _pairs_folder(tmp_path / "pairs")
    out = tmp_path / "out"
    args = ["align", "--pairs", str(pairs), "-o", str(out), "--formats", "tsv,report"]
    first = _driver(cluster, *args, env=_own_home(tmp_path))
    twice = (tmp_path / "pairs" / "twice.fr.txt").absolute()
    assert first.returncode == 2, first.stderr
    lines = first.stderr.strip().splitlines()
    assert lines[0] == f"error: {twice} looks like French, not English; use --force to align it anyway", first.stderr
    assert lines[1].startswith("1 of 2 pairs aligned on Ray in "), first.stderr
    assert len(lines) == 2, first.stderr
    assert sorted(p.name for p in out.iterdir()) == ["good.fr-en.align-report.tsv", "good.fr-en.tsv"]

    forced = _driver(cluster, *args, "--force", env=_own_home(tmp_path))
    assert forced.returncode == 0, forced.stderr
    assert "resuming: 1 of 2 pairs already have all their outputs; skipped" in forced.stderr
    assert "1 of 2 pairs aligned on Ray, 1 already done" in forced.stderr
    assert (out / "twice.fr-en.tsv").is_file() and (out / "twice.fr-en.align-report.tsv").is_file()


# --- translate run MANIFEST --ray: a file listing the documents -------------------------------------------

def _manifest_inputs(base: Path) -> tuple[Path, list[Path]]:
    """Three documents in two folders and a manifest naming one by a relative path, one by its folder and
    one by an absolute path (with a comment and a blank line); (the manifest, the documents)."""
    texts = ["Le gouvernement a présenté mardi un projet de loi. Il sera débattu en janvier.",
             "La Banque centrale a relevé ses taux. Les marchés ont reculé.\n\nLe dollar a progressé.",
             "Le sommet de l'OTAN s'est ouvert à Vilnius. Les alliés ont discuté de l'Ukraine."]
    docs = [base / "a" / "one.fr.txt", base / "b" / "two.fr.txt", base / "c" / "three.fr.txt"]
    for path, text in zip(docs, texts):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    manifest = base / "lists" / "news.manifest"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(f"# this week's articles\n../a/one.fr.txt\n\n../b\n{docs[2].absolute()}\n", encoding="utf-8")
    return manifest, docs


def test_manifest_is_read_relative_to_its_folder(tmp_path: Path):
    from translate.manifest import read_manifest

    manifest, docs = _manifest_inputs(tmp_path)
    assert read_manifest(manifest) == [docs[0].absolute(), (tmp_path / "b").absolute(), docs[2].absolute()]


@pytest.mark.parametrize(("body", "message"), [
    ("one.fr.txt\nmissing.fr.txt\n", "{m}:2: no such file or folder: {d}/missing.fr.txt"),
    ("# nothing here\n\n", "{m} lists no documents"),
])
def test_bad_manifest_is_one_line_before_ray_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str,
                                                    message: str):
    import translate.distributed.cluster as cluster

    monkeypatch.setattr(cluster, "require_ray", lambda: None)  # no Ray needed: refused before connecting
    (tmp_path / "one.fr.txt").write_text("Le chat dort sur le canapé du salon.\n", encoding="utf-8")
    manifest = tmp_path / "week.manifest"
    manifest.write_text(body, encoding="utf-8")
    result = run_cli("run", str(manifest), "--ray-address", "127.0.0.1:9", "--engine", "apertium")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["error: " + message.format(m=manifest, d=tmp_path)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.fr.txt", "week.manifest"]


@pytest.mark.ray
@pytest.mark.xdist_group("ray")
def test_manifest_run_gives_the_single_process_outputs_of_its_documents(tmp_path: Path, cluster: str,
                                                                        synthetic_package: Path):
    import re

    manifest, docs = _manifest_inputs(tmp_path)
    model = ["--model", str(synthetic_package), "--no-default-glossary", "--formats", "txt,tsv,tmx,jsonl"]
    result = _driver(cluster, "run", str(manifest), "-o", str(tmp_path / "ray"), *model, env=_own_home(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "3 of 3 documents translated on Ray" in result.stderr, result.stderr
    single = run_cli("run", *map(str, docs), "-o", str(tmp_path / "single"), *model, "-q",
                     env=_own_home(tmp_path / "single-home"))
    assert single.returncode == 0, single.stderr
    dates = re.compile(r"\d{8}T\d{6}Z")
    names = sorted(p.name for p in (tmp_path / "single").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "ray").iterdir()) and len(names) == 12
    for name in names:
        got = dates.sub("D", (tmp_path / "ray" / name).read_text(encoding="utf-8"))
        assert got == dates.sub("D", (tmp_path / "single" / name).read_text(encoding="utf-8")), name


# --- --device cuda: one GPU per engine actor (checked without a GPU, through the real command) ------------

class _FakeDataset:
    """Records what the run asks Ray Data for; gives back no rows."""

    def __init__(self, calls: dict[str, Any]) -> None:
        self.calls = calls

    def map(self, fn: Any, **options: Any) -> "_FakeDataset":
        self.calls["map"] = options
        return self

    def map_batches(self, fn: Any, **options: Any) -> "_FakeDataset":
        self.calls["map_batches"] = (fn.__name__, options)
        return self

    def iter_rows(self) -> Iterator[dict[str, Any]]:
        return iter(())


class _FakeRay:
    """Enough of `ray` for `run_files`: a cluster of `resources`, datasets that record their options."""

    def __init__(self, resources: dict[str, float], calls: dict[str, Any]) -> None:
        self.resources = resources
        self.calls = calls
        self.data = self

    def cluster_resources(self) -> dict[str, float]:
        return self.resources

    def from_items(self, items: list, **options: Any) -> _FakeDataset:
        return _FakeDataset(self.calls)

    @staticmethod
    def ActorPoolStrategy(size: int) -> tuple[str, int]:  # noqa: N802 - ray.data's name
        return ("actors", size)


def _fake_cluster(monkeypatch: pytest.MonkeyPatch, resources: dict[str, float]) -> dict[str, Any]:
    import translate.distributed.cluster as cluster
    import translate.distributed.files as files
    import translate.distributed.pairs as pairs

    calls: dict[str, Any] = {}

    @contextmanager
    def connected(settings: Any) -> Iterator[_FakeRay]:
        calls["address"] = settings.address
        yield _FakeRay(resources, calls)

    monkeypatch.setattr(cluster, "require_ray", lambda: None)
    for module in (files, pairs):
        monkeypatch.setattr(module, "connected", connected)
    return calls


@pytest.mark.parametrize(("device", "cluster_gpus", "actors", "gpus"), [
    ("cuda", 2.0, 2, 1), ("cpu", 2.0, 4, 0),
    ("auto", 2.0, 2, 1),  # --device auto on a cluster with GPUs: a GPU each, as a lone run takes the machine's
    ("auto", 0.0, 4, 0),
])
def test_engine_actors_ask_one_gpu_each_with_device_cuda(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        synthetic_package: Path, device: str, cluster_gpus: float,
                                                        actors: int, gpus: int):
    calls = _fake_cluster(monkeypatch, {"CPU": 8.0, "GPU": cluster_gpus})
    (tmp_path / "a.fr.txt").write_text("Le chat dort sur le canapé du salon.\n", encoding="utf-8")
    result = run_cli("run", str(tmp_path / "a.fr.txt"), "-o", str(tmp_path / "out"), "--model", str(synthetic_package),
                     "--device", device, "--ray-address", "10.0.0.1:6379")
    assert result.returncode == 0, result.stderr
    name, options = calls["map_batches"]
    assert name == "FileActor" and calls["address"] == "10.0.0.1:6379"
    assert (options["num_gpus"], options["num_cpus"], options["compute"]) == (gpus, 1.0, ("actors", actors))


def test_device_cuda_on_a_cluster_without_gpu_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          synthetic_package: Path):
    _fake_cluster(monkeypatch, {"CPU": 8.0})
    (tmp_path / "a.fr.txt").write_text("Le chat dort sur le canapé du salon.\n", encoding="utf-8")
    result = run_cli("run", str(tmp_path / "a.fr.txt"), "-o", str(tmp_path / "out"), "--model", str(synthetic_package),
                     "--device", "cuda", "--ray")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["error: --device cuda under --ray: the Ray cluster has no GPU"]
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


# --- one progress bar for the collection ----------------------------------------------------------------

class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_collection_bar_shows_documents_sentences_rate_and_eta_on_a_terminal(monkeypatch: pytest.MonkeyPatch):
    from translate.distributed.bar import CollectionBar

    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setenv("COLUMNS", "160")
    import time

    with CollectionBar(40) as bar:
        bar.advance(5, 125)
        time.sleep(0.05)  # rich estimates the time remaining from two updates or more
        bar.advance(5, 125)
        bar._progress.refresh()  # what rich's refresh thread does ten times a second
        shown = screen.getvalue()
    assert "documents" in shown and "10/40" in shown
    assert "250 sentences" in shown and "sentences/s" in shown
    import re
    assert re.search(r"\d+:\d\d:\d\d", shown), shown  # the time remaining


def test_collection_bar_is_silent_off_a_terminal_or_when_quiet(monkeypatch: pytest.MonkeyPatch):
    from translate.distributed.bar import CollectionBar

    for screen, enabled in ((io.StringIO(), True), (_Terminal(), False)):
        monkeypatch.setattr(sys, "stderr", screen)
        with CollectionBar(3, enabled=enabled) as bar:
            bar.advance(3, 12)
        assert screen.getvalue() == "" and (bar.docs, bar.sentences) == (3, 12)


# --- packaging: the core install stays lean ------------------------------------------------------------

def test_no_module_of_the_run_or_align_commands_imports_ray_or_pyarrow():
    names = ["translate.cli", "translate.cli_align"] + [
        f"translate.distributed.{p.stem}" for p in sorted((ROOT / "translate" / "distributed").glob("*.py"))]
    code = (f"import importlib, sys\nfor name in {names!r}: importlib.import_module(name)\n"
            "print(sorted(m for m in ('ray', 'pyarrow', 'pandas') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_ray_is_an_optional_extra_not_a_dependency():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.lower().startswith(("ray", "pyarrow", "pandas"))]
    assert any(d.startswith("ray[data]") for d in project["optional-dependencies"]["ray"])


# --- a Parquet corpus in, JSONL segments out (the reverse of tests/test_ray.py's corpus run) ---------------

@pytest.mark.ray
@pytest.mark.xdist_group("ray")
def test_parquet_corpus_gives_jsonl_segments_and_a_merged_tmx(tmp_path: Path, cluster: str, synthetic_package: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = ["Le gouvernement a présenté mardi un projet de loi. Il sera débattu en janvier.",
             "La Banque centrale a relevé ses taux.\n\nLes marchés ont reculé. Le dollar a progressé.",
             "Le sommet de l'OTAN s'est ouvert à Vilnius. Les alliés ont discuté de l'Ukraine."]
    corpus = tmp_path / "wire.parquet"
    pq.write_table(pa.table({"id": ["w1", "w2", "w3"], "text": texts, "desk": ["eco", "eco", "int"]}), corpus)
    model = ["--model", str(synthetic_package), "--no-default-glossary"]
    result = _driver(cluster, "run", str(corpus), "-o", str(tmp_path / "out"), "--formats", "jsonl,tmx", *model,
                     env=_own_home(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "3 documents, 7 segments" in result.stderr, result.stderr
    segments = tmp_path / "out" / "wire.fr-en.segments.jsonl"
    assert segments.is_dir() and not list((tmp_path / "out").glob(".*"))
    rows = [json.loads(line) for part in sorted(segments.iterdir()) for line in part.read_text("utf-8").splitlines()]
    assert all(list(r) == ["doc_id", "paragraph", "sentence", "source", "target", "origin", "score", "translatable",
                           "qa", "glossary_hits", "glossary_repairs", "unknown_words", "meta"] for r in rows)

    expected = []
    for doc_id, text in zip(("w1", "w2", "w3"), texts):
        (tmp_path / "single" / f"{doc_id}.txt").parent.mkdir(exist_ok=True)
        (tmp_path / "single" / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
        single = run_cli("run", str(tmp_path / "single" / f"{doc_id}.txt"), "--formats", "jsonl", *model, "-q",
                         env=_own_home(tmp_path / "single-home"))
        assert single.returncode == 0, single.stderr
        for line in (tmp_path / "single" / f"{doc_id}.fr-en.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            expected.append((doc_id, record["paragraph"], record["id"], record["source"], record["target"],
                             record["origin"], record["score"], record["qa"]))
    got = [(r["doc_id"], r["paragraph"], r["sentence"], r["source"], r["target"], r["origin"], r["score"],
            json.loads(r["qa"])) for r in rows]
    got, expected = sorted(got, key=repr), sorted(expected, key=repr)
    assert [g[:6] + g[7:] for g in got] == [e[:6] + e[7:] for e in expected]
    assert [g[6] for g in got] == pytest.approx([e[6] for e in expected], rel=1e-14)  # JSONL: 15 digits (README)
    assert {r["doc_id"]: json.loads(r["meta"]) for r in rows} == {"w1": {"desk": "eco"}, "w2": {"desk": "eco"},
                                                                   "w3": {"desk": "int"}}
    tmx = (tmp_path / "out" / "wire.fr-en.tmx").read_text(encoding="utf-8")
    assert tmx.count("<tu ") == 7


# --- joining a cluster: an address where nothing answers, a cluster that wants a token ----------------------

def test_address_where_nothing_listens_is_one_line_at_once(tmp_path: Path):
    """Ray retries such an address for about a quarter of an hour, printing only its C++ warnings."""
    import socket

    need(_have_ray(), "the ray extra is not installed (pip install -e '.[ray]')")
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "a.fr.txt").write_text("Le chat dort sur le canapé du salon.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "translate.cli", "run", str(tmp_path / "a.fr.txt"), "--engine",
                             "apertium", "--ray-address", f"127.0.0.1:{port}"], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: cannot connect to Ray at 127.0.0.1:{port}: nothing answers there (Connection refused)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.fr.txt"]


@pytest.mark.ray
@pytest.mark.xdist_group("ray")
def test_cluster_wanting_a_token_the_driver_does_not_send_is_one_line_saying_how(tmp_path: Path, cluster: str):
    """Ray sends its token to an explicit address only under RAY_AUTH_MODE=token (`auto` finds it alone)."""
    import os

    (tmp_path / "a.fr.txt").write_text("Le chat dort sur le canapé du salon.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_AUTH")}
    env["RAY_gcs_server_port_wait_time_s"] = "2"  # Ray's own retries: 2 s instead of 20
    result = subprocess.run([sys.executable, "-m", "translate.cli", "run", str(tmp_path / "a.fr.txt"), "--engine",
                             "apertium", "--ray-address", cluster], capture_output=True, text=True, cwd=ROOT,
                            timeout=120, env=env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: cannot connect to Ray at {cluster}: the cluster wants its authentication token; set "
        "RAY_AUTH_MODE=token, with the head's token in RAY_AUTH_TOKEN or ~/.ray/auth_token"]


# --- --ray without an address: a local Ray started for the run, and gone after it ----------------------------

def _processes_with(env_entry: str) -> list[str]:
    """Command lines of the processes whose environment holds `env_entry` (Ray's processes inherit the driver's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if env_entry.encode() in (entry / "environ").read_bytes().split(b"\0"):
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    return found


@pytest.mark.ray
@pytest.mark.xdist_group("ray")
def test_local_ray_started_for_the_run_gives_the_outputs_and_leaves_nothing_running(tmp_path: Path,
                                                                                   synthetic_package: Path):
    import os
    import re
    import time

    need(_have_ray(), "the ray extra is not installed (pip install -e '.[ray]')")
    docs = tmp_path / "in"
    docs.mkdir()
    for i, text in enumerate(["Le gouvernement a présenté mardi un projet de loi.",
                              "La Banque centrale a relevé ses taux. Les marchés ont reculé."]):
        (docs / f"d{i}.fr.txt").write_text(text + "\n", encoding="utf-8")
    home = _own_home(tmp_path / "home")
    model = ["--model", str(synthetic_package), "--no-default-glossary", "--formats", "txt,tmx"]
    env = {**os.environ, **home, "RAY_ADDRESS": ""}  # a local Ray, whatever this shell points at
    result = subprocess.run([sys.executable, "-m", "translate.cli", "run", str(docs), "-o", str(tmp_path / "ray"),
                             *model, "--ray", "--ray-actors", "1"], capture_output=True, text=True, cwd=ROOT,
                            timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert "2 of 2 documents translated on Ray" in result.stderr
    marker = f"TRANSLATE_CACHE_DIR={home['TRANSLATE_CACHE_DIR']}"
    deadline = time.monotonic() + 20
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _processes_with(marker) == []  # no raylet, GCS or worker of that Ray left behind
    single = run_cli("run", str(docs), "-o", str(tmp_path / "single"), *model, "-q", env=_own_home(tmp_path / "h2"))
    assert single.returncode == 0, single.stderr
    dates = re.compile(r"\d{8}T\d{6}Z")
    for path in sorted((tmp_path / "single").iterdir()):
        assert dates.sub("D", (tmp_path / "ray" / path.name).read_text("utf-8")) == \
            dates.sub("D", path.read_text("utf-8")), path.name


# --- more actors than the cluster holds: Ray Data waits for them forever (seen: 2 actors on 2 CPUs) ---------

@pytest.mark.parametrize(("args", "resources", "message"), [
    (["--ray-actors", "2"], {"CPU": 2.0},
     "2 engine actors of 1 CPU each and 0.5 CPU for reading need 2.5 CPUs; the Ray cluster has 2 "
     "(Ray would wait for them forever): ask for fewer with --ray-actors"),
    ([], {"CPU": 1.0},
     "1 engine actor of 1 CPU each and 0.5 CPU for reading need 1.5 CPUs; the Ray cluster has 1 "
     "(Ray would wait for them forever): ask for fewer with --ray-actors"),
    (["--ray-actors", "3", "--device", "cuda"], {"CPU": 16.0, "GPU": 2.0},
     "3 engine actors with --device cuda need a GPU each; the Ray cluster has 2 (Ray would wait for them "
     "forever): ask for fewer with --ray-actors"),
])
def test_more_actors_than_the_cluster_holds_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        synthetic_package: Path, args: list[str],
                                                        resources: dict[str, float], message: str):
    calls = _fake_cluster(monkeypatch, resources)
    (tmp_path / "a.fr.txt").write_text("Le chat dort sur le canapé du salon.\n", encoding="utf-8")
    result = run_cli("run", str(tmp_path / "a.fr.txt"), "-o", str(tmp_path / "out"), "--model", str(synthetic_package),
                     "--ray", *args)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: {message}"]
    assert "map_batches" not in calls


def test_actors_that_fit_with_room_for_reading_are_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          synthetic_package: Path):
    calls = _fake_cluster(monkeypatch, {"CPU": 2.5})
    (tmp_path / "a.fr.txt").write_text("Le chat dort sur le canapé du salon.\n", encoding="utf-8")
    result = run_cli("run", str(tmp_path / "a.fr.txt"), "-o", str(tmp_path / "out"), "--model", str(synthetic_package),
                     "--ray", "--ray-actors", "2")
    assert result.returncode == 0, result.stderr
    assert calls["map_batches"][1]["compute"] == ("actors", 2)


@pytest.mark.parametrize(("actors", "fits"), [("2", True), ("3", False)])
def test_align_pairs_actors_must_fit_the_cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, actors: str,
                                                 fits: bool):
    calls = _fake_cluster(monkeypatch, {"CPU": 2.0})
    listing = _pairs_folder(tmp_path)
    result = run_cli("align", "--pairs", str(listing), "-o", str(tmp_path / "out"), "--ray", "--ray-actors", actors)
    if fits:  # encoder actors only: no reading tasks to leave room for
        assert result.returncode == 0, result.stderr
        assert calls["map_batches"][1]["compute"] == ("actors", 2)
    else:
        assert result.returncode == 2
        assert result.stderr.strip().splitlines() == [
            "error: 3 encoder actors of 1 CPU each need 3 CPUs; the Ray cluster has 2 (Ray would wait for them "
            "forever): ask for fewer with --ray-actors"]


# --- cross-document batching: one engine call for a batch of documents, the same result as one by one ------

def test_a_batch_of_documents_goes_to_the_engine_in_one_call_with_the_per_document_results():
    from translate.api import PipelineOptions, build_pipeline
    from translate.distributed.work import segment_text, translate_together
    from tests.support import FakeEngine

    texts = ["Le gouvernement a présenté mardi un projet de loi. Il sera débattu en janvier.",
             "La Banque centrale a relevé ses taux.\n\nLes marchés ont reculé. Le dollar a progressé.",
             "Le sommet de l'OTAN s'est ouvert à Vilnius."]
    options = PipelineOptions(default_glossary=True, cache=None)
    alone = []
    for i, text in enumerate(texts):
        alone.append(build_pipeline(FakeEngine(), options)(text, f"d{i}"))  # what `translate run` does
    engine = FakeEngine()
    together = [segment_text(text, f"d{i}") for i, text in enumerate(texts)]
    translate_together(build_pipeline(engine, options), together)
    assert engine.calls == [sum(len(d) for d in alone)] == [6]  # every sentence of the three, one call
    for one, batched in zip(alone, together):
        assert [(s.id, s.paragraph, s.target, s.origin, [f.to_json() for f in s.qa]) for s in batched] == \
            [(s.id, s.paragraph, s.target, s.origin, [f.to_json() for f in s.qa]) for s in one]
        assert batched.meta.engine == one.meta.engine
