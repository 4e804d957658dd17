import pytest

from agent.config import Settings
from tests.ui.demo_data import clone, demo_template


@pytest.fixture(scope="session")
def ui_demo_template(tmp_path_factory):
    """Knowledge ingested and the demo comments drafted, once for the session (ingesting takes ~30 s)."""
    return demo_template(tmp_path_factory.mktemp("ui-demo"))


@pytest.fixture
def ui_settings(ui_demo_template, tmp_path, monkeypatch):
    """A private copy of the demo data dir; the app under test reads it through REDREPLY_DATA_DIR."""
    data_dir = clone(ui_demo_template, tmp_path / "data")
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(data_dir))
    monkeypatch.setenv("REDREPLY_REVIEWER", "tester")
    monkeypatch.delenv("REDREPLY_MODEL", raising=False)
    return Settings()


@pytest.fixture(autouse=True)
def _every_ui_test_on_loopback(desk_on_loopback):
    """Every AppTest here runs the desk as `redreply ui` does, on loopback (see tests/conftest.py)."""
