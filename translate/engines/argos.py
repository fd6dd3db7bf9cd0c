"""The neural engine: CTranslate2 + SentencePiece on an Argos package or a plain CTranslate2 model.

Argostranslate itself is never imported (it pulls in torch, stanza and spacy); this module reads
the same package layout and drives CTranslate2 directly, translating a whole document in a few
large token-sized batches, which is where most of the speed comes from.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Sequence

from translate.engines.base import EngineError, EngineOptions, Progress, Translation
from translate.errors import UserError

METADATA_FILE = "metadata.json"
SPM_LAYOUTS: tuple[tuple[str, str], ...] = (
    ("sentencepiece.model", "sentencepiece.model"),
    ("source.spm", "target.spm"),
    ("model/source.spm", "model/target.spm"),
    ("model/sentencepiece.model", "model/sentencepiece.model"),
    ("spm.model", "spm.model"),
    ("model/spm.model", "model/spm.model"),
)
"""Where (source, target) SentencePiece models may sit, relative to the model folder, in order."""
VOCABULARY_FILES = (
    ("shared_vocabulary.json",),
    ("shared_vocabulary.txt",),
    ("source_vocabulary.json", "target_vocabulary.json"),
    ("source_vocabulary.txt", "target_vocabulary.txt"),
)
FINGERPRINT_BYTES = 1 << 20
"""How much of model.bin's head and tail goes into the version fingerprint (hashing GBs is slow)."""


@dataclass(frozen=True)
class ModelFiles:
    """The files of one model folder, checked to exist."""

    root: Path
    """The folder the user named (Argos package dir or CTranslate2 model dir)."""
    kind: Literal["argos", "ct2"]
    model_dir: Path
    """The folder holding model.bin (root/model for Argos packages)."""
    source_spm: Path
    target_spm: Path
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def engine_name(self) -> str:
        return f"{self.kind}:{self.root.name}"

    @property
    def target_prefix(self) -> list[str]:
        """Target prefix tokens from metadata.json (space-separated), empty when none."""
        prefix = self.metadata.get("target_prefix") or ""
        return str(prefix).split()


def load_package_metadata(directory: Path) -> dict[str, Any]:
    """metadata.json of a package as a dict; {} when the folder has none."""
    path = Path(directory) / METADATA_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise UserError(f"{METADATA_FILE} unreadable in {directory}: nested too deeply") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UserError(f"{METADATA_FILE} unreadable in {directory}: {_reason(err)}") from None
    except ValueError:  # a number longer than int() accepts (4,300 digits): Python's message names its own limit
        raise UserError(f"{METADATA_FILE} unreadable in {directory}: a number has thousands of digits") from None
    if not isinstance(data, dict):
        raise UserError(f"{METADATA_FILE} in {directory} is not a JSON object")
    if not writable_text(data):
        raise UserError(f"{METADATA_FILE} unreadable in {directory}: {HALF_CHARACTER}")
    return data


HALF_CHARACTER = "a \\u escape names half a character (a lone surrogate)"
"""Why metadata whose JSON escapes give lone surrogates is refused: every output that names the model fails."""


