"""Offline French→English translation and alignment.

Library use::

    import translate
    doc = translate.translate_text("Le sommet de l’OTSC s’est ouvert mardi.", engine="apertium")
    for segment in doc:
        print(segment.source, "→", segment.target)

Importing the package is cheap: engines, models and formats load when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from translate.api import build_pipeline, translate_text
    from translate.document import Document, Paragraph, Segment
    from translate.pipeline import Pipeline

_LAZY = {
    "translate_text": "translate.api",
    "build_pipeline": "translate.api",
    "Document": "translate.document",
    "Paragraph": "translate.document",
    "Segment": "translate.document",
    "Pipeline": "translate.pipeline",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'translate' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = ["__version__", *_LAZY]
