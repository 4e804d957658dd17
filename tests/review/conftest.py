"""Shared fixtures of the review tests."""

from __future__ import annotations

import pytest


class Clock:
    """A clock the test moves by hand (`clock.t += …`)."""

    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()
