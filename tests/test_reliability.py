"""Whatever a user points `translate` at: one clear line and the right exit code, never a traceback,
a half-written file, mojibake or lost text. Every case runs the real command in a subprocess.

Cases already proven elsewhere are not repeated: empty, whitespace-only and NUL-byte PNG input,
missing files, a directory with bad files, existing outputs and non-French input (tests/test_cli.py);
decoding details (tests/test_textio.py); `.argosmodel` refusals (tests/test_models.py); glossary rows
(tests/test_glossary_formats.py); cache resume in-process (tests/test_cache.py).

The synthetic copy model returns its input, and with the glossary and English typography off the
English must equal the French character for character: that makes loss, reordering and mojibake visible.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from support import ROOT, run_cli, run_cli_on_terminal
from translate.engines.apertium import apertium_status
from translate.cache import DB_NAME
from translate.outputs import write_all

FRENCH = (
    "Le président de la République a déclaré mardi que la réforme des retraites serait présentée au "
    "Conseil des ministres avant l’été. Les syndicats ont appelé à une nouvelle journée de grève.\n"
    "\n"
    "À Marseille, le maire a annoncé la création de deux écoles et d’un gymnase dans les quartiers nord.\n"
)
PLAIN = ("--no-default-glossary", "--no-typography")
"""With the copy model these make the English equal to the French."""


def one_line(result: subprocess.CompletedProcess, code: int, *words: str) -> str:
    """Assert the command failed with `code` and exactly one stderr line holding `words`; return it."""
    assert result.returncode == code, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr.strip()


def translate(source: Path, model: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_cli("run", str(source), "--model", str(model), "-o", str(out), *PLAIN, *extra)


def nothing_written(out: Path) -> bool:
    return not out.exists() or not any(out.iterdir())


# --- 1. inputs: binary files --------------------------------------------------------------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d4944415478da63f8ffff3f0005fe02fea7d6a4f70000000049454e44ae426082")
JPEG_JFIF = bytes.fromhex("ffd8ffe000104a46494600010101004800480000ffdb004300") + bytes(range(1, 200))
JPEG_EXIF_NO_NUL = bytes.fromhex("ffd8ffe1") + b"Exif" + bytes(range(0x41, 0xff))
"""A JPEG head without a NUL byte: used to be read as Windows-1252 and 'translated'."""


@pytest.mark.parametrize("data, words", [
    (PNG, ("binary", "PNG image")),
    (JPEG_JFIF, ("binary", "JPEG image")),
    (JPEG_EXIF_NO_NUL, ("binary", "JPEG image")),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", ("binary", "PDF document")),
    (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", ("binary", ".docx")),
    (bytes(range(1, 9)) * 40 + "Le président.".encode(), ("binary", "control characters")),
], ids=["png", "jpeg-jfif", "jpeg-exif-no-nul", "pdf", "docx", "control-bytes"])
def test_binary_input_is_named_and_refused(tmp_path, synthetic_package, data, words):
    source = tmp_path / "picture.txt"
    source.write_bytes(data)
    one_line(translate(source, synthetic_package, tmp_path / "out"), 2, "error:", str(source), *words)
    assert nothing_written(tmp_path / "out")


# --- 1. inputs: encodings -------------------------------------------------------------------------

@pytest.mark.parametrize("codec, says", [
    ("cp1252", "read it as Windows-1252"),  # holds ’ (0x92), which Latin-1 does not have
    ("latin-1", "read it as Latin-1"),
])
def test_legacy_single_byte_text_is_read_and_named(tmp_path, synthetic_package, codec, says):
    text = FRENCH if codec == "cp1252" else FRENCH.replace("’", "'")
    source = tmp_path / "old.txt"
    source.write_bytes(text.encode(codec))
    result = translate(source, synthetic_package, tmp_path / "out", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("warning: ") and says in result.stderr and "--encoding" in result.stderr
    assert (tmp_path / "out" / "old.en.txt").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("codec", ["cp850", "mac-roman", "iso8859-15"])
def test_unclear_single_byte_text_is_refused_with_the_way_out(tmp_path, synthetic_package, codec):
    """DOS, Mac and Latin-9 French read as Windows-1252 would be mojibake (é → ‚, é → Ž, œ → ½)."""
    text = FRENCH.replace("’", "'")
    if codec == "iso8859-15":  # the same as Latin-1 for plain accents: only œ or € make it different
        text = text.replace("la réforme", "la réforme du cœur")
    source = tmp_path / "old.txt"
    source.write_bytes(text.encode(codec))
    one_line(translate(source, synthetic_package, tmp_path / "out"), 2, "not UTF-8", "--encoding")
    assert nothing_written(tmp_path / "out")
    fixed = translate(source, synthetic_package, tmp_path / "out", "-q", "--encoding", codec)
    assert fixed.returncode == 0 and fixed.stderr == "", fixed.stderr
    assert (tmp_path / "out" / "old.en.txt").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbf" + FRENCH.encode("utf-8"),
    b"\xff\xfe" + FRENCH.encode("utf-16-le"),
    b"\xfe\xff" + FRENCH.encode("utf-16-be"),
], ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"])
def test_byte_order_marks_are_read_and_dropped(tmp_path, synthetic_package, data):
    source = tmp_path / "bom.txt"
    source.write_bytes(data)
    result = translate(source, synthetic_package, tmp_path / "out", "-q")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert (tmp_path / "out" / "bom.en.txt").read_bytes() == FRENCH.encode("utf-8")
    first = (tmp_path / "out" / "bom.fr-en.tsv").read_text(encoding="utf-8").splitlines()[1]
    assert first.startswith("Le président")


def test_utf16_without_bom_is_read_with_a_warning(tmp_path, synthetic_package):
    source = tmp_path / "u16.txt"
    source.write_bytes(FRENCH.encode("utf-16-le"))
    result = translate(source, synthetic_package, tmp_path / "out", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("\n") == 1 and "no byte-order mark; read it as UTF-16-LE" in result.stderr
    assert (tmp_path / "out" / "u16.en.txt").read_text(encoding="utf-8") == FRENCH


def test_invalid_utf8_after_a_bom_is_one_line_not_a_crash(tmp_path, synthetic_package):
    source = tmp_path / "bad.txt"
    source.write_bytes(b"\xef\xbb\xbf" + "Le président a déclaré".encode("cp1252"))
    one_line(translate(source, synthetic_package, tmp_path / "out"), 2, "byte-order mark", "--encoding")


def test_double_encoded_utf8_is_flagged(tmp_path, synthetic_package):
    source = tmp_path / "twice.txt"
    source.write_bytes(FRENCH.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"))
    result = translate(source, synthetic_package, tmp_path / "out", "-q", "--force")
    assert result.returncode == 0, result.stderr
    assert "encoded twice" in result.stderr and "Ã©" in result.stderr


def test_control_characters_become_spaces_with_a_warning(tmp_path, synthetic_package):
    source = tmp_path / "ctl.txt"
    source.write_bytes(FRENCH.replace("mardi", "mardi\x07\x1b").encode("utf-8"))
    result = translate(source, synthetic_package, tmp_path / "out", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"warning: {source}: replaced 2 control character(s) with spaces\n"
    english = (tmp_path / "out" / "ctl.en.txt").read_text(encoding="utf-8")
    assert english == FRENCH  # the spaces that replaced them fold into one between words


# --- 1. inputs: line endings ----------------------------------------------------------------------

@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_line_endings_are_kept_in_the_english(tmp_path, synthetic_package, newline):
    """Decision: the English keeps the input's line endings (a Windows file stays CRLF); aligned outputs
    hold sentences without any carriage return."""
    text = FRENCH.replace("\n", newline)
    source = tmp_path / "eol.txt"
    source.write_bytes(text.encode("utf-8"))
    result = translate(source, synthetic_package, tmp_path / "out", "-q")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert (tmp_path / "out" / "eol.en.txt").read_bytes() == text.encode("utf-8")
    tsv = (tmp_path / "out" / "eol.fr-en.tsv").read_bytes()
    jsonl = (tmp_path / "out" / "eol.fr-en.jsonl").read_bytes()
    assert b"\r" not in tsv and b"\\r" not in jsonl
    assert len(tsv.splitlines()) == 1 + 3  # header + three sentences, none merged across the blank line


# --- 1. inputs: size ------------------------------------------------------------------------------

def test_12000_characters_without_punctuation_lose_no_word(tmp_path, synthetic_package):
    """Far over the model's 256-token input limit: cut into chunks, every word back in order
    (12,000 characters: 4,000 tokens in 16 pieces, three numbered marker words; 50,000 tested nothing more)."""
    words = ("le conseil municipal de la ville a voté un budget pour les écoles et les routes du quartier "
             "avec les élus de la majorité et de l opposition réunis").split()
    text, i = [], 0
    while sum(len(w) + 1 for w in text) < 12_000:
        text.append(f"{words[i % len(words)]}{i // 997 if i % 997 == 0 else ''}")
        i += 1
    source = tmp_path / "long.txt"
    source.write_text(" ".join(text) + "\n", encoding="utf-8")
    result = translate(source, synthetic_package, tmp_path / "out", "-q", "--formats", "txt,jsonl")
    assert result.returncode == 0, result.stderr
    english = (tmp_path / "out" / "long.en.txt").read_text(encoding="utf-8")
    assert english.split() == text


def test_progress_bar_shows_when_stderr_is_a_terminal(tmp_path, synthetic_package):
    source = tmp_path / "many.txt"
    source.write_text(" ".join(f"Le conseil a voté la motion numéro {i}." for i in range(100)) + "\n",
                      encoding="utf-8")
    code, shown = run_cli_on_terminal("run", str(source), "--model", str(synthetic_package), "-o",
                                      str(tmp_path / "out"), "--no-cache")
    assert code == 0, shown
    assert "many.txt" in shown and re.search(r"\d+/100", shown), shown
    quiet = run_cli("run", str(source), "--model", str(synthetic_package), "-o", str(tmp_path / "q"),
                    "--no-cache", "-q")
    assert quiet.returncode == 0 and quiet.stderr == ""  # no bar, no summary when not a terminal and -q


def test_outputs_are_rendered_one_at_a_time(tmp_path):
    """A 100,000-sentence book renders TMX and JSONL of 100 MB and more: never hold them all at once."""
    size = 8_000_000
    calls: list[int] = []

    def render(index: int):
        def make() -> str:
            calls.append(index)
            return chr(0x2019) * size  # two bytes per character in memory
        return make

    tracemalloc.start()
    try:
        write_all({tmp_path / f"{i}.txt": render(i) for i in range(4)})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert calls == [0, 1, 2, 3]
    # one output alive: its 2-byte characters plus its 3-byte UTF-8 encoding (5 × size); four: 11 × size
    assert peak < 7.5 * size
    assert all((tmp_path / f"{i}.txt").stat().st_size == 3 * size for i in range(4))


# --- 1. inputs: files, directories and where outputs go ------------------------------------------

def test_rerun_on_a_directory_skips_its_english_outputs(tmp_path, synthetic_package):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.fr.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "b.txt").write_text(FRENCH, encoding="utf-8")
    first = run_cli("run", str(folder), "--model", str(synthetic_package), "-q", "--formats", "txt")
    assert first.returncode == 0, first.stderr
    again = run_cli("run", str(folder), "--model", str(synthetic_package), "-q", "--formats", "txt", "--overwrite")
    assert again.returncode == 0, again.stderr
    assert again.stderr == f"warning: skipped 2 file(s) in {folder} named *.en.txt (translations, not French input)\n"
    assert sorted(p.name for p in folder.iterdir()) == ["a.en.txt", "a.fr.txt", "b.en.txt", "b.txt"]
    (folder / "a.fr.txt").unlink()
    (folder / "b.txt").unlink()
    one_line(run_cli("run", str(folder), "--model", str(synthetic_package)), 2, "only English outputs")


def test_two_inputs_writing_the_same_outputs_are_refused(tmp_path, synthetic_package):
    """`b.txt` and `b.fr.txt` both give `b.en.txt`: even with --overwrite one would silently replace the other."""
    for name in ("b.txt", "b.fr.txt"):
        (tmp_path / name).write_text(FRENCH, encoding="utf-8")
    result = run_cli("run", str(tmp_path / "b.txt"), str(tmp_path / "b.fr.txt"), "--model", str(synthetic_package),
                     "-o", str(tmp_path / "out"), "--overwrite")
    one_line(result, 2, "would both write", "b.en.txt")
    assert nothing_written(tmp_path / "out")


def test_output_dir_equal_to_input_dir_never_overwrites_an_input(tmp_path, synthetic_package):
    english_named = tmp_path / "note.en.txt"  # a French file unluckily named like note.fr.txt's output
    english_named.write_text(FRENCH, encoding="utf-8")
    (tmp_path / "note.fr.txt").write_text(FRENCH, encoding="utf-8")
    both = run_cli("run", str(tmp_path / "note.fr.txt"), str(english_named), "--model", str(synthetic_package),
                   "-o", str(tmp_path), "--overwrite")
    one_line(both, 2, "would overwrite the input", "--output-dir")
    assert english_named.read_text(encoding="utf-8") == FRENCH


@pytest.mark.parametrize("where, words", [
    ("/proc/translate-test-out", ("cannot create output directory",)),
    ("/proc", ("output directory /proc is not writable",)),
    ("FILE", ("is a file, not a directory",)),
    ("FILE/sub", ("cannot create output directory", "Not a directory")),
], ids=["under-proc", "proc-itself", "file", "under-a-file"])
def test_unwritable_output_directory_is_refused_before_translating(tmp_path, synthetic_package, where, words):
    """Root ignores permission bits, so /proc and a file in the way stand in for a read-only place."""
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    source = tmp_path / "a.txt"
    source.write_text(FRENCH, encoding="utf-8")
    target = where.replace("FILE", str(blocker))
    one_line(run_cli("run", str(source), "--model", str(synthetic_package), "-o", target), 2, *words)


def test_outputs_get_normal_permissions(tmp_path, synthetic_package):
    source = tmp_path / "a.txt"
    source.write_text(FRENCH, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "translate.cli", "run", str(source), "--model",
                             str(synthetic_package), "-q"], capture_output=True, text=True, cwd=ROOT,
                            preexec_fn=lambda: os.umask(0o022), timeout=300)
    assert result.returncode == 0, result.stderr
    modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir() if p.is_file() and p != source}
    assert modes and set(modes.values()) == {0o644}, modes  # not mkstemp's 0600
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize("side, data, words", [
    ("fr", None, ("no such file",)),
    ("en", None, ("no such file",)),
    ("fr", b"", ("is empty",)),
    ("en", b" \n\n", ("only whitespace",)),
    ("en", JPEG_JFIF, ("binary", "JPEG")),
    ("fr", b"Le pr\xe9sident \x81 et la r\xe9forme", ("not UTF-8", "--encoding")),
], ids=["missing-fr", "missing-en", "empty-fr", "blank-en", "binary-en", "unclear-encoding-fr"])
def test_align_inputs_are_checked_before_any_work(tmp_path, side, data, words):
    paths = {"fr": tmp_path / "a.fr.txt", "en": tmp_path / "a.en.txt"}
    paths["fr"].write_text(FRENCH, encoding="utf-8")
    paths["en"].write_text("The President said on Tuesday that the reform would be presented.\n", encoding="utf-8")
    if data is None:
        paths[side].unlink()
    else:
        paths[side].write_bytes(data)
    result = run_cli("align", str(paths["fr"]), str(paths["en"]), "-o", str(tmp_path / "out"))
    one_line(result, 2, str(paths[side]), *words)
    assert nothing_written(tmp_path / "out")


# --- 2. models ----------------------------------------------------------------------------------

def _break(model: Path, how: str) -> None:
    inner = model / "model"
    if how == "corrupt-model-bin":
        (inner / "model.bin").write_bytes(b"\x13\x37" * 500)
    elif how == "truncated-model-bin":
        data = (inner / "model.bin").read_bytes()
        (inner / "model.bin").write_bytes(data[: len(data) // 2])
    elif how == "missing-config":
        (inner / "config.json").unlink()
    elif how == "bad-config":
        (inner / "config.json").write_text("{oops", encoding="utf-8")
    elif how == "bad-vocabulary-json":
        (inner / "shared_vocabulary.json").write_text('["<unk>", "<s>"', encoding="utf-8")
    elif how == "wrong-vocabulary":
        (inner / "shared_vocabulary.json").write_text('["<unk>", "<s>", "</s>", "a", "b"]', encoding="utf-8")
    elif how == "bad-sentencepiece":
        (model / "sentencepiece.model").write_bytes(b"not a protobuf")


@pytest.mark.parametrize("how, words", [
    ("corrupt-model-bin", ("model.bin unreadable", "corrupt")),
    ("truncated-model-bin", ("model.bin unreadable",)),
    ("missing-config", ("config.json missing",)),
    ("bad-config", ("config.json unreadable",)),
    ("bad-vocabulary-json", ("shared_vocabulary.json unreadable",)),
    ("wrong-vocabulary", ("shared_vocabulary.json", "does not match the SentencePiece model")),
    ("bad-sentencepiece", ("sentencepiece.model unreadable",)),
])
def test_unreadable_model_names_the_wrong_file(tmp_path, synthetic_package, how, words):
    """A vocabulary that does not belong used to load silently and give a row of ⁇ marks."""
    model = tmp_path / "model-copy"
    shutil.copytree(synthetic_package, model)
    _break(model, how)
    source = tmp_path / "a.txt"
    source.write_text(FRENCH, encoding="utf-8")
    one_line(translate(source, model, tmp_path / "out"), 2, "error:", *words)
    assert nothing_written(tmp_path / "out")


# --- 3. no partial output: Ctrl-C and resume -------------------------------------------------------

def _cache_entries(path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.1) as db:
            return db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    except sqlite3.Error:
        return 0


def _comparable(directory: Path, stem: str) -> dict[str, bytes]:
    """Output bytes by name, TMX creation dates masked (they record when each run happened)."""
    files = {}
    for path in sorted(directory.glob(f"{stem}.*")):
        data = path.read_bytes()
        files[path.name] = re.sub(rb"\d{8}T\d{6}Z", b"DATE", data) if path.suffix == ".tmx" else data
    return files


def test_ctrl_c_leaves_no_partial_output_and_a_rerun_resumes(tmp_path, synthetic_package):
    sentences = 500  # 20 cache chunks of 25: the interrupt lands after the first and long before the last
    source = tmp_path / "book.txt"
    paragraphs = [" ".join(f"Le conseil municipal a adopté la délibération numéro {i + j}." for j in range(5))
                  for i in range(0, sentences, 5)]
    source.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    out.mkdir()
    (out / "book.en.txt").write_text("previous complete translation\n", encoding="utf-8")
    env = {**os.environ, "TRANSLATE_CACHE_DIR": str(cache_dir), "TRANSLATE_CACHE_CHUNK": "25"}
    args = [sys.executable, "-m", "translate.cli", "run", str(source), "--model", str(synthetic_package),
            "-o", str(out), "--threads", "1", "--overwrite"]
    process = subprocess.Popen(args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
    deadline = time.monotonic() + 120
    while _cache_entries(cache_dir / DB_NAME) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # the first 25-sentence chunk stored: translation is under way
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert stderr == "error: interrupted; no partial outputs were written; run it again to resume from the cache\n"
    assert sorted(p.name for p in out.iterdir()) == ["book.en.txt"]  # no .part temporaries, no new files
    assert (out / "book.en.txt").read_text(encoding="utf-8") == "previous complete translation\n"
    stored = _cache_entries(cache_dir / DB_NAME)
    assert 0 < stored < sentences

    resumed = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    from_cache = int(re.search(r"(\d+) from cache", resumed.stderr).group(1))
    assert from_cache >= stored > 0  # only the rest went to the engine
    reference = run_cli("run", str(source), "--model", str(synthetic_package), "-o", str(tmp_path / "ref"),
                        "--no-cache", "-q")
    assert reference.returncode == 0, reference.stderr
    assert _comparable(out, "book") == _comparable(tmp_path / "ref", "book")


# --- 4. exit codes --------------------------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["run", "a.txt", "--no-such-option"], ("No such option",)),
    (["run"], ("Missing argument",)),
    (["align", "a.txt"], ("Missing argument",)),
    (["no-such-command"], ("No such command",)),
])
def test_usage_errors_exit_2_without_a_traceback(args, words):
    result = run_cli(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Usage: ")
    for word in words:
        assert word in result.stderr


apertium_ok, apertium_why = apertium_status()


@pytest.mark.skipif(not apertium_ok, reason=apertium_why)
def test_engine_crash_exits_1_with_one_line_and_debug_shows_the_traceback(tmp_path):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    crash = fake_bin / "apertium-pretransfer"
    crash.write_text("#!/bin/sh\necho 'apertium-pretransfer: simulated crash' >&2\nexit 3\n", encoding="utf-8")
    crash.chmod(0o755)
    env = {"PATH": f"{fake_bin}{os.pathsep}{os.environ.get('PATH', '')}"}
    source = tmp_path / "a.txt"
    source.write_text(FRENCH, encoding="utf-8")
    args = ["run", str(source), "--engine", "apertium", "-o", str(tmp_path / "out"), "--no-cache"]
    line = one_line(run_cli(*args, env=env), 1, "Apertium fr-es failed", "simulated crash", "--debug")
    assert line.startswith("error: ")
    assert nothing_written(tmp_path / "out")
    debug = run_cli("--debug", *args, env=env)
    assert debug.returncode == 1 and "Traceback" in debug.stderr and "EngineError" in debug.stderr
