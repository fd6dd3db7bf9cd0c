"""Build synthetic Argos French→English packages (`.argosmodel`) for tests and speed benchmarks.

No real neural model can be downloaded here, so this writes a package with the exact Argos
layout (metadata.json, model/ as a CTranslate2 model, sentencepiece.model) from numpy weights:

* kind "copy": hand-set weights whose decoding reproduces the source tokens, so tests can check
  that text survives the whole tokenise → translate → detokenise path (see `copy_weights`).
* kind "random": fixed random weights in every matrix of any size (``--base`` =
  transformer-base) for speed, with the copy path kept so outputs have realistic lengths.

Usage: ``python -m bench.synthetic OUT_DIR [--kind copy|random] [--base]``.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import shutil
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
import sentencepiece as spm
from ctranslate2.specs import TransformerSpec

CORPUS_PATH = Path(__file__).with_name("corpus.fr-en.txt")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""Fixed timestamp for zip entries so two builds give the same bytes."""
PAD_PIECE = "<pad{:05d}>"
"""Extra vocabulary entries when SentencePiece cannot learn as many pieces as asked (see `pad_vocab`)."""
KINDS = ("copy", "random")
ATTENTION_GAP = 40.0
"""Copy model: attention logit gap between the aligned source position and any other one."""
OUTPUT_LOGIT = 13.0
"""Copy model: logit of the copied token; others score lower by 13·(1 - cosine of their codes),
which leaves the copy certain but gives a small, non-zero mean log-probability (about -0.02)."""
RANDOM_NOISE = 0.02
"""Random model: scale of the random sublayer outputs relative to a fully random layer."""


@dataclass(frozen=True)
class Dims:
    """Model sizes of a synthetic package."""

    vocab_size: int
    d_model: int
    num_layers: int
    num_heads: int
    ffn: int
    max_positions: int = 1024
    """Rows of the explicit position table used by the copy model (inputs are chunked below it)."""


TINY = Dims(vocab_size=2000, d_model=128, num_layers=1, num_heads=2, ffn=64)
BASE = Dims(vocab_size=50000, d_model=512, num_layers=6, num_heads=8, ffn=2048)


