"""Issue 14 (bounded resources), input side: endless and huge inputs, outputs that appear during a run,
temporaries left by a hard kill, SIGTERM, names too long. Every case runs the real command."""

from __future__ import annotations

import os
import random
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import run_cli
from translate.errors import UserError
from translate.segment import segment_document

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sommet-otsc.fr.txt"
MEMORY_LIMIT = 2 * 2**30
"""Address-space limit for children that read endless inputs: before the fix they failed at this size
with MemoryError instead of eating the machine's memory."""


def cli(*args: str, timeout: float = 120, limit_memory: bool = False, **kwargs) -> subprocess.CompletedProcess:
    if not limit_memory and not kwargs:
        return run_cli(*args, timeout=timeout)  # in-process: only the memory cap needs a child

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run([sys.executable, "-m", "translate.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, preexec_fn=cap if limit_memory else None, **kwargs)


def one_line(result: subprocess.CompletedProcess, code: int, *words: str) -> str:
    assert result.returncode == code, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


def number_text(size: int, seed: int = 0) -> str:
    """Paragraphs of digits: segmented, checked and written like prose but copied, not sent to the engine,
    so a multi-megabyte input runs in seconds."""
    rng = random.Random(seed)
    lines, total = [], 0
    while total < size:
        line = " ".join(str(rng.randint(100, 999)) for _ in range(20)) + "."
        lines.append(line)
        total += len(line) + 2
    return "\n\n".join(lines) + "\n"


# --- 14.2: endless inputs are refused, huge ones streamed ---------------------------------------------

@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_that_never_end_are_refused_at_once(tmp_path, device):
    out = tmp_path / "out"
    one_line(cli("run", device, "-o", str(out), limit_memory=True), 2, device, "character device")
    one_line(cli("align", device, str(EXAMPLE), "-o", str(out), limit_memory=True), 2, "character device")
    assert not out.exists() or not any(out.iterdir())


def test_an_endless_pipe_is_refused_after_a_bounded_read(tmp_path, synthetic_package):
    out = tmp_path / "out"
    script = (f'"{sys.executable}" -m translate.cli run <(yes "Le conseil municipal a voté le budget.") '
              f'-o "{out}" --model "{synthetic_package}"')

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT,
                            preexec_fn=cap)
    one_line(result, 2, "not a regular file", "64 MiB")
    assert not out.exists() or not any(out.iterdir())


def test_a_short_pipe_is_translated(tmp_path, synthetic_package):
    out = tmp_path / "out"
    script = f'"{sys.executable}" -m translate.cli run <(cat "{EXAMPLE}") -o "{out}" --model "{synthetic_package}" -q'
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert len([p for p in out.iterdir() if p.name.endswith(".en.txt")]) == 1


def test_align_refuses_a_text_too_large_to_align_whole(tmp_path):
    big = tmp_path / "big.fr.txt"
    big.write_text(number_text(8 * 2**20 + 1000), encoding="utf-8")
    one_line(cli("align", str(big), str(EXAMPLE), "-o", str(tmp_path / "out"), timeout=60), 2, "MiB", "split it")


def test_a_line_without_end_is_refused(tmp_path, synthetic_package):
    source = tmp_path / "oneline.fr.txt"
    source.write_text("Le maire a parlé " * 700_000, encoding="utf-8")  # 11.9 M characters, no line break
    result = cli("run", str(source), "--model", str(synthetic_package), "-o", str(tmp_path / "out"))
    one_line(result, 2, "line", "without a line break")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def _peak_rss_mb(*args: str) -> float:
    """Peak resident memory of one command, measured by a child of a fresh process."""
    probe = ("import resource, subprocess, sys\n"
             "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
             "assert r.returncode == 0, r.stderr.decode()[-2000:]\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    done = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "translate.cli", *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip()) / 1024


def test_memory_does_not_grow_with_the_input(tmp_path, synthetic_package):
    small, big = tmp_path / "small.fr.txt", tmp_path / "big.fr.txt"
    small.write_text(number_text(400_000), encoding="utf-8")
    big.write_text(number_text(4_000_000, seed=1), encoding="utf-8")
    common = ("--model", str(synthetic_package), "-q", "--no-cache")
    rss_small = _peak_rss_mb("run", str(small), "-o", str(tmp_path / "a"), *common)
    rss_big = _peak_rss_mb("run", str(big), "-o", str(tmp_path / "b"), *common)
    # read whole, the 10x larger input took ~85 MB more (17x its size in Python objects); streamed ~10 MB
    assert rss_big - rss_small < 40, (rss_small, rss_big)
    assert (tmp_path / "b" / "big.en.txt").read_text(encoding="utf-8") == big.read_text(encoding="utf-8")


def test_streamed_outputs_equal_the_whole_document_render(tmp_path, synthetic_package):
    """A 1.3 MB input goes through in three chunks; every output must equal the one-piece rendering."""
    from translate.api import PipelineOptions, build_pipeline
    from translate.engines.base import EngineOptions
    from translate.formats import WriteOptions, writers
    from translate.engines.registry import select_engine

    french = EXAMPLE.read_text(encoding="utf-8")
    hard_wrapped = "\n".join(line[:70] + ("\n" + line[70:] if len(line) > 70 else "") for line in french.splitlines())
    parts = [number_text(300_000, seed=n) + "\n" + (french if n % 2 else hard_wrapped) for n in range(4)]
    text = "\n\n".join(parts)
    source = tmp_path / "mix.fr.txt"
    source.write_text(text, encoding="utf-8")
    result = cli("run", str(source), "--model", str(synthetic_package), "-o", str(tmp_path / "out"), "--no-cache",
                 "--formats", "txt,tsv,tmx,jsonl,qa,xliff", "--tmx-paragraph-units", "-q", timeout=300)
    assert result.returncode == 0, result.stderr

    engine = select_engine("argos", synthetic_package, EngineOptions())
    try:
        document = build_pipeline(engine, PipelineOptions())(text, name=source.name)
    finally:
        engine.close()
    options = WriteOptions(paragraph_units=True)
    dates = re.compile(r'(creationdate|date)="[^"]*"')
    for name in ("txt", "tsv", "tmx", "jsonl", "qa", "xliff"):  # the formats the run above wrote
        writer = writers()[name]
        written = (tmp_path / "out" / writer.filename("mix", options)).read_text(encoding="utf-8")
        assert dates.sub("", written) == dates.sub("", writer.render(document, options)), name


def test_chunks_segment_like_the_whole_text():
    """Cut anywhere the chunker may cut, with pieces of any size: same paragraphs, sentences and layout."""
    from translate.chunks import ChunkLimits, paragraph_chunks

    french = EXAMPLE.read_text(encoding="utf-8")
    wrapped = "\n".join(line[:50] + ("\n" + line[50:] if len(line) > 50 else "") for line in french.splitlines())
    rng = random.Random(3)
    for text in (french, wrapped, wrapped.replace("\n", "\r\n"), "\n \n" + french.replace("\n", "\r")):
        whole = segment_document(text)
        for chunk_chars in (1, 200, 5000):
            pieces, at = [], 0
            while at < len(text):
                step = rng.randint(1, 400)
                pieces.append(text[at:at + step])
                at += step
            chunks = list(paragraph_chunks(pieces, limits=ChunkLimits(chunk_chars=chunk_chars)))
            assert "".join(chunks) == text
            got, first_id = [], 0
            for number, chunk in enumerate(chunks):
                document = segment_document(chunk)
                assert number == 0 or document.head == ""
                got += [(s.id + first_id, s.source, s.space_after) for s in document]
                got += [(p.lead, p.separator) for p in document.paragraphs]  # type: ignore[misc]
                first_id += len(document)
            expected = [(s.id, s.source, s.space_after) for s in whole]
            layout = [(p.lead, p.separator) for p in whole.paragraphs]
            assert [g for g in got if len(g) == 3] == expected
            assert [g for g in got if len(g) == 2] == layout


def _wait_for_part(out: Path, process: subprocess.Popen, suffix: str) -> Path | None:
    """The hidden temporary of the output ending in `suffix`, once it holds data (None if the run ended)."""
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        for path in out.glob(f".*{suffix}*.part") if out.exists() else ():
            try:
                if path.stat().st_size > 0:
                    return path
            except FileNotFoundError:
                pass
        time.sleep(0.02)
    return None


def test_outputs_grow_during_the_run_and_sigterm_stops_like_ctrl_c(tmp_path, synthetic_package):
    source = tmp_path / "long.fr.txt"
    source.write_text(number_text(12_000_000), encoding="utf-8")
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "translate.cli", "run", str(source), "--model",
                                str(synthetic_package), "-o", str(out)],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=ROOT)
    try:
        part = _wait_for_part(out, process, ".en.txt")
        running = process.poll() is None
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert part is not None and running, "the English was not written while the input was being translated"
    assert process.returncode == 143, stderr
    assert stderr == "error: interrupted; no partial outputs were written; run it again to resume from the cache\n"
    assert not out.exists() or list(out.iterdir()) == []  # no outputs, no temporaries


