"""Issue 15 audit: the gaps found between the issue and `translate run/align --ray`, each pinned.

The tests marked `ray` start Ray (one 2-CPU head for this module, started as tests/test_ray.py starts its
own); the others need neither a cluster nor, mostly, the extra. Skip the Ray ones with `-m "not ray"`.
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


def test_align_pairs_takes_force_and_still_needs_ray(tmp_path: Path):
    pairs = _pairs_folder(tmp_path)
    result = run_cli("align", "--pairs", str(pairs), "--force")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["error: --pairs aligns on Ray: add --ray (or --ray-address)"]
