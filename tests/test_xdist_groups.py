"""The suite's `xdist_group` marks must hold: the OmegaT, relay-verb and Ray tests share per-process fixtures
(a JVM run, dictionary walks, a Ray cluster) that only one worker should pay for."""

from __future__ import annotations

import os

import pytest


@pytest.mark.xdist_group("probe")
def test_a_grouped_test_carries_its_group(request: pytest.FixtureRequest) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER") or not request.config.getvalue("loadgroup"):
        pytest.skip("not run by xdist with --dist loadgroup")
    assert request.node.nodeid.endswith("@probe"), (
        "xdist ignored the xdist_group mark: this pytest and pytest-xdist do not work together "
        "(pytest-dev/pytest-xdist#1386, keep pytest below 9.2 in pyproject's dev extra)")