def read_corpus(path: Path = CORPUS_PATH) -> list[tuple[str, str]]:
    """French/English sentence pairs (tab-separated lines) written for this project."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            fr, en = line.split("\t")
            pairs.append((fr, en))
    return pairs


def train_sentencepiece(texts: Iterable[str], vocab_size: int, user_symbols: list[str], seed: int) -> bytes:
    """Train a shared SentencePiece model deterministically; returns the serialized model.

    Identity normalisation and byte fallback make every character survive a round trip, so
    the copy model can be checked character for character.
    """
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(texts)),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        normalization_rule_name="identity",
        byte_fallback=True,
        hard_vocab_limit=False,
        user_defined_symbols=user_symbols,
        num_threads=1,
        shuffle_input_sentence=False,
        minloglevel=2,
    )
    return model.getvalue()


def pad_vocab(pieces: list[str], size: int) -> list[str]:
    """Extend the model vocabulary to `size` entries with `<padNNNNN>` tokens.

    The small corpus cannot give SentencePiece 50k pieces, but the speed of a model depends on
    its vocabulary size (embeddings, output softmax), so the CTranslate2 vocabulary is padded
    with tokens SentencePiece never produces. A decoded padding token comes out as " ⁇ ".
    """
    return pieces + [PAD_PIECE.format(i) for i in range(max(0, size - len(pieces)))]


def position_table(rows: int, dims: int, longest: int) -> np.ndarray:
    """Zero-mean sinusoidal codes whose dot products peak sharply at equal positions.

    Each frequency gives four columns (cos, sin, -cos, -sin) so every row has mean 0 and the
    same norm, which keeps layer norms from mixing positions and tokens.
    """
    n_freq = dims // 4
    freqs = np.geomspace(2.0, math.pi / longest, n_freq)
    angles = np.arange(rows)[:, None] * freqs[None, :]
    cos, sin = np.cos(angles), np.sin(angles)
    table = np.zeros((rows, dims), dtype=np.float64)
    table[:, 0 : 4 * n_freq : 4] = cos
    table[:, 1 : 4 * n_freq : 4] = sin
    table[:, 2 : 4 * n_freq : 4] = -cos
    table[:, 3 : 4 * n_freq : 4] = -sin
    return table


def token_codes(vocab_size: int, dims: int, rng: np.random.Generator) -> np.ndarray:
    """Random zero-mean unit vectors, one per token, nearly orthogonal to each other."""
    codes = rng.standard_normal((vocab_size, dims))
    codes -= codes.mean(axis=1, keepdims=True)
    return codes / np.linalg.norm(codes, axis=1, keepdims=True)


def _layer_norm(spec, dims: int, gamma: np.ndarray | None = None) -> None:
    spec.gamma = np.ones(dims, np.float32) if gamma is None else gamma.astype(np.float32)
    spec.beta = np.zeros(dims, np.float32)


def _linear(spec, weight: np.ndarray, bias: np.ndarray | None = None) -> None:
    spec.weight = weight.astype(np.float32)
    spec.bias = np.zeros(weight.shape[0], np.float32) if bias is None else bias.astype(np.float32)


def _silent_layers(spec, d: int, ffn: int, decoder: bool) -> None:
    """Give every layer identity norms and zero output projections: the residual passes through."""
    for layer in spec.layer:
        _layer_norm(layer.self_attention.layer_norm, d)
        _linear(layer.self_attention.linear[0], np.zeros((3 * d, d)))
        _linear(layer.self_attention.linear[1], np.zeros((d, d)))
        if decoder:
            _layer_norm(layer.attention.layer_norm, d)
            _linear(layer.attention.linear[0], np.zeros((d, d)))
            _linear(layer.attention.linear[1], np.zeros((2 * d, d)))
            _linear(layer.attention.linear[2], np.zeros((d, d)))
        _layer_norm(layer.ffn.layer_norm, d)
        _linear(layer.ffn.linear_0, np.zeros((ffn, d)))
        _linear(layer.ffn.linear_1, np.zeros((d, ffn)))


def copy_weights(spec: TransformerSpec, dims: Dims, rng: np.random.Generator, prefix_len: int) -> None:
    """Set weights so that decoding step t outputs source token t (and </s> after the last one).

    The model vector is split in two halves: token dims (first) and position dims (second).
    Encoder: embedding = token code, position table = position code; all layers pass through,
    so the memory at position s is (code(x_s), pos(s)) scaled by the final layer norm.
    Decoder: input embeddings are zero, so its state is pos(t) alone. Cross-attention in the
    last layer uses queries and keys from the position dims with a large scale, which puts all
    the weight on source position t; values copy the token dims. The output projection scores
    every vocabulary token by its code against those dims. The source gets </s> appended
    (config add_source_eos), so the step after the last token copies </s> and stops.
    A target prefix of k tokens is absorbed by shifting the decoder position table by k.
    """
    d, v = dims.d_model, dims.vocab_size
    half = d // 2
    head_dim = d // dims.num_heads
    pdim = min(half, head_dim) // 4 * 4
    if d % 2 or d % dims.num_heads or pdim < 8:
        raise ValueError("copy model needs d_model even, divisible by num_heads, and d_model/num_heads >= 8")
    tok = token_codes(v, half, rng) * math.sqrt(pdim / 2)
    pos = position_table(dims.max_positions, pdim, dims.max_positions)
    enc_pos = np.zeros((dims.max_positions, d))
    enc_pos[:, half : half + pdim] = pos
    dec_pos = np.zeros((dims.max_positions + prefix_len, d))
    dec_pos[prefix_len:, half : half + pdim] = pos

    enc = spec.encoder
    enc.scale_embeddings = False
    emb = np.zeros((v, d))
    emb[:, :half] = tok
    enc.embeddings[0].weight = emb.astype(np.float32)
    enc.position_encodings.encodings = enc_pos.astype(np.float32)
    _silent_layers(enc, d, dims.ffn, decoder=False)
    _layer_norm(enc.layer_norm, d)

    dec = spec.decoder
    dec.scale_embeddings = False
    dec.embeddings.weight = np.zeros((v, d), np.float32)
    dec.position_encodings.encodings = dec_pos.astype(np.float32)
    _silent_layers(dec, d, dims.ffn, decoder=True)
    _layer_norm(dec.layer_norm, d)

    # Queries and keys: every head compares the same position dims; values copy token dims.
    query = np.zeros((d, d))
    key = np.zeros((d, d))
    cols = np.arange(half, half + pdim)
    for h in range(dims.num_heads):
        rows = h * head_dim + np.arange(pdim)
        query[rows, cols] = 1.0
        key[rows, cols] = 1.0
    value = np.zeros((d, d))
    value[np.arange(half), np.arange(half)] = 1.0
    margin = _position_margin(pos, dims.max_positions)
    # Layer norms rescale the position codes by sqrt(2d/pdim) (queries) and sqrt(d/pdim) (keys).
    query *= ATTENTION_GAP * math.sqrt(head_dim) * pdim / (math.sqrt(2.0) * d * margin)
    cross = dec.layer[-1].attention
    _linear(cross.linear[0], query)
    _linear(cross.linear[1], np.concatenate([key, value]))
    _linear(cross.linear[2], np.eye(d))

    proj = np.zeros((v, d))
    # After the final layer norm the copied code has norm d/sqrt(pdim+d); see the docstring.
    proj[:, :half] = tok * OUTPUT_LOGIT / (math.sqrt(pdim / 2) * d / math.sqrt(pdim + d))
    _linear(dec.projection, proj)


def _position_margin(table: np.ndarray, longest: int) -> float:
    """Smallest gap between a position's self-score and its score with any other position."""
    scores = table[:longest] @ table[0]
    return float(scores[0] - scores[1:].max())