def writable_text(data: Any) -> bool:
    """Whether parsed JSON holds only text that UTF-8 can write (a `\\ud800` escape parses to a lone surrogate,
    which then fails in every output and table that shows it)."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError, ValueError):
        return False
    return True


def find_model_files(path: Path) -> ModelFiles:
    """Recognise an Argos package dir or a CTranslate2 model dir; UserError naming any missing file."""
    root = Path(path).expanduser()
    try:
        found = root.exists()
    except OSError as err:  # a name too long for the file system, a loop of links
        raise UserError(f"cannot read model directory {root}: {err.strerror}") from None
    if not found:
        raise UserError(f"model directory not found: {root}")
    if not root.is_dir():
        hint = " (install it first: `translate models install FILE`)" if root.suffix == ".argosmodel" else ""
        raise UserError(f"{root} is a file, not a model directory{hint}")
    metadata = load_package_metadata(root)
    is_argos = bool(metadata) or (root / "model").is_dir()
    model_dir = root / "model" if is_argos else root
    if not model_dir.is_dir():
        raise UserError(f"model folder missing in {root} (an Argos package holds model/)")
    if not (model_dir / "model.bin").is_file():
        raise UserError(f"model.bin missing in {model_dir}")
    if not any(all((model_dir / name).is_file() for name in names) for names in VOCABULARY_FILES):
        raise UserError(f"shared_vocabulary.json missing in {model_dir} (or source/target_vocabulary.json)")
    spm = find_spm(root)
    if spm is None:
        raise _spm_missing(root)
    source_spm, target_spm = spm
    return ModelFiles(root, "argos" if is_argos else "ct2", model_dir, source_spm, target_spm, metadata)


def find_spm(root: Path) -> tuple[Path, Path] | None:
    """The (source, target) SentencePiece models of the first layout of SPM_LAYOUTS complete in `root`, or None."""
    for source, target in SPM_LAYOUTS:
        if (root / source).is_file() and (root / target).is_file():
            return root / source, root / target
    return None


def _spm_missing(root: Path) -> UserError:
    """Why `root` has no complete SentencePiece layout: the half of one that is there, or none at all."""
    for source, target in SPM_LAYOUTS:
        if (root / source).is_file():
            return UserError(f"{Path(target).name} missing in {(root / target).parent}")
    return UserError(f"sentencepiece.model missing in {root} (or source.spm and target.spm)")


def _reason(err: BaseException) -> str:
    """First line of an exception message, for one-line user errors."""
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


@dataclass
class _Job:
    """One chunk of one sentence, as sent to CTranslate2."""

    sentence: int
    chunk: int
    tokens: list[str]


class CTranslate2Engine:
    """Translate with a CTranslate2 model and its SentencePiece models (Argos package or plain dir)."""

    def __init__(self, path: Path, options: EngineOptions | None = None) -> None:
        import ctranslate2
        import sentencepiece as spm

        self.options = options or EngineOptions()
        self.files = find_model_files(Path(path))
        self.name = self.files.engine_name
        self._source_sp = _load_spm(spm, self.files.source_spm)
        self._target_sp = (
            self._source_sp if self.files.target_spm == self.files.source_spm else _load_spm(spm, self.files.target_spm)
        )
        self._prefix = self.files.target_prefix
        check_vocabulary(self.files.model_dir, self._source_sp, self._target_sp)
        self._translator = _load_translator(ctranslate2, self.files.model_dir, self.options)
        self.compute_type: str = self._translator.compute_type
        """Compute type CTranslate2 actually uses (e.g. "int8_float32" when "int8" was asked on CPU)."""
        self.device: str = self._translator.device
        self.version = _fingerprint(self.files, self.options, self.compute_type)

    def translate(self, sentences: Sequence[str], progress: Progress | None = None) -> list[Translation]:
        """Translate every sentence; one Translation per input, in input order."""
        results: list[Translation | None] = [None] * len(sentences)
        jobs, chunk_counts = self._jobs(sentences)
        empty = 0
        for i, sentence in enumerate(sentences):
            if i not in chunk_counts:
                results[i] = Translation("", None)
                empty += 1
        if progress and empty:
            progress(empty)
        if jobs:
            self._run(jobs, chunk_counts, results, progress)
        return [r if r is not None else Translation("", None) for r in results]

    def close(self) -> None:
        """Free the model's memory (the engine cannot translate afterwards)."""
        translator = getattr(self, "_translator", None)
        if translator is not None:
            translator.unload_model()
            self._translator = None

    def _jobs(self, sentences: Sequence[str]) -> tuple[list[_Job], dict[int, int]]:
        """Tokenise, cut over-long inputs into chunks, sort by length (longest first)."""
        texts = [(i, s) for i, s in enumerate(sentences) if s and s.strip()]
        tokenized = self._source_sp.encode([s for _, s in texts], out_type=str) if texts else []
        jobs: list[_Job] = []
        chunk_counts: dict[int, int] = {}
        for (i, _), tokens in zip(texts, tokenized):
            if not tokens:
                continue
            chunks = split_tokens(tokens, self.options.max_input_length)
            chunk_counts[i] = len(chunks)
            jobs.extend(_Job(i, c, chunk) for c, chunk in enumerate(chunks))
        jobs.sort(key=lambda job: -len(job.tokens))
        return jobs, chunk_counts

    def _run(
        self,
        jobs: list[_Job],
        chunk_counts: dict[int, int],
        results: list[Translation | None],
        progress: Progress | None,
    ) -> None:
        """One asynchronous CTranslate2 call over every chunk; collect and rejoin per sentence."""
        if self._translator is None:
            raise EngineError(f"{self.name} is closed")
        opts = self.options
        try:
            pending = self._translator.translate_batch(
                [job.tokens for job in jobs],
                target_prefix=[list(self._prefix) for _ in jobs] if self._prefix else None,
                max_batch_size=opts.max_batch_tokens,
                batch_type="tokens",
                asynchronous=True,
                beam_size=opts.beam_size,
                max_input_length=0,
                max_decoding_length=opts.max_decoding_length + len(self._prefix),
                return_scores=True,
                return_attention=opts.return_attention,
            )
        except (RuntimeError, ValueError) as err:
            raise EngineError(f"{self.name} failed: {_reason(err)}") from err
        parts: dict[int, list[tuple[int, Any]]] = {}
        for job, handle in zip(jobs, pending):
            try:
                output = handle.result()
            except (RuntimeError, ValueError) as err:
                raise EngineError(f"{self.name} failed: {_reason(err)}") from err
            parts.setdefault(job.sentence, []).append((job.chunk, (job.tokens, output)))
            if len(parts[job.sentence]) == chunk_counts[job.sentence]:
                results[job.sentence] = self._assemble(sorted(parts.pop(job.sentence)))
                if progress:
                    progress(1)

    def _assemble(self, chunks: list[tuple[int, tuple[list[str], Any]]]) -> Translation:
        """Join a sentence's chunk outputs: drop the target prefix, detokenise, average scores."""
        tokens: list[str] = []
        attention: list[list[float]] = []
        total_logprob, total_len = 0.0, 0
        offset = 0
        width = sum(len(t) for _, (t, _) in chunks)
        rows = sum(len(output.hypotheses[0]) for _, (_, output) in chunks)
        keep_attention = self.options.return_attention and width * rows <= MAX_ATTENTION_CELLS
        for _, (source_tokens, output) in chunks:
            hyp = list(output.hypotheses[0])
            skip = len(self._prefix) if hyp[: len(self._prefix)] == self._prefix else 0
            hyp = hyp[skip:]
            # CTranslate2 divides the summed log-probs by the output length counting </s>
            # (length_penalty=1), so the sum is score × (tokens + 1).
            length = len(hyp) + 1
            total_logprob += float(output.scores[0]) * length
            total_len += length
            if keep_attention and output.attention:
                for row in output.attention[0][skip:]:
                    full = [0.0] * width
                    full[offset : offset + len(source_tokens)] = list(row)[: len(source_tokens)]
                    attention.append(full)
            tokens.extend(hyp)
            offset += len(source_tokens)
        score = total_logprob / total_len if total_len else None
        if score is not None and not math.isfinite(score):
            score = None
        text = self._target_sp.decode(tokens) if tokens else ""
        if self.options.return_attention:
            return Translation(text, score, attention=attention or None, tokens=tokens)
        return Translation(text, score)


