"""Fixtures shared by the unit tests of the case book and its evals."""

from __future__ import annotations

import pytest

from agent.config import Settings
from agent.review.casework.case_desk import CaseDesk


@pytest.fixture
def settings(tmp_path) -> Settings:
    """The defaults, with state in this test's own data dir (a module may define its own)."""
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def desk(settings) -> CaseDesk:
    return CaseDesk(settings)
