"""French→English with Apertium, pivoting through Spanish (fr-es, then spa-eng), fully offline.

The whole batch goes through two subprocesses (one per stage). Sentences are sent as one Apertium
stream, each ended by a NUL so every program flushes and resets between sentences (`-z`), and each
opened by a numbered superblank `[<s:N>]` so the outputs can be matched back by number. Literal
characters that Apertium uses as marks (`* # @ ~`) travel inside superblanks, so any bare mark left
in the output is an Apertium unknown-word mark and can be stripped and recorded safely.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Sequence

from translate.engine import EngineError, Progress, Translation

DEFAULT_DATA_DIR = Path("/usr/share/apertium")
STAGES = ("fr-es", "spa-eng")
"""Apertium modes run one after the other: French→Spanish, then Spanish→English."""
PACKAGES = ("apertium", "apertium-fr-es", "apertium-eng-spa")
MODE_PACKAGE = {"fr-es": "apertium-fr-es", "spa-eng": "apertium-eng-spa"}

_ESCAPED = set("\\[]^$/<>{}")
"""Stream characters that are backslash-escaped inside text, as apertium-destxt does."""
_PROTECTED = set("*#@~")
"""Characters Apertium prints or consumes as marks: they travel inside superblanks instead."""
_MARKS = "*#@"
_UNKNOWN_MARKS = "*@"
"""`*` = not in the dictionary, `@` = no bilingual entry; `#` (generation slip) is only stripped."""

_TOKEN = re.compile(
    r"""(?P<blank>\[(?:\\.|[^\]\\])*\])   # superblank, kept verbatim by every program
      | (?P<esc>\\.)                      # one escaped character
      | (?P<mark>[*#@])(?P<word>(?:\w|[-'’](?=\w))*)(?P<tags>(?:\\<[^\\>]*\\>)*)
      | (?P<text>[^\[\\*#@]+)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_GLUED_AUXILIARY = re.compile(
    r"\b(ha|han|he|hemos|había|habían)(?=[a-záéíóúñ]{2,}(?:ado|ada|ados|adas|ido|ida|idos|idas|cho|cha|to|ta|tos|tas)\b)"
)
"""fr-es glues the auxiliary to the participle of inverted forms: "a-t-il déclaré" → "hadeclarado"."""
_SENTENCE_ID = re.compile(r"\[<s:(\d+)>\]")
_SENTINEL_MARK = "[<e>]"
_SENTINEL = _SENTINEL_MARK + ".[]"
"""Appended to every sentence and cut off at the end. The full stop guarantees each chunk holds a
word-like unit (lrx-proc merges a chunk made of blanks alone into the next one); the empty
superblank keeps the pipeline from swallowing the chunk's last unit at the NUL."""


def apertium_status(data_dir: Path = DEFAULT_DATA_DIR) -> tuple[bool, str]:
    """Whether the fr→es→en Apertium pipeline can run here, and if not, what to install."""
    if shutil.which("lt-proc") is None or shutil.which("apertium-tagger") is None:
        return False, "Apertium is not installed: run `sudo apt-get install " + " ".join(PACKAGES) + "`"
    for mode in STAGES:
        mode_file = data_dir / "modes" / f"{mode}.mode"
        if not mode_file.is_file():
            package = MODE_PACKAGE[mode]
            return False, (
                f"Apertium mode {mode} is missing ({mode_file}): run `sudo apt-get install {package}`"
            )
        for program in _programs(mode_file.read_text(encoding="utf-8")):
            if shutil.which(program) is None:
                return False, (
                    f"Apertium program {program} (needed by mode {mode}) is missing: "
                    "run `sudo apt-get install apertium`"
                )
    return True, f"Apertium ready ({' → '.join(STAGES)}, data in {data_dir})"


def _programs(mode_line: str) -> list[str]:
    return [shlex.split(part)[0] for part in mode_line.strip().split("|") if part.strip()]


def null_flush_command(mode_line: str) -> str:
    """Turn a `.mode` pipeline into a shell line with null-flush on every program and marks on."""
    commands = []
    for part in mode_line.strip().split("|"):
        if not part.strip():
            continue
        program, *args = shlex.split(part)
        args = ["-g" if a == "$1" else a for a in args if a != "$2"]
        commands.append(shlex.join([program, "-z", *args]))
    return "set -o pipefail; " + " | ".join(commands)


def normalise(sentence: str) -> str:
    """Collapse every run of whitespace or control characters (newlines, tabs, NUL) to one space."""
    return " ".join("".join(" " if ord(c) < 32 or c == "\x7f" else c for c in sentence).split())


def encode(sentence_id: int, text: str) -> str:
    """One sentence as an Apertium stream chunk: numbered superblank, escaped text, sentinel."""
    parts = [f"[<s:{sentence_id}>]"]
    for char in text:
        if char in _PROTECTED:
            parts.append(f"[\\{char}]")
        elif char in _ESCAPED:
            parts.append("\\" + char)
        else:
            parts.append(char)
    parts.append(_SENTINEL)
    return "".join(parts)


@dataclass
class StageOutput:
    """What one stage made of one sentence: its text (the next stage's input, or the final English)
    and the words that stage did not know."""

    text: str
    unknown: list[str] = field(default_factory=list)


def relay(chunk: str) -> StageOutput:
    """Stage-1 output → stage-2 input: strip marks; unknown words go on verbatim inside superblanks."""
    out: list[str] = []
    unknown: list[str] = []
    for m in _TOKEN.finditer(chunk):
        if m["mark"] is None:
            out.append(m.group())
            continue
        word = m["word"]
        if m["mark"] in _UNKNOWN_MARKS and word:
            unknown.append(word)
            out.append("[" + "".join("\\" + c if c in "\\[]" else c for c in word) + "]")
        else:
            out.append(word)
    return StageOutput(_GLUED_AUXILIARY.sub(r"\1 ", "".join(out)), unknown)


def finish(chunk: str) -> StageOutput:
    """Stage-2 output → plain English: strip marks and stream syntax, collect unknown words."""
    out: list[str] = []
    unknown: list[str] = []
    chunk = chunk.split(_SENTINEL_MARK, 1)[0]
    for m in _TOKEN.finditer(chunk):
        if m["blank"] is not None:
            if not _SENTENCE_ID.fullmatch(m["blank"]):
                out.append(_unescape(m["blank"][1:-1]))
        elif m["esc"] is not None:
            out.append(m["esc"][1])
        elif m["mark"] is not None:
            if m["mark"] in _UNKNOWN_MARKS and m["word"]:
                unknown.append(m["word"])
            out.append(m["word"])
        else:
            out.append(m.group())
    return StageOutput(" ".join("".join(out).split()), unknown)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def split_chunks(output: str, expected: int) -> dict[int, str]:
    """Split a null-flushed stream into chunks keyed by their sentence number."""
    chunks: dict[int, str] = {}
    for chunk in output.split("\0"):
        ids = _SENTENCE_ID.findall(chunk)
        if not ids:
            if chunk.strip():
                raise EngineError(f"Apertium returned text outside any sentence: {chunk[:60]!r}")
            continue
        if len(ids) > 1:
            raise EngineError(f"Apertium merged sentences {', '.join(ids)}")
        chunks[int(ids[0])] = chunk
    if len(chunks) != expected:
        raise EngineError(f"Apertium returned {len(chunks)} sentences for {expected}")
    return chunks


def _dedupe(words: list[str]) -> list[str]:
    return list(dict.fromkeys(words))


class ApertiumEngine:
    """Rule-based French→English through Spanish; two subprocesses per batch, no state between."""

    name = "apertium"

    def __init__(self, data_dir: Path = DEFAULT_DATA_DIR) -> None:
        self.data_dir = data_dir

    @cached_property
    def version(self) -> str:
        """Debian versions of the Apertium packages, so caches change when the data changes."""
        try:
            result = subprocess.run(
                ["dpkg-query", "-W", "-f=${Package}=${Version} ", *PACKAGES],
                capture_output=True, text=True, check=False,
            )
        except OSError:
            return "unknown"
        return result.stdout.strip() or "unknown"

    def translate(self, sentences: Sequence[str], progress: Progress | None = None) -> list[Translation]:
        """Translate all sentences in one fr-es run and one spa-eng run; order and count are kept."""
        texts = [normalise(s) for s in sentences]
        todo = [i for i, t in enumerate(texts) if t]
        results = [Translation(text="") for _ in texts]
        if todo:
            stage1 = self._run(STAGES[0], "".join(encode(i, texts[i]) + "\0" for i in todo))
            relayed = {i: relay(c) for i, c in split_chunks(stage1, len(todo)).items()}
            stage2 = self._run(STAGES[1], "".join(relayed[i].text + "\0" for i in todo))
            for i, chunk in split_chunks(stage2, len(todo)).items():
                english = finish(chunk)
                unknown = _dedupe(relayed[i].unknown + english.unknown)
                results[i] = Translation(text=english.text, unknown_words=unknown)
        if progress is not None:
            progress(len(texts))
        return results

    def close(self) -> None:
        """Nothing to release: each batch starts and ends its own processes."""

    def _run(self, mode: str, stream: str) -> str:
        mode_file = self.data_dir / "modes" / f"{mode}.mode"
        try:
            command = null_flush_command(mode_file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise EngineError(f"Apertium mode {mode} unreadable: {exc}") from exc
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        try:
            result = subprocess.run(
                ["bash", "-c", command], input=stream.encode("utf-8"),
                capture_output=True, env=env, check=False,
            )
        except OSError as exc:
            raise EngineError(f"Apertium could not start: {exc}") from exc
        if result.returncode != 0:
            lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
            first = lines[0] if lines else f"exit status {result.returncode}"
            raise EngineError(f"Apertium {mode} failed: {first}")
        return result.stdout.decode("utf-8", "replace")
