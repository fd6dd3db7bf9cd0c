"""Choosing an engine: `--engine argos|apertium|auto` and `--model PATH`, and why one is unavailable.

This is the only place that knows the concrete engines; the pipeline sees the Engine interface alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from translate.engines.base import Engine, EngineOptions
from translate.errors import NoModelError, UserError

ENGINE_CHOICES = ("auto", "argos", "apertium")

NO_ENGINE_MESSAGE = (
    "no French→English engine is available: install a neural model with "
    "`translate models install fr en` (or `translate models install FILE.argosmodel`, or pass "
    "--model PATH to a CTranslate2 model directory), or install Apertium with "
    "`apt-get install apertium apertium-fr-es apertium-eng-spa`"
)


@dataclass
class EngineChoice:
    """One engine that could be used, whether it can be used here, and why not."""

    name: str
    available: bool
    detail: str
    make: Callable[[], Engine] | None = None
    model_path: Path | None = None
    """The model directory of a neural choice (workers elsewhere load it from there)."""


def neural_choice(model: Path | None, options: EngineOptions, packages_dir: Path | None = None) -> EngineChoice:
    """The neural engine on `--model PATH` or on the best installed fr→en Argos package."""
    from translate import models

    if model is not None:
        from translate.engines.argos import find_model_files

        path = model
        try:
            find_model_files(path)  # the same file checks `run` makes before loading
        except UserError as err:
            return EngineChoice("argos", False, str(err))
        detail = f"model {path}"
    else:
        found = models.best_model("fr", "en", packages_dir=packages_dir)
        if found is None:
            where = models.packages_dir(packages_dir)
            return EngineChoice("argos", False, f"no fr→en model installed in {where} (`translate models install fr en`)")
        path = found.path
        detail = f"{found.name} {found.version} in {found.path}"

    def make() -> Engine:
        from translate.engines.argos import CTranslate2Engine

        return CTranslate2Engine(path, options)

    return EngineChoice("argos", True, detail, make, Path(path))


def no_neural_message(where: Path, apertium_ready: bool) -> str:
    """`--engine argos` without a model: how to get one, and Apertium only as it stands here."""
    other = ("or use Apertium, which is installed here: --engine apertium" if apertium_ready else
             "or install Apertium with `apt-get install apertium apertium-fr-es apertium-eng-spa`")
    return (f"--engine argos needs a neural model and none is installed in {where}: install one with "
            "`translate models install fr en` (or `translate models install FILE.argosmodel`, or pass "
            f"--model PATH to a CTranslate2 model directory), {other}")


def apertium_choice() -> EngineChoice:
    """Apertium through the fr→es→en pivot, if the Debian packages are installed."""
    from translate.engines.apertium import ApertiumEngine, apertium_status

    ok, why = apertium_status()
    return EngineChoice("apertium", ok, why, ApertiumEngine if ok else None)


def engine_choices(model: Path | None, options: EngineOptions, packages_dir: Path | None = None) -> list[EngineChoice]:
    """Every engine in order of preference, for `translate engines` and auto-selection."""
    return [neural_choice(model, options, packages_dir), apertium_choice()]


def choose_engine(
    choice: str,
    model: Path | None,
    options: EngineOptions,
    packages_dir: Path | None = None,
    warn: Callable[[str], None] | None = None,
) -> EngineChoice:
    """The engine the user asked for, or the best available one for `auto`, without loading it."""
    if choice not in ENGINE_CHOICES:
        raise UserError(f"unknown engine {choice!r}; choose one of {', '.join(ENGINE_CHOICES)}")
    if model is not None and choice == "apertium":
        raise UserError("--model selects a neural model; it cannot be combined with --engine apertium")
    if choice == "argos" or model is not None:
        neural = neural_choice(model, options, packages_dir)
        if not neural.available:
            if model is not None:
                raise UserError(neural.detail)
            from translate.models import packages_dir as argos_dir

            raise NoModelError(no_neural_message(argos_dir(packages_dir), apertium_choice().available))
        return neural
    if choice == "apertium":
        rule = apertium_choice()
        if not rule.available:
            raise UserError(f"Apertium is not usable: {rule.detail}")
        return rule
    for option in engine_choices(None, options, packages_dir):
        if option.available:
            if option.name == "apertium" and warn:
                warn("no neural model installed: using Apertium (rule-based, lower quality); "
                     "`translate models install fr en` gets a neural model")
            return option
    raise NoModelError(NO_ENGINE_MESSAGE)


def select_engine(
    choice: str,
    model: Path | None,
    options: EngineOptions,
    packages_dir: Path | None = None,
    warn: Callable[[str], None] | None = None,
) -> Engine:
    """The engine the user asked for, or the best available one for `auto`; never downloads."""
    chosen = choose_engine(choice, model, options, packages_dir, warn)
    assert chosen.make is not None  # available choices always carry their constructor
    return chosen.make()
