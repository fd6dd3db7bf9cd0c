"""The measured code, run inside each child process: `python -m bench.workers NAME JSON`.

The argostranslate venv runs this file by path, so its top-level imports are the standard library
alone. Each worker prints one RESULT line (a JSON object) as its last line on stdout.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

RESULT_PREFIX = "RESULT "
"""A worker's last stdout line: this prefix and a JSON object."""


def _emit(result: dict[str, Any]) -> None:
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def worker_ceiling(args: dict[str, Any]) -> None:
    """(c): one translate_batch call over pre-tokenised sentences, after a small warm-up."""
    import ctranslate2

    tokens = json.loads(Path(args["tokens"]).read_text(encoding="utf-8"))
    started = time.perf_counter()
    translator = ctranslate2.Translator(
        args["model_dir"], device="cpu", compute_type=args["compute_type"],
        inter_threads=args["inter_threads"], intra_threads=args["intra_threads"],
    )
    load = time.perf_counter() - started
    options = dict(max_batch_size=args["batch_size"], batch_type=args["batch_type"], beam_size=args["beam"],
                   max_decoding_length=args.get("max_decoding_length", 512), return_scores=False)
    translator.translate_batch(tokens[:8], **options)
    started = time.perf_counter()
    results = translator.translate_batch(tokens, **options)
    seconds = time.perf_counter() - started
    out_tokens = sum(len(r.hypotheses[0]) for r in results)
    _emit({"seconds": seconds, "load_seconds": load, "sentences": len(tokens), "out_tokens": out_tokens,
           "compute_type": translator.compute_type})


def argos_env(home: Path, beam: int) -> dict[str, str]:
    """Isolated, offline argostranslate settings: own packages/data/config/cache dirs, spaCy splitter."""
    return {
        "ARGOS_PACKAGES_DIR": str(home / "packages"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "ARGOS_CHUNK_TYPE": "SPACY",
        "ARGOS_BEAM_SIZE": str(beam),
        "ARGOS_DEVICE_TYPE": "cpu",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }


def worker_argos_install(args: dict[str, Any]) -> None:
    """Install the .argosmodel with argostranslate itself and give it an offline spaCy sentencizer.

    ARGOS_CHUNK_TYPE=SPACY loads a spaCy pipeline from the package's `spacy/` folder when there is
    one (else it downloads xx_sent_ud_sm); a blank French pipeline saved there, to which argos adds
    the rule-based "sentencizer", needs no model download. argostranslate.sbd also runs its spaCy
    cache check at import; the empty cache folder it looks for is made first so it never downloads.
    """
    home = Path(os.environ["XDG_CACHE_HOME"])
    (home / "argos-translate" / "spacy" / "senter" / "model").mkdir(parents=True, exist_ok=True)
    import argostranslate.package
    import spacy

    argostranslate.package.install_from_path(Path(args["argosmodel"]))
    package_dir = Path(os.environ["ARGOS_PACKAGES_DIR"]) / args["name"]
    spacy.blank("fr").to_disk(package_dir / "spacy")
    installed = [p.package_path.name for p in argostranslate.package.get_installed_packages()]
    _emit({"package_dir": str(package_dir), "installed": installed})


def worker_argos(args: dict[str, Any]) -> None:
    """(b): argostranslate's translate path over the whole text; the call alone is timed."""
    import argostranslate.translate as argos_translate

    text = Path(args["text"]).read_text(encoding="utf-8")
    translation = argos_translate.get_translation_from_codes("fr", "en")
    translation.translate("Bonjour à tous.")  # loads the CTranslate2 model (argos loads it lazily)
    started = time.perf_counter()
    output = translation.translate(text)
    seconds = time.perf_counter() - started
    Path(args["output"]).write_text(output, encoding="utf-8")
    sentencizer = translation.underlying.sentencizer
    found = sum(len(sentencizer.split_sentences(p)) for p in text.split("\n") if p.strip())
    from argostranslate import settings

    _emit({"seconds": seconds, "sentences_found": found, "beam": settings.beam_size,
           "batch_size": settings.batch_size, "chunk_type": settings.chunk_type.name})


def worker_argos_emulated(args: dict[str, Any]) -> None:
    """(b'): argostranslate's batching emulated with CTranslate2 (per paragraph, 32-token batches)."""
    import ctranslate2
    import sentencepiece as spm

    from translate.segment import segment_document

    text = Path(args["text"]).read_text(encoding="utf-8")
    sp = spm.SentencePieceProcessor(model_file=args["spm"])
    translator = ctranslate2.Translator(args["model_dir"], compute_type="auto")
    started = time.perf_counter()
    document = segment_document(text, lang="fr")
    out_tokens = 0
    for paragraph in document.paragraphs:
        tokens = [sp.encode(s.source, out_type=str) for s in paragraph.segments]
        results = translator.translate_batch(tokens, max_batch_size=32, batch_type="tokens", beam_size=args["beam"],
                                             length_penalty=0.2, replace_unknowns=True, return_scores=True)
        out_tokens += sum(len(r.hypotheses[0]) for r in results)
    _emit({"seconds": time.perf_counter() - started, "out_tokens": out_tokens, "sentences_found": len(document)})


def worker_apertium(args: dict[str, Any]) -> None:
    """Apertium engine over the benchmark sentences (two pipelines of subprocesses)."""
    from translate.engines.apertium import ApertiumEngine, apertium_status

    ok, why = apertium_status()
    if not ok:
        _emit({"error": why})
        return
    sentences = json.loads(Path(args["sentences"]).read_text(encoding="utf-8"))
    started = time.perf_counter()
    results = ApertiumEngine().translate(sentences)
    _emit({"seconds": time.perf_counter() - started, "sentences": len(results)})


def worker_align(args: dict[str, Any]) -> None:
    """Sentence alignment: real USE embeddings on the bench text, or synthetic ones for scaling."""
    from translate.align import AlignOptions, SearchStats, align

    stats = SearchStats()
    if args["embeddings"] == "use":
        from bench.inputs import bench_text
        from translate.embed import UseEmbedder

        text = bench_text(args["n"])
        started = time.perf_counter()
        beads = align(text.fr, text.en, src_paragraphs=text.paragraphs, tgt_paragraphs=text.paragraphs,
                      embedder=UseEmbedder(), stats=stats)
        correct = sum(1 for b in beads if b.src == b.tgt and len(b.src) == 1)
        seconds, m = time.perf_counter() - started, len(text.en)
    else:
        from bench.align_eval import synthetic_pair

        src, tgt, embedder = synthetic_pair(args["n"])
        started = time.perf_counter()
        beads = align(src, tgt, options=AlignOptions(concat="sum"), embedder=embedder, stats=stats)
        seconds, m, correct = time.perf_counter() - started, len(tgt), None
    _emit({"seconds": seconds, "n": args["n"], "m": m, "beads": len(beads), "cells": stats.cells,
           "exact_1_1": correct})


WORKERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "ceiling": worker_ceiling,
    "argos-install": worker_argos_install,
    "argos": worker_argos,
    "argos-emulated": worker_argos_emulated,
    "apertium": worker_apertium,
    "align": worker_align,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run worker NAME on its JSON arguments."""
    name, payload = list(sys.argv[1:] if argv is None else argv)[:2]
    WORKERS[name](json.loads(payload))
    return 0


if __name__ == "__main__":
    sys.exit(main())