MAX_ATTENTION_CELLS = 1_000_000
"""Largest target × source attention table kept for one sentence (about 1,000 × 1,000 tokens, a sentence
of some 4,000 characters). The table of a sentence cut into chunks spans all of them, so its size grows
with the square of the sentence: a 50 KB unpunctuated paragraph in a document took over 2.5 GB. Longer
sentences go without attention; inline codes and glossary repairs then use their other clues."""


def split_tokens(tokens: list[str], limit: int) -> list[list[str]]:
    """Cut a token list into chunks of at most `limit` tokens, preferring word starts ("▁").

    A cut is moved back to the nearest token that begins a word, if one lies in the second
    half of the chunk, so that words are not split across two translations.
    """
    if limit <= 0 or len(tokens) <= limit:
        return [tokens]
    chunks = []
    start = 0
    while len(tokens) - start > limit:
        end = start + limit
        for cut in range(end, start + max(1, limit // 2), -1):
            if tokens[cut].startswith("▁"):
                end = cut
                break
        chunks.append(tokens[start:end])
        start = end
    chunks.append(tokens[start:])
    return chunks


def _load_spm(spm: Any, path: Path) -> Any:
    try:
        return spm.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError) as err:
        raise UserError(f"{path.name} unreadable in {path.parent}: {_reason(err)}") from None


def thread_plan(options: EngineOptions, cores: int | None = None) -> tuple[int, int]:
    """(inter, intra) threads: the explicit values, else two parallel batches sharing the cores."""
    import os

    cores = cores or os.cpu_count() or 1
    inter = options.inter_threads or min(2, cores)
    intra = options.intra_threads or max(1, cores // inter)
    return inter, intra


def _load_translator(ctranslate2: Any, model_dir: Path, options: EngineOptions) -> Any:
    """Load the model with the asked compute type, or the model's own type if the device lacks it."""
    inter, intra = thread_plan(options)
    kwargs = {"device": options.device, "inter_threads": inter, "intra_threads": intra}
    try:
        return ctranslate2.Translator(str(model_dir), compute_type=options.compute_type, **kwargs)
    except ValueError as err:
        if options.compute_type in ("default", "auto"):
            raise UserError(f"cannot load {model_dir}: {_reason(err)}") from None
        first_error = err
    except RuntimeError as err:
        raise UserError(_diagnose_load_failure(model_dir, err)) from None
    try:
        return ctranslate2.Translator(str(model_dir), compute_type="default", **kwargs)
    except (RuntimeError, ValueError) as err:
        raise UserError(f"cannot load {model_dir} ({_reason(first_error)}): {_reason(err)}") from None


MIN_VOCABULARY_MATCH = 0.5
"""Share of SentencePiece pieces the model vocabulary must hold; real packages hold nearly all of them."""


def check_vocabulary(model_dir: Path, source_sp: Any, target_sp: Any) -> None:
    """Refuse a vocabulary file that does not belong with the SentencePiece models.

    CTranslate2 loads such a model without complaint and then maps every token to <unk>, so the
    English would come out as a row of "⁇" marks: a damaged or mixed-up model folder must fail here.
    """
    for names in VOCABULARY_FILES:
        if all((model_dir / name).is_file() for name in names):
            break
    else:
        return
    sides = [source_sp] if len(names) == 1 else [source_sp, target_sp]
    for name, sp in zip(names, sides):
        path = model_dir / name
        try:
            raw = path.read_text(encoding="utf-8")
            tokens = json.loads(raw) if name.endswith(".json") else raw.splitlines()
        except (OSError, UnicodeDecodeError, ValueError) as err:
            raise UserError(f"{name} unreadable in {model_dir}: {_reason(err)}") from None
        if not isinstance(tokens, list):
            raise UserError(f"{name} in {model_dir} is not a JSON list")
        known = set(tokens) if all(isinstance(t, str) for t in tokens) else set()
        pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
        found = sum(1 for piece in pieces if piece in known)
        if pieces and found < MIN_VOCABULARY_MATCH * len(pieces):
            raise UserError(f"{name} in {model_dir} does not match the SentencePiece model "
                            f"({found} of {len(pieces)} pieces found): the model folder is damaged or mixed up")


def _diagnose_load_failure(model_dir: Path, err: BaseException) -> str:
    """One line naming the file CTranslate2 choked on: config.json or a vocabulary before blaming model.bin."""
    config = model_dir / "config.json"
    if not config.is_file() and "json" in str(err).lower():
        return f"config.json missing in {model_dir} (CTranslate2 cannot load the model without it)"
    json_files = [config] + [model_dir / name for names in VOCABULARY_FILES for name in names if name.endswith(".json")]
    for path in json_files:
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as bad:
            return f"{path.name} unreadable in {model_dir}: {_reason(bad)}"
        expected = dict if path == config else list
        if not isinstance(data, expected):
            return f"{path.name} in {model_dir} is not a JSON {'object' if expected is dict else 'list'}"
    reason = _reason(err)
    if "binary version" in reason:
        reason = "not a model file this CTranslate2 can read (corrupt, or made by a newer CTranslate2)"
    return f"model.bin unreadable in {model_dir}: {reason}"


def _fingerprint(files: ModelFiles, options: EngineOptions, compute_type: str) -> str:
    """Version string for translation caches: package version + hash of model files and decoding options."""
    digest = hashlib.sha256()
    model_bin = files.model_dir / "model.bin"
    size = model_bin.stat().st_size
    digest.update(str(size).encode())
    with model_bin.open("rb") as handle:
        digest.update(handle.read(FINGERPRINT_BYTES))
        if size > 2 * FINGERPRINT_BYTES:
            handle.seek(-FINGERPRINT_BYTES, 2)
            digest.update(handle.read())
    for path in (files.model_dir / "config.json", files.source_spm, files.target_spm):
        if path.is_file():
            digest.update(path.read_bytes())
    decoding = (compute_type, options.beam_size, options.max_input_length, options.max_decoding_length, files.target_prefix)
    digest.update(repr(decoding).encode())
    package_version = str(files.metadata.get("package_version", "")) or "0"
    return f"{package_version}+{digest.hexdigest()[:12]}"
