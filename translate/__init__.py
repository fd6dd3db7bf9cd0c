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


def _installed_version() -> str:
    """The version from the installed distribution's metadata (pyproject.toml is the one place it is set)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("translate-fr-en")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


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
    if name == "__version__":  # read on demand: the metadata lookup would cost every command's start-up
        return _installed_version()
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'translate' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = ["__version__", *_LAZY]