# --- 14.7: a file that appears during the run is never replaced ------------------------------------

def test_an_output_made_during_the_run_is_kept(tmp_path, synthetic_package):
    source = tmp_path / "doc.fr.txt"
    source.write_text(number_text(3_000_000), encoding="utf-8")
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "translate.cli", "run", str(source), "--model",
                                str(synthetic_package), "-o", str(out)],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while not list(out.glob(".doc.fr-en.tsv*.part")) if out.exists() else True:
            assert process.poll() is None and time.monotonic() < deadline, "no temporary output during the run"
            time.sleep(0.01)
        (out / "doc.fr-en.tsv").write_text("made by hand\n", encoding="utf-8")
        _, stderr = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 2, stderr
    assert stderr.count("\n") == 1 and "doc.fr-en.tsv appeared" in stderr and "kept" in stderr, stderr
    assert sorted(p.name for p in out.iterdir()) == ["doc.fr-en.tsv"]  # all or none, no temporaries
    assert (out / "doc.fr-en.tsv").read_text(encoding="utf-8") == "made by hand\n"


def test_staged_files_take_back_what_they_placed_when_one_name_is_taken(tmp_path):
    from translate.outputs import StagedFiles

    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    with pytest.raises(UserError, match="b.txt appeared"):
        with StagedFiles([first, second]) as staged:
            staged.write(first, "one")
            staged.write(second, "two")
            second.write_text("theirs", encoding="utf-8")
            staged.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.txt"]
    assert second.read_text(encoding="utf-8") == "theirs"