def random_weights(
    spec: TransformerSpec, dims: Dims, rng: np.random.Generator, prefix_len: int = 0, noise: float = RANDOM_NOISE
) -> None:
    """Fill every matrix with fixed random values, on top of the copy path (speed tests only).

    Input projections (QKV, FFN in) are fully random; sublayer output projections are random
    but scaled by `noise`, so their sum stays small beside the copy signal. Without the copy
    path a random model never emits </s> and every sentence runs to max_decoding_length
    (measured: 256 tokens each, 0.7 sentences/s), which says nothing about real speed; with it
    the output is as long as the input, like a real translation, while every matrix of every
    layer is dense and takes part in the computation.
    """
    copy_weights(spec, dims, rng, prefix_len)
    d, f, v = dims.d_model, dims.ffn, dims.vocab_size

    def rand(*shape: int, s: float) -> np.ndarray:
        return rng.standard_normal(shape, dtype=np.float32) * np.float32(s)

    def add(linear, s: float) -> None:
        linear.weight = linear.weight + rand(*linear.weight.shape, s=s)

    full, small = 1.0 / math.sqrt(d), noise / math.sqrt(d)
    spec.decoder.embeddings.weight = rand(v, d, s=noise)
    for stack, decoder in ((spec.encoder, False), (spec.decoder, True)):
        for layer in stack.layer:
            add(layer.self_attention.linear[0], full)
            add(layer.self_attention.linear[1], small)
            if decoder:
                copying = layer is spec.decoder.layer[-1]
                add(layer.attention.linear[0], small if copying else full)
                add(layer.attention.linear[1], small if copying else full)
                add(layer.attention.linear[2], small)
            add(layer.ffn.linear_0, full)
            add(layer.ffn.linear_1, noise / math.sqrt(f))
    add(spec.decoder.projection, small)


def build_spec(kind: str, vocab: list[str], dims: Dims, seed: int, prefix_len: int) -> TransformerSpec:
    """A validated CTranslate2 Transformer spec with the vocabulary registered."""
    spec = TransformerSpec.from_config((dims.num_layers, dims.num_layers), dims.num_heads, pre_norm=True)
    rng = np.random.default_rng(seed)
    if kind == "copy":
        copy_weights(spec, dims, rng, prefix_len)
    elif kind == "random":
        random_weights(spec, dims, rng, prefix_len)
    else:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    spec.config.add_source_eos = True
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    return spec


