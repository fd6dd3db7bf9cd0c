"""Helpers shared by test modules."""

from __future__ import annotations

import os

import pytest


def need(available: bool, why: str, module: bool = False) -> None:
    """Skip when a system tool (Apertium, OmegaT) is missing here; fail in CI, which installs them all."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide this: {why}", pytrace=False)
    pytest.skip(why, allow_module_level=module)