# --- 14.10: temporaries of killed runs are cleaned, only ours and only stale -----------------------

def test_stale_temporaries_of_killed_runs_are_removed(tmp_path, synthetic_package):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    hour_ago = time.time() - 2 * 3600
    stale_dead_pid = out / f".sommet-otsc.en.txt.translate-{dead.pid}-abcd1234.part"
    stale_old_style = out / ".sommet-otsc.fr-en.tmx.k3j5h2g1.part"
    live_run = out / f".other.en.txt.translate-{os.getpid()}-zzzz9999.part"
    fresh_old_style = out / ".sommet-otsc.fr-en.tsv.q1w2e3r4.part"
    someone_elses = out / ".notes.part"
    for path in (stale_dead_pid, stale_old_style, live_run, fresh_old_style, someone_elses):
        path.write_text("x", encoding="utf-8")
    os.utime(stale_old_style, (hour_ago, hour_ago))
    os.utime(someone_elses, (hour_ago, hour_ago))
    result = cli("run", str(EXAMPLE), "--model", str(synthetic_package), "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    assert "removed 2 temporary file(s)" in result.stderr
    left = {p.name for p in out.iterdir() if p.name.startswith(".")}
    assert left == {live_run.name, fresh_old_style.name, someone_elses.name}


# --- 14.13: names too long are one line, before any work --------------------------------------------

def test_names_too_long_for_the_file_system(tmp_path, synthetic_package):
    fits = tmp_path / ("b" * 240 + ".fr.txt")  # its outputs fit in 255 bytes, their temporaries did not
    fits.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("run", str(fits), "--model", str(synthetic_package), "-o", str(tmp_path / "a"), "-q")
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "a").iterdir())) == 5

    too_long = tmp_path / ("c" * 246 + ".fr.txt")  # c….fr-en.jsonl would be 257 bytes
    too_long.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b").mkdir()
    result = cli("run", str(too_long), "--model", str(synthetic_package), "-o", str(tmp_path / "b"))
    one_line(result, 2, "longer than the 255", "rename the input")
    assert not any((tmp_path / "b").iterdir())

    missing = tmp_path / ("d" * 300 + ".fr.txt")
    one_line(cli("run", str(missing)), 2, "cannot read", "File name too long")