def package_metadata(kind: str, dims: Dims, target_prefix: str | None) -> dict:
    """metadata.json content in the Argos 1.x layout."""
    meta = {
        "package_version": "1.0",
        "argos_version": "1.9.0",
        "from_code": "fr",
        "from_name": "French",
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
        "description": f"Synthetic {kind} model for tests and benchmarks "
        f"(d_model {dims.d_model}, {dims.num_layers}+{dims.num_layers} layers, vocab {dims.vocab_size}).",
    }
    if target_prefix:
        meta["target_prefix"] = target_prefix
    return meta


def package_name(kind: str, base: bool = False) -> str:
    return f"translate-fr_en-synthetic_{kind}{'_base' if base else ''}"


def argosmodel_path(package_dir: Path) -> Path:
    """Where `build_package` writes the zip of a package directory."""
    return package_dir.parent / f"{package_dir.name}.argosmodel"


def build_package(
    out_dir: Path,
    *,
    kind: str = "copy",
    vocab_size: int = TINY.vocab_size,
    d_model: int = TINY.d_model,
    num_layers: int = TINY.num_layers,
    num_heads: int = TINY.num_heads,
    ffn: int = TINY.ffn,
    seed: int = 0,
    target_prefix: str | None = None,
    name: str | None = None,
) -> Path:
    """Write `out_dir/<name>/` (extracted package) and `out_dir/<name>.argosmodel`; return the dir.

    The SentencePiece vocabulary is trained on bench/corpus.fr-en.txt; when the corpus gives
    fewer pieces than `vocab_size` the model vocabulary is padded (`pad_vocab`).
    """
    out_dir = Path(out_dir)
    name = name or package_name(kind)
    package_dir = out_dir / name
    if package_dir.exists():
        shutil.rmtree(package_dir)
    (package_dir / "model").mkdir(parents=True)

    texts = [t for pair in read_corpus() for t in pair]
    symbols = target_prefix.split() if target_prefix else []
    sp_bytes = train_sentencepiece(texts, vocab_size, symbols, seed)
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = pad_vocab([sp.id_to_piece(i) for i in range(sp.get_piece_size())], vocab_size)
    dims = Dims(len(vocab), d_model, num_layers, num_heads, ffn)

    spec = build_spec(kind, vocab, dims, seed, len(symbols))
    spec.optimize(quantization="int8")
    spec.save(str(package_dir / "model"))
    (package_dir / "sentencepiece.model").write_bytes(sp_bytes)
    meta = package_metadata(kind, dims, target_prefix)
    (package_dir / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    write_zip(package_dir, argosmodel_path(package_dir))
    return package_dir


def write_zip(package_dir: Path, zip_path: Path) -> None:
    """Zip the package under its own top folder, byte-for-byte reproducibly."""
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(p for p in package_dir.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{package_dir.name}/{path.relative_to(package_dir).as_posix()}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--kind", choices=KINDS, default="copy")
    parser.add_argument("--base", action="store_true", help="transformer-base sizes (6+6 layers, 512, 2048, 8 heads, 50k vocab)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--target-prefix", default=None)
    args = parser.parse_args(argv)
    dims = BASE if args.base else TINY
    args.out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    package_dir = build_package(
        args.out_dir,
        kind=args.kind,
        vocab_size=dims.vocab_size,
        d_model=dims.d_model,
        num_layers=dims.num_layers,
        num_heads=dims.num_heads,
        ffn=dims.ffn,
        seed=args.seed,
        target_prefix=args.target_prefix,
        name=package_name(args.kind, args.base),
    )
    zip_path = argosmodel_path(package_dir)
    seconds = time.perf_counter() - start
    print(f"{package_dir} and {zip_path} ({zip_path.stat().st_size / 1e6:.1f} MB) built in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
