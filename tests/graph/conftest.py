import shutil

import pytest

from agent.config import Settings
from agent.review.service import Drafter, ReviewDesk


@pytest.fixture(scope="session")
def shared_store(ingested_store):
    return ingested_store


@pytest.fixture
def settings(tmp_path, shared_store):
    """A fresh data dir per test, seeded with a copy of the session's ingested store, so a CLI
    subprocess finds the knowledge indexed instead of embedding it all again."""
    data = tmp_path / "data"
    shutil.copytree(shared_store.settings.chroma_path, data / "chroma")
    return Settings(data_dir=data, retry_backoff_s=0.0, model_retries=1)


@pytest.fixture
def desk_factory(settings, shared_store):
    def make(client=None, **overrides):
        s = settings.with_overrides(**overrides) if overrides else settings
        return ReviewDesk(s, client=client, store=shared_store)

    return make


@pytest.fixture
def drafter(settings, shared_store):
    return Drafter(settings, store=shared_store)
